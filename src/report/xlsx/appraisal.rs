//! The Appraisal sheet: every bid's Green Book measures and the funded portfolio's
//! total, as numbers with £k and % formats.

use super::cells::{col, number, table_head, text, Formats};
use crate::appraisal::{Appraisal, Measures};
use rust_xlsxwriter::{Worksheet, XlsxError};

pub(super) fn sheet(ws: &mut Worksheet, ap: &Appraisal, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        col("Project ID", 12.0),
        col("Title", 40.0),
        col("Share funded", 10.0),
        col("PV costs, fund's lines and years (£k)", 16.0),
        col("PV costs, whole life (£k)", 16.0),
        col("PV benefits, cash-releasing (£k)", 16.0),
        col("PV benefits, non-cash-releasing (£k)", 16.0),
        col("NPSV (£k)", 14.0),
        col("BCR", 9.0),
        col("Value for money", 12.0),
        col("Cost overrun at which it fails the hurdle", 16.0),
        col("Benefit shortfall at which it fails the hurdle", 16.0),
        col("Duration optimism bias", 10.0),
        col("Benefits delayed (years)", 10.0),
    ];
    table_head(ws, &columns, ap.rows.len() + 1, f)?;
    let write = |ws: &mut Worksheet,
                 r: u32,
                 m: &Measures,
                 switches: [Option<f64>; 2]|
     -> Result<(), XlsxError> {
        for (c, v) in [
            m.pv_cost_fund,
            m.pv_cost_whole_life,
            m.pv_benefit_cash,
            m.pv_benefit_noncash,
            m.npsv(),
        ]
        .into_iter()
        .enumerate()
        {
            number(ws, r, 3 + c as u16, v, &f.money_k)?;
        }
        if let Some(b) = m.bcr() {
            number(ws, r, 8, b, &f.decimal)?;
        }
        if let Some(v) = m.vfm() {
            ws.write_string(r, 9, v.label())?;
        }
        for (c, s) in switches.into_iter().enumerate() {
            if let Some(s) = s {
                number(ws, r, 10 + c as u16, s, &f.percent)?;
            }
        }
        Ok(())
    };
    for (i, row) in ap.rows.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &row.project_id)?;
        text(ws, r, 1, &row.title)?;
        number(ws, r, 2, row.fraction, &f.percent)?;
        write(ws, r, &row.measures, [row.cost_switch, row.benefit_switch])?;
        number(ws, r, 12, row.duration_bias, &f.percent)?;
        ws.write_number(r, 13, row.benefit_delay)?;
    }
    let r = ap.rows.len() as u32 + 1;
    ws.write_string_with_format(r, 0, super::super::appraisal::TOTAL, &f.bold)?;
    ws.write_string(r, 1, "Funded portfolio (each bid times its share funded)")?;
    write(
        ws,
        r,
        &ap.total,
        [ap.portfolio_cost_switch, ap.total.benefit_switch(1.0)],
    )?;
    Ok(())
}
