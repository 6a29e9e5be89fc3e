//! The value of each year's money: for every financial year and budget line, the
//! scenario re-solved with £1m more and with £1m less in that cell alone, each from
//! the base answer, all in parallel (2 × years × lines solves).

use super::progress::Mode;
use super::resolve::Near;
use crate::allocation::frontier::{difference, Resolved};
use crate::allocation::{BudgetDual, MarginalValue, Solution};
use crate::domain::BudgetLine;
use crate::domain::Dataset;
use crate::scenario::sweep::{scaled, SweepRequest, MARGINAL_STEP};
use crate::scenario::Rule;
use crate::scenario::Scenario;
use crate::solve::SolveStatus;

pub fn values(
    data: &Dataset,
    scenario: &Scenario,
    base: &Solution,
    mode: Mode,
) -> Vec<MarginalValue> {
    // (line index, year, +1 or -1)
    let mut tasks = Vec::new();
    for (l, (_, amounts)) in scenario.budget.iter().enumerate() {
        for y in 0..amounts.len() {
            tasks.push((l, y, 1.0));
            tasks.push((l, y, -1.0));
        }
    }
    let cell = |l: usize, y: usize| {
        // The sweep's own scaling of one cell, so a marginal value here is the sweep's
        // "next £1m" at 100% for that year and line.
        SweepRequest {
            from: 1.0,
            to: 1.0,
            steps: 1,
            year: Some(scenario.years[y].clone()),
            line: Some(scenario.budget[l].0),
        }
    };
    let near = Near::new(data, scenario);
    let solved = super::each(
        &tasks,
        mode,
        "marginal values",
        |&(l, y, sign)| {
            let more = if sign > 0.0 { "+" } else { "-" };
            format!("{} {} {more}£1m", scenario.budget[l].0, scenario.years[y])
        },
        |&(l, y, sign)| {
            if sign < 0.0 && scenario.budget[l].1[y] < MARGINAL_STEP {
                return Resolved::Failed("the budget is under £1m".into());
            }
            let changed = scaled(scenario, &cell(l, y), 1.0, sign * MARGINAL_STEP);
            near.solve(&changed, &base.columns)
        },
        |r| match r {
            Resolved::Solved(_) => "solved".into(),
            Resolved::Infeasible(_) => "no allocation".into(),
            Resolved::Failed(_) => "not solved".into(),
        },
    );
    let point = (base.value, base.bound);
    let mut out = Vec::new();
    let mut results = solved.into_iter();
    for (line, amounts) in &scenario.budget {
        for y in 0..amounts.len() {
            let (plus, minus) = (
                results.next().expect("one per task"),
                results.next().expect("one per task"),
            );
            let mut status = base.status;
            let mut gap = base.gap;
            let mut keep = |r: &Resolved| {
                if let Resolved::Solved(a) = r {
                    if a.status == SolveStatus::TimeLimit
                        || (a.status == SolveStatus::WithinGap && status == SolveStatus::Optimal)
                    {
                        status = a.status;
                    }
                    gap = gap.max(a.gap);
                }
            };
            keep(&plus);
            keep(&minus);
            let gained = |r: Resolved, sign: f64| match r {
                Resolved::Solved(a) => {
                    let (d, lo, hi) = difference(point, (a.value, a.bound));
                    // The value of the last £1m is what taking it away loses.
                    let (d, lo, hi) = if sign > 0.0 {
                        (d, lo, hi)
                    } else {
                        (-d, -hi, -lo)
                    };
                    // More money never lowers the best value, so neither figure is
                    // below 0; a negative difference is the solves' gap, not the money.
                    let lo = lo.max(0.0);
                    let hi = hi.max(lo);
                    Ok((d.clamp(lo, hi), lo, hi))
                }
                Resolved::Infeasible(_) => Err("no allocation keeps every rule".to_string()),
                Resolved::Failed(why) => Err(format!("not measured: {why}")),
            };
            out.push(MarginalValue {
                year: scenario.years[y].clone(),
                line: *line,
                next: gained(plus, 1.0),
                last: gained(minus, -1.0),
                dual: dual(base, *line, y),
                status,
                gap,
            });
        }
    }
    out
}

/// The LP's dual value of one budget, or why there is none.
fn dual(base: &Solution, line: BudgetLine, year: usize) -> Result<BudgetDual, String> {
    if base.size.integer_variables > 0 {
        return Err(
            "does not apply: the programme is a MIP (whole bids or minimum shares), whose duals mean nothing"
                .into(),
        );
    }
    base.budget_duals
        .iter()
        .find(|(r, _)| *r == Rule::Budget { line, year })
        .map(|(_, d)| *d)
        .ok_or_else(|| "not available: the LP was not solved to a proven optimum".into())
}
