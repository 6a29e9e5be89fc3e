//! The smallest set of a scenario's own rules that cannot be kept together: an
//! irreducible infeasible subset over rules (not rows), found by a deletion filter.
//!
//! Every row of the programme carries the `Rule` it enforces, so the filter needs to
//! know nothing about any kind of rule: it drops all the rows of a rule and asks
//! whether the rest can still be kept (a feasibility programme, zero objective). A rule
//! whose dropping leaves the rest infeasible is not needed and stays dropped; one whose
//! dropping makes the rest feasible is in the conflict. Dropping rules only relaxes, so
//! a rule found needed stays needed as the set shrinks, and the set left is irreducible.
//! Rules are tried in halves first (then quarters, …, then one by one), so a conflict
//! of a few rules among hundreds costs a few dozen solves, not hundreds.
//!
//! One kind of rule has no row: a category's minimum match (`[match] min_share`) is in
//! the bids' costs as they load, so dropping it gives the category's bids their own
//! match shares back before the programme is built.
//!
//! HiGHS has its own IIS (`Highs_getIis`), but over one model's rows and column
//! bounds, not over rules (a rule can be many rows, and a must-fund bid is a bound in
//! the allocation programme), and its support for MIPs was not relied on here.

use crate::domain::Dataset;
use crate::error::Result;
use crate::model::{self, Relax};
use crate::scenario::{Rule, Scenario};
use crate::solve::{self, Failure};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// The longest the search for the smallest conflicting set may take, all solves
/// together; past it the set found so far is given, said to be not proven smallest.
pub const SEARCH_TIME: Duration = Duration::from_secs(30);

/// Rules that cannot all be kept together.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The rules, budgets first (as `Rule` orders them).
    pub rules: Vec<Rule>,
    /// True when dropping any one of them was shown to let the rest be kept; false when
    /// the search stopped at its time limit, or a solve could not tell.
    pub proven_minimal: bool,
    /// Feasibility solves the search made.
    pub solves: usize,
    /// The time the search had.
    pub limit: Duration,
}

/// Whether the scenario, without some of its rules, can be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Feasible,
    Infeasible,
    /// The solver stopped before it could tell.
    Unknown,
}

/// Whether an allocation keeps every rule of `scenario` except those in `dropped`,
/// with at most `limit_s` seconds for the solve.
pub fn verdict(
    data: &Dataset,
    scenario: &Scenario,
    dropped: &BTreeSet<Rule>,
    limit_s: f64,
) -> Result<Verdict> {
    // A minimum match is in the bids' costs, not a row: dropping it is the bids of its
    // category at their own match shares.
    let own_shares = without_match_minimums(data, dropped);
    let data = own_shares.as_ref().unwrap_or(data);
    let mut programme = match model::build_relaxing(data, scenario, &Relax::Only(BTreeSet::new())) {
        Ok(p) => p,
        // Paying more of its cost, a must-fund bid can fall below `[rules] min_bcr`:
        // then no allocation keeps the rules left.
        Err(_) if own_shares.is_some() => return Ok(Verdict::Infeasible),
        Err(e) => return Err(e.into()),
    };
    programme
        .rows
        .retain(|row| row.rule.as_ref().is_none_or(|r| !dropped.contains(r)));
    let mut settings = scenario.solver;
    settings.time_limit_s = limit_s.max(0.01);
    Ok(
        match solve::solve(programme, &settings, &Default::default())? {
            // Any answer at all keeps every rule left: the objective is zero.
            Ok(_) => Verdict::Feasible,
            // With a zero objective nothing is unbounded.
            Err(Failure::Infeasible | Failure::InfeasibleOrUnbounded) => Verdict::Infeasible,
            Err(_) => Verdict::Unknown,
        },
    )
}

/// The scenario's rules, each once, in the order the programme holds them, then each
/// minimum match that raises a bid's share (no row holds those).
pub fn rules_of(data: &Dataset, scenario: &Scenario) -> Result<Vec<Rule>> {
    let programme = model::build_relaxing(data, scenario, &Relax::Only(BTreeSet::new()))?;
    let mut seen = BTreeSet::new();
    let mut rules: Vec<Rule> = programme
        .rows
        .into_iter()
        .filter_map(|row| row.rule)
        .filter(|r| seen.insert(r.clone()))
        .collect();
    for (category, _) in &scenario.flex.min_match {
        let raises = data
            .projects
            .iter()
            .any(|p| &p.category == category && p.own_match_share < p.match_share);
        if raises {
            rules.push(Rule::MatchMin {
                category: category.clone(),
            });
        }
    }
    Ok(rules)
}

/// The bids with those of each category whose minimum match is in `dropped` at their
/// own match shares; `None` when no minimum match is dropped.
fn without_match_minimums(data: &Dataset, dropped: &BTreeSet<Rule>) -> Option<Dataset> {
    let categories: BTreeSet<&str> = dropped
        .iter()
        .filter_map(|r| match r {
            Rule::MatchMin { category } => Some(category.as_str()),
            _ => None,
        })
        .collect();
    if categories.is_empty() {
        return None;
    }
    let mut d = data.clone();
    for p in &mut d.projects {
        if categories.contains(p.category.as_str()) {
            p.match_share = p.own_match_share;
        }
    }
    Some(d)
}

/// The smallest set of the scenario's rules in conflict, searched for at most `limit`;
/// `None` when the scenario can be kept after all, or when even without every rule it
/// cannot (bids held in or out by `explain` conflict with what they drag along).
pub fn smallest_conflict(
    data: &Dataset,
    scenario: &Scenario,
    limit: Duration,
) -> Result<Option<Conflict>> {
    let start = Instant::now();
    let all = rules_of(data, scenario)?;
    let mut solves = 0;
    let mut proven = true;
    let left = |start: Instant| limit.saturating_sub(start.elapsed()).as_secs_f64();
    let mut dropped: BTreeSet<Rule> = BTreeSet::new();
    if left(start) > 0.0 {
        solves += 1;
        match verdict(data, scenario, &dropped, left(start))? {
            Verdict::Feasible => return Ok(None),
            Verdict::Unknown => proven = false,
            Verdict::Infeasible => {}
        }
    } else {
        proven = false;
    }
    // Tried first, dropped first: the kinds of rule last in `Rule` (dependencies,
    // groups, shares) before floors, must-funds and budgets, so that among several
    // conflicts the one named is in the terms a finance team sets.
    let mut order = all.clone();
    order.reverse();
    let mut needed: BTreeSet<Rule> = BTreeSet::new();
    let mut pending: Vec<Vec<Rule>> = vec![order];
    let mut first = true;
    while let Some(chunk) = pending.pop() {
        if chunk.is_empty() {
            continue;
        }
        let verdict = if left(start) > 0.0 {
            let mut trial = dropped.clone();
            trial.extend(chunk.iter().cloned());
            solves += 1;
            verdict(data, scenario, &trial, left(start))?
        } else {
            Verdict::Unknown
        };
        match verdict {
            Verdict::Infeasible => dropped.extend(chunk),
            Verdict::Feasible | Verdict::Unknown if chunk.len() > 1 => {
                // Halves, the first half tried first (`pending` is a stack).
                let mut chunk = chunk;
                let back = chunk.split_off(chunk.len() / 2);
                pending.push(back);
                pending.push(chunk);
            }
            Verdict::Feasible => {
                needed.extend(chunk);
            }
            Verdict::Unknown => {
                proven = false;
                needed.extend(chunk);
            }
        }
        if first && verdict == Verdict::Infeasible {
            // Every rule could go and the rest still conflicts: only the holds remain.
            return Ok(None);
        }
        first = false;
    }
    Ok(Some(Conflict {
        rules: needed.into_iter().collect(),
        proven_minimal: proven,
        solves,
        limit,
    }))
}

#[cfg(test)]
#[path = "conflict_tests.rs"]
mod tests;
