//! Compare: two or more report folders side by side. The first folder is the
//! reference; every other one is compared against it. The reports are read back from
//! the files `techfund run` wrote (allocation.csv, footprints.csv, run.json), so any
//! two runs can be compared later, on another machine, without solving again.
//!
//! Reading ([`mod@read`]), comparing ([`mod@diff`]) and each output
//! ([`crate::report::compare`], with its chart) are separate, so each
//! is tested on hand-made folders with known numbers.

pub mod diff;
pub mod read;

#[cfg(test)]
mod tests;

use crate::domain::{BudgetLine, FinancialYear, InputFile};
use crate::error::{InputError, Result};
use crate::report::output::{self, Command};
use crate::scenario::{FundingMode, NeedPolicy, ObjectiveKind, ValueUnit};
use crate::solve::SolveStatus;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use diff::diff;
pub use read::load_report;

/// Money closer than this (£k) is the same: the reports round to £100.
pub const MONEY_TOLERANCE: f64 = 0.05;
/// Fractions closer than this are the same: the reports print four decimals.
pub const FRACTION_TOLERANCE: f64 = 0.00005;

/// Reads two or more report folders (as `techfund run` writes them) and writes
/// comparison.md, comparison.csv and comparison.svg into `out`, atomically (via
/// [`output::write_atomically`]); an `out` techfund may not replace is refused before
/// any report is read.
pub fn run(reports: &[PathBuf], out: &Path) -> Result<()> {
    if reports.len() < 2 {
        let location = reports.first().map_or(Path::new("."), PathBuf::as_path);
        return Err(InputError::file(
            location,
            format!(
                "compare needs at least two report folders, got {}",
                reports.len()
            ),
            "name the reference report folder first, then one or more folders to compare with it",
        )
        .into());
    }
    refuse_to_replace_inputs(reports, out)?;
    output::check(out, Command::Compare, reports)?;
    let views = reports
        .iter()
        .map(|dir| load_report(dir))
        .collect::<Result<Vec<_>>>()?;
    let comparison = comparison(&views);
    let chart = crate::report::compare::chart(&comparison)
        .map_err(|e| crate::error::Error::Report(format!("drawing the comparison chart: {e}")))?;
    let files = vec![
        (
            PathBuf::from("comparison.md"),
            crate::report::compare::markdown(&comparison).into_bytes(),
        ),
        (
            PathBuf::from("comparison.csv"),
            crate::report::compare::csv(&comparison),
        ),
        (PathBuf::from("comparison.svg"), chart.svg.into_bytes()),
        (PathBuf::from("comparison.png"), chart.png),
    ];
    output::write_atomically(out, Command::Compare, &files)
}

/// Lines up reports already read, reading the reference's dataset again only when
/// some report maximised another objective and must be scored by the reference's.
pub fn comparison(views: &[ReportView]) -> Comparison {
    let reference_data = diff::needs_reference_data(views).then(|| read::dataset_of(&views[0]));
    diff(views, reference_data.as_ref())
}

/// Writing the comparison replaces the whole `out` folder, so an `out` that is, or
/// holds, one of the reports would delete the very reports being compared. (Checked
/// before [`output::check`], which would also refuse it, to name the report.)
fn refuse_to_replace_inputs(reports: &[PathBuf], out: &Path) -> Result<()> {
    let Ok(out_real) = out.canonicalize() else {
        // `out` does not exist yet, so it cannot hold anything.
        return Ok(());
    };
    for dir in reports {
        if let Ok(real) = dir.canonicalize() {
            if real.starts_with(&out_real) {
                return Err(InputError::file(
                    out,
                    format!(
                        "the output folder holds the report folder {}, and writing the comparison replaces the whole output folder",
                        dir.display()
                    ),
                    "choose an output folder outside the report folders, e.g. `comparisons/<name>`",
                )
                .into());
            }
        }
    }
    Ok(())
}

/// One report folder as read back from its files. Money is in £k.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportView {
    pub dir: PathBuf,
    /// run.json `scenario`.
    pub scenario: String,
    /// run.json `status`.
    pub status: SolveStatus,
    /// run.json `mip_gap` as a fraction; absent when the solver proved no bound.
    pub mip_gap: Option<f64>,
    /// run.json `objective`, in `value_unit`.
    pub objective: f64,
    pub value_unit: ValueUnit,
    /// run.json `total_funded_k`.
    pub total_funded: f64,
    /// What the solver maximised: `objective_kind` and, for maturity, `need`. `None`
    /// (here and below) where an older run.json does not say.
    pub objective_kind: Option<ObjectiveKind>,
    pub need: Option<NeedPolicy>,
    pub funding: Option<FundingMode>,
    pub years: Option<Vec<FinancialYear>>,
    pub budget_lines: Option<Vec<BudgetLine>>,
    /// run.json `inputs`: every file the run read, with its SHA-256.
    pub inputs: Vec<InputFile>,
    /// run.json `data_dir`: the dataset folder as the run resolved it.
    pub data_dir: Option<PathBuf>,
    /// run.json `working_dir`: what relative paths in `inputs` and `data_dir` are
    /// relative to.
    pub working_dir: Option<PathBuf>,
    /// run.json `appraisal`: the Green Book settings the run appraised with; `None`
    /// when it did not appraise, or was written before techfund recorded them.
    pub appraisal: Option<crate::appraisal::Settings>,
    /// allocation.csv's `<line>_<YYYY>_<YY>` columns summed, by (financial year as
    /// `2016/17`, budget line). Every such column is a key, even when it sums to 0.
    pub spend: BTreeMap<(String, String), f64>,
    pub projects: Vec<ProjectRow>,
    pub footprints: Vec<FootprintRow>,
}

/// One row of allocation.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectRow {
    pub project_id: String,
    pub footprint_id: String,
    pub title: String,
    pub category: String,
    pub status: String,
    pub fraction: f64,
    pub funded: f64,
    pub reason: String,
    /// allocation.csv `start_shift`: whole years the bid's start moved (0 when the run
    /// had no phasing and so no such column).
    pub start_shift: u32,
}

/// One row of footprints.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct FootprintRow {
    pub footprint_id: String,
    pub name: String,
    pub funded: f64,
}

/// What every report said, lined up: `values[i]` belongs to report `i`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub reports: Vec<RunSummary>,
    /// What the reader must know to read the numbers right (missing years, footprints,
    /// unproven solves...).
    pub notes: Vec<String>,
    /// Spend by financial year and budget line, in year order.
    pub year_lines: Vec<Row>,
    /// Funded per footprint, largest change first.
    pub footprints: Vec<Row>,
    /// Funded per category, largest change first.
    pub categories: Vec<Row>,
    /// Projects funded differently in some report, largest change in money first.
    pub projects: Vec<ProjectChange>,
}

impl Comparison {
    /// Whether every report maximised the reference's objective, so their own values
    /// subtract as they stand.
    pub fn same_objective(&self) -> bool {
        self.reports.iter().all(|r| r.basis == ValueBasis::Own)
    }
}

/// One report's headline.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// The scenario name, made unique when two reports share one.
    pub label: String,
    pub dir: PathBuf,
    pub status: SolveStatus,
    pub mip_gap: Option<f64>,
    /// The value the report's own objective gave its allocation, in `value_unit`.
    pub value: f64,
    pub value_unit: ValueUnit,
    /// What the report maximised; `None` where its run.json does not say.
    pub objective_kind: Option<ObjectiveKind>,
    pub need: Option<NeedPolicy>,
    /// How its value stands against the reference's.
    pub basis: ValueBasis,
    pub funded: f64,
    pub projects_funded: usize,
}

impl RunSummary {
    /// Its value measured as the reference measures value, if it can be.
    pub fn value_under_reference(&self) -> Option<f64> {
        match self.basis {
            ValueBasis::Own => Some(self.value),
            ValueBasis::UnderReference(v) => Some(v),
            ValueBasis::NotComparable(_) => None,
        }
    }
}

/// Values measured under different objectives or need weights are different
/// quantities (person-points weighted one way or another, or £k of benefit), so a
/// report's value is subtracted from the reference's only on the reference's terms.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueBasis {
    /// The reference, or a report that maximised the same objective: its own value.
    Own,
    /// A report that maximised something else: its allocation scored by the
    /// reference's objective on the reference's dataset (unchanged since that run).
    UnderReference(f64),
    /// Its value cannot be put on the reference's terms, for the reason given.
    NotComparable(String),
}

/// One line of a comparison table: a key, a display name and one amount per report.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub key: String,
    /// The footprint's name; empty for other tables.
    pub name: String,
    pub values: Vec<f64>,
}

impl Row {
    /// Each other report minus the reference.
    pub fn changes(&self) -> Vec<f64> {
        changes(&self.values)
    }

    /// See [`difference`].
    pub fn difference(&self) -> f64 {
        difference(&self.values)
    }
}

/// Each other report minus the reference (`values[0]`).
pub fn changes(values: &[f64]) -> Vec<f64> {
    values.iter().skip(1).map(|v| v - values[0]).collect()
}

/// The change from the reference: with two reports, the second minus the first; with
/// more, the largest change in size (the earliest report on a tie), so one column can
/// rank rows by how much any report moved them.
pub fn difference(values: &[f64]) -> f64 {
    changes(values)
        .into_iter()
        .fold(0.0, |best, c| if c.abs() > best.abs() { c } else { best })
}

/// A project as one report had it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectSide {
    pub status: String,
    pub fraction: f64,
    pub funded: f64,
    /// Why it is not (fully) funded there; empty when it is.
    pub reason: String,
}

/// How a project moved in one report relative to the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    /// Funded here, not in the reference.
    In,
    /// Funded in the reference, not here.
    Out,
    More,
    Less,
    Same,
}

impl Movement {
    pub fn label(self) -> &'static str {
        match self {
            Movement::In => "in",
            Movement::Out => "out",
            Movement::More => "more",
            Movement::Less => "less",
            Movement::Same => "same",
        }
    }
}

/// A project funded differently in at least one report.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectChange {
    pub project_id: String,
    pub footprint_id: String,
    pub title: String,
    pub category: String,
    /// One per report; `None` where the report has no such project.
    pub sides: Vec<Option<ProjectSide>>,
}

impl ProjectChange {
    /// £k funded in each report (0 where it is absent).
    pub fn funded(&self) -> Vec<f64> {
        self.sides
            .iter()
            .map(|s| s.as_ref().map_or(0.0, |s| s.funded))
            .collect()
    }

    /// How the project moved in each other report relative to the reference.
    pub fn movements(&self) -> Vec<Movement> {
        let reference = self.sides[0].as_ref();
        self.sides
            .iter()
            .skip(1)
            .map(|s| movement(reference, s.as_ref()))
            .collect()
    }

    pub fn difference(&self) -> f64 {
        difference(&self.funded())
    }
}

fn movement(reference: Option<&ProjectSide>, other: Option<&ProjectSide>) -> Movement {
    let fraction = |s: Option<&ProjectSide>| s.map_or(0.0, |s| s.fraction);
    let funded = |s: Option<&ProjectSide>| s.map_or(0.0, |s| s.funded);
    let (a, b) = (fraction(reference), fraction(other));
    match (a > FRACTION_TOLERANCE, b > FRACTION_TOLERANCE) {
        (false, true) => Movement::In,
        (true, false) => Movement::Out,
        (false, false) => Movement::Same,
        (true, true) => {
            let money = funded(other) - funded(reference);
            if money >= MONEY_TOLERANCE || (money > -MONEY_TOLERANCE && b - a > FRACTION_TOLERANCE)
            {
                Movement::More
            } else if money <= -MONEY_TOLERANCE || a - b > FRACTION_TOLERANCE {
                Movement::Less
            } else {
                Movement::Same
            }
        }
    }
}

/// A solver status in words, e.g. `within gap`.
pub fn status_words(status: SolveStatus) -> String {
    status.as_str().replace('_', " ")
}
