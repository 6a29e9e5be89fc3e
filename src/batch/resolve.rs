//! Re-solves near an answer: the scenario with one thing changed (a bid locked out or
//! in, £1m more or less in one year), each started from the base answer so a change
//! that leaves it nearly optimal costs an LP, not a MIP. `sweep`, `explain` and the
//! marginal values all solve their neighbours here.

use crate::allocation::frontier::{Answer, Resolved};
use crate::allocation::Solution;
use crate::domain::Dataset;
use crate::error::Error;
use crate::pipeline::{self, Timings};
use crate::scenario::{Hold, Scenario};

/// Solves `changed`, starting from the columns `start` (an answer of a neighbouring
/// scenario, adjusted to the change where that keeps it feasible).
pub fn solve_near(data: &Dataset, changed: &Scenario, start: &[f64]) -> Resolved {
    let mut timings = Timings::default();
    match pipeline::solve_with(data, changed, &mut timings, None, Some(start)) {
        Ok(s) => Resolved::Solved(Answer::of(data, changed, &s)),
        Err(Error::Infeasible { explanation, .. }) => Resolved::Infeasible(explanation),
        Err(e) => Resolved::Failed(e.to_string().lines().next().unwrap_or_default().into()),
    }
}

/// The scenario with `project` locked in (`funded`) or out, solved from `base`.
pub fn solve_locked(
    data: &Dataset,
    scenario: &Scenario,
    base: &Solution,
    project: usize,
    funded: bool,
) -> Resolved {
    let mut changed = scenario.clone();
    changed.holds.push(Hold { project, funded });
    solve_near(data, &changed, &locked_start(data, base, project, funded))
}

/// The base answer with the bid put in or taken out, and what that drags with it: a
/// bid taken out takes out every bid that requires it; a bid put in brings in its
/// prerequisites and takes out the other bids of its exclusive groups. The solver
/// still checks the start against every rule and ignores it if it breaks one (a bid
/// put in usually overspends a budget).
fn locked_start(data: &Dataset, base: &Solution, project: usize, funded: bool) -> Vec<f64> {
    let mut columns = base.columns.clone();
    let set = |p: usize, v: f64, columns: &mut [f64]| columns[base.fraction_col[p]] = v;
    let mut queue = vec![project];
    let mut seen = vec![false; data.projects.len()];
    while let Some(p) = queue.pop() {
        if std::mem::replace(&mut seen[p], true) {
            continue;
        }
        set(p, if funded { 1.0 } else { 0.0 }, &mut columns);
        if funded {
            queue.extend(&data.projects[p].requires);
            if let Some(g) = &data.projects[p].exclusive_group {
                for (q, other) in data.projects.iter().enumerate() {
                    if q != p && other.exclusive_group.as_ref() == Some(g) {
                        set(q, 0.0, &mut columns);
                    }
                }
            }
        } else {
            queue.extend(
                (0..data.projects.len()).filter(|&q| data.projects[q].requires.contains(&p)),
            );
        }
    }
    columns
}
