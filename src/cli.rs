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
    /// Compare two or more report folders side by side (the first is the reference).
    Compare {
        #[arg(required = true, num_args = 2..)]
        reports: Vec<PathBuf>,
        /// Where comparison.md, comparison.csv and comparison.svg go.
        #[arg(long, default_value = "reports/comparison")]
        out: PathBuf,
    },
    /// Solve a scenario at many budget levels: the efficient frontier.
    Sweep {
        scenario: PathBuf,
        /// Lowest budget, as a share of the scenario's (e.g. 50% or 0.5).
        #[arg(long, default_value = "50%")]
        from: String,
        /// Highest budget, as a share of the scenario's.
        #[arg(long, default_value = "150%")]
        to: String,
        #[arg(long, default_value_t = 41)]
        steps: usize,
        /// Scale only this financial year (e.g. 2017/18).
        #[arg(long)]
        year: Option<String>,
        /// Scale only this budget line (capital or revenue).
        #[arg(long)]
        line: Option<String>,
        /// Report folder (default: reports/<scenario>-sweep).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, short)]
        quiet: bool,
    },
    /// The least fund that brings footprints to a capability score: how much to bid for.
    Target {
        scenario: PathBuf,
        /// Capability score to reach (default: the scenario's [target] capabilities).
        #[arg(long)]
        capabilities: Option<f64>,
        /// Share of the population whose footprint must reach it (default 1: every footprint).
        #[arg(long)]
        population_share: Option<f64>,
        /// Report folder (default: reports/<scenario>-target).
        #[arg(long)]
        out: Option<PathBuf>,
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
