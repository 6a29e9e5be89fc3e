//! `techfund explain`: what each project is worth to the portfolio. Every chosen bid
//! is locked out (funded) or in (not funded) and the scenario re-solved, in parallel.

use super::args::relative_gap;
use super::Exit;
use crate::allocation::explain::{Selection, Worth};
use crate::allocation::{self, Counterfactuals};
use crate::batch::progress::Mode;
use crate::batch::scenarios::input_paths;
use crate::error::{Error, Result};
use crate::pipeline::{self, Timings};
use crate::report::explain;
use crate::report::output::{self, Command};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub scenario: PathBuf,
    /// Project ids to explain (default: every funded bid and the unfunded bids nearest
    /// the margin).
    pub projects: Vec<String>,
    /// Explain every bid a rule does not exclude, however many re-solves that takes.
    #[arg(long, conflicts_with = "projects")]
    pub all: bool,
    /// Solve the base and every re-solve to this relative gap instead of the
    /// scenario's (e.g. 1e-5), so smaller differences can be measured.
    #[arg(long, value_parser = relative_gap)]
    pub mip_gap: Option<f64>,
    /// Report folder (default: reports/<scenario>-explain).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long, short)]
    pub quiet: bool,
}

/// Unfunded bids explained by default, besides every funded one: those with the
/// highest value per £, the nearest to being funded. Each costs a re-solve that starts
/// from an allocation that breaks a budget, so the full MIP's steps run: on the default
/// data these are the slow ones (see README, "explain").
const MARGIN: usize = 50;

pub fn run(args: Args) -> Result<Exit> {
    let inputs = pipeline::load(&args.scenario, &mut Timings::default())?;
    pipeline::check(&inputs)?;
    let mut scenario = inputs.scenario.clone();
    if let Some(gap) = args.mip_gap {
        scenario.solver.mip_gap = gap;
    }
    let data = &inputs.data;
    let mut named = Vec::new();
    for id in &args.projects {
        let Some(p) = data.projects.iter().position(|p| &p.id == id) else {
            return Err(Error::usage(
                format!(
                    "project `{}` is not in {}",
                    crate::format::clip(id, 60),
                    data.projects_source.name()
                ),
                "name projects by their project_id, e.g. P0142",
            ));
        };
        if !named.contains(&p) {
            named.push(p);
        }
    }
    let dir = args
        .out
        .unwrap_or_else(|| Path::new("reports").join(format!("{}-explain", scenario.name)));
    output::check(&dir, Command::Explain, &input_paths(&inputs))?;

    let started = Instant::now();
    let base = pipeline::solve_scenario(data, &scenario, &mut Timings::default())?;
    let a = allocation::assemble(data, &scenario, &base, &Counterfactuals::default());
    let (chosen, selection) = if !named.is_empty() {
        (named, Selection::Named)
    } else {
        choose(&a, args.all)
    };
    let e = crate::batch::explain::explain(
        data,
        &scenario,
        &base,
        &a,
        &chosen,
        selection,
        Mode::detect(args.quiet),
    );
    let wall = started.elapsed().as_secs_f64();
    let chart = crate::report::charts::replacement_cost(&explain::replacement_chart(&a, &e))
        .map_err(|e| crate::error::Error::Report(format!("drawing the charts: {e}")))?;
    let mut files = vec![
        (PathBuf::from("explain.csv"), explain::csv(&a, &e)),
        (
            PathBuf::from("explain.md"),
            explain::markdown(&a, &e).into_bytes(),
        ),
        (
            PathBuf::from("explain.html"),
            explain::html_with_charts(&a, &e, std::slice::from_ref(&chart)).into_bytes(),
        ),
    ];
    let workbook = crate::report::xlsx::explain::render(&a, &e, std::slice::from_ref(&chart))
        .map_err(crate::error::Error::Report)?;
    files.push((PathBuf::from("explain.xlsx"), workbook));
    files.push((
        PathBuf::from(format!("charts/{}.svg", chart.name)),
        chart.svg.into_bytes(),
    ));
    files.push((
        PathBuf::from(format!("charts/{}.png", chart.name)),
        chart.png,
    ));
    output::write_atomically(&dir, Command::Explain, &files)?;
    if !args.quiet {
        println!(
            "explained {} projects with {} re-solves (and 1 base solve) in {:.1} s → {}",
            e.rows.len(),
            e.solves,
            wall,
            dir.join("explain.md").display()
        );
    }
    let statuses = e
        .rows
        .iter()
        .flat_map(|r| [&r.replacement, &r.forced_in])
        .filter_map(|w| match w {
            Some(Worth::Measured(l)) => Some(l.status),
            _ => None,
        })
        .chain([base.status]);
    let exit = Exit::of(statuses);
    if exit == Exit::NotProven {
        eprintln!("warning: some solves stopped at the time limit; their figures are NOT proven (solve_status time_limit in explain.csv)");
    }
    let unmeasured = e
        .rows
        .iter()
        .flat_map(|r| [&r.replacement, &r.forced_in])
        .filter(|w| matches!(w, Some(Worth::Unmeasured(why)) if why.starts_with("not measured")))
        .count();
    if unmeasured > 0 {
        eprintln!("warning: {unmeasured} re-solves gave no answer; they are marked \"not measured\" in explain.csv");
    }
    Ok(exit)
}

/// With no projects named: every bid a rule does not exclude with `all`, otherwise
/// every funded bid and the `MARGIN` unfunded bids with the highest value per £.
fn choose(a: &allocation::Allocation, all: bool) -> (Vec<usize>, Selection) {
    use allocation::ProjectStatus as S;
    let eligible: Vec<&allocation::ProjectAllocation> = a
        .projects
        .iter()
        .filter(|p| p.status != S::ExcludedByRule)
        .collect();
    if all {
        return (eligible.iter().map(|p| p.project).collect(), Selection::All);
    }
    // The allocation's rows are funded first, then the rest by value per £.
    let funded = eligible.iter().filter(|p| p.status != S::NotFunded).count();
    let unfunded = (eligible.len() - funded).min(MARGIN);
    let chosen = eligible
        .iter()
        .take(funded + unfunded)
        .map(|p| p.project)
        .collect();
    let left_out = eligible.len() - funded - unfunded;
    if left_out == 0 {
        return (chosen, Selection::All);
    }
    (chosen, Selection::Margin { unfunded, left_out })
}
