//! What each command does, over the library's pipeline.

use crate::batch::parallel::{run_all, run_one};
use crate::batch::progress::Mode;
use crate::cli::{Cli, Command};
use crate::domain::FinancialYear;
use crate::error::{Error, InputError, Result};
use crate::format::money;
use crate::generate;
use crate::pipeline::{self, Timings};
use std::path::{Path, PathBuf};

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run {
            scenarios,
            out,
            quiet,
        } => run_scenarios(&scenarios, out.as_deref(), quiet),
        Command::Compare { reports, out } => {
            crate::compare::run(&reports, &out)?;
            println!("wrote {}", out.join("comparison.md").display());
            Ok(())
        }
        Command::Sweep {
            scenario,
            from,
            to,
            steps,
            year,
            line,
            out,
            quiet,
        } => {
            let request = crate::batch::sweep::SweepRequest::parse(
                &from,
                &to,
                steps,
                year.as_deref(),
                line.as_deref(),
            )?;
            let dir =
                crate::batch::sweep::run(&scenario, &request, out.as_deref(), Mode::detect(quiet))?;
            if !quiet {
                println!("wrote {}", dir.join("frontier.csv").display());
            }
            Ok(())
        }
        Command::Target {
            scenario,
            capabilities,
            population_share,
            out,
        } => {
            let (dir, s, r) = crate::batch::target::run(
                &scenario,
                capabilities,
                population_share,
                out.as_deref(),
            )?;
            println!(
                "{}: minimum fund {} ({}) → {}",
                s.name,
                money(r.total()),
                r.status.describe(),
                dir.display()
            );
            Ok(())
        }
        Command::Validate { scenarios } => {
            for path in &scenarios {
                validate(path)?;
            }
            Ok(())
        }
        Command::Generate {
            seed,
            footprints,
            projects,
            first_year,
            years,
            out,
        } => generate(seed, footprints, projects, &first_year, years, &out),
    }
}

fn run_scenarios(paths: &[PathBuf], out: Option<&Path>, quiet: bool) -> Result<()> {
    if let [path] = paths {
        let headline = run_one(path, |name| {
            out.map_or_else(|| Path::new("reports").join(name), Path::to_path_buf)
        })?;
        if !quiet {
            println!("{}", headline.line());
        }
        return Ok(());
    }
    let root = out.unwrap_or(Path::new("reports"));
    let results = run_all(paths, root, Mode::detect(quiet))?;
    let mut failures = Vec::new();
    for (path, r) in results {
        match r {
            Ok(h) if !quiet => println!("{}", h.line()),
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                failures.push(e);
            }
        }
    }
    if !quiet && failures.len() < paths.len() {
        println!(
            "index of the reports: {}",
            root.join("index.html").display()
        );
    }
    let failed = failures.len();
    match failures.into_iter().map(|e| e.exit_code()).max() {
        Some(code) => Err(Error::Batch { failed, code }),
        None => Ok(()),
    }
}

fn generate(
    seed: u64,
    footprints: Option<usize>,
    projects: usize,
    first_year: &str,
    years: usize,
    out: &Path,
) -> Result<()> {
    let first = FinancialYear::parse(first_year)
        .map_err(|p| InputError::file(Path::new("--first-year"), p, "e.g. --first-year 2016/17"))?;
    let years = (0..years as u32)
        .map(|i| {
            let start = first.start_year() + i;
            FinancialYear::parse(&format!("{start}/{:02}", (start + 1) % 100))
                .expect("consecutive years are valid")
        })
        .collect();
    let opts = generate::GenerateOptions {
        seed,
        footprints,
        projects,
        years,
    };
    let files = generate::generate(&opts);
    generate::write(out, &files)
        .map_err(|e| Error::io(format!("writing the dataset to {}", out.display()), e))?;
    println!(
        "wrote {} and {} (synthetic, seed {seed})",
        out.join(crate::dataset::FOOTPRINTS_FILE).display(),
        out.join(crate::dataset::PROJECTS_FILE).display()
    );
    Ok(())
}

fn validate(path: &Path) -> Result<()> {
    let mut timings = Timings::default();
    let inputs = pipeline::load(path, &mut timings)?;
    let programme = crate::model::build(&inputs.data, &inputs.scenario)?;
    let excluded = programme.exclusions.iter().filter(|e| e.is_some()).count();
    println!(
        "{}: valid — {} footprints, {} projects ({} excluded by rule), {} financial years, budget {} on {}; the model has {} variables and {} constraints",
        path.display(),
        inputs.data.footprints.len(),
        inputs.data.projects.len(),
        excluded,
        inputs.scenario.years.len(),
        money(inputs.scenario.total_budget()),
        inputs.scenario.lines().iter().map(|l| l.name()).collect::<Vec<_>>().join(" and "),
        programme.columns,
        programme.rows.len()
    );
    Ok(())
}
