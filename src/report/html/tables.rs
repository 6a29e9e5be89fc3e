//! The page's sortable tables: budget by year, marginal values, footprints, projects
//! (the allocation itself) and the rules that bind.

use super::percent;
use crate::allocation::{Allocation, Method};
use crate::format::{fixed, html_escape, thousands};
use crate::report::charts::spend_by_line_year;
use crate::report::words::{number, per_pound_text};
use crate::report::{doc, marginal};
use std::fmt::Write;

/// A numeric cell that sorts by its raw value.
fn num(h: &mut String, raw: f64, shown: &str) {
    // Infinite value per £ (a bid that costs the fund nothing) sorts above every number.
    let raw = match raw {
        r if r.is_finite() => r,
        r if r > 0.0 => f64::MAX,
        _ => 0.0,
    };
    let _ = write!(h, "<td class=\"n\" data-v=\"{raw}\">{shown}</td>");
}

fn text(h: &mut String, s: &str) {
    let _ = write!(h, "<td>{}</td>", html_escape(s));
}

/// Names, titles and reasons: wide enough to read without a row growing tall.
fn long_text(h: &mut String, s: &str) {
    let _ = write!(h, "<td class=\"t\">{}</td>", html_escape(s));
}

/// Identifiers and short labels, kept on one line.
fn id(h: &mut String, s: &str) {
    let _ = write!(h, "<td class=\"id\">{}</td>", html_escape(s));
}

fn sortable_head(h: &mut String, columns: &[(&str, bool)]) {
    h.push_str("<thead><tr>");
    for (name, numeric) in columns {
        let class = if *numeric { " class=\"n\"" } else { "" };
        let _ = write!(
            h,
            "<th scope=\"col\"{class}><button type=\"button\">{}</button></th>",
            html_escape(name)
        );
    }
    h.push_str("</tr></thead>\n");
}

pub(super) fn budget(h: &mut String, a: &Allocation) {
    h.push_str("<section id=\"budget\">\n<h2>Budget by financial year</h2>\n<table>\n<thead><tr><th>Year</th><th>Budget line</th>\
                <th class=\"n\">Budget (£k)</th><th class=\"n\">Allocated (£k)</th><th class=\"n\">Headroom (£k)</th><th class=\"n\">Used</th></tr></thead>\n<tbody>\n");
    let spend = spend_by_line_year(a);
    for b in &a.budget_use {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            html_escape(b.year.label()),
            b.line,
            thousands(b.budget),
            thousands(b.used),
            thousands(b.budget - b.used),
            if b.budget > 0.0 { percent(b.used / b.budget) } else { "—".to_string() }
        );
    }
    let total_budget = a.scenario.total_budget();
    let total_used: f64 = spend.iter().flatten().sum();
    let _ = writeln!(
        h,
        "</tbody>\n<tfoot><tr><th colspan=\"2\">All years</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></tfoot>\n</table>\n</section>",
        thousands(total_budget),
        thousands(total_used),
        thousands(total_budget - total_used),
        if total_budget > 0.0 { percent(total_used / total_budget) } else { "—".to_string() }
    );
}

/// The value of £1m more and less in each year and line, when the run computed it.
pub(super) fn marginal_values(h: &mut String, a: &Allocation) {
    if a.marginal_values.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"marginal-values\">\n<h2>The value of each year's money</h2>\n<p>{}</p>",
        html_escape(&marginal::explanation(a))
    );
    let table = doc::Table {
        head: marginal::HEAD
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), i == 2 || i == 3))
            .collect(),
        rows: marginal::rows(a).into_iter().map(|r| r.to_vec()).collect(),
    };
    doc::table_html(h, &table);
    h.push_str("</section>\n");
}

pub(super) fn footprints(h: &mut String, a: &Allocation) {
    let _ = writeln!(
        h,
        "<section id=\"footprints\">\n<h2>Footprints</h2>\n<p>{} footprints. Fair share is the footprint's population share of the whole fund. Click a column header to sort.</p>\n<div class=\"scroll\">\n<table class=\"sortable\" id=\"footprint-table\">",
        a.footprints.len()
    );
    sortable_head(
        h,
        &[
            ("Footprint", false),
            ("ID", false),
            ("Region", false),
            ("Population", true),
            ("Allocated (£k)", true),
            ("£ per head", true),
            ("Fair share (£k)", true),
            ("Of fair share", true),
            ("Capabilities before", true),
            ("Capabilities after", true),
            ("Projects funded", true),
        ],
    );
    h.push_str("<tbody>\n");
    for f in &a.footprints {
        h.push_str("<tr>");
        long_text(h, &f.name);
        id(h, &f.footprint_id);
        text(h, &f.region);
        num(h, f.population, &thousands(f.population));
        num(h, f.funded, &thousands(f.funded));
        num(h, f.per_head, &fixed(f.per_head, 2));
        num(h, f.fair_share, &thousands(f.fair_share));
        num(h, f.share_of_fair_share, &percent(f.share_of_fair_share));
        num(h, f.capabilities_before, &fixed(f.capabilities_before, 1));
        num(h, f.capabilities_after, &fixed(f.capabilities_after, 1));
        num(h, f.projects_funded as f64, &f.projects_funded.to_string());
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

pub(super) fn projects(h: &mut String, a: &Allocation) {
    let _ = writeln!(
        h,
        "<section id=\"projects\">\n<h2>Projects, ranked</h2>\n<p>{} bids: funded first, each group in value-per-£ order. Value in {}. Click a column header to sort.</p>\n<div class=\"scroll\">\n<table class=\"sortable\" id=\"project-table\">",
        a.projects.len(),
        html_escape(a.value_unit.as_str())
    );
    let greedy = a.comparisons.iter().find(|c| c.method == Method::Greedy);
    let mut columns = vec![
        ("Rank", true),
        ("Project", false),
        ("Footprint", false),
        ("Title", false),
        ("Category", false),
        ("Status", false),
        ("Share funded", true),
        ("Cost (£k)", true),
        ("Allocated (£k)", true),
        ("Value", true),
        ("Value per £", true),
    ];
    if greedy.is_some() {
        columns.push(("Greedy ranking share", true));
    }
    columns.push(("Why not funded in full", false));
    sortable_head(h, &columns);
    h.push_str("<tbody>\n");
    for (i, p) in a.projects.iter().enumerate() {
        h.push_str("<tr>");
        num(h, p.rank as f64, &p.rank.to_string());
        id(h, &p.project_id);
        long_text(h, &p.footprint_name);
        long_text(h, &p.title);
        text(h, &p.category);
        id(h, p.status.label());
        num(h, p.fraction, &percent(p.fraction));
        num(h, p.cost, &thousands(p.cost));
        num(h, p.funded, &thousands(p.funded));
        num(h, p.value, &number(p.value));
        num(h, p.value_per_pound, &per_pound_text(p.value_per_pound));
        if let Some(g) = greedy {
            let f = g.fractions.get(i).copied().unwrap_or(0.0);
            num(h, f, &percent(f));
        }
        long_text(h, &p.reason);
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

pub(super) fn rules(h: &mut String, a: &Allocation) {
    h.push_str("<section id=\"rules\">\n<h2>Rules and how close the allocation comes to them</h2>\n<p>A binding rule has no headroom left: relaxing it would let the allocation do better.</p>\n<table>\n<thead><tr><th>Rule</th><th class=\"n\">Limit</th><th class=\"n\">Used</th><th class=\"n\">Headroom</th><th>Binding</th></tr></thead>\n<tbody>\n");
    for r in &a.rule_use {
        // One precision per row, chosen by the limit, so used and headroom line up with it.
        let show = |x: f64| {
            if r.limit.abs() >= 100.0 {
                thousands(x)
            } else {
                fixed(x, 2)
            }
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            html_escape(&r.name),
            show(r.limit),
            show(r.used),
            show(r.headroom),
            if r.binding { "<strong>binding</strong>" } else { "" }
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}
