//! `[uncertainty]`: how far bids' costs and benefits may stray from what they bid, as
//! distributions the robustness run draws from (`techfund run` solves the scenario once
//! per draw when the section is present).

use serde::Serialize;

/// At most this many draws: 100,000 solves is days of work, so more is a typing slip.
pub const MOST_DRAWS: i64 = 100_000;

/// The highest optimism-bias uplift the Green Book's supplementary guidance gives: +200%
/// of capital cost for equipment and development (IT) projects, the upper bound before
/// any risk is mitigated. An overrun is an uplift, so it is never below 0.
pub const MOST_OVERRUN: f64 = 2.0;

/// A benefit multiplier above this (ten times the benefit bid) is taken for a slip.
pub const MOST_BENEFIT_MULTIPLIER: f64 = 10.0;

/// A distribution on [low, high]: triangular with its peak at `mode`, or uniform when
/// no mode is given. `low = mode = high` is a fixed value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Distribution {
    pub low: f64,
    pub mode: Option<f64>,
    pub high: f64,
}

impl Distribution {
    /// The value at cumulative probability `u` in [0, 1) (the inverse of the CDF), so a
    /// uniform draw becomes a draw from this distribution.
    pub fn at(&self, u: f64) -> f64 {
        let (lo, hi) = (self.low, self.high);
        let width = hi - lo;
        if width <= 0.0 {
            return lo;
        }
        let x = match self.mode {
            None => lo + u * width,
            Some(m) => {
                let left = (m - lo) / width;
                if u < left {
                    lo + (u * width * (m - lo)).sqrt()
                } else {
                    hi - ((1.0 - u) * width * (hi - m)).sqrt()
                }
            }
        };
        x.clamp(lo, hi)
    }

    /// The chance that a draw is at most `x`: for tests and for the report's words.
    pub fn cdf(&self, x: f64) -> f64 {
        let (lo, hi) = (self.low, self.high);
        if x < lo {
            return 0.0;
        }
        if x >= hi {
            return 1.0;
        }
        let width = hi - lo;
        match self.mode {
            None => (x - lo) / width,
            Some(m) if x <= m && m > lo => (x - lo).powi(2) / (width * (m - lo)),
            Some(m) => 1.0 - (hi - x).powi(2) / (width * (hi - m)),
        }
    }

    /// "triangular 0 / 0.1 / 0.6" or "uniform 0.8 to 1.2", as a share or a multiplier.
    pub fn describe(&self, percent: bool) -> String {
        let f = |v: f64| {
            if percent {
                format!("{}%", crate::format::fixed(v * 100.0, 0))
            } else {
                format!("×{}", crate::format::fixed(v, 2))
            }
        };
        match self.mode {
            _ if self.low == self.high => format!("fixed at {}", f(self.low)),
            Some(m) => format!(
                "triangular from {} (most likely {}) to {}",
                f(self.low),
                f(m),
                f(self.high)
            ),
            None => format!("uniform from {} to {}", f(self.low), f(self.high)),
        }
    }
}

/// Distributions by bid: one for a named project, else one for its category, else the
/// one for `all` bids; a bid none of them covers keeps its figure as bid.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ByBid {
    pub all: Option<Distribution>,
    /// By category name, in name order.
    pub category: Vec<(String, Distribution)>,
    /// By project id, in id order.
    pub project: Vec<(String, Distribution)>,
}

impl ByBid {
    pub fn for_bid(&self, id: &str, category: &str) -> Option<Distribution> {
        let find = |list: &[(String, Distribution)], key: &str| {
            list.iter().find(|(k, _)| k == key).map(|(_, d)| *d)
        };
        find(&self.project, id)
            .or_else(|| find(&self.category, category))
            .or(self.all)
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_none() && self.category.is_empty() && self.project.is_empty()
    }
}

/// The robustness run: `draws` versions of the scenario, each with every bid's cost
/// and benefit drawn, all solved; the same seed gives the same draws.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Uncertainty {
    pub draws: usize,
    pub seed: u64,
    /// Seconds each draw's solve may take; the `[solver]` limit when not given.
    pub time_limit_s: Option<f64>,
    /// A share added to every year's cost of a bid, on both budget lines: 0.1 = +10%.
    pub cost_overrun: ByBid,
    /// A multiplier of a bid's benefit and capability uplift: 0.8 = 20% less.
    pub benefit: ByBid,
}
