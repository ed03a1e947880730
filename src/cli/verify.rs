//! `multigrade verify`: grade-by-grade monotonicity of a network in the exchange format,
//! certified or refuted against a target (see [`multigrade::verify_network`]).

use std::path::PathBuf;
use std::time::Instant;

use multigrade::expr::Target;
use multigrade::network::external::ExternalNetwork;
use multigrade::verify_network::{describe, verify, Monotone, Options};

use super::{exit, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "For each grade n, proves |r_n(x)| <= |r_{n-1}(x)| on [0,1]^d (r_0 = f, \
    r_n = f - F_n) on a partition into dyadic boxes, or proves it false at a point, and \
    bounds the measure of the set where it fails. Exit status: 0 when every grade is \
    certified monotone, 1 when some grade is refuted, 2 for bad input, 4 when some grade is \
    neither within --max-boxes."
)]
pub struct Args {
    /// The network, in the JSON format of `multigrade export --json`, or an ONNX model
    /// (plain stacks of Gemm or MatMul + Add and Relu, Sin or Tanh nodes).
    #[arg(long, value_name = "FILE")]
    network: PathBuf,
    /// The target expression f.
    #[arg(long, value_name = "EXPR")]
    target: String,
    /// The dimension d of the cube.
    #[arg(long, value_name = "D")]
    dim: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// The most boxes evaluated per grade.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    max_boxes: usize,
}

pub fn run(args: Args) -> Result<i32, Failure> {
    if args.dim == 0 || args.dim > multigrade::check::boxes::MAX_DIM {
        return Err(Failure::usage(format!(
            "--dim {} is not supported (1 to {})",
            args.dim,
            multigrade::check::boxes::MAX_DIM
        )));
    }
    if args.max_boxes == 0 {
        return Err(Failure::usage("--max-boxes must be at least 1"));
    }
    let target = Target::parse(&args.target, args.dim)
        .map_err(|e| Failure::usage(format!("bad target: {}", e.render(&args.target))))?;
    let bytes = std::fs::read(&args.network)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.network.display())))?;
    let looks_like_json = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_none_or(|&b| b == b'{');
    let net = if looks_like_json {
        ExternalNetwork::from_json(&String::from_utf8_lossy(&bytes))
    } else {
        multigrade::network::onnx::from_onnx(&bytes).or_else(|onnx| {
            match std::str::from_utf8(&bytes) {
                Ok(text) => ExternalNetwork::from_json(text),
                Err(_) => Err(onnx),
            }
        })
    }
    .map_err(|e| Failure::usage(format!("{}: {e}", args.network.display())))?;
    let start = Instant::now();
    let options = Options {
        max_boxes: args.max_boxes,
    };
    let reports = verify(&net, &target, &options).map_err(Failure::usage)?;
    let seconds = start.elapsed().as_secs_f64();
    let refuted = reports
        .iter()
        .any(|r| matches!(r.monotone, Monotone::Refuted(_)));
    let certified = reports.iter().all(|r| r.monotone == Monotone::Certified);
    let verdict = if certified {
        "certified"
    } else if refuted {
        "refuted"
    } else {
        "undecided"
    };
    if args.json {
        let grades: Vec<serde_json::Value> = reports
            .iter()
            .map(|r| {
                let (status, point) = match &r.monotone {
                    Monotone::Certified => ("certified", serde_json::Value::Null),
                    Monotone::Undecided => ("undecided", serde_json::Value::Null),
                    Monotone::Refuted(v) => (
                        "refuted",
                        serde_json::json!({
                            "x": v.x,
                            "residual_abs": [v.residual.0, v.residual.1],
                            "previous_abs": [v.previous.0, v.previous.1],
                            "exact": v.exact,
                        }),
                    ),
                };
                serde_json::json!({
                    "grade": r.grade,
                    "activation": net.grades[r.grade - 1].activation.to_string(),
                    "monotone": status,
                    "violation": point,
                    "failure_measure": [r.failure_lower, r.failure_upper],
                    "sup_upper": r.sup_upper,
                    "strict_lp_decay": r.strict_lp_decay(),
                    "decay_witness": r.decay_witness.as_ref().map(|(lo, hi)| {
                        lo.iter().zip(hi).map(|(a, b)| [*a, *b]).collect::<Vec<_>>()
                    }),
                    "boxes": r.boxes,
                    "undecided": r.undecided,
                })
            })
            .collect();
        let json = serde_json::json!({
            "verdict": verdict,
            "dim": args.dim,
            "grades": grades,
            "seconds": seconds,
        });
        println!("{json}");
    } else {
        for r in &reports {
            println!("{}", describe(r));
        }
        println!("{verdict}: {} grades, {:.2} s", reports.len(), seconds);
    }
    Ok(if certified {
        exit::OK
    } else if refuted {
        exit::REJECTED
    } else {
        exit::STOPPED
    })
}
