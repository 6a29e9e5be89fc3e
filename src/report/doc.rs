//! A plain document (headings, paragraphs, bullets and tables of raw text) written
//! once and rendered as Markdown and as a self-contained HTML page, so the two say the
//! same thing. Text is kept raw here; each renderer escapes it for its format.

use super::html::{ERROR_TRAP, SORT, STYLE};
use crate::format::{html_escape, markdown_cell};
use std::fmt::Write;

pub struct Doc {
    pub title: String,
    pub lede: Vec<String>,
    pub sections: Vec<Section>,
}

#[derive(Default)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub bullets: Vec<String>,
    pub table: Option<Table>,
    /// A paragraph after the table.
    pub after: Vec<String>,
}

pub struct Table {
    /// Column names; `true` for a numeric (right-aligned) column.
    pub head: Vec<(String, bool)>,
    pub rows: Vec<Vec<String>>,
}

impl Doc {
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n", markdown_cell(&self.title));
        for p in &self.lede {
            let _ = writeln!(s, "{}\n", markdown_cell(p));
        }
        for sec in &self.sections {
            let _ = writeln!(s, "## {}\n", markdown_cell(&sec.heading));
            for p in &sec.paragraphs {
                let _ = writeln!(s, "{}\n", markdown_cell(p));
            }
            for b in &sec.bullets {
                let _ = writeln!(s, "- {}", markdown_cell(b));
            }
            if !sec.bullets.is_empty() {
                s.push('\n');
            }
            if let Some(t) = &sec.table {
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
            for p in &sec.after {
                let _ = writeln!(s, "{}\n", markdown_cell(p));
            }
        }
        s
    }

    pub fn html(&self) -> String {
        let title = html_escape(&self.title);
        let mut h = format!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
             <title>{title}</title>\n<script>{ERROR_TRAP}</script>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <header>\n<h1>{title}</h1>\n"
        );
        for p in &self.lede {
            let _ = writeln!(h, "<p class=\"lede\">{}</p>", html_escape(p));
        }
        h.push_str("</header>\n");
        for sec in &self.sections {
            let _ = writeln!(h, "<section>\n<h2>{}</h2>", html_escape(&sec.heading));
            for p in &sec.paragraphs {
                let _ = writeln!(h, "<p>{}</p>", html_escape(p));
            }
            if !sec.bullets.is_empty() {
                h.push_str("<ul>\n");
                for b in &sec.bullets {
                    let _ = writeln!(h, "<li>{}</li>", html_escape(b));
                }
                h.push_str("</ul>\n");
            }
            if let Some(t) = &sec.table {
                table_html(&mut h, t);
            }
            for p in &sec.after {
                let _ = writeln!(h, "<p>{}</p>", html_escape(p));
            }
            h.push_str("</section>\n");
        }
        let _ = write!(
            h,
            "<footer>\n<p>Produced by techfund {}. Money is in £ thousands (£k) unless marked.</p>\n</footer>\n<script>{SORT}</script>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        h
    }
}

/// A sortable table; numeric cells carry their raw value so "1,234" sorts as a number.
pub fn table_html(h: &mut String, t: &Table) {
    h.push_str("<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr>");
    for (name, numeric) in &t.head {
        let class = if *numeric { " class=\"n\"" } else { "" };
        let _ = write!(
            h,
            "<th scope=\"col\"{class}><button type=\"button\">{}</button></th>",
            html_escape(name)
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        h.push_str("<tr>");
        for (cell, (_, numeric)) in row.iter().zip(&t.head) {
            // The leading figure only: "1,234 (1,000 to 1,500)" sorts as 1234.
            let raw: String = cell
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-'))
                .collect();
            match (numeric, raw.parse::<f64>()) {
                (true, Ok(v)) => {
                    let _ = write!(
                        h,
                        "<td class=\"n\" data-v=\"{v}\">{}</td>",
                        html_escape(cell)
                    );
                }
                (true, Err(_)) => {
                    let _ = write!(h, "<td class=\"n\">{}</td>", html_escape(cell));
                }
                _ => {
                    let _ = write!(h, "<td>{}</td>", html_escape(cell));
                }
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
}
