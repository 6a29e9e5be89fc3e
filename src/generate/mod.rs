//! Generate: a seeded synthetic dataset (`footprints.csv`, `projects.csv`) that
//! [`crate::dataset::load`] reads.
//!
//! Real: the 42 STP/ICS footprints (ONS codes, names, regions, GP-registered and
//! weighted populations), the acute trusts and CCGs that bid, and which footprint
//! each belongs to; these come from public tables embedded from `data/sources/`.
//! SYNTHETIC: the maturity scores (calibrated to the published national means)
//! and every project figure (costs, phasing, benefits, uplifts, flags). See
//! `data/README.md`.
//!
//! The output depends only on the options: no file is read at run time, all
//! randomness comes from ChaCha8 streams seeded from `seed`, and all arithmetic
//! is portable (see [`num`]), so the same options give the same bytes anywhere.

mod figures;
mod footprints;
mod num;
mod projects;
mod sources;

#[cfg(test)]
mod tests;

use crate::dataset::{FOOTPRINTS_FILE, PROJECTS_FILE};
use crate::domain::{BudgetLine, FinancialYear};
use crate::error::Result;
use crate::report::bids;
use crate::report::output::{self, Command};
use crate::schema::{self, cost_column};
use std::path::Path;

pub use footprints::NATIONAL_MEANS;
pub use projects::{BCR_RANGE, CAPITAL_BID_PER_1200, REVENUE_BID_PER_1200, UPLIFT_REACH};

/// The seed of the committed default dataset in `data/`.
pub const DEFAULT_SEED: u64 = 2016;
/// Number of projects in the default dataset.
pub const DEFAULT_PROJECTS: usize = 1200;

/// The category names the generator uses, as written in projects.csv.
pub const CATEGORIES: [&str; 7] = {
    use projects::Category as C;
    [
        C::Epr.label(),
        C::EPrescribing.label(),
        C::SharedCareRecord.label(),
        C::Infrastructure.label(),
        C::PatientOnline.label(),
        C::DecisionSupport.label(),
        C::SocialCare.label(),
    ]
};

#[derive(Clone, Debug, PartialEq)]
pub struct GenerateOptions {
    pub seed: u64,
    /// None = the 42 real STP/ICS footprints; Some(n) = n footprints (first n real ones, then synthetic ones modelled on the real distribution if n > 42).
    pub footprints: Option<usize>,
    /// Number of candidate projects to make (default dataset: 1,200).
    pub projects: usize,
    /// Financial years to cost, e.g. 2016/17..=2020/21.
    pub years: Vec<FinancialYear>,
}

impl Default for GenerateOptions {
    /// The committed dataset: seed 2016, the 42 real footprints, 1,200 projects, 2016/17–2020/21.
    fn default() -> Self {
        GenerateOptions {
            seed: DEFAULT_SEED,
            footprints: None,
            projects: DEFAULT_PROJECTS,
            years: default_years(),
        }
    }
}

/// The five years of the SR2015 settlement: 2016/17 to 2020/21.
pub fn default_years() -> Vec<FinancialYear> {
    (2016..=2020)
        .map(|y| FinancialYear::parse(&format!("{y}/{:02}", (y + 1) % 100)).expect("valid year"))
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
pub struct GeneratedFiles {
    pub footprints_csv: String,
    pub projects_csv: String,
}

/// Pure and deterministic: same options → same bytes.
///
/// Edge cases give files the loader will reject with a clear message rather than
/// a panic here: `footprints: Some(0)` or `projects: 0` give header-only files.
pub fn generate(opts: &GenerateOptions) -> GeneratedFiles {
    let fps = footprints::build(opts.seed, opts.footprints);
    let bids = projects::build(opts.seed, &fps, opts.projects, opts.years.len());
    GeneratedFiles {
        footprints_csv: footprints_csv(&fps),
        projects_csv: projects_csv(&bids, &fps, &opts.years),
    }
}

/// Writes footprints.csv and projects.csv into `dir` (creating it), each through a
/// temporary name, with a `.techfund` marker saying `generate` wrote them. The folder
/// itself is never replaced, and files of the same names are overwritten only where
/// that marker already claims them (see [`output::check_files`]).
pub fn write(dir: &Path, files: &GeneratedFiles) -> Result<()> {
    output::write_files(
        dir,
        Command::Generate,
        &[
            (FOOTPRINTS_FILE, files.footprints_csv.as_bytes()),
            (PROJECTS_FILE, files.projects_csv.as_bytes()),
        ],
    )
}

/// Writes the dataset as one bid workbook, `bids.xlsx`, into `dir`, by the same rules
/// as [`write`]: the loader reads it to the same dataset as the two CSV files.
pub fn write_workbook(dir: &Path, files: &GeneratedFiles) -> Result<()> {
    let bytes = bids::from_csv(
        files.footprints_csv.as_bytes(),
        files.projects_csv.as_bytes(),
    )
    .map_err(crate::error::Error::Report)?;
    output::write_files(dir, Command::Generate, &[(bids::WORKBOOK_FILE, &bytes)])
}

/// Refuses a `dir` that [`write_workbook`] would refuse, before anything is generated.
pub fn check_out_workbook(dir: &Path) -> Result<()> {
    output::check_files(dir, Command::Generate, &[bids::WORKBOOK_FILE])
}

/// Refuses a `dir` that [`write`] would refuse, before anything is generated.
pub fn check_out(dir: &Path) -> Result<()> {
    output::check_files(dir, Command::Generate, &[FOOTPRINTS_FILE, PROJECTS_FILE])
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("all fields are UTF-8")
}

fn footprints_csv(fps: &[footprints::FootprintPlan]) -> String {
    let mut w = csv_writer();
    w.write_record([
        schema::footprints::ID,
        schema::footprints::NAME,
        schema::footprints::REGION,
        schema::footprints::POPULATION,
        schema::footprints::WEIGHTED_POPULATION,
        schema::footprints::READINESS,
        schema::footprints::CAPABILITIES,
        schema::footprints::INFRASTRUCTURE,
    ])
    .expect("in memory");
    for f in fps {
        w.write_record([
            f.id.clone(),
            f.name.clone(),
            f.region.clone(),
            f.population.to_string(),
            f.weighted_population.to_string(),
            num::fmt_tenths(f.maturity[0]),
            num::fmt_tenths(f.maturity[1]),
            num::fmt_tenths(f.maturity[2]),
        ])
        .expect("in memory");
    }
    finish(w)
}

fn projects_csv(
    bids: &[projects::Bid],
    fps: &[footprints::FootprintPlan],
    years: &[FinancialYear],
) -> String {
    let width = bids.len().to_string().len().max(4);
    let id = |i: usize| format!("P{:0width$}", i + 1);
    let mut header: Vec<String> = [
        schema::projects::ID,
        schema::projects::FOOTPRINT,
        schema::projects::TITLE,
        schema::projects::CATEGORY,
        schema::projects::ORGANISATION,
        schema::projects::BENEFIT,
        schema::projects::MATURITY_UPLIFT,
    ]
    .map(String::from)
    .to_vec();
    for line in BudgetLine::ALL {
        header.extend(years.iter().map(|y| cost_column(line, y)));
    }
    header.extend(schema::projects::OPTIONAL.map(String::from));
    // The template's whole-life columns, so a generated dataset fills in the template.
    header.extend(bids::appraisal_header(years));
    let mut w = csv_writer();
    w.write_record(&header).expect("in memory");
    for (i, b) in bids.iter().enumerate() {
        let mut row = vec![
            id(i),
            fps[b.footprint].id.clone(),
            b.title.clone(),
            b.category.label().to_string(),
            b.organisation.clone(),
            num::fmt_tenths(b.benefit),
            num::fmt_tenths(b.uplift),
        ];
        row.extend(b.capital.iter().map(|&c| num::fmt_tenths(c)));
        row.extend(b.revenue.iter().map(|&c| num::fmt_tenths(c)));
        row.push(b.min_fraction.unwrap_or("").to_string());
        row.push(
            b.requires
                .iter()
                .map(|&r| id(r))
                .collect::<Vec<_>>()
                .join(";"),
        );
        row.push(b.group.clone().unwrap_or_default());
        row.push(if b.must_fund { "true" } else { "" }.to_string());
        row.push(if b.never_fund { "true" } else { "" }.to_string());
        // Empty for nothing, so the profile reads at a glance.
        let amount = |t: i64| {
            if t == 0 {
                String::new()
            } else {
                num::fmt_tenths(t)
            }
        };
        row.extend(b.benefit_cash.iter().map(|&t| amount(t)));
        row.extend(b.benefit_noncash.iter().map(|&t| amount(t)));
        row.push(amount(b.running_cost));
        // No life_years (to the end of the appraisal) and no optimism_bias of its own.
        row.extend([String::new(), String::new()]);
        w.write_record(&row).expect("in memory");
    }
    finish(w)
}
