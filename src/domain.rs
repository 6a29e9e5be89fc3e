//! The vocabulary every stage shares: footprints, projects, financial years,
//! budget lines and money. Money is in £ thousands everywhere.

use serde::Serialize;
use std::fmt;

/// An amount in £ thousands (the unit of every input and output file).
pub type Money = f64;

/// A financial year, 1 April to 31 March, written `2016/17`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct FinancialYear(String);

impl FinancialYear {
    /// Parses `2016/17`: a four-digit start year, a slash, and the next year's last two digits.
    pub fn parse(label: &str) -> Result<Self, String> {
        let bad = || {
            format!("`{label}` is not a financial year; write it as `2016/17` (start year, slash, the next year's last two digits)")
        };
        let (start, end) = label.split_once('/').ok_or_else(bad)?;
        if start.len() != 4 || end.len() != 2 {
            return Err(bad());
        }
        let start: u32 = start.parse().map_err(|_| bad())?;
        let end: u32 = end.parse().map_err(|_| bad())?;
        if (start + 1) % 100 != end {
            return Err(bad());
        }
        Ok(FinancialYear(label.to_string()))
    }

    pub fn label(&self) -> &str {
        &self.0
    }

    /// The suffix used in CSV column names: `2016/17` becomes `2016_17`.
    pub fn column_suffix(&self) -> String {
        self.0.replace('/', "_")
    }

    pub fn start_year(&self) -> u32 {
        self.0[..4].parse().expect("validated at parse")
    }

    /// The financial year after this one.
    /// `n` years in a row from `first`.
    pub fn run_of(first: &FinancialYear, n: usize) -> Vec<FinancialYear> {
        let mut years = vec![first.clone()];
        while years.len() < n {
            let next = years.last().expect("one year at least").next();
            years.push(next);
        }
        years
    }

    pub fn next(&self) -> FinancialYear {
        let start = self.start_year() + 1;
        FinancialYear(format!("{start}/{:02}", (start + 1) % 100))
    }
}

/// So command-line flags such as `--year 2017/18` are parsed (and refused) by clap.
impl std::str::FromStr for FinancialYear {
    type Err = String;
    fn from_str(label: &str) -> Result<Self, String> {
        FinancialYear::parse(label)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The two control totals a spending review sets: capital (CDEL) and revenue (RDEL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BudgetLine {
    Capital,
    Revenue,
}

impl BudgetLine {
    pub const ALL: [BudgetLine; 2] = [BudgetLine::Capital, BudgetLine::Revenue];

    pub fn name(self) -> &'static str {
        match self {
            BudgetLine::Capital => "capital",
            BudgetLine::Revenue => "revenue",
        }
    }
}

impl std::str::FromStr for BudgetLine {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        BudgetLine::ALL
            .into_iter()
            .find(|l| l.name() == name)
            .ok_or_else(|| format!("`{name}` is not a budget line; use capital or revenue"))
    }
}

impl fmt::Display for BudgetLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Digital Maturity Index theme scores, each 0–100.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Maturity {
    pub readiness: f64,
    pub capabilities: f64,
    pub infrastructure: f64,
}

/// A digital footprint: the CCGs, providers and councils that wrote one Local Digital Roadmap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Footprint {
    pub id: String,
    pub name: String,
    pub region: String,
    /// Registered population, people.
    pub population: f64,
    /// NHS England's need-weighted capitation, when footprints.csv gives it.
    pub weighted_population: Option<f64>,
    pub maturity: Maturity,
}

/// A candidate project (a bid) from one footprint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Project {
    pub id: String,
    /// Index into `Dataset::footprints`.
    pub footprint: usize,
    pub title: String,
    pub category: String,
    /// Present value of the monetised benefits, £k; benefit per £ is the benefit–cost ratio.
    pub benefit: f64,
    /// Capability points the project adds to its footprint's score when fully funded.
    pub maturity_uplift: f64,
    /// Cost per scenario year, £k, indexed like `Dataset::years`.
    pub capital: Vec<Money>,
    pub revenue: Vec<Money>,
    /// Smallest fundable share in partial mode (0 = any share).
    pub min_fraction: f64,
    /// Indices of projects that must be funded for this one to be.
    pub requires: Vec<usize>,
    pub exclusive_group: Option<String>,
    pub must_fund: bool,
    pub never_fund: bool,
    /// Cost in years the dataset has but the scenario does not cover (such a project cannot be funded).
    pub cost_outside_years: Money,
    /// The share of the bid's cost its own organisations pay (match funding), 0–1: its
    /// `match_share`, raised to the scenario's minimum for its category once loaded for
    /// a scenario. 0.5 is the 1:1 match of the Global Digital Exemplars.
    pub match_share: f64,
    /// The bid's own match share as loaded, before the scenario's minimum for its
    /// category raised it: what the bid pays without `[match] min_share`, for the search
    /// for the rules in conflict to drop that rule.
    #[serde(skip)]
    pub own_match_share: f64,
    /// Whole financial years the bid's start may move later (phasing): from its
    /// `may_defer` or `latest_start`; `None` when it says neither, so the scenario's
    /// `[phasing] may_defer` applies.
    pub may_defer: Option<usize>,
    /// 1-based line in projects.csv, so later stages can point back at the bid.
    pub line: u64,
    /// What the Green Book appraisal reads beyond the fund's years: benefits by year,
    /// running costs after the fund, an optimism-bias override. Empty for a bid that
    /// gives only the one-number `benefit`.
    pub whole_life: WholeLife,
}

/// Benefits and costs over a bid's whole life, for the Green Book appraisal
/// (`src/appraisal/`). £k in real base-year prices.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WholeLife {
    /// Benefits by financial year, in year order; empty when the bid gives none by year
    /// (its `benefit` is then taken as a present value).
    pub benefits: Vec<YearBenefit>,
    /// Running cost, £k a year, in each year after the fund's last year (`running_cost`).
    pub running_cost: Money,
    /// For how many years after the fund's last year the running cost is paid
    /// (`life_years`); `None` = to the end of the appraisal period.
    pub life_years: Option<u32>,
    /// The bid's own optimism-bias uplift on capital (`optimism_bias`), in place of its
    /// category's.
    pub optimism_bias: Option<f64>,
    /// The bid's own duration optimism bias (`duration_bias`), in place of its
    /// category's: its benefits start later as its delivery overruns.
    pub duration_bias: Option<f64>,
}

/// A bid's benefits in one financial year, £k.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearBenefit {
    pub year: FinancialYear,
    /// Cash-releasing (`benefit_cash_<year>`).
    pub cash: Money,
    /// Non-cash-releasing (`benefit_noncash_<year>`).
    pub noncash: Money,
}

impl Project {
    /// The bid's whole cost (fund and local money together) on `line` in `year`, as
    /// loaded: what an appraisal counts. What the fund pays is [`Project::fund_cost`].
    pub fn cost(&self, line: BudgetLine, year: usize) -> Money {
        match line {
            BudgetLine::Capital => self.capital[year],
            BudgetLine::Revenue => self.revenue[year],
        }
    }

    /// The share of the bid's cost the fund pays: all of it, less the local match.
    /// Every sum of fund money (the model, the check, budgets, floors, caps, fair
    /// shares, the comparison methods, the reports) goes through the `fund_cost`
    /// functions below, which use this; the whole cost stays in `capital`/`revenue`.
    pub fn fund_share(&self) -> f64 {
        1.0 - self.match_share
    }

    /// What the fund pays on `line` in scenario year `year` when the bid starts on time.
    pub fn fund_cost(&self, line: BudgetLine, year: usize) -> Money {
        self.fund_cost_at(line, year, 0)
    }

    /// What the fund pays on `line` in scenario year `year` when the bid starts `shift`
    /// financial years late: its whole profile moves `shift` years later.
    pub fn fund_cost_at(&self, line: BudgetLine, year: usize, shift: usize) -> Money {
        if year < shift {
            return 0.0;
        }
        let whole = self.cost(line, year - shift);
        if self.match_share == 0.0 {
            whole
        } else {
            whole * self.fund_share()
        }
    }

    /// What the fund pays over the scenario years on the given lines (whatever the start).
    pub fn fund_cost_on(&self, lines: &[BudgetLine]) -> Money {
        let whole = self.cost_on(lines);
        if self.match_share == 0.0 {
            whole
        } else {
            whole * self.fund_share()
        }
    }

    /// What the bid's own organisations pay over the scenario years on the given lines.
    pub fn local_cost_on(&self, lines: &[BudgetLine]) -> Money {
        self.cost_on(lines) - self.fund_cost_on(lines)
    }

    /// The latest start shift the bid may take: its `may_defer`, less any years its
    /// profile would be pushed past the scenario's last year (cost there is not allowed).
    pub fn max_shift(&self) -> usize {
        self.may_defer.unwrap_or(0).min(self.last_possible_shift())
    }

    /// The latest start shift any phasing could give the bid: the years between its
    /// last costed year and the scenario's last year (0 for a bid with no cost in them,
    /// which has nothing to move).
    pub fn last_possible_shift(&self) -> usize {
        let n = self.capital.len();
        (0..n)
            .rev()
            .find(|&y| self.capital[y] > 0.0 || self.revenue[y] > 0.0)
            .map_or(0, |last| n - 1 - last)
    }

    /// The scenario year the bid's cost starts in when it starts on time, if it has any.
    pub fn first_costed_year(&self) -> Option<usize> {
        (0..self.capital.len()).find(|&y| self.capital[y] > 0.0 || self.revenue[y] > 0.0)
    }

    /// The project's whole cost over the scenario years on the given budget lines.
    pub fn cost_on(&self, lines: &[BudgetLine]) -> Money {
        lines
            .iter()
            .map(|&l| {
                (0..self.capital.len())
                    .map(|y| self.cost(l, y))
                    .sum::<f64>()
            })
            .sum()
    }
}

/// One input file and its SHA-256, for the run manifest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
}

/// Everything loaded from a dataset folder, validated, with costs aligned to the scenario's years.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub years: Vec<FinancialYear>,
    pub footprints: Vec<Footprint>,
    pub projects: Vec<Project>,
    /// The files read, with SHA-256, for the run manifest.
    pub files: Vec<InputFile>,
    /// Where the bids came from (projects.csv, or the Projects sheet of a workbook),
    /// so later stages can point at a bid's line or row.
    pub projects_source: crate::error::Source,
}

impl Dataset {
    pub fn total_population(&self) -> f64 {
        self.footprints.iter().map(|f| f.population).sum()
    }

    pub fn footprint_of(&self, project: &Project) -> &Footprint {
        &self.footprints[project.footprint]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_years_parse_and_name_columns() {
        let y = FinancialYear::parse("2016/17").unwrap();
        assert_eq!(y.column_suffix(), "2016_17");
        assert_eq!(y.start_year(), 2016);
        assert!(FinancialYear::parse("1999/00").is_ok());
        for bad in ["2016-17", "2016/18", "16/17", "2016/7", "abcd/ef"] {
            assert!(FinancialYear::parse(bad).is_err(), "{bad}");
        }
    }
}
