//! Load: `footprints.csv` and `projects.csv` → a validated `Dataset`.
//!
//! Every problem is reported with file, line and column (1-based, as a
//! spreadsheet shows them) and what to do about it.

use crate::csvio::CsvTable;
use crate::domain::{
    BudgetLine, Dataset, FinancialYear, Footprint, InputFile, Maturity, Money, Project,
};
use crate::error::{Error, InputError, Result};
use crate::schema::{cost_column, footprints, parse_cost_column, projects};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

pub mod bundles;

pub const FOOTPRINTS_FILE: &str = "footprints.csv";
pub const PROJECTS_FILE: &str = "projects.csv";

/// Reads the dataset in `dir`, with costs aligned to the scenario's `years`.
pub fn load(dir: &Path, years: &[FinancialYear]) -> Result<Dataset> {
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
    let footprints = parse_footprints(&fp_path, &fp_bytes)?;
    let projects = parse_projects(&pr_path, &pr_bytes, &footprints, years)?;
    Ok(Dataset {
        years: years.to_vec(),
        footprints,
        projects,
        files: vec![
            manifest_entry(&fp_path, &fp_bytes),
            manifest_entry(&pr_path, &pr_bytes),
        ],
        projects_file: pr_path,
    })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::Input(InputError::file(
            path,
            format!("cannot read the file: {e}"),
            "every dataset folder needs footprints.csv and projects.csv; `techfund generate` makes a synthetic one",
        ))
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

/// Every column in `names`, or an error naming the first missing one.
fn require(table: &CsvTable, names: &[&str]) -> Result<(), InputError> {
    for name in names {
        table.require(
            name,
            format!(
                "add a `{name}` column; the header has: {}",
                table.headers.join(", ")
            ),
        )?;
    }
    Ok(())
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
    fn text(&self, name: &str) -> &str {
        self.column(name)
            .and_then(|c| self.record.get(c))
            .unwrap_or("")
    }

    fn required_text(&self, name: &str) -> Result<String, InputError> {
        let t = self.text(name);
        if t.is_empty() {
            return Err(self.error(
                name,
                format!("`{name}` is empty"),
                format!("fill in `{name}`"),
            ));
        }
        Ok(t.to_string())
    }

    fn number(&self, name: &str, what: &str) -> Result<f64, InputError> {
        let t = self.text(name);
        let v: f64 = t.replace(',', "").parse().map_err(|_| {
            self.error(
                name,
                format!("`{t}` is not a number"),
                format!("write {what} as a plain number, e.g. 1250.5"),
            )
        })?;
        if !v.is_finite() {
            return Err(self.error(
                name,
                format!("`{t}` is not a finite number"),
                format!("write {what} as a plain number"),
            ));
        }
        Ok(v)
    }

    fn non_negative(&self, name: &str, what: &str) -> Result<f64, InputError> {
        let v = self.number(name, what)?;
        if v < 0.0 {
            return Err(self.error(
                name,
                format!("{v} is negative"),
                format!("{what} cannot be negative"),
            ));
        }
        Ok(v)
    }

    fn score(&self, name: &str) -> Result<f64, InputError> {
        let v = self.number(name, "a maturity score")?;
        if !(0.0..=100.0).contains(&v) {
            return Err(self.error(
                name,
                format!("score {v} is outside 0–100"),
                "Digital Maturity Index theme scores run from 0 to 100",
            ));
        }
        Ok(v)
    }

    fn flag(&self, name: &str) -> Result<bool, InputError> {
        match self.text(name).to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => Ok(false),
            "true" | "yes" | "1" => Ok(true),
            other => Err(self.error(
                name,
                format!("`{other}` is not true or false"),
                "write true or false (or leave it empty for false)",
            )),
        }
    }
}

fn parse_footprints(path: &Path, bytes: &[u8]) -> Result<Vec<Footprint>, InputError> {
    let table = CsvTable::parse(path, bytes, HINT)?;
    require(&table, &footprints::REQUIRED)?;
    let mut footprints: Vec<Footprint> = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    for row in rows(&table) {
        let id = row.required_text(footprints::ID)?;
        if let Some(first) = lines.get(&id) {
            return Err(row.error(
                footprints::ID,
                format!("footprint `{id}` is listed twice (first on line {first})"),
                "give each footprint one row",
            ));
        }
        let population = row.non_negative(footprints::POPULATION, "a population")?;
        if population == 0.0 {
            return Err(row.error(
                footprints::POPULATION,
                "population is zero".into(),
                "give the footprint's registered population (people)",
            ));
        }
        footprints.push(Footprint {
            name: row.required_text(footprints::NAME)?,
            region: row.required_text(footprints::REGION)?,
            population,
            maturity: Maturity {
                readiness: row.score(footprints::READINESS)?,
                capabilities: row.score(footprints::CAPABILITIES)?,
                infrastructure: row.score(footprints::INFRASTRUCTURE)?,
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
) -> Result<Vec<Project>, InputError> {
    let table = CsvTable::parse(path, bytes, HINT)?;
    require(&table, &projects::REQUIRED)?;
    let mut needed = Vec::new();
    for y in years {
        for line in BudgetLine::ALL {
            needed.push(cost_column(line, y));
        }
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
        let id = row.required_text(projects::ID)?;
        if let Some(&first) = index.get(&id) {
            return Err(row.error(
                projects::ID,
                format!(
                    "project `{id}` is listed twice (first on line {})",
                    projects[first].line
                ),
                "give each project a unique id",
            ));
        }
        let fp_id = row.required_text(projects::FOOTPRINT)?;
        let footprint = *fp_index.get(fp_id.as_str()).ok_or_else(|| {
            row.error(
                projects::FOOTPRINT,
                format!("footprint `{fp_id}` is not in footprints.csv"),
                "use a footprint_id from footprints.csv, or add the footprint there",
            )
        })?;
        let mut capital = Vec::with_capacity(years.len());
        let mut revenue = Vec::with_capacity(years.len());
        for y in years {
            capital.push(row.non_negative(&cost_column(BudgetLine::Capital, y), "a cost (£k)")?);
            revenue.push(row.non_negative(&cost_column(BudgetLine::Revenue, y), "a cost (£k)")?);
        }
        let mut cost_outside_years: Money = 0.0;
        for col in &outside {
            if !row.text(col).is_empty() {
                cost_outside_years += row.non_negative(col, "a cost (£k)")?;
            }
        }
        let min_fraction = if row.text(projects::MIN_FRACTION).is_empty() {
            0.0
        } else {
            let v = row.number(projects::MIN_FRACTION, "a share")?;
            if !(0.0..=1.0).contains(&v) {
                return Err(row.error(
                    projects::MIN_FRACTION,
                    format!("{v} is not a share"),
                    "write the smallest fundable share between 0 and 1, e.g. 0.5",
                ));
            }
            v
        };
        let must_fund = row.flag(projects::MUST_FUND)?;
        let never_fund = row.flag(projects::NEVER_FUND)?;
        if must_fund && never_fund {
            return Err(row.error(
                projects::NEVER_FUND,
                "the project is marked both must_fund and never_fund".into(),
                "set at most one of them to true",
            ));
        }
        let requires: Vec<String> = row
            .text(projects::REQUIRES)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let group = row.text(projects::EXCLUSIVE_GROUP);
        let n = projects.len();
        if !requires.is_empty() {
            pending_requires.push((n, requires, row.line, requires_col));
        }
        projects.push(Project {
            id: id.clone(),
            footprint,
            title: row.required_text(projects::TITLE)?,
            category: row.required_text(projects::CATEGORY)?,
            benefit: row.non_negative(projects::BENEFIT, "a benefit (£k, present value)")?,
            maturity_uplift: {
                let v = row.non_negative(
                    projects::MATURITY_UPLIFT,
                    "a maturity uplift (capability points)",
                )?;
                if v > 100.0 {
                    return Err(row.error(
                        projects::MATURITY_UPLIFT,
                        format!("uplift {v} is above 100"),
                        "an uplift is in capability points on the 0–100 scale",
                    ));
                }
                v
            },
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
        ));
    }
    for (n, names, line, col) in pending_requires {
        for name in names {
            let &q = index.get(&name).ok_or_else(|| {
                InputError::at(
                    path,
                    line,
                    col,
                    Some(projects::REQUIRES),
                    format!("`{name}` names no project"),
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
                ));
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
            let ids: Vec<&str> = bundle.iter().map(|&i| projects[i].id.as_str()).collect();
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
                        "{} and {} are in one bundle (they require each other: {}), so they are funded together, but exclusive group `{g}` allows only one of them",
                        projects[first].id,
                        projects[i].id,
                        ids()
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
                    projects[m].id,
                    projects[n].id,
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
