//! A hint for the solver on large programmes: the bids the LP relaxation will almost
//! surely leave unfunded. On 100,000 bids the LP relaxation is most of the solve, and
//! dual simplex spends it walking through boxed columns that end at zero. Solving the
//! LP first with these bids held at zero, then letting them back in from that basis,
//! reaches the same optimum (the second solve is the full LP) several times faster:
//! only the few set-aside bids that price in are touched again.

use crate::domain::{Dataset, Money};
use crate::scenario::{ObjectiveKind, Scenario};

/// Below this many bids the LP relaxation takes milliseconds and the hint is not
/// given, so small programmes are solved exactly as they always were.
const FROM_BIDS: usize = 10_000;

/// The bids kept in the first LP cover this many times the whole budget, best value
/// per £ first; the rest are set aside. The LP funds roughly the best value per £ up to
/// the budget, so a margin of a quarter leaves few to price back in; a wrong guess
/// costs time, never the answer.
const COVER: f64 = 1.25;

/// The columns of bids to set aside in the first LP: those beyond `COVER` times the
/// budget in order of value per £ of fund cost (a bid's NPSV as bid, for the npv
/// objective). None under the maturity objective, which values capability gains, not
/// bids one by one, nor for a bid with a lower bound (must-fund).
pub(super) fn set_aside(
    data: &Dataset,
    scenario: &Scenario,
    fraction_col: &[usize],
    col_lower: &[f64],
) -> Vec<usize> {
    if data.projects.len() < FROM_BIDS {
        return Vec::new();
    }
    let value: Vec<Money> = match scenario.objective {
        ObjectiveKind::Benefit => data.projects.iter().map(|p| p.benefit).collect(),
        ObjectiveKind::Npv => crate::appraisal::npsv_all(data, scenario),
        ObjectiveKind::Maturity => return Vec::new(),
    };
    let lines = scenario.lines();
    let mut order: Vec<(usize, f64, Money)> = data
        .projects
        .iter()
        .enumerate()
        .filter(|&(i, _)| col_lower[fraction_col[i]] == 0.0)
        .map(|(i, p)| {
            let cost = p.fund_cost_on(&lines);
            // A bid that costs the fund nothing is always kept.
            let ratio = if cost > 0.0 {
                value[i] / cost
            } else {
                f64::INFINITY
            };
            (i, ratio, cost)
        })
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let cover = COVER * scenario.total_budget();
    let mut kept: Money = 0.0;
    let mut aside = Vec::new();
    for (i, _, cost) in order {
        if kept < cover {
            kept += cost;
        } else {
            aside.push(fraction_col[i]);
        }
    }
    aside.sort_unstable();
    aside
}
