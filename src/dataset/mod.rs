//! Load: `footprints.csv` and `projects.csv`, or a workbook with sheets `Footprints`
//! and `Projects`, → a validated `Dataset`.
//!
//! Every problem is reported with file, line and column (1-based, as a
//! spreadsheet shows them), or with sheet and cell (`Projects!F12`), and what to do
//! about it. Both kinds of file become a [`table::Table`] first and pass the same
//! checks, so a workbook and its CSV twin give the same dataset.

use crate::appraisal::Settings;
use crate::csvio::CsvTable;
use crate::domain::{Dataset, FinancialYear, InputFile};
use crate::error::{Error, InputError, Result};
use crate::scenario::Scenario;
use footprints::parse_footprints;
use projects::parse_projects;
use sha2::{Digest, Sha256};
use std::path::Path;
use table::Table;

pub mod bundles;
pub mod file;
pub mod number;
pub mod table;
pub mod text;
pub mod workbook;

mod footprints;
mod projects;
mod row;

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
    Ok(load_files(dir, years, None).map_err(Failure::on_data)?)
}

/// Reads the scenario's dataset. A year in the scenario that the data does not cost
/// is blamed on the scenario's `years` key, where it is most often fixed. The kinds of
/// rule the bids carry that the scenario ignores (`[ignore] dependencies`, `must_fund`)
/// are dropped here, so every later stage sees bids without them.
pub fn load_for(scenario: &Scenario) -> Result<Dataset> {
    let mut data = load_bids_for(scenario)?;
    ignore_bid_rules(&mut data, &scenario.rules.ignore);
    optimism_bias_in_budget(&mut data, scenario);
    apply_flex(&mut data, &scenario.flex);
    Ok(data)
}

/// When the scenario puts optimism bias in the budget, each bid's capital is loaded
/// with its uplift, so the model, the checker and every report hold back the uplifted
/// amount (and the appraisal does not uplift it again).
fn optimism_bias_in_budget(data: &mut Dataset, scenario: &Scenario) {
    let Some(settings) = scenario.appraisal.as_ref().filter(|s| s.in_budget) else {
        return;
    };
    for p in &mut data.projects {
        let uplift = 1.0 + settings.uplift(p);
        p.capital.iter_mut().for_each(|c| *c *= uplift);
    }
}

/// The scenario's defaults for match funding and phasing, applied to the bids: a bid's
/// match share rises to its category's minimum, and a bid that says nothing of
/// phasing may move as far as `[phasing] may_defer` allows.
pub fn apply_flex(data: &mut Dataset, flex: &crate::scenario::Flex) {
    for p in &mut data.projects {
        if let Some(min) = flex.min_match_for(&p.category) {
            p.match_share = p.match_share.max(min);
        }
        if p.may_defer.is_none() {
            p.may_defer = flex.may_defer;
        }
    }
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
    let settings = scenario.appraises().then(|| scenario.appraisal_settings());
    load_files(&scenario.data, &scenario.years, settings.as_ref()).map_err(|f| match f {
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
    Ok(parse_files(footprints_file, projects_file, years, None).map_err(Failure::on_data)?)
}

/// Parses a dataset from the bytes of a workbook, without touching the disk; the name
/// is used in messages and the manifest.
pub fn parse_workbook(path: &Path, bytes: &[u8], years: &[FinancialYear]) -> Result<Dataset> {
    Ok(parse_book(path, bytes, years, None).map_err(Failure::on_data)?)
}

/// Where the bids of the dataset at `data` are, in words for messages.
fn projects_name(data: &Path) -> String {
    if is_workbook(data) {
        format!("sheet {} of {}", workbook::PROJECTS_SHEET, data.display())
    } else {
        data.join(PROJECTS_FILE).display().to_string()
    }
}

fn load_files(
    dir: &Path,
    years: &[FinancialYear],
    window: Option<&Settings>,
) -> Result<Dataset, Failure> {
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
        return parse_book(dir, &bytes, years, window);
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
    parse_files((&fp_path, &fp_bytes), (&pr_path, &pr_bytes), years, window)
}

fn parse_files(
    (fp_path, fp_bytes): (&Path, &[u8]),
    (pr_path, pr_bytes): (&Path, &[u8]),
    years: &[FinancialYear],
    window: Option<&Settings>,
) -> Result<Dataset, Failure> {
    let fp_table = Table::from_csv(CsvTable::parse(fp_path, fp_bytes, HINT)?);
    let footprints = parse_footprints(&fp_table)?;
    let pr_table = Table::from_csv(CsvTable::parse(pr_path, pr_bytes, HINT)?);
    let projects = parse_projects(&pr_table, &fp_table.source, &footprints, years, window)?;
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

fn parse_book(
    path: &Path,
    bytes: &[u8],
    years: &[FinancialYear],
    window: Option<&Settings>,
) -> Result<Dataset, Failure> {
    let (fp_table, pr_table) = workbook::read(path, bytes)?;
    let footprints = parse_footprints(&fp_table)?;
    let projects = parse_projects(&pr_table, &fp_table.source, &footprints, years, window)?;
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

#[cfg(test)]
mod tests;
