//! Scenario: a TOML file → validated policy rules, budget and solver settings.
//!
//! The file format is the contract analysts write by hand; unknown keys are
//! errors (a typo must not silently drop a rule).

mod alternatives;
mod chain;
pub mod flex;
mod keys;
mod locate;
mod raw;
pub mod relax;
mod rule;
pub mod sweep;
pub mod uncertainty;

pub use alternatives::{AlternativesRequest, Cut};
pub use flex::{Flex, Moves};
pub use locate::Entry;
pub use rule::{Named, Rule};

use crate::domain::{BudgetLine, FinancialYear, Money};
use crate::error::{Error, InputError, Result};
use std::path::{Path, PathBuf};

/// What the optimiser maximises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveKind {
    /// Sum of funded projects' monetised benefit (present value, £k).
    Benefit,
    /// Capability uplift weighted by footprint population and the need policy.
    Maturity,
    /// Net present social value of the funded bids (Green Book appraisal, £k).
    Npv,
}

impl ObjectiveKind {
    /// The unit its value is measured in.
    pub fn value_unit(self) -> ValueUnit {
        match self {
            ObjectiveKind::Benefit => ValueUnit::Benefit,
            ObjectiveKind::Maturity => ValueUnit::PersonPoints,
            ObjectiveKind::Npv => ValueUnit::Npsv,
        }
    }
}

/// What an allocation's value is measured in, as every report spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ValueUnit {
    /// Monetised benefit, present value, £k.
    #[serde(rename = "£k of benefit (present value)")]
    Benefit,
    /// One person whose footprint's capabilities rise one point, weighted by need.
    #[serde(rename = "need-weighted person-points")]
    PersonPoints,
    /// Net present social value, £k (Green Book appraisal).
    #[serde(rename = "£k of net present social value")]
    Npsv,
}

impl ValueUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueUnit::Benefit => "£k of benefit (present value)",
            ValueUnit::PersonPoints => "need-weighted person-points",
            ValueUnit::Npsv => "£k of net present social value",
        }
    }

    /// True when the value is money (£k), so it can be shown as £m or £bn.
    pub fn is_money(self) -> bool {
        self != ValueUnit::PersonPoints
    }

    /// The words after the figure when the figure is shown as money: "£1.2m of benefit
    /// (present value)".
    pub fn money_words(self) -> Option<&'static str> {
        self.as_str().strip_prefix("£k ")
    }
}

impl std::fmt::Display for ValueUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the maturity objective weighs footprints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedPolicy {
    /// Weight by how far capabilities are below 100: fund the least mature first.
    LeastMatureFirst,
    /// Weight by readiness: fund those able to deliver.
    ReadinessLed,
    Neutral,
}

impl NeedPolicy {
    pub fn name(self) -> &'static str {
        match self {
            NeedPolicy::LeastMatureFirst => "least_mature_first",
            NeedPolicy::ReadinessLed => "readiness_led",
            NeedPolicy::Neutral => "neutral",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingMode {
    /// A project is funded in full or not at all.
    AllOrNothing,
    /// A project may be funded between its `min_fraction` and 1.
    Partial,
}

/// A per-footprint floor or cap.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// A multiple of the footprint's fair share of the whole fund.
    ShareOfFairShare(f64),
    /// An amount in £k, the same for every footprint.
    Amount(Money),
}

impl Limit {
    pub fn amount(self, fair_share: Money) -> Money {
        match self {
            Limit::ShareOfFairShare(s) => s * fair_share,
            Limit::Amount(a) => a,
        }
    }

    pub fn describe(self) -> String {
        match self {
            Limit::ShareOfFairShare(s) => format!("{:.0}% of fair share", s * 100.0),
            Limit::Amount(a) => format!("£{}k", crate::format::thousands(a)),
        }
    }
}

/// A category's share of the money allocated, as a fraction of the total allocated.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CategoryShare {
    pub category: String,
    pub min_share: Option<f64>,
    pub max_share: Option<f64>,
}

/// What a footprint's fair share of the fund is in proportion to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FairShareBasis {
    /// Registered population.
    #[default]
    Population,
    /// NHS England's need-weighted capitation (`weighted_population` in footprints.csv).
    WeightedPopulation,
}

impl FairShareBasis {
    pub fn name(self) -> &'static str {
        match self {
            FairShareBasis::Population => "population",
            FairShareBasis::WeightedPopulation => "weighted_population",
        }
    }

    /// The basis in words, for reports: "population" or "weighted population".
    pub fn words(self) -> &'static str {
        match self {
            FairShareBasis::Population => "population",
            FairShareBasis::WeightedPopulation => "weighted population",
        }
    }

    /// The footprint's head count on this basis. A missing weighted population is
    /// refused before solving (`pipeline::checks`), so the fallback is never reached
    /// in a run.
    pub fn heads(self, footprint: &crate::domain::Footprint) -> f64 {
        match self {
            FairShareBasis::Population => footprint.population,
            FairShareBasis::WeightedPopulation => footprint
                .weighted_population
                .unwrap_or(footprint.population),
        }
    }
}

/// A footprint named in `[[rules.footprint]]`, by its id or its name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FootprintRef {
    Id(String),
    Name(String),
}

impl FootprintRef {
    pub fn matches(&self, footprint: &crate::domain::Footprint) -> bool {
        match self {
            FootprintRef::Id(id) => footprint.id == *id,
            FootprintRef::Name(name) => footprint.name == *name,
        }
    }

    /// The key that names it in the scenario and its value.
    pub fn key(&self) -> (&'static str, &str) {
        match self {
            FootprintRef::Id(id) => ("id", id),
            FootprintRef::Name(name) => ("name", name),
        }
    }
}

/// A floor and cap (£k) for one footprint, in place of the general rules for it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FootprintRule {
    pub footprint: FootprintRef,
    pub floor: Option<Money>,
    pub cap: Option<Money>,
}

/// A floor and cap (£k) on the money of all footprints in one region together.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RegionRule {
    pub region: String,
    pub floor: Option<Money>,
    pub cap: Option<Money>,
}

/// Kinds of rule dropped for one run (`[ignore]`), so a what-if needs no edited copy
/// of the rules or the bids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct Ignore {
    pub floors: bool,
    pub caps: bool,
    pub categories: bool,
    pub dependencies: bool,
    pub hurdle: bool,
    pub must_fund: bool,
}

impl Ignore {
    /// The kinds ignored, in words, in a fixed order: empty when none is.
    pub fn kinds(&self) -> Vec<&'static str> {
        [
            (self.floors, "floors"),
            (self.caps, "caps"),
            (self.categories, "category shares"),
            (self.dependencies, "dependencies"),
            (self.hurdle, "value-for-money hurdle"),
            (self.must_fund, "the bids' must_fund flags"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| name)
        .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Default, serde::Serialize)]
pub struct Rules {
    pub footprint_floor: Option<Limit>,
    pub footprint_cap: Option<Limit>,
    /// Floors and caps for named footprints, overriding the general ones for them.
    pub footprints: Vec<FootprintRule>,
    pub regions: Vec<RegionRule>,
    pub categories: Vec<CategoryShare>,
    /// Value-for-money hurdle: minimum benefit per £ of fund money (a benefit–cost ratio).
    pub min_benefit_per_pound: Option<f64>,
    /// Green Book hurdle: minimum benefit–cost ratio of the bid's appraisal
    /// (whole-life costs with optimism bias, discounted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_bcr: Option<f64>,
    /// Project ids funded in full whatever their own flags say (on top of must_fund).
    pub lock_in: Vec<String>,
    /// Project ids never funded (on top of never_fund).
    pub lock_out: Vec<String>,
    pub fair_share: FairShareBasis,
    /// What this run ignores. Floors, caps, categories and the hurdle are already
    /// dropped from these rules; dependencies and must_fund are dropped from the bids
    /// when the dataset is loaded for the scenario.
    pub ignore: Ignore,
}

impl Rules {
    /// Drops the kinds of rule `ignore` names that live in the scenario, so no stage
    /// downstream can enforce them by mistake: ignoring floors is a scenario without
    /// floors. A footprint or region rule left with neither floor nor cap stays, so
    /// the footprint or region it names is still checked against the data.
    pub fn drop_ignored(&mut self) {
        let ignore = self.ignore;
        if ignore.floors {
            *self = self.without_floors();
        }
        if ignore.caps {
            self.footprint_cap = None;
            self.footprints.iter_mut().for_each(|r| r.cap = None);
            self.regions.iter_mut().for_each(|r| r.cap = None);
        }
        if ignore.categories {
            self.categories.clear();
        }
        if ignore.hurdle {
            self.min_benefit_per_pound = None;
            self.min_bcr = None;
        }
    }

    /// True when any floor is set: general, per footprint or per region.
    pub fn has_floors(&self) -> bool {
        self.footprint_floor.is_some()
            || self.footprints.iter().any(|r| r.floor.is_some())
            || self.regions.iter().any(|r| r.floor.is_some())
    }

    /// These rules without any floor, for the solve that says which floors bind.
    pub fn without_floors(&self) -> Rules {
        let mut rules = self.clone();
        rules.footprint_floor = None;
        rules.footprints.iter_mut().for_each(|r| r.floor = None);
        rules.regions.iter_mut().for_each(|r| r.floor = None);
        rules
    }
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct SolverSettings {
    /// Relative MIP gap at which the solver may stop; 0 asks for a proven optimum.
    pub mip_gap: f64,
    pub time_limit_s: f64,
    /// Whether techfund's own primal heuristic runs before HiGHS' branch and bound.
    /// Off, HiGHS solves the MIP alone: for comparison, and to show the answers agree.
    pub heuristic: bool,
    /// HiGHS' random seed. The same seed gives the same answer, byte for byte; another
    /// may give another allocation within the gap, in a very different time (these
    /// knapsack-like MIPs vary several-fold from seed to seed), which is what the
    /// benchmark's seeds measure.
    pub random_seed: i32,
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            mip_gap: 1e-4,
            time_limit_s: 60.0,
            heuristic: true,
            random_seed: 0,
        }
    }
}

/// What `techfund target` must achieve: every footprint (or footprints holding the given
/// share of the population) at or above a capability score by the last year.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Target {
    pub capabilities: f64,
    pub population_share: f64,
}

/// A validated scenario. `budget` holds one amount per year for each line the fund pays;
/// a line with no budget (revenue, when omitted) is not paid by the fund.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    #[serde(skip)]
    pub path: PathBuf,
    /// Dataset folder, resolved against the scenario file's folder.
    pub data: PathBuf,
    pub years: Vec<FinancialYear>,
    pub budget: Vec<(BudgetLine, Vec<Money>)>,
    pub objective: ObjectiveKind,
    pub need: NeedPolicy,
    pub funding: FundingMode,
    pub rules: Rules,
    pub solver: SolverSettings,
    pub target: Option<Target>,
    /// Budget mechanics (switch, carry-forward, phasing, match), all off by default.
    #[serde(skip_serializing_if = "Flex::is_off")]
    pub flex: Flex,
    /// `[uncertainty]`: the robustness run's draws, when the scenario asks for one.
    /// Left out of run.json when absent, so other scenarios' manifests are unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<uncertainty::Uncertainty>,
    /// The Green Book appraisal's settings, when the scenario has `[appraisal]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appraisal: Option<crate::appraisal::Settings>,
    /// The whole scenario after `extends` is applied, as TOML, for the report.
    #[serde(skip)]
    pub resolved: String,
    /// Every file the scenario was read from: itself, then what it extends.
    #[serde(skip)]
    pub files: Vec<PathBuf>,
    /// Bids held in or out whatever else the rules allow, to ask what each is worth to
    /// the portfolio (`techfund explain`). Not the scenario's own `lock_in`/`lock_out`
    /// rules: files never set these, and the rules stay as written, so a floor a bid
    /// held out was needed for still stands.
    #[serde(skip)]
    pub holds: Vec<Hold>,
    /// `[alternatives]`: near-optimal alternatives to find after the optimum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<AlternativesRequest>,
    /// Extra rows of a re-solve looking for an alternative (see [`Cut`]). Files never
    /// set these; the model adds a row for each and the check tests each.
    #[serde(skip)]
    pub cuts: Vec<Cut>,
}

/// One bid held funded in full (`funded`) or not funded at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hold {
    /// Index into the dataset's projects.
    pub project: usize,
    pub funded: bool,
}

impl Scenario {
    /// Whether `project` is held in (`true`) or out (`false`) by `techfund explain`.
    pub fn held(&self, project: usize) -> Option<bool> {
        self.holds
            .iter()
            .find(|l| l.project == project)
            .map(|l| l.funded)
    }

    /// The appraisal's settings: the scenario's `[appraisal]`, or the defaults.
    pub fn appraisal_settings(&self) -> crate::appraisal::Settings {
        self.appraisal
            .clone()
            .unwrap_or_else(|| crate::appraisal::Settings::default_for(&self.years))
    }

    /// Whether the run appraises the bids (and writes appraisal.csv): the scenario has
    /// `[appraisal]`, maximises NPSV, or sets a BCR hurdle.
    pub fn appraises(&self) -> bool {
        self.appraisal.is_some()
            || self.objective == ObjectiveKind::Npv
            || self.rules.min_bcr.is_some()
    }

    /// The budget lines the fund pays for, in a fixed order.
    pub fn lines(&self) -> Vec<BudgetLine> {
        self.budget.iter().map(|(l, _)| *l).collect()
    }

    pub fn budget_for(&self, line: BudgetLine) -> Option<&[Money]> {
        self.budget
            .iter()
            .find(|(l, _)| *l == line)
            .map(|(_, v)| v.as_slice())
    }

    pub fn total_budget(&self) -> Money {
        self.budget.iter().flat_map(|(_, v)| v.iter()).sum()
    }

    /// Reads and validates a scenario file: a regular file of at most 1 MiB of UTF-8
    /// ([`crate::dataset::file::SCENARIO_LIMIT`]), as is every file it extends.
    pub fn load(path: &Path) -> Result<Scenario> {
        let text = chain::read_text(path).map_err(|e| match e {
            chain::ReadText::NotUtf8(e) => Error::Input(e),
            chain::ReadText::Unreadable(problem) => Error::Input(InputError::file(
                path,
                format!("cannot read the scenario file: {problem}"),
                "check the path; scenarios live in scenarios/*.toml",
            )),
        })?;
        Ok(Self::parse(path, &text)?)
    }

    /// An error about a key of this scenario, at the place the first of its files sets
    /// it (`table` "" for the top level): for problems found after loading, such as a
    /// year the dataset does not cost.
    pub fn key_error(
        &self,
        table: &str,
        key: &str,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> InputError {
        let files = if self.files.is_empty() {
            std::slice::from_ref(&self.path)
        } else {
            &self.files
        };
        locate::key_error(files, table, key, problem.into(), fix.into())
    }

    /// An error about `key` in one entry of an array of tables, such as the
    /// `[[rules.footprint]]` with `id = "E54000007"`, at that entry in the file that has it.
    pub fn entry_error(
        &self,
        entry: &Entry,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> InputError {
        let files = if self.files.is_empty() {
            std::slice::from_ref(&self.path)
        } else {
            &self.files
        };
        locate::entry_error_in_files(files, entry, problem.into(), fix.into())
    }

    pub fn parse(path: &Path, text: &str) -> Result<Scenario, InputError> {
        raw::parse(path, text)
    }
}

#[cfg(test)]
mod tests;
