//! A table of the dataset as the loader sees it, whichever file it came from: a header
//! and rows of cells, each cell text (CSV, or a text cell of a sheet) or a typed value
//! of a sheet. The loader's checks read cells only through here, so a workbook and its
//! CSV twin pass the same validation.

use crate::csvio::CsvTable;
use crate::error::{InputError, Source};
use csv::StringRecord;
use std::collections::HashMap;

/// One cell of a sheet, as the workbook stores it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell formatted as a date or time, as Excel would show its value.
    Date(String),
    /// A formula's error, e.g. `#REF!`.
    Error(String),
    /// A formula whose value was never saved (the file was not calculated).
    Unsaved,
}

/// A cell's value for the checks: text (trimmed, never empty) or a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    Date(&'a str),
    Error(&'a str),
    Unsaved,
}

enum Body {
    Csv(Vec<(u64, StringRecord)>),
    Sheet(Vec<(u64, Vec<Cell>)>),
}

pub struct Table {
    pub source: Source,
    pub headers: Vec<String>,
    index: HashMap<String, usize>,
    body: Body,
}

/// One row's cells.
#[derive(Clone, Copy)]
pub enum Cells<'t> {
    Csv(&'t StringRecord),
    Sheet(&'t [Cell]),
}

impl<'t> Cells<'t> {
    pub fn get(self, column: usize) -> Value<'t> {
        match self {
            Cells::Csv(r) => match r.get(column) {
                None | Some("") => Value::Empty,
                Some(t) => Value::Text(t),
            },
            Cells::Sheet(cells) => match cells.get(column) {
                None | Some(Cell::Empty) => Value::Empty,
                Some(Cell::Text(t)) => match t.trim() {
                    "" => Value::Empty,
                    t => Value::Text(t),
                },
                Some(&Cell::Number(v)) => Value::Number(v),
                Some(&Cell::Bool(b)) => Value::Bool(b),
                Some(Cell::Date(d)) => Value::Date(d),
                Some(Cell::Error(e)) => Value::Error(e),
                Some(Cell::Unsaved) => Value::Unsaved,
            },
        }
    }
}

impl Table {
    pub fn from_csv(t: CsvTable) -> Table {
        let index = t
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty())
            .map(|(i, h)| (h.clone(), i))
            .collect();
        Table {
            source: Source::Csv(t.path),
            headers: t.headers,
            index,
            body: Body::Csv(t.rows),
        }
    }

    /// A sheet's table: `headers` from its first row, `rows` with their row numbers.
    /// Columns with no name are ignored, as in CSV; a name given twice is refused.
    pub fn from_sheet(
        source: Source,
        headers: Vec<String>,
        rows: Vec<(u64, Vec<Cell>)>,
    ) -> Result<Table, InputError> {
        let index = crate::csvio::header_index(
            &headers,
            |i| crate::error::column_letters(i as u64 + 1),
            |i, shown, problem, fix| source.at(1, i as u64 + 1, Some(shown), problem, fix),
        )?;
        Ok(Table {
            source,
            headers,
            index,
            body: Body::Sheet(rows),
        })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn is_sheet(&self) -> bool {
        matches!(self.source, Source::Sheet { .. })
    }

    /// Every data row with its line (CSV) or row number (sheet).
    pub fn rows(&self) -> Box<dyn Iterator<Item = (u64, Cells<'_>)> + '_> {
        match &self.body {
            Body::Csv(rows) => Box::new(rows.iter().map(|(l, r)| (*l, Cells::Csv(r)))),
            Body::Sheet(rows) => Box::new(rows.iter().map(|(l, r)| (*l, Cells::Sheet(r)))),
        }
    }
}
