//! `techfund sweep`: the scenario at many budget levels, in parallel.

use super::args::budget_share;
use super::Exit;
use crate::batch::progress::Mode;
use crate::batch::scenarios::input_paths;
use crate::domain::{BudgetLine, FinancialYear};
use crate::error::{Error, Result};
use crate::pipeline::{self, Timings};
use crate::report::output::{self, Command};
use crate::report::sweep;
use crate::scenario::sweep::SweepRequest;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    pub scenario: PathBuf,
    /// Lowest budget, as a share of the scenario's (e.g. 50% or 0.5).
    #[arg(long, default_value = "50%", value_parser = budget_share)]
    pub from: f64,
    /// Highest budget, as a share of the scenario's.
    #[arg(long, default_value = "150%", value_parser = budget_share)]
    pub to: f64,
    /// Number of budget levels, 2 to 1,000.
    #[arg(long, default_value_t = 41, value_parser = clap::value_parser!(u16).range(2..=1000))]
    pub steps: u16,
    /// Scale only this financial year (e.g. 2017/18).
    #[arg(long)]
    pub year: Option<FinancialYear>,
    /// Scale only this budget line (capital or revenue).
    #[arg(long)]
    pub line: Option<BudgetLine>,
    /// Report folder (default: reports/<scenario>-sweep).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<Exit> {
    let request = SweepRequest::new(
        args.from,
        args.to,
        args.steps as usize,
        args.year,
        args.line,
    )?;
    let inputs = pipeline::load(&args.scenario, &mut Timings::default())?;
    let (data, scenario) = (&inputs.data, &inputs.scenario);
    request.check_against(scenario)?;
    pipeline::check_rules(&inputs)?;
    let dir = args
        .out
        .unwrap_or_else(|| Path::new("reports").join(format!("{}-sweep", scenario.name)));
    output::check(&dir, Command::Sweep, &input_paths(&inputs))?;
    let points =
        crate::batch::sweep::solve_points(data, scenario, &request, Mode::detect(args.quiet));
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
    let chart = sweep::frontier_chart(scenario, &points)
        .map_err(|e| Error::Report(format!("drawing the frontier: {e}")))?;
    let files = vec![
        (
            PathBuf::from("frontier.csv"),
            sweep::frontier_csv(data, &points),
        ),
        (
            PathBuf::from("portfolio_changes.csv"),
            sweep::changes_csv(data, &points),
        ),
        (
            PathBuf::from("summary.md"),
            sweep::summary(scenario, &request, &points).into_bytes(),
        ),
        (PathBuf::from("frontier.svg"), chart.svg.into_bytes()),
        (PathBuf::from("frontier.png"), chart.png),
    ];
    output::write_atomically(&dir, Command::Sweep, &files)?;
    if !args.quiet {
        println!("wrote {}", dir.join("frontier.csv").display());
    }
    let exit = Exit::of(
        points
            .iter()
            .filter_map(|p| p.outcome.as_ref().ok().map(|a| a.status)),
    );
    if exit == Exit::NotProven {
        eprintln!("warning: some budget levels stopped at the time limit and are NOT proven optimal (status time_limit in frontier.csv)");
    }
    Ok(exit)
}
