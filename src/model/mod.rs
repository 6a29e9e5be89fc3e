//! Model: dataset × scenario → a linear or mixed-integer programme. Pure: nothing
//! here solves anything.
//!
//! Variables: for each project its funded fraction `x` (binary in all-or-nothing
//! mode); in partial mode a binary "is funded" indicator `y` for a bid with a minimum
//! share; for the maturity objective, each footprint's capability gain `g`, capped so
//! no score passes 100.
//!
//! Every constraint carries the `Rule` it enforces, so the answer can say which
//! rules bind and, in the elastic variant, which rules make a scenario infeasible.

use crate::domain::{Dataset, Money, Project};
use crate::error::InputError;
use crate::scenario::{NeedPolicy, ObjectiveKind, Rule, Scenario};
use builder::Builder;
use columns::{check_must_fund, project_columns};
use good_lp::{Constraint, Expression, ProblemVariables, Variable};
use rules::{category_rows, logic_rows, region_rows};

pub use eligibility::{describe_exclusion, exclusions, must_fund};
pub use flex::FlexCols;
pub use limits::{
    cap_limit, effective_floor, fair_share, floor_limit, footprint_cap, region_limits, RegionLimit,
};

mod builder;
mod columns;
mod cuts;
mod eligibility;
mod flex;
mod limits;
mod pricing;
mod rules;
pub mod target;

/// Why a project cannot be funded whatever the budget.
#[derive(Clone, Debug, PartialEq)]
pub enum Exclusion {
    NeverFund,
    /// Named in the scenario's `[rules] lock_out`.
    LockedOut,
    BelowHurdle {
        ratio: f64,
        hurdle: f64,
    },
    /// Its Green Book BCR is below `[rules] min_bcr`.
    BelowBcr {
        bcr: f64,
        hurdle: f64,
    },
    SpendsOutsideYears {
        cost: Money,
    },
    RequiresExcluded {
        prerequisite: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    AtMost,
    AtLeast,
}

pub struct Row {
    /// The scenario rule the row enforces; `None` for rows that only link the model's
    /// own variables (partial-funding indicators, maturity ceilings).
    pub rule: Option<Rule>,
    /// A name for exported models: the rule's key, or what the row links.
    pub name: String,
    /// The scenario's cut (index into `Scenario::cuts`) the row adds, for a re-solve
    /// looking for a near-optimal alternative; `None` for the model's own rows.
    pub cut: Option<usize>,
    pub constraint: Constraint,
    /// The row's bounds as HiGHS holds them (one of them infinite).
    pub lower: f64,
    pub upper: f64,
}

/// The programme, ready for the solver adapter.
pub struct Programme {
    pub vars: ProblemVariables,
    pub objective: Expression,
    /// Maximise (the allocation) or minimise (the elastic model's total violation).
    pub maximise: bool,
    pub rows: Vec<Row>,
    /// Column index of each project's funded fraction.
    pub fraction_col: Vec<usize>,
    /// Columns of the budget mechanics: start choices, switches, carry-forward.
    pub flex_cols: FlexCols,
    /// A name per column, for exported models.
    pub col_names: Vec<String>,
    /// Column of each elastic slack and the rule it relaxes (elastic model only).
    pub slack_cols: Vec<(usize, Rule)>,
    pub columns: usize,
    /// The columns that must take whole values.
    pub integer_cols: Vec<usize>,
    pub exclusions: Vec<Option<Exclusion>>,
    /// Each column's bounds as built.
    pub col_lower: Vec<f64>,
    pub col_upper: Vec<f64>,
    /// A fingerprint of everything but the bounds (columns, integrality, every row's
    /// terms and sense, the objective, the money unit), when asked for: two programmes
    /// with the same fingerprint differ only in bounds, so one HiGHS model can be
    /// turned from one into the other (see `solve::Kept`).
    pub structure: Option<u64>,
    /// The money unit the programme counts in, £k (see `money_scale`).
    pub money: f64,
    /// Columns of bids the LP relaxation will almost surely leave unfunded, which the
    /// solver may hold at zero in a first LP and then price back in (see `pricing`).
    /// Only a hint: the answer is the same without it.
    pub set_aside: Vec<usize>,
    /// (column, row) pairs: a good first basis for the LP relaxation has the column
    /// basic in place of the row's slack (each partial-funding indicator equal to its
    /// bid's share). Only a hint, like `set_aside`; it names every indicator, so the
    /// solver also reads it to tell whether all whole columns are indicators.
    pub crash: Vec<(usize, usize)>,
}

/// Per-footprint need weight for the maturity objective.
pub fn need_weight(policy: NeedPolicy, f: &crate::domain::Footprint) -> f64 {
    match policy {
        NeedPolicy::LeastMatureFirst => (100.0 - f.maturity.capabilities) / 100.0,
        NeedPolicy::ReadinessLed => f.maturity.readiness / 100.0,
        NeedPolicy::Neutral => 1.0,
    }
}

/// The unit of money inside the programme, £k: about one year's budget on one line. The
/// solver's tolerances are absolute on the numbers it sees, so money rows in £k, with
/// budgets in the hundreds of millions and bids of pounds, would be badly scaled and
/// could be solved wrong; in this unit budgets are near 1.
pub fn money_scale(scenario: &Scenario) -> f64 {
    let cells = scenario
        .budget
        .iter()
        .map(|(_, v)| v.len())
        .sum::<usize>()
        .max(1);
    (scenario.total_budget() / cells as f64).max(1.0)
}

/// Maturity value is in need-weighted person-points (one person's footprint gaining one
/// capability point); the programme works in millions of them to keep coefficients near 1.
pub const MATURITY_SCALE: f64 = 1e6;

/// Which rules a programme lets be broken at a price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Relax {
    /// None: the allocation programme, with must-fund bids as bounds.
    Nothing,
    /// Every relaxable rule: the elastic programme.
    Every,
    /// Only these (none, for a pure feasibility programme). Must-fund and lock-in are
    /// rows tagged with their rule, as in the elastic programme, so that a search for
    /// the rules in conflict can drop them like any other rule; so are a bid's own
    /// exclusion, the caps on switching and carrying money, and a bid's latest start,
    /// which the other programmes hold as column bounds.
    Only(std::collections::BTreeSet<Rule>),
}

impl Relax {
    /// True when `rule` gets an elastic slack.
    pub fn covers(&self, rule: &Rule) -> bool {
        match self {
            Relax::Nothing => false,
            Relax::Every => true,
            Relax::Only(rules) => rules.contains(rule),
        }
    }
}

/// Builds the allocation programme.
pub fn build(data: &Dataset, scenario: &Scenario) -> Result<Programme, InputError> {
    build_relaxing(data, scenario, &Relax::Nothing)
}

/// Builds the allocation programme in a given money unit (a neighbouring scenario's),
/// with the fingerprint of its structure, for re-solves on one kept HiGHS model.
pub fn build_in_unit(
    data: &Dataset,
    scenario: &Scenario,
    money: f64,
) -> Result<Programme, InputError> {
    build_in(data, scenario, &Relax::Nothing, Some(money))
}

/// Builds the elastic programme: every rule may be broken at a price of one per £k
/// (or per project for must-fund), and the objective is the least total violation.
/// Its answer says which rules an infeasible scenario cannot meet, and by how much.
pub fn build_elastic(data: &Dataset, scenario: &Scenario) -> Result<Programme, InputError> {
    build_relaxing(data, scenario, &Relax::Every)
}

/// Builds the programme with the rules `relax` names breakable at a price, and the
/// least total violation as the objective (zero, with `Relax::Only` of no rule: a
/// feasibility programme). `Relax::Nothing` is the allocation programme.
pub fn build_relaxing(
    data: &Dataset,
    scenario: &Scenario,
    relax: &Relax,
) -> Result<Programme, InputError> {
    build_in(data, scenario, relax, None)
}

/// As `build_relaxing`, in the money unit `unit` when given, with the fingerprint of
/// the programme's structure.
fn build_in(
    data: &Dataset,
    scenario: &Scenario,
    relax: &Relax,
    unit: Option<f64>,
) -> Result<Programme, InputError> {
    let elastic = *relax != Relax::Nothing;
    let excl = exclusions(data, scenario);
    check_must_fund(data, scenario, &excl)?;
    let lines = scenario.lines();
    let mut b = Builder::new(data, scenario, relax);
    if unit.is_some() {
        b = b.fingerprinted();
    }

    // The search for the rules in conflict must be able to drop any rule, so there the
    // rules the allocation model holds as bounds (a bid's exclusion, the mechanisms'
    // caps, a bid's latest start) are tagged rows. The elastic model keeps them as
    // bounds: its answer is the least change in money, and a cap traded against a
    // budget pound for pound would make that answer arbitrary between the two.
    let exclusions_as_rows = matches!(relax, Relax::Only(_));
    let (x, fraction_col) =
        project_columns(&mut b, data, scenario, &excl, elastic, exclusions_as_rows);

    // Money rows are in units of `money`, not £k (see `money_scale`).
    let money = unit.unwrap_or_else(|| money_scale(scenario));
    let fund_cost = |p: &Project| p.fund_cost_on(&lines) / money;

    let mut flex_cols = FlexCols {
        start_neutral: scenario.objective != ObjectiveKind::Npv,
        ..FlexCols::default()
    };
    let as_rows = exclusions_as_rows;
    let starts = flex::start_columns(&mut b, data, scenario, &x, &excl, &mut flex_cols, as_rows);
    flex::budget_rows(
        &mut b,
        data,
        scenario,
        &x,
        &starts,
        money,
        &mut flex_cols,
        as_rows,
    );

    for f in 0..data.footprints.len() {
        let floor = effective_floor(data, scenario, f, &excl).filter(|&a| a > 0.0);
        let cap = footprint_cap(data, scenario, f);
        if floor.is_none() && cap.is_none() {
            continue;
        }
        let spend = footprint_spend(data, &x, f, &fund_cost);
        if let Some(floor) = floor {
            b.push(
                Some(Rule::FootprintFloor { footprint: f }),
                spend.clone(),
                Sense::AtLeast,
                floor / money,
                1.0,
            );
        }
        if let Some(cap) = cap {
            b.push(
                Some(Rule::FootprintCap { footprint: f }),
                spend,
                Sense::AtMost,
                cap / money,
                1.0,
            );
        }
    }

    region_rows(&mut b, data, scenario, &x, &excl);
    category_rows(&mut b, data, scenario, &x);

    logic_rows(&mut b, data, &x);

    let objective = match scenario.objective {
        ObjectiveKind::Benefit => data
            .projects
            .iter()
            .zip(&x)
            .map(|(p, &xi)| p.benefit / money * xi)
            .sum(),
        ObjectiveKind::Npv => npv_objective(data, scenario, &x, &starts, money),
        ObjectiveKind::Maturity => {
            let mut total = Expression::default();
            for (f, fp) in data.footprints.iter().enumerate() {
                let headroom = (100.0 - fp.maturity.capabilities).max(0.0);
                let (g, _) = b.add(0.0, headroom, false, format!("gain_{}", fp.id));
                let uplift = uplift_in(data, &x, f);
                b.link(format!("gain_{}", fp.id), g - uplift, Sense::AtMost, 0.0);
                total += need_weight(scenario.need, fp) * fp.population / MATURITY_SCALE * g;
            }
            total
        }
    };

    // The cuts ask a question of the allocation model; the elastic model explains the
    // scenario's own rules, so it carries none.
    if !elastic {
        cuts::cut_rows(&mut b, data, scenario, &x, &excl, &objective, money);
    }

    let (objective, maximise) = if elastic {
        (std::mem::take(&mut b.slack_total), false)
    } else {
        (objective, true)
    };
    let mut programme = b.finish(objective, maximise, fraction_col, excl, money);
    programme.flex_cols = flex_cols;
    if !elastic {
        programme.set_aside = pricing::set_aside(
            data,
            scenario,
            &programme.fraction_col,
            &programme.col_lower,
        );
    }
    Ok(programme)
}

/// The portfolio's NPSV in units of `money`: a bid whose start is fixed is worth its
/// NPSV as bid on its fraction; a bid whose start may move is worth, on each start's
/// column, its whole profile discounted from that start (phasing), so the model weighs
/// a later start's lower (or, where the appraisal period cuts costs off, higher) value
/// against the budgets it frees.
fn npv_objective(
    data: &Dataset,
    scenario: &Scenario,
    x: &[Variable],
    starts: &flex::Starts,
    money: f64,
) -> Expression {
    let settings = scenario.appraisal_settings();
    let lines = scenario.lines();
    let npsv = |p: &Project, shift: usize| {
        crate::appraisal::appraise(p, &data.years, &lines, &settings, shift as u32).npsv()
    };
    let mut total = Expression::default();
    for (i, p) in data.projects.iter().enumerate() {
        let at = &starts.vars[i];
        if at.is_empty() {
            let v = npsv(p, 0);
            if v != 0.0 {
                total += v / money * x[i];
            }
        } else {
            for &(s, z) in at {
                let v = npsv(p, s);
                if v != 0.0 {
                    total += v / money * z;
                }
            }
        }
    }
    total
}

/// Money allocated to one footprint, in the programme's unit.
fn footprint_spend(
    data: &Dataset,
    x: &[Variable],
    footprint: usize,
    fund_cost: &dyn Fn(&Project) -> f64,
) -> Expression {
    data.projects
        .iter()
        .zip(x)
        .filter(|(p, _)| p.footprint == footprint)
        .map(|(p, &xi)| fund_cost(p) * xi)
        .sum()
}

/// Capability points a footprint gains from its funded projects, before the cap at 100.
fn uplift_in(data: &Dataset, x: &[Variable], footprint: usize) -> Expression {
    data.projects
        .iter()
        .zip(x)
        .filter(|(p, _)| p.footprint == footprint && p.maturity_uplift > 0.0)
        .map(|(p, &xi)| p.maturity_uplift * xi)
        .sum()
}

/// Fund money on one budget line in one year with every bid starting as bid, in units
/// of `money` £k (the target programme, which moves no start).
fn spend_in(
    data: &Dataset,
    x: &[Variable],
    line: crate::domain::BudgetLine,
    year: usize,
    money: f64,
) -> Expression {
    data.projects
        .iter()
        .zip(x)
        .filter(|(p, _)| p.fund_cost(line, year) > 0.0)
        .map(|(p, &xi)| p.fund_cost(line, year) / money * xi)
        .sum()
}

#[cfg(test)]
mod tests;
