//! `techfund explain` and the marginal values on hand-built cases whose answers are
//! known exactly (worked out in the comments), and the command end to end.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn techfund() -> Command {
    Command::cargo_bin("techfund").unwrap()
}

/// One year, capital only, benefit objective, solved exactly. Footprint F1 bids
/// A (cost 6, benefit 60), B (4, 30), C (5, 40) and D (5, 20); footprint F2 bids only
/// E (2, 5), and every footprint has a floor of £2k, so E must be funded. The budget
/// is £12k: E takes 2, and the best use of the other 10 is A + B (90): value 95.
///
/// - Lock out A: E + B + C = 75, so A's replacement cost is 20.
/// - Lock out B: E + A (4 left, nothing fits) or E + C + D: 65, so 30.
/// - Lock out E: F2's floor cannot be met: irreplaceable.
/// - Lock in C: E + C + B = 75, a forced-in loss of 20; lock in D: E + D + C = 65, 30.
///   Both collide with the 2016/17 capital budget (A and B use all of it).
const PROJECTS: &str =
    "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17
A,F1,Bid A,EPR,60,1,6,0
B,F1,Bid B,EPR,30,1,4,0
C,F1,Bid C,EPR,40,1,5,0
D,F1,Bid D,EPR,20,1,5,0
E,F2,Bid E,Infrastructure,5,1,2,0
";

const FOOTPRINTS: &str = "footprint_id,name,region,population,readiness,capabilities,infrastructure
F1,First,North,1000,50,50,50
F2,Second,South,1000,50,50,50
";

fn scenario(extra: &str) -> String {
    format!(
        "name = \"hand\"\ndata = \"hand\"\nyears = [\"2016/17\"]\n[budget]\ncapital = [12]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"all_or_nothing\"\n[rules.footprint_floor]\namount = 2\n[solver]\nmip_gap = 0\n{extra}"
    )
}

fn workdir(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("hand")).unwrap();
    std::fs::write(dir.path().join("hand/projects.csv"), PROJECTS).unwrap();
    std::fs::write(dir.path().join("hand/footprints.csv"), FOOTPRINTS).unwrap();
    std::fs::write(dir.path().join("hand.toml"), scenario(extra)).unwrap();
    dir
}

/// explain.csv as rows keyed by project id, each a map from column to cell.
fn rows(path: &Path) -> HashMap<String, HashMap<String, String>> {
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
            (row["project_id"].clone(), row)
        })
        .collect()
}

#[test]
fn replacement_costs_forced_in_losses_and_an_irreplaceable_bid_are_exact() {
    let dir = workdir("");
    let out = techfund()
        .current_dir(dir.path())
        .args(["explain", "hand.toml", "--out", "ex"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    // 3 funded bids locked out and 2 unfunded locked in.
    assert!(stdout.contains("with 5 re-solves"), "{stdout}");
    let rows = rows(&dir.path().join("ex/explain.csv"));
    assert_eq!(rows.len(), 5);
    let cell = |id: &str, col: &str| rows[id][col].clone();
    assert_eq!(cell("A", "replacement_cost"), "20.0");
    assert_eq!(cell("B", "replacement_cost"), "30.0");
    assert_eq!(cell("E", "replacement_cost"), "irreplaceable");
    assert!(
        cell("E", "collides_with").contains("floor for footprint F2"),
        "{}",
        cell("E", "collides_with")
    );
    assert_eq!(cell("C", "forced_in_loss"), "20.0");
    assert_eq!(cell("D", "forced_in_loss"), "30.0");
    for id in ["C", "D"] {
        assert_eq!(cell(id, "collides_with"), "capital budget 2016/17");
        assert_eq!(cell(id, "replacement_cost"), "");
    }
    for id in ["A", "B", "C", "D"] {
        assert_eq!(cell(id, "solve_status"), "optimal");
        assert_eq!(cell(id, "gap"), "0.000000");
    }
    // Locked out, A is replaced by C.
    assert_eq!(cell("A", "enters_if_locked"), "C");
    for name in ["explain.md", "explain.html", ".techfund"] {
        assert!(dir.path().join("ex").join(name).exists(), "{name}");
    }
}

#[test]
fn named_projects_only_are_explained() {
    let dir = workdir("");
    techfund()
        .current_dir(dir.path())
        .args(["explain", "hand.toml", "C", "A", "--out", "ex", "--quiet"])
        .assert()
        .success()
        .stdout("");
    let rows = rows(&dir.path().join("ex/explain.csv"));
    let mut ids: Vec<&String> = rows.keys().collect();
    ids.sort();
    assert_eq!(ids, ["A", "C"]);
}

#[test]
fn bad_input_is_refused_with_exit_code_2_and_nothing_written() {
    let dir = workdir("");
    let out = techfund()
        .current_dir(dir.path())
        .args(["explain", "hand.toml", "NOPE", "--out", "ex"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("`NOPE` is not in"), "{stderr}");
    assert!(!dir.path().join("ex").exists());
    techfund()
        .current_dir(dir.path())
        .args(["explain", "hand.toml", "--mip-gap", "2"])
        .assert()
        .code(2);
    // A folder techfund did not write is refused before anything is solved.
    std::fs::create_dir_all(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/notes.txt"), "keep me").unwrap();
    techfund()
        .current_dir(dir.path())
        .args(["explain", "hand.toml", "--out", "mine"])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine/notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn the_library_agrees_with_brute_force_on_every_lock() {
    use techfund::allocation::frontier::Resolved;
    use techfund::batch::resolve::{solve_near, Near};
    use techfund::pipeline::{self, Timings};
    let dir = workdir("");
    let inputs = pipeline::load(&dir.path().join("hand.toml"), &mut Timings::default()).unwrap();
    let (data, scenario) = (&inputs.data, &inputs.scenario);
    let base = pipeline::solve_scenario(data, scenario, &mut Timings::default()).unwrap();
    assert_eq!(base.value, 95.0);
    // The best value with each bid held in or out, by trying every subset.
    let cost = [6.0, 4.0, 5.0, 5.0, 2.0];
    let benefit = [60.0, 30.0, 40.0, 20.0, 5.0];
    let best = |p: usize, funded: bool| -> Option<f64> {
        (0u32..32)
            .filter(|s| (s >> p & 1 == 1) == funded && s >> 4 & 1 == 1)
            .filter(|s| (0..5).map(|i| cost[i] * f64::from(s >> i & 1)).sum::<f64>() <= 12.0)
            .filter(|s| s & 0b1111 != 0)
            .map(|s| (0..5).map(|i| benefit[i] * f64::from(s >> i & 1)).sum())
            .max_by(f64::total_cmp)
    };
    // Every lock on one kept model, in an order that changes the model back and forth,
    // and each again on a model of its own: the two must agree with each other and
    // with brute force.
    let near = Near::new(data, scenario);
    for p in 0..5 {
        for funded in [false, true] {
            let mut changed = scenario.clone();
            changed
                .holds
                .push(techfund::scenario::Hold { project: p, funded });
            let fresh = solve_near(data, &changed, &base.columns);
            let got = near.locked(&base, p, funded);
            match (&fresh, &got) {
                (Resolved::Solved(f), Resolved::Solved(k)) => assert_eq!(f.value, k.value),
                (Resolved::Infeasible(_), Resolved::Infeasible(_)) => {}
                _ => panic!("project {p} locked {funded}: fresh {fresh:?}, kept {got:?}"),
            }
            match (best(p, funded), got) {
                (Some(v), Resolved::Solved(a)) => assert_eq!(a.value, v, "{p} {funded}"),
                (None, Resolved::Infeasible(_)) => {}
                (want, got) => panic!("project {p} locked {funded}: want {want:?}, got {got:?}"),
            }
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_tiny_fixture_has_golden_explain_files() {
    let dir = crate::tiny_workdir();
    techfund()
        .current_dir(dir.path())
        .args(["explain", "tiny.toml", "--out", "ex", "--quiet"])
        .assert()
        .success();
    for name in ["explain.csv", "explain.md"] {
        let got = std::fs::read_to_string(dir.path().join("ex").join(name)).unwrap();
        let path = root().join("tests/golden/explain").join(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
        assert!(got == want, "{name} differs from its golden file\n{got}");
    }
}

mod marginal_values {
    use super::*;

    /// Two years. 2016/17 as in the explain case, scaled to £k thousands (A 6,000,
    /// B 4,000, C 5,000, D 5,000, E 2,000 with the floor of £2,000k forcing E), budget
    /// £12,000k: E + A + B, worth 95. In 2017/18 only G (£1,500k, benefit 15) spends,
    /// against £2,000k: funded. Value 110.
    ///
    /// - 2016/17 +£1m (13,000): E + A + C = 105, so the next £1m is worth 10.
    /// - 2016/17 −£1m (11,000): E + B + C = 75, so the last £1m is worth 20.
    /// - 2017/18 +£1m: nothing more to buy, 0; −£1m (1,000): G no longer fits, 15.
    const PROJECTS: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,capital_2017_18,revenue_2016_17,revenue_2017_18
A,F1,Bid A,EPR,60,1,6000,0,0,0
B,F1,Bid B,EPR,30,1,4000,0,0,0
C,F1,Bid C,EPR,40,1,5000,0,0,0
D,F1,Bid D,EPR,20,1,5000,0,0,0
E,F2,Bid E,Infrastructure,5,1,2000,0,0,0
G,F1,Bid G,Infrastructure,15,1,0,1500,0,0
";

    fn workdir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("two")).unwrap();
        std::fs::write(dir.path().join("two/projects.csv"), PROJECTS).unwrap();
        std::fs::write(dir.path().join("two/footprints.csv"), FOOTPRINTS).unwrap();
        std::fs::write(
            dir.path().join("two.toml"),
            "name = \"two\"\ndata = \"two\"\nyears = [\"2016/17\", \"2017/18\"]\n[budget]\ncapital = [12000, 2000]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"all_or_nothing\"\n[rules.footprint_floor]\namount = 2000\n[solver]\nmip_gap = 0\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn the_value_of_the_next_and_last_million_in_each_year_is_exact() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args([
                "run",
                "two.toml",
                "--marginal-values",
                "--out",
                "out",
                "--quiet",
            ])
            .assert()
            .success();
        let mut r = csv::Reader::from_path(dir.path().join("out/marginal_values.csv")).unwrap();
        let got: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect();
        let want = [
            ["2016/17", "capital", "10.0", "20.0"],
            ["2017/18", "capital", "0.0", "15.0"],
        ];
        assert_eq!(got.len(), 2);
        for (g, w) in got.iter().zip(want) {
            assert_eq!([&g[0], &g[1], &g[2], &g[5]], w.map(String::from).each_ref());
            assert_eq!((&g[8][..], &g[9][..]), ("optimal", "0.000000"));
        }
        let summary = std::fs::read_to_string(dir.path().join("out/summary.md")).unwrap();
        assert!(
            summary.contains("## The value of each year's money")
                && summary.contains("| 2016/17 | capital | 10 | 20 |"),
            "{summary}"
        );
        let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
        assert!(html.contains("<h2>The value of each year's money</h2>"));
        use calamine::{Reader, Xlsx};
        let mut wb: Xlsx<_> =
            calamine::open_workbook(dir.path().join("out/allocation.xlsx")).unwrap();
        let sheet = wb.worksheet_range("Marginal values").unwrap();
        assert_eq!(sheet.get_value((1, 2)), Some(&calamine::Data::Float(10.0)));
    }

    #[test]
    fn a_run_without_the_flag_stays_fast_and_writes_no_marginal_values() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "two.toml", "--out", "out", "--quiet"])
            .assert()
            .success();
        assert!(!dir.path().join("out/marginal_values.csv").exists());
    }

    #[test]
    fn the_tiny_fixture_has_a_golden_marginal_values_csv() {
        let dir = crate::tiny_workdir();
        techfund()
            .current_dir(dir.path())
            .args([
                "run",
                "tiny.toml",
                "--marginal-values",
                "--out",
                "out",
                "--quiet",
            ])
            .assert()
            .success();
        let got = std::fs::read_to_string(dir.path().join("out/marginal_values.csv")).unwrap();
        let path = root().join("tests/golden/run-marginal/marginal_values.csv");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
        assert!(
            got == want,
            "marginal_values.csv differs from its golden file\n{got}"
        );
    }
}

#[test]
fn explain_writes_a_workbook_and_the_replacement_cost_chart() {
    use calamine::{Data, Reader, Xlsx};
    let dir = crate::tiny_workdir();
    techfund()
        .current_dir(dir.path())
        .args(["explain", "tiny.toml", "--out", "ex", "--quiet"])
        .assert()
        .success();
    let ex = dir.path().join("ex");
    let mut wb: Xlsx<_> = calamine::open_workbook(ex.join("explain.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["Explain", "Charts"]);
    let sheet = wb.worksheet_range("Explain").unwrap();
    let csv = std::fs::read_to_string(ex.join("explain.csv")).unwrap();
    // Every row of explain.csv, in the same order, with its figures as numbers.
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(sheet.height(), rows.len() + 1);
    let mut irreplaceable = 0;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        assert_eq!(
            sheet.get_value((r, 0)),
            Some(&Data::String(row[0].to_string()))
        );
        let fraction: f64 = row[5].parse().unwrap();
        assert_eq!(sheet.get_value((r, 5)), Some(&Data::Float(fraction)));
        match row[9] {
            "" => assert!(sheet.get_value((r, 9)).is_none_or(|c| *c == Data::Empty)),
            "irreplaceable" => {
                irreplaceable += 1;
                assert_eq!(
                    sheet.get_value((r, 9)),
                    Some(&Data::String("irreplaceable".into()))
                );
            }
            cost => match sheet.get_value((r, 9)) {
                Some(Data::Float(x)) => {
                    assert!(
                        (x - cost.parse::<f64>().unwrap()).abs() < 0.05,
                        "{x} {cost}"
                    )
                }
                other => panic!("replacement cost of {} as {other:?}", row[0]),
            },
        }
    }
    assert!(irreplaceable > 0, "the tiny fixture's must-fund bid S3");
    // The chart, as a file and inline in the page.
    let svg = std::fs::read_to_string(ex.join("charts/replacement_cost.svg")).unwrap();
    assert!(svg.contains("Replacement cost of each funded project"));
    assert!(ex.join("charts/replacement_cost.png").exists());
    let html = std::fs::read_to_string(ex.join("explain.html")).unwrap();
    assert!(html.contains("<figure id=\"chart-replacement_cost\""));
}
