//! The model on cases worked by hand. The model against brute force, on random cases
//! drawn from the whole input contract, is in tests/properties.rs.

use super::*;
use crate::domain::BudgetLine;
use crate::domain::{FinancialYear, Footprint, Maturity};
use crate::scenario::{FundingMode, Rules, SolverSettings};

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
        weighted_population: None,
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
        match_share: 0.0,
        own_match_share: 0.0,
        may_defer: None,
        line: i as u64 + 2,
        whole_life: Default::default(),
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
        flex: Default::default(),
        uncertainty: None,
        appraisal: None,
        files: Vec::new(),
        holds: Vec::new(),
        alternatives: None,
        cuts: Vec::new(),
        solver: SolverSettings {
            mip_gap: 0.0,
            time_limit_s: 30.0,
            heuristic: true,
            random_seed: 0,
        },
    }
}

fn dataset(footprints: Vec<Footprint>, projects: Vec<Project>) -> Dataset {
    Dataset {
        years: years(),
        footprints,
        projects,
        files: vec![],
        projects_source: crate::error::Source::Csv("projects.csv".into()),
    }
}

/// The pipeline's checked answer: its value and the funded fractions.
fn solve_value(data: &Dataset, sc: &Scenario) -> Result<(f64, Vec<f64>), crate::error::Error> {
    let s = crate::pipeline::solve_scenario(data, sc, &mut crate::pipeline::Timings::default())?;
    Ok((s.value, s.fractions))
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
        Err(crate::error::Error::Infeasible { .. })
    ));
    let text = crate::pipeline::explain_infeasible(&data, &sc).unwrap();
    assert!(
        text.contains(
            "the must-fund bids need £100k of capital in 2016/17, more than its budget of £60k: P0"
        ),
        "{text}"
    );
}

#[test]
fn neighbours_differ_from_their_base_in_bounds_alone() {
    let data = dataset(
        vec![footprint(0, 1.0e6, 40.0)],
        vec![
            project(0, 0, "EPR", 10.0, 1.0, [100.0, 0.0], [0.0, 0.0]),
            project(1, 0, "EPR", 20.0, 1.0, [150.0, 50.0], [0.0, 0.0]),
        ],
    );
    let base = scenario(
        ObjectiveKind::Benefit,
        FundingMode::AllOrNothing,
        [200.0, 100.0],
        [0.0, 0.0],
        Rules::default(),
    );
    let money = money_scale(&base);
    let built = |sc: &Scenario| build_in_unit(&data, sc, money).unwrap();
    let b = built(&base);
    assert!(b.structure.is_some());
    assert!(build(&data, &base).unwrap().structure.is_none());

    // £1m more in 2016/17 changes that budget row's bound, in the base's unit.
    let mut more = base.clone();
    more.budget[0].1[0] += 1000.0;
    let m = built(&more);
    assert_eq!(m.structure, b.structure);
    assert_ne!(money_scale(&more), money);
    let row = |p: &Programme| p.rows.iter().map(|r| r.upper).collect::<Vec<_>>();
    assert_eq!(row(&m)[0], 1200.0 / money);
    assert_eq!(row(&m)[1..], row(&b)[1..]);

    // A bid held out changes its column's bounds.
    let mut held = base.clone();
    held.holds.push(crate::scenario::Hold {
        project: 1,
        funded: false,
    });
    let h = built(&held);
    assert_eq!(h.structure, b.structure);
    assert_eq!(h.col_upper[h.fraction_col[1]], 0.0);
    assert_eq!(b.col_upper[b.fraction_col[1]], 1.0);

    // Another objective is another structure.
    let mut other = base.clone();
    other.objective = ObjectiveKind::Maturity;
    assert_ne!(built(&other).structure, b.structure);
}
