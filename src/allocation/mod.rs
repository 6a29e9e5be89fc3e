//! Allocation: the solver's answer in domain terms — what each project and
//! footprint gets, why, and how it compares with simpler allocation methods.
//!
//! Every report is written from an `Allocation` alone, so report writers can be
//! tested on fixed allocations without solving anything.

use crate::domain::{BudgetLine, FinancialYear, Money};
use crate::scenario::Scenario;
use crate::solve::SolveStatus;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ProjectStatus {
    #[serde(rename = "funded")]
    Funded,
    #[serde(rename = "partly funded")]
    PartlyFunded,
    #[serde(rename = "not funded")]
    NotFunded,
    #[serde(rename = "excluded by rule")]
    ExcludedByRule,
}

impl ProjectStatus {
    pub fn label(self) -> &'static str {
        match self {
            ProjectStatus::Funded => "funded",
            ProjectStatus::PartlyFunded => "partly funded",
            ProjectStatus::NotFunded => "not funded",
            ProjectStatus::ExcludedByRule => "excluded by rule",
        }
    }
}

/// One project's outcome. `amounts[l][y]` is the money on budget line `lines[l]` in year `y`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectAllocation {
    pub rank: usize,
    /// Index of the project in the dataset.
    pub project: usize,
    pub project_id: String,
    pub footprint_id: String,
    pub footprint_name: String,
    pub region: String,
    pub title: String,
    pub category: String,
    pub fraction: f64,
    pub amounts: Vec<Vec<Money>>,
    /// Full cost to the fund if funded in full, £k.
    pub cost: Money,
    /// Money allocated, £k.
    pub funded: Money,
    /// Value added at the funded fraction, in `Allocation::value_unit`.
    pub value: f64,
    /// Value per £ of fund money, at full funding (the ranking key).
    pub value_per_pound: f64,
    pub status: ProjectStatus,
    /// Why a project is not fully funded, in words; empty when fully funded.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FootprintAllocation {
    pub footprint_id: String,
    pub name: String,
    pub region: String,
    pub population: f64,
    pub funded: Money,
    /// £ (not £k) per head of population.
    pub per_head: f64,
    /// The footprint's population share of the whole fund, £k.
    pub fair_share: Money,
    /// funded ÷ fair share (1.0 = exactly its population share).
    pub share_of_fair_share: f64,
    pub readiness: f64,
    pub infrastructure: f64,
    pub capabilities_before: f64,
    /// Capabilities after the funded projects (uplift × fraction), capped at 100.
    pub capabilities_after: f64,
    pub projects_funded: usize,
}

/// Money used against one budget line in one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BudgetUse {
    pub year: FinancialYear,
    pub line: BudgetLine,
    pub budget: Money,
    pub used: Money,
}

/// How close the allocation is to one scenario rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleUse {
    /// The rule in words, e.g. "capital 2017/18 budget" or "cap for footprint E54000027".
    pub rule: String,
    pub limit: f64,
    pub used: f64,
    /// True when the rule stops the allocation from doing better (no headroom left).
    pub binding: bool,
}

/// Another way of sharing out the same budget, for the Treasury comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub method: String,
    pub description: String,
    pub value: f64,
    pub spent: Money,
    pub projects_funded: usize,
    /// Funded fraction per project, aligned with `Allocation::projects`.
    pub fractions: Vec<f64>,
}

/// What the solver proved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SolverReport {
    pub status: SolveStatus,
    pub objective: f64,
    /// Best proven bound on the objective (equal to it when optimal).
    pub bound: f64,
    /// Relative gap between objective and bound reached.
    pub gap: f64,
    pub requested_gap: f64,
    pub time_limit_s: f64,
    pub highs_version: String,
    pub variables: usize,
    pub constraints: usize,
    pub integer_variables: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Allocation {
    pub scenario: Scenario,
    pub years: Vec<FinancialYear>,
    /// Budget lines the fund pays, in the order of `ProjectAllocation::amounts`.
    pub lines: Vec<BudgetLine>,
    pub value_unit: String,
    pub solver: SolverReport,
    /// Ranked: funded first by value per £, then the rest by value per £.
    pub projects: Vec<ProjectAllocation>,
    pub footprints: Vec<FootprintAllocation>,
    pub budget_use: Vec<BudgetUse>,
    pub rule_use: Vec<RuleUse>,
    pub comparisons: Vec<Comparison>,
    pub total_value: f64,
    pub total_funded: Money,
}

mod compare;
pub mod usage;
pub mod value;

pub use compare::{fair_share, greedy, panel_order};

use crate::domain::Dataset;
use crate::error::{Error, Result};
use crate::model::{describe_exclusion, fair_share as footprint_fair_share};
use crate::scenario::FundingMode;
use crate::solve::Solved;
use std::collections::BTreeMap;
use usage::{budget_rule, cap_rule, floor_rule, tolerance, Usage, FRACTION_EPS};

/// The size of the programme that was solved, for the report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProgrammeSize {
    pub variables: usize,
    pub constraints: usize,
    pub integer_variables: usize,
}

/// Funded fractions read from the solver's columns, snapped so that binaries are exactly
/// 0 or 1 and tiny floating-point residue does not show as money.
pub fn fractions_from(solved: &Solved, fraction_col: &[usize], mode: FundingMode) -> Vec<f64> {
    fraction_col
        .iter()
        .map(|&c| {
            let v = solved.columns[c].clamp(0.0, 1.0);
            match mode {
                FundingMode::AllOrNothing => v.round(),
                FundingMode::Partial if v < 1e-7 => 0.0,
                FundingMode::Partial if v > 1.0 - 1e-7 => 1.0,
                FundingMode::Partial => (v * 1e9).round() / 1e9,
            }
        })
        .collect()
}

/// Checks an allocation against every rule of the scenario, in plain Rust and
/// independently of the solver, and that the solver's objective is what the funded
/// projects are worth. Returns the broken rules in words.
pub fn check(
    data: &Dataset,
    scenario: &Scenario,
    fractions: &[f64],
    solver_objective: Option<f64>,
) -> Vec<String> {
    let mut broken = Usage::of(data, scenario, fractions).violations();
    if let Some(obj) = solver_objective {
        let ours = value::total(data, scenario, fractions);
        let theirs = value::from_solver(scenario, obj);
        if (ours - theirs).abs() > 1e-6 * ours.abs().max(theirs.abs()).max(1.0) {
            broken.push(format!(
                "the solver's objective {theirs} differs from the value of its allocation {ours}"
            ));
        }
    }
    broken
}

/// Builds the answer in domain terms from the solver's output, after checking it.
/// Refuses (with `Error::RuleBroken`) an answer that breaks any rule.
pub fn assemble(
    data: &Dataset,
    scenario: &Scenario,
    size: ProgrammeSize,
    fraction_col: &[usize],
    solved: &Solved,
) -> Result<Allocation> {
    let fractions = fractions_from(solved, fraction_col, scenario.funding);
    let broken = check(data, scenario, &fractions, Some(solved.objective));
    if !broken.is_empty() {
        return Err(Error::RuleBroken(broken));
    }
    let usage = Usage::of(data, scenario, &fractions);
    let lines = scenario.lines();
    let values = value::per_project(data, scenario, &fractions);
    let total_value: f64 = values.iter().sum();

    // Reasons, and how many projects each rule stops (a rule that stops one is binding).
    let mut stops: BTreeMap<String, usize> = BTreeMap::new();
    let mut reasons = vec![String::new(); data.projects.len()];
    for (p, proj) in data.projects.iter().enumerate() {
        let f = fractions[p];
        if f >= 1.0 - FRACTION_EPS {
            continue;
        }
        if let Some(e) = &usage.limits.exclusions[p] {
            reasons[p] = describe_exclusion(e, data);
            continue;
        }
        let delta = match (scenario.funding, f > FRACTION_EPS) {
            (FundingMode::AllOrNothing, _) => 1.0,
            (FundingMode::Partial, true) => (1.0 - f).min(1e-3),
            (FundingMode::Partial, false) => proj.min_fraction.max(1e-3),
        };
        let mut blockers = usage.blockers(p, delta);
        // Blocked rows were found with a small probe in partial mode; say what the rest
        // of the bid would need.
        for b in &mut blockers {
            if let usage::Blocker::Budget {
                line, year, needs, ..
            } = b
            {
                *needs = proj.cost(*line, *year) * (1.0 - f);
            }
        }
        for b in &blockers {
            if let Some(rule) = b.rule(data, scenario) {
                *stops.entry(rule).or_default() += 1;
            }
        }
        reasons[p] = if blockers.is_empty() {
            let mut more = fractions.clone();
            more[p] = (f + delta).min(1.0);
            let gain = value::total(data, scenario, &more) - total_value;
            if gain <= 1e-9 * (1.0 + total_value.abs()) {
                match scenario.objective {
                    crate::scenario::ObjectiveKind::Maturity => "would add no value: its footprint's capabilities already reach 100 with the funded projects".to_string(),
                    crate::scenario::ObjectiveKind::Benefit => "would add no value: it has no benefit".to_string(),
                }
            } else {
                format!(
                    "fits in the money left but was not chosen: the answer is within a {:.4}% gap of the proven optimum",
                    solved.gap * 100.0
                )
            }
        } else {
            blockers
                .iter()
                .map(|b| b.describe(data, scenario, &fractions))
                .collect::<Vec<_>>()
                .join("; ")
        };
    }

    let mut projects: Vec<ProjectAllocation> = data
        .projects
        .iter()
        .enumerate()
        .map(|(p, proj)| {
            let f = fractions[p];
            let fp = &data.footprints[proj.footprint];
            let cost = proj.cost_on(&lines);
            let status = if usage.limits.exclusions[p].is_some() {
                ProjectStatus::ExcludedByRule
            } else if f >= 1.0 - FRACTION_EPS {
                ProjectStatus::Funded
            } else if f > FRACTION_EPS {
                ProjectStatus::PartlyFunded
            } else {
                ProjectStatus::NotFunded
            };
            ProjectAllocation {
                rank: 0,
                project: p,
                project_id: proj.id.clone(),
                footprint_id: fp.id.clone(),
                footprint_name: fp.name.clone(),
                region: fp.region.clone(),
                title: proj.title.clone(),
                category: proj.category.clone(),
                fraction: f,
                amounts: lines
                    .iter()
                    .map(|&l| {
                        (0..scenario.years.len())
                            .map(|y| proj.cost(l, y) * f)
                            .collect()
                    })
                    .collect(),
                cost,
                funded: cost * f,
                value: values[p],
                value_per_pound: value::per_pound(
                    scenario,
                    value::standalone(data, scenario, p),
                    cost,
                ),
                status,
                reason: std::mem::take(&mut reasons[p]),
            }
        })
        .collect();
    projects.sort_by(|a, b| {
        let fa = a.fraction > FRACTION_EPS;
        let fb = b.fraction > FRACTION_EPS;
        fb.cmp(&fa)
            .then(
                b.value_per_pound
                    .partial_cmp(&a.value_per_pound)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    for (i, p) in projects.iter_mut().enumerate() {
        p.rank = i + 1;
    }

    let gains = value::capability_gains(data, &fractions);
    let footprints = data
        .footprints
        .iter()
        .enumerate()
        .map(|(f, fp)| {
            let funded = usage.footprint[f];
            let fair = footprint_fair_share(data, scenario, f);
            FootprintAllocation {
                footprint_id: fp.id.clone(),
                name: fp.name.clone(),
                region: fp.region.clone(),
                population: fp.population,
                funded,
                per_head: funded * 1000.0 / fp.population,
                fair_share: fair,
                share_of_fair_share: if fair > 0.0 { funded / fair } else { 0.0 },
                readiness: fp.maturity.readiness,
                infrastructure: fp.maturity.infrastructure,
                capabilities_before: fp.maturity.capabilities,
                capabilities_after: fp.maturity.capabilities + gains[f],
                projects_funded: data
                    .projects
                    .iter()
                    .enumerate()
                    .filter(|(p, proj)| proj.footprint == f && fractions[*p] > FRACTION_EPS)
                    .count(),
            }
        })
        .collect();

    let mut budget_use = Vec::new();
    let mut rule_use = Vec::new();
    for (l, &line) in lines.iter().enumerate() {
        for (y, year) in scenario.years.iter().enumerate() {
            let budget = usage.limits.budget[l][y];
            let used = usage.spend[l][y];
            budget_use.push(BudgetUse {
                year: year.clone(),
                line,
                budget,
                used,
            });
            let rule = budget_rule(line, year);
            rule_use.push(RuleUse {
                binding: stops.contains_key(&rule),
                rule,
                limit: budget,
                used,
            });
        }
    }
    for (f, fp) in data.footprints.iter().enumerate() {
        if let Some(floor) = usage.limits.floor[f] {
            let used = usage.footprint[f];
            rule_use.push(RuleUse {
                rule: floor_rule(&fp.id),
                limit: floor,
                used,
                binding: floor > 0.0 && used <= floor + tolerance(floor),
            });
        }
        if let Some(cap) = usage.limits.cap[f] {
            let rule = cap_rule(&fp.id);
            rule_use.push(RuleUse {
                binding: stops.contains_key(&rule),
                rule,
                limit: cap,
                used: usage.footprint[f],
            });
        }
    }
    for c in &scenario.rules.categories {
        let share = usage.category.get(&c.category).copied().unwrap_or(0.0) / usage.total.max(1e-9);
        for (bound, kind) in [(c.min_share, "minimum"), (c.max_share, "maximum")] {
            if let Some(limit) = bound {
                let rule = format!("{kind} share for category {}", c.category);
                let binding = stops.contains_key(&rule)
                    || (kind == "minimum" && limit > 0.0 && share <= limit + 1e-6);
                rule_use.push(RuleUse {
                    rule,
                    limit,
                    used: share,
                    binding,
                });
            }
        }
    }

    let position: Vec<usize> = {
        let mut pos = vec![0; data.projects.len()];
        for (i, p) in projects.iter().enumerate() {
            pos[p.project] = i;
        }
        pos
    };
    let aligned = |by_project: Vec<f64>| {
        let mut out = vec![0.0; by_project.len()];
        for (p, f) in by_project.into_iter().enumerate() {
            out[position[p]] = f;
        }
        out
    };
    let comparison = |method: &str, description: &str, fr: Vec<f64>| {
        let u = Usage::of(data, scenario, &fr);
        Comparison {
            method: method.to_string(),
            description: description.to_string(),
            value: value::total(data, scenario, &fr),
            spent: u.total,
            projects_funded: fr.iter().filter(|&&f| f > FRACTION_EPS).count(),
            fractions: aligned(fr),
        }
    };
    let comparisons = vec![
        comparison(
            "fair_share",
            "Population fair share: each footprint gets its population share of every year's budget and funds its own bids in value-per-£ order; money it cannot use stays unspent",
            fair_share(data, scenario),
        ),
        comparison(
            "greedy",
            "Greedy ranking: all bids in value-per-£ order, funded down the list while each year's money lasts (a panel's ranking; it ignores floors and category shares)",
            greedy(data, scenario),
        ),
    ];

    Ok(Allocation {
        scenario: scenario.clone(),
        years: scenario.years.clone(),
        lines,
        value_unit: crate::model::value_unit(scenario).to_string(),
        solver: SolverReport {
            status: solved.status,
            objective: value::from_solver(scenario, solved.objective),
            bound: value::from_solver(scenario, solved.bound),
            gap: solved.gap,
            requested_gap: scenario.solver.mip_gap,
            time_limit_s: scenario.solver.time_limit_s,
            highs_version: crate::solve::highs_version(),
            variables: size.variables,
            constraints: size.constraints,
            integer_variables: size.integer_variables,
        },
        projects,
        footprints,
        budget_use,
        rule_use,
        comparisons,
        total_value,
        total_funded: usage.total,
    })
}

#[cfg(test)]
mod tests;
