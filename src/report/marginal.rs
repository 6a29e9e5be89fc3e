//! The value of each year's money (`run --marginal-values`): marginal_values.csv and
//! the table summary.md, the page and the workbook share.

use super::words::proven_figure;
use crate::allocation::{Allocation, BudgetDual, MarginalValue};
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
        "dual_value_per_1m",
        "dual_holds_from_budget",
        "dual_holds_to_budget",
    ])
    .expect("in memory");
    let d = decimals(a);
    // A dual value is a rate, so it keeps more places than a difference of two solves.
    let d_places = d + 3;
    for m in &a.marginal_values {
        let [n, n_lo, n_hi] = cells(&m.next, d);
        let [l, l_lo, l_hi] = cells(&m.last, d);
        let [dv, df, dt] = match &m.dual {
            Ok(x) => [fixed(x.per_1m, d_places), limit(x.from), limit(x.to)],
            Err(why) => [why.clone(), String::new(), String::new()],
        };
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
            dv,
            df,
            dt,
        ])
        .expect("in memory");
    }
    finish(w)
}

/// A budget limit of a dual's range, £k; an end HiGHS gives as infinite has no limit.
fn limit(k: f64) -> String {
    if k.is_finite() {
        fixed(k, 1)
    } else {
        "no limit".into()
    }
}

/// The dual value in words for the tables: its sign, and the budgets it holds over.
pub fn dual_words(dual: &Result<BudgetDual, String>) -> String {
    match dual {
        Ok(d) => {
            let end = |k: f64| {
                if k.is_finite() {
                    crate::format::money(k)
                } else {
                    "no limit".to_string()
                }
            };
            let sign = if d.per_1m > 0.0 { "+" } else { "" };
            format!(
                "{sign}{} per £1m, while the budget is between {} and {}",
                super::words::number(d.per_1m),
                end(d.from),
                end(d.to)
            )
        }
        Err(why) => why.clone(),
    }
}

/// The table's rows: year, line, the next £1m, the last £1m, the LP's dual value, what
/// was proven.
pub fn rows(a: &Allocation) -> Vec<[String; 6]> {
    a.marginal_values
        .iter()
        .map(|m: &MarginalValue| {
            [
                m.year.label().to_string(),
                m.line.name().to_string(),
                shown(&m.next),
                shown(&m.last),
                dual_words(&m.dual),
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

pub const HEAD: [&str; 6] = [
    "Year",
    "Budget line",
    "Value of the next £1m",
    "Value of the last £1m",
    "Dual value (LP only)",
    "Solved to",
];

/// What the table means, in a sentence for each report.
pub fn explanation(a: &Allocation) -> String {
    format!(
        "Each figure is an exact re-solve of the whole scenario with £1m more (the next £1m) or £1m less (the last £1m) in that year's budget line alone, in {}; a figure is shown only as far as the solves' proven bounds allow. Where the next £1m in one year is worth more than the last £1m in another, moving money between them raises the value. In partial mode, when the programme is a pure LP, the dual value is the LP's own rate for that budget, exact for any change that keeps the budget inside the range shown; for a MIP (whole bids, or minimum shares) duals do not apply.",
        a.value_unit
    )
}
