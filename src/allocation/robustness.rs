//! Robustness under uncertainty, in domain terms: each project's core index (the share
//! of draws in which it is funded), the spread of total value and of each year's spend,
//! and the chance that the chosen allocation, kept as it is, overruns a year's budget.
//! Built from the draws' answers alone, so it is plain arithmetic that tests can check.

use crate::domain::{BudgetLine, FinancialYear, Money};
use crate::solve::SolveStatus;
use serde::Serialize;

/// A share funded above this counts as funded (partial mode funds shares of bids).
pub const FUNDED: f64 = 1e-6;

/// How one draw ended.
#[derive(Clone, Debug, PartialEq)]
pub enum DrawAnswer {
    /// An allocation that keeps every rule of the drawn scenario (checked outside the
    /// solver against the drawn costs).
    Solved {
        /// Funded share per project, in dataset order.
        fractions: Vec<f64>,
        value: f64,
        /// Spend per budget line (scenario order) and year, £k, at the drawn costs.
        spend: Vec<Vec<Money>>,
        status: SolveStatus,
        gap: f64,
    },
    /// No allocation keeps every rule at the drawn figures, and why.
    Infeasible(String),
    /// No answer: the time limit passed before one was found, or the solve failed.
    NotSolved(String),
}

/// One draw: its answer, and whether the base allocation, kept as it is, spends more
/// than each year's budget at the drawn costs (per line, then year).
#[derive(Clone, Debug, PartialEq)]
pub struct Draw {
    pub answer: DrawAnswer,
    pub base_overruns: Vec<Vec<bool>>,
}

/// Where a project stands across the draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoreClass {
    /// Funded in every draw that was solved.
    Core,
    /// Funded in some draws, not in others.
    Borderline,
    /// Funded in none.
    Exterior,
    /// No draw was solved, so nothing is known.
    NotMeasured,
}

impl CoreClass {
    pub fn as_str(self) -> &'static str {
        match self {
            CoreClass::Core => "core",
            CoreClass::Borderline => "borderline",
            CoreClass::Exterior => "exterior",
            CoreClass::NotMeasured => "not_measured",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoreIndex {
    pub project_id: String,
    pub title: String,
    pub category: String,
    pub footprint: String,
    pub funded_in_base: bool,
    /// Draws (of those solved) in which the project is funded.
    pub funded_draws: usize,
    /// `funded_draws` over the draws solved; `None` when none was.
    pub core_index: Option<f64>,
    pub class: CoreClass,
}

/// Mean and percentiles (nearest rank) of a quantity over the solved draws.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Spread {
    /// `None` for no values. Values are summed in the order given, so the mean is the
    /// same bytes whatever order the draws were solved in.
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        // Nearest rank: the smallest value with at least q of the draws at or below it.
        let rank = |q: f64| {
            let k = (q * sorted.len() as f64).ceil() as usize;
            sorted[k.clamp(1, sorted.len()) - 1]
        };
        Some(Spread {
            mean: values.iter().sum::<f64>() / values.len() as f64,
            p5: rank(0.05),
            p50: rank(0.50),
            p95: rank(0.95),
        })
    }
}

/// One year and budget line across the draws.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearSpend {
    pub year: FinancialYear,
    pub line: BudgetLine,
    pub budget: Money,
    /// What the base allocation spends there at the costs bid.
    pub base_spend: Money,
    /// What the draws' own allocations spend there.
    pub spend: Option<Spread>,
    /// The share of all draws in which the base allocation, kept as it is, spends more
    /// than the budget at the drawn costs.
    pub base_overrun_chance: f64,
}

/// The robustness run's findings, for every report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Robustness {
    pub draws: usize,
    pub seed: u64,
    pub time_limit_s: f64,
    /// The distributions, in words, for the report.
    pub assumptions: Vec<String>,
    /// Draws with an allocation (including those stopped at the time limit).
    pub solved: usize,
    /// Solved draws whose solve stopped at the time limit, not proven within the gap.
    pub time_limited: usize,
    pub infeasible: usize,
    pub not_solved: usize,
    /// The first few draws without an answer and why: (draw number from 1, reason).
    pub failures: Vec<(usize, String)>,
    /// The largest gap any solved draw stopped at.
    pub largest_gap: f64,
    /// The base allocation's value, for comparison with the draws'.
    pub base_value: f64,
    pub value: Option<Spread>,
    /// Sorted: highest core index first, then project id.
    pub core: Vec<CoreIndex>,
    /// Per line (scenario order), then year.
    pub spend: Vec<YearSpend>,
}

/// What the report needs to know about the base answer and each project.
pub struct Base<'a> {
    pub ids: Vec<&'a str>,
    pub titles: Vec<&'a str>,
    pub categories: Vec<&'a str>,
    pub footprints: Vec<&'a str>,
    pub fractions: &'a [f64],
    pub value: f64,
    pub years: &'a [FinancialYear],
    /// (line, budget per year, base spend per year)
    pub lines: Vec<(BudgetLine, Vec<Money>, Vec<Money>)>,
}

/// How many failures the report lists by draw.
const FAILURES_SHOWN: usize = 10;

/// Sums up the draws, given in draw order.
pub fn summarise(
    base: &Base,
    draws: &[Draw],
    seed: u64,
    time_limit_s: f64,
    assumptions: Vec<String>,
) -> Robustness {
    let n = base.ids.len();
    let mut funded = vec![0usize; n];
    let mut values = Vec::new();
    let mut spends: Vec<Vec<Vec<f64>>> = base
        .lines
        .iter()
        .map(|(_, b, _)| vec![Vec::new(); b.len()])
        .collect();
    let mut overruns: Vec<Vec<usize>> = base
        .lines
        .iter()
        .map(|(_, b, _)| vec![0; b.len()])
        .collect();
    let (mut solved, mut time_limited, mut infeasible, mut not_solved) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    let mut largest_gap: f64 = 0.0;
    for (d, draw) in draws.iter().enumerate() {
        for (l, per_year) in draw.base_overruns.iter().enumerate() {
            for (y, &over) in per_year.iter().enumerate() {
                overruns[l][y] += usize::from(over);
            }
        }
        match &draw.answer {
            DrawAnswer::Solved {
                fractions,
                value,
                spend,
                status,
                gap,
            } => {
                solved += 1;
                time_limited += usize::from(*status == SolveStatus::TimeLimit);
                largest_gap = largest_gap.max(*gap);
                values.push(*value);
                for (p, f) in fractions.iter().enumerate() {
                    funded[p] += usize::from(*f > FUNDED);
                }
                for (l, per_year) in spend.iter().enumerate() {
                    for (y, s) in per_year.iter().enumerate() {
                        spends[l][y].push(*s);
                    }
                }
            }
            DrawAnswer::Infeasible(why) => {
                infeasible += 1;
                if failures.len() < FAILURES_SHOWN {
                    failures.push((d + 1, why.clone()));
                }
            }
            DrawAnswer::NotSolved(why) => {
                not_solved += 1;
                if failures.len() < FAILURES_SHOWN {
                    failures.push((d + 1, why.clone()));
                }
            }
        }
    }
    let mut core: Vec<CoreIndex> = (0..n)
        .map(|p| {
            let index = (solved > 0).then(|| funded[p] as f64 / solved as f64);
            let class = match funded[p] {
                _ if solved == 0 => CoreClass::NotMeasured,
                0 => CoreClass::Exterior,
                k if k == solved => CoreClass::Core,
                _ => CoreClass::Borderline,
            };
            CoreIndex {
                project_id: base.ids[p].to_string(),
                title: base.titles[p].to_string(),
                category: base.categories[p].to_string(),
                footprint: base.footprints[p].to_string(),
                funded_in_base: base.fractions[p] > FUNDED,
                funded_draws: funded[p],
                core_index: index,
                class,
            }
        })
        .collect();
    core.sort_by(|a, b| {
        b.funded_draws
            .cmp(&a.funded_draws)
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    let mut spend = Vec::new();
    for (l, (line, budget, base_spend)) in base.lines.iter().enumerate() {
        for y in 0..budget.len() {
            spend.push(YearSpend {
                year: base.years[y].clone(),
                line: *line,
                budget: budget[y],
                base_spend: base_spend[y],
                spend: Spread::of(&spends[l][y]),
                base_overrun_chance: if draws.is_empty() {
                    0.0
                } else {
                    overruns[l][y] as f64 / draws.len() as f64
                },
            });
        }
    }
    Robustness {
        draws: draws.len(),
        seed,
        time_limit_s,
        assumptions,
        solved,
        time_limited,
        infeasible,
        not_solved,
        failures,
        largest_gap,
        base_value: base.value,
        value: Spread::of(&values),
        core,
        spend,
    }
}

impl Robustness {
    pub fn count(&self, class: CoreClass) -> usize {
        self.core.iter().filter(|c| c.class == class).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank_and_the_mean_is_plain() {
        // 1..=20 shuffled: P5 is the 1st value, the median the 10th, P95 the 19th.
        let values: Vec<f64> = (0..20).map(|i| ((i * 7) % 20 + 1) as f64).collect();
        let s = Spread::of(&values).unwrap();
        assert_eq!((s.p5, s.p50, s.p95, s.mean), (1.0, 10.0, 19.0, 10.5));
        let one = Spread::of(&[4.0]).unwrap();
        assert_eq!((one.p5, one.p50, one.p95, one.mean), (4.0, 4.0, 4.0, 4.0));
        assert_eq!(Spread::of(&[]), None);
    }
}
