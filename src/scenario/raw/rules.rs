//! Checking the scenario's per-bid and per-place rules: the lock lists, and the
//! `[[rules.footprint]]` and `[[rules.region]]` floors and caps.

use super::form::{RawFootprintRule, RawRegionRule};
use crate::dataset::number::MAX_MONEY;
use crate::dataset::text::{self, LONG_TEXT, SHORT_TEXT};
use crate::domain::Money;
use crate::error::InputError;
use crate::format::{clip, ECHO};
use crate::scenario::locate::{Ctx, Entry};
use crate::scenario::{FootprintRef, FootprintRule, RegionRule};
use std::collections::HashSet;

/// The project ids to lock in and out: each one an id (the dataset checks it names a
/// bid), none named twice, none both in and out.
pub(super) fn locks(
    cx: &Ctx,
    lock_in: Vec<String>,
    lock_out: Vec<String>,
) -> Result<(Vec<String>, Vec<String>), InputError> {
    for (key, ids) in [("lock_in", &lock_in), ("lock_out", &lock_out)] {
        let mut seen = HashSet::new();
        for id in ids {
            if let Some((problem, fix)) = text::check(id, SHORT_TEXT, false) {
                return Err(cx.err(
                    "rules",
                    key,
                    format!("a project id in `{key}` {problem}"),
                    &fix,
                ));
            }
            if !seen.insert(id) {
                return Err(cx.err(
                    "rules",
                    key,
                    format!("`{}` is listed twice in `{key}`", clip(id, ECHO)),
                    "list each project once",
                ));
            }
        }
    }
    if let Some(both) = lock_in.iter().find(|id| lock_out.contains(id)) {
        return Err(cx.err(
            "rules",
            "lock_out",
            format!("`{}` is in both `lock_in` and `lock_out`", clip(both, ECHO)),
            "keep it in one of the two lists",
        ));
    }
    Ok((lock_in, lock_out))
}

/// An amount of £k set for a floor or cap in `[[table]]`: a number from 0 to 1e9.
fn amount(cx: &Ctx, entry: &Entry, value: Option<f64>) -> Result<Option<Money>, InputError> {
    match value {
        Some(a) if !(a.is_finite() && (0.0..=MAX_MONEY).contains(&a)) => Err(cx.err_entry(
            entry,
            format!("{a} is not an amount"),
            "write £k, zero or more and at most 1e9, e.g. 60000 for £60m",
        )),
        other => Ok(other),
    }
}

/// The checks a footprint's and a region's rule share: what it names is sensible text,
/// named once, and its floor and cap are amounts with the floor no more than the cap.
/// `named` points at the entry's naming key; `what` is "footprint" or "region".
fn floor_and_cap(
    cx: &Ctx,
    what: &str,
    named: &Entry,
    floor: Option<f64>,
    cap: Option<f64>,
) -> Result<(Option<Money>, Option<Money>), InputError> {
    let at = |key| Entry { key, ..*named };
    if let Some((problem, fix)) = text::check(named.ident, LONG_TEXT, false) {
        return Err(cx.err_entry(named, format!("the {what} {problem}"), &fix));
    }
    if named.occurrence > 0 {
        return Err(cx.err_entry(
            named,
            format!("{what} `{}` has two rules", clip(named.ident, ECHO)),
            &format!("merge them into one [[{}]]", named.table),
        ));
    }
    let floor = amount(cx, &at("floor"), floor)?;
    let cap = amount(cx, &at("cap"), cap)?;
    if let (Some(lo), Some(hi)) = (floor, cap) {
        if lo > hi {
            return Err(cx.err_entry(
                &at("floor"),
                format!(
                    "{what} `{}`: floor {lo} is above cap {hi}",
                    clip(named.ident, ECHO)
                ),
                "make the floor at most the cap",
            ));
        }
    }
    Ok((floor, cap))
}

/// `[[rules.footprint]]`: each names one footprint by `id` or by `name` (not both), at
/// most once, with a floor, a cap or both, the floor no more than the cap.
pub(super) fn footprint_rules(
    cx: &Ctx,
    raw: Vec<RawFootprintRule>,
) -> Result<Vec<FootprintRule>, InputError> {
    let mut out: Vec<FootprintRule> = Vec::new();
    for (i, r) in raw.into_iter().enumerate() {
        let footprint = match (r.id, r.name) {
            (Some(id), None) => FootprintRef::Id(id),
            (None, Some(name)) => FootprintRef::Name(name),
            (id, name) => {
                let entry = Entry {
                    table: "rules.footprint",
                    ident_key: if id.is_some() { "id" } else { "name" },
                    ident: id.as_deref().or(name.as_deref()).unwrap_or_default(),
                    key: "",
                    occurrence: 0,
                };
                let problem = format!(
                    "[[rules.footprint]] number {} needs exactly one of `id` or `name`",
                    i + 1
                );
                let fix =
                    "name the footprint by its id (id = \"E54000007\") or by its name, not both";
                return Err(if id.is_none() && name.is_none() {
                    cx.err("rules.footprint", "", problem, fix)
                } else {
                    cx.err_entry(&entry, problem, fix)
                });
            }
        };
        let (ident_key, ident) = footprint.key();
        let named = Entry {
            table: "rules.footprint",
            ident_key,
            ident,
            key: ident_key,
            occurrence: out.iter().filter(|o| o.footprint == footprint).count(),
        };
        let (floor, cap) = floor_and_cap(cx, "footprint", &named, r.floor, r.cap)?;
        out.push(FootprintRule {
            footprint: footprint.clone(),
            floor,
            cap,
        });
    }
    Ok(out)
}

/// `[[rules.region]]`: one rule per region, the floor no more than the cap.
pub(super) fn region_rules(
    cx: &Ctx,
    raw: Vec<RawRegionRule>,
) -> Result<Vec<RegionRule>, InputError> {
    let mut out: Vec<RegionRule> = Vec::new();
    for r in raw {
        let named = Entry {
            table: "rules.region",
            ident_key: "region",
            ident: &r.region,
            key: "region",
            occurrence: out.iter().filter(|o| o.region == r.region).count(),
        };
        let (floor, cap) = floor_and_cap(cx, "region", &named, r.floor, r.cap)?;
        out.push(RegionRule {
            region: r.region.clone(),
            floor,
            cap,
        });
    }
    Ok(out)
}
