//! The robustness run (`[uncertainty]`): the scenario solved once per draw of bids'
//! costs and benefits, all draws in parallel, each started from the base answer.
//!
//! Draw `d` is made by its own random stream, ChaCha8 seeded with the scenario's seed
//! on stream `d`, which takes two numbers per bid in dataset order (cost, benefit)
//! whether or not a distribution covers it. So a draw depends only on (seed, d): the
//! same seed gives the same draws, byte for byte, on any number of threads.

use super::progress::Mode;
use crate::allocation::robustness::{self, Base, Draw, DrawAnswer, Robustness};
use crate::allocation::Solution;
use crate::domain::Dataset;
use crate::error::{Error, InputError, Result};
use crate::format::{clip, listing, ECHO};
use crate::scenario::uncertainty::{ByBid, Uncertainty};
use crate::scenario::Scenario;
use crate::solve::Failure;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

/// Each bid's drawn (cost overrun, benefit multiplier) in draw `index`, in dataset
/// order. A bid no distribution covers gets (0, 1): its figures as bid.
pub fn draw(data: &Dataset, u: &Uncertainty, index: usize) -> Vec<(f64, f64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(u.seed);
    rng.set_stream(index as u64);
    data.projects
        .iter()
        .map(|p| {
            let (a, b): (f64, f64) = (rng.random(), rng.random());
            let overrun = u
                .cost_overrun
                .for_bid(&p.id, &p.category)
                .map_or(0.0, |d| d.at(a));
            let multiplier = u
                .benefit
                .for_bid(&p.id, &p.category)
                .map_or(1.0, |d| d.at(b));
            (overrun, multiplier)
        })
        .collect()
}

/// The dataset with a draw's costs and benefits: every year's cost on both lines
/// times (1 + overrun); benefit and capability uplift times the multiplier.
pub fn drawn_data(data: &Dataset, drawn: &[(f64, f64)]) -> Dataset {
    let mut d = data.clone();
    for (p, &(overrun, multiplier)) in d.projects.iter_mut().zip(drawn) {
        let scale = 1.0 + overrun;
        p.capital.iter_mut().for_each(|c| *c *= scale);
        p.revenue.iter_mut().for_each(|c| *c *= scale);
        p.benefit *= multiplier;
        p.maturity_uplift *= multiplier;
    }
    d
}

/// Every project and category `[uncertainty]` names must be in the bids, or its
/// distribution would silently do nothing.
pub fn check_names(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    let Some(u) = &scenario.uncertainty else {
        return Ok(());
    };
    let ids: BTreeSet<&str> = data.projects.iter().map(|p| p.id.as_str()).collect();
    let categories: BTreeSet<&str> = data.projects.iter().map(|p| p.category.as_str()).collect();
    for (table, by) in [
        ("uncertainty.cost_overrun", &u.cost_overrun),
        ("uncertainty.benefit", &u.benefit),
    ] {
        for (group, list, known, what) in [
            ("category", &by.category, &categories, "category"),
            ("project", &by.project, &ids, "project id"),
        ] {
            if let Some((name, _)) = list.iter().find(|(n, _)| !known.contains(n.as_str())) {
                let near = crate::dataset::text::nearest(name, known.iter().copied())
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                let names: Vec<&str> = known.iter().copied().collect();
                return Err(scenario.key_error(
                    &format!("{table}.{group}"),
                    name,
                    format!(
                        "no bid in {} has the {what} `{}`, so its distribution would do nothing",
                        data.projects_source.name(),
                        clip(name, ECHO)
                    ),
                    format!("{near}name one the bids carry: {}", listing(&names, 10)),
                ));
            }
        }
    }
    Ok(())
}

/// Solves every draw of the scenario from the base answer and sums them up.
pub fn run(
    data: &Dataset,
    scenario: &Scenario,
    u: &Uncertainty,
    base: &Solution,
    mode: Mode,
) -> Robustness {
    let mut drawn_scenario = scenario.clone();
    drawn_scenario.solver.time_limit_s = u.time_limit_s.unwrap_or(scenario.solver.time_limit_s);
    // HiGHS alone: techfund's heuristic gives its restricted MIP one second of wall
    // clock, so on a busy machine it can stop elsewhere and a draw's answer would
    // depend on the load, not only on (seed, draw). HiGHS alone is deterministic short
    // of the time limit, and on the default data no slower (about 1.5 s a solve).
    drawn_scenario.solver.heuristic = false;
    let indices: Vec<usize> = (0..u.draws).collect();
    let draws = super::each(
        &indices,
        mode,
        "uncertainty draws",
        |d| format!("draw {}", d + 1),
        |&d| {
            let data = drawn_data(data, &draw(data, u, d));
            Draw {
                base_overruns: base_overruns(&data, scenario, &base.fractions),
                answer: solve_draw(&data, &drawn_scenario, &base.columns),
            }
        },
        |r| match &r.answer {
            DrawAnswer::Solved { status, .. } => status.as_str().replace('_', " "),
            DrawAnswer::Infeasible(_) => "no allocation".into(),
            DrawAnswer::NotSolved(_) => "not solved".into(),
        },
    );
    let lines = scenario
        .budget
        .iter()
        .map(|(line, budget)| {
            let spend = spend(data, &base.fractions, *line, budget.len());
            (*line, budget.clone(), spend)
        })
        .collect();
    let facts = Base {
        ids: data.projects.iter().map(|p| p.id.as_str()).collect(),
        titles: data.projects.iter().map(|p| p.title.as_str()).collect(),
        categories: data.projects.iter().map(|p| p.category.as_str()).collect(),
        footprints: data
            .projects
            .iter()
            .map(|p| data.footprint_of(p).name.as_str())
            .collect(),
        fractions: &base.fractions,
        value: base.value,
        years: &scenario.years,
        lines,
    };
    robustness::summarise(
        &facts,
        &draws,
        u.seed,
        drawn_scenario.solver.time_limit_s,
        assumptions(u),
    )
}

/// The distributions in words, for the report.
fn assumptions(u: &Uncertainty) -> Vec<String> {
    let mut out = Vec::new();
    for (what, by, percent) in [
        ("Cost overrun", &u.cost_overrun, true),
        ("Benefit multiplier", &u.benefit, false),
    ] {
        out.extend(describe(what, by, percent));
    }
    out
}

fn describe(what: &str, by: &ByBid, percent: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(d) = by.all {
        out.push(format!(
            "{what}, every bid not named below: {}",
            d.describe(percent)
        ));
    }
    for (name, d) in &by.category {
        out.push(format!("{what}, category {name}: {}", d.describe(percent)));
    }
    for (name, d) in &by.project {
        out.push(format!("{what}, project {name}: {}", d.describe(percent)));
    }
    out
}

/// A line's spend per year for funded shares `fractions`, £k.
fn spend(
    data: &Dataset,
    fractions: &[f64],
    line: crate::domain::BudgetLine,
    years: usize,
) -> Vec<f64> {
    (0..years)
        .map(|y| {
            data.projects
                .iter()
                .zip(fractions)
                .map(|(p, f)| p.cost(line, y) * f)
                .sum()
        })
        .collect()
}

/// Whether `fractions` spends more than each year's budget (per line, then year) at
/// `data`'s costs, beyond rounding.
fn base_overruns(data: &Dataset, scenario: &Scenario, fractions: &[f64]) -> Vec<Vec<bool>> {
    scenario
        .budget
        .iter()
        .map(|(line, budget)| {
            spend(data, fractions, *line, budget.len())
                .iter()
                .zip(budget)
                .map(|(s, b)| *s > b + 1e-6 * b.abs().max(1.0))
                .collect()
        })
        .collect()
}

/// One draw's solve, as `pipeline::solve_with` does it but without the elastic
/// explanation of an infeasible draw (it would cost a second solve per failure and the
/// report only counts them). The answer is checked against the drawn data outside the
/// solver (`allocation::solution`); one that breaks a rule is a failed draw.
fn solve_draw(data: &Dataset, scenario: &Scenario, start: &[f64]) -> DrawAnswer {
    let mut timings = crate::pipeline::Timings::default();
    let solved = crate::pipeline::solve_or_failure(data, scenario, &mut timings, None, Some(start));
    let s = match solved {
        Ok(Ok(s)) => s,
        Ok(Err(Failure::Infeasible | Failure::InfeasibleOrUnbounded)) => {
            return DrawAnswer::Infeasible("no allocation keeps every rule".into())
        }
        Ok(Err(Failure::NoSolutionInTime)) => {
            return DrawAnswer::NotSolved(format!(
                "no allocation found within the time limit of {} s",
                scenario.solver.time_limit_s
            ))
        }
        Ok(Err(Failure::Unbounded)) => {
            return DrawAnswer::NotSolved("the solver reported an unbounded programme".into())
        }
        Ok(Err(Failure::Other(m))) => return DrawAnswer::NotSolved(first_line(&m)),
        // The drawn figures break a rule before any solve, such as a must-fund bid
        // whose drawn benefit per £ falls below the hurdle.
        Err(Error::Input(e)) => return DrawAnswer::Infeasible(first_line(&e.problem)),
        Err(e @ Error::RuleBroken(_)) => {
            return DrawAnswer::NotSolved(format!(
                "the answer failed the independent check: {}",
                first_line(&e.to_string())
            ))
        }
        Err(e) => return DrawAnswer::NotSolved(first_line(&e.to_string())),
    };
    DrawAnswer::Solved {
        spend: scenario
            .budget
            .iter()
            .map(|(line, b)| spend(data, &s.fractions, *line, b.len()))
            .collect(),
        value: s.value,
        status: s.status,
        gap: s.gap,
        fractions: s.fractions,
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}
