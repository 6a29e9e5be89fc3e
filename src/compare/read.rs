//! A report folder → typed data, read only from the files `techfund run` writes for
//! machines: run.json, allocation.csv and footprints.csv. Every error names the file,
//! the line and column (or the JSON key) and how to make the file again.

use super::{FootprintRow, ProjectRow, ReportView};
use crate::csvio::CsvTable;
use crate::dataset;
use crate::domain::{BudgetLine, Dataset, FinancialYear, InputFile};
use crate::error::{InputError, Result};
use crate::format::spreadsheet_safe;
use crate::scenario::{FundingMode, NeedPolicy, ObjectiveKind, ValueUnit};
use crate::solve::SolveStatus;
use serde::de::value::StrDeserializer;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const REMAKE: &str = "re-run `techfund run <scenario> --out <folder>` to make it again";

/// The fields of run.json a comparison needs; the rest is ignored. Fields added to
/// run.json after its first release are optional, so older report folders still load;
/// the comparison then says what it cannot do without them.
#[derive(Deserialize)]
struct RunJson {
    scenario: String,
    #[serde(deserialize_with = "name")]
    status: SolveStatus,
    objective: f64,
    /// serde_json writes an infinite gap (no bound) as null.
    mip_gap: Option<f64>,
    value_unit: ValueUnit,
    total_funded_k: f64,
    #[serde(default)]
    inputs: Vec<RunInput>,
    #[serde(default, deserialize_with = "optional_name")]
    objective_kind: Option<ObjectiveKind>,
    #[serde(default, deserialize_with = "optional_name")]
    need: Option<NeedPolicy>,
    #[serde(default, deserialize_with = "optional_name")]
    funding: Option<FundingMode>,
    #[serde(default, deserialize_with = "financial_years")]
    years: Option<Vec<FinancialYear>>,
    #[serde(default, deserialize_with = "budget_lines")]
    budget_lines: Option<Vec<BudgetLine>>,
    data_dir: Option<PathBuf>,
    working_dir: Option<PathBuf>,
    appraisal: Option<RunAppraisal>,
}

/// run.json `appraisal`, as `appraisal::Settings` serialises.
#[derive(Deserialize)]
struct RunAppraisal {
    period: u32,
    base_year: String,
    schedule: RunSchedule,
    optimism_bias: f64,
    by_category: Vec<(String, f64)>,
    in_budget: bool,
    duration_bias: f64,
    duration_by_category: Vec<(String, f64)>,
}

#[derive(Deserialize)]
struct RunSchedule {
    steps: Vec<(u32, f64)>,
}

impl RunAppraisal {
    fn settings(self) -> std::result::Result<crate::appraisal::Settings, String> {
        Ok(crate::appraisal::Settings {
            period: self.period,
            base_year: FinancialYear::parse(&self.base_year)?,
            schedule: crate::appraisal::Schedule {
                steps: self.schedule.steps,
            },
            optimism_bias: self.optimism_bias,
            by_category: self.by_category,
            in_budget: self.in_budget,
            duration_bias: self.duration_bias,
            duration_by_category: self.duration_by_category,
        })
    }
}

#[derive(Deserialize)]
struct RunInput {
    path: String,
    sha256: String,
}

/// One of an enum's names. Read as text first: serde_json's own message for a number
/// where a name belongs is only "expected value".
fn name<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> std::result::Result<T, D::Error> {
    let text = String::deserialize(d)?;
    T::deserialize(StrDeserializer::<D::Error>::new(&text))
}

fn optional_name<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> std::result::Result<Option<T>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    T::deserialize(StrDeserializer::<D::Error>::new(&text)).map(Some)
}

fn financial_years<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<FinancialYear>>, D::Error> {
    let Some(labels) = Option::<Vec<String>>::deserialize(d)? else {
        return Ok(None);
    };
    labels
        .iter()
        .map(|l| FinancialYear::parse(l).map_err(serde::de::Error::custom))
        .collect::<std::result::Result<_, _>>()
        .map(Some)
}

fn budget_lines<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<BudgetLine>>, D::Error> {
    let Some(names) = Option::<Vec<String>>::deserialize(d)? else {
        return Ok(None);
    };
    names
        .iter()
        .map(|n| {
            BudgetLine::ALL
                .into_iter()
                .find(|l| l.name() == n)
                .ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "unknown budget line `{n}`, expected `capital` or `revenue`"
                    ))
                })
        })
        .collect::<std::result::Result<_, _>>()
        .map(Some)
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
    let mut run = read_run_json(&dir.join("run.json"))?;
    let appraisal = match run.appraisal.take().map(RunAppraisal::settings) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(problem)) => {
            return Err(InputError::file(
                &dir.join("run.json"),
                format!("cannot read run.json: `appraisal.base_year`: {problem}"),
                format!(
                    "write the base year as `techfund run` does, e.g. \"2016/17\", or {REMAKE}"
                ),
            )
            .into())
        }
    };
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
        objective_kind: run.objective_kind,
        need: run.need,
        funding: run.funding,
        years: run.years,
        budget_lines: run.budget_lines,
        inputs: run
            .inputs
            .into_iter()
            .map(|i| InputFile {
                path: i.path,
                sha256: i.sha256,
            })
            .collect(),
        data_dir: run.data_dir,
        working_dir: run.working_dir,
        appraisal,
        spend,
        projects,
        footprints,
    })
}

/// The reference's dataset read again for its years, so other reports can be scored
/// by its objective: only when its run.json says where the dataset was and the files
/// there still have the SHA-256 it lists. Otherwise why not, as a clause for a note.
pub fn dataset_of(reference: &ReportView) -> std::result::Result<Dataset, String> {
    let (Some(data_dir), Some(years)) = (&reference.data_dir, &reference.years) else {
        return Err("the reference's run.json does not record its dataset folder and years (it was written before techfund recorded `data_dir` and `years`); re-run it with `techfund run` to compare values".into());
    };
    // Relative paths are relative to where the run started; failing that, to here
    // (a report folder copied with its data to another machine).
    let here = PathBuf::new();
    let mut bases: Vec<&Path> = reference.working_dir.iter().map(PathBuf::as_path).collect();
    if std::env::current_dir().ok().as_deref() != bases.first().copied() {
        bases.push(&here);
    }
    let mut first_problem = None;
    for base in bases {
        match dataset_at(reference, base, data_dir, years) {
            Ok(data) => return Ok(data),
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    Err(first_problem.expect("one place to look at least"))
}

fn dataset_at(
    reference: &ReportView,
    base: &Path,
    data_dir: &Path,
    years: &[FinancialYear],
) -> std::result::Result<Dataset, String> {
    let mut checked = Vec::new();
    for listed in dataset::files_of(data_dir) {
        let input = reference
            .inputs
            .iter()
            .find(|i| Path::new(&i.path) == listed)
            .ok_or_else(|| {
                format!(
                    "the reference's run.json does not list its dataset file {} among its inputs",
                    listed.display()
                )
            })?;
        let path = base.join(&listed);
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "the reference's dataset file {} cannot be read ({e}); put the dataset back where the reference's run found it, or re-run the reference",
                path.display()
            )
        })?;
        if dataset::sha256_hex(&bytes) != input.sha256 {
            return Err(format!(
                "the reference's dataset file {} has changed since the reference was run (its SHA-256 no longer matches run.json); re-run the reference on the data as it is now",
                path.display()
            ));
        }
        checked.push(input.sha256.as_str());
    }
    let data = dataset::load(&base.join(data_dir), years)
        .map_err(|e| format!("the reference's dataset no longer loads: {e}"))?;
    // The loader reads the files again; they must still be the ones just checked.
    if !data.files.iter().map(|f| f.sha256.as_str()).eq(checked) {
        return Err("the reference's dataset files changed while being read".into());
    }
    Ok(data)
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
            format!("a comparison needs `scenario`, `status`, `objective`, `mip_gap`, `value_unit` and `total_funded_k`, each as `techfund run` writes it; {REMAKE}"),
        )
    })
}

fn between_backticks(text: &str) -> Option<String> {
    let start = text.find('`')? + 1;
    let len = text[start..].find('`')?;
    Some(text[start..start + len].to_string())
}

/// The last JSON key before `line`:`column`, to name the field a type error is in. It
/// looks back across lines because serde reports an error in a list at the list's end.
fn key_before(text: &str, line: usize, column: usize) -> Option<String> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let end = (line_start + column).min(text.len());
    let head = text.get(..end)?;
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
    // Only a run with phasing writes start_shift.
    let start_shift = t
        .headers
        .iter()
        .position(|h| h == crate::schema::allocation::START_SHIFT);
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
            start_shift: match start_shift {
                Some(col) => whole_years(&t, *line, r, col)?,
                None => 0,
            },
        });
    }
    Ok((projects, spend))
}

/// A cell of whole years, 0 or more (a start shift).
fn whole_years(
    t: &Table,
    line: u64,
    record: &csv::StringRecord,
    col: usize,
) -> Result<u32, InputError> {
    let v = t.number(line, record, col)?;
    if v < 0.0 || v.fract() != 0.0 || v > f64::from(u16::MAX) {
        return Err(InputError::at(
            &t.path,
            line,
            col as u64 + 1,
            Some(&t.headers[col]),
            format!("`{v}` is not a whole number of years"),
            format!("write whole years the start moved, 0 or more, or {REMAKE}"),
        ));
    }
    Ok(v as u32)
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
