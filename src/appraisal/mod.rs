//! Green Book appraisal, pure: discount factors, present values of a bid's yearly
//! costs and benefits, optimism bias, and per-project and portfolio measures (NPSV,
//! BCR, value-for-money category, switching values), as HM Treasury's Green Book and
//! the NHS's Comprehensive Investment Appraisal model define them.
//!
//! Everything is in £k, real base-year prices. Year 0 is the base year; a cost or
//! benefit in financial year `y` sits at year `y − base` (plus the bid's start shift),
//! and whatever falls at or after the appraisal period is left out.
//!
//! Duration optimism bias delays a bid's benefits, never its costs: a delivery that
//! overruns keeps paying as bid (the fund's cost profile, and so the budget check, is
//! unchanged) and starts to benefit later. Benefits pushed past the period are lost
//! from the present value, as any benefit after it is.
//!
//! The appraisal uses a bid's WHOLE cost as loaded (`Project::capital`, `revenue`, the
//! running cost after the fund), never only the share a fund pays: value for money is
//! the public sector's, whoever pays.

mod discount;
pub mod portfolio;
pub mod settings;
#[cfg(test)]
mod tests;

pub use discount::Schedule;
pub use portfolio::Appraisal;
pub use settings::Settings;

use crate::domain::{BudgetLine, Dataset, FinancialYear, Money, Project};
use crate::scenario::Scenario;
use serde::Serialize;

/// The Green Book (DfT) value-for-money category a benefit–cost ratio falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Vfm {
    /// BCR below 1.
    Poor,
    /// 1 to below 1.5.
    Low,
    /// 1.5 to below 2.
    Medium,
    /// 2 to below 4.
    High,
    /// 4 or more.
    VeryHigh,
}

impl Vfm {
    /// The category of a BCR; `None` (no costs) counts as very high when there is any
    /// benefit, since every pound of benefit comes free.
    pub fn of(bcr: Option<f64>, benefits: Money) -> Option<Vfm> {
        let b = match bcr {
            Some(b) => b,
            None if benefits > 0.0 => return Some(Vfm::VeryHigh),
            None => return None,
        };
        Some(if b < 1.0 {
            Vfm::Poor
        } else if b < 1.5 {
            Vfm::Low
        } else if b < 2.0 {
            Vfm::Medium
        } else if b < 4.0 {
            Vfm::High
        } else {
            Vfm::VeryHigh
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Vfm::Poor => "poor",
            Vfm::Low => "low",
            Vfm::Medium => "medium",
            Vfm::High => "high",
            Vfm::VeryHigh => "very high",
        }
    }
}

/// Present values and headline measures, for one bid or a portfolio, £k.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Measures {
    /// PV of the costs in the fund's years on the budget lines the fund pays (capital
    /// with optimism bias), the fund's central share of them under match funding.
    pub pv_cost_fund: Money,
    /// PV of every cost over the appraisal period: both budget lines in the fund's years
    /// (capital with optimism bias) and the running cost after them.
    pub pv_cost_whole_life: Money,
    pub pv_benefit_cash: Money,
    pub pv_benefit_noncash: Money,
}

impl Measures {
    pub fn pv_benefits(&self) -> Money {
        self.pv_benefit_cash + self.pv_benefit_noncash
    }

    /// Net present social value: PV of benefits less PV of whole-life costs.
    pub fn npsv(&self) -> Money {
        self.pv_benefits() - self.pv_cost_whole_life
    }

    /// Benefit–cost ratio on whole-life costs; `None` when there is no cost.
    pub fn bcr(&self) -> Option<f64> {
        (self.pv_cost_whole_life > 0.0).then(|| self.pv_benefits() / self.pv_cost_whole_life)
    }

    pub fn vfm(&self) -> Option<Vfm> {
        Vfm::of(self.bcr(), self.pv_benefits())
    }

    /// Whether the BCR reaches `hurdle`, in the form that needs no division (a bid with
    /// no cost passes any hurdle).
    pub fn passes(&self, hurdle: f64) -> bool {
        self.pv_benefits() >= hurdle * self.pv_cost_whole_life
    }

    /// The cost overrun (0.25 = costs 25% higher) at which the BCR falls to `hurdle`;
    /// negative when it is below already, `None` when no overrun can do it (no cost, or
    /// a hurdle of 0).
    pub fn cost_switch(&self, hurdle: f64) -> Option<f64> {
        let c = hurdle * self.pv_cost_whole_life;
        (c > 0.0).then(|| self.pv_benefits() / c - 1.0)
    }

    /// The benefit shortfall (0.25 = benefits 25% lower) at which the BCR falls to
    /// `hurdle`; negative when it is below already, `None` when there are no benefits to
    /// fall short.
    pub fn benefit_switch(&self, hurdle: f64) -> Option<f64> {
        let b = self.pv_benefits();
        (b > 0.0).then(|| 1.0 - hurdle * self.pv_cost_whole_life / b)
    }

    fn add_scaled(&mut self, other: &Measures, f: f64) {
        self.pv_cost_fund += other.pv_cost_fund * f;
        self.pv_cost_whole_life += other.pv_cost_whole_life * f;
        self.pv_benefit_cash += other.pv_benefit_cash * f;
        self.pv_benefit_noncash += other.pv_benefit_noncash * f;
    }
}

/// One bid appraised over the period, its whole profile started `shift` whole years
/// later than bid (0 = as bid). `years` are the fund's years, `lines` the budget lines
/// the fund pays.
pub fn appraise(
    project: &Project,
    years: &[FinancialYear],
    lines: &[BudgetLine],
    settings: &Settings,
    shift: u32,
) -> Measures {
    let period = settings.period as i64;
    let d = settings.schedule.factors(settings.period as usize);
    let base = settings.base_year.start_year() as i64;
    let at = |year: &FinancialYear, later: i64| -> Option<f64> {
        let t = year.start_year() as i64 - base + shift as i64 + later;
        (0..period).contains(&t).then(|| d[t as usize])
    };
    let uplift = 1.0 + settings.appraisal_uplift(project);
    // A delay of whole + part years moves each benefit `whole` years, and the share
    // `part` of it one year more: the annual table's way of saying "part way through
    // the year".
    let delay = settings.benefit_delay(project);
    let (whole, part) = (delay.floor() as i64, delay.fract());
    let delayed = |factor: &dyn Fn(i64) -> Option<f64>| -> f64 {
        let on = factor(whole).unwrap_or(0.0) * (1.0 - part);
        if part > 0.0 {
            on + factor(whole + 1).unwrap_or(0.0) * part
        } else {
            on
        }
    };
    let mut m = Measures::default();
    for (y, year) in years.iter().enumerate() {
        let Some(df) = at(year, 0) else { continue };
        let capital = project.capital[y] * uplift;
        let revenue = project.revenue[y];
        m.pv_cost_whole_life += (capital + revenue) * df;
        // Under match funding the fund pays its central share; the whole cost stays in
        // the whole-life figure, the Green Book's.
        for &line in lines {
            m.pv_cost_fund += match line {
                BudgetLine::Capital => capital,
                BudgetLine::Revenue => revenue,
            } * df
                * project.fund_share();
        }
    }
    let wl = &project.whole_life;
    if let Some(last) = years.last() {
        if wl.running_cost > 0.0 {
            let life = wl.life_years.map_or(period, i64::from);
            for k in 1..=life {
                match at(last, k) {
                    Some(df) => m.pv_cost_whole_life += wl.running_cost * df,
                    None => break,
                }
            }
        }
    }
    if wl.benefits.is_empty() {
        // A bid that gives only `benefit` gives a present value at its start (later by
        // the duration bias's delay); benefits with no class are counted
        // non-cash-releasing, the cautious class.
        m.pv_benefit_noncash =
            project.benefit * delayed(&|later| d.get((shift as i64 + later) as usize).copied());
    } else {
        for b in &wl.benefits {
            let df = delayed(&|later| at(&b.year, later));
            m.pv_benefit_cash += b.cash * df;
            m.pv_benefit_noncash += b.noncash * df;
        }
    }
    m
}

/// Every bid of the dataset appraised as bid (no start shift), under the scenario.
pub fn appraise_all(data: &Dataset, scenario: &Scenario) -> Vec<Measures> {
    let settings = scenario.appraisal_settings();
    let lines = scenario.lines();
    data.projects
        .iter()
        .map(|p| appraise(p, &data.years, &lines, &settings, 0))
        .collect()
}

/// Each bid's NPSV as bid: the npv objective's value of funding it in full when its start
/// cannot move.
pub fn npsv_all(data: &Dataset, scenario: &Scenario) -> Vec<Money> {
    npsv_at_starts(data, scenario, &[])
}

/// Each bid's NPSV with its whole profile started late by its entry in `starts`
/// (whole years; a bid past the end of `starts` starts as bid): the npv objective's
/// value of funding it in full at the start an allocation gives it (phasing). The whole
/// cost counts, whoever pays, as in `appraise`.
pub fn npsv_at_starts(data: &Dataset, scenario: &Scenario, starts: &[usize]) -> Vec<Money> {
    let settings = scenario.appraisal_settings();
    let lines = scenario.lines();
    data.projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let shift = starts.get(i).copied().unwrap_or(0) as u32;
            appraise(p, &data.years, &lines, &settings, shift).npsv()
        })
        .collect()
}

/// A portfolio: each bid's measures times the share of it funded.
pub fn portfolio(measures: &[Measures], fractions: &[f64]) -> Measures {
    let mut total = Measures::default();
    for (m, &f) in measures.iter().zip(fractions) {
        if f > 0.0 {
            total.add_scaled(m, f);
        }
    }
    total
}

/// The uniform overrun of every cost at which a portfolio's NPSV turns negative;
/// negative when it is negative already, `None` when it has no cost.
pub fn portfolio_cost_switch(total: &Measures) -> Option<f64> {
    total.cost_switch(1.0)
}
