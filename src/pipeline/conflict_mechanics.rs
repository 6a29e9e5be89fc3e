//! The budget mechanics' own limits in the users' words, for the search for the rules
//! in conflict: the cap on revenue switched to pay capital, the cap on money carried
//! into the next year, and a bid's latest start; each with the smallest change to it
//! alone that lets an allocation keep every other rule.
//!
//! The caps' change is measured by their elastic slack like any amount; a latest start
//! has no amount, so its change is measured by letting the bid start one year later at
//! a time until an allocation exists (feasibility only grows with the years allowed).

use super::conflict::{verdict, Verdict};
use crate::domain::{BudgetLine, Dataset};
use crate::error::Result;
use crate::format::thousands;
use crate::scenario::{Rule, Scenario};
use std::collections::BTreeSet;

/// The rule with the limit it sets, for the three kinds this module knows.
pub(super) fn with_limit(rule: &Rule, data: &Dataset, scenario: &Scenario) -> Option<String> {
    let money = |k: f64| format!("£{}k", thousands(k));
    Some(match rule {
        Rule::SwitchCap { year } => {
            let share = scenario.flex.revenue_to_capital_max.unwrap_or(0.0);
            let revenue = budget(scenario, BudgetLine::Revenue, *year);
            format!(
                "the cap of {} on {} revenue switched to pay capital (revenue_to_capital_max = {} of its {} revenue budget)",
                money(share * revenue),
                scenario.years[*year],
                share_key(share),
                money(revenue)
            )
        }
        Rule::CarryCap { line, year } => {
            let share = scenario.flex.carry_forward_max.unwrap_or(0.0);
            let amount = budget(scenario, *line, *year);
            format!(
                "the cap of {} on {line} carried from {} into {} (carry_forward_max = {} of its {} {line} budget)",
                money(share * amount),
                scenario.years[*year],
                next_year(scenario, *year),
                share_key(share),
                money(amount)
            )
        }
        Rule::LatestStart { project } => {
            let bid = &data.projects[*project];
            let allowed = bid.max_shift();
            let late = match allowed {
                0 => "as bid".to_string(),
                1 => "1 year late".to_string(),
                n => format!("{n} years late"),
            };
            format!(
                "the latest start of project {} ({}, projects.csv line {}): {}, {late} (may_defer = {allowed})",
                bid.id,
                money(bid.cost_on(&scenario.lines())),
                bid.line,
                start_year(data, scenario, *project, allowed)
            )
        }
        Rule::MatchMin { category } => {
            let raised: Vec<String> = data
                .projects
                .iter()
                .filter(|p| &p.category == category && p.own_match_share < p.match_share)
                .map(|p| format!("{} (own {}%)", p.id, percent(p.own_match_share)))
                .collect();
            let raised: Vec<&str> = raised.iter().map(String::as_str).collect();
            format!(
                "the minimum local match of {}% for category {category} ([match] min_share), which lowers what the fund pays for {}",
                percent(scenario.flex.min_match_for(category).unwrap_or(0.0)),
                crate::format::listing(&raised, 10)
            )
        }
        _ => return None,
    })
}

/// A share as a percentage with at most two decimals.
fn percent(share: f64) -> String {
    share_key(share * 100.0)
}

/// The fix for a cap whose elastic slack had to be `change` £k for an allocation to
/// exist, in the words of the key that sets it; `None` for other kinds of rule.
pub(super) fn cap_fix(rule: &Rule, scenario: &Scenario, change: f64) -> Option<String> {
    let (key, limit, base, what) = match rule {
        Rule::SwitchCap { year } => {
            let revenue = budget(scenario, BudgetLine::Revenue, *year);
            (
                "revenue_to_capital_max",
                scenario.flex.switch_cap(revenue),
                revenue,
                format!("of {} revenue to pay capital", scenario.years[*year]),
            )
        }
        Rule::CarryCap { line, year } => {
            let amount = budget(scenario, *line, *year);
            (
                "carry_forward_max",
                scenario.flex.carry_cap(amount),
                amount,
                format!(
                    "of {} {line} to be carried into {}",
                    scenario.years[*year],
                    next_year(scenario, *year)
                ),
            )
        }
        _ => return None,
    };
    // Up, so the amount and share said are enough, not a rounding short of it.
    let needed = limit + change;
    let shown = (needed - 1e-6).ceil().max(0.0);
    let share = if base <= 0.0 {
        format!(" (the year has no budget on the line for [budget] {key} to be a share of)")
    } else if needed / base > 1.0 + 1e-9 {
        format!(
            " (more than [budget] {key} can say: it is a share of at most 1 of the year's budget)"
        )
    } else {
        format!(" ([budget] {key} = {})", share_up(needed / base))
    };
    Some(format!(
        "alone, allowing up to £{}k {what}, £{}k more{share}, allows an allocation",
        thousands(shown),
        thousands(change)
    ))
}

/// The smallest later start for `project` alone that lets an allocation keep every
/// other rule: one more year at a time, each tried with at most `limit_s` seconds.
pub(super) fn latest_start_fix(
    project: usize,
    data: &Dataset,
    scenario: &Scenario,
    limit_s: f64,
) -> Result<String> {
    let bid = &data.projects[project];
    let allowed = bid.max_shift();
    let last = bid.last_possible_shift();
    let id = &bid.id;
    for shift in allowed + 1..=last {
        let mut later = data.clone();
        later.projects[project].may_defer = Some(shift);
        match verdict(&later, scenario, &BTreeSet::new(), limit_s)? {
            Verdict::Feasible => {
                return Ok(format!(
                    "alone, letting {id} start in {} ({}) allows an allocation",
                    start_year(data, scenario, project, shift),
                    where_set(data, scenario, project, shift)
                ))
            }
            Verdict::Infeasible => {}
            Verdict::Unknown => {
                return Ok(format!(
                    "letting {id} start in {} or later (not measured within {limit_s} s)",
                    start_year(data, scenario, project, shift)
                ))
            }
        }
    }
    Ok(format!(
        "letting {id} start as late as {}, the last year its costs fit in, alone is not enough: other rules conflict too",
        start_year(data, scenario, project, last)
    ))
}

/// Where a bid's phasing is set to `shift` years: the bid's own column, or the
/// scenario's default when the bid seems to take that (the loaded bid no longer says
/// which, so both are named).
fn where_set(data: &Dataset, scenario: &Scenario, project: usize, shift: usize) -> String {
    let bid = &data.projects[project];
    let own = format!(
        "for {} in projects.csv line {}, may_defer = {shift} or latest_start = {}",
        bid.id,
        bid.line,
        start_year(data, scenario, project, shift)
    );
    if scenario.flex.may_defer.is_some() && scenario.flex.may_defer == bid.may_defer {
        format!("[phasing] may_defer = {shift}; or {own}")
    } else {
        own
    }
}

/// The financial year a bid starts in when it starts `shift` years late.
fn start_year(data: &Dataset, scenario: &Scenario, project: usize, shift: usize) -> String {
    let first = data.projects[project].first_costed_year().unwrap_or(0);
    scenario.years.get(first + shift).map_or_else(
        || "a year past the scenario's last".into(),
        |y| y.to_string(),
    )
}

fn next_year(scenario: &Scenario, year: usize) -> String {
    scenario
        .years
        .get(year + 1)
        .map_or_else(|| "the next year".into(), |y| y.to_string())
}

/// The line's budget in `year`, £k (0 where the scenario has no such line).
fn budget(scenario: &Scenario, line: BudgetLine, year: usize) -> f64 {
    scenario
        .budget_for(line)
        .and_then(|b| b.get(year).copied())
        .unwrap_or(0.0)
}

/// A share as a scenario key would hold it: at most four decimals, no trailing zeros.
fn share_key(share: f64) -> String {
    let s = format!("{share:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A share rounded up to four decimals, so the key it is written into is enough.
fn share_up(share: f64) -> String {
    share_key(((share * 1e4) - 1e-6).ceil() / 1e4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_written_as_keys_and_rounded_up_when_they_must_be_enough() {
        assert_eq!(share_key(0.1), "0.1");
        assert_eq!(share_key(0.0), "0");
        assert_eq!(share_key(1.0), "1");
        assert_eq!(share_up(0.15), "0.15");
        assert_eq!(share_up(0.150_01), "0.1501");
        assert_eq!(share_up(1.0 / 3.0), "0.3334");
    }
}
