//! `techfund run a.toml b.toml …`: every scenario in parallel, one report folder
//! each, and an index page linking them. One scenario failing does not stop the rest.

use super::progress::{Mode, Progress};
use crate::allocation::Allocation;
use crate::error::{Error, InputError, Result};
use crate::format;
use crate::pipeline::{self, Timings};
use crate::report;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What a finished scenario reports in the batch listing.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    pub name: String,
    pub report_dir: PathBuf,
    pub status: String,
    pub gap: f64,
    pub value: f64,
    pub value_unit: String,
    pub funded: f64,
    pub budget: f64,
}

impl Headline {
    fn of(a: &Allocation, report_dir: PathBuf) -> Headline {
        Headline {
            name: a.scenario.name.clone(),
            report_dir,
            status: a.solver.status.describe().to_string(),
            gap: a.solver.gap,
            value: a.total_value,
            value_unit: a.value_unit.clone(),
            funded: a.total_funded,
            budget: a.scenario.total_budget(),
        }
    }

    pub fn line(&self) -> String {
        format!(
            "{}: {} — allocated {} of {}, value {} {} (gap {}%) → {}",
            self.name,
            self.status,
            format::money(self.funded),
            format::money(self.budget),
            format::thousands(self.value),
            self.value_unit,
            format::fixed(self.gap * 100.0, 4),
            self.report_dir.display()
        )
    }
}

/// Runs one scenario end to end and writes its report into `report_dir`.
pub fn run_one(path: &Path, report_dir: impl FnOnce(&str) -> PathBuf) -> Result<Headline> {
    let mut timings = Timings::default();
    let inputs = pipeline::load(path, &mut timings)?;
    let allocation = pipeline::solve(&inputs, &mut timings)?;
    let dir = report_dir(&inputs.scenario.name);
    let mut files = timings.time("report", || report::render(&allocation))?;
    // The manifest comes last so it can carry the report stage's own time.
    files.push((
        PathBuf::from("run.json"),
        report::manifest::render(&allocation, &inputs.files, &timings.0),
    ));
    report::write_atomically(&dir, &files)?;
    Ok(Headline::of(&allocation, dir))
}

/// Runs every scenario in parallel; results come back in the order given.
/// Report folders are `<out>/<scenario name>`; two scenarios with one name are refused
/// before anything runs, since one would overwrite the other.
pub fn run_all(
    paths: &[PathBuf],
    out: &Path,
    mode: Mode,
) -> Result<Vec<(PathBuf, Result<Headline>)>> {
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
    let progress = Progress::new(mode, paths.len(), "scenarios");
    let results: Vec<(PathBuf, Result<Headline>)> = paths
        .par_iter()
        // One task at a time, so a core that finishes early takes the next point
        // instead of waiting on a fixed half of the work.
        .with_max_len(1)
        .map(|p| {
            let label = p.display().to_string();
            progress.started(&label);
            let r = run_one(p, |name| out.join(name));
            let outcome = match &r {
                Ok(h) => format!("{}, value {}", h.status, format::thousands(h.value)),
                Err(e) => format!(
                    "FAILED: {}",
                    e.to_string().lines().next().unwrap_or_default()
                ),
            };
            progress.finished(&label, &outcome);
            (p.clone(), r)
        })
        .collect();
    progress.done();
    let done: Vec<&Headline> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .collect();
    if !done.is_empty() {
        write_index(out, &results)?;
    }
    Ok(results)
}

/// `index.html` beside the report folders: one row per scenario, linking its report.
fn write_index(out: &Path, results: &[(PathBuf, Result<Headline>)]) -> Result<()> {
    use format::html_escape as esc;
    let mut rows = String::new();
    for (path, r) in results {
        match r {
            Ok(h) => {
                let folder = h
                    .report_dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let page = if h.report_dir.join("report.html").exists() {
                    "report.html"
                } else {
                    "summary.md"
                };
                rows.push_str(&format!(
                    "<tr><td><a href=\"{}/{page}\">{}</a></td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}%</td></tr>\n",
                    esc(&folder),
                    esc(&h.name),
                    esc(&h.status),
                    esc(&format::money(h.budget)),
                    esc(&format::money(h.funded)),
                    esc(&format!("{} {}", format::thousands(h.value), h.value_unit)),
                    format::fixed(h.gap * 100.0, 4)
                ));
            }
            Err(e) => rows.push_str(&format!(
                "<tr class=failed><td>{}</td><td colspan=5>failed: {}</td></tr>\n",
                esc(&path.display().to_string()),
                esc(&e.to_string())
            )),
        }
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>techfund scenarios</title>\n<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{padding:4px 10px;border-bottom:1px solid #ccc;text-align:left}}.n{{text-align:right}}.failed{{color:#b00}}</style></head>\n<body><h1>Technology fund scenarios</h1>\n<p>Money in £; value in each scenario's own unit. Each scenario links to its report.</p>\n<table><thead><tr><th>Scenario</th><th>Solver</th><th class=n>Fund</th><th class=n>Allocated</th><th class=n>Value</th><th class=n>Gap</th></tr></thead><tbody>\n{rows}</tbody></table></body></html>\n"
    );
    std::fs::create_dir_all(out)
        .map_err(|e| Error::io(format!("creating {}", out.display()), e))?;
    let tmp = out.join(format!(".index.html.tmp-{}", std::process::id()));
    std::fs::write(&tmp, html).map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
    std::fs::rename(&tmp, out.join("index.html"))
        .map_err(|e| Error::io("moving index.html into place", e))
}
