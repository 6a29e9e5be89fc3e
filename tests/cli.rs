//! End-to-end tests: they run the `techfund` binary as a user would, each in its own
//! temporary folder.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn techfund() -> Command {
    Command::cargo_bin("techfund").unwrap()
}

/// A work folder holding a copy of the tiny fixture, so tests can break it freely.
fn workdir() -> tempfile::TempDir {
    crate::tiny_workdir()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

mod run {
    use super::*;

    /// The report files whose bytes are fixed for a fixed input (run.json has timings).
    const GOLDEN: [&str; 3] = ["allocation.csv", "footprints.csv", "summary.md"];

    #[test]
    fn tiny_scenario_matches_golden_files() {
        let dir = workdir();
        let out = dir.path().join("out");
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .success()
            .stdout(predicate::str::contains("optimal (proven)"));
        for name in GOLDEN {
            let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/golden/run")
                .join(name);
            let got = read(&out.join(name));
            if std::env::var_os("UPDATE_GOLDEN").is_some() {
                std::fs::write(&golden, &got).unwrap();
            }
            assert_eq!(got, read(&golden), "{name} differs from its golden file (UPDATE_GOLDEN=1 rewrites them after a deliberate change)");
        }
    }

    #[test]
    fn reruns_are_identical_byte_for_byte() {
        let dir = workdir();
        for out in ["a", "b"] {
            techfund()
                .current_dir(dir.path())
                .args(["run", "tiny.toml", "--out", out])
                .assert()
                .success();
        }
        for name in GOLDEN {
            assert_eq!(
                std::fs::read(dir.path().join("a").join(name)).unwrap(),
                std::fs::read(dir.path().join("b").join(name)).unwrap(),
                "{name}"
            );
        }
    }

    #[test]
    fn default_report_folder_is_reports_slash_name() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml"])
            .assert()
            .success();
        assert!(dir.path().join("reports/tiny/summary.md").exists());
    }

    #[test]
    fn manifest_records_inputs_solver_and_stage_times() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .success();
        let m: serde_json::Value =
            serde_json::from_str(&read(&dir.path().join("out/run.json"))).unwrap();
        assert_eq!(m["scenario"], "tiny");
        assert_eq!(m["status"], "optimal");
        assert_eq!(m["mip_gap"], 0.0);
        assert!(m["highs_version"].as_str().unwrap().starts_with("1."));
        let inputs = m["inputs"].as_array().unwrap();
        assert_eq!(inputs.len(), 3);
        let sha = sha256_of(&dir.path().join("tiny/projects.csv"));
        assert!(
            inputs.iter().any(|i| i["sha256"] == sha.as_str()),
            "{inputs:?}"
        );
        for stage in ["scenario", "load", "model", "solve", "allocation", "report"] {
            assert!(
                m["stage_ms"][stage].as_f64().is_some(),
                "no time for {stage}"
            );
        }
    }

    fn sha256_of(p: &Path) -> String {
        techfund::dataset::sha256_hex(&std::fs::read(p).unwrap())
    }

    #[test]
    fn every_funded_amount_keeps_the_yearly_budget() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .success();
        let mut r = csv::Reader::from_path(dir.path().join("out/allocation.csv")).unwrap();
        let headers = r.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let mut totals = [0.0f64; 4];
        for rec in r.records() {
            let rec = rec.unwrap();
            for (i, name) in [
                "capital_2016_17",
                "capital_2017_18",
                "revenue_2016_17",
                "revenue_2017_18",
            ]
            .iter()
            .enumerate()
            {
                totals[i] += rec[col(name)].parse::<f64>().unwrap();
            }
        }
        for (spent, budget) in totals.iter().zip([6000.0, 3000.0, 200.0, 600.0]) {
            assert!(*spent <= budget + 1e-6, "{spent} > {budget}");
        }
    }
}

mod bad_input {
    use super::*;

    /// Runs `techfund run` after `edit` breaks the work folder; expects exit 2, a message
    /// containing every fragment, and no report.
    fn refused(edit: impl FnOnce(&Path), fragments: &[&str]) {
        let dir = workdir();
        edit(dir.path());
        let assert = techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        for f in fragments {
            assert!(stderr.contains(f), "expected {f:?} in:\n{stderr}");
        }
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{stderr}"
        );
        assert!(
            !dir.path().join("out").exists(),
            "a report was written for bad input"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".out"))
            .collect();
        assert!(leftovers.is_empty(), "staging folder left behind");
    }

    /// [`refused`], then the same case on its twin workbook, where each
    /// `file.csv:line:column` is expected as `tiny.xlsx: Sheet!<cell>`.
    fn refused_twin(edit: impl Fn(&Path), fragments: &[&str]) {
        refused(&edit, fragments);
        let on_sheet: Vec<String> = fragments
            .iter()
            .map(|f| crate::inputs::on_sheet(f))
            .collect();
        let on_sheet: Vec<&str> = on_sheet.iter().map(String::as_str).collect();
        refused(
            |d| {
                edit(d);
                crate::inputs::to_workbook(d);
            },
            &on_sheet,
        );
    }

    fn replace_in(file: &Path, from: &str, to: &str) {
        let text = read(file);
        assert!(text.contains(from), "fixture has no {from:?}");
        std::fs::write(file, text.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn missing_scenario_file() {
        refused(
            |d| std::fs::remove_file(d.join("tiny.toml")).unwrap(),
            &["tiny.toml", "cannot read the scenario file"],
        );
    }

    #[test]
    fn missing_projects_file() {
        refused(
            |d| std::fs::remove_file(d.join("tiny/projects.csv")).unwrap(),
            &["projects.csv", "cannot read the file"],
        );
    }

    #[test]
    fn unparsable_cost() {
        refused_twin(
            |d| {
                replace_in(
                    &d.join("tiny/projects.csv"),
                    "3000,1000,0,200",
                    "3000,lots,0,200",
                )
            },
            &[
                "projects.csv:2:8",
                "`capital_2017_18`",
                "`lots` is not a number",
            ],
        );
    }

    #[test]
    fn negative_cost() {
        refused_twin(
            |d| replace_in(&d.join("tiny/projects.csv"), "500,0,0,50", "-500,0,0,50"),
            &["projects.csv:4:7", "negative"],
        );
    }

    #[test]
    fn score_out_of_range() {
        refused_twin(
            |d| replace_in(&d.join("tiny/footprints.csv"), "80,30,70", "80,130,70"),
            &["footprints.csv:2:6", "outside 0–100"],
        );
    }

    #[test]
    fn duplicate_project() {
        refused_twin(
            |d| replace_in(&d.join("tiny/projects.csv"), "N2,NORTH", "N1,NORTH"),
            &["projects.csv:3:1", "listed twice"],
        );
    }

    #[test]
    fn unknown_footprint() {
        refused_twin(
            |d| replace_in(&d.join("tiny/projects.csv"), "E1,EAST", "E1,WEST"),
            &["projects.csv:8:2", "`WEST` is not in footprints.csv"],
        );
    }

    #[test]
    fn requires_names_no_project() {
        refused_twin(
            |d| replace_in(&d.join("tiny/projects.csv"), ",N1,,,", ",N9,,,"),
            &["projects.csv:3:12", "`N9` names no project"],
        );
    }

    #[test]
    fn year_count_does_not_match_budget() {
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "capital = [6000, 3000]",
                    "capital = [6000]",
                )
            },
            &[
                "tiny.toml:7:1",
                "1 capital amount(s) for 2 financial year(s)",
            ],
        );
    }

    #[test]
    fn missing_year_column() {
        refused_twin(
            |d| {
                replace_in(
                    &d.join("tiny/projects.csv"),
                    "revenue_2017_18",
                    "revenue_2018_19",
                )
            },
            &["projects.csv:1:", "no `revenue_2017_18` column"],
        );
    }

    #[test]
    fn infeasible_rules_are_explained() {
        // South's must-fund shared care record needs £1,000k capital in 2016/17.
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "capital = [6000, 3000]",
                    "capital = [600, 3000]",
                )
            },
            &[
                "no feasible allocation",
                // Named fix (issue 8): the message names the must-fund bid.
                "the must-fund bids need £1,000k of capital in 2016/17, more than its budget of £600k: S3",
                "[budget] capital",
                // Issue 11: the smallest set of rules in conflict, each with its fix.
                "these rules cannot all be kept together (a smallest such set: without any one of them the others can be kept):",
                "  - the 2016/17 capital budget of £600k — alone, raising it by £400k (to £1,000k) in [budget] capital allows an allocation",
                "  - must-fund project S3 (£2,200k, projects.csv line 7) — alone, setting must_fund to false for S3 allows an allocation",
                "the smallest change to the rules that allows an allocation",
            ],
        );
    }

    #[test]
    fn a_carry_forward_cap_in_conflict_is_named_with_the_share_that_fits() {
        // South's must-fund shared care record needs £1,000k of capital in 2017/18,
        // whose budget is £600k; 5% of 2016/17's £6,000k may be carried in (£300k). The
        // carry-forward cap is a bound in the allocation model, named here as a rule.
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "capital = [6000, 3000]",
                    "capital = [6000, 600]\ncarry_forward_max = 0.05",
                )
            },
            &[
                "no feasible allocation",
                "these rules cannot all be kept together (a smallest such set: without any one of them the others can be kept):",
                "  - the 2017/18 capital budget of £600k — alone, raising it by £100k (to £700k) in [budget] capital allows an allocation",
                "  - must-fund project S3 (£2,200k, projects.csv line 7) — alone, setting must_fund to false for S3 allows an allocation",
                "  - the cap of £300k on capital carried from 2016/17 into 2017/18 (carry_forward_max = 0.05 of its £6,000k capital budget) — alone, allowing up to £400k of 2016/17 capital to be carried into 2017/18, £100k more ([budget] carry_forward_max = 0.0667), allows an allocation",
            ],
        );
    }

    #[test]
    fn a_region_floor_above_its_footprint_cap_is_named_as_a_conflict() {
        // North has one footprint, capped at £2,000k; its region's floor is £3,000k.
        // All or nothing, with N2 needing N1, North can have £550k (N3) or £4,200k (N1,
        // or more): the cap must rise to £4,200k, or the floor fall to £550k.
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "[rules]",
                    "[[rules.footprint]]\nid = \"NORTH\"\ncap = 2000\n\n[[rules.region]]\nregion = \"North\"\nfloor = 3000\n\n[rules]",
                )
            },
            &[
                "no feasible allocation",
                "these rules cannot all be kept together (a smallest such set",
                "  - the cap for footprint NORTH (North Footprint) of £2,000k — alone, raising it by £2,200k (to £4,200k)",
                "  - the floor for region North of £3,000k — alone, lowering it by £2,450k (to £550k) in its [[rules.region]] allows an allocation",
            ],
        );
    }

    #[test]
    fn two_locked_in_alternatives_are_named_with_their_group() {
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "[rules]",
                    "[rules]\nlock_in = [\"S2\", \"S3\"]\n",
                );
                replace_in(&d.join("tiny/projects.csv"), "0.5,,,true,", "0.5,,epr-south,,");
            },
            &[
                "these rules cannot all be kept together (a smallest such set",
                "  - the lock-in of project S2 (£2,100k, projects.csv line 6) — alone, taking S2 out of [rules] lock_in allows an allocation",
                "  - exclusive group epr-south (at most one of S1, S2, S3)",
            ],
        );
    }

    #[test]
    fn floors_beyond_the_fund_are_named_plainly() {
        refused(
            |d| {
                replace_in(
                    &d.join("tiny.toml"),
                    "[rules]",
                    "[rules.footprint_floor]\nshare_of_fair_share = 3.0\n\n[rules]",
                )
            },
            &["the footprint floors add up to £17,050k, more than the whole fund of £9,800k"],
        );
    }

    #[test]
    fn a_failed_run_leaves_the_earlier_report_untouched() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .success();
        let before = std::fs::read(dir.path().join("out/allocation.csv")).unwrap();
        replace_in(
            &dir.path().join("tiny/projects.csv"),
            "3000,1000,0,200",
            "3000,x,0,200",
        );
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .code(2);
        assert_eq!(
            std::fs::read(dir.path().join("out/allocation.csv")).unwrap(),
            before
        );
    }
}

mod validate {
    use super::*;

    #[test]
    fn validate_checks_without_solving_or_writing() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["validate", "tiny.toml"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "valid — 3 footprints, 8 projects (1 excluded by rule), 2 financial years",
            ));
        assert!(!dir.path().join("reports").exists());
    }

    #[test]
    fn validate_reports_bad_input_with_exit_2() {
        let dir = workdir();
        std::fs::write(
            dir.path().join("tiny.toml"),
            read(&dir.path().join("tiny.toml")).replace("kind = \"benefit\"", "kind = \"npsv\""),
        )
        .unwrap();
        techfund()
            .current_dir(dir.path())
            .args(["validate", "tiny.toml"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "tiny.toml:11:1 (`objective.kind`)",
            ));
    }
}

mod reports {
    use super::*;
    use calamine::{open_workbook, Data, Reader, Xlsx};

    /// A work folder whose bids carry hostile titles.
    fn hostile_workdir() -> tempfile::TempDir {
        let dir = workdir();
        let path = dir.path().join("tiny/projects.csv");
        let text = read(&path)
            .replace(
                "EPR for North Acute Trust",
                "\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"",
            )
            .replace("Wi-Fi across North", "<script>alert(1)</script>")
            .replace("EPR optimisation for South Hospitals", "@SUM(1+1)");
        std::fs::write(path, text).unwrap();
        dir
    }

    #[test]
    fn a_run_writes_charts_html_and_a_workbook() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .success();
        let out = dir.path().join("out");
        for chart in [
            "allocation_by_footprint",
            "spend_profile",
            "allocation_by_category",
            "maturity_before_after",
            "value_for_money_curve",
        ] {
            let png = std::fs::read(out.join(format!("charts/{chart}.png"))).unwrap();
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{chart}.png");
            assert!(
                read(&out.join(format!("charts/{chart}.svg"))).starts_with("<svg"),
                "{chart}.svg"
            );
        }
        let html = read(&out.join("report.html"));
        assert!(
            html.contains("<svg") && !html.contains("src=\"http"),
            "report.html must be self-contained"
        );
    }

    #[test]
    fn the_workbook_agrees_with_allocation_csv() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .success();
        let mut wb: Xlsx<_> = open_workbook(dir.path().join("out/allocation.xlsx")).unwrap();
        let sheet = wb.worksheet_range("Projects").unwrap();
        let header: Vec<String> = sheet
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("no {name} in {header:?}"))
        };
        let mut csv = csv::Reader::from_path(dir.path().join("out/allocation.csv")).unwrap();
        let csv_header = csv.headers().unwrap().clone();
        let ccol = |name: &str| csv_header.iter().position(|h| h == name).unwrap();
        let rows: Vec<_> = sheet.rows().skip(1).collect();
        let records: Vec<_> = csv.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), records.len());
        for (row, rec) in rows.iter().zip(&records) {
            assert_eq!(row[col("Project ID")].to_string(), rec[ccol("project_id")]);
            let number = |d: &Data| match d {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                other => panic!("{other:?} is not a number"),
            };
            let allocated = number(&row[col("Allocated (£k)")]);
            let in_csv: f64 = rec[ccol("funded_total")].parse().unwrap();
            assert!(
                (allocated - in_csv).abs() < 0.051,
                "{allocated} vs {in_csv}"
            );
            for (sheet_col, csv_col) in [
                ("Capital 2016/17 (£k)", "capital_2016_17"),
                ("Revenue 2017/18 (£k)", "revenue_2017_18"),
                ("Cost (£k)", "full_cost"),
            ] {
                let a = number(&row[col(sheet_col)]);
                let b: f64 = rec[ccol(csv_col)].parse().unwrap();
                assert!((a - b).abs() < 0.051, "{sheet_col}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn hostile_titles_never_run_as_formulas_or_markup() {
        let dir = hostile_workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .success();
        let out = dir.path().join("out");
        let mut csv = csv::Reader::from_path(out.join("allocation.csv")).unwrap();
        let titles: Vec<String> = csv.records().map(|r| r.unwrap()[4].to_string()).collect();
        assert!(
            titles.contains(&"'=HYPERLINK(\"http://evil\",\"x\")".to_string()),
            "{titles:?}"
        );
        assert!(titles.contains(&"'@SUM(1+1)".to_string()), "{titles:?}");
        for t in &titles {
            assert!(
                !t.starts_with(['=', '+', '-', '@']),
                "{t} would run as a formula"
            );
        }
        let html = read(&out.join("report.html"));
        assert!(
            !html.contains("<script>alert(1)</script>"),
            "markup from input reached the page"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let mut wb: Xlsx<_> = open_workbook(out.join("allocation.xlsx")).unwrap();
        let sheet = wb.worksheet_range("Projects").unwrap();
        let cells: Vec<String> = sheet
            .rows()
            .flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
            .collect();
        assert!(cells.iter().any(|c| c == "'@SUM(1+1)"));
        assert!(!cells.iter().any(|c| c.starts_with('=')));
        assert!(
            wb.worksheet_formula("Projects")
                .unwrap()
                .used_cells()
                .next()
                .is_none(),
            "the workbook has formulas"
        );
    }
}

/// Bids in a workbook: the same report as from CSV, and the template command.
mod workbook {
    use super::*;

    /// run.json without what names or times the inputs: their paths and hashes, the
    /// dataset's path and the stage times.
    fn comparable(run_json: &str) -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(run_json).unwrap();
        let m = v.as_object_mut().unwrap();
        for key in ["inputs", "stage_ms", "data_dir", "working_dir"] {
            assert!(m.remove(key).is_some(), "run.json has no {key}");
        }
        let resolved = m["resolved_scenario"].as_object_mut().unwrap();
        assert!(resolved.remove("data").is_some());
        v
    }

    #[test]
    fn the_default_dataset_as_a_workbook_gives_the_same_report() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        // The generator's default output is the committed data/ (a generate test
        // checks it), so this is data/ as a workbook.
        techfund()
            .current_dir(dir.path())
            .args(["generate", "--format", "xlsx", "--out", "book"])
            .assert()
            .success()
            .stdout(predicate::str::contains("bids.xlsx"));
        let scenario = read(&root.join("scenarios/baseline.toml"));
        for (sub, data) in [
            ("csv", root.join("data")),
            ("xlsx", dir.path().join("book/bids.xlsx")),
        ] {
            let folder = dir.path().join(sub);
            std::fs::create_dir(&folder).unwrap();
            let text = scenario.replacen(
                "data = \"../data\"",
                &format!("data = \"{}\"", data.display()),
                1,
            );
            assert_ne!(text, scenario, "baseline.toml has no data = \"../data\"");
            // The same file name in both, since the summary names the scenario file.
            std::fs::write(folder.join("baseline.toml"), text).unwrap();
            techfund()
                .current_dir(&folder)
                .args(["run", "baseline.toml", "--out", "out", "--quiet"])
                .assert()
                .success();
        }
        let out = |sub: &str, name: &str| dir.path().join(sub).join("out").join(name);
        for name in ["allocation.csv", "footprints.csv"] {
            assert!(
                std::fs::read(out("csv", name)).unwrap()
                    == std::fs::read(out("xlsx", name)).unwrap(),
                "{name} differs"
            );
        }
        // The summary echoes the scenario, whose `data` differs; nothing else may.
        let (a, b) = (
            read(&out("csv", "summary.md")),
            read(&out("xlsx", "summary.md")),
        );
        assert_eq!(a.lines().count(), b.lines().count());
        let differ: Vec<(&str, &str)> = a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
        assert_eq!(differ.len(), 1, "{differ:#?}");
        assert!(differ[0].0.starts_with("data = "), "{differ:?}");
        assert_eq!(
            comparable(&read(&out("csv", "run.json"))),
            comparable(&read(&out("xlsx", "run.json")))
        );
    }

    #[test]
    fn template_writes_a_workbook_and_never_replaces_one_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bids.xlsx");
        let template = || {
            let mut c = techfund();
            c.current_dir(dir.path()).args([
                "template",
                "--out",
                "bids.xlsx",
                "--first-year",
                "2017/18",
                "--years",
                "2",
            ]);
            c
        };
        template()
            .assert()
            .success()
            .stdout(predicate::str::contains("wrote bids.xlsx"));
        let first = std::fs::read(&file).unwrap();
        // An untouched template may be written again: the same bytes, nothing lost.
        template().assert().success();
        assert!(std::fs::read(&file).unwrap() == first);
        // Once changed it is the user's, and is left as it is.
        let mut changed = first.clone();
        changed.extend_from_slice(b"filled in");
        std::fs::write(&file, &changed).unwrap();
        template()
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "bids.xlsx: the file already exists, and techfund never replaces a file it did not write",
            ));
        assert!(std::fs::read(&file).unwrap() == changed);
        techfund()
            .current_dir(dir.path())
            .args(["template", "--out", "bids.csv"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("does not end in .xlsx"));
        assert!(!dir.path().join("bids.csv").exists());
        // Its cost columns are the years asked for.
        std::fs::write(&file, &first).unwrap();
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
        let range = calamine::Reader::worksheet_range(&mut book, "Projects").unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert!(
            header.iter().any(|h| h == "capital_2018_19")
                && !header.iter().any(|h| h.contains("2016_17")),
            "{header:?}"
        );
        // A scenario naming the empty template is refused as header-only CSV files are.
        std::fs::write(
            dir.path().join("s.toml"),
            "name = \"s\"\ndata = \"bids.xlsx\"\nyears = [\"2017/18\", \"2018/19\"]\n[budget]\ncapital = [10, 10]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"all_or_nothing\"\n",
        )
        .unwrap();
        techfund()
            .current_dir(dir.path())
            .args(["run", "s.toml", "--out", "out"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "bids.xlsx: sheet Footprints: there are no footprints",
            ));
        assert!(!dir.path().join("out").exists());
    }
}

mod green_book {
    use super::*;

    fn csv_rows(text: &str) -> Vec<Vec<String>> {
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn the_green_book_scenario_runs_end_to_end() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("gb");
        techfund()
            .current_dir(root)
            .args(["run", "scenarios/green_book.toml", "--out"])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains("of net present social value"));
        let appraisal = read(&out.join("appraisal.csv"));
        assert_eq!(
            appraisal.lines().next(),
            Some("project_id,title,funded_fraction,pv_cost_fund,pv_cost_whole_life,pv_benefit_cash,pv_benefit_noncash,npsv,bcr,vfm_category,cost_overrun_switch,benefit_shortfall_switch,duration_bias,benefit_delay_years")
        );
        let rows = csv_rows(&appraisal);
        let (total, bids) = rows.split_last().unwrap();
        assert_eq!(total[0], "TOTAL");
        assert_eq!(bids.len(), 1200);
        // The default duration optimism bias (10%) delays the benefits of a bid
        // delivered over k of the five fund years by k × 0.1 years.
        assert!(bids.iter().all(|r| r[12] == "0.1000"
            && ["0.1000", "0.2000", "0.3000", "0.4000", "0.5000"].contains(&r[13].as_str())));
        assert!(bids.iter().any(|r| r[13] == "0.5000") && bids.iter().any(|r| r[13] == "0.2000"));
        assert_eq!(total[12], "");
        let num = |s: &str| s.parse::<f64>().unwrap();
        let mut npsv = 0.0;
        let mut funded = 0.0;
        for r in bids.iter().filter(|r| num(&r[2]) > 0.0) {
            funded += 1.0;
            // Every funded bid passes the hurdle of 1.0, so it switches at an overrun of
            // zero or more.
            assert!(num(&r[8]) >= 1.0, "{r:?}");
            assert!(num(&r[10]) >= 0.0 && num(&r[11]) >= 0.0, "{r:?}");
            npsv += num(&r[7]) * num(&r[2]);
        }
        // Each bid's NPSV is rounded to 0.1 in appraisal.csv.
        assert!(
            (npsv - num(&total[7])).abs() < 0.05 * funded + 0.05,
            "{npsv} vs {}",
            total[7]
        );
        // The portfolio's switching value: costs × (1 + s) = benefits.
        let (c, b) = (num(&total[4]), num(&total[5]) + num(&total[6]));
        assert!((c * (1.0 + num(&total[10])) - b).abs() < 1e-3 * b);
        let summary = read(&out.join("summary.md"));
        for words in [
            "## Green Book appraisal",
            "Discount rates: 3.5% for years 0–9",
            "real prices of 2016/17",
            "Optimism bias: +20% on capital",
            "EPR +50%",
            "Optimism bias applied to the budget check: no",
            "Duration optimism bias: +10% on the delivery's duration",
            "Duration optimism bias applied to the budget check: no, it delays benefits only",
            "BCR 1.00 ([rules] min_bcr)",
        ] {
            assert!(summary.contains(words), "{words:?} not in summary.md");
        }
        assert!(read(&out.join("report.html")).contains("<h2>Green Book appraisal</h2>"));
        let allocation = read(&out.join("allocation.csv"));
        assert!(allocation.contains("below the BCR hurdle"));
        // The same answer again, byte for byte.
        let again = tmp.path().join("again");
        techfund()
            .current_dir(root)
            .args(["run", "scenarios/green_book.toml", "--out"])
            .arg(&again)
            .assert()
            .success();
        assert_eq!(appraisal, read(&again.join("appraisal.csv")));
    }

    #[test]
    fn a_bad_appraisal_exits_2_with_no_report() {
        let dir = workdir();
        let tiny = read(&dir.path().join("tiny.toml"));
        for (extra, words) in [
            ("[appraisal]\nperiod = 1\n", "before the fund's last year"),
            (
                "[[appraisal.discount]]\nfrom_year = 0\nrate = -0.02\n",
                "not a discount rate",
            ),
            (
                "[appraisal]\noptimism_bias = -1\n",
                "not an optimism-bias uplift",
            ),
            (
                "[[appraisal.category]]\ncategory = \"epr\"\noptimism_bias = 0.5\n",
                "no bid has the category `epr`, so its appraisal settings would do nothing",
            ),
        ] {
            std::fs::write(dir.path().join("bad.toml"), format!("{tiny}\n{extra}")).unwrap();
            techfund()
                .current_dir(dir.path())
                .args(["run", "bad.toml", "--out", "out"])
                .assert()
                .code(2)
                .stderr(predicate::str::contains(words).and(predicate::str::contains("bad.toml:")));
            assert!(!dir.path().join("out").exists());
        }
    }

    #[test]
    fn tiny_without_appraisal_writes_no_appraisal_file() {
        let dir = workdir();
        techfund()
            .current_dir(dir.path())
            .args(["run", "tiny.toml", "--out", "out"])
            .assert()
            .success();
        assert!(!dir.path().join("out/appraisal.csv").exists());
        assert!(!read(&dir.path().join("out/summary.md")).contains("Green Book"));
    }
}
