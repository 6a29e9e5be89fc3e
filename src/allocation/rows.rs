//! The tables of an allocation: one row per project (ranked), per footprint, per
//! budget line and year, and per scenario rule.

use super::usage::{tolerance, Usage, FRACTION_EPS};
use super::value;
use super::{
    BudgetUse, Counterfactuals, FootprintAllocation, ProjectAllocation, ProjectStatus, RuleUse,
};
use crate::model::fair_share;
use crate::scenario::Rule;
use std::collections::BTreeMap;

/// One row per project, ranked: funded first by value per £, then the rest by value per £.
pub fn projects(usage: &Usage, values: &[f64], reasons: Vec<String>) -> Vec<ProjectAllocation> {
    let (data, scenario) = (usage.data, usage.scenario);
    let lines = &usage.limits.lines;
    let mut projects: Vec<ProjectAllocation> = data
        .projects
        .iter()
        .zip(reasons)
        .enumerate()
        .map(|(p, (proj, reason))| {
            let f = usage.fractions[p];
            let fp = &data.footprints[proj.footprint];
            let cost = proj.fund_cost_on(lines);
            let status = if usage.limits.exclusions[p].is_some() {
                ProjectStatus::ExcludedByRule
            } else if f >= 1.0 - FRACTION_EPS {
                ProjectStatus::Funded
            } else if f > FRACTION_EPS {
                ProjectStatus::PartlyFunded
            } else {
                ProjectStatus::NotFunded
            };
            ProjectAllocation {
                rank: 0,
                project: p,
                project_id: proj.id.clone(),
                footprint_id: fp.id.clone(),
                footprint_name: fp.name.clone(),
                region: fp.region.clone(),
                title: proj.title.clone(),
                category: proj.category.clone(),
                fraction: f,
                amounts: lines
                    .iter()
                    .map(|&l| {
                        (0..scenario.years.len())
                            .map(|y| proj.fund_cost_at(l, y, usage.starts[p]) * f)
                            .collect()
                    })
                    .collect(),
                cost,
                funded: cost * f,
                value: values[p],
                value_per_pound: value::per_pound(
                    scenario,
                    value::standalone(data, scenario, p),
                    cost,
                ),
                status,
                reason,
                start_shift: usage.starts[p],
                start_year: (0..scenario.years.len())
                    .find(|&y| proj.capital[y] > 0.0 || proj.revenue[y] > 0.0)
                    .and_then(|y| scenario.years.get(y + usage.starts[p]).cloned()),
                match_share: proj.match_share,
                local: proj.local_cost_on(lines) * f,
                whole_cost: proj.cost_on(lines),
            }
        })
        .collect();
    projects.sort_by(|a, b| {
        let fa = a.fraction > FRACTION_EPS;
        let fb = b.fraction > FRACTION_EPS;
        fb.cmp(&fa)
            .then(
                b.value_per_pound
                    .partial_cmp(&a.value_per_pound)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    for (i, p) in projects.iter_mut().enumerate() {
        p.rank = i + 1;
    }
    projects
}

/// One row per footprint: money, fair share and capabilities before and after.
pub fn footprints(usage: &Usage) -> Vec<FootprintAllocation> {
    let (data, scenario) = (usage.data, usage.scenario);
    let gains = value::capability_gains(data, &usage.fractions);
    let mut funded_projects = vec![0; data.footprints.len()];
    for (p, proj) in data.projects.iter().enumerate() {
        if usage.fractions[p] > FRACTION_EPS {
            funded_projects[proj.footprint] += 1;
        }
    }
    data.footprints
        .iter()
        .enumerate()
        .map(|(f, fp)| {
            let funded = usage.footprint[f];
            let fair = fair_share(data, scenario, f);
            let heads = scenario.rules.fair_share.heads(fp);
            FootprintAllocation {
                footprint_id: fp.id.clone(),
                name: fp.name.clone(),
                region: fp.region.clone(),
                population: fp.population,
                funded,
                per_head: funded * 1000.0 / heads,
                fair_share: fair,
                share_of_fair_share: if fair > 0.0 { funded / fair } else { 0.0 },
                readiness: fp.maturity.readiness,
                infrastructure: fp.maturity.infrastructure,
                capabilities_before: fp.maturity.capabilities,
                capabilities_after: fp.maturity.capabilities + gains[f],
                projects_funded: funded_projects[f],
            }
        })
        .collect()
}

/// Money used against each budget line in each year.
pub fn budget_use(usage: &Usage) -> Vec<BudgetUse> {
    let scenario = usage.scenario;
    let mut out = Vec::new();
    for (l, &line) in usage.limits.lines.iter().enumerate() {
        for (y, year) in scenario.years.iter().enumerate() {
            out.push(BudgetUse {
                year: year.clone(),
                line,
                budget: usage.limits.budget[l][y],
                used: usage.spend[l][y],
            });
        }
    }
    out
}

/// How close the allocation is to every rule with a limit; `stops` counts the bids each
/// rule stops, which makes it binding.
pub fn rule_use(
    usage: &Usage,
    stops: &BTreeMap<Rule, usize>,
    counterfactuals: &Counterfactuals,
) -> Vec<RuleUse> {
    let (data, scenario) = (usage.data, usage.scenario);
    let entry = |rule: Rule, limit: f64, used: f64, binding: bool| RuleUse {
        name: rule.named(data, &scenario.years).to_string(),
        binding: binding || stops.contains_key(&rule),
        headroom: if rule.is_lower_bound() {
            used - limit
        } else {
            limit - used
        },
        rule,
        limit,
        used,
    };
    let mut out = Vec::new();
    for (l, &line) in usage.limits.lines.iter().enumerate() {
        for y in 0..scenario.years.len() {
            out.push(entry(
                Rule::Budget { line, year: y },
                usage.limits.budget[l][y],
                usage.spend[l][y],
                false,
            ));
        }
    }
    for f in 0..data.footprints.len() {
        let used = usage.footprint[f];
        if let Some(floor) = usage.limits.floor[f] {
            // A floor binds when it forces money to the footprint: without floors the
            // optimum would give it less. Without that solve, when it is tight.
            let forces = match &counterfactuals.footprint_spend_without_floors {
                Some(without) => without[f] < floor - tolerance(floor),
                None => floor > 0.0 && used <= floor + tolerance(floor),
            };
            out.push(entry(
                Rule::FootprintFloor { footprint: f },
                floor,
                used,
                forces,
            ));
        }
        if let Some(cap) = usage.limits.cap[f] {
            out.push(entry(Rule::FootprintCap { footprint: f }, cap, used, false));
        }
    }
    for (r, region) in usage.limits.regions.iter().enumerate() {
        let used = usage.region[r];
        if let Some(floor) = region.floor {
            let rule = Rule::RegionFloor {
                region: region.region.clone(),
            };
            // As for a footprint: a region's floor binds where it forces money there.
            let forces = match &counterfactuals.region_spend_without_floors {
                Some(without) => without[r] < floor - tolerance(floor),
                None => floor > 0.0 && used <= floor + tolerance(floor),
            };
            out.push(entry(rule, floor, used, forces));
        }
        if let Some(cap) = region.cap {
            let rule = Rule::RegionCap {
                region: region.region.clone(),
            };
            out.push(entry(rule, cap, used, false));
        }
    }
    for c in &scenario.rules.categories {
        let share = usage.category.get(&c.category).copied().unwrap_or(0.0) / usage.total.max(1e-9);
        if let Some(limit) = c.min_share {
            let rule = Rule::CategoryMin {
                category: c.category.clone(),
            };
            // A minimum binds when the category sits at it.
            let tight = limit > 0.0 && share <= limit + 1e-6;
            out.push(entry(rule, limit, share, tight));
        }
        if let Some(limit) = c.max_share {
            let rule = Rule::CategoryMax {
                category: c.category.clone(),
            };
            out.push(entry(rule, limit, share, false));
        }
    }
    out
}
