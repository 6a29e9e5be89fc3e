//! `techfund sweep`: the scenario solved at many budget levels, giving the efficient
//! frontier (value against budget), what the next £1m buys at each level, and the
//! levels at which each project enters or leaves the portfolio.
//!
//! Every point is an ordinary run of the scenario with its budget scaled, solved to the
//! scenario's own gap, so a point equals `techfund run` at that budget.

use super::progress::{Mode, Progress};
use crate::allocation::{usage::FRACTION_EPS, Allocation};
use crate::domain::{BudgetLine, Dataset, FinancialYear, Money};
use crate::error::{Error, InputError, Result};
use crate::format;
use crate::pipeline::{self, Timings};
use crate::report;
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// £1m, in £k: the step for "what another £1m buys".
pub const MARGINAL_STEP: Money = 1000.0;

/// Which budget cells a sweep scales, and over what range.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRequest {
    pub from: f64,
    pub to: f64,
    pub steps: usize,
    pub year: Option<FinancialYear>,
    pub line: Option<BudgetLine>,
}

fn share(text: &str, flag: &str) -> Result<f64> {
    let t = text.trim();
    let v = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
        None => t.parse::<f64>(),
    };
    match v {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(InputError::file(
            Path::new(flag),
            format!("`{text}` is not a budget share"),
            format!("write {flag} as a percentage such as 80% or a fraction such as 0.8"),
        )
        .into()),
    }
}

impl SweepRequest {
    pub fn parse(
        from: &str,
        to: &str,
        steps: usize,
        year: Option<&str>,
        line: Option<&str>,
    ) -> Result<SweepRequest> {
        let (from, to) = (share(from, "--from")?, share(to, "--to")?);
        if to < from {
            return Err(InputError::file(
                Path::new("--to"),
                format!("--to {to} is below --from {from}"),
                "give the lower level in --from",
            )
            .into());
        }
        if !(2..=1000).contains(&steps) {
            return Err(InputError::file(
                Path::new("--steps"),
                format!("{steps} steps"),
                "use between 2 and 1,000 budget levels",
            )
            .into());
        }
        let year = year
            .map(|y| {
                FinancialYear::parse(y).map_err(|p| {
                    Error::from(InputError::file(
                        Path::new("--year"),
                        p,
                        "e.g. --year 2017/18",
                    ))
                })
            })
            .transpose()?;
        let line = match line {
            None => None,
            Some("capital") => Some(BudgetLine::Capital),
            Some("revenue") => Some(BudgetLine::Revenue),
            Some(other) => {
                return Err(InputError::file(
                    Path::new("--line"),
                    format!("`{other}` is not a budget line"),
                    "use --line capital or --line revenue",
                )
                .into())
            }
        };
        Ok(SweepRequest {
            from,
            to,
            steps,
            year,
            line,
        })
    }

    pub fn levels(&self) -> Vec<f64> {
        (0..self.steps)
            .map(|i| self.from + (self.to - self.from) * i as f64 / (self.steps - 1) as f64)
            .collect()
    }

    /// Which (line, year) cells of the scenario's budget the sweep moves.
    fn selected(&self, scenario: &Scenario) -> Vec<(usize, usize)> {
        let mut cells = Vec::new();
        for (l, (line, amounts)) in scenario.budget.iter().enumerate() {
            for (y, _) in amounts.iter().enumerate() {
                let year_ok = self
                    .year
                    .as_ref()
                    .is_none_or(|want| *want == scenario.years[y]);
                if year_ok && self.line.is_none_or(|want| want == *line) {
                    cells.push((l, y));
                }
            }
        }
        cells
    }

    pub fn describe(&self) -> String {
        let line = self
            .line
            .map_or("every budget line".to_string(), |l| format!("the {l} line"));
        let year = self
            .year
            .as_ref()
            .map_or("every year".to_string(), |y| format!("{y} only"));
        format!("{line}, {year}")
    }
}

/// The scenario with its selected budget cells scaled by `level`, plus `extra` £k shared
/// over those cells in proportion to their base amounts.
pub fn scaled(scenario: &Scenario, request: &SweepRequest, level: f64, extra: Money) -> Scenario {
    let cells = request.selected(scenario);
    let base: Money = cells.iter().map(|&(l, y)| scenario.budget[l].1[y]).sum();
    let mut s = scenario.clone();
    for &(l, y) in &cells {
        let amount = scenario.budget[l].1[y];
        let weight = if base > 0.0 {
            amount / base
        } else {
            1.0 / cells.len() as f64
        };
        s.budget[l].1[y] = amount * level + extra * weight;
    }
    s
}

/// One budget level's answer.
#[derive(Clone, Debug)]
pub struct Point {
    pub level: f64,
    pub budget: Money,
    /// The allocation, or why there is none (e.g. infeasible at this level).
    pub outcome: std::result::Result<Allocation, String>,
    /// The same level with £1m more: its value and proven bound.
    pub next: Option<(f64, f64)>,
}

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
    let progress = Progress::new(mode, tasks.len(), "budget levels");
    let mut solved: Vec<(usize, bool, std::result::Result<Allocation, String>)> = tasks
        .par_iter()
        // One task at a time, so a core that finishes early takes the next point
        // instead of waiting on a fixed half of the work.
        .with_max_len(1)
        .map(|&(i, plus)| {
            let label = format!(
                "{:.1}%{}",
                levels[i] * 100.0,
                if plus { " + £1m" } else { "" }
            );
            progress.started(&label);
            let s = scaled(
                scenario,
                request,
                levels[i],
                if plus { MARGINAL_STEP } else { 0.0 },
            );
            let r = pipeline::solve_scenario(data, &s, &mut Timings::default())
                .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string());
            progress.finished(&label, if r.is_ok() { "solved" } else { "no allocation" });
            (i, plus, r)
        })
        .collect();
    progress.done();
    solved.sort_by_key(|(i, plus, _)| (*i, *plus));
    let mut points = Vec::with_capacity(levels.len());
    let mut it = solved.into_iter();
    while let (Some((i, _, outcome)), Some((_, _, next))) = (it.next(), it.next()) {
        let budget = scaled(scenario, request, levels[i], 0.0).total_budget();
        points.push(Point {
            level: levels[i],
            budget,
            outcome,
            next: next.ok().map(|a| (a.total_value, a.solver.bound)),
        });
    }
    points
}

/// Loads the scenario, solves the sweep and writes its report folder atomically.
pub fn run(path: &Path, request: &SweepRequest, out: Option<&Path>, mode: Mode) -> Result<PathBuf> {
    let mut timings = Timings::default();
    let inputs = pipeline::load(path, &mut timings)?;
    if let Some(y) = &request.year {
        if !inputs.scenario.years.contains(y) {
            return Err(InputError::file(
                Path::new("--year"),
                format!("{y} is not one of the scenario's years"),
                format!(
                    "use one of {}",
                    inputs
                        .scenario
                        .years
                        .iter()
                        .map(|y| y.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .into());
        }
    }
    if let Some(l) = request.line {
        if inputs.scenario.budget_for(l).is_none() {
            return Err(InputError::file(
                Path::new("--line"),
                format!("the scenario has no {l} budget"),
                "sweep a line the scenario funds",
            )
            .into());
        }
    }
    let points = solve_points(&inputs.data, &inputs.scenario, request, mode);
    if points.iter().all(|p| p.outcome.is_err()) {
        let why = points
            .first()
            .and_then(|p| p.outcome.as_ref().err())
            .cloned()
            .unwrap_or_default();
        return Err(Error::Solver(format!(
            "no budget level has a feasible allocation: {why}"
        )));
    }
    let dir = out.map_or_else(
        || Path::new("reports").join(format!("{}-sweep", inputs.scenario.name)),
        Path::to_path_buf,
    );
    let files = vec![
        (PathBuf::from("frontier.csv"), frontier_csv(&points)),
        (PathBuf::from("portfolio_changes.csv"), changes_csv(&points)),
        (
            PathBuf::from("summary.md"),
            summary(&inputs.scenario, request, &points).into_bytes(),
        ),
        (
            PathBuf::from("frontier.svg"),
            frontier_svg(&inputs.scenario, &points).into_bytes(),
        ),
    ];
    report::write_atomically(&dir, &files)?;
    Ok(dir)
}

/// What £1m more buys at a point: the difference of the two solves, and the range
/// the proven bounds allow when solves stop at a gap (a single value when exact).
pub fn marginal(point: &Point) -> Option<(f64, f64, f64)> {
    let a = point.outcome.as_ref().ok()?;
    let (next_value, next_bound) = point.next?;
    let low = next_value - a.solver.bound.max(a.total_value);
    let high = next_bound.max(next_value) - a.total_value;
    Some((
        next_value - a.total_value,
        low.min(next_value - a.total_value),
        high,
    ))
}

fn funded_ids(a: &Allocation) -> Vec<&str> {
    let mut ids: Vec<&str> = a
        .projects
        .iter()
        .filter(|p| p.fraction > FRACTION_EPS)
        .map(|p| p.project_id.as_str())
        .collect();
    ids.sort_unstable();
    ids
}

/// Projects that enter and leave between each feasible point and the one before it.
fn movements(points: &[Point]) -> Vec<(usize, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let mut previous: Option<Vec<&str>> = None;
    for (i, p) in points.iter().enumerate() {
        let Ok(a) = &p.outcome else { continue };
        let now = funded_ids(a);
        let (entered, left) = match &previous {
            None => (Vec::new(), Vec::new()),
            Some(before) => (
                now.iter()
                    .filter(|id| before.binary_search(id).is_err())
                    .map(|s| s.to_string())
                    .collect(),
                before
                    .iter()
                    .filter(|id| now.binary_search(id).is_err())
                    .map(|s| s.to_string())
                    .collect(),
            ),
        };
        out.push((i, entered, left));
        previous = Some(now);
    }
    out
}

fn frontier_csv(points: &[Point]) -> Vec<u8> {
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
    let moves = movements(points);
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
                    .map(|(_, e, l)| (e.join(";"), l.join(";")))
                    .unwrap_or_default();
                vec![
                    level,
                    fund,
                    format!("{:?}", a.solver.status).to_lowercase(),
                    format::fixed(a.total_value, 1),
                    format::fixed(a.solver.bound, 1),
                    format::fixed(a.solver.gap, 6),
                    format::fixed(a.total_funded, 1),
                    funded_ids(a).len().to_string(),
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
fn changes_csv(points: &[Point]) -> Vec<u8> {
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
    for (i, entered, left) in movements(points) {
        let p = &points[i];
        let Ok(a) = &p.outcome else { continue };
        for (ids, change) in [(entered, "enters"), (left, "leaves")] {
            for id in ids {
                if let Some(pa) = a.projects.iter().find(|x| x.project_id == id) {
                    w.write_record([
                        format::fixed(p.level * 100.0, 2),
                        format::fixed(p.budget, 1),
                        format::spreadsheet_safe(&pa.project_id),
                        format::spreadsheet_safe(&pa.title),
                        format::spreadsheet_safe(&pa.footprint_id),
                        change.to_string(),
                    ])
                    .expect("in memory");
                }
            }
        }
    }
    crate::csvio::finish(w)
}

fn summary(scenario: &Scenario, request: &SweepRequest, points: &[Point]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Budget sweep: scenario `{}`\n", scenario.name);
    let _ = writeln!(
        s,
        "The scenario solved at {} budget levels from {:.0}% to {:.0}% of its budget, scaling {}. Money in £k; value in {}.\n",
        points.len(),
        request.from * 100.0,
        request.to * 100.0,
        request.describe(),
        crate::model::value_unit(scenario)
    );
    let gap = scenario.solver.mip_gap;
    if gap == 0.0 {
        let _ = writeln!(s, "Every point is solved to a proven optimum (gap 0), so the frontier and the marginal values are exact.\n");
    } else {
        let _ = writeln!(
            s,
            "Every point is solved to the scenario's relative gap of {}%: each value is within that of the best possible at its budget. The marginal value of the next £1m is the difference of two such solves; `marginal_low` and `marginal_high` in frontier.csv give the range the proven bounds allow. Set `mip_gap = 0` for an exact frontier.\n",
            format::fixed(gap * 100.0, 4)
        );
    }
    let _ = writeln!(s, "| Level | Fund | Value | Gap | Projects | Next £1m buys |\n|---:|---:|---:|---:|---:|---:|");
    for p in points {
        match &p.outcome {
            Ok(a) => {
                let m = marginal(p).map_or("—".to_string(), |(m, _, _)| format::thousands(m));
                let _ = writeln!(
                    s,
                    "| {:.1}% | {} | {} | {}% | {} | {m} |",
                    p.level * 100.0,
                    format::money(p.budget),
                    format::thousands(a.total_value),
                    format::fixed(a.solver.gap * 100.0, 4),
                    funded_ids(a).len()
                );
            }
            Err(why) => {
                let _ = writeln!(
                    s,
                    "| {:.1}% | {} | no allocation | | | {} |",
                    p.level * 100.0,
                    format::money(p.budget),
                    why.replace('|', "\\|")
                );
            }
        }
    }
    let _ = writeln!(s, "\nThe budget levels at which each project enters or leaves the portfolio are in `portfolio_changes.csv`.");
    s
}

fn frontier_svg(scenario: &Scenario, points: &[Point]) -> String {
    use plotters::prelude::*;
    let feasible: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| {
            p.outcome
                .as_ref()
                .ok()
                .map(|a| (p.budget / 1000.0, a.total_value))
        })
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let x_min = feasible.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let x_max = feasible
            .iter()
            .map(|p| p.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let y_max = feasible.iter().map(|p| p.1).fold(0.0, f64::max) * 1.05;
        let chart = ChartBuilder::on(&root)
            .caption(
                format!("Efficient frontier: scenario {}", scenario.name),
                ("sans-serif", 22),
            )
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(90)
            .build_cartesian_2d(x_min..x_max.max(x_min + 1.0), 0.0..y_max.max(1.0));
        if let Ok(mut chart) = chart {
            let _ = chart
                .configure_mesh()
                .x_desc("Fund (£m)")
                .y_desc(format!("Value ({})", crate::model::value_unit(scenario)))
                .y_label_formatter(&|v| format::thousands(*v))
                .draw();
            let blue = RGBColor(0, 114, 178);
            let _ = chart.draw_series(LineSeries::new(
                feasible.iter().copied(),
                blue.stroke_width(2),
            ));
            let _ = chart.draw_series(
                feasible
                    .iter()
                    .map(|&(x, y)| Circle::new((x, y), 3, blue.filled())),
            );
            let base = scenario.total_budget() / 1000.0;
            if base >= x_min && base <= x_max {
                let orange = RGBColor(230, 159, 0);
                let _ = chart.draw_series(LineSeries::new(
                    [(base, 0.0), (base, y_max)],
                    orange.stroke_width(2),
                ));
            }
        }
        let _ = root.present();
    }
    svg
}

#[cfg(test)]
mod tests;
