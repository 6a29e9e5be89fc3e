//! `techfund explain`'s re-solves: each chosen bid locked out (funded) or in (not
//! funded), every lock its own solve from the base answer, all in parallel.

use super::progress::Mode;
use super::resolve::Near;
use crate::allocation::explain::{
    departure, greedy_funds, questions, Explanation, ProjectWorth, Selection, Worth,
};
use crate::allocation::frontier::Answer;
use crate::allocation::{self, Allocation, Solution};
use crate::domain::Dataset;
use crate::model::describe_exclusion;
use crate::scenario::Scenario;

/// Explains `chosen` (dataset indices) against the base answer `base` and its
/// allocation `a`.
pub fn explain(
    data: &Dataset,
    scenario: &Scenario,
    base: &Solution,
    a: &Allocation,
    chosen: &[usize],
    selection: Selection,
    mode: Mode,
) -> Explanation {
    let mut row_of = vec![0; data.projects.len()];
    for (row, p) in a.projects.iter().enumerate() {
        row_of[p.project] = row;
    }
    let exclusions = crate::model::exclusions(data, scenario);
    // The locks to solve; the rest are answered without a solver.
    let mut tasks: Vec<(usize, bool)> = Vec::new();
    for &p in chosen {
        let (out, inn) = questions(a.projects[row_of[p]].status);
        if out && !data.projects[p].must_fund {
            tasks.push((p, false));
        }
        if inn && exclusions[p].is_none() {
            tasks.push((p, true));
        }
    }
    let near = Near::new(data, scenario);
    let solved = super::each(
        &tasks,
        mode,
        "re-solves",
        |&(p, funded)| {
            let lock = if funded { "in" } else { "out" };
            format!("{} locked {lock}", data.projects[p].id)
        },
        |&(p, funded)| near.locked(base, p, funded),
        |r| match r {
            allocation::frontier::Resolved::Solved(a) => {
                format!("value {}", crate::format::thousands(a.value))
            }
            allocation::frontier::Resolved::Infeasible(_) => "no allocation".into(),
            allocation::frontier::Resolved::Failed(_) => "not solved".into(),
        },
    );
    let base_funded = Answer::of(data, scenario, base).funded_projects;
    let point = (base.value, base.bound);
    let collisions = allocation::collisions(data, scenario, base);
    let years = &scenario.years;
    let mut results: std::collections::HashMap<(usize, bool), _> =
        tasks.iter().copied().zip(solved).collect();
    let mut next = |p: usize, funded: bool| {
        results
            .remove(&(p, funded))
            .map(|r| Worth::of(point, &base_funded, r))
    };
    let rows = chosen
        .iter()
        .map(|&p| {
            let row = row_of[p];
            let (out, inn) = questions(a.projects[row].status);
            let replacement = out.then(|| {
                if data.projects[p].must_fund {
                    Worth::Infeasible(vec![format!("must-fund project {}", data.projects[p].id)])
                } else {
                    next(p, false).expect("every lock-out was solved")
                }
            });
            let forced_in = inn.then(|| match &exclusions[p] {
                Some(e) => {
                    Worth::Unmeasured(format!("excluded by rule: {}", describe_exclusion(e, data)))
                }
                None => next(p, true).expect("every lock-in was solved"),
            });
            let mut collides_with: Vec<String> = match &exclusions[p] {
                Some(e) => vec![describe_exclusion(e, data)],
                None => collisions[p]
                    .iter()
                    .map(|r| r.named(data, years).to_string())
                    .collect(),
            };
            if let Some(Worth::Infeasible(rules)) = &replacement {
                collides_with.extend(rules.iter().cloned());
            }
            if let Some(Worth::Infeasible(rules)) = &forced_in {
                for r in rules {
                    if !collides_with.contains(r) {
                        collides_with.push(r.clone());
                    }
                }
            }
            ProjectWorth {
                project: p,
                row,
                greedy_funded: greedy_funds(a, row),
                replacement,
                forced_in,
                collides_with,
            }
        })
        .collect();
    Explanation {
        scenario: scenario.name.clone(),
        value_unit: a.value_unit,
        status: base.status,
        value: base.value,
        bound: base.bound,
        gap: base.gap,
        requested_gap: scenario.solver.mip_gap,
        rows,
        selection,
        departure: departure(a),
        solves: tasks.len(),
    }
}
