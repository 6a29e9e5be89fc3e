//! What each project is worth to the portfolio, in the terms a finance team defends a
//! line with: a funded bid's replacement cost (the value lost if it were locked out
//! and the rest re-optimised) and an unfunded bid's forced-in loss (the value lost if
//! it were locked in), each from an exact re-solve and stated only as far as the
//! solves' proven bounds allow; and where the optimum departs from the greedy
//! value-per-£ ranking.

use super::frontier::{difference, Resolved};
use super::usage::FRACTION_EPS;
use super::{Allocation, Method, ProjectStatus};
use crate::scenario::ValueUnit;
use crate::solve::SolveStatus;

/// A loss measured by a re-solve: the base answer's value less the changed scenario's.
#[derive(Clone, Debug, PartialEq)]
pub struct Loss {
    /// Best estimate: the difference of the two answers (never below `low`).
    pub loss: f64,
    /// The range the two solves' proven bounds allow (equal to `loss` when both are
    /// proven optimal). Never below 0: locking a decision can only cost value.
    pub low: f64,
    pub high: f64,
    pub status: SolveStatus,
    /// The gap the re-solve reached.
    pub gap: f64,
    /// Bids funded with the lock but not in the base answer, and the other way round,
    /// by dataset index in project-id order.
    pub entered: Vec<usize>,
    pub left: Vec<usize>,
}

/// What a lock on one bid does to the portfolio.
#[derive(Clone, Debug, PartialEq)]
pub enum Worth {
    Measured(Loss),
    /// No allocation keeps every rule with the lock (locked out: the bid is
    /// irreplaceable): the rules that stand in the way, in words.
    Infeasible(Vec<String>),
    /// Not solved: why (a bid excluded by rule cannot be locked in), or the solver's
    /// failure. Shown, not hidden.
    Unmeasured(String),
}

impl Worth {
    /// The re-solve's answer against the base's (value, proven bound).
    pub fn of(base: (f64, f64), base_funded: &[usize], resolved: Resolved) -> Worth {
        match resolved {
            Resolved::Solved(a) => {
                let (d, d_low, d_high) = difference(base, (a.value, a.bound));
                // The loss is minus the difference; the best with a lock is never worth
                // more than the best without one.
                let low = (-d_high).max(0.0);
                let high = (-d_low).max(low);
                let moved = |from: &[usize], to: &[usize]| -> Vec<usize> {
                    let from: std::collections::HashSet<usize> = from.iter().copied().collect();
                    to.iter().filter(|p| !from.contains(p)).copied().collect()
                };
                Worth::Measured(Loss {
                    loss: (-d).clamp(low, high),
                    low,
                    high,
                    status: a.status,
                    gap: a.gap,
                    entered: moved(base_funded, &a.funded_projects),
                    left: moved(&a.funded_projects, base_funded),
                })
            }
            Resolved::Infeasible(explanation) => Worth::Infeasible(rules_in(&explanation)),
            Resolved::Failed(why) => Worth::Unmeasured(format!("not measured: {why}")),
        }
    }
}

/// The rules named in an infeasibility explanation, each without its suggested fix:
/// the smallest set of rules in conflict where the explanation has one, else every
/// rule it names.
pub fn rules_in(explanation: &str) -> Vec<String> {
    let heading = crate::pipeline::CONFLICT_HEADING;
    if let Some(at) = explanation.find(heading) {
        return explanation[at..]
            .lines()
            .skip(1)
            .map(str::trim)
            .take_while(|l| l.starts_with("- "))
            .map(|l| {
                let l = l.trim_start_matches("- ");
                l.split(" — ").next().unwrap_or(l).trim().to_string()
            })
            .collect();
    }
    explanation
        .lines()
        .map(|l| l.trim().trim_start_matches("- ").trim())
        .filter(|l| !l.is_empty() && !l.starts_with("the smallest change"))
        .map(|l| l.split(" — ").next().unwrap_or(l).trim().to_string())
        .collect()
}

/// One explained project.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectWorth {
    /// Index into the dataset's projects.
    pub project: usize,
    /// Its row in the base allocation (`Allocation::projects`).
    pub row: usize,
    /// Value per £ as the greedy ranking sees it, funded by the greedy ranking or not.
    pub greedy_funded: bool,
    /// For a bid funded (in full or in part): the lock-out.
    pub replacement: Option<Worth>,
    /// For a bid not funded in full: the lock-in.
    pub forced_in: Option<Worth>,
    /// The rules a bid not funded runs into (from its reason), the exclusion that
    /// keeps it out, or (irreplaceable) the rules that need it.
    pub collides_with: Vec<String>,
}

/// Which projects were explained.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    /// Those named on the command line.
    Named,
    /// Every bid a rule does not exclude.
    All,
    /// Every funded bid, and the unfunded bids nearest the margin (by value per £);
    /// `left_out` more were not solved.
    Margin { unfunded: usize, left_out: usize },
}

/// Where the optimum departs from the greedy ranking by value per £.
#[derive(Clone, Debug, PartialEq)]
pub struct Departure {
    pub greedy_value: f64,
    pub optimum_value: f64,
    /// Rows of the base allocation funded by the optimum but passed over by the ranking,
    /// and the other way round.
    pub only_optimum: Vec<usize>,
    pub only_greedy: Vec<usize>,
}

/// The whole explanation, ready for the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub scenario: String,
    pub value_unit: ValueUnit,
    pub status: SolveStatus,
    pub value: f64,
    pub bound: f64,
    pub gap: f64,
    pub requested_gap: f64,
    pub rows: Vec<ProjectWorth>,
    pub selection: Selection,
    pub departure: Departure,
    /// Re-solves run (each project's lock; bids not solved are not counted).
    pub solves: usize,
}

/// Where the optimum and the greedy ranking part ways.
pub fn departure(a: &Allocation) -> Departure {
    let greedy = a
        .comparisons
        .iter()
        .find(|c| c.method == Method::Greedy)
        .expect("every allocation is compared with the greedy ranking");
    let funded = |f: f64| f > FRACTION_EPS;
    let mut only_optimum = Vec::new();
    let mut only_greedy = Vec::new();
    for (row, p) in a.projects.iter().enumerate() {
        match (funded(p.fraction), funded(greedy.fractions[row])) {
            (true, false) => only_optimum.push(row),
            (false, true) => only_greedy.push(row),
            _ => {}
        }
    }
    Departure {
        greedy_value: greedy.value,
        optimum_value: a.total_value,
        only_optimum,
        only_greedy,
    }
}

/// Whether the greedy ranking funds the allocation's row `row`.
pub fn greedy_funds(a: &Allocation, row: usize) -> bool {
    a.comparisons
        .iter()
        .find(|c| c.method == Method::Greedy)
        .is_some_and(|g| g.fractions[row] > FRACTION_EPS)
}

/// Which locks a project is asked about: out when funded at all, in when not fully
/// funded (a bid funded in part gets both).
pub fn questions(status: ProjectStatus) -> (bool, bool) {
    match status {
        ProjectStatus::Funded => (true, false),
        ProjectStatus::PartlyFunded => (true, true),
        ProjectStatus::NotFunded | ProjectStatus::ExcludedByRule => (false, true),
    }
}
