//! Rules for free text from the inputs (names, titles, ids, categories), shared by
//! the dataset and the scenario: a length limit, and no invisible control characters.
//! Also the nearest-name search that turns a misspelt column or key into a suggestion.

use crate::format::is_invisible_control;

/// Excel's limit on one cell: longer text cannot have come from a spreadsheet and
/// would be cut when the report's workbook is written.
pub const LONG_TEXT: usize = 32_767;

/// Ids (of footprints, projects and exclusive groups) and category names: they are
/// repeated in every table and chart of the report, so they must stay short.
pub const SHORT_TEXT: usize = 200;

/// A scenario's `name`, which names its report folder.
pub const SCENARIO_NAME: usize = 100;

/// The problem with `text` as a field of at most `most` characters, if any. `line_breaks`
/// allows LF and CR (a scenario's multi-line description); tab is always allowed.
pub fn check(text: &str, most: usize, line_breaks: bool) -> Option<(String, String)> {
    for (i, c) in text.chars().enumerate() {
        if line_breaks && (c == '\n' || c == '\r') {
            continue;
        }
        if is_invisible_control(c) {
            return Some((
                format!(
                    "contains an invisible control character U+{:04X}{} at character {}",
                    c as u32,
                    describe(c),
                    i + 1
                ),
                "delete it (it may have come from a copy and paste)".into(),
            ));
        }
    }
    // Counted only when the text could be too long, so the common case stays one pass.
    if text.len() > most {
        let n = text.chars().count();
        if n > most {
            return Some((
                format!("is {n} characters long, more than the {most} allowed"),
                format!("shorten it to at most {most} characters"),
            ));
        }
    }
    None
}

fn describe(c: char) -> &'static str {
    match c {
        '\0' => " (NUL)",
        '\n' => " (line feed: a line break inside the cell)",
        '\r' => " (carriage return: a line break inside the cell)",
        '\u{202A}' => " (left-to-right embedding)",
        '\u{202B}' => " (right-to-left embedding)",
        '\u{202C}' => " (pop directional formatting)",
        '\u{202D}' => " (left-to-right override)",
        '\u{202E}' => " (right-to-left override)",
        '\u{2066}' => " (left-to-right isolate)",
        '\u{2067}' => " (right-to-left isolate)",
        '\u{2068}' => " (first strong isolate)",
        '\u{2069}' => " (pop directional isolate)",
        _ => "",
    }
}

/// A name reduced for matching: lower case, without `_`, `-` and spaces, so that
/// `Project ID` matches `project_id`.
fn folded(name: &str) -> Vec<char> {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The candidate nearest to `wanted`, if it is close enough to be a misspelling:
/// within one edit per three characters (at least one), counting a swap of two
/// neighbours as one edit. Candidates much longer or shorter than `wanted` are
/// skipped before any distance is computed, so this stays linear in their total length.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = folded(wanted);
    let most = (w.len() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // Folding only removes characters, so a much longer candidate cannot match.
        if c.chars().count() > (w.len() + most) * 4 {
            continue;
        }
        let f = folded(c);
        if f.len().abs_diff(w.len()) > most || f.is_empty() {
            continue;
        }
        let d = distance(&w, &f);
        if d <= most && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance with transpositions (optimal string alignment).
fn distance(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut rows = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=m).collect();
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_found_and_named() {
        let (p, f) = check("EPR\u{202E}rof", 200, false).unwrap();
        assert!(
            p.contains("U+202E (right-to-left override) at character 4"),
            "{p}"
        );
        assert!(f.contains("delete it"));
        assert!(check("a\0b", 200, false)
            .unwrap()
            .0
            .contains("U+0000 (NUL)"));
        assert!(check("a\u{85}b", 200, false).unwrap().0.contains("U+0085"));
        assert!(check("two\nlines", 200, false)
            .unwrap()
            .0
            .contains("line break"));
        assert_eq!(check("two\nlines", 200, true), None);
        assert_eq!(check("tab\there — £ é 中", 200, false), None);
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(check(&"é".repeat(200), 200, false), None);
        assert!(check(&"é".repeat(201), 200, false)
            .unwrap()
            .0
            .contains("201 characters"));
    }

    #[test]
    fn near_names_are_suggested_and_far_ones_are_not() {
        let header = ["project_id", "benfit", "Title", "capital_2016_17"];
        assert_eq!(nearest("benefit", header), Some("benfit"));
        assert_eq!(nearest("title", header), Some("Title"));
        assert_eq!(nearest("tilte", header), Some("Title"));
        assert_eq!(nearest("category", header), None);
        assert_eq!(nearest("project_id", ["Project ID"]), Some("Project ID"));
        assert_eq!(nearest("benefit", ["x".repeat(1_000_000).as_str()]), None);
    }
}
