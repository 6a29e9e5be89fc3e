//! index.html beside the report folders of a batch run: one row per scenario, linking
//! its report, or saying why it failed.

use crate::format::{self, html_escape as esc};

/// One scenario of the batch.
pub enum Entry {
    Done {
        /// The report folder's name, relative to the index.
        folder: String,
        /// The page to link inside it.
        page: &'static str,
        name: String,
        status: String,
        budget: f64,
        funded: f64,
        /// The value with its unit, in words.
        value: String,
        gap: f64,
    },
    Failed {
        scenario: String,
        error: String,
    },
}

pub fn render(entries: &[Entry]) -> Vec<u8> {
    let mut rows = String::new();
    for e in entries {
        match e {
            Entry::Done {
                folder,
                page,
                name,
                status,
                budget,
                funded,
                value,
                gap,
            } => rows.push_str(&format!(
                "<tr><td><a href=\"{}/{page}\">{}</a></td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}%</td></tr>\n",
                esc(folder),
                esc(name),
                esc(status),
                esc(&format::money(*budget)),
                esc(&format::money(*funded)),
                esc(value),
                format::fixed(gap * 100.0, 4)
            )),
            Entry::Failed { scenario, error } => rows.push_str(&format!(
                "<tr class=failed><td>{}</td><td colspan=5>failed: {}</td></tr>\n",
                esc(scenario),
                esc(error)
            )),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>techfund scenarios</title>\n<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{padding:4px 10px;border-bottom:1px solid #ccc;text-align:left}}.n{{text-align:right}}.failed{{color:#b00}}</style></head>\n<body><h1>Technology fund scenarios</h1>\n<p>Money in £; value in each scenario's own unit. Each scenario links to its report.</p>\n<table><thead><tr><th>Scenario</th><th>Solver</th><th class=n>Fund</th><th class=n>Allocated</th><th class=n>Value</th><th class=n>Gap</th></tr></thead><tbody>\n{rows}</tbody></table></body></html>\n"
    )
    .into_bytes()
}
