//! Reading a scenario's `extends` chain and merging its files into one table.

use super::keys;
use super::locate::{error_in, line_column, syntax_error, Ctx};
use crate::dataset::file::SCENARIO_LIMIT;
use crate::error::InputError;
use crate::format::{clip, ECHO};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The most files an `extends` chain may have; real chains have two or three.
const MAX_CHAIN: usize = 16;

/// Reads a scenario file and, through `extends`, the files it builds on: returns the
/// merged table (child keys override; tables merge key by key; arrays are replaced,
/// except category rules, which merge by category) and every file read, child first.
/// `data` is resolved against the file that sets it.
pub(super) fn read_chain(
    path: &Path,
    text: &str,
    seen: &mut Vec<PathBuf>,
) -> Result<(toml::Table, Vec<(PathBuf, String)>), InputError> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| syntax_error(path, text, &e))?;
    if let Some(w) = keys::check(&table) {
        return Err(error_in(
            path, text, &w.table, &w.key, w.entry, w.problem, w.fix,
        ));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(toml::Value::String(d)) = table.get("data") {
        let resolved = dir.join(d).to_string_lossy().into_owned();
        table.insert("data".into(), toml::Value::String(resolved));
    }
    let mut sources = vec![(path.to_path_buf(), text.to_string())];
    let Some(parent) = table.remove("extends") else {
        return Ok((table, sources));
    };
    let cx = Ctx { sources: &sources };
    let toml::Value::String(parent) = parent else {
        return Err(cx.err(
            "",
            "extends",
            "`extends` must be a file name".into(),
            "write e.g. extends = \"baseline.toml\"",
        ));
    };
    if !table.contains_key("name") {
        return Err(cx.err(
            "",
            "extends",
            "a scenario that extends another needs its own `name`".into(),
            "add name = \"...\" so its report gets its own folder",
        ));
    }
    if seen.len() >= MAX_CHAIN {
        return Err(cx.err(
            "",
            "extends",
            format!("the `extends` chain is longer than {MAX_CHAIN} files"),
            "extend a scenario that extends nothing, or one that extends one other",
        ));
    }
    let parent_path = dir.join(&parent);
    let canonical = parent_path
        .canonicalize()
        .unwrap_or_else(|_| parent_path.clone());
    if seen.contains(&canonical) {
        return Err(cx.err(
            "",
            "extends",
            format!(
                "`{}` extends this scenario again: the chain goes round in a circle",
                clip(&parent, ECHO)
            ),
            "make the chain end at a scenario with no `extends`",
        ));
    }
    seen.push(canonical);
    let parent_text = read_text(&parent_path).map_err(|e| match e {
        // A file that was read but is not text: the error is inside it.
        ReadText::NotUtf8(e) => e,
        ReadText::Unreadable(problem) => cx.err(
            "",
            "extends",
            format!(
                "cannot read `{}`: {problem}",
                clip(&parent_path.display().to_string(), 200)
            ),
            "name a scenario file, relative to this one",
        ),
    })?;
    let (mut merged, parent_sources) = read_chain(&parent_path, &parent_text, seen)?;
    merge(&mut merged, table, true);
    sources.extend(parent_sources);
    Ok((merged, sources))
}

/// Why a scenario file could not be read as text.
pub(super) enum ReadText {
    Unreadable(String),
    NotUtf8(InputError),
}

/// Reads a scenario file: a regular file of at most [`SCENARIO_LIMIT`] bytes, in UTF-8.
pub(super) fn read_text(path: &Path) -> Result<String, ReadText> {
    let bytes = crate::dataset::file::read_regular(path, SCENARIO_LIMIT)
        .map_err(|e| ReadText::Unreadable(e.0))?;
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let text = String::from_utf8_lossy(&bytes[..at]);
        let (line, column) = line_column(&text, at);
        ReadText::NotUtf8(InputError::at(
            path,
            line,
            column,
            None,
            format!(
                "the scenario is not UTF-8: byte 0x{:02X} is not valid UTF-8",
                bytes[at]
            ),
            "save the file as UTF-8 text (most editors: Save As → Encoding UTF-8)",
        ))
    })
}

/// Top-level tables (`[budget]`, `[rules]`, …) merge key by key; anything deeper, such
/// as `[rules.footprint_cap]`, is one rule and is replaced whole, so a child's
/// `share_of_fair_share` never mixes with its parent's `amount`. `[objective]` is one
/// choice too: a child's `kind = "benefit"` must not inherit the parent's `need`.
/// Category rules (`[[rules.category]]`) merge by category: a child's rule for EPR
/// replaces the parent's rule for EPR, whole, and the parent's other categories stay.
fn merge(base: &mut toml::Table, over: toml::Table, top: bool) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if top && k != "objective" => {
                merge(b, o, false)
            }
            (Some(toml::Value::Array(b)), toml::Value::Array(o)) if !top && k == "category" => {
                merge_categories(b, o)
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// The parent's category rules with the child's laid over them, by category name. A
/// child that names one category twice keeps both, so the duplicate is refused later.
fn merge_categories(base: &mut Vec<toml::Value>, over: Vec<toml::Value>) {
    let name = |v: &toml::Value| {
        v.get("category")
            .and_then(|c| c.as_str())
            .map(str::to_string)
    };
    // The parent's rules not yet replaced, by category (the first, if it has two).
    let mut open: HashMap<String, usize> = HashMap::new();
    for (i, b) in base.iter().enumerate() {
        if let Some(n) = name(b) {
            open.entry(n).or_insert(i);
        }
    }
    for rule in over {
        match name(&rule).and_then(|n| open.remove(&n)) {
            Some(i) => base[i] = rule,
            None => base.push(rule),
        }
    }
}
