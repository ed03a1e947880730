//! The facts that one leaf of a partition contributes to a grade's claims, and their fold
//! over the leaves in preorder. The prover and the checker both use exactly these
//! functions, so the bounds a certificate states are the ones the checker recomputes.
//!
//! Every claim is computed from the [`GradeForms`] of a box ([`facts_of`]); where the
//! grades' forms come from is a [`GradeSource`]: the compact descriptions (the default, and
//! what the prover uses) or the compiled network's layers.

use inari::{Decoration, Interval};

use super::enclose::{
    fold_residuals, lp_contribution, monotone_on, point, residual_forms, target_form, BoxGeometry,
    Exponent, Form, GradeForms, GradeView,
};
use crate::expr::{Scratch, Target};
use crate::grid::GradeSpec;
use crate::network::{FormEvaluator, GradeForm};

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

impl LeafFacts {
    /// Makes `self` the facts of the union of its box and `other`'s (boxes with disjoint
    /// interiors): the claimed properties must hold on both (continuity on each of finitely
    /// many closed pieces gives continuity on their union), the upper bounds take their
    /// maximum, the lower bound its minimum and the integrals their outward-rounded sums.
    /// The search-only fields keep `self`'s values.
    pub fn join(&mut self, other: &LeafFacts) {
        self.continuous &= other.continuous;
        self.monotone &= other.monotone;
        self.delta = nan_max(self.delta, other.delta);
        self.sup = nan_max(self.sup, other.sup);
        self.inf_previous = nan_min(self.inf_previous, other.inf_previous);
        for (mine, theirs) in self.lp.iter_mut().zip(&other.lp) {
            mine.0 = (point(mine.0) + point(theirs.0)).inf();
            mine.1 = (point(mine.1) + point(theirs.1)).sup();
        }
    }
}

/// Evaluates one box for grade `grades.len()`, given the target's form on it, with the
/// grades' compact descriptions.
pub fn leaf_facts(
    target: &Form,
    decoration: Decoration,
    grades: &[GradeView],
    exponents: &[Exponent],
    geom: &BoxGeometry,
) -> LeafFacts {
    let forms = residual_forms(target, grades, geom);
    facts_of(&forms, !grades.is_empty(), decoration, exponents, geom)
}

/// The residual forms from the network's grade forms, folded exactly as the compact ones
/// are ([`FormEvaluator`] checks the `q_k = S_eps(g_k)` structure that the fold relies on).
pub fn fold_grades(target: &Form, grades: &[GradeForm], geom: &BoxGeometry) -> GradeForms {
    let forms = grades.iter().map(|g| (g.interpolant, g.output, g.eps));
    fold_residuals(target, forms, geom)
}

/// Where the grades' forms over a box come from. Both sources feed the same claim checks
/// ([`facts_of`]); they differ only in what is trusted to describe the grades.
pub enum GradeSource<'a> {
    /// The compact descriptions, through [`GradeView::forms`]: the interpolant's pieces and
    /// the soft threshold applied to them. Trusts that the compiled network realises the
    /// descriptions.
    Compact(&'a [GradeView<'a>]),
    /// The compiled network, layer by layer ([`FormEvaluator`]): each grade's output and
    /// its pre-threshold value `g` (for the `delta` claim) are read from the generated
    /// layers, so the compiler is not trusted.
    ///
    /// Forward evaluation cannot see that the hats of a grade sum to one, so over a box
    /// that a grid line crosses it encloses the interpolant by the hull of the slopes of
    /// each hat separately, which is far looser than the compact description's hull of the
    /// pieces. Every box is therefore cut along the lines of the finest grid (`cells`
    /// intervals per axis, a power of two, so the coarser grids' lines are among them) and
    /// its facts are joined over the pieces ([`LeafFacts::join`]); in one dimension every
    /// relu of the hats then has a fixed sign on each piece, and the forms match the compact
    /// ones up to rounding. The cuts are a fixed
    /// function of the certificate and any subdivision is sound: they only affect
    /// tightness. The pieces of a partition are the intersections of its leaves with the
    /// grid's cells (two dyadic boxes are nested or disjoint), so there are at most as many
    /// as leaves plus cells.
    Network {
        evaluator: FormEvaluator<'a>,
        buffer: Vec<GradeForm>,
        cells: u32,
    },
}

impl<'a> GradeSource<'a> {
    /// The network of `grades`, evaluated from its layers.
    pub fn network(grades: &'a [GradeSpec]) -> Self {
        GradeSource::Network {
            evaluator: FormEvaluator::new(grades),
            buffer: Vec::with_capacity(grades.len()),
            cells: grades.iter().map(|g| g.grid.n).max().unwrap_or(1),
        }
    }

    /// The number of grades `n`.
    pub fn grades(&self) -> usize {
        match self {
            GradeSource::Compact(views) => views.len(),
            GradeSource::Network { evaluator, .. } => evaluator.grades(),
        }
    }

    /// The residual forms on one box (never cut), given the target's form there.
    ///
    /// # Errors
    ///
    /// The network's layers do not evaluate (see [`FormEvaluator::eval`]).
    pub fn forms(&mut self, target: &Form, geom: &BoxGeometry) -> Result<GradeForms, String> {
        match self {
            GradeSource::Compact(views) => Ok(residual_forms(target, views, geom)),
            GradeSource::Network {
                evaluator, buffer, ..
            } => {
                evaluator.eval(geom, buffer)?;
                Ok(fold_grades(target, buffer, geom))
            }
        }
    }

    /// The facts of one leaf for grade `n`, and the target's decoration there (the worst
    /// over the pieces).
    ///
    /// # Errors
    ///
    /// As [`GradeSource::forms`].
    pub fn leaf_facts(
        &mut self,
        target: &Target,
        scratch: &mut Scratch,
        exponents: &[Exponent],
        geom: &BoxGeometry,
    ) -> Result<(LeafFacts, Decoration), String> {
        let graded = self.grades() > 0;
        let mut joined: Option<(LeafFacts, Decoration)> = None;
        self.each_piece(geom, |source, piece| {
            let (form, decoration) = target_form(target, piece, scratch);
            let forms = source.forms(&form, piece)?;
            let facts = facts_of(&forms, graded, decoration, exponents, piece);
            joined = Some(match joined {
                None => (facts, decoration),
                Some((mut all, worst)) => {
                    all.join(&facts);
                    (all, worst.min(decoration))
                }
            });
            Ok(())
        })?;
        joined.ok_or_else(|| "a box with no pieces".to_string())
    }

    /// [`residual_at`] from this source; `Ok(None)` outside the cube.
    ///
    /// # Errors
    ///
    /// As [`GradeSource::forms`].
    pub fn residual_at(
        &mut self,
        target: &Target,
        x: &[f64],
    ) -> Result<Option<(Interval, Decoration)>, String> {
        let Some(geom) = BoxGeometry::at_point(x) else {
            return Ok(None);
        };
        let mut scratch = target.scratch();
        let (form, decoration) = target_form(target, &geom, &mut scratch);
        let forms = self.forms(&form, &geom)?;
        Ok(Some((forms.residual.center, decoration)))
    }

    /// [`witness_margin`] from this source (joined over the pieces as for a leaf).
    ///
    /// # Errors
    ///
    /// As [`GradeSource::forms`].
    pub fn witness_margin(
        &mut self,
        target: &Target,
        geom: &BoxGeometry,
    ) -> Result<(f64, f64, Decoration), String> {
        let mut scratch = target.scratch();
        let mut margin = (f64::INFINITY, 0.0, Decoration::Com);
        self.each_piece(geom, |source, piece| {
            let (form, decoration) = target_form(target, piece, &mut scratch);
            let forms = source.forms(&form, piece)?;
            margin = (
                nan_min(margin.0, forms.previous.inf_abs(piece)),
                nan_max(margin.1, forms.residual.sup_abs(piece)),
                margin.2.min(decoration),
            );
            Ok(())
        })?;
        Ok(margin)
    }

    /// Calls `f` on `geom` itself (compact source) or on each piece of `geom` cut by the
    /// finest grid (network source), in order.
    fn each_piece(
        &mut self,
        geom: &BoxGeometry,
        mut f: impl FnMut(&mut Self, &BoxGeometry) -> Result<(), String>,
    ) -> Result<(), String> {
        let cells = match self {
            GradeSource::Compact(_) => return f(self, geom),
            GradeSource::Network { cells, .. } => f64::from(*cells),
        };
        let d = geom.dim;
        // The cut points strictly inside each side; `k / cells` is exact (a power of two).
        let mut cuts: Vec<Vec<f64>> = Vec::with_capacity(d);
        for i in 0..d {
            let (lo, hi) = (geom.lo[i], geom.hi[i]);
            let first = (lo * cells).floor() as u64 + 1;
            let side: Vec<f64> = (first..)
                .map(|k| k as f64 / cells)
                .take_while(|&x| x < hi)
                .collect();
            let mut points = Vec::with_capacity(side.len() + 2);
            points.push(lo);
            points.extend(side);
            points.push(hi);
            cuts.push(points);
        }
        // Walk every piece, axis 0 fastest.
        let mut at = vec![0usize; d];
        let (mut lo, mut hi) = (vec![0.0; d], vec![0.0; d]);
        loop {
            for i in 0..d {
                lo[i] = cuts[i][at[i]];
                hi[i] = cuts[i][at[i] + 1];
            }
            let piece = BoxGeometry::new(&lo, &hi).ok_or("a piece outside the cube")?;
            f(self, &piece)?;
            let mut axis = 0;
            loop {
                if axis == d {
                    return Ok(());
                }
                at[axis] += 1;
                if at[axis] + 1 < cuts[axis].len() {
                    break;
                }
                at[axis] = 0;
                axis += 1;
            }
        }
    }
}

/// Evaluates one box from its residual forms; `graded` is false for grade 0 (the target
/// alone), whose `forms` carry no grade.
pub fn facts_of(
    forms: &GradeForms,
    graded: bool,
    decoration: Decoration,
    exponents: &[Exponent],
    geom: &BoxGeometry,
) -> LeafFacts {
    let (monotone, delta, delta_center, monotone_refuted) = if !graded {
        (true, 0.0, 0.0, false)
    } else {
        let miss = forms.interpolant.sub(&forms.previous);
        let q = forms.output.center;
        let refuted = (q * (forms.residual.center + forms.previous.center)).sup() < 0.0;
        (
            monotone_on(forms, geom),
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

/// `min` for lower bounds: a NaN bound becomes 0.
fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        0.0
    } else {
        a.min(b)
    }
}

/// `r_n` at a point (a degenerate box), as an interval; `None` outside the cube.
pub fn residual_at(
    target: &Target,
    grades: &[GradeView],
    x: &[f64],
) -> Option<(Interval, Decoration)> {
    // The compact source cannot fail.
    GradeSource::Compact(grades)
        .residual_at(target, x)
        .unwrap_or(None)
}

/// On a box, `inf |r_{n-1}|` and `sup |r_n|` for grade `n = grades.len() >= 1`, and the
/// decoration of the target there.
pub fn witness_margin(
    target: &Target,
    grades: &[GradeView],
    geom: &BoxGeometry,
) -> (f64, f64, Decoration) {
    // The compact source cannot fail; the fallback proves nothing.
    GradeSource::Compact(grades)
        .witness_margin(target, geom)
        .unwrap_or((0.0, f64::INFINITY, Decoration::Ill))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;

    fn pieces(source: &mut GradeSource, lo: &[f64], hi: &[f64]) -> Vec<(Vec<f64>, Vec<f64>)> {
        let geom = BoxGeometry::new(lo, hi).unwrap();
        let mut out = Vec::new();
        source
            .each_piece(&geom, |_, p| {
                out.push((p.lo[..p.dim].to_vec(), p.hi[..p.dim].to_vec()));
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn network_boxes_are_cut_along_the_finest_grid() {
        let coarse = GradeSpec {
            grid: Grid::new(2, 2),
            eps: 0.25,
            nodal: vec![0.5; 9],
        };
        let fine = GradeSpec {
            grid: Grid::new(2, 4),
            eps: 0.125,
            nodal: vec![0.0; 25],
        };
        let grades = [coarse, fine];
        let mut network = GradeSource::network(&grades);
        let whole = pieces(&mut network, &[0.0, 0.25], &[0.5, 0.5]);
        assert_eq!(
            whole,
            vec![
                (vec![0.0, 0.25], vec![0.25, 0.5]),
                (vec![0.25, 0.25], vec![0.5, 0.5]),
            ]
        );
        let inside = pieces(&mut network, &[0.25, 0.5], &[0.375, 0.75]);
        assert_eq!(inside, vec![(vec![0.25, 0.5], vec![0.375, 0.75])]);
        assert_eq!(pieces(&mut network, &[0.0, 0.0], &[1.0, 1.0]).len(), 16);

        let views: Vec<GradeView> = grades.iter().map(|g| GradeView::new(g).unwrap()).collect();
        let mut compact = GradeSource::Compact(&views);
        assert_eq!(pieces(&mut compact, &[0.0, 0.0], &[1.0, 1.0]).len(), 1);
    }

    /// `fold_grades` must fold exactly as `residual_forms` does, so that both sources differ
    /// only in the grades' forms.
    #[test]
    fn folding_given_forms_matches_the_compact_fold() {
        let grades = [
            GradeSpec {
                grid: Grid::new(1, 4),
                eps: 0.25,
                nodal: vec![0.0, 1.0, -0.5, 0.5, 2.0],
            },
            GradeSpec {
                grid: Grid::new(1, 8),
                eps: 0.0625,
                nodal: (0..9).map(|k| f64::from(k % 3) / 8.0 - 0.125).collect(),
            },
        ];
        let views: Vec<GradeView> = grades.iter().map(|g| GradeView::new(g).unwrap()).collect();
        let target = Target::parse("sin(5*x) - x/3", 1).unwrap();
        let mut scratch = target.scratch();
        for k in 0..64 {
            let (lo, hi) = (f64::from(k) / 64.0, f64::from(k * 3 % 64 + 1) / 64.0);
            let geom = BoxGeometry::new(&[lo.min(hi)], &[lo.max(hi)]).unwrap();
            let (f, _) = target_form(&target, &geom, &mut scratch);
            for n in 0..=2 {
                let given: Vec<GradeForm> = views[..n]
                    .iter()
                    .map(|v| {
                        let (interpolant, output) = v.forms(&geom);
                        GradeForm {
                            interpolant,
                            output,
                            eps: v.spec.eps,
                        }
                    })
                    .collect();
                let a = residual_forms(&f, &views[..n], &geom);
                let b = fold_grades(&f, &given, &geom);
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{n} grades on {geom:?}");
            }
        }
    }

    #[test]
    fn joined_facts_keep_the_weakest_bounds_and_add_the_integrals() {
        let part = |sup: f64, inf: f64, lp: f64, monotone: bool| LeafFacts {
            continuous: true,
            monotone,
            delta: sup / 2.0,
            sup,
            inf_previous: inf,
            center: 0.0,
            delta_center: 0.0,
            monotone_refuted: false,
            lp: [(lp, 2.0 * lp); MAX_EXPONENTS],
        };
        let mut joined = part(1.0, 0.5, 0.25, true);
        joined.join(&part(2.0, 0.25, 0.5, false));
        assert!(!joined.monotone && joined.continuous);
        assert_eq!(
            (joined.sup, joined.delta, joined.inf_previous),
            (2.0, 1.0, 0.25)
        );
        assert_eq!(joined.lp[0], (0.75, 1.5));
        joined.join(&part(f64::NAN, f64::NAN, 0.0, true));
        assert_eq!((joined.sup, joined.inf_previous), (f64::INFINITY, 0.0));
    }
}
