//! Compare: two or more report folders side by side. The first folder is the
//! reference; every other one is compared against it. The reports are read back from
//! the files `techfund run` wrote (allocation.csv, footprints.csv, run.json), so any
//! two runs can be compared later, on another machine, without solving again.
//!
//! Reading (`load_report`), comparing (`diff`) and each output (`render_markdown`,
//! `render_csv`, `render_svg`) are separate functions, so each is tested on hand-made
//! folders with known numbers.

use crate::csvio::CsvTable;
use crate::error::{Error, InputError, Result};
use crate::format::{fixed, spreadsheet_safe, thousands};
use crate::report::write_atomically;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Money closer than this (£k) is the same: the reports round to £100.
const MONEY_TOLERANCE: f64 = 0.05;
/// Fractions closer than this are the same: the reports print four decimals.
const FRACTION_TOLERANCE: f64 = 0.00005;
/// The Markdown lists at most this many footprints; the CSV has them all.
const MARKDOWN_FOOTPRINTS: usize = 15;
/// The Markdown lists at most this many projects; the CSV has them all.
const MARKDOWN_PROJECTS: usize = 50;

const REMAKE: &str = "re-run `techfund run <scenario> --out <folder>` to make it again";

/// Reads two or more report folders (as `techfund run` writes them) and writes
/// comparison.md, comparison.csv and comparison.svg into `out`, atomically (via report::write_atomically).
pub fn compare(reports: &[PathBuf], out: &Path) -> Result<()> {
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
    let views = reports
        .iter()
        .map(|dir| load_report(dir))
        .collect::<Result<Vec<_>>>()?;
    let comparison = diff(&views);
    let files = vec![
        (
            PathBuf::from("comparison.md"),
            render_markdown(&comparison).into_bytes(),
        ),
        (PathBuf::from("comparison.csv"), render_csv(&comparison)),
        (
            PathBuf::from("comparison.svg"),
            render_svg(&comparison)?.into_bytes(),
        ),
    ];
    write_atomically(out, &files)
}

/// `write_atomically` replaces the whole `out` folder, so an `out` that is, or holds,
/// one of the reports would delete the very reports being compared.
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

// ---------------------------------------------------------------------------------
// Reading a report folder back

/// One report folder as read back from its files. Money is in £k.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportView {
    pub dir: PathBuf,
    /// run.json `scenario`.
    pub scenario: String,
    /// run.json `status`, e.g. `optimal`, `within_gap`, `time_limit`.
    pub status: String,
    /// run.json `mip_gap` as a fraction; absent when the solver proved no bound.
    pub mip_gap: Option<f64>,
    /// run.json `objective`, in `value_unit`.
    pub objective: f64,
    pub value_unit: String,
    /// run.json `total_funded_k`.
    pub total_funded: f64,
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
}

/// One row of footprints.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct FootprintRow {
    pub footprint_id: String,
    pub name: String,
    pub funded: f64,
}

/// The fields of run.json a comparison needs; the rest is ignored.
#[derive(Deserialize)]
struct RunJson {
    scenario: String,
    status: String,
    objective: f64,
    /// serde_json writes an infinite gap (no bound) as null.
    mip_gap: Option<f64>,
    value_unit: String,
    total_funded_k: f64,
}

/// Reads one report folder as `techfund run` writes it.
pub fn load_report(dir: &Path) -> Result<ReportView> {
    if !dir.is_dir() {
        return Err(InputError::file(
            dir,
            "there is no report folder here",
            "give a folder written by `techfund run <scenario> --out <folder>`",
        )
        .into());
    }
    let run = read_run_json(&dir.join("run.json"))?;
    let (projects, spend) = read_allocation(&dir.join("allocation.csv"))?;
    let footprints = read_footprints(&dir.join("footprints.csv"))?;
    Ok(ReportView {
        dir: dir.to_path_buf(),
        scenario: run.scenario,
        status: run.status,
        mip_gap: run.mip_gap,
        objective: run.objective,
        value_unit: run.value_unit,
        total_funded: run.total_funded_k,
        spend,
        projects,
        footprints,
    })
}

fn read_text(path: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|e| {
        InputError::file(
            path,
            format!("cannot read the file: {e}"),
            format!("a report folder holds allocation.csv, footprints.csv and run.json; {REMAKE}"),
        )
    })?;
    // A UTF-8 byte-order mark, left by a spreadsheet that saved the file, is not text.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        InputError::file(
            path,
            format!("the file is not UTF-8 text: {e}"),
            format!("save it as UTF-8, or {REMAKE}"),
        )
    })
}

fn read_run_json(path: &Path) -> Result<RunJson, InputError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends its own " at line L column C"; the location says it already.
        let problem = message
            .rfind(" at line ")
            .map_or(message.as_str(), |i| &message[..i]);
        let key = between_backticks(problem)
            .filter(|_| problem.starts_with("missing field"))
            .or_else(|| key_before(&text, e.line(), e.column()));
        InputError::at(
            path,
            e.line() as u64,
            e.column() as u64,
            key.as_deref(),
            format!("cannot read run.json: {problem}"),
            format!("a comparison needs `scenario`, `status`, `objective`, `mip_gap`, `value_unit` and `total_funded_k`; {REMAKE}"),
        )
    })
}

fn between_backticks(text: &str) -> Option<String> {
    let start = text.find('`')? + 1;
    let len = text[start..].find('`')?;
    Some(text[start..start + len].to_string())
}

/// The JSON key on `line` before `column`, to name the field a type error is in.
fn key_before(text: &str, line: usize, column: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let head = l.get(..column.min(l.len()))?;
    let colon = head.rfind("\":")?;
    let start = head[..colon].rfind('"')? + 1;
    Some(head[start..colon].to_string())
}

/// A report's CSV file, read through the one CSV reader every command shares.
struct Table(CsvTable);

impl std::ops::Deref for Table {
    type Target = CsvTable;
    fn deref(&self) -> &CsvTable {
        &self.0
    }
}

impl Table {
    fn read(path: &Path) -> Result<Table, InputError> {
        let text = read_text(path)?;
        CsvTable::parse(path, text.as_bytes(), REMAKE).map(Table)
    }

    /// The index of a column the comparison cannot do without.
    fn column(&self, name: &str) -> Result<usize, InputError> {
        self.require(
            name,
            format!(
                "this does not look like a file `techfund run` wrote (its header has: {}); {REMAKE}",
                self.headers.join(", ")
            ),
        )
    }

    fn number(&self, line: u64, record: &csv::StringRecord, col: usize) -> Result<f64, InputError> {
        let text = record.get(col).unwrap_or("").trim();
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(InputError::at(
                &self.path,
                line,
                col as u64 + 1,
                Some(&self.headers[col]),
                format!("`{text}` is not a number"),
                format!("write a plain number such as 1200.5, or {REMAKE}"),
            )),
        }
    }

    /// Text as the user first wrote it: the report writer's spreadsheet guard is undone
    /// here, and put back when the comparison's CSV is written.
    fn text(&self, record: &csv::StringRecord, col: usize) -> String {
        let t = record.get(col).unwrap_or("").trim();
        match t.strip_prefix('\'') {
            Some(rest) if spreadsheet_safe(rest) == t => rest.to_string(),
            _ => t.to_string(),
        }
    }

    /// A key column: never empty, never twice.
    fn id(
        &self,
        line: u64,
        record: &csv::StringRecord,
        col: usize,
        seen: &mut BTreeMap<String, u64>,
    ) -> Result<String, InputError> {
        let id = self.text(record, col);
        let name = &self.headers[col];
        if id.is_empty() {
            return Err(InputError::at(
                &self.path,
                line,
                col as u64 + 1,
                Some(name),
                format!("`{name}` is empty"),
                format!("every row needs one, or {REMAKE}"),
            ));
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(InputError::at(
                &self.path,
                line,
                col as u64 + 1,
                Some(name),
                format!("`{id}` appears twice (lines {first} and {line})"),
                format!(
                    "keep one row per {}, or {REMAKE}",
                    name.trim_end_matches("_id")
                ),
            ));
        }
        Ok(id)
    }
}

fn amount_column(header: &str) -> Option<(String, String)> {
    let mut parts = header.rsplitn(3, '_');
    let (end, start, line) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let is_line = !line.is_empty() && line.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    (digits(start, 4) && digits(end, 2) && is_line)
        .then(|| (format!("{start}/{end}"), line.to_string()))
}

type Spend = BTreeMap<(String, String), f64>;

fn read_allocation(path: &Path) -> Result<(Vec<ProjectRow>, Spend), InputError> {
    let t = Table::read(path)?;
    let id = t.column("project_id")?;
    let footprint = t.column("footprint_id")?;
    let title = t.column("title")?;
    let category = t.column("category")?;
    let status = t.column("status")?;
    let fraction = t.column("funded_fraction")?;
    let funded = t.column("funded_total")?;
    let reason = t.column("reason")?;
    let amounts: Vec<(usize, (String, String))> = t
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| amount_column(h).map(|key| (i, key)))
        .collect();
    let mut spend: Spend = amounts.iter().map(|(_, key)| (key.clone(), 0.0)).collect();
    let mut seen = BTreeMap::new();
    let mut projects = Vec::with_capacity(t.rows.len());
    for (line, r) in &t.rows {
        for (col, key) in &amounts {
            *spend.get_mut(key).expect("every money column is a key") +=
                t.number(*line, r, *col)?;
        }
        projects.push(ProjectRow {
            project_id: t.id(*line, r, id, &mut seen)?,
            footprint_id: t.text(r, footprint),
            title: t.text(r, title),
            category: t.text(r, category),
            status: t.text(r, status),
            fraction: t.number(*line, r, fraction)?,
            funded: t.number(*line, r, funded)?,
            reason: t.text(r, reason),
        });
    }
    Ok((projects, spend))
}

fn read_footprints(path: &Path) -> Result<Vec<FootprintRow>, InputError> {
    let t = Table::read(path)?;
    let id = t.column("footprint_id")?;
    let name = t.column("name")?;
    let funded = t.column("funded")?;
    let mut seen = BTreeMap::new();
    t.rows
        .iter()
        .map(|(line, r)| {
            Ok(FootprintRow {
                footprint_id: t.id(*line, r, id, &mut seen)?,
                name: t.text(r, name),
                funded: t.number(*line, r, funded)?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Comparing

/// What every report said, lined up: `values[i]` belongs to report `i`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub reports: Vec<RunSummary>,
    /// False when the reports measure value in different units: their values are then
    /// shown but not subtracted.
    pub values_comparable: bool,
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

/// One report's headline.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// The scenario name, made unique when two reports share one.
    pub label: String,
    pub dir: PathBuf,
    pub status: String,
    pub mip_gap: Option<f64>,
    pub value: f64,
    pub value_unit: String,
    pub funded: f64,
    pub projects_funded: usize,
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

/// Lines up the reports against the first. Anything one report has and another lacks
/// (a year, a budget line, a footprint, a project) counts as 0 where it is missing,
/// and the notes say so.
pub fn diff(reports: &[ReportView]) -> Comparison {
    let labels = unique_labels(reports);
    let mut notes = Vec::new();

    let units: BTreeSet<&str> = reports.iter().map(|r| r.value_unit.as_str()).collect();
    let values_comparable = units.len() == 1;
    if !values_comparable {
        notes.push(format!(
            "The reports measure value in different units ({}), so their values are not comparable and no difference in value is given.",
            labels
                .iter()
                .zip(reports)
                .map(|(l, r)| format!("{l}: {}", r.value_unit))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    for (label, r) in labels.iter().zip(reports) {
        if r.status != "optimal" {
            notes.push(format!(
                "{label} was not solved to proven optimality (status {}), so part of its difference may come from the solver rather than the scenario.",
                status_words(&r.status)
            ));
        }
    }

    let year_lines = union_rows(
        reports,
        &labels,
        |r| {
            r.spend
                .iter()
                .map(|((y, l), v)| (format!("{y} {l}"), String::new(), *v))
                .collect()
        },
        "financial year and budget line",
        &mut notes,
    );
    let mut footprints = union_rows(
        reports,
        &labels,
        |r| {
            r.footprints
                .iter()
                .map(|f| (f.footprint_id.clone(), f.name.clone(), f.funded))
                .collect()
        },
        "footprint",
        &mut notes,
    );
    by_largest_change(&mut footprints);
    let mut categories = union_rows(
        reports,
        &labels,
        |r| {
            let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
            for p in &r.projects {
                *sums.entry(&p.category).or_default() += p.funded;
            }
            sums.into_iter()
                .map(|(c, v)| (c.to_string(), String::new(), v))
                .collect()
        },
        // A category missing from a report only means none of its bids were there; that
        // is already in the numbers and in the project list.
        "",
        &mut notes,
    );
    by_largest_change(&mut categories);

    let projects = project_changes(reports, &labels, &mut notes);

    let reports_summary = labels
        .into_iter()
        .zip(reports)
        .map(|(label, r)| RunSummary {
            label,
            dir: r.dir.clone(),
            status: r.status.clone(),
            mip_gap: r.mip_gap,
            value: r.objective,
            value_unit: r.value_unit.clone(),
            funded: r.total_funded,
            projects_funded: r
                .projects
                .iter()
                .filter(|p| p.fraction > FRACTION_TOLERANCE)
                .count(),
        })
        .collect();
    Comparison {
        reports: reports_summary,
        values_comparable,
        notes,
        year_lines,
        footprints,
        categories,
        projects,
    }
}

/// Scenario names, with the report's position added where two reports share a name,
/// so every column header is distinct.
fn unique_labels(reports: &[ReportView]) -> Vec<String> {
    reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let shared = reports.iter().filter(|o| o.scenario == r.scenario).count() > 1;
            if shared {
                format!("{} ({})", r.scenario, i + 1)
            } else {
                r.scenario.clone()
            }
        })
        .collect()
}

/// One row per key found in any report, in key order, 0 where a report lacks the key.
/// `what` names the key in the note about missing keys ("" for no note).
fn union_rows(
    reports: &[ReportView],
    labels: &[String],
    entries: impl Fn(&ReportView) -> Vec<(String, String, f64)>,
    what: &str,
    notes: &mut Vec<String>,
) -> Vec<Row> {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut present: Vec<BTreeSet<String>> = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let mut keys = BTreeSet::new();
        for (key, name, value) in entries(r) {
            let row = rows.entry(key.clone()).or_insert_with(|| Row {
                key: key.clone(),
                name,
                values: vec![0.0; reports.len()],
            });
            row.values[i] += value;
            keys.insert(key);
        }
        present.push(keys);
    }
    if !what.is_empty() {
        for (label, keys) in labels.iter().zip(&present) {
            let missing: Vec<&str> = rows
                .keys()
                .filter(|k| !keys.contains(*k))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                notes.push(format!(
                    "{label} has no {what} {}; it counts as 0 there.",
                    listing(&missing)
                ));
            }
        }
    }
    rows.into_values().collect()
}

/// `a, b and 3 more`: keeps a note short when many keys are missing.
fn listing(items: &[&str]) -> String {
    const SHOWN: usize = 10;
    let mut text = items
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn by_largest_change(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        b.difference()
            .abs()
            .total_cmp(&a.difference().abs())
            .then_with(|| a.key.cmp(&b.key))
    });
}

fn project_changes(
    reports: &[ReportView],
    labels: &[String],
    notes: &mut Vec<String>,
) -> Vec<ProjectChange> {
    let mut all: BTreeMap<&str, ProjectChange> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        for p in &r.projects {
            let change = all.entry(&p.project_id).or_insert_with(|| ProjectChange {
                project_id: p.project_id.clone(),
                footprint_id: p.footprint_id.clone(),
                title: p.title.clone(),
                category: p.category.clone(),
                sides: vec![None; reports.len()],
            });
            change.sides[i] = Some(ProjectSide {
                status: p.status.clone(),
                fraction: p.fraction,
                funded: p.funded,
                reason: p.reason.clone(),
            });
        }
    }
    for (i, label) in labels.iter().enumerate() {
        let missing: Vec<&str> = all
            .values()
            .filter(|c| c.sides[i].is_none())
            .map(|c| c.project_id.as_str())
            .collect();
        if !missing.is_empty() {
            notes.push(format!(
                "{label} has no project {}; it counts as not funded there.",
                listing(&missing)
            ));
        }
    }
    let mut moved: Vec<ProjectChange> = all
        .into_values()
        .filter(|c| {
            c.movements().iter().any(|m| *m != Movement::Same)
                || c.difference().abs() >= MONEY_TOLERANCE
        })
        .collect();
    moved.sort_by(|a, b| {
        b.difference()
            .abs()
            .total_cmp(&a.difference().abs())
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    moved
}

fn status_words(status: &str) -> String {
    status.replace('_', " ")
}

// ---------------------------------------------------------------------------------
// comparison.csv

/// One tidy long table, `section,key,<one column per report>,difference`, with money in
/// £k to one decimal. `difference` is as [`difference`] defines it; empty where a
/// difference means nothing (text, or values in different units).
pub fn render_csv(c: &Comparison) -> Vec<u8> {
    let mut w = crate::csvio::writer();
    let mut header = vec!["section".to_string(), "key".to_string()];
    header.extend(c.reports.iter().map(|r| spreadsheet_safe(&r.label)));
    header.push("difference".into());
    w.write_record(&header).expect("in memory");

    let each = |f: &dyn Fn(&RunSummary) -> Option<f64>| -> Vec<Option<f64>> {
        c.reports.iter().map(f).collect()
    };
    let mut rows = vec![
        text_cells("status", c.reports.iter().map(|r| r.status.as_str())),
        text_cells(
            "value_unit",
            c.reports.iter().map(|r| r.value_unit.as_str()),
        ),
        number_cells(
            "total",
            "mip_gap_pct",
            &each(&|r| r.mip_gap.map(|g| g * 100.0)),
            4,
            true,
        ),
        number_cells(
            "total",
            "value",
            &each(&|r| Some(r.value)),
            1,
            c.values_comparable,
        ),
        number_cells("total", "funded", &each(&|r| Some(r.funded)), 1, true),
        number_cells(
            "total",
            "projects_funded",
            &each(&|r| Some(r.projects_funded as f64)),
            0,
            true,
        ),
    ];
    for (section, table) in [
        ("year_line", &c.year_lines),
        ("footprint", &c.footprints),
        ("category", &c.categories),
    ] {
        for r in table {
            let values: Vec<Option<f64>> = r.values.iter().copied().map(Some).collect();
            rows.push(number_cells(section, &r.key, &values, 1, true));
        }
    }
    for p in &c.projects {
        let values: Vec<Option<f64>> = p.funded().into_iter().map(Some).collect();
        rows.push(number_cells("project", &p.project_id, &values, 1, true));
    }
    for row in rows {
        w.write_record(&row).expect("in memory");
    }
    crate::csvio::finish(w)
}

/// A `total` row of text, one cell per report, with no difference.
fn text_cells<'a>(key: &str, cells: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut row = vec!["total".to_string(), key.to_string()];
    row.extend(cells.map(spreadsheet_safe));
    row.push(String::new());
    row
}

/// A row of numbers; a report without the number, or a row whose difference means
/// nothing, gets an empty cell.
fn number_cells(
    section: &str,
    key: &str,
    values: &[Option<f64>],
    decimals: usize,
    with_difference: bool,
) -> Vec<String> {
    let mut row = vec![section.to_string(), spreadsheet_safe(key)];
    row.extend(
        values
            .iter()
            .map(|v| v.map_or(String::new(), |v| fixed(v, decimals))),
    );
    let all: Option<Vec<f64>> = values.iter().copied().collect();
    row.push(match all {
        Some(all) if with_difference => fixed(difference(&all), decimals),
        _ => String::new(),
    });
    row
}

// ---------------------------------------------------------------------------------
// comparison.md

/// The comparison for people: headline, spend by year, the largest footprint changes,
/// categories, and the projects that moved with the reasons the reports give.
pub fn render_markdown(c: &Comparison) -> String {
    let labels: Vec<&str> = c.reports.iter().map(|r| r.label.as_str()).collect();
    let reference = &c.reports[0];
    let mut md = String::new();
    md.push_str(&format!(
        "# Comparison: {}\n\n",
        escape(&labels.join(" vs "))
    ));
    md.push_str(&format!(
        "The reference is **{}** ({}). A difference is a report minus the reference{}. Money is in £ thousands (£k).\n\n",
        escape(&reference.label),
        escape(&reference.dir.display().to_string()),
        if c.reports.len() > 2 { ", shown for each other report" } else { "" }
    ));

    md.push_str("## Headline\n\n");
    let change_headers = change_headers(&labels);
    table_header(&mut md, &[""], &labels, &change_headers);
    let blank: Vec<String> = vec![String::new(); labels.len() - 1];
    let cells = |f: &dyn Fn(&RunSummary) -> String| c.reports.iter().map(f).collect::<Vec<_>>();
    table_row(
        &mut md,
        &["Report folder"],
        &cells(&|r| r.dir.display().to_string()),
        &blank,
    );
    table_row(
        &mut md,
        &["Solver status"],
        &cells(&|r| status_words(&r.status)),
        &blank,
    );
    table_row(
        &mut md,
        &["MIP gap"],
        &cells(&|r| {
            r.mip_gap
                .map_or("no bound".into(), |g| format!("{:.4}%", g * 100.0))
        }),
        &blank,
    );
    let values: Vec<f64> = c.reports.iter().map(|r| r.value).collect();
    if c.values_comparable {
        table_row(
            &mut md,
            &[&format!("Value ({})", reference.value_unit)],
            &cells(&|r| thousands(r.value)),
            &signed_all(&changes(&values)),
        );
    } else {
        table_row(
            &mut md,
            &["Value"],
            &cells(&|r| format!("{} {}", thousands(r.value), r.value_unit)),
            &vec!["not comparable".to_string(); labels.len() - 1],
        );
    }
    let funded: Vec<f64> = c.reports.iter().map(|r| r.funded).collect();
    table_row(
        &mut md,
        &["Total funded (£k)"],
        &cells(&|r| thousands(r.funded)),
        &signed_all(&changes(&funded)),
    );
    let counts: Vec<f64> = c.reports.iter().map(|r| r.projects_funded as f64).collect();
    table_row(
        &mut md,
        &["Projects funded"],
        &cells(&|r| r.projects_funded.to_string()),
        &signed_all(&changes(&counts)),
    );
    md.push('\n');
    if !c.notes.is_empty() {
        for note in &c.notes {
            md.push_str(&format!("- {}\n", escape(note)));
        }
        md.push('\n');
    }

    md.push_str("## Spend by financial year and budget line (£k)\n\n");
    if c.year_lines.is_empty() {
        md.push_str("The reports have no money columns per financial year.\n\n");
    } else {
        table_header(&mut md, &["Year", "Budget line"], &labels, &change_headers);
        for r in &c.year_lines {
            let (year, line) = r.key.split_once(' ').unwrap_or((&r.key, ""));
            amounts_row(&mut md, &[year, line], &r.values);
        }
        md.push('\n');
    }

    md.push_str("## Footprints: the largest changes (£k)\n\n");
    let changed: Vec<&Row> = c
        .footprints
        .iter()
        .filter(|r| r.difference().abs() >= MONEY_TOLERANCE)
        .collect();
    if changed.is_empty() {
        md.push_str(&format!(
            "Every footprint ({}) gets the same money in every report.\n\n",
            c.footprints.len()
        ));
    } else {
        md.push_str(&format!(
            "{} of {} footprints get different money{}; comparison.csv has every footprint.\n\n",
            changed.len(),
            c.footprints.len(),
            if changed.len() > MARKDOWN_FOOTPRINTS {
                format!(", the {MARKDOWN_FOOTPRINTS} largest changes are shown")
            } else {
                String::new()
            }
        ));
        table_header(&mut md, &["Footprint", "Name"], &labels, &change_headers);
        for r in changed.iter().take(MARKDOWN_FOOTPRINTS) {
            amounts_row(&mut md, &[&r.key, &r.name], &r.values);
        }
        md.push('\n');
    }

    md.push_str("## Categories (£k)\n\n");
    if c.categories.is_empty() {
        md.push_str("The reports have no projects.\n\n");
    } else {
        table_header(&mut md, &["Category"], &labels, &change_headers);
        for r in &c.categories {
            amounts_row(&mut md, &[&r.key], &r.values);
        }
        md.push('\n');
    }

    md.push_str("## Projects that moved\n\n");
    if c.projects.is_empty() {
        md.push_str("Every project is funded the same in every report.\n");
        return md;
    }
    md.push_str(&format!(
        "{} project(s) are funded differently, largest change in money first{}. Each report's cell is its status and £k funded; \"in\" and \"out\" mean funded or not relative to the reference. The last column is each report's reason for not funding the project (in full).\n\n",
        c.projects.len(),
        if c.projects.len() > MARKDOWN_PROJECTS {
            format!("; the {MARKDOWN_PROJECTS} largest are shown and comparison.csv has them all")
        } else {
            String::new()
        }
    ));
    let mut headers: Vec<String> = vec!["Project".into(), "Title".into(), "Footprint".into()];
    headers.extend(labels.iter().map(|l| l.to_string()));
    headers.extend(change_headers.iter().map(|h| format!("{h} (£k)")));
    headers.push("Why not funded".into());
    md.push_str(&format!(
        "| {} |\n",
        headers
            .iter()
            .map(|h| escape(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    let aligns: Vec<&str> = (0..headers.len())
        .map(|i| {
            let is_change = i >= 3 + labels.len() && i < 3 + labels.len() + change_headers.len();
            if is_change {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    md.push_str(&format!("|{}|\n", aligns.join("|")));
    for p in c.projects.iter().take(MARKDOWN_PROJECTS) {
        let movements = p.movements();
        let mut cells = vec![
            p.project_id.clone(),
            p.title.clone(),
            p.footprint_id.clone(),
        ];
        for (i, side) in p.sides.iter().enumerate() {
            let text = side_text(side.as_ref());
            cells.push(match i.checked_sub(1).map(|j| movements[j]) {
                Some(m) if m != Movement::Same => format!("**{}**: {text}", m.label()),
                _ => text,
            });
        }
        cells.extend(signed_all(&changes(&p.funded())));
        let reasons: Vec<String> = labels
            .iter()
            .zip(&p.sides)
            .filter_map(|(label, side)| match side {
                Some(s) if !s.reason.is_empty() && s.fraction < 1.0 - FRACTION_TOLERANCE => {
                    Some(format!("{label}: {}", s.reason))
                }
                None => Some(format!("{label}: not among its projects")),
                _ => None,
            })
            .collect();
        cells.push(reasons.join("; "));
        md.push_str(&format!(
            "| {} |\n",
            cells
                .iter()
                .map(|t| escape(t))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    if c.projects.len() > MARKDOWN_PROJECTS {
        md.push_str(&format!(
            "\n…and {} more in comparison.csv.\n",
            c.projects.len() - MARKDOWN_PROJECTS
        ));
    }
    md
}

/// `Difference` with two reports; one `Δ <name>` per other report with more.
fn change_headers(labels: &[&str]) -> Vec<String> {
    if labels.len() == 2 {
        vec!["Difference".into()]
    } else {
        labels.iter().skip(1).map(|l| format!("Δ {l}")).collect()
    }
}

fn table_header(md: &mut String, keys: &[&str], labels: &[&str], changes: &[String]) {
    let mut cells: Vec<String> = keys.iter().map(|k| escape(k)).collect();
    cells.extend(labels.iter().map(|l| escape(l)));
    cells.extend(changes.iter().map(|h| escape(h)));
    md.push_str(&format!("| {} |\n", cells.join(" | ")));
    let mut aligns = vec!["---"; keys.len()];
    aligns.extend(vec!["---:"; labels.len() + changes.len()]);
    md.push_str(&format!("|{}|\n", aligns.join("|")));
}

fn table_row(md: &mut String, keys: &[&str], values: &[String], changes: &[String]) {
    let cells: Vec<String> = keys
        .iter()
        .map(|k| escape(k))
        .chain(values.iter().chain(changes).map(|v| escape(v)))
        .collect();
    md.push_str(&format!("| {} |\n", cells.join(" | ")));
}

fn amounts_row(md: &mut String, keys: &[&str], values: &[f64]) {
    let shown: Vec<String> = values.iter().map(|&v| thousands(v)).collect();
    table_row(md, keys, &shown, &signed_all(&changes(values)));
}

/// `+1,200`, `-300`, `0`: a change with its sign.
fn signed(x: f64) -> String {
    let t = thousands(x);
    if x.round() > 0.0 {
        format!("+{t}")
    } else {
        t
    }
}

fn signed_all(xs: &[f64]) -> Vec<String> {
    xs.iter().map(|&x| signed(x)).collect()
}

fn side_text(side: Option<&ProjectSide>) -> String {
    match side {
        None => "not in this report".into(),
        Some(s) if s.fraction <= FRACTION_TOLERANCE => s.status.clone(),
        Some(s) if s.fraction >= 1.0 - FRACTION_TOLERANCE => {
            format!("{} ({})", s.status, thousands(s.funded))
        }
        Some(s) => format!(
            "{} {:.0}% ({})",
            s.status,
            s.fraction * 100.0,
            thousands(s.funded)
        ),
    }
}

/// Text made safe for a Markdown table cell: a `|` would end the cell, a newline the row.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

// ---------------------------------------------------------------------------------
// comparison.svg

/// Okabe and Ito's palette, which stays distinct for the common forms of colour
/// blindness; blue and orange first because they differ most.
const PALETTE: [(u8, u8, u8); 8] = [
    (0x00, 0x72, 0xB2),
    (0xE6, 0x9F, 0x00),
    (0x00, 0x9E, 0x73),
    (0xD5, 0x5E, 0x00),
    (0xCC, 0x79, 0xA7),
    (0x56, 0xB4, 0xE9),
    (0xF0, 0xE4, 0x42),
    (0x00, 0x00, 0x00),
];

const CHART_WIDTH: u32 = 900;
const BAR_PX: u32 = 7;
const GROUP_GAP_PX: u32 = 8;
const LABEL_FONT_PX: u32 = 15;
const LABEL_MAX_CHARS: usize = 34;

/// Grouped horizontal bars of £m funded per footprint, one bar per report, largest
/// change first (top). The height grows with the number of footprints so 100 of them
/// stay readable at A4 width.
///
/// plotters lays out captions and legends by measuring text, which needs a font file;
/// the title and legend are therefore placed by hand, so the SVG needs no font at all.
pub fn render_svg(c: &Comparison) -> Result<String> {
    use plotters::coord::combinators::BindKeyPoints;
    use plotters::prelude::*;

    let n = c.footprints.len();
    let k = c.reports.len();
    let colour = |i: usize| {
        let (r, g, b) = PALETTE[i % PALETTE.len()];
        RGBColor(r, g, b)
    };
    let label = |name: &str, key: &str| {
        let text = if name.is_empty() { key } else { name };
        if text.chars().count() > LABEL_MAX_CHARS {
            let cut: String = text.chars().take(LABEL_MAX_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            text.to_string()
        }
    };
    let labels: Vec<String> = c
        .footprints
        .iter()
        .map(|r| label(&r.name, &r.key))
        .collect();
    // Text is not measured (no font); an average glyph is about 0.6 of the font size.
    let char_px = |chars: usize, font: u32| (chars as f64 * font as f64 * 0.6).ceil() as u32;
    let label_area = char_px(
        labels.iter().map(|l| l.chars().count()).max().unwrap_or(4),
        LABEL_FONT_PX,
    ) + 16;

    // The legend wraps onto as many lines as the report names need.
    let mut legend = Vec::new();
    let (mut x, mut line) = (20u32, 0u32);
    for r in &c.reports {
        let width = 20 + char_px(r.label.chars().count(), 16) + 24;
        if x + width > CHART_WIDTH - 20 && x > 20 {
            x = 20;
            line += 1;
        }
        legend.push((x, line));
        x += width;
    }
    let top = 60 + (line + 1) * 22;
    let group = k as u32 * BAR_PX + GROUP_GAP_PX;
    let height = top + n.max(1) as u32 * group + 30 + 60;

    let draw_error = |e: &dyn std::fmt::Display| {
        Error::io(
            "drawing comparison.svg",
            std::io::Error::other(e.to_string()),
        )
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (CHART_WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| draw_error(&e))?;
        let title = format!(
            "Funded per footprint (£m), largest change from {} first",
            c.reports[0].label
        );
        root.draw_text(
            &title,
            &("sans-serif", 22).into_font().color(&BLACK),
            (20, 16),
        )
        .map_err(|e| draw_error(&e))?;
        for (i, (r, (x, line))) in c.reports.iter().zip(&legend).enumerate() {
            let y = 50 + *line as i32 * 22;
            root.draw(&Rectangle::new(
                [(*x as i32, y), (*x as i32 + 14, y + 14)],
                colour(i).filled(),
            ))
            .map_err(|e| draw_error(&e))?;
            root.draw_text(
                &r.label,
                &("sans-serif", 16).into_font().color(&BLACK),
                (*x as i32 + 20, y),
            )
            .map_err(|e| draw_error(&e))?;
        }
        let (_, body) = root.split_vertically(top);

        let max = c
            .footprints
            .iter()
            .flat_map(|r| r.values.iter())
            .fold(0.0f64, |m, v| m.max(*v))
            / 1000.0;
        let x_max = if max > 0.0 { max * 1.05 } else { 1.0 };
        // y is in pixels of the plot, so bars sit on whole pixels; row 0 (the largest
        // change) is at the top because y runs upwards in plotters.
        let total = (n.max(1) as u32 * group) as i32;
        let (group, bar, half_gap) = (group as i32, BAR_PX as i32, GROUP_GAP_PX as i32 / 2);
        let centres: Vec<i32> = (0..n as i32)
            .map(|i| total - i * group - group / 2)
            .collect();
        let mut chart = ChartBuilder::on(&body)
            .margin_right(30)
            .set_label_area_size(LabelAreaPosition::Top, 56)
            .set_label_area_size(LabelAreaPosition::Bottom, 50)
            .set_label_area_size(LabelAreaPosition::Left, label_area)
            .build_cartesian_2d(0f64..x_max, (0..total).with_key_points(centres))
            .map_err(|e| draw_error(&e))?;
        let name_of = |y: &i32| {
            usize::try_from((total - y) / group)
                .ok()
                .and_then(|i| labels.get(i).cloned())
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            // One light line between labelled ones: more would grey out narrow bars.
            .x_max_light_lines(1)
            .x_desc("Funded (£m)")
            .x_label_formatter(&|v| format!("{v:.1}"))
            .y_label_formatter(&name_of)
            .label_style(("sans-serif", LABEL_FONT_PX))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(|e| draw_error(&e))?;
        for (i, row) in c.footprints.iter().enumerate() {
            let row_top = total - i as i32 * group - half_gap;
            chart
                .draw_series(row.values.iter().enumerate().map(|(j, v)| {
                    let y1 = row_top - j as i32 * bar;
                    Rectangle::new([(0.0, y1 - bar), (v / 1000.0, y1)], colour(j).filled())
                }))
                .map_err(|e| draw_error(&e))?;
        }
        if n == 0 {
            root.draw_text(
                "The reports have no footprints.",
                &("sans-serif", 14).into_font().color(&BLACK),
                (20, top as i32 + 10),
            )
            .map_err(|e| draw_error(&e))?;
        }
        root.present().map_err(|e| draw_error(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    const ALLOCATION_HEADER: &str = "rank,project_id,footprint_id,footprint_name,title,category,status,funded_fraction,capital_2020_21,capital_2021_22,revenue_2020_21,revenue_2021_22,funded_total,full_cost,value,value_per_pound,reason";
    const FOOTPRINT_HEADER: &str = "footprint_id,name,region,population,funded,per_head_gbp,fair_share,share_of_fair_share,projects_funded,readiness,infrastructure,capabilities_before,capabilities_after";

    /// The reference: P1, P2 funded, P4 half funded, P3 not funded, P5 excluded.
    const BASE_ALLOCATION: &str = "\
1,P1,F1,One,EPR one,EPR,funded,1.0000,100.0,50.0,0.0,10.0,160.0,160.0,300.0,1.8750,
2,P2,F1,One,Wifi,Infrastructure,funded,1.0000,40.0,0.0,0.0,0.0,40.0,40.0,100.0,2.5000,
3,P4,F2,Two,Half,EPR,partly funded,0.5000,30.0,20.0,0.0,0.0,50.0,100.0,100.0,1.0000,footprint cap for F2: £0k left
4,P3,F2,Two,Records,Shared care record,not funded,0.0000,0.0,0.0,0.0,0.0,0.0,80.0,0.0,1.5000,\"capital budget 2020/21: £0k left, needs £80k\"
5,P5,F3,Three,Support,Decision support,excluded by rule,0.0000,0.0,0.0,0.0,0.0,0.0,30.0,0.0,1.0000,marked never_fund in the bids
";
    const BASE_FOOTPRINTS: [(&str, &str, f64); 3] = [
        ("F1", "One", 200.0),
        ("F2", "Two", 50.0),
        ("F3", "Three", 0.0),
    ];

    /// The capital cut: P1 drops out, P3 comes in, P4 gets more.
    const CUT_ALLOCATION: &str = "\
1,P2,F1,One,Wifi,Infrastructure,funded,1.0000,40.0,0.0,0.0,0.0,40.0,40.0,100.0,2.5000,
2,P3,F2,Two,Records,Shared care record,funded,1.0000,80.0,0.0,0.0,0.0,80.0,80.0,120.0,1.5000,
3,P4,F2,Two,Half,EPR,partly funded,0.8000,48.0,32.0,0.0,0.0,80.0,100.0,160.0,1.0000,footprint cap for F2: £0k left
4,P1,F1,One,EPR one,EPR,not funded,0.0000,0.0,0.0,0.0,0.0,0.0,160.0,0.0,1.8750,\"capital budget 2020/21: £10k left, needs £100k\"
5,P5,F3,Three,Support,Decision support,excluded by rule,0.0000,0.0,0.0,0.0,0.0,0.0,30.0,0.0,1.0000,marked never_fund in the bids
";
    const CUT_FOOTPRINTS: [(&str, &str, f64); 3] = [
        ("F1", "One", 40.0),
        ("F2", "Two", 160.0),
        ("F3", "Three", 0.0),
    ];

    const BENEFIT: &str = "£k of benefit (present value)";

    struct Fake<'a> {
        scenario: &'a str,
        objective: f64,
        funded: f64,
        unit: &'a str,
        header: &'a str,
        allocation: &'a str,
        footprints: &'a [(&'a str, &'a str, f64)],
    }

    fn base() -> Fake<'static> {
        Fake {
            scenario: "base",
            objective: 500.0,
            funded: 250.0,
            unit: BENEFIT,
            header: ALLOCATION_HEADER,
            allocation: BASE_ALLOCATION,
            footprints: &BASE_FOOTPRINTS,
        }
    }

    fn cut() -> Fake<'static> {
        Fake {
            scenario: "cut",
            objective: 420.0,
            funded: 200.0,
            allocation: CUT_ALLOCATION,
            footprints: &CUT_FOOTPRINTS,
            ..base()
        }
    }

    fn run_json(scenario: &str, objective: f64, funded: f64, unit: &str) -> String {
        format!(
            "{{\n  \"tool\": \"techfund\",\n  \"scenario\": \"{scenario}\",\n  \"status\": \"optimal\",\n  \"objective\": {objective:.1},\n  \"bound\": {objective:.1},\n  \"mip_gap\": 0.0,\n  \"value_unit\": \"{unit}\",\n  \"total_funded_k\": {funded:.1}\n}}\n"
        )
    }

    /// Writes a report folder as `techfund run` would (same headers, CRLF endings).
    fn write(dir: &Path, name: &str, f: &Fake) -> PathBuf {
        let d = dir.join(name);
        std::fs::create_dir_all(&d).unwrap();
        let crlf = |s: &str| s.replace('\n', "\r\n");
        std::fs::write(
            d.join("allocation.csv"),
            crlf(&format!("{}\n{}", f.header, f.allocation)),
        )
        .unwrap();
        let mut fp = format!("{FOOTPRINT_HEADER}\n");
        for (id, name, funded) in f.footprints {
            fp.push_str(&format!(
                "{id},{name},Region,1000,{funded:.1},0.00,0.0,0.000,0,50.0,50.0,50.0,50.0\n"
            ));
        }
        std::fs::write(d.join("footprints.csv"), crlf(&fp)).unwrap();
        std::fs::write(
            d.join("run.json"),
            run_json(f.scenario, f.objective, f.funded, f.unit),
        )
        .unwrap();
        d
    }

    fn base_and_cut() -> (tempfile::TempDir, Vec<ReportView>) {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "base", &base());
        let b = write(tmp.path(), "cut", &cut());
        let views = vec![load_report(&a).unwrap(), load_report(&b).unwrap()];
        (tmp, views)
    }

    fn keyed(rows: &[Row]) -> Vec<(&str, Vec<f64>, f64)> {
        rows.iter()
            .map(|r| (r.key.as_str(), r.values.clone(), r.difference()))
            .collect()
    }

    fn cell_of(e: Error) -> (PathBuf, u64, u64, Option<String>, String) {
        match e {
            Error::Input(InputError {
                location:
                    Location::Cell {
                        file,
                        line,
                        column,
                        column_name,
                    },
                problem,
                ..
            }) => (file, line, column, column_name, problem),
            other => panic!("expected an input error at a cell, got {other:?}"),
        }
    }

    fn file_of(e: Error) -> (PathBuf, String, String) {
        match e {
            Error::Input(InputError {
                location: Location::File(file),
                problem,
                fix,
            }) => (file, problem, fix),
            other => panic!("expected an input error about a file, got {other:?}"),
        }
    }

    #[test]
    fn reads_a_report_folder_back() {
        let (_tmp, views) = base_and_cut();
        let v = &views[0];
        assert_eq!(v.scenario, "base");
        assert_eq!(v.status, "optimal");
        assert_eq!(v.mip_gap, Some(0.0));
        assert_eq!((v.objective, v.total_funded), (500.0, 250.0));
        assert_eq!(v.value_unit, BENEFIT);
        assert_eq!(v.projects.len(), 5);
        assert_eq!(
            v.projects[3],
            ProjectRow {
                project_id: "P3".into(),
                footprint_id: "F2".into(),
                title: "Records".into(),
                category: "Shared care record".into(),
                status: "not funded".into(),
                fraction: 0.0,
                funded: 0.0,
                reason: "capital budget 2020/21: £0k left, needs £80k".into(),
            }
        );
        let spend: Vec<_> = v
            .spend
            .iter()
            .map(|((y, l), x)| (y.as_str(), l.as_str(), *x))
            .collect();
        assert_eq!(
            spend,
            [
                ("2020/21", "capital", 170.0),
                ("2020/21", "revenue", 0.0),
                ("2021/22", "capital", 70.0),
                ("2021/22", "revenue", 10.0),
            ]
        );
    }

    #[test]
    fn known_reports_give_exact_differences() {
        let (_tmp, views) = base_and_cut();
        let c = diff(&views);
        assert!(c.values_comparable);
        assert!(c.notes.is_empty(), "{:?}", c.notes);
        let labels: Vec<&str> = c.reports.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["base", "cut"]);
        assert_eq!(c.reports[1].value, 420.0);
        assert_eq!(c.reports[1].funded, 200.0);
        assert_eq!(
            (c.reports[0].projects_funded, c.reports[1].projects_funded),
            (3, 3)
        );

        assert_eq!(
            keyed(&c.year_lines),
            [
                ("2020/21 capital", vec![170.0, 168.0], -2.0),
                ("2020/21 revenue", vec![0.0, 0.0], 0.0),
                ("2021/22 capital", vec![70.0, 32.0], -38.0),
                ("2021/22 revenue", vec![10.0, 0.0], -10.0),
            ]
        );
        // Largest change first, ties by id.
        assert_eq!(
            keyed(&c.footprints),
            [
                ("F1", vec![200.0, 40.0], -160.0),
                ("F2", vec![50.0, 160.0], 110.0),
                ("F3", vec![0.0, 0.0], 0.0),
            ]
        );
        assert_eq!(c.footprints[1].name, "Two");
        assert_eq!(
            keyed(&c.categories),
            [
                ("EPR", vec![210.0, 80.0], -130.0),
                ("Shared care record", vec![0.0, 80.0], 80.0),
                ("Decision support", vec![0.0, 0.0], 0.0),
                ("Infrastructure", vec![40.0, 40.0], 0.0),
            ]
        );

        let moved: Vec<(&str, Vec<f64>, Vec<Movement>, f64)> = c
            .projects
            .iter()
            .map(|p| {
                (
                    p.project_id.as_str(),
                    p.funded(),
                    p.movements(),
                    p.difference(),
                )
            })
            .collect();
        assert_eq!(
            moved,
            [
                ("P1", vec![160.0, 0.0], vec![Movement::Out], -160.0),
                ("P3", vec![0.0, 80.0], vec![Movement::In], 80.0),
                ("P4", vec![50.0, 80.0], vec![Movement::More], 30.0),
            ]
        );
        let p1 = &c.projects[0];
        assert_eq!(p1.sides[0].as_ref().unwrap().status, "funded");
        assert_eq!(p1.sides[0].as_ref().unwrap().reason, "");
        assert_eq!(
            p1.sides[1].as_ref().unwrap().reason,
            "capital budget 2020/21: £10k left, needs £100k"
        );
        let p3 = &c.projects[1];
        assert_eq!(
            p3.sides[0].as_ref().unwrap().reason,
            "capital budget 2020/21: £0k left, needs £80k"
        );
    }

    #[test]
    fn csv_is_one_tidy_long_table() {
        let (_tmp, views) = base_and_cut();
        let csv = String::from_utf8(render_csv(&diff(&views))).unwrap();
        let expected = "\
section,key,base,cut,difference
total,status,optimal,optimal,
total,value_unit,£k of benefit (present value),£k of benefit (present value),
total,mip_gap_pct,0.0000,0.0000,0.0000
total,value,500.0,420.0,-80.0
total,funded,250.0,200.0,-50.0
total,projects_funded,3,3,0
year_line,2020/21 capital,170.0,168.0,-2.0
year_line,2020/21 revenue,0.0,0.0,0.0
year_line,2021/22 capital,70.0,32.0,-38.0
year_line,2021/22 revenue,10.0,0.0,-10.0
footprint,F1,200.0,40.0,-160.0
footprint,F2,50.0,160.0,110.0
footprint,F3,0.0,0.0,0.0
category,EPR,210.0,80.0,-130.0
category,Shared care record,0.0,80.0,80.0
category,Decision support,0.0,0.0,0.0
category,Infrastructure,40.0,40.0,0.0
project,P1,160.0,0.0,-160.0
project,P3,0.0,80.0,80.0
project,P4,50.0,80.0,30.0
";
        assert_eq!(csv, expected.replace('\n', "\r\n"));
    }

    #[test]
    fn markdown_lists_moves_with_reasons() {
        let (_tmp, views) = base_and_cut();
        let md = render_markdown(&diff(&views));
        for line in [
            "# Comparison: base vs cut",
            "| Value (£k of benefit (present value)) | 500 | 420 | -80 |",
            "| Total funded (£k) | 250 | 200 | -50 |",
            "| 2021/22 | capital | 70 | 32 | -38 |",
            "2 of 3 footprints get different money; comparison.csv has every footprint.",
            "| F2 | Two | 50 | 160 | +110 |",
            "| Shared care record | 0 | 80 | +80 |",
            "| P1 | EPR one | F1 | funded (160) | **out**: not funded | -160 | cut: capital budget 2020/21: £10k left, needs £100k |",
            "| P3 | Records | F2 | not funded | **in**: funded (80) | +80 | base: capital budget 2020/21: £0k left, needs £80k |",
            "| P4 | Half | F2 | partly funded 50% (50) | **more**: partly funded 80% (80) | +30 | base: footprint cap for F2: £0k left; cut: footprint cap for F2: £0k left |",
        ] {
            assert!(md.contains(line), "missing {line:?} in\n{md}");
        }
        // An unchanged footprint is left out of the Markdown (the CSV has it).
        assert!(!md.contains("| F3 |"), "{md}");
    }

    #[test]
    fn markdown_cells_escape_pipes_and_csv_guards_formulas() {
        let tmp = tempfile::tempdir().unwrap();
        // The report writer guarded the formula-like title with an apostrophe.
        let hostile = BASE_ALLOCATION.replace("EPR one", "'=cmd|' /C calc'!A0");
        let a = write(
            tmp.path(),
            "a",
            &Fake {
                allocation: &hostile,
                ..base()
            },
        );
        let b = write(
            tmp.path(),
            "b",
            &Fake {
                scenario: "+cut",
                ..cut()
            },
        );
        let c = diff(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
        assert_eq!(c.projects[0].title, "=cmd|' /C calc'!A0");
        let md = render_markdown(&c);
        assert!(md.contains("| P1 | =cmd\\|' /C calc'!A0 | F1 |"), "{md}");
        let csv = String::from_utf8(render_csv(&c)).unwrap();
        assert!(
            csv.starts_with("section,key,base,'+cut,difference\r\n"),
            "{csv}"
        );
    }

    #[test]
    fn missing_years_footprints_and_projects_count_as_zero_and_are_noted() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a", &base());
        // The other report runs a year longer and has a fourth footprint and project.
        let header =
            ALLOCATION_HEADER.replace("revenue_2021_22,", "revenue_2021_22,capital_2022_23,");
        let mut rows = String::new();
        for line in CUT_ALLOCATION.lines() {
            let mut fields: Vec<&str> = line.splitn(13, ',').collect();
            let rest = fields.pop().unwrap();
            rows.push_str(&format!("{},0.0,{rest}\n", fields.join(",")));
        }
        rows.push_str(
            "6,P6,F4,Four,New,EPR,funded,1.0000,0.0,0.0,0.0,0.0,25.0,25.0,25.0,40.0,1.6000,\n",
        );
        let footprints = [
            ("F1", "One", 40.0),
            ("F2", "Two", 160.0),
            ("F3", "Three", 0.0),
            ("F4", "Four", 25.0),
        ];
        let b = write(
            tmp.path(),
            "b",
            &Fake {
                header: &header,
                allocation: &rows,
                footprints: &footprints,
                funded: 225.0,
                ..cut()
            },
        );
        let c = diff(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
        assert_eq!(
            keyed(&c.year_lines),
            [
                ("2020/21 capital", vec![170.0, 168.0], -2.0),
                ("2020/21 revenue", vec![0.0, 0.0], 0.0),
                ("2021/22 capital", vec![70.0, 32.0], -38.0),
                ("2021/22 revenue", vec![10.0, 0.0], -10.0),
                ("2022/23 capital", vec![0.0, 25.0], 25.0),
            ]
        );
        assert_eq!(c.footprints[2].key, "F4");
        assert_eq!(c.footprints[2].values, [0.0, 25.0]);
        let p6 = c.projects.iter().find(|p| p.project_id == "P6").unwrap();
        assert_eq!(p6.sides[0], None);
        assert_eq!(p6.movements(), [Movement::In]);
        assert_eq!(
            c.notes,
            [
                "base has no financial year and budget line 2022/23 capital; it counts as 0 there.",
                "base has no footprint F4; it counts as 0 there.",
                "base has no project P6; it counts as not funded there.",
            ]
        );
        let md = render_markdown(&c);
        assert!(md.contains("- base has no footprint F4; it counts as 0 there."));
        assert!(md.contains("| P6 | New | F4 | not in this report | **in**: funded (25) | +25 | base: not among its projects |"), "{md}");
    }

    #[test]
    fn an_unproven_solve_is_noted() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a", &base());
        let b = write(tmp.path(), "b", &cut());
        let json = std::fs::read_to_string(b.join("run.json")).unwrap();
        std::fs::write(
            b.join("run.json"),
            json.replace("\"optimal\"", "\"time_limit\"")
                .replace("\"mip_gap\": 0.0", "\"mip_gap\": null"),
        )
        .unwrap();
        let c = diff(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
        assert_eq!(c.reports[1].mip_gap, None);
        assert_eq!(
            c.notes,
            ["cut was not solved to proven optimality (status time limit), so part of its difference may come from the solver rather than the scenario."]
        );
        let md = render_markdown(&c);
        assert!(
            md.contains("| Solver status | optimal | time limit |  |"),
            "{md}"
        );
        assert!(md.contains("| MIP gap | 0.0000% | no bound |  |"), "{md}");
        let csv = String::from_utf8(render_csv(&c)).unwrap();
        assert!(csv.contains("total,mip_gap_pct,0.0000,,\r\n"), "{csv}");
    }

    #[test]
    fn values_in_different_units_are_not_subtracted() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a", &base());
        let b = write(
            tmp.path(),
            "b",
            &Fake {
                unit: "person-points of maturity",
                ..cut()
            },
        );
        let c = diff(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
        assert!(!c.values_comparable);
        assert!(c.notes[0].contains("not comparable"), "{:?}", c.notes);
        let csv = String::from_utf8(render_csv(&c)).unwrap();
        assert!(csv.contains("total,value,500.0,420.0,\r\n"), "{csv}");
        let md = render_markdown(&c);
        assert!(
            md.contains("| Value | 500 £k of benefit (present value) | 420 person-points of maturity | not comparable |"),
            "{md}"
        );
    }

    #[test]
    fn with_three_reports_the_difference_is_the_largest_change() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a", &base());
        let b = write(tmp.path(), "b", &cut());
        let footprints = [
            ("F1", "One", 230.0),
            ("F2", "Two", 50.0),
            ("F3", "Three", 0.0),
        ];
        let d = write(
            tmp.path(),
            "d",
            &Fake {
                scenario: "cut",
                footprints: &footprints,
                ..cut()
            },
        );
        let c = diff(&[
            load_report(&a).unwrap(),
            load_report(&b).unwrap(),
            load_report(&d).unwrap(),
        ]);
        // Two reports share a scenario name, so their columns carry their positions.
        let labels: Vec<&str> = c.reports.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["base", "cut (2)", "cut (3)"]);
        let f1 = c.footprints.iter().find(|r| r.key == "F1").unwrap();
        assert_eq!(f1.changes(), [-160.0, 30.0]);
        assert_eq!(f1.difference(), -160.0);
        let f2 = c.footprints.iter().find(|r| r.key == "F2").unwrap();
        assert_eq!(f2.changes(), [110.0, 0.0]);
        assert_eq!(f2.difference(), 110.0);
        let md = render_markdown(&c);
        assert!(
            md.contains("| Footprint | Name | base | cut (2) | cut (3) | Δ cut (2) | Δ cut (3) |"),
            "{md}"
        );
        assert!(
            md.contains("| F1 | One | 200 | 40 | 230 | -160 | +30 |"),
            "{md}"
        );
    }

    #[test]
    fn long_project_lists_show_the_50_largest_and_a_count() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut before, mut after) = (String::new(), String::new());
        for i in 1..=60 {
            let cost = i as f64 * 10.0;
            before.push_str(&format!("{i},Q{i:02},F1,One,Bid {i},EPR,funded,1.0000,{cost:.1},0.0,0.0,0.0,{cost:.1},{cost:.1},{cost:.1},1.0000,\n"));
            after.push_str(&format!("{i},Q{i:02},F1,One,Bid {i},EPR,not funded,0.0000,0.0,0.0,0.0,0.0,0.0,{cost:.1},0.0,1.0000,budget\n"));
        }
        let a = write(
            tmp.path(),
            "a",
            &Fake {
                allocation: &before,
                ..base()
            },
        );
        let b = write(
            tmp.path(),
            "b",
            &Fake {
                allocation: &after,
                ..cut()
            },
        );
        let c = diff(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
        assert_eq!(c.projects.len(), 60);
        assert_eq!(c.projects[0].project_id, "Q60");
        let md = render_markdown(&c);
        assert!(md.contains("| Q11 | Bid 11 |"));
        assert!(!md.contains("| Q10 | Bid 10 |"));
        assert!(md.contains("…and 10 more in comparison.csv."), "{md}");
        let csv = String::from_utf8(render_csv(&c)).unwrap();
        assert!(csv.contains("project,Q01,10.0,0.0,-10.0\r\n"));
    }

    #[test]
    fn compare_writes_three_files_and_is_deterministic() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a", &base());
        let b = write(tmp.path(), "b", &cut());
        let reports = [a, b];
        for out in ["out1", "out2"] {
            compare(&reports, &tmp.path().join(out)).unwrap();
        }
        for name in ["comparison.md", "comparison.csv", "comparison.svg"] {
            let one = std::fs::read(tmp.path().join("out1").join(name)).unwrap();
            let two = std::fs::read(tmp.path().join("out2").join(name)).unwrap();
            assert!(!one.is_empty(), "{name}");
            assert_eq!(one, two, "{name}");
        }
        let svg = std::fs::read_to_string(tmp.path().join("out1/comparison.svg")).unwrap();
        assert!(svg.starts_with("<svg"));
        for text in [
            "Funded per footprint (£m), largest change from base first",
            "Funded (£m)",
            "#0072B2",
            "#E69F00",
            ">\nOne\n<",
            ">\ncut\n<",
        ] {
            assert!(svg.contains(text), "missing {text:?}");
        }
        // Rerunning into the same folder replaces the comparison.
        compare(&reports, &tmp.path().join("out1")).unwrap();
    }

    #[test]
    fn chart_height_grows_with_the_number_of_footprints() {
        let height = |n: usize| {
            let mut c = diff(&base_and_cut().1);
            c.footprints = (0..n)
                .map(|i| Row {
                    key: format!("F{i}"),
                    name: format!("Footprint number {i}"),
                    values: vec![i as f64 * 100.0, 50.0],
                })
                .collect();
            let svg = render_svg(&c).unwrap();
            let h = svg.split("height=\"").nth(1).unwrap();
            h[..h.find('"').unwrap()].parse::<u32>().unwrap()
        };
        let (h40, h100) = (height(40), height(100));
        // Each footprint gets the same room (two bars and a gap), however many there are.
        assert_eq!(h100 - h40, 60 * (2 * BAR_PX + GROUP_GAP_PX));
        assert!(h40 >= 40 * 20, "{h40}");
    }

    #[test]
    fn fewer_than_two_reports_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a", &base());
        let e = compare(std::slice::from_ref(&a), &tmp.path().join("out")).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let (file, problem, _) = file_of(e);
        assert_eq!(file, a);
        assert!(
            problem.contains("at least two report folders, got 1"),
            "{problem}"
        );
        assert!(compare(&[], &tmp.path().join("out")).is_err());
        assert!(!tmp.path().join("out").exists());
    }

    #[test]
    fn an_output_folder_holding_the_reports_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let a = write(tmp.path(), "a", &base());
        let b = write(tmp.path(), "b", &cut());
        let (file, problem, _) = file_of(compare(&[a.clone(), b], tmp.path()).unwrap_err());
        assert_eq!(file, tmp.path());
        assert!(problem.contains("holds the report folder"), "{problem}");
        assert!(a.join("allocation.csv").exists());
    }

    #[test]
    fn a_missing_folder_or_file_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let (file, problem, fix) = file_of(load_report(&tmp.path().join("nope")).unwrap_err());
        assert_eq!(file, tmp.path().join("nope"));
        assert!(problem.contains("no report folder"), "{problem}");
        assert!(fix.contains("techfund run"), "{fix}");

        for name in ["run.json", "allocation.csv", "footprints.csv"] {
            let d = write(tmp.path(), name, &base());
            std::fs::remove_file(d.join(name)).unwrap();
            let (file, problem, fix) = file_of(load_report(&d).unwrap_err());
            assert_eq!(file, d.join(name));
            assert!(problem.starts_with("cannot read the file"), "{problem}");
            assert!(fix.contains("re-run `techfund run"), "{fix}");
        }
    }

    #[test]
    fn a_missing_column_is_named_at_the_header() {
        let tmp = tempfile::tempdir().unwrap();
        let header = ALLOCATION_HEADER.replace(",reason", "");
        // Every row of the base fixture has 17 fields; keep the first 16.
        let rows: String = BASE_ALLOCATION
            .lines()
            .map(|l| {
                format!(
                    "{}\n",
                    l.splitn(17, ',').take(16).collect::<Vec<_>>().join(",")
                )
            })
            .collect();
        let d = write(
            tmp.path(),
            "a",
            &Fake {
                header: &header,
                allocation: &rows,
                ..base()
            },
        );
        let (file, line, column, name, problem) = cell_of(load_report(&d).unwrap_err());
        assert_eq!(file, d.join("allocation.csv"));
        assert_eq!((line, column), (1, 17));
        assert_eq!(name.as_deref(), Some("reason"));
        assert_eq!(problem, "the header has no `reason` column");
    }

    #[test]
    fn a_bad_number_is_named_by_line_and_column() {
        let tmp = tempfile::tempdir().unwrap();
        let rows = BASE_ALLOCATION.replace("0.0,40.0,40.0,100.0", "0.0,forty,40.0,100.0");
        let d = write(
            tmp.path(),
            "a",
            &Fake {
                allocation: &rows,
                ..base()
            },
        );
        let e = load_report(&d).unwrap_err();
        let message = e.to_string();
        let (file, line, column, name, problem) = cell_of(e);
        assert_eq!(file, d.join("allocation.csv"));
        assert_eq!((line, column), (3, 13));
        assert_eq!(name.as_deref(), Some("funded_total"));
        assert_eq!(problem, "`forty` is not a number");
        assert!(
            message.contains("allocation.csv:3:13 (`funded_total`)"),
            "{message}"
        );

        // The same in footprints.csv, and in a money column.
        let d = write(tmp.path(), "b", &base());
        let fp = std::fs::read_to_string(d.join("footprints.csv")).unwrap();
        std::fs::write(
            d.join("footprints.csv"),
            fp.replace("Two,Region,1000,50.0", "Two,Region,1000,n/a"),
        )
        .unwrap();
        let (_, line, column, name, _) = cell_of(load_report(&d).unwrap_err());
        assert_eq!((line, column, name.as_deref()), (3, 5, Some("funded")));

        let rows = BASE_ALLOCATION.replace("1.0000,100.0,50.0", "1.0000,100.0,x");
        let d = write(
            tmp.path(),
            "c",
            &Fake {
                allocation: &rows,
                ..base()
            },
        );
        let (_, line, column, name, _) = cell_of(load_report(&d).unwrap_err());
        assert_eq!(
            (line, column, name.as_deref()),
            (2, 10, Some("capital_2021_22"))
        );
    }

    /// Regression: the csv crate counts lines one short after CRLF (rust-csv#395).
    #[test]
    fn line_numbers_are_right_for_lf_and_crlf_files() {
        let tmp = tempfile::tempdir().unwrap();
        let rows = BASE_ALLOCATION.replace(
            "P3,F2,Two,Records,Shared care record,not funded,0.0000",
            "P3,F2,Two,Records,Shared care record,not funded,zero",
        );
        let d = write(
            tmp.path(),
            "a",
            &Fake {
                allocation: &rows,
                ..base()
            },
        );
        let crlf = std::fs::read_to_string(d.join("allocation.csv")).unwrap();
        assert!(crlf.contains("\r\n"));
        for text in [crlf.clone(), crlf.replace("\r\n", "\n")] {
            std::fs::write(d.join("allocation.csv"), text).unwrap();
            let (_, line, column, name, _) = cell_of(load_report(&d).unwrap_err());
            assert_eq!(
                (line, column, name.as_deref()),
                (5, 8, Some("funded_fraction"))
            );
        }
    }

    #[test]
    fn short_rows_and_repeated_projects_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        let rows = BASE_ALLOCATION.replace(",marked never_fund in the bids", "");
        let d = write(
            tmp.path(),
            "a",
            &Fake {
                allocation: &rows,
                ..base()
            },
        );
        let (_, line, column, _, problem) = cell_of(load_report(&d).unwrap_err());
        assert_eq!((line, column), (6, 17));
        assert_eq!(problem, "this row has 16 fields but the header has 17");

        let rows = BASE_ALLOCATION.replace("2,P2,", "2,P1,");
        let d = write(
            tmp.path(),
            "b",
            &Fake {
                allocation: &rows,
                ..base()
            },
        );
        let (_, line, column, name, problem) = cell_of(load_report(&d).unwrap_err());
        assert_eq!((line, column, name.as_deref()), (3, 2, Some("project_id")));
        assert_eq!(problem, "`P1` appears twice (lines 2 and 3)");
    }

    #[test]
    fn a_bad_run_json_is_named_by_line_column_and_key() {
        let tmp = tempfile::tempdir().unwrap();
        let d = write(tmp.path(), "a", &base());
        let json = run_json("base", 500.0, 250.0, BENEFIT);
        std::fs::write(
            d.join("run.json"),
            json.replace("\"objective\": 500.0", "\"objective\": \"lots\""),
        )
        .unwrap();
        let (file, line, column, name, problem) = cell_of(load_report(&d).unwrap_err());
        assert_eq!(file, d.join("run.json"));
        assert_eq!(line, 5);
        assert!(column > 14, "{column}");
        assert_eq!(name.as_deref(), Some("objective"));
        assert!(problem.contains("invalid type"), "{problem}");
        assert!(!problem.contains("at line"), "{problem}");

        std::fs::write(
            d.join("run.json"),
            json.replace("  \"value_unit\": \"£k of benefit (present value)\",\n", ""),
        )
        .unwrap();
        let (_, _, _, name, problem) = cell_of(load_report(&d).unwrap_err());
        assert_eq!(name.as_deref(), Some("value_unit"));
        assert_eq!(problem, "cannot read run.json: missing field `value_unit`");
    }
}
