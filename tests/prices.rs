//! `run --rule-prices` and `run --fairness-frontier` on hand-built cases whose answers
//! are known exactly (worked out in the comments), and both end to end.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::Path;

fn techfund() -> Command {
    Command::cargo_bin("techfund").unwrap()
}

const FOOTPRINTS: &str = "footprint_id,name,region,population,readiness,capabilities,infrastructure
F1,First,North,1000,50,50,50
F2,Second,South,1000,50,50,50
";

/// A folder with `hand/` (these bids, the two footprints) and `hand.toml`: one year,
/// capital only, benefit objective, solved exactly, with `budget` and `rules` added.
fn workdir(projects: &str, budget: f64, rules: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("hand")).unwrap();
    std::fs::write(dir.path().join("hand/projects.csv"), projects).unwrap();
    std::fs::write(dir.path().join("hand/footprints.csv"), FOOTPRINTS).unwrap();
    std::fs::write(
        dir.path().join("hand.toml"),
        format!(
            "name = \"hand\"\ndata = \"hand\"\nyears = [\"2016/17\"]\n[budget]\ncapital = [{budget}]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"all_or_nothing\"\n[solver]\nmip_gap = 0\n{rules}"
        ),
    )
    .unwrap();
    dir
}

/// A CSV as rows keyed by the cell in `key`, each a map from column to cell.
fn rows(path: &Path, key: &str) -> Vec<(String, HashMap<String, String>)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let row: HashMap<String, String> = head
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect();
            (row[key].clone(), row)
        })
        .collect()
}

fn run(dir: &Path, flags: &[&str]) {
    let mut args = vec!["run", "hand.toml", "--out", "out", "--quiet"];
    args.extend(flags);
    techfund().current_dir(dir).args(&args).assert().success();
}

/// Each rule's price as the CSV gives it, by key, with its status.
fn prices(dir: &Path) -> Vec<(String, String, String)> {
    rows(&dir.join("out/rule_prices.csv"), "rule")
        .into_iter()
        .map(|(k, r)| (k, r["price"].clone(), r["status"].clone()))
        .collect()
}

/// F1 bids A (cost 6, benefit 60), B (4, 30) and C (5, 45); F2 bids only E (2, 5).
const FLOORS: &str =
    "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17
A,F1,Bid A,EPR,60,1,6,0
B,F1,Bid B,EPR,30,1,4,0
C,F1,Bid C,EPR,45,1,5,0
E,F2,Bid E,Infrastructure,5,1,2,0
";

/// Budget £11k and a floor of £2k for each footprint: E must be funded, which leaves 9
/// for F1: B + C (75), so the optimum is 80. Without F2's floor, A + C (105) takes the
/// whole budget: the floor costs 25. F1's floor is met by any of its bids and costs nothing; both
/// floors together cost what F2's does.
#[test]
fn a_footprint_floor_costs_exactly_what_it_forces_out() {
    let dir = workdir(FLOORS, 11.0, "[rules.footprint_floor]\namount = 2\n");
    run(dir.path(), &["--rule-prices"]);
    let want = [
        ("floor_F1", "0.0"),
        ("floor_F2", "25.0"),
        ("all_footprint_floors", "25.0"),
    ];
    let got = prices(dir.path());
    assert_eq!(
        got,
        want.iter()
            .map(|(k, p)| (k.to_string(), p.to_string(), "optimal".to_string()))
            .collect::<Vec<_>>()
    );
    let summary = std::fs::read_to_string(dir.path().join("out/summary.md")).unwrap();
    assert!(summary.contains("## The price of each rule"), "{summary}");
    // Dearest first.
    let f2 = summary
        .find("| floor for footprint F2 (Second) | 105 | 25 |")
        .unwrap();
    let f1 = summary
        .find("| floor for footprint F1 (First) | 80 | 0 |")
        .unwrap();
    assert!(f2 < f1, "{summary}");
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(html.contains("id=\"rule-prices\""));
    // The workbook's sheet holds the same prices, as numbers, in the CSV's order.
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("out/allocation.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Rule prices").unwrap();
    let prices: Vec<(String, f64)> = sheet
        .rows()
        .skip(1)
        .map(|r| {
            (
                r[1].to_string(),
                calamine::DataType::get_float(&r[4]).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        prices,
        [
            ("floor_F1", 0.0),
            ("floor_F2", 25.0),
            ("all_footprint_floors", 25.0)
        ]
        .map(|(k, v)| (k.to_string(), v))
        .to_vec()
    );
}

/// The same bids with a cap of £8k on each footprint as well: F1 can have A (6) or
/// B (4) alone, or nothing bigger than 8: A (60) with E (5) is 65, and 2 is left over.
/// Without F1's cap, E + B + C (80) returns: the cap costs 15. F2's cap (E costs 2)
/// costs nothing, and with the cap in place the floors cost nothing either (E is worth
/// funding anyway).
#[test]
fn a_footprint_cap_costs_what_it_holds_back_and_makes_the_floors_free() {
    let dir = workdir(
        FLOORS,
        11.0,
        "[rules.footprint_floor]\namount = 2\n[rules.footprint_cap]\namount = 8\n",
    );
    run(dir.path(), &["--rule-prices"]);
    let got: HashMap<String, String> = prices(dir.path())
        .into_iter()
        .map(|(k, p, _)| (k, p))
        .collect();
    let want: HashMap<String, String> = [
        ("floor_F1", "0.0"),
        ("floor_F2", "0.0"),
        ("all_footprint_floors", "0.0"),
        ("cap_F1", "15.0"),
        ("cap_F2", "0.0"),
        ("all_footprint_caps", "15.0"),
    ]
    .iter()
    .map(|(k, p)| (k.to_string(), p.to_string()))
    .collect();
    assert_eq!(got, want);
}

/// One footprint's bids, budget £10k: A (6, 60), B (4, 30), C (5, 45, requires B),
/// D (5, 20, must_fund) and H (1, 1.5: 1.5 per £, under the hurdle of 2), and A is
/// locked out (it would not fit beside D anyway).
///
/// - With every rule: D + B = 50 (C needs B too: 14 > 10); H is below the hurdle.
/// - Without D's must-fund: A + B = 90 ... but A is locked out: B + C = 75; price 25.
/// - Without C's dependency on B: D + C = 65; price 15.
/// - Without the hurdle: D + B + H = 51.5; price 1.5.
/// - Without A's lock-out: A + D = 11 > 10, so nothing changes; price 0.
const BIDS: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,requires,must_fund
A,F1,Bid A,EPR,60,1,6,0,,
B,F1,Bid B,EPR,30,1,4,0,,
C,F1,Bid C,EPR,45,1,5,0,B,
D,F1,Bid D,EPR,20,1,5,0,,true
H,F1,Bid H,EPR,1.5,1,1,0,,
";

#[test]
fn must_fund_dependency_hurdle_and_lock_out_prices_are_exact() {
    let dir = workdir(
        BIDS,
        10.0,
        "[rules]\nmin_benefit_per_pound = 2\nlock_out = [\"A\"]\n",
    );
    run(dir.path(), &["--rule-prices"]);
    let got = prices(dir.path());
    let want = [
        ("hurdle", "1.5"),
        ("must_fund_D", "25.0"),
        ("lock_out_A", "0.0"),
        ("requires_C_B", "15.0"),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(k, p)| (k.to_string(), p.to_string(), "optimal".to_string()))
            .collect::<Vec<_>>()
    );
    let all = rows(&dir.path().join("out/rule_prices.csv"), "rule");
    let hurdle = &all[0].1;
    assert_eq!(
        hurdle["words"],
        "value-for-money hurdle of 2.00 benefit per £"
    );
    assert_eq!(hurdle["value_without"], "51.5");
    assert_eq!(hurdle["share_of_optimum"], "0.030000");
}

/// Budget £10k, fair share £5k each. F1 bids A (6, 60) and B (4, 30); F2 bids E (1, 1)
/// and G (4, 2). At 0% of fair share: A + B = 90. At 50%, F2 needs 2.5: G, and A
/// beside it (A + G = 10): 62. At 100%, F1 needs 5 (only A) and F2 needs all 5 of
/// its bids: 11 > 10, infeasible, and reported as such.
#[test]
fn the_fairness_frontier_has_its_known_points_and_keeps_an_infeasible_level() {
    let projects = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17
A,F1,Bid A,EPR,60,1,6,0
B,F1,Bid B,EPR,30,1,4,0
E,F2,Bid E,Infrastructure,1,1,1,0
G,F2,Bid G,Infrastructure,2,1,4,0
";
    let dir = workdir(projects, 10.0, "");
    run(dir.path(), &["--fairness-frontier=3"]);
    let got: Vec<Vec<String>> = rows(
        &dir.path().join("out/fairness_frontier.csv"),
        "floor_share_of_fair_share",
    )
    .into_iter()
    .map(|(k, r)| {
        vec![
            k,
            r["value"].clone(),
            r["share_of_unconstrained_optimum"].clone(),
            r["price_of_step"].clone(),
            r["status"].clone(),
        ]
    })
    .collect();
    let want = [
        ["0.0000", "90.0", "1.000000", "", "optimal"],
        ["0.5000", "62.0", "0.688889", "28.0", "optimal"],
        ["1.0000", "", "", "", "infeasible"],
    ];
    assert_eq!(got, want.map(|r| r.map(String::from).to_vec()).to_vec());
    for ext in ["svg", "png"] {
        assert!(dir
            .path()
            .join(format!("out/charts/fairness_frontier.{ext}"))
            .is_file());
    }
    let summary = std::fs::read_to_string(dir.path().join("out/summary.md")).unwrap();
    assert!(summary.contains("## The price of fairness"), "{summary}");
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("out/allocation.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Fairness frontier").unwrap();
    let values: Vec<String> = sheet.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert_eq!(
        values,
        ["90", "62", "infeasible: no allocation keeps every rule"]
    );
    assert!(
        summary.contains("| 100.0% | infeasible: no allocation keeps every rule |"),
        "{summary}"
    );
}

/// The default is 11 levels, 0% to 100% in steps of 10%.
#[test]
fn the_fairness_frontier_has_eleven_levels_by_default() {
    let dir = workdir(FLOORS, 11.0, "");
    run(dir.path(), &["--fairness-frontier"]);
    let levels: Vec<String> = rows(
        &dir.path().join("out/fairness_frontier.csv"),
        "floor_share_of_fair_share",
    )
    .into_iter()
    .map(|(k, _)| k)
    .collect();
    let want: Vec<String> = (0..=10)
        .map(|i| format!("{:.4}", i as f64 / 10.0))
        .collect();
    assert_eq!(levels, want);
}

#[test]
fn a_frontier_of_fewer_than_two_points_is_refused() {
    let dir = workdir(FLOORS, 11.0, "");
    for bad in ["--fairness-frontier=1", "--fairness-frontier=x"] {
        let out = techfund()
            .current_dir(dir.path())
            .args(["run", "hand.toml", "--out", "out", bad])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains("is not a number of points from 2 to 1001"),
            "{err}"
        );
        assert!(!dir.path().join("out").exists());
    }
}

/// Partial funding, one footprint, one year: A costs £6,000k for 60,000 of benefit
/// (10 per £), B £8,000k for 40,000 (5 per £). The LP funds A first, then as much of
/// B as the budget allows, so the budget's dual value is B's 5 per £k (5,000 per £1m)
/// while B is partly funded, from £6,000k (B at 0) to £14,000k (B in full); 10 per £k
/// below £6,000k (A partly funded, down to £0); 0 above £14,000k, without limit.
#[test]
fn lp_duals_of_the_budget_have_their_worked_values_and_ranges() {
    let projects = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17
A,F1,Bid A,EPR,60000,1,6000,0
B,F1,Bid B,EPR,40000,1,8000,0
";
    for (budget, dual, from, to) in [
        (10000.0, "5000.0000", "6000.0", "14000.0"),
        (5000.0, "10000.0000", "0.0", "6000.0"),
        (20000.0, "0.0000", "14000.0", "no limit"),
    ] {
        let dir = workdir(projects, budget, "");
        let toml = dir.path().join("hand.toml");
        let text = std::fs::read_to_string(&toml)
            .unwrap()
            .replace("all_or_nothing", "partial");
        std::fs::write(&toml, text).unwrap();
        run(dir.path(), &["--marginal-values"]);
        let rows = rows(&dir.path().join("out/marginal_values.csv"), "year");
        let r = &rows[0].1;
        assert_eq!(
            [
                r["dual_value_per_1m"].as_str(),
                r["dual_holds_from_budget"].as_str(),
                r["dual_holds_to_budget"].as_str()
            ],
            [dual, from, to],
            "budget {budget}"
        );
        // Inside the range, the exact re-solves agree with the dual.
        if budget == 10000.0 {
            assert_eq!(r["value_of_next_1m"], "5000.0");
            assert_eq!(r["value_of_last_1m"], "5000.0");
        }
        let summary = std::fs::read_to_string(dir.path().join("out/summary.md")).unwrap();
        assert!(summary.contains("Dual value (LP only)"), "{summary}");
    }
}

/// With whole bids the programme is a MIP, and the table says duals do not apply.
#[test]
fn a_mip_says_its_duals_do_not_apply() {
    let dir = workdir(FLOORS, 11.0, "");
    run(dir.path(), &["--marginal-values"]);
    let rows = rows(&dir.path().join("out/marginal_values.csv"), "year");
    assert!(
        rows[0].1["dual_value_per_1m"].starts_with("does not apply: the programme is a MIP"),
        "{:?}",
        rows[0].1
    );
    assert_eq!(rows[0].1["dual_holds_from_budget"], "");
}

/// On random small cases drawn from everything the input allows (see properties.rs):
/// every rule the model enforces is listed; taking a rule away never makes the base
/// allocation break a rule that is left (so every re-solve starts feasible); and each
/// price equals the brute-force optimum without the rule less the brute-force optimum
/// with it.
mod drawn {
    use crate::properties::{brute_force, case};
    use proptest::prelude::*;
    use techfund::allocation::check;
    use techfund::batch::{prices, progress::Mode};
    use techfund::pipeline::{self, Timings};
    use techfund::scenario::relax::Relaxed;
    use techfund::scenario::{FundingMode, Rule};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn every_rule_is_priced_at_its_brute_force_value(mut case in case()) {
            case.scenario.funding = FundingMode::AllOrNothing;
            let (data, sc) = (&case.data, &case.scenario);
            let listed = prices::rules(data, sc);
            if let Ok(programme) = techfund::model::build_elastic(data, sc) {
                for rule in programme.rows.iter().filter_map(|r| r.rule.clone()) {
                    if !matches!(rule, Rule::Budget { .. }) {
                        prop_assert!(listed.contains(&Relaxed::One(rule.clone())), "{rule:?} is not listed in {listed:?}");
                    }
                }
            }
            let Ok(base) = pipeline::solve_scenario(data, sc, &mut Timings::default()) else {
                return Ok(());
            };
            let best = brute_force(data, sc);
            let priced = prices::prices(data, sc, &base, Mode::Quiet);
            prop_assert_eq!(priced.len(), listed.len());
            for (r, p) in listed.iter().zip(&priced) {
                let (bids, without) = prices::without(r, data, sc);
                let bids = bids.as_ref().unwrap_or(data);
                let broken = check(bids, &without, &base.fractions);
                prop_assert!(broken.is_empty(), "without {r:?} the base breaks {broken:?}");
                let (Some((with_best, true)), Some((without_best, true)), Some((price, _, _))) =
                    (best, brute_force(bids, &without), p.price)
                else {
                    continue;
                };
                let want = without_best - with_best;
                prop_assert!(
                    (price - want).abs() <= 1e-6 * with_best.abs().max(without_best.abs()).max(1.0),
                    "{r:?}: priced {price}, brute force {want}"
                );
            }
        }
    }
}
