//! Words and figures the report writers share: method names, values in the
//! allocation's unit, plain numbers. The charts, the HTML page and the workbook all
//! say the same thing the same way.

use crate::allocation::Allocation;
use crate::format::{fixed, money, thousands};

/// The display name of a comparison method.
pub(crate) fn method_name(method: &str) -> String {
    match method {
        "fair_share" => "Population fair-share formula".to_string(),
        "greedy" => "Greedy ranking by value per £".to_string(),
        other => other.replace('_', " "),
    }
}

/// A value in the allocation's unit for prose: money units read as money.
pub(crate) fn value_text(a: &Allocation, v: f64) -> String {
    let (figure, unit) = value_parts(a, v);
    format!("{figure} {unit}")
}

/// A value as a short figure and the words of its unit: ("£1.2m", "of benefit (present value)").
pub(crate) fn value_parts(a: &Allocation, v: f64) -> (String, String) {
    match a.value_unit.strip_prefix("£k ") {
        Some(rest) => (money(v), rest.to_string()),
        None => (thousands(v), a.value_unit.clone()),
    }
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

/// The text with its first letter in capitals: "capital" → "Capital".
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
