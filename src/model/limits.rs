//! The money limits a scenario sets, resolved against the dataset: each footprint's
//! floor and cap, each region's, and the fair shares they are measured by.

use super::Exclusion;
use crate::domain::{Dataset, Money};
use crate::scenario::{Limit, Scenario};

/// The floor that applies to a footprint: its own `[[rules.footprint]]` floor (£k), if
/// it has one, in place of the general `[rules.footprint_floor]`.
pub fn floor_limit(data: &Dataset, scenario: &Scenario, footprint: usize) -> Option<Limit> {
    let own = footprint_rule(data, scenario, footprint).map(|r| r.floor);
    match own {
        Some(Some(amount)) => Some(Limit::Amount(amount)),
        _ => scenario.rules.footprint_floor,
    }
}

/// The cap that applies to a footprint: its own `[[rules.footprint]]` cap (£k), if it
/// has one, in place of the general `[rules.footprint_cap]`.
pub fn cap_limit(data: &Dataset, scenario: &Scenario, footprint: usize) -> Option<Limit> {
    let own = footprint_rule(data, scenario, footprint).map(|r| r.cap);
    match own {
        Some(Some(amount)) => Some(Limit::Amount(amount)),
        _ => scenario.rules.footprint_cap,
    }
}

fn footprint_rule<'a>(
    data: &Dataset,
    scenario: &'a Scenario,
    footprint: usize,
) -> Option<&'a crate::scenario::FootprintRule> {
    let fp = &data.footprints[footprint];
    scenario
        .rules
        .footprints
        .iter()
        .find(|r| r.footprint.matches(fp))
}

/// A footprint's cap in £k, if it has one.
pub fn footprint_cap(data: &Dataset, scenario: &Scenario, footprint: usize) -> Option<Money> {
    cap_limit(data, scenario, footprint).map(|c| c.amount(fair_share(data, scenario, footprint)))
}

/// What a footprint's eligible bids ask of the fund's lines, £k.
fn eligible_bid(
    data: &Dataset,
    scenario: &Scenario,
    footprint: usize,
    excl: &[Option<Exclusion>],
) -> Money {
    let lines = scenario.lines();
    data.projects
        .iter()
        .enumerate()
        .filter(|(i, p)| p.footprint == footprint && excl[*i].is_none())
        .map(|(_, p)| p.fund_cost_on(&lines))
        .sum()
}

/// The amount a footprint's floor asks for, limited to what its eligible projects bid:
/// a footprint cannot be given more than it asked for.
pub fn effective_floor(
    data: &Dataset,
    scenario: &Scenario,
    footprint: usize,
    excl: &[Option<Exclusion>],
) -> Option<Money> {
    let floor = floor_limit(data, scenario, footprint)?;
    let bid = eligible_bid(data, scenario, footprint, excl);
    Some(floor.amount(fair_share(data, scenario, footprint)).min(bid))
}

/// A region's rule resolved: its footprints, its floor (limited, like a footprint's, to
/// what their eligible bids ask) and its cap, £k.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionLimit {
    pub region: String,
    pub footprints: Vec<usize>,
    pub floor: Option<Money>,
    pub cap: Option<Money>,
}

/// Every `[[rules.region]]` resolved against the dataset's footprints.
pub fn region_limits(
    data: &Dataset,
    scenario: &Scenario,
    excl: &[Option<Exclusion>],
) -> Vec<RegionLimit> {
    scenario
        .rules
        .regions
        .iter()
        .map(|r| {
            let footprints: Vec<usize> = (0..data.footprints.len())
                .filter(|&f| data.footprints[f].region == r.region)
                .collect();
            let bid: Money = footprints
                .iter()
                .map(|&f| eligible_bid(data, scenario, f, excl))
                .sum();
            RegionLimit {
                region: r.region.clone(),
                floor: r.floor.map(|a| a.min(bid)),
                cap: r.cap,
                footprints,
            }
        })
        .collect()
}

/// The footprint's share of the whole fund in proportion to the scenario's fair-share
/// basis (population or weighted population), £k.
pub fn fair_share(data: &Dataset, scenario: &Scenario, footprint: usize) -> Money {
    let basis = scenario.rules.fair_share;
    let total: f64 = data.footprints.iter().map(|f| basis.heads(f)).sum();
    scenario.total_budget() * basis.heads(&data.footprints[footprint]) / total
}
