//! Load: `footprints.csv` and `projects.csv`, or a workbook with sheets `Footprints`
//! and `Projects`, → a validated `Dataset`.
//!
//! Every problem is reported with file, line and column (1-based, as a
//! spreadsheet shows them), or with sheet and cell (`Projects!F12`), and what to do
//! about it. Both kinds of file become a [`table::Table`] first and pass the same
//! checks, so a workbook and its CSV twin give the same dataset.

use crate::csvio::CsvTable;
use crate::domain::{
    BudgetLine, Dataset, FinancialYear, Footprint, InputFile, Maturity, Money, Project,
};
use crate::error::{Error, InputError, Result, Source};
use crate::format::{clip, ECHO};
use crate::scenario::Scenario;
use crate::schema::{cost_column, footprints, parse_cost_column, projects};
use number::Kind;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use table::{Cells, Table, Value};
use text::{LONG_TEXT, SHORT_TEXT};

pub mod bundles;
pub mod file;
pub mod number;
pub mod table;
pub mod text;
pub mod workbook;

pub const FOOTPRINTS_FILE: &str = "footprints.csv";
pub const PROJECTS_FILE: &str = "projects.csv";

/// Whether `data` names a workbook rather than a folder of CSV files.
pub fn is_workbook(data: &Path) -> bool {
    data.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// The files a dataset at `data` is read from: the workbook, or the two CSV files.
pub fn files_of(data: &Path) -> Vec<std::path::PathBuf> {
    if is_workbook(data) {
        vec![data.to_path_buf()]
    } else {
        vec![data.join(FOOTPRINTS_FILE), data.join(PROJECTS_FILE)]
    }
}

/// Why a dataset did not load.
enum Failure {
    Input(InputError),
    /// The scenario asks for a financial year that projects.csv has no cost column for
    /// at all: the scenario's `years` is what to fix, or the data is the wrong one.
    YearNotCosted(Box<NotCosted>),
}

/// A financial year of the scenario with no cost column in projects.csv.
struct NotCosted {
    year: FinancialYear,
    /// The cost columns that year needs, none of which the header has.
    missing: Vec<String>,
    /// The years the file does cost.
    costed: Vec<FinancialYear>,
    /// The same problem as an error at projects.csv's header, for callers that
    /// have no scenario to blame.
    at_header: InputError,
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

impl Failure {
    /// The error, blamed on the data files (no scenario to point at).
    fn on_data(self) -> InputError {
        match self {
            Failure::Input(e) => e,
            Failure::YearNotCosted(n) => n.at_header,
        }
    }
}

/// Reads the dataset in `dir`, with costs aligned to the scenario's `years`.
pub fn load(dir: &Path, years: &[FinancialYear]) -> Result<Dataset> {
    Ok(load_files(dir, years).map_err(Failure::on_data)?)
}

/// Reads the scenario's dataset. A year in the scenario that the data does not cost
/// is blamed on the scenario's `years` key, where it is most often fixed. The kinds of
/// rule the bids carry that the scenario ignores (`[ignore] dependencies`, `must_fund`)
/// are dropped here, so every later stage sees bids without them.
pub fn load_for(scenario: &Scenario) -> Result<Dataset> {
    let mut data = load_bids_for(scenario)?;
    ignore_bid_rules(&mut data, &scenario.rules.ignore);
    Ok(data)
}

/// Drops the rules the bids carry that `ignore` names.
pub fn ignore_bid_rules(data: &mut Dataset, ignore: &crate::scenario::Ignore) {
    for p in &mut data.projects {
        if ignore.dependencies {
            p.requires.clear();
        }
        if ignore.must_fund {
            p.must_fund = false;
        }
    }
}

fn load_bids_for(scenario: &Scenario) -> Result<Dataset> {
    load_files(&scenario.data, &scenario.years).map_err(|f| match f {
        Failure::Input(e) => Error::Input(e),
        Failure::YearNotCosted(n) => {
            let NotCosted {
                year,
                missing,
                costed,
                ..
            } = *n;
            let missing: Vec<String> = missing.iter().map(|c| format!("`{c}`")).collect();
            let covered = match (costed.first(), costed.last()) {
                (Some(a), Some(b)) if a == b => format!("it costs {a} only"),
                (Some(a), Some(b)) => format!("it costs {a} to {b}"),
                _ => "it has no cost columns at all".into(),
            };
            Error::Input(scenario.key_error(
                "",
                "years",
                format!(
                    "the scenario's years include {year}, but {} has no cost for it (no {} column); {covered}",
                    projects_name(&scenario.data),
                    missing.join(" or ")
                ),
                format!(
                    "list only years the data costs in `years` (and one budget amount per year), or add {} to {}",
                    missing.join(" and "),
                    projects_name(&scenario.data)
                ),
            ))
        }
    })
}

/// Parses a dataset from the bytes of its two files, without touching the disk; the
/// names are used in messages and the manifest. `load` is this after reading the files.
pub fn parse(
    footprints_file: (&Path, &[u8]),
    projects_file: (&Path, &[u8]),
    years: &[FinancialYear],
) -> Result<Dataset> {
    Ok(parse_files(footprints_file, projects_file, years).map_err(Failure::on_data)?)
}

/// Parses a dataset from the bytes of a workbook, without touching the disk; the name
/// is used in messages and the manifest.
pub fn parse_workbook(path: &Path, bytes: &[u8], years: &[FinancialYear]) -> Result<Dataset> {
    Ok(parse_book(path, bytes, years).map_err(Failure::on_data)?)
}

/// Where the bids of the dataset at `data` are, in words for messages.
fn projects_name(data: &Path) -> String {
    if is_workbook(data) {
        format!("sheet {} of {}", workbook::PROJECTS_SHEET, data.display())
    } else {
        data.join(PROJECTS_FILE).display().to_string()
    }
}

fn load_files(dir: &Path, years: &[FinancialYear]) -> Result<Dataset, Failure> {
    if is_workbook(dir) {
        let bytes = file::read_regular(dir, workbook::WORKBOOK_LIMIT).map_err(
            |file::Unreadable(problem)| {
                InputError::file(
                    dir,
                    problem,
                    "set `data` to a bid workbook (.xlsx) with sheets Footprints and Projects, or to a folder holding footprints.csv and projects.csv",
                )
            },
        )?;
        return parse_book(dir, &bytes, years);
    }
    if dir.is_file() {
        return Err(InputError::file(
            dir,
            "`data` names a file, but a dataset is a folder (footprints.csv and projects.csv) or a workbook ending .xlsx",
            "set `data` in the scenario to the dataset's folder, or to a bid workbook saved as Excel Workbook (.xlsx)",
        )
        .into());
    }
    if !dir.is_dir() {
        return Err(InputError::file(
            dir,
            "the dataset folder does not exist",
            "set `data` in the scenario to a folder (relative to the scenario file) holding footprints.csv and projects.csv",
        )
        .into());
    }
    let fp_path = dir.join(FOOTPRINTS_FILE);
    let pr_path = dir.join(PROJECTS_FILE);
    let fp_bytes = read(&fp_path)?;
    let pr_bytes = read(&pr_path)?;
    parse_files((&fp_path, &fp_bytes), (&pr_path, &pr_bytes), years)
}

fn parse_files(
    (fp_path, fp_bytes): (&Path, &[u8]),
    (pr_path, pr_bytes): (&Path, &[u8]),
    years: &[FinancialYear],
) -> Result<Dataset, Failure> {
    let fp_table = Table::from_csv(CsvTable::parse(fp_path, fp_bytes, HINT)?);
    let footprints = parse_footprints(&fp_table)?;
    let pr_table = Table::from_csv(CsvTable::parse(pr_path, pr_bytes, HINT)?);
    let projects = parse_projects(&pr_table, &fp_table.source, &footprints, years)?;
    Ok(Dataset {
        years: years.to_vec(),
        footprints,
        projects,
        files: vec![
            manifest_entry(fp_path, fp_bytes),
            manifest_entry(pr_path, pr_bytes),
        ],
        projects_source: pr_table.source,
    })
}

fn parse_book(path: &Path, bytes: &[u8], years: &[FinancialYear]) -> Result<Dataset, Failure> {
    let (fp_table, pr_table) = workbook::read(path, bytes)?;
    let footprints = parse_footprints(&fp_table)?;
    let projects = parse_projects(&pr_table, &fp_table.source, &footprints, years)?;
    Ok(Dataset {
        years: years.to_vec(),
        footprints,
        projects,
        files: vec![manifest_entry(path, bytes)],
        projects_source: pr_table.source,
    })
}

fn read(path: &Path) -> Result<Vec<u8>, InputError> {
    file::read_regular(path, file::CSV_LIMIT).map_err(|file::Unreadable(problem)| {
        InputError::file(
            path,
            problem,
            "every dataset folder needs footprints.csv and projects.csv, each a CSV file; `techfund generate` makes a synthetic one",
        )
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn manifest_entry(path: &Path, bytes: &[u8]) -> InputFile {
    InputFile {
        path: path.display().to_string(),
        sha256: sha256_hex(bytes),
    }
}

/// What to do when a dataset file's structure is broken.
const HINT: &str = "quote text that contains commas";

/// Every column in `names`, or an error at the header: the cell that looks like a
/// misspelling of the first missing column, or else a list of what the header has.
fn require(table: &Table, names: &[&str]) -> Result<(), InputError> {
    for name in names {
        if table.column(name).is_none() {
            return Err(missing_column(table, name));
        }
    }
    Ok(())
}

/// The error for a required column the header does not have.
fn missing_column(table: &Table, name: &str) -> InputError {
    let source = &table.source;
    // A CSV file from a spreadsheet set up for another locale: one cell holds every name.
    let separators: &[(char, &str, &str)] = if table.is_sheet() {
        &[]
    } else {
        &[
            (
                ';',
                "semicolon",
                "save it as CSV with commas (in Excel: Save As → CSV UTF-8 (Comma delimited))",
            ),
            (
                '\t',
                "tab",
                "save it as CSV with commas, not as tab-separated text",
            ),
        ]
    };
    for &(sep, what, how) in separators {
        let split_names = |h: &String| h.split(sep).filter(|n| known_column(n.trim())).count();
        if let Some(i) = table
            .headers
            .iter()
            .position(|h| split_names(h) >= 1 && h.contains(sep))
        {
            return source.at(
                1,
                i as u64 + 1,
                None,
                format!("this looks like a {what}-separated file: the header has no `{name}` column, and header cell {} holds `{}`", i + 1, clip(&table.headers[i], ECHO)),
                how,
            );
        }
    }
    // Names that are already right for another purpose are not misspellings.
    let candidates = table
        .headers
        .iter()
        .map(String::as_str)
        .filter(|h| !known_column(h) && parse_cost_column(h).is_none());
    let near = text::nearest(name, candidates);
    if let Some(near) = near {
        let col = table.column(near).map_or(1, |c| c as u64 + 1);
        return source.at(
            1,
            col,
            Some(near),
            format!(
                "the header has no `{name}` column; `{}` (column {}) looks like `{name}`; rename it",
                clip(near, ECHO),
                column_label(table, col)
            ),
            format!("rename the header cell `{}` to `{name}`", clip(near, ECHO)),
        );
    }
    let names: Vec<String> = table
        .headers
        .iter()
        .map(|h| format!("`{}`", clip(h, ECHO)))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    source.at(
        1,
        table.headers.len() as u64 + 1,
        Some(name),
        format!("the header has no `{name}` column"),
        format!(
            "add a `{name}` column; the header has: {}",
            crate::format::listing(&names, 10)
        ),
    )
}

/// A 1-based column as the file's own program names it: 5 in CSV, E in a sheet.
fn column_label(table: &Table, column: u64) -> String {
    if table.is_sheet() {
        crate::error::column_letters(column)
    } else {
        column.to_string()
    }
}

/// A column techfund reads, or knows and ignores.
fn known_column(h: &str) -> bool {
    footprints::REQUIRED.contains(&h)
        || projects::REQUIRED.contains(&h)
        || projects::OPTIONAL.contains(&h)
        || [footprints::WEIGHTED_POPULATION, projects::ORGANISATION].contains(&h)
}

/// One data row, with its line (CSV) or row (sheet) for error messages.
struct Row<'t> {
    table: &'t Table,
    cells: Cells<'t>,
    line: u64,
}

fn rows(table: &Table) -> impl Iterator<Item = Row<'_>> {
    table
        .rows()
        .map(move |(line, cells)| Row { table, cells, line })
}

/// A cell's value once what only a sheet can hold (dates, formula errors) is refused.
enum Plain<'t> {
    Empty,
    Text(&'t str),
    Number(f64),
    Bool(bool),
}

impl<'t> Row<'t> {
    fn column(&self, name: &str) -> Option<usize> {
        self.table.column(name)
    }

    fn error(&self, name: &str, problem: String, fix: impl Into<String>) -> InputError {
        let col = self.column(name).map_or(1, |c| c as u64 + 1);
        self.table
            .source
            .at(self.line, col, Some(name), problem, fix)
    }

    /// The cell of a column; empty when the column is absent.
    fn value(&self, name: &str) -> Result<Plain<'t>, InputError> {
        let Some(c) = self.column(name) else {
            return Ok(Plain::Empty);
        };
        Ok(match self.cells.get(c) {
            Value::Empty => Plain::Empty,
            Value::Text(t) => Plain::Text(t),
            Value::Number(v) => Plain::Number(v),
            Value::Bool(b) => Plain::Bool(b),
            Value::Error(e) => {
                return Err(self.error(
                    name,
                    format!("the cell holds the error {e}, left by a formula that failed"),
                    "correct the formula (or type the value in) and save the workbook again",
                ))
            }
            Value::Unsaved => {
                return Err(self.error(
                    name,
                    "the cell holds a formula whose value was never saved (the workbook was written by a program that does not calculate it)".into(),
                    "open the workbook in Excel or LibreOffice and save it, so every formula's value is saved with it; or type the value in",
                ))
            }
            Value::Date(d) => {
                return Err(self.error(
                    name,
                    format!("the cell is formatted as a date or time (its value is {d}), so it does not hold what it shows"),
                    "format the cell as Number or Text (Format Cells) and type the value again",
                ))
            }
        })
    }

    /// The cell as text, as the same cell reads in a CSV file: "" when empty.
    fn raw(&self, name: &str) -> Result<Cow<'t, str>, InputError> {
        Ok(match self.value(name)? {
            Plain::Empty => Cow::Borrowed(""),
            Plain::Text(t) => Cow::Borrowed(t),
            Plain::Number(v) => Cow::Owned(workbook::number_text(v)),
            Plain::Bool(b) => Cow::Borrowed(workbook::bool_text(b)),
        })
    }

    fn is_blank(&self, name: &str) -> Result<bool, InputError> {
        Ok(matches!(self.value(name)?, Plain::Empty))
    }

    /// A text cell, checked against the text rules: at most `most` characters and no
    /// invisible control characters.
    fn text(&self, name: &str, most: usize) -> Result<Cow<'t, str>, InputError> {
        let t = self.raw(name)?;
        if let Some((problem, fix)) = text::check(&t, most, false) {
            return Err(self.error(name, format!("`{name}` {problem}"), fix));
        }
        Ok(t)
    }

    fn required_text(&self, name: &str, most: usize) -> Result<String, InputError> {
        let t = self.text(name, most)?;
        if t.is_empty() {
            return Err(self.error(
                name,
                format!("`{name}` is empty"),
                format!("fill in `{name}`"),
            ));
        }
        Ok(t.into_owned())
    }

    /// A number of `kind`, within its bounds. A number cell is taken as it is; text
    /// (every CSV cell, and a sheet's text cells) is parsed by the CSV rules.
    fn number(&self, name: &str, kind: Kind) -> Result<f64, InputError> {
        let v = match self.value(name)? {
            Plain::Empty => {
                return Err(self.error(
                    name,
                    format!("`{name}` is empty"),
                    format!("{} (0 if there is none)", kind.example()),
                ))
            }
            Plain::Number(v) if !v.is_finite() => {
                return Err(self.error(
                    name,
                    format!("`{v}` is not a finite number"),
                    kind.example(),
                ))
            }
            // `+ 0.0` turns -0 into 0, as the text parser does.
            Plain::Number(v) => v + 0.0,
            Plain::Text(t) => {
                number::parse(t, kind).map_err(|(problem, fix)| self.error(name, problem, fix))?
            }
            Plain::Bool(b) => number::parse(workbook::bool_text(b), kind)
                .map_err(|(problem, fix)| self.error(name, problem, fix))?,
        };
        kind.check(v)
            .map_err(|(problem, fix)| self.error(name, problem, fix))?;
        Ok(v)
    }

    fn flag(&self, name: &str) -> Result<bool, InputError> {
        match self.raw(name)?.to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => Ok(false),
            "true" | "yes" | "1" => Ok(true),
            other => Err(self.error(
                name,
                format!("`{}` is not true or false", clip(other, ECHO)),
                "write true or false (or leave it empty for false)",
            )),
        }
    }
}

fn parse_footprints(table: &Table) -> Result<Vec<Footprint>, InputError> {
    require(table, &footprints::REQUIRED)?;
    let weighted = table.column(footprints::WEIGHTED_POPULATION).is_some();
    let mut footprints: Vec<Footprint> = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    for row in rows(table) {
        let id = row.required_text(footprints::ID, SHORT_TEXT)?;
        if let Some(first) = lines.get(&id) {
            return Err(row.error(
                footprints::ID,
                format!(
                    "footprint `{}` is listed twice (first on {} {first})",
                    clip(&id, ECHO),
                    table.source.row_word()
                ),
                "give each footprint one row",
            ));
        }
        let name = row.required_text(footprints::NAME, LONG_TEXT)?;
        let region = row.required_text(footprints::REGION, LONG_TEXT)?;
        let population = row.number(footprints::POPULATION, Kind::Population)?;
        // Used when a scenario shares fairly by it; checked whenever given.
        let weighted_population = if weighted && !row.is_blank(footprints::WEIGHTED_POPULATION)? {
            Some(row.number(footprints::WEIGHTED_POPULATION, Kind::Population)?)
        } else {
            None
        };
        footprints.push(Footprint {
            name,
            region,
            population,
            weighted_population,
            maturity: Maturity {
                readiness: row.number(footprints::READINESS, Kind::Score)?,
                capabilities: row.number(footprints::CAPABILITIES, Kind::Score)?,
                infrastructure: row.number(footprints::INFRASTRUCTURE, Kind::Score)?,
            },
            id: id.clone(),
        });
        lines.insert(id, row.line);
    }
    if footprints.is_empty() {
        return Err(table.source.whole(
            "there are no footprints",
            "add one row per footprint under the header",
        ));
    }
    Ok(footprints)
}

fn parse_projects(
    table: &Table,
    footprints_source: &Source,
    footprints: &[Footprint],
    years: &[FinancialYear],
) -> Result<Vec<Project>, Failure> {
    let source = &table.source;
    require(table, &projects::REQUIRED)?;
    // A set, so checking every scenario year against a wide header stays linear.
    let costed: std::collections::BTreeSet<FinancialYear> = table
        .headers
        .iter()
        .filter_map(|h| parse_cost_column(h).map(|(_, y)| y))
        .collect();
    let mut needed = Vec::new();
    for y in years {
        let columns: Vec<String> = BudgetLine::ALL.iter().map(|&l| cost_column(l, y)).collect();
        if !costed.contains(y) {
            let costed_years: Vec<FinancialYear> = costed.iter().cloned().collect();
            return Err(Failure::YearNotCosted(Box::new(NotCosted {
                at_header: missing_column(table, &columns[0]),
                year: y.clone(),
                missing: columns,
                costed: costed_years,
            })));
        }
        needed.extend(columns);
    }
    let needed_refs: Vec<&str> = needed.iter().map(String::as_str).collect();
    require(table, &needed_refs)?;
    // Cost columns for years the scenario does not cover: a bid that spends there
    // cannot be funded by this fund.
    let outside: Vec<String> = table
        .headers
        .iter()
        .filter(|h| parse_cost_column(h).is_some_and(|(_, y)| !years.contains(&y)))
        .cloned()
        .collect();

    let fp_index: HashMap<&str, usize> = footprints
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    let mut projects: Vec<Project> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // `requires` names may point forward, so resolve them after every id is known.
    let mut pending_requires: Vec<(usize, Vec<String>, u64, u64)> = Vec::new();
    let requires_col = table
        .headers
        .iter()
        .position(|h| h == projects::REQUIRES)
        .map_or(1, |c| c as u64 + 1);

    for row in rows(table) {
        let id = row.required_text(projects::ID, SHORT_TEXT)?;
        if let Some(&first) = index.get(&id) {
            return Err(row
                .error(
                    projects::ID,
                    format!(
                        "project `{}` is listed twice (first on {} {})",
                        clip(&id, ECHO),
                        source.row_word(),
                        projects[first].line
                    ),
                    "give each project a unique id",
                )
                .into());
        }
        let fp_id = row.required_text(projects::FOOTPRINT, SHORT_TEXT)?;
        let footprint = *fp_index.get(fp_id.as_str()).ok_or_else(|| {
            row.error(
                projects::FOOTPRINT,
                format!(
                    "footprint `{}` is not in {}",
                    clip(&fp_id, ECHO),
                    footprints_source.name()
                ),
                format!(
                    "use a footprint_id from {}, or add the footprint there",
                    footprints_source.name()
                ),
            )
        })?;
        let title = row.required_text(projects::TITLE, LONG_TEXT)?;
        let category = row.required_text(projects::CATEGORY, SHORT_TEXT)?;
        let benefit = row.number(projects::BENEFIT, Kind::Money)?;
        let maturity_uplift = row.number(projects::MATURITY_UPLIFT, Kind::Uplift)?;
        let mut capital = Vec::with_capacity(years.len());
        let mut revenue = Vec::with_capacity(years.len());
        for y in years {
            capital.push(row.number(&cost_column(BudgetLine::Capital, y), Kind::Money)?);
            revenue.push(row.number(&cost_column(BudgetLine::Revenue, y), Kind::Money)?);
        }
        let mut cost_outside_years: Money = 0.0;
        for col in &outside {
            if !row.is_blank(col)? {
                cost_outside_years += row.number(col, Kind::Money)?;
            }
        }
        let min_fraction = if row.is_blank(projects::MIN_FRACTION)? {
            0.0
        } else {
            row.number(projects::MIN_FRACTION, Kind::Share)?
        };
        let must_fund = row.flag(projects::MUST_FUND)?;
        let never_fund = row.flag(projects::NEVER_FUND)?;
        if must_fund && never_fund {
            return Err(row
                .error(
                    projects::NEVER_FUND,
                    "the project is marked both must_fund and never_fund".into(),
                    "set at most one of them to true",
                )
                .into());
        }
        // A name listed twice is one requirement.
        let mut listed = std::collections::HashSet::new();
        let requires_text = row.text(projects::REQUIRES, LONG_TEXT)?;
        let requires: Vec<String> = requires_text
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty() && listed.insert(*s))
            .map(str::to_string)
            .collect();
        let group = row.text(projects::EXCLUSIVE_GROUP, SHORT_TEXT)?;
        let n = projects.len();
        if !requires.is_empty() {
            pending_requires.push((n, requires, row.line, requires_col));
        }
        projects.push(Project {
            id: id.clone(),
            footprint,
            title,
            category,
            benefit,
            maturity_uplift,
            capital,
            revenue,
            min_fraction,
            requires: Vec::new(),
            exclusive_group: (!group.is_empty()).then(|| group.to_string()),
            must_fund,
            never_fund,
            cost_outside_years,
            line: row.line,
        });
        index.insert(id, n);
    }
    if projects.is_empty() {
        return Err(source
            .whole(
                "there are no projects",
                "add one row per candidate project under the header",
            )
            .into());
    }
    for (n, names, line, col) in pending_requires {
        for name in names {
            let &q = index.get(&name).ok_or_else(|| {
                source.at(
                    line,
                    col,
                    Some(projects::REQUIRES),
                    format!("`{}` names no project", clip(&name, ECHO)),
                    format!(
                        "list project_ids from {}, separated by `;`",
                        if table.is_sheet() {
                            "this sheet"
                        } else {
                            "this file"
                        }
                    ),
                )
            })?;
            if q == n {
                return Err(source
                    .at(
                        line,
                        col,
                        Some(projects::REQUIRES),
                        "the project requires itself".to_string(),
                        "remove its own id from `requires`",
                    )
                    .into());
            }
            projects[n].requires.push(q);
        }
    }
    check_bundles(table, &projects)?;
    Ok(projects)
}

/// Projects that require each other form a bundle, funded together or not at all. A
/// bundle that contradicts itself can never be funded whole, which is an input error:
/// two members in one exclusive group, or one member that must be funded and one that
/// must not.
fn check_bundles(table: &Table, projects: &[Project]) -> Result<(), InputError> {
    let source = &table.source;
    for bundle in bundles::bundles(projects) {
        let ids = || -> String {
            let ids: Vec<String> = bundle
                .iter()
                .map(|&i| clip(&projects[i].id, ECHO))
                .collect();
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            crate::format::listing(&ids, 10)
        };
        let column = |name: &str| table.column(name).map_or(1, |c| c as u64 + 1);
        let mut groups: HashMap<&str, usize> = HashMap::new();
        for &i in &bundle {
            let Some(g) = projects[i].exclusive_group.as_deref() else {
                continue;
            };
            if let Some(&first) = groups.get(g) {
                return Err(source.at(
                    projects[i].line,
                    column(projects::EXCLUSIVE_GROUP),
                    Some(projects::EXCLUSIVE_GROUP),
                    format!(
                        "{} and {} are in one bundle (they require each other: {}), so they are funded together, but exclusive group `{}` allows only one of them",
                        clip(&projects[first].id, ECHO),
                        clip(&projects[i].id, ECHO),
                        ids(),
                        clip(g, ECHO)
                    ),
                    "take one of them out of the group, or out of the circle of `requires`",
                ));
            }
            groups.insert(g, i);
        }
        let must = bundle.iter().find(|&&i| projects[i].must_fund);
        let never = bundle.iter().find(|&&i| projects[i].never_fund);
        if let (Some(&m), Some(&n)) = (must, never) {
            return Err(source.at(
                projects[n].line,
                column(projects::NEVER_FUND),
                Some(projects::NEVER_FUND),
                format!(
                    "{} must be funded and {} must not, but they are in one bundle (they require each other: {})",
                    clip(&projects[m].id, ECHO),
                    clip(&projects[n].id, ECHO),
                    ids()
                ),
                "clear must_fund or never_fund, or break the circle of `requires`",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
