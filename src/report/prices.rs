//! The price of each rule (`run --rule-prices`) and the fairness frontier
//! (`run --fairness-frontier`): rule_prices.csv, fairness_frontier.csv and the tables
//! summary.md, the page and the workbook share.

use super::words::proven_figure;
use crate::allocation::prices::{FrontierPoint, Outcome, Range, RulePrice};
use crate::allocation::Allocation;
use crate::csvio::{finish, writer};
use crate::format::fixed;
use crate::solve::SolveStatus;

fn decimals(a: &Allocation) -> usize {
    if a.value_unit.is_money() {
        1
    } else {
        0
    }
}

fn range_cells(r: Option<Range>, d: usize) -> [String; 3] {
    match r {
        Some((m, lo, hi)) => [fixed(m, d), fixed(lo, d), fixed(hi, d)],
        None => Default::default(),
    }
}

/// The value and proven bound a re-solve found, when it measured anything.
fn value_cells(o: &Outcome, d: usize) -> [String; 2] {
    match o.measured() {
        Some((v, b)) => [fixed(v, d), fixed(b.max(v), d)],
        None => Default::default(),
    }
}

/// The share of the optimum a price is, as a fraction with 6 decimals.
fn share(a: &Allocation, p: Option<Range>) -> Option<f64> {
    let (m, _, _) = p?;
    (a.total_value.abs() > 0.0).then(|| m / a.total_value)
}

/// rule_prices.csv: one row per rule, and per kind of rule priced as a whole, in the
/// order the scenario's rules are listed.
pub fn rules_csv(a: &Allocation) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "rule",
        "words",
        "value_without",
        "value_without_bound",
        "price",
        "price_low",
        "price_high",
        "share_of_optimum",
        "status",
        "gap",
        "note",
    ])
    .expect("in memory");
    let d = decimals(a);
    for r in &a.rule_prices {
        let [v, b] = value_cells(&r.outcome, d);
        let [p, lo, hi] = range_cells(r.price, d);
        w.write_record([
            r.key.clone(),
            r.words.clone(),
            v,
            b,
            p,
            lo,
            hi,
            share(a, r.price).map_or(String::new(), |s| fixed(s, 6)),
            r.outcome.status().to_string(),
            r.outcome.gap().map_or(String::new(), |g| fixed(g, 6)),
            r.outcome.why_not().unwrap_or_default(),
        ])
        .expect("in memory");
    }
    finish(w)
}

/// fairness_frontier.csv: one row per level of the footprint floor, infeasible levels
/// included.
pub fn frontier_csv(a: &Allocation) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "floor_share_of_fair_share",
        "value",
        "value_bound",
        "share_of_unconstrained_optimum",
        "price_of_step",
        "price_of_step_low",
        "price_of_step_high",
        "status",
        "gap",
        "note",
    ])
    .expect("in memory");
    let d = decimals(a);
    for p in &a.fairness_frontier {
        let [v, b] = value_cells(&p.outcome, d);
        let [s, lo, hi] = range_cells(p.step_price, d);
        w.write_record([
            fixed(p.level, 4),
            v,
            b,
            p.share.map_or(String::new(), |s| fixed(s, 6)),
            s,
            lo,
            hi,
            p.outcome.status().to_string(),
            p.outcome.gap().map_or(String::new(), |g| fixed(g, 6)),
            p.outcome.why_not().unwrap_or_default(),
        ])
        .expect("in memory");
    }
    finish(w)
}

/// What a re-solve was solved to, for a table's last column.
fn solved_to(o: &Outcome) -> String {
    match o {
        Outcome::Solved { gap, .. } => format!("gap {}%", fixed(gap * 100.0, 4)),
        Outcome::TimeLimit { gap, .. } => format!(
            "NOT proven: stopped at its time limit (gap {}%)",
            fixed(gap * 100.0, 4)
        ),
        Outcome::Infeasible(_) => "infeasible".into(),
        Outcome::Failed(_) => "not solved".into(),
    }
}

fn figure(r: Option<Range>, o: &Outcome) -> String {
    match r {
        Some((m, lo, hi)) => proven_figure(m, lo, hi),
        None => o.why_not().unwrap_or_default(),
    }
}

fn percent(s: Option<f64>) -> String {
    s.map_or("—".into(), |s| format!("{}%", fixed(s * 100.0, 2)))
}

pub const RULES_HEAD: [&str; 5] = [
    "Rule",
    "Value without it",
    "Price",
    "Share of the optimum",
    "Solved to",
];

/// The rule-price table's rows, dearest first; rules with no figure last, in order.
pub fn rules_rows(a: &Allocation) -> Vec<[String; 5]> {
    let mut order: Vec<&RulePrice> = a.rule_prices.iter().collect();
    order.sort_by(|p, q| {
        let key = |r: &RulePrice| r.price.map(|(m, _, _)| m);
        match (key(p), key(q)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    order
        .into_iter()
        .map(|r| {
            [
                r.words.clone(),
                r.outcome
                    .measured()
                    .map_or("—".into(), |(v, _)| crate::format::thousands(v)),
                figure(r.price, &r.outcome),
                percent(share(a, r.price)),
                solved_to(&r.outcome),
            ]
        })
        .collect()
}

pub fn rules_explanation(a: &Allocation) -> String {
    format!(
        "What each rule costs: the scenario re-solved without that rule alone (a line for \"every …\" takes away the whole kind at once, which is not the sum of its rules when they interact), from this allocation, in {}. The price is the optimum without the rule less the optimum with it ({}), shown only as far as the solves' proven bounds allow; a rule that does not bind costs 0. A re-solve stopped by its time limit is not measured.",
        a.value_unit,
        crate::format::thousands(a.total_value)
    )
}

pub const FRONTIER_HEAD: [&str; 5] = [
    "Footprint floor (share of fair share)",
    "Value",
    "Share of the optimum with no floor",
    "Price of this step",
    "Solved to",
];

pub fn frontier_rows(a: &Allocation) -> Vec<[String; 5]> {
    a.fairness_frontier
        .iter()
        .map(|p: &FrontierPoint| {
            [
                format!("{}%", fixed(p.level * 100.0, 1)),
                match p.outcome.measured() {
                    Some((v, _)) => crate::format::thousands(v),
                    None => p.outcome.why_not().unwrap_or_default(),
                },
                percent(p.share),
                p.step_price
                    .map_or("—".into(), |(m, lo, hi)| proven_figure(m, lo, hi)),
                solved_to(&p.outcome),
            ]
        })
        .collect()
}

pub fn frontier_explanation(a: &Allocation) -> String {
    format!(
        "The optimum, in {}, with every footprint's floor set to each share of its fair share in turn (footprints with a floor of their own keep it; caps and every other rule stay as the scenario sets them), each an exact re-solve. The price of a step is the value lost from the level before; a level no allocation can meet is shown as infeasible.",
        a.value_unit
    )
}

/// True when some solve behind these tables stopped at its time limit.
pub fn any_unproven(a: &Allocation) -> bool {
    a.rule_prices
        .iter()
        .map(|r| &r.outcome)
        .chain(a.fairness_frontier.iter().map(|p| &p.outcome))
        .any(|o| matches!(o, Outcome::TimeLimit { .. }))
        || a.solver.status == SolveStatus::TimeLimit
}
