//! The page's inline style sheet and scripts (an error trap, and table sorting),
//! shared with the other HTML documents.

pub(in crate::report) const STYLE: &str = r#"
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
pub(in crate::report) const ERROR_TRAP: &str = r#"
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
pub(in crate::report) const SORT: &str = r#"
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
