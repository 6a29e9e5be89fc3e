//! What each command does, over the library's pipeline.

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::pipeline::{self, Timings};
use crate::report::{self, format::money};
use std::path::{Path, PathBuf};

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run {
            scenarios,
            out,
            quiet,
        } => run_scenarios(&scenarios, out.as_deref(), quiet),
        Command::Validate { scenarios } => {
            for path in &scenarios {
                validate(path)?;
            }
            Ok(())
        }
        Command::Generate { .. } => Err(Error::Solver(
            "generate is not available in this build".into(),
        )),
    }
}

/// Where a scenario's report goes: `--out` itself for one scenario, else `<out or reports>/<name>`.
fn report_dir(out: Option<&Path>, several: bool, name: &str) -> PathBuf {
    match (out, several) {
        (Some(dir), false) => dir.to_path_buf(),
        (Some(dir), true) => dir.join(name),
        (None, _) => Path::new("reports").join(name),
    }
}

/// Runs one scenario end to end and writes its report; returns where it went.
pub fn run_one(
    path: &Path,
    out: Option<&Path>,
    several: bool,
) -> Result<(PathBuf, crate::allocation::Allocation)> {
    let mut timings = Timings::default();
    let inputs = pipeline::load(path, &mut timings)?;
    let allocation = pipeline::solve(&inputs, &mut timings)?;
    let dir = report_dir(out, several, &inputs.scenario.name);
    let files = report::render(&allocation, &inputs.files, &mut timings)?;
    report::write_atomically(&dir, &files)?;
    Ok((dir, allocation))
}

fn run_scenarios(paths: &[PathBuf], out: Option<&Path>, quiet: bool) -> Result<()> {
    let several = paths.len() > 1;
    let mut failures = Vec::new();
    for path in paths {
        match run_one(path, out, several) {
            Ok((dir, a)) => {
                if !quiet {
                    println!(
                        "{}: {} — allocated {} of {}, value {:.1} {} (gap {:.4}%) → {}",
                        a.scenario.name,
                        a.solver.status.describe(),
                        money(a.total_funded),
                        money(a.scenario.total_budget()),
                        a.total_value,
                        a.value_unit,
                        a.solver.gap * 100.0,
                        dir.display()
                    );
                }
            }
            Err(e) if several => {
                eprintln!("error: {}: {e}", path.display());
                failures.push(e);
            }
            Err(e) => return Err(e),
        }
    }
    let failed = failures.len();
    match failures.into_iter().max_by_key(Error::exit_code) {
        Some(worst) => Err(Error::Batch {
            failed,
            code: worst.exit_code(),
        }),
        None => Ok(()),
    }
}

fn validate(path: &Path) -> Result<()> {
    let mut timings = Timings::default();
    let inputs = pipeline::load(path, &mut timings)?;
    let programme = crate::model::build(&inputs.data, &inputs.scenario)?;
    let excluded = programme.exclusions.iter().filter(|e| e.is_some()).count();
    println!(
        "{}: valid — {} footprints, {} projects ({} excluded by rule), {} financial years, budget {} on {}; the model has {} variables and {} constraints",
        path.display(),
        inputs.data.footprints.len(),
        inputs.data.projects.len(),
        excluded,
        inputs.scenario.years.len(),
        money(inputs.scenario.total_budget()),
        inputs.scenario.lines().iter().map(|l| l.name()).collect::<Vec<_>>().join(" and "),
        programme.columns,
        programme.rows.len()
    );
    Ok(())
}
