//! The rules in conflict in the users' words ("the 2017/18 capital budget of
//! £180,000k", "must-fund project P0142"), each with the smallest change to it alone
//! that lets an allocation keep every other rule.
//!
//! A kind of rule this module does not know still works: it is named by
//! `Rule::named`, and its fix is measured the same way (by its elastic slack if it is
//! relaxable, else by dropping it); only its amount and the key to edit are not said.

use super::conflict::{verdict, Conflict, Verdict};
use crate::domain::Dataset;
use crate::error::Result;
use crate::format::{listing, thousands};
use crate::model::{self, Relax};
use crate::scenario::{Rule, Scenario};
use crate::solve;
use std::collections::BTreeSet;

/// The longest one fix may take to measure.
const FIX_TIME_S: f64 = 10.0;

/// The heading of the conflicting set in an explanation; `allocation::rules_in` reads
/// the rules back from under it.
pub const HEADING: &str = "these rules cannot all be kept together";

/// The conflict as lines of the error message.
pub fn describe(conflict: &Conflict, data: &Dataset, scenario: &Scenario) -> Result<String> {
    let proof = if conflict.proven_minimal {
        "a smallest such set: without any one of them the others can be kept".to_string()
    } else {
        format!(
            "NOT proven a smallest such set: the search stopped at its time limit of {} s after {} solves, so some of these may not be needed",
            conflict.limit.as_secs(),
            conflict.solves
        )
    };
    let mut lines = vec![format!("  {HEADING} ({proof}):")];
    for rule in &conflict.rules {
        lines.push(format!(
            "  - {} — {}",
            with_limit(rule, data, scenario),
            fix_alone(rule, data, scenario)?
        ));
    }
    Ok(lines.join("\n"))
}

/// A rule with the amount or share it sets, e.g. "the 2017/18 capital budget of
/// £180,000k" or "the minimum share of 20% for category EPR".
pub fn with_limit(rule: &Rule, data: &Dataset, scenario: &Scenario) -> String {
    if let Some(words) = super::conflict_mechanics::with_limit(rule, data, scenario) {
        return words;
    }
    let money = |k: f64| format!("£{}k", thousands(k));
    let footprint = |f: usize| {
        let fp = &data.footprints[f];
        format!("footprint {} ({})", fp.id, fp.name)
    };
    let project = |p: usize| {
        let bid = &data.projects[p];
        format!(
            "{} ({}, projects.csv line {})",
            bid.id,
            money(bid.cost_on(&scenario.lines())),
            bid.line
        )
    };
    let share = |s: Option<f64>| crate::format::fixed(s.unwrap_or(0.0) * 100.0, 1);
    let category = |c: &str| scenario.rules.categories.iter().find(|r| r.category == c);
    match rule {
        Rule::Budget { line, year } => format!(
            "the {} {line} budget of {}",
            scenario.years[*year],
            money(amount(rule, data, scenario).unwrap_or(0.0))
        ),
        Rule::FootprintFloor { footprint: f } | Rule::FootprintCap { footprint: f } => {
            let what = if rule.is_lower_bound() {
                "floor"
            } else {
                "cap"
            };
            let set = if rule.is_lower_bound() {
                model::floor_limit(data, scenario, *f)
                    .map(|l| l.amount(model::fair_share(data, scenario, *f)))
            } else {
                None
            };
            format!(
                "the {what} for {} of {}",
                footprint(*f),
                limited(set, amount(rule, data, scenario).unwrap_or(0.0))
            )
        }
        Rule::RegionFloor { region } | Rule::RegionCap { region } => {
            let what = if rule.is_lower_bound() {
                "floor"
            } else {
                "cap"
            };
            let set = scenario
                .rules
                .regions
                .iter()
                .find(|r| r.region == *region && rule.is_lower_bound())
                .and_then(|r| r.floor);
            format!(
                "the {what} for region {region} of {}",
                limited(set, amount(rule, data, scenario).unwrap_or(0.0))
            )
        }
        Rule::CategoryMin { category: c } => format!(
            "the minimum share of {}% for category {c}",
            share(category(c).and_then(|r| r.min_share))
        ),
        Rule::CategoryMax { category: c } => format!(
            "the maximum share of {}% for category {c}",
            share(category(c).and_then(|r| r.max_share))
        ),
        Rule::MustFund { project: p } => format!("must-fund project {}", project(*p)),
        Rule::LockIn { project: p } => format!("the lock-in of project {}", project(*p)),
        Rule::Excluded { project: p } => match &model::exclusions(data, scenario)[*p] {
            Some(e) => format!(
                "the exclusion of project {}: {}",
                project(*p),
                model::describe_exclusion(e, data)
            ),
            None => format!("the exclusion of project {}", project(*p)),
        },
        Rule::ExclusiveGroup { group } => {
            let members: Vec<&str> = data
                .projects
                .iter()
                .filter(|b| b.exclusive_group.as_deref() == Some(group.as_str()))
                .map(|b| b.id.as_str())
                .collect();
            format!(
                "exclusive group {group} (at most one of {})",
                listing(&members, 10)
            )
        }
        // Dependencies, and kinds of rule added later: their name is enough.
        _ => rule.named(data, &scenario.years).to_string(),
    }
}

/// A floor as the scenario sets it and, where less, as it applies: no footprint or
/// region is asked for more than its eligible bids ask.
fn limited(set: Option<f64>, applied: f64) -> String {
    let money = |k: f64| format!("£{}k", thousands(k));
    match set {
        Some(set) if set > applied + 0.5 => format!(
            "{} (limited to {}, all that its eligible bids ask)",
            money(set),
            money(applied)
        ),
        _ => money(applied),
    }
}

/// The amount in £k a money rule sets, where it has one.
fn amount(rule: &Rule, data: &Dataset, scenario: &Scenario) -> Option<f64> {
    let excl = || model::exclusions(data, scenario);
    let region = |name: &str| {
        model::region_limits(data, scenario, &excl())
            .into_iter()
            .find(|r| r.region == name)
    };
    match rule {
        Rule::Budget { line, year } => scenario.budget_for(*line).map(|b| b[*year]),
        Rule::FootprintFloor { footprint } => {
            model::effective_floor(data, scenario, *footprint, &excl())
        }
        Rule::FootprintCap { footprint } => model::footprint_cap(data, scenario, *footprint),
        Rule::RegionFloor { region: r } => region(r).and_then(|r| r.floor),
        Rule::RegionCap { region: r } => region(r).and_then(|r| r.cap),
        _ => None,
    }
}

/// Where the scenario sets a rule, for the fix.
fn key_of(rule: &Rule) -> Option<String> {
    Some(match rule {
        Rule::Budget { line, .. } => format!("[budget] {}", line.name()),
        Rule::FootprintFloor { .. } => {
            "[rules.footprint_floor] (or the footprint's [[rules.footprint]])".into()
        }
        Rule::FootprintCap { .. } => {
            "[rules.footprint_cap] (or the footprint's [[rules.footprint]])".into()
        }
        Rule::RegionFloor { .. } | Rule::RegionCap { .. } => "its [[rules.region]]".into(),
        Rule::CategoryMin { .. } => "its min_share in [[rules.category]]".into(),
        Rule::CategoryMax { .. } => "its max_share in [[rules.category]]".into(),
        _ => return None,
    })
}

/// The smallest change to `rule` alone that lets an allocation keep every other rule,
/// or that none does. Rules set as amounts or shares are relaxed by their elastic
/// slack alone; the others (must-fund, locks, dependencies, groups) are dropped.
fn fix_alone(rule: &Rule, data: &Dataset, scenario: &Scenario) -> Result<String> {
    if let Rule::LatestStart { project } = rule {
        return super::conflict_mechanics::latest_start_fix(*project, data, scenario, FIX_TIME_S);
    }
    let by_amount =
        rule.relaxable() && !matches!(rule, Rule::MustFund { .. } | Rule::LockIn { .. });
    if !by_amount {
        let dropped = BTreeSet::from([rule.clone()]);
        return Ok(match verdict(data, scenario, &dropped, FIX_TIME_S)? {
            Verdict::Feasible => format!(
                "alone, {} allows an allocation",
                drop_words(rule, data, scenario)
            ),
            Verdict::Infeasible => format!(
                "{} alone is not enough: other rules conflict too",
                drop_words(rule, data, scenario)
            ),
            Verdict::Unknown => format!(
                "{} (not measured within {FIX_TIME_S} s)",
                drop_words(rule, data, scenario)
            ),
        });
    }
    let programme =
        model::build_relaxing(data, scenario, &Relax::Only(BTreeSet::from([rule.clone()])))?;
    let slacks = programme.slack_cols.clone();
    let mut settings = scenario.solver;
    settings.time_limit_s = FIX_TIME_S;
    // The least violation is wanted exactly, not within the scenario's gap.
    settings.mip_gap = 0.0;
    let solved = match solve::solve(programme, &settings, &Default::default())? {
        Ok(s) => s,
        Err(solve::Failure::Infeasible | solve::Failure::InfeasibleOrUnbounded) => {
            return Ok("changing it alone is not enough: other rules conflict too".into())
        }
        Err(_) => {
            return Ok(format!(
                "its smallest change was not measured within {FIX_TIME_S} s"
            ))
        }
    };
    let change: f64 =
        slacks.iter().map(|(c, _)| solved.columns[*c]).sum::<f64>() * model::money_scale(scenario);
    if let Some(fix) = super::conflict_mechanics::cap_fix(rule, scenario, change) {
        return Ok(fix);
    }
    let by = format!("£{}k", thousands(change));
    let lower = rule.is_lower_bound();
    let verb = if lower { "lowering" } else { "raising" };
    let to = amount(rule, data, scenario)
        .map(|a| {
            let new = if lower {
                (a - change).max(0.0)
            } else {
                a + change
            };
            format!(" (to £{}k)", thousands(new))
        })
        .unwrap_or_default();
    let place = key_of(rule).map(|k| format!(" in {k}")).unwrap_or_default();
    Ok(if rule.is_share() {
        let (side, verb) = if lower {
            ("short of", "lowering")
        } else {
            ("over", "raising")
        };
        let key = key_of(rule).unwrap_or_else(|| "it".into());
        format!("the category is {by} {side} its share; alone, {verb} {key} allows an allocation")
    } else {
        format!("alone, {verb} it by {by}{to}{place} allows an allocation")
    })
}

/// Dropping a rule that has no amount, in words.
fn drop_words(rule: &Rule, data: &Dataset, scenario: &Scenario) -> String {
    let bid = |p: usize| &data.projects[p];
    match rule {
        Rule::Excluded { project } => {
            let id = &bid(*project).id;
            match &model::exclusions(data, scenario)[*project] {
                Some(model::Exclusion::NeverFund) => {
                    format!("setting never_fund to false for {id}")
                }
                Some(model::Exclusion::LockedOut) => {
                    format!("taking {id} out of [rules] lock_out")
                }
                Some(model::Exclusion::BelowHurdle { ratio, .. }) => format!(
                    "lowering [rules] min_benefit_per_pound to {ratio:.2} or less, which {id} meets"
                ),
                Some(model::Exclusion::BelowBcr { bcr, .. }) => {
                    format!("lowering [rules] min_bcr to {bcr:.2} or less, which {id} meets")
                }
                Some(model::Exclusion::SpendsOutsideYears { .. }) => {
                    format!("covering every year {id} spends in")
                }
                _ => format!("letting {id} be funded"),
            }
        }
        Rule::MustFund { project } => {
            format!("setting must_fund to false for {}", bid(*project).id)
        }
        Rule::LockIn { project } => {
            format!("taking {} out of [rules] lock_in", bid(*project).id)
        }
        Rule::Requires {
            project,
            prerequisite,
        } => format!(
            "taking {} out of the requires of {} (projects.csv line {})",
            bid(*prerequisite).id,
            bid(*project).id,
            bid(*project).line
        ),
        Rule::ExclusiveGroup { group } => {
            format!("letting more than one bid of exclusive group {group} be funded")
        }
        Rule::MatchMin { category } => format!(
            "taking {category} out of [match] min_share, so its bids are matched at their own match_share,"
        ),
        _ => "dropping it".into(),
    }
}
