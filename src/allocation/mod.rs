//! Allocation: the solver's answer in domain terms — what each project and
//! footprint gets, why, and how it compares with simpler allocation methods.
//!
//! Every report is written from an `Allocation` alone, so report writers can be
//! tested on fixed allocations without solving anything.

use crate::domain::{BudgetLine, FinancialYear, Money};
use crate::scenario::{Moves, Rule, Scenario, ValueUnit};
use crate::solve::SolveStatus;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ProjectStatus {
    #[serde(rename = "funded")]
    Funded,
    #[serde(rename = "partly funded")]
    PartlyFunded,
    #[serde(rename = "not funded")]
    NotFunded,
    #[serde(rename = "excluded by rule")]
    ExcludedByRule,
}

impl ProjectStatus {
    pub fn label(self) -> &'static str {
        match self {
            ProjectStatus::Funded => "funded",
            ProjectStatus::PartlyFunded => "partly funded",
            ProjectStatus::NotFunded => "not funded",
            ProjectStatus::ExcludedByRule => "excluded by rule",
        }
    }
}

/// One project's outcome. `amounts[l][y]` is the money on budget line `lines[l]` in year `y`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectAllocation {
    pub rank: usize,
    /// Index of the project in the dataset.
    pub project: usize,
    pub project_id: String,
    pub footprint_id: String,
    pub footprint_name: String,
    pub region: String,
    pub title: String,
    pub category: String,
    pub fraction: f64,
    pub amounts: Vec<Vec<Money>>,
    /// Full cost to the fund if funded in full, £k.
    pub cost: Money,
    /// Money allocated, £k.
    pub funded: Money,
    /// Value added at the funded fraction, in `Allocation::value_unit`.
    pub value: f64,
    /// Value per £ of fund money, at full funding (the ranking key).
    pub value_per_pound: f64,
    pub status: ProjectStatus,
    /// Why a project is not fully funded, in words; empty when fully funded.
    pub reason: String,
    /// Whole financial years the bid's start moved (phasing; 0 = as bid). The start
    /// shift to hand to an appraisal of the bid.
    pub start_shift: usize,
    /// The financial year its spending starts in (its first costed year moved by the
    /// shift); `None` for a bid with no cost in the scenario's years.
    pub start_year: Option<FinancialYear>,
    /// The share of the bid's cost paid locally (match funding, 0–1).
    pub match_share: f64,
    /// The local contribution at the share funded, £k: beside `funded` (fund money),
    /// the bid's whole cost at that share.
    pub local: Money,
    /// The bid's whole cost (fund and local money) if funded in full, £k.
    pub whole_cost: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FootprintAllocation {
    pub footprint_id: String,
    pub name: String,
    pub region: String,
    pub population: f64,
    pub funded: Money,
    /// £ (not £k) per head of population, or of weighted population when the scenario
    /// shares fairly by it.
    pub per_head: f64,
    /// The footprint's share of the whole fund on the scenario's fair-share basis, £k.
    pub fair_share: Money,
    /// funded ÷ fair share (1.0 = exactly its population share).
    pub share_of_fair_share: f64,
    pub readiness: f64,
    pub infrastructure: f64,
    pub capabilities_before: f64,
    /// Capabilities after the funded projects (uplift × fraction), capped at 100.
    pub capabilities_after: f64,
    pub projects_funded: usize,
}

/// Money used against one budget line in one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BudgetUse {
    pub year: FinancialYear,
    pub line: BudgetLine,
    pub budget: Money,
    pub used: Money,
}

/// How close the allocation is to one scenario rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleUse {
    #[serde(skip)]
    pub rule: Rule,
    /// The rule in words, e.g. "capital budget 2017/18" or "cap for footprint E54000027".
    pub name: String,
    pub limit: f64,
    pub used: f64,
    /// How far the allocation is from the limit, on the side the rule allows: what is
    /// left under a budget, cap or maximum; what is above a floor or minimum.
    pub headroom: f64,
    /// True when the rule stops the allocation from doing better: it stops a bid that
    /// would add value, or (a floor) it forces money to a footprint.
    pub binding: bool,
}

/// A simpler way of sharing out the same budget, which a Treasury reader will ask about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A capitation formula: each footprint its fair share of every budget.
    FairShare,
    /// The same formula, with the fair shares left unspent passed on in value-per-£ order.
    FairShareReallocated,
    /// A panel's ranking: bids in value-per-£ order while the money lasts.
    Greedy,
}

impl Method {
    /// Its name in every report.
    pub fn name(self) -> &'static str {
        match self {
            Method::FairShare => "Fair-share formula",
            Method::FairShareReallocated => "Fair-share formula with reallocation",
            Method::Greedy => "Greedy ranking by value per £",
        }
    }

    /// What it does, in a sentence for the reader.
    pub fn description(self) -> &'static str {
        match self {
            Method::FairShare => "Fair-share formula: each footprint gets its fair share of every year's budget and funds its own bids in value-per-£ order; money it cannot use stays unspent",
            Method::FairShareReallocated => "Fair-share formula with reallocation: the formula first, then the fair shares left unspent pooled and passed on to the bids not yet funded in value-per-£ order, so it spends like the optimiser",
            Method::Greedy => "Greedy ranking: all bids in value-per-£ order, funded down the list while each year's money lasts (a panel's ranking; it ignores floors and category shares)",
        }
    }
}

/// Another way of sharing out the same budget, for the Treasury comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub method: Method,
    pub value: f64,
    pub spent: Money,
    pub projects_funded: usize,
    /// Funded fraction per project, aligned with `Allocation::projects`.
    pub fractions: Vec<f64>,
}

/// What the solver proved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SolverReport {
    pub status: SolveStatus,
    pub objective: f64,
    /// Best proven bound on the objective (equal to it when optimal).
    pub bound: f64,
    /// Relative gap between objective and bound reached.
    pub gap: f64,
    pub requested_gap: f64,
    pub time_limit_s: f64,
    /// The value of techfund's heuristic allocation, found before HiGHS' branch and
    /// bound and handed to it as a start; `None` when there was none (an LP, or
    /// `[solver] heuristic = false`).
    pub heuristic: Option<f64>,
    pub highs_version: String,
    pub variables: usize,
    pub constraints: usize,
    pub integer_variables: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Allocation {
    pub scenario: Scenario,
    pub years: Vec<FinancialYear>,
    /// Budget lines the fund pays, in the order of `ProjectAllocation::amounts`.
    pub lines: Vec<BudgetLine>,
    pub value_unit: ValueUnit,
    pub solver: SolverReport,
    /// Ranked: funded first by value per £, then the rest by value per £.
    pub projects: Vec<ProjectAllocation>,
    pub footprints: Vec<FootprintAllocation>,
    pub budget_use: Vec<BudgetUse>,
    pub rule_use: Vec<RuleUse>,
    pub comparisons: Vec<Comparison>,
    pub total_value: f64,
    pub total_funded: Money,
    /// Bids that require each other round a circle, so are funded together or not at
    /// all: each bundle's project ids and the share funded (the same for every member).
    pub bundles: Vec<Bundle>,
    /// The value of one more and one less £1m in each year and budget line, when the
    /// run was asked for it (`run --marginal-values`); empty otherwise.
    pub marginal_values: Vec<MarginalValue>,
    /// Revenue switched to capital and money carried forward, per year.
    pub moves: Moves,
    /// Some bid's start may move (phasing is in use): allocation.csv gains `start_year`.
    pub phasing: bool,
    /// Some bid is match funded: reports show fund and local money.
    pub matching: bool,
    /// Near-optimal alternatives, when the scenario asks for them (`[alternatives]`).
    pub alternatives: Option<alternatives::Alternatives>,
    /// The robustness run's findings, when the scenario has `[uncertainty]`.
    pub robustness: Option<robustness::Robustness>,
    /// The Green Book appraisal, when the scenario appraises (`[appraisal]`, the npv
    /// objective or `min_bcr`).
    pub appraisal: Option<crate::appraisal::Appraisal>,
    /// What each rule of the scenario costs, when the run was asked for it
    /// (`run --rule-prices`); empty otherwise.
    pub rule_prices: Vec<prices::RulePrice>,
    /// The optimum at each level of the footprint floor, when the run was asked for it
    /// (`run --fairness-frontier`); empty otherwise.
    pub fairness_frontier: Vec<prices::FrontierPoint>,
}

/// What £1m more, and £1m less, in one year's budget line is worth: each an exact
/// re-solve of the whole scenario with that one budget changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarginalValue {
    pub year: FinancialYear,
    pub line: BudgetLine,
    /// The value gained with £1m more: (figure, low, high) as the proven bounds allow,
    /// or why there is none.
    pub next: std::result::Result<(f64, f64, f64), String>,
    /// The value lost with £1m less.
    pub last: std::result::Result<(f64, f64, f64), String>,
    /// In partial mode when the programme is an LP, the dual value of this budget and
    /// the range over which it holds; otherwise why there is none (a MIP has no
    /// meaningful duals).
    pub dual: std::result::Result<BudgetDual, String>,
    /// The weakest status and the largest gap of the two re-solves.
    pub status: SolveStatus,
    pub gap: f64,
}

/// Bids funded together or not at all, because they require each other.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bundle {
    pub projects: Vec<String>,
    pub fraction: f64,
}

pub mod alternatives;
mod compare;
pub mod cuts;
pub mod explain;
pub mod frontier;
mod moves;
pub mod prices;
mod reasons;
pub mod robustness;
mod rows;
pub mod target;
pub mod usage;
pub mod value;

pub use compare::{fair_share, fair_share_reallocated, greedy, panel_order};

use crate::domain::Dataset;
use crate::error::{Error, Result};
use crate::scenario::FundingMode;
use crate::solve::Solved;
use usage::Usage;

/// The size of the programme that was solved, for the report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProgrammeSize {
    pub variables: usize,
    pub constraints: usize,
    pub integer_variables: usize,
}

/// One solve's answer in domain terms, checked against every rule: what each project
/// gets and what the solver proved. Sweeps and target solves stop here; a run builds
/// the full [`Allocation`] from it.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// Funded fraction per project, in dataset order.
    pub fractions: Vec<f64>,
    pub status: SolveStatus,
    /// The allocation's value, recomputed in plain Rust, in the scenario's value unit.
    pub value: f64,
    /// The solver's own objective, in the same unit (equal to `value` within 1e-6).
    pub objective: f64,
    /// Best proven bound on the value.
    pub bound: f64,
    pub gap: f64,
    pub size: ProgrammeSize,
    /// The heuristic's value, when it found an allocation (see `solve`), in the same unit.
    pub heuristic: Option<f64>,
    /// The solver's columns, to start a neighbouring solve (a budget £1m larger, say)
    /// from this answer.
    pub columns: Vec<f64>,
    /// The column of each project's funded fraction, so a neighbouring solve's start can
    /// be this answer with a bid taken out or put in.
    pub fraction_col: Vec<usize>,
    /// Per project, the whole financial years its start moved (0 = as bid; phasing).
    pub starts: Vec<usize>,
    /// Revenue switched to capital and money carried forward, per year.
    pub moves: Moves,
    /// An LP's dual value of each budget line in each year, with the range of that
    /// budget over which it holds; empty for a MIP.
    pub budget_duals: Vec<(Rule, BudgetDual)>,
}

/// What one more £1m of a budget is worth by the LP's dual value, and the range of
/// that budget (£k) over which the dual holds: the rate is exact inside it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BudgetDual {
    /// Value per £1m more of the budget (in the allocation's value unit); never below 0
    /// for a budget, since more money never lowers the best value.
    pub per_1m: f64,
    /// The budget, £k, from which and to which the dual value holds (either may be
    /// infinite).
    pub from: Money,
    pub to: Money,
}

/// What other solves of the same scenario say about this one's answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counterfactuals {
    /// Money each footprint gets in the optimum without footprint floors: a floor binds
    /// where it is more than that.
    pub footprint_spend_without_floors: Option<Vec<Money>>,
    /// The same for each region rule, aligned with the scenario's `[[rules.region]]`.
    pub region_spend_without_floors: Option<Vec<Money>>,
}

/// Money allocated to each footprint, £k.
pub fn footprint_spend(data: &Dataset, scenario: &Scenario, fractions: &[f64]) -> Vec<Money> {
    let lines = scenario.lines();
    let mut spend = vec![0.0; data.footprints.len()];
    for (p, &f) in data.projects.iter().zip(fractions) {
        spend[p.footprint] += p.fund_cost_on(&lines) * f;
    }
    spend
}

/// Money allocated to the footprints of each `[[rules.region]]`, £k, in its order.
pub fn region_spend(data: &Dataset, scenario: &Scenario, fractions: &[f64]) -> Vec<Money> {
    Usage::of(data, scenario, fractions).region
}

/// Funded fractions read from the solver's columns. Whole bids are snapped to exactly
/// 0 or 1. A share is kept as the solver found it (rounding it would move money by more
/// than the solver's tolerance on a costly bid) unless what separates it from 0 or 1 is
/// below a billionth of the bid, or below a hundredth of a penny of money: residue that
/// no report could show.
pub fn fractions_from(
    data: &Dataset,
    scenario: &Scenario,
    columns: &[f64],
    fraction_col: &[usize],
) -> Vec<f64> {
    let lines = scenario.lines();
    let noise = |share: f64, cost: f64| share < 1e-9 || (share < 1e-6 && share * cost < 1e-7);
    fraction_col
        .iter()
        .zip(&data.projects)
        .map(|(&c, p)| {
            // Adding 0.0 turns the solver's -0.0 into 0.0, so no report shows "-0".
            let v = columns[c].clamp(0.0, 1.0) + 0.0;
            let cost = p.fund_cost_on(&lines);
            match scenario.funding {
                FundingMode::AllOrNothing => v.round(),
                FundingMode::Partial if noise(v, cost) => 0.0,
                FundingMode::Partial if noise(1.0 - v, cost) => 1.0,
                FundingMode::Partial => v,
            }
        })
        .collect()
}

/// Each bid's start shift and the money moved between lines and years, read from the
/// solver's columns (see `model::FlexCols`), money in the programme's unit `money` (a
/// re-solve on a kept model counts in its base's unit, not the scenario's own). A bid
/// not funded starts as bid; money below a thousandth of a penny is the solver's
/// residue and reads as none.
pub fn flex_from(
    data: &Dataset,
    scenario: &Scenario,
    columns: &[f64],
    fractions: &[f64],
    cols: &crate::model::FlexCols,
    money: f64,
) -> (Vec<usize>, Moves) {
    let n = scenario.years.len();
    let starts = (0..data.projects.len())
        .map(|p| {
            let options = cols.starts.get(p).map(Vec::as_slice).unwrap_or(&[]);
            if fractions[p] == 0.0 || options.is_empty() {
                return 0;
            }
            // The start the solver put the bid at: the largest share (the earliest on a tie).
            let mut best = (0, f64::NEG_INFINITY);
            for &(s, c) in options {
                if columns[c] > best.1 + 1e-9 {
                    best = (s, columns[c]);
                }
            }
            best.0
        })
        .collect();
    let read = |c: &Option<usize>| {
        c.map_or(0.0, |c| {
            let v = columns[c].max(0.0) * money;
            if v < 1e-5 {
                0.0
            } else {
                v
            }
        })
    };
    let mut moves = Moves::none(n);
    for (y, c) in cols.switched.iter().enumerate().take(n) {
        moves.switched[y] = read(c);
    }
    for l in 0..2 {
        for (y, c) in cols.carried[l].iter().enumerate().take(n) {
            moves.carried[l][y] = read(c);
        }
    }
    (starts, moves)
}

/// Checks an allocation, every bid starting as bid, against every rule of the
/// scenario, in plain Rust and independently of the solver. Returns the broken rules in words; empty when the
/// allocation keeps every rule.
pub fn check(data: &Dataset, scenario: &Scenario, fractions: &[f64]) -> Vec<String> {
    let mut broken = Usage::of(data, scenario, fractions).violations();
    broken.extend(cuts::violations(data, scenario, fractions, &[], false));
    broken
}

/// As `check_exact`, for an allocation whose bids may start late and whose budgets move.
pub fn check_flexed_exact(
    data: &Dataset,
    scenario: &Scenario,
    fractions: &[f64],
    starts: &[usize],
    moves: &Moves,
) -> Vec<String> {
    let mut broken = Usage::of_plan(data, scenario, fractions, starts, moves).exact_violations();
    broken.extend(cuts::violations(data, scenario, fractions, starts, true));
    broken
}

/// As `check`, for an allocation whose bids may start late and whose budgets may move
/// (phasing, switches, carry-forward): every budget is checked with the money moved in
/// and out of it, and every move and start against what the scenario allows; the cuts
/// of a re-solve too (an alternative's value counts each bid from its start).
pub fn check_flexed(
    data: &Dataset,
    scenario: &Scenario,
    fractions: &[f64],
    starts: &[usize],
    moves: &Moves,
) -> Vec<String> {
    let mut broken = Usage::of_plan(data, scenario, fractions, starts, moves).violations();
    broken.extend(cuts::violations(data, scenario, fractions, starts, false));
    broken
}

/// The same check with no slack for rounding. An allocation that passes `check` but not
/// this sits on a limit within the check's tolerance, where the solver (stricter than
/// the check) may find no allocation at all: tests use it to tell such edges apart.
pub fn check_exact(data: &Dataset, scenario: &Scenario, fractions: &[f64]) -> Vec<String> {
    let mut broken = Usage::of(data, scenario, fractions).exact_violations();
    broken.extend(cuts::violations(data, scenario, fractions, &[], true));
    broken
}

/// The allocation's own value against what the solver proved, like with like. Before
/// optimality is proven the solver's objective can undercount (a footprint's capability
/// gain is a variable that may sit below what the funded bids give), so the allocation
/// must be worth at least the solver's objective, and no more than the proven bound.
fn objective_check(ours: f64, theirs: f64, bound: f64) -> Option<String> {
    let tol = |x: f64| 1e-6 * x.abs().max(ours.abs()).max(1.0);
    if ours < theirs - tol(theirs) {
        Some(format!(
            "the allocation is worth {ours}, less than the solver's objective {theirs}"
        ))
    } else if bound.is_finite() && ours > bound + 10.0 * tol(bound) {
        // The bound is proven to the solver's own tolerances, so it gets ten times the
        // slack a sum of money does.
        Some(format!(
            "the allocation is worth {ours}, more than the solver's proven bound {bound}"
        ))
    } else {
        None
    }
}

/// The LP's budget duals in domain terms: value per £1m, budgets in £k.
fn budget_duals(scenario: &Scenario, solved: &Solved) -> Vec<(Rule, BudgetDual)> {
    let money = crate::model::money_scale(scenario);
    // The objective is linear in the programme's value, so one unit of it is worth this.
    let unit = value::from_solver(scenario, 1.0);
    solved
        .budget_duals
        .iter()
        .map(|(rule, d)| {
            (
                rule.clone(),
                BudgetDual {
                    per_1m: d.dual * unit / money * 1000.0,
                    from: d.low * money,
                    to: d.high * money,
                },
            )
        })
        .collect()
}

/// The solver's answer in domain terms, after the independent check. Refuses (with
/// `Error::RuleBroken`) an answer that breaks any rule.
pub fn solution(
    data: &Dataset,
    scenario: &Scenario,
    size: ProgrammeSize,
    fraction_col: &[usize],
    flex_cols: &crate::model::FlexCols,
    solved: &Solved,
    money: f64,
) -> Result<Solution> {
    let fractions = fractions_from(data, scenario, &solved.columns, fraction_col);
    let (starts, moves) = flex_from(
        data,
        scenario,
        &solved.columns,
        &fractions,
        flex_cols,
        money,
    );
    // The npv objective values each bid from the start the solver gave it.
    let value = value::total(data, scenario, &fractions, &starts);
    let from_solver = |v: f64| value::from_solver_in(scenario, money, v);
    let objective = from_solver(solved.objective);
    let bound = from_solver(solved.bound);
    let mut broken = check_flexed(data, scenario, &fractions, &starts, &moves);
    broken.extend(objective_check(value, objective, bound));
    if !broken.is_empty() {
        return Err(Error::RuleBroken(broken));
    }
    // Where the allocation is worth more than the solver counted, the gap to the
    // proven bound is smaller than the solver's.
    let gap = if value > objective + 1e-9 * value.abs().max(1.0) && bound.is_finite() {
        ((bound - value) / value.abs().max(1e-9)).max(0.0)
    } else {
        solved.gap
    };
    Ok(Solution {
        value,
        objective,
        fractions,
        status: solved.status,
        // A bound a hair below the value it bounds is the solver's rounding.
        bound: if bound.is_finite() {
            bound.max(value)
        } else {
            bound
        },
        gap,
        size,
        heuristic: solved.heuristic.map(from_solver),
        columns: solved.columns.clone(),
        fraction_col: fraction_col.to_vec(),
        starts,
        moves,
        budget_duals: budget_duals(scenario, solved),
    })
}

/// Per project, the rules of the scenario it runs into in this allocation (empty when
/// fully funded, excluded by rule, or when it fits but was not chosen): what its
/// reason names, as rules.
pub fn collisions(data: &Dataset, scenario: &Scenario, solution: &Solution) -> Vec<Vec<Rule>> {
    let usage = Usage::of_plan(
        data,
        scenario,
        &solution.fractions,
        &solution.starts,
        &solution.moves,
    );
    let total = value::total(data, scenario, &solution.fractions, &solution.starts);
    reasons::Reasons::of(&usage, total, solution.gap).rules
}

/// The full answer a report is written from: every project and footprint, why each bid
/// is not fully funded, how close every rule is, and the simpler methods on the same
/// budget. Pure: the same solution gives the same allocation.
pub fn assemble(
    data: &Dataset,
    scenario: &Scenario,
    solution: &Solution,
    counterfactuals: &Counterfactuals,
) -> Allocation {
    let fractions = &solution.fractions;
    let usage = Usage::of_plan(data, scenario, fractions, &solution.starts, &solution.moves);
    let values = value::per_project(data, scenario, fractions, &solution.starts);
    let total_value: f64 = values.iter().sum();
    let reasons = reasons::Reasons::of(&usage, total_value, solution.gap);
    let projects = rows::projects(&usage, &values, reasons.text);
    let comparisons = compare::comparisons(data, scenario, &projects);
    let appraisal = scenario.appraises().then(|| {
        let order: Vec<usize> = projects.iter().map(|p| p.project).collect();
        crate::appraisal::portfolio::of(data, scenario, fractions, &solution.starts, &order)
    });
    Allocation {
        scenario: scenario.clone(),
        years: scenario.years.clone(),
        lines: scenario.lines(),
        value_unit: scenario.objective.value_unit(),
        solver: SolverReport {
            status: solution.status,
            objective: solution.objective,
            bound: solution.bound,
            gap: solution.gap,
            requested_gap: scenario.solver.mip_gap,
            time_limit_s: scenario.solver.time_limit_s,
            heuristic: solution.heuristic,
            highs_version: crate::solve::highs_version(),
            variables: solution.size.variables,
            constraints: solution.size.constraints,
            integer_variables: solution.size.integer_variables,
        },
        footprints: rows::footprints(&usage),
        budget_use: rows::budget_use(&usage),
        rule_use: rows::rule_use(&usage, &reasons.stops, counterfactuals),
        comparisons,
        total_value,
        total_funded: usage.total,
        bundles: crate::dataset::bundles::bundles(&data.projects)
            .into_iter()
            .map(|members| Bundle {
                fraction: fractions[members[0]],
                projects: members
                    .iter()
                    .map(|&p| data.projects[p].id.clone())
                    .collect(),
            })
            .collect(),
        projects,
        marginal_values: Vec::new(),
        moves: solution.moves.clone(),
        phasing: data.projects.iter().any(|p| p.max_shift() > 0),
        matching: data.projects.iter().any(|p| p.match_share > 0.0),
        alternatives: None,
        robustness: None,
        appraisal,
        rule_prices: Vec::new(),
        fairness_frontier: Vec::new(),
    }
}

impl Allocation {
    /// Local contributions to the funded bids, £k.
    pub fn total_local(&self) -> Money {
        self.projects.iter().map(|p| p.local).sum()
    }
}

#[cfg(test)]
mod tests;
