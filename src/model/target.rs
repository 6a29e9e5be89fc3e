//! The minimum-fund model behind `techfund target`: the least money, per financial
//! year and budget line, for which footprints reach a capability score by the last
//! year, under the scenario's other rules. The budgets become variables; floors and
//! caps set as shares of the fair share follow the fund that the model chooses.

use super::*;
use crate::scenario::{Limit, Target};

/// The most a footprint's capabilities can reach if every eligible bid were funded
/// (ignoring budgets and groups): an upper bound that proves a target out of reach.
pub fn reachable(data: &Dataset, scenario: &Scenario, footprint: usize) -> f64 {
    let excl = exclusions(data, scenario);
    let uplift: f64 = data
        .projects
        .iter()
        .enumerate()
        .filter(|(i, p)| p.footprint == footprint && excl[*i].is_none())
        .map(|(_, p)| p.maturity_uplift)
        .sum();
    (data.footprints[footprint].maturity.capabilities + uplift).min(100.0)
}

/// Builds the minimum-fund programme. `fund_limit` caps the total fund (to prove that
/// one £k less than the minimum cannot reach the target).
pub fn build(
    data: &Dataset,
    scenario: &Scenario,
    target: &Target,
    fund_limit: Option<Money>,
) -> Result<Programme, InputError> {
    // The minimum fund is set year by year from what the bids spend as bid: switches,
    // carry-forward and moved starts are not part of this question (match funding is:
    // only the fund's share is counted).
    if scenario.flex.moves_money() || scenario.flex.may_defer.is_some_and(|d| d > 0) {
        let key = if scenario.flex.carry_forward_max.is_some_and(|m| m > 0.0) {
            ("budget", "carry_forward_max")
        } else if scenario.flex.moves_money() {
            ("budget", "revenue_to_capital_max")
        } else {
            ("phasing", "may_defer")
        };
        return Err(scenario.key_error(
            key.0,
            key.1,
            "`techfund target` finds the least fund year by year for bids as bid, so it takes no switch, carry-forward or phasing",
            "run target on a scenario without [budget] revenue_to_capital_max, carry_forward_max and [phasing]",
        ));
    }
    if let Some(p) = data.projects.iter().find(|p| p.max_shift() > 0) {
        return Err(data.projects_source.at(
            p.line,
            1,
            None,
            format!(
                "project `{}` may start late, but `techfund target` finds the least fund for bids as bid",
                p.id
            ),
            "clear its may_defer or latest_start, or run `techfund run` instead",
        ));
    }
    let excl = exclusions(data, scenario);
    check_must_fund(data, scenario, &excl)?;
    let mut b = Builder::new(data, scenario, &super::Relax::Nothing);
    let (x, fraction_col) = project_columns(&mut b, data, scenario, &excl, false, false);
    let lines = scenario.lines();
    // Money in the programme's unit (see `money_scale`); the fund's variables too.
    let money = money_scale(scenario);

    // The fund itself: one variable per financial year and budget line.
    let mut fund = Expression::default();
    for &line in &lines {
        for year in 0..scenario.years.len() {
            let (budget, _) = b.add(
                0.0,
                f64::INFINITY,
                false,
                format!("fund_{}_{}", line, scenario.years[year].column_suffix()),
            );
            fund += budget;
            let spend = spend_in(data, &x, line, year, money);
            b.push(
                Some(Rule::Budget { line, year }),
                spend - budget,
                Sense::AtMost,
                0.0,
                1.0,
            );
        }
    }
    if let Some(limit) = fund_limit {
        b.link(
            "fund_limit".into(),
            fund.clone(),
            Sense::AtMost,
            limit / money,
        );
    }

    let basis = scenario.rules.fair_share;
    let total_heads: f64 = data.footprints.iter().map(|f| basis.heads(f)).sum();
    let eligible_bid = |f: usize| -> Money {
        data.projects
            .iter()
            .enumerate()
            .filter(|(i, p)| p.footprint == f && excl[*i].is_none())
            .map(|(_, p)| p.fund_cost_on(&lines) / money)
            .sum()
    };
    let most_fund: Money = (0..data.footprints.len()).map(eligible_bid).sum();
    for (f, fp) in data.footprints.iter().enumerate() {
        let spend: Expression = data
            .projects
            .iter()
            .zip(&x)
            .filter(|(p, _)| p.footprint == f)
            .map(|(p, &xi)| p.fund_cost_on(&lines) / money * xi)
            .sum();
        let pop_share = basis.heads(fp) / total_heads;
        match cap_limit(data, scenario, f) {
            Some(Limit::ShareOfFairShare(c)) => b.push(
                Some(Rule::FootprintCap { footprint: f }),
                spend.clone() - c * pop_share * fund.clone(),
                Sense::AtMost,
                0.0,
                1.0,
            ),
            Some(Limit::Amount(a)) => b.push(
                Some(Rule::FootprintCap { footprint: f }),
                spend.clone(),
                Sense::AtMost,
                a / money,
                1.0,
            ),
            None => {}
        }
        let bid = eligible_bid(f);
        match floor_limit(data, scenario, f) {
            Some(Limit::Amount(a)) if a.min(bid) > 0.0 => b.push(
                Some(Rule::FootprintFloor { footprint: f }),
                spend.clone(),
                Sense::AtLeast,
                (a / money).min(bid),
                1.0,
            ),
            Some(Limit::ShareOfFairShare(s)) if s > 0.0 && bid > 0.0 => {
                // The floor is the smaller of its share of the fund and what the footprint
                // bid: a disjunction, so a binary says which of the two applies.
                let (all_bid, _) = b.add(0.0, 1.0, true, format!("floor_is_whole_bid_{}", fp.id));
                let big = s * pop_share * most_fund;
                b.push(
                    Some(Rule::FootprintFloor { footprint: f }),
                    spend.clone() - s * pop_share * fund.clone() + big * all_bid,
                    Sense::AtLeast,
                    0.0,
                    1.0,
                );
                b.push(
                    Some(Rule::FootprintFloor { footprint: f }),
                    spend - bid * all_bid,
                    Sense::AtLeast,
                    0.0,
                    1.0,
                );
            }
            _ => {}
        }
    }
    region_rows(&mut b, data, scenario, &x, &excl);
    category_rows(&mut b, data, scenario, &x);
    logic_rows(&mut b, data, &x);

    // The target: each footprint's capability gain must close its gap (all of them, or
    // enough footprints to hold the required share of the population).
    let everyone = target.population_share >= 1.0;
    let mut reached_pop = Expression::default();
    let mut already = 0.0;
    for (f, fp) in data.footprints.iter().enumerate() {
        let gap = target.capabilities - fp.maturity.capabilities;
        if gap <= 0.0 {
            already += fp.population;
            continue;
        }
        let uplift = uplift_in(data, &x, f);
        if everyone {
            b.link(format!("target_{}", fp.id), uplift, Sense::AtLeast, gap);
        } else {
            let (reached, _) = b.add(0.0, 1.0, true, format!("reached_{}", fp.id));
            b.link(
                format!("target_{}", fp.id),
                uplift - gap * reached,
                Sense::AtLeast,
                0.0,
            );
            reached_pop += fp.population * reached;
        }
    }
    if !everyone {
        b.link(
            "target_population".into(),
            reached_pop,
            Sense::AtLeast,
            target.population_share * data.total_population() - already,
        );
    }

    Ok(b.finish(fund, false, fraction_col, excl, money))
}
