//! One scenario through the whole pipeline: load → scenario → model → solve →
//! allocation, timing each stage for the run manifest.

mod checks;
pub mod conflict;
mod conflict_mechanics;
mod conflict_words;
mod infeasible;
pub mod target;

pub use conflict_words::HEADING as CONFLICT_HEADING;
pub use infeasible::{explain_infeasible, explain_within};

use crate::allocation::{self, Allocation, Counterfactuals, ProgrammeSize, Solution};
use crate::dataset;
use crate::domain::{Dataset, InputFile};
use crate::error::{Error, Result};
use crate::model;
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
    let data = timings.time("load", || dataset::load_for(&scenario))?;
    let mut files = scenario_files;
    files.extend(data.files.iter().cloned());
    Ok(Inputs {
        scenario,
        data,
        files,
    })
}

/// Checks the scenario against its dataset without solving: what every command
/// refuses before it solves, and what `validate` reports.
pub fn check(inputs: &Inputs) -> Result<()> {
    checks::check(&inputs.data, &inputs.scenario)
}

/// The checks that hold at any budget, for commands that move the budget (sweeps) or
/// choose it (target).
pub fn check_rules(inputs: &Inputs) -> Result<()> {
    checks::rules(&inputs.data, &inputs.scenario)
}

/// Solves a loaded scenario and returns the checked allocation, with everything a
/// report needs.
pub fn solve(inputs: &Inputs, timings: &mut Timings) -> Result<Allocation> {
    solve_and_export(inputs, timings, None)
}

/// As `solve`, writing the model HiGHS solves to `export` (`.mps` or `.lp`).
pub fn solve_and_export(
    inputs: &Inputs,
    timings: &mut Timings,
    export: Option<&Path>,
) -> Result<Allocation> {
    solve_keeping(inputs, timings, export).map(|(a, _)| a)
}

/// As `solve_and_export`, keeping the solver's answer too, to start re-solves of
/// neighbouring scenarios (the marginal values) from it.
pub fn solve_keeping(
    inputs: &Inputs,
    timings: &mut Timings,
    export: Option<&Path>,
) -> Result<(Allocation, Solution)> {
    check(inputs)?;
    let (data, scenario) = (&inputs.data, &inputs.scenario);
    // Floors bind where they force money to a footprint: what each footprint would get
    // without them says which. That solve runs beside the scenario's own.
    let without_floors = scenario.rules.has_floors().then(|| {
        let mut s = scenario.clone();
        s.rules = s.rules.without_floors();
        s
    });
    let (solution, without) = rayon::join(
        || solve_with(data, scenario, timings, export, None),
        || {
            without_floors.as_ref().and_then(|s| {
                solve_scenario(data, s, &mut Timings::default())
                    .ok()
                    .map(|w| (s, w))
            })
        },
    );
    let solution = solution?;
    let counterfactuals = Counterfactuals {
        footprint_spend_without_floors: without
            .as_ref()
            .map(|(s, w)| allocation::footprint_spend(data, s, &w.fractions)),
        region_spend_without_floors: without
            .as_ref()
            .map(|(s, w)| allocation::region_spend(data, s, &w.fractions)),
    };
    let a = timings.time("allocation", || {
        allocation::assemble(data, scenario, &solution, &counterfactuals)
    });
    Ok((a, solution))
}

/// Solves one scenario on a dataset already loaded and checks the answer; sweeps reuse
/// one dataset for many budgets and need no more than this.
pub fn solve_scenario(
    data: &Dataset,
    scenario: &Scenario,
    timings: &mut Timings,
) -> Result<Solution> {
    solve_with(data, scenario, timings, None, None)
}

/// As `solve_scenario`, starting from a neighbouring answer (the same scenario with
/// other budgets) where it keeps every rule.
pub fn solve_from(
    data: &Dataset,
    scenario: &Scenario,
    timings: &mut Timings,
    start: &Solution,
) -> Result<Solution> {
    solve_with(data, scenario, timings, None, Some(&start.columns))
}

/// As `solve_scenario`, writing the model HiGHS solves to `export` (`.mps` or `.lp`)
/// and starting from `start` (a neighbouring answer's columns) when given.
pub fn solve_with(
    data: &Dataset,
    scenario: &Scenario,
    timings: &mut Timings,
    export: Option<&Path>,
    start: Option<&[f64]>,
) -> Result<Solution> {
    match solve_or_failure(data, scenario, timings, export, start)? {
        Ok(s) => Ok(s),
        Err(f) => Err(failure(f, data, scenario)?),
    }
}

/// As `solve_with`, but a solve that finds no allocation comes back as the solver's
/// `Failure`, not explained: a re-solve looking for a near-optimal alternative asks
/// whether one exists at all, and "none" is an answer there, not an error.
pub fn solve_or_failure(
    data: &Dataset,
    scenario: &Scenario,
    timings: &mut Timings,
    export: Option<&Path>,
    start: Option<&[f64]>,
) -> Result<std::result::Result<Solution, Failure>> {
    let programme = timings.time("model", || model::build(data, scenario))?;
    solve_programme(data, scenario, programme, timings, start, |p, extras| {
        let extras = solve::Extras { export, ..*extras };
        solve::solve(p, &scenario.solver, &extras)
    })
}

/// As `solve_with` for a programme built in the kept model's unit and structure
/// (`model::build_in_unit`), solved on that model by changing its bounds.
pub fn solve_kept(
    data: &Dataset,
    scenario: &Scenario,
    programme: model::Programme,
    kept: &mut solve::Kept,
    start: Option<&[f64]>,
) -> Result<Solution> {
    let mut timings = Timings::default();
    let solved = solve_programme(
        data,
        scenario,
        programme,
        &mut timings,
        start,
        |p, extras| kept.solve(&p, &scenario.solver, extras),
    )?;
    match solved {
        Ok(s) => Ok(s),
        Err(f) => Err(failure(f, data, scenario)?),
    }
}

/// Solves a built programme with `how`, trusting the heuristic's allocations only once
/// they keep every rule, and checks the answer.
fn solve_programme(
    data: &Dataset,
    scenario: &Scenario,
    programme: model::Programme,
    timings: &mut Timings,
    start: Option<&[f64]>,
    how: impl FnOnce(model::Programme, &solve::Extras) -> Result<Result<solve::Solved, Failure>>,
) -> Result<std::result::Result<Solution, Failure>> {
    let size = ProgrammeSize {
        variables: programme.columns,
        constraints: programme.rows.len(),
        integer_variables: programme.integer_cols.len(),
    };
    let fraction_col = programme.fraction_col.clone();
    let money = programme.money;
    let flex_cols = programme.flex_cols.clone();
    // The heuristic's allocation is trusted only once it keeps every rule.
    let accept = |columns: &[f64]| {
        let fractions = allocation::fractions_from(data, scenario, columns, &fraction_col);
        let (starts, moves) =
            allocation::flex_from(data, scenario, columns, &fractions, &flex_cols, money);
        allocation::check_flexed(data, scenario, &fractions, &starts, &moves).is_empty()
    };
    let extras = solve::Extras {
        export: None,
        accept: Some(&accept),
        start,
        effort: solve::Effort::default(),
    };
    let solved = match timings.time("solve", || how(programme, &extras))? {
        Ok(s) => s,
        Err(f) => return Ok(Err(f)),
    };
    timings
        .time("check", || {
            allocation::solution(
                data,
                scenario,
                size,
                &fraction_col,
                &flex_cols,
                &solved,
                money,
            )
        })
        .map(Ok)
}

/// Why a solve gave no answer, as an error the user can act on. Infeasible scenarios
/// are explained by the elastic model.
pub fn failure(f: Failure, data: &Dataset, scenario: &Scenario) -> Result<Error> {
    Ok(match f {
        Failure::Infeasible | Failure::InfeasibleOrUnbounded => Error::Infeasible {
            scenario: scenario.name.clone(),
            explanation: explain_infeasible(data, scenario)?,
        },
        Failure::NoSolutionInTime => Error::Solver(format!(
            "no allocation was found within the time limit of {} s; raise [solver] time_limit_s or the mip_gap in {}",
            scenario.solver.time_limit_s,
            scenario.path.display()
        )),
        Failure::Unbounded => Error::Solver(
            "the programme is unbounded, which a bounded allocation model cannot be: please report this".into(),
        ),
        Failure::Other(m) => Error::Solver(m),
    })
}
