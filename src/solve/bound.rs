//! A bound on every allocation, proven from an LP's row duals, and what fixing a bid
//! where the LP put it can cost. This is what lets a restricted MIP prove the whole
//! programme's optimum: any allocation that disagrees with the LP on a bid whose
//! penalty is large is worth less than an allocation already in hand, so it need not
//! be searched.
//!
//! The bound is the Lagrangian relaxation's, computed here from the model's own
//! matrix rather than trusted from the solver: for any row multipliers `y`,
//! `c·x = y·(Ax) + d·x` with `d = c - Aᵀy`, and every allocation has each row's
//! activity within the row's bounds and each column within its own, so
//! `c·x ≤ Σ_rows max(y·activity) + Σ_cols max(d·x)`. That holds for *any* `y`, so an
//! inexact dual only weakens the bound; it never makes it wrong.

use super::session::{LpData, Session};
use crate::error::Result;

/// The bound and each whole column's penalty, in the maximising sense (`sense × the
/// objective`).
pub struct DualBound {
    /// No allocation is worth more than this (maximising sense).
    value: f64,
    /// For each column: how much less than `value` every allocation is worth whose
    /// column differs from `at[c]` (infinite for a column that cannot differ, zero
    /// for a continuous one or one the LP does not settle).
    penalty: Vec<f64>,
    /// Where the LP put each column, whole columns rounded.
    at: Vec<f64>,
    sense: f64,
}

impl DualBound {
    /// The bound from the duals of the LP just solved (`row_duals`, HiGHS' sign: the
    /// objective's change per unit more of a row's bound), with each whole column's
    /// penalty for leaving where the LP put it (`columns`, rounded). `sense` is 1 to
    /// maximise and -1 to minimise. `None` when the multipliers give no finite bound.
    pub fn of(
        session: &mut Session,
        row_duals: &[f64],
        columns: &[f64],
        sense: f64,
    ) -> Result<Option<DualBound>> {
        let lp = session.lp_data()?;
        if row_duals.len() != lp.row_lower.len() || columns.len() != lp.cost.len() {
            return Ok(None);
        }
        let mut at = columns.to_vec();
        for &c in &session.integer_cols {
            at[c] = at[c].round();
        }
        let at = &at;
        // Both signs of the duals are tried and the tighter bound kept: the result is
        // valid either way, so no convention about HiGHS' signs can make it wrong.
        let tries = [1.0, -1.0].map(|s| bound_with(&lp, row_duals, s, at, sense, session));
        Ok(tries
            .into_iter()
            .flatten()
            .min_by(|a, b| a.value.total_cmp(&b.value)))
    }

    /// The bound in the objective's own sense: no allocation is better. (The solver
    /// reports the LP's own bound, which is this less the margin for rounding.)
    #[cfg(test)]
    pub fn value(&self) -> f64 {
        self.sense * self.value
    }

    pub fn penalty(&self, column: usize) -> f64 {
        self.penalty[column]
    }

    /// Where the LP put `column` (rounded, when whole): where fixing holds it.
    pub fn at(&self, column: usize) -> f64 {
        self.at[column]
    }

    /// The best any allocation can be that differs, in some column of `fixed`, from
    /// where the bound's `at` put it: the bound less the smallest such penalty, in the
    /// objective's own sense (minus infinity, maximising, when nothing may differ).
    pub fn beyond(&self, fixed: &[usize]) -> f64 {
        let least = fixed
            .iter()
            .map(|&c| self.penalty[c])
            .fold(f64::INFINITY, f64::min);
        self.sense * (self.value - least)
    }

    /// The bound on the whole programme from a MIP searched with the columns of `fixed`
    /// held where the LP put them: the weaker of its own bound (`None` when nothing
    /// kept every rule there) and what the fixing hid (`beyond`).
    pub fn whole(&self, searched: Option<f64>, fixed: &[usize]) -> f64 {
        let hidden = self.beyond(fixed);
        match searched {
            Some(bound) => self.sense * (self.sense * bound).max(self.sense * hidden),
            None => hidden,
        }
    }

    /// The penalty above which a column may be fixed without hiding any allocation
    /// worth more than `level` (objective's sense): fixing every column whose penalty
    /// is at least this keeps `beyond` no better than `level`.
    pub fn threshold(&self, level: f64) -> f64 {
        self.value - self.sense * level
    }
}

fn bound_with(
    lp: &LpData,
    row_duals: &[f64],
    sign: f64,
    at: &[f64],
    sense: f64,
    session: &Session,
) -> Option<DualBound> {
    // Maximise sense × objective; a row's multiplier is the dual in that sense.
    let y: Vec<f64> = row_duals
        .iter()
        .zip(lp.row_lower.iter().zip(&lp.row_upper))
        .map(|(&dual, (&lower, &upper))| {
            let y = sign * sense * dual;
            // A multiplier that would need an infinite bound of its row is dropped
            // (any multipliers give a valid bound; this one would give none).
            let needed = if y > 0.0 { upper } else { lower };
            if y == 0.0 || !y.is_finite() || !needed.is_finite() {
                0.0
            } else {
                y
            }
        })
        .collect();
    let mut total = sense * lp.offset;
    let mut scale = total.abs();
    for (r, &yr) in y.iter().enumerate() {
        if yr != 0.0 {
            let term = if yr > 0.0 {
                yr * lp.row_upper[r]
            } else {
                yr * lp.row_lower[r]
            };
            total += term;
            scale += term.abs();
        }
    }
    let cols = lp.cost.len();
    let mut penalty = vec![0.0; cols];
    let mut whole = vec![false; cols];
    for &c in &session.integer_cols {
        whole[c] = true;
    }
    for c in 0..cols {
        let mut d = sense * lp.cost[c];
        for k in lp.start[c]..lp.start[c + 1] {
            d -= y[lp.index[k]] * lp.value[k];
        }
        let (lower, upper) = (session.lower[c], session.upper[c]);
        let best = best_on(d, lower, upper)?;
        total += best;
        scale += best.abs();
        if whole[c] {
            penalty[c] = whole_penalty(d, best, at[c].round(), lower, upper);
        }
    }
    // The sums above are exact to a few units in the last place of their size; a
    // margin well beyond that keeps the bound a bound.
    let value = total + 1e-12 * scale.max(1.0);
    Some(DualBound {
        value,
        penalty: penalty.into_iter().map(|p| p - 1e-12 * scale).collect(),
        at: at.to_vec(),
        sense,
    })
}

/// The most `d·x` can be for `x` within `[lower, upper]`; `None` when unbounded.
fn best_on(d: f64, lower: f64, upper: f64) -> Option<f64> {
    if d > 0.0 {
        upper.is_finite().then_some(d * upper)
    } else if d < 0.0 {
        lower.is_finite().then_some(d * lower)
    } else {
        Some(0.0)
    }
}

/// How much of `best` a whole column gives up by taking any whole value other than
/// `at` within its bounds: a linear term is largest at an end, so only the ends and the
/// neighbours of `at` need trying.
fn whole_penalty(d: f64, best: f64, at: f64, lower: f64, upper: f64) -> f64 {
    let others = [lower.ceil(), upper.floor(), at - 1.0, at + 1.0];
    let elsewhere = others
        .into_iter()
        .filter(|&x| x.is_finite() && x >= lower && x <= upper && x != at)
        .map(|x| d * x)
        .fold(f64::NEG_INFINITY, f64::max);
    if elsewhere == f64::NEG_INFINITY {
        f64::INFINITY
    } else {
        (best - elsewhere).max(0.0)
    }
}

#[cfg(test)]
#[path = "bound_tests.rs"]
mod tests;
