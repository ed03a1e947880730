//! `multigrade eval`: the network's approximations at given points, in exact rationals.

use std::path::PathBuf;

use num_rational::BigRational;
use num_traits::{One, Zero};

use multigrade::exact;
use multigrade::network::Network;

use super::files::read_grades;
use super::{exit, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "The points file holds one point per line: d numbers separated by \
    spaces or commas, each in [0, 1]; blank lines and lines starting with # are skipped. \
    Numbers are read exactly (0.1 is 1/10). The certificate's claims are not re-checked \
    here: use `multigrade check` for that.\n\nExample:\n  printf '0.1\\n1/3\\n' > points.txt\n  \
    multigrade eval sin.json --points points.txt --json"
)]
pub struct Args {
    /// The certificate whose network is evaluated.
    cert: PathBuf,
    /// The points, one per line.
    #[arg(long)]
    points: PathBuf,
    /// One JSON object per point: {"x": [...], "approx": [F_1(x), ..., F_K(x)]}.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<i32, Failure> {
    let (cert, specs) = read_grades(&args.cert)?;
    let dim = cert.dim;
    let text = std::fs::read_to_string(&args.points)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.points.display())))?;
    let points = parse_points(&text, dim)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.points.display())))?;

    let network = Network::new(&specs);
    for x in &points {
        // A certificate may hold no grade (the target was already within tolerance).
        let values = if specs.is_empty() {
            Vec::new()
        } else {
            network.eval_exact(x)
        };
        let xs: Vec<f64> = x.iter().map(exact::to_f64_nearest).collect();
        let approx: Vec<f64> = values.iter().map(exact::to_f64_nearest).collect();
        if args.json {
            // Written by hand to keep the documented key order: x first, then approx.
            let line = format!(
                "{{\"x\":{},\"approx\":{}}}",
                serde_json::json!(xs),
                serde_json::json!(approx)
            );
            println!("{line}");
        } else {
            let shown: Vec<String> = approx
                .iter()
                .enumerate()
                .map(|(i, v)| format!("F_{} = {v:.12e}", i + 1))
                .collect();
            println!("x = {xs:?}: {}", shown.join(", "));
        }
    }
    Ok(exit::OK)
}

/// Points in the cube, read exactly; errors name the line.
fn parse_points(text: &str, dim: usize) -> Result<Vec<Vec<BigRational>>, String> {
    let mut points = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|f| !f.is_empty())
            .collect();
        if fields.len() != dim {
            return Err(format!(
                "line {}: {} numbers for a point in dimension {dim}",
                number + 1,
                fields.len()
            ));
        }
        let mut x = Vec::with_capacity(dim);
        for field in fields {
            let v = exact::parse(field).map_err(|e| format!("line {}: {e}", number + 1))?;
            if v < BigRational::zero() || v > BigRational::one() {
                return Err(format!("line {}: {field} is outside [0, 1]", number + 1));
            }
            x.push(v);
        }
        points.push(x);
    }
    Ok(points)
}
