//! Why a scenario has no feasible allocation: the elastic model (every rule breakable
//! at a price) names the rules that cannot be kept together, with how much each must give.

use crate::domain::Dataset;
use crate::error::Result;
use crate::format::thousands;
use crate::model;
use crate::scenario::{Rule, Scenario};
use crate::solve;

/// The plainest causes, found without a solver: floors that add up to more than the
/// whole fund, or must-fund bids that need more than a year's budget on a line.
pub fn plain_conflict(data: &Dataset, scenario: &Scenario) -> Option<String> {
    let excl = model::exclusions(data, scenario);
    let floors: f64 = (0..data.footprints.len())
        .filter_map(|f| model::effective_floor(data, scenario, f, &excl))
        .sum();
    let fund = scenario.total_budget();
    if floors > fund + crate::allocation::usage::tolerance(fund) {
        return Some(format!(
            "  the footprint floors add up to £{}k, more than the whole fund of £{}k — lower [rules.footprint_floor] (or a floor in [[rules.footprint]]) or raise [budget]",
            thousands(floors),
            thousands(fund)
        ));
    }
    // With money moved between lines and years, or starts that move, one year's budget
    // alone says nothing certain; the elastic model below answers instead.
    if scenario.flex.moves_money() || data.projects.iter().any(|p| p.max_shift() > 0) {
        return None;
    }
    let required = model::must_fund(data, scenario);
    for (line, budget) in &scenario.budget {
        for (year, &amount) in budget.iter().enumerate() {
            let must: Vec<&crate::domain::Project> = data
                .projects
                .iter()
                .zip(&required)
                .filter(|(p, r)| r.is_some() && p.fund_cost(*line, year) > 0.0)
                .map(|(p, _)| p)
                .collect();
            let need: f64 = must.iter().map(|p| p.fund_cost(*line, year)).sum();
            if need > amount + crate::allocation::usage::tolerance(amount) {
                let ids: Vec<&str> = must.iter().map(|p| p.id.as_str()).collect();
                let locked = !scenario.rules.lock_in.is_empty()
                    && must.iter().any(|p| scenario.rules.lock_in.contains(&p.id));
                let (who, how) = if locked {
                    (
                        "must-fund and locked-in bids",
                        "set must_fund to false for one of them, or take it out of [rules] lock_in",
                    )
                } else {
                    ("must-fund bids", "set must_fund to false for one of them")
                };
                return Some(format!(
                    "  the {who} need £{}k of {line} in {}, more than its budget of £{}k: {} — raise [budget] {}, or {how}",
                    thousands(need),
                    scenario.years[year],
                    thousands(amount),
                    crate::format::listing(&ids, 10),
                    line.name()
                ));
            }
        }
    }
    None
}

/// Why an infeasible scenario is: the plainest cause where there is one, the smallest
/// set of its rules in conflict (each with the smallest change to it alone that
/// restores an allocation), and the smallest change to all the rules together (the
/// elastic model).
pub fn explain_infeasible(data: &Dataset, scenario: &Scenario) -> Result<String> {
    explain_within(data, scenario, super::conflict::SEARCH_TIME)
}

/// As `explain_infeasible`, with `limit` for the search for the conflicting set.
pub fn explain_within(
    data: &Dataset,
    scenario: &Scenario,
    limit: std::time::Duration,
) -> Result<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(plain) = plain_conflict(data, scenario) {
        parts.push(plain);
    }
    if let Some(c) = super::conflict::smallest_conflict(data, scenario, limit)? {
        parts.push(super::conflict_words::describe(&c, data, scenario)?);
    }
    parts.push(smallest_change(data, scenario)?);
    Ok(parts.join("\n"))
}

/// Solves the elastic model (every rule breakable at a price) and names the rules an
/// infeasible scenario cannot keep, with how much each must give.
fn smallest_change(data: &Dataset, scenario: &Scenario) -> Result<String> {
    let elastic = model::build_elastic(data, scenario)?;
    let slacks = elastic.slack_cols.clone();
    let solved = match solve::solve(elastic, &scenario.solver, &Default::default())? {
        Ok(s) => s,
        Err(_) => return Ok("  the rules conflict, but the solver could not say which (the relaxed model did not solve either)".into()),
    };
    let mut lines: Vec<(f64, String)> = Vec::new();
    let money = model::money_scale(scenario);
    for (col, rule) in slacks {
        // Money slacks are in the programme's unit of money; a must-fund slack is a share.
        let share_slack = matches!(rule, Rule::MustFund { .. } | Rule::LockIn { .. });
        let v = if share_slack {
            solved.columns[col]
        } else {
            solved.columns[col] * money
        };
        if v <= 1e-6 {
            continue;
        }
        let amount = thousands(v);
        // Must-fund slacks are shares of a project, weighted up so they sort among £k.
        let size = if share_slack { f64::INFINITY } else { v };
        lines.push((size, match rule {
            Rule::Budget { line, year } => format!("  - {line} budget {}: £{amount}k short — raise it in [budget] {}", scenario.years[year], line.name()),
            Rule::FootprintFloor { footprint } => format!(
                "  - floor for footprint {} ({}): cannot be met by £{amount}k — lower [rules.footprint_floor]",
                data.footprints[footprint].id, data.footprints[footprint].name
            ),
            Rule::FootprintCap { footprint } => format!(
                "  - cap for footprint {} ({}): must rise by £{amount}k — raise [rules.footprint_cap]",
                data.footprints[footprint].id, data.footprints[footprint].name
            ),
            Rule::RegionFloor { region } => format!("  - floor for region {region}: cannot be met by £{amount}k — lower its floor in [[rules.region]]"),
            Rule::RegionCap { region } => format!("  - cap for region {region}: must rise by £{amount}k — raise its cap in [[rules.region]]"),
            Rule::CategoryMin { category } => format!("  - minimum share for category {category}: short by £{amount}k — lower its min_share"),
            Rule::CategoryMax { category } => format!("  - maximum share for category {category}: over by £{amount}k — raise its max_share"),
            Rule::MustFund { project } => format!(
                "  - must-fund project {} (projects.csv line {}) cannot be funded — set must_fund to false or add budget",
                data.projects[project].id, data.projects[project].line
            ),
            Rule::LockIn { project } => format!(
                "  - lock-in {} cannot be kept — take it out of [rules] lock_in or add budget",
                data.projects[project].id
            ),
            // Rules without an amount have no slack to report.
            Rule::Requires { .. } | Rule::ExclusiveGroup { .. } | Rule::Excluded { .. } => continue,
            // The elastic model keeps the mechanisms' caps and a bid's latest start as
            // bounds (see `model::Relax`): the search for the rules in conflict names them.
            Rule::SwitchCap { .. } | Rule::CarryCap { .. } | Rule::LatestStart { .. } => continue,
            // No row enforces a minimum match: it is in the bids' costs.
            Rule::MatchMin { .. } => continue,
        }));
    }
    if lines.is_empty() {
        return Ok("  the rules conflict, but no single rule's relaxation explains it".into());
    }
    // The largest changes first; a long tail is summarised so the message stays readable.
    lines.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.1.cmp(&b.1))
    });
    const SHOWN: usize = 12;
    let mut text: Vec<String> = lines.iter().take(SHOWN).map(|(_, l)| l.clone()).collect();
    if lines.len() > SHOWN {
        let rest: f64 = lines[SHOWN..]
            .iter()
            .map(|(v, _)| *v)
            .filter(|v| v.is_finite())
            .sum();
        text.push(format!(
            "  - … and {} smaller changes (£{}k in all)",
            lines.len() - SHOWN,
            thousands(rest)
        ));
    }
    Ok(format!(
        "  the smallest change to the rules that allows an allocation, largest first:\n{}",
        text.join("\n")
    ))
}
