//! One scenario through the whole pipeline: load → scenario → model → solve →
//! allocation, timing each stage for the run manifest.

mod infeasible;
pub mod target;

pub use infeasible::explain_infeasible;

use crate::allocation::{self, Allocation, ProgrammeSize, Solution};
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

/// Solves a loaded scenario and returns the checked allocation, with everything a
/// report needs.
pub fn solve(inputs: &Inputs, timings: &mut Timings) -> Result<Allocation> {
    let (data, scenario) = (&inputs.data, &inputs.scenario);
    let solution = solve_scenario(data, scenario, timings)?;
    Ok(timings.time("allocation", || {
        allocation::assemble(data, scenario, &solution)
    }))
}

/// Solves one scenario on a dataset already loaded and checks the answer; sweeps reuse
/// one dataset for many budgets and need no more than this.
pub fn solve_scenario(
    data: &Dataset,
    scenario: &Scenario,
    timings: &mut Timings,
) -> Result<Solution> {
    let programme = timings.time("model", || model::build(data, scenario))?;
    let size = ProgrammeSize {
        variables: programme.columns,
        constraints: programme.rows.len(),
        integer_variables: programme.integer_columns,
    };
    let fraction_col = programme.fraction_col.clone();
    let solved = match timings.time("solve", || solve::solve(programme, &scenario.solver))? {
        Ok(s) => s,
        Err(f) => return Err(failure(f, data, scenario)?),
    };
    timings.time("check", || {
        allocation::solution(data, scenario, size, &fraction_col, &solved)
    })
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
