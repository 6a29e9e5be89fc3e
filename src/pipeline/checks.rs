//! Checks of a scenario against its dataset that need no solver, run when the inputs
//! are loaded, so `validate` refuses whatever `run` would refuse before solving.

use super::infeasible::plain_conflict;
use crate::domain::Dataset;
use crate::error::{Error, InputError, Result};
use crate::format::{listing, money};
use crate::scenario::Scenario;
use std::collections::BTreeSet;

/// A bid asking for more than this many times the whole fund is taken for an error of
/// units (£ written where £k is meant), not a bid.
const MOST_TIMES_FUND: f64 = 100.0;

/// What is wrong whatever the budget: rules that name nothing, costs in the wrong unit.
pub fn rules(data: &Dataset, scenario: &Scenario) -> Result<()> {
    categories_exist(data, scenario)?;
    bids_within_reason(data, scenario)?;
    Ok(())
}

/// `rules`, and the conflicts with the scenario's own budget that need no solver to see.
pub fn check(data: &Dataset, scenario: &Scenario) -> Result<()> {
    rules(data, scenario)?;
    if let Some(explanation) = plain_conflict(data, scenario) {
        return Err(Error::Infeasible {
            scenario: scenario.name.clone(),
            explanation,
        });
    }
    Ok(())
}

/// A category rule for a category no bid carries would silently do nothing.
fn categories_exist(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    let present: BTreeSet<&str> = data.projects.iter().map(|p| p.category.as_str()).collect();
    for rule in &scenario.rules.categories {
        if present.contains(rule.category.as_str()) {
            continue;
        }
        let names: Vec<&str> = present.iter().copied().collect();
        let near = names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(&rule.category))
            .map(|n| format!("did you mean `{n}`? (case matters) "))
            .unwrap_or_default();
        return Err(scenario.key_error(
            "rules.category",
            "category",
            format!(
                "no bid has the category `{}`, so its rule would do nothing",
                rule.category
            ),
            format!(
                "{near}name a category the bids carry: {}",
                listing(&names, 10)
            ),
        ));
    }
    Ok(())
}

/// A bid far beyond the whole fund is almost always £ typed where £k is meant.
fn bids_within_reason(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    let fund = scenario.total_budget();
    if fund <= 0.0 {
        return Ok(());
    }
    let lines = scenario.lines();
    for p in &data.projects {
        let cost = p.cost_on(&lines);
        if cost > MOST_TIMES_FUND * fund {
            return Err(data.projects_source.at(
                p.line,
                1,
                None,
                format!(
                    "project `{}` asks for {}, more than {} times the whole fund of {}",
                    p.id,
                    money(cost),
                    MOST_TIMES_FUND,
                    money(fund)
                ),
                "costs are in £ thousands (£k): check this bid's cost columns (1250.5 means £1,250,500)",
            ));
        }
    }
    Ok(())
}
