//! Words and figures the report writers share: method names, values in the
//! allocation's unit, plain numbers. The charts, the HTML page and the workbook all
//! say the same thing the same way.

use crate::allocation::Allocation;
use crate::format::{fixed, money, thousands};

/// A value in the allocation's unit for prose: money units read as money.
pub(crate) fn value_text(a: &Allocation, v: f64) -> String {
    let (figure, unit) = value_parts(a, v);
    format!("{figure} {unit}")
}

/// A value as a short figure and the words of its unit: ("£1.2m", "of benefit (present value)").
pub(crate) fn value_parts(a: &Allocation, v: f64) -> (String, String) {
    match a.value_unit.money_words() {
        Some(words) => (money(v), words.to_string()),
        None => (thousands(v), a.value_unit.to_string()),
    }
}

/// What techfund's heuristic contributed, for the solver's line in every report.
pub(crate) fn heuristic_text(a: &Allocation) -> Option<String> {
    let h = a.solver.heuristic?;
    let below = if a.solver.bound.abs() > 0.0 {
        (a.solver.bound - h).abs() / a.solver.bound.abs()
    } else {
        0.0
    };
    Some(format!(
        "an allocation worth {} ({}% from the proven bound), found first by techfund's heuristic",
        value_text(a, h),
        fixed(below * 100.0, 4)
    ))
}

/// A plain number with as many decimals as its size deserves.
pub(crate) fn number(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 {
        "0".to_string()
    } else if a >= 100.0 {
        thousands(x)
    } else if a >= 1.0 {
        fixed(x, 2)
    } else {
        fixed(x, 3)
    }
}

/// Value per £ for a table: a bid that costs the fund nothing has no ratio to show.
pub(crate) fn per_pound_text(x: f64) -> String {
    if x.is_finite() {
        number(x)
    } else {
        "no cost to the fund".to_string()
    }
}

/// The text with its first letter in capitals: "capital" → "Capital".
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
