//! Issue 4 end to end on the default dataset: parallel runs, sweeps, compare and target.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use techfund::allocation::target::check;
use techfund::batch::progress::Mode;
use techfund::batch::sweep;
use techfund::pipeline::target::solve_target;
use techfund::pipeline::{self, Timings};
use techfund::scenario::sweep::SweepRequest;
use techfund::solve::{Failure, SolveStatus};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn techfund() -> Command {
    Command::cargo_bin("techfund").unwrap()
}

/// A scenario on the real default dataset, written into `dir`.
fn scenario_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let data = root().join("data");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!("name = \"{name}\"\ndata = \"{}\"\n{body}", data.display()),
    )
    .unwrap();
    path
}

const FIVE_YEARS: &str =
    "years = [\"2016/17\", \"2017/18\", \"2018/19\", \"2019/20\", \"2020/21\"]\n";

mod target_fund {
    use super::*;

    #[test]
    fn the_minimum_fund_reaches_the_target_and_one_thousand_pounds_less_does_not() {
        let inputs = pipeline::load(
            &root().join("scenarios/paperless_2020.toml"),
            &mut Timings::default(),
        )
        .unwrap();
        let (data, scenario) = (&inputs.data, &inputs.scenario);
        assert_eq!(
            scenario.solver.mip_gap, 0.0,
            "tightness needs a proven minimum"
        );
        let goal = scenario.target.expect("paperless_2020 has a target");
        let result = solve_target(data, scenario, &goal, None)
            .unwrap()
            .expect("the target is reachable");
        assert_eq!(result.status, SolveStatus::Optimal);
        assert!(check(data, scenario, &goal, &result).is_empty());
        for f in &result.footprints {
            assert!(
                f.after >= goal.capabilities - 1e-6,
                "{} reaches only {}",
                data.footprints[f.footprint].id,
                f.after
            );
        }
        let less = solve_target(data, scenario, &goal, Some(result.total() - 1.0)).unwrap();
        assert!(
            matches!(
                less,
                Err(Failure::Infeasible | Failure::InfeasibleOrUnbounded)
            ),
            "£1k less still reaches the target: {less:?}"
        );
    }

    #[test]
    fn an_unreachable_target_names_the_footprints_that_fall_short() {
        let dir = tempfile::tempdir().unwrap();
        let base = root().join("scenarios/paperless_2020.toml");
        let path = dir.path().join("too_far.toml");
        std::fs::write(
            &path,
            format!(
                "extends = \"{}\"\nname = \"too_far\"\n[target]\ncapabilities = 99.5\n",
                base.display()
            ),
        )
        .unwrap();
        let out = techfund()
            .current_dir(dir.path())
            .args(["target", "too_far.toml"])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("can reach at most") && stderr.contains("E54000"),
            "{stderr}"
        );
        assert!(!dir.path().join("reports").exists());
    }
}

mod sweeps {
    use super::*;

    /// Monetised benefit with partial funding and no share-based rules, solved exactly:
    /// more money can only keep or raise the best value.
    fn exact_benefit(dir: &Path) -> PathBuf {
        scenario_file(
            dir,
            "exact_benefit",
            &format!("{FIVE_YEARS}[budget]\ncapital = [250000, 250000, 200000, 130000, 70000]\nrevenue = [10000, 40000, 80000, 120000, 150000]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"partial\"\n[rules]\nmin_benefit_per_pound = 1.0\n[solver]\nmip_gap = 0\ntime_limit_s = 120\n"),
        )
    }

    #[test]
    fn the_frontier_rises_with_the_budget_and_each_point_is_a_single_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = exact_benefit(dir.path());
        techfund()
            .current_dir(dir.path())
            .args([
                "sweep",
                path.to_str().unwrap(),
                "--from",
                "60%",
                "--to",
                "140%",
                "--steps",
                "5",
                "--out",
                "sweep",
                "--quiet",
            ])
            .assert()
            .success();
        let mut frontier = csv::Reader::from_path(dir.path().join("sweep/frontier.csv")).unwrap();
        let rows: Vec<csv::StringRecord> = frontier.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 5);
        let values: Vec<f64> = rows.iter().map(|r| r[3].parse().unwrap()).collect();
        for w in values.windows(2) {
            assert!(w[1] >= w[0] - 1e-6, "frontier falls: {values:?}");
        }
        assert!(
            values[4] > values[0],
            "more money bought nothing: {values:?}"
        );
        for r in &rows {
            assert_eq!(&r[2], "optimal", "every point is exact at gap 0");
            let m: f64 = r[8].parse().unwrap();
            assert!(
                m >= -1e-6,
                "the next £1m cannot lose value at a proven optimum: {m}"
            );
        }

        // The 80% point, as an ordinary run with that budget.
        let single = scenario_file(
            dir.path(),
            "at_80",
            &format!("{FIVE_YEARS}[budget]\ncapital = [200000, 200000, 160000, 104000, 56000]\nrevenue = [8000, 32000, 64000, 96000, 120000]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"partial\"\n[rules]\nmin_benefit_per_pound = 1.0\n[solver]\nmip_gap = 0\ntime_limit_s = 120\n"),
        );
        assert_eq!(&rows[1][0], "80.00");
        techfund()
            .current_dir(dir.path())
            .args(["run", single.to_str().unwrap(), "--out", "at_80", "--quiet"])
            .assert()
            .success();
        let manifest: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("at_80/run.json")).unwrap(),
        )
        .unwrap();
        let single_value = manifest["objective"].as_f64().unwrap();
        assert_eq!(
            format!("{single_value:.1}"),
            rows[1][3].to_string(),
            "the sweep's 80% point differs from a run at 80%"
        );
        let changes =
            std::fs::read_to_string(dir.path().join("sweep/portfolio_changes.csv")).unwrap();
        assert!(
            changes.lines().count() > 1 && changes.contains("enters"),
            "no project enters as the budget grows"
        );
    }

    #[test]
    fn parallel_points_equal_points_solved_one_after_another() {
        let inputs = pipeline::load(
            &root().join("scenarios/baseline.toml"),
            &mut Timings::default(),
        )
        .unwrap();
        let request = SweepRequest::new(
            0.7,
            1.3,
            3,
            Some("2017/18".parse().unwrap()),
            Some(techfund::domain::BudgetLine::Capital),
        )
        .unwrap();
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                sweep::solve_points(&inputs.data, &inputs.scenario, &request, Mode::Quiet)
            })
        };
        let (one, two) = (run(1), run(2));
        for (a, b) in one.iter().zip(&two) {
            let (a, b) = (a.outcome.as_ref().unwrap(), b.outcome.as_ref().unwrap());
            assert_eq!(a.value, b.value);
            assert_eq!(a.funded_projects, b.funded_projects);
        }
        // Only 2017/18 capital moves.
        let budgets: Vec<f64> = one.iter().map(|p| p.budget).collect();
        assert!(
            (budgets[2] - budgets[0] - 0.6 * 346154.0).abs() < 1e-6,
            "{budgets:?}"
        );
    }
}

mod batches {
    use super::*;

    #[test]
    fn many_scenarios_run_together_and_one_failure_loses_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let broken = dir.path().join("broken.toml");
        std::fs::write(&broken, "name = \"broken\"\ndata = \"nowhere\"\n").unwrap();
        let scenarios = root().join("scenarios");
        let out = techfund()
            .current_dir(dir.path())
            .args(["run", "--quiet", "--out", "reports"])
            .arg(scenarios.join("baseline.toml"))
            .arg(scenarios.join("readiness_led.toml"))
            .arg(&broken)
            .arg(scenarios.join("tight_budget.toml"))
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains("broken.toml") && stderr.contains("1 scenario(s) failed"),
            "{stderr}"
        );
        for name in ["baseline", "readiness_led", "tight_budget"] {
            assert!(
                dir.path()
                    .join("reports")
                    .join(name)
                    .join("allocation.csv")
                    .exists(),
                "{name} was lost"
            );
        }
        let index = std::fs::read_to_string(dir.path().join("reports/index.html")).unwrap();
        for link in [
            "baseline/report.html",
            "readiness_led/report.html",
            "tight_budget/report.html",
        ] {
            assert!(index.contains(link), "index has no link to {link}");
        }
        assert!(index.contains("broken.toml") && index.contains("failed"));
    }

    #[test]
    fn two_scenarios_with_one_name_are_refused_before_anything_runs() {
        let dir = tempfile::tempdir().unwrap();
        let twin = dir.path().join("twin.toml");
        std::fs::write(
            &twin,
            format!(
                "extends = \"{}\"\nname = \"baseline\"\n",
                root().join("scenarios/baseline.toml").display()
            ),
        )
        .unwrap();
        techfund()
            .current_dir(dir.path())
            .args(["run", "--quiet"])
            .arg(root().join("scenarios/baseline.toml"))
            .arg(&twin)
            .assert()
            .code(2);
        assert!(!dir.path().join("reports/baseline").exists());
    }

    #[test]
    fn compare_reports_the_true_differences_of_two_runs() {
        let dir = tempfile::tempdir().unwrap();
        let scenarios = root().join("scenarios");
        techfund()
            .current_dir(dir.path())
            .args(["run", "--quiet"])
            .arg(scenarios.join("baseline.toml"))
            .arg(scenarios.join("tight_budget.toml"))
            .assert()
            .success();
        techfund()
            .current_dir(dir.path())
            .args([
                "compare",
                "reports/baseline",
                "reports/tight_budget",
                "--out",
                "cmp",
            ])
            .assert()
            .success();
        let objective = |name: &str| -> f64 {
            let m: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.path().join("reports").join(name).join("run.json"))
                    .unwrap(),
            )
            .unwrap();
            m["total_funded_k"].as_f64().unwrap()
        };
        let mut cmp = csv::Reader::from_path(dir.path().join("cmp/comparison.csv")).unwrap();
        let rows: Vec<csv::StringRecord> = cmp.records().map(|r| r.unwrap()).collect();
        let funded = rows
            .iter()
            .find(|r| &r[0] == "total" && r[1].contains("funded"))
            .expect("a total funded row");
        let diff: f64 = funded[4].parse().unwrap();
        assert!(
            (diff - (objective("tight_budget") - objective("baseline"))).abs() < 0.11,
            "{funded:?}"
        );
        assert!(
            std::fs::read_to_string(dir.path().join("cmp/comparison.md"))
                .unwrap()
                .contains("tight_budget")
        );
    }
}

mod reruns {
    use super::*;

    /// Every file of a default-data report except run.json (its stage timings vary).
    fn report_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for sub in ["", "charts"] {
            for e in std::fs::read_dir(dir.join(sub)).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_file() && e.file_name() != "run.json" {
                    out.push((
                        format!("{sub}/{}", e.file_name().to_string_lossy()),
                        std::fs::read(e.path()).unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_default_run_is_identical_byte_for_byte_when_repeated() {
        let dir = tempfile::tempdir().unwrap();
        let scenario = root().join("scenarios/readiness_led.toml");
        for out in ["first", "second"] {
            techfund()
                .current_dir(dir.path())
                .args(["run", "--quiet", "--out", out])
                .arg(&scenario)
                .assert()
                .success();
        }
        let (a, b) = (
            report_files(&dir.path().join("first")),
            report_files(&dir.path().join("second")),
        );
        // 15 report files besides run.json, and the `.techfund` marker.
        assert_eq!(
            a.len(),
            15 + 1,
            "{:?}",
            a.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for ((name, x), (_, y)) in a.iter().zip(&b) {
            assert!(x == y, "{name} differs between two runs");
        }
        // The manifest pins the scenario, the file it extends and the data.
        let m: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("first/run.json")).unwrap(),
        )
        .unwrap();
        let paths: Vec<&str> = m["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["path"].as_str().unwrap())
            .collect();
        assert!(
            paths.iter().any(|p| p.ends_with("baseline.toml"))
                && paths.iter().any(|p| p.ends_with("projects.csv")),
            "{paths:?}"
        );
    }
}
