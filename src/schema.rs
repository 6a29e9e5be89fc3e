//! Every column name techfund reads or writes, in one place: the bid files
//! (`footprints.csv`, `projects.csv`) that loaders read and the generator writes, and
//! the report tables (`allocation.csv`, `footprints.csv`) that the report writes and
//! `compare` reads back.

use crate::domain::{BudgetLine, FinancialYear};

/// `footprints.csv` of a dataset.
pub mod footprints {
    pub const ID: &str = "footprint_id";
    pub const NAME: &str = "name";
    pub const REGION: &str = "region";
    pub const POPULATION: &str = "population";
    pub const WEIGHTED_POPULATION: &str = "weighted_population";
    pub const READINESS: &str = "readiness";
    pub const CAPABILITIES: &str = "capabilities";
    pub const INFRASTRUCTURE: &str = "infrastructure";

    /// The columns every footprints file must have.
    pub const REQUIRED: [&str; 7] = [
        ID,
        NAME,
        REGION,
        POPULATION,
        READINESS,
        CAPABILITIES,
        INFRASTRUCTURE,
    ];
}

/// `projects.csv` of a dataset; cost columns are named by [`cost_column`].
pub mod projects {
    pub const ID: &str = "project_id";
    pub const FOOTPRINT: &str = "footprint_id";
    pub const TITLE: &str = "title";
    pub const CATEGORY: &str = "category";
    pub const ORGANISATION: &str = "organisation";
    pub const BENEFIT: &str = "benefit";
    pub const MATURITY_UPLIFT: &str = "maturity_uplift";
    pub const MIN_FRACTION: &str = "min_fraction";
    pub const REQUIRES: &str = "requires";
    pub const EXCLUSIVE_GROUP: &str = "exclusive_group";
    pub const MUST_FUND: &str = "must_fund";
    pub const NEVER_FUND: &str = "never_fund";

    /// The columns every projects file must have, besides one cost column per budget
    /// line and financial year.
    pub const REQUIRED: [&str; 6] = [ID, FOOTPRINT, TITLE, CATEGORY, BENEFIT, MATURITY_UPLIFT];

    /// Share of the bid's cost its own organisations pay (match funding), 0–1.
    pub const MATCH_SHARE: &str = "match_share";
    /// Whole financial years the bid's start may move later.
    pub const MAY_DEFER: &str = "may_defer";
    /// The latest financial year the bid may start in (instead of `may_defer`).
    pub const LATEST_START: &str = "latest_start";

    /// The budget-mechanics columns a file may add (match funding and phasing). Kept
    /// apart from `OPTIONAL` so the bid template and the generator's files stay as they were.
    pub const BUDGET_OPTIONAL: [&str; 3] = [MATCH_SHARE, MAY_DEFER, LATEST_START];

    /// Columns a file may leave out.
    pub const OPTIONAL: [&str; 5] = [
        MIN_FRACTION,
        REQUIRES,
        EXCLUSIVE_GROUP,
        MUST_FUND,
        NEVER_FUND,
    ];

    /// Whole-life columns the Green Book appraisal reads, all optional: a running cost
    /// (£k a year after the fund's years), for how many years it runs, and the bid's own
    /// optimism-bias uplift. Benefits by year are named by [`super::benefit_column`].
    pub const RUNNING_COST: &str = "running_cost";
    pub const LIFE_YEARS: &str = "life_years";
    pub const OPTIMISM_BIAS: &str = "optimism_bias";
    pub const APPRAISAL: [&str; 3] = [RUNNING_COST, LIFE_YEARS, OPTIMISM_BIAS];
    /// The bid's own duration optimism bias, 0–2 (0.54 = delivery 54% longer). Kept
    /// apart from `APPRAISAL`, which the generator's files follow.
    pub const DURATION_BIAS: &str = "duration_bias";
}

/// The two classes of monetised benefit the NHS's CIA model keeps apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenefitClass {
    /// Cash-releasing: money that leaves budgets.
    Cash,
    /// Non-cash-releasing: staff time, quality, avoided harm, valued in £.
    NonCash,
}

impl BenefitClass {
    pub const ALL: [BenefitClass; 2] = [BenefitClass::Cash, BenefitClass::NonCash];

    pub fn name(self) -> &'static str {
        match self {
            BenefitClass::Cash => "cash",
            BenefitClass::NonCash => "noncash",
        }
    }
}

/// The column of one class of benefit in one financial year: `benefit_cash_2017_18`.
pub fn benefit_column(class: BenefitClass, year: &FinancialYear) -> String {
    format!("benefit_{}_{}", class.name(), year.column_suffix())
}

/// The class and financial year a column such as `benefit_noncash_2021_22` names.
pub fn parse_benefit_column(header: &str) -> Option<(BenefitClass, FinancialYear)> {
    let rest = header.strip_prefix("benefit_")?;
    let (class, year) = rest.split_once('_')?;
    let class = BenefitClass::ALL.into_iter().find(|c| c.name() == class)?;
    let year = FinancialYear::parse(&year.replacen('_', "/", 1)).ok()?;
    Some((class, year))
}

/// The column of one budget line's cost (or spend) in one financial year:
/// `capital_2016_17`. The same name is used in projects.csv and allocation.csv.
pub fn cost_column(line: BudgetLine, year: &FinancialYear) -> String {
    format!("{}_{}", line.name(), year.column_suffix())
}

/// The budget line and financial year a column such as `capital_2016_17` names.
pub fn parse_cost_column(header: &str) -> Option<(BudgetLine, FinancialYear)> {
    let (line, year) = header.split_once('_')?;
    let line: BudgetLine = line.parse().ok()?;
    let year = FinancialYear::parse(&year.replacen('_', "/", 1)).ok()?;
    Some((line, year))
}

/// `allocation.csv` of a report: one row per project, ranked.
pub mod allocation {
    pub const RANK: &str = "rank";
    pub const PROJECT_ID: &str = "project_id";
    pub const FOOTPRINT_ID: &str = "footprint_id";
    pub const FOOTPRINT_NAME: &str = "footprint_name";
    pub const TITLE: &str = "title";
    pub const CATEGORY: &str = "category";
    pub const STATUS: &str = "status";
    pub const FUNDED_FRACTION: &str = "funded_fraction";
    pub const FUNDED_TOTAL: &str = "funded_total";
    pub const FULL_COST: &str = "full_cost";
    pub const VALUE: &str = "value";
    pub const VALUE_PER_POUND: &str = "value_per_pound";
    pub const REASON: &str = "reason";

    /// The columns before the per-year amounts.
    pub const LEADING: [&str; 8] = [
        RANK,
        PROJECT_ID,
        FOOTPRINT_ID,
        FOOTPRINT_NAME,
        TITLE,
        CATEGORY,
        STATUS,
        FUNDED_FRACTION,
    ];
    /// The columns after the per-year amounts.
    pub const TRAILING: [&str; 5] = [FUNDED_TOTAL, FULL_COST, VALUE, VALUE_PER_POUND, REASON];

    /// Phasing (only when some bid's start may move): the financial year the bid's
    /// spending starts in, and how many whole years it moved (for an appraisal).
    pub const START_YEAR: &str = "start_year";
    pub const START_SHIFT: &str = "start_shift";
    /// Match funding (only when some bid is matched): the local share, the local
    /// contribution at the share funded (£k) and the bid's whole cost (fund and local).
    pub const MATCH_SHARE: &str = "match_share";
    pub const LOCAL_TOTAL: &str = "local_total";
    pub const WHOLE_COST: &str = "whole_cost";
}

/// `footprints.csv` of a report: one row per footprint.
pub mod footprint_report {
    pub const FOOTPRINT_ID: &str = "footprint_id";
    pub const NAME: &str = "name";
    pub const REGION: &str = "region";
    pub const POPULATION: &str = "population";
    pub const FUNDED: &str = "funded";
    pub const PER_HEAD: &str = "per_head_gbp";
    pub const FAIR_SHARE: &str = "fair_share";
    pub const SHARE_OF_FAIR_SHARE: &str = "share_of_fair_share";
    pub const PROJECTS_FUNDED: &str = "projects_funded";
    pub const READINESS: &str = "readiness";
    pub const INFRASTRUCTURE: &str = "infrastructure";
    pub const CAPABILITIES_BEFORE: &str = "capabilities_before";
    pub const CAPABILITIES_AFTER: &str = "capabilities_after";

    pub const COLUMNS: [&str; 13] = [
        FOOTPRINT_ID,
        NAME,
        REGION,
        POPULATION,
        FUNDED,
        PER_HEAD,
        FAIR_SHARE,
        SHARE_OF_FAIR_SHARE,
        PROJECTS_FUNDED,
        READINESS,
        INFRASTRUCTURE,
        CAPABILITIES_BEFORE,
        CAPABILITIES_AFTER,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_columns_round_trip() {
        let y = FinancialYear::parse("2017/18").unwrap();
        let name = cost_column(BudgetLine::Revenue, &y);
        assert_eq!(name, "revenue_2017_18");
        assert_eq!(parse_cost_column(&name), Some((BudgetLine::Revenue, y)));
        let y = FinancialYear::parse("2017/18").unwrap();
        let b = benefit_column(BenefitClass::NonCash, &y);
        assert_eq!(b, "benefit_noncash_2017_18");
        assert_eq!(parse_benefit_column(&b), Some((BenefitClass::NonCash, y)));
        assert_eq!(parse_benefit_column("benefit_other_2017_18"), None);
        assert_eq!(parse_benefit_column("benefit"), None);
        for other in [
            "capital",
            "staff_2017_18",
            "capital_2017_19",
            "capital_2017-18",
        ] {
            assert_eq!(parse_cost_column(other), None, "{other}");
        }
    }
}
