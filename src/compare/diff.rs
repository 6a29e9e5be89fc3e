//! The comparison as pure functions over reports already read: everything lined up
//! against the first report, with notes on what the reader must know.

use super::{
    status_words, Comparison, Movement, ProjectChange, ProjectSide, ReportView, Row, RunSummary,
    ValueBasis, FRACTION_TOLERANCE, MONEY_TOLERANCE,
};
use crate::allocation::value;
use crate::appraisal::Settings;
use crate::domain::{BudgetLine, Dataset};
use crate::scenario::{FundingMode, NeedPolicy, ObjectiveKind, Rules, Scenario, SolverSettings};
use crate::solve::SolveStatus;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The reference's dataset, or why it could not be read again.
pub type ReferenceData = Result<Dataset, String>;

/// Lines up the reports against the first. Anything one report has and another lacks
/// (a year, a budget line, a footprint, a project) counts as 0 where it is missing,
/// and the notes say so. `reference_data` is needed only when [`needs_reference_data`].
pub fn diff(reports: &[ReportView], reference_data: Option<&ReferenceData>) -> Comparison {
    let labels = unique_labels(reports);
    let mut notes = Vec::new();

    let bases = value_bases(reports, reference_data);
    value_notes(reports, &labels, &bases, &mut notes);
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
        .zip(bases)
        .map(|((label, r), basis)| RunSummary {
            label,
            dir: r.dir.clone(),
            status: r.status,
            mip_gap: r.mip_gap,
            value: r.objective,
            value_unit: r.value_unit,
            objective_kind: r.objective_kind,
            need: r.need,
            basis,
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
        notes,
        year_lines,
        footprints,
        categories,
        projects,
    }
}

/// What a report maximised: the objective, for maturity the need weighting (benefit
/// does not depend on need) and for npv the appraisal settings (NPSV at another
/// discount rate or optimism bias is another quantity).
type Measure<'a> = (ObjectiveKind, Option<NeedPolicy>, Option<&'a Settings>);

/// `None` where its run.json does not say.
fn measure(r: &ReportView) -> Option<Measure<'_>> {
    match r.objective_kind? {
        ObjectiveKind::Benefit => Some((ObjectiveKind::Benefit, None, None)),
        ObjectiveKind::Maturity => Some((ObjectiveKind::Maturity, Some(r.need?), None)),
        ObjectiveKind::Npv => Some((ObjectiveKind::Npv, None, Some(r.appraisal.as_ref()?))),
    }
}

/// Why a report's measure is not known, for a note.
fn unrecorded(r: &ReportView) -> &'static str {
    if r.objective_kind == Some(ObjectiveKind::Npv) {
        "run.json does not record the appraisal settings its NPSV was computed with (it was written before techfund recorded `appraisal`); re-run it with `techfund run` to compare values"
    } else {
        "run.json does not record which objective and need policy it maximised (it was written before techfund recorded `objective_kind` and `need`); re-run it with `techfund run` to compare values"
    }
}

/// Whether some report maximised another objective than the reference and must be
/// scored on the reference's dataset.
pub fn needs_reference_data(reports: &[ReportView]) -> bool {
    let Some(reference) = reports.first().and_then(measure) else {
        return false;
    };
    reports[1..]
        .iter()
        .any(|r| measure(r).is_some_and(|m| m != reference))
}

/// The objective in words, e.g. `maturity weighted least mature first`.
pub fn measure_words(kind: Option<ObjectiveKind>, need: Option<NeedPolicy>) -> String {
    match (kind, need) {
        (Some(ObjectiveKind::Benefit), _) => "benefit (£k, present value)".into(),
        (Some(ObjectiveKind::Maturity), Some(NeedPolicy::LeastMatureFirst)) => {
            "maturity weighted least mature first".into()
        }
        (Some(ObjectiveKind::Maturity), Some(NeedPolicy::ReadinessLed)) => {
            "maturity weighted by readiness".into()
        }
        (Some(ObjectiveKind::Maturity), Some(NeedPolicy::Neutral)) => {
            "maturity with no need weighting".into()
        }
        (Some(ObjectiveKind::Npv), _) => "net present social value (£k, Green Book)".into(),
        _ => "not recorded".into(),
    }
}

/// How each report's value stands against the reference's (see [`ValueBasis`]).
fn value_bases(reports: &[ReportView], reference_data: Option<&ReferenceData>) -> Vec<ValueBasis> {
    let Some(reference) = reports.first() else {
        return Vec::new();
    };
    let mut bases = vec![ValueBasis::Own];
    for r in &reports[1..] {
        bases.push(match (measure(reference), measure(r)) {
            (None, _) | (_, None) => {
                let (who, unknown) = if measure(reference).is_none() {
                    ("the reference's", reference)
                } else {
                    ("its", r)
                };
                ValueBasis::NotComparable(format!("{who} {}", unrecorded(unknown)))
            }
            (Some(a), Some(b)) if a == b => {
                if r.value_unit == reference.value_unit {
                    ValueBasis::Own
                } else {
                    ValueBasis::NotComparable(format!(
                        "its value is in {}, the reference's in {}",
                        r.value_unit, reference.value_unit
                    ))
                }
            }
            (Some(objective), Some(_)) => match reference_data {
                None => {
                    ValueBasis::NotComparable("the reference's dataset was not read again".into())
                }
                Some(Err(why)) => ValueBasis::NotComparable(why.clone()),
                Some(Ok(data)) => under_reference(reference, objective, r, data),
            },
        });
    }
    bases
}

/// `r`'s allocation scored by the reference's objective on the reference's dataset.
fn under_reference(
    reference: &ReportView,
    objective: Measure,
    r: &ReportView,
    data: &Dataset,
) -> ValueBasis {
    let scenario = scoring_scenario(reference, objective);
    if scenario.objective == ObjectiveKind::Npv {
        return npsv_under_reference(reference, &scenario, r, data);
    }
    // The reference scored the same way must give back its own recorded value, or the
    // dataset (or the value function) is not what its run used.
    let own_fractions = match fractions(reference, data) {
        Ok(f) => f,
        Err(why) => {
            return ValueBasis::NotComparable(format!(
                "the reference's own allocation does not match its dataset: {why}"
            ))
        }
    };
    // Only benefit and maturity reports are scored again (see `measure`), and neither
    // depends on when a bid starts: every bid is taken as bid.
    let own = value::total(data, &scenario, &own_fractions, &[]);
    if (own - reference.objective).abs() > revalue_tolerance(data, &scenario, &own_fractions, own) {
        return ValueBasis::NotComparable(format!(
            "the reference's own allocation scores {own} on its dataset read again, not the {} its run.json records, so the dataset or the way value is computed has changed since it was run",
            reference.objective
        ));
    }
    match fractions(r, data) {
        Ok(f) => ValueBasis::UnderReference(value::total(data, &scenario, &f, &[])),
        Err(why) => ValueBasis::NotComparable(why),
    }
}

/// `r`'s allocation (funded fractions and start shifts) as the reference's NPSV: each
/// bid appraised under the reference's settings on its dataset, from the start the
/// report gave it, times the share funded (`appraisal::portfolio`). The reference's own
/// allocation must give back its recorded value first, as for the other objectives.
fn npsv_under_reference(
    reference: &ReportView,
    scenario: &Scenario,
    r: &ReportView,
    data: &Dataset,
) -> ValueBasis {
    let settings = scenario.appraisal_settings();
    // With the uplift in the budget, the run loaded capital uplifted (dataset::load_for)
    // and the appraisal did not uplift it again; the dataset read again is as bid.
    let mut uplifted;
    let data = if settings.in_budget {
        uplifted = data.clone();
        for p in &mut uplifted.projects {
            let u = 1.0 + settings.uplift(p);
            p.capital.iter_mut().for_each(|c| *c *= u);
        }
        &uplifted
    } else {
        data
    };
    let score = |report: &ReportView| -> Result<(f64, f64), String> {
        let fractions = fractions(report, data)?;
        let shifts = start_shifts(report, data);
        let measures: Vec<crate::appraisal::Measures> = data
            .projects
            .iter()
            .zip(&shifts)
            .map(|(p, &s)| {
                crate::appraisal::appraise(p, &data.years, &BudgetLine::ALL, &settings, s)
            })
            .collect();
        let total = crate::appraisal::portfolio(&measures, &fractions).npsv();
        // What allocation.csv's four-decimal fractions can move the total by.
        let rounding: f64 = measures
            .iter()
            .zip(&fractions)
            .filter(|(_, f)| **f > FRACTION_TOLERANCE)
            .map(|(m, _)| 2.0 * FRACTION_TOLERANCE * m.npsv().abs())
            .sum();
        Ok((total, 1e-6 * total.abs().max(1.0) + rounding))
    };
    let (own, tolerance) = match score(reference) {
        Ok(v) => v,
        Err(why) => {
            return ValueBasis::NotComparable(format!(
                "the reference's own allocation does not match its dataset: {why}"
            ))
        }
    };
    if (own - reference.objective).abs() > tolerance {
        return ValueBasis::NotComparable(format!(
            "the reference's own allocation scores an NPSV of {own} on its dataset read again, not the {} its run.json records, so the dataset or the way NPSV is computed has changed since it was run",
            reference.objective
        ));
    }
    match score(r) {
        Ok((v, _)) => ValueBasis::UnderReference(v),
        Err(why) => ValueBasis::NotComparable(why),
    }
}

/// A report's start shifts in the order of `data.projects` (0 for a bid it lacks).
fn start_shifts(r: &ReportView, data: &Dataset) -> Vec<u32> {
    let by_id: BTreeMap<&str, u32> = r
        .projects
        .iter()
        .map(|p| (p.project_id.as_str(), p.start_shift))
        .collect();
    data.projects
        .iter()
        .map(|p| by_id.get(p.id.as_str()).copied().unwrap_or(0))
        .collect()
}

/// How far a recorded value may be from its allocation scored again: the solver's own
/// check (1e-6, relative) plus what allocation.csv's four-decimal fractions can move it
/// (a project's value per unit of fraction, twice over for the cap's kink). Anything
/// more means the dataset or the value function is not what the run used.
fn revalue_tolerance(data: &Dataset, scenario: &Scenario, fractions: &[f64], value: f64) -> f64 {
    let rounding: f64 = fractions
        .iter()
        .zip(value::per_project(data, scenario, fractions, &[]))
        .filter(|(f, _)| **f > FRACTION_TOLERANCE)
        .map(|(f, v)| 2.0 * FRACTION_TOLERANCE * v.abs() / f)
        .sum();
    1e-6 * value.abs().max(1.0) + rounding
}

/// A report's funded fractions in the order of `data.projects`, matched by project_id.
/// A project the dataset lacks (or has in another footprint) cannot be scored; one the
/// report lacks counts as not funded, as everywhere else in the comparison.
fn fractions(r: &ReportView, data: &Dataset) -> Result<Vec<f64>, String> {
    let index: BTreeMap<&str, usize> = data
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut fractions = vec![0.0; data.projects.len()];
    let (mut unknown, mut moved) = (Vec::new(), Vec::new());
    for p in r
        .projects
        .iter()
        .filter(|p| p.fraction > FRACTION_TOLERANCE)
    {
        match index.get(p.project_id.as_str()) {
            None => unknown.push(p.project_id.as_str()),
            Some(&i) if data.footprint_of(&data.projects[i]).id != p.footprint_id => {
                moved.push(p.project_id.as_str())
            }
            Some(&i) => fractions[i] = p.fraction,
        }
    }
    if !unknown.is_empty() {
        return Err(format!(
            "its allocation.csv funds project(s) {} that the reference's dataset does not have",
            listing(&unknown)
        ));
    }
    if !moved.is_empty() {
        return Err(format!(
            "its allocation.csv funds project(s) {} in another footprint than the reference's dataset has them",
            listing(&moved)
        ));
    }
    Ok(fractions)
}

/// The reference's objective as a scenario: `value::total` reads only the objective
/// and need policy; the rest is what run.json records, or empty.
fn scoring_scenario(reference: &ReportView, (objective, need, appraisal): Measure) -> Scenario {
    Scenario {
        name: reference.scenario.clone(),
        description: String::new(),
        path: PathBuf::new(),
        data: reference.data_dir.clone().unwrap_or_default(),
        years: reference.years.clone().unwrap_or_default(),
        budget: Vec::new(),
        objective,
        // Benefit does not depend on need.
        need: need.unwrap_or(NeedPolicy::Neutral),
        funding: reference.funding.unwrap_or(FundingMode::Partial),
        rules: Rules::default(),
        solver: SolverSettings::default(),
        target: None,
        flex: Default::default(),
        uncertainty: None,
        appraisal: appraisal.cloned(),
        resolved: String::new(),
        files: Vec::new(),
        holds: Vec::new(),
        alternatives: None,
        cuts: Vec::new(),
    }
}

/// One note per report whose value is not simply its own, saying what was done.
fn value_notes(
    reports: &[ReportView],
    labels: &[String],
    bases: &[ValueBasis],
    notes: &mut Vec<String>,
) {
    let Some(reference) = labels.first() else {
        return;
    };
    let words = |r: &ReportView| measure_words(r.objective_kind, r.need);
    for ((label, r), basis) in labels.iter().zip(reports).zip(bases).skip(1) {
        match basis {
            ValueBasis::Own => {}
            ValueBasis::UnderReference(_) => notes.push(format!(
                "{label} maximised {}, {reference} {}, so their own values measure different things. {label}'s value under {reference}'s objective is its allocation (allocation.csv) scored by {reference}'s objective on {reference}'s dataset, unchanged since {reference} was run; its difference in value is taken from that.",
                words(r),
                words(&reports[0])
            )),
            ValueBasis::NotComparable(why) => notes.push(format!(
                "{label}'s value is not comparable with {reference}'s: {why}. Its own value is shown and no difference in value is given."
            )),
        }
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
