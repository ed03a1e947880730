//! `multigrade report`: a certificate's table and plots as Markdown, HTML or LaTeX.

use std::fs;
use std::path::{Path, PathBuf};

use multigrade::report::{self, Format, OutputFile};

use super::files::{read_certificate, AtomicOutput};
use super::{exit, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Writes into DIR (created if missing): md: report.md and one .svg per plot; \
    html: report.html, one self-contained page; tex: table.tex (a tabular to \\input), \
    report.tex and one .svg per plot. The table and the bands marked certified are the \
    certificate's claims (run `multigrade check` to re-prove them); the residual curves and \
    heat maps are sampled in floating point and only illustrative.\n\nExit status: 0 when \
    written, 2 when the certificate cannot be read or DIR cannot be written.\n\nExample:\n  \
    multigrade report r2.json --format html --out report/"
)]
pub struct Args {
    /// The certificate to report on.
    cert: PathBuf,
    /// The document format: md, html or tex.
    #[arg(long, value_parser = ["md", "html", "tex"])]
    format: String,
    /// The output directory.
    #[arg(long)]
    out: PathBuf,
    /// Print the list of written files as one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<i32, Failure> {
    let format: Format = args.format.parse().map_err(Failure::usage)?;
    let cert = read_certificate(&args.cert)?;
    let report = report::build(&cert)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.cert.display())))?;
    let files = report.files(format);
    prepare_dir(&args.out)?;
    // Every destination is checked before anything is written.
    let outputs: Vec<(AtomicOutput, &OutputFile)> = files
        .iter()
        .map(|f| AtomicOutput::create(&args.out.join(&f.name)).map(|o| (o, f)))
        .collect::<Result<_, _>>()?;
    let mut written = Vec::with_capacity(outputs.len());
    for (output, file) in outputs {
        written.push(output.path().display().to_string());
        output.commit(&file.contents)?;
    }
    if args.json {
        let json = serde_json::json!({
            "format": args.format,
            "dir": args.out.display().to_string(),
            "grades": report.summary.grades.len(),
            "plots": report.plots.len(),
            "files": written,
        });
        println!("{json}");
    } else {
        println!(
            "wrote {} ({} grades, {} plots): {}",
            args.out.display(),
            report.summary.grades.len(),
            report.plots.len(),
            files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(exit::OK)
}

/// Creates `dir` if missing; a path that exists and is not a directory is a usage error.
fn prepare_dir(dir: &Path) -> Result<(), Failure> {
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::usage(format!(
            "{} exists and is not a directory",
            dir.display()
        )));
    }
    fs::create_dir_all(dir)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))
}
