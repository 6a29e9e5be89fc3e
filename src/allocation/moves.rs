//! The check of the budget mechanics, independent of the solver: every switch and
//! carry within what the scenario allows, every bid's start allowed, every bid's fund
//! share what its match says. The budgets themselves, with the money moved, are
//! checked with the other rules in `usage`.

use super::usage::{Usage, FRACTION_EPS};
use crate::domain::{BudgetLine, Dataset, Money};
use crate::format::thousands;
use crate::scenario::flex::line_index;
use crate::scenario::{Moves, Scenario};

impl<'a> Usage<'a> {
    /// An allocation whose bids start where `starts` says, with money moved as `moves` says.
    pub fn of_plan(
        data: &'a Dataset,
        scenario: &'a Scenario,
        fractions: &[f64],
        starts: &[usize],
        moves: &Moves,
    ) -> Self {
        let mut u = Self::empty(data, scenario);
        u.starts = starts.to_vec();
        u.moves = moves.clone();
        for (p, &f) in fractions.iter().enumerate() {
            if f != 0.0 {
                u.add(p, f);
            }
        }
        u
    }

    /// What line `l` (an index into `limits.lines`) may spend in `year`: its budget with
    /// the money moved in and out of it.
    pub fn available(&self, l: usize, year: usize) -> Money {
        self.moves
            .available(self.limits.lines[l], year, self.limits.budget[l][year])
    }
}

pub(super) fn violations(u: &Usage, tolerance: fn(f64) -> f64) -> Vec<String> {
    let data = u.data;
    let scenario = u.scenario;
    let flex = &scenario.flex;
    let years = &scenario.years;
    let n = years.len();
    let mut out = Vec::new();
    let revenue = scenario.budget_for(BudgetLine::Revenue);
    let both = revenue.is_some() && scenario.budget_for(BudgetLine::Capital).is_some();
    for y in 0..n {
        let t = u.moves.switched.get(y).copied().unwrap_or(0.0);
        let cap = match revenue {
            Some(r) if both => flex.switch_cap(r[y]),
            _ => 0.0,
        };
        if !t.is_finite() || t < -tolerance(cap) || t > cap + tolerance(cap) {
            out.push(format!(
                "switch {}: £{}k of revenue switched to capital, outside £0k–£{}k",
                years[y],
                thousands(t),
                thousands(cap)
            ));
        }
    }
    for line in BudgetLine::ALL {
        let budget = scenario.budget_for(line);
        let carried = u.moves.carried_on(line);
        for y in 0..n {
            let c = carried.get(y).copied().unwrap_or(0.0);
            // Nothing is carried out of the last year (it would lapse), nor on a line
            // the fund does not pay.
            let cap = match budget {
                Some(b) if y + 1 < n => flex.carry_cap(b[y]),
                _ => 0.0,
            };
            if !c.is_finite() || c < -tolerance(cap) || c > cap + tolerance(cap) {
                out.push(format!(
                    "{line} carried out of {}: £{}k, outside £0k–£{}k",
                    years[y],
                    thousands(c),
                    thousands(cap)
                ));
            }
        }
    }
    // What a line carries out of a year is money left there: the budget rows check that
    // spend + carried out ≤ budget + carried in ± switch, so the carry is unspent money.
    debug_assert_eq!(line_index(BudgetLine::Capital), 0);
    for (p, proj) in data.projects.iter().enumerate() {
        let s = u.starts.get(p).copied().unwrap_or(0);
        let f = u.fractions[p];
        if s > 0 && f <= FRACTION_EPS {
            out.push(format!(
                "{}: starts {s} year(s) late but is not funded",
                proj.id
            ));
        }
        if s > proj.may_defer.unwrap_or(0) {
            out.push(format!(
                "{}: starts {s} year(s) late, but may move at most {}",
                proj.id,
                proj.may_defer.unwrap_or(0)
            ));
        } else if s > proj.max_shift() {
            out.push(format!(
                "{}: starting {s} year(s) late pushes its cost past {}",
                proj.id,
                years[n - 1]
            ));
        }
        let m = proj.match_share;
        let least = flex.min_match_for(&proj.category).unwrap_or(0.0);
        if !(0.0..=1.0).contains(&m) || m < least {
            out.push(format!(
                "{}: the fund pays {:.4} of its cost, but its match share {m} is outside {least}–1",
                proj.id,
                proj.fund_share()
            ));
        }
    }
    out
}
