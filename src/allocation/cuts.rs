//! The cuts of a re-solve (`Scenario::cuts`) checked in plain Rust, beside every rule:
//! an alternative must be worth at least its share of the optimum and differ from each
//! allocation before it in enough bids, whatever the solver says.

use super::usage::FRACTION_EPS;
use super::value;
use crate::domain::Dataset;
use crate::scenario::{Cut, Scenario};

/// The bids an allocation funds (any money at all), in dataset order.
pub fn funded_set(fractions: &[f64]) -> Vec<usize> {
    (0..fractions.len())
        .filter(|&i| fractions[i] > FRACTION_EPS)
        .collect()
}

/// How many bids are funded in one allocation and not in the other.
pub fn differences(fractions: &[f64], reference: &[usize]) -> usize {
    let mut in_reference = vec![false; fractions.len()];
    for &p in reference {
        in_reference[p] = true;
    }
    (0..fractions.len())
        .filter(|&i| (fractions[i] > FRACTION_EPS) != in_reference[i])
        .count()
}

/// The cuts the allocation (its bids started as `starts` says) breaks, in words.
/// `exact`: no slack for rounding in the value.
pub fn violations(
    data: &Dataset,
    scenario: &Scenario,
    fractions: &[f64],
    starts: &[usize],
    exact: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if scenario.cuts.is_empty() {
        return out;
    }
    let total = value::total(data, scenario, fractions, starts);
    for cut in &scenario.cuts {
        match cut {
            Cut::ValueAtLeast { value } => {
                // The value is a sum over the bids, recomputed here; a billionth of it is
                // rounding, not a worse allocation.
                let slack = if exact {
                    0.0
                } else {
                    1e-9 * value.abs() + 1e-9
                };
                if total < value - slack {
                    out.push(format!(
                        "the allocation is worth {total}, less than the {value} asked of an alternative"
                    ));
                }
            }
            Cut::DiffersFrom {
                label,
                reference,
                by,
            } => {
                let d = differences(fractions, reference);
                if d < *by {
                    out.push(format!(
                        "the allocation differs from the {} in {d} bid(s), fewer than the {by} asked",
                        label.replace('_', " ")
                    ));
                }
            }
        }
    }
    out
}
