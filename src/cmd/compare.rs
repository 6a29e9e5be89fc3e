//! `techfund compare`: two or more report folders side by side.

use crate::error::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Report folders written by `techfund run`; the first is the reference.
    #[arg(required = true, num_args = 2..)]
    pub reports: Vec<PathBuf>,
    /// Where comparison.md, comparison.csv and comparison.svg go.
    #[arg(long, default_value = "reports/comparison")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    crate::compare::run(&args.reports, &args.out)?;
    println!("wrote {}", args.out.join("comparison.md").display());
    Ok(())
}
