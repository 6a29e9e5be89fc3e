//! The model file `run --export-model` writes. HiGHS writes the model to a scratch
//! name beside it; techfund adds a first comment line saying who wrote it and moves it
//! into place. A later run replaces a file with that line, and refuses anything else.

use super::write_file;
use crate::error::{Error, InputError, Result};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The first line of every model file techfund writes, after the format's comment sign
/// (`*` in MPS, `\` in LP).
const MARK: &str = " Written by techfund";

fn comment_sign(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("lp") => "\\",
        _ => "*",
    }
}

/// Refuses `path` before any solving when it is something techfund may not replace:
/// a folder, a link, or a file whose first line is not techfund's mark.
pub fn check_model_file(path: &Path) -> Result<()> {
    let fix = "choose a new file name for --export-model, or delete the file first if you mean to replace it";
    let meta = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
        Ok(m) => m,
    };
    if !meta.is_file() {
        return Err(
            InputError::file(path, "the model file's path is not a plain file", fix).into(),
        );
    }
    let mut first = [0u8; 64];
    let n = fs::File::open(path)
        .and_then(|mut f| f.read(&mut first))
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let expected = format!("{}{MARK}", comment_sign(path));
    if !first[..n].starts_with(expected.as_bytes()) {
        return Err(InputError::file(
            path,
            "the file exists and techfund did not write it (its first line is not `Written by techfund`), so it would be overwritten",
            fix,
        )
        .into());
    }
    Ok(())
}

/// Where HiGHS writes the model before it is marked and moved to `path`: a hidden name
/// in the same folder, with the same extension (HiGHS picks the format by it).
pub fn model_scratch(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("mps");
    path.with_file_name(format!(".{name}.tmp-{}.{ext}", std::process::id()))
}

/// Moves the model HiGHS wrote at `scratch` to `path`, marked as techfund's, in one
/// rename; the scratch file is gone afterwards whatever happens.
pub fn write_model_file(path: &Path, scratch: &Path, scenario: &str) -> Result<()> {
    let highs = fs::read(scratch);
    let _ = fs::remove_file(scratch);
    let highs = highs.map_err(|e| Error::io(format!("reading {}", scratch.display()), e))?;
    check_model_file(path)?;
    let mut bytes = format!(
        "{}{MARK} {} for scenario {scenario}\n",
        comment_sign(path),
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes();
    bytes.extend_from_slice(&highs);
    write_file(path, &bytes)
}
