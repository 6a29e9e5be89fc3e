//! The Summary sheet: the headline figures and solver details, the comparison with
//! simpler ways to share the fund, and the charts beside them.

use super::cells::{number, text, Formats};
use crate::allocation::{Allocation, ProjectStatus};
use crate::format::spreadsheet_safe;
use crate::report::charts::Chart;
use rust_xlsxwriter::{Format, Image, Worksheet, XlsxError};

const CHART_COLUMN: u16 = 7;

pub(super) fn summary(
    ws: &mut Worksheet,
    a: &Allocation,
    charts: &[Chart],
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 14)?;
    ws.set_column_width(4, 16)?;
    ws.set_column_width(5, 60)?;
    ws.write_string_with_format(
        0,
        0,
        spreadsheet_safe(&format!("Technology fund allocation: {}", a.scenario.name)),
        &f.title,
    )?;
    text(ws, 1, 0, &a.scenario.description)?;
    // The fair-share basis and any rules ignored change what the figures mean.
    text(ws, 2, 0, &crate::report::markdown::rules_note(a))?;

    let count = |s: ProjectStatus| a.projects.iter().filter(|p| p.status == s).count() as f64;
    let budget = a.scenario.total_budget();
    let mut row = 3;
    ws.write_string_with_format(row, 0, "Headline", &f.header)?;
    ws.write_string_with_format(row, 1, "", &f.header)?;
    ws.write_string_with_format(row, 2, "", &f.header)?;
    row += 1;
    let figures: [(&str, f64, &Format); 11] = [
        ("Total budget (£k)", budget, &f.money_k),
        ("Allocated (£k)", a.total_funded, &f.money_k),
        (
            "Share of the budget used",
            if budget > 0.0 {
                a.total_funded / budget
            } else {
                0.0
            },
            &f.percent,
        ),
        ("Value", a.total_value, &f.whole),
        (
            "Projects funded in full",
            count(ProjectStatus::Funded),
            &f.whole,
        ),
        (
            "Projects funded in part",
            count(ProjectStatus::PartlyFunded),
            &f.whole,
        ),
        (
            "Projects not funded",
            count(ProjectStatus::NotFunded),
            &f.whole,
        ),
        (
            "Projects excluded by rule",
            count(ProjectStatus::ExcludedByRule),
            &f.whole,
        ),
        (
            "Footprints receiving money",
            a.footprints.iter().filter(|x| x.funded > 0.0).count() as f64,
            &f.whole,
        ),
        ("MIP gap reached", a.solver.gap, &f.gap),
        ("Proven bound on the value", a.solver.bound, &f.whole),
    ];
    // The heuristic's value only when there was one: a blank would read as zero.
    let heuristic = a
        .solver
        .heuristic
        .map(|h| ("Heuristic's value before branch and bound", h, &f.whole));
    let figures = figures.into_iter().chain(heuristic);
    for (label, value, format) in figures {
        ws.write_string(row, 0, label)?;
        number(ws, row, 1, value, format)?;
        if label == "Value" {
            text(ws, row, 2, a.value_unit.as_str())?;
        }
        row += 1;
    }
    ws.write_string(row, 0, "Solver status")?;
    ws.write_string_with_format(row, 1, a.solver.status.describe(), &f.bold)?;
    row += 1;
    ws.write_string(row, 0, "MIP gap asked for")?;
    number(ws, row, 1, a.solver.requested_gap, &f.gap)?;
    row += 1;
    ws.write_string(row, 0, "Time limit (s)")?;
    number(ws, row, 1, a.solver.time_limit_s, &f.whole)?;
    row += 1;
    ws.write_string(row, 0, "HiGHS version")?;
    text(ws, row, 1, &a.solver.highs_version)?;
    row += 2;

    let heads = [
        "Method".to_string(),
        format!("Value ({})", a.value_unit),
        "Allocated (£k)".to_string(),
        "Projects funded".to_string(),
        "Optimised allocation's extra value".to_string(),
        "How it works".to_string(),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, spreadsheet_safe(h), &f.header)?;
    }
    ws.set_row_height(row, 32)?;
    row += 1;
    ws.write_string_with_format(row, 0, "Optimised allocation", &f.bold)?;
    number(ws, row, 1, a.total_value, &f.whole)?;
    number(ws, row, 2, a.total_funded, &f.money_k)?;
    number(
        ws,
        row,
        3,
        a.projects.iter().filter(|p| p.fraction > 0.0).count() as f64,
        &f.whole,
    )?;
    ws.write_string_with_format(
        row,
        5,
        "The most value the budget can buy within every rule (mixed-integer programming).",
        &f.wrap,
    )?;
    for c in &a.comparisons {
        row += 1;
        text(ws, row, 0, c.method.name())?;
        number(ws, row, 1, c.value, &f.whole)?;
        number(ws, row, 2, c.spent, &f.money_k)?;
        number(ws, row, 3, c.projects_funded as f64, &f.whole)?;
        if c.value > 0.0 {
            number(ws, row, 4, a.total_value / c.value - 1.0, &f.percent)?;
        }
        ws.write_string_with_format(row, 5, spreadsheet_safe(c.method.description()), &f.wrap)?;
    }

    // Charts to the right of the figures, one under another. The PNGs are tagged
    // 192 dpi, so Excel shows them at half their pixel size.
    let mut chart_row = 0u32;
    for chart in charts {
        let image = Image::new_from_buffer(&chart.png)?.set_alt_text(chart.title.clone());
        ws.insert_image(chart_row, CHART_COLUMN, &image)?;
        let shown_height = image.height() * 96.0 / image.height_dpi();
        chart_row += (shown_height / 20.0).ceil() as u32 + 2; // default rows are 20 px
    }
    Ok(())
}
