//! The compiled network evaluated over a box in the kernel's [`Form`] arithmetic (forward
//! mode), one generated layer at a time.
//!
//! # Soundness
//!
//! This path does not use the grades' compact descriptions at all (no interpolant, no grid
//! location, no nodal hull): it reads only the layers that [`grade_layers`] generates and the
//! readouts of [`readout`]. The forms it returns therefore enclose what the network itself
//! computes, so a compiler bug that changes the network's function is caught by the claims
//! that rest on these forms failing, not hidden behind a correct description.
//!
//! Each channel of each layer is a [`Form`] over the box. The inputs are `x_i` with centre
//! `c_i`, slope `e_i`, no remainder and range `[lo_i, hi_i]`. A linear map
//! `sum_j w_j z_j + b` combines forms term by term (centres, slopes and ranges in interval
//! arithmetic, remainders as an upward sum of `|w_j| rem_j`), which is exact algebra on the
//! defining inclusions. A relu reads the channel's enclosure `R` over the box: if `R >= 0`
//! it changes nothing (the range becomes `R`), if `R <= 0` the channel is the constant 0,
//! and otherwise, since relu is nondecreasing with slopes in `[0, 1]`,
//! `relu(v(x)) - relu(v(c)) = s (v(x) - v(c))` for some `s` in `[0, 1]`, so the centre and
//! range pass through relu, each slope becomes its hull with 0, and the remainder is kept.
//!
//! # The pre-threshold value
//!
//! Each grade's last hidden layer computes `relu(g - eps)` in channel `d` and
//! `relu(-g - eps)` in channel `d + 1`, and its readout is their difference, so
//! `q = S_eps(g)`. The evaluator checks that structure on the generated layer and readout
//! (channel `d + 1` reads the negated terms of channel `d`, both biases are `-eps` with the
//! grade's `eps`, the readout is `channel d - channel d+1`) and reports `g` itself, formed
//! from channel `d`'s terms without the bias: the network's own accumulator value, which the
//! checker's `delta` claim then bounds.

// Slopes are indexed by axis alongside the box's per-axis arrays.
#![allow(clippy::needless_range_loop)]

use inari::Interval;

use super::{grade_layers, readout, width, Layer, Network, Readout};
use crate::check::enclose::{point, BoxGeometry, Form};
use crate::grid::GradeSpec;

const ZERO: Interval = inari::const_interval!(0.0, 0.0);
const ONE: Interval = inari::const_interval!(1.0, 1.0);

/// The forms of one grade over a box, as the network computes them.
#[derive(Clone, Copy, Debug)]
pub struct GradeForm {
    /// The pre-threshold value `g` read from the grade's last hidden layer.
    pub interpolant: Form,
    /// The grade's readout `q = S_eps(g)`.
    pub output: Form,
    /// The threshold `eps` of the last layer (checked equal to the grade's).
    pub eps: f64,
}

/// Forward evaluation of a stacked network (grades `1..=K`) over boxes, with reused
/// buffers; see the module documentation.
#[derive(Clone, Debug)]
pub struct FormEvaluator<'a> {
    grades: &'a [GradeSpec],
    readouts: Vec<Readout>,
    layer: Layer,
    cur: Vec<Form>,
    next: Vec<Form>,
}

impl<'a> FormEvaluator<'a> {
    /// The evaluator of the network whose grade `m` is `grades[m - 1]`.
    pub fn new(grades: &'a [GradeSpec]) -> Self {
        let w = grades.first().map_or(0, |g| width(g.dim()));
        FormEvaluator {
            grades,
            readouts: grades.iter().map(readout).collect(),
            layer: Layer::default(),
            cur: Vec::with_capacity(w),
            next: Vec::with_capacity(w),
        }
    }

    /// The number of grades.
    pub fn grades(&self) -> usize {
        self.grades.len()
    }

    /// Writes into `out` the forms of every grade over `geom`, grade 1 first.
    ///
    /// # Errors
    ///
    /// A message naming the grade when the generated layers do not fit together (a row
    /// reads a channel that does not exist, or the dimensions differ) or a grade does not
    /// end in the soft-threshold structure described in the module documentation.
    pub fn eval(&mut self, geom: &BoxGeometry, out: &mut Vec<GradeForm>) -> Result<(), String> {
        out.clear();
        let d = geom.dim;
        self.cur.clear();
        for i in 0..d {
            let mut slope = [ZERO; crate::check::enclose::MAX_DIM];
            slope[i] = ONE;
            let range = Interval::try_from((geom.lo[i], geom.hi[i])).unwrap_or(Interval::ENTIRE);
            self.cur.push(Form {
                center: point(geom.center[i]),
                slope,
                rem: 0.0,
                range,
            });
        }
        for (m, spec) in self.grades.iter().enumerate() {
            let grade = m + 1;
            if spec.dim() != d {
                return Err(format!(
                    "grade {grade}: dimension {} on a {d}-box",
                    spec.dim()
                ));
            }
            let mut gen = grade_layers(spec, m == 0);
            let mut layers = 0usize;
            while gen.next_into(&mut self.layer) {
                self.next.clear();
                for (r, row) in self.layer.rows.iter().enumerate() {
                    let mut z = affine(&row.terms, row.bias, &self.cur, d)
                        .ok_or_else(|| format!("grade {grade}, layer {}, row {r}", layers + 1))?;
                    z.relu(geom);
                    self.next.push(z);
                }
                std::mem::swap(&mut self.cur, &mut self.next);
                layers += 1;
            }
            if layers == 0 {
                return Err(format!("grade {grade}: no layers"));
            }
            // `self.layer` is the grade's last hidden layer and `self.next` its input.
            let interpolant = threshold_input(&self.layer, spec.eps, d)
                .and_then(|terms| affine(terms, 0.0, &self.next, d))
                .ok_or_else(|| format!("grade {grade}: the last layer is not a soft threshold"))?;
            let last = &self.readouts[m];
            if last.terms != [(d, 1.0), (d + 1, -1.0)] || last.bias != 0.0 {
                return Err(format!(
                    "grade {grade}: the readout is not channel d - channel d+1"
                ));
            }
            let output = affine(&last.terms, last.bias, &self.cur, d)
                .ok_or_else(|| format!("grade {grade}: the readout reads a missing channel"))?;
            out.push(GradeForm {
                interpolant,
                output,
                eps: spec.eps,
            });
        }
        Ok(())
    }
}

/// The terms of channel `d` of a grade's last layer, when channels `d` and `d + 1` are
/// `relu(g - eps)` and `relu(-g - eps)` for one affine `g`.
fn threshold_input(layer: &Layer, eps: f64, d: usize) -> Option<&[(usize, f64)]> {
    let plus = layer.rows.get(d)?;
    let minus = layer.rows.get(d + 1)?;
    let negated = plus.terms.len() == minus.terms.len()
        && plus
            .terms
            .iter()
            .zip(&minus.terms)
            .all(|(a, b)| a.0 == b.0 && a.1 == -b.1);
    (negated && plus.bias == -eps && minus.bias == -eps).then_some(&plus.terms[..])
}

/// `sum_j w_j z_j + bias` over forms; `None` if a term reads a missing channel.
///
/// The bias is added last, after the terms, so that a threshold `g - eps` rounds as `g` and
/// then `g - eps`, as the compact description does.
fn affine(terms: &[(usize, f64)], bias: f64, input: &[Form], d: usize) -> Option<Form> {
    let mut z = Form::constant(ZERO);
    for &(j, w) in terms {
        z.add_scaled(input.get(j)?, w, d);
    }
    if bias != 0.0 {
        let b = point(bias);
        z.center += b;
        z.range += b;
    }
    Some(z)
}

impl Network<'_> {
    /// The forms of every grade's pre-threshold value and output over `geom`, from the
    /// generated layers alone (see [`FormEvaluator`]).
    ///
    /// # Errors
    ///
    /// As [`FormEvaluator::eval`].
    pub fn grade_forms(&self, geom: &BoxGeometry) -> Result<Vec<GradeForm>, String> {
        let mut out = Vec::with_capacity(self.grades().len());
        FormEvaluator::new(self.grades()).eval(geom, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use num_bigint::BigInt;
    use num_rational::BigRational;
    use proptest::prelude::*;

    use super::*;
    use crate::check::enclose::GradeView;
    use crate::grid::Grid;

    fn exact(x: f64) -> BigRational {
        BigRational::from_float(x).unwrap()
    }

    /// `x` lies in `iv`, compared exactly (an infinite end bounds nothing).
    fn contains(iv: Interval, x: &BigRational) -> bool {
        let below = iv.inf() == f64::NEG_INFINITY || exact(iv.inf()) <= *x;
        let above = iv.sup() == f64::INFINITY || exact(iv.sup()) >= *x;
        !iv.is_empty() && below && above
    }

    /// Checks the three inclusions a form promises at `x`, given the exact values at `x`
    /// and at the box's centre.
    fn assert_form_holds(
        form: &Form,
        geom: &BoxGeometry,
        x: &[BigRational],
        at_x: &BigRational,
        at_center: &BigRational,
        what: &str,
    ) {
        assert!(contains(form.center, at_center), "{what}: centre {form:?}");
        assert!(
            contains(form.range, at_x),
            "{what}: range {form:?} at {x:?}"
        );
        assert!(
            contains(form.enclosure(geom), at_x),
            "{what}: enclosure {form:?} at {x:?}"
        );
        let rem = exact(form.rem);
        let (mut lower, mut upper) = (-rem.clone(), rem);
        for i in 0..geom.dim {
            let s = form.slope[i];
            if !(s.inf().is_finite() && s.sup().is_finite()) {
                return;
            }
            let dx = &x[i] - exact(geom.center[i]);
            let (a, b) = (exact(s.inf()) * &dx, exact(s.sup()) * &dx);
            lower += a.clone().min(b.clone());
            upper += a.max(b);
        }
        let change = at_x - at_center;
        assert!(
            lower <= change && change <= upper,
            "{what}: slopes {form:?} at {x:?}"
        );
    }

    fn spec(dim: usize, n: u32, eps: f64, nodal: Vec<f64>) -> GradeSpec {
        GradeSpec {
            grid: Grid::new(dim, n),
            eps,
            nodal,
        }
    }

    /// A grade on an `n`-grid, `n <= max_n` (a power of two when `pow2`), with nodal values
    /// `k / 64` (zero about a third of the time) and `eps = k / 128`.
    fn grade(dim: usize, max_n: u32, pow2: bool) -> impl Strategy<Value = GradeSpec> {
        let sizes: Vec<u32> = (1..=max_n)
            .filter(|n| !pow2 || n.is_power_of_two())
            .collect();
        proptest::sample::select(sizes).prop_flat_map(move |n| {
            let count = (n as usize + 1).pow(dim as u32);
            let value = prop_oneof![
                1 => Just(0.0),
                2 => (-64..=64i32).prop_map(|k| f64::from(k) / 64.0)
            ];
            let nodal = proptest::collection::vec(value, count);
            (nodal, 1..=64i32).prop_map(move |(nodal, k)| spec(dim, n, f64::from(k) / 128.0, nodal))
        })
    }

    /// A box with dyadic ends (`k / 256`) and rational points inside it.
    fn boxed_points(dim: usize) -> impl Strategy<Value = (BoxGeometry, Vec<Vec<BigRational>>)> {
        let side = (0..=256i32, 0..=256i32);
        let fraction = (0..=97i64, 1..=97i64).prop_map(|(p, q)| (p.min(q), q));
        let point = proptest::collection::vec(fraction, dim);
        (
            proptest::collection::vec(side, dim),
            proptest::collection::vec(point, 1..5),
        )
            .prop_map(move |(sides, points)| {
                let lo: Vec<f64> = sides
                    .iter()
                    .map(|s| f64::from(s.0.min(s.1)) / 256.0)
                    .collect();
                let hi: Vec<f64> = sides
                    .iter()
                    .map(|s| f64::from(s.0.max(s.1)) / 256.0)
                    .collect();
                let geom = BoxGeometry::new(&lo, &hi).unwrap();
                let points = points
                    .iter()
                    .map(|p| {
                        (0..dim)
                            .map(|i| {
                                let t =
                                    BigRational::new(BigInt::from(p[i].0), BigInt::from(p[i].1));
                                exact(lo[i]) + exact(hi[i] - lo[i]) * t
                            })
                            .collect()
                    })
                    .collect();
                (geom, points)
            })
    }

    fn enclosure_case(grades: &[GradeSpec], geom: &BoxGeometry, points: &[Vec<BigRational>]) {
        let net = Network::new(grades);
        let forms = net.grade_forms(geom).unwrap();
        assert_eq!(forms.len(), grades.len());
        let c: Vec<BigRational> = (0..geom.dim).map(|i| exact(geom.center[i])).collect();
        let q_c = net.eval_grades_exact(&c);
        for x in points {
            let q_x = net.eval_grades_exact(x);
            for (m, spec) in grades.iter().enumerate() {
                let f = &forms[m];
                let what = format!("grade {}", m + 1);
                assert_form_holds(&f.output, geom, x, &q_x[m], &q_c[m], &what);
                let (g_x, g_c) = (spec.interpolant_exact(x), spec.interpolant_exact(&c));
                assert_form_holds(&f.interpolant, geom, x, &g_x, &g_c, &what);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn forms_enclose_the_network_1d(
            grades in proptest::collection::vec(grade(1, 8, false), 1..=3),
            (geom, points) in boxed_points(1),
        ) {
            enclosure_case(&grades, &geom, &points);
        }

        #[test]
        fn forms_enclose_the_network_2d(
            grades in proptest::collection::vec(grade(2, 5, false), 1..=2),
            (geom, points) in boxed_points(2),
        ) {
            enclosure_case(&grades, &geom, &points);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        #[test]
        fn forms_enclose_the_network_3d(
            grades in proptest::collection::vec(grade(3, 3, false), 1..=2),
            (geom, points) in boxed_points(3),
        ) {
            enclosure_case(&grades, &geom, &points);
        }
    }

    /// A box inside one Kuhn simplex of a cell of the `n`-grid: the cell-local sides are
    /// disjoint subintervals of `[0, 1]`, ordered by a random permutation of the axes.
    fn simplex_box(dim: usize, n: u32) -> impl Strategy<Value = BoxGeometry> {
        let cell = proptest::collection::vec(0..n, dim);
        let order = Just((0..dim).collect::<Vec<_>>()).prop_shuffle();
        let cuts = proptest::collection::vec(0..=64u32, 2 * dim);
        (cell, order, cuts).prop_map(move |(cell, order, mut cuts)| {
            cuts.sort_unstable();
            let (mut lo, mut hi) = (vec![0.0; dim], vec![0.0; dim]);
            // Axis `order[j]` gets the j-th largest piece.
            for (j, &axis) in order.iter().enumerate() {
                let k = 2 * (dim - 1 - j);
                let scale = 64.0 * f64::from(n);
                lo[axis] = (f64::from(cell[axis]) * 64.0 + f64::from(cuts[k])) / scale;
                hi[axis] = (f64::from(cell[axis]) * 64.0 + f64::from(cuts[k + 1])) / scale;
            }
            BoxGeometry::new(&lo, &hi).unwrap()
        })
    }

    fn width(iv: Interval) -> f64 {
        iv.sup() - iv.inf()
    }

    /// On a box inside one simplex of every grid, the network's enclosures of `g` and `q`
    /// are about as tight as the compact description's.
    fn closeness_case(grades: &[GradeSpec], geom: &BoxGeometry) {
        let forms = Network::new(grades).grade_forms(geom).unwrap();
        for (spec, net) in grades.iter().zip(&forms) {
            let (g, q) = GradeView::new(spec).unwrap().forms(geom);
            for (compact, network, what) in [(g, net.interpolant, "g"), (q, net.output, "q")] {
                let (a, b) = (compact.enclosure(geom), network.enclosure(geom));
                assert!(
                    width(b) <= 1.5 * width(a) + 1e-12,
                    "{what}: compact {a:?} network {b:?} on {geom:?}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn forms_are_close_to_compact_1d(
            (grades, geom) in (grade(1, 8, true), grade(1, 8, true)).prop_flat_map(|(a, b)| {
                let n = a.grid.n.max(b.grid.n);
                (Just(vec![a, b]), simplex_box(1, n))
            }),
        ) {
            closeness_case(&grades, &geom);
        }

        #[test]
        fn forms_are_close_to_compact_2d(
            (grades, geom) in grade(2, 4, true).prop_flat_map(|a| {
                let n = a.grid.n;
                (Just(vec![a]), simplex_box(2, n))
            }),
        ) {
            closeness_case(&grades, &geom);
        }

        #[test]
        fn forms_are_close_to_compact_3d(
            (grades, geom) in grade(3, 2, true).prop_flat_map(|a| {
                let n = a.grid.n;
                (Just(vec![a]), simplex_box(3, n))
            }),
        ) {
            closeness_case(&grades, &geom);
        }
    }

    #[test]
    fn a_last_layer_that_is_not_a_soft_threshold_is_refused() {
        let g = spec(1, 2, 0.25, vec![0.5, 0.0, -1.0]);
        let mut last = grade_layers(&g, true).last().unwrap();
        assert!(threshold_input(&last, 0.25, 1).is_some());
        assert!(threshold_input(&last, 0.125, 1).is_none());
        last.rows[2].terms[0].1 *= 2.0;
        assert!(threshold_input(&last, 0.25, 1).is_none());
    }

    #[test]
    fn one_cell_boxes_are_exact_in_one_dimension() {
        // Nodal values 0, 1, -1/2 on the 2-grid, eps = 1/8: on [1/8, 3/8] the interpolant
        // is 2x, in [1/4, 3/4], and the output 2x - 1/8; both forms are exact.
        let g = spec(1, 2, 0.125, vec![0.0, 1.0, -0.5]);
        let geom = BoxGeometry::new(&[0.125], &[0.375]).unwrap();
        let forms = Network::new(std::slice::from_ref(&g))
            .grade_forms(&geom)
            .unwrap();
        let (compact_g, compact_q) = GradeView::new(&g).unwrap().forms(&geom);
        assert_eq!(
            forms[0].interpolant.enclosure(&geom),
            compact_g.enclosure(&geom)
        );
        assert_eq!(forms[0].output.enclosure(&geom), compact_q.enclosure(&geom));
        assert_eq!(forms[0].interpolant.slope[0], point(2.0));
        assert_eq!(
            forms[0].output.enclosure(&geom),
            Interval::try_from((0.125, 0.625)).unwrap()
        );
    }
}
