//! The checker: re-proves every claim of a certificate from its own data, searching
//! nothing.
//!
//! It trusts: the interval arithmetic of inari, the target parser and evaluator
//! (`crate::expr`), the enclosures of `enclose` and the fold of `leaf`, the exact rationals of
//! num-rational, and the network compiler (`crate::network`) for the width, layer and
//! parameter counts. It does not trust any number the prover computed: every bound is
//! recomputed over the certificate's partitions and compared exactly, as rationals, with the
//! stated one. A stated bound that is looser than the recomputed one is accepted, since the
//! claim it makes is still true.

use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::boxes::{PartitionTree, MAX_DIM};
use super::enclose::{target_form, BoxGeometry, Exponent, GradeView};
use super::leaf::{leaf_facts, residual_at, witness_margin, Tally, MAX_EXPONENTS};
use crate::cert::{Bounds, Certificate, Grade, FORMAT, FORMAT_VERSION};
use crate::exact;
use crate::expr::Target;
use crate::grid::{GradeSpec, Grid};
use crate::network;

/// Why a certificate was not accepted.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CheckError {
    /// The file cannot be read as a certificate of this format version.
    Unreadable(String),
    /// A claim does not follow: which grade (0 for the target's own bounds), which claim,
    /// where, and the numbers that failed.
    ClaimFails {
        grade: usize,
        claim: &'static str,
        place: String,
        detail: String,
    },
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Unreadable(why) => write!(f, "unreadable certificate: {why}"),
            CheckError::ClaimFails {
                grade,
                claim,
                place,
                detail,
            } => {
                write!(f, "grade {grade}: {claim} fails")?;
                if !place.is_empty() {
                    write!(f, " on {place}")?;
                }
                write!(f, ": {detail}")
            }
        }
    }
}

impl std::error::Error for CheckError {}

fn unreadable(why: impl Into<String>) -> CheckError {
    CheckError::Unreadable(why.into())
}

fn fails(grade: usize, claim: &'static str, place: String, detail: String) -> CheckError {
    CheckError::ClaimFails {
        grade,
        claim,
        place,
        detail,
    }
}

/// What was checked, for reports.
#[derive(Debug, Clone, Default)]
pub struct CheckSummary {
    /// Leaves verified, per grade, grade 0 first.
    pub leaves: Vec<usize>,
    /// Whether the certificate met its request (`stopped_by` is "grades" or "tolerance").
    pub complete: bool,
}

impl CheckSummary {
    pub fn total_leaves(&self) -> usize {
        self.leaves.iter().sum()
    }
}

/// Checks every claim of `cert`.
///
/// # Errors
///
/// [`CheckError::Unreadable`] for a malformed certificate or another format version;
/// [`CheckError::ClaimFails`] for the first claim that does not follow.
pub fn check(cert: &Certificate) -> Result<CheckSummary, CheckError> {
    if cert.format != FORMAT || cert.format_version != FORMAT_VERSION {
        return Err(unreadable(format!(
            "format {:?} version {} (this checker reads {FORMAT:?} version {FORMAT_VERSION})",
            cert.format, cert.format_version
        )));
    }
    let dim = cert.dim;
    if dim == 0 || dim > MAX_DIM {
        return Err(unreadable(format!(
            "dimension {dim} is not in 1..={MAX_DIM}"
        )));
    }
    let target = Target::parse(&cert.target, dim)
        .map_err(|e| unreadable(format!("target {:?}: {e}", cert.target)))?;
    if cert.width != network::width(dim) {
        return Err(fails(
            0,
            "fixed width",
            String::new(),
            format!(
                "stated width {} but W({dim}) = {}",
                cert.width,
                network::width(dim)
            ),
        ));
    }
    let theta = rational(&cert.theta, "theta")?;
    let kappa = rational(&cert.kappa, "kappa")?;
    let rho = rational(&cert.rho, "rho")?;
    let unit = |r: &BigRational| r.is_positive() && *r < BigRational::one();
    if !unit(&theta) || !unit(&kappa) {
        return Err(unreadable("theta and kappa must lie in (0, 1)"));
    }
    if rho != &theta * (BigRational::one() + &kappa) {
        return Err(unreadable("rho is not theta (1 + kappa)"));
    }
    let exponents = exponents(&cert.exponents)?;

    let mut summary = CheckSummary::default();
    let leaves = check_bounds(
        &target,
        &[],
        &exponents,
        &cert.initial,
        &BigRational::zero(),
        0,
    )?;
    summary.leaves.push(leaves);
    let mut previous_sup = rational(&cert.initial.sup_upper, "initial sup_upper")?;
    if !previous_sup.is_positive() {
        return Err(unreadable("the target's sup bound must be positive"));
    }

    let mut specs: Vec<GradeSpec> = Vec::with_capacity(cert.grades.len());
    for (i, grade) in cert.grades.iter().enumerate() {
        let n = i + 1;
        if grade.grade != n {
            return Err(unreadable(format!(
                "grade {} listed in position {n}",
                grade.grade
            )));
        }
        specs.push(decode_grade(grade, dim)?);
        check_description(grade, &specs, &theta, &kappa, &previous_sup)?;
        let views = views(&specs)?;
        let delta = rational(&grade.delta, "delta")?;
        let leaves = check_bounds(&target, &views, &exponents, &grade.bounds, &delta, n)?;
        check_witness(&target, &views, grade, n)?;

        let sup = rational(&grade.bounds.sup_upper, "sup_upper")?;
        let limit = &rho * &previous_sup;
        if sup > limit {
            return Err(fails(
                n,
                "contraction",
                String::new(),
                format!(
                    "U_{n} = {} exceeds rho U_{} = {}",
                    show(&sup),
                    n - 1,
                    show(&limit)
                ),
            ));
        }
        previous_sup = sup;
        summary.leaves.push(leaves);
    }

    summary.complete = check_stop(cert, &previous_sup)?;
    Ok(summary)
}

/// The stopping rule: `"grades"` and `"tolerance"` must hold; other stops are partial runs.
fn check_stop(cert: &Certificate, last_sup: &BigRational) -> Result<bool, CheckError> {
    let grades = cert.grades.len();
    match cert.stopped_by.as_str() {
        "grades" => {
            if cert.requested.grades != Some(grades) {
                return Err(fails(
                    grades,
                    "stopping rule",
                    String::new(),
                    format!("stopped by grade count with {grades} grades"),
                ));
            }
            Ok(true)
        }
        "tolerance" => {
            let tau = cert
                .requested
                .tolerance
                .as_deref()
                .ok_or_else(|| unreadable("no tolerance"))?;
            let tau = rational(tau, "tolerance")?;
            if *last_sup > tau {
                return Err(fails(
                    grades,
                    "tolerance",
                    String::new(),
                    format!("final sup bound {} exceeds {}", show(last_sup), show(&tau)),
                ));
            }
            Ok(true)
        }
        "time limit" | "interrupted" | "budget" => Ok(false),
        other => Err(unreadable(format!("unknown stop reason {other:?}"))),
    }
}

/// The parameters of grade `n` and its network.
fn check_description(
    grade: &Grade,
    specs: &[GradeSpec],
    theta: &BigRational,
    kappa: &BigRational,
    previous_sup: &BigRational,
) -> Result<(), CheckError> {
    let n = specs.len();
    let spec = &specs[n - 1];
    let eps = exact::from_f64(spec.eps).ok_or_else(|| unreadable("eps is not finite"))?;
    let delta = rational(&grade.delta, "delta")?;
    let claim = |what: &'static str, detail: String| Err(fails(n, what, String::new(), detail));
    if !eps.is_positive() || eps > theta * previous_sup {
        return claim(
            "threshold",
            format!("eps = {} is not in (0, theta U_{}]", show(&eps), n - 1),
        );
    }
    if delta.is_negative() || delta > kappa * &eps {
        return claim(
            "balance",
            format!("delta = {} exceeds kappa eps", show(&delta)),
        );
    }
    if grade.hats != spec.hat_count() {
        return claim(
            "network size",
            format!(
                "{} hats stated, {} nodal values nonzero",
                grade.hats,
                spec.hat_count()
            ),
        );
    }
    if grade.layers != network::layer_count(spec) {
        return claim(
            "network size",
            format!(
                "{} layers stated, {} compiled",
                grade.layers,
                network::layer_count(spec)
            ),
        );
    }
    if grade.params != network::parameter_count(spec, n == 1) {
        return claim(
            "network size",
            format!(
                "{} parameters stated, {} compiled",
                grade.params,
                network::parameter_count(spec, n == 1)
            ),
        );
    }
    network::Network::new(&specs[n - 1..])
        .check_widths()
        .or_else(|e| claim("fixed width", e))
}

/// Walks one partition: every leaf must be continuous, monotone (grades >= 1), within
/// `delta` and within the sup bound; then the sums must fit the stated `L^p` enclosures and
/// the lower sup bound must hold at its point.
fn check_bounds(
    target: &Target,
    views: &[GradeView],
    exponents: &[Exponent],
    bounds: &Bounds,
    delta: &BigRational,
    n: usize,
) -> Result<usize, CheckError> {
    let dim = target.dim();
    let tree = PartitionTree::decode(&bounds.partition)
        .map_err(|e| unreadable(format!("grade {n}: {e}")))?;
    let sup_upper = rational(&bounds.sup_upper, "sup_upper")?;
    let mut scratch = target.scratch();
    let mut tally = Tally::default();

    let walked = tree.for_each_leaf(dim, |b| {
        let geom = BoxGeometry::from_dyadic(b);
        let (form, decoration) = target_form(target, &geom, &mut scratch);
        let facts = leaf_facts(&form, decoration, views, exponents, &geom);
        let place = || describe_box(&geom);
        if !facts.continuous {
            return Err(fails(
                n,
                "continuity",
                place(),
                format!("decoration {decoration:?}"),
            ));
        }
        if !facts.monotone {
            return Err(fails(
                n,
                "monotonicity",
                place(),
                "q_n (r_n + r_{n-1}) may be negative".into(),
            ));
        }
        if !le_f64(facts.delta, delta) {
            return Err(fails(
                n,
                "balance",
                place(),
                format!("|g_{n} - r_{}| may reach {:e}", n - 1, facts.delta),
            ));
        }
        if !le_f64(facts.sup, &sup_upper) {
            return Err(fails(
                n,
                "sup bound",
                place(),
                format!("|r_{n}| may reach {:e}", facts.sup),
            ));
        }
        tally.add(&facts);
        Ok(())
    });
    walked.map_err(|e| unreadable(format!("grade {n}: {e}")))??;

    if tally.leaves != bounds.leaves {
        return Err(unreadable(format!(
            "grade {n}: {} leaves stated, {} in the tree",
            bounds.leaves, tally.leaves
        )));
    }
    check_lp(bounds, &tally, exponents, n)?;
    check_sup_lower(target, views, bounds, n)?;
    Ok(tally.leaves)
}

fn check_lp(
    bounds: &Bounds,
    tally: &Tally,
    exponents: &[Exponent],
    n: usize,
) -> Result<(), CheckError> {
    if bounds.lp.len() != exponents.len() {
        return Err(unreadable(format!(
            "grade {n}: {} L^p bounds for {} exponents",
            bounds.lp.len(),
            exponents.len()
        )));
    }
    for (stated, (lower, upper)) in bounds.lp.iter().zip(tally.lp_bounds(exponents)) {
        let lo = rational(&stated.lower, "L^p lower")?;
        let hi = rational(&stated.upper, "L^p upper")?;
        if !ge_f64(lower, &lo) || !le_f64(upper, &hi) || lo.is_negative() {
            return Err(fails(
                n,
                "L^p enclosure",
                String::new(),
                format!(
                    "p = {}: stated [{}, {}], recomputed [{lower:e}, {upper:e}]",
                    stated.p,
                    show(&lo),
                    show(&hi)
                ),
            ));
        }
    }
    Ok(())
}

fn check_sup_lower(
    target: &Target,
    views: &[GradeView],
    bounds: &Bounds,
    n: usize,
) -> Result<(), CheckError> {
    let lower = rational(&bounds.sup_lower, "sup_lower")?;
    let x = exact_point(&bounds.sup_lower_point, target.dim())?;
    let (value, _) = residual_at(target, views, &x)
        .ok_or_else(|| unreadable("sup_lower_point is outside the cube"))?;
    if !ge_f64(value.mig(), &lower) {
        return Err(fails(
            n,
            "lower sup bound",
            format!("{x:?}"),
            format!(
                "|r_{n}| there is only known to exceed {:e}, not {}",
                value.mig(),
                show(&lower)
            ),
        ));
    }
    Ok(())
}

/// The strict-decay witness: a box of positive volume where `inf |r_{n-1}| > sup |r_n|`.
fn check_witness(
    target: &Target,
    views: &[GradeView],
    grade: &Grade,
    n: usize,
) -> Result<(), CheckError> {
    let dim = target.dim();
    if grade.witness.len() != dim {
        return Err(unreadable(format!(
            "grade {n}: the witness box has {} sides",
            grade.witness.len()
        )));
    }
    let mut lo = Vec::with_capacity(dim);
    let mut hi = Vec::with_capacity(dim);
    for [a, b] in &grade.witness {
        lo.push(exact_f64(a, "witness")?);
        hi.push(exact_f64(b, "witness")?);
    }
    let geom = BoxGeometry::new(&lo, &hi)
        .ok_or_else(|| unreadable("the witness is not a box in the cube"))?;
    let place = describe_box(&geom);
    if lo.iter().zip(&hi).any(|(a, b)| a >= b) {
        return Err(fails(
            n,
            "strict decay",
            place,
            "the witness box has zero volume".into(),
        ));
    }
    let (below, above, decoration) = witness_margin(target, views, &geom);
    if !matches!(decoration, inari::Decoration::Dac | inari::Decoration::Com) {
        return Err(fails(
            n,
            "continuity",
            place,
            format!("decoration {decoration:?}"),
        ));
    }
    if !(below > above) {
        return Err(fails(
            n,
            "strict decay",
            place,
            format!(
                "inf |r_{}| >= {below:e} is not above sup |r_{n}| <= {above:e}",
                n - 1
            ),
        ));
    }
    Ok(())
}

/// The grade's compact description, exactly as stated.
pub fn decode_grade(grade: &Grade, dim: usize) -> Result<GradeSpec, CheckError> {
    let n = grade.grade;
    let bad = |why: String| unreadable(format!("grade {n}: {why}"));
    if grade.grid == 0 || !grade.grid.is_power_of_two() {
        return Err(bad(format!("grid {} is not a power of two", grade.grid)));
    }
    let grid = Grid::new(dim, grade.grid);
    let count = grid
        .vertex_count()
        .filter(|c| *c <= 1 << 28)
        .ok_or_else(|| bad("grid too large".into()))?;
    if grade.nodal_numerators.len() != count {
        return Err(bad(format!(
            "{} nodal values for {count} vertices",
            grade.nodal_numerators.len()
        )));
    }
    let denominator: BigInt = grade
        .nodal_denominator
        .parse()
        .map_err(|_| bad("nodal_denominator is not an integer".into()))?;
    let shift = denominator.trailing_zeros().unwrap_or(0);
    if !denominator.is_positive() || (&denominator >> shift) != BigInt::one() || shift > 1000 {
        return Err(bad("nodal_denominator is not a power of two".into()));
    }
    let scale = (-(shift as f64)).exp2();
    let mut nodal = Vec::with_capacity(count);
    for &m in &grade.nodal_numerators {
        if m.unsigned_abs() > 1 << 53 {
            return Err(bad("a nodal numerator exceeds 2^53".into()));
        }
        // m and a power of two are exact, so is their product unless it underflows; the
        // round trip below refuses that case.
        let c = m as f64 * scale;
        if exact::from_f64(c) != Some(BigRational::new(m.into(), denominator.clone())) {
            return Err(bad("a nodal value is not exact in f64".into()));
        }
        nodal.push(c);
    }
    let eps = exact_f64(&grade.eps, "eps")?;
    Ok(GradeSpec { grid, eps, nodal })
}

fn views(specs: &[GradeSpec]) -> Result<Vec<GradeView<'_>>, CheckError> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            GradeView::new(s)
                .ok_or_else(|| unreadable(format!("grade {}: invalid description", i + 1)))
        })
        .collect()
}

/// The exponents as enclosures, each `p >= 1`.
pub fn exponents(texts: &[String]) -> Result<Vec<Exponent>, CheckError> {
    if texts.len() > MAX_EXPONENTS {
        return Err(unreadable(format!("at most {MAX_EXPONENTS} exponents")));
    }
    texts
        .iter()
        .map(|t| exponent(&rational(t, "exponent")?))
        .collect()
}

/// An enclosure of the rational `p >= 1`.
pub fn exponent(p: &BigRational) -> Result<Exponent, CheckError> {
    if *p < BigRational::one() {
        return Err(unreadable(format!("exponent {} is below 1", show(p))));
    }
    let integer = if p.is_integer() {
        p.to_integer().to_i32().filter(|k| *k <= 64)
    } else {
        None
    };
    let numer = p.numer().to_f64().filter(|x| x.abs() < 9e15);
    let denom = p.denom().to_f64().filter(|x| x.abs() < 9e15);
    let (Some(a), Some(b)) = (numer, denom) else {
        return Err(unreadable(format!(
            "exponent {} has too many digits",
            show(p)
        )));
    };
    // Integers below 2^53 are exact, so the quotient encloses p.
    let value = super::enclose::point(a) / super::enclose::point(b);
    Ok(Exponent { value, integer })
}

fn rational(text: &str, what: &str) -> Result<BigRational, CheckError> {
    exact::parse(text).map_err(|e| unreadable(format!("{what}: {e}")))
}

fn exact_f64(text: &str, what: &str) -> Result<f64, CheckError> {
    let r = rational(text, what)?;
    exact::to_f64_exact(&r).ok_or_else(|| unreadable(format!("{what} {text} is not exact in f64")))
}

fn exact_point(texts: &[String], dim: usize) -> Result<Vec<f64>, CheckError> {
    if texts.len() != dim {
        return Err(unreadable(format!(
            "a point with {} coordinates in dimension {dim}",
            texts.len()
        )));
    }
    texts.iter().map(|t| exact_f64(t, "point")).collect()
}

/// `computed <= stated`, exactly; false for NaN.
fn le_f64(computed: f64, stated: &BigRational) -> bool {
    exact::from_f64(computed).is_some_and(|c| c <= *stated)
}

/// `computed >= stated`, exactly; false for NaN.
fn ge_f64(computed: f64, stated: &BigRational) -> bool {
    exact::from_f64(computed).is_some_and(|c| c >= *stated)
}

fn show(r: &BigRational) -> String {
    format!("{:e}", exact::to_f64_nearest(r))
}

/// A box in a message: `[lo, hi] x [lo, hi]`, with exact endpoints.
pub fn describe_box(geom: &BoxGeometry) -> String {
    (0..geom.dim)
        .map(|i| format!("[{}, {}]", geom.lo[i], geom.hi[i]))
        .collect::<Vec<_>>()
        .join(" x ")
}
