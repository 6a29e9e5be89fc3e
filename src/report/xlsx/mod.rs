//! allocation.xlsx: the allocation as a finance team works with it in Excel. Numbers
//! are stored as numbers with £ and % formats (never as text), every table has its
//! header row frozen and an autofilter, and the charts sit on the Summary sheet.
//!
//! Text from input files goes through `spreadsheet_safe` and `write_string`, so a title
//! such as `=HYPERLINK(...)` is shown as text and never run as a formula.

use super::charts::Chart;
use crate::allocation::Allocation;
use cells::Formats;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};
use summary::summary;
use tables::{footprints, marginal_values, projects, rules, years};

mod alternatives;
mod appraisal;
mod cells;
pub mod explain;
mod prices;
mod robustness;
mod summary;
mod tables;

/// The workbook's bytes. Pure: the creation date is fixed, so the same allocation
/// always gives the same bytes (the run's date belongs in the run manifest).
pub fn render(a: &Allocation, charts: &[Chart]) -> Result<Vec<u8>, String> {
    build(a, charts).map_err(|e| format!("writing allocation.xlsx failed: {e}"))
}

fn build(a: &Allocation, charts: &[Chart]) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(format!("Technology fund allocation: {}", a.scenario.name))
        .set_subject("Allocation of a technology fund across digital footprints and projects")
        .set_comment("Money in £ thousands (£k). Produced by techfund.")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    workbook.set_properties(&properties);
    // Excel's own zip level: a third less time than the default 6 on the 100,000-bid
    // Projects sheet, for a file a few per cent larger.
    workbook.set_zip_compression_level(3);
    summary(workbook.add_worksheet().set_name("Summary")?, a, charts, &f)?;
    // One row per bid, written in row order, so it can stream to a temporary file: held
    // whole it would be the largest thing in memory at 100,000 bids.
    projects(
        workbook
            .add_worksheet_with_constant_memory()?
            .set_name("Projects")?,
        a,
        &f,
    )?;
    footprints(workbook.add_worksheet().set_name("Footprints")?, a, &f)?;
    years(workbook.add_worksheet().set_name("Years")?, a, &f)?;
    rules(workbook.add_worksheet().set_name("Rules")?, a, &f)?;
    if !a.marginal_values.is_empty() {
        marginal_values(workbook.add_worksheet().set_name("Marginal values")?, a, &f)?;
    }
    if let Some(alts) = &a.alternatives {
        alternatives::alternatives(
            workbook.add_worksheet().set_name("Alternatives")?,
            a,
            alts,
            &f,
        )?;
    }
    if let Some(r) = &a.robustness {
        robustness::core_index(workbook.add_worksheet().set_name("Core index")?, r, &f)?;
        robustness::uncertainty(workbook.add_worksheet().set_name("Uncertainty")?, r, &f)?;
    }
    if let Some(ap) = &a.appraisal {
        appraisal::sheet(workbook.add_worksheet().set_name("Appraisal")?, ap, &f)?;
    }
    if !a.rule_prices.is_empty() {
        prices::rule_prices(workbook.add_worksheet().set_name("Rule prices")?, a, &f)?;
    }
    if !a.fairness_frontier.is_empty() {
        prices::fairness_frontier(
            workbook.add_worksheet().set_name("Fairness frontier")?,
            a,
            &f,
        )?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests;
