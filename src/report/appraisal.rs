//! The Green Book appraisal of a run (when the scenario appraises): appraisal.csv, and
//! the rows summary.md, the page and the workbook share.

use crate::allocation::Allocation;
use crate::appraisal::{Appraisal, Measures};
use crate::csvio::{finish, writer};
use crate::format::{fixed, spreadsheet_safe};

/// appraisal.csv's columns.
pub const HEAD: [&str; 12] = [
    "project_id",
    "title",
    "funded_fraction",
    "pv_cost_fund",
    "pv_cost_whole_life",
    "pv_benefit_cash",
    "pv_benefit_noncash",
    "npsv",
    "bcr",
    "vfm_category",
    "cost_overrun_switch",
    "benefit_shortfall_switch",
];

/// appraisal.csv's last columns: the duration optimism bias applied to the bid and the
/// whole years it delays the bid's benefits (empty on the total row).
pub const DURATION_HEAD: [&str; 2] = ["duration_bias", "benefit_delay_years"];

/// The id of the total row.
pub const TOTAL: &str = "TOTAL";

/// The measures' cells, from `pv_cost_fund` to `vfm_category`.
fn measure_cells(m: &Measures) -> [String; 7] {
    [
        fixed(m.pv_cost_fund, 1),
        fixed(m.pv_cost_whole_life, 1),
        fixed(m.pv_benefit_cash, 1),
        fixed(m.pv_benefit_noncash, 1),
        fixed(m.npsv(), 1),
        m.bcr().map_or(String::new(), |b| fixed(b, 4)),
        m.vfm().map_or(String::new(), |v| v.label().to_string()),
    ]
}

fn share(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| fixed(v, 4))
}

/// Every row of appraisal.csv as text: one per bid in the allocation's order, then the
/// funded portfolio's total.
pub fn rows(ap: &Appraisal) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = ap
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![r.project_id.clone(), r.title.clone(), fixed(r.fraction, 4)];
            row.extend(measure_cells(&r.measures));
            row.extend([share(r.cost_switch), share(r.benefit_switch)]);
            row
        })
        .collect();
    out.push(total_row(ap));
    out
}

/// The funded portfolio: measures times the shares funded, the uniform cost overrun and
/// benefit shortfall at which its NPSV turns negative.
pub fn total_row(ap: &Appraisal) -> Vec<String> {
    let funded: f64 = ap.rows.iter().map(|r| r.fraction).sum();
    let mut row = vec![
        TOTAL.to_string(),
        "Funded portfolio (each bid times its share funded)".to_string(),
        fixed(funded, 4),
    ];
    row.extend(measure_cells(&ap.total));
    row.extend([
        share(ap.portfolio_cost_switch),
        share(ap.total.benefit_switch(1.0)),
    ]);
    row
}

/// appraisal.csv.
pub fn csv(ap: &Appraisal) -> Vec<u8> {
    let mut w = writer();
    w.write_record(HEAD.iter().chain(&DURATION_HEAD))
        .expect("in memory");
    let duration = ap
        .rows
        .iter()
        .map(|r| [fixed(r.duration_bias, 4), fixed(r.benefit_delay, 4)])
        .chain([[String::new(), String::new()]]);
    for (mut row, duration) in rows(ap).into_iter().zip(duration) {
        row[0] = spreadsheet_safe(&row[0]);
        row[1] = spreadsheet_safe(&row[1]);
        row.extend(duration);
        w.write_record(&row).expect("in memory");
    }
    finish(w)
}

/// The portfolio in sentences, for summary.md and the page.
pub fn headline(a: &Allocation, ap: &Appraisal) -> Vec<String> {
    let t = &ap.total;
    let money = crate::format::money;
    let pct = |x: f64| format!("{}%", fixed(x * 100.0, 1));
    let funded = ap.rows.iter().filter(|r| r.fraction > 0.0).count();
    let mut out = vec![format!(
        "The {funded} funded bids: PV of costs {} to the fund's lines in its years, {} whole-life; PV of benefits {} ({} cash-releasing, {} non-cash-releasing); NPSV {}; BCR {}{}.",
        money(t.pv_cost_fund),
        money(t.pv_cost_whole_life),
        money(t.pv_benefits()),
        money(t.pv_benefit_cash),
        money(t.pv_benefit_noncash),
        money(t.npsv()),
        t.bcr().map_or("n/a (no costs)".to_string(), |b| fixed(b, 2)),
        t.vfm().map_or(String::new(), |v| format!(", {} value for money", v.label())),
    )];
    out.push(match ap.portfolio_cost_switch {
        Some(s) if s >= 0.0 => format!(
            "Switching value: the portfolio's NPSV turns negative if every cost overruns by {} (or every benefit falls short by {}).",
            pct(s),
            ap.total.benefit_switch(1.0).map_or("—".into(), pct)
        ),
        Some(_) => "The portfolio's NPSV is negative already, before any overrun.".to_string(),
        None => "The portfolio has no costs, so no overrun turns its NPSV negative.".to_string(),
    });
    let _ = a;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_has_a_row_per_bid_and_a_total() {
        let a = crate::report::sample::allocation_with_appraisal();
        let ap = a.appraisal.as_ref().unwrap();
        let text = String::from_utf8(csv(ap)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!("{},{}", HEAD.join(","), DURATION_HEAD.join(","))
        );
        assert_eq!(lines.len(), ap.rows.len() + 2);
        assert!(lines.last().unwrap().starts_with("TOTAL,"));
    }
}
