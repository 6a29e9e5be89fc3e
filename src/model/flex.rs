//! The budget mechanics in the programme: each bid's choice of start year (phasing),
//! revenue switched to pay capital, and money carried into the next year (annuality),
//! and the budget rows that count them.

use super::builder::Builder;
use super::{Exclusion, Sense};
use crate::domain::{BudgetLine, Dataset};
use crate::scenario::flex::line_index;
use crate::scenario::{FundingMode, Rule, Scenario};
use good_lp::{Expression, Variable};

/// Where the mechanisms' columns are, so the answer can be read back.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlexCols {
    /// Per project, each start shift it may take (whole years late) and its column:
    /// empty for a bid whose start cannot move.
    pub starts: Vec<Vec<(usize, usize)>>,
    /// Per year, the column of revenue switched to pay capital, if any may be.
    pub switched: Vec<Option<usize>>,
    /// Per line (`[capital, revenue]`) and year, the column of money carried out of it.
    pub carried: [Vec<Option<usize>>; 2],
    /// In partial mode, the binary that says which start a bid takes, one per start
    /// column.
    pub start_flags: Vec<usize>,
    /// The objective values a bid the same at every start it may take (benefit,
    /// maturity; not npv, which discounts a late start): among allocations of one value
    /// the solver may then prefer bids starting as bid.
    pub start_neutral: bool,
}

impl FlexCols {
    /// The columns a start may move without changing what is funded: each start's
    /// column and flag, the switches and the carries.
    pub fn movable(&self) -> Vec<usize> {
        let mut cols: Vec<usize> = self
            .starts
            .iter()
            .flatten()
            .map(|&(_, c)| c)
            .chain(self.start_flags.iter().copied())
            .chain(self.switched.iter().flatten().copied())
            .chain(self.carried.iter().flatten().flatten().copied())
            .collect();
        cols.sort_unstable();
        cols
    }

    /// Each late start's column and how many years late it is.
    pub fn late(&self) -> Vec<(usize, f64)> {
        self.starts
            .iter()
            .flatten()
            .filter(|&&(s, _)| s > 0)
            .map(|&(s, c)| (c, s as f64))
            .collect()
    }
}

/// The start columns of a bid whose start may move.
pub(super) struct Starts {
    /// Per project, (shift, variable): empty when its start is fixed.
    pub(super) vars: Vec<Vec<(usize, Variable)>>,
}

/// A column per start a bid may take, `x = Σ z_s`: the funded fraction stays one column,
/// so floors, caps, dependencies, groups and locks keep working on it. In partial mode a
/// binary per start keeps a bid from being split across starts.
///
/// `as_rows` is the search for the rules in conflict, which must be able to drop a
/// bid's latest start: there a bid phasing applies to (its own `may_defer` or
/// `latest_start`, or `[phasing] may_defer`) has a column for every start up to the
/// last the years allow, and a row tagged `Rule::LatestStart` holds the later ones at
/// zero. A bid whose start nothing lets move keeps its start as data, not a rule. Its
/// exclusion is a row there too, so an excluded bid gets its starts as well.
pub(super) fn start_columns(
    b: &mut Builder,
    data: &Dataset,
    scenario: &Scenario,
    x: &[Variable],
    excl: &[Option<Exclusion>],
    cols: &mut FlexCols,
    as_rows: bool,
) -> Starts {
    let partial = scenario.funding == FundingMode::Partial;
    let mut vars = Vec::with_capacity(data.projects.len());
    cols.starts = Vec::with_capacity(data.projects.len());
    for (i, p) in data.projects.iter().enumerate() {
        let allowed = p.max_shift();
        let most = if as_rows && p.may_defer.is_some() {
            p.last_possible_shift()
        } else {
            allowed
        };
        let excluded = excl[i].is_some() && !as_rows;
        if most == 0 || excluded || scenario.held(i) == Some(false) {
            vars.push(Vec::new());
            cols.starts.push(Vec::new());
            continue;
        }
        let mut mine = Vec::new();
        let mut my_cols = Vec::new();
        let mut sum = Expression::default();
        let mut chosen = Expression::default();
        let mut late = Expression::default();
        for s in 0..=most {
            let name = format!("start_{}_plus{s}", p.id);
            let (z, col) = if partial {
                b.add(0.0, 1.0, false, name)
            } else {
                b.add(0.0, 1.0, true, name)
            };
            if partial {
                let (w, flag) = b.add(0.0, 1.0, true, format!("starts_{}_plus{s}", p.id));
                cols.start_flags.push(flag);
                b.link(
                    format!("start_{}_plus{s}_chosen", p.id),
                    z - w,
                    Sense::AtMost,
                    0.0,
                );
                chosen += w;
            }
            sum += z;
            if s > allowed {
                late += z;
            }
            mine.push((s, z));
            my_cols.push((s, col));
        }
        b.link(
            format!("start_{}_sum", p.id),
            x[i] - sum.clone(),
            Sense::AtMost,
            0.0,
        );
        b.link(
            format!("start_{}_sum_", p.id),
            x[i] - sum,
            Sense::AtLeast,
            0.0,
        );
        if partial {
            b.link(format!("start_{}_one", p.id), chosen, Sense::AtMost, 1.0);
        }
        if most > allowed {
            b.push(
                Some(Rule::LatestStart { project: i }),
                late,
                Sense::AtMost,
                0.0,
                1.0,
            );
        }
        vars.push(mine);
        cols.starts.push(my_cols);
    }
    Starts { vars }
}

/// Fund money on `line` in `year`, in units of `money`, with each movable bid's cost at
/// the start it takes.
fn spend(
    data: &Dataset,
    x: &[Variable],
    starts: &Starts,
    line: BudgetLine,
    year: usize,
    money: f64,
) -> Expression {
    let mut e = Expression::default();
    for (i, p) in data.projects.iter().enumerate() {
        if starts.vars[i].is_empty() {
            let c = p.fund_cost(line, year);
            if c > 0.0 {
                e += c / money * x[i];
            }
        } else {
            for &(s, z) in &starts.vars[i] {
                let c = p.fund_cost_at(line, year, s);
                if c > 0.0 {
                    e += c / money * z;
                }
            }
        }
    }
    e
}

/// One row per line and year: fund money spent, plus what is carried out and (revenue)
/// switched away, less what came in from the year before and (capital) switched in, at
/// most the year's budget.
///
/// The caps on carrying and switching are the columns' bounds, except where `as_rows`
/// (the search for the rules in conflict, which must be able to drop them): there every
/// year the scenario's key covers has its column, unbounded above, and a row tagged
/// `Rule::CarryCap` or `Rule::SwitchCap` holds it to the cap. Without the row the
/// budget rows still bound it: nothing is carried or switched that the year lacks.
#[allow(clippy::too_many_arguments)]
pub(super) fn budget_rows(
    b: &mut Builder,
    data: &Dataset,
    scenario: &Scenario,
    x: &[Variable],
    starts: &Starts,
    money: f64,
    cols: &mut FlexCols,
    as_rows: bool,
) {
    let n = scenario.years.len();
    let flex = &scenario.flex;
    let lines = scenario.lines();
    // Carry out of every year but the last (what is left in the last year lapses).
    let mut carried: [Vec<Option<Variable>>; 2] = [vec![None; n], vec![None; n]];
    cols.carried = [vec![None; n], vec![None; n]];
    for &line in &lines {
        let budget = scenario.budget_for(line).expect("line has a budget");
        for y in 0..n.saturating_sub(1) {
            let cap = flex.carry_cap(budget[y]);
            let name = format!("carry_{line}_{}", scenario.years[y].column_suffix());
            if as_rows && flex.carry_forward_max.is_some() {
                let (v, col) = b.add(0.0, f64::INFINITY, false, name);
                let rule = Rule::CarryCap { line, year: y };
                b.push(Some(rule), v.into(), Sense::AtMost, cap / money, 1.0);
                carried[line_index(line)][y] = Some(v);
                cols.carried[line_index(line)][y] = Some(col);
            } else if cap > 0.0 {
                let (v, col) = b.add(0.0, cap / money, false, name);
                carried[line_index(line)][y] = Some(v);
                cols.carried[line_index(line)][y] = Some(col);
            }
        }
    }
    let mut switched: Vec<Option<Variable>> = vec![None; n];
    cols.switched = vec![None; n];
    if let Some(revenue) = scenario.budget_for(BudgetLine::Revenue) {
        if scenario.budget_for(BudgetLine::Capital).is_some() {
            for y in 0..n {
                let cap = flex.switch_cap(revenue[y]);
                let name = format!("switch_{}", scenario.years[y].column_suffix());
                if as_rows && flex.revenue_to_capital_max.is_some() {
                    let (v, col) = b.add(0.0, f64::INFINITY, false, name);
                    let rule = Rule::SwitchCap { year: y };
                    b.push(Some(rule), v.into(), Sense::AtMost, cap / money, 1.0);
                    switched[y] = Some(v);
                    cols.switched[y] = Some(col);
                } else if cap > 0.0 {
                    let (v, col) = b.add(0.0, cap / money, false, name);
                    switched[y] = Some(v);
                    cols.switched[y] = Some(col);
                }
            }
        }
    }
    for &line in &lines {
        let budget = scenario.budget_for(line).expect("line has a budget");
        let l = line_index(line);
        for (year, &amount) in budget.iter().enumerate() {
            let mut lhs = spend(data, x, starts, line, year, money);
            if let Some(out) = carried[l][year] {
                lhs += out;
            }
            if year > 0 {
                if let Some(came_in) = carried[l][year - 1] {
                    lhs -= came_in;
                }
            }
            if let Some(t) = switched[year] {
                match line {
                    BudgetLine::Capital => lhs -= t,
                    BudgetLine::Revenue => lhs += t,
                }
            }
            b.push(
                Some(Rule::Budget { line, year }),
                lhs,
                Sense::AtMost,
                amount / money,
                1.0,
            );
        }
    }
}
