//! The table sheets: Projects (the allocation itself), Footprints, Years, Rules and
//! Marginal values, one row per item under a frozen, filtered header.

use super::cells::{col, number, table_head, text, text_width, Formats};
use crate::allocation::Allocation;
use crate::report::words::capitalised;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub(super) fn projects(ws: &mut Worksheet, a: &Allocation, f: &Formats) -> Result<(), XlsxError> {
    let mut columns = vec![
        col("Rank", 7.0),
        col("Project ID", 12.0),
        col("Footprint ID", 13.0),
        col(
            "Footprint",
            text_width(
                a.projects.iter().map(|p| p.footprint_name.as_str()),
                14.0,
                40.0,
            ),
        ),
        col(
            "Region",
            text_width(a.projects.iter().map(|p| p.region.as_str()), 10.0, 28.0),
        ),
        col(
            "Title",
            text_width(a.projects.iter().map(|p| p.title.as_str()), 20.0, 60.0),
        ),
        col(
            "Category",
            text_width(a.projects.iter().map(|p| p.category.as_str()), 12.0, 28.0),
        ),
        col("Status", 16.0),
        col("Share funded", 10.0),
        col("Cost (£k)", 13.0),
        col("Allocated (£k)", 13.0),
    ];
    for line in &a.lines {
        for year in &a.years {
            columns.push(col(
                &format!("{} {} (£k)", capitalised(line.name()), year),
                13.0,
            ));
        }
    }
    columns.push(col(&format!("Value ({})", a.value_unit), 16.0));
    columns.push(col("Value per £", 11.0));
    for c in &a.comparisons {
        columns.push(col(&format!("{}: share funded", c.method.name()), 16.0));
    }
    columns.push(col(
        "Why not funded in full",
        text_width(a.projects.iter().map(|p| p.reason.as_str()), 24.0, 60.0),
    ));
    // Phasing and match funding, only when in use (as in allocation.csv).
    if a.phasing {
        columns.push(col("Starts in", 11.0));
        columns.push(col("Years late", 9.0));
    }
    if a.matching {
        columns.push(col("Local share", 10.0));
        columns.push(col("Local contribution (£k)", 14.0));
        columns.push(col("Whole cost (£k)", 13.0));
    }
    table_head(ws, &columns, a.projects.len(), f)?;

    for (i, p) in a.projects.iter().enumerate() {
        let r = i as u32 + 1;
        number(ws, r, 0, p.rank as f64, &f.whole)?;
        text(ws, r, 1, &p.project_id)?;
        text(ws, r, 2, &p.footprint_id)?;
        text(ws, r, 3, &p.footprint_name)?;
        text(ws, r, 4, &p.region)?;
        text(ws, r, 5, &p.title)?;
        text(ws, r, 6, &p.category)?;
        ws.write_string(r, 7, p.status.label())?;
        number(ws, r, 8, p.fraction, &f.percent)?;
        number(ws, r, 9, p.cost, &f.money_k)?;
        number(ws, r, 10, p.funded, &f.money_k)?;
        let mut c = 11u16;
        for l in 0..a.lines.len() {
            for y in 0..a.years.len() {
                let amount = p
                    .amounts
                    .get(l)
                    .and_then(|line| line.get(y))
                    .copied()
                    .unwrap_or(0.0);
                number(ws, r, c, amount, &f.money_k)?;
                c += 1;
            }
        }
        number(ws, r, c, p.value, &f.decimal)?;
        number(ws, r, c + 1, p.value_per_pound, &f.ratio)?;
        c += 2;
        for comparison in &a.comparisons {
            number(
                ws,
                r,
                c,
                comparison.fractions.get(i).copied().unwrap_or(0.0),
                &f.percent,
            )?;
            c += 1;
        }
        text(ws, r, c, &p.reason)?;
        c += 1;
        if a.phasing {
            let start = p
                .start_year
                .as_ref()
                .map_or(String::new(), |y| y.to_string());
            text(ws, r, c, &start)?;
            number(ws, r, c + 1, p.start_shift as f64, &f.whole)?;
            c += 2;
        }
        if a.matching {
            number(ws, r, c, p.match_share, &f.percent)?;
            number(ws, r, c + 1, p.local, &f.money_k)?;
            number(ws, r, c + 2, p.whole_cost, &f.money_k)?;
        }
    }
    Ok(())
}

pub(super) fn footprints(ws: &mut Worksheet, a: &Allocation, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        col("Footprint ID", 13.0),
        col(
            "Footprint",
            text_width(a.footprints.iter().map(|x| x.name.as_str()), 14.0, 45.0),
        ),
        col(
            "Region",
            text_width(a.footprints.iter().map(|x| x.region.as_str()), 10.0, 28.0),
        ),
        col("Population", 12.0),
        col("Allocated (£k)", 13.0),
        col("£ per head", 11.0),
        col("Fair share (£k)", 13.0),
        col("Allocated ÷ fair share", 12.0),
        col("Readiness", 10.0),
        col("Infrastructure", 12.0),
        col("Capabilities before", 12.0),
        col("Capabilities after", 12.0),
        col("Capabilities gained", 12.0),
        col("Projects funded", 10.0),
    ];
    table_head(ws, &columns, a.footprints.len(), f)?;
    for (i, x) in a.footprints.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &x.footprint_id)?;
        text(ws, r, 1, &x.name)?;
        text(ws, r, 2, &x.region)?;
        number(ws, r, 3, x.population, &f.whole)?;
        number(ws, r, 4, x.funded, &f.money_k)?;
        number(ws, r, 5, x.per_head, &f.pounds)?;
        number(ws, r, 6, x.fair_share, &f.money_k)?;
        number(ws, r, 7, x.share_of_fair_share, &f.percent)?;
        number(ws, r, 8, x.readiness, &f.one_dp)?;
        number(ws, r, 9, x.infrastructure, &f.one_dp)?;
        number(ws, r, 10, x.capabilities_before, &f.one_dp)?;
        number(ws, r, 11, x.capabilities_after, &f.one_dp)?;
        number(
            ws,
            r,
            12,
            x.capabilities_after - x.capabilities_before,
            &f.one_dp,
        )?;
        number(ws, r, 13, x.projects_funded as f64, &f.whole)?;
    }
    Ok(())
}

pub(super) fn years(ws: &mut Worksheet, a: &Allocation, f: &Formats) -> Result<(), XlsxError> {
    let mut columns = vec![
        col("Financial year", 12.0),
        col("Budget line", 12.0),
        col("Budget (£k)", 13.0),
        col("Allocated (£k)", 13.0),
        col("Headroom (£k)", 13.0),
        col("Share used", 10.0),
    ];
    // With switches or carry-forward, what each year could spend after the moves.
    let moves = a.scenario.flex.moves_money();
    if moves {
        columns.push(col("Carried in (£k)", 13.0));
        columns.push(col("Carried out (£k)", 13.0));
        columns.push(col("Switched in (+) or out (−) (£k)", 15.0));
        columns.push(col("Could spend (£k)", 13.0));
    }
    table_head(ws, &columns, a.budget_use.len(), f)?;
    for (i, b) in a.budget_use.iter().enumerate() {
        let r = i as u32 + 1;
        let y = a.years.iter().position(|y| *y == b.year).unwrap_or(0);
        let available = a.moves.available(b.line, y, b.budget);
        text(ws, r, 0, b.year.label())?;
        ws.write_string(r, 1, b.line.name())?;
        number(ws, r, 2, b.budget, &f.money_k)?;
        number(ws, r, 3, b.used, &f.money_k)?;
        number(ws, r, 4, available - b.used, &f.money_k)?;
        if available > 0.0 {
            number(ws, r, 5, b.used / available, &f.percent)?;
        }
        if moves {
            let carried = a.moves.carried_on(b.line);
            let carried_in = if y > 0 { carried[y - 1] } else { 0.0 };
            let switched = match b.line {
                crate::domain::BudgetLine::Capital => a.moves.switched[y],
                crate::domain::BudgetLine::Revenue => -a.moves.switched[y],
            };
            number(ws, r, 6, carried_in, &f.money_k)?;
            number(ws, r, 7, carried[y], &f.money_k)?;
            number(ws, r, 8, switched + 0.0, &f.money_k)?;
            number(ws, r, 9, available, &f.money_k)?;
        }
    }
    Ok(())
}

/// The value of £1m more and less in each year and line: figures as numbers, with the
/// range the proven bounds allow beside them, or why there is none.
pub(super) fn marginal_values(
    ws: &mut Worksheet,
    a: &Allocation,
    f: &Formats,
) -> Result<(), XlsxError> {
    let unit = a.value_unit.as_str();
    let columns = [
        col("Financial year", 12.0),
        col("Budget line", 12.0),
        (format!("Value of the next £1m ({unit})"), 18.0),
        col("Next £1m: low", 14.0),
        col("Next £1m: high", 14.0),
        (format!("Value of the last £1m ({unit})"), 18.0),
        col("Last £1m: low", 14.0),
        col("Last £1m: high", 14.0),
        col("Status", 12.0),
        col("Gap", 10.0),
        (format!("Dual value per £1m, LP only ({unit})"), 18.0),
        col("Dual holds from budget (£k)", 16.0),
        col("Dual holds to budget (£k)", 16.0),
    ];
    table_head(ws, &columns, a.marginal_values.len(), f)?;
    for (i, m) in a.marginal_values.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, m.year.label())?;
        ws.write_string(r, 1, m.line.name())?;
        for (c, figure) in [(2u16, &m.next), (5, &m.last)] {
            match figure {
                Ok((v, lo, hi)) => {
                    number(ws, r, c, *v, &f.whole)?;
                    number(ws, r, c + 1, *lo, &f.whole)?;
                    number(ws, r, c + 2, *hi, &f.whole)?;
                }
                Err(why) => text(ws, r, c, why)?,
            }
        }
        ws.write_string(r, 8, m.status.as_str())?;
        number(ws, r, 9, m.gap, &f.gap)?;
        // An infinite end of the range is left empty: the dual holds without limit.
        match &m.dual {
            Ok(d) => {
                number(ws, r, 10, d.per_1m, &f.decimal)?;
                number(ws, r, 11, d.from, &f.money_k)?;
                number(ws, r, 12, d.to, &f.money_k)?;
            }
            Err(why) => text(ws, r, 10, why)?,
        }
    }
    Ok(())
}

pub(super) fn rules(ws: &mut Worksheet, a: &Allocation, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        col(
            "Rule",
            text_width(a.rule_use.iter().map(|r| r.name.as_str()), 24.0, 60.0),
        ),
        col("Limit", 14.0),
        col("Used", 14.0),
        col("Headroom", 14.0),
        col("Binding", 9.0),
    ];
    table_head(ws, &columns, a.rule_use.len(), f)?;
    for (i, rule) in a.rule_use.iter().enumerate() {
        let r = i as u32 + 1;
        text(ws, r, 0, &rule.name)?;
        number(ws, r, 1, rule.limit, &f.decimal)?;
        number(ws, r, 2, rule.used, &f.decimal)?;
        number(ws, r, 3, rule.headroom, &f.decimal)?;
        ws.write_string(r, 4, if rule.binding { "yes" } else { "no" })?;
    }
    Ok(())
}
