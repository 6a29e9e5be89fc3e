//! Where a key is set in a scenario's text, so an error points at the line to edit.

use crate::dataset::file::SCENARIO_LIMIT;
use crate::error::InputError;
use crate::format::{clip, ECHO};
use std::path::{Path, PathBuf};

/// Line and column (1-based) of a byte offset.
pub(super) fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, column)
}

/// Finds where `key` is set inside `[table]` (or at top level when `table` is empty),
/// so semantic errors can point at the line an analyst must edit. `None` when the key
/// is not in this text; an empty `key` finds the table header.
fn locate_exact(text: &str, table: &str, key: &str) -> Option<(u64, u64)> {
    locate_entry(text, table, key, 0)
}

/// As [`locate_exact`], in the `entry`-th (0-based) `[[table]]` of an array of tables.
fn locate_entry(text: &str, table: &str, key: &str, entry: usize) -> Option<(u64, u64)> {
    let mut in_table = table.is_empty();
    let mut seen = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('[') {
            let header = trimmed
                .trim_end()
                .trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace());
            in_table = false;
            if header == table {
                in_table = seen == entry;
                seen += 1;
            }
            if in_table && key.is_empty() {
                return Some(line_column(text, offset + indent));
            }
        } else if in_table && !key.is_empty() {
            if let Some(rest) = trimmed.strip_prefix(key) {
                if rest.trim_start().starts_with('=') {
                    return Some(line_column(text, offset + indent));
                }
            }
        }
        offset += line.len();
    }
    None
}

/// The first line of `text` that sets `key`, in whatever table.
fn locate_anywhere(text: &str, key: &str) -> Option<(u64, u64)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if !key.is_empty()
            && trimmed
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        {
            return Some(line_column(text, offset + line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

pub(super) fn locate(text: &str, table: &str, key: &str) -> (u64, u64) {
    locate_exact(text, table, key)
        .or_else(|| locate_exact(text, table, ""))
        .unwrap_or((1, 1))
}

/// `table.key`, or the key alone at the top level.
fn dotted(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    }
}

/// Where a key of the scenario is set in `files` (the scenario, then what it extends):
/// the first file that sets it, read again from disk. Used for errors found after the
/// scenario was loaded, such as a year the data does not cost.
pub(super) fn key_error(
    files: &[PathBuf],
    table: &str,
    key: &str,
    problem: String,
    fix: String,
) -> InputError {
    let name = dotted(table, key);
    for path in files {
        let Ok(bytes) = crate::dataset::file::read_regular(path, SCENARIO_LIMIT) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        if let Some((line, column)) = locate_exact(&text, table, key) {
            return InputError::at(path, line, column, Some(&name), problem, fix);
        }
    }
    match files.first() {
        Some(path) => InputError::at(path, 1, 1, Some(&name), problem, fix),
        None => InputError::file(Path::new("scenario"), problem, fix),
    }
}

/// An error about `key` of `[table]` (its `entry`-th table in an array of tables) in one
/// file's text, at the best place found: the key, else its table, else the top.
pub(super) fn error_in(
    path: &Path,
    text: &str,
    table: &str,
    key: &str,
    entry: usize,
    problem: String,
    fix: String,
) -> InputError {
    let full = dotted(table, key);
    let (line, column) = locate_entry(text, table, key, entry)
        .or_else(|| locate_entry(text, &full, "", 0))
        .or_else(|| locate_anywhere(text, key))
        .or_else(|| locate_entry(text, table, "", entry))
        .unwrap_or((1, 1));
    InputError::at(path, line, column, Some(&clip(&full, ECHO)), problem, fix)
}

/// The scenario file and the files it extends, child first: an error points at the
/// first of them that sets the key.
pub(super) struct Ctx<'a> {
    pub(super) sources: &'a [(PathBuf, String)],
}

impl Ctx<'_> {
    /// An error about a key whose table is not known: the first line in any file that sets it.
    pub(super) fn err_anywhere(&self, key: &str, problem: String, fix: &str) -> InputError {
        for (path, text) in self.sources {
            if let Some((l, c)) = locate_anywhere(text, key) {
                return InputError::at(path, l, c, Some(key), problem, fix);
            }
        }
        InputError::at(&self.sources[0].0, 1, 1, None, problem, fix)
    }

    pub(super) fn err(&self, table: &str, key: &str, problem: String, fix: &str) -> InputError {
        let (path, text) = self
            .sources
            .iter()
            .find(|(_, t)| locate_exact(t, table, key).is_some())
            .unwrap_or(&self.sources[0]);
        let (line, column) = locate(text, table, key);
        let path = path.as_path();
        // A whole table (no key) is named by itself.
        let name = if key.is_empty() {
            table.to_string()
        } else {
            dotted(table, key)
        };
        InputError::at(path, line, column, Some(&name), problem, fix)
    }

    /// An error about `key` in the rule for `category` (its `occurrence`-th rule, 0-based,
    /// when it has two): at that rule's entry in the file of the chain that sets it.
    pub(super) fn err_category(
        &self,
        category: &str,
        key: &str,
        occurrence: usize,
        problem: String,
        fix: &str,
    ) -> InputError {
        for (path, text) in self.sources {
            let Ok(table) = toml::from_str::<toml::Table>(text) else {
                continue;
            };
            let Some(entries) = table
                .get("rules")
                .and_then(|r| r.get("category"))
                .and_then(|c| c.as_array())
            else {
                continue;
            };
            let Some(n) = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.get("category").and_then(|c| c.as_str()) == Some(category))
                .map(|(i, _)| i)
                .nth(occurrence)
            else {
                continue;
            };
            if let Some((line, column)) = locate_entry(text, "rules.category", key, n)
                .or_else(|| locate_entry(text, "rules.category", "", n))
            {
                let name = format!("rules.category.{key}");
                return InputError::at(path, line, column, Some(&name), problem, fix);
            }
        }
        self.err("rules.category", key, problem, fix)
    }
}

/// A message from the TOML parser with every `quoted` part, which may be the user's
/// text, cut to [`ECHO`] characters, and the whole cut to a few lines.
pub(super) fn clip_quoted(message: &str) -> String {
    let parts: Vec<String> = message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                clip(part, ECHO)
            } else {
                part.to_string()
            }
        })
        .collect();
    clip(&parts.join("`"), 400)
}

pub(super) fn syntax_error(path: &Path, text: &str, e: &toml::de::Error) -> InputError {
    let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
    InputError::at(
        path,
        line,
        column,
        None,
        format!(
            "the scenario is not valid: {}",
            clip_quoted(e.message().trim())
        ),
        "fix the TOML at this place; README.md lists every scenario key",
    )
}
