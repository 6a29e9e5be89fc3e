//! Conflicts through the budget mechanics' own limits: the cap on revenue switched to
//! pay capital, the cap on money carried forward, and a bid's latest start. Each is a
//! bound in the allocation model, so these check that the search names it and says
//! the smallest change to it in the scenario's own keys.

use super::*;
use crate::domain::BudgetLine;

const CAPITAL_2017: Rule = Rule::Budget {
    line: BudgetLine::Capital,
    year: 1,
};

/// The scenario with both lines: `capital` and `revenue` £k by year.
fn with_budgets(capital: Vec<f64>, revenue: Vec<f64>) -> Scenario {
    let mut sc = scenario(0.0, Rules::default());
    sc.budget = vec![
        (BudgetLine::Capital, capital),
        (BudgetLine::Revenue, revenue),
    ];
    sc
}

#[test]
fn a_switch_cap_too_small_for_a_must_fund_bid_is_named_with_the_share_that_fits() {
    // P0 must be funded: £100k of capital in 2016/17, whose capital budget is £60k. A
    // tenth of its £200k revenue may pay capital: £20k, £20k short. Dropping the
    // capital budget, the must-fund or the switch cap each allows an allocation; the
    // revenue budget is not in the set (it has £180k to spare).
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.must_fund = true;
    let data = dataset(vec![p0, bid(1, 1, "EPR", 30.0)]);
    let mut sc = with_budgets(vec![60.0, 0.0], vec![200.0, 0.0]);
    sc.flex.revenue_to_capital_max = Some(0.1);
    conflict(
        &data,
        &sc,
        &[
            CAPITAL_2016,
            Rule::MustFund { project: 0 },
            Rule::SwitchCap { year: 0 },
        ],
        &[
            "  - the cap of £20k on 2016/17 revenue switched to pay capital (revenue_to_capital_max = 0.1 of its £200k revenue budget) — alone, allowing up to £40k of 2016/17 revenue to pay capital, £20k more ([budget] revenue_to_capital_max = 0.2), allows an allocation",
            "  - the 2016/17 capital budget of £60k — alone, raising it by £20k (to £80k) in [budget] capital allows an allocation",
            "  - must-fund project P0 (£100k, projects.csv line 2) — alone, setting must_fund to false for P0 allows an allocation",
        ],
    );
}

#[test]
fn a_carry_forward_cap_too_small_for_next_years_must_fund_bid_is_named() {
    // P0 must be funded: £100k of capital in 2017/18, whose budget is £50k. A fifth of
    // 2016/17's £100k may be carried in: £20k, £30k short. 2016/17's own budget is not
    // in the set: without it the cap still stops the carry at £20k.
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.capital = vec![0.0, 100.0];
    p0.must_fund = true;
    let data = dataset(vec![p0, bid(1, 1, "EPR", 30.0)]);
    let mut sc = with_budgets(vec![100.0, 50.0], vec![0.0, 0.0]);
    sc.flex.carry_forward_max = Some(0.2);
    conflict(
        &data,
        &sc,
        &[
            CAPITAL_2017,
            Rule::MustFund { project: 0 },
            Rule::CarryCap {
                line: BudgetLine::Capital,
                year: 0,
            },
        ],
        &[
            "  - the cap of £20k on capital carried from 2016/17 into 2017/18 (carry_forward_max = 0.2 of its £100k capital budget) — alone, allowing up to £50k of 2016/17 capital to be carried into 2017/18, £30k more ([budget] carry_forward_max = 0.5), allows an allocation",
            "  - the 2017/18 capital budget of £50k — alone, raising it by £30k (to £80k) in [budget] capital allows an allocation",
        ],
    );
}

#[test]
fn a_switch_beyond_the_years_revenue_budget_says_no_share_can_allow_it() {
    // P0 must be funded: £100k of capital in 2017/18, whose capital budget is £60k and
    // revenue budget £10k. Half of that may pay capital (£5k), but 2016/17's £100k of
    // revenue may all be carried in, so switching £40k would do: four times the year's
    // revenue budget, which no revenue_to_capital_max (a share of at most 1) can say.
    // The other way round, 2016/17's revenue may be switched to capital there and then
    // carried, but 2016/17 has no capital budget, so its capital carry cap is £0: that
    // cap is in the set too, and no carry_forward_max can lift it.
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.capital = vec![0.0, 100.0];
    p0.must_fund = true;
    let data = dataset(vec![p0]);
    let mut sc = with_budgets(vec![0.0, 60.0], vec![100.0, 10.0]);
    sc.flex.revenue_to_capital_max = Some(0.5);
    sc.flex.carry_forward_max = Some(1.0);
    conflict(
        &data,
        &sc,
        &[
            CAPITAL_2017,
            Rule::MustFund { project: 0 },
            Rule::SwitchCap { year: 1 },
            Rule::CarryCap {
                line: BudgetLine::Capital,
                year: 0,
            },
        ],
        &[
            "  - the cap of £0k on capital carried from 2016/17 into 2017/18 (carry_forward_max = 1 of its £0k capital budget) — alone, allowing up to £35k of 2016/17 capital to be carried into 2017/18, £35k more (the year has no budget on the line for [budget] carry_forward_max to be a share of), allows an allocation",
            "  - the cap of £5k on 2017/18 revenue switched to pay capital (revenue_to_capital_max = 0.5 of its £10k revenue budget) — alone, allowing up to £40k of 2017/18 revenue to pay capital, £35k more (more than [budget] revenue_to_capital_max can say: it is a share of at most 1 of the year's budget), allows an allocation",
        ],
    );
}

/// Three years, 2016/17 to 2018/19, for starts that move.
fn three_years(data: &mut Dataset, sc: &mut Scenario) {
    let years: Vec<FinancialYear> = ["2016/17", "2017/18", "2018/19"]
        .iter()
        .map(|y| FinancialYear::parse(y).unwrap())
        .collect();
    data.years = years.clone();
    sc.years = years;
    for p in &mut data.projects {
        p.capital.push(0.0);
        p.revenue.push(0.0);
    }
}

#[test]
fn a_latest_start_too_early_for_the_budgets_is_named_with_the_start_that_fits() {
    // P0 must be funded (£100k of capital when it starts) and may start a year late, by
    // the scenario's [phasing] may_defer = 1; 2016/17 and 2017/18 have £50k each and
    // 2018/19 £200k. Only a start in 2018/19 fits: the latest start is in the set with
    // the two early budgets and the must-fund, and its fix is one more year.
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.must_fund = true;
    p0.may_defer = Some(1);
    let mut data = dataset(vec![p0, bid(1, 1, "EPR", 30.0)]);
    let mut sc = scenario(0.0, Rules::default());
    three_years(&mut data, &mut sc);
    sc.budget = vec![
        (BudgetLine::Capital, vec![50.0, 50.0, 200.0]),
        (BudgetLine::Revenue, vec![0.0, 0.0, 0.0]),
    ];
    sc.flex.may_defer = Some(1);
    conflict(
        &data,
        &sc,
        &[
            CAPITAL_2016,
            CAPITAL_2017,
            Rule::MustFund { project: 0 },
            Rule::LatestStart { project: 0 },
        ],
        &[
            "  - the latest start of project P0 (£100k, projects.csv line 2): 2017/18, 1 year late (may_defer = 1) — alone, letting P0 start in 2018/19 ([phasing] may_defer = 2; or for P0 in projects.csv line 2, may_defer = 2 or latest_start = 2018/19) allows an allocation",
            "  - the 2017/18 capital budget of £50k — alone, raising it by £50k (to £100k) in [budget] capital allows an allocation",
        ],
    );
}

#[test]
fn a_bid_phasing_does_not_reach_keeps_its_start_as_data() {
    // The same bids with no phasing anywhere: the start is not a rule of the scenario,
    // so the set is the first year's budget and the must-fund, as before phasing.
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.must_fund = true;
    let mut data = dataset(vec![p0, bid(1, 1, "EPR", 30.0)]);
    let mut sc = scenario(0.0, Rules::default());
    three_years(&mut data, &mut sc);
    sc.budget = vec![
        (BudgetLine::Capital, vec![50.0, 50.0, 200.0]),
        (BudgetLine::Revenue, vec![0.0, 0.0, 0.0]),
    ];
    conflict(
        &data,
        &sc,
        &[CAPITAL_2016, Rule::MustFund { project: 0 }],
        &["  - the 2016/17 capital budget of £50k — alone, raising it by £50k (to £100k)"],
    );
}

#[test]
fn a_start_no_later_year_can_save_says_moving_it_alone_is_not_enough() {
    // P0 must be funded (£100k of capital when it starts) and no year has more than
    // £50k: however late it starts it does not fit, so its start alone is no fix.
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.must_fund = true;
    p0.may_defer = Some(0);
    let mut data = dataset(vec![p0]);
    let mut sc = scenario(0.0, Rules::default());
    three_years(&mut data, &mut sc);
    sc.budget = vec![
        (BudgetLine::Capital, vec![50.0, 50.0, 50.0]),
        (BudgetLine::Revenue, vec![0.0, 0.0, 0.0]),
    ];
    let fix = crate::pipeline::conflict_mechanics::latest_start_fix(0, &data, &sc, 10.0).unwrap();
    assert_eq!(
        fix,
        "letting P0 start as late as 2018/19, the last year its costs fit in, alone is not enough: other rules conflict too"
    );
}

#[test]
fn the_allocation_and_elastic_models_keep_the_mechanisms_limits_as_bounds() {
    // The rows exist only in the search for the rules in conflict: the allocation model
    // (and its fingerprint, and the golden files) is as it was.
    let mut p0 = bid(0, 0, "EPR", 100.0);
    p0.may_defer = Some(0);
    let mut data = dataset(vec![p0]);
    let mut sc = with_budgets(vec![60.0, 50.0, 50.0], vec![100.0, 100.0, 100.0]);
    three_years(&mut data, &mut sc);
    sc.flex.revenue_to_capital_max = Some(0.1);
    sc.flex.carry_forward_max = Some(0.2);
    let mechanics = |r: &Rule| {
        matches!(
            r,
            Rule::SwitchCap { .. } | Rule::CarryCap { .. } | Rule::LatestStart { .. }
        )
    };
    for relax in [Relax::Nothing, Relax::Every] {
        let p = model::build_relaxing(&data, &sc, &relax).unwrap();
        assert!(!p
            .rows
            .iter()
            .any(|r| r.rule.as_ref().is_some_and(mechanics)));
        // 10% of £100k of revenue each year; 20% of each year's budget but the last.
        let money = p.money;
        let switch = p.flex_cols.switched[0].unwrap();
        assert!((p.col_upper[switch] * money - 10.0).abs() < 1e-9);
        let carry = p.flex_cols.carried[0][0].unwrap();
        assert!((p.col_upper[carry] * money - 12.0).abs() < 1e-9);
        assert!(p.flex_cols.starts[0].is_empty());
    }
    let rules = rules_of(&data, &sc).unwrap();
    assert!(rules.contains(&Rule::SwitchCap { year: 2 }));
    assert!(rules.contains(&Rule::CarryCap {
        line: BudgetLine::Revenue,
        year: 1
    }));
    assert!(!rules.contains(&Rule::CarryCap {
        line: BudgetLine::Capital,
        year: 2
    }));
    assert!(rules.contains(&Rule::LatestStart { project: 0 }));
}

#[test]
fn a_minimum_match_that_shrinks_a_categorys_share_is_named() {
    // EPR must have half of the money and P0 (Wi-Fi, £100k) must be funded. P1 (EPR,
    // £100k) would make EPR exactly half, but [match] min_share has EPR bids match
    // half their cost locally, so the fund pays £50k: a third. Dropping the minimum
    // share, the must-fund or the minimum match each allows an allocation. A minimum
    // match that raises no bid (Wi-Fi's 0%) is not a rule in play.
    let mut p0 = bid(0, 0, "Wi-Fi", 100.0);
    p0.must_fund = true;
    let mut data = dataset(vec![p0, bid(1, 1, "EPR", 100.0)]);
    let rules = Rules {
        categories: vec![CategoryShare {
            category: "EPR".into(),
            min_share: Some(0.5),
            max_share: None,
        }],
        ..Rules::default()
    };
    let mut sc = scenario(1000.0, rules);
    sc.flex.min_match = vec![("EPR".into(), 0.5), ("Wi-Fi".into(), 0.0)];
    crate::dataset::apply_flex(&mut data, &sc.flex);
    assert_eq!(data.projects[1].match_share, 0.5);
    assert!(!rules_of(&data, &sc).unwrap().contains(&Rule::MatchMin {
        category: "Wi-Fi".into()
    }));
    conflict(
        &data,
        &sc,
        &[
            Rule::CategoryMin {
                category: "EPR".into(),
            },
            Rule::MustFund { project: 0 },
            Rule::MatchMin {
                category: "EPR".into(),
            },
        ],
        &[
            "  - the minimum local match of 50% for category EPR ([match] min_share), which lowers what the fund pays for P1 (own 0%) — alone, taking EPR out of [match] min_share, so its bids are matched at their own match_share, allows an allocation",
        ],
    );
}
