//! The primal heuristic: relax, then fix. The LP relaxation of these programmes leaves
//! only a few bids fractional, and its bound is within about 0.01% of the optimum.
//! Rounding it, and in partial funding diving from it (`dive`), often gives an
//! allocation within the scenario's gap at once. Otherwise the bids whose LP decision
//! is clear-cut (whole, with a large penalty for moving them: `DualBound::penalty`, or
//! the LP's reduced cost) are fixed where the LP put them; a small MIP over the rest
//! (the fractional bids and those with the smallest penalties: the marginal ones; in
//! partial funding first the fractional indicators alone) then finds an allocation
//! that keeps every rule, usually within the scenario's gap of the bound.

use super::bound::DualBound;
use super::session::{Attempt, Session};
use super::{polish, Accept, Effort, Failure, Polished};
use crate::error::Result;
use highs::HighsModelStatus;

/// An allocation found by the heuristic, as the programme's columns.
pub struct Incumbent {
    pub objective: f64,
    pub columns: Vec<f64>,
}

/// What the heuristic learnt (nothing, by default: HiGHS then solves alone).
#[derive(Default)]
pub struct Found {
    /// A proven bound on the MIP's optimum: the LP relaxation's, or tighter when the
    /// dual bound solves footprints' capped gains exactly, or when the restricted MIP,
    /// with what its fixing can hide (`DualBound::beyond`), proves one.
    pub bound: Option<f64>,
    /// The LP's dual bound and each whole column's penalty, for fixing columns the
    /// full MIP need not search.
    pub dual: Option<DualBound>,
    pub incumbent: Option<Incumbent>,
    /// The LP relaxation has no solution, so neither has the MIP.
    pub failure: Option<Failure>,
}

impl Found {
    /// Tightens the dual bound toward the incumbent (`DualBound::improve`) when the
    /// incumbent is not yet within `gap` of it, and takes its bound if tighter.
    pub fn tighten(&mut self, sense: f64, gap: f64, steps: usize) {
        let (Some(dual), Some(incumbent), Some(bound)) =
            (self.dual.as_mut(), &self.incumbent, self.bound)
        else {
            return;
        };
        if super::relative_gap(incumbent.objective, bound) <= gap {
            return;
        }
        dual.improve(incumbent.objective, steps);
        if sense * (dual.value() - bound) < 0.0 {
            self.bound = Some(dual.value());
        }
    }

    /// Takes a neighbouring answer as the incumbent when it keeps every rule here and is
    /// worth more than the heuristic's.
    pub fn consider(
        &mut self,
        session: &mut Session,
        start: &[f64],
        sense: f64,
        accept: Option<Accept>,
    ) -> Result<()> {
        if self.failure.is_some() {
            return Ok(());
        }
        let (columns, objective) = match polish(session, start)? {
            Polished::Better(columns, objective) => (columns, objective),
            _ => return Ok(()),
        };
        if !accept.is_none_or(|ok| ok(&columns)) {
            return Ok(());
        }
        let better = self
            .incumbent
            .as_ref()
            .is_none_or(|i| sense * (objective - i.objective) > 0.0);
        if better {
            self.incumbent = Some(Incumbent { objective, columns });
        }
        Ok(())
    }
}

/// How many marginal bids (besides the fractional ones) the restricted MIP decides:
/// enough to trade bids against each other across the budget rows, few enough that
/// the restricted MIP takes a fraction of a second.
fn marginal_count(whole_columns: usize) -> usize {
    (whole_columns / 10).clamp(30, 300)
}

/// Runs the heuristic; the session's model is left as it was built (every whole column
/// whole, every bound as built). `sense` is 1 to maximise, -1 to minimise; `accept`
/// checks an allocation against every rule before it is trusted. A `start` (a
/// neighbouring answer) that keeps every rule and is already within `gap` of the LP
/// bound is the answer at once: re-solves near an optimum (a bid locked out, £1m
/// more) then cost an LP instead of a restricted MIP.
pub fn run(
    session: &mut Session,
    gap: f64,
    sense: f64,
    accept: Option<Accept>,
    start: Option<&[f64]>,
    effort: Effort,
) -> Result<Found> {
    let whole = session.integer_cols.clone();
    session.set_integral(&whole, false)?;
    let lp = session.solve_lp(sense)?;
    let mut found = Found::default();
    match lp.status {
        HighsModelStatus::Optimal => {}
        HighsModelStatus::Infeasible => {
            found.failure = Some(Failure::Infeasible);
            session.set_integral(&whole, true)?;
            return Ok(found);
        }
        // Anything else (unbounded, out of time) is for the full MIP to report.
        _ => {
            session.set_integral(&whole, true)?;
            return Ok(found);
        }
    }
    // Polishing an allocation leaves the session another basis; a dive starts from
    // the LP's, so it is kept where a dive may follow.
    let lp_basis = session
        .only_indicators_whole()
        .then(|| session.basis())
        .flatten();
    found.dual = DualBound::of(session, &lp.row_duals, &lp.columns, sense)?;
    // The dual bound is the tighter where it solves a footprint's capped gain exactly.
    let bound = match &found.dual {
        Some(dual) if sense * (dual.value() - lp.objective) < 0.0 => dual.value(),
        _ => lp.objective,
    };
    found.bound = Some(bound);
    if let Some(start) = start.filter(|s| s.len() == session.cols) {
        found.consider(session, start, sense, accept)?;
        // A start that keeps every rule is as good an incumbent as the restricted MIP
        // finds near an optimum, and the full MIP begins from it.
        if found.incumbent.is_some() {
            session.set_integral(&whole, true)?;
            return Ok(found);
        }
    }

    let is_fractional = |c: usize| fractional(lp.columns[c]);
    // Rounding down: every fractional whole column to zero (a bid not funded, a
    // minimum-share indicator off) keeps every budget and cap, and often every other
    // rule. Polished and checked, it is an answer at once, even when the restricted
    // MIP below runs out of time on a very large model. Rounding to the nearest whole
    // value is tried too: a part-funded bid whose LP share is already above its
    // minimum keeps that share with its indicator on, where rounding down would drop
    // it. Whichever keeps every rule and is worth more is the incumbent.
    for nearest in [false, true] {
        let mut rounded = lp.columns.clone();
        let mut changed = false;
        for &c in &whole {
            let v = rounded[c];
            rounded[c] = if !is_fractional(c) {
                v.round()
            } else if nearest {
                changed |= v.round() != 0.0;
                v.round()
            } else {
                0.0
            };
        }
        if !nearest || changed {
            found.consider(session, &rounded, sense, accept)?;
        }
    }
    // Within the gap of the bound already: the restricted MIP could add nothing
    // the scenario asks for.
    let settled = |found: &Found| match (&found.incumbent, found.bound) {
        (Some(i), Some(bound)) => sense * (bound - i.objective) <= gap * i.objective.abs(),
        _ => false,
    };
    if settled(&found) {
        session.set_integral(&whole, true)?;
        return Ok(found);
    }
    // Where every whole column is a partial-funding indicator, a dive from the LP
    // usually ends within the gap in a few dozen LPs, and the restricted MIP, which
    // costs far more, is not needed.
    if session.only_indicators_whole() {
        if let Some(basis) = &lp_basis {
            session.set_basis(basis)?;
        }
        if let Some(columns) = dive(session, &whole, &lp.columns)? {
            found.consider(session, &columns, sense, accept)?;
        }
        session.set_integral(&whole, true)?;
        if settled(&found) {
            return Ok(found);
        }
    }
    // Where footprints' capped gains make the dual bound tighter than the LP's, better
    // multipliers tighten it further: often enough to prove the allocation in hand,
    // and otherwise its penalties pick the marginal bids.
    found.tighten(sense, gap, effort.dual_steps);
    if settled(&found) {
        session.set_integral(&whole, true)?;
        return Ok(found);
    }
    let mut decided: Vec<usize> = whole
        .iter()
        .copied()
        .filter(|&c| !is_fractional(c))
        .collect();
    // Least sure first: the smallest penalty for leaving where the LP put it (the
    // smallest reduced cost, without a dual bound).
    let doubt = |c: usize| match &found.dual {
        Some(dual) => dual.penalty(c),
        None => lp.reduced_costs[c].abs(),
    };
    decided.sort_by(|&a, &b| doubt(a).total_cmp(&doubt(b)).then(a.cmp(&b)));
    let fractional_cols: Vec<usize> = whole
        .iter()
        .copied()
        .filter(|&c| is_fractional(c))
        .collect();
    let marginal = effort
        .marginal
        .unwrap_or_else(|| marginal_count(whole.len()));
    // In partial funding an indicator held where the LP put it still leaves its bid's
    // share free, so a restricted MIP over the fractional indicators alone moves every
    // share and is far smaller: it is tried first, and the marginal bids join only if
    // it ends short of the gap (1,200 bids, maturity: 60 ms and within 1e-4, against
    // 160 ms with 82 marginal bids).
    let rounds = if session.only_indicators_whole() && marginal > 0 {
        vec![0, marginal]
    } else {
        vec![marginal]
    };
    for marginal in rounds {
        let marginal = marginal.min(decided.len());
        let mut free = fractional_cols.clone();
        free.extend_from_slice(&decided[..marginal]);
        let fixed = &decided[marginal..];
        let at: Vec<f64> = fixed.iter().map(|&c| lp.columns[c].round()).collect();
        restricted_mip(
            session, &mut found, &lp, &whole, &free, fixed, &at, gap, sense, accept, effort,
        )?;
        if settled(&found) {
            break;
        }
    }
    Ok(found)
}

/// The restricted MIP: the whole columns of `fixed` held at `at` (where the LP put
/// them), those of `free` searched as whole. What it proves for the whole programme
/// and the allocation it finds, if checked and better, go into `found`.
#[allow(clippy::too_many_arguments)]
fn restricted_mip(
    session: &mut Session,
    found: &mut Found,
    lp: &Attempt,
    whole: &[usize],
    free: &[usize],
    fixed: &[usize],
    at: &[f64],
    gap: f64,
    sense: f64,
    accept: Option<Accept>,
    effort: Effort,
) -> Result<()> {
    session.set_bounds_of(fixed, at, at)?;
    session.set_integral(free, true)?;
    // The restricted MIP gets a few nodes and the scenario's own gap.
    session.set_option("mip_max_nodes", effort.sub_mip_nodes)?;
    let sub = session.solve(session.remaining_s(), gap, true);
    session.set_option("mip_max_nodes", i32::MAX)?;
    let sub = sub?;
    session.restore_bounds()?;
    session.set_integral(whole, true)?;
    // What the restricted MIP proved holds for the whole programme too, once what its
    // fixing hid is bounded: every allocation it could not see differs from the LP on
    // a fixed bid, and is worth at most `beyond`.
    if let (Some(dual), Some(bound)) = (&found.dual, found.bound) {
        let searched = match sub.status {
            HighsModelStatus::Infeasible => Some(None),
            _ if sub.bound.is_finite() => Some(Some(sub.bound)),
            _ => None,
        };
        if let Some(searched) = searched {
            let whole_bound = dual.whole(searched, fixed);
            if sense * (whole_bound - bound) < 0.0 {
                found.bound = Some(whole_bound);
            }
        }
    }
    if !sub.has_solution {
        return Ok(());
    }
    let (columns, objective) = match polish(session, &sub.columns)? {
        Polished::Better(columns, objective) => (columns, objective),
        Polished::Unchanged => (sub.columns, sub.objective),
        Polished::Infeasible => return Ok(()),
    };
    // Never better than the LP bound, beyond rounding: if it is, something is wrong
    // with the allocation, and the full MIP decides.
    let beyond = sense * (objective - lp.objective) > 1e-7 * lp.objective.abs().max(1.0);
    if beyond || !accept.is_none_or(|ok| ok(&columns)) {
        return Ok(());
    }
    // The start, when there was one, stays the incumbent unless this beats it.
    let better = found
        .incumbent
        .as_ref()
        .is_none_or(|i| sense * (objective - i.objective) > 0.0);
    if better {
        found.incumbent = Some(Incumbent { objective, columns });
    }
    Ok(())
}

/// A whole column's LP value that is not whole.
fn fractional(v: f64) -> bool {
    v > 1e-6 && (v - v.round()).abs() > 1e-6
}

/// Dives from the LP relaxation (`columns`, its answer, whose basis the session
/// holds): fixes the fractional whole column nearest a whole value at that value (at
/// the other side when that leaves no solution), solves the LP again from its basis,
/// and repeats until no whole column is fractional. Returns that LP's columns, or
/// `None` when the dive ends without one: both sides left no solution, the time ran
/// out, or it took more than its share of LPs.
///
/// The heuristic dives only where every whole column is a partial-funding indicator
/// (`funded_…`): fixing one moves the shares of a few other bids, which the LP absorbs
/// without making more indicators fractional, so the count falls to none in about
/// twice as many LPs as it starts with (1,200 bids: 9 → 19 LPs, 22 → 38). Where the
/// bids themselves are whole, each fix frees another bid to fill the budget, the count
/// stays level and the dive wanders (hundreds of LPs on the same programmes).
fn dive(session: &mut Session, whole: &[usize], columns: &[f64]) -> Result<Option<Vec<f64>>> {
    session.set_integral(whole, false)?;
    let mut columns = columns.to_vec();
    let start = whole.iter().filter(|&&c| fractional(columns[c])).count();
    let most = 2 * start + 20;
    let mut answer = None;
    for _ in 0..most {
        let nearest = whole
            .iter()
            .copied()
            .filter(|&c| fractional(columns[c]))
            .min_by(|&a, &b| {
                let off = |c: usize| (columns[c] - columns[c].round()).abs();
                off(a).total_cmp(&off(b)).then(a.cmp(&b))
            });
        let Some(c) = nearest else {
            answer = Some(columns);
            break;
        };
        let v = columns[c];
        let near = v.round();
        let other = if near > v { v.floor() } else { v.ceil() };
        let mut solved = None;
        for at in [near, other] {
            session.set_bounds_of(&[c], &[at], &[at])?;
            let lp = session.solve(session.remaining_s(), 0.0, false)?;
            match lp.status {
                HighsModelStatus::Optimal => {
                    solved = Some(lp.columns);
                    break;
                }
                HighsModelStatus::Infeasible => continue,
                _ => break,
            }
        }
        match solved {
            Some(next) => columns = next,
            None => break,
        }
    }
    session.restore_bounds()?;
    Ok(answer)
}

#[cfg(test)]
#[path = "heuristic_tests.rs"]
mod tests;
