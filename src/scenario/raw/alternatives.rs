//! `[alternatives]` checked: a count of at least one, a share strictly between 0 and 1,
//! a whole number of bids to differ by; and all-or-nothing funding, where "differs" is
//! plain (a bid funded in one allocation and not the other).

use super::form::RawAlternatives;
use crate::error::InputError;
use crate::scenario::locate::Ctx;
use crate::scenario::{AlternativesRequest, FundingMode};

/// The most alternatives one run may ask for: each is a full re-solve, one after another.
pub const MOST_ALTERNATIVES: usize = 100;

pub(super) fn alternatives(
    cx: &Ctx,
    raw: Option<RawAlternatives>,
    funding: FundingMode,
) -> Result<Option<AlternativesRequest>, InputError> {
    let Some(raw) = raw else { return Ok(None) };
    const TABLE: &str = "alternatives";
    let missing = |key: &str, example: &str| {
        cx.err(
            TABLE,
            key,
            format!("[alternatives] has no `{key}`"),
            &format!("add it, e.g. `{example}`"),
        )
    };
    let count = raw.count.ok_or_else(|| missing("count", "count = 5"))?;
    let Some(n_count) = count
        .whole()
        .filter(|n| (1..=MOST_ALTERNATIVES as i64).contains(n))
    else {
        return Err(cx.err(
            TABLE,
            "count",
            format!("{count} is not a number of alternatives"),
            &format!("ask for a whole number from 1 to {MOST_ALTERNATIVES}, e.g. `count = 5`"),
        ));
    };
    let within = raw
        .within
        .ok_or_else(|| missing("within", "within = 0.005"))?;
    if !(within.is_finite() && within > 0.0 && within < 1.0) {
        return Err(cx.err(
            TABLE,
            "within",
            format!("{within} is not a share of the optimum's value"),
            "write a share above 0 and below 1: 0.005 asks for alternatives worth at least 99.5% of the optimum",
        ));
    }
    let differ_by = raw
        .differ_by
        .ok_or_else(|| missing("differ_by", "differ_by = 10"))?;
    let Some(n_differ_by) = differ_by
        .whole()
        .filter(|n| (1..=1_000_000_000).contains(n))
    else {
        return Err(cx.err(
            TABLE,
            "differ_by",
            format!("{differ_by} is not a number of bids"),
            "write a whole number of bids, 1 or more, e.g. `differ_by = 10`",
        ));
    };
    if funding == FundingMode::Partial {
        return Err(cx.err(
            TABLE,
            "",
            "[alternatives] needs all-or-nothing funding: with part-funded bids an allocation can differ by a sliver of every bid, so \"differs by so many bids\" has no plain meaning".into(),
            "set [funding] mode = \"all_or_nothing\" in this scenario, or remove [alternatives]",
        ));
    }
    Ok(Some(AlternativesRequest {
        count: n_count as usize,
        within,
        differ_by: n_differ_by as usize,
    }))
}
