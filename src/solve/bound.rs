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
//!
//! Rows that cap a gain column by what bids add (each footprint's capability gain,
//! under the maturity objective) are not relaxed: with their multiplier zero, the rows
//! and their columns form a problem of their own per row, solved exactly
//! (`capped_gain`), so the bound does not count the part of a bid the LP takes to fill
//! a footprint's headroom exactly. In partial funding the bids' shares are the
//! members, and a share's "funded at all" rows (`x ≤ z`, `x ≥ m·z`) are kept with it:
//! the share is then 0 or within `[m, 1]`, which is what the LP gets wrong there.

use super::capped_gain::{self, Item};
use super::session::{LpData, Session};
use crate::error::Result;
use std::cell::OnceCell;

/// The bound and each whole column's penalty, in the maximising sense (`sense × the
/// objective`), with what it was computed from, so that better multipliers can
/// tighten it (`improve`).
pub struct DualBound {
    relaxation: Relaxation,
    /// The multipliers of the bound (maximising sense; zero on capped rows).
    y: Vec<f64>,
    /// No allocation is worth more than this (maximising sense).
    value: f64,
    /// Where the relaxation's best is at `y`, from which the penalties are worked out.
    evaluation: Evaluation,
    /// For each column: how much less than `value` every allocation is worth whose
    /// column differs from `at[c]` (infinite for a column that cannot differ, zero
    /// for a continuous one or one the bound does not settle). Worked out when first
    /// asked for: with capped rows they cost a search per member, often for a bound
    /// that proves the allocation in hand without them.
    penalty: OnceCell<Vec<f64>>,
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
        let relaxation = Relaxation::new(lp, session, columns, sense);
        // Both signs of the duals are tried and the tighter bound kept: the result is
        // valid either way, so no convention about HiGHS' signs can make it wrong.
        let best = [1.0, -1.0]
            .into_iter()
            .filter_map(|sign| {
                let y = relaxation.multipliers(row_duals, sign);
                relaxation.evaluate(&y).map(|e| (y, e))
            })
            .min_by(|a, b| a.1.value.total_cmp(&b.1.value));
        Ok(best.map(|(y, evaluation)| DualBound {
            relaxation,
            y,
            value: evaluation.value,
            evaluation,
            penalty: OnceCell::new(),
        }))
    }

    /// Seeks multipliers with a lower bound, by `steps` subgradient steps aimed at
    /// `target` (the objective's own sense: an allocation's value, which no bound can
    /// be below), and keeps the best multipliers found, with their penalties. Only a
    /// programme with capped rows can gain: without them the LP's duals are already
    /// the best multipliers there are.
    pub fn improve(&mut self, target: f64, steps: usize) {
        let r = &self.relaxation;
        if r.capped.is_empty() || steps == 0 {
            return;
        }
        let target = r.sense * target;
        let mut y = self.y.clone();
        // The best multipliers found, with their evaluation (its penalties are
        // worked out when first asked for).
        let mut best: Option<(Vec<f64>, Evaluation)> = None;
        let mut best_value = self.value;
        // Polyak's step toward the target, halved after five steps that find no
        // better bound: subgradient steps zigzag, and a shorter step settles them.
        let mut step = 1.0;
        let mut idle = 0;
        for _ in 0..steps {
            let Some(evaluation) = r.evaluate(&y) else {
                break;
            };
            let g = r.subgradient(&y, &evaluation);
            let room = evaluation.value - target;
            if evaluation.value < best_value {
                best_value = evaluation.value;
                idle = 0;
                best = Some((y.clone(), evaluation));
            } else {
                idle += 1;
                if idle >= 5 {
                    step /= 2.0;
                    idle = 0;
                }
            }
            let norm: f64 = g.iter().map(|v| v * v).sum();
            if norm == 0.0 || room <= 0.0 || step < 1e-6 {
                break;
            }
            let t = step * room / norm;
            for (row, (yr, gr)) in y.iter_mut().zip(&g).enumerate() {
                *yr = r.project(row, *yr + t * gr);
            }
        }
        if let Some((y, evaluation)) = best {
            self.value = evaluation.value;
            self.evaluation = evaluation;
            self.penalty = OnceCell::new();
            self.y = y;
        }
    }

    /// Whether some rows are solved exactly rather than relaxed (footprints' capped
    /// gains, and in partial funding the shares' minimum rows): the bound may then be
    /// tighter than the LP's.
    pub fn keeps_capped_rows(&self) -> bool {
        !self.relaxation.capped.is_empty()
    }

    /// The bound in the objective's own sense: no allocation is better. (With no
    /// capped rows this is the LP's own bound and a margin for rounding.)
    pub fn value(&self) -> f64 {
        self.relaxation.sense * self.value
    }

    pub fn penalty(&self, column: usize) -> f64 {
        self.penalties()[column]
    }

    fn penalties(&self) -> &[f64] {
        self.penalty
            .get_or_init(|| self.relaxation.penalties(&self.evaluation))
    }

    /// Where the LP put `column` (rounded, when whole): where fixing holds it.
    pub fn at(&self, column: usize) -> f64 {
        self.relaxation.at[column]
    }

    /// The best any allocation can be that differs, in some column of `fixed`, from
    /// where the bound's `at` put it: the bound less the smallest such penalty, in the
    /// objective's own sense (minus infinity, maximising, when nothing may differ).
    pub fn beyond(&self, fixed: &[usize]) -> f64 {
        let least = fixed
            .iter()
            .map(|&c| self.penalties()[c])
            .fold(f64::INFINITY, f64::min);
        self.relaxation.sense * (self.value - least)
    }

    /// The bound on the whole programme from a MIP searched with the columns of `fixed`
    /// held where the LP put them: the weaker of its own bound (`None` when nothing
    /// kept every rule there) and what the fixing hid (`beyond`).
    pub fn whole(&self, searched: Option<f64>, fixed: &[usize]) -> f64 {
        let sense = self.relaxation.sense;
        let hidden = self.beyond(fixed);
        match searched {
            Some(bound) => sense * (sense * bound).max(sense * hidden),
            None => hidden,
        }
    }

    /// The penalty above which a column may be fixed without hiding any allocation
    /// worth more than `level` (objective's sense): fixing every column whose penalty
    /// is at least this keeps `beyond` no better than `level`.
    pub fn threshold(&self, level: f64) -> f64 {
        self.value - self.relaxation.sense * level
    }
}

/// What the bound is computed from: the programme's matrix, its column bounds, where
/// the LP put each column, and the capped rows kept out of the relaxation.
struct Relaxation {
    lp: LpData,
    capped: Vec<CappedRow>,
    /// Columns a capped row decides (its gain, members and their indicators).
    in_capped: Vec<bool>,
    /// Rows solved exactly with the capped rows (the capped rows and their members'
    /// minimum-share rows): their multiplier is zero.
    kept: Vec<bool>,
    whole: Vec<bool>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    at: Vec<f64>,
    sense: f64,
}

/// The relaxation's value at some multipliers, and where it is attained.
struct Evaluation {
    value: f64,
    /// The size of the terms summed, for the margin that keeps the bound a bound.
    scale: f64,
    /// Each column's reduced objective `sense·c − Aᵀy`.
    reduced: Vec<f64>,
    /// Each capped row's best, with its members' items.
    blocks: Vec<(capped_gain::Best, Vec<Item>, f64)>,
}

impl Relaxation {
    fn new(lp: LpData, session: &Session, columns: &[f64], sense: f64) -> Relaxation {
        let cols = lp.cost.len();
        let mut whole = vec![false; cols];
        for &c in &session.integer_cols {
            whole[c] = true;
        }
        let mut at = columns.to_vec();
        for &c in &session.integer_cols {
            at[c] = at[c].round();
        }
        let (lower, upper) = (session.lower.clone(), session.upper.clone());
        let capped = capped_rows(&lp, &whole, &lower, &upper);
        let mut in_capped = vec![false; cols];
        let mut kept = vec![false; lp.row_lower.len()];
        for row in &capped {
            kept[row.row] = true;
            in_capped[row.gain] = true;
            for member in &row.members {
                in_capped[member.column] = true;
                if let Some(indicator) = &member.indicator {
                    in_capped[indicator.column] = true;
                    for r in indicator.rows {
                        kept[r] = true;
                    }
                }
            }
        }
        Relaxation {
            lp,
            capped,
            in_capped,
            kept,
            whole,
            lower,
            upper,
            at,
            sense,
        }
    }

    /// The LP's duals as multipliers in the maximising sense, each signed by `sign`;
    /// zero on a capped row, and on a row whose multiplier would need an infinite
    /// bound (any multipliers give a valid bound; that one would give none).
    fn multipliers(&self, row_duals: &[f64], sign: f64) -> Vec<f64> {
        row_duals
            .iter()
            .enumerate()
            .map(|(r, &dual)| self.project(r, sign * self.sense * dual))
            .collect()
    }

    /// The nearest multiplier to `y` that row `r` allows.
    fn project(&self, r: usize, y: f64) -> f64 {
        let needed = if y > 0.0 {
            self.lp.row_upper[r]
        } else {
            self.lp.row_lower[r]
        };
        if self.kept[r] || y == 0.0 || !y.is_finite() || !needed.is_finite() {
            0.0
        } else {
            y
        }
    }

    /// The relaxation's value at `y`; `None` when it is unbounded there.
    fn evaluate(&self, y: &[f64]) -> Option<Evaluation> {
        let lp = &self.lp;
        let mut total = self.sense * lp.offset;
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
        let mut reduced = vec![0.0; lp.cost.len()];
        for (c, reduced) in reduced.iter_mut().enumerate() {
            let mut d = self.sense * lp.cost[c];
            for k in lp.start[c]..lp.start[c + 1] {
                d -= y[lp.index[k]] * lp.value[k];
            }
            *reduced = d;
            if !self.in_capped[c] {
                let best = best_on(d, self.lower[c], self.upper[c])?;
                total += best;
                scale += best.abs();
            }
        }
        let mut blocks = Vec::with_capacity(self.capped.len());
        for row in &self.capped {
            let items: Vec<Item> = row.members.iter().map(|m| self.item(m, &reduced)).collect();
            let w = reduced[row.gain];
            let best = capped_gain::best(w, row.cap, &items, None, CAPPED_NODES);
            total += best.value;
            scale += best.value.abs();
            blocks.push((best, items, w));
        }
        // The sums above are exact to a few units in the last place of their size; a
        // margin well beyond that keeps the bound a bound.
        Some(Evaluation {
            value: total + 1e-12 * scale.max(1.0),
            scale,
            reduced,
            blocks,
        })
    }

    /// A capped row's member as its block sees it: the share's range when funded, and
    /// whether the bounds (of the bid, or of its indicator) decide it.
    fn item(&self, member: &Member, reduced: &[f64]) -> Item {
        let c = member.column;
        let (lower, upper) = (self.lower[c], self.upper[c]);
        let (u, d) = (member.gain, reduced[c]);
        if self.whole[c] {
            return Item::whole(u, d, (lower == upper).then_some(lower == 1.0));
        }
        let (lo, held) = match &member.indicator {
            Some(indicator) => {
                let z = indicator.column;
                let held = if upper <= 0.0 || self.upper[z] < 0.5 {
                    Some(false)
                } else if lower > 0.0 || self.lower[z] >= 0.5 {
                    Some(true)
                } else {
                    None
                };
                (indicator.minimum.max(lower), held)
            }
            None if upper <= 0.0 => (0.0, Some(false)),
            None if lower > 0.0 => (lower, Some(true)),
            None => (0.0, None),
        };
        Item {
            u,
            d,
            lo,
            hi: upper,
            held,
        }
    }

    /// Each whole column's penalty for leaving `at`, at the multipliers `evaluation`
    /// was made with.
    fn penalties(&self, evaluation: &Evaluation) -> Vec<f64> {
        let mut penalty = vec![0.0; self.lp.cost.len()];
        for (c, penalty) in penalty.iter_mut().enumerate() {
            if self.whole[c] && !self.in_capped[c] {
                let d = evaluation.reduced[c];
                let (lower, upper) = (self.lower[c], self.upper[c]);
                if let Some(best) = best_on(d, lower, upper) {
                    *penalty = whole_penalty(d, best, self.at[c], lower, upper);
                }
            }
        }
        for (row, (best, items, w)) in self.capped.iter().zip(&evaluation.blocks) {
            for (k, member) in row.members.iter().enumerate() {
                // The whole column that says whether the bid is funded: the bid's own,
                // or its indicator; a share with no minimum has none.
                let c = match &member.indicator {
                    Some(indicator) => indicator.column,
                    None if self.whole[member.column] => member.column,
                    None => continue,
                };
                if items[k].held.is_some() {
                    penalty[c] = f64::INFINITY;
                    continue;
                }
                let at = self.at[c] == 1.0;
                // The best itself leaves `at`: no penalty.
                if best.exact && (best.share[k] > 0.0) != at {
                    continue;
                }
                let other = capped_gain::best(*w, row.cap, items, Some((k, !at)), CAPPED_NODES);
                penalty[c] = (best.value - other.value).max(0.0);
            }
        }
        let margin = 1e-12 * evaluation.scale;
        penalty.into_iter().map(|p| p - margin).collect()
    }

    /// A subgradient of the relaxation's value at `y` (as `y` rises along it, the value
    /// falls): each row's activity at the relaxation's best, less the row bound its
    /// multiplier pays for (zero where the activity is within the row's bounds and
    /// the multiplier zero).
    fn subgradient(&self, y: &[f64], evaluation: &Evaluation) -> Vec<f64> {
        let lp = &self.lp;
        let mut x = vec![0.0; lp.cost.len()];
        for (c, xc) in x.iter_mut().enumerate() {
            if !self.in_capped[c] {
                let d = evaluation.reduced[c];
                *xc = if d > 0.0 {
                    self.upper[c]
                } else if d < 0.0 {
                    self.lower[c]
                } else {
                    self.at[c]
                };
            }
        }
        for (row, (best, items, w)) in self.capped.iter().zip(&evaluation.blocks) {
            let mut gained = 0.0;
            for (k, member) in row.members.iter().enumerate() {
                let share = best.share[k];
                x[member.column] = share;
                gained += items[k].u * share;
                if let Some(indicator) = &member.indicator {
                    x[indicator.column] = if share > 0.0 { 1.0 } else { 0.0 };
                }
            }
            x[row.gain] = if *w > 0.0 { gained.min(row.cap) } else { 0.0 };
        }
        let mut activity = vec![0.0; lp.row_lower.len()];
        for (c, &xc) in x.iter().enumerate() {
            if xc != 0.0 {
                for k in lp.start[c]..lp.start[c + 1] {
                    activity[lp.index[k]] += lp.value[k] * xc;
                }
            }
        }
        activity
            .iter()
            .enumerate()
            .map(|(r, &a)| {
                let (lower, upper) = (lp.row_lower[r], lp.row_upper[r]);
                if self.kept[r] {
                    0.0
                } else if y[r] > 0.0 || (y[r] == 0.0 && a > upper) {
                    a - upper
                } else if y[r] < 0.0 || a < lower {
                    a - lower
                } else {
                    0.0
                }
            })
            .collect()
    }
}

/// A row `a·g − Σ u_c·x_c ≤ 0` capping a gain: `g` continuous within `[0, cap]` and
/// in no other row, each member `x_c` within `[0, 1]` (whole, or a share), `u_c > 0`,
/// and in no other capped row.
struct CappedRow {
    row: usize,
    gain: usize,
    cap: f64,
    members: Vec<Member>,
}

struct Member {
    column: usize,
    /// Gain per unit of the column: `u_c / a`.
    gain: f64,
    /// A share's "funded at all" column, where it has a minimum.
    indicator: Option<Indicator>,
}

/// The whole column `z` of a share `x` with a minimum share `m`, and its two rows
/// `x − z ≤ 0` and `x − m·z ≥ 0` (scaled by any positive factor): `z` has no cost and
/// is in no other row, so with these rows kept, `x` is 0 or within `[m, 1]`.
struct Indicator {
    column: usize,
    minimum: f64,
    rows: [usize; 2],
}

/// Branch-and-bound nodes for each capped row's problem: beyond this the row counts
/// its relaxation's value, still a bound.
const CAPPED_NODES: usize = 20_000;

fn capped_rows(lp: &LpData, whole: &[bool], lower: &[f64], upper: &[f64]) -> Vec<CappedRow> {
    let cols = lp.cost.len();
    let mut by_row: Vec<Vec<(usize, f64)>> = vec![Vec::new(); lp.row_lower.len()];
    for c in 0..cols {
        for k in lp.start[c]..lp.start[c + 1] {
            by_row[lp.index[k]].push((c, lp.value[k]));
        }
    }
    let mut claimed = vec![false; cols];
    let mut rows = Vec::new();
    'rows: for (r, entries) in by_row.iter().enumerate() {
        if lp.row_upper[r] != 0.0 || lp.row_lower[r] != f64::NEG_INFINITY {
            continue;
        }
        let mut gains = entries.iter().filter(|&&(_, v)| v > 0.0);
        let (Some(&(gain, a)), None) = (gains.next(), gains.next()) else {
            continue;
        };
        let is_gain = !whole[gain]
            && lp.start[gain + 1] - lp.start[gain] == 1
            && lower[gain] == 0.0
            && upper[gain].is_finite()
            && upper[gain] >= 0.0;
        if !is_gain {
            continue;
        }
        let mut members = Vec::with_capacity(entries.len() - 1);
        for &(c, v) in entries {
            if c == gain {
                continue;
            }
            if v >= 0.0 || claimed[c] || lower[c] < 0.0 || upper[c] > 1.0 {
                continue 'rows;
            }
            let indicator = if whole[c] {
                None
            } else {
                indicator(lp, &by_row, c, whole, lower, upper)
            };
            if let Some(z) = &indicator {
                if claimed[z.column] {
                    continue 'rows;
                }
            }
            members.push(Member {
                column: c,
                gain: -v / a,
                indicator,
            });
        }
        for member in &members {
            claimed[member.column] = true;
            if let Some(z) = &member.indicator {
                claimed[z.column] = true;
            }
        }
        rows.push(CappedRow {
            row: r,
            gain,
            cap: upper[gain],
            members,
        });
    }
    rows
}

/// The indicator of share `x`, if it has one (`Indicator`) whose bounds leave the share
/// a range when funded.
fn indicator(
    lp: &LpData,
    by_row: &[Vec<(usize, f64)>],
    x: usize,
    whole: &[bool],
    lower: &[f64],
    upper: &[f64],
) -> Option<Indicator> {
    let (mut at_most, mut at_least) = (None, None);
    for k in lp.start[x]..lp.start[x + 1] {
        let r = lp.index[k];
        let a = lp.value[k];
        let [(c0, v0), (c1, v1)] = by_row[r][..] else {
            continue;
        };
        let (z, b) = if c0 == x { (c1, v1) } else { (c0, v0) };
        if a <= 0.0 || b >= 0.0 || !whole[z] {
            continue;
        }
        if lp.row_lower[r] == f64::NEG_INFINITY && lp.row_upper[r] == 0.0 && b == -a {
            at_most = Some((z, r));
        } else if lp.row_lower[r] == 0.0 && lp.row_upper[r] == f64::INFINITY {
            at_least = Some((z, r, -b / a));
        }
    }
    let ((z, r0), (z1, r1, minimum)) = (at_most?, at_least?);
    let alone = lp.start[z + 1] - lp.start[z] == 2 && lp.cost[z] == 0.0;
    let binary = lower[z] >= 0.0 && upper[z] <= 1.0;
    // A funded share must be able to reach its minimum; where it cannot (or the
    // minimum is no minimum), the share is left to the relaxation.
    let reachable = upper[x] <= 0.0 || upper[z] < 0.5 || minimum.max(lower[x]) <= upper[x];
    (z == z1 && alone && binary && minimum > 0.0 && minimum <= 1.0 && reachable).then_some(
        Indicator {
            column: z,
            minimum,
            rows: [r0, r1],
        },
    )
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
pub(super) mod tests;
