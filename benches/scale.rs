//! Speed figures, printed rather than asserted: `cargo bench --bench scale`.
//!
//! - a 41-point sweep of the default baseline, one point after another (a one-thread
//!   pool) against all cores;
//! - 20 scenarios on the default dataset in one `run`, likewise;
//! - the time each stage of a default run takes, including the reports;
//! - the benchmark harness's 20,000-bid case (seed 2016, 100 footprints, benefit, all or
//!   nothing, gap 1e-4), generated and run.
//!
//! The comparison with HiGHS alone and PuLP + CBC on the same exported models, at
//! 1,200, 20,000 and 100,000 bids, is `bash scripts/bench/run.sh` (BENCHMARKS.md).

use std::path::{Path, PathBuf};
use std::time::Instant;
use techfund::batch::progress::Mode;
use techfund::batch::scenarios::{run_all, run_one, Extras};
use techfund::batch::sweep;
use techfund::pipeline::{self, Timings};
use techfund::scenario::sweep::SweepRequest;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A folder for one part's files, under target/ (cargo's tmp folder for benches), removed
/// when dropped: nothing the benchmark makes lands outside target/.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64())
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "techfund benchmarks on {cores} core(s), HiGHS {}",
        techfund::solve::highs_version()
    );

    // 1. Sweep.
    let inputs = pipeline::load(
        &root().join("scenarios/baseline.toml"),
        &mut Timings::default(),
    )
    .unwrap();
    let request = SweepRequest::new(0.5, 1.5, 41, None, None).unwrap();
    let (seq, t_seq) = timed(|| {
        in_pool(1, || {
            sweep::solve_points(&inputs.data, &inputs.scenario, &request, Mode::Quiet)
        })
    });
    let (par, t_par) = timed(|| {
        in_pool(cores, || {
            sweep::solve_points(&inputs.data, &inputs.scenario, &request, Mode::Quiet)
        })
    });
    let same = seq.iter().zip(&par).all(|(a, b)| {
        a.outcome.as_ref().ok().map(|x| x.value) == b.outcome.as_ref().ok().map(|x| x.value)
    });
    println!("sweep, 41 budget levels (82 solves incl. +£1m): one after another {t_seq:.2} s, {cores} threads {t_par:.2} s, speed-up {:.2}x, identical values: {same}", t_seq / t_par);

    // 2. Twenty scenarios in one run.
    let dir = scratch();
    let paths: Vec<PathBuf> = (0..20)
        .map(|i| {
            let p = dir.path().join(format!("s{i:02}.toml"));
            let share = 0.6 + 0.04 * i as f64;
            let capital: Vec<String> = [250000.0, 250000.0, 200000.0, 130000.0, 70000.0].iter().map(|c| format!("{:.0}", c * share)).collect();
            let revenue: Vec<String> = [10000.0, 40000.0, 80000.0, 120000.0, 150000.0].iter().map(|c| format!("{:.0}", c * share)).collect();
            std::fs::write(
                &p,
                format!(
                    "extends = \"{}\"\nname = \"s{i:02}\"\n[budget]\ncapital = [{}]\nrevenue = [{}]\n",
                    root().join("scenarios/baseline.toml").display(),
                    capital.join(", "),
                    revenue.join(", ")
                ),
            )
            .unwrap();
            p
        })
        .collect();
    let run = |threads: usize, out: &Path| {
        in_pool(threads, || {
            run_all(&paths, out, Mode::Quiet, Extras::default()).unwrap()
        })
    };
    let (r1, t1) = timed(|| run(1, &dir.path().join("one")));
    let (rn, tn) = timed(|| run(cores, &dir.path().join("all")));
    let ok = r1.iter().chain(&rn).all(|(_, r)| r.is_ok());
    println!("20 scenarios in one run (solve + full reports): one after another {t1:.2} s, {cores} threads {tn:.2} s, speed-up {:.2}x (ideal {cores}.00x), all succeeded: {ok}", t1 / tn);

    // 3. Stages of one default run, through `run` itself (as `techfund run` does),
    // read back from its run.json.
    let out = scratch();
    let (headline, t_run) = timed(|| {
        run_one(&root().join("scenarios/baseline.toml"), |name| {
            out.path().join(name)
        })
        .unwrap()
    });
    let stages = stage_ms(&headline.report_dir);
    let (files, bytes) = folder_size(&headline.report_dir);
    println!(
        "default run: {t_run:.2} s end to end; stages {} ({files} files, {:.1} MB)",
        describe(&stages),
        bytes as f64 / 1e6
    );

    // 4. The harness's generated cases (scripts/bench/run.sh): seed 2016, 42 footprints
    // at 1,200 bids and 100 above, benefit, a fund of half the asks, gap 1e-4, all or
    // nothing and partial. techfund's side only, without reports: model build (the
    // fastest of three, to show it grows linearly with the bids) and one solve. The
    // harness also times the reports and solves the exported models with HiGHS alone
    // and with CBC. BENCH_SIZES (as for run.sh) picks the sizes.
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "1200 20000 100000".into())
        .split_whitespace()
        .map(|s| s.parse().expect("BENCH_SIZES: numbers of bids"))
        .collect();
    let mut build_us_per_bid = Vec::new();
    for &n in &sizes {
        let dir = scratch();
        let opts = techfund::generate::GenerateOptions {
            seed: 2016,
            footprints: (n > 1200).then_some(100),
            projects: n,
            years: techfund::generate::default_years(),
        };
        let (files, t_gen) = timed(|| techfund::generate::generate(&opts));
        techfund::generate::write(&dir.path().join("data"), &files).unwrap();
        println!("{n} bids: generated in {t_gen:.2} s");
        for funding in ["all_or_nothing", "partial"] {
            let name = format!("n{n}-benefit-{funding}");
            let path = dir.path().join(format!("{name}.toml"));
            std::fs::write(&path, harness_scenario(&name, funding, &files.projects_csv)).unwrap();
            let mut timings = Timings::default();
            let inputs = pipeline::load(&path, &mut timings).unwrap();
            let build_ms = (0..3)
                .map(|_| {
                    let (programme, t) =
                        timed(|| techfund::model::build(&inputs.data, &inputs.scenario));
                    programme.unwrap();
                    t * 1000.0
                })
                .fold(f64::INFINITY, f64::min);
            if funding == "all_or_nothing" {
                build_us_per_bid.push((n, build_ms, build_ms * 1000.0 / n as f64));
            }
            let (allocation, t_solve) = timed(|| pipeline::solve(&inputs, &mut timings).unwrap());
            let stages: Vec<(String, f64)> =
                timings.0.iter().map(|(k, v)| (k.to_string(), *v)).collect();
            println!(
                "  {funding}: model build {build_ms:.1} ms ({:.2} µs per bid); load + model + solve + check {t_solve:.2} s, stages {}; {}, gap {:.4}%",
                build_ms * 1000.0 / n as f64,
                describe(&stages),
                allocation.solver.status.as_str(),
                allocation.solver.gap * 100.0
            );
        }
    }
    let per_bid: Vec<String> = build_us_per_bid
        .iter()
        .map(|(n, ms, us)| format!("{n} bids {ms:.1} ms = {us:.2} µs/bid"))
        .collect();
    println!(
        "model build (all or nothing; linear in the bids if µs/bid stays flat): {}",
        per_bid.join(", ")
    );
}

/// The harness's scenario (scripts/bench/scenario.py): the plain capital-budgeting core,
/// maximising benefit, with half of what the bids ask per financial year and line.
fn harness_scenario(name: &str, funding: &str, projects_csv: &str) -> String {
    let mut reader = csv::Reader::from_reader(projects_csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let cols: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("capital_") || h.starts_with("revenue_"))
        .map(|(i, h)| (i, h.to_string()))
        .collect();
    let mut sums = vec![0.0; cols.len()];
    for row in reader.records() {
        let row = row.unwrap();
        for (k, (i, _)) in cols.iter().enumerate() {
            let cell = &row[*i];
            if !cell.is_empty() {
                sums[k] += cell.parse::<f64>().unwrap();
            }
        }
    }
    let mut years: Vec<String> = Vec::new();
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    for ((_, h), sum) in cols.iter().zip(&sums) {
        let mut parts = h.split('_');
        let (line, y1, y2) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let year = format!("\"{y1}/{y2}\"");
        if !years.contains(&year) {
            years.push(year);
        }
        let amount = format!("{:.0}", (0.5 * sum).round());
        match lines.iter_mut().find(|(l, _)| l == line) {
            Some((_, v)) => v.push(amount),
            None => lines.push((line.to_string(), vec![amount])),
        }
    }
    let budget: Vec<String> = lines
        .iter()
        .map(|(l, v)| format!("{l} = [{}]", v.join(", ")))
        .collect();
    format!(
        "name = \"{name}\"\ndata = \"data\"\nyears = [{}]\n[budget]\n{}\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"{funding}\"\n[solver]\nmip_gap = 1e-4\ntime_limit_s = 120\n",
        years.join(", "),
        budget.join("\n")
    )
}

/// A report's stage times (ms) from its run.json, in pipeline order (run.json sorts
/// them by name).
fn stage_ms(report_dir: &Path) -> Vec<(String, f64)> {
    const ORDER: [&str; 7] = [
        "scenario",
        "load",
        "model",
        "solve",
        "check",
        "allocation",
        "report",
    ];
    let text = std::fs::read_to_string(report_dir.join("run.json")).unwrap();
    let run: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut stages: Vec<(String, f64)> = run["stage_ms"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_f64().unwrap()))
        .collect();
    // Each stage by its place in ORDER ("report.charts" after "report"), unknown ones last.
    let rank = |name: &str| {
        let stem = name.split('.').next().unwrap_or(name);
        ORDER.iter().position(|s| *s == stem).unwrap_or(ORDER.len())
    };
    stages.sort_by_key(|(k, _)| rank(k));
    stages
}

fn describe(stages: &[(String, f64)]) -> String {
    stages
        .iter()
        .map(|(k, v)| format!("{k} {v:.0} ms"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Files and bytes under a folder.
fn folder_size(dir: &Path) -> (usize, u64) {
    let mut out = (0, 0);
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            let (f, b) = folder_size(&entry.path());
            out = (out.0 + f, out.1 + b);
        } else {
            out = (out.0 + 1, out.1 + meta.len());
        }
    }
    out
}
