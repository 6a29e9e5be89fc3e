//! run.json: what was run, on which inputs, with what result and how long each stage took.

use crate::allocation::Allocation;
use crate::domain::InputFile;
use serde::Serialize;

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
    mip_gap: f64,
    requested_mip_gap: f64,
    value_unit: &'a str,
    total_funded_k: f64,
    stage_ms: std::collections::BTreeMap<&'a str, f64>,
    resolved_scenario: &'a crate::scenario::Scenario,
}

/// `stage_ms` is the wall time of each stage in milliseconds, in pipeline order.
pub fn render(a: &Allocation, inputs: &[InputFile], stage_ms: &[(&str, f64)]) -> Vec<u8> {
    let m = Manifest {
        tool: "techfund",
        tool_version: env!("CARGO_PKG_VERSION"),
        highs_version: &a.solver.highs_version,
        scenario: &a.scenario.name,
        inputs,
        status: a.solver.status,
        objective: a.solver.objective,
        bound: a.solver.bound,
        mip_gap: a.solver.gap,
        requested_mip_gap: a.solver.requested_gap,
        value_unit: &a.value_unit,
        total_funded_k: a.total_funded,
        stage_ms: stage_ms
            .iter()
            .map(|(k, v)| (*k, (v * 1000.0).round() / 1000.0))
            .collect(),
        resolved_scenario: &a.scenario,
    };
    let mut out = serde_json::to_vec_pretty(&m).expect("manifest serialises");
    out.push(b'\n');
    out
}
