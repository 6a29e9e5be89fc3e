//! Budget mechanics a scenario may switch on, each off by default: a capped switch of
//! revenue budget to pay capital, carry-forward of unspent budget (annuality), a default
//! for how far bids' starts may move (phasing), and minimum local match per category.

use crate::domain::{BudgetLine, Money};
use serde::Serialize;

/// The scenario's `[budget] revenue_to_capital_max`, `[budget] carry_forward_max`,
/// `[phasing]` and `[match]`. `Flex::default()` is every mechanism off.
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct Flex {
    /// Most of each year's revenue budget that may be switched to pay capital, as a share
    /// of that year's revenue budget (0–1). Revenue to capital is the switch made in
    /// practice (capital is the scarcer control total); never the other way.
    pub revenue_to_capital_max: Option<f64>,
    /// Most unspent budget carried into the next year on each line, as a share of that
    /// line's budget in the year it is carried from (0–1).
    pub carry_forward_max: Option<f64>,
    /// Whole years a bid's start may move when the bid itself gives neither `may_defer`
    /// nor `latest_start`.
    pub may_defer: Option<usize>,
    /// The least local match per category (0–1): a bid's match share is the larger of
    /// its own and its category's minimum.
    pub min_match: Vec<(String, f64)>,
}

impl Flex {
    pub fn is_off(&self) -> bool {
        *self == Flex::default()
    }

    /// True when the budget rows gain transfer or carry columns.
    pub fn moves_money(&self) -> bool {
        self.revenue_to_capital_max.is_some_and(|m| m > 0.0)
            || self.carry_forward_max.is_some_and(|m| m > 0.0)
    }

    /// The most revenue that may pay capital in a year whose revenue budget is `revenue`.
    pub fn switch_cap(&self, revenue: Money) -> Money {
        self.revenue_to_capital_max.unwrap_or(0.0) * revenue
    }

    /// The most that may be carried out of a year whose budget on the line is `budget`.
    pub fn carry_cap(&self, budget: Money) -> Money {
        self.carry_forward_max.unwrap_or(0.0) * budget
    }

    /// The category's minimum match share, if the scenario sets one.
    pub fn min_match_for(&self, category: &str) -> Option<f64> {
        self.min_match
            .iter()
            .find(|(c, _)| c == category)
            .map(|&(_, s)| s)
    }

    /// The scenario's mechanisms in words, for the summary; empty when all are off.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(m) = self.revenue_to_capital_max {
            out.push(format!(
                "up to {}% of each year's revenue budget may be switched to pay capital",
                crate::format::fixed(m * 100.0, 2)
            ));
        }
        if let Some(m) = self.carry_forward_max {
            out.push(format!(
                "up to {}% of each year's budget on each line may be carried into the next year",
                crate::format::fixed(m * 100.0, 2)
            ));
        }
        if let Some(d) = self.may_defer {
            out.push(format!(
                "a bid that says nothing of phasing may start up to {d} year(s) late"
            ));
        }
        for (c, s) in &self.min_match {
            out.push(format!(
                "bids in category {c} are matched locally at least {}%",
                crate::format::fixed(s * 100.0, 2)
            ));
        }
        out
    }
}

/// What the fund did with the flexibility, per year (indexed like the scenario's years).
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct Moves {
    /// Revenue budget switched to pay capital, £k.
    pub switched: Vec<Money>,
    /// Money carried out of each year into the next, £k, per line (`[capital, revenue]`).
    pub carried: [Vec<Money>; 2],
}

impl Moves {
    pub fn none(years: usize) -> Moves {
        Moves {
            switched: vec![0.0; years],
            carried: [vec![0.0; years], vec![0.0; years]],
        }
    }

    pub fn carried_on(&self, line: BudgetLine) -> &[Money] {
        &self.carried[line_index(line)]
    }

    /// What the line may spend in `year`: its budget, plus what came in from the year
    /// before, less what is carried out, plus (capital) or less (revenue) the switch.
    pub fn available(&self, line: BudgetLine, year: usize, budget: Money) -> Money {
        let carried = self.carried_on(line);
        let carried_in = if year > 0 {
            carried.get(year - 1).copied().unwrap_or(0.0)
        } else {
            0.0
        };
        let out = carried.get(year).copied().unwrap_or(0.0);
        let switched = self.switched.get(year).copied().unwrap_or(0.0);
        let switch = match line {
            BudgetLine::Capital => switched,
            BudgetLine::Revenue => -switched,
        };
        budget + carried_in - out + switch
    }

    pub fn any(&self) -> bool {
        self.switched
            .iter()
            .chain(&self.carried[0])
            .chain(&self.carried[1])
            .any(|&v| v != 0.0)
    }
}

pub fn line_index(line: BudgetLine) -> usize {
    match line {
        BudgetLine::Capital => 0,
        BudgetLine::Revenue => 1,
    }
}
