//! Report: an `Allocation` → files. Each output is a function from the allocation to
//! bytes; [`output::write_atomically`] puts them in place all at once, so a failed or
//! killed run never leaves a half-written report or loses a good one, and never
//! replaces a folder techfund did not write.

pub mod alternatives;
pub mod appraisal;
pub mod bids;
pub mod charts;
pub mod compare;
pub mod csv;
pub(crate) mod doc;
pub mod explain;
pub mod flex;
pub mod html;
pub mod index;
pub mod manifest;
pub mod marginal;
pub mod markdown;
pub mod output;
pub mod prices;
pub mod robustness;
pub mod sweep;
pub mod target;
pub(crate) mod words;
pub mod xlsx;

#[cfg(test)]
pub(crate) mod sample;

use crate::allocation::Allocation;
use crate::error::{Error, Result};
use std::path::PathBuf;

/// Every file of a report but the manifest, by relative path, and how long each kind
/// of output took to make (milliseconds), before anything touches the disk.
pub struct Rendered {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// `report.tables` (CSV and Markdown), `report.charts`, `report.xlsx`, `report.html`.
    pub output_ms: Vec<(&'static str, f64)>,
}

/// Makes every file of a run's report. Independent outputs are made in parallel: the
/// tables beside the charts, then the workbook beside the page (both embed the charts).
pub fn render(a: &Allocation) -> Result<Rendered> {
    let timed = |f: &dyn Fn() -> Result<Vec<(PathBuf, Vec<u8>)>>| {
        let start = std::time::Instant::now();
        f().map(|files| (files, start.elapsed().as_secs_f64() * 1000.0))
    };
    let tables = || {
        Ok(vec![
            (PathBuf::from("allocation.csv"), csv::allocation(a)),
            (PathBuf::from("footprints.csv"), csv::footprints(a)),
            (
                PathBuf::from("summary.md"),
                markdown::summary(a).into_bytes(),
            ),
        ]
        .into_iter()
        .chain(
            (!a.marginal_values.is_empty())
                .then(|| (PathBuf::from("marginal_values.csv"), marginal::csv(a))),
        )
        .chain(a.alternatives.as_ref().map(|alts| {
            (
                PathBuf::from("alternatives.csv"),
                alternatives::csv(a, alts),
            )
        }))
        .chain(a.robustness.iter().flat_map(|r| {
            [
                (
                    PathBuf::from("core_index.csv"),
                    robustness::core_index_csv(r),
                ),
                (
                    PathBuf::from("uncertainty.csv"),
                    robustness::uncertainty_csv(r),
                ),
            ]
        }))
        .chain(
            a.appraisal
                .as_ref()
                .map(|ap| (PathBuf::from("appraisal.csv"), appraisal::csv(ap))),
        )
        .chain(
            (!a.rule_prices.is_empty())
                .then(|| (PathBuf::from("rule_prices.csv"), prices::rules_csv(a))),
        )
        .chain((!a.fairness_frontier.is_empty()).then(|| {
            (
                PathBuf::from("fairness_frontier.csv"),
                prices::frontier_csv(a),
            )
        }))
        .collect())
    };
    let start = std::time::Instant::now();
    let (tables, charts) = rayon::join(
        || timed(&tables),
        || charts::render_all(a).map_err(|e| Error::Report(format!("drawing the charts: {e}"))),
    );
    let charts = charts?;
    let charts_ms = start.elapsed().as_secs_f64() * 1000.0;
    let (tables, tables_ms) = tables?;
    let workbook = || {
        xlsx::render(a, &charts)
            .map(|bytes| vec![(PathBuf::from("allocation.xlsx"), bytes)])
            .map_err(|e| Error::Report(format!("writing allocation.xlsx: {e}")))
    };
    let page = || {
        Ok(vec![(
            PathBuf::from("report.html"),
            html::render(a, &charts).into_bytes(),
        )])
    };
    let (workbook, page) = rayon::join(|| timed(&workbook), || timed(&page));
    let ((workbook, xlsx_ms), (page, html_ms)) = (workbook?, page?);
    let mut files = tables;
    files.extend(page);
    files.extend(workbook);
    for c in charts {
        files.push((
            PathBuf::from(format!("charts/{}.svg", c.name)),
            c.svg.into_bytes(),
        ));
        files.push((PathBuf::from(format!("charts/{}.png", c.name)), c.png));
    }
    Ok(Rendered {
        files,
        output_ms: vec![
            ("report.tables", tables_ms),
            ("report.charts", charts_ms),
            ("report.xlsx", xlsx_ms),
            ("report.html", html_ms),
        ],
    })
}
