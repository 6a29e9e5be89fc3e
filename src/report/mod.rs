//! Report: an `Allocation` → files. Each output is a function from the allocation to
//! bytes; `write` puts them in place all at once, so a failed run never leaves a
//! half-written report or replaces a good one.

pub mod charts;
pub mod compare;
pub mod csv;
pub mod html;
pub mod index;
pub mod manifest;
pub mod markdown;
pub mod sweep;
pub mod target;
pub(crate) mod words;
pub mod xlsx;

#[cfg(test)]
pub(crate) mod sample;

use crate::allocation::Allocation;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Every file of a report but the manifest, by relative path, before anything touches
/// the disk.
pub fn render(a: &Allocation) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = vec![
        (PathBuf::from("allocation.csv"), csv::allocation(a)),
        (PathBuf::from("footprints.csv"), csv::footprints(a)),
        (
            PathBuf::from("summary.md"),
            markdown::summary(a).into_bytes(),
        ),
    ];
    let charts =
        charts::render_all(a).map_err(|e| Error::Report(format!("drawing the charts: {e}")))?;
    let workbook = xlsx::render(a, &charts)
        .map_err(|e| Error::Report(format!("writing allocation.xlsx: {e}")))?;
    files.push((
        PathBuf::from("report.html"),
        html::render(a, &charts).into_bytes(),
    ));
    files.push((PathBuf::from("allocation.xlsx"), workbook));
    for c in charts {
        files.push((
            PathBuf::from(format!("charts/{}.svg", c.name)),
            c.svg.into_bytes(),
        ));
        files.push((PathBuf::from(format!("charts/{}.png", c.name)), c.png));
    }
    Ok(files)
}

/// Writes `files` into `out` atomically: everything goes to a fresh sibling folder
/// first, which then replaces `out` in two renames. If anything fails before the swap,
/// `out` is untouched.
pub fn write_atomically(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| -> Result<()> {
        for (rel, bytes) in files {
            let path = staging.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
            }
            std::fs::write(&path, bytes)
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        }
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if out.exists() {
            std::fs::rename(out, &old).map_err(|e| {
                Error::io(
                    format!("moving the previous report {} aside", out.display()),
                    e,
                )
            })?;
        }
        if let Err(e) = std::fs::rename(&staging, out) {
            // Put the previous report back so the user still has it.
            let _ = std::fs::rename(&old, out);
            return Err(Error::io(
                format!("moving the new report into {}", out.display()),
                e,
            ));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Writes one file beside report folders (e.g. a batch's index.html) through a
/// temporary name, so a reader never sees it half-written.
pub fn write_atomically_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(format!("moving {name} into place"), e))
}
