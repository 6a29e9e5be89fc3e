//! The workbook's "Rule prices" and "Fairness frontier" sheets: figures as numbers,
//! with the range the proven bounds allow beside them, or why there is none.

use super::cells::{col, number, table_head, text, text_width, Formats};
use crate::allocation::prices::{Outcome, Range};
use crate::allocation::Allocation;
use rust_xlsxwriter::{Worksheet, XlsxError};

fn outcome_cells(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    o: &Outcome,
    f: &Formats,
) -> Result<(), XlsxError> {
    if let Some((v, b)) = o.measured() {
        number(ws, r, c, v, &f.whole)?;
        number(ws, r, c + 1, b.max(v), &f.whole)?;
    }
    Ok(())
}

fn range_cells(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    p: Option<Range>,
    o: &Outcome,
    f: &Formats,
) -> Result<(), XlsxError> {
    match p {
        Some((m, lo, hi)) => {
            number(ws, r, c, m, &f.whole)?;
            number(ws, r, c + 1, lo, &f.whole)?;
            number(ws, r, c + 2, hi, &f.whole)?;
        }
        None => text(ws, r, c, &o.why_not().unwrap_or_default())?,
    }
    Ok(())
}

fn status_cells(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    o: &Outcome,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_string(r, c, o.status())?;
    if let Some(g) = o.gap() {
        number(ws, r, c + 1, g, &f.gap)?;
    }
    Ok(())
}

pub(super) fn rule_prices(
    ws: &mut Worksheet,
    a: &Allocation,
    f: &Formats,
) -> Result<(), XlsxError> {
    let unit = a.value_unit.as_str();
    let columns = [
        col(
            "Rule",
            text_width(a.rule_prices.iter().map(|r| r.words.as_str()), 24.0, 60.0),
        ),
        col("Key", 24.0),
        (format!("Value without it ({unit})"), 18.0),
        col("Proven bound without it", 16.0),
        (format!("Price ({unit})"), 16.0),
        col("Price: low", 14.0),
        col("Price: high", 14.0),
        col("Share of the optimum", 12.0),
        col("Status", 12.0),
        col("Gap", 10.0),
    ];
    table_head(ws, &columns, a.rule_prices.len(), f)?;
    for (i, p) in a.rule_prices.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &p.words)?;
        text(ws, r, 1, &p.key)?;
        outcome_cells(ws, r, 2, &p.outcome, f)?;
        range_cells(ws, r, 4, p.price, &p.outcome, f)?;
        if let (Some((m, _, _)), true) = (p.price, a.total_value.abs() > 0.0) {
            number(ws, r, 7, m / a.total_value, &f.gap)?;
        }
        status_cells(ws, r, 8, &p.outcome, f)?;
    }
    Ok(())
}

pub(super) fn fairness_frontier(
    ws: &mut Worksheet,
    a: &Allocation,
    f: &Formats,
) -> Result<(), XlsxError> {
    let unit = a.value_unit.as_str();
    let columns = [
        col("Footprint floor (share of fair share)", 16.0),
        (format!("Value ({unit})"), 18.0),
        col("Proven bound", 16.0),
        col("Share of the optimum with no floor", 14.0),
        (format!("Price of this step ({unit})"), 16.0),
        col("Step: low", 14.0),
        col("Step: high", 14.0),
        col("Status", 12.0),
        col("Gap", 10.0),
    ];
    table_head(ws, &columns, a.fairness_frontier.len(), f)?;
    for (i, p) in a.fairness_frontier.iter().enumerate() {
        let r = i as u32 + 1;
        number(ws, r, 0, p.level, &f.percent)?;
        match p.outcome.measured() {
            Some(_) => outcome_cells(ws, r, 1, &p.outcome, f)?,
            None => text(ws, r, 1, &p.outcome.why_not().unwrap_or_default())?,
        }
        if let Some(s) = p.share {
            number(ws, r, 3, s, &f.gap)?;
        }
        if let Some((m, lo, hi)) = p.step_price {
            number(ws, r, 4, m, &f.whole)?;
            number(ws, r, 5, lo, &f.whole)?;
            number(ws, r, 6, hi, &f.whole)?;
        }
        status_cells(ws, r, 7, &p.outcome, f)?;
    }
    Ok(())
}
