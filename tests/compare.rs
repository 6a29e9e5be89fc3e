//! End-to-end test of `compare`: two real runs of the `techfund` binary (the tiny case
//! and the same case with less capital), compared, and every difference checked against
//! sums computed here, independently, from the two allocation.csv files.

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use techfund::compare::run as compare;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run(scenario: &Path, out: &Path) {
    Command::cargo_bin("techfund")
        .unwrap()
        .arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// A CSV file as rows of header → text.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|e| panic!("{col}={:?}: {e}", row[col]))
}

/// comparison.csv as (section, key) → (value per report, difference).
type Compared = BTreeMap<(String, String), (Vec<String>, String)>;

fn comparison(path: &Path, reports: usize) -> Compared {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let values = (2..2 + reports).map(|i| rec[i].to_string()).collect();
            (
                (rec[0].to_string(), rec[1].to_string()),
                (values, rec[2 + reports].to_string()),
            )
        })
        .collect()
}

/// Expected rows of one section: key → amounts in report a and b.
fn check_section(got: &Compared, section: &str, expected: &BTreeMap<String, [f64; 2]>) {
    let keys: BTreeSet<&String> = got
        .keys()
        .filter(|(s, _)| s == section)
        .map(|(_, k)| k)
        .collect();
    assert_eq!(keys, expected.keys().collect(), "keys of section {section}");
    for (key, [a, b]) in expected {
        let (values, difference) = &got[&(section.to_string(), key.clone())];
        assert_eq!(
            values,
            &[format!("{a:.1}"), format!("{b:.1}")],
            "{section} {key}"
        );
        assert_eq!(
            difference.parse::<f64>().unwrap(),
            ((b - a) * 10.0).round() / 10.0,
            "{section} {key}"
        );
    }
}

/// Sums of `amount` by the text of `by` in each of two allocation tables.
fn sums_by(
    tables: &[Vec<BTreeMap<String, String>>; 2],
    by: impl Fn(&BTreeMap<String, String>) -> Vec<(String, f64)>,
) -> BTreeMap<String, [f64; 2]> {
    let mut out: BTreeMap<String, [f64; 2]> = BTreeMap::new();
    for (i, t) in tables.iter().enumerate() {
        for row in t {
            for (key, amount) in by(row) {
                out.entry(key).or_default()[i] += amount;
            }
        }
    }
    out
}

#[test]
fn compare_reports_the_true_differences_of_two_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run(&fixtures().join("tiny.toml"), &a);

    // The same case with £1.5m less capital in the first year.
    let tiny = std::fs::read_to_string(fixtures().join("tiny.toml")).unwrap();
    let data = fixtures()
        .join("tiny")
        .display()
        .to_string()
        .replace('\\', "\\\\");
    let cut = tiny
        .replace("name = \"tiny\"", "name = \"tiny-cut\"")
        .replace("capital = [6000, 3000]", "capital = [4500, 3000]")
        .replace("data = \"tiny\"", &format!("data = \"{data}\""));
    assert_ne!(cut, tiny);
    let cut_toml = tmp.path().join("cut.toml");
    std::fs::write(&cut_toml, cut).unwrap();
    run(&cut_toml, &b);

    let out = tmp.path().join("comparison");
    compare(&[a.clone(), b.clone()], &out).unwrap();
    let got = comparison(&out.join("comparison.csv"), 2);

    let tables = [
        table(&a.join("allocation.csv")),
        table(&b.join("allocation.csv")),
    ];
    let headers: Vec<String> = tables[0][0].keys().cloned().collect();
    let money: Vec<&String> = headers
        .iter()
        .filter(|h| h.starts_with("capital_") || h.starts_with("revenue_"))
        .collect();
    assert_eq!(money.len(), 4, "{headers:?}");

    let year_lines = sums_by(&tables, |row| {
        money
            .iter()
            .map(|h| {
                let (line, year) = h.split_once('_').unwrap();
                (
                    format!("{} {line}", year.replacen('_', "/", 1)),
                    num(row, h),
                )
            })
            .collect()
    });
    assert_eq!(year_lines["2016/17 capital"], [6000.0, 4500.0]);
    check_section(&got, "year_line", &year_lines);

    let footprints = sums_by(&tables, |row| {
        vec![(row["footprint_id"].clone(), num(row, "funded_total"))]
    });
    check_section(&got, "footprint", &footprints);
    // footprints.csv agrees with the projects it funds.
    for (dir, i) in [(&a, 0), (&b, 1)] {
        for f in table(&dir.join("footprints.csv")) {
            assert_eq!(num(&f, "funded"), footprints[&f["footprint_id"]][i]);
        }
    }

    let categories = sums_by(&tables, |row| {
        vec![(row["category"].clone(), num(row, "funded_total"))]
    });
    check_section(&got, "category", &categories);

    let fraction = |t: &Vec<BTreeMap<String, String>>| -> BTreeMap<String, (f64, f64)> {
        t.iter()
            .map(|r| {
                (
                    r["project_id"].clone(),
                    (num(r, "funded_fraction"), num(r, "funded_total")),
                )
            })
            .collect()
    };
    let (before, after) = (fraction(&tables[0]), fraction(&tables[1]));
    let moved: BTreeMap<String, [f64; 2]> = before
        .iter()
        .filter(|(id, (f, _))| after[*id].0 != *f)
        .map(|(id, (_, funded))| (id.clone(), [*funded, after[id].1]))
        .collect();
    assert!(!moved.is_empty(), "the capital cut must move some project");
    check_section(&got, "project", &moved);

    let run_json = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap()
    };
    let (ja, jb) = (run_json(&a), run_json(&b));
    for (key, field) in [("value", "objective"), ("funded", "total_funded_k")] {
        let (x, y) = (ja[field].as_f64().unwrap(), jb[field].as_f64().unwrap());
        let (values, difference) = &got[&("total".to_string(), key.to_string())];
        assert_eq!(values, &[format!("{x:.1}"), format!("{y:.1}")], "{key}");
        assert_eq!(difference, &format!("{:.1}", y - x), "{key}");
    }
    let total_funded: f64 = tables[1].iter().map(|r| num(r, "funded_total")).sum();
    assert_eq!(jb["total_funded_k"].as_f64().unwrap(), total_funded);

    // The Markdown names the scenarios and gives, for each project that dropped out,
    // the reason the cut run's allocation.csv gives.
    let md = std::fs::read_to_string(out.join("comparison.md")).unwrap();
    assert!(md.contains("# Comparison: tiny vs tiny-cut"), "{md}");
    for row in &tables[1] {
        let id = &row["project_id"];
        if let Some([was, now]) = moved.get(id) {
            if *was > 0.0 && *now == 0.0 {
                let line = md
                    .lines()
                    .find(|l| l.starts_with(&format!("| {id} |")))
                    .unwrap_or_else(|| panic!("{id} missing from\n{md}"));
                assert!(line.contains("**out**: not funded"), "{line}");
                assert!(
                    line.contains(&format!("tiny-cut: {}", row["reason"])),
                    "{line}"
                );
            }
        }
    }
    let svg = std::fs::read_to_string(out.join("comparison.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("tiny-cut"));
}

#[test]
fn a_report_compared_with_itself_shows_no_difference() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    run(&fixtures().join("tiny.toml"), &a);
    let out = tmp.path().join("same");
    compare(&[a.clone(), a.clone()], &out).unwrap();
    let got = comparison(&out.join("comparison.csv"), 2);
    assert!(!got.keys().any(|(s, _)| s == "project"));
    for ((section, key), (values, difference)) in &got {
        assert_eq!(values[0], values[1], "{section} {key}");
        if !difference.is_empty() {
            assert_eq!(difference.parse::<f64>().unwrap(), 0.0, "{section} {key}");
        }
    }
    let md = std::fs::read_to_string(out.join("comparison.md")).unwrap();
    assert!(md.contains("Every project is funded the same in every report."));
    assert!(md.contains("| tiny (1) | tiny (2) |"), "{md}");
}

/// An npv run as the reference: the benefit run's allocation is scored as the npv
/// run's NPSV, which must equal its funded fractions times each bid's NPSV as the npv
/// run's own appraisal.csv gives it (no bid moves its start in the tiny case).
#[test]
fn an_npv_reference_scores_a_benefit_run_as_npsv() {
    let tmp = tempfile::tempdir().unwrap();
    // The npv scenario sits beside tiny.toml so its `data = "tiny"` resolves.
    let dir = tmp.path().join("fixtures");
    std::fs::create_dir_all(dir.join("tiny")).unwrap();
    for f in ["footprints.csv", "projects.csv"] {
        std::fs::copy(fixtures().join("tiny").join(f), dir.join("tiny").join(f)).unwrap();
    }
    let tiny = std::fs::read_to_string(fixtures().join("tiny.toml")).unwrap();
    std::fs::write(dir.join("tiny.toml"), &tiny).unwrap();
    let npv = tiny
        .replace("kind = \"benefit\"", "kind = \"npv\"")
        .replace("name = \"tiny\"", "name = \"tiny_npv\"")
        + "\n[appraisal]\noptimism_bias = 0.2\nduration_bias = 0.54\n";
    std::fs::write(dir.join("tiny_npv.toml"), npv).unwrap();
    let (a, b) = (tmp.path().join("npv"), tmp.path().join("benefit"));
    run(&dir.join("tiny_npv.toml"), &a);
    run(&dir.join("tiny.toml"), &b);
    let out = tmp.path().join("cmp");
    compare(&[a.clone(), b.clone()], &out).unwrap();

    let npsv: BTreeMap<String, f64> = table(&a.join("appraisal.csv"))
        .iter()
        .filter(|r| r["project_id"] != "TOTAL")
        .map(|r| (r["project_id"].clone(), num(r, "npsv")))
        .collect();
    let funded = table(&b.join("allocation.csv"));
    let expected: f64 = funded
        .iter()
        .map(|r| num(r, "funded_fraction") * npsv[&r["project_id"]])
        .sum();
    let got = comparison(&out.join("comparison.csv"), 2);
    let (values, difference) = &got[&("total".to_string(), "value_under_reference".to_string())];
    let under: f64 = values[1].parse().unwrap();
    // appraisal.csv rounds each NPSV to 0.1.
    assert!(
        (under - expected).abs() <= 0.05 * npsv.len() as f64,
        "{under} vs {expected}"
    );
    let own: f64 = values[0].parse().unwrap();
    // Each of the three figures is rounded to 0.1 in comparison.csv.
    assert!(
        (difference.parse::<f64>().unwrap() - (under - own)).abs() < 0.15 + 1e-9,
        "{difference} vs {under} - {own}"
    );
    let md = std::fs::read_to_string(out.join("comparison.md")).unwrap();
    assert!(
        md.contains("Value under tiny_npv's objective (£k of net present social value)"),
        "{md}"
    );
    // The run records the settings it appraised with.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("run.json")).unwrap()).unwrap();
    assert_eq!(manifest["appraisal"]["duration_bias"], 0.54);
    assert_eq!(manifest["appraisal"]["optimism_bias"], 0.2);
    // The benefit run did not appraise and records none.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(b.join("run.json")).unwrap()).unwrap();
    assert!(manifest.get("appraisal").is_none());
}
