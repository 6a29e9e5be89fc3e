//! `techfund target`: how much must we ask the Treasury for? The least fund that
//! brings footprints to a capabilities score under the scenario's rules.

use super::args::{population_share, score};
use super::Exit;
use crate::allocation::target::{check, explain_unreachable};
use crate::batch::scenarios::input_paths;
use crate::error::{Error, InputError, Result};
use crate::format::money;
use crate::pipeline::{self, target::solve_target, Timings};
use crate::report::output::{self, Command};
use crate::report::target;
use crate::scenario::Target;
use crate::solve::Failure;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub scenario: PathBuf,
    /// Capability score to reach (default: the scenario's [target] capabilities).
    #[arg(long, value_parser = score)]
    pub capabilities: Option<f64>,
    /// Share of the population whose footprint must reach it (default 1: every footprint).
    #[arg(long, value_parser = population_share)]
    pub population_share: Option<f64>,
    /// Report folder (default: reports/<scenario>-target).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<Exit> {
    let inputs = pipeline::load(&args.scenario, &mut Timings::default())?;
    pipeline::check_rules(&inputs)?;
    let (data, scenario) = (&inputs.data, &inputs.scenario);
    // The command line overrides the scenario's [target], key by key.
    let target = match (scenario.target, args.capabilities) {
        (t, Some(capabilities)) => Target {
            capabilities,
            population_share: args
                .population_share
                .or(t.map(|t| t.population_share))
                .unwrap_or(1.0),
        },
        (Some(t), None) => Target {
            population_share: args.population_share.unwrap_or(t.population_share),
            ..t
        },
        (None, None) => {
            return Err(InputError::file(
                &args.scenario,
                "the scenario has no [target]",
                "add [target] with capabilities = 65 (and optionally population_share), or pass --capabilities",
            )
            .into())
        }
    };
    let dir = args
        .out
        .unwrap_or_else(|| Path::new("reports").join(format!("{}-target", scenario.name)));
    output::check(&dir, Command::Target, &input_paths(&inputs))?;
    let result = match solve_target(data, scenario, &target, None)? {
        Ok(r) => r,
        Err(Failure::Infeasible | Failure::InfeasibleOrUnbounded) => {
            return Err(Error::Infeasible {
                scenario: scenario.name.clone(),
                explanation: explain_unreachable(data, scenario, &target),
            })
        }
        Err(other) => return Err(pipeline::failure(other, data, scenario)?),
    };
    let broken = check(data, scenario, &target, &result);
    if !broken.is_empty() {
        return Err(Error::RuleBroken(broken));
    }
    let chart = target::capabilities_chart(data, &target, &result)
        .map_err(|e| Error::Report(format!("drawing the target chart: {e}")))?;
    let files = vec![
        (
            PathBuf::from("target.md"),
            target::summary(data, scenario, &target, &result).into_bytes(),
        ),
        (
            PathBuf::from("target_footprints.csv"),
            target::footprints_csv(data, &target, &result),
        ),
        (
            PathBuf::from("target_projects.csv"),
            target::projects_csv(data, scenario, &result),
        ),
        (
            PathBuf::from("target_capabilities.svg"),
            chart.svg.into_bytes(),
        ),
        (PathBuf::from("target_capabilities.png"), chart.png),
    ];
    output::write_atomically(&dir, Command::Target, &files)?;
    println!(
        "{}: minimum fund {} ({}) → {}",
        scenario.name,
        money(result.total()),
        result.status.describe(),
        dir.display()
    );
    Ok(Exit::of([result.status]))
}
