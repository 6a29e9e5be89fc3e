//! `techfund sweep`: the scenario solved at many budget levels, in parallel. Every
//! point is an ordinary run of the scenario with its budget scaled, solved to the
//! scenario's own gap, so a point equals `techfund run` at that budget; a point keeps
//! only what the sweep reports, not the whole allocation.

use super::progress::Mode;
use crate::allocation::frontier::{Answer, Point};
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
    let solve = |s: &Scenario, start: Option<&crate::allocation::Solution>| {
        let mut timings = Timings::default();
        match start {
            Some(start) => pipeline::solve_from(data, s, &mut timings, start),
            None => pipeline::solve_scenario(data, s, &mut timings),
        }
        .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
    };
    let solved = super::each(
        &levels,
        mode,
        "budget levels",
        |level| format!("{:.1}%", level * 100.0),
        |&level| {
            let at = scaled(scenario, request, level, 0.0);
            let base = solve(&at, None);
            let plus = scaled(scenario, request, level, MARGINAL_STEP);
            let next = solve(&plus, base.as_ref().ok());
            (
                base.map(|s| Answer::of(data, &at, &s)),
                next.map(|s| Answer::of(data, &plus, &s)),
            )
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
            next: next.ok().map(|a| (a.value, a.bound)),
        })
        .collect()
}
