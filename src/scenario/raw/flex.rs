//! `[budget] revenue_to_capital_max`, `[budget] carry_forward_max`, `[phasing]` and
//! `[match]` checked into a `Flex`.

use super::form::{RawMatch, RawPhasing};
use crate::dataset::text::{self, SHORT_TEXT};
use crate::error::InputError;
use crate::format::{clip, ECHO};
use crate::scenario::locate::Ctx;
use crate::scenario::Flex;

fn share(cx: &Ctx, table: &str, key: &str, v: Option<f64>) -> Result<Option<f64>, InputError> {
    match v {
        Some(v) if !v.is_finite() || !(0.0..=1.0).contains(&v) => Err(cx.err(
            table,
            key,
            format!("{v} is not a share: `{key}` is a share between 0 and 1"),
            &format!("write a share between 0 and 1, e.g. `{key} = 0.05` (5%)"),
        )),
        v => Ok(v),
    }
}

pub(super) fn parse(
    cx: &Ctx,
    switch_max: Option<f64>,
    carry_max: Option<f64>,
    both_lines: bool,
    phasing: RawPhasing,
    matching: RawMatch,
) -> Result<Flex, InputError> {
    let revenue_to_capital_max = share(cx, "budget", "revenue_to_capital_max", switch_max)?;
    if revenue_to_capital_max.is_some() && !both_lines {
        return Err(cx.err(
            "budget",
            "revenue_to_capital_max",
            "a switch from revenue to capital needs both a capital and a revenue budget".into(),
            "give [budget] both `capital` and `revenue`, or remove `revenue_to_capital_max`",
        ));
    }
    let carry_forward_max = share(cx, "budget", "carry_forward_max", carry_max)?;
    let may_defer = match phasing.may_defer {
        None => None,
        Some(d) => match d.whole().filter(|n| (0..=50).contains(n)) {
            Some(n) => Some(n as usize),
            None => return Err(cx.err(
                "phasing",
                "may_defer",
                format!("{d} is not a whole number of years"),
                "write how many whole financial years a bid's start may move, e.g. `may_defer = 1`",
            )),
        },
    };
    let mut min_match = Vec::new();
    for (category, s) in matching.min_share {
        if let Some((problem, fix)) = text::check(&category, SHORT_TEXT, false) {
            return Err(cx.err(
                "match",
                "min_share",
                format!("the category name {problem}"),
                &fix,
            ));
        }
        if !s.is_finite() || !(0.0..=1.0).contains(&s) {
            return Err(cx.err(
                "match",
                "min_share",
                format!(
                    "{s} is not a share: the minimum match for category `{}` is a share between 0 and 1",
                    clip(&category, ECHO)
                ),
                "write a share between 0 and 1, e.g. { \"EPR\" = 0.5 } for a 1:1 match",
            ));
        }
        min_match.push((category, s));
    }
    Ok(Flex {
        revenue_to_capital_max,
        carry_forward_max,
        may_defer,
        min_match,
    })
}
