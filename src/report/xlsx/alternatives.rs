//! The Alternatives sheet: for each near-optimal alternative, what it gives up and
//! funds instead by footprint and by category, £k and value, with its value against
//! the optimum's on every row so a filter on one alternative keeps its figures.

use super::cells::{col, number, table_head, text, Formats};
use crate::allocation::alternatives::Alternatives;
use crate::allocation::Allocation;
use crate::report::alternatives::{changes, explanation};
use rust_xlsxwriter::{Worksheet, XlsxError};

pub(super) fn alternatives(
    ws: &mut Worksheet,
    a: &Allocation,
    alts: &Alternatives,
    f: &Formats,
) -> Result<(), XlsxError> {
    let unit = a.value_unit.as_str();
    let columns = [
        col("Alternative", 11.0),
        (format!("Value ({unit})"), 18.0),
        col("Share of the optimum", 12.0),
        col("Gap", 10.0),
        col("Bids changed from the optimum", 12.0),
        col("By", 10.0),
        col("Footprint or category", 36.0),
        col("Gives up", 14.0),
        col("Value given up", 16.0),
        col("Funds instead", 14.0),
        col("Value funded instead", 16.0),
        col("Net value", 16.0),
    ];
    let groups: Vec<_> = alts.found.iter().map(|alt| (alt, changes(alt))).collect();
    let rows: usize = groups.iter().map(|(_, g)| g.len()).sum();
    table_head(ws, &columns, rows, f)?;
    let mut r = 0u32;
    for (alt, groups) in &groups {
        for (by, g) in groups {
            r += 1;
            number(ws, r, 0, alt.number as f64, &f.whole)?;
            number(ws, r, 1, alt.value, &f.whole)?;
            number(ws, r, 2, alt.share, &f.gap)?;
            number(ws, r, 3, alt.gap, &f.gap)?;
            number(ws, r, 4, alt.differs_from_optimum as f64, &f.whole)?;
            ws.write_string(r, 5, *by)?;
            text(ws, r, 6, &g.name)?;
            number(ws, r, 7, g.given_up_cost, &f.money_k)?;
            number(ws, r, 8, g.given_up_value, &f.whole)?;
            number(ws, r, 9, g.funded_cost, &f.money_k)?;
            number(ws, r, 10, g.funded_value, &f.whole)?;
            number(ws, r, 11, g.funded_value - g.given_up_value, &f.whole)?;
        }
    }
    // What was asked and why there are no more, below the table.
    r += 2;
    for line in explanation(a, alts) {
        text(ws, r, 0, &line)?;
        r += 1;
    }
    Ok(())
}
