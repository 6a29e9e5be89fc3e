//! The page's sections for the price of each rule and the fairness frontier, when the
//! run computed them.

use crate::allocation::Allocation;
use crate::format::html_escape;
use crate::report::{doc, prices};
use std::fmt::Write;

fn section(
    h: &mut String,
    id: &str,
    title: &str,
    words: &str,
    head: &[&str],
    rows: Vec<[String; 5]>,
    numeric: &[usize],
) {
    let _ = writeln!(
        h,
        "<section id=\"{id}\">\n<h2>{title}</h2>\n<p>{}</p>",
        html_escape(words)
    );
    let table = doc::Table {
        head: head
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), numeric.contains(&i)))
            .collect(),
        rows: rows.into_iter().map(|r| r.to_vec()).collect(),
    };
    doc::table_html(h, &table);
    h.push_str("</section>\n");
}

pub(super) fn rule_prices(h: &mut String, a: &Allocation) {
    if a.rule_prices.is_empty() {
        return;
    }
    section(
        h,
        "rule-prices",
        "The price of each rule",
        &prices::rules_explanation(a),
        &prices::RULES_HEAD,
        prices::rules_rows(a),
        &[1, 2, 3],
    );
}

pub(super) fn fairness_frontier(h: &mut String, a: &Allocation) {
    if a.fairness_frontier.is_empty() {
        return;
    }
    section(
        h,
        "fairness-frontier",
        "The price of fairness",
        &prices::frontier_explanation(a),
        &prices::FRONTIER_HEAD,
        prices::frontier_rows(a),
        &[0, 1, 2, 3],
    );
}
