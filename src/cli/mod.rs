//! Argument parsing, exit codes and the dispatch to each command.

mod certify;
mod check;
mod eval;
mod export;
mod files;
mod report;
mod verify;

use clap::{Parser, Subcommand};

/// Exit codes, as documented in README.md.
pub mod exit {
    /// Everything asked for was done and holds.
    pub const OK: i32 = 0;
    /// `check`: a claim of the certificate does not follow.
    pub const REJECTED: i32 = 1;
    /// Bad usage or input: arguments, expressions, files, unreadable certificates.
    pub const USAGE: i32 = 2;
    /// The target is not certified defined and continuous on the cube.
    pub const REFUSED: i32 = 3;
    /// The run stopped early (time limit, Ctrl-C, budget); the grades certified so far
    /// are in the certificate.
    pub const STOPPED: i32 = 4;
}

/// Certified fixed-width multigrade ReLU networks.
#[derive(Parser, Debug)]
#[command(name = "multigrade", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// More detail on stderr (repeat for more).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// Nothing on stderr but errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
}

/// How much goes to stderr besides errors: below 0 nothing, 0 progress and notices, above
/// 0 detail. Set once from the command line.
static VERBOSITY: std::sync::atomic::AtomicI8 = std::sync::atomic::AtomicI8::new(0);

/// The verbosity set by `-q` and `-v`.
pub fn verbosity() -> i8 {
    VERBOSITY.load(std::sync::atomic::Ordering::Relaxed)
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build and certify grades for a target.
    #[command(
        after_help = "Examples:\n  multigrade certify --target 'sin(2*pi*x)' --dim 1 \
        --tolerance 1e-3 --out sin.json\n  multigrade certify --target \
        'sin(pi*x)*sin(pi*y)' --dim 2 --grades 4 --p 1,2,3.5 --json"
    )]
    Certify(certify::Args),
    /// Evaluate the approximations F_1..F_K of a certificate's network at points, exactly.
    Eval(eval::Args),
    /// Re-check every claim of a certificate, independently of the prover.
    Check(check::Args),
    /// Certify a built-in target (sin(2 pi x) on [0,1], to 1e-2) and print the table.
    Demo(certify::DemoArgs),
    /// Write a certificate's network in the JSON exchange format or as an ONNX model.
    #[command(
        after_help = "Example:\n  multigrade export sin.json --json sin-net.json \
        --onnx sin.onnx"
    )]
    Export(export::Args),
    /// Certify or refute grade-by-grade monotonicity of a network file against a target.
    #[command(after_help = "Examples:\n  multigrade verify --network trained.json \
        --target 'sin(2*pi*x)' --dim 1\n  multigrade verify --network model.onnx \
        --target 'x*y' --dim 2 --json --max-boxes 200000")]
    Verify(verify::Args),
    /// Write a certificate's table and plots as Markdown, one HTML page, or LaTeX.
    #[command(
        after_help = "Examples:\n  multigrade report sin.json --format html --out \
        sin-report\n  multigrade report sin.json --format tex --out paper/figures"
    )]
    Report(report::Args),
}

/// Runs the command line and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let level = if cli.quiet {
        -1
    } else {
        cli.verbose.min(9) as i8
    };
    VERBOSITY.store(level, std::sync::atomic::Ordering::Relaxed);
    let result = match cli.command {
        Command::Certify(args) => certify::run(args),
        Command::Demo(args) => certify::demo(args),
        Command::Eval(args) => eval::run(args),
        Command::Check(args) => check::run(args),
        Command::Export(args) => export::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Report(args) => report::run(args),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("multigrade: {}", failure.message);
            failure.code
        }
    }
}

/// An error with its exit code.
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: exit::USAGE,
            message: message.into(),
        }
    }
}
