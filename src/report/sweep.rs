//! The sweep's files: frontier.csv, portfolio_changes.csv, summary.md and frontier.svg.

use crate::allocation::frontier::{marginal, movements, Point};
use crate::domain::Dataset;
use crate::format;
use crate::report::charts::{self, Chart, FrontierChart, FrontierPoint};
use crate::report::words::proven_figure;
use crate::scenario::sweep::SweepRequest;
use crate::scenario::Scenario;
use std::fmt::Write;

/// frontier.csv: one row per budget level.
pub fn frontier_csv(data: &Dataset, points: &[Point]) -> Vec<u8> {
    let mut w = crate::csvio::writer();
    w.write_record([
        "level",
        "fund",
        "status",
        "value",
        "bound",
        "gap",
        "funded",
        "projects_funded",
        "marginal_value_per_1m",
        "marginal_low",
        "marginal_high",
        "entered",
        "left",
    ])
    .expect("in memory");
    let moves = movements(data, points);
    let ids = |list: &[usize]| {
        list.iter()
            .map(|&p| data.projects[p].id.as_str())
            .collect::<Vec<_>>()
            .join(";")
    };
    for (i, p) in points.iter().enumerate() {
        let level = format::fixed(p.level * 100.0, 2);
        let fund = format::fixed(p.budget, 1);
        let row: Vec<String> = match &p.outcome {
            Ok(a) => {
                let (m, lo, hi) = marginal(p).map_or(
                    (String::new(), String::new(), String::new()),
                    |(m, lo, hi)| {
                        (
                            format::fixed(m, 1),
                            format::fixed(lo, 1),
                            format::fixed(hi, 1),
                        )
                    },
                );
                let (entered, left) = moves
                    .iter()
                    .find(|(j, _, _)| *j == i)
                    .map(|(_, e, l)| (ids(e), ids(l)))
                    .unwrap_or_default();
                vec![
                    level,
                    fund,
                    a.status.as_str().to_string(),
                    format::fixed(a.value, 1),
                    format::fixed(a.bound, 1),
                    format::fixed(a.gap, 6),
                    format::fixed(a.funded, 1),
                    a.funded_projects.len().to_string(),
                    m,
                    lo,
                    hi,
                    entered,
                    left,
                ]
            }
            Err(why) => vec![
                level,
                fund,
                "no allocation".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format::spreadsheet_safe(why),
            ],
        };
        w.write_record(&row).expect("in memory");
    }
    crate::csvio::finish(w)
}

/// One row per project that changes state between levels: the level where it enters or leaves.
pub fn changes_csv(data: &Dataset, points: &[Point]) -> Vec<u8> {
    let mut w = crate::csvio::writer();
    w.write_record([
        "level",
        "fund",
        "project_id",
        "title",
        "footprint_id",
        "change",
    ])
    .expect("in memory");
    for (i, entered, left) in movements(data, points) {
        let p = &points[i];
        for (projects, change) in [(entered, "enters"), (left, "leaves")] {
            for q in projects {
                let project = &data.projects[q];
                w.write_record([
                    format::fixed(p.level * 100.0, 2),
                    format::fixed(p.budget, 1),
                    format::spreadsheet_safe(&project.id),
                    format::spreadsheet_safe(&project.title),
                    format::spreadsheet_safe(&data.footprints[project.footprint].id),
                    change.to_string(),
                ])
                .expect("in memory");
            }
        }
    }
    crate::csvio::finish(w)
}

/// summary.md: the frontier as a table, with what the gap means for the figures.
pub fn summary(scenario: &Scenario, request: &SweepRequest, points: &[Point]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Budget sweep: scenario `{}`\n", scenario.name);
    let _ = writeln!(
        s,
        "The scenario solved at {} budget levels from {:.0}% to {:.0}% of its budget, scaling {}. Money in £k; value in {}.\n",
        points.len(),
        request.from * 100.0,
        request.to * 100.0,
        request.describe(),
        scenario.objective.value_unit()
    );
    let gap = scenario.solver.mip_gap;
    if gap == 0.0 {
        let _ = writeln!(s, "Every point is solved to a proven optimum (gap 0), so the frontier and the marginal values are exact.\n");
    } else {
        let _ = writeln!(
            s,
            "Every point is solved to the scenario's relative gap of {}%: each value is within that of the best possible at its budget. The next £1m's value is the difference of two such solves, so the table gives the range the proven bounds allow; where that range is wider than the figure itself, the gap is too loose to measure it and no figure is given. Set `mip_gap = 0` for an exact frontier.\n",
            format::fixed(gap * 100.0, 4)
        );
    }
    let _ = writeln!(s, "| Level | Fund | Value | Gap | Projects | Next £1m buys |\n|---:|---:|---:|---:|---:|---:|");
    for p in points {
        match &p.outcome {
            Ok(a) => {
                let m =
                    marginal(p).map_or("—".to_string(), |(m, lo, hi)| proven_figure(m, lo, hi));
                let _ = writeln!(
                    s,
                    "| {:.1}% | {} | {} | {}% | {} | {m} |",
                    p.level * 100.0,
                    format::money(p.budget),
                    format::thousands(a.value),
                    format::fixed(a.gap * 100.0, 4),
                    a.funded_projects.len()
                );
            }
            Err(why) => {
                let _ = writeln!(
                    s,
                    "| {:.1}% | {} | no allocation | | | {} |",
                    p.level * 100.0,
                    format::money(p.budget),
                    format::markdown_cell(why)
                );
            }
        }
    }
    let _ = writeln!(s, "\nThe budget levels at which each project enters or leaves the portfolio are in `portfolio_changes.csv`.");
    s
}

/// charts/frontier: value against fund, with the proven range where a point stopped
/// at its gap.
pub fn frontier_chart(scenario: &Scenario, points: &[Point]) -> Result<Chart, String> {
    let points = points
        .iter()
        .filter_map(|p| {
            let a = p.outcome.as_ref().ok()?;
            Some(FrontierPoint {
                fund_k: p.budget,
                value: a.value,
                proven: (a.gap > 0.0).then_some((a.value, a.bound.max(a.value))),
            })
        })
        .collect();
    charts::frontier(&FrontierChart {
        scenario: scenario.name.clone(),
        value_unit: scenario.objective.value_unit().to_string(),
        points,
        fund_k: scenario.total_budget(),
    })
}

#[cfg(test)]
mod tests {
    use crate::report::words::proven_figure;

    #[test]
    fn the_next_million_is_shown_only_as_far_as_the_bounds_allow() {
        assert_eq!(proven_figure(1000.0, 1000.0, 1000.0), "1,000");
        assert_eq!(proven_figure(1000.0, 900.0, 1200.0), "1,000 (900 to 1,200)");
        assert_eq!(
            proven_figure(523_657.0, -111_440.0, 1_086_809.0),
            "not measurable at this gap: between -111,440 and 1,086,809"
        );
    }
}
