//! Checks of a scenario against its dataset that need no solver, run when the inputs
//! are loaded, so `validate` refuses whatever `run` would refuse before solving.

use super::infeasible::plain_conflict;
use crate::domain::Dataset;
use crate::error::{Error, InputError, Result};
use crate::format::{clip, listing, money, ECHO};
use crate::scenario::{Entry, FairShareBasis, FootprintRef, Scenario};
use std::collections::BTreeSet;

/// A bid asking for more than this many times the whole fund is taken for an error of
/// units (£ written where £k is meant), not a bid.
const MOST_TIMES_FUND: f64 = 100.0;

/// What is wrong whatever the budget: rules that name nothing, costs in the wrong unit.
pub fn rules(data: &Dataset, scenario: &Scenario) -> Result<()> {
    categories_exist(data, scenario)?;
    appraisal_categories_exist(data, scenario)?;
    locks_exist(data, scenario)?;
    footprints_exist(data, scenario)?;
    regions_exist(data, scenario)?;
    weighted_population_given(data, scenario)?;
    bids_within_reason(data, scenario)?;
    crate::batch::uncertainty::check_names(data, scenario)?;
    Ok(())
}

/// `rules`, and the conflicts with the scenario's own budget that need no solver to see.
pub fn check(data: &Dataset, scenario: &Scenario) -> Result<()> {
    rules(data, scenario)?;
    if plain_conflict(data, scenario).is_some() {
        // The plain cause, then the rules in conflict and the smallest change, as for
        // any infeasible scenario.
        return Err(Error::Infeasible {
            scenario: scenario.name.clone(),
            explanation: super::explain_infeasible(data, scenario)?,
        });
    }
    Ok(())
}

/// A category rule for a category no bid carries would silently do nothing.
fn categories_exist(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    let present: BTreeSet<&str> = data.projects.iter().map(|p| p.category.as_str()).collect();
    for rule in &scenario.rules.categories {
        if present.contains(rule.category.as_str()) {
            continue;
        }
        let names: Vec<&str> = present.iter().copied().collect();
        let near = names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(&rule.category))
            .map(|n| format!("did you mean `{n}`? (case matters) "))
            .unwrap_or_default();
        return Err(scenario.key_error(
            "rules.category",
            "category",
            format!(
                "no bid has the category `{}`, so its rule would do nothing",
                rule.category
            ),
            format!(
                "{near}name a category the bids carry: {}",
                listing(&names, 10)
            ),
        ));
    }
    Ok(())
}

/// An `[[appraisal.category]]` for a category no bid carries would set an optimism bias
/// that nothing uses: most often a misspelt name, whose bids then get the default bias
/// without a word. Refused as a category rule is.
fn appraisal_categories_exist(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    let Some(settings) = &scenario.appraisal else {
        return Ok(());
    };
    let present: BTreeSet<&str> = data.projects.iter().map(|p| p.category.as_str()).collect();
    let named = settings
        .by_category
        .iter()
        .chain(&settings.duration_by_category)
        .map(|(c, _)| c);
    for category in named {
        if present.contains(category.as_str()) {
            continue;
        }
        let names: Vec<&str> = present.iter().copied().collect();
        let near = names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(category))
            .map(|n| format!("did you mean `{n}`? (case matters) "))
            .unwrap_or_default();
        let entry = Entry {
            table: "appraisal.category",
            ident_key: "category",
            ident: category,
            key: "category",
            occurrence: 0,
        };
        return Err(scenario.entry_error(
            &entry,
            format!(
                "no bid has the category `{}`, so its appraisal settings would do nothing",
                clip(category, ECHO)
            ),
            format!(
                "{near}name a category the bids carry: {}",
                listing(&names, 10)
            ),
        ));
    }
    Ok(())
}

/// A bid far beyond the whole fund is almost always £ typed where £k is meant.
fn bids_within_reason(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    let fund = scenario.total_budget();
    if fund <= 0.0 {
        return Ok(());
    }
    let lines = scenario.lines();
    for p in &data.projects {
        let cost = p.cost_on(&lines);
        if cost > MOST_TIMES_FUND * fund {
            return Err(data.projects_source.at(
                p.line,
                1,
                None,
                format!(
                    "project `{}` asks for {}, more than {} times the whole fund of {}",
                    p.id,
                    money(cost),
                    MOST_TIMES_FUND,
                    money(fund)
                ),
                "costs are in £ thousands (£k): check this bid's cost columns (1250.5 means £1,250,500)",
            ));
        }
    }
    Ok(())
}

/// A lock on a project the bids do not have would silently do nothing.
fn locks_exist(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    let ids: BTreeSet<&str> = data.projects.iter().map(|p| p.id.as_str()).collect();
    for (key, locked) in [
        ("lock_in", &scenario.rules.lock_in),
        ("lock_out", &scenario.rules.lock_out),
    ] {
        if let Some(unknown) = locked.iter().find(|id| !ids.contains(id.as_str())) {
            let near = crate::dataset::text::nearest(unknown, ids.iter().copied())
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            return Err(scenario.key_error(
                "rules",
                key,
                format!(
                    "`{key}` names project `{}`, which {} does not have",
                    clip(unknown, ECHO),
                    data.projects_source.name()
                ),
                format!("{near}list project ids from the `project_id` column of the bids"),
            ));
        }
    }
    Ok(())
}

/// A footprint rule naming no footprint (by id or by name) would silently do nothing.
fn footprints_exist(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    for rule in &scenario.rules.footprints {
        if data.footprints.iter().any(|f| rule.footprint.matches(f)) {
            continue;
        }
        let (key, value) = rule.footprint.key();
        let known: Vec<&str> = data
            .footprints
            .iter()
            .map(|f| match rule.footprint {
                FootprintRef::Id(_) => f.id.as_str(),
                FootprintRef::Name(_) => f.name.as_str(),
            })
            .collect();
        let near = crate::dataset::text::nearest(value, known.iter().copied())
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        let entry = Entry {
            table: "rules.footprint",
            ident_key: key,
            ident: value,
            key,
            occurrence: 0,
        };
        return Err(scenario.entry_error(
            &entry,
            format!(
                "no footprint has the {} `{}`",
                if key == "id" { "id" } else { "name" },
                clip(value, ECHO)
            ),
            format!(
                "{near}name a footprint of footprints.csv by its `footprint_id` or `name`, such as {}",
                listing(&known, 5)
            ),
        ));
    }
    Ok(())
}

/// A region rule naming a region no footprint is in would silently do nothing.
fn regions_exist(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    let regions: BTreeSet<&str> = data.footprints.iter().map(|f| f.region.as_str()).collect();
    for rule in &scenario.rules.regions {
        if regions.contains(rule.region.as_str()) {
            continue;
        }
        let names: Vec<&str> = regions.iter().copied().collect();
        let near = crate::dataset::text::nearest(&rule.region, names.iter().copied())
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        let entry = Entry {
            table: "rules.region",
            ident_key: "region",
            ident: &rule.region,
            key: "region",
            occurrence: 0,
        };
        return Err(scenario.entry_error(
            &entry,
            format!(
                "no footprint is in the region `{}`",
                clip(&rule.region, ECHO)
            ),
            format!(
                "{near}name a region of footprints.csv's `region` column: {}",
                listing(&names, 10)
            ),
        ));
    }
    Ok(())
}

/// Fair shares by weighted population need every footprint's weighted population.
fn weighted_population_given(data: &Dataset, scenario: &Scenario) -> Result<(), InputError> {
    if scenario.rules.fair_share != FairShareBasis::WeightedPopulation {
        return Ok(());
    }
    let missing: Vec<&str> = data
        .footprints
        .iter()
        .filter(|f| f.weighted_population.is_none())
        .map(|f| f.id.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(scenario.key_error(
        "rules",
        "fair_share",
        format!(
            "fair shares are by weighted population, but footprints.csv gives none for {}",
            listing(&missing, 10)
        ),
        "fill the `weighted_population` column of footprints.csv for every footprint, or use fair_share = \"population\"",
    ))
}
