//! How much of every rule an allocation uses, in plain Rust. One place answers
//! "does this allocation keep every rule?" (the check), "what stops this project?"
//! (the reasons) and "does this project still fit?" (the comparison methods).

use crate::domain::{BudgetLine, Dataset, Money};
use crate::format::thousands;
use crate::model::{effective_floor, exclusions, footprint_cap, Exclusion, RegionLimit};
use crate::scenario::{FundingMode, Rule, Scenario};
use std::collections::BTreeMap;

/// Slack allowed for floating-point sums: a billionth of the limit (far more than the
/// rounding of a sum of a million amounts), plus a tenth of a penny. It must stay well
/// below the smallest amount a bid may ask for (£1, 0.001 £k), or the check would wave
/// through a bid that overspends a budget, or falls short of a floor, by that much.
pub fn tolerance(limit: f64) -> f64 {
    1e-9 * limit.abs() + 1e-6
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
    RegionCap {
        region: String,
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
            Blocker::RegionCap { region, .. } => Rule::RegionCap {
                region: region.clone(),
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
            Blocker::RegionCap { region, cap, left } => format!(
                "region cap reached for {region} (£{}k cap, £{}k left)",
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
                let fq = fractions[*prerequisite];
                let state = if fq > FRACTION_EPS {
                    format!("funded only to {:.0}%", fq * 100.0)
                } else {
                    "not funded".to_string()
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
#[derive(Clone)]
pub struct Limits {
    pub lines: Vec<BudgetLine>,
    /// `[line][year]`, aligned with `lines`.
    pub budget: Vec<Vec<Money>>,
    pub floor: Vec<Option<Money>>,
    pub cap: Vec<Option<Money>>,
    pub regions: Vec<RegionLimit>,
    /// Per footprint, the regions (indices into `regions`) whose rules count its money.
    pub regions_of: Vec<Vec<usize>>,
    /// Per project, the rule that makes it funded in full (must-fund or lock-in).
    pub must: Vec<Option<Rule>>,
    pub exclusions: Vec<Option<Exclusion>>,
}

impl Limits {
    pub fn new(data: &Dataset, scenario: &Scenario) -> Limits {
        let exclusions = exclusions(data, scenario);
        let lines = scenario.lines();
        let regions = crate::model::region_limits(data, scenario, &exclusions);
        Limits {
            budget: lines
                .iter()
                .map(|&l| scenario.budget_for(l).unwrap_or(&[]).to_vec())
                .collect(),
            floor: (0..data.footprints.len())
                .map(|f| effective_floor(data, scenario, f, &exclusions))
                .collect(),
            cap: (0..data.footprints.len())
                .map(|f| footprint_cap(data, scenario, f))
                .collect(),
            regions_of: (0..data.footprints.len())
                .map(|f| {
                    (0..regions.len())
                        .filter(|&r| regions[r].footprints.contains(&f))
                        .collect()
                })
                .collect(),
            regions,
            must: crate::model::must_fund(data, scenario),
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
    /// Money per region rule, aligned with `limits.regions`.
    pub region: Vec<Money>,
    pub category: BTreeMap<String, Money>,
    pub total: Money,
    /// Each project's exclusive group (an index into `group_share`), if it has one.
    group_of: Vec<Option<usize>>,
    /// The bids of each exclusive group.
    group_members: Vec<Vec<usize>>,
    /// The shares funded of each exclusive group's bids, added up.
    group_share: Vec<f64>,
    /// Per project, the whole years its start moved (phasing); 0 unless the plan says.
    pub starts: Vec<usize>,
    /// Money switched between lines and carried between years (none unless the plan says).
    pub moves: crate::scenario::Moves,
}

impl<'a> Usage<'a> {
    pub fn empty(data: &'a Dataset, scenario: &'a Scenario) -> Self {
        Self::with_limits(data, scenario, Limits::new(data, scenario))
    }

    /// An empty allocation against limits already resolved (or changed, as the
    /// fair-share formula shares the budgets out).
    pub fn with_limits(data: &'a Dataset, scenario: &'a Scenario, limits: Limits) -> Self {
        let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
        let group_of: Vec<Option<usize>> = data
            .projects
            .iter()
            .map(|p| {
                let g = p.exclusive_group.as_deref()?;
                let next = groups.len();
                Some(*groups.entry(g).or_insert(next))
            })
            .collect();
        let mut group_members = vec![Vec::new(); groups.len()];
        for (p, g) in group_of.iter().enumerate() {
            if let Some(g) = g {
                group_members[*g].push(p);
            }
        }
        Usage {
            group_share: vec![0.0; groups.len()],
            group_members,
            group_of,
            spend: limits.budget.iter().map(|b| vec![0.0; b.len()]).collect(),
            footprint: vec![0.0; data.footprints.len()],
            region: vec![0.0; limits.regions.len()],
            category: BTreeMap::new(),
            total: 0.0,
            fractions: vec![0.0; data.projects.len()],
            starts: vec![0; data.projects.len()],
            moves: crate::scenario::Moves::none(scenario.years.len()),
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
        self.data.projects[project].fund_cost_on(&self.limits.lines)
    }

    /// Adds `delta` of a project's full cost to every total.
    pub fn add(&mut self, project: usize, delta: f64) {
        let p = &self.data.projects[project];
        for (l, &line) in self.limits.lines.iter().enumerate() {
            for (y, s) in self.spend[l].iter_mut().enumerate() {
                *s += p.fund_cost_at(line, y, self.starts[project]) * delta;
            }
        }
        let cost = self.fund_cost(project) * delta;
        self.footprint[p.footprint] += cost;
        for &r in &self.limits.regions_of[p.footprint] {
            self.region[r] += cost;
        }
        *self.category.entry(p.category.clone()).or_default() += cost;
        self.total += cost;
        self.fractions[project] += delta;
        if let Some(g) = self.group_of[project] {
            self.group_share[g] += delta;
        }
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
                let needs = p.fund_cost_at(line, y, self.starts[project]) * delta;
                let left = self.available(l, y) - self.spend[l][y];
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
        for &r in &self.limits.regions_of[p.footprint] {
            let region = &self.limits.regions[r];
            if let Some(cap) = region.cap {
                let left = cap - self.region[r];
                if cost > left + tolerance(cap) {
                    out.push(Blocker::RegionCap {
                        region: region.region.clone(),
                        cap,
                        left: left.max(0.0),
                    });
                }
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
        // A bid is funded at most to the share its prerequisites are.
        let share = self.fractions[project] + delta;
        for &q in &p.requires {
            if share > self.fractions[q] + FRACTION_EPS {
                out.push(Blocker::Requires {
                    project,
                    prerequisite: q,
                });
            }
        }
        // The shares funded of a group's bids add to at most one.
        if let (Some(group), Some(g)) = (&p.exclusive_group, self.group_of[project]) {
            if self.group_share[g] + delta > 1.0 + FRACTION_EPS {
                if let Some(other) = self.largest_other_in_group(project, g) {
                    out.push(Blocker::Exclusive {
                        group: group.clone(),
                        other,
                    });
                }
            }
        }
        out
    }

    /// The largest share of a project its dependencies and exclusive group allow now:
    /// no more than each prerequisite's share, and what its group has left.
    pub fn logic_room(&self, project: usize) -> f64 {
        let p = &self.data.projects[project];
        let mut share: f64 = 1.0;
        for &q in &p.requires {
            share = share.min(self.fractions[q]);
        }
        if let Some(g) = self.group_of[project] {
            share = share.min(1.0 - self.group_share[g] + self.fractions[project]);
        }
        share.max(0.0)
    }

    /// The other bid of the project's exclusive group with the largest share funded.
    fn largest_other_in_group(&self, project: usize, group: usize) -> Option<usize> {
        self.group_members[group]
            .iter()
            .copied()
            .filter(|&o| o != project && self.is_funded(o))
            .max_by(|&a, &b| {
                self.fractions[a]
                    .total_cmp(&self.fractions[b])
                    .then(b.cmp(&a))
            })
    }

    /// Every rule of the scenario checked against the current allocation; each broken
    /// rule in words. Empty means the allocation is valid.
    pub fn violations(&self) -> Vec<String> {
        self.violations_with(tolerance)
    }

    /// The violations with no slack at all for rounding: an allocation that passes the
    /// check only within its tolerance sits exactly on a limit.
    pub fn exact_violations(&self) -> Vec<String> {
        self.violations_with(|_| 0.0)
    }

    fn violations_with(&self, tolerance: fn(f64) -> f64) -> Vec<String> {
        let data = self.data;
        let scenario = self.scenario;
        let mut out = Vec::new();
        // The BCR hurdle is checked from the bids' own appraisal here, not only through
        // the exclusions the model was built with.
        let bcr_hurdle = scenario
            .rules
            .min_bcr
            .map(|h| (h, scenario.appraisal_settings(), scenario.lines()));
        for (p, &f) in self.fractions.iter().enumerate() {
            let proj = &data.projects[p];
            if let Some((h, settings, lines)) = bcr_hurdle.as_ref().filter(|_| f > 0.0) {
                let m = crate::appraisal::appraise(proj, &data.years, lines, settings, 0);
                if !m.passes(*h) {
                    out.push(format!(
                        "{}: funded although its BCR {:.4} is below min_bcr {h}",
                        proj.id,
                        m.bcr().unwrap_or(0.0)
                    ));
                }
            }
            if !(-FRACTION_EPS..=1.0 + FRACTION_EPS).contains(&f) || !f.is_finite() {
                out.push(format!("{}: funded fraction {f} is outside 0–1", proj.id));
            }
            // Any money at all is funding: a millionth of a costly bid can still be
            // thousands of £k, so the check counts every share above zero.
            let funded = f > 0.0;
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
                    let fq = self.fractions[q];
                    if !self.is_funded(q) {
                        out.push(format!(
                            "{}: funded without its prerequisite {}",
                            proj.id, data.projects[q].id
                        ));
                    } else if f > fq + FRACTION_EPS {
                        out.push(format!(
                            "{}: funded {:.4} of its cost, more than its prerequisite {} ({:.4})",
                            proj.id, f, data.projects[q].id, fq
                        ));
                    }
                }
            }
            match scenario.held(p) {
                Some(true) if f < 1.0 - FRACTION_EPS => {
                    out.push(format!("{}: held in but funded {:.4}", proj.id, f));
                }
                Some(false) if funded => {
                    out.push(format!("{}: held out but funded {:.4}", proj.id, f));
                }
                _ => {}
            }
            if let Some(rule) = &self.limits.must[p] {
                if f < 1.0 - FRACTION_EPS {
                    out.push(format!(
                        "{}: must be funded in full but got {:.4}",
                        rule.named(data, &scenario.years),
                        f
                    ));
                }
            }
        }
        for (g, members) in self.group_members.iter().enumerate() {
            if self.group_share[g] > 1.0 + FRACTION_EPS {
                let p = members[0];
                let group = data.projects[p]
                    .exclusive_group
                    .as_deref()
                    .unwrap_or_default();
                let funded: Vec<String> = members
                    .iter()
                    .filter(|&&m| self.is_funded(m))
                    .map(|&m| format!("{} {:.4}", data.projects[m].id, self.fractions[m]))
                    .collect();
                out.push(format!(
                    "exclusive group {group}: the shares funded add to {:.4} ({}), more than one bid",
                    self.group_share[g],
                    funded.join(", ")
                ));
            }
        }
        for (l, &line) in self.limits.lines.iter().enumerate() {
            for (y, &budget) in self.limits.budget[l].iter().enumerate() {
                let available = self.available(l, y);
                if self.spend[l][y] > available + tolerance(budget) {
                    out.push(format!(
                        "{}: £{}k spent against £{}k",
                        Rule::Budget { line, year: y }.named(data, &scenario.years),
                        thousands(self.spend[l][y]),
                        thousands(available)
                    ));
                }
            }
        }
        out.extend(super::moves::violations(self, tolerance));
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
        for (r, region) in self.limits.regions.iter().enumerate() {
            let used = self.region[r];
            if let Some(floor) = region.floor {
                if used < floor - tolerance(floor) {
                    let rule = Rule::RegionFloor {
                        region: region.region.clone(),
                    };
                    out.push(format!(
                        "{}: £{}k allocated, below £{}k",
                        rule.named(data, &scenario.years),
                        thousands(used),
                        thousands(floor)
                    ));
                }
            }
            if let Some(cap) = region.cap {
                if used > cap + tolerance(cap) {
                    let rule = Rule::RegionCap {
                        region: region.region.clone(),
                    };
                    out.push(format!(
                        "{}: £{}k allocated, above £{}k",
                        rule.named(data, &scenario.years),
                        thousands(used),
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
