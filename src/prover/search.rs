//! The partition search: bisect the cube until every leaf proves what a grade claims and
//! the bounds are as tight as asked.
//!
//! This is untrusted: it only decides where to split. Every number it reports comes from
//! the kernel's `leaf_facts` and `Tally`, folded in preorder exactly as the checker does.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use inari::Decoration;

use crate::check::boxes::{DyadicBox, PartitionTree};
use crate::check::enclose::{target_form, BoxGeometry, Exponent, Form, GradeView};
use crate::check::leaf::{leaf_facts, LeafFacts, Tally};
use crate::expr::Target;
use crate::parallel::map_chunks;

/// The target's form on boxes already evaluated. The target usually dominates the cost of a
/// box, and successive grades' partitions share most of their boxes.
pub struct TargetCache {
    forms: HashMap<DyadicBox, (Form, Decoration)>,
    limit: usize,
}

impl TargetCache {
    /// A cache that forgets everything once it holds `limit` boxes.
    pub fn new(limit: usize) -> Self {
        TargetCache {
            forms: HashMap::new(),
            limit,
        }
    }

    /// Evaluates the boxes not yet cached, on all cores.
    fn fill(&mut self, target: &Target, boxes: &[DyadicBox]) {
        let missing: Vec<DyadicBox> = boxes
            .iter()
            .filter(|b| !self.forms.contains_key(b))
            .copied()
            .collect();
        if self.forms.len() + missing.len() > self.limit {
            self.forms.clear();
        }
        let computed = map_chunks(&missing, |chunk| {
            let mut scratch = target.scratch();
            chunk
                .iter()
                .map(|b| target_form(target, &BoxGeometry::from_dyadic(b), &mut scratch))
                .collect()
        });
        self.forms.extend(missing.into_iter().zip(computed));
    }

    fn get(&self, b: &DyadicBox) -> (Form, Decoration) {
        self.forms[b]
    }
}

/// What a grade's partition must show, and how tight its bounds must be.
#[derive(Clone, Debug)]
pub struct Goal {
    /// Every leaf within this bound of `|g_n - r_{n-1}|` (grades >= 1).
    pub delta: Option<f64>,
    /// Aim for `U <= (1 + sup_accuracy) L`.
    pub sup_accuracy: f64,
    /// Aim for each `L^p` upper end within `(1 + lp_accuracy)` of its lower end.
    pub lp_accuracy: f64,
    /// Look for a strict-decay witness (grades >= 1).
    pub witness: bool,
    /// Give up past this many leaves.
    pub max_leaves: usize,
}

/// Why a search ended without a partition.
#[derive(Clone, Debug)]
pub enum SearchFailure {
    /// The target is not certified defined and continuous on this box, even at the
    /// finest allowed split.
    Discontinuous(DyadicBox),
    /// A leaf claim (monotonicity or the interpolation bound) fails on a box that
    /// cannot be split further.
    Stuck(&'static str, DyadicBox),
    /// More leaves than the budget allows.
    Budget(usize),
    /// The deadline passed or the run was interrupted.
    Stopped,
}

/// A finished partition with its fold.
pub struct Partition {
    pub tree: PartitionTree,
    pub tally: Tally,
    /// The leaf with the largest lower bound of `|r_n|` at its centre.
    pub best_center: DyadicBox,
    /// A leaf where `inf |r_{n-1}| > sup |r_n|`, if one was asked for.
    pub witness: Option<DyadicBox>,
    /// Boxes evaluated, internal nodes included.
    pub evaluated: usize,
}

/// Stops a search at a deadline or when a flag is raised (Ctrl-C).
pub struct StopSignal<'a> {
    pub deadline: Option<Instant>,
    pub interrupted: &'a AtomicBool,
}

impl StopSignal<'_> {
    pub fn stopped(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
            || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Bisects until every leaf satisfies the goal; see the module documentation. `on_round`
/// hears the number of leaves after each round of splits.
pub fn search(
    target: &Target,
    grades: &[GradeView],
    exponents: &[Exponent],
    goal: &Goal,
    cache: &mut TargetCache,
    stop: &StopSignal,
    on_round: &mut dyn FnMut(usize),
) -> Result<Partition, SearchFailure> {
    let dim = target.dim();
    let mut leaves: Vec<(DyadicBox, LeafFacts)> = Vec::new();
    let mut fresh = vec![DyadicBox::root(dim)];
    let mut evaluated = 0;

    loop {
        if stop.stopped() {
            return Err(SearchFailure::Stopped);
        }
        evaluated += fresh.len();
        cache.fill(target, &fresh);
        let cache_ref = &*cache;
        let facts = map_chunks(&fresh, |chunk| {
            chunk
                .iter()
                .map(|b| {
                    let (form, decoration) = cache_ref.get(b);
                    let geom = BoxGeometry::from_dyadic(b);
                    leaf_facts(&form, decoration, grades, exponents, &geom)
                })
                .collect()
        });
        leaves.extend(fresh.drain(..).zip(facts));
        on_round(leaves.len());

        refuse_undefined_centres(target, &leaves)?;
        let split = choose_splits(&leaves, exponents, goal)?;
        if split.is_empty() {
            break;
        }
        if leaves.len() + split.len() > goal.max_leaves {
            return Err(SearchFailure::Budget(leaves.len() + split.len()));
        }
        let mut keep = Vec::with_capacity(leaves.len() + split.len());
        let mut marks = split.into_iter().peekable();
        for (i, leaf) in leaves.into_iter().enumerate() {
            if marks.peek() == Some(&i) {
                marks.next();
                let (low, high) = leaf.0.children();
                fresh.push(low);
                fresh.push(high);
            } else {
                keep.push(leaf);
            }
        }
        leaves = keep;
    }
    Ok(finish(dim, leaves, goal, evaluated))
}

/// A box whose evaluation is not certified continuous is split, unless the target is not
/// even defined at its centre: then no split can help, and the box is refused at once.
fn refuse_undefined_centres(
    target: &Target,
    leaves: &[(DyadicBox, LeafFacts)],
) -> Result<(), SearchFailure> {
    let mut scratch = target.scratch();
    for (b, _) in leaves.iter().filter(|(_, f)| !f.continuous) {
        let geom = BoxGeometry::from_dyadic(b);
        let centre = target.eval_dec(&geom.center_intervals(), &mut scratch);
        if !matches!(centre.decoration(), Decoration::Dac | Decoration::Com) {
            return Err(SearchFailure::Discontinuous(*b));
        }
    }
    Ok(())
}

/// The leaves to split this round, in increasing order of position.
fn choose_splits(
    leaves: &[(DyadicBox, LeafFacts)],
    exponents: &[Exponent],
    goal: &Goal,
) -> Result<Vec<usize>, SearchFailure> {
    let mut marked = vec![false; leaves.len()];
    let lower = leaves.iter().map(|(_, f)| f.center).fold(0.0, f64::max);
    let sup_goal = lower * (1.0 + goal.sup_accuracy);

    for (i, (b, facts)) in leaves.iter().enumerate() {
        let splittable = b.can_split();
        if !facts.continuous {
            if !splittable {
                return Err(SearchFailure::Discontinuous(*b));
            }
            marked[i] = true;
            continue;
        }
        let stuck = |what| SearchFailure::Stuck(what, *b);
        if facts.monotone_refuted || goal.delta.is_some_and(|d| facts.delta_center > d) {
            let what = if facts.monotone_refuted {
                "monotonicity"
            } else {
                "interpolation bound"
            };
            return Err(stuck(what));
        }
        if !facts.monotone {
            if !splittable {
                return Err(stuck("monotonicity"));
            }
            marked[i] = true;
        }
        if goal.delta.is_some_and(|d| !(facts.delta <= d)) {
            if !splittable {
                return Err(stuck("interpolation bound"));
            }
            marked[i] = true;
        }
        if facts.sup > sup_goal && splittable {
            marked[i] = true;
        }
    }
    if marked.iter().any(|m| *m) {
        return Ok(positions(&marked));
    }

    // Tightness of the L^p enclosures: split the leaves with the widest gaps until their
    // gaps cover twice the excess (a split roughly halves a leaf's gap or better).
    for (k, p) in exponents.iter().enumerate() {
        let (sum_lo, sum_hi) = leaves
            .iter()
            .fold((0.0, 0.0), |(a, b), (_, f)| (a + f.lp[k].0, b + f.lp[k].1));
        let ratio = (1.0 + 0.9 * goal.lp_accuracy).powf(p.value.sup());
        let excess = sum_hi - ratio * sum_lo;
        if excess <= 0.0 {
            continue;
        }
        let mut order: Vec<usize> = (0..leaves.len())
            .filter(|&i| leaves[i].0.can_split())
            .collect();
        order.sort_by(|&a, &b| {
            let gap = |i: usize| leaves[i].1.lp[k].1 - leaves[i].1.lp[k].0;
            gap(b).total_cmp(&gap(a))
        });
        let mut covered = 0.0;
        for i in order {
            if covered >= 2.0 * excess {
                break;
            }
            covered += leaves[i].1.lp[k].1 - leaves[i].1.lp[k].0;
            marked[i] = true;
        }
    }
    if marked.iter().any(|m| *m) {
        return Ok(positions(&marked));
    }

    if goal.witness && !leaves.iter().any(|(_, f)| f.inf_previous > f.sup) {
        let best = (0..leaves.len())
            .filter(|&i| leaves[i].0.can_split())
            .max_by(|&a, &b| {
                let margin = |i: usize| leaves[i].1.inf_previous - leaves[i].1.sup;
                margin(a).total_cmp(&margin(b))
            });
        if let Some(i) = best {
            marked[i] = true;
        }
    }
    Ok(positions(&marked))
}

fn positions(marked: &[bool]) -> Vec<usize> {
    marked
        .iter()
        .enumerate()
        .filter(|(_, m)| **m)
        .map(|(i, _)| i)
        .collect()
}

/// Orders the leaves in preorder, writes the tree's bits, and folds the facts.
fn finish(
    dim: usize,
    leaves: Vec<(DyadicBox, LeafFacts)>,
    goal: &Goal,
    evaluated: usize,
) -> Partition {
    let facts: HashMap<DyadicBox, LeafFacts> = leaves.into_iter().collect();
    let mut bits = Vec::with_capacity(2 * facts.len());
    let mut tally = Tally::default();
    let mut best_center = (DyadicBox::root(dim), -1.0);
    let mut witness: Option<(DyadicBox, f64)> = None;

    let mut stack = vec![DyadicBox::root(dim)];
    while let Some(node) = stack.pop() {
        match facts.get(&node) {
            Some(f) => {
                bits.push(false);
                tally.add(f);
                if f.center > best_center.1 {
                    best_center = (node, f.center);
                }
                // Prefer the witness that removes the most L^1 mass: volume times margin.
                let margin = f.inf_previous - f.sup;
                if goal.witness && margin > 0.0 {
                    let score = margin * (-(node.depth as f64)).exp2();
                    if witness.is_none_or(|(_, s)| score > s) {
                        witness = Some((node, score));
                    }
                }
            }
            None => {
                bits.push(true);
                let (low, high) = node.children();
                stack.push(high);
                stack.push(low);
            }
        }
    }
    Partition {
        tree: PartitionTree { bits },
        tally,
        best_center: best_center.0,
        witness: witness.map(|w| w.0),
        evaluated,
    }
}
