//! One place for CSV. Every reader and writer in techfund is made here, so every
//! command treats CSV the same way: a byte-order mark from Excel is ignored, fields are
//! trimmed, rows of the wrong length are named, line numbers are right for CRLF files,
//! and what techfund writes ends lines with CRLF, as Excel expects.

use crate::error::InputError;
use crate::format::{clip, ECHO};
use csv::StringRecord;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A CSV file read whole: its header and every row with the line it starts on.
pub struct CsvTable {
    pub path: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<(u64, StringRecord)>,
    /// Header name → column, so looking a column up per cell stays cheap however wide
    /// the file is.
    index: HashMap<String, usize>,
}

impl CsvTable {
    /// Parses `bytes` read from `path`. `hint` ends the fix of a structural error with
    /// what to do about this kind of file (e.g. how to make it again).
    pub fn parse(path: &Path, bytes: &[u8], hint: &str) -> Result<CsvTable, InputError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        check_encoding(path, bytes)?;
        let mut lines = LineCounter::new(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            // Row lengths are checked here, so the message can name the missing field.
            .flexible(true)
            .from_reader(bytes);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| unreadable(path, &e, 1, hint))?
            .iter()
            .map(str::to_string)
            .collect();
        let index = header_index(
            &headers,
            |i| (i + 1).to_string(),
            |i, shown, problem, fix| {
                InputError::at(path, 1, i as u64 + 1, Some(shown), problem, fix)
            },
        )?;
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(1, |p| lines.line_of(p.byte()));
                unreadable(path, &e, line, hint)
            })?;
            let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
            if record.len() != headers.len() {
                let fix = if record.len() > headers.len() {
                    format!("check the header (line 1) for a missing column name, or this row for an extra comma; {hint}")
                } else {
                    format!("check for a missing comma; {hint}")
                };
                return Err(InputError::at(
                    path,
                    line,
                    record.len().min(headers.len()) as u64 + 1,
                    None,
                    format!(
                        "this row has {} fields but the header has {}",
                        record.len(),
                        headers.len()
                    ),
                    fix,
                ));
            }
            rows.push((line, record));
        }
        Ok(CsvTable {
            path: path.to_path_buf(),
            headers,
            rows,
            index,
        })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The index of a column the caller cannot do without.
    pub fn require(&self, name: &str, fix: impl Into<String>) -> Result<usize, InputError> {
        self.column(name).ok_or_else(|| {
            InputError::at(
                &self.path,
                1,
                self.headers.len() as u64 + 1,
                Some(name),
                format!("the header has no `{name}` column"),
                fix,
            )
        })
    }

    /// An error at a cell, named by its column's header.
    pub fn error(
        &self,
        line: u64,
        column: usize,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> InputError {
        InputError::at(
            &self.path,
            line,
            column as u64 + 1,
            self.headers.get(column).map(|h| clip(h, ECHO)).as_deref(),
            problem,
            fix,
        )
    }
}

/// Refuses a file that is empty or not UTF-8, saying where the first bad byte is and,
/// when the file was clearly saved by Excel in its Windows encoding, how to save it.
fn check_encoding(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::at(
            path,
            1,
            1,
            None,
            "the file is empty",
            "save the table into it again: a header row, then one row per item",
        ));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(InputError::at(
            path,
            1,
            1,
            None,
            "the file is UTF-16 text (Excel's \"Unicode Text\"), not CSV",
            "save it as CSV UTF-8 (Excel: Save As → CSV UTF-8)",
        ));
    }
    let Err(e) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let at = e.valid_up_to();
    let bad = bytes[at];
    let (line, column) = field_of(bytes, at);
    // Every byte is a character in Windows-1252 but these five.
    let windows = !bytes
        .iter()
        .any(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D));
    let (what, fix) = if bad == 0xA3 {
        (
            " (a £ sign in Windows-1252, the encoding Excel uses for plain CSV)".to_string(),
            "save it as CSV UTF-8 (Excel: Save As → CSV UTF-8)",
        )
    } else if windows {
        (
            format!(
                " (`{}` in Windows-1252, the encoding Excel uses for plain CSV)",
                windows_1252(bad)
            ),
            "save it as CSV UTF-8 (Excel: Save As → CSV UTF-8)",
        )
    } else {
        (String::new(), "save the file as UTF-8 text")
    };
    Err(InputError::at(
        path,
        line,
        column,
        None,
        format!("the file is not UTF-8: byte 0x{bad:02X}{what} in column {column} of line {line} is not valid UTF-8"),
        fix,
    ))
}

/// The 1-based line and CSV column (field) of a byte offset, following quotes, in one
/// pass up to the offset.
fn field_of(bytes: &[u8], offset: usize) -> (u64, u64) {
    let (mut line, mut field, mut quoted) = (1u64, 1u64, false);
    for &b in &bytes[..offset] {
        match b {
            b'"' => quoted = !quoted,
            b'\n' => {
                line += 1;
                if !quoted {
                    field = 1;
                }
            }
            b',' if !quoted => field += 1,
            _ => {}
        }
    }
    (line, field)
}

/// A byte's character in Windows-1252, for messages.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '?', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '?', 'Ž', '?', '?', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '?', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        // Latin-1 above 0x9F.
        _ => char::from(b),
    }
}

fn unreadable(path: &Path, e: &csv::Error, line: u64, hint: &str) -> InputError {
    InputError::at(
        path,
        line,
        1,
        None,
        format!("cannot read this CSV row: {e}"),
        format!("save the file as UTF-8 CSV with one header row; {hint}"),
    )
}

/// Counts lines up to a byte offset, moving forward only, so a file is scanned once.
/// The csv crate's own line count is wrong for files with CRLF endings (rust-csv issue
/// 395), and its byte offset then points at the previous line's LF, so line endings
/// are skipped before a record's line is taken.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line where the record at `offset` starts.
    fn line_of(&mut self, offset: u64) -> u64 {
        let mut start = (offset as usize).min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.offset {
            // Never expected (records come in order), but stay correct if it happens.
            *self = LineCounter::new(self.bytes);
        }
        self.line += self.bytes[self.offset..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.offset = start;
        self.line
    }
}

/// A writer into memory with CRLF line ends, for every CSV techfund writes.
pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// The bytes written; writing to memory cannot fail.
pub fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

/// Each column's position by its name. Spreadsheets often save a few empty columns
/// after the last one used: columns with no name are ignored like any other unknown
/// column. A name given twice is refused through `refuse(column, name, problem, fix)`,
/// the columns called by `label` (numbers in CSV, letters in a sheet).
pub(crate) fn header_index(
    headers: &[String],
    label: impl Fn(usize) -> String,
    refuse: impl Fn(usize, &str, String, &str) -> InputError,
) -> Result<HashMap<String, usize>, InputError> {
    let mut index = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(first) = index.insert(h.clone(), i) {
            let shown = clip(h, ECHO);
            let problem = format!(
                "column `{shown}` appears twice (columns {} and {})",
                label(first),
                label(i)
            );
            return Err(refuse(i, &shown, problem, "delete or rename one of them"));
        }
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_right_for_lf_and_crlf_files() {
        for end in ["\n", "\r\n"] {
            let text = ["a,b", "1,2", "", "3,4", "5,6"].join(end);
            let t = CsvTable::parse(Path::new("x.csv"), text.as_bytes(), "").unwrap();
            let lines: Vec<u64> = t.rows.iter().map(|(l, _)| *l).collect();
            assert_eq!(lines, vec![2, 4, 5], "{end:?}");
        }
    }

    #[test]
    fn short_rows_and_twice_named_columns_are_refused() {
        let e = CsvTable::parse(Path::new("x.csv"), b"a,b\n1\n", "re-make it")
            .err()
            .unwrap();
        assert!(
            e.to_string().contains("x.csv:2:2") && e.fix.contains("re-make it"),
            "{e}"
        );
        let e = CsvTable::parse(Path::new("x.csv"), b"a,a\n1,2\n", "")
            .err()
            .unwrap();
        assert!(e.to_string().contains("appears twice"), "{e}");
    }

    #[test]
    fn empty_and_blank_files_say_so() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b"  \r\n\n", b"\xEF\xBB\xBF\n"] {
            let e = CsvTable::parse(Path::new("x.csv"), bytes, "")
                .err()
                .unwrap();
            assert!(
                e.to_string().contains("x.csv:1:1: the file is empty"),
                "{e}"
            );
        }
    }

    #[test]
    fn windows_1252_files_name_the_byte_and_how_to_save_them() {
        let e = CsvTable::parse(Path::new("x.csv"), b"a,b\n1,\"x, y\"\n2,\xA3300\n", "")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("x.csv:3:2:") && e.contains("0xA3 (a £ sign"),
            "{e}"
        );
        assert!(
            e.contains("save it as CSV UTF-8 (Excel: Save As → CSV UTF-8)"),
            "{e}"
        );
        let e = CsvTable::parse(Path::new("x.csv"), b"a,b\n1,caf\xE9\n", "")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("x.csv:2:2:") && e.contains("`é` in Windows-1252"),
            "{e}"
        );
        let e = CsvTable::parse(Path::new("x.csv"), b"a,b\n1,\x81\n", "")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("0x81") && e.contains("save the file as UTF-8"),
            "{e}"
        );
        let e = CsvTable::parse(Path::new("x.csv"), b"\xFF\xFEa\0", "")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("UTF-16"), "{e}");
    }

    #[test]
    fn unnamed_empty_columns_are_ignored() {
        let t = CsvTable::parse(Path::new("x.csv"), b"a,b,,\n1,2,,\n", "").unwrap();
        assert_eq!(t.column("b"), Some(1));
    }
}
