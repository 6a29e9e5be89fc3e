//! Why each bid is not fully funded, in words, and how many bids each rule stops
//! (a rule that stops one is binding).

use super::usage::{Blocker, Usage, FRACTION_EPS};
use super::value;
use crate::model::describe_exclusion;
use crate::scenario::{FundingMode, ObjectiveKind, Rule};
use std::collections::BTreeMap;

pub struct Reasons {
    /// Per project, in dataset order; empty when fully funded.
    pub text: Vec<String>,
    /// How many bids each rule stops.
    pub stops: BTreeMap<Rule, usize>,
    /// Per project, the rules it runs into (what `text` says in words); empty when it
    /// is fully funded, excluded by rule, or fits but was not chosen.
    pub rules: Vec<Vec<Rule>>,
}

impl Reasons {
    /// `gap` is the relative gap the answer was solved to: a bid that fits but was not
    /// chosen is explained by it.
    pub fn of(usage: &Usage, total_value: f64, gap: f64) -> Reasons {
        let (data, scenario) = (usage.data, usage.scenario);
        let fractions = &usage.fractions;
        let mut stops: BTreeMap<Rule, usize> = BTreeMap::new();
        let raw_uplift = value::raw_uplift(data, fractions);
        let mut text = vec![String::new(); data.projects.len()];
        let mut rules = vec![Vec::new(); data.projects.len()];
        for (p, proj) in data.projects.iter().enumerate() {
            let f = fractions[p];
            if f >= 1.0 - FRACTION_EPS {
                // Funded at no cost because every £ it asks is on a line this fund does
                // not pay: said, so the bid is not mistaken for a free one.
                text[p] = outside_the_fund(usage, p).unwrap_or_default();
                continue;
            }
            if let Some(e) = &usage.limits.exclusions[p] {
                text[p] = describe_exclusion(e, data);
                continue;
            }
            let delta = match (scenario.funding, f > FRACTION_EPS) {
                (FundingMode::AllOrNothing, _) => 1.0,
                (FundingMode::Partial, true) => (1.0 - f).min(1e-3),
                (FundingMode::Partial, false) => proj.min_fraction.max(1e-3),
            };
            let mut blockers = usage.blockers(p, delta);
            // Blocked rows were found with a small probe in partial mode; say what the
            // rest of the bid would need.
            for b in &mut blockers {
                if let Blocker::Budget {
                    line, year, needs, ..
                } = b
                {
                    *needs = proj.fund_cost(*line, *year) * (1.0 - f);
                }
            }
            rules[p] = blockers.iter().map(Blocker::rule).collect();
            for b in &blockers {
                // Dependencies and groups are reasons, but not rules that "bind" a budget.
                if !matches!(b, Blocker::Requires { .. } | Blocker::Exclusive { .. }) {
                    *stops.entry(b.rule()).or_default() += 1;
                }
            }
            text[p] = if blockers.is_empty() {
                // At the start it has (as bid when not funded), where its blockers were
                // looked for too.
                let gain = value::gain_of(
                    data,
                    scenario,
                    &raw_uplift,
                    p,
                    usage.starts[p],
                    (f + delta).min(1.0) - f,
                );
                if gain <= 1e-9 * (1.0 + total_value.abs()) {
                    match scenario.objective {
                        ObjectiveKind::Maturity => "would add no value: its footprint's capabilities already reach 100 with the funded projects".to_string(),
                        ObjectiveKind::Benefit => "would add no value: it has no benefit".to_string(),
                        ObjectiveKind::Npv => "would add no value: its net present social value is not above zero".to_string(),
                    }
                } else {
                    format!(
                        "fits in the money left but was not chosen: the answer is within a {:.4}% gap of the proven optimum",
                        gap * 100.0
                    )
                }
            } else {
                blockers
                    .iter()
                    .map(|b| b.describe(data, scenario, fractions))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
        }
        for (p, t) in text.iter_mut().enumerate() {
            let f = fractions[p];
            if f < 1.0 - FRACTION_EPS {
                if let Some(note) = outside_the_fund(usage, p) {
                    *t = format!("{note}; {t}");
                }
            }
        }
        Reasons { text, stops, rules }
    }
}

/// For a bid whose costs are all on lines the fund does not pay, that in words.
fn outside_the_fund(usage: &Usage, p: usize) -> Option<String> {
    let proj = &usage.data.projects[p];
    let lines = &usage.limits.lines;
    let unpaid: Vec<crate::domain::BudgetLine> = crate::domain::BudgetLine::ALL
        .into_iter()
        .filter(|l| !lines.contains(l))
        .collect();
    let elsewhere = proj.fund_cost_on(&unpaid);
    (proj.fund_cost_on(lines) == 0.0 && elsewhere > 0.0).then(|| {
        let names: Vec<&str> = unpaid.iter().map(|l| l.name()).collect();
        format!(
            "asks nothing of the fund's lines: its £{}k is {}, which this fund does not pay",
            crate::format::thousands(elsewhere),
            names.join(" and ")
        )
    })
}
