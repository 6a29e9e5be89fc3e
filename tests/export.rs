//! `run --export-model` writes exactly the model HiGHS solves: read back by HiGHS on
//! its own (through its C API, as another program would), it has the same optimum.

use std::ffi::CString;
use std::path::{Path, PathBuf};
use techfund::allocation::value;
use techfund::pipeline::{self, Timings};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads a model file with a fresh HiGHS, solves it to `gap` and returns its optimum.
fn highs_alone(model: &Path, gap: f64) -> f64 {
    let path = CString::new(model.to_str().unwrap()).unwrap();
    let option = |name: &str| CString::new(name).unwrap();
    // SAFETY: one HiGHS instance, created and destroyed here; every pointer passed is a
    // live NUL-terminated string.
    unsafe {
        let highs = highs_sys::Highs_create();
        highs_sys::Highs_setBoolOptionValue(highs, option("output_flag").as_ptr(), 0);
        highs_sys::Highs_setDoubleOptionValue(highs, option("mip_rel_gap").as_ptr(), gap);
        highs_sys::Highs_setDoubleOptionValue(highs, option("mip_abs_gap").as_ptr(), 1e-10);
        let read = highs_sys::Highs_readModel(highs, path.as_ptr());
        assert_eq!(read, 0, "HiGHS could not read {}", model.display());
        assert_eq!(
            highs_sys::Highs_run(highs),
            0,
            "HiGHS failed on {}",
            model.display()
        );
        let optimum = highs_sys::Highs_getObjectiveValue(highs);
        highs_sys::Highs_destroy(highs);
        optimum
    }
}

/// Runs the scenario with the model exported as `.mps` and `.lp`, re-reads each and
/// compares optima, allowing twice the scenario's gap (each side may stop within it).
fn same_optimum(scenario: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = pipeline::load(scenario, &mut Timings::default()).unwrap();
    let gap = inputs.scenario.solver.mip_gap;
    for ext in ["mps", "lp"] {
        let file = dir.path().join(format!("model.{ext}"));
        let ours = pipeline::solve_and_export(&inputs, &mut Timings::default(), Some(&file))
            .unwrap()
            .solver
            .objective;
        let theirs = value::from_solver(&inputs.scenario, highs_alone(&file, gap));
        let allowed = (2.0 * gap + 1e-7) * ours.abs().max(1.0);
        assert!(
            (ours - theirs).abs() <= allowed,
            "{}: techfund {ours}, HiGHS on the exported .{ext} {theirs}",
            scenario.display()
        );
    }
}

#[test]
fn the_tiny_model_read_back_by_highs_has_the_same_proven_optimum() {
    same_optimum(&root().join("tests/fixtures/tiny.toml"));
}

#[test]
fn the_value_for_money_model_read_back_by_highs_has_the_same_optimum() {
    // 1,200 bids, partial funding with minimum shares: a MIP with continuous columns.
    same_optimum(&root().join("scenarios/value_for_money.toml"));
}

fn run_exporting(dir: &Path, model: &Path) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("techfund")
        .unwrap()
        .args(["run", "tests/fixtures/tiny.toml", "--quiet", "--out"])
        .arg(dir.join("report"))
        .arg("--export-model")
        .arg(model)
        .current_dir(root())
        .assert()
}

#[test]
fn the_command_line_writes_named_models_that_highs_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["mps", "lp"] {
        let model = dir.path().join(format!("tiny.{ext}"));
        run_exporting(dir.path(), &model).success();
        let text = std::fs::read_to_string(&model).unwrap();
        assert!(
            text.lines().next().unwrap().contains("Written by techfund"),
            "{text}"
        );
        // Columns carry the bids' ids; MPS rows carry the rules' names too (HiGHS's LP
        // writer numbers rows r0, r1, … whatever they are called).
        assert!(text.contains("share_N1"), "{text}");
        if ext == "mps" {
            assert!(text.contains("budget_capital_2016_17"), "{text}");
        }
        // The marked file still reads as a model: tiny's proven optimum is 18,700 £k.
        let inputs = pipeline::load(
            &root().join("tests/fixtures/tiny.toml"),
            &mut Timings::default(),
        )
        .unwrap();
        let optimum = value::from_solver(&inputs.scenario, highs_alone(&model, 0.0));
        assert!((optimum - 18_700.0).abs() < 1e-6, "{optimum}");
        // A second run replaces the file it wrote, and leaves no scratch copy behind.
        run_exporting(dir.path(), &model).success();
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_model_file_techfund_did_not_write_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("mine.mps");
    std::fs::write(&model, "my own model\n").unwrap();
    run_exporting(dir.path(), &model)
        .code(2)
        .stderr(predicates::str::contains("techfund did not write it"));
    assert_eq!(std::fs::read_to_string(&model).unwrap(), "my own model\n");
    // Refused before solving: no report either.
    assert!(!dir.path().join("report").exists());
}
