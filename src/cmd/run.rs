//! `techfund run`: solve scenarios and write their reports, one folder each; several
//! scenarios run in parallel and get an index page.

use super::Exit;
use crate::batch::progress::Mode;
use crate::batch::scenarios::{run_all, run_one_exporting, Extras, Headline};
use crate::error::{Error, Result};
use crate::solve::SolveStatus;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Report folder for one scenario; for several, the folder that holds one per scenario.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write the model HiGHS solves, with named rows and columns, to FILE (`.mps` or
    /// `.lp`), so another solver can check it. One scenario only.
    #[arg(long, value_name = "FILE", value_parser = model_file)]
    pub export_model: Option<PathBuf>,
    /// Also value £1m more and £1m less in every financial year and budget line
    /// (two exact re-solves per cell), for summary.md, the page, the workbook and
    /// marginal_values.csv.
    #[arg(long)]
    pub marginal_values: bool,
    /// Also price every rule of the scenario: the optimum re-solved without each rule
    /// (and without each kind of rule at once) less the optimum, for summary.md, the
    /// page, the workbook and rule_prices.csv. One re-solve per line.
    #[arg(long)]
    pub rule_prices: bool,
    /// Also solve the scenario with the footprint floor at STEPS evenly spaced shares of
    /// fair share from 0% to 100% (default 11: 0%, 10%, …, 100%), for
    /// fairness_frontier.csv, charts/fairness_frontier.* and the reports. Give STEPS
    /// with `=`: `--fairness-frontier=21`.
    #[arg(long, value_name = "STEPS", num_args = 0..=1, require_equals = true,
          default_missing_value = "11", value_parser = steps)]
    pub fairness_frontier: Option<usize>,
}

/// Points on the fairness frontier: at least 2 (no floor and the full fair share).
fn steps(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (2..=1001).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{text}` is not a number of points from 2 to 1001; e.g. --fairness-frontier=11 for 0%, 10%, …, 100% of fair share"
        )),
    }
}

/// A model file HiGHS can write: `.mps` or `.lp`.
fn model_file(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match path.extension().and_then(|e| e.to_str()) {
        Some("mps" | "lp") => Ok(path),
        _ => Err(format!(
            "`{text}` is not a model file; name it with .mps or .lp"
        )),
    }
}

pub fn run(args: Args) -> Result<Exit> {
    let Args {
        scenarios,
        out,
        quiet,
        export_model,
        marginal_values,
        rule_prices,
        fairness_frontier,
    } = args;
    let extras = Extras {
        export: None,
        marginal_values,
        rule_prices,
        fairness_frontier,
        progress: Some(Mode::detect(quiet)),
    };
    if let [path] = scenarios.as_slice() {
        let headline = run_one_exporting(
            path,
            |name| {
                out.clone()
                    .unwrap_or_else(|| Path::new("reports").join(name))
            },
            Extras {
                export: export_model.as_deref(),
                ..extras
            },
        )?;
        if !quiet {
            println!("{}", headline.line());
        }
        warn_unproven(std::slice::from_ref(&headline));
        return Ok(Exit::of([headline.status]));
    }
    if export_model.is_some() {
        return Err(Error::usage(
            "--export-model writes one scenario's model, but several scenarios were given",
            "run the scenario whose model you want on its own with --export-model",
        ));
    }
    let root = out.unwrap_or_else(|| PathBuf::from("reports"));
    let results = run_all(&scenarios, &root, Mode::detect(quiet), extras)?;
    let mut failures = Vec::new();
    let mut done = Vec::new();
    for (path, r) in results {
        match r {
            Ok(h) => {
                if !quiet {
                    println!("{}", h.line());
                }
                done.push(h);
            }
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                failures.push(e);
            }
        }
    }
    if !quiet && failures.len() < scenarios.len() {
        println!(
            "index of the reports: {}",
            root.join("index.html").display()
        );
    }
    warn_unproven(&done);
    let failed = failures.len();
    match failures.into_iter().map(|e| e.exit_code()).max() {
        Some(code) => Err(Error::Batch { failed, code }),
        None => Ok(Exit::of(done.iter().map(|h| h.status))),
    }
}

/// A report that stopped at its time limit is written, and said so on stderr too.
fn warn_unproven(done: &[Headline]) {
    for h in done.iter().filter(|h| h.status == SolveStatus::TimeLimit) {
        eprintln!(
            "warning: {}: the solver stopped at its time limit; the allocation keeps every rule but is NOT proven optimal (within {}% of the proven bound); raise [solver] time_limit_s to prove it",
            h.name,
            crate::format::fixed(h.gap * 100.0, 4)
        );
    }
}
