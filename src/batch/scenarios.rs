//! `techfund run a.toml b.toml …`: every scenario in parallel, one report folder
//! each, and an index page linking them. One scenario failing does not stop the rest.

use super::progress::Mode;
use crate::allocation::Allocation;
use crate::error::{InputError, Result};
use crate::format;
use crate::pipeline::{self, Timings};
use crate::report::output::{self, Command};
use crate::report::{self, index};
use crate::scenario::ValueUnit;
use crate::solve::SolveStatus;
use std::path::{Path, PathBuf};

/// What a finished scenario reports in the batch listing.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    pub name: String,
    pub report_dir: PathBuf,
    pub status: SolveStatus,
    pub gap: f64,
    pub value: f64,
    pub value_unit: ValueUnit,
    pub funded: f64,
    pub budget: f64,
}

impl Headline {
    fn of(a: &Allocation, report_dir: PathBuf) -> Headline {
        Headline {
            name: a.scenario.name.clone(),
            report_dir,
            status: a.solver.status,
            gap: a.solver.gap,
            value: a.total_value,
            value_unit: a.value_unit,
            funded: a.total_funded,
            budget: a.scenario.total_budget(),
        }
    }

    pub fn line(&self) -> String {
        format!(
            "{}: {} — allocated {} of {}, value {} {} (gap {}%) → {}",
            self.name,
            self.status.describe(),
            format::money(self.funded),
            format::money(self.budget),
            format::thousands(self.value),
            self.value_unit,
            format::fixed(self.gap * 100.0, 4),
            self.report_dir.display()
        )
    }
}

/// What a run computes besides the allocation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras<'a> {
    /// Write the model HiGHS solves here (`.mps` or `.lp`).
    pub export: Option<&'a Path>,
    /// The value of £1m more and less in every year and line (2 re-solves per cell).
    pub marginal_values: bool,
    /// The price of each rule (one re-solve per rule, and per kind of rule together).
    pub rule_prices: bool,
    /// The fairness frontier at this many levels of the footprint floor (one re-solve
    /// each).
    pub fairness_frontier: Option<usize>,
    /// How the re-solves and draws of one scenario show their progress (quiet inside a
    /// batch); `None` shows none.
    pub progress: Option<Mode>,
}

/// Runs one scenario end to end and writes its report into `report_dir`.
pub fn run_one(path: &Path, report_dir: impl FnOnce(&str) -> PathBuf) -> Result<Headline> {
    run_one_exporting(path, report_dir, Extras::default())
}

/// As `run_one`, with the extras asked for.
pub fn run_one_exporting(
    path: &Path,
    report_dir: impl FnOnce(&str) -> PathBuf,
    extras: Extras,
) -> Result<Headline> {
    let mut timings = Timings::default();
    let inputs = pipeline::load(path, &mut timings)?;
    let dir = report_dir(&inputs.scenario.name);
    // Before solving: a folder techfund may not replace is refused at once.
    output::check(&dir, Command::Run, &input_paths(&inputs))?;
    if let Some(path) = extras.export {
        output::check_model_file(path)?;
    }
    let scratch = extras.export.map(output::model_scratch);
    let solved = pipeline::solve_keeping(&inputs, &mut timings, scratch.as_deref());
    let (mut allocation, solution) = match (solved, extras.export, &scratch) {
        (Ok(solved), Some(path), Some(scratch)) => {
            output::write_model_file(path, scratch, &inputs.scenario.name)?;
            solved
        }
        (solved, _, scratch) => {
            // A failed run leaves no model file behind, not even HiGHS' scratch copy.
            if let Some(scratch) = scratch {
                let _ = std::fs::remove_file(scratch);
            }
            solved?
        }
    };
    if extras.marginal_values {
        allocation.marginal_values = timings.time("marginal_values", || {
            super::marginal::values(&inputs.data, &inputs.scenario, &solution, Mode::Quiet)
        });
    }
    let mode = extras.progress.unwrap_or(Mode::Quiet);
    if extras.rule_prices {
        allocation.rule_prices = timings.time("rule_prices", || {
            super::prices::prices(&inputs.data, &inputs.scenario, &solution, mode)
        });
    }
    if let Some(steps) = extras.fairness_frontier {
        allocation.fairness_frontier = timings.time("fairness_frontier", || {
            super::fairness::points(&inputs.data, &inputs.scenario, &solution, steps, mode)
        });
    }
    if let Some(request) = &inputs.scenario.alternatives {
        allocation.alternatives = Some(timings.time("alternatives", || {
            super::alternatives::find(&inputs.data, &inputs.scenario, request, &solution)
        })?);
    }
    if let Some(u) = &inputs.scenario.uncertainty {
        allocation.robustness = Some(timings.time("uncertainty", || {
            super::uncertainty::run(&inputs.data, &inputs.scenario, u, &solution, mode)
        }));
    }
    let rendered = timings.time("report", || report::render(&allocation))?;
    timings.0.extend(rendered.output_ms.iter().copied());
    let mut files = rendered.files;
    // The manifest comes last so it can carry the report stage's own time.
    files.push((
        PathBuf::from("run.json"),
        report::manifest::render(
            &allocation,
            &report::manifest::RunFacts {
                inputs: &inputs.files,
                stage_ms: &timings.0,
                working_dir: std::env::current_dir().ok().as_deref(),
            },
        ),
    ));
    output::write_atomically(&dir, Command::Run, &files)?;
    Ok(Headline::of(&allocation, dir))
}

/// Every file and folder a loaded scenario reads, which its report folder must not
/// hold.
pub fn input_paths(inputs: &pipeline::Inputs) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = inputs
        .files
        .iter()
        .map(|f| PathBuf::from(&f.path))
        .collect();
    paths.push(inputs.scenario.data.clone());
    paths
}

/// Runs every scenario in parallel; results come back in the order given.
/// Report folders are `<out>/<scenario name>`; two scenarios with one name are refused
/// before anything runs, since one would overwrite the other.
pub fn run_all(
    paths: &[PathBuf],
    out: &Path,
    mode: Mode,
    extras: Extras,
) -> Result<Vec<(PathBuf, Result<Headline>)>> {
    // The root is not replaced, only the report folders in it (each checked as its
    // scenario starts), but it must be a folder and its index.html techfund's.
    output::check_batch_root(out)?;
    let mut names: Vec<(String, &PathBuf)> = Vec::new();
    for p in paths {
        if let Ok(s) = crate::scenario::Scenario::load(p) {
            if let Some((_, first)) = names.iter().find(|(n, _)| *n == s.name) {
                return Err(InputError::file(
                    p,
                    format!("scenario name `{}` is also used by {}; both reports would go to one folder", s.name, first.display()),
                    "give every scenario in the run its own `name`",
                )
                .into());
            }
            names.push((s.name, p));
        }
    }
    let results = super::each(
        paths,
        mode,
        "scenarios",
        |p| p.display().to_string(),
        |p| {
            // Scenarios run side by side, so their re-solves show no progress of their own.
            let extras = Extras {
                export: None,
                progress: None,
                ..extras
            };
            (
                p.clone(),
                run_one_exporting(p, |name| out.join(name), extras),
            )
        },
        |(_, r)| match r {
            Ok(h) => format!(
                "{}, value {}",
                h.status.describe(),
                format::thousands(h.value)
            ),
            Err(e) => format!(
                "FAILED: {}",
                e.to_string().lines().next().unwrap_or_default()
            ),
        },
    );
    if results.iter().any(|(_, r)| r.is_ok()) {
        let entries: Vec<index::Entry> = results.iter().map(|(p, r)| entry(p, r)).collect();
        output::write_index(out, &index::render(&entries))?;
    }
    Ok(results)
}

/// A scenario's line in the index page.
fn entry(path: &Path, r: &Result<Headline>) -> index::Entry {
    match r {
        Ok(h) => index::Entry::Done {
            folder: h
                .report_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            page: if h.report_dir.join("report.html").exists() {
                "report.html"
            } else {
                "summary.md"
            },
            name: h.name.clone(),
            status: h.status.describe().to_string(),
            budget: h.budget,
            funded: h.funded,
            value: format!("{} {}", format::thousands(h.value), h.value_unit),
            gap: h.gap,
        },
        Err(e) => index::Entry::Failed {
            scenario: path.display().to_string(),
            error: e.to_string(),
        },
    }
}
