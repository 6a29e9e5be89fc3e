//! Golden files for every output of `run`, `sweep`, `target` and `compare` on the tiny
//! dataset. Text outputs are compared byte for byte (run.json with its timings
//! masked); charts are compared by their outline (the elements drawn and every text
//! label), since pixels and coordinates are not the point; PNGs must decode.
//!
//! After a deliberate change, `UPDATE_GOLDEN=1 cargo test --release --test tests golden`
//! rewrites the files; the commit that changes one says why.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn techfund() -> Command {
    Command::cargo_bin("techfund").unwrap()
}

/// A work folder with the tiny fixture, and `tiny_small.toml`: the same scenario on
/// a smaller budget, for comparisons.
fn workdir() -> tempfile::TempDir {
    let dir = crate::tiny_workdir();
    std::fs::write(
        dir.path().join("tiny_small.toml"),
        "extends = \"tiny.toml\"\nname = \"tiny_small\"\n\n[budget]\ncapital = [4500, 2500]\nrevenue = [200, 600]\n",
    )
    .unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) {
    techfund().current_dir(dir).args(args).assert().success();
}

/// Compares `got` with `tests/golden/<name>`, or rewrites it under UPDATE_GOLDEN.
fn golden(name: &str, got: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        got == want,
        "{name} differs from its golden file (UPDATE_GOLDEN=1 rewrites them after a deliberate change)\n--- got ---\n{}",
        got.chars().take(3000).collect::<String>()
    );
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The golden form of every file in `dir`, by name: text as it is, run.json with its
/// timings masked, SVG charts as outlines, PNGs checked to decode.
fn check_folder(dir: &Path, golden_dir: &str) {
    let mut names: Vec<PathBuf> = Vec::new();
    collect(dir, dir, &mut names);
    names.sort();
    assert!(!names.is_empty(), "{} is empty", dir.display());
    for rel in names {
        let path = dir.join(&rel);
        let name = format!("{golden_dir}/{}", rel.display());
        match rel.extension().and_then(|e| e.to_str()) {
            Some("csv" | "md" | "html") => golden(&name, &text(&path)),
            Some("json") => golden(&name, &mask_timings(&text(&path))),
            Some("svg") => golden(&format!("{name}.outline"), &svg_outline(&text(&path))),
            Some("png") => assert_png(&path),
            // The workbook is read back cell by cell in its own tests.
            Some("xlsx") => {}
            // The ownership marker names the command that wrote the folder (its version
            // changes with every release, so it has no golden file).
            _ if rel.as_os_str() == ".techfund" => {
                let m: serde_json::Value = serde_json::from_str(&text(&path)).unwrap();
                assert_eq!(
                    (&m["tool"], &m["command"]),
                    // `run-alternatives` is a folder `run` wrote.
                    (&"techfund".into(), &golden_dir.split('-').next().into())
                );
            }
            _ => panic!("no golden rule for {}", rel.display()),
        }
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

/// run.json with each stage's milliseconds replaced by 0, and the folder it ran in
/// (a temporary folder here) by a placeholder.
fn mask_timings(json: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    if let Some(dir) = v.get_mut("working_dir") {
        *dir = serde_json::json!("<work folder>");
    }
    if let Some(stages) = v.get_mut("stage_ms").and_then(|s| s.as_object_mut()) {
        for ms in stages.values_mut() {
            *ms = serde_json::json!(0);
        }
    }
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

/// What an SVG draws, without coordinates: how many of each element, then every text
/// label in order.
fn svg_outline(svg: &str) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut labels = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            continue;
        }
        *counts.entry(name.clone()).or_default() += 1;
        if name == "text" {
            let start = rest.find('>').map_or(rest.len(), |j| j + 1);
            let end = rest[start..].find("</text>").map_or(0, |j| j);
            labels.push(rest[start..start + end].trim().to_string());
        }
    }
    let mut out = String::new();
    for (name, n) in counts {
        out += &format!("<{name}> × {n}\n");
    }
    out += "labels:\n";
    for l in labels {
        out += &format!("  {l}\n");
    }
    out
}

fn assert_png(path: &Path) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let info = reader.info();
    assert!(
        info.width >= 400 && info.height >= 200,
        "{} is {}×{}",
        path.display(),
        info.width,
        info.height
    );
}

#[test]
fn run_writes_its_golden_report() {
    let dir = workdir();
    run(dir.path(), &["run", "tiny.toml", "--out", "out"]);
    check_folder(&dir.path().join("out"), "run");
}

#[test]
fn run_with_alternatives_writes_its_golden_report() {
    let dir = workdir();
    std::fs::write(
        dir.path().join("tiny_alternatives.toml"),
        "extends = \"tiny.toml\"\nname = \"tiny_alternatives\"\n\n[alternatives]\ncount = 3\nwithin = 0.1\ndiffer_by = 2\n",
    )
    .unwrap();
    run(
        dir.path(),
        &["run", "tiny_alternatives.toml", "--out", "out"],
    );
    check_folder(&dir.path().join("out"), "run-alternatives");
}

#[test]
fn sweep_writes_its_golden_report() {
    let dir = workdir();
    run(
        dir.path(),
        &[
            "sweep",
            "tiny.toml",
            "--from",
            "50%",
            "--to",
            "150%",
            "--steps",
            "5",
            "--out",
            "sweep",
            "--quiet",
        ],
    );
    check_folder(&dir.path().join("sweep"), "sweep");
}

#[test]
fn target_writes_its_golden_report() {
    let dir = workdir();
    run(
        dir.path(),
        &[
            "target",
            "tiny.toml",
            "--capabilities",
            "45",
            "--out",
            "target",
        ],
    );
    check_folder(&dir.path().join("target"), "target");
}

#[test]
fn compare_writes_its_golden_report() {
    let dir = workdir();
    run(
        dir.path(),
        &["run", "tiny.toml", "--out", "runs/tiny", "--quiet"],
    );
    run(
        dir.path(),
        &[
            "run",
            "tiny_small.toml",
            "--out",
            "runs/tiny_small",
            "--quiet",
        ],
    );
    run(
        dir.path(),
        &[
            "compare",
            "runs/tiny",
            "runs/tiny_small",
            "--out",
            "comparison",
        ],
    );
    check_folder(&dir.path().join("comparison"), "compare");
}

#[test]
fn explain_writes_its_golden_report() {
    // Every file of `explain`, the replacement-cost chart and explain.html included.
    let dir = workdir();
    run(
        dir.path(),
        &["explain", "tiny.toml", "--out", "explain", "--quiet"],
    );
    check_folder(&dir.path().join("explain"), "explain");
}

#[test]
fn marginal_values_chart_has_its_golden_outline() {
    let dir = workdir();
    run(
        dir.path(),
        &[
            "run",
            "tiny.toml",
            "--marginal-values",
            "--out",
            "out",
            "--quiet",
        ],
    );
    let charts = dir.path().join("out/charts");
    golden(
        "run-marginal/charts/marginal_values.svg.outline",
        &svg_outline(&text(&charts.join("marginal_values.svg"))),
    );
    assert_png(&charts.join("marginal_values.png"));
}

/// The price of each rule and the fairness frontier on the tiny fixture: their CSVs,
/// the summary that shows them, and the frontier chart's outline.
#[test]
fn run_with_rule_prices_and_fairness_frontier_writes_its_golden_files() {
    let dir = workdir();
    run(
        dir.path(),
        &[
            "run",
            "tiny.toml",
            "--rule-prices",
            "--fairness-frontier",
            "--out",
            "out",
            "--quiet",
        ],
    );
    let out = dir.path().join("out");
    for name in ["rule_prices.csv", "fairness_frontier.csv", "summary.md"] {
        golden(&format!("run-prices/{name}"), &text(&out.join(name)));
    }
    golden(
        "run-prices/charts/fairness_frontier.svg.outline",
        &svg_outline(&text(&out.join("charts/fairness_frontier.svg"))),
    );
    assert_png(&out.join("charts/fairness_frontier.png"));
}
