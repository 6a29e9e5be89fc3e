//! The budget mechanics in every report (summary.md, the HTML page, the workbook,
//! run.json): what the scenario allows, what was switched and carried per year, which
//! bids start late, and fund against local money. Nothing here when the scenario uses
//! none of them, so reports of scenarios without them are as they were.

use crate::allocation::{Allocation, ProjectAllocation};
use crate::domain::{BudgetLine, Money};
use crate::format::{money, thousands};
use serde::Serialize;

/// True when the reports gain the budget-flexibility section.
pub fn shown(a: &Allocation) -> bool {
    !a.scenario.flex.is_off() || a.phasing || a.matching
}

/// One year's moves: revenue switched to capital, and what each line carried out of it.
pub struct YearMoves {
    pub year: String,
    pub switched: Money,
    pub carried_capital: Money,
    pub carried_revenue: Money,
}

pub fn year_moves(a: &Allocation) -> Vec<YearMoves> {
    a.years
        .iter()
        .enumerate()
        .map(|(y, year)| YearMoves {
            year: year.to_string(),
            switched: a.moves.switched.get(y).copied().unwrap_or(0.0),
            carried_capital: a
                .moves
                .carried_on(BudgetLine::Capital)
                .get(y)
                .copied()
                .unwrap_or(0.0),
            carried_revenue: a
                .moves
                .carried_on(BudgetLine::Revenue)
                .get(y)
                .copied()
                .unwrap_or(0.0),
        })
        .collect()
}

/// The table's head, for the summary, the page and the workbook alike.
pub const MOVES_HEAD: [&str; 4] = [
    "Year",
    "Revenue switched to capital (£k)",
    "Capital carried into next year (£k)",
    "Revenue carried into next year (£k)",
];

/// The funded bids that start late, in rank order.
pub fn late(a: &Allocation) -> Vec<&ProjectAllocation> {
    a.projects
        .iter()
        .filter(|p| p.start_shift > 0 && p.fraction > 0.0)
        .collect()
}

/// Sentences for the section: the mechanisms allowed, and fund against local money.
pub fn sentences(a: &Allocation) -> Vec<String> {
    let mut out: Vec<String> = a.scenario.flex.describe();
    if a.phasing {
        let late = late(a);
        out.push(format!(
            "{} funded bid(s) start later than bid (allocation.csv: `start_year`, `start_shift`)",
            late.len()
        ));
    }
    if a.matching {
        let matched: Vec<&ProjectAllocation> = a
            .projects
            .iter()
            .filter(|p| p.match_share > 0.0 && p.fraction > 0.0)
            .collect();
        let fund: Money = matched.iter().map(|p| p.funded).sum();
        let local: Money = matched.iter().map(|p| p.local).sum();
        out.push(format!(
            "{} funded bid(s) are match funded: {} from the fund and {} locally ({} in all); only the fund's share counts against the budgets, floors, caps and fair shares",
            matched.len(),
            money(fund),
            money(local),
            money(fund + local)
        ));
    }
    out
}

/// The moves as table cells, £k.
pub fn moves_cells(m: &YearMoves) -> [String; 4] {
    [
        m.year.clone(),
        thousands(m.switched),
        thousands(m.carried_capital),
        thousands(m.carried_revenue),
    ]
}

/// The section of summary.md.
pub fn markdown(a: &Allocation) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    if !shown(a) {
        return s;
    }
    let _ = writeln!(s, "\n## Budget flexibility\n");
    for line in sentences(a) {
        let _ = writeln!(s, "- {}.", crate::format::markdown_cell(&line));
    }
    if a.scenario.flex.moves_money() {
        let _ = writeln!(
            s,
            "\nThe budgets above are as set; each year may spend its budget, plus what was carried in from the year before, less what it carries out, plus (capital) or less (revenue) what was switched.\n"
        );
        let _ = writeln!(s, "| {} |\n|---|---:|---:|---:|", MOVES_HEAD.join(" | "));
        for m in year_moves(a) {
            let _ = writeln!(s, "| {} |", moves_cells(&m).join(" | "));
        }
    }
    let late = late(a);
    if !late.is_empty() {
        let _ = writeln!(
            s,
            "\n| Rank | Project | Starts in | Years late |\n|---:|---|---|---:|"
        );
        for p in late {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                p.rank,
                crate::format::markdown_cell(&p.project_id),
                p.start_year
                    .as_ref()
                    .map_or(String::new(), |y| y.to_string()),
                p.start_shift
            );
        }
    }
    s
}

/// The section of the HTML page.
pub fn html(a: &Allocation) -> String {
    use crate::format::html_escape;
    use std::fmt::Write;
    let mut h = String::new();
    if !shown(a) {
        return h;
    }
    h.push_str("<section id=\"budget-flexibility\">\n<h2>Budget flexibility</h2>\n<ul>\n");
    for line in sentences(a) {
        let _ = writeln!(h, "<li>{}.</li>", html_escape(&line));
    }
    h.push_str("</ul>\n");
    if a.scenario.flex.moves_money() {
        h.push_str("<table>\n<thead><tr>");
        for c in MOVES_HEAD {
            let _ = write!(h, "<th>{}</th>", html_escape(c));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for m in year_moves(a) {
            h.push_str("<tr>");
            for (i, c) in moves_cells(&m).iter().enumerate() {
                let class = if i > 0 { " class=\"num\"" } else { "" };
                let _ = write!(h, "<td{class}>{}</td>", html_escape(c));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n");
    }
    let late = late(a);
    if !late.is_empty() {
        h.push_str("<table>\n<thead><tr><th>Rank</th><th>Project</th><th>Starts in</th><th>Years late</th></tr></thead>\n<tbody>\n");
        for p in late {
            let _ =
                writeln!(
                h,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                p.rank,
                html_escape(&p.project_id),
                html_escape(&p.start_year.as_ref().map_or(String::new(), |y| y.to_string())),
                p.start_shift
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str("</section>\n");
    h
}

/// What run.json records of the mechanics (absent when the scenario uses none).
#[derive(Serialize)]
pub struct Manifest {
    /// Per year, £k.
    pub revenue_switched_to_capital_k: Vec<Money>,
    pub capital_carried_forward_k: Vec<Money>,
    pub revenue_carried_forward_k: Vec<Money>,
    /// Funded bids that start late: (project id, start year, years late).
    pub late_starts: Vec<(String, String, usize)>,
    /// Fund and local money of the funded bids, £k.
    pub fund_k: Money,
    pub local_k: Money,
}

pub fn manifest(a: &Allocation) -> Option<Manifest> {
    if !shown(a) {
        return None;
    }
    // To the pound, as the other money in run.json is read.
    let pounds = |v: &[Money]| -> Vec<Money> {
        v.iter()
            .map(|x| (x * 1000.0).round() / 1000.0 + 0.0)
            .collect()
    };
    Some(Manifest {
        revenue_switched_to_capital_k: pounds(&a.moves.switched),
        capital_carried_forward_k: pounds(a.moves.carried_on(BudgetLine::Capital)),
        revenue_carried_forward_k: pounds(a.moves.carried_on(BudgetLine::Revenue)),
        late_starts: late(a)
            .into_iter()
            .map(|p| {
                (
                    p.project_id.clone(),
                    p.start_year
                        .as_ref()
                        .map_or(String::new(), |y| y.to_string()),
                    p.start_shift,
                )
            })
            .collect(),
        fund_k: (a.total_funded * 1000.0).round() / 1000.0,
        local_k: (a.total_local() * 1000.0).round() / 1000.0,
    })
}
