//! Near-optimal alternatives (`[alternatives]`): alternatives.csv, and the section
//! summary.md, the page and the workbook share: what each alternative is worth against
//! the optimum, and what it gives up and funds instead by footprint and by category.

use super::doc::{self, Table};
use super::words::value_text;
use crate::allocation::alternatives::{by_group, Alternative, Alternatives, Ended, GroupChange};
use crate::allocation::Allocation;
use crate::csvio::{finish, writer};
use crate::format::{fixed, html_escape, markdown_cell, thousands};
use crate::solve::SolveStatus;
use std::fmt::Write;

/// Decimals for a value in the allocation's unit: money to £100, person-points whole.
fn decimals(a: &Allocation) -> usize {
    if a.value_unit.is_money() {
        1
    } else {
        0
    }
}

/// alternatives.csv, long: one row per bid an alternative changes from the optimum
/// (`in`: the alternative funds it and the optimum does not; `out`: the other way),
/// with the alternative's own figures repeated on each of its rows. No alternative
/// found: the header alone (summary.md says why).
pub fn csv(a: &Allocation, alts: &Alternatives) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "alternative",
        "value",
        "share_of_optimum",
        "status",
        "gap",
        "differs_from_optimum",
        "project_id",
        "change",
        "footprint_id",
        "footprint_name",
        "category",
        "cost",
        "project_value",
    ])
    .expect("in memory");
    let d = decimals(a);
    for alt in &alts.found {
        for c in &alt.changes {
            w.write_record([
                alt.number.to_string(),
                fixed(alt.value, d),
                fixed(alt.share, 6),
                alt.status.as_str().to_string(),
                fixed(alt.gap, 6),
                alt.differs_from_optimum.to_string(),
                c.project_id.clone(),
                if c.funded_instead { "in" } else { "out" }.to_string(),
                c.footprint_id.clone(),
                c.footprint_name.clone(),
                c.category.clone(),
                fixed(c.cost, 3),
                fixed(c.value, d),
            ])
            .expect("in memory");
        }
    }
    finish(w)
}

/// What was asked and how to read the answer.
pub fn explanation(a: &Allocation, alts: &Alternatives) -> Vec<String> {
    let r = &alts.request;
    let mut out = vec![format!(
        "Asked for {} further allocation(s), each keeping every rule of the scenario, worth at least {}% of the optimum's value ({}, so at least {}) and differing from the optimum and from every alternative before it in at least {} bid(s) (a bid funded in one and not in the other). Each is the best allocation left that is that good and that different, found by re-solving with a no-good cut against each allocation already found, and each was checked against every rule and both conditions outside the solver.",
        r.count,
        fixed((1.0 - r.within) * 100.0, 3),
        value_text(a, alts.optimum_value),
        value_text(a, alts.threshold),
        r.differ_by
    )];
    out.push(format!(
        "The yardstick is the optimum's own value, not the solver's bound: the optimum was solved to a gap of {}%, so an alternative is within {}% of the best allocation possible.",
        fixed(alts.optimum_gap * 100.0, 4),
        fixed((1.0 - (1.0 - r.within) * (1.0 - alts.optimum_gap)) * 100.0, 4)
    ));
    if alts.found.iter().any(|alt| alt.share > 1.0) {
        out.push("An alternative worth more than the optimum is no error: the optimum is proven only to within its gap, and a re-solve can find a better allocation inside it.".to_string());
    }
    out.push(match &alts.ended {
        Ended::AllFound => format!("All {} were found.", r.count),
        Ended::NoneLeft if alts.found.is_empty() => format!(
            "There is none: the solver proved that no allocation within {}% of the optimum differs from it in {} or more bids. The optimum is the only allocation this good, as far as {} bid(s) of difference go.",
            fixed(r.within * 100.0, 3),
            r.differ_by,
            r.differ_by
        ),
        Ended::NoneLeft => format!(
            "Only {} of the {} asked for exist: the solver proved that no further allocation is that good and differs enough from all of those above.",
            alts.found.len(),
            r.count
        ),
        Ended::OutOfTime => format!(
            "{} of the {} asked for were found before the time limit ({} s for all the alternatives together) ran out; more may exist. Raise [solver] time_limit_s to look further.",
            alts.found.len(),
            r.count,
            fixed(a.scenario.solver.time_limit_s, 0)
        ),
        Ended::Failed(why) => format!(
            "{} of the {} asked for were found; the search then stopped because the solver failed: {why}",
            alts.found.len(),
            r.count
        ),
    });
    out
}

pub const HEAD: [&str; 7] = [
    "Alternative",
    "Value",
    "Share of the optimum",
    "Bids changed from the optimum",
    "Fewest bids changed from any earlier",
    "Money allocated (£k)",
    "Solved to",
];

/// One row per alternative.
pub fn rows(alts: &Alternatives) -> Vec<Vec<String>> {
    alts.found
        .iter()
        .map(|alt| {
            vec![
                alt.number.to_string(),
                thousands(alt.value),
                format!("{}%", fixed(alt.share * 100.0, 3)),
                alt.differs_from_optimum.to_string(),
                alt.fewest_differences.to_string(),
                thousands(alt.funded),
                solved_to(alt),
            ]
        })
        .collect()
}

fn solved_to(alt: &Alternative) -> String {
    match alt.status {
        SolveStatus::TimeLimit => format!(
            "NOT proven the best left: stopped at its time limit (gap {}%)",
            fixed(alt.gap * 100.0, 4)
        ),
        _ => format!("gap {}%", fixed(alt.gap * 100.0, 4)),
    }
}

/// The groups of one alternative, footprints then categories: what it gives up and
/// funds instead in each, £k and value.
pub fn changes(alt: &Alternative) -> Vec<(&'static str, GroupChange)> {
    let mut out: Vec<(&'static str, GroupChange)> = by_group(alt, |c| {
        format!("{} ({})", c.footprint_name, c.footprint_id)
    })
    .into_iter()
    .map(|g| ("Footprint", g))
    .collect();
    out.extend(
        by_group(alt, |c| c.category.clone())
            .into_iter()
            .map(|g| ("Category", g)),
    );
    out
}

pub const CHANGE_HEAD: [&str; 7] = [
    "By",
    "Footprint or category",
    "Gives up (£k)",
    "Value given up",
    "Funds instead (£k)",
    "Value funded instead",
    "Net value",
];

pub fn change_rows(alt: &Alternative) -> Vec<Vec<String>> {
    changes(alt)
        .into_iter()
        .map(|(by, g)| {
            vec![
                by.to_string(),
                g.name.clone(),
                thousands(g.given_up_cost),
                thousands(g.given_up_value),
                thousands(g.funded_cost),
                thousands(g.funded_value),
                thousands(g.funded_value - g.given_up_value),
            ]
        })
        .collect()
}

/// The bids an alternative swaps, in a sentence: "gives up P0001, P0002; funds P0003".
pub fn swap_line(alt: &Alternative) -> String {
    let ids = |instead: bool| {
        let ids: Vec<&str> = alt
            .changes
            .iter()
            .filter(|c| c.funded_instead == instead)
            .map(|c| c.project_id.as_str())
            .collect();
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    format!(
        "Alternative {}: gives up {}; funds instead {}.",
        alt.number,
        ids(false),
        ids(true)
    )
}

fn table(head: &[&str], numeric: &[usize], rows: Vec<Vec<String>>) -> Table {
    Table {
        head: head
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_string(), numeric.contains(&i)))
            .collect(),
        rows,
    }
}

/// The section of summary.md.
pub fn markdown(a: &Allocation, alts: &Alternatives) -> String {
    let mut s = String::from("\n## Near-optimal alternatives\n\n");
    for p in explanation(a, alts) {
        let _ = writeln!(s, "{}\n", markdown_cell(&p));
    }
    if alts.found.is_empty() {
        return s;
    }
    let _ = writeln!(s, "Value is in {}.\n", a.value_unit);
    markdown_table(&mut s, &table(&HEAD, &[0, 1, 2, 3, 4, 5], rows(alts)));
    for alt in &alts.found {
        let _ = writeln!(
            s,
            "### Alternative {}: what it gives up and funds instead\n\n{}\n",
            alt.number,
            markdown_cell(&swap_line(alt))
        );
        markdown_table(
            &mut s,
            &table(&CHANGE_HEAD, &[2, 3, 4, 5, 6], change_rows(alt)),
        );
    }
    s
}

fn markdown_table(s: &mut String, t: &Table) {
    let head: Vec<String> = t.head.iter().map(|(h, _)| markdown_cell(h)).collect();
    let align: Vec<&str> = t
        .head
        .iter()
        .map(|(_, n)| if *n { "---:" } else { "---" })
        .collect();
    let _ = writeln!(s, "| {} |", head.join(" | "));
    let _ = writeln!(s, "|{}|", align.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| markdown_cell(c)).collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    s.push('\n');
}

/// The section of report.html.
pub fn html(h: &mut String, a: &Allocation, alts: &Alternatives) {
    h.push_str("<section id=\"alternatives\">\n<h2>Near-optimal alternatives</h2>\n");
    for p in explanation(a, alts) {
        let _ = writeln!(h, "<p>{}</p>", html_escape(&p));
    }
    if !alts.found.is_empty() {
        let _ = writeln!(
            h,
            "<p>Value is in {}.</p>",
            html_escape(a.value_unit.as_str())
        );
        doc::table_html(h, &table(&HEAD, &[0, 1, 2, 3, 4, 5], rows(alts)));
        for alt in &alts.found {
            let _ = writeln!(
                h,
                "<h3>Alternative {}: what it gives up and funds instead</h3>\n<p>{}</p>",
                alt.number,
                html_escape(&swap_line(alt))
            );
            doc::table_html(h, &table(&CHANGE_HEAD, &[2, 3, 4, 5, 6], change_rows(alt)));
        }
    }
    h.push_str("</section>\n");
}
