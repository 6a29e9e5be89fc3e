//! The commands, one module each: its arguments (clap, with every value checked as it
//! is parsed) and a `run` that calls the library's stages. Nothing here solves,
//! formats a report or reads a data file itself.

mod args;
pub mod compare;
pub mod explain;
pub mod generate;
pub mod run;
pub mod sweep;
pub mod target;
pub mod template;
pub mod validate;

use crate::error::Result;
use crate::solve::SolveStatus;
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "techfund", version, about = "Allocates a fixed technology fund across digital footprints and projects, exactly (HiGHS).", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Solve scenarios and write their reports (one folder per scenario).
    Run(run::Args),
    /// Check scenarios and their data without solving.
    Validate(validate::Args),
    /// Compare two or more report folders side by side (the first is the reference).
    Compare(compare::Args),
    /// What each project is worth to the portfolio: replacement cost, forced-in loss.
    Explain(explain::Args),
    /// Solve a scenario at many budget levels: the efficient frontier.
    Sweep(sweep::Args),
    /// The least fund that brings footprints to a capability score: how much to bid for.
    Target(target::Args),
    /// Make a seeded synthetic dataset (footprints.csv and projects.csv, or bids.xlsx).
    Generate(generate::Args),
    /// Write an empty bid workbook (sheets Footprints and Projects) to fill in.
    Template(template::Args),
}

/// How a command that did its work ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// Reports were written, but some answer stopped at its time limit: every rule
    /// holds but the value is NOT proven within the requested gap.
    NotProven,
}

impl Exit {
    /// The process exit code: 0, or 3 for answers not proven (1 and 2 are errors).
    pub fn code(self) -> i32 {
        match self {
            Exit::Success => 0,
            Exit::NotProven => 3,
        }
    }

    /// `NotProven` when any of the statuses is a time limit.
    pub fn of(statuses: impl IntoIterator<Item = SolveStatus>) -> Exit {
        if statuses.into_iter().any(|s| s == SolveStatus::TimeLimit) {
            Exit::NotProven
        } else {
            Exit::Success
        }
    }
}

pub fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::run(a).map(|()| Exit::Success),
        Command::Compare(a) => compare::run(a).map(|()| Exit::Success),
        Command::Sweep(a) => sweep::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Target(a) => target::run(a),
        Command::Generate(a) => generate::run(a).map(|()| Exit::Success),
        Command::Template(a) => template::run(a).map(|()| Exit::Success),
    }
}
