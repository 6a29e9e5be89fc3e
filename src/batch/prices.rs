//! The price of each rule (`run --rule-prices`): the scenario re-solved without each
//! of its rules in turn, and without every rule of a kind at once, each from the base
//! answer (which keeps every rule that is left, so every re-solve starts from a
//! feasible allocation), all in parallel.

use super::progress::Mode;
use super::resolve::solve_near;
use crate::allocation::frontier::Resolved;
use crate::allocation::prices::{Outcome, RulePrice};
use crate::allocation::Solution;
use crate::domain::Dataset;
use crate::model;
use crate::scenario::relax::{self, Kind, Relaxed};
use crate::scenario::{Rule, Scenario};
use crate::solve::SolveStatus;
use std::collections::BTreeSet;

/// Every rule the scenario imposes on these bids, one line each, in a fixed order:
/// footprint floors and caps, region floors and caps, category shares, the hurdle,
/// must-fund bids and lock-ins, lock-outs, dependencies and exclusive groups. A kind
/// with more than one rule is also priced as a whole, after its rules. Budgets are
/// not here: the marginal values price them.
pub fn rules(data: &Dataset, scenario: &Scenario) -> Vec<Relaxed> {
    let excl = model::exclusions(data, scenario);
    let mut one: Vec<Rule> = Vec::new();
    for f in 0..data.footprints.len() {
        if model::effective_floor(data, scenario, f, &excl).is_some_and(|a| a > 0.0) {
            one.push(Rule::FootprintFloor { footprint: f });
        }
    }
    for f in 0..data.footprints.len() {
        if model::footprint_cap(data, scenario, f).is_some() {
            one.push(Rule::FootprintCap { footprint: f });
        }
    }
    for r in model::region_limits(data, scenario, &excl) {
        if r.floor.is_some_and(|a| a > 0.0) {
            one.push(Rule::RegionFloor {
                region: r.region.clone(),
            });
        }
        if r.cap.is_some() {
            one.push(Rule::RegionCap { region: r.region });
        }
    }
    for c in &scenario.rules.categories {
        if c.min_share.is_some() {
            one.push(Rule::CategoryMin {
                category: c.category.clone(),
            });
        }
        if c.max_share.is_some() {
            one.push(Rule::CategoryMax {
                category: c.category.clone(),
            });
        }
    }
    let mut out: Vec<Relaxed> = Vec::new();
    // Footprint floors, then all of them, then caps, then all of them.
    let (floors, rest): (Vec<Rule>, Vec<Rule>) = one
        .into_iter()
        .partition(|r| matches!(r, Rule::FootprintFloor { .. }));
    let (caps, rest): (Vec<Rule>, Vec<Rule>) = rest
        .into_iter()
        .partition(|r| matches!(r, Rule::FootprintCap { .. }));
    push_kind(floors, Kind::FootprintFloors, &mut out);
    push_kind(caps, Kind::FootprintCaps, &mut out);
    out.extend(rest.into_iter().map(Relaxed::One));
    if scenario.rules.min_benefit_per_pound.is_some() {
        out.push(Relaxed::Hurdle);
    }
    let must: Vec<Rule> = model::must_fund(data, scenario)
        .into_iter()
        .enumerate()
        .filter(|(p, _)| excl[*p].is_none())
        .filter_map(|(_, r)| r)
        .collect();
    push_kind(must, Kind::MustFunds, &mut out);
    let locked_out: BTreeSet<&str> = scenario.rules.lock_out.iter().map(String::as_str).collect();
    for (p, bid) in data.projects.iter().enumerate() {
        if locked_out.contains(bid.id.as_str()) {
            out.push(Relaxed::LockOut { project: p });
        }
    }
    let mut requires: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (p, bid) in data.projects.iter().enumerate() {
        requires.extend(bid.requires.iter().map(|&q| (p, q)));
    }
    let deps: Vec<Rule> = requires
        .into_iter()
        .map(|(project, prerequisite)| Rule::Requires {
            project,
            prerequisite,
        })
        .collect();
    push_kind(deps, Kind::Dependencies, &mut out);
    let mut groups: std::collections::BTreeMap<&str, usize> = Default::default();
    for bid in &data.projects {
        if let Some(g) = &bid.exclusive_group {
            *groups.entry(g.as_str()).or_default() += 1;
        }
    }
    let groups: Vec<Rule> = groups
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(g, _)| Rule::ExclusiveGroup { group: g.into() })
        .collect();
    push_kind(groups, Kind::ExclusiveGroups, &mut out);
    out
}

/// Each rule of one kind on its own line, then the kind as a whole when it has more
/// than one.
fn push_kind(rules: Vec<Rule>, kind: Kind, out: &mut Vec<Relaxed>) {
    let n = rules.len();
    out.extend(rules.into_iter().map(Relaxed::One));
    if n > 1 {
        out.push(Relaxed::All(kind));
    }
}

/// The bids and scenario without `r`. Where taking it away lets more bids be funded
/// (the hurdle, a lock-out, a dependency), every footprint's and region's floor is held
/// at the amount it asked with the rule in place: a floor asks at most what the
/// fundable bids ask, and a price should be the rule's alone, not a floor's rise.
pub fn without(r: &Relaxed, data: &Dataset, scenario: &Scenario) -> (Option<Dataset>, Scenario) {
    let (bids, mut changed) = r.apply(data, scenario);
    if r.widens_eligibility() {
        let excl = model::exclusions(data, scenario);
        for f in 0..data.footprints.len() {
            if let Some(amount) = model::effective_floor(data, scenario, f, &excl) {
                relax::own_rule(data, &mut changed, f).floor = Some(amount);
            }
        }
        // `region_limits` resolves the scenario's regions in their order.
        let limits = model::region_limits(data, scenario, &excl);
        for (r, limit) in changed.rules.regions.iter_mut().zip(limits) {
            r.floor = limit.floor;
        }
    }
    (bids, changed)
}

/// A re-solve's answer as the price tables keep it.
pub fn outcome(r: Resolved) -> Outcome {
    match r {
        Resolved::Solved(a) if a.status == SolveStatus::TimeLimit => Outcome::TimeLimit {
            value: a.value,
            bound: a.bound,
            gap: a.gap,
        },
        Resolved::Solved(a) => Outcome::Solved {
            value: a.value,
            bound: a.bound,
            status: a.status,
            gap: a.gap,
        },
        Resolved::Infeasible(why) => Outcome::Infeasible(why),
        Resolved::Failed(why) => Outcome::Failed(why),
    }
}

/// What each rule costs against the base answer `base`.
pub fn prices(data: &Dataset, scenario: &Scenario, base: &Solution, mode: Mode) -> Vec<RulePrice> {
    let tasks = rules(data, scenario);
    let years = &scenario.years;
    let solved = super::each(
        &tasks,
        mode,
        "rule prices",
        |r| format!("without {}", r.named(data, years)),
        |r| {
            let (bids, changed) = without(r, data, scenario);
            outcome(solve_near(
                bids.as_ref().unwrap_or(data),
                &changed,
                &base.columns,
            ))
        },
        |o| o.status().replace('_', " "),
    );
    tasks
        .iter()
        .zip(solved)
        .map(|(r, o)| {
            let words = match (r, scenario.rules.min_benefit_per_pound) {
                (Relaxed::Hurdle, Some(h)) => {
                    format!(
                        "value-for-money hurdle of {} benefit per £",
                        crate::format::fixed(h, 2)
                    )
                }
                _ => r.named(data, years).to_string(),
            };
            RulePrice::of(r.key(data, years), words, (base.value, base.bound), o)
        })
        .collect()
}
