//! Report: an `Allocation` → files. Each output is a function from the allocation to
//! bytes; [`output::write_atomically`] puts them in place all at once, so a failed or
//! killed run never leaves a half-written report or loses a good one, and never
//! replaces a folder techfund did not write.

pub mod charts;
pub mod compare;
pub mod csv;
pub mod html;
pub mod index;
pub mod manifest;
pub mod markdown;
pub mod output;
pub mod sweep;
pub mod target;
pub(crate) mod words;
pub mod xlsx;

#[cfg(test)]
pub(crate) mod sample;

use crate::allocation::Allocation;
use crate::error::{Error, Result};
use std::path::PathBuf;

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
