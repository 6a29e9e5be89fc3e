//! The integration tests, in one binary (one link of HiGHS instead of one per file).
//! Each module runs the built `techfund` binary, or the library, as a user would, each
//! test in its own temporary folder.

mod alternatives;
mod budget;
mod budget_properties;
mod cli;
mod compare;
mod controls;
mod edges;
mod explain;
mod export;
mod golden;
mod inputs;
mod output;
mod prices;
mod properties;
mod scenario_analysis;
mod uncertainty;

/// A temporary work folder holding a copy of the tiny fixture (`tiny/` and
/// `tiny.toml`), so a test can change or break it freely.
fn tiny_workdir() -> tempfile::TempDir {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tiny")).unwrap();
    for e in std::fs::read_dir(fixtures.join("tiny")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("tiny").join(e.file_name())).unwrap();
    }
    std::fs::copy(fixtures.join("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
    dir
}
