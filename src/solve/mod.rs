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
            if gap.is_finite() && gap > 0.0 {
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
    let is_mip = programme.integer_columns > 0;
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
    let options: [(&str, OptionValue); 5] = [
        ("threads", OptionValue::Int(1)),
        ("parallel", OptionValue::Str("off")),
        ("mip_rel_gap", OptionValue::Float(settings.mip_gap)),
        ("time_limit", OptionValue::Float(settings.time_limit_s)),
        // A fixed seed keeps reruns identical, byte for byte.
        ("random_seed", OptionValue::Int(0)),
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
            let objective = solved.objective_value();
            let bound = if is_mip {
                solved
                    .double_info_value(c"mip_dual_bound")
                    .unwrap_or(f64::NAN)
            } else {
                objective
            };
            let solution = solved.get_solution();
            Ok(Ok(Solved {
                status,
                objective,
                bound,
                gap: if raw_gap.is_finite() {
                    raw_gap.max(0.0)
                } else {
                    0.0
                },
                columns: solution.columns().to_vec(),
            }))
        }
    }
}

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
