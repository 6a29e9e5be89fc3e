//! Near-optimal alternatives (`[alternatives]`): re-solves one after another, each
//! with a no-good cut against the optimum and every alternative already found and a
//! floor on its value, until as many are found as were asked for, the solver proves
//! there are no more, or the time runs out.

use crate::allocation::alternatives::{cuts_for, describe, threshold, Alternatives, Ended};
use crate::allocation::{value, Solution};
use crate::domain::Dataset;
use crate::error::Result;
use crate::pipeline::{self, Timings};
use crate::scenario::{AlternativesRequest, Scenario};
use crate::solve::Failure;
use std::time::Instant;

/// Finds the alternatives to `optimum`, the scenario's checked answer. The search has
/// the scenario's `time_limit_s` in all, shared out as it goes: each re-solve gets what
/// is left divided by the alternatives still to find, so a quick one leaves its time
/// to the next. Each is checked, with its cuts, by the independent check.
pub fn find(
    data: &Dataset,
    scenario: &Scenario,
    request: &AlternativesRequest,
    optimum: &Solution,
) -> Result<Alternatives> {
    let started = Instant::now();
    let floor = threshold(request, optimum.value);
    let mut found = Vec::new();
    let ended = loop {
        if found.len() >= request.count {
            break Ended::AllFound;
        }
        let left = request.count - found.len();
        let remaining = scenario.solver.time_limit_s - started.elapsed().as_secs_f64();
        if remaining <= 0.0 {
            break Ended::OutOfTime;
        }
        let mut changed = scenario.clone();
        changed.alternatives = None;
        changed.cuts = cuts_for(request, floor, &optimum.fractions, &found);
        changed.solver.time_limit_s = remaining / left as f64;
        let start = warm_start(data, scenario, optimum, request.differ_by, found.len());
        let solved = pipeline::solve_or_failure(
            data,
            &changed,
            &mut Timings::default(),
            None,
            start.as_deref(),
        )?;
        match solved {
            Ok(s) => {
                let number = found.len() + 1;
                let a = describe(data, scenario, optimum, number, &s, &found);
                found.push(a);
            }
            Err(Failure::Infeasible | Failure::InfeasibleOrUnbounded) => break Ended::NoneLeft,
            Err(Failure::NoSolutionInTime) => break Ended::OutOfTime,
            Err(Failure::Unbounded) => {
                break Ended::Failed("the solver reported the re-solve unbounded".into())
            }
            Err(Failure::Other(why)) => break Ended::Failed(why),
        }
    };
    Ok(Alternatives {
        request: *request,
        optimum_value: optimum.value,
        optimum_gap: optimum.gap,
        threshold: floor,
        found,
        ended,
    })
}

/// A start for the re-solve: the optimum without `differ_by` of the bids it funds that
/// add least to its value (the `skip`-th such group, so each re-solve starts from a
/// different one), and without every bid that requires one of them. It differs from
/// the optimum by enough and loses little value, so it is often an alternative already;
/// the solver checks it against every rule and every cut and ignores it if it breaks one.
fn warm_start(
    data: &Dataset,
    scenario: &Scenario,
    optimum: &Solution,
    differ_by: usize,
    skip: usize,
) -> Option<Vec<f64>> {
    let must = crate::model::must_fund(data, scenario);
    let values = value::per_project(data, scenario, &optimum.fractions, &optimum.starts);
    let mut candidates: Vec<usize> = (0..data.projects.len())
        .filter(|&i| optimum.fractions[i] > 0.5 && must[i].is_none() && scenario.held(i).is_none())
        .collect();
    candidates.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let from = skip.checked_mul(differ_by)?;
    let out = candidates.get(from..from.checked_add(differ_by)?)?;
    let mut columns = optimum.columns.clone();
    let mut queue: Vec<usize> = out.to_vec();
    let mut seen = vec![false; data.projects.len()];
    while let Some(p) = queue.pop() {
        if std::mem::replace(&mut seen[p], true) {
            continue;
        }
        columns[optimum.fraction_col[p]] = 0.0;
        queue.extend((0..data.projects.len()).filter(|&q| data.projects[q].requires.contains(&p)));
    }
    Some(columns)
}
