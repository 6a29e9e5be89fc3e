//! The fairness frontier (`run --fairness-frontier`): the scenario re-solved with the
//! footprint floor at evenly spaced shares of fair share from 0 to 1, each from the
//! base answer, all in parallel, so a minister sees what each step of fairness costs.

use super::prices::outcome;
use super::progress::Mode;
use super::resolve::solve_near;
use crate::allocation::prices::{frontier, FrontierPoint};
use crate::allocation::Solution;
use crate::domain::Dataset;
use crate::scenario::{Limit, Scenario};

/// `steps` levels from 0 to 1 inclusive, evenly spaced (at least 2).
pub fn levels(steps: usize) -> Vec<f64> {
    let last = steps.max(2) - 1;
    (0..=last).map(|i| i as f64 / last as f64).collect()
}

/// The scenario with its general footprint floor at `level` of fair share. Floors a
/// footprint has of its own (`[[rules.footprint]]`) stay as written, as do caps.
pub fn at_level(scenario: &Scenario, level: f64) -> Scenario {
    let mut s = scenario.clone();
    s.rules.footprint_floor = Some(Limit::ShareOfFairShare(level));
    s
}

pub fn points(
    data: &Dataset,
    scenario: &Scenario,
    base: &Solution,
    steps: usize,
    mode: Mode,
) -> Vec<FrontierPoint> {
    let levels = levels(steps);
    let solved = super::each(
        &levels,
        mode,
        "fairness frontier",
        |l| {
            format!(
                "floor at {}% of fair share",
                crate::format::fixed(l * 100.0, 1)
            )
        },
        |&l| outcome(solve_near(data, &at_level(scenario, l), &base.columns)),
        |o| o.status().replace('_', " "),
    );
    frontier(&levels, solved)
}
