//! Tamper tests for the certificate checker.
//!
//! Two small valid certificates are built once per test binary (1D `sin(2*pi*x)` with 3
//! grades, 2D `sin(pi*x)*sin(pi*y)` with 2 grades). Every test edits copies of them and
//! asserts that the checker rejects each edit that makes a claim false, with the right error
//! class (`ClaimFails` naming the grade whose claim fails, `Unreadable` for structural
//! damage), and that every edit it accepts still states only true things: each accepted
//! certificate is handed to an independent sampling oracle (`tamper_support::refute`).
//!
//! Run with `cargo test --release --test tamper -- --nocapture` to see which edits were
//! accepted.

mod tamper_support;

use multigrade::cert::Certificate;
use multigrade::check::boxes::PartitionTree;
use multigrade::check::{check, CheckError};
use num_rational::BigRational;
use num_traits::{One, Zero};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use serde_json::Value;

use tamper_support::{
    bounds_mut, bounds_of, one_d, pow2, rat, ratio, refute, run_cases, scale, text, two_d, verdict,
    Case, Expect, Outcomes, Rng,
};

/// Sample points for the oracle on accepted table cases (1D, then 2D where the network is
/// larger and exact evaluation slower).
const SAMPLES_1D: usize = 2000;
const SAMPLES_2D: usize = 1000;

fn samples(cert: &Certificate) -> usize {
    if cert.dim == 1 {
        SAMPLES_1D
    } else {
        SAMPLES_2D
    }
}

/// Prints how a table fared (visible with `--nocapture`): every accepted edit is listed.
fn report(what: &str, outcomes: &Outcomes) {
    eprintln!(
        "{what}: {} unreadable, {} claim failures, {} accepted (each passed the oracle): \
         {:#?}",
        outcomes.unreadable,
        outcomes.claim_fails,
        outcomes.accepted.len(),
        outcomes.accepted
    );
}

/// A copy of `base` with `edit` applied.
fn edited(base: &Certificate, edit: impl FnOnce(&mut Certificate)) -> Certificate {
    let mut cert = base.clone();
    edit(&mut cert);
    cert
}

/// Guards the fixtures themselves: both valid certificates are accepted as complete, every
/// stated leaf count is the one checked, and the oracle finds nothing false in them (so an
/// oracle refutation elsewhere is not a false alarm).
#[test]
fn valid_certificates_are_accepted() {
    for cert in [one_d(), two_d()] {
        let summary = check(cert).unwrap_or_else(|e| panic!("{}: {e}", cert.target));
        assert!(summary.complete);
        let stated: Vec<usize> = (0..=cert.grades.len())
            .map(|n| bounds_of(cert, n).leaves)
            .collect();
        assert_eq!(summary.leaves, stated);
        refute(cert, samples(cert), 1).unwrap_or_else(|e| panic!("{}: {e}", cert.target));
        // The JSON text round-trips to the same certificate, which is accepted again; a
        // field the schema does not know makes the text unreadable.
        let json = serde_json::to_string(cert).unwrap();
        let back: Certificate = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, cert);
        assert!(check(&back).is_ok());
        let extra = json.replacen('{', r#"{"comment":"trust me","#, 1);
        assert!(serde_json::from_str::<Certificate>(&extra).is_err());
    }
}

/// Guards the oracle's power: certificates known to state something false are refuted by
/// it (otherwise "accepted and not refuted" would prove little).
#[test]
fn the_oracle_refutes_known_falsehoods() {
    let base = one_d();
    let falsehoods = [
        edited(base, |c| {
            let b = bounds_mut(c, 2);
            b.sup_upper = text(&(rat(&b.sup_lower) * ratio(9, 10)));
        }),
        edited(base, |c| {
            scale(&mut bounds_mut(c, 1).lp[1].lower, &ratio(11, 10))
        }),
        edited(base, |c| {
            scale(&mut bounds_mut(c, 3).lp[0].upper, &ratio(9, 10))
        }),
        edited(base, |c| {
            scale(&mut bounds_mut(c, 0).sup_lower, &ratio(101, 100))
        }),
        edited(base, |c| {
            c.grades[1].witness = vec![["0".into(), "1".into()]]
        }),
        edited(base, |c| {
            for m in &mut c.grades[0].nodal_numerators {
                *m *= 3;
            }
        }),
        edited(base, |c| c.grades[2].delta = "0".into()),
        edited(base, |c| c.initial.lp[1].p = "3".into()),
    ];
    for (i, cert) in falsehoods.iter().enumerate() {
        assert!(
            refute(cert, SAMPLES_1D, 7).is_err(),
            "falsehood {i} not refuted"
        );
    }
}

/// The edits of one partition-bearing `Bounds` (grade `n`, 0 for the target) that every
/// certificate must survive or refuse correctly.
fn bounds_cases(base: &Certificate, n: usize, cases: &mut Vec<Case>) {
    let last = base.grades.len();
    let b = bounds_of(base, n);
    let name = |what: &str| format!("{}: grade {n}: {what}", base.target);
    let up = BigRational::one() + pow2(-30);
    let down = BigRational::one() - pow2(-30);

    // sup_upper below the recomputed bound: set to the (true) lower sup bound.
    cases.push(Case::new(
        name("sup_upper := sup_lower"),
        edited(base, |c| {
            let b = bounds_mut(c, n);
            b.sup_upper = b.sup_lower.clone();
        }),
        Expect::Claim(n, &["sup bound"]),
    ));
    // A looser sup bound is a weaker, true claim in the last grade (and for the target,
    // where it only relaxes the next grade's threshold condition); in a middle grade it
    // may break that grade's contraction, and must then be a claim failure.
    cases.push(Case::new(
        name("sup_upper * 1.001"),
        edited(base, |c| {
            scale(&mut bounds_mut(c, n).sup_upper, &ratio(1001, 1000))
        }),
        if n == last || n == 0 {
            Expect::Accepted
        } else {
            Expect::AcceptedOrClaim
        },
    ));
    if n >= 1 {
        // Doubling U_n breaks U_n <= rho U_{n-1} (U_n / U_{n-1} is above rho / 2 here).
        cases.push(Case::new(
            name("sup_upper * 2"),
            edited(base, |c| {
                scale(&mut bounds_mut(c, n).sup_upper, &ratio(2, 1))
            }),
            Expect::Claim(n, &["contraction"]),
        ));
    }
    // The stated lower sup bound is exactly what the checker recomputes at its point.
    cases.push(Case::new(
        name("sup_lower * (1 + 2^-30)"),
        edited(base, |c| scale(&mut bounds_mut(c, n).sup_lower, &up)),
        Expect::Claim(n, &["lower sup bound"]),
    ));
    cases.push(Case::new(
        name("sup_lower := sup_upper"),
        edited(base, |c| {
            let b = bounds_mut(c, n);
            b.sup_lower = b.sup_upper.clone();
        }),
        Expect::Claim(n, &["lower sup bound"]),
    ));
    // Every residual vanishes at the origin (the targets do, hence every grade's nodal
    // value there is 0).
    cases.push(Case::new(
        name("sup_lower_point := origin"),
        edited(base, |c| {
            let d = c.dim;
            bounds_mut(c, n).sup_lower_point = vec!["0".into(); d];
        }),
        Expect::Claim(n, &["lower sup bound"]),
    ));
    cases.push(Case::new(
        name("sup_lower_point outside the cube"),
        edited(base, |c| bounds_mut(c, n).sup_lower_point[0] = "2".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("sup_lower_point not exact in f64"),
        edited(base, |c| bounds_mut(c, n).sup_lower_point[0] = "1/3".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("sup_lower / 2"),
        edited(base, |c| {
            scale(&mut bounds_mut(c, n).sup_lower, &ratio(1, 2))
        }),
        Expect::Accepted,
    ));

    for i in 0..b.lp.len() {
        let p = b.lp[i].p.clone();
        let lp = |what: &str| name(&format!("L^{p} {what}"));
        cases.push(Case::new(
            lp("lower * (1 + 2^-30)"),
            edited(base, |c| scale(&mut bounds_mut(c, n).lp[i].lower, &up)),
            Expect::Claim(n, &["L^p enclosure"]),
        ));
        cases.push(Case::new(
            lp("upper * (1 - 2^-30)"),
            edited(base, |c| scale(&mut bounds_mut(c, n).lp[i].upper, &down)),
            Expect::Claim(n, &["L^p enclosure"]),
        ));
        cases.push(Case::new(
            lp("lower := upper * 1.1"),
            edited(base, |c| {
                let l = &mut bounds_mut(c, n).lp[i];
                l.lower = text(&(rat(&l.upper) * ratio(11, 10)));
            }),
            Expect::Claim(n, &["L^p enclosure"]),
        ));
        cases.push(Case::new(
            lp("lower / 2"),
            edited(base, |c| {
                scale(&mut bounds_mut(c, n).lp[i].lower, &ratio(1, 2))
            }),
            Expect::Accepted,
        ));
        cases.push(Case::new(
            lp("lower := 0"),
            edited(base, |c| bounds_mut(c, n).lp[i].lower = "0".into()),
            Expect::Accepted,
        ));
        cases.push(Case::new(
            lp("upper * 2"),
            edited(base, |c| {
                scale(&mut bounds_mut(c, n).lp[i].upper, &ratio(2, 1))
            }),
            Expect::Accepted,
        ));
        // True but refused: a norm's lower bound must be nonnegative.
        cases.push(Case::new(
            lp("lower := -1"),
            edited(base, |c| bounds_mut(c, n).lp[i].lower = "-1".into()),
            Expect::Claim(n, &["L^p enclosure"]),
        ));
        cases.push(Case::new(
            lp("lower unparseable"),
            edited(base, |c| bounds_mut(c, n).lp[i].lower = "0.5.5".into()),
            Expect::Unreadable,
        ));
    }
    cases.push(Case::new(
        name("one L^p bound dropped"),
        edited(base, |c| {
            bounds_mut(c, n).lp.pop();
        }),
        Expect::Unreadable,
    ));

    for delta in [1i64, -1] {
        cases.push(Case::new(
            name(&format!("leaves {delta:+}")),
            edited(base, |c| {
                let b = bounds_mut(c, n);
                b.leaves = (b.leaves as i64 + delta) as usize;
            }),
            Expect::Unreadable,
        ));
    }
    // Damage to the partition's text, not its bits.
    cases.push(Case::new(
        name("partition bit count + 4, one more zero digit"),
        edited(base, |c| {
            let b = bounds_mut(c, n);
            let (count, digits) = b.partition.split_once(':').unwrap();
            let count: usize = count.parse().unwrap();
            b.partition = format!("{}:{digits}0", count + 4);
        }),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("partition with a non-hex digit"),
        edited(base, |c| {
            let b = bounds_mut(c, n);
            let (count, digits) = b.partition.split_once(':').unwrap();
            b.partition = format!("{count}:g{}", &digits[1..]);
        }),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("partition := a single leaf"),
        edited(base, |c| {
            let b = bounds_mut(c, n);
            b.partition = "1:0".into();
            b.leaves = 1;
        }),
        Expect::Claim(n, &[]),
    ));
}

/// The edits of grade `n >= 1`'s description, threshold, balance and witness.
fn grade_cases(base: &Certificate, n: usize, cases: &mut Vec<Case>) {
    let g = &base.grades[n - 1];
    let d = base.dim;
    let name = |what: &str| format!("{}: grade {n}: {what}", base.target);
    let largest = (0..g.nodal_numerators.len())
        .max_by_key(|&v| g.nodal_numerators[v].unsigned_abs())
        .unwrap();
    let some_zero = g.nodal_numerators.iter().position(|m| *m == 0);

    // Nodal numerators: a large change alters the grade; a nonzero value where there was
    // none alters the hat count too.
    cases.push(Case::new(
        name("largest nodal numerator + 10^6"),
        edited(base, |c| {
            c.grades[n - 1].nodal_numerators[largest] += 1_000_000
        }),
        Expect::Claim(n, &[]),
    ));
    cases.push(Case::new(
        name("largest nodal numerator negated"),
        edited(base, |c| {
            let m = &mut c.grades[n - 1].nodal_numerators[largest];
            *m = -*m;
        }),
        Expect::Claim(n, &[]),
    ));
    if let Some(v) = some_zero {
        cases.push(Case::new(
            name("a zero nodal numerator := 10^6"),
            edited(base, |c| c.grades[n - 1].nodal_numerators[v] = 1_000_000),
            Expect::Claim(n, &["network size"]),
        ));
    }
    cases.push(Case::new(
        name("a nodal numerator := 2^53 + 1"),
        edited(base, |c| {
            c.grades[n - 1].nodal_numerators[largest] = (1 << 53) + 1
        }),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("one nodal numerator too many"),
        edited(base, |c| c.grades[n - 1].nodal_numerators.push(0)),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("nodal_denominator * 2"),
        edited(base, |c| {
            scale(&mut c.grades[n - 1].nodal_denominator, &ratio(2, 1));
        }),
        Expect::Claim(n, &[]),
    ));
    cases.push(Case::new(
        name("nodal_denominator := 3"),
        edited(base, |c| c.grades[n - 1].nodal_denominator = "3".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("grid * 2"),
        edited(base, |c| c.grades[n - 1].grid *= 2),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("grid := 3"),
        edited(base, |c| c.grades[n - 1].grid = 3),
        Expect::Unreadable,
    ));
    for (field, what) in [(0usize, "hats"), (1, "layers"), (2, "params")] {
        cases.push(Case::new(
            name(&format!("{what} + 1")),
            edited(base, |c| {
                let g = &mut c.grades[n - 1];
                *[&mut g.hats, &mut g.layers, &mut g.params][field] += 1;
            }),
            Expect::Claim(n, &["network size"]),
        ));
    }
    cases.push(Case::new(
        name("grade number + 1"),
        edited(base, |c| c.grades[n - 1].grade += 1),
        Expect::Unreadable,
    ));

    // The threshold eps <= theta U_{n-1}, stated with equality up to rounding.
    cases.push(Case::new(
        name("eps * 2"),
        edited(base, |c| scale(&mut c.grades[n - 1].eps, &ratio(2, 1))),
        Expect::Claim(n, &["threshold"]),
    ));
    cases.push(Case::new(
        name("eps / 2"),
        edited(base, |c| scale(&mut c.grades[n - 1].eps, &ratio(1, 2))),
        Expect::Claim(n, &[]),
    ));
    cases.push(Case::new(
        name("eps := 0"),
        edited(base, |c| c.grades[n - 1].eps = "0".into()),
        Expect::Claim(n, &["threshold"]),
    ));
    cases.push(Case::new(
        name("eps := 1/3 (not an f64)"),
        edited(base, |c| c.grades[n - 1].eps = "1/3".into()),
        Expect::Unreadable,
    ));

    // The balance delta: the stated value is the recomputed one, so any decrease fails on
    // some leaf; above kappa eps the grade is not balanced.
    let kappa_eps = rat(&base.kappa) * rat(&g.eps);
    cases.push(Case::new(
        name("delta := 0"),
        edited(base, |c| c.grades[n - 1].delta = "0".into()),
        Expect::Claim(n, &["balance"]),
    ));
    cases.push(Case::new(
        name("delta * (1 - 2^-30)"),
        edited(base, |c| {
            scale(
                &mut c.grades[n - 1].delta,
                &(BigRational::one() - pow2(-30)),
            );
        }),
        Expect::Claim(n, &["balance"]),
    ));
    cases.push(Case::new(
        name("delta := kappa eps + 2^-80"),
        edited(base, |c| {
            c.grades[n - 1].delta = text(&(&kappa_eps + pow2(-80)))
        }),
        Expect::Claim(n, &["balance"]),
    ));
    cases.push(Case::new(
        name("delta := -1/2"),
        edited(base, |c| c.grades[n - 1].delta = "-1/2".into()),
        Expect::Claim(n, &["balance"]),
    ));
    cases.push(Case::new(
        name("delta := kappa eps (weaker, true)"),
        edited(base, |c| c.grades[n - 1].delta = text(&kappa_eps)),
        Expect::Accepted,
    ));

    // The strict-decay witness.
    let tiny = text(&pow2(-10));
    cases.push(Case::new(
        name("witness moved to the origin's corner"),
        edited(base, |c| {
            c.grades[n - 1].witness = vec![["0".into(), tiny.clone()]; d]
        }),
        Expect::Claim(n, &["strict decay"]),
    ));
    cases.push(Case::new(
        name("witness := the whole cube"),
        edited(base, |c| {
            c.grades[n - 1].witness = vec![["0".into(), "1".into()]; d]
        }),
        Expect::Claim(n, &["strict decay"]),
    ));
    cases.push(Case::new(
        name("witness of zero volume"),
        edited(base, |c| {
            let w = &mut c.grades[n - 1].witness[d - 1];
            w[1] = w[0].clone();
        }),
        Expect::Claim(n, &["strict decay"]),
    ));
    cases.push(Case::new(
        name("witness reversed"),
        edited(base, |c| c.grades[n - 1].witness[0].swap(0, 1)),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("witness with one side too many"),
        edited(base, |c| {
            let w = &mut c.grades[n - 1].witness;
            w.push(w[0].clone());
        }),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("witness leaving the cube"),
        edited(base, |c| {
            c.grades[n - 1].witness[0] = ["1".into(), "2".into()]
        }),
        Expect::Unreadable,
    ));
    // A sub-box of a witness is a witness: a true claim.
    cases.push(Case::new(
        name("witness shrunk to its lower half"),
        edited(base, |c| {
            let w = &mut c.grades[n - 1].witness[0];
            w[1] = text(&((rat(&w[0]) + rat(&w[1])) * ratio(1, 2)));
        }),
        Expect::Accepted,
    ));
}

fn field_cases(base: &Certificate) -> Vec<Case> {
    let mut cases = Vec::new();
    for n in 0..=base.grades.len() {
        bounds_cases(base, n, &mut cases);
    }
    for n in 1..=base.grades.len() {
        grade_cases(base, n, &mut cases);
    }
    cases
}

/// Guards every numeric field of every grade of the 1D certificate: false claims are
/// refused at their grade, structural damage is unreadable, weaker true claims pass.
#[test]
fn field_tampering_1d() {
    let outcomes = run_cases(field_cases(one_d()), SAMPLES_1D);
    report("field tampering, 1D", &outcomes);
}

/// The same edits on the 2D certificate.
#[test]
fn field_tampering_2d() {
    let outcomes = run_cases(field_cases(two_d()), SAMPLES_2D);
    report("field tampering, 2D", &outcomes);
}

/// The first grade whose balance or contraction fails once kappa and rho are replaced.
fn first_unbalanced(cert: &Certificate, kappa: &BigRational, rho: &BigRational) -> usize {
    let mut previous = rat(&cert.initial.sup_upper);
    for g in &cert.grades {
        let sup = rat(&g.bounds.sup_upper);
        if rat(&g.delta) > kappa * rat(&g.eps) || sup > rho * &previous {
            return g.grade;
        }
        previous = sup;
    }
    0
}

/// Guards the top-level fields: format, width, dimension, target, parameters, exponents
/// and the stopping rule.
fn global_cases(base: &Certificate, cases: &mut Vec<Case>) {
    let k = base.grades.len();
    let d = base.dim;
    let name = |what: &str| format!("{}: {what}", base.target);
    let last_sup = rat(&base.grades[k - 1].bounds.sup_upper);

    cases.push(Case::new(
        name("format_version := 2"),
        edited(base, |c| c.format_version = 2),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("format_version := 0"),
        edited(base, |c| c.format_version = 0),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("format renamed"),
        edited(base, |c| c.format = "multigrade-certificate-v2".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("width + 1"),
        edited(base, |c| c.width += 1),
        Expect::Claim(0, &["fixed width"]),
    ));
    cases.push(Case::new(
        name("width - 1"),
        edited(base, |c| c.width -= 1),
        Expect::Claim(0, &["fixed width"]),
    ));
    cases.push(Case::new(
        name("dim := 0"),
        edited(base, |c| c.dim = 0),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("dim := 7"),
        edited(base, |c| c.dim = 7),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("dim + 1 and width + 1"),
        edited(base, |c| {
            c.dim += 1;
            c.width += 1;
        }),
        // The target's partition now splits other axes: its bounds fail, or the grades'
        // nodal counts do not fit the dimension.
        Expect::Rejected(0),
    ));
    cases.push(Case::new(
        name("target unparseable"),
        edited(base, |c| {
            c.target.pop();
        }),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("target uses a variable beyond dim"),
        edited(base, |c| c.target = format!("{} + 0*x{}", c.target, d + 1)),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("target + 0.01"),
        edited(base, |c| c.target = format!("{}+0.01", c.target)),
        Expect::Claim(0, &[]),
    ));
    cases.push(Case::new(
        name("target * 1.01"),
        edited(base, |c| c.target = format!("({})*1.01", c.target)),
        Expect::Claim(0, &[]),
    ));
    // The negated target has the same sup and L^p norms, so grade 0 holds: grade 1 fails.
    cases.push(Case::new(
        name("target negated"),
        edited(base, |c| c.target = format!("-({})", c.target)),
        Expect::Claim(1, &[]),
    ));
    // The same function, written differently, evaluates to the same bits: a true claim.
    cases.push(Case::new(
        name("target + 0 (the same function)"),
        edited(base, |c| c.target = format!(" {} + 0 ", c.target)),
        Expect::Accepted,
    ));

    // theta, kappa and rho.
    cases.push(Case::new(
        name("theta alone changed"),
        edited(base, |c| c.theta = "3/5".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("kappa alone changed"),
        edited(base, |c| c.kappa = "1/4".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("rho alone changed"),
        edited(base, |c| c.rho = "1/2".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("theta := 1, rho := 1 + kappa"),
        edited(base, |c| {
            c.theta = "1".into();
            c.rho = text(&(BigRational::one() + rat(&c.kappa)));
        }),
        Expect::Unreadable,
    ));
    let kappa = rat(&base.kappa);
    let theta = rat(&base.theta);
    cases.push(Case::new(
        name("theta halved, rho consistent"),
        edited(base, |c| {
            c.theta = text(&(&theta / BigRational::from_integer(2.into())));
            c.rho = text(
                &(&theta / BigRational::from_integer(2.into()) * (&kappa + BigRational::one())),
            );
        }),
        Expect::Claim(1, &["threshold"]),
    ));
    let small_kappa = ratio(1, 4);
    let small_rho = &theta * (&small_kappa + BigRational::one());
    cases.push(Case::new(
        name("kappa := 1/4, rho consistent"),
        edited(base, |c| {
            c.kappa = text(&small_kappa);
            c.rho = text(&small_rho);
        }),
        match first_unbalanced(base, &small_kappa, &small_rho) {
            0 => Expect::Accepted,
            n => Expect::Claim(n, &["balance", "contraction"]),
        },
    ));
    // Larger theta and rho make the threshold and contraction claims weaker: still true.
    cases.push(Case::new(
        name("theta := 3/5, rho consistent (weaker)"),
        edited(base, |c| {
            c.theta = "3/5".into();
            c.rho = text(&(ratio(3, 5) * (&kappa + BigRational::one())));
        }),
        Expect::Accepted,
    ));

    // Exponents.
    let two = base.exponents.iter().position(|p| p == "2").unwrap();
    cases.push(Case::new(
        name("exponent 2 := 3 in the list"),
        edited(base, |c| c.exponents[two] = "3".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("exponent 2 := 3 in the list and every label"),
        edited(base, |c| {
            c.exponents[two] = "3".into();
            for n in 0..=k {
                bounds_mut(c, n).lp[two].p = "3".into();
            }
        }),
        Expect::Claim(0, &["L^p enclosure"]),
    ));
    cases.push(Case::new(
        name("exponent := 1/2"),
        edited(base, |c| c.exponents[0] = "1/2".into()),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("one exponent dropped"),
        edited(base, |c| {
            c.exponents.pop();
        }),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("exponents and every lp list reversed together"),
        edited(base, |c| {
            c.exponents.reverse();
            for n in 0..=k {
                bounds_mut(c, n).lp.reverse();
            }
        }),
        Expect::Accepted,
    ));

    // The stopping rule.
    cases.push(Case::new(
        name("stopped by a tolerance below the final bound"),
        edited(base, |c| {
            c.stopped_by = "tolerance".into();
            c.requested.tolerance = Some(text(&(&last_sup * ratio(1, 2))));
        }),
        Expect::Claim(k, &["tolerance"]),
    ));
    cases.push(Case::new(
        name("stopped by a tolerance one ulp-ish below the final bound"),
        edited(base, |c| {
            c.stopped_by = "tolerance".into();
            c.requested.tolerance = Some(text(&(&last_sup - pow2(-80))));
        }),
        Expect::Claim(k, &["tolerance"]),
    ));
    cases.push(Case::new(
        name("stopped by a tolerance equal to the final bound"),
        edited(base, |c| {
            c.stopped_by = "tolerance".into();
            c.requested.tolerance = Some(text(&last_sup));
        }),
        Expect::Accepted,
    ));
    cases.push(Case::new(
        name("stopped by tolerance without one"),
        edited(base, |c| {
            c.stopped_by = "tolerance".into();
            c.requested.tolerance = None;
        }),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("requested one grade more"),
        edited(base, |c| c.requested.grades = Some(k + 1)),
        Expect::Claim(k, &["stopping rule"]),
    ));
    cases.push(Case::new(
        name("requested no grade count but stopped by grades"),
        edited(base, |c| c.requested.grades = None),
        Expect::Claim(k, &["stopping rule"]),
    ));
    cases.push(Case::new(
        name("stopped by an unknown reason"),
        edited(base, |c| c.stopped_by = "finished".into()),
        Expect::Unreadable,
    ));
    // A partial run claims less: accepted (the summary says it is incomplete).
    cases.push(Case::new(
        name("stopped by the time limit"),
        edited(base, |c| c.stopped_by = "time limit".into()),
        Expect::Accepted,
    ));
}

/// Guards the list of grades: order, numbering, removals and duplicates.
fn grade_list_cases(base: &Certificate, cases: &mut Vec<Case>) {
    let k = base.grades.len();
    let name = |what: &str| format!("{}: {what}", base.target);
    let renumber = |c: &mut Certificate| {
        for (i, g) in c.grades.iter_mut().enumerate() {
            g.grade = i + 1;
        }
    };

    cases.push(Case::new(
        name("grade 2 numbered 3"),
        edited(base, |c| c.grades[1].grade = 3),
        Expect::Unreadable,
    ));
    cases.push(Case::new(
        name("grade 1 removed, not renumbered"),
        edited(base, |c| {
            c.grades.remove(0);
            c.requested.grades = Some(k - 1);
        }),
        Expect::Unreadable,
    ));
    // Without grade 1, grade 2's nodal values no longer interpolate the residual.
    cases.push(Case::new(
        name("grade 1 removed and the rest renumbered"),
        edited(base, |c| {
            c.grades.remove(0);
            renumber(c);
            c.requested.grades = Some(k - 1);
        }),
        Expect::Claim(1, &[]),
    ));
    if k >= 3 {
        cases.push(Case::new(
            name("middle grade removed, not renumbered"),
            edited(base, |c| {
                c.grades.remove(1);
                c.requested.grades = Some(k - 1);
            }),
            Expect::Unreadable,
        ));
        cases.push(Case::new(
            name("middle grade removed and renumbered"),
            edited(base, |c| {
                c.grades.remove(1);
                renumber(c);
                c.requested.grades = Some(k - 1);
            }),
            Expect::Claim(2, &[]),
        ));
    }
    cases.push(Case::new(
        name("grades 1 and 2 swapped and renumbered"),
        edited(base, |c| {
            c.grades.swap(0, 1);
            renumber(c);
        }),
        Expect::Claim(1, &[]),
    ));
    cases.push(Case::new(
        name("last grade removed"),
        edited(base, |c| {
            c.grades.pop();
        }),
        Expect::Claim(k - 1, &["stopping rule"]),
    ));
    cases.push(Case::new(
        name("last grade removed, request adjusted"),
        edited(base, |c| {
            c.grades.pop();
            c.requested.grades = Some(k - 1);
        }),
        Expect::Accepted,
    ));
    cases.push(Case::new(
        name("last grade removed, stopped by the time limit"),
        edited(base, |c| {
            c.grades.pop();
            c.stopped_by = "time limit".into();
        }),
        Expect::Accepted,
    ));
    // Only the target's own bounds, for a request of zero grades: vacuous but true.
    cases.push(Case::new(
        name("every grade removed, zero requested"),
        edited(base, |c| {
            c.grades.clear();
            c.requested.grades = Some(0);
        }),
        Expect::Accepted,
    ));
    // Repeating the last grade subtracts its output twice.
    cases.push(Case::new(
        name("last grade repeated"),
        edited(base, |c| {
            let mut again = c.grades[k - 1].clone();
            again.grade = k + 1;
            c.grades.push(again);
            c.requested.grades = Some(k + 1);
        }),
        Expect::Claim(k + 1, &[]),
    ));
}

/// Guards the top-level fields and the grade list of the 1D certificate.
#[test]
fn global_and_grade_list_tampering_1d() {
    let base = one_d();
    let mut cases = Vec::new();
    global_cases(base, &mut cases);
    grade_list_cases(base, &mut cases);
    // cos has the same sup and L^p norms as sin but not the same value at the lower sup
    // bound's point.
    cases.push(Case::new(
        "sin(2*pi*x) := cos(2*pi*x)",
        edited(base, |c| c.target = "cos(2*pi*x)".into()),
        Expect::Claim(0, &[]),
    ));
    let outcomes = run_cases(cases, SAMPLES_1D);
    report("global and grade-list tampering, 1D", &outcomes);
}

/// The same on the 2D certificate, plus a symmetric rewrite of the target.
#[test]
fn global_and_grade_list_tampering_2d() {
    let base = two_d();
    let mut cases = Vec::new();
    global_cases(base, &mut cases);
    grade_list_cases(base, &mut cases);
    cases.push(Case::new(
        "sin(pi*x)*sin(pi*y) := sin(pi*x)*sin(2*pi*y)",
        edited(base, |c| c.target = "sin(pi*x)*sin(2*pi*y)".into()),
        Expect::Claim(0, &[]),
    ));
    // Multiplication of intervals commutes: the swapped product is the same function with
    // the same enclosures.
    cases.push(Case::new(
        "sin(pi*x)*sin(pi*y) := sin(pi*y)*sin(pi*x)",
        edited(base, |c| c.target = "sin(pi*y)*sin(pi*x)".into()),
        Expect::Accepted,
    ));
    let outcomes = run_cases(cases, SAMPLES_2D);
    report("global and grade-list tampering, 2D", &outcomes);
}

// ---------------------------------------------------------------------------------------
// Partitions

fn flip_bit(partition: &str, position: usize) -> String {
    let mut tree = PartitionTree::decode(partition).expect("a valid partition");
    tree.bits[position] = !tree.bits[position];
    tree.encode()
}

fn bit_count(partition: &str) -> usize {
    PartitionTree::decode(partition).unwrap().bits.len()
}

/// Every single-bit flip at the given positions of grade `n`'s partition: rejected as
/// unreadable or by a claim of grade `n`; accepted only if still true.
fn flip_cases(base: &Certificate, n: usize, positions: &[usize]) -> Vec<Case> {
    positions
        .iter()
        .map(|&i| {
            Case::new(
                format!("{}: grade {n}: partition bit {i} flipped", base.target),
                edited(base, |c| {
                    let b = bounds_mut(c, n);
                    b.partition = flip_bit(&b.partition, i);
                }),
                Expect::NotFalselyAccepted(n),
            )
        })
        .collect()
}

/// Guards the 1D partitions bit by bit: every position of the target's partition and of
/// grade 1's, 50 random positions of grades 2 and 3.
#[test]
fn partition_bit_flips_1d() {
    let base = one_d();
    let mut cases = Vec::new();
    for n in 0..=1 {
        let all: Vec<usize> = (0..bit_count(&bounds_of(base, n).partition)).collect();
        cases.extend(flip_cases(base, n, &all));
    }
    let mut rng = Rng(11);
    for n in 2..=3 {
        let bits = bit_count(&bounds_of(base, n).partition);
        let some: Vec<usize> = (0..50).map(|_| rng.below(bits)).collect();
        cases.extend(flip_cases(base, n, &some));
    }
    let total = cases.len();
    let outcomes = run_cases(cases, SAMPLES_1D);
    report(&format!("partition bit flips, 1D ({total})"), &outcomes);
    // A flip changes the number of splits by one and keeps the bit count, while a tree of
    // s splits has exactly 2 s + 1 bits: no single flip leaves a well-formed tree.
    assert!(outcomes.accepted.is_empty());
}

/// The same on the 2D partitions, 20 random positions each (a 2D check is slower).
#[test]
fn partition_bit_flips_2d() {
    let base = two_d();
    let mut cases = Vec::new();
    let mut rng = Rng(12);
    for n in 0..=2 {
        let bits = bit_count(&bounds_of(base, n).partition);
        let some: Vec<usize> = (0..20).map(|_| rng.below(bits)).collect();
        cases.extend(flip_cases(base, n, &some));
    }
    let total = cases.len();
    let outcomes = run_cases(cases, SAMPLES_2D);
    report(&format!("partition bit flips, 2D ({total})"), &outcomes);
    // A flip changes the number of splits by one and keeps the bit count, while a tree of
    // s splits has exactly 2 s + 1 bits: no single flip leaves a well-formed tree.
    assert!(outcomes.accepted.is_empty());
}

/// Guards well-formed edits of a partition, with the leaf count kept consistent: merging
/// two sibling leaves (`100` becomes `0`) or splitting a leaf (`0` becomes `100`). Each
/// is a different, valid partition: the checker may accept it only if every claim still
/// holds on it (a coarser partition usually breaks the tight stated bounds).
#[test]
fn partition_well_formed_edits_1d() {
    let base = one_d();
    let mut cases = Vec::new();
    for n in 0..=base.grades.len() {
        let tree = PartitionTree::decode(&bounds_of(base, n).partition).unwrap();
        let bits = &tree.bits;
        let merges: Vec<usize> = (0..bits.len().saturating_sub(2))
            .filter(|&i| bits[i] && !bits[i + 1] && !bits[i + 2])
            .collect();
        let leaves: Vec<usize> = (0..bits.len()).filter(|&i| !bits[i]).collect();
        let every = |v: &[usize]| -> Vec<usize> {
            let step = v.len().div_ceil(8).max(1);
            v.iter().step_by(step).copied().collect()
        };
        for i in every(&merges) {
            let mut merged = tree.clone();
            merged.bits.splice(i..i + 3, [false]);
            cases.push(Case::new(
                format!(
                    "{}: grade {n}: sibling leaves merged at bit {i}",
                    base.target
                ),
                edited(base, |c| {
                    let b = bounds_mut(c, n);
                    b.partition = merged.encode();
                    b.leaves -= 1;
                }),
                Expect::NotFalselyAccepted(n),
            ));
        }
        for i in every(&leaves) {
            let mut split = tree.clone();
            split.bits.splice(i..i + 1, [true, false, false]);
            cases.push(Case::new(
                format!("{}: grade {n}: leaf at bit {i} split", base.target),
                edited(base, |c| {
                    let b = bounds_mut(c, n);
                    b.partition = split.encode();
                    b.leaves += 1;
                }),
                Expect::NotFalselyAccepted(n),
            ));
        }
    }
    let total = cases.len();
    let outcomes = run_cases(cases, SAMPLES_1D);
    report(
        &format!("well-formed partition edits, 1D ({total})"),
        &outcomes,
    );
}

// ---------------------------------------------------------------------------------------
// Hand-made overshooting grades

/// Guards the monotonicity and balance claims against a grade that overshoots: grade 1 of
/// the 1D certificate with every nodal value tripled (the hat count, layers and parameters
/// do not change) outputs `S_eps(3 g)`, which exceeds the target where `sin > 1/4`.
#[test]
fn a_tripled_grade_is_rejected_at_grade_1() {
    let cert = edited(one_d(), |c| {
        for m in &mut c.grades[0].nodal_numerators {
            *m *= 3;
        }
    });
    match check(&cert) {
        Err(CheckError::ClaimFails {
            grade: 1, claim, ..
        }) => {
            assert!(["monotonicity", "balance"].contains(&claim), "{claim}");
        }
        other => panic!("expected a grade 1 claim failure, got {other:?}"),
    }
}

/// The same with only the largest nodal value and its two neighbours tripled: the grade
/// overshoots near one place only.
#[test]
fn a_local_overshoot_is_rejected_at_grade_1() {
    let base = one_d();
    let nodal = &base.grades[0].nodal_numerators;
    let top = (0..nodal.len()).max_by_key(|&v| nodal[v]).unwrap();
    let cert = edited(base, |c| {
        for v in top.saturating_sub(1)..=(top + 1).min(nodal.len() - 1) {
            c.grades[0].nodal_numerators[v] *= 3;
        }
    });
    assert_eq!(
        cert.grades[0].hats, base.grades[0].hats,
        "tripling keeps the hat count"
    );
    match check(&cert) {
        Err(CheckError::ClaimFails {
            grade: 1, claim, ..
        }) => {
            assert!(["monotonicity", "balance"].contains(&claim), "{claim}");
        }
        other => panic!("expected a grade 1 claim failure, got {other:?}"),
    }
    // A single overshooting vertex in the last grade is caught there.
    let last = base.grades.len();
    let nodal = &base.grades[last - 1].nodal_numerators;
    let top = (0..nodal.len()).max_by_key(|&v| nodal[v]).unwrap();
    let cert = edited(base, |c| c.grades[last - 1].nodal_numerators[top] *= 3);
    assert!(
        matches!(check(&cert), Err(CheckError::ClaimFails { grade, .. }) if grade == last),
        "{:?}",
        check(&cert)
    );
}

// ---------------------------------------------------------------------------------------
// Known gap (see the report): the `p` label of an L^p bound is not compared with the
// exponent it stands for.

/// Guards the meaning of each `lp` entry: its `p` must be the exponent at the same position
/// in `exponents` (the schema says so, and `summary` prints the label). Swapping the labels
/// alone makes the certificate state the L^1 enclosure as an L^2 one and vice versa, which
/// is false; today the checker accepts it.
#[test]

fn lp_labels_must_match_the_exponents() {
    let base = one_d();
    let swapped = edited(base, |c| {
        for n in 0..=c.grades.len() {
            let lp = &mut bounds_mut(c, n).lp;
            let (a, b) = (lp[0].p.clone(), lp[1].p.clone());
            lp[0].p = b;
            lp[1].p = a;
        }
    });
    assert!(
        refute(&swapped, SAMPLES_1D, 3).is_err(),
        "the swap states falsehoods"
    );
    assert!(check(&swapped).is_err(), "swapped L^p labels accepted");
    // ||sin(2 pi x)||_3 = (4 / (3 pi))^(1/3) = 0.7515..., outside the stated L^2 enclosure
    // [0.7048, 0.7106].
    let relabelled = edited(base, |c| c.initial.lp[1].p = "3".into());
    assert!(
        check(&relabelled).is_err(),
        "an L^2 bound labelled L^3 accepted"
    );
    let garbage = edited(base, |c| c.initial.lp[1].p = "banana".into());
    assert!(check(&garbage).is_err(), "a non-numeric L^p label accepted");
}

/// Guards the checker's cost against tiny inputs with huge values: `1e999999` is nine
/// characters, a true (very weak) sup bound for the target, and today costs about a
/// minute, since every leaf compares against a three-million-bit rational.
#[test]

fn a_short_number_with_a_huge_exponent_is_checked_quickly() {
    let cert = edited(one_d(), |c| c.initial.sup_upper = "1e999999".into());
    let start = std::time::Instant::now();
    let _ = check(&cert);
    assert!(
        start.elapsed().as_secs_f64() < 5.0,
        "took {:?}",
        start.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// Random single-field mutations

/// Every numeric leaf of the certificate's JSON (numbers and numeric strings), as a JSON
/// pointer, grouped by field (array indices become `*`). Texts that are not numbers
/// (format, target, stop reason), the partitions (flipped bit-wise below) and the `p`
/// labels of the L^p bounds (the known gap above) are left out.
fn numeric_leaves(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if ["format", "target", "stopped_by", "partition", "p"].contains(&key.as_str()) {
                    continue;
                }
                numeric_leaves(v, &format!("{path}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                numeric_leaves(v, &format!("{path}/{i}"), out);
            }
        }
        Value::Number(_) => out.push((group_of(path), path.to_string())),
        Value::String(s) if multigrade::exact::parse(s).is_ok() => {
            out.push((group_of(path), path.to_string()))
        }
        _ => {}
    }
}

fn group_of(path: &str) -> String {
    path.split('/')
        .map(|s| if s.parse::<usize>().is_ok() { "*" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// One random mutation: which field group, which instance, which operation and its size.
#[derive(Clone, Debug)]
struct Mutation {
    group: usize,
    instance: prop::sample::Index,
    op: u8,
    size: u32,
}

fn mutate_number(n: &serde_json::Number, op: u8, size: u32) -> Value {
    let v = n.as_i64().unwrap_or(0);
    let big = 1i64 << (size % 20);
    let out = match op % 6 {
        0 => v + 1,
        1 => v - 1,
        2 => v.saturating_mul(2),
        3 => 0,
        4 => v.saturating_add(big),
        _ => -v,
    };
    Value::from(out)
}

fn mutate_rational(r: &BigRational, op: u8, size: u32) -> BigRational {
    let tiny = pow2(-(size as i32 % 60));
    match op % 8 {
        0 => r * BigRational::from_integer(2.into()),
        1 => r * ratio(1, 2),
        2 => -r.clone(),
        3 => BigRational::zero(),
        4 => r * (BigRational::one() + &tiny),
        5 => r * (BigRational::one() - &tiny),
        6 => r + &tiny,
        _ => r - &tiny,
    }
}

/// Guards against any single-field mutation being accepted while false: random mutations
/// of the 1D certificate's numeric fields and partition bits are rejected, or accepted
/// only if the sampling oracle refutes nothing (2,000 points, exact network arithmetic).
#[test]
fn random_single_field_mutations_are_rejected_or_true() {
    let base = one_d();
    let json = serde_json::to_value(base).unwrap();
    let mut leaves = Vec::new();
    numeric_leaves(&json, "", &mut leaves);
    let mut groups: Vec<String> = leaves.iter().map(|(g, _)| g.clone()).collect();
    groups.sort();
    groups.dedup();
    // One more group: a partition bit of any grade.
    let partition_group = groups.len();

    let strategy = (
        0..=partition_group,
        any::<prop::sample::Index>(),
        any::<u8>(),
        0..64u32,
    )
        .prop_map(|(group, instance, op, size)| Mutation {
            group,
            instance,
            op,
            size,
        });
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 64,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let tally = std::cell::RefCell::new((0usize, 0usize, Vec::<String>::new()));
    let outcome = runner.run(&strategy, |m| {
        let mut value = json.clone();
        let what;
        if m.group == partition_group {
            let n = m.instance.index(base.grades.len() + 1);
            let bits = bit_count(&bounds_of(base, n).partition);
            let i = (m.size as usize * 7919 + m.op as usize) % bits;
            let pointer = if n == 0 {
                "/initial/partition".to_string()
            } else {
                format!("/grades/{}/bounds/partition", n - 1)
            };
            let slot = value.pointer_mut(&pointer).unwrap();
            *slot = Value::from(flip_bit(slot.as_str().unwrap(), i));
            what = format!("{pointer}: bit {i} flipped");
        } else {
            let group = &groups[m.group];
            let members: Vec<&String> = leaves
                .iter()
                .filter(|(g, _)| g == group)
                .map(|(_, p)| p)
                .collect();
            let pointer = members[m.instance.index(members.len())];
            let slot = value.pointer_mut(pointer).unwrap();
            let before = slot.to_string();
            *slot = match &*slot {
                Value::Number(n) => mutate_number(n, m.op, m.size),
                Value::String(s) => {
                    let r = multigrade::exact::parse(s).unwrap();
                    Value::from(text(&mutate_rational(&r, m.op, m.size)))
                }
                other => other.clone(),
            };
            what = format!("{pointer}: {before} -> {slot}");
        }
        // A value the schema cannot hold (a negative count) is refused by the reader.
        let Ok(cert) = serde_json::from_value::<Certificate>(value) else {
            tally.borrow_mut().0 += 1;
            return Ok(());
        };
        let v = verdict(&cert).map_err(|e| TestCaseError::fail(format!("{what}: {e}")))?;
        match v {
            Err(_) => tally.borrow_mut().0 += 1,
            Ok(_) => {
                if let Err(why) = refute(&cert, SAMPLES_1D, m.size as u64 + 99) {
                    return Err(TestCaseError::fail(format!(
                        "{what}: ACCEPTED BUT FALSE: {why}"
                    )));
                }
                let mut t = tally.borrow_mut();
                t.1 += 1;
                t.2.push(what);
            }
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let (rejected, accepted, names) = tally.into_inner();
    eprintln!("random mutations: {rejected} rejected, {accepted} accepted and not refuted:");
    for name in names {
        eprintln!("  {name}");
    }
}
