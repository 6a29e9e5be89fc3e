//! One HiGHS model kept across several solves: its LP relaxation, a restricted
//! sub-MIP, the full MIP and a final polish all change bounds and integrality in place
//! instead of rebuilding the model, and HiGHS keeps what it can between them.

use super::{classify, Outcome, STATUS_ERROR};
use crate::error::{Error, Result};
use highs::{HighsModelStatus, Model};
use std::ffi::CString;
use std::path::Path;
use std::time::Instant;

/// What one solve of the session gave.
pub struct Attempt {
    pub status: HighsModelStatus,
    pub has_solution: bool,
    pub objective: f64,
    /// The MIP's proven bound (the objective itself for an LP).
    pub bound: f64,
    pub gap: f64,
    pub columns: Vec<f64>,
    /// Reduced costs (an LP's only).
    pub reduced_costs: Vec<f64>,
    /// Row duals (an LP's only): the objective's change per unit of each row's bound.
    pub row_duals: Vec<f64>,
}

impl Attempt {
    pub fn outcome(&self) -> Outcome {
        classify(self.status, self.has_solution, self.gap)
    }
}

/// A model's objective, bounds and matrix, by column.
pub struct LpData {
    pub offset: f64,
    pub cost: Vec<f64>,
    pub col_lower: Vec<f64>,
    pub col_upper: Vec<f64>,
    pub row_lower: Vec<f64>,
    pub row_upper: Vec<f64>,
    /// Column `c`'s nonzeros are `index[start[c]..start[c + 1]]` (rows) and `value[…]`.
    pub start: Vec<usize>,
    pub index: Vec<usize>,
    pub value: Vec<f64>,
}

/// A simplex basis: HiGHS' status of each column and row.
#[derive(Clone)]
pub struct Basis {
    cols: Vec<i32>,
    rows: Vec<i32>,
}

pub struct Session {
    /// Never given up: `solve` runs HiGHS through its C interface, so even a run that
    /// ends in error leaves the model here.
    model: Model,
    pub cols: usize,
    pub integer_cols: Vec<usize>,
    /// The bounds each column was built with.
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub started: Instant,
    pub time_limit_s: f64,
    /// Columns a first LP may hold at zero before pricing them back in (the model's
    /// hint, `Programme::set_aside`).
    pub set_aside: Vec<usize>,
    /// (column, row) pairs for the first LP's starting basis (the model's hint,
    /// `Programme::crash`).
    pub crash: Vec<(usize, usize)>,
    /// Each column's objective coefficient as built.
    costs: Vec<f64>,
    /// Nothing solved yet, so HiGHS has no basis of its own to start from.
    fresh: bool,
}

impl Session {
    pub fn new(model: Model, integer_cols: Vec<usize>, time_limit_s: f64) -> Result<Session> {
        let cols = model.num_cols();
        let (mut lower, mut upper) = (vec![0.0; cols], vec![0.0; cols]);
        let mut costs = vec![0.0; cols];
        if cols > 0 {
            let (mut num, mut nnz) = (0, 0);
            // SAFETY: the arrays hold one value per column; the matrix is not asked for.
            let status = unsafe {
                highs_sys::Highs_getColsByRange(
                    model.as_ptr(),
                    0,
                    cols as i32 - 1,
                    &mut num,
                    costs.as_mut_ptr(),
                    lower.as_mut_ptr(),
                    upper.as_mut_ptr(),
                    &mut nnz,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                )
            };
            if status == STATUS_ERROR {
                return Err(Error::Solver(
                    "HiGHS could not report the column bounds".into(),
                ));
            }
        }
        Ok(Session {
            model,
            cols,
            integer_cols,
            lower,
            upper,
            started: Instant::now(),
            time_limit_s,
            set_aside: Vec::new(),
            crash: Vec::new(),
            costs,
            fresh: true,
        })
    }

    fn ptr(&mut self) -> *mut std::ffi::c_void {
        self.model.as_mut_ptr()
    }

    fn call(&mut self, what: &str, status: i32) -> Result<()> {
        if status == STATUS_ERROR {
            Err(Error::Solver(format!("HiGHS refused to {what}")))
        } else {
            Ok(())
        }
    }

    pub fn set_option<V: highs::HighsOptionValue>(&mut self, name: &str, value: V) -> Result<()> {
        self.model
            .try_set_option(name, value)
            .map_err(|_| Error::Solver(format!("HiGHS refused option {name}")))
    }

    /// Whole-valued (`true`) or continuous columns, in one call: HiGHS checks the
    /// whole model's integrality after each change, so a call per column is quadratic
    /// (seconds at 100,000 bids).
    pub fn set_integral(&mut self, cols: &[usize], integral: bool) -> Result<()> {
        if cols.is_empty() {
            return Ok(());
        }
        let set = index_set(cols);
        let kind = vec![highs_sys::HighsInt::from(integral); set.len()];
        // SAFETY: every entry of `set` is a column of the live model, with one
        // integrality each in `kind`.
        let status = unsafe {
            highs_sys::Highs_changeColsIntegralityBySet(
                self.ptr(),
                set.len() as highs_sys::HighsInt,
                set.as_ptr(),
                kind.as_ptr(),
            )
        };
        self.call("change the columns' integrality", status)
    }

    /// Sets the bounds of the columns in `cols` at once.
    pub fn set_bounds_of(&mut self, cols: &[usize], lower: &[f64], upper: &[f64]) -> Result<()> {
        if cols.is_empty() {
            return Ok(());
        }
        let set = index_set(cols);
        // SAFETY: every entry of `set` is a column of the live model, with one bound each
        // in `lower` and `upper`.
        let status = unsafe {
            highs_sys::Highs_changeColsBoundsBySet(
                self.ptr(),
                set.len() as highs_sys::HighsInt,
                set.as_ptr(),
                lower.as_ptr(),
                upper.as_ptr(),
            )
        };
        self.call("change the columns' bounds", status)
    }

    /// Solves the model as it stands as an LP (the caller has made it continuous). On
    /// a large programme the bids set aside (`set_aside`) are first held at zero, and
    /// then let back in from that LP's basis: the second solve is the full LP, so its
    /// answer and bound are the LP's own, reached with far fewer iterations.
    pub fn solve_lp(&mut self, sense: f64) -> Result<Attempt> {
        if self.fresh && !self.crash.is_empty() {
            let basis = self.crash_basis(sense);
            self.set_basis(&basis)?;
        }
        // A column held above zero (a lock-in in a re-solve) is not set aside.
        let aside: Vec<usize> = self
            .set_aside
            .iter()
            .copied()
            .filter(|&c| self.lower[c] <= 0.0)
            .collect();
        if !aside.is_empty() {
            let zeros = vec![0.0; aside.len()];
            self.set_bounds_of(&aside, &zeros, &zeros)?;
            let first = self.solve(self.remaining_s(), 0.0, false);
            let (lower, upper): (Vec<f64>, Vec<f64>) = aside
                .iter()
                .map(|&c| (self.lower[c], self.upper[c]))
                .unzip();
            self.set_bounds_of(&aside, &lower, &upper)?;
            // Without an optimal basis to start from (the bids kept cannot meet a floor,
            // say), the full LP starts afresh.
            if first?.status != HighsModelStatus::Optimal {
                self.clear_start()?;
            }
        }
        self.solve(self.remaining_s(), 0.0, false)
    }

    /// The starting basis the model's hint describes: each hinted column basic in place
    /// of its row's slack (the row at its upper bound), and every other column at the
    /// bound its objective coefficient pulls it to (upper when it adds value). For the
    /// partial-funding indicators this starts with each indicator equal to its bid's
    /// share, so dual simplex need not spend an iteration per funded bid on rows that
    /// never bind in the LP relaxation.
    fn crash_basis(&mut self, sense: f64) -> Basis {
        const LOWER: i32 = 0;
        const BASIC: i32 = 1;
        const UPPER: i32 = 2;
        let rows = self.rows();
        let mut basis = Basis {
            cols: (0..self.cols)
                .map(|c| {
                    if sense * self.costs[c] > 0.0 && self.upper[c].is_finite() {
                        UPPER
                    } else {
                        LOWER
                    }
                })
                .collect(),
            rows: vec![BASIC; rows],
        };
        for &(c, r) in &self.crash {
            basis.cols[c] = BASIC;
            basis.rows[r] = UPPER;
        }
        basis
    }

    /// The objective coefficients: `costs` when given, else those the model was built
    /// with.
    pub fn set_costs(&mut self, costs: Option<&[f64]>) -> Result<()> {
        if self.cols == 0 {
            return Ok(());
        }
        let costs = costs.map_or_else(|| self.costs.clone(), <[f64]>::to_vec);
        // SAFETY: one coefficient per column of the live model.
        let status = unsafe {
            highs_sys::Highs_changeColsCostByRange(
                self.ptr(),
                0,
                self.cols as i32 - 1,
                costs.as_ptr(),
            )
        };
        self.call("change the objective", status)
    }

    /// Every column back to the bounds it was built with.
    pub fn restore_bounds(&mut self) -> Result<()> {
        if self.cols == 0 {
            return Ok(());
        }
        let (lower, upper) = (self.lower.clone(), self.upper.clone());
        // SAFETY: one bound per column of the live model.
        let status = unsafe {
            highs_sys::Highs_changeColsBoundsByRange(
                self.ptr(),
                0,
                self.cols as i32 - 1,
                lower.as_ptr(),
                upper.as_ptr(),
            )
        };
        self.call("restore the column bounds", status)
    }

    /// Every column's bounds, which are from now on the bounds it is "built with"
    /// (`restore_bounds` returns to them).
    pub fn set_all_bounds(&mut self, lower: &[f64], upper: &[f64]) -> Result<()> {
        self.lower = lower.to_vec();
        self.upper = upper.to_vec();
        self.restore_bounds()
    }

    /// Every row's bounds.
    pub fn set_row_bounds(&mut self, lower: &[f64], upper: &[f64]) -> Result<()> {
        if lower.is_empty() {
            return Ok(());
        }
        // SAFETY: one bound per row of the live model (the caller's programme has
        // exactly the model's rows).
        let status = unsafe {
            highs_sys::Highs_changeRowsBoundsByRange(
                self.ptr(),
                0,
                lower.len() as i32 - 1,
                lower.as_ptr(),
                upper.as_ptr(),
            )
        };
        self.call("change the row bounds", status)
    }

    /// The simplex basis of the last LP solved, if HiGHS holds a valid one.
    pub fn basis(&mut self) -> Option<Basis> {
        let rows = self.rows();
        let mut basis = Basis {
            cols: vec![0; self.cols],
            rows: vec![0; rows],
        };
        // SAFETY: one status per column and per row of the live model.
        let status = unsafe {
            highs_sys::Highs_getBasis(self.ptr(), basis.cols.as_mut_ptr(), basis.rows.as_mut_ptr())
        };
        (status == 0).then_some(basis)
    }

    /// Starts the next LP from `basis`.
    pub fn set_basis(&mut self, basis: &Basis) -> Result<()> {
        // SAFETY: the basis was taken from this model, so it has one status per
        // column and per row.
        let status = unsafe {
            highs_sys::Highs_setBasis(self.ptr(), basis.cols.as_ptr(), basis.rows.as_ptr())
        };
        self.call("take a starting basis", status)
    }

    pub fn rows(&mut self) -> usize {
        // SAFETY: the model is live.
        unsafe { highs_sys::Highs_getNumRow(self.ptr()) as usize }
    }

    /// A new solve's own clock and time limit.
    pub fn restart_clock(&mut self, time_limit_s: f64) {
        self.started = Instant::now();
        self.time_limit_s = time_limit_s;
    }

    /// A starting solution for the next MIP solve.
    pub fn set_start(&mut self, columns: &[f64]) -> Result<()> {
        self.model
            .try_set_solution(Some(columns), None, None, None)
            .map_err(|_| Error::Solver("HiGHS refused the starting solution".into()))
    }

    /// Forgets any starting solution (and the last answer) before the next solve.
    pub fn clear_start(&mut self) -> Result<()> {
        // SAFETY: the model is live; clearing the solver keeps the model itself.
        let status = unsafe { highs_sys::Highs_clearSolver(self.ptr()) };
        self.call("clear its solution", status)
    }

    /// Whether every whole column is a partial-funding indicator: the model names each
    /// indicator, and only those, in its first-basis hint (`Programme::crash`). The
    /// heuristic dives only then (`heuristic::dive`).
    pub fn only_indicators_whole(&self) -> bool {
        !self.integer_cols.is_empty() && self.crash.len() == self.integer_cols.len()
    }

    /// Seconds left of the scenario's time limit.
    pub fn remaining_s(&self) -> f64 {
        (self.time_limit_s - self.started.elapsed().as_secs_f64()).max(0.0)
    }

    /// Solves the model as it now stands, within `time_limit_s` and `gap`.
    ///
    /// HiGHS is run and read through its C interface, so the model stays in the
    /// session whatever the run returns: a run that ends in error (seen on badly scaled
    /// LPs that a dive has made infeasible) is an attempt without a solution, and the
    /// session can go on to its next step. (The `highs` crate's `try_solve` drops the
    /// model on an error.)
    pub fn solve(&mut self, time_limit_s: f64, gap: f64, is_mip: bool) -> Result<Attempt> {
        self.set_option("time_limit", time_limit_s.max(0.01))?;
        self.set_option("mip_rel_gap", gap)?;
        self.fresh = false;
        let ptr = self.ptr();
        // HiGHS' clock runs on across solves of one model; each solve has its own limit.
        // SAFETY: the model is live.
        let run = unsafe {
            highs_sys::Highs_zeroAllClocks(ptr);
            highs_sys::Highs_run(ptr)
        };
        // SAFETY: the model is live.
        let code = unsafe { highs_sys::Highs_getModelStatus(ptr) };
        let status = HighsModelStatus::try_from(code)
            .map_err(|_| Error::Solver(format!("HiGHS ended with an unknown status {code}")))?;
        if run == STATUS_ERROR {
            return Ok(Attempt {
                status: if status == HighsModelStatus::Optimal {
                    HighsModelStatus::SolveError
                } else {
                    status
                },
                has_solution: false,
                objective: f64::NAN,
                bound: f64::NAN,
                gap: f64::INFINITY,
                columns: Vec::new(),
                reduced_costs: Vec::new(),
                row_duals: Vec::new(),
            });
        }
        let has_solution = self.int_info(c"primal_solution_status")
            == Some(i64::from(highs_sys::kHighsSolutionStatusFeasible));
        // SAFETY: the model is live.
        let objective = unsafe { highs_sys::Highs_getObjectiveValue(ptr) };
        let (bound, gap) = if is_mip {
            let g = self.double_info(c"mip_gap").unwrap_or(f64::NAN);
            (
                self.double_info(c"mip_dual_bound").unwrap_or(f64::NAN),
                if g.is_finite() {
                    g.max(0.0)
                } else {
                    f64::INFINITY
                },
            )
        } else {
            (objective, 0.0)
        };
        let rows = self.rows();
        let mut columns = vec![0.0; self.cols];
        let mut reduced_costs = vec![0.0; self.cols];
        let mut row_values = vec![0.0; rows];
        let mut row_duals = vec![0.0; rows];
        // SAFETY: one value per column and per row of the live model.
        unsafe {
            highs_sys::Highs_getSolution(
                ptr,
                columns.as_mut_ptr(),
                reduced_costs.as_mut_ptr(),
                row_values.as_mut_ptr(),
                row_duals.as_mut_ptr(),
            );
        }
        if is_mip {
            reduced_costs.clear();
            row_duals.clear();
        }
        Ok(Attempt {
            status,
            has_solution,
            objective,
            bound,
            gap,
            columns,
            reduced_costs,
            row_duals,
        })
    }

    fn int_info(&mut self, name: &std::ffi::CStr) -> Option<i64> {
        let mut value: highs_sys::HighsInt = -1;
        // SAFETY: the model is live and `name` is NUL-terminated.
        let status =
            unsafe { highs_sys::Highs_getIntInfoValue(self.ptr(), name.as_ptr(), &mut value) };
        (status != STATUS_ERROR).then_some(i64::from(value))
    }

    fn double_info(&mut self, name: &std::ffi::CStr) -> Option<f64> {
        let mut value = f64::NAN;
        // SAFETY: the model is live and `name` is NUL-terminated.
        let status =
            unsafe { highs_sys::Highs_getDoubleInfoValue(self.ptr(), name.as_ptr(), &mut value) };
        (status != STATUS_ERROR).then_some(value)
    }

    /// For each of `rows` (all `<=` rows), the range of its bound over which the last
    /// LP's basis, and so the row's dual, stays optimal: (lowest, highest), either of
    /// which may be infinite. A binding row's range is HiGHS' ranging of its bound; a
    /// row that does not bind (basic) has a dual of 0 for any bound from its activity
    /// up, which HiGHS' ranging does not give (it ranges the activity itself).
    pub fn row_ranges(&mut self, rows: &[usize]) -> Result<Vec<(f64, f64)>> {
        const BASIC: highs_sys::HighsInt = 1;
        let n = self.rows();
        let cols = self.cols;
        let (mut up, mut down) = (vec![0.0; n], vec![0.0; n]);
        let mut activity = vec![0.0; n];
        let mut row_status: Vec<highs_sys::HighsInt> = vec![0; n];
        let mut col_status: Vec<highs_sys::HighsInt> = vec![0; cols];
        let null_f = std::ptr::null_mut::<f64>();
        let null_i = std::ptr::null_mut::<highs_sys::HighsInt>();
        // SAFETY: the model is live; each array holds one value per row (or column) and
        // HiGHS copies nothing into the arrays given as NULL.
        let status = unsafe {
            highs_sys::Highs_getRanging(
                self.ptr(),
                null_f,
                null_f,
                null_i,
                null_i,
                null_f,
                null_f,
                null_i,
                null_i,
                null_f,
                null_f,
                null_i,
                null_i,
                null_f,
                null_f,
                null_i,
                null_i,
                up.as_mut_ptr(),
                null_f,
                null_i,
                null_i,
                down.as_mut_ptr(),
                null_f,
                null_i,
                null_i,
            )
        };
        self.call("range the rows' bounds", status)?;
        // SAFETY: as above.
        let status = unsafe {
            highs_sys::Highs_getSolution(self.ptr(), null_f, null_f, activity.as_mut_ptr(), null_f)
        };
        self.call("give the rows' activities", status)?;
        // SAFETY: as above.
        let status = unsafe {
            highs_sys::Highs_getBasis(self.ptr(), col_status.as_mut_ptr(), row_status.as_mut_ptr())
        };
        self.call("give the basis", status)?;
        Ok(rows
            .iter()
            .map(|&r| {
                if row_status[r] == BASIC {
                    (activity[r], f64::INFINITY)
                } else {
                    (down[r], up[r])
                }
            })
            .collect())
    }

    /// The model's objective, bounds and matrix (by column) as HiGHS holds them.
    pub fn lp_data(&mut self) -> Result<LpData> {
        let rows = self.rows();
        // SAFETY: the model is live.
        let nz = unsafe { highs_sys::Highs_getNumNz(self.ptr()) } as usize;
        let cols = self.cols;
        let mut lp = LpData {
            offset: 0.0,
            cost: vec![0.0; cols],
            col_lower: vec![0.0; cols],
            col_upper: vec![0.0; cols],
            row_lower: vec![0.0; rows],
            row_upper: vec![0.0; rows],
            start: vec![0; cols + 1],
            index: vec![0; nz],
            value: vec![0.0; nz],
        };
        let mut start: Vec<highs_sys::HighsInt> = vec![0; cols + 1];
        let mut index: Vec<highs_sys::HighsInt> = vec![0; nz.max(1)];
        let mut integrality: Vec<highs_sys::HighsInt> = vec![0; cols.max(1)];
        let (mut num_col, mut num_row, mut num_nz, mut sense) = (0, 0, 0, 0);
        lp.value.resize(nz.max(1), 0.0);
        // SAFETY: every array holds one entry per column, row or nonzero of the live
        // model (the matrix by column: format 1), as HiGHS' C interface asks.
        let status = unsafe {
            highs_sys::Highs_getLp(
                self.ptr(),
                1,
                &mut num_col,
                &mut num_row,
                &mut num_nz,
                &mut sense,
                &mut lp.offset,
                lp.cost.as_mut_ptr(),
                lp.col_lower.as_mut_ptr(),
                lp.col_upper.as_mut_ptr(),
                lp.row_lower.as_mut_ptr(),
                lp.row_upper.as_mut_ptr(),
                start.as_mut_ptr(),
                index.as_mut_ptr(),
                lp.value.as_mut_ptr(),
                integrality.as_mut_ptr(),
            )
        };
        self.call("give its model", status)?;
        if num_col as usize != cols || num_row as usize != rows || num_nz as usize != nz {
            return Err(Error::Solver("HiGHS gave a model of another size".into()));
        }
        start[cols] = num_nz;
        lp.start = start.iter().map(|&s| s as usize).collect();
        lp.index = index[..nz].iter().map(|&i| i as usize).collect();
        lp.value.truncate(nz);
        Ok(lp)
    }

    /// Names every column and row, then writes the model as HiGHS holds it now
    /// (`.mps` or `.lp` by the file's extension).
    pub fn export(
        &mut self,
        path: &Path,
        col_names: &[String],
        row_names: &[String],
    ) -> Result<()> {
        let ptr = self.ptr();
        for (kind, names) in [("column", col_names), ("row", row_names)] {
            for (i, name) in unique(names).iter().enumerate() {
                let c = CString::new(name.as_str()).expect("names have no NUL");
                // SAFETY: `i` indexes a live column or row and `c` is NUL-terminated.
                let status = unsafe {
                    if kind == "column" {
                        highs_sys::Highs_passColName(ptr, i as i32, c.as_ptr())
                    } else {
                        highs_sys::Highs_passRowName(ptr, i as i32, c.as_ptr())
                    }
                };
                self.call(&format!("name a {kind}"), status)?;
            }
        }
        let file = CString::new(path.to_string_lossy().as_bytes())
            .map_err(|_| Error::Solver("the model file's path has a NUL byte".into()))?;
        // SAFETY: the model is live and `file` is NUL-terminated.
        let status = unsafe { highs_sys::Highs_writeModel(self.ptr(), file.as_ptr()) };
        self.call(&format!("write the model to {}", path.display()), status)
    }
}

/// Column indices as HiGHS' C interface takes a set of them.
fn index_set(cols: &[usize]) -> Vec<highs_sys::HighsInt> {
    cols.iter().map(|&c| c as highs_sys::HighsInt).collect()
}

/// Names made safe for MPS and LP files (no spaces, at most 200 characters) and unique:
/// a repeated name gets `_2`, `_3`, ….
fn unique(names: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashMap::new();
    names
        .iter()
        .map(|n| {
            let mut base: String = n
                .chars()
                .map(|c| if c.is_ascii_graphic() { c } else { '_' })
                .take(200)
                .collect();
            if base.is_empty() {
                base.push('_');
            }
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                base
            } else {
                format!("{base}_{count}")
            }
        })
        .collect()
}
