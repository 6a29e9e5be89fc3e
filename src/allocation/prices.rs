//! The price of each rule and of fairness in domain terms (`run --rule-prices`,
//! `run --fairness-frontier`): what the optimum is worth without a rule, or at one
//! level of the footprint floor, from exact re-solves, stated only as far as the
//! solves' proven bounds allow.

use super::frontier::difference;
use crate::solve::SolveStatus;
use serde::Serialize;

/// How one re-solve ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Outcome {
    /// Solved to the scenario's gap: the value found, its proven bound, and the gap.
    Solved {
        value: f64,
        bound: f64,
        status: SolveStatus,
        gap: f64,
    },
    /// Stopped at the time limit: its allocation keeps every rule, but its value is
    /// not proven, so nothing is measured from it.
    TimeLimit { value: f64, bound: f64, gap: f64 },
    /// No allocation keeps every rule: why, in the infeasibility explanation's words.
    Infeasible(String),
    /// The solver gave no answer.
    Failed(String),
}

impl Outcome {
    /// The status as the CSV files spell it.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Solved { status, .. } => status.as_str(),
            Outcome::TimeLimit { .. } => SolveStatus::TimeLimit.as_str(),
            Outcome::Infeasible(_) => "infeasible",
            Outcome::Failed(_) => "failed",
        }
    }

    /// The gap the solve reached, when it gave an allocation.
    pub fn gap(&self) -> Option<f64> {
        match self {
            Outcome::Solved { gap, .. } | Outcome::TimeLimit { gap, .. } => Some(*gap),
            _ => None,
        }
    }

    /// (value, proven bound) of a solve that measured something.
    pub fn measured(&self) -> Option<(f64, f64)> {
        match self {
            Outcome::Solved { value, bound, .. } => Some((*value, *bound)),
            _ => None,
        }
    }

    /// Why there is no figure, in words, when there is none.
    pub fn why_not(&self) -> Option<String> {
        match self {
            Outcome::Solved { .. } => None,
            Outcome::TimeLimit { gap, .. } => Some(format!(
                "not measured: the re-solve stopped at its time limit (gap {}%)",
                crate::format::fixed(gap * 100.0, 4)
            )),
            Outcome::Infeasible(_) => Some("infeasible: no allocation keeps every rule".into()),
            Outcome::Failed(why) => Some(format!("not measured: {why}")),
        }
    }
}

/// A figure as (best estimate, low, high): the low and high are what the proven
/// bounds allow (all three equal when both solves are proven optimal).
pub type Range = (f64, f64, f64);

/// What one rule, or one kind of rule together, costs the optimum.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RulePrice {
    /// The short name of what was taken away (`floor_E54000007`, `hurdle`).
    pub key: String,
    /// The same in words.
    pub words: String,
    /// The re-solve without it.
    pub outcome: Outcome,
    /// The optimum without it less the optimum with it (never below 0: fewer rules
    /// never lower the best value).
    pub price: Option<Range>,
}

impl RulePrice {
    /// `base` is the scenario's own (value, proven bound).
    pub fn of(key: String, words: String, base: (f64, f64), outcome: Outcome) -> RulePrice {
        let price = outcome.measured().map(|without| {
            let (d, lo, hi) = difference(base, without);
            let lo = lo.max(0.0);
            let hi = hi.max(lo);
            (d.clamp(lo, hi), lo, hi)
        });
        RulePrice {
            key,
            words,
            outcome,
            price,
        }
    }
}

/// One level of the footprint floor on the fairness frontier.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrontierPoint {
    /// The floor as a share of each footprint's fair share (0 = no floor).
    pub level: f64,
    pub outcome: Outcome,
    /// The value as a share of the optimum with no footprint floor (the first level).
    pub share: Option<f64>,
    /// What this step of fairness costs: the value at the level before less the value
    /// at this one (can be below 0 only within the solves' gaps).
    pub step_price: Option<Range>,
}

/// The points of the frontier from the solves at each level, in order of level.
pub fn frontier(levels: &[f64], outcomes: Vec<Outcome>) -> Vec<FrontierPoint> {
    let first = outcomes.first().and_then(|o| o.measured());
    let mut points: Vec<FrontierPoint> = Vec::with_capacity(levels.len());
    let mut before: Option<(f64, f64)> = None;
    for (&level, outcome) in levels.iter().zip(outcomes) {
        let here = outcome.measured();
        let share = match (here, first) {
            (Some((v, _)), Some((v0, _))) if v0.abs() > 0.0 => Some(v / v0),
            _ => None,
        };
        // A higher floor never raises the best value: the step's price is the value
        // lost, kept at or above 0 as the bounds allow.
        let step_price = match (before, here) {
            (Some(b), Some(h)) => {
                let (d, lo, hi) = difference(b, h);
                let (d, lo, hi) = (-d, -hi, -lo);
                let lo = lo.max(0.0);
                let hi = hi.max(lo);
                Some((d.clamp(lo, hi), lo, hi))
            }
            _ => None,
        };
        before = here;
        points.push(FrontierPoint {
            level,
            outcome,
            share,
            step_price,
        });
    }
    points
}
