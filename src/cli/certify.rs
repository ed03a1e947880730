//! `multigrade certify` and `multigrade demo`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use num_rational::BigRational;

use multigrade::expr::Target;
use multigrade::prover::{self, Config, Event, ProveError};
use multigrade::summary::Summary;
use multigrade::{check, exact};

use super::files::AtomicOutput;
use super::{exit, Failure};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The target f, e.g. 'sin(2*pi*x)' or 'exp(-(x1^2+x2^2))'.
    #[arg(long)]
    target: String,
    /// The dimension d: the target lives on [0,1]^d.
    #[arg(long)]
    dim: usize,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Debug)]
struct Common {
    /// Stop after this many grades.
    #[arg(long, value_name = "K")]
    grades: Option<usize>,
    /// Stop once the certified sup bound U_n is at most TAU.
    #[arg(long, value_name = "TAU")]
    tolerance: Option<String>,
    /// The exponents of the L^p enclosures, comma separated (any real p >= 1).
    #[arg(long = "p", value_name = "LIST", default_value = "1,2")]
    p: String,
    /// eps_n = theta U_{n-1}; in (0, 1).
    #[arg(long, default_value = "1/2")]
    theta: String,
    /// The interpolation error must be at most kappa eps_n; in (0, 1).
    #[arg(long, default_value = "1/2")]
    kappa: String,
    /// Aim for U_n <= (1 + A) L_n.
    #[arg(long, value_name = "A", default_value_t = 0.01)]
    sup_accuracy: f64,
    /// Aim for each L^p enclosure's ends within a factor 1 + A [default: 0.01 in 1D, 0.05
    /// above].
    #[arg(long, value_name = "A")]
    lp_accuracy: Option<f64>,
    /// At most this many boxes in one partition.
    #[arg(long, value_name = "N", default_value_t = 20_000_000)]
    max_leaves: usize,
    /// Write the certificate here (written whole, also when the run stops early).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Stop after this many seconds, keeping the grades certified so far.
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<i32, Failure> {
    if args.dim == 0 {
        return Err(Failure::usage("--dim must be at least 1"));
    }
    let target = Target::parse(&args.target, args.dim).map_err(|e| {
        Failure::usage(format!(
            "cannot read the target:\n{}",
            e.render(&args.target)
        ))
    })?;
    certify(&target, args.common, false)
}

pub fn demo(mut args: DemoArgs) -> Result<i32, Failure> {
    let target = Target::parse("sin(2*pi*x)", 1)
        .map_err(|e| Failure::usage(format!("built-in target: {e}")))?;
    if args.common.grades.is_none() && args.common.tolerance.is_none() {
        args.common.tolerance = Some("1e-2".into());
    }
    certify(&target, args.common, true)
}

fn parse_rational(text: &str, flag: &str) -> Result<BigRational, Failure> {
    exact::parse(text).map_err(|e| Failure::usage(format!("{flag}: {e}")))
}

fn config(common: &Common) -> Result<Config, Failure> {
    let exponents = common
        .p
        .split(',')
        .map(|p| parse_rational(p, "--p"))
        .collect::<Result<Vec<_>, _>>()?;
    let time_limit = match common.time_limit {
        Some(t) if t > 0.0 => Some(Duration::try_from_secs_f64(t).unwrap_or(Duration::MAX)),
        Some(_) => {
            return Err(Failure::usage(
                "--time-limit must be a positive number of seconds",
            ))
        }
        None => None,
    };
    Ok(Config {
        theta: parse_rational(&common.theta, "--theta")?,
        kappa: parse_rational(&common.kappa, "--kappa")?,
        grades: common.grades,
        tolerance: common
            .tolerance
            .as_deref()
            .map(|t| parse_rational(t, "--tolerance"))
            .transpose()?,
        exponents,
        sup_accuracy: common.sup_accuracy,
        lp_accuracy: common.lp_accuracy,
        time_limit,
        max_leaves: common.max_leaves,
        ..Config::default()
    })
}

fn certify(target: &Target, common: Common, self_check: bool) -> Result<i32, Failure> {
    let config = config(&common)?;
    config.validate(target.dim()).map_err(Failure::usage)?;
    let output = common
        .out
        .as_deref()
        .map(AtomicOutput::create)
        .transpose()?;

    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    // A second handler cannot be installed in one process; ignoring that error only loses
    // the graceful stop, never a result.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));

    let quiet = super::verbosity() < 0;
    let start = Instant::now();
    let mut progress = |event: Event| {
        if !quiet {
            report_progress(&event, start);
        }
    };
    let outcome = match prover::prove(target, &config, &interrupted, &mut progress) {
        Ok(outcome) => outcome,
        Err(ProveError::Invalid(m)) => return Err(Failure::usage(m)),
        Err(e @ ProveError::Refused(_)) => {
            return Err(Failure {
                code: exit::REFUSED,
                message: e.to_string(),
            });
        }
        Err(e @ ProveError::Unfinished(..)) => {
            return Err(Failure {
                code: exit::STOPPED,
                message: e.to_string(),
            });
        }
    };

    let cert = &outcome.certificate;
    if let Some(output) = output {
        let text = serde_json::to_string(cert)
            .map_err(|e| Failure::usage(format!("cannot encode the certificate: {e}")))?;
        let path = output.path().to_path_buf();
        output.commit(&text)?;
        if !quiet {
            eprintln!("certificate written to {}", path.display());
        }
    }

    let summary = Summary::of(cert);
    if common.json {
        let mut value = serde_json::to_value(&summary).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            let seconds: Vec<f64> = outcome.stats.iter().map(|s| s.seconds).collect();
            map.insert("seconds".into(), serde_json::json!(seconds));
            map.insert("certificate".into(), serde_json::json!(common.out));
        }
        println!("{value}");
    } else {
        print!("{}", summary.table());
        let leaves: usize = outcome.stats.iter().map(|s| s.leaves).sum();
        println!(
            "{} boxes in the partitions, {:.1} s",
            leaves,
            start.elapsed().as_secs_f64()
        );
    }
    if self_check {
        let started = Instant::now();
        match check::check(cert) {
            Ok(summary) => println!(
                "independent check: every claim holds ({} leaves re-verified in {:.1} s)",
                summary.total_leaves(),
                started.elapsed().as_secs_f64()
            ),
            Err(e) => {
                println!("independent check: REJECTED: {e}");
                return Ok(exit::REJECTED);
            }
        }
    }
    if outcome.stop.is_complete() {
        Ok(exit::OK)
    } else {
        eprintln!(
            "multigrade: stopped early ({}); the {} grades certified so far are kept",
            outcome.stop.as_str(),
            cert.grades.len()
        );
        Ok(exit::STOPPED)
    }
}

fn report_progress(event: &Event, start: Instant) {
    use std::io::{IsTerminal, Write};

    let t = start.elapsed().as_secs_f64();
    let live = std::io::stderr().is_terminal();
    // A live line is overwritten in place on a terminal; other lines end it first.
    let end_live = || {
        if live {
            eprint!("\r\x1b[2K");
        }
    };
    match event {
        Event::Boxes { grade, leaves } => {
            if super::verbosity() > 0 {
                eprintln!("[{t:7.1}s] grade {grade}: {leaves} boxes");
            } else if live {
                eprint!("\r\x1b[2K[{t:7.1}s] grade {grade}: {leaves} boxes");
                let _ = std::io::stderr().flush();
            }
        }
        Event::Grade { grade: 0, .. } => {
            end_live();
            eprintln!("[{t:7.1}s] bounding the target");
        }
        Event::Grade { grade, grid } => {
            end_live();
            eprintln!("[{t:7.1}s] grade {grade}: grid {grid}");
        }
        Event::Refine { grade, grid, why } => {
            end_live();
            eprintln!("[{t:7.1}s] grade {grade}: grid {grid} too coarse ({why}), refining");
        }
        Event::Certified {
            grade,
            sup_upper,
            leaves,
            seconds,
        } => {
            end_live();
            eprintln!(
                "[{t:7.1}s] grade {grade}: certified, sup|r_{grade}| <= {sup_upper:.4e} \
                 ({leaves} boxes, {seconds:.2} s)"
            );
        }
    }
}
