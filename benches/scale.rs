//! Speed figures, printed rather than asserted: `cargo bench --bench scale`.
//!
//! - a 41-point sweep of the default baseline, one point after another (a one-thread
//!   pool) against all cores;
//! - 20 scenarios on the default dataset in one `run`, likewise;
//! - the time each stage of a default run takes, including the reports;
//! - a 100-footprint × 20,000-project synthetic dataset, generated and solved.

use std::path::{Path, PathBuf};
use std::time::Instant;
use techfund::batch::progress::Mode;
use techfund::batch::scenarios::run_all;
use techfund::batch::sweep;
use techfund::pipeline::{self, Timings};
use techfund::scenario::sweep::SweepRequest;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
    let dir = tempfile::tempdir().unwrap();
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
            run_all(&paths, out, Mode::Quiet, false).unwrap()
        })
    };
    let (r1, t1) = timed(|| run(1, &dir.path().join("one")));
    let (rn, tn) = timed(|| run(cores, &dir.path().join("all")));
    let ok = r1.iter().chain(&rn).all(|(_, r)| r.is_ok());
    println!("20 scenarios in one run (solve + full reports): one after another {t1:.2} s, {cores} threads {tn:.2} s, speed-up {:.2}x (ideal {cores}.00x), all succeeded: {ok}", t1 / tn);

    // 3. Stages of one default run.
    let mut timings = Timings::default();
    let inputs = pipeline::load(&root().join("scenarios/baseline.toml"), &mut timings).unwrap();
    let allocation = pipeline::solve(&inputs, &mut timings).unwrap();
    let rendered = timings
        .time("report", || techfund::report::render(&allocation))
        .unwrap();
    timings.0.extend(rendered.output_ms.iter().copied());
    let files = rendered.files;
    let stages: Vec<String> = timings
        .0
        .iter()
        .map(|(k, v)| format!("{k} {v:.0} ms"))
        .collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!(
        "default run stages: {} ({} files, {:.1} MB)",
        stages.join(", "),
        files.len(),
        bytes as f64 / 1e6
    );

    // 4. A large synthetic dataset.
    let big = tempfile::tempdir().unwrap();
    let opts = techfund::generate::GenerateOptions {
        seed: 7,
        footprints: Some(100),
        projects: 20_000,
        years: techfund::generate::default_years(),
    };
    let (files, t_gen) = timed(|| techfund::generate::generate(&opts));
    techfund::generate::write(&big.path().join("data"), &files).unwrap();
    // The baseline's rules with a budget scaled to the bids (about 17 times the default's).
    std::fs::write(
        big.path().join("big.toml"),
        "name = \"big\"\ndata = \"data\"\nyears = [\"2016/17\", \"2017/18\", \"2018/19\", \"2019/20\", \"2020/21\"]\n[budget]\ncapital = [4250000, 4250000, 3400000, 2210000, 1190000]\nrevenue = [170000, 680000, 1360000, 2040000, 2550000]\n[objective]\nkind = \"maturity\"\nneed = \"least_mature_first\"\n[funding]\nmode = \"all_or_nothing\"\n[rules]\nmin_benefit_per_pound = 1.0\n[rules.footprint_floor]\nshare_of_fair_share = 0.25\n[[rules.category]]\ncategory = \"EPR\"\nmax_share = 0.5\n[solver]\nmip_gap = 1e-3\ntime_limit_s = 300\n",
    )
    .unwrap();
    let mut timings = Timings::default();
    let inputs = pipeline::load(&big.path().join("big.toml"), &mut timings).unwrap();
    let a = pipeline::solve(&inputs, &mut timings).unwrap();
    let stages: Vec<String> = timings
        .0
        .iter()
        .map(|(k, v)| format!("{k} {v:.0} ms"))
        .collect();
    println!(
        "100 footprints x 20,000 projects: generated in {t_gen:.2} s; {}; {:?}, gap {:.4}%",
        stages.join(", "),
        a.solver.status,
        a.solver.gap * 100.0
    );
}
