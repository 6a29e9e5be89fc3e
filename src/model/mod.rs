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

use crate::domain::{BudgetLine, Dataset, Money, Project};
use crate::error::InputError;
use crate::scenario::{FundingMode, Limit, NeedPolicy, ObjectiveKind, Rule, Scenario};
use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

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
    pub constraint: Constraint,
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
    /// A name per column, for exported models.
    pub col_names: Vec<String>,
    /// Column of each elastic slack and the rule it relaxes (elastic model only).
    pub slack_cols: Vec<(usize, Rule)>,
    pub columns: usize,
    /// The columns that must take whole values.
    pub integer_cols: Vec<usize>,
    pub exclusions: Vec<Option<Exclusion>>,
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

/// Which projects can never be funded under the scenario, and why.
pub fn exclusions(data: &Dataset, scenario: &Scenario) -> Vec<Option<Exclusion>> {
    let locked_out = named(data, &scenario.rules.lock_out);
    let mut out: Vec<Option<Exclusion>> = data
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let whole_cost = p.cost_on(&BudgetLine::ALL);
            if locked_out[i] {
                Some(Exclusion::LockedOut)
            } else if p.never_fund {
                Some(Exclusion::NeverFund)
            } else if p.cost_outside_years > 0.0 {
                Some(Exclusion::SpendsOutsideYears {
                    cost: p.cost_outside_years,
                })
            } else {
                match scenario.rules.min_benefit_per_pound {
                    Some(h) if p.benefit < h * whole_cost => Some(Exclusion::BelowHurdle {
                        ratio: p.benefit / whole_cost,
                        hurdle: h,
                    }),
                    _ => None,
                }
            }
        })
        .collect();
    // A project whose prerequisite can never be funded cannot be funded either: walk
    // from each excluded project to those that require it, once each, so long chains
    // cost no more than short ones.
    let mut dependants: Vec<Vec<usize>> = vec![Vec::new(); data.projects.len()];
    for (i, p) in data.projects.iter().enumerate() {
        for &q in &p.requires {
            dependants[q].push(i);
        }
    }
    let mut queue: Vec<usize> = (0..out.len()).filter(|&i| out[i].is_some()).collect();
    while let Some(q) = queue.pop() {
        for &i in &dependants[q] {
            if out[i].is_none() {
                out[i] = Some(Exclusion::RequiresExcluded { prerequisite: q });
                queue.push(i);
            }
        }
    }
    out
}

/// Which projects `ids` names (ids no project has are refused before solving, by
/// `pipeline::checks`).
fn named(data: &Dataset, ids: &[String]) -> Vec<bool> {
    let ids: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    data.projects
        .iter()
        .map(|p| ids.contains(p.id.as_str()))
        .collect()
}

/// Per project, the rule that makes it funded in full, if any: the scenario's lock-in,
/// else the bid's own must_fund flag.
pub fn must_fund(data: &Dataset, scenario: &Scenario) -> Vec<Option<Rule>> {
    let locked_in = named(data, &scenario.rules.lock_in);
    data.projects
        .iter()
        .enumerate()
        .map(|(p, proj)| {
            if locked_in[p] {
                Some(Rule::LockIn { project: p })
            } else if proj.must_fund {
                Some(Rule::MustFund { project: p })
            } else {
                None
            }
        })
        .collect()
}

/// The floor that applies to a footprint: its own `[[rules.footprint]]` floor (£k), if
/// it has one, in place of the general `[rules.footprint_floor]`.
pub fn floor_limit(data: &Dataset, scenario: &Scenario, footprint: usize) -> Option<Limit> {
    let own = footprint_rule(data, scenario, footprint).map(|r| r.floor);
    match own {
        Some(Some(amount)) => Some(Limit::Amount(amount)),
        _ => scenario.rules.footprint_floor,
    }
}

/// The cap that applies to a footprint: its own `[[rules.footprint]]` cap (£k), if it
/// has one, in place of the general `[rules.footprint_cap]`.
pub fn cap_limit(data: &Dataset, scenario: &Scenario, footprint: usize) -> Option<Limit> {
    let own = footprint_rule(data, scenario, footprint).map(|r| r.cap);
    match own {
        Some(Some(amount)) => Some(Limit::Amount(amount)),
        _ => scenario.rules.footprint_cap,
    }
}

fn footprint_rule<'a>(
    data: &Dataset,
    scenario: &'a Scenario,
    footprint: usize,
) -> Option<&'a crate::scenario::FootprintRule> {
    let fp = &data.footprints[footprint];
    scenario
        .rules
        .footprints
        .iter()
        .find(|r| r.footprint.matches(fp))
}

/// A footprint's cap in £k, if it has one.
pub fn footprint_cap(data: &Dataset, scenario: &Scenario, footprint: usize) -> Option<Money> {
    cap_limit(data, scenario, footprint).map(|c| c.amount(fair_share(data, scenario, footprint)))
}

/// What a footprint's eligible bids ask of the fund's lines, £k.
fn eligible_bid(
    data: &Dataset,
    scenario: &Scenario,
    footprint: usize,
    excl: &[Option<Exclusion>],
) -> Money {
    let lines = scenario.lines();
    data.projects
        .iter()
        .enumerate()
        .filter(|(i, p)| p.footprint == footprint && excl[*i].is_none())
        .map(|(_, p)| p.cost_on(&lines))
        .sum()
}

/// The amount a footprint's floor asks for, limited to what its eligible projects bid:
/// a footprint cannot be given more than it asked for.
pub fn effective_floor(
    data: &Dataset,
    scenario: &Scenario,
    footprint: usize,
    excl: &[Option<Exclusion>],
) -> Option<Money> {
    let floor = floor_limit(data, scenario, footprint)?;
    let bid = eligible_bid(data, scenario, footprint, excl);
    Some(floor.amount(fair_share(data, scenario, footprint)).min(bid))
}

/// A region's rule resolved: its footprints, its floor (limited, like a footprint's, to
/// what their eligible bids ask) and its cap, £k.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionLimit {
    pub region: String,
    pub footprints: Vec<usize>,
    pub floor: Option<Money>,
    pub cap: Option<Money>,
}

/// Every `[[rules.region]]` resolved against the dataset's footprints.
pub fn region_limits(
    data: &Dataset,
    scenario: &Scenario,
    excl: &[Option<Exclusion>],
) -> Vec<RegionLimit> {
    scenario
        .rules
        .regions
        .iter()
        .map(|r| {
            let footprints: Vec<usize> = (0..data.footprints.len())
                .filter(|&f| data.footprints[f].region == r.region)
                .collect();
            let bid: Money = footprints
                .iter()
                .map(|&f| eligible_bid(data, scenario, f, excl))
                .sum();
            RegionLimit {
                region: r.region.clone(),
                floor: r.floor.map(|a| a.min(bid)),
                cap: r.cap,
                footprints,
            }
        })
        .collect()
}

/// The footprint's share of the whole fund in proportion to the scenario's fair-share
/// basis (population or weighted population), £k.
pub fn fair_share(data: &Dataset, scenario: &Scenario, footprint: usize) -> Money {
    let basis = scenario.rules.fair_share;
    let total: f64 = data.footprints.iter().map(|f| basis.heads(f)).sum();
    scenario.total_budget() * basis.heads(&data.footprints[footprint]) / total
}

struct Builder<'a> {
    data: &'a Dataset,
    years: &'a [crate::domain::FinancialYear],
    vars: ProblemVariables,
    columns: usize,
    col_names: Vec<String>,
    integer_cols: Vec<usize>,
    rows: Vec<Row>,
    elastic: bool,
    slack_cols: Vec<(usize, Rule)>,
    slack_total: Expression,
}

impl<'a> Builder<'a> {
    fn new(data: &'a Dataset, scenario: &'a Scenario, elastic: bool) -> Builder<'a> {
        Builder {
            data,
            years: &scenario.years,
            vars: ProblemVariables::new(),
            columns: 0,
            col_names: Vec::new(),
            integer_cols: Vec::new(),
            rows: Vec::new(),
            elastic,
            slack_cols: Vec::new(),
            slack_total: Expression::default(),
        }
    }

    fn add(
        &mut self,
        def: good_lp::VariableDefinition,
        integer: bool,
        name: String,
    ) -> (Variable, usize) {
        let col = self.columns;
        self.columns += 1;
        self.col_names.push(name);
        if integer {
            self.integer_cols.push(col);
        }
        (self.vars.add(def), col)
    }

    /// Adds `lhs (<= or >=) rhs` for `rule`; in the elastic model a relaxable rule gets a
    /// slack that absorbs any violation, weighted by `scale` so violations compare in £k.
    fn push(&mut self, rule: Option<Rule>, lhs: Expression, sense: Sense, rhs: f64, scale: f64) {
        let name = match &rule {
            Some(r) => r.key(self.data, self.years),
            None => format!("link_{}", self.rows.len()),
        };
        self.push_named(rule, name, lhs, sense, rhs, scale);
    }

    /// A row that only links the model's own variables, with a name saying what it links.
    fn link(&mut self, name: String, lhs: Expression, sense: Sense, rhs: f64) {
        self.push_named(None, name, lhs, sense, rhs, 1.0);
    }

    fn push_named(
        &mut self,
        rule: Option<Rule>,
        name: String,
        lhs: Expression,
        sense: Sense,
        rhs: f64,
        scale: f64,
    ) {
        let relaxable = rule.as_ref().filter(|r| r.relaxable());
        let lhs = if let (true, Some(r)) = (self.elastic, relaxable) {
            let (s, col) = self.add(variable().min(0.0), false, format!("slack_{name}"));
            self.slack_cols.push((col, r.clone()));
            self.slack_total += s * scale;
            match sense {
                Sense::AtMost => lhs - s,
                Sense::AtLeast => lhs + s,
            }
        } else {
            lhs
        };
        let constraint = match sense {
            Sense::AtMost => lhs.leq(rhs),
            Sense::AtLeast => lhs.geq(rhs),
        };
        self.rows.push(Row {
            rule,
            name,
            constraint,
        });
    }
}

/// Builds the allocation programme.
pub fn build(data: &Dataset, scenario: &Scenario) -> Result<Programme, InputError> {
    build_with(data, scenario, false)
}

/// Builds the elastic programme: every rule may be broken at a price of one per £k
/// (or per project for must-fund), and the objective is the least total violation.
/// Its answer says which rules an infeasible scenario cannot meet, and by how much.
pub fn build_elastic(data: &Dataset, scenario: &Scenario) -> Result<Programme, InputError> {
    build_with(data, scenario, true)
}

fn build_with(data: &Dataset, scenario: &Scenario, elastic: bool) -> Result<Programme, InputError> {
    let excl = exclusions(data, scenario);
    check_must_fund(data, scenario, &excl)?;
    let lines = scenario.lines();
    let mut b = Builder::new(data, scenario, elastic);

    let (x, fraction_col) = project_columns(&mut b, data, scenario, &excl, elastic);

    // Money rows are in units of `money`, not £k (see `money_scale`).
    let money = money_scale(scenario);
    let fund_cost = |p: &Project| p.cost_on(&lines) / money;

    for &line in &lines {
        let budget = scenario.budget_for(line).expect("line has a budget");
        for (year, &amount) in budget.iter().enumerate() {
            let spend = spend_in(data, &x, line, year, money);
            b.push(
                Some(Rule::Budget { line, year }),
                spend,
                Sense::AtMost,
                amount / money,
                1.0,
            );
        }
    }

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
        ObjectiveKind::Maturity => {
            let mut total = Expression::default();
            for (f, fp) in data.footprints.iter().enumerate() {
                let headroom = (100.0 - fp.maturity.capabilities).max(0.0);
                let (g, _) = b.add(
                    variable().min(0.0).max(headroom),
                    false,
                    format!("gain_{}", fp.id),
                );
                let uplift = uplift_in(data, &x, f);
                b.link(format!("gain_{}", fp.id), g - uplift, Sense::AtMost, 0.0);
                total += need_weight(scenario.need, fp) * fp.population / MATURITY_SCALE * g;
            }
            total
        }
    };

    let (objective, maximise) = if elastic {
        (std::mem::take(&mut b.slack_total), false)
    } else {
        (objective, true)
    };
    Ok(Programme {
        vars: b.vars,
        objective,
        maximise,
        rows: b.rows,
        fraction_col,
        slack_cols: b.slack_cols,
        columns: b.columns,
        col_names: b.col_names,
        integer_cols: b.integer_cols,
        exclusions: excl,
    })
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

/// Each region's floor and cap on the money of its footprints together.
fn region_rows(
    b: &mut Builder,
    data: &Dataset,
    scenario: &Scenario,
    x: &[Variable],
    excl: &[Option<Exclusion>],
) {
    let lines = scenario.lines();
    let money = money_scale(scenario);
    for r in region_limits(data, scenario, excl) {
        let spend: Expression = data
            .projects
            .iter()
            .zip(x)
            .filter(|(p, _)| r.footprints.contains(&p.footprint))
            .map(|(p, &xi)| p.cost_on(&lines) / money * xi)
            .sum();
        if let Some(floor) = r.floor.filter(|&a| a > 0.0) {
            let rule = Rule::RegionFloor {
                region: r.region.clone(),
            };
            b.push(
                Some(rule),
                spend.clone(),
                Sense::AtLeast,
                floor / money,
                1.0,
            );
        }
        if let Some(cap) = r.cap {
            let rule = Rule::RegionCap {
                region: r.region.clone(),
            };
            b.push(Some(rule), spend, Sense::AtMost, cap / money, 1.0);
        }
    }
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

/// Money allocated on one budget line in one year, in units of `money` £k.
fn spend_in(
    data: &Dataset,
    x: &[Variable],
    line: BudgetLine,
    year: usize,
    money: f64,
) -> Expression {
    data.projects
        .iter()
        .zip(x)
        .filter(|(p, _)| p.cost(line, year) > 0.0)
        .map(|(p, &xi)| p.cost(line, year) / money * xi)
        .sum()
}

/// Each project's funded-fraction column: binary in all-or-nothing mode; in partial
/// mode continuous, with a binary "funded at all" indicator only where a minimum share
/// makes the fraction either 0 or at least that share.
fn project_columns(
    b: &mut Builder,
    data: &Dataset,
    scenario: &Scenario,
    excl: &[Option<Exclusion>],
    elastic: bool,
) -> (Vec<Variable>, Vec<usize>) {
    let partial = scenario.funding == FundingMode::Partial;
    let must = must_fund(data, scenario);
    let mut x: Vec<Variable> = Vec::with_capacity(data.projects.len());
    let mut fraction_col = Vec::with_capacity(data.projects.len());
    for (i, p) in data.projects.iter().enumerate() {
        let mut upper = if excl[i].is_some() { 0.0 } else { 1.0 };
        // Must-fund is a bound, except in the elastic model where it must be breakable.
        let mut lower = if must[i].is_some() && !elastic {
            1.0
        } else {
            0.0
        };
        // A bid held in or out by `techfund explain` is the question being asked, not a
        // rule, so even the elastic model keeps it: its answer then names the rules the
        // hold cannot live with.
        match scenario.lock_on(i) {
            Some(true) => lower = 1.0,
            Some(false) => upper = 0.0,
            None => {}
        }
        let def = variable().min(lower).max(upper);
        let name = format!("share_{}", p.id);
        let (xi, col) = if partial {
            b.add(def, false, name)
        } else {
            b.add(def.integer(), true, name)
        };
        x.push(xi);
        fraction_col.push(col);
        if partial && p.min_fraction > 0.0 && upper > 0.0 {
            let (yi, _) = b.add(variable().binary(), true, format!("funded_{}", p.id));
            b.link(
                format!("funded_{}_upper", p.id),
                xi - yi,
                Sense::AtMost,
                0.0,
            );
            b.link(
                format!("funded_{}_minimum", p.id),
                xi - p.min_fraction * yi,
                Sense::AtLeast,
                0.0,
            );
        }
        if let (Some(rule), true) = (&must[i], elastic) {
            b.push(Some(rule.clone()), xi.into(), Sense::AtLeast, 1.0, 1000.0);
        }
    }
    (x, fraction_col)
}

/// Each category's minimum and maximum share of the money allocated.
fn category_rows(b: &mut Builder, data: &Dataset, scenario: &Scenario, x: &[Variable]) {
    let lines = scenario.lines();
    let money = money_scale(scenario);
    let fund_cost = |p: &Project| p.cost_on(&lines) / money;
    if !scenario.rules.categories.is_empty() {
        let total: Expression = data
            .projects
            .iter()
            .zip(x)
            .map(|(p, &xi)| fund_cost(p) * xi)
            .sum();
        for c in &scenario.rules.categories {
            let in_cat: Expression = data
                .projects
                .iter()
                .zip(x)
                .filter(|(p, _)| p.category == c.category)
                .map(|(p, &xi)| fund_cost(p) * xi)
                .sum();
            if let Some(lo) = c.min_share {
                b.push(
                    Some(Rule::CategoryMin {
                        category: c.category.clone(),
                    }),
                    in_cat.clone() - lo * total.clone(),
                    Sense::AtLeast,
                    0.0,
                    1.0,
                );
            }
            if let Some(hi) = c.max_share {
                b.push(
                    Some(Rule::CategoryMax {
                        category: c.category.clone(),
                    }),
                    in_cat - hi * total.clone(),
                    Sense::AtMost,
                    0.0,
                    1.0,
                );
            }
        }
    }
}

/// Dependencies (`requires`) and exclusive groups, on the funded fractions: a bid is
/// funded at most to the share its prerequisite is (all or nothing: only if it is), and
/// the shares funded of a group's bids add to at most one (all or nothing: at most one
/// bid). Bids that require each other round a circle are therefore funded together, to
/// one share, or not at all.
fn logic_rows(b: &mut Builder, data: &Dataset, x: &[Variable]) {
    for (i, p) in data.projects.iter().enumerate() {
        for &q in &p.requires {
            b.push(
                Some(Rule::Requires {
                    project: i,
                    prerequisite: q,
                }),
                x[i] - x[q],
                Sense::AtMost,
                0.0,
                1.0,
            );
        }
    }
    let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, p) in data.projects.iter().enumerate() {
        if let Some(g) = &p.exclusive_group {
            groups.entry(g.as_str()).or_default().push(i);
        }
    }
    for (group, members) in groups.iter().filter(|(_, m)| m.len() > 1) {
        let sum: Expression = members.iter().map(|&i| x[i]).sum();
        let rule = Rule::ExclusiveGroup {
            group: group.to_string(),
        };
        b.push(Some(rule), sum, Sense::AtMost, 1.0, 1.0);
    }
}

/// A must-fund project that a rule excludes makes every allocation impossible; say so
/// at the bid's own line rather than as a bare "infeasible".
fn check_must_fund(
    data: &Dataset,
    scenario: &Scenario,
    excl: &[Option<Exclusion>],
) -> Result<(), InputError> {
    let must = must_fund(data, scenario);
    for (i, p) in data.projects.iter().enumerate() {
        let Some(e) = &excl[i] else { continue };
        if let Some(Rule::LockIn { .. }) = must[i] {
            return Err(scenario.key_error(
                "rules",
                "lock_in",
                format!(
                    "`lock_in` names project `{}`, but {}",
                    p.id,
                    describe_exclusion(e, data)
                ),
                "take it out of lock_in, or change the rule that excludes it",
            ));
        }
        if must[i].is_some() {
            return Err(data.projects_source.at(
                p.line,
                1,
                Some("must_fund"),
                format!(
                    "project `{}` must be funded, but {}",
                    p.id,
                    describe_exclusion(e, data)
                ),
                "set must_fund to false for this project, or change the rule that excludes it",
            ));
        }
    }
    Ok(())
}

/// An exclusion in words, for errors and the allocation's reasons.
pub fn describe_exclusion(e: &Exclusion, data: &Dataset) -> String {
    match e {
        Exclusion::NeverFund => "marked never_fund in the bids".to_string(),
        Exclusion::LockedOut => "locked out by the scenario ([rules] lock_out)".to_string(),
        Exclusion::BelowHurdle { ratio, hurdle } => {
            format!("below the value-for-money hurdle: benefit {ratio:.2} per £ against a hurdle of {hurdle:.2}")
        }
        Exclusion::SpendsOutsideYears { cost } => {
            format!(
                "spends £{}k in years outside the scenario",
                crate::format::thousands(*cost)
            )
        }
        Exclusion::RequiresExcluded { prerequisite } => {
            format!(
                "requires `{}`, which cannot be funded",
                data.projects[*prerequisite].id
            )
        }
    }
}

#[cfg(test)]
mod tests;
