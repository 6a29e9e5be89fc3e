//! A scenario's `[appraisal]`: period, base year, discount schedule and optimism bias.

use super::Schedule;
use crate::domain::{FinancialYear, Project};
use serde::Serialize;

/// The Green Book appraisal's settings, validated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Settings {
    /// Years appraised, from year 0 (the base year): 10 covers years 0–9.
    pub period: u32,
    /// The financial year whose real prices every figure is in; year 0.
    pub base_year: FinancialYear,
    pub schedule: Schedule,
    /// Optimism-bias uplift on capital for a bid whose category has none of its own
    /// (0.1 = +10%).
    pub optimism_bias: f64,
    /// Uplifts by category, in the order written.
    pub by_category: Vec<(String, f64)>,
    /// True when the fund's budget check uses capital with the uplift: the loaded
    /// capital then includes it already (see `dataset::load_for`).
    pub in_budget: bool,
    /// Duration optimism bias for a bid whose category has none of its own (0.1 = the
    /// delivery takes 10% longer): its benefits start later by the delivery's whole
    /// years times this (see [`Settings::benefit_delay`]). Appraisal only: the
    /// fund's cost profile, and so the budget check, stays as bid.
    pub duration_bias: f64,
    /// Duration uplifts by category, in the order written.
    pub duration_by_category: Vec<(String, f64)>,
}

/// Years appraised when the scenario does not say.
pub const DEFAULT_PERIOD: u32 = 10;

/// The uplift for IT (the Green Book's Equipment/Development class) when the scenario
/// does not say: its lower bound of 10%, for a bid whose business case has mitigated the
/// risks that the upper bound of 200% (at the outset of a project) allows for.
pub const DEFAULT_OPTIMISM_BIAS: f64 = 0.10;

/// The duration uplift for IT when the scenario does not say: the Green Book's
/// Equipment/Development lower bound of 10% on works duration (upper bound 54%), the
/// same choice as [`DEFAULT_OPTIMISM_BIAS`] on capital (a bid at business case has
/// mitigated the risks the upper bound allows for), so an analyst who turns the
/// appraisal on gets both Green Book uplifts at the same point of their range: a
/// five-year delivery's benefits start half a year late.
pub const DEFAULT_DURATION_BIAS: f64 = 0.10;

impl Settings {
    /// The defaults for a fund over `years`: 10 years from its first year, the Green
    /// Book schedule, 10% optimism bias, not in the budget.
    pub fn default_for(years: &[FinancialYear]) -> Settings {
        Settings {
            period: DEFAULT_PERIOD,
            base_year: years
                .first()
                .cloned()
                .unwrap_or_else(|| FinancialYear::parse("2016/17").expect("valid")),
            schedule: Schedule::default(),
            optimism_bias: DEFAULT_OPTIMISM_BIAS,
            by_category: Vec::new(),
            in_budget: false,
            duration_bias: DEFAULT_DURATION_BIAS,
            duration_by_category: Vec::new(),
        }
    }

    /// The duration uplift for the bid: its own, else its category's, else the default.
    pub fn duration_uplift(&self, project: &Project) -> f64 {
        project.whole_life.duration_bias.unwrap_or_else(|| {
            self.duration_by_category
                .iter()
                .find(|(c, _)| *c == project.category)
                .map_or(self.duration_bias, |&(_, u)| u)
        })
    }

    /// Years (not only whole ones) the bid's benefits start later than bid for duration
    /// optimism bias: delivery years × duration uplift, where the delivery runs over the
    /// fund's years from the bid's first cost to its last (0 for a bid with no cost in
    /// them). Not rounded: a 10% overrun on a five-year delivery is half a year, not a
    /// whole one, so a small uplift never jumps a bid's value by a year's discounting.
    pub fn benefit_delay(&self, project: &Project) -> f64 {
        delivery_years(project) as f64 * self.duration_uplift(project)
    }

    /// The optimism-bias uplift on the bid's capital: its own, else its category's,
    /// else the default.
    pub fn uplift(&self, project: &Project) -> f64 {
        project.whole_life.optimism_bias.unwrap_or_else(|| {
            self.by_category
                .iter()
                .find(|(c, _)| *c == project.category)
                .map_or(self.optimism_bias, |&(_, u)| u)
        })
    }

    /// The uplift the appraisal still has to apply: none when the loaded capital carries
    /// it already (`in_budget`).
    pub fn appraisal_uplift(&self, project: &Project) -> f64 {
        if self.in_budget {
            0.0
        } else {
            self.uplift(project)
        }
    }

    /// The last financial year of the period.
    pub fn last_year(&self) -> FinancialYear {
        FinancialYear::run_of(&self.base_year, self.period.max(1) as usize)
            .pop()
            .expect("one year at least")
    }

    /// Whether `year` falls in the period.
    pub fn covers(&self, year: &FinancialYear) -> bool {
        let t = year.start_year() as i64 - self.base_year.start_year() as i64;
        (0..self.period as i64).contains(&t)
    }
}

/// The fund years from the bid's first cost (capital or revenue) to its last, both
/// counted; 0 when it costs nothing in them.
pub fn delivery_years(project: &Project) -> usize {
    let costs = |y: usize| project.capital[y] > 0.0 || project.revenue[y] > 0.0;
    let n = project.capital.len();
    match ((0..n).find(|&y| costs(y)), (0..n).rfind(|&y| costs(y))) {
        (Some(first), Some(last)) => last - first + 1,
        _ => 0,
    }
}
