//! Solve: the only code that knows HiGHS. It sets the options, runs the solve and
//! maps HiGHS' statuses onto ours through one table (`classify`), with the gap and
//! the proven bound read from the solver itself.

mod bound;
mod capped_gain;
mod heuristic;
mod session;

use crate::error::{Error, Result};
use crate::model::Programme;
use crate::scenario::{Rule, SolverSettings};
use good_lp::solvers::highs::highs;
use good_lp::SolverModel;
use highs::HighsModelStatus;
use serde::{Deserialize, Serialize};
use session::Session;
use std::path::Path;

/// What the solver proved about its answer. run.json records it by `name`, and
/// `techfund compare` reads it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal (gap 0).
    Optimal,
    /// Stopped at the scenario's gap: the answer is within `gap` of the proven bound.
    WithinGap,
    /// Stopped by the time limit with an answer that is not proven within the gap.
    TimeLimit,
}

impl SolveStatus {
    /// The status as every file spells it (run.json, frontier.csv): the serde name.
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::WithinGap => "within_gap",
            SolveStatus::TimeLimit => "time_limit",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal (proven)",
            SolveStatus::WithinGap => "within the scenario's gap of the proven bound",
            SolveStatus::TimeLimit => "stopped at the time limit: NOT proven optimal",
        }
    }
}

/// A solved programme: column values plus what was proven.
#[derive(Clone, Debug, PartialEq)]
pub struct Solved {
    pub status: SolveStatus,
    pub objective: f64,
    pub bound: f64,
    pub gap: f64,
    pub columns: Vec<f64>,
    /// The objective of the heuristic's allocation, when it found one.
    pub heuristic: Option<f64>,
    /// How many bids the final MIP held where the LP put them, because the dual bound
    /// proves that moving any of them cannot beat the answer by more than the gap (0
    /// when it searched every bid, or there was no MIP to solve).
    pub fixed: usize,
    /// An LP's dual value of each budget row, with the range of the budget over which
    /// it holds; empty for a MIP, whose duals mean nothing.
    pub budget_duals: Vec<(Rule, RowDual)>,
}

/// A row's dual value and the range of its bound over which it holds, in the
/// programme's own units (`model::money_scale`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowDual {
    /// The change in the objective per unit more of the row's bound, as HiGHS gives it.
    pub dual: f64,
    /// The lowest and highest bound at which the same basis stays optimal.
    pub low: f64,
    pub high: f64,
}

/// Why no answer came back.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    Infeasible,
    /// HiGHS could not tell which (its presolve sometimes stops there).
    InfeasibleOrUnbounded,
    Unbounded,
    NoSolutionInTime,
    Other(String),
}

/// The HiGHS version linked into this binary.
pub fn highs_version() -> String {
    // SAFETY: Highs_version returns a pointer to a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(highs_sys::Highs_version()) }
        .to_string_lossy()
        .into_owned()
}

pub(crate) enum Outcome {
    Answer(SolveStatus),
    Fail(Failure),
}

/// The one table from HiGHS model statuses to ours.
pub(crate) fn classify(status: HighsModelStatus, has_solution: bool, gap: f64) -> Outcome {
    use HighsModelStatus as H;
    match status {
        H::Optimal | H::ObjectiveBound | H::ObjectiveTarget if has_solution => {
            if gap.is_finite() && gap > PROVEN {
                Outcome::Answer(SolveStatus::WithinGap)
            } else {
                Outcome::Answer(SolveStatus::Optimal)
            }
        }
        H::ReachedTimeLimit
        | H::ReachedIterationLimit
        | H::ReachedSolutionLimit
        | H::ReachedInterrupt
        | H::ReachedMemoryLimit => {
            if has_solution {
                Outcome::Answer(SolveStatus::TimeLimit)
            } else {
                Outcome::Fail(Failure::NoSolutionInTime)
            }
        }
        H::Infeasible => Outcome::Fail(Failure::Infeasible),
        H::UnboundedOrInfeasible => Outcome::Fail(Failure::InfeasibleOrUnbounded),
        H::Unbounded => Outcome::Fail(Failure::Unbounded),
        other => Outcome::Fail(Failure::Other(format!("HiGHS ended with status {other:?}"))),
    }
}

/// Checks an allocation, given as the programme's columns, against every rule.
pub type Accept<'a> = &'a dyn Fn(&[f64]) -> bool;

/// What a solve is asked to do besides solving.
#[derive(Default)]
pub struct Extras<'a> {
    /// Write the model, as HiGHS solves it, to this `.mps` or `.lp` file.
    pub export: Option<&'a Path>,
    /// Checks a heuristic's allocation (the columns) against every rule before it is
    /// trusted as an answer or handed to HiGHS as a start.
    pub accept: Option<Accept<'a>>,
    /// A neighbouring answer (the same programme with other budgets) to start from,
    /// used when it keeps every rule here and beats the heuristic's.
    pub start: Option<&'a [f64]>,
    /// How hard each step works.
    pub effort: Effort,
}

/// How hard each step of a MIP solve works, in counts rather than seconds so that the
/// answer is the same on a busy machine as on an idle one. The defaults are tuned on
/// the benchmark's programmes; tests turn them down so that small programmes reach
/// the later steps too.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effort {
    /// The marginal bids the restricted MIP decides besides the fractional ones
    /// (`None`: a tenth of the bids, from 30 to 300).
    pub marginal: Option<usize>,
    /// The restricted MIP's branch-and-bound nodes. It must stay a small part of a
    /// solve that HiGHS alone does in seconds: a knapsack-like MIP at a tight gap can
    /// take far longer than its size suggests, and then the full MIP, started from
    /// whatever it found, does better.
    pub sub_mip_nodes: i32,
    /// The least share of the whole columns the dual bound must fix for the final MIP
    /// to use the fixing: below it the LP is too far from the optimum for the fixing
    /// to pay, and the MIP is left as HiGHS would search it.
    pub least_fixed: f64,
    /// Subgradient steps that tighten the dual bound toward the heuristic's allocation
    /// where footprints' capped gains make it tighter than the LP's (see
    /// `bound::DualBound::improve`).
    pub dual_steps: usize,
}

impl Default for Effort {
    fn default() -> Effort {
        Effort {
            marginal: None,
            sub_mip_nodes: 1000,
            least_fixed: 0.5,
            dual_steps: 200,
        }
    }
}

/// Solves the programme. One HiGHS thread per solve: batch runs parallelise across
/// solves with rayon, and HiGHS fails if threads settings differ within a process.
///
/// A MIP is solved in up to three steps on one HiGHS model. These programmes are
/// nearly integral: thousands of bids, a handful of budget rows, an LP relaxation
/// with a few fractional bids and a bound within about 0.01% of the optimum. So the
/// LP relaxation gives the bound; a restricted MIP over the bids whose LP decision is
/// marginal gives an allocation; when that allocation is within the scenario's gap of
/// the LP bound, it is the answer, proven. Otherwise the full MIP starts from it,
/// searching only the bids the LP's dual bound leaves in doubt.
///
/// An answer stopped by the time limit keeps the starts the MIP gave it: choosing
/// them again (`start_as_bid`) would run past the limit the scenario set.
pub fn solve(
    programme: Programme,
    settings: &SolverSettings,
    extras: &Extras,
) -> Result<Result<Solved, Failure>> {
    let (mut session, shape) = open(programme, settings, extras.export)?;
    let mut answer = solve_open(&mut session, &shape, settings, extras)?;
    match &mut answer {
        Ok(solved) if solved.status != SolveStatus::TimeLimit => {
            start_as_bid(&mut session, &shape, solved)?;
        }
        _ => {}
    }
    Ok(answer)
}

/// Among allocations of the answer's value, the one whose bids start as bid where
/// they can. Under the benefit and maturity objectives a bid is worth the same at any
/// start it may take, so the MIP leaves starts to chance, and the report would show
/// moves nothing asked for. What is funded is held as it is; the starts, and the
/// switches and carries they lean on, are chosen again for the fewest years late
/// (each weighted by the share of the bid funded). The answer's value is unchanged.
fn start_as_bid(session: &mut Session, shape: &Shape, solved: &mut Solved) -> Result<()> {
    let late_years =
        |columns: &[f64]| -> f64 { shape.late.iter().map(|&(c, s)| s * columns[c]).sum() };
    let before = late_years(&solved.columns);
    if before <= 1e-9 {
        return Ok(());
    }
    let mut movable = vec![false; session.cols];
    for &c in &shape.movable {
        movable[c] = true;
    }
    let mut whole = vec![false; session.cols];
    for &c in &session.integer_cols {
        whole[c] = true;
    }
    let held: Vec<usize> = (0..session.cols).filter(|&c| !movable[c]).collect();
    let at: Vec<f64> = held
        .iter()
        .map(|&c| {
            let v = solved.columns[c];
            if whole[c] {
                v.round()
            } else {
                v
            }
        })
        .collect();
    session.set_bounds_of(&held, &at, &at)?;
    let mut costs = vec![0.0; session.cols];
    let sense = if shape.maximise { -1.0 } else { 1.0 };
    for &(c, s) in &shape.late {
        costs[c] = sense * s;
    }
    session.set_costs(Some(&costs))?;
    session.set_start(&solved.columns)?;
    // A proven answer's starts are always chosen again, so that reruns agree: at
    // least 10 s for this small MIP even when the main solve used most of the limit.
    let attempt = session.solve(session.remaining_s().max(10.0), 0.0, true);
    session.set_costs(None)?;
    session.restore_bounds()?;
    let attempt = attempt?;
    if attempt.has_solution && late_years(&attempt.columns) < before - 1e-9 {
        solved.columns = attempt.columns;
    }
    Ok(())
}

/// What kind of programme a session holds.
#[derive(Clone)]
struct Shape {
    is_mip: bool,
    /// Continuous columns besides the whole ones: shares of bids, capability gains.
    mixed: bool,
    maximise: bool,
    /// The budget rows, by their index in HiGHS, for an LP's duals.
    budget_rows: Vec<(usize, Rule)>,
    /// Each late start's column and years late, when the objective does not care
    /// which start a bid takes (see `start_as_bid`); empty otherwise.
    late: Vec<(usize, f64)>,
    /// The columns a start may move (`model::FlexCols::movable`).
    movable: Vec<usize>,
}

/// Hands the programme to HiGHS with techfund's options, and writes it out if asked.
fn open(
    programme: Programme,
    settings: &SolverSettings,
    export: Option<&Path>,
) -> Result<(Session, Shape)> {
    let is_mip = !programme.integer_cols.is_empty();
    let integer_cols = programme.integer_cols;
    let set_aside = programme.set_aside;
    let crash = programme.crash;
    let col_names = programme.col_names;
    let row_names: Vec<String> = programme.rows.iter().map(|r| r.name.clone()).collect();
    // Rows reach HiGHS in this order, so a row's index here is its index there.
    let budget_rows: Vec<(usize, Rule)> = programme
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.rule {
            Some(rule @ Rule::Budget { .. }) => Some((i, rule.clone())),
            _ => None,
        })
        .collect();
    let neutral = programme.flex_cols.start_neutral && programme.maximise;
    let shape = Shape {
        is_mip,
        mixed: is_mip && integer_cols.len() < programme.columns,
        maximise: programme.maximise,
        budget_rows,
        late: if neutral {
            programme.flex_cols.late()
        } else {
            Vec::new()
        },
        movable: if neutral {
            programme.flex_cols.movable()
        } else {
            Vec::new()
        },
    };
    let mut problem = if programme.maximise {
        programme.vars.maximise(programme.objective)
    } else {
        programme.vars.minimise(programme.objective)
    }
    .using(highs);
    for row in programme.rows {
        problem.add_constraint(row.constraint);
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| Error::Solver(format!("HiGHS rejected the model: {e}")))?;
    model.make_quiet();
    let mut session = Session::new(model, integer_cols, settings.time_limit_s)?;
    session.set_aside = set_aside;
    session.crash = crash;
    if std::env::var_os("TECHFUND_SOLVER_LOG").is_some() {
        session.set_option("output_flag", true)?;
        session.set_option("log_to_console", true)?;
    }
    let options: [(&str, OptionValue); 9] = [
        ("threads", OptionValue::Int(1)),
        ("parallel", OptionValue::Str("off")),
        // A fixed seed keeps reruns identical, byte for byte.
        ("random_seed", OptionValue::Int(settings.random_seed)),
        // The programme counts money in units of about a year's budget (see
        // `model::money_scale`), so a tolerance of 1e-9 is a thousandth of a penny on a
        // £1m budget; the defaults (1e-7, and 1e-6 for a MIP's rows) could let a bid of
        // £1 break a rule the check then finds broken.
        ("primal_feasibility_tolerance", OptionValue::Float(1e-9)),
        ("mip_feasibility_tolerance", OptionValue::Float(1e-9)),
        // The objective is in the same units, so HiGHS' default absolute gap (1e-6)
        // would stop a "gap 0" solve early; the relative gap is the scenario's.
        ("mip_abs_gap", OptionValue::Float(1e-10)),
        // Tuned on the benchmark's 1,200-bid all-or-nothing programmes over six seeds
        // each (README, Speed): what is left after the heuristic is finding the last
        // allocations near the bound, which HiGHS' own heuristics (default effort 0.05)
        // did too rarely, and cuts at every node make each node dearer without closing
        // the bound faster. Mean solve to 1e-4: benefit 14.4 s → 5.1 s, maturity
        // 30.2 s → 15.6 s.
        ("mip_heuristic_effort", OptionValue::Float(0.3)),
        (
            "mip_allow_cut_separation_at_nodes",
            OptionValue::Bool(false),
        ),
        // Feasibility jump hunts for a first allocation, which these programmes never
        // lack (funding nothing keeps most rules; the heuristic hands over better), and
        // the poor one it finds (5% below the bound on 1,200 bids) sends the search a
        // slower way: over seeds 0–5 (`scripts/bench/tune.py`) the mean fell from 11.3 s
        // to 9.0 s (1,200 bids, maturity), 5.1 s to 4.2 s (benefit), 6.7 s to 5.0 s
        // (the baseline at 1e-4).
        (
            "mip_heuristic_run_feasibility_jump",
            OptionValue::Bool(false),
        ),
    ];
    for (name, value) in options {
        match value {
            OptionValue::Int(v) => session.set_option(name, v)?,
            OptionValue::Float(v) => session.set_option(name, v)?,
            OptionValue::Str(v) => session.set_option(name, v)?,
            OptionValue::Bool(v) => session.set_option(name, v)?,
        }
    }
    if let Some(path) = export {
        session.export(path, &col_names, &row_names)?;
    }
    Ok((session, shape))
}

/// Solves the model the session holds: an LP at once; a MIP through the heuristic
/// and, when that does not prove the answer, the full MIP from its allocation.
fn solve_open(
    session: &mut Session,
    shape: &Shape,
    settings: &SolverSettings,
    extras: &Extras,
) -> Result<Result<Solved, Failure>> {
    let Shape {
        is_mip,
        mixed,
        maximise,
        ref budget_rows,
        ..
    } = *shape;
    if !is_mip {
        let lp = session.solve_lp(if maximise { 1.0 } else { -1.0 })?;
        return Ok(match lp.outcome() {
            Outcome::Fail(f) => Err(f),
            Outcome::Answer(status) => {
                let rows: Vec<usize> = budget_rows.iter().map(|(i, _)| *i).collect();
                // HiGHS ranges only a basis it holds; without one (an LP it settled in
                // presolve, say) there are no duals to report, and the answer stands.
                let ranges = (status == SolveStatus::Optimal && !rows.is_empty())
                    .then(|| session.row_ranges(&rows).ok())
                    .flatten();
                let budget_duals = if let Some(ranges) = ranges {
                    budget_rows
                        .iter()
                        .zip(ranges)
                        .map(|((i, rule), (low, high))| {
                            let dual = lp.row_duals.get(*i).copied().unwrap_or(f64::NAN);
                            (rule.clone(), RowDual { dual, low, high })
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                Ok(Solved {
                    status,
                    objective: lp.objective,
                    bound: lp.objective,
                    gap: 0.0,
                    columns: lp.columns,
                    heuristic: None,
                    fixed: 0,
                    budget_duals,
                })
            }
        });
    }

    let sense = if maximise { 1.0 } else { -1.0 };
    let mut found = if settings.heuristic {
        heuristic::run(
            session,
            settings.mip_gap,
            sense,
            extras.accept,
            extras.start,
            extras.effort,
        )?
    } else {
        // HiGHS alone, though a neighbouring answer may still be its start.
        let mut found = heuristic::Found::default();
        if let Some(start) = extras.start.filter(|s| s.len() == session.cols) {
            found.consider(session, start, sense, extras.accept)?;
        }
        found
    };
    found.tighten(sense, settings.mip_gap, extras.effort.dual_steps);
    let heuristic_value = found.incumbent.as_ref().map(|i| i.objective);
    if let Some(f) = found.failure {
        return Ok(Err(f));
    }
    if let (Some(incumbent), Some(bound)) = (&found.incumbent, found.bound) {
        let gap = relative_gap(incumbent.objective, bound);
        if gap <= settings.mip_gap {
            let (status, gap) = if gap <= PROVEN {
                (SolveStatus::Optimal, 0.0)
            } else {
                (SolveStatus::WithinGap, gap)
            };
            return Ok(Ok(Solved {
                status,
                objective: incumbent.objective,
                bound,
                gap,
                columns: incumbent.columns.clone(),
                heuristic: heuristic_value,
                fixed: 0,
                budget_duals: Vec::new(),
            }));
        }
    }

    // The full MIP, from the heuristic's allocation when there is one. Its answer is
    // valued again from its columns (`polish`): started from a solution, HiGHS 1.16 has
    // been seen to report the objective of a better allocation than the columns it
    // returns. When the two disagree, the MIP is solved again without the start.
    session.restore_bounds()?;
    session.set_integral(&session.integer_cols.clone(), true)?;
    let mut start = found.incumbent.as_ref().map(|i| i.columns.clone());
    let least = extras.effort.least_fixed;
    let level_of =
        |incumbent: f64| incumbent + sense * FIX_MARGIN * settings.mip_gap * incumbent.abs();
    // Where the bound solves footprints' capped gains (the maturity objective), HiGHS
    // searches everything from nothing: on those programmes both a start and the
    // fixing were measured to slow it (a start 0.03% below the bound: 60 s unproven
    // against 4.7 s on 1,200 bids; the baseline at 1e-4 fixing 607 of 1,200 bids from
    // a start: 25 s against 8 s). The incumbent still stands if the MIP ends below it.
    let capped = found.dual.as_ref().is_some_and(|d| d.keeps_capped_rows());
    let mut fixed = match (&found.dual, &found.incumbent) {
        (Some(dual), Some(incumbent)) if !capped => {
            fixing(dual, session, level_of(incumbent.objective), least)
        }
        _ => Vec::new(),
    };
    // A start far from the bound is left out: from it HiGHS was seen to search eight
    // times longer than from nothing (its own heuristics do better than our
    // incumbent there). The incumbent still stands if the MIP ends below it.
    let far = found.bound.is_none_or(|b| {
        found
            .incumbent
            .as_ref()
            .is_none_or(|i| relative_gap(i.objective, b) > FAR_START * settings.mip_gap.max(1e-4))
    });
    if (far || capped) && fixed.is_empty() {
        start = None;
    }
    let (mip, status, objective, columns, bound) = loop {
        // Bounds first: HiGHS forgets a starting solution when the model changes.
        let dual = found.dual.as_ref().filter(|_| !fixed.is_empty());
        if let Some(dual) = dual {
            let at: Vec<f64> = fixed.iter().map(|&c| dual.at(c)).collect();
            session.set_bounds_of(&fixed, &at, &at)?;
        }
        match &start {
            Some(columns) => session.set_start(columns)?,
            None => session.clear_start()?,
        }
        let mip = session.solve(session.remaining_s(), settings.mip_gap, true);
        session.restore_bounds()?;
        let mip = mip?;
        // What the MIP proved covers the allocations it searched; those it did not
        // differ from the LP on a fixed bid and are worth at most `beyond`.
        let mut bound = match dual {
            Some(dual) if mip.status == HighsModelStatus::Infeasible => dual.whole(None, &fixed),
            Some(dual) => dual.whole(Some(mip.bound), &fixed),
            None => mip.bound,
        };
        // The LP's bound, or the heuristic's, holds for the MIP too, and may be the
        // tighter.
        if let Some(proven) = found.bound {
            if !bound.is_finite() || sense * (proven - bound) < 0.0 {
                bound = proven;
            }
        }
        if dual.is_some() && mip.status == HighsModelStatus::Infeasible {
            // Nothing near the LP keeps every rule, and the incumbent did: search it all.
            fixed.clear();
            continue;
        }
        let status = match (mip.outcome(), &found.incumbent) {
            // Out of time before finding anything: the heuristic's allocation stands.
            (Outcome::Fail(Failure::NoSolutionInTime), Some(i)) => {
                let (objective, columns) = (i.objective, i.columns.clone());
                break (mip, SolveStatus::TimeLimit, objective, columns, bound);
            }
            (Outcome::Fail(f), _) => return Ok(Err(f)),
            (Outcome::Answer(s), _) => s,
        };
        let (columns, objective) = match polish(session, &mip.columns)? {
            Polished::Better(polished, value) => (polished, value),
            // Only the solver's tolerance made the whole columns fit: no allocation
            // keeps every rule exactly.
            Polished::Infeasible if mixed => return Ok(Err(Failure::Infeasible)),
            Polished::Infeasible | Polished::Unchanged => (mip.columns.clone(), mip.objective),
        };
        let claimed_more = sense * (mip.objective - objective) > 1e-7 * objective.abs().max(1.0);
        if claimed_more && start.take().is_some() {
            continue;
        }
        if claimed_more {
            return Ok(Err(Failure::Other(format!(
                "HiGHS reported an objective of {} for an allocation worth {}",
                mip.objective, objective
            ))));
        }
        // The fixing was chosen to stay within the gap; should rounding say otherwise,
        // the answer is not proven, and the MIP searches everything.
        let proven_here = status != SolveStatus::TimeLimit;
        if !fixed.is_empty()
            && proven_here
            && relative_gap(objective, bound) > settings.mip_gap * (1.0 + 1e-9)
        {
            fixed.clear();
            start = Some(columns);
            continue;
        }
        break (mip, status, objective, columns, bound);
    };
    // The heuristic's allocation, when the MIP (not started from it) ended below it.
    let (objective, columns) = match &found.incumbent {
        Some(i) if sense * (i.objective - objective) > 0.0 => (i.objective, i.columns.clone()),
        _ => (objective, columns),
    };
    let mut bound = bound;
    // A bound a hair on the wrong side of the value it bounds is the solver's rounding.
    if bound.is_finite() && sense * (objective - bound) > 0.0 {
        bound = objective;
    }
    // HiGHS measures its own gap on the MIP it searched; with bids fixed, only the
    // whole programme's bound counts.
    let mut gap = if fixed.is_empty() {
        relative_gap(objective, bound).min(mip.gap)
    } else {
        relative_gap(objective, bound)
    };
    let mut status = status;
    if status == SolveStatus::WithinGap && gap <= PROVEN {
        status = SolveStatus::Optimal;
    }
    // Optimal on the bids it searched is within the gap on the whole programme,
    // unless the bound on what the fixing hid is the answer itself.
    if status == SolveStatus::Optimal && gap > PROVEN {
        status = SolveStatus::WithinGap;
    }
    if status == SolveStatus::Optimal {
        gap = 0.0;
    }
    Ok(Ok(Solved {
        status,
        objective,
        bound,
        gap,
        columns,
        heuristic: heuristic_value,
        fixed: fixed.len(),
        budget_duals: Vec::new(),
    }))
}

/// One HiGHS model kept across re-solves of neighbouring scenarios: programmes with
/// the base's structure (`Programme::structure`) and other bounds (a bid locked in or
/// out, £1m more in a year, another floor level). Each re-solve sets every bound,
/// starts its LP from the base's optimal basis and forgets the previous re-solve, so
/// its answer does not depend on what was solved before it on this model.
pub struct Kept {
    session: Session,
    shape: Shape,
    structure: u64,
    basis: Option<session::Basis>,
}

impl Kept {
    /// Opens the base programme (built with `model::build_in_unit`) and solves its LP
    /// relaxation once, for the basis every re-solve starts from.
    pub fn open(base: Programme, settings: &SolverSettings) -> Result<Kept> {
        let structure = base.structure.ok_or_else(|| {
            Error::Solver("a kept model needs a programme built with its fingerprint".into())
        })?;
        let (mut session, shape) = open(base, settings, None)?;
        let whole = session.integer_cols.clone();
        session.set_integral(&whole, false)?;
        let lp = session.solve(session.remaining_s(), 0.0, false)?;
        let basis = if lp.status == HighsModelStatus::Optimal {
            session.basis()
        } else {
            None
        };
        session.set_integral(&whole, true)?;
        Ok(Kept {
            session,
            shape,
            structure,
            basis,
        })
    }

    /// Solves `changed`, which must have the base's structure.
    pub fn solve(
        &mut self,
        changed: &Programme,
        settings: &SolverSettings,
        extras: &Extras,
    ) -> Result<Result<Solved, Failure>> {
        if changed.structure != Some(self.structure) {
            return Err(Error::Solver(
                "a re-solve on a kept model was given a programme of another structure".into(),
            ));
        }
        let session = &mut self.session;
        session.clear_start()?;
        session.set_all_bounds(&changed.col_lower, &changed.col_upper)?;
        let lower: Vec<f64> = changed.rows.iter().map(|r| r.lower).collect();
        let upper: Vec<f64> = changed.rows.iter().map(|r| r.upper).collect();
        session.set_row_bounds(&lower, &upper)?;
        if let Some(basis) = &self.basis {
            session.set_basis(basis)?;
        }
        session.restart_clock(settings.time_limit_s);
        solve_open(session, &self.shape, settings, extras)
    }
}

/// The relative gap between an allocation's value and the proven bound, as HiGHS
/// measures it.
fn relative_gap(value: f64, bound: f64) -> f64 {
    if !bound.is_finite() {
        return f64::INFINITY;
    }
    let diff = (bound - value).abs();
    if diff <= 1e-12 {
        0.0
    } else {
        diff / value.abs().max(1e-9)
    }
}

/// Re-solves the continuous part with the whole columns fixed where the MIP left them.
/// A MIP's answer is only as exact as its feasibility tolerance on the scaled model;
/// the LP, solved with the whole columns fixed, is cleaned up against the unscaled
/// rows. It also makes the capability gains tight, so the objective is what the
/// allocation is worth.
pub(super) fn polish(session: &mut Session, columns: &[f64]) -> Result<Polished> {
    let integer_cols = session.integer_cols.clone();
    let at: Vec<f64> = integer_cols.iter().map(|&c| columns[c].round()).collect();
    session.set_bounds_of(&integer_cols, &at, &at)?;
    session.set_integral(&integer_cols, false)?;
    let lp = session.solve(session.remaining_s().max(60.0), 0.0, false)?;
    session.restore_bounds()?;
    session.set_integral(&integer_cols, true)?;
    Ok(match lp.status {
        HighsModelStatus::Optimal => Polished::Better(lp.columns, lp.objective),
        HighsModelStatus::Infeasible => Polished::Infeasible,
        _ => Polished::Unchanged,
    })
}

/// What polishing made of a MIP's answer.
pub(super) enum Polished {
    /// The continuous columns re-solved exactly, and the objective they give.
    Better(Vec<f64>, f64),
    /// With the whole columns where the MIP left them, nothing keeps every rule.
    Infeasible,
    /// The LP could not be solved; the MIP's answer stands, to be checked as it is.
    Unchanged,
}

/// Bids the MIP need not search: every whole column whose penalty proves that any
/// allocation moving it is worth no more than `level`.
/// None when that is under `least` of them (`Effort::least_fixed`).
fn fixing(dual: &bound::DualBound, session: &Session, level: f64, least: f64) -> Vec<usize> {
    let threshold = dual.threshold(level);
    let fixed: Vec<usize> = session
        .integer_cols
        .iter()
        .copied()
        .filter(|&c| dual.penalty(c) >= threshold)
        .collect();
    if (fixed.len() as f64) < least * session.integer_cols.len() as f64 {
        return Vec::new();
    }
    fixed
}

/// How far below the bound a heuristic's allocation may be, in multiples of the
/// scenario's gap (or of 1e-4, for a gap below that), and still be the full MIP's
/// start.
const FAR_START: f64 = 10.0;

/// The share of the scenario's gap the fixing before the full MIP may use up: what it
/// hides is worth at most this much of the gap above the incumbent, so the MIP's own
/// gap still decides the answer.
const FIX_MARGIN: f64 = 0.9;

/// A relative gap this small is rounding in the bound, not room for a better answer.
const PROVEN: f64 = 1e-9;

/// `kHighsStatusError` in HiGHS' C interface.
pub(crate) const STATUS_ERROR: i32 = -1;

enum OptionValue {
    Int(i32),
    Float(f64),
    Str(&'static str),
    Bool(bool),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_through_one_table() {
        use HighsModelStatus as H;
        assert!(matches!(
            classify(H::Optimal, true, 0.0),
            Outcome::Answer(SolveStatus::Optimal)
        ));
        assert!(matches!(
            classify(H::Optimal, true, 1e-5),
            Outcome::Answer(SolveStatus::WithinGap)
        ));
        assert!(matches!(
            classify(H::Optimal, true, f64::INFINITY),
            Outcome::Answer(SolveStatus::Optimal)
        ));
        assert!(matches!(
            classify(H::ReachedTimeLimit, true, 0.3),
            Outcome::Answer(SolveStatus::TimeLimit)
        ));
        assert!(matches!(
            classify(H::ReachedTimeLimit, false, 0.3),
            Outcome::Fail(Failure::NoSolutionInTime)
        ));
        assert!(matches!(
            classify(H::UnboundedOrInfeasible, false, 0.0),
            Outcome::Fail(Failure::InfeasibleOrUnbounded)
        ));
        assert!(matches!(
            classify(H::Infeasible, false, 0.0),
            Outcome::Fail(Failure::Infeasible)
        ));
    }

    #[test]
    fn status_names_are_the_serde_names() {
        for s in [
            SolveStatus::Optimal,
            SolveStatus::WithinGap,
            SolveStatus::TimeLimit,
        ] {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn highs_version_is_known() {
        assert!(highs_version().starts_with("1."), "{}", highs_version());
    }
}
