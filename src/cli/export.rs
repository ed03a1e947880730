//! `multigrade export`: a certificate's compiled network in the exchange format of
//! [`multigrade::network::external`].

use std::path::PathBuf;

use multigrade::network::external::ExternalNetwork;

use super::files::{read_grades, AtomicOutput};
use super::{exit, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "The JSON file lists, per grade, the dense layers of the compiled network \
    (weight rows and biases, the last layer of each grade its linear readout); see README.md. \
    Large certificates give large files: about (d+1) H (d+3)^2 numbers for H hats. The \
    certificate's claims are not re-checked here: use `multigrade check` for that."
)]
pub struct Args {
    /// The certificate whose network is exported.
    cert: PathBuf,
    /// Write the network as JSON to this file.
    #[arg(long, value_name = "FILE", required_unless_present = "onnx")]
    json: Option<PathBuf>,
    /// Write the network as an ONNX model (opset 13, float64 Gemm and Relu nodes, one Add
    /// per grade sum) to this file.
    #[arg(long, value_name = "FILE")]
    onnx: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<i32, Failure> {
    let (cert, specs) = read_grades(&args.cert)?;
    if cert.grades.is_empty() {
        return Err(Failure::usage(format!(
            "{}: the certificate has no grades to export",
            args.cert.display()
        )));
    }
    let json_out = args.json.as_deref().map(AtomicOutput::create).transpose()?;
    if let Some(path) = &args.onnx {
        // Checked early, like the JSON output, so that a bad path fails before the work.
        drop(AtomicOutput::create(path)?);
    }
    let net = ExternalNetwork::from_compiled(&specs);
    net.validate()
        .map_err(|e| Failure::usage(format!("the exported network is malformed: {e}")))?;
    if let Some(out) = json_out {
        out.commit(&net.to_json())?;
    }
    if let Some(path) = &args.onnx {
        write_whole(path, &multigrade::network::onnx::to_onnx(&net))?;
    }
    Ok(exit::OK)
}

/// Writes `data` to a temporary file beside `path` and renames it over `path`, so that the
/// file is complete whenever it exists.
fn write_whole(path: &std::path::Path, data: &[u8]) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::usage(format!("cannot write {}: {e}", path.display()));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let name =
        name.ok_or_else(|| Failure::usage(format!("{} is not a file path", path.display())))?;
    let temp = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let result = std::fs::write(&temp, data).and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(fail)
}
