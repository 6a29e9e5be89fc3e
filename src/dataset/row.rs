//! Reading a table: the header's required columns (with a hint at a misspelling),
//! and each data row's cells as checked text, numbers and flags, errors at the cell.

use super::number::{self, Kind};
use super::table::{Cells, Table, Value};
use super::{text, workbook};
use crate::error::InputError;
use crate::format::{clip, ECHO};
use crate::schema::{footprints, parse_cost_column, projects};
use std::borrow::Cow;

/// Every column in `names`, or an error at the header: the cell that looks like a
/// misspelling of the first missing column, or else a list of what the header has.
pub(super) fn require(table: &Table, names: &[&str]) -> Result<(), InputError> {
    for name in names {
        if table.column(name).is_none() {
            return Err(missing_column(table, name));
        }
    }
    Ok(())
}

/// The error for a required column the header does not have.
pub(super) fn missing_column(table: &Table, name: &str) -> InputError {
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
        || projects::BUDGET_OPTIONAL.contains(&h)
        || projects::APPRAISAL.contains(&h)
        || h == projects::DURATION_BIAS
        || crate::schema::parse_benefit_column(h).is_some()
        || [footprints::WEIGHTED_POPULATION, projects::ORGANISATION].contains(&h)
}

/// One data row, with its line (CSV) or row (sheet) for error messages.
pub(super) struct Row<'t> {
    table: &'t Table,
    cells: Cells<'t>,
    pub(super) line: u64,
}

pub(super) fn rows(table: &Table) -> impl Iterator<Item = Row<'_>> {
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

    pub(super) fn error(&self, name: &str, problem: String, fix: impl Into<String>) -> InputError {
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
    pub(super) fn raw(&self, name: &str) -> Result<Cow<'t, str>, InputError> {
        Ok(match self.value(name)? {
            Plain::Empty => Cow::Borrowed(""),
            Plain::Text(t) => Cow::Borrowed(t),
            Plain::Number(v) => Cow::Owned(workbook::number_text(v)),
            Plain::Bool(b) => Cow::Borrowed(workbook::bool_text(b)),
        })
    }

    pub(super) fn is_blank(&self, name: &str) -> Result<bool, InputError> {
        Ok(matches!(self.value(name)?, Plain::Empty))
    }

    /// A text cell, checked against the text rules: at most `most` characters and no
    /// invisible control characters.
    pub(super) fn text(&self, name: &str, most: usize) -> Result<Cow<'t, str>, InputError> {
        let t = self.raw(name)?;
        if let Some((problem, fix)) = text::check(&t, most, false) {
            return Err(self.error(name, format!("`{name}` {problem}"), fix));
        }
        Ok(t)
    }

    pub(super) fn required_text(&self, name: &str, most: usize) -> Result<String, InputError> {
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
    pub(super) fn number(&self, name: &str, kind: Kind) -> Result<f64, InputError> {
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

    /// A whole number of financial years, 0–50; `None` when the cell is empty.
    pub(super) fn whole_years(&self, name: &str) -> Result<Option<usize>, InputError> {
        let t = self.raw(name)?;
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        match t.parse::<f64>() {
            Ok(v) if v.fract() == 0.0 && (0.0..=50.0).contains(&v) => Ok(Some(v as usize)),
            _ => Err(self.error(
                name,
                format!("`{}` is not a whole number of years", clip(t, ECHO)),
                "write how many whole financial years the start may move, e.g. 1 (0 = it may not move)",
            )),
        }
    }

    pub(super) fn flag(&self, name: &str) -> Result<bool, InputError> {
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
