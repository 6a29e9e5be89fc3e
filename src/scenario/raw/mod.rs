//! The scenario file as written (serde, in `form`), and its validation into a `Scenario`.

use super::chain::read_chain;
use super::locate::{clip_quoted, syntax_error, Ctx};
use super::*;
use crate::dataset::number::MAX_MONEY;
use crate::dataset::text::{self, LONG_TEXT, SCENARIO_NAME, SHORT_TEXT};
use crate::format::{clip, ECHO};
use form::{RawLimit, RawScenario};
use rules::{footprint_rules, locks, region_rules};
use std::collections::HashSet;

mod alternatives;
mod appraisal;
mod flex;
mod form;
mod rules;
mod uncertainty;

/// Reads the scenario at `path` (its text, and through `extends` the files it builds
/// on) and checks every value, pointing each error at the line that sets it.
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

    // A line the scenario gives no budget is not a line this fund pays. An empty list
    // says so too, so a child of an extends chain can drop its parent's line.
    let switch_max = raw.budget.revenue_to_capital_max;
    let carry_max = raw.budget.carry_forward_max;
    let budget: Vec<(BudgetLine, Vec<Money>)> = [
        (BudgetLine::Capital, raw.budget.capital),
        (BudgetLine::Revenue, raw.budget.revenue),
    ]
    .into_iter()
    .filter_map(|(line, amounts)| Some((line, amounts?)))
    .filter(|(_, amounts)| !amounts.is_empty())
    .collect();
    if budget.is_empty() {
        return Err(cx.err(
            "budget",
            "",
            "[budget] has neither `capital` nor `revenue`, so the fund pays for nothing".into(),
            "give one amount (£k) per year for each line the fund pays, e.g. capital = [346154, 346154]",
        ));
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

    let flex = flex::parse(
        &cx,
        switch_max,
        carry_max,
        budget.len() == 2,
        raw.phasing,
        raw.matching,
    )?;

    let objective = match raw.objective.kind.as_str() {
        "benefit" => ObjectiveKind::Benefit,
        "maturity" => ObjectiveKind::Maturity,
        "npv" => ObjectiveKind::Npv,
        other => {
            return Err(cx.err(
                "objective",
                "kind",
                format!("unknown objective `{}`", clip(other, ECHO)),
                "use `benefit`, `maturity` or `npv`",
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

    let fair_share = match raw.rules.fair_share.as_deref() {
        None | Some("population") => FairShareBasis::Population,
        Some("weighted_population") => FairShareBasis::WeightedPopulation,
        Some(other) => {
            return Err(cx.err(
                "rules",
                "fair_share",
                format!("unknown fair-share basis `{}`", clip(other, ECHO)),
                "use `population` (the default) or `weighted_population`",
            ))
        }
    };
    let min_bcr = appraisal::min_bcr(&cx, raw.rules.min_bcr)?;
    let appraisal = appraisal::appraisal(&cx, raw.appraisal, &years)?;
    let (lock_in, lock_out) = locks(&cx, raw.rules.lock_in, raw.rules.lock_out)?;
    let footprints = footprint_rules(&cx, raw.rules.footprint)?;
    let regions = region_rules(&cx, raw.rules.region)?;
    let ignore = Ignore {
        floors: raw.ignore.floors,
        caps: raw.ignore.caps,
        categories: raw.ignore.categories,
        dependencies: raw.ignore.dependencies,
        hurdle: raw.ignore.hurdle,
        must_fund: raw.ignore.must_fund,
    };
    let mut rules = Rules {
        footprint_floor,
        footprint_cap,
        footprints,
        regions,
        categories,
        min_benefit_per_pound: raw.rules.min_benefit_per_pound,
        min_bcr,
        lock_in,
        lock_out,
        fair_share,
        ignore,
    };
    rules.drop_ignored();

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
    let random_seed = match raw.solver.random_seed {
        None => defaults.random_seed,
        Some(s) => match s.whole() {
            Some(n) if (0..=i64::from(i32::MAX)).contains(&n) => n as i32,
            _ => {
                return Err(cx.err(
                    "solver",
                    "random_seed",
                    format!("{s} is not a seed HiGHS accepts"),
                    &format!(
                        "give a whole number from 0 to {}, e.g. random_seed = 1",
                        i32::MAX
                    ),
                ))
            }
        },
    };

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
    let alternatives = alternatives::alternatives(&cx, raw.alternatives, funding)?;
    let uncertainty = uncertainty::uncertainty(&cx, raw.uncertainty)?;
    Ok(Scenario {
        uncertainty,
        target,
        flex,
        appraisal,
        name: raw.name,
        description: raw.description,
        path: path.to_path_buf(),
        data: PathBuf::from(&raw.data),
        resolved,
        files: sources.iter().map(|(p, _)| p.clone()).collect(),
        holds: Vec::new(),
        alternatives,
        cuts: Vec::new(),
        years,
        budget,
        objective,
        need,
        funding,
        rules,
        solver: SolverSettings {
            mip_gap,
            time_limit_s,
            heuristic: raw.solver.heuristic.unwrap_or(defaults.heuristic),
            random_seed,
        },
    })
}
