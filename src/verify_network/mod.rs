//! Certifying or refuting, grade by grade, the pointwise monotonicity of a multigrade
//! network given in the exchange format ([`crate::network::external`]), against a target.
//!
//! For grade `n` with residuals `r_0 = f` and `r_n = f - F_n`, the claim is
//! `|r_n(x)| <= |r_{n-1}(x)|` on `[0,1]^d`. The cube is bisected into dyadic boxes (the
//! partition rule of [`crate::check::boxes`]); on each box the target is enclosed by its
//! mean-value form ([`target_form`]) and every grade by the network's forms
//! ([`ExternalNetwork::grade_forms`]), and:
//!
//! - the box is **proved** when `q_n(B) (r_n(B) + r_{n-1}(B)) >= 0` ([`monotone_on`]),
//!   which is equivalent to the claim on the box since `r_{n-1} = r_n + q_n`;
//! - the box **fails whole** when `inf |r_n(B)| > sup |r_{n-1}(B)|`: its volume counts
//!   towards the lower bound of the failure region's measure;
//! - otherwise, until a violation is found, the box's centre `c` is tried: the violation
//!   `|r_n(c)| > |r_{n-1}(c)|` is **proven** from an enclosure `[a, b]` of `f(c)` and, when
//!   grades `1..=n` are relu (so `F_n` is piecewise affine), the exact rational values of
//!   `F_{n-1}(c)` and `F_n(c)`: with `q = F_n - F_{n-1}` the violation is
//!   `q (2 f - F_n - F_{n-1}) < 0`, affine in `f`, so it holds on `[a, b]` when it holds
//!   strictly at `a` and at `b`. For sin and tanh grades an interval evaluation at `c` must
//!   show `inf |r_n(c)| > sup |r_{n-1}(c)|`.
//!
//! A box that is neither proved nor failing whole is split while the budget allows, and is
//! otherwise left undecided. The failure region's measure then lies between the volume of
//! the whole failures and that plus the undecided volume. The sup bound `U_n` is the largest
//! `sup |r_n(B)|` over the leaves, which cover the cube. A leaf with
//! `inf |r_{n-1}(B)| > sup |r_n(B)|` witnesses, together with certified monotonicity, that
//! every `L^p` norm of the residual strictly decreases at grade `n`.
//!
//! Nothing here changes the checker: it uses the kernel's enclosures and boxes only.

use inari::{Decoration, Interval};
use num_rational::BigRational;
use num_traits::{Signed, Zero};

use crate::check::boxes::DyadicBox;
use crate::check::enclose::{monotone_on, target_form, BoxGeometry, GradeForms};
use crate::exact;
use crate::expr::{Scratch, Target};
use crate::network::external::ExternalNetwork;

/// The search budget.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The most boxes evaluated per grade.
    pub max_boxes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_boxes: 100_000 }
    }
}

/// A point where `|r_n| > |r_{n-1}|` is proven.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The point (a dyadic box centre, exact in `f64`).
    pub x: Vec<f64>,
    /// An enclosure of `|r_n(x)|`.
    pub residual: (f64, f64),
    /// An enclosure of `|r_{n-1}(x)|`.
    pub previous: (f64, f64),
    /// Whether `F_{n-1}(x)` and `F_n(x)` were evaluated exactly (relu grades).
    pub exact: bool,
}

/// The verdict on a grade's monotonicity.
#[derive(Clone, Debug, PartialEq)]
pub enum Monotone {
    /// Proved on every box of a partition of the cube.
    Certified,
    /// Proven false at a point.
    Refuted(Violation),
    /// Neither, within the budget.
    Undecided,
}

/// What was established for one grade.
#[derive(Clone, Debug)]
pub struct GradeReport {
    pub grade: usize,
    pub monotone: Monotone,
    /// A lower bound of the measure of `{x : |r_n(x)| > |r_{n-1}(x)|}`.
    pub failure_lower: f64,
    /// An upper bound of that measure.
    pub failure_upper: f64,
    /// `U_n >= sup |r_n|` on the cube.
    pub sup_upper: f64,
    /// A box on which `inf |r_{n-1}| > sup |r_n|`, as `(lo, hi)` corners.
    pub decay_witness: Option<(Vec<f64>, Vec<f64>)>,
    /// Boxes evaluated, and leaves left undecided.
    pub boxes: usize,
    pub undecided: usize,
}

impl GradeReport {
    /// Whether strict decay of every `L^p` norm follows: monotone and a witness box.
    pub fn strict_lp_decay(&self) -> bool {
        self.monotone == Monotone::Certified && self.decay_witness.is_some()
    }
}

/// Verifies every grade of `net` against `target`.
///
/// # Errors
///
/// A message when the target's dimension differs from the network's input dimension.
pub fn verify(
    net: &ExternalNetwork,
    target: &Target,
    options: &Options,
) -> Result<Vec<GradeReport>, String> {
    if target.dim() != net.input_dim {
        return Err(format!(
            "the target has dimension {} but the network reads {} inputs",
            target.dim(),
            net.input_dim
        ));
    }
    let mut scratch = target.scratch();
    Ok((1..=net.grades.len())
        .map(|n| verify_grade(net, target, n, options, &mut scratch))
        .collect())
}

/// The forms of `r_{n-1}`, `q_n` and `r_n` on a box, or `None` when the target is not
/// certified defined on the whole box.
fn box_forms(
    net: &ExternalNetwork,
    target: &Target,
    n: usize,
    geom: &BoxGeometry,
    scratch: &mut Scratch,
) -> Option<GradeForms> {
    let (f, decoration) = target_form(target, geom, scratch);
    if decoration < Decoration::Def {
        return None;
    }
    let q = net.grade_forms(geom, n);
    let mut previous = f;
    for form in &q[..n - 1] {
        previous = previous.sub(form);
    }
    let output = q[n - 1];
    Some(GradeForms {
        previous,
        interpolant: output,
        output,
        residual: previous.sub(&output),
    })
}

fn verify_grade(
    net: &ExternalNetwork,
    target: &Target,
    n: usize,
    options: &Options,
    scratch: &mut Scratch,
) -> GradeReport {
    let dim = net.input_dim;
    let mut report = GradeReport {
        grade: n,
        monotone: Monotone::Undecided,
        failure_lower: 0.0,
        failure_upper: 0.0,
        sup_upper: 0.0,
        decay_witness: None,
        boxes: 0,
        undecided: 0,
    };
    let mut violation: Option<Violation> = None;
    let mut whole_failure = Interval::try_from((0.0, 0.0)).expect("valid");
    let mut undecided_volume = whole_failure;
    let mut witness_margin = 0.0f64;
    let mut leaves: Vec<(DyadicBox, f64)> = Vec::new();
    let mut stack = vec![DyadicBox::root(dim)];
    while let Some(b) = stack.pop() {
        report.boxes += 1;
        let geom = BoxGeometry::from_dyadic(&b);
        let forms = box_forms(net, target, n, &geom, scratch);
        if let Some(forms) = &forms {
            let sup = forms.residual.sup_abs(&geom);
            let margin = forms.previous.inf_abs(&geom) - sup;
            if margin > witness_margin {
                witness_margin = margin;
                let (lo, hi) = b.bounds();
                report.decay_witness = Some((lo, hi));
            }
            if monotone_on(forms, &geom) {
                leaves.push((b, sup));
                continue;
            }
            if forms.residual.inf_abs(&geom) > forms.previous.sup_abs(&geom) {
                whole_failure += geom.volume();
                leaves.push((b, sup));
                if violation.is_none() {
                    violation = point_violation(net, target, n, &geom.center[..dim], scratch);
                }
                continue;
            }
        }
        if violation.is_none() {
            violation = point_violation(net, target, n, &geom.center[..dim], scratch);
        }
        if b.can_split() && report.boxes + stack.len() + 2 <= options.max_boxes {
            let (low, high) = b.children();
            stack.push(high);
            stack.push(low);
        } else {
            report.undecided += 1;
            undecided_volume += geom.volume();
            let sup = forms.map_or(f64::INFINITY, |f| f.residual.sup_abs(&geom));
            leaves.push((b, sup));
        }
    }
    let budget = (2 * report.boxes + 16).min(options.max_boxes.saturating_sub(report.boxes));
    let refined = refine_sup(net, target, n, leaves, budget, &mut report, scratch);
    report.sup_upper = refined.0;
    report.boxes += refined.1;
    report.failure_lower = whole_failure.inf().max(0.0);
    report.failure_upper = (whole_failure + undecided_volume).sup().min(1.0);
    report.monotone = match violation {
        Some(v) => Monotone::Refuted(v),
        None if report.undecided == 0 && whole_failure.sup() == 0.0 => Monotone::Certified,
        None => Monotone::Undecided,
    };
    if report.sup_upper.is_nan() {
        report.sup_upper = f64::INFINITY;
    }
    report
}

/// The sup bound `U_n` over a cover of the cube by `leaves` (each with its bound of
/// `sup |r_n|`), tightened by splitting the leaf of largest bound while `budget` boxes remain
/// and that bound exceeds the largest sampled `|r_n|` at box centres by more than 1 %. The
/// children found on the way are also tried as strict-decay witnesses. Returns the bound
/// and the number of boxes evaluated.
fn refine_sup(
    net: &ExternalNetwork,
    target: &Target,
    n: usize,
    leaves: Vec<(DyadicBox, f64)>,
    budget: usize,
    report: &mut GradeReport,
    scratch: &mut Scratch,
) -> (f64, usize) {
    use std::cmp::Ordering;
    use std::collections::BinaryHeap;

    /// A leaf ordered by its sup bound (NaN as infinite).
    struct Leaf(f64, DyadicBox);
    impl PartialEq for Leaf {
        fn eq(&self, other: &Self) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Leaf {}
    impl PartialOrd for Leaf {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Leaf {
        fn cmp(&self, other: &Self) -> Ordering {
            self.0.total_cmp(&other.0)
        }
    }
    let clean = |v: f64| if v.is_nan() { f64::INFINITY } else { v };
    let mut heap: BinaryHeap<Leaf> = leaves.into_iter().map(|(b, s)| Leaf(clean(s), b)).collect();
    let mut sampled = 0.0f64;
    let mut spent = 0usize;
    let mut witness_margin = 0.0f64;
    loop {
        let Some(top) = heap.peek() else {
            return (0.0, spent);
        };
        let need_witness = report.decay_witness.is_none();
        let close = top.0 <= sampled * 1.01;
        if spent + 2 > budget || !top.1.can_split() || (close && !need_witness) {
            return (top.0, spent);
        }
        let Leaf(_, b) = heap.pop().expect("peeked");
        let (low, high) = b.children();
        for child in [low, high] {
            spent += 1;
            let geom = BoxGeometry::from_dyadic(&child);
            let sup = match box_forms(net, target, n, &geom, scratch) {
                Some(forms) => {
                    let sup = forms.residual.sup_abs(&geom);
                    let margin = forms.previous.inf_abs(&geom) - sup;
                    if margin > witness_margin {
                        witness_margin = margin;
                        report.decay_witness = Some(child.bounds());
                    }
                    sup
                }
                None => f64::INFINITY,
            };
            let c = &geom.center[..geom.dim];
            let q = net.eval_grades_f64(c);
            let value = target.eval_f64(c) - q[..n].iter().sum::<f64>();
            if value.is_finite() {
                sampled = sampled.max(value.abs());
            }
            heap.push(Leaf(clean(sup), child));
        }
    }
}

/// The proven violation `|r_n(x)| > |r_{n-1}(x)|` at `x`, if it can be proven there; see
/// the module documentation.
pub fn point_violation(
    net: &ExternalNetwork,
    target: &Target,
    n: usize,
    x: &[f64],
    scratch: &mut Scratch,
) -> Option<Violation> {
    let xi: Vec<Interval> = x.iter().map(|&v| crate::check::enclose::point(v)).collect();
    let fx = target.eval_dec(&xi, scratch);
    if fx.decoration() < Decoration::Def {
        return None;
    }
    let f = fx.interval()?;
    if f.is_empty() || !f.inf().is_finite() || !f.sup().is_finite() {
        return None;
    }
    // A cheap interval evaluation first: it proves the violation for sin and tanh grades and
    // rules it out at most points of relu grades before any exact arithmetic.
    let q = net.eval_grades_interval(&xi);
    let before = q[..n - 1].iter().fold(f, |acc, v| acc - *v);
    let after = before - q[n - 1];
    let (rn, rp) = (after.abs(), before.abs());
    if !rn.is_empty() && !rp.is_empty() && rn.sup() <= rp.inf() {
        return None;
    }
    if !net.relu_up_to(n) {
        return (rn.inf() > rp.sup()).then(|| Violation {
            x: x.to_vec(),
            residual: (rn.inf(), rn.sup()),
            previous: (rp.inf(), rp.sup()),
            exact: false,
        });
    }
    let xr: Vec<BigRational> = x
        .iter()
        .map(|&v| exact::from_f64(v))
        .collect::<Option<_>>()?;
    let q = net.eval_grades_exact(&xr, n);
    let mut prev = BigRational::zero();
    for v in &q[..n - 1] {
        prev += v;
    }
    let now = &prev + &q[n - 1];
    let step = &q[n - 1];
    let ends = [exact::from_f64(f.inf())?, exact::from_f64(f.sup())?];
    let violated = ends.iter().all(|fe| {
        let two_f = fe + fe;
        (step * (two_f - &now - &prev)).is_negative()
    });
    if !violated {
        return None;
    }
    let abs_range = |value: &BigRational| {
        let a = (&ends[0] - value).abs();
        let b = (&ends[1] - value).abs();
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        // Between the ends the residual may cross zero only if the signs differ.
        let crosses = (&ends[0] - value).is_negative() != (&ends[1] - value).is_negative();
        let lo = if crosses { BigRational::zero() } else { lo };
        (exact::to_f64_nearest(&lo), exact::to_f64_nearest(&hi))
    };
    Some(Violation {
        x: x.to_vec(),
        residual: abs_range(&now),
        previous: abs_range(&prev),
        exact: true,
    })
}

/// The failure region's bounds as text, for reports.
pub fn describe(report: &GradeReport) -> String {
    let n = report.grade;
    let mut text = match &report.monotone {
        Monotone::Certified => format!("grade {n}: monotone: certified"),
        Monotone::Refuted(v) => {
            let x: Vec<String> = v.x.iter().map(|c| format!("{c}")).collect();
            format!(
                "grade {n}: refuted at x = ({}): |r_{n}(x)| in [{:.6e}, {:.6e}] > \
                 |r_{}(x)| in [{:.6e}, {:.6e}]{}",
                x.join(", "),
                v.residual.0,
                v.residual.1,
                n - 1,
                v.previous.0,
                v.previous.1,
                if v.exact {
                    " (network evaluated exactly)"
                } else {
                    ""
                }
            )
        }
        Monotone::Undecided => format!("grade {n}: monotone: undecided within the budget"),
    };
    if report.monotone != Monotone::Certified {
        text += &format!(
            "; failure measure in [{:.6e}, {:.6e}]",
            report.failure_lower, report.failure_upper
        );
    }
    text += &format!("; sup|r_{n}| <= {:.6e}", report.sup_upper);
    if report.strict_lp_decay() {
        text += "; strict L^p decay";
    }
    text += &format!(" ({} boxes, {} undecided)", report.boxes, report.undecided);
    text
}

#[cfg(test)]
mod tests;
