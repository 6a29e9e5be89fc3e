//! report.html: one self-contained page a finance reader can open offline, years
//! later. Charts are inline SVG, the styles and the few lines of table-sorting script
//! are inline, and a Content-Security-Policy forbids the page from loading anything.
//! Every text that came from an input file goes through `html_escape`.

use super::charts::Chart;
use super::words::number;
use crate::allocation::Allocation;
use crate::format::{fixed, html_escape};
use std::fmt::Write;
use summary::{comparison, figures, headline};
use tables::{budget, footprints, marginal_values, projects, rules};

pub(in crate::report) use assets::{ERROR_TRAP, SORT, STYLE};

mod appraisal;
mod assets;
mod prices;
mod summary;
mod tables;

/// The whole page. Pure: the same allocation and charts always give the same bytes.
pub fn render(a: &Allocation, charts: &[Chart]) -> String {
    let mut h = String::with_capacity(256 * 1024 + a.projects.len() * 700);
    head(&mut h, a);
    headline(&mut h, a);
    comparison(&mut h, a);
    figures(&mut h, charts);
    budget(&mut h, a);
    h.push_str(&crate::report::flex::html(a));
    marginal_values(&mut h, a);
    if let Some(alts) = &a.alternatives {
        crate::report::alternatives::html(&mut h, a, alts);
    }
    super::robustness::html(&mut h, a);
    appraisal::section(&mut h, a);
    prices::rule_prices(&mut h, a);
    prices::fairness_frontier(&mut h, a);
    footprints(&mut h, a);
    projects(&mut h, a);
    rules(&mut h, a);
    foot(&mut h, a);
    h
}

fn head(h: &mut String, a: &Allocation) {
    let name = html_escape(&a.scenario.name);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <title>Technology fund allocation: {name}</title>\n<script>{ERROR_TRAP}</script>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>Technology fund allocation: {name}</h1>\n"
    );
    if !a.scenario.description.trim().is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"lede\">{}</p>",
            html_escape(&a.scenario.description)
        );
    }
    h.push_str("</header>\n");
}

fn foot(h: &mut String, a: &Allocation) {
    let s = &a.solver;
    let _ = write!(
        h,
        "<footer>\n<p>Produced by techfund {} with HiGHS {}: {} variables ({} integer), {} constraints; \
         objective {}, bound {}, gap {}, time limit {} s. Money is in £ thousands (£k) unless marked.</p>\n</footer>\n<script>{SORT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        html_escape(&s.highs_version),
        s.variables,
        s.integer_variables,
        s.constraints,
        number(s.objective),
        number(s.bound),
        html_escape(&gap(s.gap)),
        number(s.time_limit_s)
    );
}

fn percent(x: f64) -> String {
    format!("{}%", fixed(x * 100.0, 1))
}

/// MIP gaps are small: two decimals, so 0.04% does not read as 0.0%, and a gap too
/// small for that is said to be so rather than shown as a bare 0.00%.
fn gap(x: f64) -> String {
    let pct = x * 100.0;
    if pct > 0.0 && pct < 0.005 {
        "<0.01%".to_string()
    } else {
        format!("{}%", fixed(pct, 2))
    }
}

#[cfg(test)]
mod tests;

/// The charts section of a page, for pages other than report.html that embed charts
/// (explain.html).
pub fn charts_section(charts: &[Chart]) -> String {
    let mut h = String::new();
    summary::figures(&mut h, charts);
    h
}
