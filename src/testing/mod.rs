//! Property-testing support for code that builds or trains multigrade networks: proptest
//! strategies for targets and parameters ([`strategies`]), and checks that a multigrade
//! network has pointwise nonincreasing residuals on a target, with a proven counterexample
//! when it does not.
//!
//! ```no_run
//! use multigrade::testing::assert_nonincreasing_residuals;
//! # let specs: Vec<multigrade::grid::GradeSpec> = Vec::new();
//! assert_nonincreasing_residuals("sin(2*pi*x)", 1, &specs);
//! ```

pub mod strategies;

use std::fmt;

use num_rational::BigRational;

use crate::check::boxes::DyadicBox;
use crate::check::enclose::{point, target_form, BoxGeometry, GradeView};
use crate::check::leaf::leaf_facts;
use crate::exact;
use crate::expr::Target;
use crate::grid::GradeSpec;
use crate::network::Network;

/// How a monotonicity check ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Monotonicity {
    /// `|r_n| <= |r_{n-1}|` is proved on the whole cube for every grade, with this many
    /// boxes in all.
    Proved { boxes: usize },
    /// A point where `|r_n(x)| > |r_{n-1}(x)|` is proven: the network's values are exact and
    /// the target is enclosed in intervals at `x`.
    Refuted(Violation),
    /// Neither within the box budget (for instance a grade equal to the residual's
    /// threshold on a whole region, where the enclosures cannot decide).
    Undecided { grade: usize },
    /// The target is not certified defined and continuous on a box of the cube.
    BadTarget(String),
}

/// A proven violation of monotonicity.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub grade: usize,
    pub point: Vec<f64>,
    /// Bounds on `|r_{n-1}(x)|` (at most) and `|r_n(x)|` (at least), `previous < next`.
    pub previous: f64,
    pub next: f64,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "grade {}: at x = {:?}, |r_{}(x)| >= {:e} > {:e} >= |r_{}(x)|",
            self.grade,
            self.point,
            self.grade,
            self.next,
            self.previous,
            self.grade - 1
        )
    }
}

/// Proves or refutes `|r_n(x)| <= |r_{n-1}(x)|` on `[0,1]^d` for every grade of `grades`,
/// by bisection with the kernel's enclosures, using at most `max_boxes` boxes per grade.
pub fn check_monotone(target: &Target, grades: &[GradeSpec], max_boxes: usize) -> Monotonicity {
    let Some(views) = grades
        .iter()
        .map(GradeView::new)
        .collect::<Option<Vec<_>>>()
    else {
        return Monotonicity::BadTarget("a grade description is invalid".into());
    };
    let mut scratch = target.scratch();
    let mut total = 0;
    for n in 1..=grades.len() {
        let mut pending = vec![DyadicBox::root(target.dim())];
        let mut boxes = 0;
        while let Some(b) = pending.pop() {
            boxes += 1;
            if boxes > max_boxes {
                return Monotonicity::Undecided { grade: n };
            }
            let geom = BoxGeometry::from_dyadic(&b);
            let (form, decoration) = target_form(target, &geom, &mut scratch);
            let facts = leaf_facts(&form, decoration, &views[..n], &[], &geom);
            if facts.continuous && facts.monotone {
                continue;
            }
            if facts.continuous && facts.monotone_refuted {
                let x = geom.center[..geom.dim].to_vec();
                if let Some(violation) = proven_violation(target, &grades[..n], &x) {
                    return Monotonicity::Refuted(violation);
                }
            }
            if !b.can_split() {
                return if facts.continuous {
                    Monotonicity::Undecided { grade: n }
                } else {
                    Monotonicity::BadTarget(format!("{:?}", geom.intervals()))
                };
            }
            let (low, high) = b.children();
            pending.push(high);
            pending.push(low);
        }
        total += boxes;
    }
    Monotonicity::Proved { boxes: total }
}

/// `|r_n(x)| > |r_{n-1}(x)|` for the last grade, proven with exact network values and an
/// interval enclosure of the target at `x`.
fn proven_violation(target: &Target, grades: &[GradeSpec], x: &[f64]) -> Option<Violation> {
    let exact_x: Vec<BigRational> = x
        .iter()
        .map(|&c| exact::from_f64(c))
        .collect::<Option<_>>()?;
    let sums = Network::new(grades).eval_exact(&exact_x);
    let n = grades.len();
    let f = target.eval_dec(
        &x.iter().map(|&c| point(c)).collect::<Vec<_>>(),
        &mut target.scratch(),
    );
    let f = f.interval()?;
    let enclose = |v: Option<&BigRational>| {
        let v = v.map_or(0.0, exact::to_f64_nearest);
        // The f64 nearest to an exact value is within half an ulp: widen by one ulp.
        let wide = inari::Interval::try_from((v.next_down(), v.next_up())).ok()?;
        Some(f - wide)
    };
    let previous = enclose(if n >= 2 { sums.get(n - 2) } else { None })?.mag();
    let next = enclose(sums.get(n - 1))?.mig();
    (next > previous).then(|| Violation {
        grade: n,
        point: x.to_vec(),
        previous,
        next,
    })
}

/// Panics, naming the grade and a proven counterexample point, unless every grade of
/// `grades` has pointwise nonincreasing residuals on the target `source` over `[0,1]^dim`.
///
/// # Panics
///
/// On a refutation, an undecided grade (after a million boxes), a target that does not
/// parse, or one that is not certified continuous on the cube.
pub fn assert_nonincreasing_residuals(source: &str, dim: usize, grades: &[GradeSpec]) {
    let target = Target::parse(source, dim).unwrap_or_else(|e| panic!("target {source:?}: {e}"));
    match check_monotone(&target, grades, 1_000_000) {
        Monotonicity::Proved { .. } => {}
        Monotonicity::Refuted(v) => panic!("residuals of {source:?} increase: {v}"),
        Monotonicity::Undecided { grade } => {
            panic!("monotonicity of grade {grade} on {source:?} is undecided")
        }
        Monotonicity::BadTarget(why) => panic!("target {source:?} is not usable: {why}"),
    }
}
