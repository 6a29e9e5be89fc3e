//! The workbook's robustness sheets (`[uncertainty]`): Core index, one row per
//! project; Uncertainty, the spread of total value and each year's spend.

use super::cells::{col, number, table_head, text, text_width, Formats};
use crate::allocation::robustness::Robustness;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub(super) fn core_index(ws: &mut Worksheet, r: &Robustness, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        col("Project ID", 12.0),
        col("Core index", 11.0),
        col("Class", 12.0),
        col("Funded in this allocation", 12.0),
        col("Draws funded", 10.0),
        col("Draws solved", 10.0),
        col(
            "Category",
            text_width(r.core.iter().map(|c| c.category.as_str()), 10.0, 24.0),
        ),
        col(
            "Footprint",
            text_width(r.core.iter().map(|c| c.footprint.as_str()), 14.0, 40.0),
        ),
        col(
            "Title",
            text_width(r.core.iter().map(|c| c.title.as_str()), 20.0, 60.0),
        ),
    ];
    table_head(ws, &columns, r.core.len(), f)?;
    for (i, c) in r.core.iter().enumerate() {
        let row = i as u32 + 1;
        text(ws, row, 0, &c.project_id)?;
        if let Some(x) = c.core_index {
            number(ws, row, 1, x, &f.ratio)?;
        }
        ws.write_string(row, 2, c.class.as_str())?;
        ws.write_string(row, 3, if c.funded_in_base { "yes" } else { "no" })?;
        number(ws, row, 4, c.funded_draws as f64, &f.whole)?;
        number(ws, row, 5, r.solved as f64, &f.whole)?;
        text(ws, row, 6, &c.category)?;
        text(ws, row, 7, &c.footprint)?;
        text(ws, row, 8, &c.title)?;
    }
    Ok(())
}

pub(super) fn uncertainty(
    ws: &mut Worksheet,
    r: &Robustness,
    f: &Formats,
) -> Result<(), XlsxError> {
    let columns = [
        col("Measure", 12.0),
        col("Financial year", 12.0),
        col("Budget line", 12.0),
        col("Budget", 14.0),
        col("This allocation", 14.0),
        col("Mean", 14.0),
        col("P5", 14.0),
        col("Median", 14.0),
        col("P95", 14.0),
        col("Draws solved", 10.0),
        col("Chance this allocation overruns", 14.0),
    ];
    table_head(ws, &columns, r.spend.len() + 1, f)?;
    ws.write_string(1, 0, "total value")?;
    number(ws, 1, 4, r.base_value, &f.whole)?;
    if let Some(s) = r.value {
        for (c, v) in [(5u16, s.mean), (6, s.p5), (7, s.p50), (8, s.p95)] {
            number(ws, 1, c, v, &f.whole)?;
        }
    }
    number(ws, 1, 9, r.solved as f64, &f.whole)?;
    for (i, y) in r.spend.iter().enumerate() {
        let row = i as u32 + 2;
        ws.write_string(row, 0, "spend")?;
        text(ws, row, 1, y.year.label())?;
        ws.write_string(row, 2, y.line.name())?;
        number(ws, row, 3, y.budget, &f.money_k)?;
        number(ws, row, 4, y.base_spend, &f.money_k)?;
        if let Some(s) = y.spend {
            for (c, v) in [(5u16, s.mean), (6, s.p5), (7, s.p50), (8, s.p95)] {
                number(ws, row, c, v, &f.money_k)?;
            }
        }
        number(ws, row, 9, r.solved as f64, &f.whole)?;
        number(ws, row, 10, y.base_overrun_chance, &f.percent)?;
    }
    Ok(())
}
