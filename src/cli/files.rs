//! Reading certificates and writing output files so that a file that exists is complete.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use multigrade::cert::{Certificate, FORMAT, FORMAT_VERSION};
use multigrade::check::boxes::MAX_DIM;
use multigrade::check::verify::decode_grade;
use multigrade::grid::GradeSpec;

use super::Failure;

/// Reads and parses a certificate; any problem is a usage error (exit 2).
pub fn read_certificate(path: &Path) -> Result<Certificate, Failure> {
    let text = fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::usage(format!(
            "{} is not a valid certificate: {e}",
            path.display()
        ))
    })
}

/// Reads a certificate of this format version and decodes its grades' exact descriptions,
/// without re-checking its claims; any problem is a usage error (exit 2).
pub fn read_grades(path: &Path) -> Result<(Certificate, Vec<GradeSpec>), Failure> {
    let cert = read_certificate(path)?;
    if cert.format != FORMAT || cert.format_version != FORMAT_VERSION {
        return Err(Failure::usage(format!(
            "{}: not a certificate of format {FORMAT:?} version {FORMAT_VERSION}",
            path.display()
        )));
    }
    let dim = cert.dim;
    if dim == 0 || dim > MAX_DIM {
        return Err(Failure::usage(format!(
            "certificate dimension {dim} is not supported"
        )));
    }
    let specs = cert
        .grades
        .iter()
        .map(|g| decode_grade(g, dim))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    Ok((cert, specs))
}

/// A file written whole or not at all: the text goes to a temporary file beside the target,
/// which is renamed over it once complete.
pub struct AtomicOutput {
    path: PathBuf,
    temp: PathBuf,
}

impl AtomicOutput {
    /// Checks at once that the destination's directory is writable, so that a long run
    /// does not end in an unwritable path.
    pub fn create(path: &Path) -> Result<Self, Failure> {
        let name = path
            .file_name()
            .ok_or_else(|| Failure::usage(format!("{} is not a file path", path.display())))?;
        if path.is_dir() {
            return Err(Failure::usage(format!("{} is a directory", path.display())));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let temp = dir.join(format!(
            ".{}.{}.partial",
            name.to_string_lossy(),
            std::process::id()
        ));
        fs::File::create(&temp)
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
        Ok(AtomicOutput {
            path: path.to_path_buf(),
            temp,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `text` and moves it into place.
    pub fn commit(self, text: &str) -> Result<(), Failure> {
        let fail = |e: std::io::Error| {
            Failure::usage(format!("cannot write {}: {e}", self.path.display()))
        };
        let mut file = fs::File::create(&self.temp).map_err(fail)?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        fs::rename(&self.temp, &self.path).map_err(fail)?;
        Ok(())
    }
}

impl Drop for AtomicOutput {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.temp);
    }
}
