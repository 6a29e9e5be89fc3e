//! Robustness under uncertainty (`[uncertainty]`) on hand-built cases whose core
//! indices are known (worked out in the comments), determinism by seed and thread
//! count, and the command end to end.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::Path;
use techfund::batch::uncertainty::draw;
use techfund::pipeline::{self, Timings};

fn techfund() -> Command {
    Command::cargo_bin("techfund").unwrap()
}

/// One year, capital only, benefit objective, solved exactly, budget £10k.
/// A (cost 5, benefit 100) always fits and is worth most: core.
/// B (cost 4, benefit 40) fits beside A while its cost is at most 5, that is while its
/// overrun is at most 0.25.
/// C (cost 6, benefit 1) never fits beside A, and alone is worth less: exterior.
/// So B's core index is the share of draws whose overrun for B is at most 0.25, and the
/// base allocation (A + B, £9k at the costs bid) overruns in exactly the other draws.
const PROJECTS: &str =
    "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17
A,F1,Bid A,EPR,100,1,5,0
B,F1,Bid B,Wi-Fi,40,1,4,0
C,F2,Bid C,Wi-Fi,1,1,6,0
";

const FOOTPRINTS: &str = "footprint_id,name,region,population,readiness,capabilities,infrastructure
F1,First,North,1000,50,50,50
F2,Second,South,1000,50,50,50
";

fn scenario(uncertainty: &str) -> String {
    format!(
        "name = \"hand\"\ndata = \"hand\"\nyears = [\"2016/17\"]\n[budget]\ncapital = [10]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"all_or_nothing\"\n[solver]\nmip_gap = 0\n{uncertainty}"
    )
}

/// B's overrun uniform from 0 to 100%: P(overrun ≤ 0.25) = 0.25. A and C fixed.
fn uniform_b(draws: usize, seed: u64) -> String {
    format!(
        "[uncertainty]\ndraws = {draws}\nseed = {seed}\n[uncertainty.cost_overrun.project]\nA = {{ low = 0.0, mode = 0.0, high = 0.0 }}\nB = {{ low = 0.0, high = 1.0 }}\n"
    )
}

fn workdir(uncertainty: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("hand")).unwrap();
    std::fs::write(dir.path().join("hand/projects.csv"), PROJECTS).unwrap();
    std::fs::write(dir.path().join("hand/footprints.csv"), FOOTPRINTS).unwrap();
    std::fs::write(dir.path().join("hand.toml"), scenario(uncertainty)).unwrap();
    dir
}

/// A CSV as rows keyed by the first column, each a map from column to cell.
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
            (rec[0].to_string(), row)
        })
        .collect()
}

fn run(dir: &Path, out: &str, threads: &str) {
    techfund()
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .args(["run", "hand.toml", "--quiet", "--out", out])
        .assert()
        .success();
}

#[test]
fn core_index_is_one_zero_and_the_drawn_share_in_between() {
    let draws = 400;
    let dir = workdir(&uniform_b(draws, 7));
    run(dir.path(), "r", "2");
    let core = rows(&dir.path().join("r/core_index.csv"));
    let cell = |id: &str, col: &str| core[id][col].clone();
    assert_eq!(
        (cell("A", "core_index"), cell("A", "class")),
        ("1.0000".into(), "core".into())
    );
    assert_eq!(
        (cell("C", "core_index"), cell("C", "class")),
        ("0.0000".into(), "exterior".into())
    );
    assert_eq!(cell("B", "class"), "borderline");
    assert_eq!(cell("B", "funded_in_base"), "true");
    assert_eq!(cell("C", "funded_in_base"), "false");
    assert_eq!(cell("B", "draws_solved"), draws.to_string());

    // Exactly: the draws whose overrun for B keeps its cost within the £5k A leaves.
    let mut timings = Timings::default();
    let inputs = pipeline::load(&dir.path().join("hand.toml"), &mut timings).unwrap();
    let u = inputs.scenario.uncertainty.clone().unwrap();
    let b = inputs
        .data
        .projects
        .iter()
        .position(|p| p.id == "B")
        .unwrap();
    let fits = (0..draws)
        .filter(|&d| {
            let drawn = draw(&inputs.data, &u, d);
            assert_eq!(drawn[0].0, 0.0, "A's overrun is fixed at 0");
            4.0 * (1.0 + drawn[b].0) <= 5.0 + 1e-9
        })
        .count();
    assert_eq!(cell("B", "funded_draws"), fits.to_string());
    // And near the probability the distribution gives (0.25): 400 draws put the share
    // within ±0.1 of it (4.6 standard deviations), while a run that ignored the
    // overrun (1) or always applied the most (0) is far outside.
    let index: f64 = cell("B", "core_index").parse().unwrap();
    assert!((index - 0.25).abs() < 0.1, "{index}");

    // The base allocation (A + B) overruns the budget in exactly the other draws.
    let spread = rows(&dir.path().join("r/uncertainty.csv"));
    let chance: f64 = spread["spend"]["base_overrun_chance"].parse().unwrap();
    assert!(
        (chance - (draws - fits) as f64 / draws as f64).abs() < 1e-9,
        "{chance}"
    );
    // Every draw funds A, and B when it fits: spend is 5 + B's drawn cost, or 5.
    let median: f64 = spread["spend"]["p50"].parse().unwrap();
    assert!((5.0..=10.0).contains(&median), "{median}");
}

#[test]
fn degenerate_distributions_give_exact_answers() {
    // Every overrun fixed at 50%: B costs 6 and never fits beside A (7.5); C costs 9.
    let dir = workdir(
        "[uncertainty]\ndraws = 20\nseed = 1\n[uncertainty.cost_overrun]\nall = { low = 0.5, mode = 0.5, high = 0.5 }\n",
    );
    run(dir.path(), "r", "2");
    let core = rows(&dir.path().join("r/core_index.csv"));
    let classes: Vec<(String, String, String)> = ["A", "B", "C"]
        .iter()
        .map(|id| {
            (
                id.to_string(),
                core[*id]["core_index"].clone(),
                core[*id]["class"].clone(),
            )
        })
        .collect();
    assert_eq!(
        classes,
        [
            ("A".into(), "1.0000".into(), "core".into()),
            ("B".into(), "0.0000".into(), "exterior".into()),
            ("C".into(), "0.0000".into(), "exterior".into()),
        ]
    );
    let spread = rows(&dir.path().join("r/uncertainty.csv"));
    // The base (A + B) costs 13.5 > 10 in every draw; each draw spends A's 7.5; the
    // value of every draw is A's 100.
    assert_eq!(spread["spend"]["base_overrun_chance"], "1.0000");
    for col in ["mean", "p5", "p50", "p95"] {
        assert_eq!(spread["spend"][col], "7.500", "{col}");
        assert_eq!(spread["total_value"][col], "100.000", "{col}");
    }
    // Benefits halved for A only: B + C (cost 10, value 41) still lose to A (50).
    let dir = workdir(
        "[uncertainty]\ndraws = 5\nseed = 1\n[uncertainty.benefit.project]\nA = { low = 0.5, mode = 0.5, high = 0.5 }\n",
    );
    run(dir.path(), "r", "1");
    let spread = rows(&dir.path().join("r/uncertainty.csv"));
    assert_eq!(
        spread["total_value"]["p50"], "90.000",
        "A at 50 and B at 40"
    );
}

#[test]
fn infeasible_draws_are_counted_not_hidden() {
    // A must be funded; an overrun of at least 120% makes it cost 11 > 10 in every draw.
    let dir = workdir(
        "[uncertainty]\ndraws = 6\nseed = 3\n[uncertainty.cost_overrun.project]\nA = { low = 1.2, high = 1.5 }\n",
    );
    std::fs::write(
        dir.path().join("hand/projects.csv"),
        "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,must_fund
A,F1,Bid A,EPR,100,1,5,0,true
B,F1,Bid B,Wi-Fi,40,1,4,0,
C,F2,Bid C,Wi-Fi,1,1,6,0,
",
    )
    .unwrap();
    run(dir.path(), "r", "2");
    let summary = std::fs::read_to_string(dir.path().join("r/summary.md")).unwrap();
    assert!(
        summary.contains("0 of 6 draws solved; 6 had no allocation that keeps every rule"),
        "{summary}"
    );
    let core = rows(&dir.path().join("r/core_index.csv"));
    assert_eq!(core["A"]["class"], "not_measured");
    assert_eq!(core["A"]["core_index"], "");
}

#[test]
fn the_same_seed_gives_the_same_bytes_on_any_number_of_threads() {
    let dir = workdir(&uniform_b(60, 11));
    run(dir.path(), "one", "1");
    run(dir.path(), "two", "2");
    run(dir.path(), "again", "2");
    for file in [
        "core_index.csv",
        "uncertainty.csv",
        "summary.md",
        "report.html",
        "charts/core_index.svg",
        "charts/core_index.png",
    ] {
        let read = |run: &str| std::fs::read(dir.path().join(run).join(file)).unwrap();
        assert_eq!(read("one"), read("two"), "{file}: 1 thread against 2");
        assert_eq!(read("two"), read("again"), "{file}: a rerun");
    }
    // Another seed draws other numbers.
    let mut timings = Timings::default();
    let inputs = pipeline::load(&dir.path().join("hand.toml"), &mut timings).unwrap();
    let mut u = inputs.scenario.uncertainty.clone().unwrap();
    let first = draw(&inputs.data, &u, 0);
    assert_eq!(
        first,
        draw(&inputs.data, &u, 0),
        "a draw is a function of (seed, index)"
    );
    assert_ne!(
        first,
        draw(&inputs.data, &u, 1),
        "draws differ from each other"
    );
    u.seed += 1;
    assert_ne!(
        first,
        draw(&inputs.data, &u, 0),
        "another seed, another draw"
    );
}

#[test]
fn the_run_writes_every_robustness_output_and_validate_refuses_unknown_names() {
    let dir = workdir(&uniform_b(10, 5));
    let out = techfund()
        .current_dir(dir.path())
        .args(["run", "hand.toml", "--out", "r"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("draw 10"),
        "progress names the draws: {stderr}"
    );
    for file in [
        "core_index.csv",
        "uncertainty.csv",
        "charts/core_index.svg",
        "charts/core_index.png",
    ] {
        assert!(dir.path().join("r").join(file).is_file(), "{file}");
    }
    let summary = std::fs::read_to_string(dir.path().join("r/summary.md")).unwrap();
    assert!(summary.contains("## Robustness under uncertain costs and benefits"));
    let page = std::fs::read_to_string(dir.path().join("r/report.html")).unwrap();
    assert!(page.contains("<section id=\"robustness\">"));
    assert!(page.contains("chart-core_index"));
    let book = calamine_sheets(&dir.path().join("r/allocation.xlsx"));
    assert!(book.contains(&"Core index".to_string()), "{book:?}");
    assert!(book.contains(&"Uncertainty".to_string()), "{book:?}");

    // A category or project the bids do not have: exit 2, naming the key.
    for (bad, key) in [
        (
            "[uncertainty]\ndraws = 3\nseed = 1\n[uncertainty.cost_overrun.category]\nEPRs = { low = 0.0, high = 0.5 }\n",
            "uncertainty.cost_overrun.category.EPRs",
        ),
        (
            "[uncertainty]\ndraws = 3\nseed = 1\n[uncertainty.benefit.project]\nZ9 = { low = 0.5, high = 1.0 }\n",
            "uncertainty.benefit.project.Z9",
        ),
    ] {
        std::fs::write(dir.path().join("hand.toml"), scenario(bad)).unwrap();
        for command in ["validate", "run"] {
            let out = techfund()
                .current_dir(dir.path())
                .args([command, "hand.toml"])
                .assert()
                .code(2);
            let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
            assert!(stderr.contains(key), "{command}: {stderr}");
            assert!(stderr.contains("hand.toml:"), "{command}: {stderr}");
        }
    }
    // A bad distribution: exit 2 before anything is solved.
    std::fs::write(
        dir.path().join("hand.toml"),
        scenario("[uncertainty]\ndraws = 3\nseed = 1\n[uncertainty.cost_overrun]\nall = { low = 0.0, mode = 0.9, high = 0.5 }\n"),
    )
    .unwrap();
    let out = techfund()
        .current_dir(dir.path())
        .args(["run", "hand.toml", "--out", "bad"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("uncertainty.cost_overrun.all"), "{stderr}");
    assert!(!dir.path().join("bad").exists(), "no report for bad input");
}

fn calamine_sheets(path: &Path) -> Vec<String> {
    use calamine::Reader;
    let book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.sheet_names().to_vec()
}
