//! Each bid's columns (its funded fraction, and where a minimum share needs one, a
//! funded-at-all indicator), and the check that every must-fund bid can be funded.

use super::builder::Builder;
use super::eligibility::describe_chain;
use super::{must_fund, Exclusion, Sense};
use crate::domain::Dataset;
use crate::error::InputError;
use crate::scenario::{FundingMode, Rule, Scenario};
use good_lp::Variable;

/// Each project's funded-fraction column: binary in all-or-nothing mode; in partial
/// mode continuous, with a binary "funded at all" indicator only where a minimum share
/// makes the fraction either 0 or at least that share.
pub(super) fn project_columns(
    b: &mut Builder,
    data: &Dataset,
    scenario: &Scenario,
    excl: &[Option<Exclusion>],
    elastic: bool,
    exclusions_as_rows: bool,
) -> (Vec<Variable>, Vec<usize>) {
    let partial = scenario.funding == FundingMode::Partial;
    let must = must_fund(data, scenario);
    let mut x: Vec<Variable> = Vec::with_capacity(data.projects.len());
    let mut fraction_col = Vec::with_capacity(data.projects.len());
    for (i, p) in data.projects.iter().enumerate() {
        // A bid a rule of its own excludes is a bound, except in the search for the
        // rules in conflict, which must be able to drop that rule: there it is a row.
        // A bid excluded only through its prerequisite needs neither: the `requires`
        // row holds it to its prerequisite.
        let own_rule = exclusions_as_rows && excl[i].is_some();
        let mut upper = if excl[i].is_some() && !exclusions_as_rows {
            0.0
        } else {
            1.0
        };
        // Must-fund is a bound, except in the elastic model where it must be breakable.
        let mut lower = if must[i].is_some() && !elastic {
            1.0
        } else {
            0.0
        };
        // A bid held in or out by `techfund explain` is the question being asked, not a
        // rule, so even the elastic model keeps it: its answer then names the rules the
        // hold cannot live with.
        match scenario.held(i) {
            Some(true) => lower = 1.0,
            Some(false) => upper = 0.0,
            None => {}
        }
        let name = format!("share_{}", p.id);
        let (xi, col) = b.add(lower, upper, !partial, name);
        x.push(xi);
        fraction_col.push(col);
        if partial && p.min_fraction > 0.0 && upper > 0.0 {
            let (yi, y_col) = b.add(0.0, 1.0, true, format!("funded_{}", p.id));
            b.link(
                format!("funded_{}_upper", p.id),
                xi - yi,
                Sense::AtMost,
                0.0,
            );
            // The LP relaxation starts with the indicator equal to the share.
            if !elastic {
                b.crash.push((y_col, b.rows.len() - 1));
            }
            b.link(
                format!("funded_{}_minimum", p.id),
                xi - p.min_fraction * yi,
                Sense::AtLeast,
                0.0,
            );
        }
        if own_rule && !matches!(excl[i], Some(Exclusion::RequiresExcluded { .. })) {
            b.push(
                Some(Rule::Excluded { project: i }),
                xi.into(),
                Sense::AtMost,
                0.0,
                1.0,
            );
        }
        if let (Some(rule), true) = (&must[i], elastic) {
            b.push(Some(rule.clone()), xi.into(), Sense::AtLeast, 1.0, 1000.0);
        }
    }
    (x, fraction_col)
}

/// A must-fund project that a rule excludes makes every allocation impossible; say so
/// at the bid's own line rather than as a bare "infeasible".
pub(super) fn check_must_fund(
    data: &Dataset,
    scenario: &Scenario,
    excl: &[Option<Exclusion>],
) -> Result<(), InputError> {
    let must = must_fund(data, scenario);
    for (i, p) in data.projects.iter().enumerate() {
        let Some(e) = &excl[i] else { continue };
        if let Some(Rule::LockIn { .. }) = must[i] {
            return Err(scenario.key_error(
                "rules",
                "lock_in",
                format!(
                    "`lock_in` names project `{}`, but {}",
                    p.id,
                    describe_chain(e, data, excl)
                ),
                "take it out of lock_in, or change the rule that excludes it",
            ));
        }
        if must[i].is_some() {
            return Err(data.projects_source.at(
                p.line,
                1,
                Some("must_fund"),
                format!(
                    "project `{}` must be funded, but {}",
                    p.id,
                    describe_chain(e, data, excl)
                ),
                "set must_fund to false for this project, or change the rule that excludes it",
            ));
        }
    }
    Ok(())
}
