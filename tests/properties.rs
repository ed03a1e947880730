//! Property tests of the trusted arithmetic and of whole certificates.
//!
//! - The interval forms of a grade over a box contain the exact values of its interpolant
//!   and output at every rational point of the box, both as enclosures and through the
//!   form relation `v(x) in center + sum_i slope_i (x_i - c_i) + [-rem, rem]`.
//! - The residual forms of a target minus some grades do the same for `f - sum q_j`.
//! - Certificates that the prover writes for random continuous targets pass the checker,
//!   and their claims hold at random rational points when the network is evaluated exactly.
//!
//! Every comparison is exact: interval endpoints are `f64` values read as rationals.

mod common;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use inari::{Decoration, Interval};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use proptest::collection::vec;
use proptest::prelude::*;

use multigrade::cert::{Bounds, Certificate};
use multigrade::check::enclose::{residual_forms, target_form, BoxGeometry, Form, GradeView};
use multigrade::check::verify::decode_grade;
use multigrade::exact;
use multigrade::expr::{Scratch, Target};
use multigrade::grid::{GradeSpec, Grid};
use multigrade::network::Network;
use multigrade::prover::{prove, Config, ProveError, Stop};

// ---------------------------------------------------------------------------------------
// Exact intervals
// ---------------------------------------------------------------------------------------

/// A closed interval with exact rational ends; `None` is an infinite end.
#[derive(Clone, Debug)]
struct Span {
    lo: Option<BigRational>,
    hi: Option<BigRational>,
}

impl Span {
    /// The exact set an inari interval denotes (which must not be empty).
    fn of(x: Interval) -> Span {
        assert!(!x.is_empty(), "an empty enclosure");
        Span {
            lo: BigRational::from_float(x.inf()),
            hi: BigRational::from_float(x.sup()),
        }
    }

    fn point(v: BigRational) -> Span {
        Span {
            lo: Some(v.clone()),
            hi: Some(v),
        }
    }

    /// `[-r, r]` for `r >= 0` (unbounded for an infinite or NaN `r`).
    fn symmetric(r: f64) -> Span {
        match BigRational::from_float(r) {
            Some(r) => Span {
                lo: Some(-r.clone()),
                hi: Some(r),
            },
            None => Span { lo: None, hi: None },
        }
    }

    fn add(&self, other: &Span) -> Span {
        let sum = |a: &Option<BigRational>, b: &Option<BigRational>| match (a, b) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        Span {
            lo: sum(&self.lo, &other.lo),
            hi: sum(&self.hi, &other.hi),
        }
    }

    /// `{ s k : s in self }`.
    fn scale(&self, k: &BigRational) -> Span {
        if k.is_zero() {
            return Span::point(BigRational::zero());
        }
        let lo = self.lo.as_ref().map(|a| a * k);
        let hi = self.hi.as_ref().map(|b| b * k);
        if k.is_positive() {
            Span { lo, hi }
        } else {
            Span { lo: hi, hi: lo }
        }
    }

    fn meets(&self, other: &Span) -> bool {
        let below = |hi: &Option<BigRational>, lo: &Option<BigRational>| match (hi, lo) {
            (Some(h), Some(l)) => h < l,
            _ => false,
        };
        !below(&self.hi, &other.lo) && !below(&other.hi, &self.lo)
    }

    fn width(&self) -> Option<BigRational> {
        Some(self.hi.as_ref()? - self.lo.as_ref()?)
    }

    fn show(&self) -> String {
        let end = |e: &Option<BigRational>| e.as_ref().map_or("inf".into(), |r| f(r).to_string());
        format!("[{}, {}]", end(&self.lo), end(&self.hi))
    }
}

fn f(r: &BigRational) -> f64 {
    exact::to_f64_nearest(r)
}

fn rat(x: f64) -> BigRational {
    BigRational::from_float(x).expect("a finite f64")
}

fn ratio(p: u64, q: u64) -> BigRational {
    BigRational::new(BigInt::from(p), BigInt::from(q))
}

/// The largest `f64` not above `r` and the smallest not below it.
fn bracket(r: &BigRational) -> (f64, f64) {
    let near = f(r);
    let mut down = near;
    while rat(down) > *r {
        down = down.next_down();
    }
    let mut up = near;
    while rat(up) < *r {
        up = up.next_up();
    }
    (down, up)
}

/// The set that a form says the quantity takes at `x`:
/// `center + sum_i slope_i (x_i - c_i) + [-rem, rem]`.
fn form_at(form: &Form, geom: &BoxGeometry, x: &[BigRational]) -> Span {
    let mut span = Span::of(form.center).add(&Span::symmetric(form.rem));
    for (i, xi) in x.iter().enumerate() {
        let dx = xi - rat(geom.center[i]);
        span = span.add(&Span::of(form.slope[i]).scale(&dx));
    }
    span
}

/// Asserts that what a form states at `x`, both through its box enclosure and through its
/// relation, is consistent with the true value, known to lie in `truth`.
fn assert_form_holds(
    what: &str,
    form: &Form,
    geom: &BoxGeometry,
    x: &[BigRational],
    truth: &Span,
) -> Result<(), TestCaseError> {
    let enclosure = Span::of(form.enclosure(geom));
    prop_assert!(
        enclosure.meets(truth),
        "{what}: enclosure {} misses the value {} at x = {:?}",
        enclosure.show(),
        truth.show(),
        x.iter().map(f).collect::<Vec<_>>()
    );
    let related = form_at(form, geom, x);
    prop_assert!(
        related.meets(truth),
        "{what}: form relation gives {} but the value is {} at x = {:?}",
        related.show(),
        truth.show(),
        x.iter().map(f).collect::<Vec<_>>()
    );
    Ok(())
}

/// An enclosure of `f(x)` at a rational point, from the decorated evaluation over the
/// tightest `f64` box around `x`; the evaluation must certify `f` defined there.
fn target_at(target: &Target, x: &[BigRational], scratch: &mut Scratch) -> Span {
    let around: Vec<Interval> = x
        .iter()
        .map(|xi| {
            let (lo, hi) = bracket(xi);
            Interval::try_from((lo, hi)).expect("a bracket is an interval")
        })
        .collect();
    let value = target.eval_dec(&around, scratch);
    assert!(
        matches!(value.decoration(), Decoration::Com | Decoration::Dac),
        "{} is not certified defined at {:?}",
        target.source(),
        x.iter().map(f).collect::<Vec<_>>()
    );
    Span::of(value.interval().expect("a defined value"))
}

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

/// A grade description in dimension `dim`: a grid of 1, 2, 4 or 8 intervals per axis,
/// nodal values `k/64` in `[-2, 2]` and `eps = k/128` in `(0, 1]`.
fn grade_spec(dim: usize) -> impl Strategy<Value = GradeSpec> {
    (0u32..=3, 1i32..=128).prop_flat_map(move |(log_n, eps)| {
        let n = 1u32 << log_n;
        let count = Grid::new(dim, n).vertex_count().expect("a small grid");
        vec(-128i32..=128, count).prop_map(move |nodal| GradeSpec {
            grid: Grid::new(dim, n),
            eps: f64::from(eps) / 128.0,
            nodal: nodal.into_iter().map(|k| f64::from(k) / 64.0).collect(),
        })
    })
}

/// A box inside the cube with endpoints on multiples of `2^-10`, from single points and
/// slivers that fit in one grid cell up to the whole cube.
fn dyadic_box(dim: usize) -> impl Strategy<Value = BoxGeometry> {
    let side = (0u32..=1024, prop_oneof![0u32..=4, 0u32..=64, 0u32..=1024]);
    vec(side, dim).prop_map(|sides| {
        let lo: Vec<f64> = sides.iter().map(|(a, _)| f64::from(*a) / 1024.0).collect();
        let hi: Vec<f64> = sides
            .iter()
            .map(|(a, w)| f64::from((a + w).min(1024)) / 1024.0)
            .collect();
        BoxGeometry::new(&lo, &hi).expect("a box in the cube")
    })
}

/// Fractions `t_i = p/q` in `[0, 1]` that place points inside a box.
fn offsets(dim: usize) -> impl Strategy<Value = Vec<Vec<BigRational>>> {
    let fraction = (0u64..=1000, 1u64..=1000).prop_map(|(p, q)| ratio(p % (q + 1), q));
    vec(vec(fraction, dim), 1..=4)
}

/// The point `lo + t (hi - lo)` of the box.
fn point_in(geom: &BoxGeometry, t: &[BigRational]) -> Vec<BigRational> {
    t.iter()
        .enumerate()
        .map(|(i, ti)| {
            let (lo, hi) = (rat(geom.lo[i]), rat(geom.hi[i]));
            &lo + ti * (hi - &lo)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// 1 and 2: forms contain exact values
// ---------------------------------------------------------------------------------------

fn grade_case() -> impl Strategy<Value = (GradeSpec, BoxGeometry, Vec<Vec<BigRational>>)> {
    (1usize..=3).prop_flat_map(|d| (grade_spec(d), dyadic_box(d), offsets(d)))
}

type ResidualCase = (String, Vec<GradeSpec>, BoxGeometry, Vec<Vec<BigRational>>);

fn residual_case() -> impl Strategy<Value = ResidualCase> {
    (1usize..=3).prop_flat_map(|d| {
        (
            common::expression(d),
            vec(grade_spec(d), 1..=2),
            dyadic_box(d),
            offsets(d),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The interpolant and output forms of one grade over a box enclose `g(x)` and
    /// `q(x) = S_eps(g(x))`, computed exactly, at rational points of the box.
    #[test]
    fn grade_forms_contain_exact_values((spec, geom, ts) in grade_case()) {
        let view = GradeView::new(&spec).expect("a valid grade");
        let (g, q) = view.forms(&geom);
        for t in &ts {
            let x = point_in(&geom, t);
            let gx = spec.interpolant_exact(&x);
            let qx = spec.output_exact(&x);
            assert_form_holds("interpolant", &g, &geom, &x, &Span::point(gx))?;
            assert_form_holds("output", &q, &geom, &x, &Span::point(qx))?;
        }
    }

    /// For a target and one or two grades, every residual form over a box (`r_{n-1}`,
    /// `g_n`, `q_n`, `r_n`) is consistent with `f(x) - sum q_j(x)` at rational points of
    /// the box, `f(x)` being enclosed by a decorated point evaluation and the grades exact.
    #[test]
    fn residual_forms_contain_exact_values((source, specs, geom, ts) in residual_case()) {
        let d = geom.dim;
        let target = Target::parse(&source, d).expect("the generator writes valid targets");
        let views: Vec<GradeView> =
            specs.iter().map(|s| GradeView::new(s).expect("a valid grade")).collect();
        let mut scratch = target.scratch();
        let (form, decoration) = target_form(&target, &geom, &mut scratch);
        prop_assert!(
            matches!(decoration, Decoration::Com | Decoration::Dac),
            "{source} is continuous everywhere, yet decorated {decoration:?}"
        );
        let forms = residual_forms(&form, &views, &geom);
        let (last, earlier) = specs.split_last().expect("at least one grade");
        for t in &ts {
            let x = point_in(&geom, t);
            let fx = target_at(&target, &x, &mut scratch);
            assert_form_holds("target", &form, &geom, &x, &fx)?;
            let before: BigRational = earlier.iter().map(|s| s.output_exact(&x)).sum();
            let q = last.output_exact(&x);
            let previous = fx.add(&Span::point(-before));
            let residual = previous.add(&Span::point(-q.clone()));
            assert_form_holds("r_{n-1}", &forms.previous, &geom, &x, &previous)?;
            let g = Span::point(last.interpolant_exact(&x));
            assert_form_holds("g_n", &forms.interpolant, &geom, &x, &g)?;
            assert_form_holds("q_n", &forms.output, &geom, &x, &Span::point(q))?;
            assert_form_holds("r_n", &forms.residual, &geom, &x, &residual)?;
        }
    }
}

// ---------------------------------------------------------------------------------------
// 3: certificates for random targets
// ---------------------------------------------------------------------------------------

/// A small deterministic generator of rational points, seeded by proptest so that a
/// failing case replays exactly.
struct Points(u64);

impl Points {
    fn next_u64(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A rational in `[lo, hi]` with a denominator of at most 4096 before scaling.
    fn within(&mut self, lo: &BigRational, hi: &BigRational) -> BigRational {
        let q = 1 + self.next_u64() % 4096;
        let p = self.next_u64() % (q + 1);
        lo + ratio(p, q) * (hi - lo)
    }

    fn in_box(&mut self, lo: &[BigRational], hi: &[BigRational]) -> Vec<BigRational> {
        lo.iter().zip(hi).map(|(a, b)| self.within(a, b)).collect()
    }
}

fn parse_exact(text: &str) -> BigRational {
    exact::parse(text).unwrap_or_else(|e| panic!("certificate number {text:?}: {e}"))
}

/// `|v - F|` is at most `bound`, given only that `v` lies in `value`: checks
/// `|v~ - F| <= bound + w` for one `v~` in the enclosure of width `w`.
fn within_bound(value: &Span, approx: &BigRational, bound: &BigRational) -> bool {
    let w = value.width().expect("a bounded point enclosure");
    let v = value.lo.as_ref().expect("a bounded point enclosure");
    (v - approx).abs() <= bound + w
}

/// What one certificate claims about `r_n = f - F_n`, tested at rational points: the
/// residual never grows, stays within each stated sup bound `U_n`, reaches the stated
/// lower bound `L_n` at its stated point, and the witness box separates `|r_{n-1}|` from
/// `|r_n|`.
fn claims_hold_at_points(
    target: &Target,
    cert: &Certificate,
    seed: u64,
    count: usize,
) -> Result<(), TestCaseError> {
    let d = target.dim();
    let specs: Vec<GradeSpec> = cert
        .grades
        .iter()
        .map(|g| decode_grade(g, d).expect("a decodable grade"))
        .collect();
    let network = Network::new(&specs);
    let mut scratch = target.scratch();
    let sups: Vec<BigRational> = std::iter::once(&cert.initial)
        .chain(cert.grades.iter().map(|g| &g.bounds))
        .map(|b| parse_exact(&b.sup_upper))
        .collect();
    // F_0 = 0, then F_1..F_K from the network, exactly.
    let approximations = |x: &[BigRational]| {
        let mut all = vec![BigRational::zero()];
        if !specs.is_empty() {
            all.extend(network.eval_exact(x));
        }
        all
    };

    let zero = vec![BigRational::zero(); d];
    let one = vec![BigRational::one(); d];
    let mut points = Points(seed);
    for _ in 0..count {
        let x = points.in_box(&zero, &one);
        let fx = target_at(target, &x, &mut scratch);
        let w = fx.width().expect("a bounded point enclosure");
        let v = fx.lo.clone().expect("a bounded point enclosure");
        let approx = approximations(&x);

        let mut sum = BigRational::zero();
        for (n, spec) in specs.iter().enumerate() {
            sum += spec.output_exact(&x);
            prop_assert_eq!(
                &approx[n + 1],
                &sum,
                "the network's F_{} differs from the grades' descriptions",
                n + 1
            );
        }
        for (n, sup) in sups.iter().enumerate() {
            prop_assert!(
                within_bound(&fx, &approx[n], sup),
                "|r_{n}(x)| exceeds U_{n} = {} at x = {:?}",
                f(sup),
                x.iter().map(f).collect::<Vec<_>>()
            );
            if n > 0 {
                let now = (&v - &approx[n]).abs();
                let before = (&v - &approx[n - 1]).abs();
                prop_assert!(
                    now <= &before + &w + &w,
                    "|r_{n}| = {} exceeds |r_{}| = {} at x = {:?}",
                    f(&now),
                    n - 1,
                    f(&before),
                    x.iter().map(f).collect::<Vec<_>>()
                );
            }
        }
    }

    let bounds: Vec<&Bounds> = std::iter::once(&cert.initial)
        .chain(cert.grades.iter().map(|g| &g.bounds))
        .collect();
    for (n, b) in bounds.iter().enumerate() {
        let lower = parse_exact(&b.sup_lower);
        let upper = &sups[n];
        prop_assert!(lower <= *upper, "L_{n} > U_{n}");
        let x: Vec<BigRational> = b.sup_lower_point.iter().map(|c| parse_exact(c)).collect();
        let fx = target_at(target, &x, &mut scratch);
        let fn_x = &approximations(&x)[n];
        let ends = [fx.lo.clone(), fx.hi.clone()].map(|e| (e.expect("bounded") - fn_x).abs());
        let largest = ends.iter().max().expect("two ends");
        prop_assert!(
            *largest >= lower,
            "|r_{n}| at the stated point is at most {}, below L_{n} = {}",
            f(largest),
            f(&lower)
        );
        for lp in &b.lp {
            let (lo, hi) = (parse_exact(&lp.lower), parse_exact(&lp.upper));
            prop_assert!(lo <= hi, "an empty L^{} enclosure in grade {n}", lp.p);
            // On the unit cube every L^p norm is at most the sup norm.
            prop_assert!(lo <= *upper, "L^{} lower bound above U_{n}", lp.p);
        }
    }

    for (i, grade) in cert.grades.iter().enumerate() {
        let n = i + 1;
        let lo: Vec<BigRational> = grade.witness.iter().map(|[a, _]| parse_exact(a)).collect();
        let hi: Vec<BigRational> = grade.witness.iter().map(|[_, b]| parse_exact(b)).collect();
        prop_assert_eq!(
            lo.len(),
            d,
            "the witness box of grade {} has the wrong dimension",
            n
        );
        for _ in 0..8 {
            let (x, y) = (points.in_box(&lo, &hi), points.in_box(&lo, &hi));
            let (fx, fy) = (
                target_at(target, &x, &mut scratch),
                target_at(target, &y, &mut scratch),
            );
            let before = (fx.lo.clone().expect("bounded") - &approximations(&x)[n - 1]).abs();
            let after = (fy.lo.clone().expect("bounded") - &approximations(&y)[n]).abs();
            let slack = fx.width().expect("bounded") + fy.width().expect("bounded");
            prop_assert!(
                after < &before + slack,
                "in the witness box of grade {n}, |r_{n}| = {} is not below |r_{}| = {}",
                f(&after),
                n - 1,
                f(&before)
            );
        }
    }
    Ok(())
}

/// Certifies two grades of `source` and tests the certificate both with the checker and
/// at random points. Targets that vanish identically have nothing to certify, and a run
/// cut short by its safety limits still leaves a partial certificate to test.
fn certify_and_test(source: &str, dim: usize, seed: u64) -> Result<(), TestCaseError> {
    let target = Target::parse(source, dim).expect("the generator writes valid targets");
    let config = Config {
        grades: Some(2),
        max_leaves: 300_000,
        time_limit: Some(Duration::from_secs(10)),
        ..Config::default()
    };
    let outcome = match prove(&target, &config, &AtomicBool::new(false), &mut |_| {}) {
        Ok(outcome) => outcome,
        Err(ProveError::Invalid(why)) if why.contains("vanishes") => {
            return Err(TestCaseError::reject("the target vanishes"));
        }
        Err(ProveError::Unfinished(Stop::Budget | Stop::TimeLimit, _)) => {
            return Err(TestCaseError::reject(
                "the target's own bounds are too costly",
            ));
        }
        Err(e) => return Err(TestCaseError::fail(format!("{source}: {e}"))),
    };
    let cert = &outcome.certificate;
    if outcome.stop == Stop::Grades {
        prop_assert_eq!(cert.grades.len(), 2);
    }
    if let Err(e) = multigrade::check::check(cert) {
        return Err(TestCaseError::fail(format!(
            "{source}: the checker rejects the prover's certificate: {e}"
        )));
    }
    claims_hold_at_points(&target, cert, seed, 200)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// One-dimensional targets: the prover's certificate passes the checker and its claims
    /// hold at 200 random rational points.
    #[test]
    fn certificates_hold_for_random_targets_1d(
        g in common::generated(1, 3).prop_filter("gentle", |g| g.lipschitz <= 16.0),
        seed in any::<u64>(),
    ) {
        certify_and_test(&g.text, 1, seed)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Two-dimensional targets: as in one dimension.
    #[test]
    fn certificates_hold_for_random_targets_2d(
        g in common::generated(2, 3).prop_filter("gentle", |g| g.lipschitz <= 12.0),
        seed in any::<u64>(),
    ) {
        certify_and_test(&g.text, 2, seed)?;
    }
}
