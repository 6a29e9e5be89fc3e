//! The two simpler ways of sharing out the same budget that a Treasury reader
//! will ask about: a population fair-share formula (capitation, as HSLI did) and a
//! greedy ranking by value per £ (how STAR and EQUITY-style panels rank bids).

use super::usage::{Blocker, Limits, Usage, FRACTION_EPS};
use super::{value, Comparison, Method, ProjectAllocation};
use crate::domain::Dataset;
use crate::scenario::{FundingMode, Scenario};
use std::cmp::Ordering;

/// Projects in panel order: must-fund and locked-in first, then by standalone value per £, then id.
pub fn panel_order(data: &Dataset, scenario: &Scenario) -> Vec<usize> {
    let lines = scenario.lines();
    let key: Vec<f64> = (0..data.projects.len())
        .map(|p| {
            value::per_pound(
                scenario,
                value::standalone(data, scenario, p),
                data.projects[p].fund_cost_on(&lines),
            )
        })
        .collect();
    let must: Vec<bool> = crate::model::must_fund(data, scenario)
        .iter()
        .map(Option::is_some)
        .collect();
    let mut order: Vec<usize> = (0..data.projects.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&data.projects[a], &data.projects[b]);
        must[b]
            .cmp(&must[a])
            .then(key[b].partial_cmp(&key[a]).unwrap_or(Ordering::Equal))
            .then_with(|| pa.id.cmp(&pb.id))
    });
    order
}

/// Funds down `order` while the money lasts: each project in full, or in partial
/// mode the largest share that fits (at least its minimum). A panel knows the
/// budgets, caps, dependencies and exclusive groups, but not floors or category shares.
fn fill(usage: &mut Usage, order: &[usize]) {
    let partial = usage.scenario.funding == FundingMode::Partial;
    for &p in order {
        if usage.limits.exclusions[p].is_some() {
            continue;
        }
        let structural_ok = |u: &Usage, delta: f64| {
            u.blockers(p, delta)
                .iter()
                .all(|b| matches!(b, Blocker::CategoryMax { .. } | Blocker::CategoryMin { .. }))
        };
        if structural_ok(usage, 1.0) {
            usage.add(p, 1.0);
        } else if partial {
            let share = room(usage, p);
            let least = usage.data.projects[p].min_fraction.max(FRACTION_EPS * 10.0);
            if share >= least && structural_ok(usage, share) {
                usage.add(p, share);
            }
        }
    }
}

/// The largest share of a project that fits in every budget and its footprint's cap.
fn room(usage: &Usage, p: usize) -> f64 {
    let proj = &usage.data.projects[p];
    let mut share: f64 = 1.0;
    for (l, &line) in usage.limits.lines.iter().enumerate() {
        for (y, &budget) in usage.limits.budget[l].iter().enumerate() {
            let c = proj.fund_cost(line, y);
            if c > 0.0 {
                share = share.min(((budget - usage.spend[l][y]) / c).max(0.0));
            }
        }
    }
    if let Some(cap) = usage.limits.cap[proj.footprint] {
        let c = usage.fund_cost(p);
        if c > 0.0 {
            share = share.min(((cap - usage.footprint[proj.footprint]) / c).max(0.0));
        }
    }
    for &r in &usage.limits.regions_of[proj.footprint] {
        if let Some(cap) = usage.limits.regions[r].cap {
            let c = usage.fund_cost(p);
            if c > 0.0 {
                share = share.min(((cap - usage.region[r]) / c).max(0.0));
            }
        }
    }
    share = share.min(usage.logic_room(p));
    // Round down so the share never breaks a budget through rounding.
    (share * 1e6).floor() / 1e6
}

/// Greedy ranking: the whole fund, bids taken in value-per-£ order.
pub fn greedy(data: &Dataset, scenario: &Scenario) -> Vec<f64> {
    let mut usage = Usage::empty(data, scenario);
    fill(&mut usage, &panel_order(data, scenario));
    usage.fractions
}

/// Fair-share formula: every footprint gets its fair share (on the scenario's basis,
/// population or weighted population) of each year's budget on each line, and funds
/// its own bids in value-per-£ order within it. Money a footprint cannot use stays
/// unspent, as it would under a formula.
pub fn fair_share(data: &Dataset, scenario: &Scenario) -> Vec<f64> {
    let order = panel_order(data, scenario);
    let basis = scenario.rules.fair_share;
    let total_heads: f64 = data.footprints.iter().map(|f| basis.heads(f)).sum();
    let mut fractions = vec![0.0; data.projects.len()];
    // Each footprint's own bids, in panel order, found in one pass.
    let mut own: Vec<Vec<usize>> = vec![Vec::new(); data.footprints.len()];
    for &p in &order {
        own[data.projects[p].footprint].push(p);
    }
    let limits = Limits::new(data, scenario);
    for (f, fp) in data.footprints.iter().enumerate() {
        let mut usage = Usage::with_limits(data, scenario, limits.clone());
        let share = basis.heads(fp) / total_heads;
        for b in &mut usage.limits.budget {
            for amount in b.iter_mut() {
                *amount *= share;
            }
        }
        fill(&mut usage, &own[f]);
        for &p in &own[f] {
            fractions[p] = usage.fractions[p];
        }
    }
    fractions
}

/// The formula with reallocation: the fair-share formula first, then the fair shares
/// left unspent pooled, year by year and line by line, and passed on to the bids not yet
/// funded in value-per-£ order, so the formula spends like the optimiser and is compared
/// with it on the same money.
pub fn fair_share_reallocated(data: &Dataset, scenario: &Scenario) -> Vec<f64> {
    let first = fair_share(data, scenario);
    let mut usage = Usage::empty(data, scenario);
    for (p, &f) in first.iter().enumerate() {
        if f > 0.0 {
            usage.add(p, f);
        }
    }
    // With the whole budget as the limit, what is left of it is exactly the pool.
    let rest: Vec<usize> = panel_order(data, scenario)
        .into_iter()
        .filter(|&p| first[p] == 0.0)
        .collect();
    fill(&mut usage, &rest);
    usage.fractions
}

/// The simpler methods on the scenario's budget, scored like the optimum; their
/// fractions are aligned with the ranked `projects`.
pub(super) fn comparisons(
    data: &Dataset,
    scenario: &Scenario,
    projects: &[ProjectAllocation],
) -> Vec<Comparison> {
    let mut position = vec![0; data.projects.len()];
    for (i, p) in projects.iter().enumerate() {
        position[p.project] = i;
    }
    let comparison = |method: Method, fr: Vec<f64>| {
        let u = Usage::of(data, scenario, &fr);
        let mut aligned = vec![0.0; fr.len()];
        for (p, &f) in fr.iter().enumerate() {
            aligned[position[p]] = f;
        }
        Comparison {
            method,
            // A panel funds each bid as bid: its starts do not move.
            value: value::total(data, scenario, &fr, &[]),
            spent: u.total,
            projects_funded: fr.iter().filter(|&&f| f > FRACTION_EPS).count(),
            fractions: aligned,
        }
    };
    vec![
        comparison(Method::FairShare, fair_share(data, scenario)),
        comparison(
            Method::FairShareReallocated,
            fair_share_reallocated(data, scenario),
        ),
        comparison(Method::Greedy, greedy(data, scenario)),
    ]
}
