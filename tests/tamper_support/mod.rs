//! Shared helpers of the tamper tests (`tests/tamper.rs`): the valid certificates, built once
//! per test binary, small exact-rational helpers, expectations on a verdict, and an
//! independent sampling oracle that tries to refute an accepted certificate.
//!
//! The oracle does not reuse the checker's enclosures: it decodes each grade, runs the
//! network in exact rationals at sample points, encloses the target there with a point
//! interval evaluation, and compares with the stated claims in exact arithmetic. It can only
//! refute what sampling can refute, so an accepted certificate that passes it is not proved
//! true; an accepted certificate that fails it states something false.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

use inari::Interval;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

use multigrade::cert::{Bounds, Certificate, FORMAT, FORMAT_VERSION};
use multigrade::check::boxes::PartitionTree;
use multigrade::check::verify::decode_grade;
use multigrade::check::{check, CheckError, CheckSummary};
use multigrade::exact;
use multigrade::expr::Target;
use multigrade::grid::{soft_threshold_exact, GradeSpec};
use multigrade::network::Network;
use multigrade::prover::{prove, Config};

/// The 1D fixture: `sin(2*pi*x)` with 3 grades.
pub fn one_d() -> &'static Certificate {
    static CERT: OnceLock<Certificate> = OnceLock::new();
    CERT.get_or_init(|| build("sin(2*pi*x)", 1, 3))
}

/// The 2D fixture: `sin(pi*x)*sin(pi*y)` with 2 grades.
pub fn two_d() -> &'static Certificate {
    static CERT: OnceLock<Certificate> = OnceLock::new();
    CERT.get_or_init(|| build("sin(pi*x)*sin(pi*y)", 2, 2))
}

fn build(source: &str, dim: usize, grades: usize) -> Certificate {
    let target = Target::parse(source, dim).expect("the fixture target parses");
    let config = Config {
        grades: Some(grades),
        ..Config::default()
    };
    let outcome = prove(&target, &config, &AtomicBool::new(false), &mut |_| {})
        .unwrap_or_else(|e| panic!("the prover fails on {source}: {e}"));
    let cert = outcome.certificate;
    assert_eq!(
        cert.grades.len(),
        grades,
        "the fixture {source} is complete"
    );
    cert
}

// ---------------------------------------------------------------------------------------
// Exact rationals

/// The exact value of a certificate number.
pub fn rat(text: &str) -> BigRational {
    exact::parse(text).unwrap_or_else(|e| panic!("{text:?} is not a number: {e}"))
}

/// The certificate text of a rational.
pub fn text(r: &BigRational) -> String {
    exact::format(r)
}

/// `p / q`.
pub fn ratio(p: i64, q: i64) -> BigRational {
    BigRational::new(BigInt::from(p), BigInt::from(q))
}

/// `2^k`, for any integer `k`.
pub fn pow2(k: i32) -> BigRational {
    let big = BigRational::from_integer(BigInt::one() << k.unsigned_abs());
    if k >= 0 {
        big
    } else {
        big.recip()
    }
}

/// Multiplies a numeric field by `factor`, exactly.
pub fn scale(field: &mut String, factor: &BigRational) {
    *field = text(&(rat(field) * factor));
}

/// The bounds of grade `n` (0 for the target's own).
pub fn bounds_mut(cert: &mut Certificate, n: usize) -> &mut Bounds {
    if n == 0 {
        &mut cert.initial
    } else {
        &mut cert.grades[n - 1].bounds
    }
}

/// The bounds of grade `n` (0 for the target's own).
pub fn bounds_of(cert: &Certificate, n: usize) -> &Bounds {
    if n == 0 {
        &cert.initial
    } else {
        &cert.grades[n - 1].bounds
    }
}

// ---------------------------------------------------------------------------------------
// Verdicts and expectations

/// The checker's verdict; a panic becomes an `Err` naming it, so that a table of cases can
/// report every panic instead of stopping at the first.
pub fn verdict(cert: &Certificate) -> Result<Result<CheckSummary, CheckError>, String> {
    catch_unwind(AssertUnwindSafe(|| check(cert))).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("the checker panicked: {message}")
    })
}

/// What a tampered certificate must get.
#[derive(Clone, Debug)]
pub enum Expect {
    /// A true (possibly weaker) claim: accepted, and the oracle refutes nothing.
    Accepted,
    /// Structural damage: `CheckError::Unreadable`.
    Unreadable,
    /// A false claim caught at grade `.0`, by one of the claims `.1` (any claim if empty).
    Claim(usize, &'static [&'static str]),
    /// Rejected: `Unreadable`, or `ClaimFails` at grade `.0`.
    Rejected(usize),
    /// Either accepted (then the oracle must refute nothing) or `ClaimFails` at any grade.
    AcceptedOrClaim,
    /// Either accepted (then the oracle must refute nothing), `Unreadable`, or `ClaimFails`
    /// at grade `.0`.
    NotFalselyAccepted(usize),
}

/// One tampered certificate and what it must get.
pub struct Case {
    pub name: String,
    pub cert: Certificate,
    pub expect: Expect,
}

impl Case {
    pub fn new(name: impl Into<String>, cert: Certificate, expect: Expect) -> Self {
        Case {
            name: name.into(),
            cert,
            expect,
        }
    }
}

/// A verdict in one line.
pub fn describe(v: &Result<CheckSummary, CheckError>) -> String {
    match v {
        Ok(s) => format!(
            "accepted ({} leaves, complete {})",
            s.total_leaves(),
            s.complete
        ),
        Err(e) => format!("rejected: {e}"),
    }
}

/// How a table of cases fared.
#[derive(Debug, Default)]
pub struct Outcomes {
    pub unreadable: usize,
    pub claim_fails: usize,
    /// The names of the accepted cases (each one passed the oracle).
    pub accepted: Vec<String>,
}

/// Runs every case, checks its expectation, runs the oracle on every accepted certificate
/// (with `samples` points), and panics listing all failures.
pub fn run_cases(cases: Vec<Case>, samples: usize) -> Outcomes {
    let mut problems = Vec::new();
    let mut outcomes = Outcomes::default();
    for (i, case) in cases.iter().enumerate() {
        let v = match verdict(&case.cert) {
            Ok(v) => v,
            Err(panic) => {
                problems.push(format!("{}: {panic}", case.name));
                continue;
            }
        };
        let ok = match (&case.expect, &v) {
            (Expect::Accepted, Ok(_)) => true,
            (Expect::Unreadable, Err(CheckError::Unreadable(_))) => true,
            (Expect::Claim(n, claims), Err(CheckError::ClaimFails { grade, claim, .. })) => {
                grade == n && (claims.is_empty() || claims.contains(claim))
            }
            (Expect::Rejected(_), Err(CheckError::Unreadable(_))) => true,
            (Expect::Rejected(n), Err(CheckError::ClaimFails { grade, .. })) => grade == n,
            (Expect::AcceptedOrClaim, Ok(_) | Err(CheckError::ClaimFails { .. })) => true,
            (Expect::NotFalselyAccepted(_), Ok(_) | Err(CheckError::Unreadable(_))) => true,
            (Expect::NotFalselyAccepted(n), Err(CheckError::ClaimFails { grade, .. })) => {
                grade == n
            }
            _ => false,
        };
        if !ok {
            problems.push(format!(
                "{}: expected {:?}, got {}",
                case.name,
                case.expect,
                describe(&v)
            ));
        }
        match v {
            Ok(_) => {
                if let Err(why) = refute(&case.cert, samples, 0x5eed + i as u64) {
                    problems.push(format!("{}: ACCEPTED BUT FALSE: {why}", case.name));
                }
                outcomes.accepted.push(case.name.clone());
            }
            Err(CheckError::Unreadable(_)) => outcomes.unreadable += 1,
            Err(_) => outcomes.claim_fails += 1,
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} cases failed:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
    outcomes
}

// ---------------------------------------------------------------------------------------
// A small deterministic generator (splitmix64), for sample points and positions.

pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, a multiple of `2^-53`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (-53f64).exp2()
    }

    /// Uniform in `0..n`, for `n >= 1`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

// ---------------------------------------------------------------------------------------
// The oracle

/// An exact enclosure `[lo, hi]` of a real number.
#[derive(Clone, Debug)]
struct Span {
    lo: BigRational,
    hi: BigRational,
}

impl Span {
    /// The largest possible absolute value.
    fn mag(&self) -> BigRational {
        self.lo.abs().max(self.hi.abs())
    }

    /// The smallest possible absolute value.
    fn mig(&self) -> BigRational {
        if self.lo.is_positive() {
            self.lo.clone()
        } else if self.hi.is_negative() {
            -self.hi.clone()
        } else {
            BigRational::zero()
        }
    }

    fn mid_f64(&self) -> f64 {
        ((&self.lo + &self.hi) / BigRational::from_integer(2.into()))
            .to_f64()
            .unwrap_or(f64::NAN)
    }
}

/// Evaluates residuals at points: the target by a point interval evaluation, the grades
/// exactly through the compiled network.
struct Residuals<'a> {
    target: Target,
    specs: &'a [GradeSpec],
    scratch: multigrade::expr::Scratch,
}

/// At one point: `r_0, ..., r_K` as exact enclosures, and each grade's interpolant `g_n`.
struct AtPoint {
    r: Vec<Span>,
    g: Vec<BigRational>,
}

impl Residuals<'_> {
    fn at(&mut self, x: &[f64]) -> Result<Option<AtPoint>, String> {
        let boxes: Vec<Interval> = x
            .iter()
            .map(|&c| Interval::try_from((c, c)).expect("a finite point"))
            .collect();
        let value = self.target.eval_dec(&boxes, &mut self.scratch);
        let Some(f) = value.interval() else {
            return Ok(None);
        };
        let (Some(lo), Some(hi)) = (exact::from_f64(f.inf()), exact::from_f64(f.sup())) else {
            return Ok(None);
        };
        let xr: Vec<BigRational> = x.iter().map(|&c| exact::from_f64(c).unwrap()).collect();
        let mut r = vec![Span { lo, hi }];
        let mut g = Vec::with_capacity(self.specs.len());
        if !self.specs.is_empty() {
            let q = Network::new(self.specs).eval_grades_exact(&xr);
            for (n, (spec, qn)) in self.specs.iter().zip(&q).enumerate() {
                let gn = spec.interpolant_exact(&xr);
                let eps = exact::from_f64(spec.eps).unwrap_or_default();
                if soft_threshold_exact(&gn, &eps) != *qn {
                    return Err(format!(
                        "grade {}: the network's output at {x:?} is not S_eps(g)",
                        n + 1
                    ));
                }
                let prev = r.last().expect("r_0 is pushed first").clone();
                r.push(Span {
                    lo: &prev.lo - qn,
                    hi: &prev.hi - qn,
                });
                g.push(gn);
            }
        }
        Ok(Some(AtPoint { r, g }))
    }
}

/// One stratified sample point with the residuals there and `|mid r_n|` per grade.
struct Sample {
    x: Vec<f64>,
    at: AtPoint,
    abs_mid: Vec<f64>,
}

/// The residuals at `samples` stratified points (`ceil(samples^(1/d))` per axis, one
/// random point per cell), for one target and list of grades. They depend on nothing else
/// in a certificate, so they are computed once per such pair and shared by every mutant
/// that keeps them.
fn stratified(
    eval: &mut Residuals,
    source: &str,
    samples: usize,
) -> Result<Arc<Vec<Sample>>, String> {
    type Cache = Mutex<HashMap<String, Arc<Vec<Sample>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let d = eval.target.dim();
    let key = format!("{source}|{d}|{samples}|{:?}", eval.specs);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().unwrap().get(&key) {
        return Ok(hit.clone());
    }
    let mut rng = Rng(samples as u64);
    let per_axis = (samples as f64).powf(1.0 / d as f64).ceil().max(1.0) as usize;
    let cells = per_axis.pow(d as u32);
    let mut out = Vec::with_capacity(cells);
    for cell in 0..cells {
        let mut rest = cell;
        let mut x = vec![0.0; d];
        for xi in x.iter_mut() {
            let index = rest % per_axis;
            rest /= per_axis;
            *xi = ((index as f64 + rng.unit()) / per_axis as f64).min(1.0);
        }
        let Some(at) = eval.at(&x)? else { continue };
        let abs_mid = at.r.iter().map(|r| r.mid_f64().abs()).collect();
        out.push(Sample { x, at, abs_mid });
    }
    if out.len() * 2 < cells {
        return Err("the target is undefined at most sample points".into());
    }
    let out = Arc::new(out);
    cache.lock().unwrap().insert(key, out.clone());
    Ok(out)
}

/// Tries to refute an accepted certificate: exact arithmetic on the stated numbers, then
/// sampling at `samples` stratified points, at each `sup_lower_point` and inside each
/// witness box. `Err` names the first claim found false.
pub fn refute(cert: &Certificate, samples: usize, seed: u64) -> Result<(), String> {
    arithmetic_claims(cert)?;
    let d = cert.dim;
    let target = Target::parse(&cert.target, d).map_err(|e| format!("target: {e}"))?;
    let specs: Vec<GradeSpec> = cert
        .grades
        .iter()
        .map(|g| decode_grade(g, d).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let scratch = target.scratch();
    let mut eval = Residuals {
        target,
        specs: &specs,
        scratch,
    };
    let k = cert.grades.len();
    let sups: Vec<BigRational> = (0..=k)
        .map(|n| rat(&bounds_of(cert, n).sup_upper))
        .collect();
    let deltas: Vec<BigRational> = cert.grades.iter().map(|g| rat(&g.delta)).collect();
    let ps: Vec<f64> = cert
        .exponents
        .iter()
        .map(|p| rat(p).to_f64().unwrap_or(f64::NAN))
        .collect();
    let mut rng = Rng(seed);

    // Pointwise claims at stratified points; the L^p norms are estimated from the same
    // points (stratification makes the estimate accurate to well under a percent here).
    let points = stratified(&mut eval, &cert.target, samples)?;
    let mut sums = vec![vec![0.0f64; ps.len()]; k + 1];
    for sample in points.iter() {
        pointwise(&sample.at, &sups, &deltas, &sample.x)?;
        for (n, v) in sample.abs_mid.iter().enumerate() {
            for (s, p) in sums[n].iter_mut().zip(&ps) {
                *s += v.powf(*p);
            }
        }
    }
    let counted = points.len();
    // A stated enclosure more than 2 % off the estimate is refuted.
    for (n, sums) in sums.iter().enumerate() {
        for (i, lp) in bounds_of(cert, n).lp.iter().enumerate() {
            let estimate = (sums[i] / counted as f64).powf(1.0 / ps[i]);
            let lower = rat(&lp.lower).to_f64().unwrap_or(f64::NAN);
            let upper = rat(&lp.upper).to_f64().unwrap_or(f64::NAN);
            if !(lower <= estimate * 1.02 + 1e-9 && upper >= estimate * 0.98 - 1e-9) {
                return Err(format!(
                    "grade {n}: ||r_{n}||_{} is about {estimate:e}, stated [{lower:e}, \
                     {upper:e}]",
                    cert.exponents[i]
                ));
            }
        }
    }

    // The lower sup bounds, at their points.
    for n in 0..=k {
        let b = bounds_of(cert, n);
        let point = exact_point(&b.sup_lower_point, d)?;
        let at = eval
            .at(&point)?
            .ok_or(format!("grade {n}: the target is undefined at {point:?}"))?;
        pointwise(&at, &sups, &deltas, &point)?;
        if at.r[n].mag() < rat(&b.sup_lower) {
            return Err(format!(
                "grade {n}: |r_{n}({point:?})| <= {} < sup_lower = {}",
                at.r[n].mag(),
                b.sup_lower
            ));
        }
    }

    // The witnesses: inf |r_{n-1}| > sup |r_n| over the box, so every sampled |r_n| must be
    // below every sampled |r_{n-1}|. Corners first, then random points.
    for (i, grade) in cert.grades.iter().enumerate() {
        let n = i + 1;
        let mut lo = Vec::with_capacity(d);
        let mut hi = Vec::with_capacity(d);
        for [a, b] in &grade.witness {
            lo.push(exact_f64(a)?);
            hi.push(exact_f64(b)?);
        }
        if lo.len() != d
            || lo
                .iter()
                .zip(&hi)
                .any(|(a, b)| !(0.0 <= *a && a < b && *b <= 1.0))
        {
            return Err(format!(
                "grade {n}: the witness {:?} is no box",
                grade.witness
            ));
        }
        let mut worst_now = BigRational::zero();
        let mut best_before: Option<BigRational> = None;
        let mut x = vec![0.0; d];
        for s in 0..64 + (1usize << d) {
            for j in 0..d {
                x[j] = if s < 1 << d {
                    if s >> j & 1 == 1 {
                        hi[j]
                    } else {
                        lo[j]
                    }
                } else {
                    (lo[j] + rng.unit() * (hi[j] - lo[j])).clamp(lo[j], hi[j])
                };
            }
            let Some(at) = eval.at(&x)? else { continue };
            pointwise(&at, &sups, &deltas, &x)?;
            worst_now = worst_now.max(at.r[n].mig());
            let before = at.r[n - 1].mag();
            best_before = Some(best_before.map_or(before.clone(), |b| b.min(before)));
        }
        if best_before.is_some_and(|b| worst_now >= b) {
            return Err(format!(
                "grade {n}: no strict decay on the witness {:?}",
                grade.witness
            ));
        }
    }
    Ok(())
}

/// The pointwise claims at one point: `|r_n| <= U_n`, `|r_n| <= |r_{n-1}|` and
/// `|g_n - r_{n-1}| <= delta_n`.
fn pointwise(
    at: &AtPoint,
    sups: &[BigRational],
    deltas: &[BigRational],
    x: &[f64],
) -> Result<(), String> {
    for (n, r) in at.r.iter().enumerate() {
        if r.mig() > sups[n] {
            return Err(format!(
                "grade {n}: |r_{n}({x:?})| >= {} > U_{n} = {}",
                r.mig(),
                sups[n]
            ));
        }
        if n == 0 {
            continue;
        }
        let prev = &at.r[n - 1];
        if r.mig() > prev.mag() {
            return Err(format!("grade {n}: |r_{n}| > |r_{}| at {x:?}", n - 1));
        }
        let g = &at.g[n - 1];
        let miss = Span {
            lo: g - &prev.hi,
            hi: g - &prev.lo,
        };
        if miss.mig() > deltas[n - 1] {
            return Err(format!(
                "grade {n}: |g_{n} - r_{}| >= {} > delta at {x:?}",
                n - 1,
                miss.mig()
            ));
        }
    }
    Ok(())
}

fn exact_f64(t: &str) -> Result<f64, String> {
    exact::parse(t)
        .ok()
        .and_then(|r| exact::to_f64_exact(&r))
        .ok_or(format!("{t:?} is not an exact f64"))
}

fn exact_point(texts: &[String], d: usize) -> Result<Vec<f64>, String> {
    if texts.len() != d {
        return Err(format!("the point {texts:?} is not in dimension {d}"));
    }
    let x: Vec<f64> = texts
        .iter()
        .map(|t| exact_f64(t))
        .collect::<Result<_, _>>()?;
    if x.iter().any(|c| !(0.0..=1.0).contains(c)) {
        return Err(format!("the point {x:?} is outside the cube"));
    }
    Ok(x)
}

/// The claims that are arithmetic on the stated numbers, redone independently from the
/// documented meaning of each field.
fn arithmetic_claims(cert: &Certificate) -> Result<(), String> {
    let num = |t: &str| exact::parse(t).map_err(|e| format!("{t:?}: {e}"));
    if cert.format != FORMAT || cert.format_version != FORMAT_VERSION {
        return Err("another format".into());
    }
    let d = cert.dim;
    if !(1..=6).contains(&d) || cert.width != d + 3 {
        return Err(format!("width {} in dimension {d}", cert.width));
    }
    let (theta, kappa, rho) = (num(&cert.theta)?, num(&cert.kappa)?, num(&cert.rho)?);
    let one = BigRational::one();
    let unit = |r: &BigRational| r.is_positive() && *r < one;
    if !unit(&theta) || !unit(&kappa) || rho != &theta * (&one + &kappa) {
        return Err("theta, kappa, rho".into());
    }
    let exponents: Vec<BigRational> = cert
        .exponents
        .iter()
        .map(|p| num(p))
        .collect::<Result<_, _>>()?;
    if exponents.iter().any(|p| *p < one) {
        return Err("an exponent below 1".into());
    }
    let k = cert.grades.len();
    let mut previous = num(&cert.initial.sup_upper)?;
    for n in 0..=k {
        let b = bounds_of(cert, n);
        let sup = num(&b.sup_upper)?;
        if num(&b.sup_lower)? > sup {
            return Err(format!("grade {n}: sup_lower > sup_upper"));
        }
        if b.lp.len() != exponents.len() {
            return Err(format!("grade {n}: {} L^p bounds", b.lp.len()));
        }
        for (lp, p) in b.lp.iter().zip(&exponents) {
            if num(&lp.p)? != *p {
                return Err(format!(
                    "grade {n}: an L^p bound labelled p = {} sits where the exponent is {}",
                    lp.p,
                    text(p)
                ));
            }
            let (lo, hi) = (num(&lp.lower)?, num(&lp.upper)?);
            if lo > hi {
                return Err(format!("grade {n}: L^{} lower > upper", lp.p));
            }
        }
        let tree = PartitionTree::decode(&b.partition).map_err(|e| e.to_string())?;
        let mut leaves = 0usize;
        tree.for_each_leaf(d, |_| -> Result<(), ()> {
            leaves += 1;
            Ok(())
        })
        .map_err(|e| format!("grade {n}: {e}"))?
        .map_err(|_| "unreachable".to_string())?;
        if leaves != b.leaves {
            return Err(format!(
                "grade {n}: {} leaves stated, {leaves} in the tree",
                b.leaves
            ));
        }
        if n == 0 {
            continue;
        }
        let g = &cert.grades[n - 1];
        if g.grade != n {
            return Err(format!("grade {} in position {n}", g.grade));
        }
        let (eps, delta) = (num(&g.eps)?, num(&g.delta)?);
        if !eps.is_positive() || eps > &theta * &previous {
            return Err(format!("grade {n}: eps is not in (0, theta U_{}]", n - 1));
        }
        if delta.is_negative() || delta > &kappa * &eps {
            return Err(format!("grade {n}: delta is not in [0, kappa eps]"));
        }
        if sup > &rho * &previous {
            return Err(format!("grade {n}: U_{n} > rho U_{}", n - 1));
        }
        let hats = g.nodal_numerators.iter().filter(|m| **m != 0).count();
        let layers = (d + 1) * hats + 1;
        let w = d + 3;
        let first_in = if n == 1 { d } else { w };
        let params = (w * first_in + w) + (layers - 1) * (w * w + w) + (w + 1);
        if (g.hats, g.layers, g.params) != (hats, layers, params) {
            return Err(format!(
                "grade {n}: stated {} hats, {} layers, {} parameters; the nodal values give \
                 {hats}, {layers}, {params}",
                g.hats, g.layers, g.params
            ));
        }
        previous = sup;
    }
    match cert.stopped_by.as_str() {
        "grades" if cert.requested.grades == Some(k) => Ok(()),
        "tolerance" => match &cert.requested.tolerance {
            Some(t) if previous <= num(t)? => Ok(()),
            _ => Err("the tolerance is not met".into()),
        },
        "time limit" | "interrupted" | "budget" => Ok(()),
        other => Err(format!("stopped by {other:?}")),
    }
}
