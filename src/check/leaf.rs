//! The facts that one leaf of a partition contributes to a grade's claims, and their fold
//! over the leaves in preorder. The prover and the checker both use exactly these
//! functions, so the bounds a certificate states are the ones the checker recomputes.

use inari::{Decoration, Interval};

use super::enclose::{
    lp_contribution, monotone_on, point, residual_forms, BoxGeometry, Exponent, Form, GradeView,
};

/// The most `L^p` exponents one certificate may carry.
pub const MAX_EXPONENTS: usize = 8;

/// What one box shows about grade `n` (grade 0 is the target alone).
#[derive(Clone, Copy, Debug)]
pub struct LeafFacts {
    /// The target's evaluation over the box is decorated `dac` or `com`.
    pub continuous: bool,
    /// `q_n(B) (r_n(B) + r_{n-1}(B)) >= 0`; true for grade 0.
    pub monotone: bool,
    /// An upper bound of `|g_n - r_{n-1}|` on the box; 0 for grade 0.
    pub delta: f64,
    /// An upper bound of `|r_n|` on the box.
    pub sup: f64,
    /// A lower bound of `|r_{n-1}|` on the box (for grade 0, of `|f|`).
    pub inf_previous: f64,
    /// A lower bound of `|r_n|` at the box's centre (used to search, never claimed).
    pub center: f64,
    /// The box's centre disproves a leaf claim outright: `|g_n - r_{n-1}|` there exceeds
    /// this lower bound, or monotonicity fails there (used to search, never claimed).
    pub delta_center: f64,
    pub monotone_refuted: bool,
    /// Lower and upper bounds of the integral of `|r_n|^p` over the box, per exponent.
    pub lp: [(f64, f64); MAX_EXPONENTS],
}

/// Evaluates one box for grade `grades.len()`, given the target's form on it.
pub fn leaf_facts(
    target: &Form,
    decoration: Decoration,
    grades: &[GradeView],
    exponents: &[Exponent],
    geom: &BoxGeometry,
) -> LeafFacts {
    let forms = residual_forms(target, grades, geom);
    let (monotone, delta, delta_center, monotone_refuted) = if grades.is_empty() {
        (true, 0.0, 0.0, false)
    } else {
        let miss = forms.interpolant.sub(&forms.previous);
        let q = forms.output.center;
        let refuted = (q * (forms.residual.center + forms.previous.center)).sup() < 0.0;
        (
            monotone_on(&forms, geom),
            miss.sup_abs(geom),
            miss.center.mig(),
            refuted,
        )
    };
    let mut lp = [(0.0, 0.0); MAX_EXPONENTS];
    for (slot, p) in lp.iter_mut().zip(exponents) {
        *slot = lp_contribution(&forms.residual, geom, p);
    }
    let center = forms.residual.center.mig();
    LeafFacts {
        continuous: matches!(decoration, Decoration::Dac | Decoration::Com),
        monotone,
        delta,
        sup: forms.residual.sup_abs(geom),
        inf_previous: forms.previous.inf_abs(geom),
        center: if center.is_nan() { 0.0 } else { center },
        delta_center: if delta_center.is_nan() {
            0.0
        } else {
            delta_center
        },
        monotone_refuted,
        lp,
    }
}

/// The fold of [`LeafFacts`] over a partition, in preorder.
#[derive(Clone, Debug)]
pub struct Tally {
    pub leaves: usize,
    pub sup: f64,
    pub delta: f64,
    lp_lower: [Interval; MAX_EXPONENTS],
    lp_upper: [Interval; MAX_EXPONENTS],
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            leaves: 0,
            sup: 0.0,
            delta: 0.0,
            lp_lower: [point(0.0); MAX_EXPONENTS],
            lp_upper: [point(0.0); MAX_EXPONENTS],
        }
    }
}

impl Tally {
    /// Adds one leaf. `max` keeps a NaN from hiding: a NaN bound becomes infinite.
    pub fn add(&mut self, facts: &LeafFacts) {
        self.leaves += 1;
        self.sup = nan_max(self.sup, facts.sup);
        self.delta = nan_max(self.delta, facts.delta);
        for (i, (lo, hi)) in facts.lp.iter().enumerate() {
            self.lp_lower[i] += point(*lo);
            self.lp_upper[i] += point(*hi);
        }
    }

    /// `lower <= ||r_n||_p <= upper` for each exponent, outward rounded.
    pub fn lp_bounds(&self, exponents: &[Exponent]) -> Vec<(f64, f64)> {
        exponents
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let lower = p.root(point(self.lp_lower[i].inf().max(0.0))).inf();
                let upper = p.root(point(self.lp_upper[i].sup())).sup();
                (
                    if lower.is_nan() { 0.0 } else { lower },
                    if upper.is_nan() { f64::INFINITY } else { upper },
                )
            })
            .collect()
    }
}

fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::INFINITY
    } else {
        a.max(b)
    }
}

/// `r_n` at a point (a degenerate box), as an interval; `None` outside the cube.
pub fn residual_at(
    target: &crate::expr::Target,
    grades: &[GradeView],
    x: &[f64],
) -> Option<(Interval, Decoration)> {
    let geom = BoxGeometry::at_point(x)?;
    let mut scratch = target.scratch();
    let (form, decoration) = super::enclose::target_form(target, &geom, &mut scratch);
    let forms = residual_forms(&form, grades, &geom);
    Some((forms.residual.center, decoration))
}

/// On a box, `inf |r_{n-1}|` and `sup |r_n|` for grade `n = grades.len() >= 1`, and the
/// decoration of the target there.
pub fn witness_margin(
    target: &crate::expr::Target,
    grades: &[GradeView],
    geom: &BoxGeometry,
) -> (f64, f64, Decoration) {
    let mut scratch = target.scratch();
    let (form, decoration) = super::enclose::target_form(target, geom, &mut scratch);
    let forms = residual_forms(&form, grades, geom);
    (
        forms.previous.inf_abs(geom),
        forms.residual.sup_abs(geom),
        decoration,
    )
}
