//! `techfund run`: solve scenarios and write their reports, one folder each; several
//! scenarios run in parallel and get an index page.

use crate::batch::progress::Mode;
use crate::batch::scenarios::{run_all, run_one};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Report folder for one scenario; for several, the folder that holds one per scenario.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let Args {
        scenarios,
        out,
        quiet,
    } = args;
    if let [path] = scenarios.as_slice() {
        let headline = run_one(path, |name| {
            out.clone()
                .unwrap_or_else(|| Path::new("reports").join(name))
        })?;
        if !quiet {
            println!("{}", headline.line());
        }
        return Ok(());
    }
    let root = out.unwrap_or_else(|| PathBuf::from("reports"));
    let results = run_all(&scenarios, &root, Mode::detect(quiet))?;
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
    if !quiet && failures.len() < scenarios.len() {
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
