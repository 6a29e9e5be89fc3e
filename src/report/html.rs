//! report.html: one self-contained page a finance reader can open offline, years
//! later. Charts are inline SVG, the styles and the few lines of table-sorting script
//! are inline, and a Content-Security-Policy forbids the page from loading anything.
//! Every text that came from an input file goes through `html_escape`.

use super::charts::{spend_by_line_year, Chart};
use super::words::{capitalised, heuristic_text, number, per_pound_text, value_parts, value_text};
use crate::allocation::{Allocation, Method, ProjectStatus};
use crate::format::{fixed, html_escape, money, thousands};
use crate::solve::SolveStatus;
use std::fmt::Write;

/// The whole page. Pure: the same allocation and charts always give the same bytes.
pub fn render(a: &Allocation, charts: &[Chart]) -> String {
    let mut h = String::with_capacity(256 * 1024 + a.projects.len() * 700);
    head(&mut h, a);
    headline(&mut h, a);
    comparison(&mut h, a);
    figures(&mut h, charts);
    budget(&mut h, a);
    footprints(&mut h, a);
    projects(&mut h, a);
    rules(&mut h, a);
    foot(&mut h, a);
    h
}

const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --band: #f4f6f8; --accent: #0072b2; --warn: #b34700; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, "Helvetica Neue", "DejaVu Sans", sans-serif; color: var(--ink); margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 1180px; line-height: 1.45; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
p.lede { color: var(--muted); margin-top: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: .8rem; margin: 1rem 0; }
.figure { background: var(--band); border-left: 4px solid var(--accent); padding: .6rem .8rem; }
.figure .label { font-size: .85rem; color: var(--muted); }
.figure .value { font-size: 1.45rem; font-weight: 600; }
.figure .note { font-size: .85rem; color: var(--muted); }
.warning { border: 2px solid var(--warn); color: var(--warn); background: #fff4ec; padding: .6rem .8rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .86rem; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #e8ecf0; position: sticky; top: 0; }
th.n, td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: var(--band); }
table.sortable th button { font: inherit; color: inherit; text-align: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
table.sortable th button::after { content: "\00a0\2195"; color: #999; }
table.sortable th[aria-sort="ascending"] button::after { content: "\00a0\2191"; color: var(--ink); }
table.sortable th[aria-sort="descending"] button::after { content: "\00a0\2193"; color: var(--ink); }
td.t { min-width: 14em; }
td.id { white-space: nowrap; }
.scroll { max-height: 80vh; overflow: auto; border: 1px solid var(--rule); }
.scroll table { margin: 0; }
figure { margin: 1.2rem 0 2rem; }
figure svg { width: 100%; height: auto; max-width: 1000px; display: block; }
figcaption { font-size: .85rem; color: var(--muted); }
footer { margin-top: 3rem; font-size: .8rem; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; }
  .scroll { max-height: none; overflow: visible; border: 0; }
  figure, .figures, tr { break-inside: avoid; }
  table.sortable th button::after { content: ""; }
  thead th { position: static; }
}
"#;

/// Records any script error on <html data-errors>, so a headless browser test can see
/// it; registered first so it catches errors in every later script.
const ERROR_TRAP: &str = r#"
(function () {
  var root = document.documentElement;
  function note(message) { root.setAttribute('data-errors', (root.getAttribute('data-errors') || '') + message + '\n'); }
  window.addEventListener('error', function (e) { note(e.message || 'error loading ' + (e.target && e.target.nodeName)); }, true);
  window.addEventListener('unhandledrejection', function (e) { note('unhandled rejection: ' + e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) { note('blocked ' + e.blockedURI); });
})();
"#;

/// Click a column header to sort by it; click again to reverse. Numeric cells carry
/// their raw value in data-v so "1,234" sorts as a number.
const SORT: &str = r#"
(function () {
  function key(cell) {
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent.trim().toLowerCase() : parseFloat(v);
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      th.querySelector('button').addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[column]), y = key(b.cells[column]);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        var sorted = document.createDocumentFragment();
        rows.forEach(function (row) { sorted.appendChild(row); });
        body.appendChild(sorted);
      });
    });
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
"#;

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

fn figure(h: &mut String, label: &str, value: &str, note: &str) {
    let _ = writeln!(
        h,
        "<div class=\"figure\"><div class=\"label\">{label}</div><div class=\"value\">{value}</div><div class=\"note\">{note}</div></div>"
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

fn headline(h: &mut String, a: &Allocation) {
    let budget = a.scenario.total_budget();
    let count = |s: ProjectStatus| a.projects.iter().filter(|p| p.status == s).count();
    let funded_footprints = a.footprints.iter().filter(|f| f.funded > 0.0).count();
    h.push_str("<section id=\"headline\">\n<h2>Headline</h2>\n");
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

fn comparison(h: &mut String, a: &Allocation) {
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

fn figures(h: &mut String, charts: &[Chart]) {
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

fn budget(h: &mut String, a: &Allocation) {
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

fn footprints(h: &mut String, a: &Allocation) {
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

fn projects(h: &mut String, a: &Allocation) {
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

fn rules(h: &mut String, a: &Allocation) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{charts, sample};
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    fn page() -> String {
        let a = sample::allocation();
        render(&a, &charts::render_all(&a).unwrap())
    }

    #[test]
    fn hostile_text_is_escaped() {
        let html = page();
        for bad in [
            "<script>alert(1)",
            "<img src=x",
            "<b>Bold",
            "<i>shared",
            "<em>test",
        ] {
            assert!(!html.contains(bad), "unescaped {bad:?}");
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"));
        // The only scripts are the page's own two.
        assert_eq!(html.matches("<script>").count(), 2);
    }

    #[test]
    fn charts_are_inline_and_nothing_is_loaded() {
        let html = page();
        assert_eq!(html.matches("<svg ").count(), 5);
        for attr in ["src=\"", "href=\"", "url(", "@import"] {
            assert!(!html.contains(attr), "the page must load nothing ({attr})");
        }
        assert!(html.contains("default-src 'none'"));
    }

    #[test]
    fn headline_shows_status_gap_and_comparisons() {
        let a = sample::allocation();
        let html = render(&a, &[]);
        assert!(html.contains(&html_escape(SolveStatus::WithinGap.describe())));
        assert!(html.contains("gap 0.04% (asked for 0.10%)"));
        assert!(
            html.contains("Population fair-share formula")
                && html.contains("Greedy ranking by value per £")
        );
        assert!(!html.contains("class=\"warning\""));
        let synthetic = sample::synthetic(5, 40, 3);
        let html = render(&synthetic, &[]);
        assert!(
            html.contains("NOT proven optimal"),
            "a time-limited answer says so"
        );
        assert!(html.contains("class=\"warning\""));
    }

    #[test]
    fn every_project_and_footprint_has_a_row() {
        let a = sample::allocation();
        let html = render(&a, &[]);
        let rows = |id: &str| {
            let start = html.find(&format!("id=\"{id}\"")).unwrap();
            let table = &html[start..start + html[start..].find("</table>").unwrap()];
            table.matches("<tr>").count() - 1
        };
        assert_eq!(rows("project-table"), a.projects.len());
        assert_eq!(rows("footprint-table"), a.footprints.len());
    }

    #[test]
    fn tiny_gaps_do_not_read_as_zero() {
        assert_eq!(gap(0.0), "0.00%");
        assert_eq!(gap(0.0004), "0.04%");
        assert_eq!(html_escape(&gap(0.00000321)), "&lt;0.01%");
    }

    #[test]
    fn the_page_is_deterministic() {
        assert_eq!(page(), page());
    }

    const CLICK_TWICE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body>
<iframe id="report" src="report.html" style="width:1200px;height:800px"></iframe>
<script>
document.getElementById('report').addEventListener('load', function () {
  var out = document.createElement('pre');
  try {
    var table = this.contentDocument.getElementById('project-table');
    var heads = table.tHead.rows[0].cells, column = -1;
    for (var i = 0; i < heads.length; i++) { if (heads[i].textContent.trim() === 'Cost (£k)') { column = i; } }
    var values = function () {
      return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[column].getAttribute('data-v'); }).join(',');
    };
    var button = heads[column].querySelector('button');
    button.click();
    var up = values();
    button.click();
    out.textContent = 'up=' + up + '\ndown=' + values() + '\nsort=' + heads[column].getAttribute('aria-sort') + '\n';
  } catch (e) {
    out.textContent = 'error=' + e + '\n';
  }
  document.body.appendChild(out);
});
</script>
</body></html>
"#;

    fn chromium() -> Option<PathBuf> {
        let on_path = std::env::var_os("PATH")
            .into_iter()
            .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
        std::iter::once(PathBuf::from("/usr/bin/chromium"))
            .chain(
                on_path.flat_map(|d| {
                    ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n))
                }),
            )
            .find(|p| p.is_file())
    }

    /// Runs Chromium headless with a fresh profile, killing it if it hangs.
    fn run_chromium(chromium: &Path, args: &[String]) -> (String, String) {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--enable-logging=stderr",
                "--v=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let out = std::thread::spawn(move || {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut stdout, &mut s).ok();
            s
        });
        let err = std::thread::spawn(move || {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut stderr, &mut s).ok();
            s
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if Instant::now() > deadline {
                child.kill().ok();
                child.wait().ok();
                panic!("chromium did not finish within 120 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        (out.join().unwrap(), err.join().unwrap())
    }

    /// Where the screenshot is kept for people to look at: the cargo target folder.
    fn screenshot_path() -> PathBuf {
        let exe = std::env::current_exe().unwrap();
        // target/<profile>/deps/<test binary>
        let target = exe
            .ancestors()
            .nth(3)
            .map(Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir);
        target.join("report-screenshot.png")
    }

    #[test]
    fn the_page_renders_in_headless_chromium_without_errors() {
        let Some(chromium) = chromium() else {
            // CI installs Chromium (.ci/run), so there a missing browser is a failure.
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but chromium is not installed: scripts/deps.sh --browser installs it"
            );
            eprintln!("skipped: chromium not installed (scripts/deps.sh --browser installs it)");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.html");
        std::fs::write(&report, page()).unwrap();
        let url = format!("file://{}", report.display());

        let (dom, log) = run_chromium(&chromium, &["--dump-dom".to_string(), url.clone()]);
        let html_tag = &dom[dom.find("<html").expect("chromium printed the DOM")..];
        let html_tag = &html_tag[..html_tag.find('>').unwrap()];
        assert!(
            html_tag.contains("data-ready=\"1\""),
            "sorting handlers attached: {html_tag}"
        );
        assert!(
            !html_tag.contains("data-errors"),
            "script errors: {html_tag}"
        );
        for line in log.lines() {
            assert!(
                !line.contains("Uncaught")
                    && !line.contains(":CONSOLE")
                    && !line.contains("Refused to"),
                "browser console: {line}"
            );
        }
        assert!(
            !dom.contains("<script>alert(1)</script>"),
            "hostile markup became live markup"
        );
        assert_eq!(dom.matches("<svg ").count(), 5);

        // Clicking a header sorts: a wrapper page clicks "Cost (£k)" twice inside the
        // report (file pages may script each other only with this flag).
        let wrapper = dir.path().join("click.html");
        std::fs::write(&wrapper, CLICK_TWICE).unwrap();
        let (dom, _) = run_chromium(
            &chromium,
            &[
                "--allow-file-access-from-files".to_string(),
                "--dump-dom".to_string(),
                format!("file://{}", wrapper.display()),
            ],
        );
        let pre = dom
            .split("<pre>")
            .nth(1)
            .and_then(|p| p.split("</pre>").next());
        let pre = pre.unwrap_or_else(|| panic!("the wrapper page wrote no result: {dom}"));
        let result = |key: &str| -> Vec<f64> {
            let line = pre
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key}=")))
                .unwrap_or_else(|| panic!("no {key} in {pre}"));
            line.split(',').map(|v| v.parse().unwrap()).collect()
        };
        let (up, down) = (result("up"), result("down"));
        assert_eq!(up.len(), sample::allocation().projects.len());
        assert!(
            up.windows(2).all(|w| w[0] <= w[1]),
            "ascending after one click: {up:?}"
        );
        assert!(
            down.windows(2).all(|w| w[0] >= w[1]),
            "descending after two: {down:?}"
        );
        assert!(pre.contains("sort=descending"), "{pre}");

        let shot = screenshot_path();
        let _ = std::fs::remove_file(&shot);
        let (_, log) = run_chromium(
            &chromium,
            &[
                format!("--screenshot={}", shot.display()),
                "--window-size=1280,2000".to_string(),
                url,
            ],
        );
        for line in log.lines() {
            assert!(
                !line.contains("Uncaught") && !line.contains(":CONSOLE"),
                "browser console: {line}"
            );
        }
        let png = std::fs::read(&shot)
            .unwrap_or_else(|e| panic!("no screenshot at {}: {e}", shot.display()));
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let mut reader = png::Decoder::new(png.as_slice()).read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (1280, 2000));
        let bytes_per_pixel = reader.info().bytes_per_pixel();
        let mut pixels = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut pixels).unwrap();
        // A blank or error page is nearly one colour; the report has text, tables and charts.
        let distinct: std::collections::HashSet<&[u8]> =
            pixels.chunks(bytes_per_pixel).step_by(7).collect();
        assert!(
            distinct.len() > 50,
            "the screenshot looks empty ({} colours)",
            distinct.len()
        );
        eprintln!("screenshot saved to {}", shot.display());
    }
}
