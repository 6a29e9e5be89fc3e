//! The model and solver against brute force: on random small instances the MIP's
//! optimum equals the best of every subset of projects that keeps every rule (as the
//! independent checker judges), and the LP relaxation bounds it.

use super::*;
use crate::allocation::{check, value};
use crate::domain::{FinancialYear, Footprint, Maturity};
use crate::scenario::{CategoryShare, Limit, Rules, SolverSettings};
use crate::solve::{solve, Failure};
use proptest::prelude::*;

fn years() -> Vec<FinancialYear> {
    vec![
        FinancialYear::parse("2016/17").unwrap(),
        FinancialYear::parse("2017/18").unwrap(),
    ]
}

fn footprint(i: usize, population: f64, capabilities: f64) -> Footprint {
    Footprint {
        id: format!("F{i}"),
        name: format!("Footprint {i}"),
        region: "Region".into(),
        population,
        maturity: Maturity {
            readiness: 60.0 + i as f64,
            capabilities,
            infrastructure: 50.0,
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn project(
    i: usize,
    footprint: usize,
    category: &str,
    benefit: f64,
    uplift: f64,
    capital: [f64; 2],
    revenue: [f64; 2],
) -> Project {
    Project {
        id: format!("P{i}"),
        footprint,
        title: format!("Project {i}"),
        category: category.into(),
        benefit,
        maturity_uplift: uplift,
        capital: capital.to_vec(),
        revenue: revenue.to_vec(),
        min_fraction: 0.0,
        requires: vec![],
        exclusive_group: None,
        must_fund: false,
        never_fund: false,
        cost_outside_years: 0.0,
        line: i as u64 + 2,
    }
}

fn scenario(
    objective: ObjectiveKind,
    funding: FundingMode,
    capital: [f64; 2],
    revenue: [f64; 2],
    rules: Rules,
) -> Scenario {
    Scenario {
        name: "t".into(),
        description: String::new(),
        path: "t.toml".into(),
        data: ".".into(),
        years: years(),
        budget: vec![
            (BudgetLine::Capital, capital.to_vec()),
            (BudgetLine::Revenue, revenue.to_vec()),
        ],
        objective,
        need: NeedPolicy::LeastMatureFirst,
        funding,
        rules,
        resolved: String::new(),
        target: None,
        files: Vec::new(),
        solver: SolverSettings {
            mip_gap: 0.0,
            time_limit_s: 30.0,
        },
    }
}

fn dataset(footprints: Vec<Footprint>, projects: Vec<Project>) -> Dataset {
    Dataset {
        years: years(),
        footprints,
        projects,
        files: vec![],
        projects_file: "projects.csv".into(),
    }
}

/// Best value over every 0/1 subset that the independent checker accepts.
fn brute_force(data: &Dataset, sc: &Scenario) -> Option<f64> {
    let n = data.projects.len();
    let mut best: Option<f64> = None;
    for mask in 0u32..(1 << n) {
        let fr: Vec<f64> = (0..n).map(|i| f64::from((mask >> i) & 1)).collect();
        if check(data, sc, &fr).is_empty() {
            let v = value::total(data, sc, &fr);
            best = Some(best.map_or(v, |b: f64| b.max(v)));
        }
    }
    best
}

fn solve_value(data: &Dataset, sc: &Scenario) -> Result<(f64, Vec<f64>), Failure> {
    let prog = build(data, sc).expect("model builds");
    let cols = prog.fraction_col.clone();
    let solved = solve(prog, &sc.solver).expect("solver runs")?;
    let fr: Vec<f64> = cols
        .iter()
        .map(|&c| solved.columns[c].clamp(0.0, 1.0))
        .collect();
    Ok((value::from_solver(sc, solved.objective), fr))
}

prop_compose! {
    fn instance()(
        n in 3usize..=9,
        seed in any::<u64>(),
        maturity in any::<bool>(),
        with_floor in any::<bool>(),
        with_cap in any::<bool>(),
        with_category in any::<bool>(),
        hurdle in prop::option::of(0.5f64..2.0),
    ) -> (Dataset, Scenario) {
        // A small deterministic generator from the seed keeps shrinking meaningful.
        let mut s = seed | 1;
        let mut next = move |lo: f64, hi: f64| {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            lo + (hi - lo) * ((s % 10_000) as f64 / 10_000.0)
        };
        let fps = vec![footprint(0, 1.0e6, next(20.0, 60.0)), footprint(1, 2.0e6, next(20.0, 95.0))];
        let cats = ["EPR", "Infrastructure and Wi-Fi", "e-prescribing"];
        let mut projects = Vec::new();
        for i in 0..n {
            let cap = [next(0.0, 100.0).round(), next(0.0, 100.0).round()];
            let rev = [next(0.0, 20.0).round(), next(0.0, 20.0).round()];
            let mut p = project(i, i % 2, cats[i % 3], next(0.0, 400.0).round(), next(0.0, 30.0).round(), cap, rev);
            if i >= 2 && next(0.0, 1.0) < 0.25 { p.requires = vec![i - 2]; }
            if i >= 1 && next(0.0, 1.0) < 0.2 { p.exclusive_group = Some(format!("g{}", i % 2)); }
            if next(0.0, 1.0) < 0.05 { p.never_fund = true; }
            projects.push(p);
        }
        let total_cap = |y: usize| projects.iter().map(|p: &Project| p.capital[y]).sum::<f64>();
        let total_rev = |y: usize| projects.iter().map(|p: &Project| p.revenue[y]).sum::<f64>();
        let capital = [(total_cap(0) * next(0.2, 0.8)).round(), (total_cap(1) * next(0.2, 0.8)).round()];
        let revenue = [(total_rev(0) * next(0.3, 0.9)).round(), (total_rev(1) * next(0.3, 0.9)).round()];
        let rules = Rules {
            footprint_floor: with_floor.then_some(Limit::ShareOfFairShare(0.3)),
            footprint_cap: with_cap.then_some(Limit::ShareOfFairShare(1.4)),
            categories: if with_category {
                vec![CategoryShare { category: "EPR".into(), min_share: None, max_share: Some(0.6) }]
            } else { vec![] },
            min_benefit_per_pound: hurdle,
        };
        let kind = if maturity { ObjectiveKind::Maturity } else { ObjectiveKind::Benefit };
        (dataset(fps, projects.clone()), scenario(kind, FundingMode::AllOrNothing, capital, revenue, rules))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn mip_matches_brute_force((data, sc) in instance()) {
        let best = brute_force(&data, &sc);
        match (best, solve_value(&data, &sc)) {
            (Some(best), Ok((v, fr))) => {
                prop_assert!((best - v).abs() <= 1e-6 * best.abs().max(1.0), "brute force {best}, solver {v}");
                let snapped: Vec<f64> = fr.iter().map(|f| f.round()).collect();
                prop_assert!(check(&data, &sc, &snapped).is_empty(), "solver answer breaks a rule");
            }
            (None, Err(Failure::Infeasible | Failure::InfeasibleOrUnbounded)) => {}
            (b, s) => prop_assert!(false, "brute force {b:?} but solver {s:?}"),
        }
    }

    #[test]
    fn lp_relaxation_bounds_the_mip((data, mut sc) in instance()) {
        // Without logic rules the partial-funding model is the MIP's LP relaxation.
        let mut data = data;
        for p in &mut data.projects { p.requires.clear(); p.exclusive_group = None; }
        sc.rules.footprint_floor = None;
        if let Ok((mip, _)) = solve_value(&data, &sc) {
            sc.funding = FundingMode::Partial;
            let (lp, fr) = solve_value(&data, &sc).expect("the relaxation of a feasible MIP is feasible");
            prop_assert!(lp >= mip - 1e-6 * mip.abs().max(1.0), "LP {lp} below MIP {mip}");
            prop_assert!(check(&data, &sc, &fr).is_empty(), "LP answer breaks a rule");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Partial funding with dependencies, groups and minimum shares: whatever the solver
    /// returns must pass the independent check (it once funded a project whose
    /// prerequisite got nothing).
    #[test]
    fn partial_answers_keep_every_rule((data, mut sc) in instance(), min_share in prop::option::of(0.2f64..0.9)) {
        let mut data = data;
        for (i, p) in data.projects.iter_mut().enumerate() {
            if i % 2 == 0 { p.min_fraction = min_share.unwrap_or(0.0); }
        }
        sc.funding = FundingMode::Partial;
        if let Ok((v, fr)) = solve_value(&data, &sc) {
            let fr: Vec<f64> = fr.iter().map(|&f| if f < 1e-7 { 0.0 } else if f > 1.0 - 1e-7 { 1.0 } else { f }).collect();
            let broken = check(&data, &sc, &fr);
            prop_assert!(broken.is_empty(), "{broken:?}");
            let ours = value::total(&data, &sc, &fr);
            prop_assert!((ours - v).abs() <= 1e-6 * v.abs().max(1.0), "solver {v}, allocation worth {ours}");
        }
    }
}

#[test]
fn maturity_gain_is_capped_at_100() {
    // Two projects that together would take East past 100: only the cheaper one is worth it.
    let data = dataset(
        vec![footprint(0, 1.0e6, 90.0)],
        vec![
            project(0, 0, "EPR", 0.0, 10.0, [100.0, 0.0], [0.0, 0.0]),
            project(1, 0, "EPR", 0.0, 10.0, [50.0, 0.0], [0.0, 0.0]),
        ],
    );
    let sc = scenario(
        ObjectiveKind::Maturity,
        FundingMode::AllOrNothing,
        [1000.0, 0.0],
        [0.0, 0.0],
        Rules::default(),
    );
    let (v, _) = solve_value(&data, &sc).unwrap();
    // weight (100-90)/100 × 1e6 people × 10 points
    assert!((v - 0.1 * 1e6 * 10.0).abs() < 1e-3, "{v}");
}

#[test]
fn must_fund_below_the_hurdle_is_an_input_error_at_its_line() {
    let mut p = project(0, 0, "EPR", 10.0, 1.0, [100.0, 0.0], [0.0, 0.0]);
    p.must_fund = true;
    let data = dataset(vec![footprint(0, 1.0e6, 40.0)], vec![p]);
    let rules = Rules {
        min_benefit_per_pound: Some(1.5),
        ..Rules::default()
    };
    let sc = scenario(
        ObjectiveKind::Benefit,
        FundingMode::AllOrNothing,
        [1000.0, 0.0],
        [0.0, 0.0],
        rules,
    );
    let err = build(&data, &sc).err().expect("must fail");
    assert!(
        err.problem.contains("below the value-for-money hurdle"),
        "{err}"
    );
    assert!(matches!(
        err.location,
        crate::error::Location::Cell { line: 2, .. }
    ));
}

#[test]
fn exclusions_follow_dependencies() {
    let mut a = project(0, 0, "EPR", 10.0, 1.0, [100.0, 0.0], [0.0, 0.0]);
    a.never_fund = true;
    let mut b = project(1, 0, "EPR", 500.0, 1.0, [100.0, 0.0], [0.0, 0.0]);
    b.requires = vec![0];
    let mut c = project(2, 0, "EPR", 500.0, 1.0, [100.0, 0.0], [0.0, 0.0]);
    c.requires = vec![1];
    let data = dataset(vec![footprint(0, 1.0e6, 40.0)], vec![a, b, c]);
    let sc = scenario(
        ObjectiveKind::Benefit,
        FundingMode::AllOrNothing,
        [1000.0, 0.0],
        [0.0, 0.0],
        Rules::default(),
    );
    let e = exclusions(&data, &sc);
    assert_eq!(e[0], Some(Exclusion::NeverFund));
    assert_eq!(e[1], Some(Exclusion::RequiresExcluded { prerequisite: 0 }));
    assert_eq!(e[2], Some(Exclusion::RequiresExcluded { prerequisite: 1 }));
}

#[test]
fn partial_mode_respects_minimum_share() {
    let mut p = project(0, 0, "EPR", 1000.0, 1.0, [100.0, 0.0], [0.0, 0.0]);
    p.min_fraction = 0.6;
    let data = dataset(vec![footprint(0, 1.0e6, 40.0)], vec![p]);
    // 50 of 100 capital: below the 60% minimum, so nothing can be funded.
    let sc = scenario(
        ObjectiveKind::Benefit,
        FundingMode::Partial,
        [50.0, 0.0],
        [0.0, 0.0],
        Rules::default(),
    );
    let (v, fr) = solve_value(&data, &sc).unwrap();
    assert_eq!((v, fr[0]), (0.0, 0.0));
    let sc = scenario(
        ObjectiveKind::Benefit,
        FundingMode::Partial,
        [70.0, 0.0],
        [0.0, 0.0],
        Rules::default(),
    );
    let (v, fr) = solve_value(&data, &sc).unwrap();
    assert!(
        (fr[0] - 0.7).abs() < 1e-9 && (v - 700.0).abs() < 1e-6,
        "{v} {fr:?}"
    );
}

#[test]
fn elastic_model_names_the_short_budget() {
    let mut p = project(0, 0, "EPR", 1000.0, 1.0, [100.0, 0.0], [0.0, 0.0]);
    p.must_fund = true;
    let data = dataset(vec![footprint(0, 1.0e6, 40.0)], vec![p]);
    let sc = scenario(
        ObjectiveKind::Benefit,
        FundingMode::AllOrNothing,
        [60.0, 0.0],
        [0.0, 0.0],
        Rules::default(),
    );
    assert!(matches!(
        solve_value(&data, &sc),
        Err(Failure::Infeasible | Failure::InfeasibleOrUnbounded)
    ));
    let text = crate::pipeline::explain_infeasible(&data, &sc).unwrap();
    assert!(
        text.contains("capital budget 2016/17: £40k short"),
        "{text}"
    );
}

#[test]
fn random_instances_are_mostly_feasible_and_constrained() {
    // Guards the property tests above from passing vacuously on infeasible or slack instances.
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut feasible, mut constrained) = (0, 0);
    for _ in 0..200 {
        let (data, sc) = instance().new_tree(&mut runner).unwrap().current();
        if let Some(best) = brute_force(&data, &sc) {
            feasible += 1;
            let all: Vec<f64> = data
                .projects
                .iter()
                .map(|p| if p.never_fund { 0.0 } else { 1.0 })
                .collect();
            if value::total(&data, &sc, &all) > best + 1e-9 {
                constrained += 1;
            }
        }
    }
    assert!(
        feasible > 100,
        "only {feasible} of 200 random instances are feasible"
    );
    assert!(
        constrained > 60,
        "only {constrained} instances have a binding budget"
    );
}
