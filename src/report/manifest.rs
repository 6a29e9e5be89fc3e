//! run.json: what was run, on which inputs, with what result and how long each stage took.

use crate::allocation::Allocation;
use crate::domain::{BudgetLine, FinancialYear, InputFile};
use crate::scenario::{FundingMode, NeedPolicy, ObjectiveKind, ValueUnit};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Manifest<'a> {
    tool: &'static str,
    tool_version: &'static str,
    highs_version: &'a str,
    scenario: &'a str,
    inputs: &'a [InputFile],
    status: crate::solve::SolveStatus,
    objective: f64,
    bound: f64,
    /// The heuristic's value before HiGHS' branch and bound, in the same unit.
    heuristic_objective: Option<f64>,
    /// The exported model's objective times this is `objective` (the model counts
    /// money in units of about a year's budget; see `model::money_scale`).
    model_objective_scale: f64,
    mip_gap: f64,
    requested_mip_gap: f64,
    value_unit: ValueUnit,
    total_funded_k: f64,
    stage_ms: std::collections::BTreeMap<&'a str, f64>,
    resolved_scenario: &'a crate::scenario::Scenario,
    // The fields below are the stable contract `techfund compare` reads back (the shape
    // of `resolved_scenario` follows the scenario module and may change). They came
    // later, so readers treat them as optional.
    /// What `objective` measures: with `need`, which value the solver maximised.
    objective_kind: ObjectiveKind,
    need: NeedPolicy,
    funding: FundingMode,
    years: &'a [FinancialYear],
    budget_lines: Vec<BudgetLine>,
    /// What fair shares (floors, caps, the formula, £ per head) are in proportion to.
    fair_share: &'static str,
    /// The kinds of rule this run ignored (`[ignore]`), in words; empty when none.
    ignored: Vec<&'static str>,
    /// The dataset folder as the run resolved it; its files are among `inputs`.
    data_dir: String,
    /// The folder the run started in, which relative paths in `inputs` and `data_dir`
    /// are relative to, so a later comparison finds the dataset from anywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    working_dir: Option<String>,
    /// Switches, carry-forward, late starts and local money (only when in use).
    #[serde(skip_serializing_if = "Option::is_none")]
    budget_flexibility: Option<super::flex::Manifest>,
    /// The Green Book appraisal's settings the run used (only when it appraised), so
    /// `compare` can score another report's allocation as this run's NPSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    appraisal: Option<crate::appraisal::Settings>,
}

/// What the run knows beyond its allocation: the files it read, the wall time of each
/// stage in milliseconds (in pipeline order) and the folder it ran in.
pub struct RunFacts<'a> {
    pub inputs: &'a [InputFile],
    pub stage_ms: &'a [(&'a str, f64)],
    pub working_dir: Option<&'a Path>,
}

pub fn render(a: &Allocation, facts: &RunFacts) -> Vec<u8> {
    let RunFacts {
        inputs,
        stage_ms,
        working_dir,
    } = *facts;
    let m = Manifest {
        tool: "techfund",
        tool_version: env!("CARGO_PKG_VERSION"),
        highs_version: &a.solver.highs_version,
        scenario: &a.scenario.name,
        inputs,
        status: a.solver.status,
        objective: a.solver.objective,
        bound: a.solver.bound,
        heuristic_objective: a.solver.heuristic,
        model_objective_scale: crate::allocation::value::from_solver(&a.scenario, 1.0),
        mip_gap: a.solver.gap,
        requested_mip_gap: a.solver.requested_gap,
        value_unit: a.value_unit,
        total_funded_k: a.total_funded,
        stage_ms: stage_ms
            .iter()
            .map(|(k, v)| (*k, (v * 1000.0).round() / 1000.0))
            .collect(),
        resolved_scenario: &a.scenario,
        objective_kind: a.scenario.objective,
        need: a.scenario.need,
        funding: a.scenario.funding,
        years: &a.scenario.years,
        budget_lines: a.scenario.lines(),
        fair_share: a.scenario.rules.fair_share.name(),
        ignored: a.scenario.rules.ignore.kinds(),
        data_dir: a.scenario.data.display().to_string(),
        working_dir: working_dir.map(|d| d.display().to_string()),
        budget_flexibility: super::flex::manifest(a),
        appraisal: a
            .scenario
            .appraises()
            .then(|| a.scenario.appraisal_settings()),
    };
    let mut out = serde_json::to_vec_pretty(&m).expect("manifest serialises");
    out.push(b'\n');
    out
}
