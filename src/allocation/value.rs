//! The objective computed in plain Rust from funded fractions (and, for the npv
//! objective, each bid's start: phasing), independent of the solver: used to check the
//! solver's objective and to score the comparison methods on exactly the same terms.
//!
//! `starts` is each bid's start shift in whole years, as `Solution::starts`; an empty
//! slice (or a bid past its end) means as bid. Only the npv objective reads it: a
//! benefit or capability point is worth the same whenever it comes.

use crate::domain::Dataset;
use crate::model::{money_scale, need_weight, MATURITY_SCALE};
use crate::scenario::{ObjectiveKind, Scenario};

/// Each footprint's funded uplift before the cap at 100.
pub fn raw_uplift(data: &Dataset, fractions: &[f64]) -> Vec<f64> {
    let mut raw = vec![0.0; data.footprints.len()];
    for (p, &f) in data.projects.iter().zip(fractions) {
        raw[p.footprint] += p.maturity_uplift * f;
    }
    raw
}

/// What `delta` more of one project, started `start` whole years late, would add to
/// the total value, given each footprint's funded uplift before the cap (`raw_uplift`):
/// constant time, so a reason can be given for every bid without re-scoring the whole
/// allocation each time.
pub fn gain_of(
    data: &Dataset,
    scenario: &Scenario,
    raw_uplift: &[f64],
    project: usize,
    start: usize,
    delta: f64,
) -> f64 {
    let p = &data.projects[project];
    match scenario.objective {
        ObjectiveKind::Benefit => p.benefit * delta,
        ObjectiveKind::Npv => npsv_at(data, scenario, project, start) * delta,
        ObjectiveKind::Maturity => {
            let fp = &data.footprints[p.footprint];
            let headroom = (100.0 - fp.maturity.capabilities).max(0.0);
            let before = raw_uplift[p.footprint].min(headroom);
            let after = (raw_uplift[p.footprint] + p.maturity_uplift * delta).min(headroom);
            point_value(data, scenario, p.footprint) * (after - before)
        }
    }
}

/// Each footprint's capability gain: the funded uplift, capped so no score passes 100.
pub fn capability_gains(data: &Dataset, fractions: &[f64]) -> Vec<f64> {
    raw_uplift(data, fractions)
        .iter()
        .zip(&data.footprints)
        .map(|(&r, fp)| r.min((100.0 - fp.maturity.capabilities).max(0.0)))
        .collect()
}

/// Value of one footprint capability point, in need-weighted person-points.
pub fn point_value(data: &Dataset, scenario: &Scenario, footprint: usize) -> f64 {
    let fp = &data.footprints[footprint];
    need_weight(scenario.need, fp) * fp.population
}

/// Total value of an allocation, its bids started as `starts` says, in the scenario's
/// value unit.
pub fn total(data: &Dataset, scenario: &Scenario, fractions: &[f64], starts: &[usize]) -> f64 {
    match scenario.objective {
        ObjectiveKind::Benefit | ObjectiveKind::Npv => {
            per_project(data, scenario, fractions, starts).iter().sum()
        }
        ObjectiveKind::Maturity => capability_gains(data, fractions)
            .iter()
            .enumerate()
            .map(|(f, g)| point_value(data, scenario, f) * g)
            .sum(),
    }
}

/// The solver's objective converted to the scenario's value unit.
pub fn from_solver(scenario: &Scenario, objective: f64) -> f64 {
    from_solver_in(scenario, money_scale(scenario), objective)
}

/// As `from_solver`, for a programme built in the money unit `money` (a re-solve on a
/// neighbour's kept model counts money in the neighbour's unit).
pub fn from_solver_in(scenario: &Scenario, money: f64, objective: f64) -> f64 {
    match scenario.objective {
        ObjectiveKind::Benefit | ObjectiveKind::Npv => objective * money,
        ObjectiveKind::Maturity => objective * MATURITY_SCALE,
    }
}

/// Each project's share of the value: its benefit, its NPSV at its start, or its share
/// of its footprint's capped gain, so the projects' values add up to the total.
pub fn per_project(
    data: &Dataset,
    scenario: &Scenario,
    fractions: &[f64],
    starts: &[usize],
) -> Vec<f64> {
    match scenario.objective {
        ObjectiveKind::Benefit => data
            .projects
            .iter()
            .zip(fractions)
            .map(|(p, &f)| p.benefit * f)
            .collect(),
        // Recomputed here from the bids, each discounted from its own start, not taken
        // from the model's coefficients.
        ObjectiveKind::Npv => crate::appraisal::npsv_at_starts(data, scenario, starts)
            .iter()
            .zip(fractions)
            .map(|(v, &f)| v * f)
            .collect(),
        ObjectiveKind::Maturity => {
            let gains = capability_gains(data, fractions);
            let raw = raw_uplift(data, fractions);
            data.projects
                .iter()
                .zip(fractions)
                .map(|(p, &f)| {
                    let r = raw[p.footprint];
                    if r <= 0.0 {
                        0.0
                    } else {
                        point_value(data, scenario, p.footprint)
                            * gains[p.footprint]
                            * p.maturity_uplift
                            * f
                            / r
                    }
                })
                .collect()
        }
    }
}

/// A project's value if funded in full on its own, as bid: the ranking key before any
/// solve (a panel ranks the bids as they were bid).
pub fn standalone(data: &Dataset, scenario: &Scenario, project: usize) -> f64 {
    let p = &data.projects[project];
    match scenario.objective {
        ObjectiveKind::Benefit => p.benefit,
        ObjectiveKind::Npv => npsv_at(data, scenario, project, 0),
        ObjectiveKind::Maturity => {
            let fp = &data.footprints[p.footprint];
            point_value(data, scenario, p.footprint)
                * p.maturity_uplift
                    .min((100.0 - fp.maturity.capabilities).max(0.0))
        }
    }
}

/// Value per £ of fund money. Benefit is in £k like costs, so this is a benefit–cost
/// ratio; maturity value is per £ (cost £k × 1,000).
/// A bid that costs the fund nothing but adds value is worth an infinite amount per £:
/// it ranks first.
pub fn per_pound(scenario: &Scenario, value: f64, cost: f64) -> f64 {
    if cost <= 0.0 {
        return if value > 0.0 { f64::INFINITY } else { 0.0 };
    }
    match scenario.objective {
        ObjectiveKind::Benefit | ObjectiveKind::Npv => value / cost,
        ObjectiveKind::Maturity => value / (cost * 1000.0),
    }
}

/// One bid's NPSV under the scenario's appraisal, its whole profile started `start`
/// whole years late (0 = as bid).
pub fn npsv_at(data: &Dataset, scenario: &Scenario, project: usize, start: usize) -> f64 {
    let settings = scenario.appraisal_settings();
    crate::appraisal::appraise(
        &data.projects[project],
        &data.years,
        &scenario.lines(),
        &settings,
        start as u32,
    )
    .npsv()
}
