//! Re-solves near an answer: the scenario with one thing changed (a bid locked out or
//! in, £1m more or less in one year), each started from the base answer so a change
//! that leaves it nearly optimal costs an LP, not a MIP. `sweep`, `explain` and the
//! marginal values all solve their neighbours here.

use crate::allocation::frontier::{Answer, Resolved};
use crate::allocation::Solution;
use crate::domain::Dataset;
use crate::error::{Error, Result};
use crate::model::{self, Programme};
use crate::pipeline::{self, Timings};
use crate::scenario::{Hold, Scenario};
use crate::solve::Kept;
use std::cell::RefCell;
use std::hash::{Hash, Hasher};

/// The neighbourhood of a base scenario: its re-solves share one HiGHS model per worker
/// thread, built once from the base and changed in place (bounds only) for each
/// neighbour. A neighbour whose programme has another structure (a rule dropped, other
/// costs) is solved on a model of its own.
pub struct Near<'a> {
    data: &'a Dataset,
    base: &'a Scenario,
    /// The base's money unit: neighbours are built in it, so that £1m more in a year
    /// changes a bound and not every coefficient.
    money: f64,
    /// The base programme's structure, and that with its bounds: which kept model is
    /// the base's.
    structure: Option<u64>,
    key: u64,
}

thread_local! {
    /// This worker's kept model and the key of the base it was built from.
    static KEPT: RefCell<Option<(u64, Kept)>> = const { RefCell::new(None) };
}

impl<'a> Near<'a> {
    pub fn new(data: &'a Dataset, base: &'a Scenario) -> Near<'a> {
        let money = model::money_scale(base);
        let (structure, key) = match model::build_in_unit(data, base, money) {
            Ok(p) => (p.structure, key_of(&p)),
            Err(_) => (None, 0),
        };
        Near {
            data,
            base,
            money,
            structure,
            key,
        }
    }

    /// Solves `changed`, starting from the columns `start` (an answer of a neighbouring
    /// scenario, adjusted to the change where that keeps it feasible).
    pub fn solve(&self, changed: &Scenario, start: &[f64]) -> Resolved {
        match self.on_kept(changed, start) {
            Some(solved) => resolved(self.data, changed, solved),
            None => solve_near(self.data, changed, start),
        }
    }

    /// The scenario with `project` locked in (`funded`) or out, solved from `base`.
    pub fn locked(&self, base: &Solution, project: usize, funded: bool) -> Resolved {
        let mut changed = self.base.clone();
        changed.holds.push(Hold { project, funded });
        self.solve(&changed, &locked_start(self.data, base, project, funded))
    }

    /// `changed` on this worker's kept model, when its programme differs from the
    /// base's in bounds alone; `None` sends it to a model of its own.
    fn on_kept(&self, changed: &Scenario, start: &[f64]) -> Option<Result<Solution>> {
        let structure = self.structure?;
        let programme = model::build_in_unit(self.data, changed, self.money).ok()?;
        if programme.structure != Some(structure) {
            return None;
        }
        KEPT.with(|cell| {
            let mut cell = cell.borrow_mut();
            if cell.as_ref().is_none_or(|(key, _)| *key != self.key) {
                let base = model::build_in_unit(self.data, self.base, self.money).ok()?;
                let kept = Kept::open(base, &self.base.solver).ok()?;
                *cell = Some((self.key, kept));
            }
            let (_, kept) = cell.as_mut().expect("just opened");
            Some(pipeline::solve_kept(
                self.data,
                changed,
                programme,
                kept,
                Some(start),
            ))
        })
    }
}

/// The base programme's structure and bounds: two bases with the same key give kept
/// models in the same state, so a re-solve's answer does not depend on which worker
/// (or which earlier run in this process) opened the model it runs on.
fn key_of(p: &Programme) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    p.structure.hash(&mut h);
    for v in p.col_lower.iter().chain(&p.col_upper) {
        v.to_bits().hash(&mut h);
    }
    for r in &p.rows {
        (r.lower.to_bits(), r.upper.to_bits()).hash(&mut h);
    }
    h.finish()
}

/// Solves `changed` on a model of its own, starting from `start`: for a neighbour
/// with no base of its own to share a model with (a sweep level's £1m more).
pub fn solve_near(data: &Dataset, changed: &Scenario, start: &[f64]) -> Resolved {
    resolved(
        data,
        changed,
        pipeline::solve_with(data, changed, &mut Timings::default(), None, Some(start)),
    )
}

fn resolved(data: &Dataset, changed: &Scenario, solved: Result<Solution>) -> Resolved {
    match solved {
        Ok(s) => Resolved::Solved(Answer::of(data, changed, &s)),
        Err(Error::Infeasible { explanation, .. }) => Resolved::Infeasible(explanation),
        Err(e) => Resolved::Failed(e.to_string().lines().next().unwrap_or_default().into()),
    }
}

/// The base answer with the bid put in or taken out, and what that drags with it: a
/// bid taken out takes out every bid that requires it; a bid put in brings in its
/// prerequisites and takes out the other bids of its exclusive groups. The solver
/// still checks the start against every rule and ignores it if it breaks one (a bid
/// put in usually overspends a budget).
fn locked_start(data: &Dataset, base: &Solution, project: usize, funded: bool) -> Vec<f64> {
    let mut columns = base.columns.clone();
    let set = |p: usize, v: f64, columns: &mut [f64]| columns[base.fraction_col[p]] = v;
    let mut queue = vec![project];
    let mut seen = vec![false; data.projects.len()];
    while let Some(p) = queue.pop() {
        if std::mem::replace(&mut seen[p], true) {
            continue;
        }
        set(p, if funded { 1.0 } else { 0.0 }, &mut columns);
        if funded {
            queue.extend(&data.projects[p].requires);
            if let Some(g) = &data.projects[p].exclusive_group {
                for (q, other) in data.projects.iter().enumerate() {
                    if q != p && other.exclusive_group.as_ref() == Some(g) {
                        set(q, 0.0, &mut columns);
                    }
                }
            }
        } else {
            queue.extend(
                (0..data.projects.len()).filter(|&q| data.projects[q].requires.contains(&p)),
            );
        }
    }
    columns
}
