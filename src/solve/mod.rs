//! Solve: the only code that knows HiGHS. It sets the options, runs the solve and
//! maps HiGHS' statuses onto ours through one table (`classify`), with the gap and
//! the proven bound read from the solver itself.

use crate::error::{Error, Result};
use crate::model::Programme;
use crate::scenario::SolverSettings;
use good_lp::solvers::highs::highs;
use good_lp::SolverModel;
use highs::HighsModelStatus;
use serde::{Deserialize, Serialize};

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

enum Outcome {
    Answer(SolveStatus),
    Fail(Failure),
}

/// The one table from HiGHS model statuses to ours.
fn classify(status: HighsModelStatus, has_solution: bool, gap: f64) -> Outcome {
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

/// Solves the programme. One HiGHS thread per solve: batch runs parallelise across
/// solves with rayon, and HiGHS fails if threads settings differ within a process.
pub fn solve(programme: Programme, settings: &SolverSettings) -> Result<Result<Solved, Failure>> {
    let is_mip = !programme.integer_cols.is_empty();
    // Continuous columns besides the whole ones: shares of bids, capability gains.
    let mixed = is_mip && programme.integer_cols.len() < programme.columns;
    let integer_cols = programme.integer_cols;
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
    if std::env::var_os("TECHFUND_SOLVER_LOG").is_some() {
        let _ = model.try_set_option("output_flag", true);
        let _ = model.try_set_option("log_to_console", true);
    }
    let options: [(&str, OptionValue); 8] = [
        ("threads", OptionValue::Int(1)),
        ("parallel", OptionValue::Str("off")),
        ("mip_rel_gap", OptionValue::Float(settings.mip_gap)),
        ("time_limit", OptionValue::Float(settings.time_limit_s)),
        // A fixed seed keeps reruns identical, byte for byte.
        ("random_seed", OptionValue::Int(0)),
        // The programme counts money in units of about a year's budget (see
        // `model::money_scale`), so a tolerance of 1e-9 is a thousandth of a penny on a
        // £1m budget; the defaults (1e-7, and 1e-6 for a MIP's rows) could let a bid of
        // £1 break a rule the check then finds broken.
        ("primal_feasibility_tolerance", OptionValue::Float(1e-9)),
        ("mip_feasibility_tolerance", OptionValue::Float(1e-9)),
        // The objective is in the same units, so HiGHS' default absolute gap (1e-6)
        // would stop a "gap 0" solve early; the relative gap is the scenario's.
        ("mip_abs_gap", OptionValue::Float(1e-10)),
    ];
    for (name, value) in options {
        let set = match value {
            OptionValue::Int(v) => model.try_set_option(name, v),
            OptionValue::Float(v) => model.try_set_option(name, v),
            OptionValue::Str(v) => model.try_set_option(name, v),
        };
        set.map_err(|_| Error::Solver(format!("HiGHS refused option {name}")))?;
    }
    let solved = model
        .try_solve()
        .map_err(|e| Error::Solver(format!("HiGHS failed while solving: {e:?}")))?;
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let raw_gap = if is_mip { solved.mip_gap() } else { 0.0 };
    match classify(solved.status(), has_solution, raw_gap) {
        Outcome::Fail(f) => Ok(Err(f)),
        Outcome::Answer(status) => {
            let mut objective = solved.objective_value();
            let bound = if is_mip {
                solved
                    .double_info_value(c"mip_dual_bound")
                    .unwrap_or(f64::NAN)
            } else {
                objective
            };
            let mut gap = if raw_gap.is_finite() {
                raw_gap.max(0.0)
            } else {
                0.0
            };
            let mut columns = solved.get_solution().columns().to_vec();
            let mut status = status;
            if mixed {
                match polish(solved, &integer_cols, &columns) {
                    Polished::Better(polished, value) => {
                        columns = polished;
                        // The continuous columns may now be worth more than the MIP's
                        // incumbent counted, which narrows the gap to the bound.
                        if bound.is_finite() && value.abs() > 0.0 {
                            gap = gap.min(((bound - value).abs() / value.abs()).max(0.0));
                        }
                        objective = value;
                    }
                    // Only the solver's tolerance made the whole columns fit: no
                    // allocation keeps every rule exactly.
                    Polished::Infeasible => return Ok(Err(Failure::Infeasible)),
                    Polished::Unchanged => {}
                }
            }
            if status == SolveStatus::WithinGap && gap <= PROVEN {
                status = SolveStatus::Optimal;
                gap = 0.0;
            }
            Ok(Ok(Solved {
                status,
                objective,
                bound,
                gap,
                columns,
            }))
        }
    }
}

/// Re-solves the continuous part with the whole columns fixed where the MIP left them.
/// The MIP's answer is only as exact as its feasibility tolerance on the scaled model,
/// which on a bid costing millions can be thousands of £k; the LP, solved with the
/// whole columns fixed, is cleaned up against the unscaled rows. It also makes the
/// capability gains tight, so the objective is what the allocation is worth.
fn polish(solved: highs::SolvedModel, integer_cols: &[usize], columns: &[f64]) -> Polished {
    let mut model = highs::Model::from(solved);
    // HiGHS' clock runs on from the MIP, which may have used the whole time limit; the
    // LP takes milliseconds.
    if model.try_set_option("time_limit", f64::INFINITY).is_err() {
        return Polished::Unchanged;
    }
    for &c in integer_cols {
        let v = columns[c].round();
        // SAFETY: the pointer is the live model's and `c` is one of its columns.
        let ok = unsafe {
            let ptr = model.as_mut_ptr();
            highs_sys::Highs_changeColBounds(ptr, c as i32, v, v) != STATUS_ERROR
                && highs_sys::Highs_changeColIntegrality(ptr, c as i32, 0) != STATUS_ERROR
        };
        if !ok {
            return Polished::Unchanged;
        }
    }
    match model.try_solve() {
        Ok(lp) if lp.status() == HighsModelStatus::Optimal => {
            let value = lp.objective_value();
            Polished::Better(lp.get_solution().columns().to_vec(), value)
        }
        Ok(lp) if lp.status() == HighsModelStatus::Infeasible => Polished::Infeasible,
        _ => Polished::Unchanged,
    }
}

/// What polishing made of a MIP's answer.
enum Polished {
    /// The continuous columns re-solved exactly, and the objective they give.
    Better(Vec<f64>, f64),
    /// With the whole columns where the MIP left them, nothing keeps every rule.
    Infeasible,
    /// The LP could not be solved; the MIP's answer stands, to be checked as it is.
    Unchanged,
}

/// A relative gap this small is rounding in the bound, not room for a better answer.
const PROVEN: f64 = 1e-9;

/// `kHighsStatusError` in HiGHS' C interface.
const STATUS_ERROR: i32 = -1;

enum OptionValue {
    Int(i32),
    Float(f64),
    Str(&'static str),
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
