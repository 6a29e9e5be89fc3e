//! A budget sweep's answers in domain terms: what each level keeps of its solve, what
//! the next £1m buys, and which projects enter or leave between levels.

use super::{usage::FRACTION_EPS, Solution};
use crate::domain::{Dataset, Money};
use crate::scenario::Scenario;
use crate::solve::SolveStatus;

/// What a sweep keeps of one solve.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: SolveStatus,
    pub value: f64,
    pub bound: f64,
    pub gap: f64,
    /// Money allocated, £k.
    pub funded: Money,
    /// The projects funded (any share), by index, in project-id order.
    pub funded_projects: Vec<usize>,
}

impl Answer {
    pub fn of(data: &Dataset, scenario: &Scenario, s: &Solution) -> Answer {
        let lines = scenario.lines();
        let mut funded_projects: Vec<usize> = (0..data.projects.len())
            .filter(|&p| s.fractions[p] > FRACTION_EPS)
            .collect();
        funded_projects.sort_by(|&a, &b| data.projects[a].id.cmp(&data.projects[b].id));
        Answer {
            status: s.status,
            value: s.value,
            bound: s.bound,
            gap: s.gap,
            funded: data
                .projects
                .iter()
                .zip(&s.fractions)
                .map(|(p, f)| p.fund_cost_on(&lines) * f)
                .sum(),
            funded_projects,
        }
    }
}

/// One budget level's answer.
#[derive(Clone, Debug)]
pub struct Point {
    pub level: f64,
    pub budget: Money,
    /// The answer, or why there is none (e.g. infeasible at this level).
    pub outcome: std::result::Result<Answer, String>,
    /// The same level with £1m more: its value and proven bound.
    pub next: Option<(f64, f64)>,
}

/// What £1m more buys at a point: the difference of the two solves, and the range
/// the proven bounds allow when solves stop at a gap (a single value when exact).
pub fn marginal(point: &Point) -> Option<(f64, f64, f64)> {
    let a = point.outcome.as_ref().ok()?;
    let (next_value, next_bound) = point.next?;
    Some(difference((a.value, a.bound), (next_value, next_bound)))
}

/// How much more the changed scenario is worth than the base (negative: less), given
/// each solve's (value, proven bound): the difference of the two answers, and the
/// range the bounds allow (a single value when both are proven optimal). The best of
/// either lies between its value and its bound, so the difference of the best lies
/// between `changed value − base bound` and `changed bound − base value`.
pub fn difference(base: (f64, f64), changed: (f64, f64)) -> (f64, f64, f64) {
    let point = changed.0 - base.0;
    let low = changed.0 - base.1.max(base.0);
    let high = changed.1.max(changed.0) - base.0;
    (point, low.min(point), high.max(point))
}

/// A solve of the scenario with one thing changed (a bid locked out or in, £1m more
/// or less in one year), next to its base answer.
#[derive(Clone, Debug)]
pub enum Resolved {
    Solved(Answer),
    /// No allocation keeps every rule with the change: why, in the words of the
    /// infeasibility explanation (the rules that would have to give).
    Infeasible(String),
    /// The solver gave no answer (e.g. none found in the time limit).
    Failed(String),
}

/// Projects that enter and leave between each feasible point and the one before it,
/// each list in project-id order.
pub fn movements(data: &Dataset, points: &[Point]) -> Vec<(usize, Vec<usize>, Vec<usize>)> {
    let id = |p: &usize| data.projects[*p].id.as_str();
    let mut out = Vec::new();
    let mut previous: Option<&[usize]> = None;
    for (i, p) in points.iter().enumerate() {
        let Ok(a) = &p.outcome else { continue };
        let now = &a.funded_projects;
        let (entered, left) = match previous {
            None => (Vec::new(), Vec::new()),
            Some(before) => {
                let absent = |list: &[usize], p: &usize| {
                    list.binary_search_by(|q| id(q).cmp(id(p))).is_err()
                };
                (
                    now.iter().filter(|p| absent(before, p)).copied().collect(),
                    before.iter().filter(|p| absent(now, p)).copied().collect(),
                )
            }
        };
        out.push((i, entered, left));
        previous = Some(now);
    }
    out
}
