//! A catalogue of infeasible scenarios, each with the rules expected in conflict and
//! the fix expected for each, and the check that the set named is minimal: without
//! any one of its rules the others can be kept.

use super::*;
use crate::domain::{BudgetLine, FinancialYear, Footprint, Maturity, Project};
use crate::scenario::{
    CategoryShare, FootprintRef, FootprintRule, FundingMode, NeedPolicy, ObjectiveKind, RegionRule,
    Rules, SolverSettings,
};

fn years() -> Vec<FinancialYear> {
    vec![
        FinancialYear::parse("2016/17").unwrap(),
        FinancialYear::parse("2017/18").unwrap(),
    ]
}

/// Footprints F0 and F1 in region North, F2 in South.
fn footprints() -> Vec<Footprint> {
    (0..3)
        .map(|i| Footprint {
            id: format!("F{i}"),
            name: format!("Footprint {i}"),
            region: if i < 2 { "North" } else { "South" }.into(),
            population: 1.0e6,
            weighted_population: None,
            maturity: Maturity {
                readiness: 60.0,
                capabilities: 40.0,
                infrastructure: 50.0,
            },
        })
        .collect()
}

/// A bid of `capital` £k in 2016/17, worth twice its cost.
fn bid(i: usize, footprint: usize, category: &str, capital: f64) -> Project {
    Project {
        id: format!("P{i}"),
        footprint,
        title: format!("Project {i}"),
        category: category.into(),
        benefit: 2.0 * capital,
        maturity_uplift: 0.0,
        capital: vec![capital, 0.0],
        revenue: vec![0.0, 0.0],
        min_fraction: 0.0,
        requires: vec![],
        exclusive_group: None,
        must_fund: false,
        never_fund: false,
        match_share: 0.0,
        own_match_share: 0.0,
        may_defer: None,
        whole_life: Default::default(),
        cost_outside_years: 0.0,
        line: i as u64 + 2,
    }
}

fn dataset(projects: Vec<Project>) -> Dataset {
    Dataset {
        years: years(),
        footprints: footprints(),
        projects,
        files: vec![],
        projects_source: crate::error::Source::Csv("projects.csv".into()),
    }
}

/// All or nothing, `capital` £k in 2016/17 and nothing else.
fn scenario(capital: f64, rules: Rules) -> Scenario {
    Scenario {
        name: "t".into(),
        description: String::new(),
        path: "t.toml".into(),
        data: ".".into(),
        years: years(),
        budget: vec![
            (BudgetLine::Capital, vec![capital, 0.0]),
            (BudgetLine::Revenue, vec![0.0, 0.0]),
        ],
        objective: ObjectiveKind::Benefit,
        need: NeedPolicy::LeastMatureFirst,
        funding: FundingMode::AllOrNothing,
        rules,
        resolved: String::new(),
        target: None,
        files: Vec::new(),
        holds: Vec::new(),
        flex: Default::default(),
        alternatives: None,
        cuts: Vec::new(),
        uncertainty: None,
        appraisal: None,
        solver: SolverSettings {
            mip_gap: 0.0,
            time_limit_s: 30.0,
            heuristic: true,
            random_seed: 0,
        },
    }
}

const CAPITAL_2016: Rule = Rule::Budget {
    line: BudgetLine::Capital,
    year: 0,
};

/// The conflict found, checked minimal (the set conflicts; without any one of its
/// rules the rest of it can be kept) and its words, each expected line present.
fn conflict(data: &Dataset, sc: &Scenario, expected: &[Rule], words: &[&str]) -> String {
    assert!(matches!(
        crate::pipeline::solve_scenario(data, sc, &mut Default::default()),
        Err(crate::error::Error::Infeasible { .. })
    ));
    let c = smallest_conflict(data, sc, SEARCH_TIME).unwrap().unwrap();
    let mut want = expected.to_vec();
    want.sort();
    assert_eq!(c.rules, want);
    assert!(c.proven_minimal);
    let others: BTreeSet<Rule> = rules_of(data, sc)
        .unwrap()
        .into_iter()
        .filter(|r| !c.rules.contains(r))
        .collect();
    assert_eq!(
        verdict(data, sc, &others, 30.0).unwrap(),
        Verdict::Infeasible,
        "the set alone conflicts"
    );
    for r in &c.rules {
        let mut without = others.clone();
        without.insert(r.clone());
        assert_eq!(
            verdict(data, sc, &without, 30.0).unwrap(),
            Verdict::Feasible,
            "without {r:?} the rest of the set can be kept"
        );
    }
    let text = crate::pipeline::explain_infeasible(data, sc).unwrap();
    for w in words {
        assert!(text.contains(w), "{w}\nnot in\n{text}");
    }
    assert_eq!(
        crate::allocation::explain::rules_in(&text).len(),
        expected.len(),
        "{text}"
    );
    text
}

#[test]
fn budget_against_a_must_fund_bid() {
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.must_fund = true;
    let data = dataset(vec![p0, bid(1, 1, "EPR", 30.0), bid(2, 2, "EPR", 20.0)]);
    conflict(
        &data,
        &scenario(60.0, Rules::default()),
        &[CAPITAL_2016, Rule::MustFund { project: 0 }],
        &[
            "  - the 2016/17 capital budget of £60k — alone, raising it by £40k (to £100k) in [budget] capital allows an allocation",
            "  - must-fund project P0 (£100k, projects.csv line 2) — alone, setting must_fund to false for P0 allows an allocation",
            // The elastic model's smallest change is kept after the set.
            "capital budget 2016/17: £40k short",
        ],
    );
}

#[test]
fn two_must_fund_bids_in_one_exclusive_group() {
    let mut bids = vec![
        bid(0, 0, "EPR", 10.0),
        bid(1, 1, "EPR", 10.0),
        bid(2, 2, "EPR", 10.0),
    ];
    for b in &mut bids[..2] {
        b.must_fund = true;
        b.exclusive_group = Some("epr".into());
    }
    let data = dataset(bids);
    conflict(
        &data,
        &scenario(1000.0, Rules::default()),
        &[
            Rule::MustFund { project: 0 },
            Rule::MustFund { project: 1 },
            Rule::ExclusiveGroup { group: "epr".into() },
        ],
        &[
            "  - exclusive group epr (at most one of P0, P1) — alone, letting more than one bid of exclusive group epr be funded allows an allocation",
            "  - must-fund project P1 (£10k, projects.csv line 3) — alone, setting must_fund to false",
        ],
    );
}

#[test]
fn footprint_floors_adding_up_to_more_than_the_budget() {
    let data = dataset((0..3).map(|f| bid(f, f, "EPR", 50.0)).collect());
    let rules = Rules {
        footprint_floor: Some(crate::scenario::Limit::Amount(50.0)),
        ..Rules::default()
    };
    let text = conflict(
        &data,
        &scenario(100.0, rules),
        &[
            CAPITAL_2016,
            Rule::FootprintFloor { footprint: 0 },
            Rule::FootprintFloor { footprint: 1 },
            Rule::FootprintFloor { footprint: 2 },
        ],
        &[
            "the footprint floors add up to £150k, more than the whole fund of £100k",
            "  - the 2016/17 capital budget of £100k — alone, raising it by £50k (to £150k)",
            "  - the floor for footprint F2 (Footprint 2) of £50k — alone, lowering it by £50k (to £0k) in [rules.footprint_floor]",
        ],
    );
    assert!(text.contains("a smallest such set"), "{text}");
}

#[test]
fn a_must_fund_bid_at_the_end_of_a_chain_of_requirements() {
    // P0 requires P1, which requires P2; P0 is must-fund, so the chain comes with it
    // and costs more than the budget.
    let mut bids = vec![
        bid(0, 0, "EPR", 10.0),
        bid(1, 0, "EPR", 10.0),
        bid(2, 1, "EPR", 100.0),
    ];
    bids[0].must_fund = true;
    bids[0].requires = vec![1];
    bids[1].requires = vec![2];
    let data = dataset(bids);
    conflict(
        &data,
        &scenario(50.0, Rules::default()),
        &[
            CAPITAL_2016,
            Rule::MustFund { project: 0 },
            Rule::Requires { project: 0, prerequisite: 1 },
            Rule::Requires { project: 1, prerequisite: 2 },
        ],
        &[
            "  - P1 requires P2 — alone, taking P2 out of the requires of P1 (projects.csv line 3) allows an allocation",
            "  - the 2016/17 capital budget of £50k — alone, raising it by £70k (to £120k)",
        ],
    );
}

#[test]
fn a_chain_of_requirements_ending_in_a_never_fund_bid_is_named_whole() {
    // No solver needed: the chain excludes the must-fund bid, and the error says how.
    let mut bids = vec![
        bid(0, 0, "EPR", 10.0),
        bid(1, 0, "EPR", 10.0),
        bid(2, 1, "EPR", 10.0),
    ];
    bids[0].must_fund = true;
    bids[0].requires = vec![1];
    bids[1].requires = vec![2];
    bids[2].never_fund = true;
    let data = dataset(bids);
    let err = crate::pipeline::solve_scenario(
        &data,
        &scenario(50.0, Rules::default()),
        &mut Default::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("project `P0` must be funded, but requires `P1`, which requires `P2`, which is marked never_fund in the bids"),
        "{err}"
    );
}

#[test]
fn region_floor_against_footprint_caps() {
    let bids: Vec<Project> = (0..24).map(|i| bid(i, i % 3, "EPR", 10.0)).collect();
    let data = dataset(bids);
    let rules = Rules {
        footprints: (0..2)
            .map(|f| FootprintRule {
                footprint: FootprintRef::Id(format!("F{f}")),
                floor: None,
                cap: Some(30.0),
            })
            .collect(),
        regions: vec![RegionRule {
            region: "North".into(),
            floor: Some(80.0),
            cap: None,
        }],
        ..Rules::default()
    };
    conflict(
        &data,
        &scenario(1000.0, rules),
        &[
            Rule::FootprintCap { footprint: 0 },
            Rule::FootprintCap { footprint: 1 },
            Rule::RegionFloor { region: "North".into() },
        ],
        &[
            "  - the floor for region North of £80k — alone, lowering it by £20k (to £60k) in its [[rules.region]] allows an allocation",
            "  - the cap for footprint F0 (Footprint 0) of £30k — alone, raising it by £20k (to £50k) in [rules.footprint_cap]",
        ],
    );
}

#[test]
fn region_floor_against_its_own_cap() {
    let bids: Vec<Project> = (0..12).map(|i| bid(i, i % 3, "EPR", 10.0)).collect();
    let data = dataset(bids);
    let rules = Rules {
        regions: vec![RegionRule {
            region: "North".into(),
            floor: Some(60.0),
            cap: Some(40.0),
        }],
        ..Rules::default()
    };
    conflict(
        &data,
        &scenario(1000.0, rules),
        &[
            Rule::RegionFloor {
                region: "North".into(),
            },
            Rule::RegionCap {
                region: "North".into(),
            },
        ],
        &["  - the cap for region North of £40k — alone, raising it by £20k (to £60k)"],
    );
}

#[test]
fn category_minimum_against_the_budget() {
    // P0 (Wi-Fi) must be funded; EPR must have half of the money: £100k of EPR for
    // £200k in all, and only £150k to spend.
    let mut p0 = bid(0, 0, "Wi-Fi", 100.0);
    p0.must_fund = true;
    let bids = vec![p0, bid(1, 1, "EPR", 50.0), bid(2, 2, "EPR", 50.0)];
    let data = dataset(bids);
    let rules = Rules {
        categories: vec![CategoryShare {
            category: "EPR".into(),
            min_share: Some(0.5),
            max_share: None,
        }],
        ..Rules::default()
    };
    conflict(
        &data,
        &scenario(150.0, rules),
        &[
            CAPITAL_2016,
            Rule::CategoryMin { category: "EPR".into() },
            Rule::MustFund { project: 0 },
        ],
        &[
            "  - the minimum share of 50.0% for category EPR — the category is £25k short of its share; alone, lowering its min_share in [[rules.category]] allows an allocation",
            "  - the 2016/17 capital budget of £150k — alone, raising it by £50k (to £200k)",
        ],
    );
}

#[test]
fn a_bid_the_hurdle_excludes_is_named_with_the_rules_it_conflicts_with() {
    // EPR must have half of the money, P0 (Wi-Fi, £100k) must be funded, and of the two
    // EPR bids (£50k each) P2 is below the hurdle: £50k of EPR against £150k is a third.
    // Dropping the category minimum, the must-fund or P2's exclusion each restores an
    // allocation, so all three are named; the hurdle's fix says how far to lower it.
    let mut p0 = bid(0, 0, "Wi-Fi", 100.0);
    p0.must_fund = true;
    let mut p2 = bid(2, 2, "EPR", 50.0);
    p2.benefit = 25.0;
    let data = dataset(vec![p0, bid(1, 1, "EPR", 50.0), p2]);
    let rules = Rules {
        categories: vec![CategoryShare {
            category: "EPR".into(),
            min_share: Some(0.5),
            max_share: None,
        }],
        min_benefit_per_pound: Some(1.5),
        ..Rules::default()
    };
    conflict(
        &data,
        &scenario(1000.0, rules),
        &[
            Rule::CategoryMin { category: "EPR".into() },
            Rule::MustFund { project: 0 },
            Rule::Excluded { project: 2 },
        ],
        &[
            "  - the exclusion of project P2 (£50k, projects.csv line 4): below the value-for-money hurdle: benefit 0.50 per £ against a hurdle of 1.50 — alone, lowering [rules] min_benefit_per_pound to 0.50 or less, which P2 meets allows an allocation",
        ],
    );
}

#[test]
fn a_lock_in_against_a_category_maximum() {
    let bids = vec![bid(0, 0, "EPR", 100.0), bid(1, 1, "Wi-Fi", 50.0)];
    let data = dataset(bids);
    let rules = Rules {
        categories: vec![CategoryShare {
            category: "EPR".into(),
            min_share: None,
            max_share: Some(0.5),
        }],
        lock_in: vec!["P0".into()],
        ..Rules::default()
    };
    conflict(
        &data,
        &scenario(1000.0, rules),
        &[
            Rule::CategoryMax { category: "EPR".into() },
            Rule::LockIn { project: 0 },
        ],
        &[
            "  - the lock-in of project P0 (£100k, projects.csv line 2) — alone, taking P0 out of [rules] lock_in allows an allocation",
            "  - the maximum share of 50.0% for category EPR — the category is £25k over its share",
        ],
    );
}

#[test]
fn of_two_conflicts_one_is_named_and_its_fixes_say_the_other_remains() {
    // Two must-fund bids each beyond the budget: either conflict alone is minimal, and
    // dropping one must-fund leaves the other conflict.
    let mut bids = vec![bid(0, 0, "EPR", 100.0), bid(1, 1, "EPR", 100.0)];
    bids[0].must_fund = true;
    bids[1].must_fund = true;
    let mut p1 = bids[1].clone();
    p1.capital = vec![0.0, 100.0];
    bids[1] = p1;
    let data = dataset(bids);
    let mut sc = scenario(50.0, Rules::default());
    sc.budget[0].1 = vec![50.0, 50.0];
    let c = smallest_conflict(&data, &sc, SEARCH_TIME).unwrap().unwrap();
    assert_eq!(c.rules.len(), 2, "{c:?}");
    assert!(c.proven_minimal);
    let text = crate::pipeline::explain_infeasible(&data, &sc).unwrap();
    assert!(
        text.contains("alone is not enough: other rules conflict too"),
        "{text}"
    );
}

#[test]
fn a_search_out_of_time_says_its_set_is_not_proven_smallest() {
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.must_fund = true;
    let data = dataset(vec![p0, bid(1, 1, "EPR", 30.0)]);
    let sc = scenario(60.0, Rules::default());
    let c = smallest_conflict(&data, &sc, Duration::ZERO)
        .unwrap()
        .unwrap();
    assert!(!c.proven_minimal);
    assert_eq!(
        c.rules,
        rules_of(&data, &sc)
            .unwrap()
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let text = crate::pipeline::explain_within(&data, &sc, Duration::ZERO).unwrap();
    assert!(
        text.contains("NOT proven a smallest such set: the search stopped at its time limit of 0 s after 0 solves"),
        "{text}"
    );
}

#[test]
fn a_feasible_scenario_has_no_conflict() {
    let data = dataset(vec![bid(0, 0, "EPR", 100.0)]);
    assert_eq!(
        smallest_conflict(&data, &scenario(60.0, Rules::default()), SEARCH_TIME).unwrap(),
        None
    );
}

#[test]
fn a_floor_beyond_what_a_region_asks_needs_both_bids_of_a_group() {
    // North asks for £30k in all, so its floor of £1,000k asks for every bid; two of
    // them are alternatives.
    let mut bids = vec![
        bid(0, 0, "EPR", 10.0),
        bid(1, 0, "EPR", 10.0),
        bid(2, 1, "EPR", 10.0),
    ];
    for b in &mut bids[..2] {
        b.exclusive_group = Some("epr".into());
    }
    let data = dataset(bids);
    let rules = Rules {
        regions: vec![RegionRule {
            region: "North".into(),
            floor: Some(1000.0),
            cap: None,
        }],
        ..Rules::default()
    };
    conflict(
        &data,
        &scenario(1000.0, rules),
        &[
            Rule::RegionFloor { region: "North".into() },
            Rule::ExclusiveGroup { group: "epr".into() },
        ],
        &[
            "  - the floor for region North of £1,000k (limited to £30k, all that its eligible bids ask) — alone, lowering it by £10k (to £20k)",
            "  - exclusive group epr (at most one of P0, P1) — alone, letting more than one bid",
        ],
    );
}

/// The budget mechanics' caps and a bid's latest start in conflict.
#[path = "conflict_mechanics_tests.rs"]
mod mechanics;
