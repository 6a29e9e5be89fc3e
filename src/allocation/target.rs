//! The answer of `techfund target` in domain terms: the least fund per financial year
//! and budget line, the allocation that reaches the target with it, each footprint's
//! part, and the independent check of every rule and of the target itself.

use crate::allocation::{self, usage::FRACTION_EPS};
use crate::domain::{BudgetLine, Dataset, Money};
use crate::model::target::reachable;
use crate::scenario::{Scenario, Target};
use crate::solve::{SolveStatus, Solved};

/// One footprint's part in reaching the target.
#[derive(Clone, Debug, PartialEq)]
pub struct FootprintTarget {
    pub footprint: usize,
    pub before: f64,
    pub after: f64,
    pub spend: Money,
    pub projects: usize,
    pub reached: bool,
}

/// The minimum fund and the allocation that reaches the target with it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    pub status: SolveStatus,
    pub gap: f64,
    /// Proven lower bound on the minimum fund.
    pub bound: Money,
    /// The minimum fund per budget line and year, £k.
    pub budget: Vec<(BudgetLine, Vec<Money>)>,
    pub fractions: Vec<f64>,
    pub footprints: Vec<FootprintTarget>,
}

impl TargetResult {
    pub fn total(&self) -> Money {
        self.budget.iter().flat_map(|(_, v)| v.iter()).sum()
    }
}

/// The minimum fund read from the solver's answer. Each year's minimum is what the
/// allocation spends, recomputed from the projects so the budget and the spend agree.
pub fn result(
    data: &Dataset,
    scenario: &Scenario,
    target: &Target,
    fraction_col: &[usize],
    solved: &Solved,
) -> TargetResult {
    let fractions = allocation::fractions_from(data, scenario, &solved.columns, fraction_col);
    let lines = scenario.lines();
    let budget: Vec<(BudgetLine, Vec<Money>)> = lines
        .iter()
        .map(|&l| {
            let per_year = (0..scenario.years.len())
                .map(|y| {
                    data.projects
                        .iter()
                        .zip(&fractions)
                        .map(|(p, f)| p.fund_cost(l, y) * f)
                        .sum::<f64>()
                })
                .map(|v| (v * 10.0).round() / 10.0)
                .collect();
            (l, per_year)
        })
        .collect();
    let gains = allocation::value::capability_gains(data, &fractions);
    let footprints = data
        .footprints
        .iter()
        .enumerate()
        .map(|(f, fp)| FootprintTarget {
            footprint: f,
            before: fp.maturity.capabilities,
            after: fp.maturity.capabilities + gains[f],
            spend: data
                .projects
                .iter()
                .zip(&fractions)
                .filter(|(p, _)| p.footprint == f)
                .map(|(p, x)| p.fund_cost_on(&lines) * x)
                .sum(),
            projects: data
                .projects
                .iter()
                .zip(&fractions)
                .filter(|(p, x)| p.footprint == f && **x > FRACTION_EPS)
                .count(),
            reached: fp.maturity.capabilities + gains[f] >= target.capabilities - 1e-6,
        })
        .collect();
    TargetResult {
        status: solved.status,
        gap: solved.gap,
        // The programme counts money in its own unit (see `model::money_scale`).
        bound: solved.bound * crate::model::money_scale(scenario),
        budget,
        fractions,
        footprints,
    }
}

/// The scenario with its budget set to the minimum found, so the ordinary checker can
/// verify every rule against it.
pub fn with_budget(scenario: &Scenario, result: &TargetResult) -> Scenario {
    let mut s = scenario.clone();
    s.budget = result.budget.clone();
    s
}

/// Every rule of the scenario and the target itself, checked in plain Rust.
pub fn check(
    data: &Dataset,
    scenario: &Scenario,
    target: &Target,
    result: &TargetResult,
) -> Vec<String> {
    let mut broken = allocation::check(data, &with_budget(scenario, result), &result.fractions);
    let total_pop = data.total_population();
    let reached_pop: f64 = result
        .footprints
        .iter()
        .filter(|f| f.reached)
        .map(|f| data.footprints[f.footprint].population)
        .sum();
    if reached_pop < target.population_share * total_pop - 1e-6 {
        broken.push(format!(
            "the target reaches {:.1}% of the population, not the {:.1}% required",
            100.0 * reached_pop / total_pop,
            100.0 * target.population_share
        ));
    }
    broken
}

/// Why a target cannot be met: the footprints whose every eligible bid together falls
/// short, or else the rules.
pub fn explain_unreachable(data: &Dataset, scenario: &Scenario, target: &Target) -> String {
    let short: Vec<String> = (0..data.footprints.len())
        .filter(|&f| reachable(data, scenario, f) < target.capabilities)
        .map(|f| {
            format!(
                "  - {} ({}) can reach at most {:.1} with every eligible bid funded",
                data.footprints[f].id,
                data.footprints[f].name,
                reachable(data, scenario, f)
            )
        })
        .collect();
    if short.is_empty() || target.population_share < 1.0 {
        format!("  no allocation within the scenario's rules brings enough footprints to capabilities {:.1}; relax the rules (floors, caps, category shares, must-fund bids) or lower the target", target.capabilities)
    } else {
        format!("  capabilities {:.1} is out of reach for:\n{}\n  lower the target, or set population_share below 1", target.capabilities, short.join("\n"))
    }
}
