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
//!
//! By default the grades are evaluated from their compact descriptions, which trusts the
//! compiler to realise them. With [`CheckOptions::full_network`] every grade's output and
//! pre-threshold value, on every leaf, at the lower sup bound's point and on the witness,
//! are evaluated from the generated layers instead ([`GradeSource::Network`]), so the claims
//! are proved about the network itself and the compiler leaves the trusted base (except for
//! the width and size counts above). The claims and their checks are the same in both modes.
//! In that mode each box is cut along the finest grid's lines and its facts are joined over
//! the pieces; in one dimension the forms then match the compact ones up to rounding, and
//! the prover's certificates, whose bounds are the compact recomputation's exact values,
//! are reproved. In two or more dimensions the Kuhn simplices' diagonals still cross the
//! pieces, where forward evaluation treats each hat's kink separately and is much looser
//! than the compact hull of the pieces, so such certificates are in general rejected there
//! (soundly, as unproved). The mode costs a pass through every layer per piece and is meant
//! for small certificates.

use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::boxes::{PartitionTree, MAX_DIM};
use super::enclose::{BoxGeometry, Exponent, GradeView};
use super::leaf::{GradeSource, Tally, MAX_EXPONENTS};
use crate::cert::{Bounds, Certificate, Grade, FORMAT, FORMAT_VERSION};
use crate::exact;
use crate::expr::Target;
use crate::grid::{GradeSpec, Grid};
use crate::network;
use crate::parallel::map_chunks;

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

/// How the checker evaluates the grades; the default is the compact mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Evaluate every grade from its compiled layers rather than from its compact
    /// description (see the module documentation).
    pub full_network: bool,
}

/// Checks every claim of `cert`, evaluating the grades from their compact descriptions.
///
/// # Errors
///
/// [`CheckError::Unreadable`] for a malformed certificate or another format version;
/// [`CheckError::ClaimFails`] for the first claim that does not follow.
pub fn check(cert: &Certificate) -> Result<CheckSummary, CheckError> {
    check_with(cert, &CheckOptions::default())
}

/// Checks every claim of `cert`, evaluating the grades as `options` say.
///
/// # Errors
///
/// As [`check`]; in the full-network mode also [`CheckError::ClaimFails`] with the claim
/// `"network structure"` when the generated layers cannot be evaluated or a grade does not
/// end in a soft threshold by its `eps`.
pub fn check_with(cert: &Certificate, options: &CheckOptions) -> Result<CheckSummary, CheckError> {
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
    if rho >= BigRational::one() {
        return Err(unreadable("rho = theta (1 + kappa) must be below 1"));
    }
    let exponents = exponents(&cert.exponents)?;
    let labels: Vec<BigRational> = cert
        .exponents
        .iter()
        .map(|p| rational(p, "exponent"))
        .collect::<Result<_, _>>()?;
    for (n, bounds) in std::iter::once(&cert.initial)
        .chain(cert.grades.iter().map(|g| &g.bounds))
        .enumerate()
    {
        check_labels(bounds, &labels, n)?;
    }

    let mut summary = CheckSummary::default();
    let leaves = check_bounds(
        &target,
        &|| GradeSource::Compact(&[]),
        &exponents,
        &cert.initial,
        &BigRational::zero(),
    )?;
    summary.leaves.push(leaves);
    let mut previous_sup = rational(&cert.initial.sup_upper, "initial sup_upper")?;
    let mut sups = vec![previous_sup.clone()];
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
        let make_source = || {
            if options.full_network {
                GradeSource::network(&specs)
            } else {
                GradeSource::Compact(&views)
            }
        };
        let delta = rational(&grade.delta, "delta")?;
        let leaves = check_bounds(&target, &make_source, &exponents, &grade.bounds, &delta)?;
        check_witness(&target, &mut make_source(), grade)?;

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
        previous_sup = sup.clone();
        sups.push(sup);
        summary.leaves.push(leaves);
    }

    summary.complete = check_stop(cert, &sups)?;
    Ok(summary)
}

/// Each `L^p` bound must be labelled with the exponent in the same position of the
/// certificate's `exponents`: the label is what a reader takes the enclosure to be about.
fn check_labels(bounds: &Bounds, labels: &[BigRational], n: usize) -> Result<(), CheckError> {
    if bounds.lp.len() != labels.len() {
        return Err(unreadable(format!(
            "grade {n}: {} L^p bounds for {} exponents",
            bounds.lp.len(),
            labels.len()
        )));
    }
    for (stated, p) in bounds.lp.iter().zip(labels) {
        if rational(&stated.p, "L^p exponent")? != *p {
            return Err(unreadable(format!(
                "grade {n}: an L^p bound labelled p = {} where the exponents list {}",
                stated.p,
                exact::format(p)
            )));
        }
    }
    Ok(())
}

/// The stopping rule: `"grades"` and `"tolerance"` must hold, and the run must not have gone
/// past the point where its rule was first met; other stops are partial runs. `sups` holds
/// `U_0, ..., U_K`.
fn check_stop(cert: &Certificate, sups: &[BigRational]) -> Result<bool, CheckError> {
    let grades = cert.grades.len();
    let last_sup = &sups[sups.len() - 1];
    let tolerance = cert
        .requested
        .tolerance
        .as_deref()
        .map(|t| rational(t, "tolerance"))
        .transpose()?;
    if let Some(tau) = &tolerance {
        if let Some(n) = sups[..sups.len() - 1].iter().position(|u| u <= tau) {
            return Err(fails(
                grades,
                "stopping rule",
                String::new(),
                format!("the tolerance was already met after grade {n}"),
            ));
        }
    }
    if cert.requested.grades.is_some_and(|k| grades > k) {
        return Err(fails(
            grades,
            "stopping rule",
            String::new(),
            format!(
                "{grades} grades where at most {:?} were asked for",
                cert.requested.grades
            ),
        ));
    }
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
            let tau = tolerance.ok_or_else(|| unreadable("no tolerance"))?;
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

/// Walks one partition for grade `n = source.grades()`: every leaf must be continuous,
/// monotone (grades >= 1), within `delta` and within the sup bound; then the sums must fit
/// the stated `L^p` enclosures and the lower sup bound must hold at its point.
fn check_bounds<'a>(
    target: &Target,
    make_source: &(dyn Fn() -> GradeSource<'a> + Sync),
    exponents: &[Exponent],
    bounds: &Bounds,
    delta: &BigRational,
) -> Result<usize, CheckError> {
    let n = make_source().grades();
    let dim = target.dim();
    let tree = PartitionTree::decode(&bounds.partition)
        .map_err(|e| unreadable(format!("grade {n}: {e}")))?;
    let sup_upper = rational(&bounds.sup_upper, "sup_upper")?;
    let mut leaves = Vec::with_capacity(tree.leaf_count());
    tree.for_each_leaf(dim, |b| -> Result<(), CheckError> {
        leaves.push(*b);
        Ok(())
    })
    .map_err(|e| unreadable(format!("grade {n}: {e}")))??;

    // The leaves are evaluated on all cores, a batch at a time; the claims are then checked
    // and folded in preorder, so the sums are the same bits whatever the core count.
    let mut tally = Tally::default();
    for batch in leaves.chunks(1 << 16) {
        let evaluated = map_chunks(batch, |chunk| {
            let mut source = make_source();
            let mut scratch = target.scratch();
            chunk
                .iter()
                .map(|b| {
                    let geom = BoxGeometry::from_dyadic(b);
                    source.leaf_facts(target, &mut scratch, exponents, &geom)
                })
                .collect()
        });
        for (b, result) in batch.iter().zip(evaluated) {
            let place = || describe_box(&BoxGeometry::from_dyadic(b));
            let (facts, decoration) =
                result.map_err(|e| fails(n, "network structure", place(), e))?;
            if !facts.continuous {
                let detail = format!("decoration {decoration:?}");
                return Err(fails(n, "continuity", place(), detail));
            }
            if !facts.monotone {
                let detail = "q_n (r_n + r_{n-1}) may be negative".to_string();
                return Err(fails(n, "monotonicity", place(), detail));
            }
            if !le_f64(facts.delta, delta) {
                let detail = format!("|g_{n} - r_{}| may reach {:e}", n - 1, facts.delta);
                return Err(fails(n, "balance", place(), detail));
            }
            if !le_f64(facts.sup, &sup_upper) {
                let detail = format!("|r_{n}| may reach {:e}", facts.sup);
                return Err(fails(n, "sup bound", place(), detail));
            }
            tally.add(&facts);
        }
    }

    if tally.leaves != bounds.leaves {
        return Err(unreadable(format!(
            "grade {n}: {} leaves stated, {} in the tree",
            bounds.leaves, tally.leaves
        )));
    }
    check_lp(bounds, &tally, exponents, n)?;
    check_sup_lower(target, &mut make_source(), bounds)?;
    Ok(tally.leaves)
}

fn check_lp(
    bounds: &Bounds,
    tally: &Tally,
    exponents: &[Exponent],
    n: usize,
) -> Result<(), CheckError> {
    // `check_labels` has matched the lists' lengths and labels already.
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
    source: &mut GradeSource,
    bounds: &Bounds,
) -> Result<(), CheckError> {
    let n = source.grades();
    let lower = rational(&bounds.sup_lower, "sup_lower")?;
    let x = exact_point(&bounds.sup_lower_point, target.dim())?;
    let (value, _) = source
        .residual_at(target, &x)
        .map_err(|e| fails(n, "network structure", format!("{x:?}"), e))?
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
    source: &mut GradeSource,
    grade: &Grade,
) -> Result<(), CheckError> {
    let n = source.grades();
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
    let (below, above, decoration) = source
        .witness_margin(target, &geom)
        .map_err(|e| fails(n, "network structure", place.clone(), e))?;
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::prover::{prove, Config};

    const FULL: CheckOptions = CheckOptions { full_network: true };

    fn certificate() -> Certificate {
        let target = Target::parse("sin(2*pi*x)", 1).unwrap();
        let config = Config {
            grades: Some(3),
            ..Config::default()
        };
        let outcome = prove(&target, &config, &AtomicBool::new(false), &mut |_| {}).unwrap();
        outcome.certificate
    }

    #[test]
    fn a_proved_certificate_holds_on_the_compiled_network() {
        let cert = certificate();
        let compact = check(&cert).unwrap();
        let full = check_with(&cert, &FULL).unwrap();
        assert_eq!(compact.leaves, full.leaves);
        assert!(compact.complete && full.complete);
    }

    #[test]
    fn a_tightened_claim_fails_in_both_modes() {
        let mut cert = certificate();
        let bounds = &mut cert.grades[1].bounds;
        let sup = exact::parse(&bounds.sup_upper).unwrap();
        let tenth = BigRational::new(9.into(), 10.into());
        bounds.sup_upper = exact::format(&(sup * tenth));
        for options in [CheckOptions::default(), FULL] {
            match check_with(&cert, &options) {
                Err(CheckError::ClaimFails {
                    grade: 2,
                    claim: "sup bound",
                    ..
                }) => {}
                other => panic!("{options:?}: {other:?}"),
            }
        }
    }
}
