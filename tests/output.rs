//! Where techfund writes: `--out` never replaces or overwrites what techfund did not
//! write, and a run killed at any step leaves the old report or the new one, complete,
//! with whatever it left behind cleared by the next run. Each test runs the binary in
//! its own temporary folder.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

fn techfund() -> Command {
    Command::cargo_bin("techfund").unwrap()
}

/// A work folder with the tiny fixture and three scenarios built on it: `small.toml`
/// (less capital: another report), `infeasible.toml` (a run that fails after its
/// checks) and `tiny.toml` itself.
fn workdir() -> tempfile::TempDir {
    let dir = crate::tiny_workdir();
    write(
        &dir.path().join("small.toml"),
        "extends = \"tiny.toml\"\nname = \"small\"\n\n[budget]\ncapital = [5000, 3000]\n",
    );
    // South's must-fund bid needs £1,000k of capital in 2016/17.
    write(
        &dir.path().join("infeasible.toml"),
        "extends = \"tiny.toml\"\nname = \"infeasible\"\n\n[budget]\ncapital = [600, 3000]\n",
    );
    dir
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

fn run_ok(dir: &Path, args: &[&str]) {
    techfund().current_dir(dir).args(args).assert().success();
}

/// Runs techfund expecting exit 2; returns stderr.
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = techfund().current_dir(dir).args(args).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Every file under `dir` (hidden ones too) by relative path, with its bytes; run.json
/// without its stage timings, which change from run to run.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let mut bytes = std::fs::read(&path).unwrap();
            if rel == "run.json" {
                let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                v.as_object_mut().unwrap().remove("stage_ms");
                bytes = serde_json::to_vec(&v).unwrap();
            }
            out.insert(rel, bytes);
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names in `dir` that start with a dot (staging folders, old copies, temporary
/// files), but the marker.
fn dot_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".techfund")
        .collect()
}

const FOREIGN: &str = "techfund did not write";

mod refused {
    use super::*;

    #[test]
    fn out_dot_from_a_scenario_folder_deletes_nothing() {
        let dir = workdir();
        let before = tree(dir.path());
        let stderr = refused(dir.path(), &["run", "tiny.toml", "--out", "."]);
        assert!(stderr.contains("which this run reads"), "{stderr}");
        assert!(stderr.contains("fix:"), "{stderr}");
        assert_eq!(tree(dir.path()), before, "the scenario folder changed");
    }

    #[test]
    fn the_dataset_folder_as_out_is_refused() {
        let dir = workdir();
        let before = tree(dir.path());
        let stderr = refused(dir.path(), &["run", "tiny.toml", "--out", "tiny"]);
        assert!(stderr.contains("tiny/footprints.csv"), "{stderr}");
        assert_eq!(tree(dir.path()), before);
    }

    /// A folder of someone else's files, refused by every command that writes, before
    /// any work: the refusal, not the infeasibility, is what a failing scenario reports.
    #[test]
    fn a_folder_with_foreign_files_is_refused_by_every_command() {
        let dir = workdir();
        let d = dir.path();
        run_ok(d, &["run", "tiny.toml", "--out", "runs/tiny"]);
        run_ok(d, &["run", "small.toml", "--out", "runs/small"]);
        write(&d.join("mine/x.csv"), "a,b\n1,2\n");
        write(&d.join("mine/data/notes.txt"), "mine\n");
        let before = tree(d);
        let commands: [&[&str]; 5] = [
            &["run", "tiny.toml", "--out", "mine"],
            &["run", "infeasible.toml", "--out", "mine"],
            &[
                "sweep",
                "tiny.toml",
                "--steps",
                "2",
                "--quiet",
                "--out",
                "mine",
            ],
            &[
                "target",
                "tiny.toml",
                "--capabilities",
                "45",
                "--out",
                "mine",
            ],
            &["compare", "runs/tiny", "runs/small", "--out", "mine"],
        ];
        for args in commands {
            let stderr = refused(d, args);
            assert!(
                stderr.contains(FOREIGN)
                    && stderr.contains("`x.csv`")
                    && stderr.contains("`data/`"),
                "{args:?}: {stderr}"
            );
            assert!(
                stderr.contains("choose an empty or new folder for --out"),
                "{args:?}: {stderr}"
            );
            assert!(!stderr.contains("no feasible allocation"), "{stderr}");
            assert_eq!(tree(d), before, "{args:?} changed the work folder");
        }
    }

    #[test]
    fn generate_refuses_to_overwrite_data_files_it_did_not_write() {
        let dir = workdir();
        let d = dir.path();
        write(&d.join("mine/projects.csv"), "my own projects\n");
        let before = tree(d);
        let stderr = refused(d, &["generate", "--projects", "20", "--out", "mine"]);
        assert!(
            stderr.contains("`projects.csv`") && stderr.contains("did not write"),
            "{stderr}"
        );
        assert_eq!(tree(d), before);
        // A report folder is not a dataset folder either.
        run_ok(d, &["run", "tiny.toml", "--out", "report"]);
        let before = tree(d);
        refused(d, &["generate", "--projects", "20", "--out", "report"]);
        assert_eq!(tree(d), before);
    }

    #[test]
    fn a_report_someone_added_a_file_to_is_refused() {
        let dir = workdir();
        let d = dir.path();
        run_ok(d, &["run", "tiny.toml", "--out", "report"]);
        write(&d.join("report/charts/my-notes.txt"), "keep me\n");
        let before = tree(d);
        let stderr = refused(d, &["run", "small.toml", "--out", "report"]);
        assert!(stderr.contains("`charts/my-notes.txt`"), "{stderr}");
        assert_eq!(tree(d), before);
    }

    #[test]
    fn out_naming_a_file_leaves_the_file_alone() {
        let dir = workdir();
        let d = dir.path();
        write(&d.join("notes.txt"), "my notes\n");
        for args in [
            &["run", "tiny.toml", "--out", "notes.txt"][..],
            &[
                "sweep",
                "tiny.toml",
                "--steps",
                "2",
                "--quiet",
                "--out",
                "notes.txt",
            ],
            &["generate", "--projects", "20", "--out", "notes.txt"],
        ] {
            let stderr = refused(d, args);
            assert!(stderr.contains("is a file, not a folder"), "{stderr}");
            assert_eq!(
                std::fs::read_to_string(d.join("notes.txt")).unwrap(),
                "my notes\n"
            );
            assert!(dot_leftovers(d).is_empty(), "{:?}", dot_leftovers(d));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_to_a_report_but_not_to_anything_else() {
        let dir = workdir();
        let d = dir.path();
        write(&d.join("mine/x.csv"), "x\n");
        std::os::unix::fs::symlink("mine", d.join("to-mine")).unwrap();
        let before = tree(d);
        let stderr = refused(d, &["run", "tiny.toml", "--out", "to-mine"]);
        assert!(stderr.contains(FOREIGN), "{stderr}");
        assert_eq!(tree(d), before);

        run_ok(d, &["run", "tiny.toml", "--out", "real"]);
        std::os::unix::fs::symlink("real", d.join("link")).unwrap();
        run_ok(d, &["run", "small.toml", "--out", "link"]);
        assert!(std::fs::symlink_metadata(d.join("link"))
            .unwrap()
            .file_type()
            .is_symlink());
        let summary = std::fs::read_to_string(d.join("real/summary.md")).unwrap();
        assert!(
            summary.contains("small"),
            "the report behind the link was not replaced"
        );
    }
}

mod replaced {
    use super::*;

    #[test]
    fn an_earlier_versions_report_without_a_marker_is_replaced() {
        let dir = workdir();
        let d = dir.path();
        run_ok(d, &["run", "tiny.toml", "--out", "report"]);
        // What techfund wrote before markers: the report, with run.json saying techfund.
        std::fs::remove_file(d.join("report/.techfund")).unwrap();
        run_ok(d, &["run", "small.toml", "--out", "report"]);
        assert!(d.join("report/.techfund").exists());
        let summary = std::fs::read_to_string(d.join("report/summary.md")).unwrap();
        assert!(summary.contains("small"));
        assert!(dot_leftovers(d).is_empty(), "{:?}", dot_leftovers(d));
    }

    /// Earlier sweeps had no run.json: their own file names are the evidence, and only
    /// when nothing else is there.
    #[test]
    fn an_earlier_versions_sweep_is_replaced_but_not_with_a_stranger_in_it() {
        let dir = workdir();
        let d = dir.path();
        let sweep = [
            "sweep",
            "tiny.toml",
            "--steps",
            "2",
            "--quiet",
            "--out",
            "s",
        ];
        run_ok(d, &sweep);
        std::fs::remove_file(d.join("s/.techfund")).unwrap();
        run_ok(d, &sweep);
        assert!(d.join("s/.techfund").exists());
        std::fs::remove_file(d.join("s/.techfund")).unwrap();
        write(&d.join("s/extra.txt"), "mine\n");
        let stderr = refused(d, &sweep);
        assert!(stderr.contains("(e.g. `extra.txt`)"), "{stderr}");
    }

    #[test]
    fn an_empty_folder_is_fine() {
        let dir = workdir();
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        run_ok(dir.path(), &["run", "tiny.toml", "--out", "empty"]);
        assert!(dir.path().join("empty/summary.md").exists());
    }

    #[test]
    fn the_marker_names_the_command_and_every_file() {
        let dir = workdir();
        run_ok(dir.path(), &["run", "tiny.toml", "--out", "report"]);
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("report/.techfund")).unwrap())
                .unwrap();
        assert_eq!(m["tool"], "techfund");
        assert_eq!(m["command"], "run");
        let mut listed: Vec<String> = m["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect();
        listed.push(".techfund".into());
        listed.sort();
        let on_disk: Vec<String> = tree(&dir.path().join("report")).into_keys().collect();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn generate_rewrites_a_folder_it_wrote_and_the_committed_data() {
        let dir = workdir();
        let d = dir.path();
        run_ok(d, &["generate", "--projects", "20", "--out", "gen"]);
        write(&d.join("gen/README.md"), "my notes on the data\n");
        run_ok(
            d,
            &[
                "generate",
                "--projects",
                "30",
                "--seed",
                "7",
                "--out",
                "gen",
            ],
        );
        assert_eq!(
            std::fs::read_to_string(d.join("gen/README.md")).unwrap(),
            "my notes on the data\n"
        );
        assert!(dot_leftovers(&d.join("gen")).is_empty());
        // The documented `techfund generate --seed 2016 --out data`, on a copy of data/.
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for name in [".techfund", "footprints.csv", "projects.csv"] {
            std::fs::create_dir_all(d.join("data")).unwrap();
            std::fs::copy(data.join(name), d.join("data").join(name)).unwrap();
        }
        let before = tree(&d.join("data"));
        run_ok(d, &["generate", "--seed", "2016", "--out", "data"]);
        assert_eq!(tree(&d.join("data")), before);
    }
}

mod batch {
    use super::*;

    #[test]
    fn a_foreign_index_html_is_left_untouched() {
        let dir = workdir();
        let d = dir.path();
        write(&d.join("root/index.html"), "<p>my own index</p>\n");
        let before = tree(d);
        let stderr = refused(d, &["run", "tiny.toml", "small.toml", "--out", "root"]);
        assert!(stderr.contains("index.html"), "{stderr}");
        assert_eq!(tree(d), before);
    }

    #[test]
    fn the_root_is_kept_and_only_its_report_folders_replaced() {
        let dir = workdir();
        let d = dir.path();
        write(&d.join("root/README.md"), "reports go here\n");
        write(&d.join("root/other/x.csv"), "x\n");
        for _ in 0..2 {
            run_ok(
                d,
                &["run", "tiny.toml", "small.toml", "--out", "root", "--quiet"],
            );
        }
        assert_eq!(
            std::fs::read_to_string(d.join("root/README.md")).unwrap(),
            "reports go here\n"
        );
        assert!(d.join("root/other/x.csv").exists());
        assert!(d.join("root/tiny/.techfund").exists() && d.join("root/small/.techfund").exists());
        let index = std::fs::read_to_string(d.join("root/index.html")).unwrap();
        assert!(
            index.contains(techfund::report::output::INDEX_MARKER),
            "{index}"
        );
        assert!(dot_leftovers(&d.join("root")).is_empty());
    }

    #[test]
    fn a_foreign_folder_of_one_scenario_fails_that_scenario_only() {
        let dir = workdir();
        let d = dir.path();
        write(&d.join("root/small/x.csv"), "x\n");
        let out = techfund()
            .current_dir(d)
            .args(["run", "tiny.toml", "small.toml", "--out", "root", "--quiet"])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(FOREIGN), "{stderr}");
        assert!(d.join("root/tiny/summary.md").exists());
        assert_eq!(tree(&d.join("root/small")).len(), 1);
    }

    #[test]
    fn out_naming_a_file_is_refused() {
        let dir = workdir();
        write(&dir.path().join("root"), "a file\n");
        refused(
            dir.path(),
            &["run", "tiny.toml", "small.toml", "--out", "root"],
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("root")).unwrap(),
            "a file\n"
        );
    }
}

mod leftovers {
    use super::*;

    fn copy_tree(from: &Path, to: &Path) {
        for (rel, _) in tree(from) {
            let target = to.join(&rel);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(from.join(&rel), target).unwrap();
        }
    }

    #[test]
    fn the_next_run_clears_what_a_killed_run_left_and_nothing_else() {
        let dir = workdir();
        let d = dir.path();
        run_ok(d, &["run", "tiny.toml", "--out", "report"]);
        // A staging folder and an old copy, as a killed run leaves them, one with a
        // marker and one from an earlier version (run.json only); and a folder that
        // only looks like one.
        copy_tree(&d.join("report"), &d.join(".report.tmp-4242"));
        copy_tree(&d.join("report"), &d.join(".report.old-4243"));
        std::fs::remove_file(d.join(".report.old-4243/.techfund")).unwrap();
        std::fs::create_dir(d.join(".report.tmp-4244")).unwrap();
        write(&d.join(".report.tmp-4245/mine.txt"), "not techfund's\n");
        run_ok(d, &["run", "small.toml", "--out", "report"]);
        assert_eq!(dot_leftovers(d), [".report.tmp-4245"]);
        assert!(d.join(".report.tmp-4245/mine.txt").exists());
    }

    #[test]
    fn a_report_killed_between_two_renames_is_put_back_by_the_next_run() {
        let dir = workdir();
        let d = dir.path();
        run_ok(d, &["run", "tiny.toml", "--out", "report"]);
        let good = tree(&d.join("report"));
        // The state the old two-rename swap left when killed between the renames.
        std::fs::rename(d.join("report"), d.join(".report.old-999")).unwrap();
        copy_tree(&d.join(".report.old-999"), &d.join(".report.tmp-999"));
        // Even a run that then fails puts the report back first.
        let stderr = refused(d, &["run", "infeasible.toml", "--out", "report"]);
        assert!(stderr.contains("no feasible allocation"), "{stderr}");
        assert_eq!(tree(&d.join("report")), good);
        assert!(dot_leftovers(d).is_empty(), "{:?}", dot_leftovers(d));
    }

    #[test]
    fn concurrent_runs_into_one_folder_leave_one_complete_report() {
        let dir = workdir();
        let d = dir.path();
        run_ok(d, &["run", "tiny.toml", "--out", "want"]);
        let want: Vec<String> = tree(&d.join("want")).into_keys().collect();
        let bin = assert_cmd::cargo::cargo_bin("techfund");
        for _ in 0..3 {
            let children: Vec<_> = (0..4)
                .map(|i| {
                    std::process::Command::new(&bin)
                        .current_dir(d)
                        .args([
                            "run",
                            if i % 2 == 0 {
                                "tiny.toml"
                            } else {
                                "small.toml"
                            },
                        ])
                        .args(["--out", "report", "--quiet"])
                        .spawn()
                        .unwrap()
                })
                .collect();
            for mut c in children {
                assert!(c.wait().unwrap().success());
            }
            let got: Vec<String> = tree(&d.join("report")).into_keys().collect();
            assert_eq!(got, want);
            assert!(dot_leftovers(d).is_empty(), "{:?}", dot_leftovers(d));
        }
    }
}

/// Kills techfund at every file-system call of a write, with strace's fault injection,
/// and checks after each kill that `--out` holds the complete old report or the
/// complete new one, and that the next run succeeds and leaves nothing behind.
mod killed {
    use super::*;
    use std::process::Command as Process;

    /// The calls a write makes (whichever of the rename calls the platform uses).
    /// (`?`: a call this platform lacks is skipped.)
    const CALLS: &str =
        "?mkdir,mkdirat,openat,?open,?renameat2,?rename,?renameat,?unlink,unlinkat,?rmdir,flock";

    /// Whether strace can trace here; without it the tests skip, except on CI.
    fn strace_works() -> bool {
        let ok = Process::new("strace")
            .args(["-f", "-o", "/dev/null", "true"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "strace is missing or cannot trace, and CI needs the kill tests: run `bash scripts/deps.sh --browser`"
            );
            eprintln!("skipped: strace is missing or cannot trace here (install it with `bash scripts/deps.sh --browser`)");
        }
        ok
    }

    /// Runs `args` under strace with `inject` (extra `-e inject=` specifications, and
    /// with `trace` writing the trace to a file); returns whether it was killed.
    fn strace(dir: &Path, inject: &[String], trace: Option<&Path>, args: &[&str]) -> bool {
        let mut cmd = Process::new("strace");
        cmd.current_dir(dir)
            .arg("-o")
            .arg(trace.unwrap_or(Path::new("/dev/null")))
            .args(["-e", &format!("trace={CALLS}")]);
        for i in inject {
            cmd.args(["-e", &format!("inject={i}")]);
        }
        let status = cmd
            .arg(assert_cmd::cargo::cargo_bin("techfund"))
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        if trace.is_some() {
            assert!(status.success(), "the traced run failed: {status}");
        }
        !status.success() && status.code().is_none_or(|c| c == 128 + 9)
    }

    /// Each call of the traced run whose arguments name `name` (the report folder, its
    /// staging folder or old copy): the call, and which call of that kind it was (what
    /// strace's `when=` counts, per call and per process).
    fn kill_points(trace: &Path, name: &str) -> Vec<(String, usize)> {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut points = Vec::new();
        for line in std::fs::read_to_string(trace).unwrap().lines() {
            let Some((call, _)) = line.split_once('(') else {
                continue;
            };
            if call.is_empty() || !call.bytes().all(|b| b.is_ascii_alphanumeric()) {
                continue;
            }
            let n = seen.entry(call.to_string()).or_default();
            *n += 1;
            if line.contains(&format!("/{name}"))
                || line.contains(&format!("\"{name}"))
                || line.contains(&format!(".{name}."))
            {
                points.push((call.to_string(), *n));
            }
        }
        points
    }

    /// What the folder holds now: the old report, the new one, nothing, or something
    /// else (a failure).
    #[derive(Debug, PartialEq)]
    enum State {
        Old,
        New,
        Missing,
        Broken(Vec<String>),
    }

    fn state(
        dir: &Path,
        old: &BTreeMap<String, Vec<u8>>,
        new: &BTreeMap<String, Vec<u8>>,
    ) -> State {
        if !dir.exists() {
            return State::Missing;
        }
        let got = tree(dir);
        if &got == old {
            State::Old
        } else if &got == new {
            State::New
        } else {
            State::Broken(got.into_keys().collect())
        }
    }

    /// Kills `techfund run small.toml --out report` at each of its calls that touch the
    /// report, with `report` first holding the tiny report (or nothing, if `replace` is
    /// false); `inject` is injected into every run, e.g. to make renameat2 unsupported.
    fn kill_everywhere(replace: bool, inject: &[String]) {
        if !strace_works() {
            return;
        }
        let dir = workdir();
        let d = dir.path();
        let run = ["run", "small.toml", "--out", "report", "--quiet"];
        run_ok(d, &["run", "tiny.toml", "--out", "old-ref"]);
        run_ok(d, &["run", "small.toml", "--out", "new-ref"]);
        let (old, new) = (tree(&d.join("old-ref")), tree(&d.join("new-ref")));
        let reset = || {
            for name in dot_leftovers(d).into_iter().chain(["report".to_string()]) {
                let _ = std::fs::remove_dir_all(d.join(name));
            }
            if replace {
                for rel in old.keys() {
                    let to = d.join("report").join(rel);
                    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                    std::fs::copy(d.join("old-ref").join(rel), to).unwrap();
                }
            }
        };
        reset();
        let trace = d.join("trace.txt");
        strace(d, inject, Some(&trace), &run);
        let points = kill_points(&trace, "report");
        std::fs::remove_file(&trace).unwrap();
        assert!(points.len() > 20, "too few calls traced: {points:?}");
        let calls: Vec<&str> = points.iter().map(|(c, _)| c.as_str()).collect();
        let swap = if inject.is_empty() {
            "renameat2"
        } else {
            "rename"
        };
        assert!(calls.contains(&swap), "no {swap} among {calls:?}");
        let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
        for (call, n) in &points {
            reset();
            let mut spec = inject.to_vec();
            spec.push(format!("{call}:signal=KILL:when={n}"));
            assert!(strace(d, &spec, None, &run), "not killed at {call} #{n}");
            let at = format!("killed at {call} #{n}");
            let outcome = match state(&d.join("report"), &old, &new) {
                State::Old if replace => "old report",
                State::New => "new report",
                State::Missing if !replace => "no report yet",
                State::Missing if !inject.is_empty() => {
                    // Only between the two renames: the old copy waits, complete, beside
                    // the folder, and any later run (even one that fails) puts it back.
                    let stderr = refused(d, &["run", "infeasible.toml", "--out", "report"]);
                    assert!(stderr.contains("no feasible allocation"), "{at}: {stderr}");
                    let back = state(&d.join("report"), &old, &new);
                    assert_eq!(back, State::Old, "{at}: the old report was not put back");
                    "old report, put back by the next run"
                }
                s => panic!("{at}: the report folder holds {s:?}"),
            };
            *outcomes.entry(outcome).or_default() += 1;
            run_ok(d, &run);
            assert_eq!(
                state(&d.join("report"), &old, &new),
                State::New,
                "{at}: the next run"
            );
            assert!(
                dot_leftovers(d).is_empty(),
                "{at}: left {:?}",
                dot_leftovers(d)
            );
        }
        eprintln!("{} kill points: {outcomes:?}", points.len());
        if replace {
            assert!(
                outcomes.contains_key("old report") && outcomes.contains_key("new report"),
                "{outcomes:?}"
            );
        }
    }

    #[test]
    fn killed_while_replacing_a_report_by_exchange() {
        kill_everywhere(true, &[]);
    }

    #[test]
    fn killed_while_replacing_a_report_by_two_renames() {
        // As on a file system without RENAME_EXCHANGE.
        kill_everywhere(true, &["renameat2:error=EINVAL".to_string()]);
    }

    #[test]
    fn killed_while_writing_a_first_report() {
        kill_everywhere(false, &[]);
    }

    /// Runs into one folder whose swaps overlap (every rename slowed by 0.2 s, so the
    /// second run reaches its swap while the first is inside its own) take turns: all
    /// succeed, and one complete report and no copies are left.
    #[test]
    fn concurrent_runs_with_slow_swaps_take_turns() {
        if !strace_works() {
            return;
        }
        let dir = workdir();
        let d = dir.path();
        run_ok(d, &["run", "tiny.toml", "--out", "want"]);
        let want: Vec<String> = tree(&d.join("want")).into_keys().collect();
        run_ok(d, &["run", "tiny.toml", "--out", "report"]);
        let children: Vec<_> = ["tiny.toml", "small.toml", "tiny.toml"]
            .iter()
            .map(|scenario| {
                Process::new("strace")
                    .current_dir(d)
                    .args([
                        "-o",
                        "/dev/null",
                        "-e",
                        "trace=?rename,?renameat,?renameat2",
                    ])
                    .args([
                        "-e",
                        "inject=?rename,?renameat,?renameat2:delay_enter=200000",
                    ])
                    .arg(assert_cmd::cargo::cargo_bin("techfund"))
                    .args(["run", scenario, "--out", "report", "--quiet"])
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            assert!(c.wait().unwrap().success(), "a concurrent run failed");
        }
        let got: Vec<String> = tree(&d.join("report")).into_keys().collect();
        assert_eq!(got, want);
        assert!(dot_leftovers(d).is_empty(), "{:?}", dot_leftovers(d));
    }

    /// generate replaces its two files one by one: after a kill each is the old or the
    /// new file, whole, and the next generate clears its temporary files.
    #[test]
    fn killed_while_generating() {
        if !strace_works() {
            return;
        }
        let dir = workdir();
        let d = dir.path();
        let args = |seed: &'static str, out: &'static str| {
            ["generate", "--projects", "40", "--seed", seed, "--out", out]
        };
        run_ok(d, &args("1", "old-ref"));
        run_ok(d, &args("2", "new-ref"));
        let reset = || {
            let _ = std::fs::remove_dir_all(d.join("data"));
            run_ok(d, &args("1", "data"));
        };
        reset();
        let trace = d.join("trace.txt");
        strace(d, &[], Some(&trace), &args("2", "data"));
        let points = kill_points(&trace, "data");
        std::fs::remove_file(&trace).unwrap();
        assert!(points.len() >= 4, "{points:?}");
        for (call, n) in &points {
            reset();
            assert!(
                strace(
                    d,
                    &[format!("{call}:signal=KILL:when={n}")],
                    None,
                    &args("2", "data")
                ),
                "not killed at {call} #{n}"
            );
            for file in ["footprints.csv", "projects.csv", ".techfund"] {
                let got = std::fs::read(d.join("data").join(file)).unwrap();
                assert!(
                    got == std::fs::read(d.join("old-ref").join(file)).unwrap()
                        || got == std::fs::read(d.join("new-ref").join(file)).unwrap(),
                    "killed at {call} #{n}: {file} is neither the old nor the new file"
                );
            }
            run_ok(d, &args("2", "data"));
            assert_eq!(tree(&d.join("data")), tree(&d.join("new-ref")));
            assert!(dot_leftovers(&d.join("data")).is_empty());
        }
    }
}
