//! `techfund sweep`: the scenario solved at many budget levels, in parallel. Every
//! point is an ordinary run of the scenario with its budget scaled, solved to the
//! scenario's own gap, so a point equals `techfund run` at that budget; a point keeps
//! only what the sweep reports, not the whole allocation.

use super::progress::Mode;
use super::resolve::solve_near;
use crate::allocation::frontier::{Answer, Point, Resolved};
use crate::domain::Dataset;
use crate::pipeline::{self, Timings};
use crate::scenario::sweep::{scaled, SweepRequest, MARGINAL_STEP};
use crate::scenario::Scenario;

/// Solves every level in parallel, and each level plus £1m right after it, started from
/// the level's own answer (a budget £1m larger keeps it feasible, so the solver begins
/// within the gap and often ends there).
pub fn solve_points(
    data: &Dataset,
    scenario: &Scenario,
    request: &SweepRequest,
    mode: Mode,
) -> Vec<Point> {
    let levels = request.levels();
    let solved = super::each(
        &levels,
        mode,
        "budget levels",
        |level| format!("{:.1}%", level * 100.0),
        |&level| {
            let at = scaled(scenario, request, level, 0.0);
            let base = pipeline::solve_scenario(data, &at, &mut Timings::default())
                .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string());
            let next = base.as_ref().ok().and_then(|s| {
                let plus = scaled(scenario, request, level, MARGINAL_STEP);
                match solve_near(data, &plus, &s.columns) {
                    Resolved::Solved(a) => Some((a.value, a.bound)),
                    _ => None,
                }
            });
            (base.map(|s| Answer::of(data, &at, &s)), next)
        },
        |(r, _)| if r.is_ok() { "solved" } else { "no allocation" }.to_string(),
    );
    levels
        .iter()
        .zip(solved)
        .map(|(&level, (outcome, next))| Point {
            level,
            budget: scaled(scenario, request, level, 0.0).total_budget(),
            outcome,
            next,
        })
        .collect()
}
