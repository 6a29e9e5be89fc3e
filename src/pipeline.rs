//! One scenario through the whole pipeline: load → scenario → model → solve →
//! allocation, timing each stage for the run manifest.

use crate::allocation::{self, Allocation, ProgrammeSize};
use crate::dataset;
use crate::domain::{Dataset, InputFile};
use crate::error::{Error, Result};
use crate::format::thousands;
use crate::model::{self, Rule};
use crate::scenario::Scenario;
use crate::solve::{self, Failure};
use std::path::Path;
use std::time::Instant;

/// Wall time per stage, in milliseconds, in pipeline order.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Timings(pub Vec<(&'static str, f64)>);

impl Timings {
    pub fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.push((stage, start.elapsed().as_secs_f64() * 1000.0));
        out
    }
}

/// A scenario and its dataset, loaded and validated.
pub struct Inputs {
    pub scenario: Scenario,
    pub data: Dataset,
    /// The scenario file and every data file, with SHA-256.
    pub files: Vec<InputFile>,
}

pub fn load(scenario_path: &Path, timings: &mut Timings) -> Result<Inputs> {
    let (scenario, scenario_files) = timings.time("scenario", || -> Result<_> {
        let scenario = Scenario::load(scenario_path)?;
        // The scenario and every file it extends, so the manifest pins all of them.
        let mut files = Vec::new();
        for path in &scenario.files {
            let bytes = std::fs::read(path)
                .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
            files.push(InputFile {
                path: path.display().to_string(),
                sha256: dataset::sha256_hex(&bytes),
            });
        }
        Ok((scenario, files))
    })?;
    let data = timings.time("load", || dataset::load(&scenario.data, &scenario.years))?;
    let mut files = scenario_files;
    files.extend(data.files.iter().cloned());
    Ok(Inputs {
        scenario,
        data,
        files,
    })
}

/// Solves a loaded scenario and returns the checked allocation.
pub fn solve(inputs: &Inputs, timings: &mut Timings) -> Result<Allocation> {
    solve_scenario(&inputs.data, &inputs.scenario, timings)
}

/// Solves one scenario on a dataset already loaded (sweeps reuse one dataset for many budgets).
pub fn solve_scenario(
    data: &Dataset,
    scenario: &Scenario,
    timings: &mut Timings,
) -> Result<Allocation> {
    let programme = timings.time("model", || model::build(data, scenario))?;
    let size = ProgrammeSize {
        variables: programme.columns,
        constraints: programme.rows.len(),
        integer_variables: programme.integer_columns,
    };
    let fraction_col = programme.fraction_col.clone();
    let outcome = timings.time("solve", || solve::solve(programme, &scenario.solver))?;
    let solved = match outcome {
        Ok(s) => s,
        Err(Failure::Infeasible) | Err(Failure::InfeasibleOrUnbounded) => {
            return Err(Error::Infeasible {
                scenario: scenario.name.clone(),
                explanation: explain_infeasible(data, scenario)?,
            })
        }
        Err(Failure::NoSolutionInTime) => {
            return Err(Error::Solver(format!(
                "no allocation was found within the time limit of {} s; raise [solver] time_limit_s or the mip_gap in {}",
                scenario.solver.time_limit_s,
                scenario.path.display()
            )))
        }
        Err(Failure::Unbounded) => return Err(Error::Solver("the programme is unbounded, which a bounded allocation model cannot be: please report this".into())),
        Err(Failure::Other(m)) => return Err(Error::Solver(m)),
    };
    timings.time("allocation", || {
        allocation::assemble(data, scenario, size, &fraction_col, &solved)
    })
}

/// Solves the elastic model (every rule breakable at a price) and names the rules an
/// infeasible scenario cannot keep, with how much each must give.
pub fn explain_infeasible(data: &Dataset, scenario: &Scenario) -> Result<String> {
    // The plainest cause first: floors that add up to more than the whole fund.
    let excl = model::exclusions(data, scenario);
    let floors: f64 = (0..data.footprints.len())
        .filter_map(|f| model::effective_floor(data, scenario, f, &excl))
        .sum();
    if floors > scenario.total_budget() {
        return Ok(format!(
            "  the footprint floors add up to £{}k, more than the whole fund of £{}k — lower [rules.footprint_floor] or raise [budget]",
            thousands(floors),
            thousands(scenario.total_budget())
        ));
    }
    let elastic = model::build_elastic(data, scenario)?;
    let slacks = elastic.slack_cols.clone();
    let solved = match solve::solve(elastic, &scenario.solver)? {
        Ok(s) => s,
        Err(_) => return Ok("  the rules conflict, but the solver could not say which (the relaxed model did not solve either)".into()),
    };
    let mut lines: Vec<(f64, String)> = Vec::new();
    for (col, rule) in slacks {
        let v = solved.columns[col];
        if v <= 1e-6 {
            continue;
        }
        let amount = thousands(v);
        // Must-fund slacks are shares of a project, weighted up so they sort among £k.
        let size = if matches!(rule, Rule::MustFund { .. }) {
            f64::INFINITY
        } else {
            v
        };
        lines.push((size, match rule {
            Rule::Budget { line, year } => format!("  - {line} budget {}: £{amount}k short — raise it in [budget] {}", scenario.years[year], line.name()),
            Rule::FootprintFloor { footprint } => format!(
                "  - floor for footprint {} ({}): cannot be met by £{amount}k — lower [rules.footprint_floor]",
                data.footprints[footprint].id, data.footprints[footprint].name
            ),
            Rule::FootprintCap { footprint } => format!(
                "  - cap for footprint {} ({}): must rise by £{amount}k — raise [rules.footprint_cap]",
                data.footprints[footprint].id, data.footprints[footprint].name
            ),
            Rule::CategoryMin { category } => format!("  - minimum share for category {category}: short by £{amount}k — lower its min_share"),
            Rule::CategoryMax { category } => format!("  - maximum share for category {category}: over by £{amount}k — raise its max_share"),
            Rule::MustFund { project } => format!(
                "  - must-fund project {} (projects.csv line {}) cannot be funded — set must_fund to false or add budget",
                data.projects[project].id, data.projects[project].line
            ),
            Rule::Structural => continue,
        }));
    }
    if lines.is_empty() {
        return Ok("  the rules conflict, but no single rule's relaxation explains it".into());
    }
    // The largest changes first; a long tail is summarised so the message stays readable.
    lines.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.1.cmp(&b.1))
    });
    const SHOWN: usize = 12;
    let mut text: Vec<String> = lines.iter().take(SHOWN).map(|(_, l)| l.clone()).collect();
    if lines.len() > SHOWN {
        let rest: f64 = lines[SHOWN..]
            .iter()
            .map(|(v, _)| *v)
            .filter(|v| v.is_finite())
            .sum();
        text.push(format!(
            "  - … and {} smaller changes (£{}k in all)",
            lines.len() - SHOWN,
            thousands(rest)
        ));
    }
    Ok(format!(
        "  the smallest change to the rules that allows an allocation, largest first:\n{}",
        text.join("\n")
    ))
}
