//! `multigrade check`: the independent verdict on a certificate.

use std::path::PathBuf;
use std::time::Instant;

use multigrade::check::{check_with, CheckError, CheckOptions};

use super::files::read_certificate;
use super::{exit, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 when every claim holds, 1 when one fails (the message \
    names the grade, the claim and the box), 2 when the file cannot be read as a certificate \
    of a known format version.\n\nExamples:\n  multigrade check sin.json\n  \
    multigrade check -v --full-network --json small.json"
)]
pub struct Args {
    /// The certificate to check.
    cert: PathBuf,
    /// Print the verdict as one JSON object.
    #[arg(long)]
    json: bool,
    /// Evaluate every grade on every leaf from the compiled network's layers instead of
    /// from its compact description, so that the compiler is not trusted (slow; meant for
    /// small certificates).
    #[arg(long)]
    full_network: bool,
}

pub fn run(args: Args) -> Result<i32, Failure> {
    let cert = read_certificate(&args.cert)?;
    let start = Instant::now();
    let options = CheckOptions {
        full_network: args.full_network,
    };
    let verdict = check_with(&cert, &options);
    let seconds = start.elapsed().as_secs_f64();
    match verdict {
        Ok(summary) => {
            if super::verbosity() > 0 {
                for (grade, leaves) in summary.leaves.iter().enumerate() {
                    eprintln!("grade {grade}: {leaves} leaves verified");
                }
            }
            let leaves = summary.total_leaves();
            let rate = leaves as f64 / seconds.max(1e-9);
            if args.json {
                let json = serde_json::json!({
                    "verdict": "accepted",
                    "grades": cert.grades.len(),
                    "full_network": args.full_network,
                    "complete": summary.complete,
                    "leaves": summary.leaves,
                    "seconds": seconds,
                    "leaves_per_second": rate,
                });
                println!("{json}");
            } else {
                println!(
                    "accepted: {} grades, every claim holds{} ({} leaves in {:.2} s, {:.0} \
                     leaves/s){}",
                    cert.grades.len(),
                    if args.full_network {
                        " on the compiled network"
                    } else {
                        ""
                    },
                    leaves,
                    seconds,
                    rate,
                    if summary.complete {
                        ""
                    } else {
                        "; the run behind it stopped early"
                    }
                );
            }
            Ok(exit::OK)
        }
        Err(CheckError::Unreadable(why)) => Err(Failure::usage(format!(
            "{}: unreadable certificate: {why}",
            args.cert.display()
        ))),
        Err(e) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({ "verdict": "rejected", "reason": e.to_string() })
                );
            } else {
                println!("rejected: {e}");
            }
            Ok(exit::REJECTED)
        }
    }
}
