//! The rows of a re-solve looking for a near-optimal alternative (`Scenario::cuts`):
//! the value at least a share of the optimum's, and a no-good cut per allocation
//! already found.

use super::builder::Builder;
use super::{Exclusion, Sense, MATURITY_SCALE};
use crate::domain::Dataset;
use crate::scenario::{Cut, ObjectiveKind, Scenario};
use good_lp::{Expression, Variable};

/// One row per cut. A no-good cut on whole bids x against a reference allocation S:
/// Σ_{i∈S} (1 − x_i) + Σ_{i∉S} x_i ≥ by, i.e. Σ_{i∉S} x_i − Σ_{i∈S} x_i ≥ by − |S|.
/// Bids a rule excludes are 0 in every allocation, so they are left out of the row.
pub(super) fn cut_rows(
    b: &mut Builder,
    data: &Dataset,
    scenario: &Scenario,
    x: &[Variable],
    excl: &[Option<Exclusion>],
    objective: &Expression,
    money: f64,
) {
    for (k, cut) in scenario.cuts.iter().enumerate() {
        match cut {
            Cut::ValueAtLeast { value } => {
                let unit = match scenario.objective {
                    ObjectiveKind::Benefit | ObjectiveKind::Npv => money,
                    ObjectiveKind::Maturity => MATURITY_SCALE,
                };
                b.cut(
                    k,
                    cut.key(),
                    objective.clone(),
                    Sense::AtLeast,
                    value / unit,
                );
            }
            Cut::DiffersFrom { reference, by, .. } => {
                let mut in_reference = vec![false; data.projects.len()];
                for &p in reference {
                    in_reference[p] = true;
                }
                let mut lhs = Expression::default();
                for (i, &xi) in x.iter().enumerate() {
                    if in_reference[i] {
                        lhs -= xi;
                    } else if excl[i].is_none() {
                        lhs += xi;
                    }
                }
                let rhs = *by as f64 - reference.len() as f64;
                b.cut(k, cut.key(), lhs, Sense::AtLeast, rhs);
            }
        }
    }
}
