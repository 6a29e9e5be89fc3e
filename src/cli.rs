//! The command line, as clap definitions only.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "techfund", version, about = "Allocates a fixed technology fund across digital footprints and projects, exactly (HiGHS).", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Solve scenarios and write their reports (one folder per scenario).
    Run {
        /// Scenario files (TOML).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Report folder for one scenario; for several, the folder that holds one per scenario.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check scenarios and their data without solving.
    Validate {
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Make a seeded synthetic dataset (footprints.csv and projects.csv).
    Generate {
        #[arg(long, default_value_t = 2016)]
        seed: u64,
        /// Number of footprints (default: the 42 real STP/ICS footprints).
        #[arg(long)]
        footprints: Option<usize>,
        #[arg(long, default_value_t = 1200)]
        projects: usize,
        /// First financial year, e.g. 2016/17.
        #[arg(long, default_value = "2016/17")]
        first_year: String,
        #[arg(long, default_value_t = 5)]
        years: usize,
        #[arg(long, default_value = "data")]
        out: PathBuf,
    },
}
