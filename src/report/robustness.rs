//! Robustness under uncertainty (`[uncertainty]`): core_index.csv, uncertainty.csv,
//! and the section summary.md and the page share (the workbook's sheets are in
//! `xlsx/robustness.rs`, the chart in `charts/core_index.rs`).

use super::doc::{table_html, Table};
use super::words::value_text;
use crate::allocation::robustness::{CoreClass, CoreIndex, Robustness, Spread};
use crate::allocation::Allocation;
use crate::csvio::{finish, writer};
use crate::format::{fixed, html_escape, markdown_cell, thousands};
use std::fmt::Write;

/// Most borderline projects listed in the summary and the page (all are in the CSV).
pub const BORDERLINE_SHOWN: usize = 30;

/// The `most` borderline projects whose funding is least certain (core index nearest
/// one half; ties by project id), listed highest core index first. With many
/// borderline projects these are the ones a decision turns on, where the highest
/// indices alone would show only near-certain ones.
pub fn least_certain(r: &Robustness, most: usize) -> Vec<&CoreIndex> {
    let mut borderline: Vec<&CoreIndex> = r
        .core
        .iter()
        .filter(|c| c.class == CoreClass::Borderline)
        .collect();
    // Twice the distance from one half, in whole draws, so the order is exact.
    let distance = |c: &CoreIndex| (2 * c.funded_draws).abs_diff(r.solved);
    borderline.sort_by(|a, b| {
        distance(a)
            .cmp(&distance(b))
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    borderline.truncate(most);
    borderline.sort_by(|a, b| {
        b.funded_draws
            .cmp(&a.funded_draws)
            .then_with(|| a.project_id.cmp(&b.project_id))
    });
    borderline
}

fn share(x: f64) -> String {
    fixed(x, 4)
}

/// core_index.csv: one row per project, highest core index first.
pub fn core_index_csv(r: &Robustness) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "project_id",
        "core_index",
        "class",
        "funded_in_base",
        "funded_draws",
        "draws_solved",
        "category",
        "footprint",
        "title",
    ])
    .expect("in memory");
    for c in &r.core {
        w.write_record([
            c.project_id.clone(),
            c.core_index.map(share).unwrap_or_default(),
            c.class.as_str().to_string(),
            c.funded_in_base.to_string(),
            c.funded_draws.to_string(),
            r.solved.to_string(),
            c.category.clone(),
            c.footprint.clone(),
            c.title.clone(),
        ])
        .expect("in memory");
    }
    finish(w)
}

/// uncertainty.csv: the spread of total value over the solved draws, then of each
/// year's spend per line, with the chance that the base allocation, kept as it is,
/// overruns that year's budget at the drawn costs.
pub fn uncertainty_csv(r: &Robustness) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "measure",
        "year",
        "line",
        "budget",
        "base",
        "mean",
        "p5",
        "p50",
        "p95",
        "draws_solved",
        "base_overrun_chance",
    ])
    .expect("in memory");
    let spread = |s: &Option<Spread>| match s {
        Some(s) => [s.mean, s.p5, s.p50, s.p95].map(|v| fixed(v, 3)),
        None => Default::default(),
    };
    let [mean, p5, p50, p95] = spread(&r.value);
    w.write_record([
        "total_value".to_string(),
        String::new(),
        String::new(),
        String::new(),
        fixed(r.base_value, 3),
        mean,
        p5,
        p50,
        p95,
        r.solved.to_string(),
        String::new(),
    ])
    .expect("in memory");
    for y in &r.spend {
        let [mean, p5, p50, p95] = spread(&y.spend);
        w.write_record([
            "spend".to_string(),
            y.year.label().to_string(),
            y.line.name().to_string(),
            fixed(y.budget, 3),
            fixed(y.base_spend, 3),
            mean,
            p5,
            p50,
            p95,
            r.solved.to_string(),
            share(y.base_overrun_chance),
        ])
        .expect("in memory");
    }
    finish(w)
}

fn percent(x: f64) -> String {
    format!("{}%", fixed(x * 100.0, 1))
}

/// What the run did and found, in sentences.
pub fn paragraphs(a: &Allocation, r: &Robustness) -> Vec<String> {
    let mut out = vec![format!(
        "The scenario was solved again for each of {} draws of the bids' costs and benefits (seed {}), each draw to the scenario's gap with a time limit of {} s. A project's core index is the share of the solved draws in which it is funded: core projects are funded in every draw, exterior ones in none, borderline ones in some. Percentiles are nearest-rank over the solved draws.",
        r.draws,
        r.seed,
        r.time_limit_s
    )];
    let mut counts = format!("{} of {} draws solved", r.solved, r.draws);
    if r.time_limited > 0 {
        let _ = write!(
            counts,
            " ({} of them stopped at the time limit, NOT proven within the gap)",
            r.time_limited
        );
    }
    let _ = write!(
        counts,
        "; {} had no allocation that keeps every rule; {} were not solved. The largest gap a solved draw stopped at was {}%. Every answer was checked against its draw's costs outside the solver.",
        r.infeasible,
        r.not_solved,
        fixed(r.largest_gap * 100.0, 4)
    );
    out.push(counts);
    if !r.failures.is_empty() {
        let listed: Vec<String> = r
            .failures
            .iter()
            .map(|(d, why)| format!("draw {d}: {why}"))
            .collect();
        out.push(format!("Draws without an answer: {}.", listed.join("; ")));
    }
    out.push(format!(
        "Core: {} projects; borderline: {}; exterior: {}. Of the {} projects funded in this allocation, {} are core.",
        r.count(CoreClass::Core),
        r.count(CoreClass::Borderline),
        r.count(CoreClass::Exterior),
        r.core.iter().filter(|c| c.funded_in_base).count(),
        r.core
            .iter()
            .filter(|c| c.funded_in_base && c.class == CoreClass::Core)
            .count()
    ));
    if let Some(v) = r.value {
        out.push(format!(
            "Total value over the draws: mean {}, P5 {}, median {}, P95 {} (this allocation at the costs bid: {}).",
            value_text(a, v.mean),
            value_text(a, v.p5),
            value_text(a, v.p50),
            value_text(a, v.p95),
            value_text(a, r.base_value)
        ));
    }
    out
}

/// Each year's spend (£k) across the draws and the chance this allocation overruns.
pub fn spend_table(r: &Robustness) -> Table {
    let head = [
        ("Year", false),
        ("Budget line", false),
        ("Budget (£k)", true),
        ("This allocation (£k)", true),
        ("Draws: mean (£k)", true),
        ("P5", true),
        ("Median", true),
        ("P95", true),
        ("Chance this allocation overruns", true),
    ];
    Table {
        head: head.iter().map(|(n, x)| (n.to_string(), *x)).collect(),
        rows: r
            .spend
            .iter()
            .map(|y| {
                let mut row = vec![
                    y.year.label().to_string(),
                    y.line.name().to_string(),
                    thousands(y.budget),
                    thousands(y.base_spend),
                ];
                match y.spend {
                    Some(s) => row.extend([s.mean, s.p5, s.p50, s.p95].map(thousands)),
                    None => row.extend(std::iter::repeat_n("—".to_string(), 4)),
                }
                row.push(percent(y.base_overrun_chance));
                row
            })
            .collect(),
    }
}

/// The borderline projects least certain to be funded, highest core index first (at
/// most `BORDERLINE_SHOWN`).
pub fn borderline_table(r: &Robustness) -> Table {
    let head = [
        ("Project", false),
        ("Title", false),
        ("Footprint", false),
        ("Category", false),
        ("Funded here", false),
        ("Core index", true),
    ];
    Table {
        head: head.iter().map(|(n, x)| (n.to_string(), *x)).collect(),
        rows: least_certain(r, BORDERLINE_SHOWN)
            .into_iter()
            .map(|c| {
                vec![
                    c.project_id.clone(),
                    c.title.clone(),
                    c.footprint.clone(),
                    c.category.clone(),
                    if c.funded_in_base { "yes" } else { "no" }.to_string(),
                    c.core_index.map(|x| fixed(x, 3)).unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

fn markdown_table(s: &mut String, t: &Table) {
    let names: Vec<String> = t.head.iter().map(|(n, _)| markdown_cell(n)).collect();
    let align: Vec<&str> = t
        .head
        .iter()
        .map(|(_, n)| if *n { "---:" } else { "---" })
        .collect();
    let _ = writeln!(s, "| {} |\n|{}|", names.join(" | "), align.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| markdown_cell(c)).collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
}

fn borderline_words(r: &Robustness) -> String {
    let n = r.count(CoreClass::Borderline);
    if n == 0 {
        "No project is borderline: every project is funded in every solved draw or in none.".into()
    } else if n > BORDERLINE_SHOWN {
        format!("The {BORDERLINE_SHOWN} of the {n} borderline projects whose funding is least certain (core index nearest 50%), highest core index first; all are in core_index.csv:")
    } else {
        format!("The {n} borderline projects, highest core index first:")
    }
}

/// The summary.md section, when the run made draws.
pub fn markdown(s: &mut String, a: &Allocation) {
    let Some(r) = &a.robustness else { return };
    let _ = writeln!(s, "\n## Robustness under uncertain costs and benefits\n");
    for p in paragraphs(a, r) {
        let _ = writeln!(s, "{p}\n");
    }
    for line in &r.assumptions {
        let _ = writeln!(s, "- {}", markdown_cell(line));
    }
    let _ = writeln!(s);
    markdown_table(s, &spend_table(r));
    let _ = writeln!(s, "\n{}\n", borderline_words(r));
    let t = borderline_table(r);
    if !t.rows.is_empty() {
        markdown_table(s, &t);
    }
    let _ = writeln!(
        s,
        "\nEvery project's core index is in core_index.csv; the spread of value and spend in uncertainty.csv."
    );
}

/// The page's section, when the run made draws.
pub fn html(h: &mut String, a: &Allocation) {
    let Some(r) = &a.robustness else { return };
    h.push_str(
        "<section id=\"robustness\">\n<h2>Robustness under uncertain costs and benefits</h2>\n",
    );
    for p in paragraphs(a, r) {
        let _ = writeln!(h, "<p>{}</p>", html_escape(&p));
    }
    h.push_str("<ul>\n");
    for line in &r.assumptions {
        let _ = writeln!(h, "<li>{}</li>", html_escape(line));
    }
    h.push_str("</ul>\n");
    table_html(h, &spend_table(r));
    let _ = writeln!(h, "<p>{}</p>", html_escape(&borderline_words(r)));
    let t = borderline_table(r);
    if !t.rows.is_empty() {
        table_html(h, &t);
    }
    h.push_str("<p>Every project's core index is in core_index.csv; the spread of value and spend in uncertainty.csv.</p>\n</section>\n");
}
