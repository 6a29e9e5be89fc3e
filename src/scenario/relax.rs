//! A rule taken away, to price it (`run --rule-prices`): the scenario and bids as they
//! would be without that one rule, or without every rule of one kind. Each removal is
//! made with the scenario's own settings (a floor of £0 for one footprint, a share
//! left unset, a dependency deleted from the bid), so the model and the independent
//! check both see the same smaller set of rules and neither needs to know about it.

use super::{FootprintRef, FootprintRule, Rule, Scenario};
use crate::domain::{Dataset, FinancialYear};
use std::fmt;

/// What a line of the rule-price table takes away.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relaxed {
    /// One of the scenario's rules (never a budget: those are the marginal values).
    One(Rule),
    /// The value-for-money hurdle (`[rules] min_benefit_per_pound`).
    Hurdle,
    /// One bid named in `[rules] lock_out`.
    LockOut { project: usize },
    /// Every rule of one kind at once: what the kind costs, which is not the sum of its
    /// rules' prices when they interact.
    All(Kind),
}

/// Kinds of rule with one line per rule, priced together as well.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    FootprintFloors,
    FootprintCaps,
    /// Must-fund bids and the scenario's lock-ins.
    MustFunds,
    Dependencies,
    ExclusiveGroups,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::FootprintFloors => "all_footprint_floors",
            Kind::FootprintCaps => "all_footprint_caps",
            Kind::MustFunds => "all_must_funds",
            Kind::Dependencies => "all_dependencies",
            Kind::ExclusiveGroups => "all_exclusive_groups",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Kind::FootprintFloors => "every footprint floor",
            Kind::FootprintCaps => "every footprint cap",
            Kind::MustFunds => "every must-fund bid and lock-in",
            Kind::Dependencies => "every dependency between bids",
            Kind::ExclusiveGroups => "every exclusive group",
        }
    }
}

impl Relaxed {
    /// A short name without spaces, like [`Rule::key`]: `floor_E54000007`, `hurdle`,
    /// `lock_out_P0012`, `all_dependencies`.
    pub fn key(&self, data: &Dataset, years: &[FinancialYear]) -> String {
        match self {
            Relaxed::One(rule) => rule.key(data, years),
            Relaxed::Hurdle => "hurdle".into(),
            Relaxed::LockOut { project } => format!("lock_out_{}", data.projects[*project].id),
            Relaxed::All(kind) => kind.key().into(),
        }
    }

    /// What is taken away, in words.
    pub fn named<'a>(
        &'a self,
        data: &'a Dataset,
        years: &'a [FinancialYear],
    ) -> impl fmt::Display + 'a {
        Words {
            relaxed: self,
            data,
            years,
        }
    }

    /// True when taking it away lets bids be funded that could not be before (a bid
    /// under the hurdle, locked out, or needing a prerequisite that cannot be funded).
    /// A floor asks at most what a footprint's fundable bids ask, so such a removal
    /// could raise a floor too; the price list keeps the floors as they were.
    pub fn widens_eligibility(&self) -> bool {
        matches!(
            self,
            Relaxed::Hurdle
                | Relaxed::LockOut { .. }
                | Relaxed::One(Rule::Requires { .. })
                | Relaxed::All(Kind::Dependencies)
        )
    }

    /// The bids and scenario without it: `None` for the bids when they are unchanged.
    pub fn apply(&self, data: &Dataset, scenario: &Scenario) -> (Option<Dataset>, Scenario) {
        let mut s = scenario.clone();
        let mut d: Option<Dataset> = None;
        match self {
            Relaxed::One(rule) => match rule {
                // Budgets are priced by the marginal values, not here; left as they are.
                Rule::Budget { .. } => {}
                Rule::FootprintFloor { footprint } => {
                    own_rule(data, &mut s, *footprint).floor = Some(0.0);
                }
                Rule::FootprintCap { footprint } => {
                    // No footprint can be given more than the whole fund, so a cap of
                    // the whole fund never binds: the footprint is as if uncapped,
                    // even where a general cap applies to the others.
                    let whole = scenario.total_budget();
                    own_rule(data, &mut s, *footprint).cap = Some(whole);
                }
                Rule::RegionFloor { region } => s
                    .rules
                    .regions
                    .iter_mut()
                    .filter(|r| &r.region == region)
                    .for_each(|r| r.floor = None),
                Rule::RegionCap { region } => s
                    .rules
                    .regions
                    .iter_mut()
                    .filter(|r| &r.region == region)
                    .for_each(|r| r.cap = None),
                Rule::CategoryMin { category } => s
                    .rules
                    .categories
                    .iter_mut()
                    .filter(|c| &c.category == category)
                    .for_each(|c| c.min_share = None),
                Rule::CategoryMax { category } => s
                    .rules
                    .categories
                    .iter_mut()
                    .filter(|c| &c.category == category)
                    .for_each(|c| c.max_share = None),
                Rule::MustFund { project } => {
                    bids(&mut d, data).projects[*project].must_fund = false
                }
                Rule::LockIn { project } => {
                    let id = &data.projects[*project].id;
                    s.rules.lock_in.retain(|l| l != id);
                }
                Rule::Requires {
                    project,
                    prerequisite,
                } => bids(&mut d, data).projects[*project]
                    .requires
                    .retain(|q| q != prerequisite),
                Rule::ExclusiveGroup { group } => {
                    for p in &mut bids(&mut d, data).projects {
                        if p.exclusive_group.as_ref() == Some(group) {
                            p.exclusive_group = None;
                        }
                    }
                }
                // A bid's exclusion is priced through the rule behind it (the hurdle,
                // a lock-out); never-fund is the bid's own mark.
                Rule::Excluded { project } => {
                    bids(&mut d, data).projects[*project].never_fund = false
                }
                // The caps are one share for every year, so taking one away lifts them
                // all to the whole of each year's budget, the most the share can be.
                Rule::SwitchCap { .. } => s.flex.revenue_to_capital_max = Some(1.0),
                Rule::CarryCap { .. } => s.flex.carry_forward_max = Some(1.0),
                Rule::LatestStart { project } => {
                    let p = &mut bids(&mut d, data).projects[*project];
                    p.may_defer = Some(p.last_possible_shift());
                }
                Rule::MatchMin { category } => {
                    s.flex.min_match.retain(|(c, _)| c != category);
                    for p in &mut bids(&mut d, data).projects {
                        if &p.category == category {
                            p.match_share = p.own_match_share;
                        }
                    }
                }
            },
            Relaxed::Hurdle => s.rules.min_benefit_per_pound = None,
            Relaxed::LockOut { project } => {
                let id = &data.projects[*project].id;
                s.rules.lock_out.retain(|l| l != id);
            }
            Relaxed::All(kind) => match kind {
                Kind::FootprintFloors => {
                    s.rules.footprint_floor = None;
                    s.rules.footprints.iter_mut().for_each(|r| r.floor = None);
                }
                Kind::FootprintCaps => {
                    s.rules.footprint_cap = None;
                    s.rules.footprints.iter_mut().for_each(|r| r.cap = None);
                }
                Kind::MustFunds => {
                    s.rules.lock_in.clear();
                    bids(&mut d, data)
                        .projects
                        .iter_mut()
                        .for_each(|p| p.must_fund = false);
                }
                Kind::Dependencies => bids(&mut d, data)
                    .projects
                    .iter_mut()
                    .for_each(|p| p.requires.clear()),
                Kind::ExclusiveGroups => bids(&mut d, data)
                    .projects
                    .iter_mut()
                    .for_each(|p| p.exclusive_group = None),
            },
        }
        (d, s)
    }
}

/// The bids, copied the first time a removal changes them.
fn bids<'d>(d: &'d mut Option<Dataset>, data: &Dataset) -> &'d mut Dataset {
    d.get_or_insert_with(|| data.clone())
}

/// The footprint's own `[[rules.footprint]]` entry, made first in the list if it had
/// none (the first entry that names a footprint is the one that applies to it), with
/// the floor and cap that applied to it before.
pub fn own_rule<'s>(
    data: &Dataset,
    s: &'s mut Scenario,
    footprint: usize,
) -> &'s mut FootprintRule {
    let fp = &data.footprints[footprint];
    let at = s
        .rules
        .footprints
        .iter()
        .position(|r| r.footprint.matches(fp));
    let i = match at {
        Some(i) => i,
        None => {
            s.rules.footprints.insert(
                0,
                FootprintRule {
                    footprint: FootprintRef::Id(fp.id.clone()),
                    floor: None,
                    cap: None,
                },
            );
            0
        }
    };
    &mut s.rules.footprints[i]
}

struct Words<'a> {
    relaxed: &'a Relaxed,
    data: &'a Dataset,
    years: &'a [FinancialYear],
}

impl fmt::Display for Words<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.relaxed {
            Relaxed::One(rule) => write!(f, "{}", rule.named(self.data, self.years)),
            Relaxed::Hurdle => f.write_str("value-for-money hurdle"),
            Relaxed::LockOut { project } => {
                write!(f, "lock-out {}", self.data.projects[*project].id)
            }
            Relaxed::All(kind) => f.write_str(kind.words()),
        }
    }
}
