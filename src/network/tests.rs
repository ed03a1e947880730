//! Tests: the compiled network realises every grade's description exactly.

use inari::Interval;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use proptest::prelude::*;

use super::*;
use crate::grid::{GradeSpec, Grid};

fn q(p: i64, d: i64) -> BigRational {
    BigRational::new(BigInt::from(p), BigInt::from(d))
}

fn exact_point(x: &[f64]) -> Vec<BigRational> {
    x.iter()
        .map(|&v| BigRational::from_float(v).unwrap())
        .collect()
}

/// Every vertex of `grid`, as exact points.
fn vertices(grid: Grid) -> Vec<Vec<BigRational>> {
    let mut k = vec![0u32; grid.dim];
    let n = i64::from(grid.n);
    (0..grid.vertex_count().unwrap())
        .map(|v| {
            grid.vertex_coords(v, &mut k);
            k.iter().map(|&ki| q(i64::from(ki), n)).collect()
        })
        .collect()
}

/// Checks, at `x`, each grade's output and the running sums against the descriptions.
fn assert_exact_at(grades: &[GradeSpec], x: &[BigRational]) {
    let net = Network::new(grades);
    let per_grade = net.eval_grades_exact(x);
    let sums = net.eval_exact(x);
    assert_eq!(per_grade.len(), grades.len());
    let mut sum = BigRational::zero();
    for (m, spec) in grades.iter().enumerate() {
        let expected = spec.output_exact(x);
        assert_eq!(per_grade[m], expected, "grade {} at {x:?}", m + 1);
        sum += expected;
        assert_eq!(sums[m], sum, "F_{} at {x:?}", m + 1);
    }
}

fn spec(dim: usize, n: u32, eps: f64, nodal: Vec<f64>) -> GradeSpec {
    GradeSpec {
        grid: Grid::new(dim, n),
        eps,
        nodal,
    }
}

#[test]
fn width_is_d_plus_3() {
    assert_eq!(width(1), 4);
    assert_eq!(width(3), 6);
}

#[test]
fn dyadic_weights_decompose_exactly() {
    use super::eval::dyadic;
    let value = |(m, s): (i64, i64)| {
        let two = BigRational::from_integer(BigInt::from(2));
        q(m, 1) * num_traits::pow::Pow::pow(&two, s as i32)
    };
    assert_eq!(dyadic(0.0), (0, 0));
    assert_eq!(dyadic(-0.0), (0, 0));
    assert_eq!(dyadic(1.0), (1, 0));
    assert_eq!(dyadic(-6.0), (-3, 1));
    assert_eq!(dyadic(0.375), (3, -3));
    assert_eq!(dyadic(5e-324), (1, -1074));
    for w in [0.1, -1.0 / 3.0, 1e300, -2.5e-310, 64.0 / 7.0] {
        let (m, s) = dyadic(w);
        assert!(m % 2 != 0, "{w}: even mantissa");
        assert_eq!(value((m, s)), BigRational::from_float(w).unwrap(), "{w}");
    }
}

#[test]
fn one_dimensional_grade_matches_description() {
    let grades = [spec(1, 4, 0.25, vec![0.0, 1.0, -0.5, 0.5, 2.0])];
    let net = Network::new(&grades);
    assert_eq!(net.layer_count(), 2 * 4 + 1);
    net.check_widths().unwrap();
    for x in [q(0, 1), q(1, 8), q(3, 16), q(1, 2), q(5, 7), q(1, 1)] {
        assert_exact_at(&grades, &[x]);
    }
    assert_eq!(net.eval_f64(&[0.125]), vec![0.25]);
    assert_eq!(net.eval_f64(&[0.5]), vec![-0.25]);
}

#[test]
fn grade_without_hats_outputs_zero() {
    let empty = spec(2, 3, 0.125, vec![0.0; 16]);
    assert_eq!(layer_count(&empty), 1);
    assert_eq!(grade_layers(&empty, true).count(), 1);
    let first = spec(
        2,
        2,
        0.0625,
        (0..9).map(|v| f64::from(v) / 8.0 - 0.5).collect(),
    );
    let grades = [empty.clone(), first, empty];
    let net = Network::new(&grades);
    net.check_widths().unwrap();
    for x in [[q(0, 1), q(0, 1)], [q(1, 3), q(2, 5)], [q(1, 1), q(1, 2)]] {
        assert_exact_at(&grades, &x);
        assert!(net.eval_grades_exact(&x)[0].is_zero());
    }
}

#[test]
fn offset_and_threshold_stay_exact_at_any_scale() {
    // `C + eps` is not an f64 here; the network must still be exact.
    let eps = 2f64.powi(-60);
    let grades = [spec(1, 2, eps, vec![1.0, 0.0, -1.0 + 2f64.powi(-52)])];
    for x in [q(0, 1), q(1, 3), q(1, 2), q(2, 3), q(1, 1)] {
        assert_exact_at(&grades, &[x]);
    }
}

#[test]
fn counts_agree_with_generated_layers() {
    let grades = [
        spec(
            2,
            3,
            0.25,
            (0..16).map(|v| f64::from(v % 5) - 2.0).collect(),
        ),
        spec(2, 1, 0.5, vec![0.0, 0.25, 0.0, -1.0]),
    ];
    let net = Network::new(&grades);
    let mut params = 0;
    for (m, g) in grades.iter().enumerate() {
        let layers: Vec<Layer> = grade_layers(g, m == 0).collect();
        assert_eq!(layers.len(), layer_count(g));
        assert_eq!(
            grade_layers(g, m == 0).size_hint(),
            (layers.len(), Some(layers.len()))
        );
        assert!(layers.iter().all(|l| l.width() == width(2)));
        let dense: usize = layers.iter().map(Layer::dense_parameters).sum();
        let out = readout(g);
        assert_eq!(parameter_count(g, m == 0), dense + out.input_width + 1);
        params += dense + out.input_width + 1;
    }
    assert_eq!(layers_input_width(&grades[0], true), 2);
    assert_eq!(layers_input_width(&grades[0], false), 5);
    assert_eq!(net.parameter_count(), params);
    assert_eq!(net.layer_count(), 3 * 13 + 1 + 3 * 2 + 1);
}

fn layers_input_width(g: &GradeSpec, first: bool) -> usize {
    grade_layers(g, first).next().unwrap().input_width
}

#[test]
fn invalid_descriptions_are_reported() {
    let ok = spec(1, 2, 0.25, vec![0.5, 0.0, 1.0]);
    let cases = [
        vec![ok.clone(), spec(2, 1, 0.25, vec![0.0; 4])],
        vec![spec(1, 2, 0.25, vec![0.5, 1.0])],
        vec![spec(1, 2, f64::NAN, vec![0.5, 0.0, 1.0])],
        vec![spec(1, 2, 0.25, vec![0.5, f64::INFINITY, 1.0])],
        vec![spec(1, 0, 0.25, vec![0.5])],
    ];
    for grades in &cases {
        assert!(Network::new(grades).check_widths().is_err(), "{grades:?}");
    }
    assert!(Network::new(&[ok]).check_widths().is_ok());
}

/// A nodal value `k / 64` with `k` in `-64..=64`, zero about a third of the time.
fn nodal_value() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 2 => (-64..=64i32).prop_map(|k| f64::from(k) / 64.0)]
}

fn grade(dim: usize, max_n: u32) -> impl Strategy<Value = GradeSpec> {
    (1..=max_n).prop_flat_map(move |n| {
        let count = (n as usize + 1).pow(dim as u32);
        let nodal = proptest::collection::vec(nodal_value(), count);
        (nodal, 1..=64i32).prop_map(move |(nodal, k)| spec(dim, n, f64::from(k) / 128.0, nodal))
    })
}

fn grades(dim: usize, max_n: u32) -> impl Strategy<Value = Vec<GradeSpec>> {
    proptest::collection::vec(grade(dim, max_n), 1..=3)
}

/// A rational in `[0, 1]` with a denominator up to 1000.
fn unit_rational() -> impl Strategy<Value = BigRational> {
    (1..=1000i64).prop_flat_map(|den| (0..=den).prop_map(move |p| q(p, den)))
}

/// Points in the cube: generic ones, ones on the faces of every grid with `n <= 6`, and ones
/// on the Kuhn diagonals `n (x_i - x_j)` integer of the grids whose `n` is a multiple of `l`.
fn point(dim: usize) -> impl Strategy<Value = Vec<BigRational>> {
    let generic = proptest::collection::vec(unit_rational(), dim);
    let faces = proptest::collection::vec(
        prop_oneof![(0..=60i64).prop_map(|k| q(k, 60)), unit_rational()],
        dim,
    );
    let diagonal = (
        unit_rational(),
        1..=6i64,
        proptest::collection::vec(-6..=6i64, dim),
    )
        .prop_map(|(t, l, shifts)| {
            shifts
                .iter()
                .map(|&s| {
                    let y = &t + q(s, l);
                    &y - BigRational::from_integer(y.floor().to_integer())
                })
                .collect()
        });
    prop_oneof![generic, faces, diagonal]
}

fn exactness_case(d: usize, grades: &[GradeSpec], points: &[Vec<BigRational>]) {
    let net = Network::new(grades);
    net.check_widths().unwrap();
    for spec in grades {
        for v in vertices(spec.grid) {
            assert_exact_at(grades, &v);
        }
    }
    for x in points {
        assert_eq!(x.len(), d);
        assert_exact_at(grades, x);
    }
    // The plain rational evaluator agrees with the scaled one.
    let reference: Vec<BigRational> = net.stream(&points[0]);
    assert_eq!(reference, net.eval_grades_exact(&points[0]));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn exact_1d(grades in grades(1, 6), points in proptest::collection::vec(point(1), 1..8)) {
        exactness_case(1, &grades, &points);
    }

    #[test]
    fn exact_2d(grades in grades(2, 6), points in proptest::collection::vec(point(2), 1..8)) {
        exactness_case(2, &grades, &points);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn exact_3d(grades in grades(3, 4), points in proptest::collection::vec(point(3), 1..6)) {
        exactness_case(3, &grades, &points);
    }
}

/// A small box around a dyadic centre, clipped to the cube, and a rational point inside it.
fn small_box(dim: usize) -> impl Strategy<Value = (Vec<Interval>, Vec<BigRational>)> {
    let side = (0..=1024i32, 0..=64i32, unit_rational());
    proptest::collection::vec(side, dim).prop_map(|sides| {
        sides
            .into_iter()
            .map(|(c, h, t)| {
                let lo = (f64::from(c - h) / 1024.0).max(0.0);
                let hi = (f64::from(c + h) / 1024.0).min(1.0);
                let x = BigRational::from_float(lo).unwrap()
                    + (BigRational::from_float(hi - lo).unwrap()) * t;
                (Interval::try_from((lo, hi)).unwrap(), x)
            })
            .unzip()
    })
}

fn enclosure_case(grades: &[GradeSpec], boxes: &[(Vec<Interval>, Vec<BigRational>)]) {
    let net = Network::new(grades);
    for (xs, x) in boxes {
        let sums = net.eval_interval(xs);
        let per_grade = net.eval_grades_interval(xs);
        let exact_sums = net.eval_exact(x);
        let exact_grades = net.eval_grades_exact(x);
        for (enclosure, value) in sums
            .iter()
            .zip(&exact_sums)
            .chain(per_grade.iter().zip(&exact_grades))
        {
            let lo = BigRational::from_float(enclosure.inf()).unwrap();
            let hi = BigRational::from_float(enclosure.sup()).unwrap();
            assert!(
                lo <= *value && *value <= hi,
                "{enclosure:?} misses {value} at {x:?}"
            );
        }
    }
}

fn f64_case(grades: &[GradeSpec], points: &[Vec<f64>]) {
    let net = Network::new(grades);
    for x in points {
        let approx = net.eval_f64(x);
        let approx_grades = net.eval_grades_f64(x);
        let exact_sums = net.eval_exact(&exact_point(x));
        let exact_grades = net.eval_grades_exact(&exact_point(x));
        for m in 0..grades.len() {
            assert!((approx[m] - exact_sums[m].to_f64().unwrap()).abs() <= 1e-9);
            assert!((approx_grades[m] - exact_grades[m].to_f64().unwrap()).abs() <= 1e-9);
        }
    }
}

fn dyadic_point(dim: usize) -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec((0..=4096i32).prop_map(|k| f64::from(k) / 4096.0), dim)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn intervals_enclose_1d(
        grades in grades(1, 6),
        boxes in proptest::collection::vec(small_box(1), 1..6),
    ) {
        enclosure_case(&grades, &boxes);
    }

    #[test]
    fn intervals_enclose_2d(
        grades in grades(2, 5),
        boxes in proptest::collection::vec(small_box(2), 1..6),
    ) {
        enclosure_case(&grades, &boxes);
    }

    #[test]
    fn intervals_enclose_3d(
        grades in grades(3, 3),
        boxes in proptest::collection::vec(small_box(3), 1..4),
    ) {
        enclosure_case(&grades, &boxes);
    }

    #[test]
    fn f64_agrees_1d(
        grades in grades(1, 6),
        points in proptest::collection::vec(dyadic_point(1), 1..6),
    ) {
        f64_case(&grades, &points);
    }

    #[test]
    fn f64_agrees_2d(
        grades in grades(2, 5),
        points in proptest::collection::vec(dyadic_point(2), 1..6),
    ) {
        f64_case(&grades, &points);
    }

    #[test]
    fn f64_agrees_3d(
        grades in grades(3, 3),
        points in proptest::collection::vec(dyadic_point(3), 1..4),
    ) {
        f64_case(&grades, &points);
    }
}
