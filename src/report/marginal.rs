//! The value of each year's money (`run --marginal-values`): marginal_values.csv and
//! the table summary.md, the page and the workbook share.

use super::words::proven_figure;
use crate::allocation::{Allocation, MarginalValue};
use crate::csvio::{finish, writer};
use crate::format::fixed;
use crate::solve::SolveStatus;

type Figure = Result<(f64, f64, f64), String>;

/// A figure as a table shows it: as far as the proven bounds allow, or why there is
/// none.
pub fn shown(f: &Figure) -> String {
    match f {
        Ok((m, lo, hi)) => proven_figure(*m, *lo, *hi),
        Err(why) => why.clone(),
    }
}

fn cells(f: &Figure, decimals: usize) -> [String; 3] {
    match f {
        Ok((m, lo, hi)) => [
            fixed(*m, decimals),
            fixed(*lo, decimals),
            fixed(*hi, decimals),
        ],
        Err(why) => [why.clone(), String::new(), String::new()],
    }
}

fn decimals(a: &Allocation) -> usize {
    if a.value_unit.is_money() {
        1
    } else {
        0
    }
}

/// marginal_values.csv: one row per financial year and budget line.
pub fn csv(a: &Allocation) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "year",
        "line",
        "value_of_next_1m",
        "value_of_next_1m_low",
        "value_of_next_1m_high",
        "value_of_last_1m",
        "value_of_last_1m_low",
        "value_of_last_1m_high",
        "status",
        "gap",
    ])
    .expect("in memory");
    let d = decimals(a);
    for m in &a.marginal_values {
        let [n, n_lo, n_hi] = cells(&m.next, d);
        let [l, l_lo, l_hi] = cells(&m.last, d);
        w.write_record([
            m.year.label().to_string(),
            m.line.name().to_string(),
            n,
            n_lo,
            n_hi,
            l,
            l_lo,
            l_hi,
            m.status.as_str().to_string(),
            fixed(m.gap, 6),
        ])
        .expect("in memory");
    }
    finish(w)
}

/// The table's rows: year, line, the next £1m, the last £1m, what was proven.
pub fn rows(a: &Allocation) -> Vec<[String; 5]> {
    a.marginal_values
        .iter()
        .map(|m: &MarginalValue| {
            [
                m.year.label().to_string(),
                m.line.name().to_string(),
                shown(&m.next),
                shown(&m.last),
                match m.status {
                    SolveStatus::TimeLimit => format!(
                        "NOT proven: a re-solve stopped at its time limit (gap {}%)",
                        fixed(m.gap * 100.0, 4)
                    ),
                    _ => format!("gap {}%", fixed(m.gap * 100.0, 4)),
                },
            ]
        })
        .collect()
}

pub const HEAD: [&str; 5] = [
    "Year",
    "Budget line",
    "Value of the next £1m",
    "Value of the last £1m",
    "Solved to",
];

/// What the table means, in a sentence for each report.
pub fn explanation(a: &Allocation) -> String {
    format!(
        "Each figure is an exact re-solve of the whole scenario with £1m more (the next £1m) or £1m less (the last £1m) in that year's budget line alone, in {}; a figure is shown only as far as the solves' proven bounds allow. Where the next £1m in one year is worth more than the last £1m in another, moving money between them raises the value.",
        a.value_unit
    )
}
