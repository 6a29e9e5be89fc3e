//! The identity of every rule a scenario imposes. The model tags each constraint
//! with the rule it enforces, the independent check and the reasons name the rule a
//! bid runs into, and the reports list them; all of them use this one type, and a
//! rule's name in words is written in one place ([`Rule::named`]).

use crate::domain::{BudgetLine, Dataset, FinancialYear};
use std::fmt;

/// One rule of the scenario, by identity. Indices point into the dataset's
/// footprints and projects and the scenario's years.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// The money on one budget line in one financial year.
    Budget { line: BudgetLine, year: usize },
    /// The least a footprint must be given.
    FootprintFloor { footprint: usize },
    /// The most a footprint may be given.
    FootprintCap { footprint: usize },
    /// The least the footprints of a region must be given together.
    RegionFloor { region: String },
    /// The most the footprints of a region may be given together.
    RegionCap { region: String },
    /// A category's smallest share of the money allocated.
    CategoryMin { category: String },
    /// A category's largest share of the money allocated.
    CategoryMax { category: String },
    /// A bid that must be funded in full.
    MustFund { project: usize },
    /// A bid the scenario locks in (`[rules] lock_in`): funded in full.
    LockIn { project: usize },
    /// A bid can be funded only if its prerequisite is.
    Requires { project: usize, prerequisite: usize },
    /// At most one bid of the group is funded.
    ExclusiveGroup { group: String },
    /// A bid a rule of its own excludes (never-fund, lock-out, a hurdle, cost outside
    /// the years). A bound in the allocation model; a row only where the search for the
    /// rules in conflict must be able to drop it.
    Excluded { project: usize },
    /// The most revenue that may pay capital in one year (`[budget]
    /// revenue_to_capital_max`). Like `Excluded`, a column bound in the allocation
    /// model and a row only in the search for the rules in conflict.
    SwitchCap { year: usize },
    /// The most money carried out of one line-year into the next (`[budget]
    /// carry_forward_max`). A bound, or a row in the search for the rules in conflict.
    CarryCap { line: BudgetLine, year: usize },
    /// The latest year a bid may start (its `may_defer` or `latest_start`, or `[phasing]
    /// may_defer`): later starts are not columns in the allocation model, and in the
    /// search for the rules in conflict are columns a droppable row holds at zero.
    LatestStart { project: usize },
    /// The least local match for a category's bids (`[match] min_share`), which lowers
    /// what they cost the fund. Applied to the bids as they load, so no row enforces it;
    /// the search for the rules in conflict drops it by giving them their own shares.
    MatchMin { category: String },
}

impl Rule {
    /// Rules an analyst sets as amounts or shares, and so can relax: the elastic model
    /// lets these be broken at a price to explain an infeasible scenario. The caps of
    /// the budget mechanics are amounts too, but only the search for the rules in
    /// conflict builds them as rows (so measures a fix by their slack); the elastic
    /// model keeps them as bounds (see `model::Relax`).
    pub fn relaxable(&self) -> bool {
        !matches!(
            self,
            Rule::Requires { .. }
                | Rule::ExclusiveGroup { .. }
                | Rule::Excluded { .. }
                | Rule::LatestStart { .. }
                | Rule::MatchMin { .. }
        )
    }

    /// True for rules that set a least amount (floors, minimum shares, must-fund).
    pub fn is_lower_bound(&self) -> bool {
        matches!(
            self,
            Rule::FootprintFloor { .. }
                | Rule::RegionFloor { .. }
                | Rule::CategoryMin { .. }
                | Rule::MustFund { .. }
                | Rule::LockIn { .. }
        )
    }

    /// True for rules whose limit and use are shares of the money allocated, not £k.
    pub fn is_share(&self) -> bool {
        matches!(self, Rule::CategoryMin { .. } | Rule::CategoryMax { .. })
    }

    /// A short name without spaces, for a row of an exported model: `budget_capital_2016_17`,
    /// `floor_E54000007`, `category_max_EPR`, `requires_P0012_P0011`.
    pub fn key(&self, data: &Dataset, years: &[FinancialYear]) -> String {
        let project = |p: usize| data.projects[p].id.as_str();
        let footprint = |f: usize| data.footprints[f].id.as_str();
        let key = match self {
            Rule::Budget { line, year } => {
                format!("budget_{line}_{}", years[*year].column_suffix())
            }
            Rule::FootprintFloor { footprint: f } => format!("floor_{}", footprint(*f)),
            Rule::FootprintCap { footprint: f } => format!("cap_{}", footprint(*f)),
            Rule::RegionFloor { region } => format!("region_floor_{region}"),
            Rule::RegionCap { region } => format!("region_cap_{region}"),
            Rule::CategoryMin { category } => format!("category_min_{category}"),
            Rule::CategoryMax { category } => format!("category_max_{category}"),
            Rule::MustFund { project: p } => format!("must_fund_{}", project(*p)),
            Rule::LockIn { project: p } => format!("lock_in_{}", project(*p)),
            Rule::Requires {
                project: p,
                prerequisite: q,
            } => format!("requires_{}_{}", project(*p), project(*q)),
            Rule::ExclusiveGroup { group } => format!("group_{group}"),
            Rule::Excluded { project: p } => format!("excluded_{}", project(*p)),
            Rule::SwitchCap { year } => format!("switch_cap_{}", years[*year].column_suffix()),
            Rule::CarryCap { line, year } => {
                format!("carry_cap_{line}_{}", years[*year].column_suffix())
            }
            Rule::LatestStart { project: p } => format!("latest_start_{}", project(*p)),
            Rule::MatchMin { category } => format!("match_min_{category}"),
        };
        key.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    /// The rule in words, e.g. "capital budget 2017/18" or "cap for footprint E54000027".
    pub fn named<'a>(&'a self, data: &'a Dataset, years: &'a [FinancialYear]) -> Named<'a> {
        Named {
            rule: self,
            data,
            years,
        }
    }
}

/// A rule with what it needs to be written in words.
pub struct Named<'a> {
    rule: &'a Rule,
    data: &'a Dataset,
    years: &'a [FinancialYear],
}

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let project = |p: usize| self.data.projects[p].id.as_str();
        // A footprint by its id and name: ids are what the files hold, names what
        // readers know.
        let footprint = |i: usize| {
            let fp = &self.data.footprints[i];
            format!("{} ({})", fp.id, fp.name)
        };
        match self.rule {
            Rule::Budget { line, year } => write!(f, "{line} budget {}", self.years[*year]),
            Rule::FootprintFloor { footprint: i } => {
                write!(f, "floor for footprint {}", footprint(*i))
            }
            Rule::FootprintCap { footprint: i } => write!(f, "cap for footprint {}", footprint(*i)),
            Rule::RegionFloor { region } => write!(f, "floor for region {region}"),
            Rule::RegionCap { region } => write!(f, "cap for region {region}"),
            Rule::CategoryMin { category } => write!(f, "minimum share for category {category}"),
            Rule::CategoryMax { category } => write!(f, "maximum share for category {category}"),
            Rule::MustFund { project: p } => write!(f, "must-fund project {}", project(*p)),
            Rule::LockIn { project: p } => write!(f, "lock-in {}", project(*p)),
            Rule::Requires {
                project: p,
                prerequisite: q,
            } => write!(f, "{} requires {}", project(*p), project(*q)),
            Rule::ExclusiveGroup { group } => write!(f, "exclusive group {group}"),
            Rule::Excluded { project: p } => write!(f, "exclusion of project {}", project(*p)),
            Rule::SwitchCap { year } => write!(
                f,
                "cap on revenue switched to pay capital {}",
                self.years[*year]
            ),
            Rule::CarryCap { line, year } => {
                write!(f, "cap on {line} carried out of {}", self.years[*year])
            }
            Rule::LatestStart { project: p } => {
                write!(f, "latest start of project {}", project(*p))
            }
            Rule::MatchMin { category } => write!(f, "minimum match for category {category}"),
        }
    }
}
