//! The comparison as pure functions over reports already read: everything lined up
//! against the first report, with notes on what the reader must know.

use super::{
    status_words, Comparison, Movement, ProjectChange, ProjectSide, ReportView, Row, RunSummary,
    FRACTION_TOLERANCE, MONEY_TOLERANCE,
};
use crate::solve::SolveStatus;
use std::collections::{BTreeMap, BTreeSet};

/// Lines up the reports against the first. Anything one report has and another lacks
/// (a year, a budget line, a footprint, a project) counts as 0 where it is missing,
/// and the notes say so.
pub fn diff(reports: &[ReportView]) -> Comparison {
    let labels = unique_labels(reports);
    let mut notes = Vec::new();

    let units: BTreeSet<&str> = reports.iter().map(|r| r.value_unit.as_str()).collect();
    let values_comparable = units.len() == 1;
    if !values_comparable {
        notes.push(format!(
            "The reports measure value in different units ({}), so their values are not comparable and no difference in value is given.",
            labels
                .iter()
                .zip(reports)
                .map(|(l, r)| format!("{l}: {}", r.value_unit))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    for (label, r) in labels.iter().zip(reports) {
        if r.status != SolveStatus::Optimal {
            notes.push(format!(
                "{label} was not solved to proven optimality (status {}), so part of its difference may come from the solver rather than the scenario.",
                status_words(r.status)
            ));
        }
    }

    let year_lines = union_rows(
        reports,
        &labels,
        |r| {
            r.spend
                .iter()
                .map(|((y, l), v)| (format!("{y} {l}"), String::new(), *v))
                .collect()
        },
        "financial year and budget line",
        &mut notes,
    );
    let mut footprints = union_rows(
        reports,
        &labels,
        |r| {
            r.footprints
                .iter()
                .map(|f| (f.footprint_id.clone(), f.name.clone(), f.funded))
                .collect()
        },
        "footprint",
        &mut notes,
    );
    by_largest_change(&mut footprints);
    let mut categories = union_rows(
        reports,
        &labels,
        |r| {
            let mut sums: BTreeMap<&str, f64> = BTreeMap::new();
            for p in &r.projects {
                *sums.entry(&p.category).or_default() += p.funded;
            }
            sums.into_iter()
                .map(|(c, v)| (c.to_string(), String::new(), v))
                .collect()
        },
        // A category missing from a report only means none of its bids were there; that
        // is already in the numbers and in the project list.
        "",
        &mut notes,
    );
    by_largest_change(&mut categories);

    let projects = project_changes(reports, &labels, &mut notes);

    let reports_summary = labels
        .into_iter()
        .zip(reports)
        .map(|(label, r)| RunSummary {
            label,
            dir: r.dir.clone(),
            status: r.status,
            mip_gap: r.mip_gap,
            value: r.objective,
            value_unit: r.value_unit.clone(),
            funded: r.total_funded,
            projects_funded: r
                .projects
                .iter()
                .filter(|p| p.fraction > FRACTION_TOLERANCE)
                .count(),
        })
        .collect();
    Comparison {
        reports: reports_summary,
        values_comparable,
        notes,
        year_lines,
        footprints,
        categories,
        projects,
    }
}

/// Scenario names, with the report's position added where two reports share a name,
/// so every column header is distinct.
fn unique_labels(reports: &[ReportView]) -> Vec<String> {
    reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let shared = reports.iter().filter(|o| o.scenario == r.scenario).count() > 1;
            if shared {
                format!("{} ({})", r.scenario, i + 1)
            } else {
                r.scenario.clone()
            }
        })
        .collect()
}

/// One row per key found in any report, in key order, 0 where a report lacks the key.
/// `what` names the key in the note about missing keys ("" for no note).
fn union_rows(
    reports: &[ReportView],
    labels: &[String],
    entries: impl Fn(&ReportView) -> Vec<(String, String, f64)>,
    what: &str,
    notes: &mut Vec<String>,
) -> Vec<Row> {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut present: Vec<BTreeSet<String>> = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let mut keys = BTreeSet::new();
        for (key, name, value) in entries(r) {
            let row = rows.entry(key.clone()).or_insert_with(|| Row {
                key: key.clone(),
                name,
                values: vec![0.0; reports.len()],
            });
            row.values[i] += value;
            keys.insert(key);
        }
        present.push(keys);
    }
    if !what.is_empty() {
        for (label, keys) in labels.iter().zip(&present) {
            let missing: Vec<&str> = rows
                .keys()
                .filter(|k| !keys.contains(*k))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                notes.push(format!(
                    "{label} has no {what} {}; it counts as 0 there.",
                    listing(&missing)
                ));
            }
        }
    }
    rows.into_values().collect()
}

/// `a, b and 3 more`: keeps a note short when many keys are missing.
fn listing(items: &[&str]) -> String {
    const SHOWN: usize = 10;
    let mut text = items
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn by_largest_change(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        b.difference()
            .abs()
            .total_cmp(&a.difference().abs())
            .then_with(|| a.key.cmp(&b.key))
    });
}

fn project_changes(
    reports: &[ReportView],
    labels: &[String],
    notes: &mut Vec<String>,
) -> Vec<ProjectChange> {
    let mut all: BTreeMap<&str, ProjectChange> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        for p in &r.projects {
            let change = all.entry(&p.project_id).or_insert_with(|| ProjectChange {
                project_id: p.project_id.clone(),
                footprint_id: p.footprint_id.clone(),
                title: p.title.clone(),
                category: p.category.clone(),
                sides: vec![None; reports.len()],
            });
            change.sides[i] = Some(ProjectSide {
                status: p.status.clone(),
                fraction: p.fraction,
                funded: p.funded,
                reason: p.reason.clone(),
            });
        }
    }
    for (i, label) in labels.iter().enumerate() {
        let missing: Vec<&str> = all
            .values()
            .filter(|c| c.sides[i].is_none())
            .map(|c| c.project_id.as_str())
            .collect();
        if !missing.is_empty() {
            notes.push(format!(
                "{label} has no project {}; it counts as not funded there.",
                listing(&missing)
            ));
        }
    }
    let mut moved: Vec<ProjectChange> = all
        .into_values()
        .filter(|c| {
            c.movements().iter().any(|m| *m != Movement::Same)
                || c.difference().abs() >= MONEY_TOLERANCE
        })
        .collect();
    moved.sort_by(|a, b| {
        b.difference()
            .abs()
            .total_cmp(&a.difference().abs())
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    moved
}
