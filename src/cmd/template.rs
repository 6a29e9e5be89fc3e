//! `techfund template`: an empty bid workbook for an organisation to fill in.

use crate::domain::FinancialYear;
use crate::error::{Error, Result};
use crate::report::{bids, output};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The workbook to write, ending .xlsx. An existing file is never replaced (unless
    /// it is an untouched template identical to this one).
    #[arg(long)]
    pub out: PathBuf,
    /// First financial year of the cost columns, e.g. 2016/17.
    #[arg(long, default_value = "2016/17")]
    pub first_year: FinancialYear,
    /// Number of financial years to cost.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub years: u16,
}

pub fn run(args: Args) -> Result<()> {
    if !crate::dataset::is_workbook(&args.out) {
        return Err(Error::usage(
            format!(
                "--out {} does not end in .xlsx, the only kind of workbook techfund reads",
                args.out.display()
            ),
            "name the workbook with .xlsx, e.g. --out bids.xlsx",
        ));
    }
    let years = FinancialYear::run_of(&args.first_year, args.years as usize);
    let bytes = bids::template(&years).map_err(Error::Report)?;
    output::write_new_file(&args.out, &bytes)?;
    println!(
        "wrote {}: sheets Footprints and Projects, costed {} to {}; set `data = \"{}\"` in a scenario once it is filled in",
        args.out.display(),
        years[0],
        years[years.len() - 1],
        args.out.display()
    );
    Ok(())
}
