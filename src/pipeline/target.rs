//! The minimum-fund solve behind `techfund target`.

use crate::allocation::target::{self, TargetResult};
use crate::domain::{Dataset, Money};
use crate::error::Result;
use crate::model::target::build;
use crate::scenario::{Scenario, Target};
use crate::solve::{self, Failure};

/// Solves the minimum-fund programme; `fund_limit` caps the total fund (to prove that
/// one £k less than the minimum cannot reach the target).
pub fn solve_target(
    data: &Dataset,
    scenario: &Scenario,
    target: &Target,
    fund_limit: Option<Money>,
) -> Result<std::result::Result<TargetResult, Failure>> {
    let programme = build(data, scenario, target, fund_limit)?;
    let fraction_col = programme.fraction_col.clone();
    Ok(
        solve::solve(programme, &scenario.solver, &Default::default())?
            .map(|solved| target::result(data, scenario, target, &fraction_col, &solved)),
    )
}
