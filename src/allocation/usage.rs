//! How much of every rule an allocation uses, in plain Rust. One place answers
//! "does this allocation keep every rule?" (the check), "what stops this project?"
//! (the reasons) and "does this project still fit?" (the comparison methods).

use crate::domain::{BudgetLine, Dataset, Money};
use crate::format::thousands;
use crate::model::{effective_floor, exclusions, fair_share, Exclusion};
use crate::scenario::{FundingMode, Rule, Scenario};
use std::collections::BTreeMap;

/// Slack allowed for floating-point sums: a thousandth of a £ per £k of limit, and never less than £1.
pub fn tolerance(limit: f64) -> f64 {
    1e-6 * limit.abs() + 1e-3
}

/// A fraction is "funded" above this, "fully funded" within it of 1.
pub const FRACTION_EPS: f64 = 1e-6;

/// What stops a project from getting (more) money.
#[derive(Clone, Debug, PartialEq)]
pub enum Blocker {
    Budget {
        line: BudgetLine,
        year: usize,
        left: Money,
        needs: Money,
    },
    FootprintCap {
        footprint: usize,
        cap: Money,
        left: Money,
    },
    CategoryMax {
        category: String,
        share: f64,
    },
    CategoryMin {
        category: String,
        share: f64,
    },
    Requires {
        project: usize,
        prerequisite: usize,
    },
    Exclusive {
        group: String,
        other: usize,
    },
}

impl Blocker {
    /// The scenario rule the bid runs into.
    pub fn rule(&self) -> Rule {
        match self {
            Blocker::Budget { line, year, .. } => Rule::Budget {
                line: *line,
                year: *year,
            },
            Blocker::FootprintCap { footprint, .. } => Rule::FootprintCap {
                footprint: *footprint,
            },
            Blocker::CategoryMax { category, .. } => Rule::CategoryMax {
                category: category.clone(),
            },
            Blocker::CategoryMin { category, .. } => Rule::CategoryMin {
                category: category.clone(),
            },
            Blocker::Requires {
                project,
                prerequisite,
            } => Rule::Requires {
                project: *project,
                prerequisite: *prerequisite,
            },
            Blocker::Exclusive { group, .. } => Rule::ExclusiveGroup {
                group: group.clone(),
            },
        }
    }

    pub fn describe(&self, data: &Dataset, scenario: &Scenario, fractions: &[f64]) -> String {
        match self {
            Blocker::Budget {
                line,
                year,
                left,
                needs,
            } => format!(
                "{line} budget {}: £{}k left, needs £{}k",
                scenario.years[*year],
                thousands(*left),
                thousands(*needs)
            ),
            Blocker::FootprintCap {
                footprint,
                cap,
                left,
            } => format!(
                "footprint cap reached for {} (£{}k cap, £{}k left)",
                data.footprints[*footprint].name,
                thousands(*cap),
                thousands(*left)
            ),
            Blocker::CategoryMax { category, share } => {
                format!(
                    "category {category} is at its maximum share ({:.0}% of the money allocated)",
                    share * 100.0
                )
            }
            Blocker::CategoryMin { category, share } => format!(
                "funding it would take category {category} below its minimum share ({:.0}%)",
                share * 100.0
            ),
            Blocker::Requires { prerequisite, .. } => {
                let q = &data.projects[*prerequisite];
                let state = if fractions[*prerequisite] > FRACTION_EPS {
                    "funded only in part"
                } else {
                    "not funded"
                };
                format!("depends on {} ({state})", q.id)
            }
            Blocker::Exclusive { group, other } => {
                format!(
                    "exclusive group {group}: {} is funded instead",
                    data.projects[*other].id
                )
            }
        }
    }
}

/// The scenario's limits, resolved to amounts.
pub struct Limits {
    pub lines: Vec<BudgetLine>,
    /// `[line][year]`, aligned with `lines`.
    pub budget: Vec<Vec<Money>>,
    pub floor: Vec<Option<Money>>,
    pub cap: Vec<Option<Money>>,
    pub exclusions: Vec<Option<Exclusion>>,
}

impl Limits {
    pub fn new(data: &Dataset, scenario: &Scenario) -> Limits {
        let exclusions = exclusions(data, scenario);
        let lines = scenario.lines();
        Limits {
            budget: lines
                .iter()
                .map(|&l| scenario.budget_for(l).unwrap_or(&[]).to_vec())
                .collect(),
            floor: (0..data.footprints.len())
                .map(|f| effective_floor(data, scenario, f, &exclusions))
                .collect(),
            cap: (0..data.footprints.len())
                .map(|f| {
                    scenario
                        .rules
                        .footprint_cap
                        .map(|c| c.amount(fair_share(data, scenario, f)))
                })
                .collect(),
            lines,
            exclusions,
        }
    }
}

/// Money used against each rule by an allocation, kept up to date as projects are added.
pub struct Usage<'a> {
    pub data: &'a Dataset,
    pub scenario: &'a Scenario,
    pub limits: Limits,
    pub fractions: Vec<f64>,
    /// `[line][year]`.
    pub spend: Vec<Vec<Money>>,
    pub footprint: Vec<Money>,
    pub category: BTreeMap<String, Money>,
    pub total: Money,
}

impl<'a> Usage<'a> {
    pub fn empty(data: &'a Dataset, scenario: &'a Scenario) -> Self {
        let limits = Limits::new(data, scenario);
        Usage {
            spend: limits.budget.iter().map(|b| vec![0.0; b.len()]).collect(),
            footprint: vec![0.0; data.footprints.len()],
            category: BTreeMap::new(),
            total: 0.0,
            fractions: vec![0.0; data.projects.len()],
            limits,
            data,
            scenario,
        }
    }

    pub fn of(data: &'a Dataset, scenario: &'a Scenario, fractions: &[f64]) -> Self {
        let mut u = Self::empty(data, scenario);
        for (p, &f) in fractions.iter().enumerate() {
            if f != 0.0 {
                u.add(p, f);
            }
        }
        u
    }

    pub fn fund_cost(&self, project: usize) -> Money {
        self.data.projects[project].cost_on(&self.limits.lines)
    }

    /// Adds `delta` of a project's full cost to every total.
    pub fn add(&mut self, project: usize, delta: f64) {
        let p = &self.data.projects[project];
        for (l, &line) in self.limits.lines.iter().enumerate() {
            for (y, s) in self.spend[l].iter_mut().enumerate() {
                *s += p.cost(line, y) * delta;
            }
        }
        let cost = self.fund_cost(project) * delta;
        self.footprint[p.footprint] += cost;
        *self.category.entry(p.category.clone()).or_default() += cost;
        self.total += cost;
        self.fractions[project] += delta;
    }

    fn is_funded(&self, project: usize) -> bool {
        self.fractions[project] > FRACTION_EPS
    }

    /// Everything that would stop `delta` more of `project` from being funded now.
    pub fn blockers(&self, project: usize, delta: f64) -> Vec<Blocker> {
        let p = &self.data.projects[project];
        let mut out = Vec::new();
        for (l, &line) in self.limits.lines.iter().enumerate() {
            for (y, &budget) in self.limits.budget[l].iter().enumerate() {
                let needs = p.cost(line, y) * delta;
                let left = budget - self.spend[l][y];
                if needs > 0.0 && needs > left + tolerance(budget) {
                    out.push(Blocker::Budget {
                        line,
                        year: y,
                        left: left.max(0.0),
                        needs,
                    });
                }
            }
        }
        let cost = self.fund_cost(project) * delta;
        if let Some(cap) = self.limits.cap[p.footprint] {
            let left = cap - self.footprint[p.footprint];
            if cost > left + tolerance(cap) {
                out.push(Blocker::FootprintCap {
                    footprint: p.footprint,
                    cap,
                    left: left.max(0.0),
                });
            }
        }
        let new_total = self.total + cost;
        for c in &self.scenario.rules.categories {
            let in_cat = self.category.get(&c.category).copied().unwrap_or(0.0)
                + if p.category == c.category { cost } else { 0.0 };
            if let Some(hi) = c.max_share {
                if p.category == c.category && in_cat > hi * new_total + tolerance(new_total) {
                    out.push(Blocker::CategoryMax {
                        category: c.category.clone(),
                        share: hi,
                    });
                }
            }
            if let Some(lo) = c.min_share {
                if p.category != c.category && in_cat < lo * new_total - tolerance(new_total) {
                    out.push(Blocker::CategoryMin {
                        category: c.category.clone(),
                        share: lo,
                    });
                }
            }
        }
        for &q in &p.requires {
            if !self.is_funded(q) {
                out.push(Blocker::Requires {
                    project,
                    prerequisite: q,
                });
            }
        }
        if let Some(group) = &p.exclusive_group {
            if !self.is_funded(project) {
                if let Some(other) = (0..self.data.projects.len()).find(|&o| {
                    o != project
                        && self.is_funded(o)
                        && self.data.projects[o].exclusive_group.as_ref() == Some(group)
                }) {
                    out.push(Blocker::Exclusive {
                        group: group.clone(),
                        other,
                    });
                }
            }
        }
        out
    }

    /// Every rule of the scenario checked against the current allocation; each broken
    /// rule in words. Empty means the allocation is valid.
    pub fn violations(&self) -> Vec<String> {
        let data = self.data;
        let scenario = self.scenario;
        let mut out = Vec::new();
        for (p, &f) in self.fractions.iter().enumerate() {
            let proj = &data.projects[p];
            if !(-FRACTION_EPS..=1.0 + FRACTION_EPS).contains(&f) || !f.is_finite() {
                out.push(format!("{}: funded fraction {f} is outside 0–1", proj.id));
            }
            let funded = f > FRACTION_EPS;
            match scenario.funding {
                FundingMode::AllOrNothing if funded && f < 1.0 - FRACTION_EPS => {
                    out.push(format!(
                        "{}: funded {:.4} of its cost in an all-or-nothing scenario",
                        proj.id, f
                    ));
                }
                FundingMode::Partial if funded && f < proj.min_fraction - FRACTION_EPS => {
                    out.push(format!(
                        "{}: funded {:.4}, below its minimum share {}",
                        proj.id, f, proj.min_fraction
                    ));
                }
                _ => {}
            }
            if funded {
                if let Some(e) = &self.limits.exclusions[p] {
                    out.push(format!(
                        "{}: funded although {}",
                        proj.id,
                        crate::model::describe_exclusion(e, data)
                    ));
                }
                for &q in &proj.requires {
                    if !self.is_funded(q) {
                        out.push(format!(
                            "{}: funded without its prerequisite {}",
                            proj.id, data.projects[q].id
                        ));
                    }
                }
            }
            if proj.must_fund && f < 1.0 - FRACTION_EPS {
                out.push(format!(
                    "{}: must be funded in full but got {:.4}",
                    proj.id, f
                ));
            }
        }
        let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (p, proj) in data.projects.iter().enumerate() {
            if let (Some(g), true) = (&proj.exclusive_group, self.is_funded(p)) {
                groups.entry(g).or_default().push(&proj.id);
            }
        }
        for (g, members) in groups.iter().filter(|(_, m)| m.len() > 1) {
            out.push(format!(
                "exclusive group {g}: {} are all funded",
                members.join(", ")
            ));
        }
        for (l, &line) in self.limits.lines.iter().enumerate() {
            for (y, &budget) in self.limits.budget[l].iter().enumerate() {
                if self.spend[l][y] > budget + tolerance(budget) {
                    out.push(format!(
                        "{}: £{}k spent against £{}k",
                        Rule::Budget { line, year: y }.named(data, &scenario.years),
                        thousands(self.spend[l][y]),
                        thousands(budget)
                    ));
                }
            }
        }
        for f in 0..data.footprints.len() {
            if let Some(floor) = self.limits.floor[f] {
                if self.footprint[f] < floor - tolerance(floor) {
                    out.push(format!(
                        "{}: £{}k allocated, below £{}k",
                        Rule::FootprintFloor { footprint: f }.named(data, &scenario.years),
                        thousands(self.footprint[f]),
                        thousands(floor)
                    ));
                }
            }
            if let Some(cap) = self.limits.cap[f] {
                if self.footprint[f] > cap + tolerance(cap) {
                    out.push(format!(
                        "{}: £{}k allocated, above £{}k",
                        Rule::FootprintCap { footprint: f }.named(data, &scenario.years),
                        thousands(self.footprint[f]),
                        thousands(cap)
                    ));
                }
            }
        }
        for c in &scenario.rules.categories {
            let in_cat = self.category.get(&c.category).copied().unwrap_or(0.0);
            if let Some(lo) = c.min_share {
                if in_cat < lo * self.total - tolerance(self.total) {
                    let rule = Rule::CategoryMin {
                        category: c.category.clone(),
                    };
                    out.push(format!(
                        "{}: {:.2}% of the money, below {:.2}%",
                        rule.named(data, &scenario.years),
                        100.0 * in_cat / self.total.max(1e-9),
                        lo * 100.0
                    ));
                }
            }
            if let Some(hi) = c.max_share {
                if in_cat > hi * self.total + tolerance(self.total) {
                    let rule = Rule::CategoryMax {
                        category: c.category.clone(),
                    };
                    out.push(format!(
                        "{}: {:.2}% of the money, above {:.2}%",
                        rule.named(data, &scenario.years),
                        100.0 * in_cat / self.total.max(1e-9),
                        hi * 100.0
                    ));
                }
            }
        }
        out
    }
}
