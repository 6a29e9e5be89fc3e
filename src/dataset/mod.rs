//! Load: `footprints.csv` and `projects.csv` → a validated `Dataset`.
//!
//! Every problem is reported with file, line and column (1-based, as a
//! spreadsheet shows them) and what to do about it.

use crate::csvio::CsvTable;
use crate::domain::{
    BudgetLine, Dataset, FinancialYear, Footprint, InputFile, Maturity, Money, Project,
};
use crate::error::{Error, InputError, Result};
use crate::format::{clip, ECHO};
use crate::scenario::Scenario;
use crate::schema::{cost_column, footprints, parse_cost_column, projects};
use number::Kind;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use text::{LONG_TEXT, SHORT_TEXT};

pub mod bundles;
pub mod file;
pub mod number;
pub mod text;

pub const FOOTPRINTS_FILE: &str = "footprints.csv";
pub const PROJECTS_FILE: &str = "projects.csv";

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
                    scenario.data.join(PROJECTS_FILE).display(),
                    missing.join(" or ")
                ),
                format!(
                    "list only years the data costs in `years` (and one budget amount per year), or add {} to projects.csv",
                    missing.join(" and ")
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

fn load_files(dir: &Path, years: &[FinancialYear]) -> Result<Dataset, Failure> {
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
    let footprints = parse_footprints(fp_path, fp_bytes)?;
    let projects = parse_projects(pr_path, pr_bytes, &footprints, years)?;
    Ok(Dataset {
        years: years.to_vec(),
        footprints,
        projects,
        files: vec![
            manifest_entry(fp_path, fp_bytes),
            manifest_entry(pr_path, pr_bytes),
        ],
        projects_file: PathBuf::from(pr_path),
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
fn require(table: &CsvTable, names: &[&str]) -> Result<(), InputError> {
    for name in names {
        if table.column(name).is_none() {
            return Err(missing_column(table, name));
        }
    }
    Ok(())
}

/// The error for a required column the header does not have.
fn missing_column(table: &CsvTable, name: &str) -> InputError {
    let path = &table.path;
    // A file from a spreadsheet set up for another locale: one cell holds every name.
    for (sep, what, how) in [
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
    ] {
        let split_names = |h: &String| h.split(sep).filter(|n| known_column(n.trim())).count();
        if let Some(i) = table
            .headers
            .iter()
            .position(|h| split_names(h) >= 1 && h.contains(sep))
        {
            return InputError::at(
                path,
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
        let col = table.column(near).map_or(1, |c| c + 1);
        return InputError::at(
            path,
            1,
            col as u64,
            Some(near),
            format!(
                "the header has no `{name}` column; `{}` (column {col}) looks like `{name}`; rename it",
                clip(near, ECHO)
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
    InputError::at(
        path,
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

/// A column techfund reads, or knows and ignores.
fn known_column(h: &str) -> bool {
    footprints::REQUIRED.contains(&h)
        || projects::REQUIRED.contains(&h)
        || projects::OPTIONAL.contains(&h)
        || [footprints::WEIGHTED_POPULATION, projects::ORGANISATION].contains(&h)
}

/// One data row, with its line for error messages.
struct Row<'t> {
    table: &'t CsvTable,
    record: &'t csv::StringRecord,
    line: u64,
}

fn rows(table: &CsvTable) -> impl Iterator<Item = Row<'_>> {
    table.rows.iter().map(move |(line, record)| Row {
        table,
        record,
        line: *line,
    })
}

impl Row<'_> {
    fn column(&self, name: &str) -> Option<usize> {
        self.table.column(name)
    }

    fn error(&self, name: &str, problem: String, fix: impl Into<String>) -> InputError {
        let col = self.column(name).map_or(1, |c| c as u64 + 1);
        InputError::at(&self.table.path, self.line, col, Some(name), problem, fix)
    }

    /// The trimmed text of a column; "" when the column is absent.
    fn raw(&self, name: &str) -> &str {
        self.column(name)
            .and_then(|c| self.record.get(c))
            .unwrap_or("")
    }

    /// A text cell, checked against the text rules: at most `most` characters and no
    /// invisible control characters.
    fn text(&self, name: &str, most: usize) -> Result<&str, InputError> {
        let t = self.raw(name);
        if let Some((problem, fix)) = text::check(t, most, false) {
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
        Ok(t.to_string())
    }

    /// A number of `kind`, within its bounds.
    fn number(&self, name: &str, kind: Kind) -> Result<f64, InputError> {
        let t = self.raw(name);
        if t.is_empty() {
            return Err(self.error(
                name,
                format!("`{name}` is empty"),
                format!("{} (0 if there is none)", kind.example()),
            ));
        }
        let v = number::parse(t, kind).map_err(|(problem, fix)| self.error(name, problem, fix))?;
        kind.check(v)
            .map_err(|(problem, fix)| self.error(name, problem, fix))?;
        Ok(v)
    }

    fn flag(&self, name: &str) -> Result<bool, InputError> {
        match self.raw(name).to_ascii_lowercase().as_str() {
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

fn parse_footprints(path: &Path, bytes: &[u8]) -> Result<Vec<Footprint>, InputError> {
    let table = CsvTable::parse(path, bytes, HINT)?;
    require(&table, &footprints::REQUIRED)?;
    let weighted = table.column(footprints::WEIGHTED_POPULATION).is_some();
    let mut footprints: Vec<Footprint> = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    for row in rows(&table) {
        let id = row.required_text(footprints::ID, SHORT_TEXT)?;
        if let Some(first) = lines.get(&id) {
            return Err(row.error(
                footprints::ID,
                format!(
                    "footprint `{}` is listed twice (first on line {first})",
                    clip(&id, ECHO)
                ),
                "give each footprint one row",
            ));
        }
        let name = row.required_text(footprints::NAME, LONG_TEXT)?;
        let region = row.required_text(footprints::REGION, LONG_TEXT)?;
        let population = row.number(footprints::POPULATION, Kind::Population)?;
        // Used when a scenario shares fairly by it; checked whenever given.
        let weighted_population =
            if weighted && !row.raw(footprints::WEIGHTED_POPULATION).is_empty() {
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
        return Err(InputError::file(
            path,
            "there are no footprints",
            "add one row per footprint under the header",
        ));
    }
    Ok(footprints)
}

fn parse_projects(
    path: &Path,
    bytes: &[u8],
    footprints: &[Footprint],
    years: &[FinancialYear],
) -> Result<Vec<Project>, Failure> {
    let table = CsvTable::parse(path, bytes, HINT)?;
    require(&table, &projects::REQUIRED)?;
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
                at_header: missing_column(&table, &columns[0]),
                year: y.clone(),
                missing: columns,
                costed: costed_years,
            })));
        }
        needed.extend(columns);
    }
    let needed_refs: Vec<&str> = needed.iter().map(String::as_str).collect();
    require(&table, &needed_refs)?;
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

    for row in rows(&table) {
        let id = row.required_text(projects::ID, SHORT_TEXT)?;
        if let Some(&first) = index.get(&id) {
            return Err(row
                .error(
                    projects::ID,
                    format!(
                        "project `{}` is listed twice (first on line {})",
                        clip(&id, ECHO),
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
                    "footprint `{}` is not in footprints.csv",
                    clip(&fp_id, ECHO)
                ),
                "use a footprint_id from footprints.csv, or add the footprint there",
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
            if !row.raw(col).is_empty() {
                cost_outside_years += row.number(col, Kind::Money)?;
            }
        }
        let min_fraction = if row.raw(projects::MIN_FRACTION).is_empty() {
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
        let requires: Vec<String> = row
            .text(projects::REQUIRES, LONG_TEXT)?
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
        return Err(InputError::file(
            path,
            "there are no projects",
            "add one row per candidate project under the header",
        )
        .into());
    }
    for (n, names, line, col) in pending_requires {
        for name in names {
            let &q = index.get(&name).ok_or_else(|| {
                InputError::at(
                    path,
                    line,
                    col,
                    Some(projects::REQUIRES),
                    format!("`{}` names no project", clip(&name, ECHO)),
                    "list project_ids from this file, separated by `;`",
                )
            })?;
            if q == n {
                return Err(InputError::at(
                    path,
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
    check_bundles(path, &table, &projects)?;
    Ok(projects)
}

/// Projects that require each other form a bundle, funded together or not at all. A
/// bundle that contradicts itself can never be funded whole, which is an input error:
/// two members in one exclusive group, or one member that must be funded and one that
/// must not.
fn check_bundles(path: &Path, table: &CsvTable, projects: &[Project]) -> Result<(), InputError> {
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
                return Err(InputError::at(
                    path,
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
            return Err(InputError::at(
                path,
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
