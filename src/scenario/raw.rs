//! The scenario file as written (serde), and its validation into a `Scenario`.

use super::*;
use crate::dataset::file::SCENARIO_LIMIT;
use crate::dataset::number::MAX_MONEY;
use crate::dataset::text::{self, LONG_TEXT, SCENARIO_NAME, SHORT_TEXT};
use crate::format::{clip, ECHO};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    #[serde(default)]
    description: String,
    data: String,
    years: Vec<String>,
    budget: RawBudget,
    objective: RawObjective,
    funding: RawFunding,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    solver: RawSolver,
    target: Option<RawTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    capabilities: f64,
    population_share: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    capital: Vec<f64>,
    revenue: Option<Vec<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    kind: String,
    need: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFunding {
    mode: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimit {
    share_of_fair_share: Option<f64>,
    amount: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    category: String,
    min_share: Option<f64>,
    max_share: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    footprint_floor: Option<RawLimit>,
    footprint_cap: Option<RawLimit>,
    #[serde(default)]
    category: Vec<RawCategory>,
    min_benefit_per_pound: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSolver {
    mip_gap: Option<f64>,
    time_limit_s: Option<f64>,
}

/// Line and column (1-based) of a byte offset.
fn line_column(text: &str, offset: usize) -> (u64, u64) {
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

fn locate(text: &str, table: &str, key: &str) -> (u64, u64) {
    locate_exact(text, table, key)
        .or_else(|| locate_exact(text, table, ""))
        .unwrap_or((1, 1))
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
    let name = if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    };
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
fn error_in(
    path: &Path,
    text: &str,
    table: &str,
    key: &str,
    entry: usize,
    problem: String,
    fix: String,
) -> InputError {
    let full = if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    };
    let (line, column) = locate_entry(text, table, key, entry)
        .or_else(|| locate_entry(text, &full, "", 0))
        .or_else(|| locate_anywhere(text, key))
        .or_else(|| locate_entry(text, table, "", entry))
        .unwrap_or((1, 1));
    InputError::at(path, line, column, Some(&clip(&full, ECHO)), problem, fix)
}

/// The scenario file and the files it extends, child first: an error points at the
/// first of them that sets the key.
struct Ctx<'a> {
    sources: &'a [(PathBuf, String)],
}

impl Ctx<'_> {
    /// An error about a key whose table is not known: the first line in any file that sets it.
    fn err_anywhere(&self, key: &str, problem: String, fix: &str) -> InputError {
        for (path, text) in self.sources {
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let trimmed = line.trim_start();
                if !key.is_empty()
                    && trimmed
                        .strip_prefix(key)
                        .is_some_and(|r| r.trim_start().starts_with('='))
                {
                    let (l, c) = line_column(text, offset + line.len() - trimmed.len());
                    return InputError::at(path, l, c, Some(key), problem, fix);
                }
                offset += line.len();
            }
        }
        InputError::at(&self.sources[0].0, 1, 1, None, problem, fix)
    }

    fn err(&self, table: &str, key: &str, problem: String, fix: &str) -> InputError {
        let (path, text) = self
            .sources
            .iter()
            .find(|(_, t)| locate_exact(t, table, key).is_some())
            .unwrap_or(&self.sources[0]);
        let (line, column) = locate(text, table, key);
        let path = path.as_path();
        let name = if table.is_empty() {
            key.to_string()
        } else if key.is_empty() {
            table.to_string()
        } else {
            format!("{table}.{key}")
        };
        InputError::at(path, line, column, Some(&name), problem, fix)
    }

    /// An error about `key` in the rule for `category` (its `occurrence`-th rule, 0-based,
    /// when it has two): at that rule's entry in the file of the chain that sets it.
    fn err_category(
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
fn clip_quoted(message: &str) -> String {
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

fn syntax_error(path: &Path, text: &str, e: &toml::de::Error) -> InputError {
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

/// The most files an `extends` chain may have; real chains have two or three.
const MAX_CHAIN: usize = 16;

/// Reads a scenario file and, through `extends`, the files it builds on: returns the
/// merged table (child keys override; tables merge key by key; arrays are replaced,
/// except category rules, which merge by category) and every file read, child first.
/// `data` is resolved against the file that sets it.
fn read_chain(
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

pub(super) fn parse(path: &Path, text: &str) -> Result<Scenario, InputError> {
    let mut seen = vec![path.canonicalize().unwrap_or_else(|_| path.to_path_buf())];
    let (merged, sources) = read_chain(path, text, &mut seen)?;
    let cx = Ctx { sources: &sources };
    let resolved = toml::to_string(&merged).unwrap_or_default();
    let raw: RawScenario = if sources.len() == 1 {
        // One file: deserialise its text so errors carry exact spans.
        let mut raw: RawScenario =
            toml::from_str(text).map_err(|e| syntax_error(path, text, &e))?;
        raw.data = merged
            .get("data")
            .and_then(|d| d.as_str())
            .unwrap_or(&raw.data)
            .to_string();
        raw
    } else {
        toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| {
                // The merged table has no spans: find the key the message names in the files.
                let message = clip_quoted(e.message().trim());
                let key = message.split('`').nth(1).unwrap_or("");
                cx.err_anywhere(
                    key,
                    format!("the scenario is not valid: {message}"),
                    "fix this key; README.md lists every scenario key",
                )
            })?
    };

    if raw.name.trim().is_empty() {
        return Err(cx.err(
            "",
            "name",
            "the scenario has an empty name".into(),
            "give it a short name, e.g. `baseline`; it names the report folder",
        ));
    }
    let name_chars = raw.name.chars().count();
    if name_chars > SCENARIO_NAME {
        return Err(cx.err(
            "",
            "name",
            format!(
                "the name is {name_chars} characters long, more than the {SCENARIO_NAME} allowed"
            ),
            "give it a short name, e.g. `baseline`; it names the report folder",
        ));
    }
    if !raw
        .name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(cx.err(
            "",
            "name",
            format!("`{}` cannot name a report folder", clip(&raw.name, ECHO)),
            "use letters, digits, `_` and `-` only",
        ));
    }
    if let Some((problem, fix)) = text::check(&raw.description, LONG_TEXT, true) {
        return Err(cx.err(
            "",
            "description",
            format!("the description {problem}"),
            &fix,
        ));
    }

    let mut years = Vec::new();
    for label in &raw.years {
        let y = FinancialYear::parse(label).map_err(|_| {
            cx.err(
                "",
                "years",
                format!("`{}` is not a financial year; write it as `2016/17` (start year, slash, the next year's last two digits)", clip(label, ECHO)),
                "list financial years like [\"2016/17\", \"2017/18\"]",
            )
        })?;
        if let Some(prev) = years.last() {
            let prev: &FinancialYear = prev;
            if y.start_year() != prev.start_year() + 1 {
                return Err(cx.err(
                    "",
                    "years",
                    format!("`{y}` does not follow `{prev}`"),
                    "list consecutive financial years in order",
                ));
            }
        }
        years.push(y);
    }
    if years.is_empty() {
        return Err(cx.err(
            "",
            "years",
            "no financial years are listed".into(),
            "list the years of the spending review, e.g. [\"2016/17\", \"2017/18\"]",
        ));
    }

    let mut budget = vec![(BudgetLine::Capital, raw.budget.capital)];
    if let Some(rev) = raw.budget.revenue {
        budget.push((BudgetLine::Revenue, rev));
    }
    for (line, amounts) in &budget {
        if amounts.len() != years.len() {
            return Err(cx.err(
                "budget",
                line.name(),
                format!(
                    "{} {} amount(s) for {} financial year(s)",
                    amounts.len(),
                    line,
                    years.len()
                ),
                "give one amount (£k) per year listed in `years`",
            ));
        }
        if let Some(bad) = amounts.iter().find(|a| !a.is_finite() || **a < 0.0) {
            return Err(cx.err(
                "budget",
                line.name(),
                format!("{bad} is not a budget"),
                "budgets are amounts in £ thousands, zero or more",
            ));
        }
        if let Some(bad) = amounts.iter().find(|a| **a > MAX_MONEY) {
            return Err(cx.err(
                "budget",
                line.name(),
                format!("{bad} is more than £1 trillion (1e9 £k)"),
                "budgets are amounts in £ thousands: divide an amount in pounds by 1000",
            ));
        }
    }

    let objective = match raw.objective.kind.as_str() {
        "benefit" => ObjectiveKind::Benefit,
        "maturity" => ObjectiveKind::Maturity,
        "npv" => {
            return Err(cx.err(
                "objective",
                "kind",
                "the `npv` objective is reserved but not built yet".into(),
                "use `benefit` (benefits are present values already) or `maturity`",
            ))
        }
        other => {
            return Err(cx.err(
                "objective",
                "kind",
                format!("unknown objective `{}`", clip(other, ECHO)),
                "use `benefit` or `maturity`",
            ))
        }
    };
    let need = match raw.objective.need.as_deref() {
        None | Some("neutral") => NeedPolicy::Neutral,
        Some("least_mature_first") => NeedPolicy::LeastMatureFirst,
        Some("readiness_led") => NeedPolicy::ReadinessLed,
        Some(other) => {
            return Err(cx.err(
                "objective",
                "need",
                format!("unknown need policy `{}`", clip(other, ECHO)),
                "use `least_mature_first`, `readiness_led` or `neutral`",
            ))
        }
    };
    if raw.objective.need.is_some() && objective != ObjectiveKind::Maturity {
        return Err(cx.err(
            "objective",
            "need",
            "a need policy only applies to the maturity objective".into(),
            "remove `need`, or set `kind = \"maturity\"`",
        ));
    }

    let funding = match raw.funding.mode.as_str() {
        "all_or_nothing" => FundingMode::AllOrNothing,
        "partial" => FundingMode::Partial,
        other => {
            return Err(cx.err(
                "funding",
                "mode",
                format!("unknown funding mode `{}`", clip(other, ECHO)),
                "use `all_or_nothing` or `partial`",
            ))
        }
    };

    let limit = |raw: Option<RawLimit>, table: &str| -> Result<Option<Limit>, InputError> {
        let Some(raw) = raw else { return Ok(None) };
        let table = format!("rules.{table}");
        match (raw.share_of_fair_share, raw.amount) {
            (Some(s), None) if s.is_finite() && s >= 0.0 => Ok(Some(Limit::ShareOfFairShare(s))),
            (None, Some(a)) if a.is_finite() && (0.0..=MAX_MONEY).contains(&a) => {
                Ok(Some(Limit::Amount(a)))
            }
            (Some(_), Some(_)) | (None, None) => Err(cx.err(
                &table,
                "",
                format!("[{table}] needs exactly one of `share_of_fair_share` or `amount`"),
                "e.g. `share_of_fair_share = 0.5` (half the population fair share) or `amount = 5000` (£k)",
            )),
            (s, a) => Err(cx.err(
                &table,
                if s.is_some() { "share_of_fair_share" } else { "amount" },
                format!("{} is not a valid limit", s.or(a).unwrap_or_default()),
                "use a number zero or more (an amount at most 1e9 £k)",
            )),
        }
    };
    let footprint_floor = limit(raw.rules.footprint_floor, "footprint_floor")?;
    let footprint_cap = limit(raw.rules.footprint_cap, "footprint_cap")?;

    let mut categories: Vec<CategoryShare> = Vec::new();
    let mut named: HashSet<String> = HashSet::new();
    for c in raw.rules.category {
        if let Some((problem, fix)) = text::check(&c.category, SHORT_TEXT, false) {
            return Err(cx.err(
                "rules.category",
                "category",
                format!("the category name {problem}"),
                &fix,
            ));
        }
        let shown = clip(&c.category, ECHO);
        for (key, v) in [("min_share", c.min_share), ("max_share", c.max_share)] {
            if let Some(v) = v {
                if !(0.0..=1.0).contains(&v) {
                    return Err(cx.err_category(
                        &c.category,
                        key,
                        0,
                        format!("{v} is not a share"),
                        "write a share between 0 and 1, e.g. 0.25",
                    ));
                }
            }
        }
        if let (Some(lo), Some(hi)) = (c.min_share, c.max_share) {
            if lo > hi {
                return Err(cx.err_category(
                    &c.category,
                    "min_share",
                    0,
                    format!("category `{shown}`: min_share {lo} is above max_share {hi}"),
                    "make min_share at most max_share",
                ));
            }
        }
        if !named.insert(c.category.clone()) {
            return Err(cx.err_category(
                &c.category,
                "category",
                1,
                format!("category `{shown}` has two rules"),
                "merge them into one [[rules.category]]",
            ));
        }
        categories.push(CategoryShare {
            category: c.category,
            min_share: c.min_share,
            max_share: c.max_share,
        });
    }
    if let Some(h) = raw.rules.min_benefit_per_pound {
        if !h.is_finite() || h < 0.0 {
            return Err(cx.err(
                "rules",
                "min_benefit_per_pound",
                format!("{h} is not a hurdle"),
                "write a benefit–cost ratio, e.g. 1.5",
            ));
        }
    }

    let defaults = SolverSettings::default();
    let mip_gap = raw.solver.mip_gap.unwrap_or(defaults.mip_gap);
    if !mip_gap.is_finite() || !(0.0..1.0).contains(&mip_gap) {
        return Err(cx.err(
            "solver",
            "mip_gap",
            format!("{mip_gap} is not a relative gap"),
            "use 0 for a proven optimum, or a small fraction such as 1e-4",
        ));
    }
    let time_limit_s = raw.solver.time_limit_s.unwrap_or(defaults.time_limit_s);
    if !time_limit_s.is_finite() || time_limit_s <= 0.0 {
        return Err(cx.err(
            "solver",
            "time_limit_s",
            format!("{time_limit_s} is not a time limit"),
            "give seconds, more than zero",
        ));
    }

    let target = match raw.target {
        None => None,
        Some(t) => {
            if !(0.0..=100.0).contains(&t.capabilities) {
                return Err(cx.err(
                    "target",
                    "capabilities",
                    format!("{} is not a capability score", t.capabilities),
                    "give the score every footprint must reach, 0–100 (e.g. 65)",
                ));
            }
            let share = t.population_share.unwrap_or(1.0);
            if !(share > 0.0 && share <= 1.0) {
                return Err(cx.err(
                    "target",
                    "population_share",
                    format!("{share} is not a share of the population"),
                    "write a share above 0 and at most 1 (1 = every footprint)",
                ));
            }
            Some(Target {
                capabilities: t.capabilities,
                population_share: share,
            })
        }
    };
    Ok(Scenario {
        target,
        name: raw.name,
        description: raw.description,
        path: path.to_path_buf(),
        data: PathBuf::from(&raw.data),
        resolved,
        files: sources.iter().map(|(p, _)| p.clone()).collect(),
        years,
        budget,
        objective,
        need,
        funding,
        rules: Rules {
            footprint_floor,
            footprint_cap,
            categories,
            min_benefit_per_pound: raw.rules.min_benefit_per_pound,
        },
        solver: SolverSettings {
            mip_gap,
            time_limit_s,
        },
    })
}

#[cfg(test)]
pub(super) fn locate_for_test(text: &str, table: &str, key: &str) -> (u64, u64) {
    locate(text, table, key)
}
