//! The appraisal of an allocation: every bid's measures, switching values for those
//! funded, and the funded portfolio's total.

use super::{appraise, Measures, Settings};
use crate::domain::Dataset;
use crate::scenario::Scenario;
use serde::Serialize;

/// One bid's appraisal in the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Index into the dataset's projects.
    pub project: usize,
    pub project_id: String,
    pub title: String,
    pub fraction: f64,
    /// The bid as a whole, as bid (not scaled by the share funded).
    pub measures: Measures,
    /// For a funded bid: the cost overrun at which it no longer passes the hurdle.
    pub cost_switch: Option<f64>,
    /// For a funded bid: the benefit shortfall at which it no longer passes the hurdle.
    pub benefit_switch: Option<f64>,
    /// The duration optimism bias applied to the bid (its own, its category's or the
    /// default) and the whole years it delays the bid's benefits.
    pub duration_bias: f64,
    pub benefit_delay: f64,
}

/// The appraisal of an allocation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Appraisal {
    pub settings: Settings,
    /// The BCR a funded bid must keep: `min_bcr`, or 1 (benefits at least costs).
    pub hurdle: f64,
    /// Whether `hurdle` is the scenario's `min_bcr` (else the default 1).
    pub hurdle_is_min_bcr: bool,
    /// Every bid, in the order given (the allocation's ranking).
    pub rows: Vec<Row>,
    /// The funded portfolio: each bid's measures times the share funded.
    pub total: Measures,
    /// The uniform overrun of every cost at which the portfolio's NPSV turns negative.
    pub portfolio_cost_switch: Option<f64>,
}

/// Appraises every bid and the funded portfolio; `order` lists the bids in the order the
/// report shows them.
/// The appraisal of an allocation: each bid's whole profile discounted from the start
/// the allocation gives it (`starts`, whole years late; phasing).
pub fn of(
    data: &Dataset,
    scenario: &Scenario,
    fractions: &[f64],
    starts: &[usize],
    order: &[usize],
) -> Appraisal {
    let settings = scenario.appraisal_settings();
    let lines = scenario.lines();
    let measures: Vec<Measures> = data
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let shift = starts.get(i).copied().unwrap_or(0) as u32;
            appraise(p, &data.years, &lines, &settings, shift)
        })
        .collect();
    let hurdle = scenario.rules.min_bcr.unwrap_or(1.0);
    let rows = order
        .iter()
        .map(|&i| {
            let m = &measures[i];
            let funded = fractions[i] > 0.0;
            Row {
                project: i,
                project_id: data.projects[i].id.clone(),
                title: data.projects[i].title.clone(),
                fraction: fractions[i],
                measures: m.clone(),
                cost_switch: m.cost_switch(hurdle).filter(|_| funded),
                benefit_switch: m.benefit_switch(hurdle).filter(|_| funded),
                duration_bias: settings.duration_uplift(&data.projects[i]),
                benefit_delay: settings.benefit_delay(&data.projects[i]),
            }
        })
        .collect();
    let total = super::portfolio(&measures, fractions);
    Appraisal {
        portfolio_cost_switch: super::portfolio_cost_switch(&total),
        total,
        hurdle,
        hurdle_is_min_bcr: scenario.rules.min_bcr.is_some(),
        rows,
        settings,
    }
}

impl Appraisal {
    /// The settings in words, for the summary: schedule, base year, period, optimism
    /// bias and whether the budget check used it.
    pub fn describe(&self) -> Vec<String> {
        let s = &self.settings;
        let pct = |v: f64| format!("{}%", crate::format::fixed(v * 100.0, 0));
        let mut bias = format!(
            "+{} on capital for any category not named",
            pct(s.optimism_bias)
        );
        for (c, u) in &s.by_category {
            bias.push_str(&format!("; {c} +{}", pct(*u)));
        }
        let mut duration = format!(
            "+{} on the delivery's duration for any category not named",
            pct(s.duration_bias)
        );
        for (c, u) in &s.duration_by_category {
            duration.push_str(&format!("; {c} +{}", pct(*u)));
        }
        vec![
            format!(
                "Appraisal period {} years, {} to {}; real prices of {} (year 0).",
                s.period,
                s.base_year,
                s.last_year(),
                s.base_year
            ),
            format!(
                "Discount rates: {} (HM Treasury Green Book schedule unless the scenario sets its own).",
                s.schedule.describe(s.period)
            ),
            format!("Optimism bias: {bias} (a bid's own `optimism_bias` column overrides)."),
            format!("Duration optimism bias: {duration} (a bid's own `duration_bias` column overrides). A bid's benefits start later by its delivery years (its first to last cost year in the fund) times the bias (a part year moves that part of each year's benefit a year further); benefits pushed past the appraisal period are lost from the present value."),
            if s.in_budget {
                "Optimism bias applied to the budget check: yes, the capital in the allocation and every spend figure includes the uplift.".to_string()
            } else {
                "Optimism bias applied to the budget check: no, only in the appraisal; the budget check uses capital as bid.".to_string()
            },
            "Duration optimism bias applied to the budget check: no, it delays benefits only; the fund's costs stay in the years bid.".to_string(),
            format!(
                "Hurdle for switching values: BCR {}{}.",
                crate::format::fixed(self.hurdle, 2),
                if self.hurdle_is_min_bcr {
                    " ([rules] min_bcr)"
                } else {
                    " (no min_bcr: benefits equal to costs)"
                }
            ),
        ]
    }
}
