//! Discount factors: the Green Book's declining schedule of the social time preference
//! rate, or whatever schedule a scenario gives.

use serde::Serialize;

/// A step schedule of real discount rates: each step's rate applies from its year (the
/// first step from year 0) until the next step's year. Year 0 is the base year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Schedule {
    /// (first year, rate), in year order, the first from year 0.
    pub steps: Vec<(u32, f64)>,
}

impl Default for Schedule {
    /// HM Treasury Green Book (annex A6): 3.5% for years 0–30, 3.0% for 31–75, 2.5% for
    /// 76–125, 2.0% for 126–200, 1.5% for 201–300, 1.0% beyond.
    fn default() -> Self {
        Schedule {
            steps: vec![
                (0, 0.035),
                (31, 0.030),
                (76, 0.025),
                (126, 0.020),
                (201, 0.015),
                (301, 0.010),
            ],
        }
    }
}

impl Schedule {
    /// The rate that discounts year `t` back to year `t - 1`.
    pub fn rate(&self, t: u32) -> f64 {
        self.steps
            .iter()
            .rev()
            .find(|(from, _)| *from <= t)
            .map_or(0.0, |&(_, r)| r)
    }

    /// Discount factors for years 0..n: year 0 is 1, and each year after is the year
    /// before divided by one plus that year's rate, so a step changes the rate from its
    /// year on without a jump in the factor (the Green Book's convention).
    pub fn factors(&self, n: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(n);
        let mut d = 1.0;
        for t in 0..n as u32 {
            if t > 0 {
                d /= 1.0 + self.rate(t);
            }
            out.push(d);
        }
        out
    }

    /// The schedule in words for the report: "3.5% for years 0–30, 3.0% from year 31".
    pub fn describe(&self, period: u32) -> String {
        let mut parts = Vec::new();
        for (i, &(from, rate)) in self.steps.iter().enumerate() {
            if from >= period {
                break;
            }
            let pct = format!("{}%", crate::format::fixed(rate * 100.0, 1));
            match self.steps.get(i + 1) {
                Some(&(next, _)) if next <= period => {
                    parts.push(format!("{pct} for years {from}–{}", next - 1))
                }
                _ => parts.push(format!("{pct} for years {from}–{}", period - 1)),
            }
        }
        parts.join(", ")
    }
}
