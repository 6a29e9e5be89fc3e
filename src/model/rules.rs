//! The rows for the scenario's rules on groups of bids: region floors and caps,
//! category shares, dependencies and exclusive groups.

use super::builder::Builder;
use super::{money_scale, region_limits, Exclusion, Sense};
use crate::domain::{Dataset, Project};
use crate::scenario::{Rule, Scenario};
use good_lp::{Expression, Variable};

/// Each region's floor and cap on the money of its footprints together.
pub(super) fn region_rows(
    b: &mut Builder,
    data: &Dataset,
    scenario: &Scenario,
    x: &[Variable],
    excl: &[Option<Exclusion>],
) {
    let lines = scenario.lines();
    let money = money_scale(scenario);
    for r in region_limits(data, scenario, excl) {
        let spend: Expression = data
            .projects
            .iter()
            .zip(x)
            .filter(|(p, _)| r.footprints.contains(&p.footprint))
            .map(|(p, &xi)| p.fund_cost_on(&lines) / money * xi)
            .sum();
        if let Some(floor) = r.floor.filter(|&a| a > 0.0) {
            let rule = Rule::RegionFloor {
                region: r.region.clone(),
            };
            b.push(
                Some(rule),
                spend.clone(),
                Sense::AtLeast,
                floor / money,
                1.0,
            );
        }
        if let Some(cap) = r.cap {
            let rule = Rule::RegionCap {
                region: r.region.clone(),
            };
            b.push(Some(rule), spend, Sense::AtMost, cap / money, 1.0);
        }
    }
}

/// Each category's minimum and maximum share of the money allocated.
pub(super) fn category_rows(b: &mut Builder, data: &Dataset, scenario: &Scenario, x: &[Variable]) {
    let lines = scenario.lines();
    let money = money_scale(scenario);
    let fund_cost = |p: &Project| p.fund_cost_on(&lines) / money;
    if !scenario.rules.categories.is_empty() {
        let total: Expression = data
            .projects
            .iter()
            .zip(x)
            .map(|(p, &xi)| fund_cost(p) * xi)
            .sum();
        for c in &scenario.rules.categories {
            let in_cat: Expression = data
                .projects
                .iter()
                .zip(x)
                .filter(|(p, _)| p.category == c.category)
                .map(|(p, &xi)| fund_cost(p) * xi)
                .sum();
            if let Some(lo) = c.min_share {
                b.push(
                    Some(Rule::CategoryMin {
                        category: c.category.clone(),
                    }),
                    in_cat.clone() - lo * total.clone(),
                    Sense::AtLeast,
                    0.0,
                    1.0,
                );
            }
            if let Some(hi) = c.max_share {
                b.push(
                    Some(Rule::CategoryMax {
                        category: c.category.clone(),
                    }),
                    in_cat - hi * total.clone(),
                    Sense::AtMost,
                    0.0,
                    1.0,
                );
            }
        }
    }
}

/// Dependencies (`requires`) and exclusive groups, on the funded fractions: a bid is
/// funded at most to the share its prerequisite is (all or nothing: only if it is), and
/// the shares funded of a group's bids add to at most one (all or nothing: at most one
/// bid). Bids that require each other round a circle are therefore funded together, to
/// one share, or not at all.
pub(super) fn logic_rows(b: &mut Builder, data: &Dataset, x: &[Variable]) {
    for (i, p) in data.projects.iter().enumerate() {
        for &q in &p.requires {
            b.push(
                Some(Rule::Requires {
                    project: i,
                    prerequisite: q,
                }),
                x[i] - x[q],
                Sense::AtMost,
                0.0,
                1.0,
            );
        }
    }
    let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, p) in data.projects.iter().enumerate() {
        if let Some(g) = &p.exclusive_group {
            groups.entry(g.as_str()).or_default().push(i);
        }
    }
    for (group, members) in groups.iter().filter(|(_, m)| m.len() > 1) {
        let sum: Expression = members.iter().map(|&i| x[i]).sum();
        let rule = Rule::ExclusiveGroup {
            group: group.to_string(),
        };
        b.push(Some(rule), sum, Sense::AtMost, 1.0, 1.0);
    }
}
