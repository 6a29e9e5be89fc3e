//! Near-optimal alternatives in domain terms: each one's value against the optimum's,
//! and the bids it funds that the optimum does not and the other way round, each with
//! its footprint, category, cost and value.

use super::cuts::{differences, funded_set};
use super::{value, Solution};
use crate::domain::{Dataset, Money};
use crate::scenario::{AlternativesRequest, Cut, Scenario};
use crate::solve::SolveStatus;
use serde::Serialize;

/// What `[alternatives]` found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alternatives {
    pub request: AlternativesRequest,
    /// The optimum's value, and its gap to the proven bound.
    pub optimum_value: f64,
    pub optimum_gap: f64,
    /// The least an alternative may be worth: (1 − within) × the optimum's value.
    pub threshold: f64,
    pub found: Vec<Alternative>,
    /// Why there are no more.
    pub ended: Ended,
}

/// Why the search stopped.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ended {
    /// As many as were asked for.
    AllFound,
    /// The solver proved no further allocation is that good and that different.
    NoneLeft,
    /// The time limit ran out before the next was found or ruled out.
    OutOfTime,
    /// The solver failed; the message says how.
    Failed(String),
}

/// One alternative allocation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alternative {
    /// 1, 2, … in the order found (each is the best allocation that differs enough from
    /// the optimum and every one before it).
    pub number: usize,
    pub value: f64,
    /// Its value ÷ the optimum's.
    pub share: f64,
    pub status: SolveStatus,
    /// Its own gap to the proven bound of its re-solve.
    pub gap: f64,
    /// Bids funded in one of it and the optimum but not the other.
    pub differs_from_optimum: usize,
    /// The fewest bids it differs by from the optimum or any earlier alternative.
    pub fewest_differences: usize,
    pub funded: Money,
    /// Its changes from the optimum: funded instead first, then given up, each by
    /// project id.
    pub changes: Vec<Change>,
    #[serde(skip)]
    pub fractions: Vec<f64>,
}

/// A bid one of the optimum and the alternative funds and the other does not.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub project: usize,
    pub project_id: String,
    pub footprint_id: String,
    pub footprint_name: String,
    pub category: String,
    /// True: the alternative funds it instead; false: the alternative gives it up.
    pub funded_instead: bool,
    /// Money it takes from the fund's lines, £k.
    pub cost: Money,
    /// Its value in the allocation that funds it, in the scenario's value unit.
    pub value: f64,
}

/// The cuts the next re-solve carries: its value at least the threshold, and different
/// enough from the optimum and from each alternative already found.
pub fn cuts_for(
    request: &AlternativesRequest,
    threshold: f64,
    optimum: &[f64],
    found: &[Alternative],
) -> Vec<Cut> {
    let mut cuts = vec![Cut::ValueAtLeast { value: threshold }];
    cuts.push(Cut::DiffersFrom {
        label: "optimum".into(),
        reference: funded_set(optimum),
        by: request.differ_by,
    });
    for a in found {
        cuts.push(Cut::DiffersFrom {
            label: format!("alternative_{}", a.number),
            reference: funded_set(&a.fractions),
            by: request.differ_by,
        });
    }
    cuts
}

/// The least an alternative may be worth. The optimum's own value is the yardstick, not
/// the proven bound: the check can recompute it, and an alternative to the allocation
/// in the report is what a minister is shown. With the optimum within `gap` of the
/// bound, an alternative is within 1 − (1 − within)(1 − gap) of the best possible.
pub fn threshold(request: &AlternativesRequest, optimum_value: f64) -> f64 {
    (1.0 - request.within) * optimum_value
}

/// An alternative in domain terms, from its checked solution.
pub fn describe(
    data: &Dataset,
    scenario: &Scenario,
    optimum: &Solution,
    number: usize,
    alternative: &Solution,
    earlier: &[Alternative],
) -> Alternative {
    let lines = scenario.lines();
    let at_optimum = value::per_project(data, scenario, &optimum.fractions, &optimum.starts);
    let at_alternative =
        value::per_project(data, scenario, &alternative.fractions, &alternative.starts);
    let funded = |f: &[f64], i: usize| f[i] > super::usage::FRACTION_EPS;
    let mut changes: Vec<Change> = (0..data.projects.len())
        .filter(|&i| funded(&optimum.fractions, i) != funded(&alternative.fractions, i))
        .map(|i| {
            let p = &data.projects[i];
            let fp = &data.footprints[p.footprint];
            let instead = funded(&alternative.fractions, i);
            Change {
                project: i,
                project_id: p.id.clone(),
                footprint_id: fp.id.clone(),
                footprint_name: fp.name.clone(),
                category: p.category.clone(),
                funded_instead: instead,
                cost: p.cost_on(&lines),
                value: if instead {
                    at_alternative[i]
                } else {
                    at_optimum[i]
                },
            }
        })
        .collect();
    changes.sort_by(|a, b| {
        b.funded_instead
            .cmp(&a.funded_instead)
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    let differs_from_optimum = changes.len();
    let fewest_differences = earlier
        .iter()
        .map(|e| differences(&alternative.fractions, &funded_set(&e.fractions)))
        .fold(differs_from_optimum, usize::min);
    Alternative {
        number,
        value: alternative.value,
        share: if optimum.value != 0.0 {
            alternative.value / optimum.value
        } else {
            1.0
        },
        status: alternative.status,
        gap: alternative.gap,
        differs_from_optimum,
        fewest_differences,
        funded: super::footprint_spend(data, scenario, &alternative.fractions)
            .iter()
            .sum(),
        changes,
        fractions: alternative.fractions.clone(),
    }
}

/// What an alternative gives up and funds instead in one group (a footprint or a
/// category): money and value each way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupChange {
    pub name: String,
    pub given_up_cost: Money,
    pub given_up_value: f64,
    pub funded_cost: Money,
    pub funded_value: f64,
}

/// An alternative's changes summed by `group` (a footprint's name, a category), in the
/// group's name order.
pub fn by_group(a: &Alternative, group: impl Fn(&Change) -> String) -> Vec<GroupChange> {
    let mut groups: std::collections::BTreeMap<String, GroupChange> = Default::default();
    for c in &a.changes {
        let name = group(c);
        let g = groups.entry(name.clone()).or_insert_with(|| GroupChange {
            name,
            ..GroupChange::default()
        });
        if c.funded_instead {
            g.funded_cost += c.cost;
            g.funded_value += c.value;
        } else {
            g.given_up_cost += c.cost;
            g.given_up_value += c.value;
        }
    }
    groups.into_values().collect()
}
