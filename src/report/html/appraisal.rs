//! The page's Green Book appraisal: settings, the portfolio and every funded bid.

use crate::allocation::Allocation;
use crate::format::html_escape;
use crate::report::{appraisal, doc};
use std::fmt::Write;

pub(super) fn section(h: &mut String, a: &Allocation) {
    let Some(ap) = &a.appraisal else { return };
    h.push_str("<section id=\"appraisal\">\n<h2>Green Book appraisal</h2>\n<ul>\n");
    for line in ap.describe() {
        let _ = writeln!(h, "<li>{}</li>", html_escape(&line));
    }
    h.push_str("</ul>\n");
    for line in appraisal::headline(a, ap) {
        let _ = writeln!(h, "<p>{}</p>", html_escape(&line));
    }
    let funded = ap.rows.iter().map(|r| r.fraction > 0.0).chain([true]);
    let table = doc::Table {
        head: appraisal::HEAD
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), i >= 2 && i != 9))
            .collect(),
        rows: appraisal::rows(ap)
            .into_iter()
            .zip(funded)
            .filter(|(_, f)| *f)
            .map(|(r, _)| r)
            .collect(),
    };
    h.push_str("<p>The funded bids and the funded portfolio; appraisal.csv has every bid. Switching values are shares: 0.25 = costs 25% higher, or benefits 25% lower.</p>\n");
    doc::table_html(h, &table);
    h.push_str("</section>\n");
}
