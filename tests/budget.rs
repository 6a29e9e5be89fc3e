//! Issue 12's budget mechanics end to end, each on a case small enough to work by
//! hand: a bid that fits only if it starts a year late, money carried into the next
//! year that funds a bid there, revenue switched to pay a capital bid, and match
//! funding halving what a bid costs the fund. Each answer is checked again outside the
//! solver, and a plan that breaks a mechanism's cap is refused by the checker.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use techfund::allocation::{check_flexed, Allocation};
use techfund::domain::BudgetLine;
use techfund::pipeline::{self, Timings};
use techfund::scenario::Moves;

const FOOTPRINTS: &str = "footprint_id,name,region,population,readiness,capabilities,infrastructure\nA,Alpha,North,1000000,70,40,60\nB,Beta,South,1000000,80,50,65\n";

/// A work folder with `projects` as the bids and `scenario` as s.toml.
fn folder(projects: &str, scenario: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/footprints.csv"), FOOTPRINTS).unwrap();
    std::fs::write(dir.path().join("data/projects.csv"), projects).unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, scenario).unwrap();
    (dir, path)
}

fn scenario(years: &[&str], budget: &str, extra: &str) -> String {
    let years: Vec<String> = years.iter().map(|y| format!("\"{y}\"")).collect();
    format!(
        "name = \"s\"\ndata = \"data\"\nyears = [{}]\n[budget]\n{budget}\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"all_or_nothing\"\n[solver]\nmip_gap = 0\n{extra}",
        years.join(", ")
    )
}

fn solve(path: &Path) -> Allocation {
    let mut t = Timings::default();
    let inputs = pipeline::load(path, &mut t).unwrap();
    pipeline::solve(&inputs, &mut t).unwrap()
}

fn funded(a: &Allocation) -> Vec<&str> {
    let mut ids: Vec<&str> = a
        .projects
        .iter()
        .filter(|p| p.fraction > 0.5)
        .map(|p| p.project_id.as_str())
        .collect();
    ids.sort();
    ids
}

fn row<'a>(a: &'a Allocation, id: &str) -> &'a techfund::allocation::ProjectAllocation {
    a.projects.iter().find(|p| p.project_id == id).unwrap()
}

const THREE: [&str; 3] = ["2016/17", "2017/18", "2018/19"];

/// X and Y each cost £100k of capital in 2016/17, whose budget is £100k: only one fits
/// on time (X, worth 300). Y may start a year late, into 2017/18's £100k: both, 500.
/// Z may also move, but it spends in 2018/19, the last year, so it cannot.
const PHASED: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,capital_2017_18,capital_2018_19,revenue_2016_17,revenue_2017_18,revenue_2018_19,may_defer\n\
X,A,X,EPR,300,1,100,0,0,0,0,0,\n\
Y,B,Y,EPR,200,1,100,0,0,0,0,0,1\n\
Z,B,Z,EPR,150,1,0,0,100,0,0,0,1\n";

#[test]
fn a_bid_that_fits_only_if_it_starts_late_is_moved() {
    let budget = "capital = [100, 100, 50]";
    let no_phasing = PHASED.replace(",1\n", ",0\n");
    let (_d, path) = folder(&no_phasing, &scenario(&THREE, budget, ""));
    let a = solve(&path);
    assert_eq!(funded(&a), ["X"]);
    assert!(!a.phasing);

    let (_d, path) = folder(PHASED, &scenario(&THREE, budget, ""));
    let a = solve(&path);
    assert_eq!(funded(&a), ["X", "Y"]);
    assert_eq!(a.total_value, 500.0);
    let y = row(&a, "Y");
    assert_eq!(
        (y.start_shift, y.start_year.as_ref().unwrap().label()),
        (1, "2017/18")
    );
    // Its money is in 2017/18, not 2016/17.
    assert_eq!(y.amounts[0], vec![0.0, 100.0, 0.0]);
    assert_eq!(row(&a, "X").start_shift, 0);
    assert!(a.phasing);
    // Z spends in the last year: a move would push its cost past it, so it stays; its
    // £100k does not fit 2018/19's £50k.
    assert_eq!(row(&a, "Z").start_shift, 0);
    assert!(!funded(&a).contains(&"Z"));
}

#[test]
fn latest_start_and_the_scenario_default_move_bids_too() {
    let budget = "capital = [100, 0, 100]";
    // Y may start as late as 2018/19: two years, past 2017/18's empty budget.
    let latest = PHASED
        .replace(",may_defer\n", ",latest_start\n")
        .replace(
            "Y,B,Y,EPR,200,1,100,0,0,0,0,0,1",
            "Y,B,Y,EPR,200,1,100,0,0,0,0,0,2018/19",
        )
        .replace(
            "Z,B,Z,EPR,150,1,0,0,100,0,0,0,1",
            "Z,B,Z,EPR,150,1,0,0,100,0,0,0,",
        );
    let (_d, path) = folder(&latest, &scenario(&THREE, budget, ""));
    let a = solve(&path);
    assert_eq!(funded(&a), ["X", "Y"]);
    assert_eq!(row(&a, "Y").start_shift, 2);
    // No column at all: `[phasing] may_defer` lets every bid move.
    let plain: String = PHASED
        .lines()
        .map(|l| format!("{}\n", &l[..l.rfind(',').unwrap()]))
        .collect();
    let (_d, path) = folder(&plain, &scenario(&THREE, "capital = [100, 100, 50]", ""));
    assert_eq!(funded(&solve(&path)), ["X"]);
    let (_d, path) = folder(
        &plain,
        &scenario(
            &THREE,
            "capital = [100, 100, 50]",
            "[phasing]\nmay_defer = 1\n",
        ),
    );
    let a = solve(&path);
    assert_eq!(funded(&a), ["X", "Y"]);
    // Either may move (both may now): exactly one starts a year late.
    let shifts = [row(&a, "X").start_shift, row(&a, "Y").start_shift];
    assert!(shifts == [0, 1] || shifts == [1, 0], "{shifts:?}");
    assert_eq!(row(&a, "Z").start_shift, 0);
}

/// P1 costs £80k in 2016/17, P2 £120k in 2017/18, each year's budget £100k. Without
/// carry-forward P2 never fits (value 100); carrying 20% lets £20k of 2016/17's unspent
/// money into 2017/18, and P2 fits (300). A 10% cap carries only £10k: P2 still does not.
const CARRIED: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,capital_2017_18,revenue_2016_17,revenue_2017_18\n\
P1,A,P1,EPR,100,1,80,0,0,0\n\
P2,B,P2,EPR,200,1,0,120,0,0\n";

#[test]
fn money_carried_forward_funds_a_bid_the_next_year() {
    let two = ["2016/17", "2017/18"];
    let budget = "capital = [100, 100]";
    let (_d, path) = folder(CARRIED, &scenario(&two, budget, ""));
    assert_eq!(funded(&solve(&path)), ["P1"]);
    let (_d, path) = folder(
        CARRIED,
        &scenario(&two, &format!("{budget}\ncarry_forward_max = 0.2"), ""),
    );
    let a = solve(&path);
    assert_eq!(funded(&a), ["P1", "P2"]);
    assert_eq!(a.total_value, 300.0);
    let carried = a.moves.carried_on(BudgetLine::Capital);
    assert!((carried[0] - 20.0).abs() < 1e-6, "{carried:?}");
    assert_eq!(carried[1], 0.0);
    let (_d, path) = folder(
        CARRIED,
        &scenario(&two, &format!("{budget}\ncarry_forward_max = 0.1"), ""),
    );
    assert_eq!(funded(&solve(&path)), ["P1"]);
}

/// C needs £120k of capital against a £100k capital budget; R needs £30k of revenue
/// against £50k. A switch of up to 40% of revenue (£20k) pays C's last £20k and leaves
/// R its £30k: both (550). Without the switch, only R (50).
const SWITCHED: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17\n\
C,A,C,EPR,500,1,120,0\n\
R,B,R,EPR,50,1,0,30\n";

#[test]
fn revenue_switched_to_capital_funds_a_capital_bid() {
    let one = ["2016/17"];
    let budget = "capital = [100]\nrevenue = [50]";
    let (_d, path) = folder(SWITCHED, &scenario(&one, budget, ""));
    assert_eq!(funded(&solve(&path)), ["R"]);
    let (_d, path) = folder(
        SWITCHED,
        &scenario(&one, &format!("{budget}\nrevenue_to_capital_max = 0.4"), ""),
    );
    let a = solve(&path);
    assert_eq!(funded(&a), ["C", "R"]);
    assert!((a.moves.switched[0] - 20.0).abs() < 1e-6, "{:?}", a.moves);
    // A cap of 30% (£15k) is not enough for C: R alone again.
    let (_d, path) = folder(
        SWITCHED,
        &scenario(&one, &format!("{budget}\nrevenue_to_capital_max = 0.3"), ""),
    );
    assert_eq!(funded(&solve(&path)), ["R"]);
}

/// M costs £200k against a £100k fund and is worth 1000; Q costs £100k and is worth
/// 300. Without match funding only Q fits. Matched 1:1 (its own column, or the
/// scenario's minimum for EPR), M costs the fund £100k and is funded instead.
const MATCHED: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,match_share\n\
M,A,M,EPR,1000,1,200,0,\n\
Q,B,Q,PACS,300,1,100,0,\n";

#[test]
fn match_funding_halves_what_a_bid_costs_the_fund() {
    let one = ["2016/17"];
    let budget = "capital = [100]";
    let (_d, path) = folder(MATCHED, &scenario(&one, budget, ""));
    let a = solve(&path);
    assert_eq!(funded(&a), ["Q"]);
    assert!(!a.matching);
    for (data, extra) in [
        (
            MATCHED.replace("M,A,M,EPR,1000,1,200,0,", "M,A,M,EPR,1000,1,200,0,0.5"),
            "",
        ),
        (
            MATCHED.to_string(),
            "[match]\nmin_share = { \"EPR\" = 0.5 }\n",
        ),
    ] {
        let (_d, path) = folder(&data, &scenario(&one, budget, extra));
        let a = solve(&path);
        assert_eq!(funded(&a), ["M"]);
        let m = row(&a, "M");
        assert_eq!(
            (m.funded, m.local, m.whole_cost, m.cost),
            (100.0, 100.0, 200.0, 100.0)
        );
        assert_eq!(m.match_share, 0.5);
        assert_eq!(a.total_funded, 100.0);
        assert!(a.matching);
    }
}

#[test]
fn the_checker_refuses_moves_beyond_their_caps() {
    let two = ["2016/17", "2017/18"];
    let (_d, path) = folder(
        CARRIED,
        &scenario(&two, "capital = [100, 100]\ncarry_forward_max = 0.2", ""),
    );
    let mut t = Timings::default();
    let inputs = pipeline::load(&path, &mut t).unwrap();
    let (data, sc) = (&inputs.data, &inputs.scenario);
    let both = [1.0, 1.0];
    let mut moves = Moves::none(2);
    // Without the carry, 2017/18 overspends.
    let broken = check_flexed(data, sc, &both, &[0, 0], &moves);
    assert!(
        broken.iter().any(|b| b.contains("capital budget 2017/18")),
        "{broken:?}"
    );
    moves.carried[0][0] = 20.0;
    assert!(check_flexed(data, sc, &both, &[0, 0], &moves).is_empty());
    // More than 20% of £100k.
    moves.carried[0][0] = 25.0;
    let broken = check_flexed(data, sc, &both, &[0, 0], &moves);
    assert!(
        broken.iter().any(|b| b.contains("carried out of 2016/17")),
        "{broken:?}"
    );
    // Money the year did not have: 2016/17 spends £80k and carries £20k, so £21k overspends it.
    moves.carried[0][0] = 20.0;
    moves.switched[0] = 1.0;
    let broken = check_flexed(data, sc, &both, &[0, 0], &moves);
    assert!(
        broken.iter().any(|b| b.contains("switch 2016/17")),
        "{broken:?}"
    );
    // Nothing carried out of the last year, and no start a bid may not take.
    let mut moves = Moves::none(2);
    moves.carried[0][0] = 20.0;
    moves.carried[0][1] = 1.0;
    let broken = check_flexed(data, sc, &both, &[0, 1], &moves);
    assert!(
        broken.iter().any(|b| b.contains("carried out of 2017/18")),
        "{broken:?}"
    );
    assert!(
        broken
            .iter()
            .any(|b| b.contains("P2: starts 1 year(s) late")),
        "{broken:?}"
    );
}

#[test]
fn the_new_scenarios_run_end_to_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["match_funded", "flexible_budget"] {
        let out = tempfile::tempdir().unwrap();
        Command::cargo_bin("techfund")
            .unwrap()
            .current_dir(root)
            .args(["run", &format!("scenarios/{name}.toml"), "--out"])
            .arg(out.path())
            .assert()
            .success();
        let summary = std::fs::read_to_string(out.path().join("summary.md")).unwrap();
        assert!(summary.contains("## Budget flexibility"), "{name}");
        let run = std::fs::read_to_string(out.path().join("run.json")).unwrap();
        assert!(run.contains("\"budget_flexibility\""), "{name}");
        let csv = std::fs::read_to_string(out.path().join("allocation.csv")).unwrap();
        let header = csv.lines().next().unwrap();
        assert_eq!(
            header.ends_with(",match_share,local_total,whole_cost"),
            name == "match_funded"
        );
        let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
        assert!(html.contains("id=\"budget-flexibility\""), "{name}");
        if name == "flexible_budget" {
            // The default data has bids whose cost ends before 2020/21, so a year's
            // deferral is open to them, and the optimum takes it for some.
            assert!(header.ends_with(",start_year,start_shift"), "{header}");
            let late = csv
                .lines()
                .skip(1)
                .filter(|l| l.contains(",funded,") && l.ends_with(",1"))
                .count();
            assert!(late > 0, "no funded bid starts late");
            assert!(
                summary.contains("| Rank | Project | Starts in | Years late |"),
                "{summary}"
            );
            assert!(summary.contains(&format!("- {late} funded bid(s) start later than bid")));
        }
    }
}

#[test]
fn a_phased_run_writes_start_years() {
    let (dir, path) = folder(PHASED, &scenario(&THREE, "capital = [100, 100, 50]", ""));
    let out = dir.path().join("out");
    Command::cargo_bin("techfund")
        .unwrap()
        .args(["run"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("allocation.csv")).unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",start_year,start_shift"),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.contains(",Y,") && l.ends_with(",2017/18,1")),
        "{csv}"
    );
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        summary.contains("| Rank | Project | Starts in | Years late |"),
        "{summary}"
    );
}

#[test]
fn bad_budget_input_exits_2_without_a_report() {
    let one = ["2016/17"];
    for (data, extra) in [
        (
            MATCHED.replace("M,A,M,EPR,1000,1,200,0,", "M,A,M,EPR,1000,1,200,0,1.5"),
            "",
        ),
        (
            MATCHED.replace("M,A,M,EPR,1000,1,200,0,", "M,A,M,EPR,1000,1,200,0,lots"),
            "",
        ),
        (
            MATCHED.to_string(),
            "[match]\nmin_share = { \"EPR\" = -1 }\n",
        ),
    ] {
        let (dir, path) = folder(&data, &scenario(&one, "capital = [100]", extra));
        let out = dir.path().join("out");
        Command::cargo_bin("techfund")
            .unwrap()
            .args(["run"])
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        assert!(!out.exists());
    }
}

/// The appraisal discounts a moved bid's whole profile from its new start: Y, moved a
/// year, is worth its benefit of 200 (a present value at its start) discounted one
/// year at 3.5%, and its £100k of capital is spent a year later too. The npv objective
/// values Y the same way: it once refused movable starts (it valued every bid as bid)
/// and now counts each start's own NPSV.
#[test]
fn the_appraisal_follows_a_moved_start_and_npv_values_it() {
    let budget = "capital = [100, 100, 50]";
    let (_d, path) = folder(
        PHASED,
        // No delay for duration bias: the figures below are the discounting of the move.
        &scenario(
            &THREE,
            budget,
            "[appraisal]\noptimism_bias = 0\nduration_bias = 0\n",
        ),
    );
    let a = solve(&path);
    assert_eq!(row(&a, "Y").start_shift, 1);
    let ap = a.appraisal.as_ref().expect("the scenario appraises");
    let y = ap.rows.iter().find(|r| r.project_id == "Y").unwrap();
    let x = ap.rows.iter().find(|r| r.project_id == "X").unwrap();
    let d1 = 1.0 / 1.035;
    assert!((x.measures.pv_benefit_noncash - 300.0).abs() < 1e-9);
    assert!((y.measures.pv_benefit_noncash - 200.0 * d1).abs() < 1e-9);
    assert!((y.measures.pv_cost_whole_life - 100.0 * d1).abs() < 1e-9);

    // The default appraisal (3.5%, +10% optimism bias on capital) without its duration
    // bias, so that only the move delays Y. X on time is worth 300 − 110 = 190; Y a
    // year late (200 − 110) / 1.035 = 86.96; Z spends £100k in 2018/19, beyond its
    // £50k, and cannot move (its year is the last).
    let npv = scenario(&THREE, budget, "[appraisal]\nduration_bias = 0\n")
        .replace("kind = \"benefit\"", "kind = \"npv\"");
    let (_d, path) = folder(PHASED, &npv);
    let a = solve(&path);
    assert_eq!(funded(&a), ["X", "Y"]);
    assert_eq!(row(&a, "Y").start_shift, 1);
    let want = 190.0 + 90.0 / 1.035;
    assert!((a.total_value - want).abs() < 1e-6, "{}", a.total_value);
    assert!((row(&a, "Y").value - 90.0 / 1.035).abs() < 1e-6);
    let ap = a.appraisal.as_ref().unwrap();
    assert!((ap.total.npsv() - want).abs() < 1e-6, "{}", ap.total.npsv());
}

/// One match-funded bid that may start a year late, whose on-time start its budgets
/// cannot take, under the npv objective: the model must move it and value it at its
/// NPSV from the later start, worked out here by hand.
///
/// D asks £100k capital in 2016/17 and £20k revenue in 2017/18; half is paid locally
/// (match_share 0.5), so the fund pays £50k and £10k. The budgets hold £40k capital in
/// 2016/17 and £60k in 2017/18, no revenue until £10k in 2018/19: on time it does not
/// fit; a year late it does exactly (£50k of £60k capital in 2017/18, £10k of £10k
/// revenue in 2018/19).
///
/// The appraisal counts the whole cost, whoever pays (Green Book), at a flat 10% from
/// 2016/17 (year 0), with +50% optimism bias on capital (not in the budget). A year
/// late, every year of D's profile moves one year later:
///   capital  100 × 1.5 = 150 in year 1:            150 / 1.1     = 136.3636
///   revenue  20 in year 2:                          20 / 1.1²     =  16.5289
///   running cost 10 a year for 2 years after the fund's last year (2018/19, year 2),
///   moved a year: years 4 and 5:          10 / 1.1⁴ + 10 / 1.1⁵ =  13.0393
///   cash benefit 150 bid for 2017/18, now year 2:  150 / 1.1²     = 123.9669
///   non-cash 100 bid for 2018/19, now year 3:      100 / 1.1³     =  75.1315
/// NPSV(shift 1) = 123.9669 + 75.1315 − 136.3636 − 16.5289 − 13.0393 = 33.1665.
/// On time (shift 0) each figure would be 1.1 times larger (the period of 10 years
/// cuts nothing off): NPSV(0) = 36.4832, which the model would rather have. Given the
/// budget for it, it takes it.
#[test]
fn npv_moves_a_bid_the_budget_cannot_take_on_time_and_values_it_from_there() {
    let projects = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,capital_2017_18,capital_2018_19,revenue_2016_17,revenue_2017_18,revenue_2018_19,match_share,may_defer,running_cost,life_years,benefit_cash_2017_18,benefit_noncash_2018_19\n\
D,A,D,EPR,0,1,100,0,0,0,20,0,0.5,1,10,2,150,100\n";
    let appraisal = "[appraisal]\nperiod = 10\nbase_year = \"2016/17\"\ndiscount = [{ from_year = 0, rate = 0.1 }]\noptimism_bias = 0.5\noptimism_bias_in_budget = false\nduration_bias = 0\n";
    let npv = |budget: &str| {
        scenario(&THREE, budget, appraisal).replace("kind = \"benefit\"", "kind = \"npv\"")
    };
    let by_hand = 150.0 / 1.1f64.powi(2) + 100.0 / 1.1f64.powi(3)
        - 150.0 / 1.1
        - 20.0 / 1.1f64.powi(2)
        - 10.0 / 1.1f64.powi(4)
        - 10.0 / 1.1f64.powi(5);
    assert!((by_hand - 33.1665).abs() < 1e-4, "{by_hand}");

    let (_d, path) = folder(
        projects,
        &npv("capital = [40, 60, 0]\nrevenue = [0, 0, 10]"),
    );
    let a = solve(&path);
    assert_eq!(funded(&a), ["D"]);
    let d = row(&a, "D");
    assert_eq!(d.start_shift, 1);
    // The fund's share, a year late.
    assert_eq!(d.amounts, vec![vec![0.0, 50.0, 0.0], vec![0.0, 0.0, 10.0]]);
    assert!((a.total_value - by_hand).abs() < 1e-9, "{}", a.total_value);
    assert!(
        (a.solver.objective - by_hand).abs() < 1e-6,
        "{}",
        a.solver.objective
    );
    let ap = a.appraisal.as_ref().unwrap();
    assert!((ap.total.npsv() - by_hand).abs() < 1e-9);
    // The independent checker agrees the plan keeps every rule.
    let (data, sc) = {
        let inputs = pipeline::load(&path, &mut Timings::default()).unwrap();
        (inputs.data, inputs.scenario)
    };
    let none = Moves::none(3);
    assert!(check_flexed(&data, &sc, &[1.0], &[1], &none).is_empty());
    assert!(!check_flexed(&data, &sc, &[1.0], &[0], &none).is_empty());

    // With the budget to start on time, the on-time start is worth more, and taken.
    let (_d, path) = folder(
        projects,
        &npv("capital = [50, 60, 0]\nrevenue = [0, 10, 10]"),
    );
    let a = solve(&path);
    assert_eq!(row(&a, "D").start_shift, 0);
    assert!(
        (a.total_value - 1.1 * by_hand).abs() < 1e-9,
        "{}",
        a.total_value
    );
}

/// Under match funding the appraisal's "PV of costs to the fund" is the fund's central
/// share; the whole-life cost, by which the Green Book judges the bid, is the whole.
#[test]
fn the_appraisal_counts_the_fund_share_and_the_whole_cost() {
    let projects = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,match_share\nM,A,M,EPR,300,1,100,0,0.5\n";
    let (_d, path) = folder(
        projects,
        &scenario(
            &["2016/17"],
            "capital = [100]",
            "[appraisal]\noptimism_bias = 0\n",
        ),
    );
    let a = solve(&path);
    let m = &a.appraisal.as_ref().unwrap().rows[0].measures;
    assert_eq!((m.pv_cost_fund, m.pv_cost_whole_life), (50.0, 100.0));
}

/// Bids of every kind the mechanics move: D match funded and movable (as in the
/// hand-worked case above), Y and W movable, Z match funded and movable.
const MIXED: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,capital_2017_18,capital_2018_19,revenue_2016_17,revenue_2017_18,revenue_2018_19,match_share,may_defer,running_cost,life_years,benefit_cash_2017_18,benefit_noncash_2018_19\n\
D,A,D,EPR,0,1,100,0,0,0,20,0,0.5,1,10,2,150,100\n\
X,A,X,EPR,300,1,100,0,0,0,0,0,,,,,,\n\
Y,B,Y,EPR,200,1,100,0,0,0,0,0,,1,,,,\n\
Z,B,Z,PACS,150,1,0,60,40,0,0,0,0.25,1,,,,\n\
W,A,W,PACS,120,1,40,40,0,10,0,0,,2,,,,\n";

/// Regression: the re-solves behind `--marginal-values` run on one kept HiGHS model,
/// built in the base scenario's money unit, and read money carried forward and
/// switched in the changed scenario's unit, so every answer that moved money "broke"
/// its budgets and was not measured. Each value of £1m more must now be measured, and
/// equal to the changed scenario solved on its own less the base (npv objective, starts
/// and money moving).
#[test]
fn marginal_values_with_moved_money_and_starts_are_measured() {
    let budget = "capital = [150, 160, 60]\nrevenue = [10, 10, 10]\ncarry_forward_max = 0.5\nrevenue_to_capital_max = 0.5";
    let toml = |budget: &str| {
        scenario(
            &THREE,
            budget,
            "[appraisal]\ndiscount = [{ from_year = 0, rate = 0.1 }]\n",
        )
        .replace("kind = \"benefit\"", "kind = \"npv\"")
    };
    let (dir, path) = folder(MIXED, &toml(budget));
    let out = dir.path().join("out");
    Command::cargo_bin("techfund")
        .unwrap()
        .args(["run"])
        .arg(&path)
        .args(["--marginal-values", "--out"])
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("marginal_values.csv")).unwrap();
    assert!(!csv.contains("breaks"), "{csv}");
    let base = solve(&path).total_value;
    let next_1m = |line: &str, year: &str| -> f64 {
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{year},{line},")))
            .unwrap();
        row.split(',').nth(2).unwrap().parse().unwrap()
    };
    for (line, year, changed) in [
        ("capital", "2017/18", "capital = [150, 1160, 60]"),
        ("revenue", "2016/17", "revenue = [1010, 10, 10]"),
    ] {
        let from = if line == "capital" {
            "capital = [150, 160, 60]"
        } else {
            "revenue = [10, 10, 10]"
        };
        let (_d, path) = folder(MIXED, &toml(&budget.replace(from, changed)));
        let more = solve(&path).total_value - base;
        assert!(more > 1.0, "{line} {year}: {more}");
        // marginal_values.csv gives one decimal place.
        assert!(
            (next_1m(line, year) - more).abs() < 0.051,
            "{line} {year}: {more}\n{csv}"
        );
    }
}

#[test]
fn an_infeasible_run_names_a_latest_start_with_the_start_that_fits() {
    // X must be funded, £100k of capital when it starts, and may start a year late:
    // 2016/17 and 2017/18 have £50k each, 2018/19 £200k. The refusal names X's latest
    // start with the year that fits, in the bid's own column.
    let projects = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,capital_2017_18,capital_2018_19,revenue_2016_17,revenue_2017_18,revenue_2018_19,must_fund,may_defer\n\
X,A,X,EPR,300,1,100,0,0,0,0,0,true,1\n\
Y,B,Y,EPR,200,1,30,0,0,0,0,0,,\n";
    let (dir, path) = folder(projects, &scenario(&THREE, "capital = [50, 50, 200]", ""));
    let assert = Command::cargo_bin("techfund")
        .unwrap()
        .args(["run"])
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for line in [
        "these rules cannot all be kept together (a smallest such set: without any one of them the others can be kept):",
        "  - the latest start of project X (£100k, projects.csv line 2): 2017/18, 1 year late (may_defer = 1) — alone, letting X start in 2018/19 (for X in projects.csv line 2, may_defer = 2 or latest_start = 2018/19) allows an allocation",
        "  - the 2017/18 capital budget of £50k — alone, raising it by £50k (to £100k) in [budget] capital allows an allocation",
    ] {
        assert!(stderr.contains(line), "{line}\nnot in\n{stderr}");
    }
    assert!(!dir.path().join("out").exists());
}

/// Under the benefit objective a bid is worth the same at every start, so among the
/// allocations of the optimum's value the one with the fewest years late is chosen:
/// eight bids of £10k capital in 2016/17, each free to start up to two years late.
/// With £100k a year all start as bid; with £50k in 2016/17 three must move, each by
/// one year (2017/18 has room for all three), and none by two.
#[test]
fn bids_start_as_bid_unless_the_budget_needs_the_move() {
    let mut projects = String::from("project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,capital_2017_18,capital_2018_19,revenue_2016_17,revenue_2017_18,revenue_2018_19,may_defer\n");
    for i in 0..8 {
        projects.push_str(&format!("B{i},A,B{i},EPR,{},1,10,0,0,0,0,0,2\n", 100 + i));
    }
    for (budget, late) in [
        ("capital = [100, 100, 100]", 0),
        ("capital = [50, 100, 100]", 3),
    ] {
        let (_d, path) = folder(&projects, &scenario(&THREE, budget, ""));
        let a = solve(&path);
        assert_eq!(funded(&a).len(), 8, "{budget}");
        let shifts: Vec<usize> = (0..8)
            .map(|i| row(&a, &format!("B{i}")).start_shift)
            .collect();
        assert_eq!(shifts.iter().sum::<usize>(), late, "{budget}: {shifts:?}");
        assert!(shifts.iter().all(|&s| s <= 1), "{budget}: {shifts:?}");
    }
}
