//! Errors a user can act on. Input errors point at a file, line and column (or a
//! scenario key) and say what to fix; they exit with code 2.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the inputs a problem is.
#[derive(Clone, Debug, PartialEq)]
pub enum Location {
    File(PathBuf),
    /// 1-based line and column; `column_name` is the CSV header or TOML key when known.
    Cell {
        file: PathBuf,
        line: u64,
        column: u64,
        column_name: Option<String>,
    },
    /// A sheet of a workbook, or a cell of it (boxed, so every error stays small).
    Sheet(Box<SheetPlace>),
}

/// A sheet of a workbook, or one cell of it: 1-based row and column, shown as
/// `Projects!F12`; `column_name` is the header above the cell when known.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetPlace {
    pub file: PathBuf,
    pub sheet: String,
    pub cell: Option<(u64, u64)>,
    pub column_name: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Cell {
                file,
                line,
                column,
                column_name,
            } => {
                write!(f, "{}:{line}:{column}", file.display())?;
                if let Some(name) = column_name {
                    write!(f, " (`{name}`)")?;
                }
                Ok(())
            }
            Location::Sheet(place) => {
                let SheetPlace {
                    file,
                    sheet,
                    cell,
                    column_name,
                } = &**place;
                let sheet = sheet_reference(sheet);
                match cell {
                    Some((row, column)) => write!(
                        f,
                        "{}: {sheet}!{}{row}",
                        file.display(),
                        column_letters(*column)
                    )?,
                    None => write!(f, "{}: sheet {sheet}", file.display())?,
                }
                if let Some(name) = column_name {
                    write!(f, " (`{name}`)")?;
                }
                Ok(())
            }
        }
    }
}

/// A 1-based column number as Excel names it: 1 → A, 27 → AA.
pub fn column_letters(mut column: u64) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rest = (column - 1) % 26;
        letters.push(b'A' + rest as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// A sheet name as a formula writes it: quoted when it holds anything but letters,
/// digits and `_`, so `'Bids 2017'!A1` reads as one reference.
fn sheet_reference(sheet: &str) -> String {
    if !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

/// Where a table of the dataset is: a CSV file (cells at line and field) or one
/// sheet of a workbook (cells at row and column). Loaders make every error through
/// it, so one validation serves both.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Csv(PathBuf),
    Sheet { file: PathBuf, sheet: String },
}

impl Source {
    pub fn file(&self) -> &Path {
        match self {
            Source::Csv(p) => p,
            Source::Sheet { file, .. } => file,
        }
    }

    /// The table in words, for messages: `footprints.csv` or `sheet Footprints`.
    pub fn name(&self) -> String {
        match self {
            Source::Csv(p) => p
                .file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into()),
            Source::Sheet { sheet, .. } => format!("sheet {}", sheet_reference(sheet)),
        }
    }

    /// What a row is called: CSV files have lines, sheets rows.
    pub fn row_word(&self) -> &'static str {
        match self {
            Source::Csv(_) => "line",
            Source::Sheet { .. } => "row",
        }
    }

    /// An error at a cell: 1-based line (row) and column.
    pub fn at(
        &self,
        line: u64,
        column: u64,
        column_name: Option<&str>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> InputError {
        match self {
            Source::Csv(p) => InputError::at(p, line, column, column_name, problem, fix),
            Source::Sheet { file, sheet } => InputError {
                location: Location::Sheet(Box::new(SheetPlace {
                    file: file.clone(),
                    sheet: sheet.clone(),
                    cell: Some((line, column)),
                    column_name: column_name.map(str::to_string),
                })),
                problem: problem.into(),
                fix: fix.into(),
            },
        }
    }

    /// An error about the table as a whole.
    pub fn whole(&self, problem: impl Into<String>, fix: impl Into<String>) -> InputError {
        match self {
            Source::Csv(p) => InputError::file(p, problem, fix),
            Source::Sheet { file, sheet } => InputError {
                location: Location::Sheet(Box::new(SheetPlace {
                    file: file.clone(),
                    sheet: sheet.clone(),
                    cell: None,
                    column_name: None,
                })),
                problem: problem.into(),
                fix: fix.into(),
            },
        }
    }
}

/// A problem with the user's files: what is wrong, where, and what to do.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    pub location: Location,
    pub problem: String,
    pub fix: String,
}

impl InputError {
    pub fn file(path: &Path, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        InputError {
            location: Location::File(path.to_path_buf()),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    pub fn at(
        path: &Path,
        line: u64,
        column: u64,
        column_name: Option<&str>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        InputError {
            location: Location::Cell {
                file: path.to_path_buf(),
                line,
                column,
                column_name: column_name.map(str::to_string),
            },
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}\n  fix: {}",
            self.location, self.problem, self.fix
        )
    }
}

impl std::error::Error for InputError {}

/// Everything that can stop a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Input(#[from] InputError),
    /// Command-line values that are fine one by one but not together (clap checks each).
    #[error("{problem}\n  fix: {fix}")]
    Usage { problem: String, fix: String },
    /// The scenario's rules admit no allocation; the text says which rules and by how much.
    #[error("the scenario `{scenario}` has no feasible allocation\n{explanation}")]
    Infeasible {
        scenario: String,
        explanation: String,
    },
    /// A report file could not be made (a chart or the workbook): a bug, reported plainly.
    #[error("the report could not be made: {0}")]
    Report(String),
    #[error("the solver failed: {0}")]
    Solver(String),
    /// The independent check found the solver's answer breaks a rule: a bug, never a user error.
    #[error("the allocation breaks {} rule(s), so no report was written:\n{}", .0.len(), .0.join("\n"))]
    RuleBroken(Vec<String>),
    /// Some scenarios of a batch failed (each was reported as it failed).
    #[error("{failed} scenario(s) failed")]
    Batch { failed: usize, code: i32 },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn usage(problem: impl Into<String>, fix: impl Into<String>) -> Self {
        Error::Usage {
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// 2 for problems in the user's inputs (including rules no allocation can meet), 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Usage { .. } | Error::Infeasible { .. } => 2,
            Error::Batch { code, .. } => *code,
            _ => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
