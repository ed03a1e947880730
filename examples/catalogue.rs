//! Regenerates the certificate catalogue in `proofs/catalogue/` and its table in
//! `proofs/README.md`: `cargo run --release --example catalogue`.
//!
//! Each entry is certified, written, then re-checked from the written file, and the check
//! time goes into the table.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use multigrade::cert::Certificate;
use multigrade::check::check;
use multigrade::exact;
use multigrade::expr::Target;
use multigrade::prover::{prove, Config};

/// (file name, target, dimension, tolerance, kind)
const ENTRIES: [(&str, &str, usize, &str, &str); 10] = [
    ("sin-2pi-x", "sin(2*pi*x)", 1, "1e-3", "smooth, oscillating"),
    ("abs-x-third", "abs(x - 1/3)", 1, "1e-3", "kinked"),
    ("runge", "1/(1+25*(2*x-1)^2)", 1, "1e-3", "smooth, steep"),
    ("sqrt-x", "sqrt(x)", 1, "1e-2", "singular derivative at 0"),
    (
        "damped-oscillation",
        "exp(-x)*sin(20*x)",
        1,
        "1e-2",
        "oscillating",
    ),
    ("sin-sin", "sin(pi*x)*sin(pi*y)", 2, "5e-2", "smooth"),
    (
        "laplace-peak",
        "exp(-abs(x-0.3)-abs(y-0.6))",
        2,
        "5e-2",
        "kinked",
    ),
    ("cone", "sqrt(x^2+y^2)", 2, "5e-2", "singular gradient at 0"),
    ("gaussian-3d", "exp(-(x^2+y^2+z^2))", 3, "1.5e-1", "smooth"),
    ("kink-3d", "abs(x-1/3)+y*z", 3, "2.5e-1", "kinked"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs");
    let dir = root.join("catalogue");
    fs::create_dir_all(&dir)?;
    let mut table = String::new();
    writeln!(
        table,
        "| certificate | target | d | kind | grades | final U_n | total hats | W(d) | depth \
         | check time |"
    )?;
    writeln!(table, "|---|---|---|---|---|---|---|---|---|---|")?;

    for (name, source, dim, tolerance, kind) in ENTRIES {
        let target = Target::parse(source, dim)?;
        let config = Config {
            tolerance: Some(exact::parse(tolerance)?),
            ..Config::default()
        };
        let outcome = prove(&target, &config, &AtomicBool::new(false), &mut |_| {})?;
        let path = dir.join(format!("{name}.json"));
        fs::write(&path, serde_json::to_string(&outcome.certificate)?)?;

        let cert: Certificate = serde_json::from_str(&fs::read_to_string(&path)?)?;
        let start = Instant::now();
        check(&cert)?;
        let seconds = start.elapsed().as_secs_f64();

        let last = cert.grades.last().map_or(&cert.initial, |g| &g.bounds);
        let final_sup = exact::to_f64_nearest(&exact::parse(&last.sup_upper)?);
        let hats: usize = cert.grades.iter().map(|g| g.hats).sum();
        let depth: usize = cert.grades.iter().map(|g| g.layers).sum();
        writeln!(
            table,
            "| `{name}.json` | `{source}` | {dim} | {kind} | {} | {final_sup:.3e} | {hats} | {} \
             | {depth} | {seconds:.2} s |",
            cert.grades.len(),
            cert.width
        )?;
        eprintln!(
            "{name}: {} grades, U = {final_sup:.3e}, checked in {seconds:.2} s",
            cert.grades.len()
        );
    }

    let readme = root.join("README.md");
    let text = fs::read_to_string(&readme).unwrap_or_default();
    let (start, end) = ("<!-- catalogue:start -->", "<!-- catalogue:end -->");
    let updated = match (text.find(start), text.find(end)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{start}\n{table}{}", &text[..a], &text[b..])
        }
        _ => format!("{text}\n{start}\n{table}{end}\n"),
    };
    fs::write(&readme, updated)?;
    Ok(())
}
