use super::*;
use crate::domain::{WholeLife, YearBenefit};

fn fy(label: &str) -> FinancialYear {
    FinancialYear::parse(label).unwrap()
}

fn years(n: usize) -> Vec<FinancialYear> {
    FinancialYear::run_of(&fy("2016/17"), n)
}

fn project(capital: Vec<f64>, revenue: Vec<f64>, whole_life: WholeLife) -> Project {
    Project {
        id: "P1".into(),
        footprint: 0,
        title: "t".into(),
        category: "EPR".into(),
        benefit: 0.0,
        maturity_uplift: 0.0,
        capital,
        revenue,
        min_fraction: 0.0,
        requires: Vec::new(),
        exclusive_group: None,
        must_fund: false,
        never_fund: false,
        cost_outside_years: 0.0,
        line: 2,
        whole_life,
        match_share: 0.0,
        own_match_share: 0.0,
        may_defer: None,
    }
}

/// 10% a year flat, so the figures can be worked by hand; 50% optimism bias.
fn settings(period: u32) -> Settings {
    Settings {
        period,
        schedule: Schedule {
            steps: vec![(0, 0.10)],
        },
        optimism_bias: 0.5,
        // Capital bias only: the duration bias has tests of its own below.
        duration_bias: 0.0,
        ..Settings::default_for(&years(3))
    }
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6, "{a} is not {b}");
}

#[test]
fn discount_factors_follow_the_green_book_schedule() {
    // HM Treasury Green Book, annex A6: 3.5% for years 0–30, then 3.0%. Its table of
    // factors gives 1.0000, 0.9662, 0.3563 and 0.3459 at years 0, 1, 30 and 31.
    let d = Schedule::default().factors(32);
    close(d[0], 1.0);
    close(d[1], 1.0 / 1.035);
    close(d[30], 1.035f64.powi(-30));
    close(d[31], 1.035f64.powi(-30) / 1.03);
    for (t, published) in [(0, 1.0), (1, 0.9662), (30, 0.3563), (31, 0.3459)] {
        assert!((d[t] - published).abs() < 5e-5, "year {t}: {}", d[t]);
    }
    let rate = Schedule::default();
    assert_eq!(rate.rate(30), 0.035);
    assert_eq!(rate.rate(31), 0.030);
    assert_eq!(rate.rate(76), 0.025);
    assert_eq!(rate.rate(301), 0.010);
}

#[test]
fn a_three_year_project_worked_by_hand() {
    // Fund years 2016/17–2018/19 (years 0, 1, 2); 10% a year, so the factors are
    // 1, 1/1.1 = 0.909091 and 1/1.21 = 0.826446.
    // Capital 100 in year 0, uplifted 50% for optimism bias: 150.
    // Revenue 20 in years 1 and 2: 20 × 0.909091 + 20 × 0.826446 = 34.710744.
    // PV of costs, whole life: 150 + 34.710744 = 184.710744.
    // Benefits: 110 non-cash in year 1 (PV 100) and 242 cash in year 2 (PV 200): 300.
    // NPSV = 300 − 184.710744 = 115.289256; BCR = 300 / 184.710744 = 1.624161.
    let wl = WholeLife {
        benefits: vec![
            YearBenefit {
                year: fy("2017/18"),
                cash: 0.0,
                noncash: 110.0,
            },
            YearBenefit {
                year: fy("2018/19"),
                cash: 242.0,
                noncash: 0.0,
            },
        ],
        ..WholeLife::default()
    };
    let p = project(vec![100.0, 0.0, 0.0], vec![0.0, 20.0, 20.0], wl);
    let s = settings(3);
    let m = appraise(&p, &years(3), &[BudgetLine::Capital], &s, 0);
    // The fund pays capital only: its share of the costs is the uplifted 150.
    close(m.pv_cost_fund, 150.0);
    close(m.pv_cost_whole_life, 184.710744);
    close(m.pv_benefit_noncash, 100.0);
    close(m.pv_benefit_cash, 200.0);
    close(m.npsv(), 115.289256);
    close(m.bcr().unwrap(), 1.624161);
    assert_eq!(m.vfm(), Some(Vfm::Medium));
    // Switching values against BCR 1: costs may rise 300 / 184.710744 − 1 = 62.4161%,
    // or benefits fall 1 − 184.710744 / 300 = 38.4298%.
    close(m.cost_switch(1.0).unwrap(), 0.624161);
    close(m.benefit_switch(1.0).unwrap(), 0.384298);
    // Against a hurdle of 1.5: 300 / (1.5 × 184.710744) − 1 = 8.2774%, and
    // 1 − 1.5 × 184.710744 / 300 = 7.6446%.
    close(m.cost_switch(1.5).unwrap(), 0.082774);
    close(m.benefit_switch(1.5).unwrap(), 0.076446);
    assert!(m.passes(1.6) && !m.passes(1.7));

    // Started a year later, everything moves one year on and is discounted once more;
    // the last benefit (then year 3) falls outside a three-year period.
    let later = appraise(&p, &years(3), &[BudgetLine::Capital], &s, 1);
    close(later.pv_cost_whole_life, 150.0 / 1.1 + 20.0 / 1.21);
    close(later.pv_benefit_noncash, 100.0 / 1.1);
    close(later.pv_benefit_cash, 0.0);

    // With the uplift in the budget, capital is loaded uplifted and not uplifted again.
    let mut in_budget = s.clone();
    in_budget.in_budget = true;
    let loaded = project(vec![150.0, 0.0, 0.0], vec![0.0, 20.0, 20.0], p.whole_life);
    close(
        appraise(&loaded, &years(3), &[BudgetLine::Capital], &in_budget, 0).pv_cost_whole_life,
        184.710744,
    );
}

#[test]
fn running_costs_run_for_their_life_within_the_period() {
    // Fund years 0–1; running cost 10 a year from year 2 for 2 years (years 2 and 3),
    // at 10%: 10 / 1.21 + 10 / 1.331 = 8.264463 + 7.513148 = 15.777611.
    let wl = WholeLife {
        running_cost: 10.0,
        life_years: Some(2),
        ..WholeLife::default()
    };
    let p = project(vec![0.0, 0.0], vec![0.0, 0.0], wl.clone());
    let m = appraise(&p, &years(2), &BudgetLine::ALL, &settings(10), 0);
    close(m.pv_cost_whole_life, 15.777611);
    close(m.pv_cost_fund, 0.0);
    // A period of 3 years keeps year 2 only.
    let m = appraise(&p, &years(2), &BudgetLine::ALL, &settings(3), 0);
    close(m.pv_cost_whole_life, 8.264463);
    // No life: to the end of the period (years 2–4).
    let open = WholeLife {
        life_years: None,
        ..wl
    };
    let p = project(vec![0.0, 0.0], vec![0.0, 0.0], open);
    let m = appraise(&p, &years(2), &BudgetLine::ALL, &settings(5), 0);
    close(
        m.pv_cost_whole_life,
        10.0 / 1.21 + 10.0 / 1.331 + 10.0 / 1.4641,
    );
}

#[test]
fn a_one_number_benefit_is_a_present_value_at_the_start() {
    let mut p = project(vec![50.0], vec![0.0], WholeLife::default());
    p.benefit = 121.0;
    let s = settings(3);
    let m = appraise(&p, &years(1), &BudgetLine::ALL, &s, 0);
    close(m.pv_benefit_noncash, 121.0);
    close(m.pv_benefit_cash, 0.0);
    close(m.pv_cost_whole_life, 75.0);
    // Started two years later: discounted twice.
    close(
        appraise(&p, &years(1), &BudgetLine::ALL, &s, 2).pv_benefit_noncash,
        100.0,
    );
}

#[test]
fn categories_and_bids_choose_their_optimism_bias() {
    let mut s = settings(3);
    s.by_category = vec![("EPR".into(), 1.0)];
    let mut p = project(vec![10.0], vec![0.0], WholeLife::default());
    assert_eq!(s.uplift(&p), 1.0);
    p.category = "Other".into();
    assert_eq!(s.uplift(&p), 0.5);
    p.whole_life.optimism_bias = Some(0.25);
    assert_eq!(s.uplift(&p), 0.25);
}

#[test]
fn value_for_money_categories_and_edges() {
    let cat = |b: f64| Vfm::of(Some(b), b).unwrap();
    assert_eq!(cat(0.99), Vfm::Poor);
    assert_eq!(cat(1.0), Vfm::Low);
    assert_eq!(cat(1.5), Vfm::Medium);
    assert_eq!(cat(2.0), Vfm::High);
    assert_eq!(cat(4.0), Vfm::VeryHigh);
    assert_eq!(Vfm::of(None, 5.0), Some(Vfm::VeryHigh));
    assert_eq!(Vfm::of(None, 0.0), None);
    // No cost: no BCR, no cost switch, and any hurdle passes.
    let free = Measures {
        pv_benefit_cash: 5.0,
        ..Measures::default()
    };
    assert_eq!(free.bcr(), None);
    assert_eq!(free.cost_switch(1.0), None);
    assert!(free.passes(100.0));
    // No benefit: no benefit switch; a negative cost switch says it fails already.
    let dear = Measures {
        pv_cost_whole_life: 5.0,
        ..Measures::default()
    };
    assert_eq!(dear.benefit_switch(1.0), None);
    close(dear.cost_switch(1.0).unwrap(), -1.0);
}

#[test]
fn the_portfolio_adds_bids_by_the_share_funded() {
    let a = Measures {
        pv_cost_fund: 10.0,
        pv_cost_whole_life: 10.0,
        pv_benefit_cash: 30.0,
        pv_benefit_noncash: 0.0,
    };
    let b = Measures {
        pv_cost_fund: 20.0,
        pv_cost_whole_life: 40.0,
        pv_benefit_cash: 0.0,
        pv_benefit_noncash: 20.0,
    };
    let t = portfolio(&[a, b], &[1.0, 0.5]);
    close(t.pv_cost_whole_life, 30.0);
    close(t.pv_benefits(), 40.0);
    // NPSV 10 turns negative when costs rise by 40 / 30 − 1 = 33.3%.
    close(portfolio_cost_switch(&t).unwrap(), 1.0 / 3.0);
}

#[test]
fn the_schedule_in_words() {
    assert_eq!(
        Schedule::default().describe(40),
        "3.5% for years 0–30, 3.0% for years 31–39"
    );
    assert_eq!(Schedule::default().describe(10), "3.5% for years 0–9");
}

#[test]
fn duration_bias_delays_benefits_worked_by_hand() {
    // Fund years 2016/17–2020/21 (years 0–4), a period of 8 years (0–7), 10% a year.
    // Capital 100 in year 0 (+50% optimism bias: 150) and revenue 10 in year 4
    // (10 / 1.1^4 = 6.830135): PV of whole-life costs 156.830135, whatever the delay.
    // Its delivery runs from year 0 to year 4: 5 delivery years.
    // Benefits: 194.87171 cash in 2020/21 (year 4) and 100 cash in 2021/22 (year 5).
    let wl = WholeLife {
        benefits: vec![
            YearBenefit {
                year: fy("2020/21"),
                cash: 194.87171,
                noncash: 0.0,
            },
            YearBenefit {
                year: fy("2021/22"),
                cash: 100.0,
                noncash: 0.0,
            },
        ],
        ..WholeLife::default()
    };
    let p = project(
        vec![100.0, 0.0, 0.0, 0.0, 0.0],
        vec![0.0, 0.0, 0.0, 0.0, 10.0],
        wl,
    );
    let years = years(5);
    let mut s = settings(8);
    assert_eq!(settings::delivery_years(&p), 5);

    // No duration bias: 194.87171 / 1.1^4 = 133.1 and 100 / 1.1^5 = 62.092132;
    // NPSV 133.1 + 62.092132 − 156.830135 = 38.361998.
    s.duration_bias = 0.0;
    let m = appraise(&p, &years, &BudgetLine::ALL, &s, 0);
    close(m.pv_cost_whole_life, 156.830135);
    close(m.pv_benefit_cash, 195.192132);
    close(m.npsv(), 38.361998);

    // The IT upper bound, 54%: 5 × 0.54 = 2.7 years, so each benefit moves 2 years,
    // and 0.7 of it a third. 194.87171 in year 4: 0.3 in year 6 (/ 1.1^6: 110) and 0.7
    // in year 7 (/ 1.1^7: 100), 33 + 70 = 103. 100 in year 5: 0.3 in year 7
    // (100 / 1.1^7 = 51.315812, × 0.3 = 15.394744) and 0.7 in year 8, past the period,
    // lost. Costs are as before: NPSV 118.394744 − 156.830135 = −38.435391.
    s.duration_bias = 0.54;
    close(s.benefit_delay(&p), 2.7);
    let m = appraise(&p, &years, &BudgetLine::ALL, &s, 0);
    close(m.pv_cost_whole_life, 156.830135);
    close(m.pv_cost_fund, 156.830135);
    close(m.pv_benefit_cash, 118.394744);
    close(m.npsv(), -38.435391);
    close(m.bcr().unwrap(), 118.394744 / 156.830135);

    // The default 10%: 5 × 0.1 = half a year: half of each benefit a year later.
    // 0.5 × (133.1 + 121) + 0.5 × (62.092132 + 56.447393) = 127.05 + 59.269763;
    // NPSV 186.319763 − 156.830135 = 29.489628.
    s.duration_bias = settings::DEFAULT_DURATION_BIAS;
    close(s.benefit_delay(&p), 0.5);
    close(
        appraise(&p, &years, &BudgetLine::ALL, &s, 0).npsv(),
        29.489628,
    );
    // A three-year delivery at 10%: 0.3 of a year.
    let short = project(vec![10.0, 0.0, 5.0], vec![0.0; 3], WholeLife::default());
    assert_eq!(settings::delivery_years(&short), 3);
    close(s.benefit_delay(&short), 0.3);
    // No cost in the fund's years: no delivery, no delay.
    let free = project(vec![0.0; 3], vec![0.0; 3], WholeLife::default());
    assert_eq!(settings::delivery_years(&free), 0);
    close(s.benefit_delay(&free), 0.0);
}

#[test]
fn duration_bias_is_the_bids_then_its_categorys_then_the_default() {
    // Delivery in years 1–2 only: 2 delivery years.
    let mut p = project(
        vec![0.0, 10.0, 0.0],
        vec![0.0, 0.0, 5.0],
        WholeLife::default(),
    );
    assert_eq!(settings::delivery_years(&p), 2);
    let mut s = settings(6);
    s.duration_bias = 0.2; // 2 × 0.2 = 0.4 of a year
    close(s.benefit_delay(&p), 0.4);
    s.duration_by_category = vec![("EPR".into(), 0.75)]; // 1.5 years
    assert_eq!(s.duration_uplift(&p), 0.75);
    close(s.benefit_delay(&p), 1.5);
    p.whole_life.duration_bias = Some(2.0); // 4 years
    close(s.benefit_delay(&p), 4.0);
    // A one-number benefit (121, a present value at the start) is discounted for the
    // delay as for a later start: 4 years at 10% and a 2-year start shift together are
    // 6 years, past the 6-year period (years 0–5), so nothing counts; with no delay,
    // 121 / 1.1^2 = 100.
    p.benefit = 121.0;
    close(
        appraise(&p, &years(3), &BudgetLine::ALL, &s, 2).pv_benefit_noncash,
        0.0,
    );
    p.whole_life.duration_bias = Some(0.0);
    close(
        appraise(&p, &years(3), &BudgetLine::ALL, &s, 2).pv_benefit_noncash,
        100.0,
    );
    // Another category takes the scenario's default.
    p.whole_life.duration_bias = None;
    p.category = "Other".into();
    assert_eq!(s.duration_uplift(&p), 0.2);
}
