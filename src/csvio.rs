//! One place for CSV. Every reader and writer in techfund is made here, so every
//! command treats CSV the same way: a byte-order mark from Excel is ignored, fields are
//! trimmed, rows of the wrong length are named, line numbers are right for CRLF files,
//! and what techfund writes ends lines with CRLF, as Excel expects.

use crate::error::InputError;
use csv::StringRecord;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A CSV file read whole: its header and every row with the line it starts on.
pub struct CsvTable {
    pub path: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<(u64, StringRecord)>,
}

impl CsvTable {
    /// Parses `bytes` read from `path`. `hint` ends the fix of a structural error with
    /// what to do about this kind of file (e.g. how to make it again).
    pub fn parse(path: &Path, bytes: &[u8], hint: &str) -> Result<CsvTable, InputError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
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
        let mut seen = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if let Some(first) = seen.insert(h.as_str(), i) {
                return Err(InputError::at(
                    path,
                    1,
                    i as u64 + 1,
                    Some(h),
                    format!(
                        "column `{h}` appears twice (columns {} and {})",
                        first + 1,
                        i + 1
                    ),
                    "delete or rename one of them",
                ));
            }
        }
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
        })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
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
            self.headers.get(column).map(String::as_str),
            problem,
            fix,
        )
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
}
