//! SYNTHETIC candidate projects (bids): who bids for what, what it costs and when,
//! what it is worth, and how much it lifts its footprint's capabilities score.
//!
//! Every figure here is invented, calibrated to the facts in research/domain.md
//! §3 and §7: the paperless-2020 fund was £900m capital and £400m running costs
//! over 2016/17–2020/21, and bids oversubscribe it about two to one.

use super::figures;
use super::footprints::FootprintPlan;
use super::num::{self, stream};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Total capital bid, £k, for the default 1,200 projects (about 2.2× the £900m capital fund);
/// larger or smaller datasets scale it with the number of projects.
pub const CAPITAL_BID_PER_1200: f64 = 2_000_000.0;
/// Total revenue bid, £k, for 1,200 projects (about 2.25× the £400m running-cost fund).
pub const REVENUE_BID_PER_1200: f64 = 900_000.0;
/// Running costs per year as a share of the project's capital.
pub const REVENUE_RATIO: (f64, f64) = (0.10, 0.25);
/// Benefit–cost ratios are drawn within these bounds.
pub const BCR_RANGE: (f64, f64) = (0.6, 5.0);
/// Every footprint's capabilities score plus all its fundable projects' uplifts reaches at least this.
pub const UPLIFT_REACH: f64 = 80.0;
/// Smallest acceptable benefit–cost ratio of a must-fund continuation project.
pub const MUST_FUND_MIN_BCR: f64 = 1.4;

pub(super) const STREAM_MIX: u64 = 10;
pub(super) const STREAM_EPR: u64 = 11;
pub(super) const STREAM_ORGS: u64 = 12;
pub(super) const STREAM_FLAGS: u64 = 13;
pub(super) const STREAM_COSTS: u64 = 14;
pub(super) const STREAM_REQUIRES: u64 = 15;
pub(super) const STREAM_BENEFIT: u64 = 16;
pub(super) const STREAM_UPLIFT: u64 = 17;
pub(super) const STREAM_FRACTION: u64 = 18;
pub(super) const STREAM_PROFILE: u64 = 19;
pub(super) const STREAM_SUPPORT: u64 = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Epr,
    EPrescribing,
    SharedCareRecord,
    Infrastructure,
    PatientOnline,
    DecisionSupport,
    SocialCare,
}

/// A capital cost distribution, £k: lognormal about `median`, kept within `lo..=hi`.
#[derive(Clone, Copy, Debug)]
pub(super) struct CostProfile {
    pub median: f64,
    pub sigma: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Capital range of the EPR "optimise the current system" alternative, £k (its size is
/// a share of the replacement's).
pub(super) const EPR_OPTIMISE_RANGE: (f64, f64) = (800.0, 10_000.0);

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Epr,
        Category::EPrescribing,
        Category::SharedCareRecord,
        Category::Infrastructure,
        Category::PatientOnline,
        Category::DecisionSupport,
        Category::SocialCare,
    ];

    /// The category as written in projects.csv.
    pub const fn label(self) -> &'static str {
        match self {
            Category::Epr => "EPR",
            Category::EPrescribing => "e-prescribing",
            Category::SharedCareRecord => "Shared care record",
            Category::Infrastructure => "Infrastructure and Wi-Fi",
            Category::PatientOnline => "Patient online access",
            Category::DecisionSupport => "Decision support",
            Category::SocialCare => "Social care integration",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Expected share of the bids.
    fn count_share(self) -> f64 {
        match self {
            Category::Epr => 0.095,
            Category::EPrescribing => 0.09,
            Category::SharedCareRecord => 0.065,
            Category::Infrastructure => 0.23,
            Category::PatientOnline => 0.18,
            Category::DecisionSupport => 0.15,
            Category::SocialCare => 0.19,
        }
    }

    pub(super) fn cost(self) -> CostProfile {
        let (median, sigma, lo, hi) = match self {
            Category::Epr => (7_000.0, 0.55, 2_500.0, 25_000.0),
            Category::EPrescribing => (2_200.0, 0.40, 1_000.0, 5_000.0),
            Category::SharedCareRecord => (3_200.0, 0.45, 1_500.0, 8_000.0),
            Category::Infrastructure => (850.0, 0.55, 300.0, 3_000.0),
            Category::PatientOnline => (380.0, 0.60, 100.0, 1_500.0),
            Category::DecisionSupport => (1_300.0, 0.50, 500.0, 4_000.0),
            Category::SocialCare => (800.0, 0.50, 300.0, 2_500.0),
        };
        CostProfile {
            median,
            sigma,
            lo,
            hi,
        }
    }

    /// Median benefit–cost ratio: medicines and decision support pay back best, plumbing least.
    pub(super) fn bcr_median(self) -> f64 {
        match self {
            Category::Epr => 1.6,
            Category::EPrescribing => 2.4,
            Category::SharedCareRecord => 1.9,
            Category::Infrastructure => 1.35,
            Category::PatientOnline => 1.8,
            Category::DecisionSupport => 2.3,
            Category::SocialCare => 1.7,
        }
    }

    /// The range the cash-releasing share of a bid's benefits is drawn from: medicines
    /// waste and printing stop costing money; most digital benefits are staff time and
    /// quality (non-cash-releasing).
    pub(super) fn cash_share(self) -> (f64, f64) {
        match self {
            Category::EPrescribing => (0.35, 0.55),
            Category::Epr => (0.2, 0.4),
            Category::Infrastructure => (0.1, 0.25),
            Category::DecisionSupport => (0.25, 0.45),
            Category::SharedCareRecord | Category::PatientOnline | Category::SocialCare => {
                (0.15, 0.35)
            }
        }
    }

    /// Relative capability gain per bid of typical size: an EPR moves the score most.
    pub(super) fn uplift_weight(self) -> f64 {
        match self {
            Category::Epr => 6.0,
            Category::EPrescribing => 2.0,
            Category::SharedCareRecord => 2.5,
            Category::Infrastructure => 0.6,
            Category::PatientOnline => 0.6,
            Category::DecisionSupport => 1.8,
            Category::SocialCare => 1.0,
        }
    }

    /// How a bid's revenue (running cost) support from the fund is drawn: the chance it
    /// asks for capital only (kit whose upkeep its organisation pays from the start), and
    /// the chance the support is time-limited (two or three financial years from go-live,
    /// then its own budget takes over). The rest are supported to the fund's last year.
    /// Infrastructure is mostly equipment (the Wi-Fi and Nursing Technology funds paid
    /// capital only); EPRs and the footprint-wide records carry on costing the fund.
    pub(super) fn revenue_support(self) -> (f64, f64) {
        match self {
            Category::Epr => (0.0, 0.0),
            Category::EPrescribing => (0.0, 0.2),
            Category::SharedCareRecord => (0.0, 0.25),
            Category::Infrastructure => (0.5, 0.2),
            Category::PatientOnline => (0.1, 0.35),
            Category::DecisionSupport => (0.0, 0.25),
            Category::SocialCare => (0.1, 0.4),
        }
    }

    /// Capital years: (first length, weights for that length and the next ones).
    pub(super) fn durations(self) -> (usize, &'static [f64]) {
        match self {
            Category::Epr => (2, &[0.25, 0.45, 0.30]),
            Category::SharedCareRecord => (1, &[0.25, 0.50, 0.25]),
            _ => (1, &[0.40, 0.40, 0.20]),
        }
    }

    /// Trust-led title variants (EPR titles are chosen separately).
    fn trust_titles(self) -> &'static [&'static str] {
        match self {
            Category::EPrescribing => &[
                "Electronic prescribing and medicines administration",
                "Closed-loop medicines administration with barcode scanning",
                "Electronic prescribing in outpatients and day units",
                "Pharmacy stock control and medicines reconciliation",
            ],
            Category::Infrastructure => &[
                "Wi-Fi for patients and staff",
                "Network and data centre refresh",
                "End-user devices and mobile working",
                "Cyber security hardening and server replacement",
                "HSCN migration and network resilience",
            ],
            Category::PatientOnline => &[
                "Patient portal for appointments and letters",
                "Video outpatient consultations",
                "Digital outpatient booking and e-referral integration",
            ],
            Category::DecisionSupport => &[
                "Clinical decision support and sepsis alerting",
                "Electronic observations and deterioration alerts",
                "Order communications and results decision support",
                "Antimicrobial stewardship decision support",
                "Clinical data warehouse and analytics",
            ],
            _ => &["Digital programme"],
        }
    }

    /// CCG-led title variants.
    fn ccg_titles(self) -> &'static [&'static str] {
        match self {
            Category::SharedCareRecord => &[
                "Shared care record",
                "Shared care record: community, mental health and hospice access",
                "Shared care record: patient access and care plans",
                "End-of-life care plan sharing",
            ],
            Category::Infrastructure => &[
                "GP practice Wi-Fi",
                "GP IT infrastructure and HSCN migration",
                "Community and primary care mobile working devices",
            ],
            Category::PatientOnline => &[
                "GP online services: appointments, repeat prescriptions and record access",
                "Online and video consultations in general practice",
                "Electronic repeat dispensing roll-out",
            ],
            _ => &["Digital programme"],
        }
    }

    fn council_titles(self) -> &'static [&'static str] {
        &[
            "Social care record integration with the shared care record",
            "Electronic hospital discharge and assessment notices to social care",
            "Child protection information sharing",
            "Care home digital access: NHSmail and record viewing",
            "Assistive technology and telecare",
            "Social care case management system replacement",
            "Digital care and support planning",
            "Reablement and intermediate care scheduling",
        ]
    }
}

/// What role a bid plays among its organisation's EPR bids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An ordinary bid.
    Single,
    /// An EPR replacement with an optimise alternative in the same exclusive group.
    Replace,
    /// The cheaper alternative to a replacement: optimise the current EPR.
    Optimise,
}

/// Who leads a bid: a trust or CCG of the footprint (by index), or its councils.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lead {
    Trust(usize),
    Ccg(usize),
    Councils,
}

/// One generated project.
#[derive(Clone, Debug)]
pub struct Bid {
    pub footprint: usize,
    pub category: Category,
    pub kind: Kind,
    pub lead: Lead,
    pub organisation: String,
    pub title: String,
    pub group: Option<String>,
    /// For an optimise alternative: the replacement it competes with.
    pub pair: Option<usize>,
    pub must_fund: bool,
    pub never_fund: bool,
    /// The footprint-wide shared care record (the one other bids build on).
    pub anchor: bool,
    pub requires: Vec<usize>,
    /// £k in tenths (i.e. £100s), per year.
    pub capital: Vec<i64>,
    pub revenue: Vec<i64>,
    /// £k in tenths.
    pub benefit: i64,
    /// Benefits by year of the appraisal horizon (see `figures::set_benefit_profiles`),
    /// cash-releasing and non-cash-releasing, £k in tenths.
    pub benefit_cash: Vec<i64>,
    pub benefit_noncash: Vec<i64>,
    /// Running cost a year after the fund's years, £k in tenths.
    pub running_cost: i64,
    /// Capability points in tenths.
    pub uplift: i64,
    pub min_fraction: Option<&'static str>,
}

impl Bid {
    pub fn whole_cost(&self) -> i64 {
        self.capital.iter().sum::<i64>() + self.revenue.iter().sum::<i64>()
    }

    /// Counts towards the footprint's reachable capability: fundable, and for an
    /// exclusive EPR pair only the replacement (the bigger of the two).
    pub fn counts_for_reach(&self) -> bool {
        !self.never_fund && self.kind != Kind::Optimise
    }
}

/// `count` projects over `footprints`, costed for `years` financial years.
pub fn build(seed: u64, footprints: &[FootprintPlan], count: usize, years: usize) -> Vec<Bid> {
    if footprints.is_empty() || count == 0 {
        return Vec::new();
    }
    let pops: Vec<f64> = footprints.iter().map(|f| f.population as f64).collect();
    let per_footprint = num::apportion(count, &pops, 5);

    let mut rng = stream(seed, STREAM_MIX);
    let mixes: Vec<[usize; 7]> = footprints
        .iter()
        .zip(&per_footprint)
        .map(|(f, &n)| category_counts(n, f.trusts.len(), &mut rng))
        .collect();
    let pairs = epr_pairs(seed, &mixes, footprints, (count + 20) / 40);

    let mut rng = stream(seed, STREAM_ORGS);
    let mut bids: Vec<Bid> = Vec::with_capacity(count);
    for (fi, f) in footprints.iter().enumerate() {
        bids.extend(footprint_bids(
            fi, f, &mixes[fi], pairs[fi], years, &mut rng,
        ));
    }
    link_pairs(&mut bids);
    figures::set_flags(seed, &mut bids);
    figures::cost(seed, &mut bids, years, count);
    figures::set_requires(seed, &mut bids);
    figures::set_benefits(seed, &mut bids);
    figures::set_uplifts(seed, &mut bids, footprints);
    figures::set_min_fractions(seed, &mut bids);
    figures::set_benefit_profiles(seed, &mut bids, horizon(years));
    bids
}

/// The years benefits are profiled over: the default appraisal period from the fund's
/// first year, or the fund's years if longer.
pub fn horizon(years: usize) -> usize {
    (crate::appraisal::settings::DEFAULT_PERIOD as usize).max(years)
}

/// How many bids of each category a footprint of `n` bids makes: the national
/// mix, jittered ±25% per footprint; at least one EPR, shared care record and
/// social care bid where there are five bids or more; at most two EPR bids per trust.
fn category_counts(n: usize, trusts: usize, rng: &mut ChaCha8Rng) -> [usize; 7] {
    let w: Vec<f64> = Category::ALL
        .iter()
        .map(|c| c.count_share() * num::uniform_in(rng, 0.75, 1.25))
        .collect();
    let v = num::apportion(n, &w, 0);
    let mut c = [0usize; 7];
    c.copy_from_slice(&v);
    let essential = [
        Category::Epr,
        Category::SharedCareRecord,
        Category::SocialCare,
    ];
    if n >= 5 {
        for e in essential {
            if c[e.index()] == 0 {
                let donor = (0..7)
                    .filter(|&i| {
                        c[i] > 1 || (c[i] == 1 && !essential.iter().any(|x| x.index() == i))
                    })
                    .max_by(|&a, &b| c[a].cmp(&c[b]).then(b.cmp(&a)))
                    .expect("five bids leave a donor");
                c[donor] -= 1;
                c[e.index()] += 1;
            }
        }
    }
    let cap = 2 * trusts;
    let e = Category::Epr.index();
    if c[e] > cap {
        let extra = c[e] - cap;
        c[e] = cap;
        c[Category::EPrescribing.index()] += extra.div_ceil(2);
        c[Category::DecisionSupport.index()] += extra / 2;
    }
    c
}

/// How many trusts in each footprint bid two exclusive EPR options (replace or
/// optimise): enough where EPR bids outnumber trusts, then spread at random
/// until the national count reaches `target` (about one bid in forty, 30 of 1,200).
fn epr_pairs(
    seed: u64,
    mixes: &[[usize; 7]],
    footprints: &[FootprintPlan],
    target: usize,
) -> Vec<usize> {
    let mut rng = stream(seed, STREAM_EPR);
    let e = Category::Epr.index();
    let lo: Vec<usize> = mixes
        .iter()
        .zip(footprints)
        .map(|(m, f)| m[e].saturating_sub(f.trusts.len()))
        .collect();
    let hi: Vec<usize> = mixes.iter().map(|m| m[e] / 2).collect();
    let mut pairs = lo.clone();
    let mut total: usize = pairs.iter().sum();
    while total < target {
        let room: Vec<f64> = pairs
            .iter()
            .zip(&hi)
            .map(|(&p, &h)| (h - p) as f64)
            .collect();
        if room.iter().all(|&r| r == 0.0) {
            break;
        }
        pairs[num::weighted(&mut rng, &room)] += 1;
        total += 1;
    }
    pairs
}

/// Round-robin over a shuffled list, so repeated bids spread over the organisations.
struct RoundRobin {
    order: Vec<usize>,
    next: usize,
}

impl RoundRobin {
    fn new(n: usize, rng: &mut ChaCha8Rng) -> Self {
        let mut order: Vec<usize> = (0..n).collect();
        num::shuffle(rng, &mut order);
        RoundRobin { order, next: 0 }
    }

    fn take(&mut self) -> usize {
        let i = self.order[self.next % self.order.len()];
        self.next += 1;
        i
    }
}

fn blank_bid(
    fi: usize,
    category: Category,
    kind: Kind,
    lead: Lead,
    organisation: String,
    title: String,
    years: usize,
) -> Bid {
    Bid {
        footprint: fi,
        category,
        kind,
        lead,
        organisation,
        title,
        group: None,
        pair: None,
        must_fund: false,
        never_fund: false,
        anchor: false,
        requires: Vec::new(),
        capital: vec![0; years],
        revenue: vec![0; years],
        benefit: 0,
        benefit_cash: Vec::new(),
        benefit_noncash: Vec::new(),
        running_cost: 0,
        uplift: 0,
        min_fraction: None,
    }
}

/// The footprint's bids, each with its lead organisation and title, in a stable order:
/// trusts (lookup order), then CCGs, then councils; by category within each.
fn footprint_bids(
    fi: usize,
    f: &FootprintPlan,
    mix: &[usize; 7],
    pairs: usize,
    years: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Bid> {
    let councils = format!("{} councils", f.short);
    let org_name = |lead: Lead| match lead {
        Lead::Trust(t) => f.trusts[t].name.clone(),
        Lead::Ccg(c) => f.ccgs[c].name.clone(),
        Lead::Councils => councils.clone(),
    };
    let mut bids = Vec::new();
    // Per organisation (or area) and category: a random first variant, then the next ones in turn.
    let mut used: HashMap<(Lead, Category), (usize, usize)> = HashMap::new();
    let mut variant = |key: (Lead, Category),
                       variants: &'static [&'static str],
                       rng: &mut ChaCha8Rng|
     -> (&'static str, usize) {
        let (offset, k) = used
            .entry(key)
            .or_insert_with(|| (num::below(rng, variants.len()), 0));
        let v = variants[(*offset + *k) % variants.len()];
        let lot = *k / variants.len();
        *k += 1;
        (v, lot)
    };
    let lot = |title: String, lot: usize| {
        if lot == 0 {
            title
        } else {
            format!("{title} (lot {})", lot + 1)
        }
    };

    // EPR: distinct trusts; the first `pairs` of them bid both options.
    let epr = mix[Category::Epr.index()];
    let mut trust_order: Vec<usize> = (0..f.trusts.len()).collect();
    num::shuffle(rng, &mut trust_order);
    for (j, &t) in trust_order.iter().take(epr - pairs).enumerate() {
        let lead = Lead::Trust(t);
        let org = org_name(lead);
        if j < pairs {
            let group = format!("epr-options-{}", f.trusts[t].code);
            let mut a = blank_bid(
                fi,
                Category::Epr,
                Kind::Replace,
                lead,
                org.clone(),
                format!("Electronic patient record replacement — {org}"),
                years,
            );
            a.group = Some(group.clone());
            let mut b = blank_bid(
                fi,
                Category::Epr,
                Kind::Optimise,
                lead,
                org.clone(),
                format!(
                    "Electronic patient record optimisation (alternative to replacement) — {org}"
                ),
                years,
            );
            b.group = Some(group);
            bids.push(a);
            bids.push(b);
        } else {
            let variant = [
                "Electronic patient record replacement",
                "Electronic patient record implementation",
                "Electronic patient record upgrade and extension",
            ][num::weighted(rng, &[0.5, 0.3, 0.2])];
            bids.push(blank_bid(
                fi,
                Category::Epr,
                Kind::Single,
                lead,
                org.clone(),
                format!("{variant} — {org}"),
                years,
            ));
        }
    }

    let mut lead_ccg: Vec<usize> = (0..f.ccgs.len()).collect();
    lead_ccg.sort_by(|&a, &b| {
        f.ccgs[b]
            .population
            .cmp(&f.ccgs[a].population)
            .then(a.cmp(&b))
    });
    // Council bids name the local area (a CCG's area) where the footprint has several.
    let mut areas = RoundRobin::new(f.ccgs.len(), rng);
    for category in Category::ALL.into_iter().skip(1) {
        let mut trusts = RoundRobin::new(f.trusts.len(), rng);
        let mut ccgs = RoundRobin::new(f.ccgs.len(), rng);
        for j in 0..mix[category.index()] {
            let (lead, title) = match category {
                Category::SharedCareRecord => {
                    // The footprint-wide record, led by the largest CCG, then extensions led by the others.
                    let variants = category.ccg_titles();
                    let v = variants[j % variants.len()];
                    let v = if j == 0 {
                        format!("{v} for {}", f.short)
                    } else {
                        v.to_string()
                    };
                    (
                        Lead::Ccg(lead_ccg[j % lead_ccg.len()]),
                        lot(v, j / variants.len()),
                    )
                }
                Category::SocialCare | Category::Epr => {
                    let a = areas.take();
                    let (v, k) = variant((Lead::Ccg(a), category), category.council_titles(), rng);
                    let v = if f.ccgs.len() > 1 {
                        format!("{v} in {}", area_name(&f.ccgs[a].name))
                    } else {
                        v.to_string()
                    };
                    (Lead::Councils, lot(v, k))
                }
                _ => {
                    let lead = match category {
                        Category::Infrastructure if num::chance(rng, 0.35) => {
                            Lead::Ccg(ccgs.take())
                        }
                        Category::PatientOnline if num::chance(rng, 0.6) => Lead::Ccg(ccgs.take()),
                        _ => Lead::Trust(trusts.take()),
                    };
                    let variants = if matches!(lead, Lead::Ccg(_)) {
                        category.ccg_titles()
                    } else {
                        category.trust_titles()
                    };
                    let (v, k) = variant((lead, category), variants, rng);
                    (lead, lot(v.to_string(), k))
                }
            };
            let org = org_name(lead);
            let title = format!("{title} — {org}");
            let mut bid = blank_bid(fi, category, Kind::Single, lead, org, title, years);
            bid.anchor = category == Category::SharedCareRecord && j == 0;
            bids.push(bid);
        }
    }
    bids.sort_by_key(|a| (a.lead, a.category, a.kind));
    bids
}

/// A CCG's area: "NHS North Durham CCG" → "North Durham".
fn area_name(ccg: &str) -> &str {
    let s = ccg.strip_prefix("NHS ").unwrap_or(ccg);
    s.strip_suffix(" CCG").unwrap_or(s)
}

/// Points each optimise alternative at the replacement it competes with.
fn link_pairs(bids: &mut [Bid]) {
    let mut replace: HashMap<String, usize> = HashMap::new();
    for (i, b) in bids.iter().enumerate() {
        if b.kind == Kind::Replace {
            replace.insert(b.group.clone().expect("replacements have a group"), i);
        }
    }
    for b in bids.iter_mut() {
        if b.kind == Kind::Optimise {
            b.pair = Some(replace[b.group.as_ref().expect("alternatives have a group")]);
        }
    }
}
