//! Checking `[appraisal]` (period, base year, discount schedule, optimism bias on
//! capital and on duration) and
//! `[rules] min_bcr`.

use super::form::RawAppraisal;
use crate::appraisal::{Schedule, Settings};
use crate::dataset::text::{self, SHORT_TEXT};
use crate::domain::FinancialYear;
use crate::error::InputError;
use crate::format::{clip, ECHO};
use crate::scenario::locate::{Ctx, Entry};

/// The longest appraisal period: the Green Book's schedule runs past 300 years, which
/// no bid's appraisal needs.
const MOST_YEARS: i64 = 500;
/// The Green Book's upper bound of optimism bias on capital (Equipment/Development).
const MOST_BIAS: f64 = 2.0;

pub(super) fn appraisal(
    cx: &Ctx,
    raw: Option<RawAppraisal>,
    years: &[FinancialYear],
) -> Result<Option<Settings>, InputError> {
    let Some(raw) = raw else { return Ok(None) };
    let mut s = Settings::default_for(years);
    if let Some(label) = &raw.base_year {
        s.base_year = FinancialYear::parse(label).map_err(|_| {
            cx.err(
                "appraisal",
                "base_year",
                format!("`{}` is not a financial year", clip(label, ECHO)),
                "write the financial year of the real prices as `2016/17`",
            )
        })?;
    }
    let first = years.first().expect("years checked before");
    let last = years.last().expect("years checked before");
    if s.base_year > *first {
        return Err(cx.err(
            "appraisal",
            "base_year",
            format!(
                "the base year {} is after the fund's first year {first}, so the fund's first costs would fall before year 0",
                s.base_year
            ),
            &format!("set `base_year` to {first} or earlier (the Green Book takes the first year of the proposal)"),
        ));
    }
    if let Some(p) = raw.period {
        let Some(years) = p.whole().filter(|n| (1..=MOST_YEARS).contains(n)) else {
            return Err(cx.err(
                "appraisal",
                "period",
                format!("{p} is not an appraisal period"),
                "give a whole number of years from 1 to 500, e.g. 10",
            ));
        };
        s.period = years as u32;
    }
    if !s.covers(last) {
        return Err(cx.err(
            "appraisal",
            "period",
            format!(
                "the appraisal period of {} year(s) from {} ends in {}, before the fund's last year {last}",
                s.period,
                s.base_year,
                s.last_year()
            ),
            &format!(
                "make `period` at least {} so it covers every year the fund pays",
                last.start_year() - s.base_year.start_year() + 1
            ),
        ));
    }
    if let Some(steps) = raw.discount {
        let mut out: Vec<(u32, f64)> = Vec::new();
        for (i, d) in steps.iter().enumerate() {
            let Some(from) = d
                .from_year
                .whole()
                .filter(|n| (0..=MOST_YEARS).contains(n))
                .map(|n| n as u32)
            else {
                return Err(cx.err(
                    "appraisal.discount",
                    "from_year",
                    format!("{} is not a year of the appraisal", d.from_year),
                    "give whole years counted from the base year (0), e.g. 31",
                ));
            };
            if i == 0 && from != 0 {
                return Err(cx.err(
                    "appraisal.discount",
                    "from_year",
                    format!("the first discount rate starts at year {from}, so years before it have none"),
                    "start the first [[appraisal.discount]] at from_year = 0",
                ));
            }
            if let Some(&(prev, _)) = out.last() {
                if from <= prev {
                    return Err(cx.err(
                        "appraisal.discount",
                        "from_year",
                        format!("from_year {from} does not come after {prev}"),
                        "list the [[appraisal.discount]] steps in order of from_year, each later than the last",
                    ));
                }
            }
            if !d.rate.is_finite() || d.rate < 0.0 || d.rate >= 1.0 {
                return Err(cx.err(
                    "appraisal.discount",
                    "rate",
                    format!("{} is not a discount rate", d.rate),
                    "write a real rate from 0 up to (not including) 1, e.g. 0.035 for the Green Book's 3.5%",
                ));
            }
            out.push((from, d.rate));
        }
        if out.is_empty() {
            return Err(cx.err(
                "appraisal",
                "discount",
                "the discount schedule is empty".into(),
                "give at least one step, from_year = 0, or leave `discount` out for the Green Book's schedule",
            ));
        }
        s.schedule = Schedule { steps: out };
    }
    let bias = |v: f64| v.is_finite() && (0.0..=MOST_BIAS).contains(&v);
    const BIAS_FIX: &str = "write an uplift on capital from 0 to 2 (the Green Book's bounds for IT are 0.1 to 2, i.e. +10% to +200%)";
    if let Some(b) = raw.optimism_bias {
        if !bias(b) {
            return Err(cx.err(
                "appraisal",
                "optimism_bias",
                format!("{b} is not an optimism-bias uplift"),
                BIAS_FIX,
            ));
        }
        s.optimism_bias = b;
    }
    const DURATION_FIX: &str = "write an uplift on the delivery's duration from 0 to 2 (the Green Book's bounds for IT are 0.1 to 0.54, i.e. +10% to +54%)";
    if let Some(b) = raw.duration_bias {
        if !bias(b) {
            return Err(cx.err(
                "appraisal",
                "duration_bias",
                format!("{b} is not a duration optimism-bias uplift"),
                DURATION_FIX,
            ));
        }
        s.duration_bias = b;
    }
    for c in raw.category {
        let entry = |key| Entry {
            table: "appraisal.category",
            ident_key: "category",
            ident: &c.category,
            key,
            occurrence: 0,
        };
        if let Some((problem, fix)) = text::check(&c.category, SHORT_TEXT, false) {
            return Err(cx.err_entry(
                &entry("category"),
                format!("the category name {problem}"),
                &fix,
            ));
        }
        let seen = |list: &[(String, f64)]| list.iter().any(|(n, _)| *n == c.category);
        if seen(&s.by_category) || seen(&s.duration_by_category) {
            return Err(cx.err_entry(
                &entry("category"),
                format!(
                    "category `{}` has two [[appraisal.category]] entries",
                    clip(&c.category, ECHO)
                ),
                "keep one [[appraisal.category]] per category",
            ));
        }
        if c.optimism_bias.is_none() && c.duration_bias.is_none() {
            return Err(cx.err_entry(
                &entry(""),
                format!(
                    "the entry for category `{}` sets no bias",
                    clip(&c.category, ECHO)
                ),
                "give it `optimism_bias` (on capital), `duration_bias` (on the delivery's duration) or both",
            ));
        }
        if let Some(b) = c.optimism_bias {
            if !bias(b) {
                return Err(cx.err_entry(
                    &entry("optimism_bias"),
                    format!("{b} is not an optimism-bias uplift"),
                    BIAS_FIX,
                ));
            }
            s.by_category.push((c.category.clone(), b));
        }
        if let Some(b) = c.duration_bias {
            if !bias(b) {
                return Err(cx.err_entry(
                    &entry("duration_bias"),
                    format!("{b} is not a duration optimism-bias uplift"),
                    DURATION_FIX,
                ));
            }
            s.duration_by_category.push((c.category, b));
        }
    }
    s.in_budget = raw.optimism_bias_in_budget.unwrap_or(false);
    Ok(Some(s))
}

/// `[rules] min_bcr`: a benefit–cost ratio, zero or more.
pub(super) fn min_bcr(cx: &Ctx, raw: Option<f64>) -> Result<Option<f64>, InputError> {
    match raw {
        Some(h) if !h.is_finite() || h < 0.0 => Err(cx.err(
            "rules",
            "min_bcr",
            format!("{h} is not a BCR hurdle"),
            "write a benefit–cost ratio, e.g. 1.5 (Tech Fund 1 relaxed its 2.4 to 1.5 for digital records)",
        )),
        h => Ok(h),
    }
}
