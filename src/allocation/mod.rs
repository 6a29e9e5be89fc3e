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
