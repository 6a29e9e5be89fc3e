//! Reading a bid workbook (`.xlsx`, sheets `Footprints` and `Projects`) into the same
//! tables the CSV files give, with calamine. Cells keep their type (a number stays a
//! number), and everything a sheet can hold that a CSV file cannot (merged cells,
//! formula errors, dates) is refused here or where the cell is read, at `Sheet!A1`.

use super::table::{Cell, Table};
use crate::error::{column_letters, InputError, Source};
use calamine::{DataRef, Reader, Xlsx};
use std::io::Cursor;
use std::path::Path;

pub const FOOTPRINTS_SHEET: &str = "Footprints";
pub const PROJECTS_SHEET: &str = "Projects";

/// The most a workbook file may hold: 64 MiB. Zipped XML, so this is far more than a
/// 20,000-project dataset (a few MiB).
pub const WORKBOOK_LIMIT: u64 = 64 * 1024 * 1024;

/// How much a workbook may unzip to and hold, so a small crafted file cannot fill
/// the memory. A parameter, so tests can reach the limits with small files.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes its parts may unzip to: the sheets and shared strings are held in memory,
    /// and a small archive can claim gigabytes.
    pub unzipped: u128,
    /// Cells one sheet may hold.
    pub cells: usize,
}

/// 512 MiB unzipped and 6 million cells a sheet: 100 times a 20,000-project dataset.
pub const LIMITS: Limits = Limits {
    unzipped: 512 * 1024 * 1024,
    cells: 6_000_000,
};

/// Excel's own grid: no real workbook has a cell beyond it.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

const RESAVE: &str =
    "open it in Excel and save it again as Excel Workbook (.xlsx); `techfund template --out bids.xlsx` makes an empty one to fill in";

/// The footprints and projects tables of the workbook `path` holding `bytes`.
pub fn read(path: &Path, bytes: &[u8]) -> Result<(Table, Table), InputError> {
    read_within(path, bytes, LIMITS)
}

/// [`read`] within other limits.
pub fn read_within(
    path: &Path,
    bytes: &[u8],
    limits: Limits,
) -> Result<(Table, Table), InputError> {
    let not_workbook = |what: &str| {
        InputError::file(
            path,
            format!("this is not an Excel workbook (.xlsx): {what}"),
            "save the bids from Excel as Excel Workbook (.xlsx), or point `data` at a folder holding footprints.csv and projects.csv",
        )
    };
    if bytes.is_empty() {
        return Err(not_workbook("the file is empty"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(InputError::file(
            path,
            "this is an Excel 97–2003 workbook (.xls) or a password-protected workbook, which techfund cannot read",
            "save it from Excel as Excel Workbook (.xlsx), without a password",
        ));
    }
    if !bytes.starts_with(b"PK") {
        let text = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok();
        return Err(not_workbook(if text {
            "it is text (a CSV file renamed .xlsx?)"
        } else {
            "it is not a zip archive, as every .xlsx is"
        }));
    }
    let unzipped = unzipped_size(bytes)
        .map_err(|e| not_workbook(&format!("it is not a readable zip archive ({e})")))?;
    if unzipped > limits.unzipped {
        return Err(InputError::file(
            path,
            format!(
                "the workbook unzips to more than {} MiB, more than any bid workbook",
                limits.unzipped / (1024 * 1024)
            ),
            RESAVE,
        ));
    }
    let mut book = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| InputError::file(path, format!("the workbook cannot be read: {e}"), RESAVE))?;
    let names = book.sheet_names();
    for wanted in [FOOTPRINTS_SHEET, PROJECTS_SHEET] {
        if !names.iter().any(|n| n == wanted) {
            return Err(missing_sheet(path, wanted, &names));
        }
    }
    let footprints = sheet(&mut book, path, FOOTPRINTS_SHEET, limits.cells)?;
    let projects = sheet(&mut book, path, PROJECTS_SHEET, limits.cells)?;
    Ok((footprints, projects))
}

/// What the archive's parts unzip to, as its central directory records it (which
/// holds the sizes even when the parts were written streaming, with data descriptors).
fn unzipped_size(bytes: &[u8]) -> zip::result::ZipResult<u128> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut total = 0u128;
    for i in 0..archive.len() {
        total += u128::from(archive.by_index_raw(i)?.size());
    }
    Ok(total)
}

fn missing_sheet(path: &Path, wanted: &str, names: &[String]) -> InputError {
    let near = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(wanted))
        .or_else(|| {
            super::text::nearest(wanted, names.iter().map(String::as_str))
                .and_then(|n| names.iter().find(|m| *m == n))
        });
    let listed: Vec<String> = names
        .iter()
        .map(|n| format!("`{}`", crate::format::clip(n, crate::format::ECHO)))
        .collect();
    let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
    let fix = match near {
        Some(n) => format!("rename the sheet `{}` to `{wanted}`", crate::format::clip(n, crate::format::ECHO)),
        None => format!(
            "a bid workbook has a sheet `{FOOTPRINTS_SHEET}` and a sheet `{PROJECTS_SHEET}`, with the columns of footprints.csv and projects.csv; `techfund template --out bids.xlsx` makes one"
        ),
    };
    InputError::file(
        path,
        format!(
            "the workbook has no sheet `{wanted}`; its sheets are {}",
            crate::format::listing(&listed, 10)
        ),
        fix,
    )
}

/// One sheet as a table: row 1 is the header; cells under no column name are ignored,
/// and rows with nothing under a named column are skipped, as blank lines are in CSV.
fn sheet(
    book: &mut Xlsx<Cursor<&[u8]>>,
    path: &Path,
    name: &str,
    most_cells: usize,
) -> Result<Table, InputError> {
    let source = Source::Sheet {
        file: path.to_path_buf(),
        sheet: name.to_string(),
    };
    let broken =
        |e: calamine::XlsxError| source.whole(format!("the sheet cannot be read: {e}"), RESAVE);
    // A merged block shows one value over several cells, but only its first cell holds
    // it: the rows below would silently read as empty.
    let merged = book.merge_cells_by_sheet_name(name).map_err(broken)?;
    if let Some(m) = merged.iter().min_by_key(|m| m.start) {
        return Err(source.at(
            u64::from(m.start.0) + 1,
            u64::from(m.start.1) + 1,
            None,
            format!(
                "cells {}:{} are merged, so only the first of them holds a value",
                reference(m.start),
                reference(m.end)
            ),
            "unmerge them (Home → Merge & Center → Unmerge Cells) and fill in every cell",
        ));
    }
    let mut reader = book.worksheet_cells_reader(name).map_err(broken)?;
    let mut cells: Vec<(u32, u32, Cell)> = Vec::new();
    let mut read = 0usize;
    while let Some(c) = reader.next_cell_with_formula_metadata().map_err(broken)? {
        read += 1;
        if read > most_cells {
            return Err(source.whole(
                format!("the sheet has more than {most_cells} cells, more than any real dataset"),
                "delete the rows and columns that are not bids (Ctrl+End shows the last cell Excel keeps)",
            ));
        }
        let (row, column) = c.pos;
        if row >= MAX_ROWS || column >= MAX_COLUMNS {
            return Err(source.whole(
                "the sheet has a cell beyond Excel's last row or column",
                RESAVE,
            ));
        }
        let cell = match (&c.value, &c.formula) {
            // Programs that write workbooks without calculating them leave formulas
            // with no saved value, which would read as an empty cell.
            (DataRef::Empty, Some(_)) => Cell::Unsaved,
            (value, _) => convert(value),
        };
        if !blank(&cell) {
            cells.push((row, column, cell));
        }
    }
    // Cells come in row order from Excel, but the format does not promise it.
    cells.sort_by_key(|&(r, c, _)| (r, c));
    let mut cells = cells.into_iter().peekable();
    let mut headers: Vec<String> = Vec::new();
    while let Some((_, column, cell)) = cells.next_if(|(r, _, _)| *r == 0) {
        let text = match cell {
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(v) => number_text(v),
            Cell::Bool(b) => bool_text(b).to_string(),
            Cell::Unsaved => {
                return Err(source.at(
                    1,
                    u64::from(column) + 1,
                    None,
                    "the header cell holds a formula with no saved value, not a column name",
                    "type the column name into the cell as text",
                ))
            }
            Cell::Date(t) | Cell::Error(t) => {
                return Err(source.at(
                    1,
                    u64::from(column) + 1,
                    None,
                    format!("the header cell holds `{t}`, not a column name"),
                    "type the column name into the cell as text",
                ))
            }
            Cell::Empty => continue,
        };
        headers.resize(column as usize, String::new());
        headers.push(text);
    }
    if headers.is_empty() {
        return Err(source.at(
            1,
            1,
            None,
            "the first row is empty, but it must hold the column names",
            "put the header in row 1, one column name per cell from A1 (as the template has it)",
        ));
    }
    let width = headers.len();
    let mut rows: Vec<(u64, Vec<Cell>)> = Vec::new();
    for (row, column, cell) in cells {
        let column = column as usize;
        if column >= width || headers[column].is_empty() {
            continue;
        }
        let line = u64::from(row) + 1;
        if rows.last().is_none_or(|(l, _)| *l != line) {
            rows.push((line, vec![Cell::Empty; width]));
        }
        let last = rows.last_mut().expect("pushed above");
        last.1[column] = cell;
    }
    Table::from_sheet(source, headers, rows)
}

fn blank(cell: &Cell) -> bool {
    match cell {
        Cell::Empty => true,
        Cell::Text(t) => t.trim().is_empty(),
        _ => false,
    }
}

fn convert(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(v) => Cell::Number(*v),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => Cell::Date(d.to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Date(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

/// A number cell as text, where a text column holds one (an id typed as 1001):
/// what the same cell would hold in a CSV file saved by Excel.
pub fn number_text(v: f64) -> String {
    format!("{}", v + 0.0)
}

pub fn bool_text(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// `(row, column)` from 0 as a cell reference: (0, 0) → A1.
fn reference((row, column): (u32, u32)) -> String {
    format!(
        "{}{}",
        column_letters(u64::from(column) + 1),
        u64::from(row) + 1
    )
}
