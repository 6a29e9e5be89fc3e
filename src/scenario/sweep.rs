//! A budget sweep's request: which budget cells move, over what range, and the
//! scenario at each level.

use super::Scenario;
use crate::domain::{BudgetLine, FinancialYear, Money};
use crate::error::{Error, Result};

/// £1m, in £k: the step for "what another £1m buys".
pub const MARGINAL_STEP: Money = 1000.0;

/// Which budget cells a sweep scales, and over what range.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRequest {
    pub from: f64,
    pub to: f64,
    pub steps: usize,
    pub year: Option<FinancialYear>,
    pub line: Option<BudgetLine>,
}

impl SweepRequest {
    /// Shares of the scenario's budget from `from` to `to` in `steps` levels (each value
    /// was checked on its own by the command line; this checks them together).
    pub fn new(
        from: f64,
        to: f64,
        steps: usize,
        year: Option<FinancialYear>,
        line: Option<BudgetLine>,
    ) -> Result<SweepRequest> {
        if to < from {
            return Err(Error::usage(
                format!("--to {to} is below --from {from}"),
                "give the lower budget level in --from",
            ));
        }
        Ok(SweepRequest {
            from,
            to,
            steps,
            year,
            line,
        })
    }

    /// The year and line asked for must be ones the scenario funds.
    pub fn check_against(&self, scenario: &Scenario) -> Result<()> {
        if let Some(y) = &self.year {
            if !scenario.years.contains(y) {
                let years: Vec<String> = scenario.years.iter().map(|y| y.to_string()).collect();
                return Err(Error::usage(
                    format!("--year {y} is not one of the scenario's years"),
                    format!("use one of {}", years.join(", ")),
                ));
            }
        }
        if let Some(l) = self.line {
            if scenario.budget_for(l).is_none() {
                return Err(Error::usage(
                    format!("--line {l}: the scenario has no {l} budget"),
                    "sweep a line the scenario funds",
                ));
            }
        }
        Ok(())
    }

    pub fn levels(&self) -> Vec<f64> {
        (0..self.steps)
            .map(|i| self.from + (self.to - self.from) * i as f64 / (self.steps - 1) as f64)
            .collect()
    }

    /// Which (line, year) cells of the scenario's budget the sweep moves.
    fn selected(&self, scenario: &Scenario) -> Vec<(usize, usize)> {
        let mut cells = Vec::new();
        for (l, (line, amounts)) in scenario.budget.iter().enumerate() {
            for (y, _) in amounts.iter().enumerate() {
                let year_ok = self
                    .year
                    .as_ref()
                    .is_none_or(|want| *want == scenario.years[y]);
                if year_ok && self.line.is_none_or(|want| want == *line) {
                    cells.push((l, y));
                }
            }
        }
        cells
    }

    pub fn describe(&self) -> String {
        let line = self
            .line
            .map_or("every budget line".to_string(), |l| format!("the {l} line"));
        let year = self
            .year
            .as_ref()
            .map_or("every year".to_string(), |y| format!("{y} only"));
        format!("{line}, {year}")
    }
}

/// The scenario with its selected budget cells scaled by `level`, plus `extra` £k shared
/// over those cells in proportion to their base amounts.
pub fn scaled(scenario: &Scenario, request: &SweepRequest, level: f64, extra: Money) -> Scenario {
    let cells = request.selected(scenario);
    let base: Money = cells.iter().map(|&(l, y)| scenario.budget[l].1[y]).sum();
    let mut s = scenario.clone();
    for &(l, y) in &cells {
        let amount = scenario.budget[l].1[y];
        let weight = if base > 0.0 {
            amount / base
        } else {
            1.0 / cells.len() as f64
        };
        s.budget[l].1[y] = amount * level + extra * weight;
    }
    s
}

#[cfg(test)]
mod tests;
