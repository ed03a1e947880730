//! The library in brief: parse a target, certify grades until the sup bound is below a
//! tolerance, re-check the certificate independently, and evaluate the network exactly.
//! Run with `cargo run --release --example certify_and_check`.

use std::sync::atomic::AtomicBool;

use num_rational::BigRational;

use multigrade::check::{check, verify::decode_grade};
use multigrade::expr::Target;
use multigrade::network::Network;
use multigrade::prover::{prove, Config, Event};
use multigrade::{exact, summary::Summary};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // f(x, y) = |x - y| on [0,1]^2, to a certified sup error of 0.05.
    let target = Target::parse("abs(x - y)", 2)?;
    let config = Config {
        tolerance: Some(exact::parse("0.05")?),
        ..Config::default()
    };

    let interrupted = AtomicBool::new(false);
    let mut progress = |event: Event| {
        if let Event::Certified {
            grade, sup_upper, ..
        } = event
        {
            eprintln!("grade {grade}: sup |r| <= {sup_upper:.3e}");
        }
    };
    let outcome = prove(&target, &config, &interrupted, &mut progress)?;
    let cert = &outcome.certificate;
    print!("{}", Summary::of(cert).table());

    // The checker re-derives every claim from the certificate alone.
    let verdict = check(cert)?;
    println!(
        "checked {} leaves: every claim holds",
        verdict.total_leaves()
    );

    // The network, rebuilt from the certificate, evaluated in exact rationals.
    let specs = cert
        .grades
        .iter()
        .map(|g| decode_grade(g, 2))
        .collect::<Result<Vec<_>, _>>()?;
    let x = vec![
        BigRational::new(1.into(), 3.into()),
        BigRational::new(3.into(), 4.into()),
    ];
    let approximations = Network::new(&specs).eval_exact(&x);
    let last = approximations
        .last()
        .map(exact::to_f64_nearest)
        .unwrap_or(0.0);
    println!(
        "F_{}(1/3, 3/4) = {last:.6} (target 5/12 = {:.6})",
        specs.len(),
        5.0 / 12.0
    );
    Ok(())
}
