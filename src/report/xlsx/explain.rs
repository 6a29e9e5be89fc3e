//! explain.xlsx: the explain table as a finance team works with it in Excel, with the
//! conventions of allocation.xlsx: numbers stored as numbers with £ and % formats, a
//! frozen, filtered header row, text made safe, and the chart on its own sheet.

use super::cells::{col, number, table_head, text, text_width, Formats};
use crate::allocation::explain::{Explanation, ProjectWorth, Worth};
use crate::allocation::Allocation;
use crate::report::charts::Chart;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Image, Workbook, Worksheet, XlsxError,
};

/// The workbook's bytes. Pure: the creation date is fixed, as in allocation.xlsx.
pub fn render(a: &Allocation, e: &Explanation, charts: &[Chart]) -> Result<Vec<u8>, String> {
    build(a, e, charts).map_err(|err| format!("writing explain.xlsx failed: {err}"))
}

fn build(a: &Allocation, e: &Explanation, charts: &[Chart]) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(format!("What each project is worth: {}", a.scenario.name))
        .set_comment(
            "Values in the allocation's unit; money in £ thousands (£k). Produced by techfund.",
        )
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    workbook.set_properties(&properties);
    table(workbook.add_worksheet().set_name("Explain")?, a, e, &f)?;
    if !charts.is_empty() {
        let ws = workbook.add_worksheet().set_name("Charts")?;
        let mut row = 0;
        for chart in charts {
            ws.write_string_with_format(row, 0, &chart.title, &f.bold)?;
            let image = Image::new_from_buffer(&chart.png)?.set_alt_text(chart.title.clone());
            ws.insert_image(row + 1, 0, &image)?;
            // The PNGs are tagged 192 dpi, so Excel shows them at half their pixel
            // size; default rows are 20 px.
            let shown_height = image.height() * 96.0 / image.height_dpi();
            row += 3 + (shown_height / 20.0).ceil() as u32;
        }
    }
    workbook.save_to_buffer()
}

fn table(
    ws: &mut Worksheet,
    a: &Allocation,
    e: &Explanation,
    f: &Formats,
) -> Result<(), XlsxError> {
    let unit = a.value_unit.to_string();
    let value_format: &Format = if a.value_unit.is_money() {
        &f.money_k
    } else {
        &f.one_dp
    };
    let mut rows: Vec<&ProjectWorth> = e.rows.iter().collect();
    rows.sort_by_key(|r| r.row);
    let titles = rows.iter().map(|r| a.projects[r.row].title.as_str());
    let collisions: Vec<String> = rows.iter().map(|r| r.collides_with.join("; ")).collect();
    let columns = vec![
        col("Project ID", 12.0),
        col("Footprint ID", 13.0),
        col("Title", text_width(titles, 20.0, 60.0)),
        col("Category", 18.0),
        col("Status", 16.0),
        col("Share funded", 10.0),
        col(&format!("Value ({unit})"), 16.0),
        col("Value per £", 11.0),
        col("Greedy ranking", 12.0),
        col(&format!("Replacement cost ({unit})"), 18.0),
        col("Replacement cost, low", 14.0),
        col("Replacement cost, high", 14.0),
        col(&format!("Forced-in loss ({unit})"), 18.0),
        col("Forced-in loss, low", 14.0),
        col("Forced-in loss, high", 14.0),
        col(
            "Collides with",
            text_width(collisions.iter().map(String::as_str), 20.0, 80.0),
        ),
        col("Solve status", 12.0),
        col("Gap", 9.0),
    ];
    table_head(ws, &columns, rows.len(), f)?;
    for (i, (r, collides)) in rows.iter().zip(&collisions).enumerate() {
        let row = i as u32 + 1;
        let p = &a.projects[r.row];
        text(ws, row, 0, &p.project_id)?;
        text(ws, row, 1, &p.footprint_id)?;
        text(ws, row, 2, &p.title)?;
        text(ws, row, 3, &p.category)?;
        text(ws, row, 4, p.status.label())?;
        number(ws, row, 5, p.fraction, &f.percent)?;
        number(ws, row, 6, p.value, value_format)?;
        number(ws, row, 7, p.value_per_pound, &f.ratio)?;
        text(
            ws,
            row,
            8,
            if r.greedy_funded {
                "funded"
            } else {
                "not funded"
            },
        )?;
        worth(
            ws,
            row,
            9,
            r.replacement.as_ref(),
            "irreplaceable",
            value_format,
        )?;
        worth(
            ws,
            row,
            12,
            r.forced_in.as_ref(),
            "cannot be funded",
            value_format,
        )?;
        text(ws, row, 15, collides)?;
        // The weakest status and the largest gap of the row's re-solves.
        let measured = [&r.replacement, &r.forced_in]
            .into_iter()
            .filter_map(|w| match w {
                Some(Worth::Measured(l)) => Some(l),
                _ => None,
            });
        let mut status = None;
        let mut gap: Option<f64> = None;
        for l in measured {
            if status.is_none_or(|s: crate::solve::SolveStatus| rank(l.status) > rank(s)) {
                status = Some(l.status);
            }
            gap = Some(gap.map_or(l.gap, |g| g.max(l.gap)));
        }
        if let Some(s) = status {
            text(ws, row, 16, s.as_str())?;
        }
        if let Some(g) = gap {
            number(ws, row, 17, g, &f.gap)?;
        }
    }
    Ok(())
}

fn rank(s: crate::solve::SolveStatus) -> u8 {
    use crate::solve::SolveStatus as S;
    match s {
        S::Optimal => 0,
        S::WithinGap => 1,
        S::TimeLimit => 2,
    }
}

/// A lock's outcome in three cells: the loss and its proven range as numbers, or the
/// word for an infeasible lock, or why it was not measured.
fn worth(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    w: Option<&Worth>,
    infeasible: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    match w {
        None => {}
        Some(Worth::Measured(l)) => {
            number(ws, row, col, l.loss, format)?;
            number(ws, row, col + 1, l.low, format)?;
            number(ws, row, col + 2, l.high, format)?;
        }
        Some(Worth::Infeasible(_)) => text(ws, row, col, infeasible)?,
        Some(Worth::Unmeasured(why)) => text(ws, row, col, why)?,
    }
    Ok(())
}
