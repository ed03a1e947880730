//! The prover: builds grade after grade with the balanced contraction operator and finds the
//! partitions that prove each grade's claims. Untrusted: whatever it states, the checker
//! (`crate::check`) re-proves from the certificate alone.
//!
//! For grade `n`, with `M = U_{n-1}` the certified sup bound of the residual so far:
//! `eps = theta M` (rounded down to an `f64`), the grid is the coarsest power of two whose
//! interpolant of `r_{n-1}` stays within `kappa eps`, and the grade outputs
//! `q_n = S_eps(g_n)`.

pub mod nodal;
pub mod search;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use num_rational::BigRational;
use num_traits::{One, Signed};

use crate::cert::{self, Bounds, Certificate, Grade, LpBound, Requested};
use crate::check::boxes::{DyadicBox, MAX_DIM};
use crate::check::enclose::{BoxGeometry, Exponent, GradeView};
use crate::check::leaf::{residual_at, MAX_EXPONENTS};
use crate::check::verify::{describe_box, exponent};
use crate::exact;
use crate::expr::Target;
use crate::grid::GradeSpec;
use crate::network;
use search::{search, Goal, Partition, SearchFailure, StopSignal, TargetCache};

/// What to build and how hard to try.
#[derive(Clone, Debug)]
pub struct Config {
    pub theta: BigRational,
    pub kappa: BigRational,
    /// Stop after this many grades.
    pub grades: Option<usize>,
    /// Stop once the certified sup bound is at most this.
    pub tolerance: Option<BigRational>,
    /// The exponents `p` of the `L^p` enclosures.
    pub exponents: Vec<BigRational>,
    /// Aim for `U_n <= (1 + sup_accuracy) L_n`.
    pub sup_accuracy: f64,
    /// Aim for each `L^p` enclosure's upper end within this relative distance of its lower
    /// end; `None` picks 1 % in one dimension and 5 % above.
    pub lp_accuracy: Option<f64>,
    pub time_limit: Option<Duration>,
    /// At most this many leaves in one partition.
    pub max_leaves: usize,
    /// At most this many vertices in one grade's grid.
    pub max_vertices: usize,
}

impl Default for Config {
    fn default() -> Self {
        let half = BigRational::new(1.into(), 2.into());
        Config {
            theta: half.clone(),
            kappa: half,
            grades: None,
            tolerance: None,
            exponents: vec![BigRational::one(), BigRational::from_integer(2.into())],
            sup_accuracy: 0.01,
            lp_accuracy: None,
            time_limit: None,
            max_leaves: 4_000_000,
            max_vertices: 1 << 22,
        }
    }
}

impl Config {
    /// Refuses impossible parameters, naming the first one.
    pub fn validate(&self, dim: usize) -> Result<(), String> {
        let unit = |r: &BigRational| r.is_positive() && *r < BigRational::one();
        if dim == 0 {
            return Err("the dimension must be at least 1".into());
        }
        if dim > MAX_DIM {
            return Err(format!(
                "dimension {dim} is beyond this build's budget (at most {MAX_DIM}: a grade \
                 needs at least 2^d nodal values and every box 2^d corner evaluations)"
            ));
        }
        if !unit(&self.theta) {
            return Err("theta must lie strictly between 0 and 1".into());
        }
        if !unit(&self.kappa) {
            return Err("kappa must lie strictly between 0 and 1".into());
        }
        if &self.theta * (BigRational::one() + &self.kappa) >= BigRational::one() {
            return Err(format!(
                "theta (1 + kappa) = {} must be below 1, or the sup bound need not contract",
                exact::format(&(&self.theta * (BigRational::one() + &self.kappa)))
            ));
        }
        if self.grades.is_none() && self.tolerance.is_none() {
            return Err("give a number of grades or a tolerance".into());
        }
        if self.grades == Some(0) {
            return Err("the number of grades must be at least 1".into());
        }
        if self.tolerance.as_ref().is_some_and(|t| !t.is_positive()) {
            return Err("the tolerance must be positive".into());
        }
        if self.exponents.is_empty() || self.exponents.len() > MAX_EXPONENTS {
            return Err(format!("give between 1 and {MAX_EXPONENTS} exponents p"));
        }
        if let Some(p) = self.exponents.iter().find(|p| **p < BigRational::one()) {
            return Err(format!(
                "p = {} is below 1; L^p norms need p >= 1",
                exact::format(p)
            ));
        }
        let accuracies = [Some(self.sup_accuracy), self.lp_accuracy];
        if accuracies
            .iter()
            .flatten()
            .any(|a| !(*a > 0.0 && *a <= 10.0))
        {
            return Err("accuracies must lie in (0, 10]".into());
        }
        Ok(())
    }

    fn lp_accuracy(&self, dim: usize) -> f64 {
        self.lp_accuracy
            .unwrap_or(if dim == 1 { 0.01 } else { 0.05 })
    }
}

/// Why a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Grades,
    Tolerance,
    TimeLimit,
    Interrupted,
    Budget,
}

impl Stop {
    /// The `stopped_by` text of the certificate.
    pub fn as_str(self) -> &'static str {
        match self {
            Stop::Grades => "grades",
            Stop::Tolerance => "tolerance",
            Stop::TimeLimit => "time limit",
            Stop::Interrupted => "interrupted",
            Stop::Budget => "budget",
        }
    }

    /// Whether the run did what was asked.
    pub fn is_complete(self) -> bool {
        matches!(self, Stop::Grades | Stop::Tolerance)
    }
}

/// Why no certificate could be written.
#[derive(Clone, Debug, PartialEq)]
pub enum ProveError {
    /// Impossible parameters.
    Invalid(String),
    /// The target is not certified defined and continuous near this box.
    Refused(String),
    /// The run stopped before the target's own bounds were certified.
    Unfinished(Stop, String),
}

impl std::fmt::Display for ProveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProveError::Invalid(m) => write!(f, "{m}"),
            ProveError::Refused(place) => write!(
                f,
                "the target is not certified defined and continuous on the cube: it fails on \
                 the box {place}"
            ),
            ProveError::Unfinished(stop, why) => {
                write!(f, "stopped ({}) before any grade: {why}", stop.as_str())
            }
        }
    }
}

impl std::error::Error for ProveError {}

/// Progress reports, for a caller that shows them.
#[derive(Clone, Debug)]
pub enum Event {
    /// Grade `grade` (0 for the target's own bounds) starts on a grid of `grid` intervals.
    Grade { grade: usize, grid: u32 },
    /// The partition search of a grade holds this many leaves (after each round).
    Boxes { grade: usize, leaves: usize },
    /// A grade is certified.
    Certified {
        grade: usize,
        sup_upper: f64,
        leaves: usize,
        seconds: f64,
    },
    /// A grid was too coarse to certify; the next try doubles it.
    Refine {
        grade: usize,
        grid: u32,
        why: String,
    },
}

/// Per-grade figures that are not in the certificate.
#[derive(Clone, Debug, Default)]
pub struct GradeStats {
    pub leaves: usize,
    pub evaluated: usize,
    pub seconds: f64,
}

/// A run's result: the certificate (complete or partial), why it stopped, and statistics
/// for grade 0 (the target) onwards.
pub struct Outcome {
    pub certificate: Certificate,
    pub stop: Stop,
    pub stats: Vec<GradeStats>,
}

/// Builds and certifies grades for `target` until `config`'s stopping rule holds, the time
/// runs out, or `interrupted` is raised.
pub fn prove(
    target: &Target,
    config: &Config,
    interrupted: &AtomicBool,
    progress: &mut dyn FnMut(Event),
) -> Result<Outcome, ProveError> {
    let dim = target.dim();
    config.validate(dim).map_err(ProveError::Invalid)?;
    let exponents: Vec<Exponent> = config
        .exponents
        .iter()
        .map(|p| exponent(p).map_err(|e| ProveError::Invalid(e.to_string())))
        .collect::<Result<_, _>>()?;
    let stop = StopSignal {
        // A limit too far away to represent is no limit.
        deadline: config
            .time_limit
            .and_then(|t| Instant::now().checked_add(t)),
        interrupted,
    };
    let mut cache = TargetCache::new(4_000_000);
    let lp_accuracy = config.lp_accuracy(dim);

    progress(Event::Grade { grade: 0, grid: 0 });
    let start = Instant::now();
    let goal = Goal {
        delta: None,
        sup_accuracy: config.sup_accuracy,
        lp_accuracy,
        witness: false,
        max_leaves: config.max_leaves,
    };
    let mut on_round = |leaves| progress(Event::Boxes { grade: 0, leaves });
    let initial = match search(
        target,
        &[],
        &exponents,
        &goal,
        &mut cache,
        &stop,
        &mut on_round,
    ) {
        Ok(partition) => partition,
        Err(failure) => return Err(initial_failure(failure, &stop)),
    };
    let initial_bounds = bounds(target, &[], &exponents, &initial, &config.exponents);
    let mut sup = initial.tally.sup;
    let mut stats = vec![GradeStats {
        leaves: initial.tally.leaves,
        evaluated: initial.evaluated,
        seconds: start.elapsed().as_secs_f64(),
    }];
    progress(Event::Certified {
        grade: 0,
        sup_upper: sup,
        leaves: initial.tally.leaves,
        seconds: stats[0].seconds,
    });
    if !(sup > 0.0) {
        return Err(ProveError::Invalid(
            "the target vanishes on the whole cube: there is nothing to approximate".into(),
        ));
    }

    let mut specs: Vec<GradeSpec> = Vec::new();
    let mut grades: Vec<Grade> = Vec::new();
    let mut grid = 1;
    let outcome_stop = loop {
        if config.tolerance.as_ref().is_some_and(|t| exact_le(sup, t)) {
            break Stop::Tolerance;
        }
        if config.grades.is_some_and(|k| grades.len() >= k) {
            break Stop::Grades;
        }
        let n = grades.len() + 1;
        let start = Instant::now();
        match next_grade(
            target, &specs, &exponents, config, sup, grid, n, &mut cache, &stop, progress,
        ) {
            Ok((spec, numerators, partition)) => {
                let grade = describe_grade(
                    target, &specs, &spec, numerators, &partition, &exponents, config,
                );
                sup = partition.tally.sup;
                grid = spec.grid.n;
                stats.push(GradeStats {
                    leaves: partition.tally.leaves,
                    evaluated: partition.evaluated,
                    seconds: start.elapsed().as_secs_f64(),
                });
                progress(Event::Certified {
                    grade: n,
                    sup_upper: sup,
                    leaves: partition.tally.leaves,
                    seconds: start.elapsed().as_secs_f64(),
                });
                specs.push(spec);
                grades.push(grade);
            }
            Err(GradeFailure::Stopped) => {
                break if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
                    Stop::Interrupted
                } else {
                    Stop::TimeLimit
                };
            }
            Err(GradeFailure::Budget) => break Stop::Budget,
            Err(GradeFailure::Refused(place)) => return Err(ProveError::Refused(place)),
        }
    };

    let certificate = Certificate {
        format: cert::FORMAT.to_string(),
        format_version: cert::FORMAT_VERSION,
        target: target.source().to_string(),
        dim,
        width: network::width(dim),
        theta: exact::format(&config.theta),
        kappa: exact::format(&config.kappa),
        rho: exact::format(&(&config.theta * (BigRational::one() + &config.kappa))),
        exponents: config.exponents.iter().map(exact::format).collect(),
        requested: Requested {
            grades: config.grades,
            tolerance: config.tolerance.as_ref().map(exact::format),
        },
        stopped_by: outcome_stop.as_str().to_string(),
        initial: initial_bounds,
        grades,
    };
    Ok(Outcome {
        certificate,
        stop: outcome_stop,
        stats,
    })
}

fn initial_failure(failure: SearchFailure, stop: &StopSignal) -> ProveError {
    match failure {
        SearchFailure::Discontinuous(b) => ProveError::Refused(describe_dyadic(&b)),
        SearchFailure::Stuck(what, b) => {
            ProveError::Refused(format!("{} ({what})", describe_dyadic(&b)))
        }
        SearchFailure::Budget(leaves) => ProveError::Unfinished(
            Stop::Budget,
            format!("the target's own bounds need more than {leaves} boxes"),
        ),
        SearchFailure::Stopped => {
            let why = if stop.interrupted.load(std::sync::atomic::Ordering::Relaxed) {
                Stop::Interrupted
            } else {
                Stop::TimeLimit
            };
            ProveError::Unfinished(why, "the target's own bounds were not certified yet".into())
        }
    }
}

enum GradeFailure {
    Stopped,
    Budget,
    Refused(String),
}

/// Builds and certifies grade `n`: the grid doubles until the interpolant is within
/// `kappa eps` of the residual and a partition proves every claim.
#[allow(clippy::too_many_arguments)]
fn next_grade(
    target: &Target,
    specs: &[GradeSpec],
    exponents: &[Exponent],
    config: &Config,
    previous_sup: f64,
    previous_grid: u32,
    n: usize,
    cache: &mut TargetCache,
    stop: &StopSignal,
    progress: &mut dyn FnMut(Event),
) -> Result<(GradeSpec, Vec<i64>, Partition), GradeFailure> {
    let dim = target.dim();
    let eps = floor_f64(&(&config.theta * rational(previous_sup)));
    let delta_goal = floor_f64(&(&config.kappa * rational(eps)));
    let shift = nodal::nodal_shift(eps);
    let oversample = if dim <= 2 { 4 } else { 2 };
    let mut grid = (previous_grid / 2).max(1);
    // The residual has kinks on every earlier grid: sample finer than the finest of them.
    let finest = specs.iter().map(|s| s.grid.n).max().unwrap_or(1);

    loop {
        if stop.stopped() {
            return Err(GradeFailure::Stopped);
        }
        let fits = crate::grid::Grid::new(dim, grid)
            .vertex_count()
            .is_some_and(|c| c <= config.max_vertices);
        if !fits || grid > 1 << 30 {
            return Err(GradeFailure::Budget);
        }
        let Some((spec, numerators)) = nodal::interpolate(target, specs, grid, eps, shift) else {
            return Err(GradeFailure::Budget);
        };
        let resolution = oversample * (finest / grid).max(1);
        let estimate = nodal::sampled_error(target, specs, &spec, resolution);
        if !(estimate <= 0.6 * delta_goal) {
            grid *= 2;
            continue;
        }

        progress(Event::Grade { grade: n, grid });
        let mut all: Vec<GradeSpec> = specs.to_vec();
        all.push(spec);
        let views: Vec<GradeView> = all.iter().filter_map(GradeView::new).collect();
        if views.len() != all.len() {
            return Err(GradeFailure::Budget);
        }
        let goal = Goal {
            delta: Some(delta_goal),
            sup_accuracy: config.sup_accuracy,
            lp_accuracy: config.lp_accuracy(dim),
            witness: true,
            max_leaves: config.max_leaves,
        };
        let mut on_round = |leaves| progress(Event::Boxes { grade: n, leaves });
        let why = match search(target, &views, exponents, &goal, cache, stop, &mut on_round) {
            Ok(partition) if partition.witness.is_some() => {
                let spec = all.pop().expect("the new grade was pushed above");
                return Ok((spec, numerators, partition));
            }
            Ok(_) => "no strict-decay witness found".to_string(),
            Err(SearchFailure::Stopped) => return Err(GradeFailure::Stopped),
            Err(SearchFailure::Discontinuous(b)) => {
                return Err(GradeFailure::Refused(describe_dyadic(&b)));
            }
            Err(SearchFailure::Stuck(what, b)) => {
                format!("{what} not provable on {}", describe_dyadic(&b))
            }
            Err(SearchFailure::Budget(leaves)) => format!("more than {leaves} boxes needed"),
        };
        progress(Event::Refine {
            grade: n,
            grid,
            why,
        });
        grid *= 2;
    }
}

/// The certificate entry of a certified grade.
fn describe_grade(
    target: &Target,
    earlier: &[GradeSpec],
    spec: &GradeSpec,
    numerators: Vec<i64>,
    partition: &Partition,
    exponents: &[Exponent],
    config: &Config,
) -> Grade {
    let mut all = earlier.to_vec();
    all.push(spec.clone());
    let n = all.len();
    let shift = nodal::nodal_shift(spec.eps);
    let witness = partition.witness.unwrap_or(DyadicBox::root(target.dim()));
    let (lo, hi) = witness.bounds();
    Grade {
        grade: n,
        grid: spec.grid.n,
        eps: exact::format_f64(spec.eps),
        nodal_denominator: (num_bigint::BigInt::from(1u8) << shift).to_string(),
        nodal_numerators: numerators,
        hats: spec.hat_count(),
        layers: network::layer_count(spec),
        params: network::parameter_count(spec, n == 1),
        delta: exact::format_f64(partition.tally.delta),
        bounds: {
            let views: Vec<GradeView> = all.iter().filter_map(GradeView::new).collect();
            bounds(target, &views, exponents, partition, &config.exponents)
        },
        witness: lo
            .iter()
            .zip(&hi)
            .map(|(a, b)| [exact::format_f64(*a), exact::format_f64(*b)])
            .collect(),
    }
}

/// The stated bounds of one partition; the lower sup bound is recomputed at the best centre
/// exactly as the checker will.
fn bounds(
    target: &Target,
    views: &[GradeView],
    exponents: &[Exponent],
    partition: &Partition,
    ps: &[BigRational],
) -> Bounds {
    let geom = BoxGeometry::from_dyadic(&partition.best_center);
    let x: Vec<f64> = geom.center[..geom.dim].to_vec();
    let lower = residual_at(target, views, &x)
        .map_or(0.0, |(v, _)| v.mig())
        .max(0.0);
    let lower = if lower.is_nan() { 0.0 } else { lower };
    Bounds {
        sup_upper: exact::format_f64(partition.tally.sup),
        sup_lower: exact::format_f64(lower),
        sup_lower_point: x.iter().map(|c| exact::format_f64(*c)).collect(),
        lp: partition
            .tally
            .lp_bounds(exponents)
            .into_iter()
            .zip(ps)
            .map(|((lo, hi), p)| LpBound {
                p: exact::format(p),
                lower: exact::format_f64(lo),
                upper: exact::format_f64(hi),
            })
            .collect(),
        partition: partition.tree.encode(),
        leaves: partition.tally.leaves,
    }
}

fn describe_dyadic(b: &DyadicBox) -> String {
    describe_box(&BoxGeometry::from_dyadic(b))
}

fn rational(x: f64) -> BigRational {
    exact::from_f64(x).unwrap_or_default()
}

/// `x <= t`, exactly.
fn exact_le(x: f64, t: &BigRational) -> bool {
    exact::from_f64(x).is_some_and(|r| r <= *t)
}

/// The largest `f64` not above `r`.
pub fn floor_f64(r: &BigRational) -> f64 {
    let x = exact::to_f64_nearest(r);
    match exact::from_f64(x) {
        Some(e) if e > *r => x.next_down(),
        _ => x,
    }
}
