//! `techfund validate`: check scenarios and their data without solving.

use crate::error::Result;
use crate::format::money;
use crate::model;
use crate::pipeline::{self, Timings};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    for path in &args.scenarios {
        validate(path)?;
    }
    Ok(())
}

fn validate(path: &Path) -> Result<()> {
    let inputs = pipeline::load(path, &mut Timings::default())?;
    pipeline::check(&inputs)?;
    let programme = model::build(&inputs.data, &inputs.scenario)?;
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
