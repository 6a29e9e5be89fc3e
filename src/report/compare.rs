//! comparison.md and comparison.csv: a `Comparison` → bytes, nothing read or solved.

use crate::compare::diff::measure_words;
use crate::compare::{
    changes, difference, status_words, Comparison, Movement, ProjectSide, Row, RunSummary,
    ValueBasis, FRACTION_TOLERANCE, MONEY_TOLERANCE,
};
use crate::format::{fixed, markdown_cell, spreadsheet_safe, thousands};
use crate::report::charts::{self, Chart, ComparisonChart, ComparisonRow};
use crate::scenario::{NeedPolicy, ObjectiveKind};

/// The Markdown lists at most this many footprints; the CSV has them all.
const MARKDOWN_FOOTPRINTS: usize = 15;
/// The Markdown lists at most this many projects; the CSV has them all.
const MARKDOWN_PROJECTS: usize = 50;

// ---------------------------------------------------------------------------------
// comparison.csv

/// One tidy long table, `section,key,<one column per report>,difference`, with money in
/// £k to one decimal. `difference` is as [`difference`] defines it; empty where a
/// difference means nothing (text, or values measured under different objectives).
/// When the reports maximised different objectives, `objective`, `value_basis` and
/// `value_under_reference` rows say how each value was put on the reference's terms,
/// or why it could not be.
pub fn csv(c: &Comparison) -> Vec<u8> {
    let mut w = crate::csvio::writer();
    let mut header = vec!["section".to_string(), "key".to_string()];
    header.extend(c.reports.iter().map(|r| spreadsheet_safe(&r.label)));
    header.push("difference".into());
    w.write_record(&header).expect("in memory");

    let each = |f: &dyn Fn(&RunSummary) -> Option<f64>| -> Vec<Option<f64>> {
        c.reports.iter().map(f).collect()
    };
    let mut rows = vec![
        text_cells("status", c.reports.iter().map(|r| r.status.as_str())),
        text_cells(
            "value_unit",
            c.reports.iter().map(|r| r.value_unit.as_str()),
        ),
        number_cells(
            "total",
            "mip_gap_pct",
            &each(&|r| r.mip_gap.map(|g| g * 100.0)),
            4,
            true,
        ),
        number_cells(
            "total",
            "value",
            &each(&|r| Some(r.value)),
            1,
            c.same_objective(),
        ),
    ];
    if !c.same_objective() {
        let objectives: Vec<String> = c
            .reports
            .iter()
            .map(|r| objective_name(r.objective_kind, r.need))
            .collect();
        rows.push(text_cells(
            "objective",
            objectives.iter().map(String::as_str),
        ));
        let bases: Vec<String> = c
            .reports
            .iter()
            .enumerate()
            .map(|(i, r)| basis_text(i, &r.basis))
            .collect();
        rows.push(text_cells("value_basis", bases.iter().map(String::as_str)));
        let under = each(&|r| r.value_under_reference());
        let mut row = number_cells("total", "value_under_reference", &under, 1, false);
        *row.last_mut().expect("a difference cell") =
            difference_of_known(&under).map_or(String::new(), |d| fixed(d, 1));
        rows.push(row);
    }
    rows.extend([
        number_cells("total", "funded", &each(&|r| Some(r.funded)), 1, true),
        number_cells(
            "total",
            "projects_funded",
            &each(&|r| Some(r.projects_funded as f64)),
            0,
            true,
        ),
    ]);
    for (section, table) in [
        ("year_line", &c.year_lines),
        ("footprint", &c.footprints),
        ("category", &c.categories),
    ] {
        for r in table {
            let values: Vec<Option<f64>> = r.values.iter().copied().map(Some).collect();
            rows.push(number_cells(section, &r.key, &values, 1, true));
        }
    }
    for p in &c.projects {
        let values: Vec<Option<f64>> = p.funded().into_iter().map(Some).collect();
        rows.push(number_cells("project", &p.project_id, &values, 1, true));
    }
    for row in rows {
        w.write_record(&row).expect("in memory");
    }
    crate::csvio::finish(w)
}

/// `maturity/least_mature_first`, `benefit` (need does not change benefit), or empty
/// where run.json does not say.
fn objective_name(kind: Option<ObjectiveKind>, need: Option<NeedPolicy>) -> String {
    match (kind, need) {
        (Some(ObjectiveKind::Benefit), _) => "benefit".into(),
        (Some(ObjectiveKind::Maturity), Some(need)) => format!("maturity/{}", need.name()),
        _ => String::new(),
    }
}

/// How report `i`'s value is put on the reference's terms, in a CSV cell.
fn basis_text(i: usize, basis: &ValueBasis) -> String {
    match basis {
        ValueBasis::Own if i == 0 => "reference".into(),
        ValueBasis::Own => "same objective as the reference".into(),
        ValueBasis::UnderReference(_) => "evaluated under the reference's objective".into(),
        ValueBasis::NotComparable(why) => format!("not comparable: {why}"),
    }
}

/// [`difference`] over the reports that have a value; none without the reference's.
fn difference_of_known(values: &[Option<f64>]) -> Option<f64> {
    let reference = values.first().copied().flatten()?;
    let known: Vec<f64> = values[1..].iter().flatten().copied().collect();
    if known.is_empty() {
        return None;
    }
    let mut all = vec![reference];
    all.extend(known);
    Some(difference(&all))
}

/// A `total` row of text, one cell per report, with no difference.
fn text_cells<'a>(key: &str, cells: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut row = vec!["total".to_string(), key.to_string()];
    row.extend(cells.map(spreadsheet_safe));
    row.push(String::new());
    row
}

/// A row of numbers; a report without the number, or a row whose difference means
/// nothing, gets an empty cell.
fn number_cells(
    section: &str,
    key: &str,
    values: &[Option<f64>],
    decimals: usize,
    with_difference: bool,
) -> Vec<String> {
    let mut row = vec![section.to_string(), spreadsheet_safe(key)];
    row.extend(
        values
            .iter()
            .map(|v| v.map_or(String::new(), |v| fixed(v, decimals))),
    );
    let all: Option<Vec<f64>> = values.iter().copied().collect();
    row.push(match all {
        Some(all) if with_difference => fixed(difference(&all), decimals),
        _ => String::new(),
    });
    row
}

// ---------------------------------------------------------------------------------
// comparison.md

/// The comparison for people: headline, spend by year, the largest footprint changes,
/// categories, and the projects that moved with the reasons the reports give.
pub fn markdown(c: &Comparison) -> String {
    let labels: Vec<&str> = c.reports.iter().map(|r| r.label.as_str()).collect();
    let reference = &c.reports[0];
    let mut md = String::new();
    md.push_str(&format!(
        "# Comparison: {}\n\n",
        markdown_cell(&labels.join(" vs "))
    ));
    md.push_str(&format!(
        "The reference is **{}** ({}). A difference is a report minus the reference{}. Money is in £ thousands (£k).\n\n",
        markdown_cell(&reference.label),
        markdown_cell(&reference.dir.display().to_string()),
        if c.reports.len() > 2 { ", shown for each other report" } else { "" }
    ));

    md.push_str("## Headline\n\n");
    let change_headers = change_headers(&labels);
    table_header(&mut md, &[""], &labels, &change_headers);
    let blank: Vec<String> = vec![String::new(); labels.len() - 1];
    let cells = |f: &dyn Fn(&RunSummary) -> String| c.reports.iter().map(f).collect::<Vec<_>>();
    table_row(
        &mut md,
        &["Report folder"],
        &cells(&|r| r.dir.display().to_string()),
        &blank,
    );
    table_row(
        &mut md,
        &["Solver status"],
        &cells(&|r| status_words(r.status)),
        &blank,
    );
    table_row(
        &mut md,
        &["MIP gap"],
        &cells(&|r| {
            r.mip_gap
                .map_or("no bound".into(), |g| format!("{:.4}%", g * 100.0))
        }),
        &blank,
    );
    let values: Vec<f64> = c.reports.iter().map(|r| r.value).collect();
    if c.same_objective() {
        table_row(
            &mut md,
            &[&format!("Value ({})", reference.value_unit)],
            &cells(&|r| thousands(r.value)),
            &signed_all(&changes(&values)),
        );
    } else {
        table_row(
            &mut md,
            &["Objective"],
            &cells(&|r| measure_words(r.objective_kind, r.need)),
            &blank,
        );
        table_row(
            &mut md,
            &["Value as maximised"],
            &cells(&|r| format!("{} {}", thousands(r.value), r.value_unit)),
            &blank,
        );
        let under: Vec<Option<f64>> = c
            .reports
            .iter()
            .map(RunSummary::value_under_reference)
            .collect();
        let not_comparable = || "not comparable".to_string();
        table_row(
            &mut md,
            &[&format!(
                "Value under {}'s objective ({})",
                reference.label, reference.value_unit
            )],
            &under
                .iter()
                .map(|v| v.map_or_else(not_comparable, thousands))
                .collect::<Vec<_>>(),
            &under[1..]
                .iter()
                .map(|v| match (under[0], v) {
                    (Some(a), Some(b)) => signed(b - a),
                    _ => not_comparable(),
                })
                .collect::<Vec<_>>(),
        );
    }
    let funded: Vec<f64> = c.reports.iter().map(|r| r.funded).collect();
    table_row(
        &mut md,
        &["Total funded (£k)"],
        &cells(&|r| thousands(r.funded)),
        &signed_all(&changes(&funded)),
    );
    let counts: Vec<f64> = c.reports.iter().map(|r| r.projects_funded as f64).collect();
    table_row(
        &mut md,
        &["Projects funded"],
        &cells(&|r| r.projects_funded.to_string()),
        &signed_all(&changes(&counts)),
    );
    md.push('\n');
    if !c.notes.is_empty() {
        for note in &c.notes {
            md.push_str(&format!("- {}\n", markdown_cell(note)));
        }
        md.push('\n');
    }

    md.push_str("## Spend by financial year and budget line (£k)\n\n");
    if c.year_lines.is_empty() {
        md.push_str("The reports have no money columns per financial year.\n\n");
    } else {
        table_header(&mut md, &["Year", "Budget line"], &labels, &change_headers);
        for r in &c.year_lines {
            let (year, line) = r.key.split_once(' ').unwrap_or((&r.key, ""));
            amounts_row(&mut md, &[year, line], &r.values);
        }
        md.push('\n');
    }

    md.push_str("## Footprints: the largest changes (£k)\n\n");
    let changed: Vec<&Row> = c
        .footprints
        .iter()
        .filter(|r| r.difference().abs() >= MONEY_TOLERANCE)
        .collect();
    if changed.is_empty() {
        md.push_str(&format!(
            "Every footprint ({}) gets the same money in every report.\n\n",
            c.footprints.len()
        ));
    } else {
        md.push_str(&format!(
            "{} of {} footprints get different money{}; comparison.csv has every footprint.\n\n",
            changed.len(),
            c.footprints.len(),
            if changed.len() > MARKDOWN_FOOTPRINTS {
                format!(", the {MARKDOWN_FOOTPRINTS} largest changes are shown")
            } else {
                String::new()
            }
        ));
        table_header(&mut md, &["Footprint", "Name"], &labels, &change_headers);
        for r in changed.iter().take(MARKDOWN_FOOTPRINTS) {
            amounts_row(&mut md, &[&r.key, &r.name], &r.values);
        }
        md.push('\n');
    }

    md.push_str("## Categories (£k)\n\n");
    if c.categories.is_empty() {
        md.push_str("The reports have no projects.\n\n");
    } else {
        table_header(&mut md, &["Category"], &labels, &change_headers);
        for r in &c.categories {
            amounts_row(&mut md, &[&r.key], &r.values);
        }
        md.push('\n');
    }

    md.push_str("## Projects that moved\n\n");
    if c.projects.is_empty() {
        md.push_str("Every project is funded the same in every report.\n");
        return md;
    }
    md.push_str(&format!(
        "{} project(s) are funded differently, largest change in money first{}. Each report's cell is its status and £k funded; \"in\" and \"out\" mean funded or not relative to the reference. The last column is each report's reason for not funding the project (in full).\n\n",
        c.projects.len(),
        if c.projects.len() > MARKDOWN_PROJECTS {
            format!("; the {MARKDOWN_PROJECTS} largest are shown and comparison.csv has them all")
        } else {
            String::new()
        }
    ));
    let mut headers: Vec<String> = vec!["Project".into(), "Title".into(), "Footprint".into()];
    headers.extend(labels.iter().map(|l| l.to_string()));
    headers.extend(change_headers.iter().map(|h| format!("{h} (£k)")));
    headers.push("Why not funded".into());
    md.push_str(&format!(
        "| {} |\n",
        headers
            .iter()
            .map(|h| markdown_cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    let aligns: Vec<&str> = (0..headers.len())
        .map(|i| {
            let is_change = i >= 3 + labels.len() && i < 3 + labels.len() + change_headers.len();
            if is_change {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    md.push_str(&format!("|{}|\n", aligns.join("|")));
    for p in c.projects.iter().take(MARKDOWN_PROJECTS) {
        let movements = p.movements();
        let mut cells = vec![
            p.project_id.clone(),
            p.title.clone(),
            p.footprint_id.clone(),
        ];
        for (i, side) in p.sides.iter().enumerate() {
            let text = side_text(side.as_ref());
            cells.push(match i.checked_sub(1).map(|j| movements[j]) {
                Some(m) if m != Movement::Same => format!("**{}**: {text}", m.label()),
                _ => text,
            });
        }
        cells.extend(signed_all(&changes(&p.funded())));
        let reasons: Vec<String> = labels
            .iter()
            .zip(&p.sides)
            .filter_map(|(label, side)| match side {
                Some(s) if !s.reason.is_empty() && s.fraction < 1.0 - FRACTION_TOLERANCE => {
                    Some(format!("{label}: {}", s.reason))
                }
                None => Some(format!("{label}: not among its projects")),
                _ => None,
            })
            .collect();
        cells.push(reasons.join("; "));
        md.push_str(&format!(
            "| {} |\n",
            cells
                .iter()
                .map(|t| markdown_cell(t))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    if c.projects.len() > MARKDOWN_PROJECTS {
        md.push_str(&format!(
            "\n…and {} more in comparison.csv.\n",
            c.projects.len() - MARKDOWN_PROJECTS
        ));
    }
    md
}

/// `Difference` with two reports; one `Δ <name>` per other report with more.
fn change_headers(labels: &[&str]) -> Vec<String> {
    if labels.len() == 2 {
        vec!["Difference".into()]
    } else {
        labels.iter().skip(1).map(|l| format!("Δ {l}")).collect()
    }
}

fn table_header(md: &mut String, keys: &[&str], labels: &[&str], changes: &[String]) {
    let mut cells: Vec<String> = keys.iter().map(|k| markdown_cell(k)).collect();
    cells.extend(labels.iter().map(|l| markdown_cell(l)));
    cells.extend(changes.iter().map(|h| markdown_cell(h)));
    md.push_str(&format!("| {} |\n", cells.join(" | ")));
    let mut aligns = vec!["---"; keys.len()];
    aligns.extend(vec!["---:"; labels.len() + changes.len()]);
    md.push_str(&format!("|{}|\n", aligns.join("|")));
}

fn table_row(md: &mut String, keys: &[&str], values: &[String], changes: &[String]) {
    let cells: Vec<String> = keys
        .iter()
        .map(|k| markdown_cell(k))
        .chain(values.iter().chain(changes).map(|v| markdown_cell(v)))
        .collect();
    md.push_str(&format!("| {} |\n", cells.join(" | ")));
}

fn amounts_row(md: &mut String, keys: &[&str], values: &[f64]) {
    let shown: Vec<String> = values.iter().map(|&v| thousands(v)).collect();
    table_row(md, keys, &shown, &signed_all(&changes(values)));
}

/// `+1,200`, `-300`, `0`: a change with its sign.
fn signed(x: f64) -> String {
    let t = thousands(x);
    if x.round() > 0.0 {
        format!("+{t}")
    } else {
        t
    }
}

fn signed_all(xs: &[f64]) -> Vec<String> {
    xs.iter().map(|&x| signed(x)).collect()
}

fn side_text(side: Option<&ProjectSide>) -> String {
    match side {
        None => "not in this report".into(),
        Some(s) if s.fraction <= FRACTION_TOLERANCE => s.status.clone(),
        Some(s) if s.fraction >= 1.0 - FRACTION_TOLERANCE => {
            format!("{} ({})", s.status, thousands(s.funded))
        }
        Some(s) => format!(
            "{} {:.0}% ({})",
            s.status,
            s.fraction * 100.0,
            thousands(s.funded)
        ),
    }
}

/// charts/comparison: money funded per footprint in each report, the footprints that
/// changed most first.
pub fn chart(c: &Comparison) -> Result<Chart, String> {
    charts::comparison(&ComparisonChart {
        series: c.reports.iter().map(|r| r.label.clone()).collect(),
        rows: c
            .footprints
            .iter()
            .map(|r| ComparisonRow {
                footprint: if r.name.is_empty() {
                    r.key.clone()
                } else {
                    r.name.clone()
                },
                funded: r.values.clone(),
            })
            .collect(),
    })
}
