//! SYNTHETIC figures for each bid once it is known who bids for what: the must-fund
//! and withdrawn flags, costs per year, dependencies, benefits, capability uplifts and
//! minimum fundable shares, each from its own seeded stream.

use super::footprints::FootprintPlan;
use super::num::{self, stream};
use super::projects::*;
use std::collections::HashMap;

/// A few modest continuation commitments (must fund) and a handful of withdrawn bids (never fund).
pub(super) fn set_flags(seed: u64, bids: &mut [Bid]) {
    let mut rng = stream(seed, STREAM_FLAGS);
    let n = bids.len();
    let mut order: Vec<usize> = (0..n).collect();
    num::shuffle(&mut rng, &mut order);
    let mut must = 0;
    let mut seen = Vec::new();
    let musts = if n >= 60 { 3 } else { n / 20 };
    for &i in &order {
        if must == musts {
            break;
        }
        let b = &bids[i];
        let ok = matches!(
            b.category,
            Category::SharedCareRecord | Category::Infrastructure | Category::SocialCare
        );
        if !ok || b.kind != Kind::Single || seen.contains(&b.footprint) {
            continue;
        }
        seen.push(b.footprint);
        let base = match (b.category, b.lead) {
            (Category::SharedCareRecord, _) => "Shared care record phase 2",
            (Category::Infrastructure, Lead::Ccg(_)) => "GP practice Wi-Fi phase 2",
            (Category::Infrastructure, _) => "Wi-Fi for patients and staff phase 2",
            _ => "Social care record integration phase 2",
        };
        let b = &mut bids[i];
        b.title = format!("{base} (continuing commitment) — {}", b.organisation);
        b.must_fund = true;
        must += 1;
    }
    let nevers = ((n + 120) / 240).max(3).min(n / 20);
    let mut never = 0;
    num::shuffle(&mut rng, &mut order);
    for &i in &order {
        if never == nevers {
            break;
        }
        let b = &mut bids[i];
        let ok = matches!(
            b.category,
            Category::EPrescribing
                | Category::Infrastructure
                | Category::PatientOnline
                | Category::DecisionSupport
                | Category::SocialCare
        );
        if !ok || b.kind != Kind::Single || b.must_fund {
            continue;
        }
        b.title = format!("{} (bid withdrawn)", b.title);
        b.never_fund = true;
        never += 1;
    }
}

/// Per-bid draw before calibration.
struct Draft {
    raw: f64,
    lo: f64,
    hi: f64,
    start: usize,
    shares: Vec<f64>,
    ratio: f64,
    support: Support,
}

impl Draft {
    /// The go-live year: the last capital year.
    fn live(&self) -> usize {
        self.start + self.shares.len() - 1
    }

    /// The years after go-live the fund pays revenue for, up to the fund's last year
    /// (`years` of them), not counting the go-live year itself.
    fn full_revenue_years(&self, years: usize) -> usize {
        let after = years - 1 - self.live();
        match self.support {
            Support::Ongoing => after,
            Support::TimeLimited(span) => (span - 1).min(after),
            Support::CapitalOnly => 0,
        }
    }
}

/// How long the fund pays a bid's running costs (revenue).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Support {
    /// From go-live to the fund's last year.
    Ongoing,
    /// For this many financial years from go-live (the go-live year included), after
    /// which the bid's own organisation pays: pump-priming.
    TimeLimited(usize),
    /// None: the bid asks for capital only, and its organisation pays the upkeep.
    CapitalOnly,
}

/// Draws how long the fund supports a bid's revenue: two draws a bid from its own
/// stream, whatever the answer, so each bid's draw depends only on its place.
fn support(b: &Bid, rng: &mut rand_chacha::ChaCha8Rng) -> Support {
    let kind = num::uniform(rng);
    let span = 2 + num::below(rng, 2);
    // Continuations, the record others build on and EPR options carry on as bid.
    if b.must_fund || b.anchor || b.kind != Kind::Single {
        return Support::Ongoing;
    }
    let (capital_only, time_limited) = b.category.revenue_support();
    if kind < capital_only {
        Support::CapitalOnly
    } else if kind < capital_only + time_limited {
        Support::TimeLimited(span)
    } else {
        Support::Ongoing
    }
}

/// Capital and revenue per year: sizes drawn per category, phased from a start
/// year (mostly the first three), front-loaded over one to four years, with
/// running costs from go-live (to the fund's last year, for two or three years, or
/// not at all: see [`Category::revenue_support`]); then scaled so the totals bid hit
/// the targets. Bids whose fund cost ends before the last year are the ones whose
/// start a scenario's phasing can move.
pub(super) fn cost(seed: u64, bids: &mut [Bid], years: usize, count: usize) {
    if years == 0 {
        return;
    }
    let mut rng = stream(seed, STREAM_COSTS);
    let mut support_rng = stream(seed, STREAM_SUPPORT);
    let mut drafts: Vec<Draft> = Vec::with_capacity(bids.len());
    for b in bids.iter() {
        let p = b.category.cost();
        let (raw, lo, hi) = match b.kind {
            Kind::Optimise => {
                let pair = &drafts[b.pair.expect("linked")];
                (
                    pair.raw * num::uniform_in(&mut rng, 0.25, 0.45),
                    EPR_OPTIMISE_RANGE.0,
                    EPR_OPTIMISE_RANGE.1,
                )
            }
            _ if b.must_fund => (
                num::uniform_in(&mut rng, p.lo, p.lo + 0.5 * (p.median - p.lo)),
                p.lo,
                p.hi,
            ),
            _ => (
                num::lognormal(&mut rng, p.median, p.sigma).clamp(p.lo, p.hi),
                p.lo,
                p.hi,
            ),
        };
        // Continuations carry on from 2016/17; the footprint-wide record comes early, as others build on it.
        let start = if b.must_fund {
            0
        } else if b.anchor {
            num::weighted(&mut rng, &[0.6, 0.4][..years.min(2)])
        } else {
            num::weighted(&mut rng, &[0.40, 0.33, 0.19, 0.08][..years.min(4)])
        };
        let (first, weights) = match (b.kind, b.must_fund) {
            (_, true) => (1, &[0.5, 0.5][..]),
            (Kind::Optimise, _) => (1, &[0.35, 0.45, 0.20][..]),
            _ => b.category.durations(),
        };
        let d = (first + num::weighted(&mut rng, weights)).min(years - start);
        let mut shares: Vec<f64> = (0..d)
            .map(|k| (d - k) as f64 + 0.6 * num::uniform(&mut rng))
            .collect();
        let sum: f64 = shares.iter().sum();
        shares.iter_mut().for_each(|s| *s /= sum);
        let ratio = num::uniform_in(&mut rng, 0.12, 0.22);
        drafts.push(Draft {
            raw,
            lo,
            hi,
            start,
            shares,
            ratio,
            support: support(b, &mut support_rng),
        });
    }

    let scale = count as f64 / 1200.0;
    let capital_at = |s: f64| {
        drafts
            .iter()
            .map(|d| (s * d.raw).clamp(d.lo, d.hi))
            .sum::<f64>()
    };
    let s = num::solve_increasing(0.05, 20.0, CAPITAL_BID_PER_1200 * scale, capital_at);
    let capital: Vec<f64> = drafts
        .iter()
        .map(|d| (s * d.raw).clamp(d.lo, d.hi))
        .collect();
    // Revenue years: half a year in the go-live year (the last capital year), then each
    // supported year after it; none for a capital-only bid.
    let revenue_years: Vec<f64> = drafts
        .iter()
        .map(|d| match d.support {
            Support::CapitalOnly => 0.0,
            _ => 0.5 + d.full_revenue_years(years) as f64,
        })
        .collect();
    let (rlo, rhi) = REVENUE_RATIO;
    let revenue_at = |g: f64| {
        drafts
            .iter()
            .zip(&capital)
            .zip(&revenue_years)
            .map(|((d, c), y)| (g * d.ratio).clamp(rlo, rhi) * c * y)
            .sum::<f64>()
    };
    let g = num::solve_increasing(0.05, 20.0, REVENUE_BID_PER_1200 * scale, revenue_at);

    for ((b, d), c) in bids.iter_mut().zip(&drafts).zip(&capital) {
        for (k, share) in d.shares.iter().enumerate() {
            b.capital[d.start + k] = num::tenths(c * share);
        }
        let yearly = (g * d.ratio).clamp(rlo, rhi) * c;
        let live = d.live();
        if d.support != Support::CapitalOnly {
            b.revenue[live] = num::tenths(0.5 * yearly);
            for y in live + 1..=live + d.full_revenue_years(years) {
                b.revenue[y] = num::tenths(yearly);
            }
        }
        // Systems keep costing this once live, whoever pays: the appraisal's running cost.
        b.running_cost = num::tenths(yearly);
    }
}

/// Some e-prescribing and decision-support bids need their trust's EPR (when the
/// trust bids a single EPR); some social care bids and shared care record
/// extensions need the footprint-wide shared care record. Edges only ever point
/// at EPR bids or that record, which require nothing themselves: no cycles.
pub(super) fn set_requires(seed: u64, bids: &mut [Bid]) {
    let mut rng = stream(seed, STREAM_REQUIRES);
    let mut epr: HashMap<(usize, Lead), usize> = HashMap::new();
    let mut scr: HashMap<usize, usize> = HashMap::new();
    for (i, b) in bids.iter().enumerate() {
        if b.never_fund || b.kind != Kind::Single {
            continue;
        }
        if b.category == Category::Epr {
            epr.insert((b.footprint, b.lead), i);
        }
        if b.anchor {
            scr.insert(b.footprint, i);
        }
    }
    for b in bids.iter_mut() {
        if b.must_fund || b.anchor {
            continue;
        }
        let target = match b.category {
            Category::EPrescribing if num::chance(&mut rng, 0.5) => epr.get(&(b.footprint, b.lead)),
            Category::DecisionSupport if num::chance(&mut rng, 0.6) => {
                epr.get(&(b.footprint, b.lead))
            }
            Category::SharedCareRecord if num::chance(&mut rng, 0.5) => scr.get(&b.footprint),
            Category::SocialCare if num::chance(&mut rng, 0.25) => scr.get(&b.footprint),
            _ => None,
        };
        if let Some(&t) = target {
            b.requires.push(t);
        }
    }
}

/// Present value of benefits = a benefit–cost ratio drawn per category times the whole cost.
pub(super) fn set_benefits(seed: u64, bids: &mut [Bid]) {
    let mut rng = stream(seed, STREAM_BENEFIT);
    let (lo, hi) = BCR_RANGE;
    for b in bids.iter_mut() {
        let median = if b.kind == Kind::Optimise {
            2.1
        } else {
            b.category.bcr_median()
        };
        let mut bcr = num::lognormal(&mut rng, median, 0.42).clamp(lo, hi);
        if b.must_fund {
            bcr = bcr.max(MUST_FUND_MIN_BCR);
        }
        b.benefit = (b.whole_cost() as f64 * bcr).round() as i64;
    }
}

/// Capability points per bid. Each footprint gets a pool of (85 − capabilities)
/// × 1.2–1.5 points (at least 10), shared among its fundable bids by category
/// weight and size, so capabilities + pool ≥ 80 everywhere, a 65–75 target needs
/// well under all of it, and footprints with many bids get less from each.
/// An optimise alternative gives 50–65% of its replacement's uplift.
pub(super) fn set_uplifts(seed: u64, bids: &mut [Bid], footprints: &[FootprintPlan]) {
    let mut rng = stream(seed, STREAM_UPLIFT);
    let mut by_fp: Vec<Vec<usize>> = vec![Vec::new(); footprints.len()];
    for (i, b) in bids.iter().enumerate() {
        by_fp[b.footprint].push(i);
    }
    for (f, members) in footprints.iter().zip(&by_fp) {
        if members.is_empty() {
            continue;
        }
        let capabilities = f.maturity[1] as f64 / 10.0;
        let pool = ((85.0 - capabilities) * num::uniform_in(&mut rng, 1.2, 1.5)).max(10.0);
        let weights: Vec<f64> = members
            .iter()
            .map(|&i| {
                let b = &bids[i];
                let p = b.category.cost();
                let capital: i64 = b.capital.iter().sum();
                let size = (capital as f64 / 10.0 / p.median).max(0.05);
                b.category.uplift_weight() * size.sqrt() * num::uniform_in(&mut rng, 0.8, 1.2)
            })
            .collect();
        let counted: f64 = members
            .iter()
            .zip(&weights)
            .filter(|(&i, _)| bids[i].counts_for_reach())
            .map(|(_, w)| w)
            .sum();
        let rate = if counted > 0.0 { pool / counted } else { 0.0 };
        for (&i, w) in members.iter().zip(&weights) {
            if bids[i].kind != Kind::Optimise {
                bids[i].uplift = num::tenths(w * rate).clamp(1, 1000);
            }
        }
        for &i in members {
            if let Some(p) = bids[i].pair {
                let share = num::uniform_in(&mut rng, 0.5, 0.65);
                bids[i].uplift = num::tenths(bids[p].uplift as f64 / 10.0 * share).clamp(1, 1000);
            }
        }
        // Rounding must never leave the footprint short of the reach.
        let reach: i64 = f.maturity[1]
            + members
                .iter()
                .filter(|&&i| bids[i].counts_for_reach())
                .map(|&i| bids[i].uplift)
                .sum::<i64>();
        let need = (UPLIFT_REACH * 10.0) as i64 - reach;
        if need > 0 {
            if let Some(&top) = members
                .iter()
                .filter(|&&i| bids[i].counts_for_reach())
                .max_by_key(|&&i| bids[i].uplift)
            {
                bids[top].uplift = (bids[top].uplift + need).min(1000);
            }
        }
    }
}

/// Smallest fundable share where partial funding is allowed: an EPR is all or
/// nothing; infrastructure can be phased down to a quarter; most others to half;
/// some bids say nothing (any share).
pub(super) fn set_min_fractions(seed: u64, bids: &mut [Bid]) {
    let mut rng = stream(seed, STREAM_FRACTION);
    for b in bids.iter_mut() {
        b.min_fraction = match (b.category, b.kind) {
            (Category::Epr, Kind::Optimise) => Some("0.5"),
            (Category::Epr, _) => Some("1.0"),
            (Category::Infrastructure, _) => num::chance(&mut rng, 0.8).then_some("0.25"),
            _ => num::chance(&mut rng, 0.6).then_some("0.5"),
        };
    }
}

/// SYNTHETIC benefits by year, calibrated to each bid's `benefit`: nothing until the
/// year after its first spend (go-live), half in that year, then a steady level with a
/// ±10% wobble a year to the end of the horizon, scaled so their present value under
/// the Green Book's 3.5% equals `benefit` (to the £100 rounding of each year's figure),
/// and split into cash-releasing and non-cash-releasing by a share drawn per category.
/// (The running cost after the fund's years is set with the costs.) A stream of its
/// own, so every other figure is as it was before profiles existed.
pub(super) fn set_benefit_profiles(seed: u64, bids: &mut [Bid], horizon: usize) {
    let mut rng = stream(seed, STREAM_PROFILE);
    let d = crate::appraisal::Schedule::default().factors(horizon);
    for b in bids.iter_mut() {
        let (lo, hi) = b.category.cash_share();
        let cash_share = num::uniform_in(&mut rng, lo, hi);
        let first_spend = (0..b.capital.len())
            .find(|&y| b.capital[y] + b.revenue[y] > 0)
            .unwrap_or(0);
        let live = (first_spend + 1).min(horizon - 1);
        let weights: Vec<f64> = (0..horizon)
            .map(|t| {
                let wobble = num::uniform_in(&mut rng, 0.9, 1.1);
                match t {
                    t if t < live => 0.0,
                    t if t == live => 0.5 * wobble,
                    _ => wobble,
                }
            })
            .collect();
        let pv_weight: f64 = weights.iter().zip(&d).map(|(w, d)| w * d).sum();
        let level = b.benefit as f64 / pv_weight;
        b.benefit_cash = weights
            .iter()
            .map(|w| (level * w * cash_share).round() as i64)
            .collect();
        b.benefit_noncash = weights
            .iter()
            .zip(&b.benefit_cash)
            .map(|(w, &c)| (level * w).round() as i64 - c)
            .collect();
    }
}
