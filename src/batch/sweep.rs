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

/// Solves every level, and every level plus £1m, in parallel.
pub fn solve_points(
    data: &Dataset,
    scenario: &Scenario,
    request: &SweepRequest,
    mode: Mode,
) -> Vec<Point> {
    let levels = request.levels();
    let tasks: Vec<(usize, bool)> = (0..levels.len())
        .flat_map(|i| [(i, false), (i, true)])
        .collect();
    let solved = super::each(
        &tasks,
        mode,
        "budget levels",
        |&(i, plus)| {
            format!(
                "{:.1}%{}",
                levels[i] * 100.0,
                if plus { " + £1m" } else { "" }
            )
        },
        |&(i, plus)| {
            let extra = if plus { MARGINAL_STEP } else { 0.0 };
            let s = scaled(scenario, request, levels[i], extra);
            pipeline::solve_scenario(data, &s, &mut Timings::default())
                .map(|solution| Answer::of(data, &s, &solution))
                .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
        },
        |r| if r.is_ok() { "solved" } else { "no allocation" }.to_string(),
    );
    // Tasks come back in order: each level, then the same level plus £1m.
    let mut points = Vec::with_capacity(levels.len());
    let mut it = solved.into_iter();
    for &level in &levels {
        let (outcome, next) = (
            it.next().expect("one per task"),
            it.next().expect("one per task"),
        );
        points.push(Point {
            level,
            budget: scaled(scenario, request, level, 0.0).total_budget(),
            outcome,
            next: next.ok().map(|a| (a.value, a.bound)),
        });
    }
    points
}
