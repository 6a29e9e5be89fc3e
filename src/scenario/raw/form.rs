//! The scenario file as written: the TOML tables serde reads, before any value is
//! checked.

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScenario {
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: String,
    pub(super) data: String,
    pub(super) years: Vec<String>,
    pub(super) budget: RawBudget,
    pub(super) objective: RawObjective,
    pub(super) funding: RawFunding,
    #[serde(default)]
    pub(super) rules: RawRules,
    #[serde(default)]
    pub(super) ignore: RawIgnore,
    #[serde(default)]
    pub(super) solver: RawSolver,
    pub(super) target: Option<RawTarget>,
    #[serde(default)]
    pub(super) phasing: RawPhasing,
    #[serde(default, rename = "match")]
    pub(super) matching: RawMatch,
    pub(super) alternatives: Option<RawAlternatives>,
    pub(super) uncertainty: Option<RawUncertainty>,
    pub(super) appraisal: Option<RawAppraisal>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPhasing {
    pub(super) may_defer: Option<RawWhole>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMatch {
    #[serde(default)]
    pub(super) min_share: std::collections::BTreeMap<String, f64>,
}

/// `[alternatives]`: numbers as written (whole numbers are checked after reading, so
/// `count = 2.5` is named with its key).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlternatives {
    pub(super) count: Option<RawWhole>,
    pub(super) within: Option<f64>,
    pub(super) differ_by: Option<RawWhole>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAppraisal {
    pub(super) period: Option<RawWhole>,
    pub(super) base_year: Option<String>,
    pub(super) optimism_bias: Option<f64>,
    pub(super) optimism_bias_in_budget: Option<bool>,
    pub(super) duration_bias: Option<f64>,
    pub(super) discount: Option<Vec<RawDiscount>>,
    #[serde(default)]
    pub(super) category: Vec<RawBias>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDiscount {
    pub(super) from_year: RawWhole,
    pub(super) rate: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBias {
    pub(super) category: String,
    /// Either or both may be set; an entry with neither is refused.
    pub(super) optimism_bias: Option<f64>,
    pub(super) duration_bias: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTarget {
    pub(super) capabilities: f64,
    pub(super) population_share: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBudget {
    pub(super) capital: Option<Vec<f64>>,
    pub(super) revenue: Option<Vec<f64>>,
    pub(super) revenue_to_capital_max: Option<f64>,
    pub(super) carry_forward_max: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawObjective {
    pub(super) kind: String,
    pub(super) need: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFunding {
    pub(super) mode: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLimit {
    pub(super) share_of_fair_share: Option<f64>,
    pub(super) amount: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCategory {
    pub(super) category: String,
    pub(super) min_share: Option<f64>,
    pub(super) max_share: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRules {
    pub(super) footprint_floor: Option<RawLimit>,
    pub(super) footprint_cap: Option<RawLimit>,
    #[serde(default)]
    pub(super) category: Vec<RawCategory>,
    pub(super) min_benefit_per_pound: Option<f64>,
    pub(super) min_bcr: Option<f64>,
    #[serde(default)]
    pub(super) lock_in: Vec<String>,
    #[serde(default)]
    pub(super) lock_out: Vec<String>,
    pub(super) fair_share: Option<String>,
    #[serde(default)]
    pub(super) footprint: Vec<RawFootprintRule>,
    #[serde(default)]
    pub(super) region: Vec<RawRegionRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFootprintRule {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) floor: Option<f64>,
    pub(super) cap: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRegionRule {
    pub(super) region: String,
    pub(super) floor: Option<f64>,
    pub(super) cap: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIgnore {
    #[serde(default)]
    pub(super) floors: bool,
    #[serde(default)]
    pub(super) caps: bool,
    #[serde(default)]
    pub(super) categories: bool,
    #[serde(default)]
    pub(super) dependencies: bool,
    #[serde(default)]
    pub(super) hurdle: bool,
    #[serde(default)]
    pub(super) must_fund: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSolver {
    pub(super) mip_gap: Option<f64>,
    pub(super) time_limit_s: Option<f64>,
    pub(super) heuristic: Option<bool>,
    pub(super) random_seed: Option<RawWhole>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUncertainty {
    pub(super) draws: Option<RawWhole>,
    pub(super) seed: Option<RawWhole>,
    pub(super) time_limit_s: Option<f64>,
    #[serde(default)]
    pub(super) cost_overrun: RawByBid,
    #[serde(default)]
    pub(super) benefit: RawByBid,
}

/// A key that takes a whole number, as written. TOML keeps `2016` and `2016.5` apart,
/// and an `i64` field would make `2016.5` a type error with no key to point at; read
/// either, so the check can name the key, and keep an integer exact (an `f64` would
/// round seeds above 2^53 without a word).
#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
pub(super) enum RawWhole {
    Integer(i64),
    Float(f64),
}

impl RawWhole {
    /// The whole number written, if it is one an `i64` holds.
    pub(super) fn whole(self) -> Option<i64> {
        match self {
            RawWhole::Integer(i) => Some(i),
            // 2^63 as f64: the first float an i64 cannot hold.
            RawWhole::Float(f) if f.fract() == 0.0 && f.abs() < 9.223_372_036_854_776e18 => {
                Some(f as i64)
            }
            RawWhole::Float(_) => None,
        }
    }
}

/// As written, for an error message.
impl std::fmt::Display for RawWhole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawWhole::Integer(i) => write!(f, "{i}"),
            RawWhole::Float(x) => write!(f, "{x}"),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawByBid {
    pub(super) all: Option<RawDistribution>,
    #[serde(default)]
    pub(super) category: std::collections::BTreeMap<String, RawDistribution>,
    #[serde(default)]
    pub(super) project: std::collections::BTreeMap<String, RawDistribution>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDistribution {
    pub(super) low: f64,
    pub(super) mode: Option<f64>,
    pub(super) high: f64,
}
