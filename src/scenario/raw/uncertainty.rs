//! Checking `[uncertainty]`: the number of draws, the seed, and every distribution
//! (low ≤ mode ≤ high, overruns within the Green Book's optimism-bias bounds).

use super::form::{RawByBid, RawDistribution, RawUncertainty};
use crate::dataset::text::{self, SHORT_TEXT};
use crate::error::InputError;
use crate::format::{clip, ECHO};
use crate::scenario::locate::Ctx;
use crate::scenario::uncertainty::{
    ByBid, Distribution, Uncertainty, MOST_BENEFIT_MULTIPLIER, MOST_DRAWS, MOST_OVERRUN,
};

pub(super) fn uncertainty(
    cx: &Ctx,
    raw: Option<RawUncertainty>,
) -> Result<Option<Uncertainty>, InputError> {
    let Some(raw) = raw else { return Ok(None) };
    let draws = match raw.draws {
        Some(d) => match d.whole() {
            Some(n) if (1..=MOST_DRAWS).contains(&n) => n as usize,
            _ => {
                return Err(cx.err(
                    "uncertainty",
                    "draws",
                    format!("{d} is not a number of draws"),
                    &format!(
                "draw the scenario at least once and at most {MOST_DRAWS} times, e.g. draws = 500"
            ),
                ))
            }
        },
        None => {
            return Err(cx.err(
                "uncertainty",
                "",
                "[uncertainty] does not say how many draws to make".into(),
                "add `draws = 500` (each draw is one solve of the scenario)",
            ))
        }
    };
    let seed = match raw.seed {
        Some(s) => match s.whole() {
            Some(n) if n >= 0 => n as u64,
            _ => {
                return Err(cx.err(
                    "uncertainty",
                    "seed",
                    format!("{s} is not a seed"),
                    "give a whole number, 0 or more, e.g. seed = 2016",
                ))
            }
        },
        None => {
            return Err(cx.err(
                "uncertainty",
                "",
                "[uncertainty] has no `seed`, so its draws could not be repeated".into(),
                "add `seed = 2016` (any whole number; the same seed gives the same draws)",
            ))
        }
    };
    if let Some(t) = raw.time_limit_s {
        if !t.is_finite() || t <= 0.0 {
            return Err(cx.err(
                "uncertainty",
                "time_limit_s",
                format!("{t} is not a time limit"),
                "give seconds per draw, more than zero",
            ));
        }
    }
    let cost_overrun = by_bid(cx, raw.cost_overrun, Kind::Overrun)?;
    let benefit = by_bid(cx, raw.benefit, Kind::Benefit)?;
    if cost_overrun.is_empty() && benefit.is_empty() {
        return Err(cx.err(
            "uncertainty",
            "",
            "[uncertainty] gives no distribution, so every draw would be the scenario itself"
                .into(),
            "add [uncertainty.cost_overrun] or [uncertainty.benefit], e.g. all = { low = 0.0, mode = 0.1, high = 0.6 }",
        ));
    }
    Ok(Some(Uncertainty {
        draws,
        seed,
        time_limit_s: raw.time_limit_s,
        cost_overrun,
        benefit,
    }))
}

#[derive(Clone, Copy)]
enum Kind {
    Overrun,
    Benefit,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Overrun => "uncertainty.cost_overrun",
            Kind::Benefit => "uncertainty.benefit",
        }
    }

    fn range(self) -> (f64, f64) {
        match self {
            Kind::Overrun => (0.0, MOST_OVERRUN),
            Kind::Benefit => (0.0, MOST_BENEFIT_MULTIPLIER),
        }
    }

    fn fix(self) -> &'static str {
        match self {
            Kind::Overrun => "an overrun is a share of the cost bid, from 0 (none) to 2.0 (+200%, the Green Book's optimism-bias upper bound for IT projects), e.g. { low = 0.0, mode = 0.1, high = 0.6 }",
            Kind::Benefit => "a benefit is a multiplier of the benefit bid, from 0 to 10, e.g. { low = 0.8, mode = 1.0, high = 1.1 } (1 = as bid)",
        }
    }
}

fn by_bid(cx: &Ctx, raw: RawByBid, kind: Kind) -> Result<ByBid, InputError> {
    let table = kind.table();
    let all = raw
        .all
        .map(|d| distribution(cx, table, "all", d, kind))
        .transpose()?;
    let named = |group: &str,
                 list: std::collections::BTreeMap<String, RawDistribution>|
     -> Result<Vec<(String, Distribution)>, InputError> {
        let inner = format!("{table}.{group}");
        let mut out = Vec::new();
        for (name, d) in list {
            if let Some((problem, fix)) = text::check(&name, SHORT_TEXT, false) {
                return Err(cx.err(&inner, &name, format!("the name {problem}"), &fix));
            }
            out.push((name.clone(), distribution(cx, &inner, &name, d, kind)?));
        }
        Ok(out)
    };
    let category = named("category", raw.category)?;
    let project = named("project", raw.project)?;
    Ok(ByBid {
        all,
        category,
        project,
    })
}

fn distribution(
    cx: &Ctx,
    table: &str,
    key: &str,
    d: RawDistribution,
    kind: Kind,
) -> Result<Distribution, InputError> {
    let shown = clip(key, ECHO);
    let (least, most) = kind.range();
    for (name, v) in [
        ("low", Some(d.low)),
        ("mode", d.mode),
        ("high", Some(d.high)),
    ] {
        let Some(v) = v else { continue };
        if !v.is_finite() || v < least || v > most {
            return Err(cx.err(
                table,
                key,
                format!("`{shown}`: {name} = {v} is outside {least} to {most}"),
                kind.fix(),
            ));
        }
    }
    if d.low > d.high {
        return Err(cx.err(
            table,
            key,
            format!("`{shown}`: low = {} is above high = {}", d.low, d.high),
            "write low ≤ mode ≤ high",
        ));
    }
    if let Some(m) = d.mode {
        if m < d.low || m > d.high {
            return Err(cx.err(
                table,
                key,
                format!(
                    "`{shown}`: mode = {m} is not between low = {} and high = {}",
                    d.low, d.high
                ),
                "write low ≤ mode ≤ high (the mode is the most likely value)",
            ));
        }
    }
    Ok(Distribution {
        low: d.low,
        mode: d.mode,
        high: d.high,
    })
}
