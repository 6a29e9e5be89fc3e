//! `techfund generate`: the seeded synthetic dataset (see data/README.md).

use crate::domain::FinancialYear;
use crate::error::Result;
use crate::generate;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, default_value_t = 2016)]
    pub seed: u64,
    /// Number of footprints (default: the 42 real STP/ICS footprints).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub footprints: Option<u32>,
    /// Number of candidate projects.
    #[arg(long, default_value_t = 1200, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub projects: u32,
    /// First financial year, e.g. 2016/17.
    #[arg(long, default_value = "2016/17")]
    pub first_year: FinancialYear,
    /// Number of financial years.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub years: u16,
    /// Folder for footprints.csv and projects.csv (or bids.xlsx). Files of those names
    /// are replaced only if an earlier `techfund generate` wrote them (its `.techfund`
    /// file says so).
    #[arg(long, default_value = "data")]
    pub out: PathBuf,
    /// `csv`: footprints.csv and projects.csv; `xlsx`: one bid workbook, bids.xlsx,
    /// with sheets Footprints and Projects (point a scenario's `data` at it).
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

pub fn run(args: Args) -> Result<()> {
    let years = FinancialYear::run_of(&args.first_year, args.years as usize);
    let opts = generate::GenerateOptions {
        seed: args.seed,
        footprints: args.footprints.map(|n| n as usize),
        projects: args.projects as usize,
        years,
    };
    let out = &args.out;
    if args.format == Format::Xlsx {
        generate::check_out_workbook(out)?;
        let files = generate::generate(&opts);
        generate::write_workbook(out, &files)?;
        println!(
            "wrote {} (synthetic, seed {})",
            out.join(crate::report::bids::WORKBOOK_FILE).display(),
            args.seed
        );
        return Ok(());
    }
    generate::check_out(out)?;
    let files = generate::generate(&opts);
    generate::write(out, &files)?;
    println!(
        "wrote {} and {} (synthetic, seed {})",
        out.join(crate::dataset::FOOTPRINTS_FILE).display(),
        out.join(crate::dataset::PROJECTS_FILE).display(),
        args.seed
    );
    Ok(())
}
