//! Which bids can be funded at all under a scenario (and why not), and which must be
//! funded in full.

use super::Exclusion;
use crate::domain::{BudgetLine, Dataset};
use crate::scenario::{Rule, Scenario};

/// Which projects can never be funded under the scenario, and why.
pub fn exclusions(data: &Dataset, scenario: &Scenario) -> Vec<Option<Exclusion>> {
    let locked_out = named(data, &scenario.rules.lock_out);
    let appraised = scenario
        .rules
        .min_bcr
        .map(|h| (h, crate::appraisal::appraise_all(data, scenario)));
    let mut out: Vec<Option<Exclusion>> = data
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let whole_cost = p.cost_on(&BudgetLine::ALL);
            if locked_out[i] {
                Some(Exclusion::LockedOut)
            } else if p.never_fund {
                Some(Exclusion::NeverFund)
            } else if p.cost_outside_years > 0.0 {
                Some(Exclusion::SpendsOutsideYears {
                    cost: p.cost_outside_years,
                })
            } else {
                match scenario.rules.min_benefit_per_pound {
                    Some(h) if p.benefit < h * whole_cost => Some(Exclusion::BelowHurdle {
                        ratio: p.benefit / whole_cost,
                        hurdle: h,
                    }),
                    _ => match &appraised {
                        Some((h, m)) if !m[i].passes(*h) => Some(Exclusion::BelowBcr {
                            bcr: m[i].bcr().unwrap_or(0.0),
                            hurdle: *h,
                        }),
                        _ => None,
                    },
                }
            }
        })
        .collect();
    // A project whose prerequisite can never be funded cannot be funded either: walk
    // from each excluded project to those that require it, once each, so long chains
    // cost no more than short ones.
    let mut dependants: Vec<Vec<usize>> = vec![Vec::new(); data.projects.len()];
    for (i, p) in data.projects.iter().enumerate() {
        for &q in &p.requires {
            dependants[q].push(i);
        }
    }
    let mut queue: Vec<usize> = (0..out.len()).filter(|&i| out[i].is_some()).collect();
    while let Some(q) = queue.pop() {
        for &i in &dependants[q] {
            if out[i].is_none() {
                out[i] = Some(Exclusion::RequiresExcluded { prerequisite: q });
                queue.push(i);
            }
        }
    }
    out
}

/// Which projects `ids` names (ids no project has are refused before solving, by
/// `pipeline::checks`).
fn named(data: &Dataset, ids: &[String]) -> Vec<bool> {
    let ids: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    data.projects
        .iter()
        .map(|p| ids.contains(p.id.as_str()))
        .collect()
}

/// Per project, the rule that makes it funded in full, if any: the scenario's lock-in,
/// else the bid's own must_fund flag.
pub fn must_fund(data: &Dataset, scenario: &Scenario) -> Vec<Option<Rule>> {
    let locked_in = named(data, &scenario.rules.lock_in);
    data.projects
        .iter()
        .enumerate()
        .map(|(p, proj)| {
            if locked_in[p] {
                Some(Rule::LockIn { project: p })
            } else if proj.must_fund {
                Some(Rule::MustFund { project: p })
            } else {
                None
            }
        })
        .collect()
}

/// An exclusion in words, for errors and the allocation's reasons.
pub fn describe_exclusion(e: &Exclusion, data: &Dataset) -> String {
    match e {
        Exclusion::NeverFund => "marked never_fund in the bids".to_string(),
        Exclusion::LockedOut => "locked out by the scenario ([rules] lock_out)".to_string(),
        Exclusion::BelowHurdle { ratio, hurdle } => {
            format!("below the value-for-money hurdle: benefit {ratio:.2} per £ against a hurdle of {hurdle:.2}")
        }
        Exclusion::BelowBcr { bcr, hurdle } => {
            format!("below the BCR hurdle: Green Book BCR {bcr:.2} (whole-life costs with optimism bias, discounted) against min_bcr {hurdle:.2}")
        }
        Exclusion::SpendsOutsideYears { cost } => {
            format!(
                "spends £{}k in years outside the scenario",
                crate::format::thousands(*cost)
            )
        }
        Exclusion::RequiresExcluded { prerequisite } => {
            format!(
                "requires `{}`, which cannot be funded",
                data.projects[*prerequisite].id
            )
        }
    }
}

/// As `describe_exclusion`, following a chain of requirements to the bid that cannot
/// be funded and why: "requires `P1`, which requires `P2`, which is marked never_fund
/// in the bids".
pub fn describe_chain(e: &Exclusion, data: &Dataset, excl: &[Option<Exclusion>]) -> String {
    match e {
        Exclusion::RequiresExcluded { prerequisite } => {
            let why = match &excl[*prerequisite] {
                Some(next @ Exclusion::RequiresExcluded { .. }) => describe_chain(next, data, excl),
                Some(next @ Exclusion::SpendsOutsideYears { .. }) => describe_exclusion(next, data),
                Some(next) => format!("is {}", describe_exclusion(next, data)),
                None => "cannot be funded".into(),
            };
            format!(
                "requires `{}`, which {why}",
                data.projects[*prerequisite].id
            )
        }
        other => describe_exclusion(other, data),
    }
}
