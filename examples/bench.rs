//! Benchmark: certifies the seven reference targets and prints, per target, the grades,
//! total hats, parameters, depth, the width W(d), the wall time and the boxes verified per
//! second. Run with `cargo run --release --example bench` (add a target's number, 1 to 7,
//! to run only that one).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use multigrade::check::check;
use multigrade::exact;
use multigrade::expr::Target;
use multigrade::prover::{prove, Config};

const TARGETS: [(&str, usize, &str); 7] = [
    ("sin(2*pi*x)", 1, "1e-3"),
    ("abs(x - 1/3)", 1, "1e-3"),
    ("1/(1+25*(2*x-1)^2)", 1, "1e-3"),
    ("sqrt(x)", 1, "1e-2"),
    ("sin(pi*x)*sin(pi*y)", 2, "5e-2"),
    ("exp(-abs(x-0.3)-abs(y-0.6))", 2, "5e-2"),
    ("exp(-(x^2+y^2+z^2))", 3, "1e-1"),
];

fn main() {
    let only: Option<usize> = std::env::args().nth(1).and_then(|a| a.parse().ok());
    println!(
        "{:<30} {:>2} {:>6} {:>6} {:>8} {:>9} {:>8} {:>4} {:>10} {:>8} {:>11} {:>8}",
        "target",
        "d",
        "tol",
        "grades",
        "hats",
        "params",
        "depth",
        "W",
        "final U",
        "prove s",
        "boxes/s",
        "check s"
    );
    for (i, (source, dim, tolerance)) in TARGETS.iter().enumerate() {
        if only.is_some_and(|k| k != i + 1) {
            continue;
        }
        let target = Target::parse(source, *dim).expect("built-in targets parse");
        let config = Config {
            tolerance: Some(exact::parse(tolerance).expect("built-in tolerances parse")),
            ..Config::default()
        };
        let start = Instant::now();
        let outcome = prove(&target, &config, &AtomicBool::new(false), &mut |_| {})
            .expect("the reference targets certify");
        let seconds = start.elapsed().as_secs_f64();
        let cert = &outcome.certificate;
        let boxes: usize = outcome.stats.iter().map(|s| s.evaluated).sum();

        let start = Instant::now();
        let verdict = check(cert);
        let check_seconds = start.elapsed().as_secs_f64();
        assert!(verdict.is_ok(), "{source}: {verdict:?}");

        let hats: usize = cert.grades.iter().map(|g| g.hats).sum();
        let params: usize = cert.grades.iter().map(|g| g.params).sum();
        let depth: usize = cert.grades.iter().map(|g| g.layers).sum();
        let last = cert.grades.last().map_or(&cert.initial, |g| &g.bounds);
        let final_sup = exact::to_f64_nearest(&exact::parse(&last.sup_upper).unwrap_or_default());
        println!(
            "{:<30} {:>2} {:>6} {:>6} {:>8} {:>9} {:>8} {:>4} {:>10.3e} {:>8.2} {:>11.0} {:>8.2}",
            source,
            dim,
            tolerance,
            cert.grades.len(),
            hats,
            params,
            depth,
            cert.width,
            final_sup,
            seconds,
            boxes as f64 / seconds,
            check_seconds
        );
    }
}
