//! The page's opening sections: the headline figures, the comparison with simpler
//! ways to share the fund, and the charts.

use super::{gap, percent};
use crate::allocation::{Allocation, ProjectStatus};
use crate::format::{fixed, html_escape, money, thousands};
use crate::report::charts::Chart;
use crate::report::words::{capitalised, heuristic_text, value_parts, value_text};
use crate::solve::SolveStatus;
use std::fmt::Write;

fn figure(h: &mut String, label: &str, value: &str, note: &str) {
    let _ = writeln!(
        h,
        "<div class=\"figure\"><div class=\"label\">{label}</div><div class=\"value\">{value}</div><div class=\"note\">{note}</div></div>"
    );
}

pub(super) fn headline(h: &mut String, a: &Allocation) {
    let budget = a.scenario.total_budget();
    let count = |s: ProjectStatus| a.projects.iter().filter(|p| p.status == s).count();
    let funded_footprints = a.footprints.iter().filter(|f| f.funded > 0.0).count();
    h.push_str("<section id=\"headline\">\n<h2>Headline</h2>\n");
    let _ = writeln!(
        h,
        "<p id=\"rules-note\">{}</p>",
        html_escape(&crate::report::markdown::rules_note(a))
    );
    if a.solver.status == SolveStatus::TimeLimit {
        let _ = writeln!(
            h,
            "<p class=\"warning\">The solver {}. This allocation is within {} of the best possible value (proven bound {}), but it is not proven to be the best.</p>",
            a.solver.status.describe(),
            html_escape(&gap(a.solver.gap)),
            html_escape(&value_text(a, a.solver.bound))
        );
    }
    h.push_str("<div class=\"figures\">\n");
    let share = if budget > 0.0 {
        a.total_funded / budget
    } else {
        0.0
    };
    figure(
        h,
        "Allocated",
        &money(a.total_funded),
        &format!("of a {} budget ({} used)", money(budget), percent(share)),
    );
    let (value, unit) = value_parts(a, a.total_value);
    figure(h, "Value", &html_escape(&value), &html_escape(&unit));
    figure(
        h,
        "Projects funded",
        &thousands((count(ProjectStatus::Funded) + count(ProjectStatus::PartlyFunded)) as f64),
        &format!(
            "{} in full, {} in part, of {} bids ({} excluded by rule)",
            count(ProjectStatus::Funded),
            count(ProjectStatus::PartlyFunded),
            thousands(a.projects.len() as f64),
            count(ProjectStatus::ExcludedByRule)
        ),
    );
    figure(
        h,
        "Footprints funded",
        &format!("{funded_footprints} of {}", a.footprints.len()),
        &per_head_range(a),
    );
    let status = match a.solver.status {
        SolveStatus::Optimal => "Optimal".to_string(),
        SolveStatus::WithinGap => format!("Within {}", html_escape(&gap(a.solver.gap))),
        SolveStatus::TimeLimit => "Not proven optimal".to_string(),
    };
    figure(
        h,
        "Solver",
        &status,
        &format!(
            "{}; gap {} (asked for {}), bound {}{}",
            capitalised(a.solver.status.describe()),
            html_escape(&gap(a.solver.gap)),
            html_escape(&gap(a.solver.requested_gap)),
            html_escape(&value_text(a, a.solver.bound)),
            heuristic_text(a)
                .map(|h| format!(". Heuristic: {}", html_escape(&h)))
                .unwrap_or_default()
        ),
    );
    h.push_str("</div>\n</section>\n");
}

fn per_head_range(a: &Allocation) -> String {
    let heads: Vec<f64> = a
        .footprints
        .iter()
        .map(|f| f.per_head)
        .filter(|x| x.is_finite())
        .collect();
    if heads.is_empty() {
        return String::new();
    }
    let (lo, hi) = heads
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, u), &x| {
            (l.min(x), u.max(x))
        });
    format!("£{} to £{} per head", fixed(lo, 2), fixed(hi, 2))
}

pub(super) fn comparison(h: &mut String, a: &Allocation) {
    h.push_str(
        "<section id=\"comparison\">\n<h2>Compared with simpler ways of sharing the fund</h2>\n",
    );
    let unit = html_escape(a.value_unit.as_str());
    let _ = write!(
        h,
        "<table>\n<thead><tr><th>Method</th><th class=\"n\">Value ({unit})</th><th class=\"n\">Allocated (£k)</th>\
         <th class=\"n\">Projects funded</th><th class=\"n\">Optimised allocation's extra value</th><th>How it works</th></tr></thead>\n<tbody>\n"
    );
    let funded = a.projects.iter().filter(|p| p.fraction > 0.0).count();
    let _ = writeln!(
        h,
        "<tr><td><strong>Optimised allocation</strong></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{funded}</td><td class=\"n\">—</td>\
         <td>The most value the budget can buy within every rule, found by mixed-integer programming (solver: {}).</td></tr>",
        thousands(a.total_value),
        thousands(a.total_funded),
        html_escape(a.solver.status.describe())
    );
    let mut sentences = Vec::new();
    for c in &a.comparisons {
        let extra = if c.value > 0.0 {
            let x = a.total_value / c.value - 1.0;
            format!("{}{}", if x > 0.0 { "+" } else { "" }, percent(x))
        } else {
            "—".to_string()
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            html_escape(c.method.name()),
            thousands(c.value),
            thousands(c.spent),
            c.projects_funded,
            extra,
            html_escape(c.method.description())
        );
        let diff = a.total_value - c.value;
        sentences.push(format!(
            "{} {} than the {}",
            html_escape(&value_text(a, diff.abs())),
            if diff >= 0.0 { "more" } else { "less" },
            html_escape(&c.method.name().to_lowercase())
        ));
    }
    h.push_str("</tbody>\n</table>\n");
    if !sentences.is_empty() {
        let _ = writeln!(
            h,
            "<p>For the same budget and rules, the optimised allocation delivers {}.</p>",
            sentences.join(", and ")
        );
    }
    h.push_str("</section>\n");
}

pub(super) fn figures(h: &mut String, charts: &[Chart]) {
    h.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for c in charts {
        // The SVG comes from plotters, which escapes every text it draws.
        let _ = write!(
            h,
            "<figure id=\"chart-{name}\" role=\"group\" aria-label=\"{title}\">\n{svg}\n<figcaption>{title}. Also saved as charts/{name}.svg and charts/{name}.png.</figcaption>\n</figure>\n",
            name = c.name,
            title = html_escape(&c.title),
            svg = c.svg.trim()
        );
    }
    h.push_str("</section>\n");
}
