//! Property tests against multigrade from another crate's point of view: generate targets
//! and operator parameters with `multigrade::testing::strategies`, build grades, and assert
//! that the residuals never grow; also show that a deliberately overshooting grade is caught
//! with a proven counterexample.
//!
//! This file is both an example (`cargo run --release --example property_testing`) and a
//! test target of its own (`cargo test --release --example property_testing`).

use std::sync::atomic::AtomicBool;

use multigrade::check::verify::decode_grade;
use multigrade::expr::Target;
use multigrade::grid::GradeSpec;
use multigrade::prover::prove;
use multigrade::testing::strategies::{configs, expression};
use multigrade::testing::{assert_nonincreasing_residuals, check_monotone, Monotonicity};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

/// Certifies grades for `source` and returns them as compact descriptions; `None` when the
/// prover declines (a target that vanishes on the whole cube has nothing to approximate).
fn grades_for(
    source: &str,
    dim: usize,
    config: &multigrade::prover::Config,
) -> Option<Vec<GradeSpec>> {
    let target = Target::parse(source, dim).expect("generated targets parse");
    let outcome = prove(&target, config, &AtomicBool::new(false), &mut |_| {}).ok()?;
    Some(
        outcome
            .certificate
            .grades
            .iter()
            .map(|g| decode_grade(g, dim).expect("valid"))
            .collect(),
    )
}

/// Every network the prover builds has nonincreasing residuals, for random targets and
/// random operator parameters.
fn built_networks_never_increase_the_residual(cases: u32) {
    let config = RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let mut runner = TestRunner::new(config);
    runner
        .run(&(expression(1), configs(2)), |(source, config)| {
            let grades = grades_for(&source, 1, &config);
            prop_assume!(grades.is_some());
            assert_nonincreasing_residuals(&source, 1, &grades.unwrap_or_default());
            Ok(())
        })
        .expect("the property holds");
}

/// A grade that doubles the residual's nodal values overshoots: the check must refute it
/// with a point.
fn an_overshooting_grade_is_refuted() -> String {
    let config = multigrade::prover::Config {
        grades: Some(1),
        ..Default::default()
    };
    let mut grades = grades_for("sin(2*pi*x)", 1, &config).expect("sin(2 pi x) certifies");
    for c in &mut grades[0].nodal {
        *c *= 3.0;
    }
    let target = Target::parse("sin(2*pi*x)", 1).expect("parses");
    match check_monotone(&target, &grades, 100_000) {
        Monotonicity::Refuted(violation) => violation.to_string(),
        other => panic!("the overshooting grade was not refuted: {other:?}"),
    }
}

fn main() {
    built_networks_never_increase_the_residual(16);
    println!("16 random targets and parameter sets: residuals never increase");
    println!(
        "an overshooting grade is refuted: {}",
        an_overshooting_grade_is_refuted()
    );
}

#[test]
fn property_built_networks_never_increase_the_residual() {
    built_networks_never_increase_the_residual(8);
}

#[test]
fn property_overshooting_grades_are_refuted() {
    let message = an_overshooting_grade_is_refuted();
    assert!(message.starts_with("grade 1: at x = "), "{message}");
}
