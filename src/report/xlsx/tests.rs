//! allocation.xlsx read back with calamine: numbers as numbers matching the
//! allocation, hostile titles as text, charts on Summary, the same bytes every time.

use super::*;
use crate::allocation::Method;
use crate::report::{charts, sample};
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use std::io::Cursor;

fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

fn float(cell: Option<&Data>) -> f64 {
    match cell {
        Some(Data::Float(x)) => *x,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn string(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text, found {other:?}"),
    }
}

#[test]
fn figures_read_back_as_numbers_matching_the_allocation() {
    let a = sample::allocation();
    let bytes = render(&a, &charts::render_all(&a).unwrap()).unwrap();
    let mut wb = workbook(&bytes);
    assert_eq!(
        wb.sheet_names(),
        ["Summary", "Projects", "Footprints", "Years", "Rules"]
    );

    let projects = wb.worksheet_range("Projects").unwrap();
    assert_eq!(projects.height(), a.projects.len() + 1);
    assert_eq!(string(projects.get((0, 10))), "Allocated (£k)");
    for (i, p) in a.projects.iter().enumerate() {
        let r = i + 1;
        assert_eq!(float(projects.get((r, 0))), p.rank as f64);
        assert_eq!(string(projects.get((r, 1))), p.project_id);
        assert!(close(float(projects.get((r, 8))), p.fraction));
        assert!(close(float(projects.get((r, 9))), p.cost));
        assert!(close(float(projects.get((r, 10))), p.funded));
        // Capital then revenue, each by year.
        for (l, line) in p.amounts.iter().enumerate() {
            for (y, amount) in line.iter().enumerate() {
                assert!(close(
                    float(projects.get((r, 11 + l * a.years.len() + y))),
                    *amount
                ));
            }
        }
        assert!(close(float(projects.get((r, 15))), p.value));
    }
    let funded: f64 = (1..=a.projects.len())
        .map(|r| float(projects.get((r, 10))))
        .sum();
    assert!(close(funded, a.total_funded));

    let summary = wb.worksheet_range("Summary").unwrap();
    assert!(string(summary.get((2, 0))).ends_with("are by population."));

    let footprints = wb.worksheet_range("Footprints").unwrap();
    for (i, f) in a.footprints.iter().enumerate() {
        assert_eq!(string(footprints.get((i + 1, 0))), f.footprint_id);
        assert!(close(float(footprints.get((i + 1, 4))), f.funded));
        assert!(close(float(footprints.get((i + 1, 5))), f.per_head));
        assert!(close(float(footprints.get((i + 1, 6))), f.fair_share));
    }

    let years = wb.worksheet_range("Years").unwrap();
    for (i, b) in a.budget_use.iter().enumerate() {
        assert_eq!(string(years.get((i + 1, 0))), b.year.label());
        assert!(close(float(years.get((i + 1, 2))), b.budget));
        assert!(close(float(years.get((i + 1, 3))), b.used));
    }

    let rules = wb.worksheet_range("Rules").unwrap();
    assert_eq!(rules.height(), a.rule_use.len() + 1);
    assert!(close(float(rules.get((1, 1))), a.rule_use[0].limit));

    let summary = wb.worksheet_range("Summary").unwrap();
    let find = |label: &str| {
        (0..summary.height())
            .find(|&r| matches!(summary.get((r, 0)), Some(Data::String(s)) if s == label))
            .unwrap_or_else(|| panic!("no {label} row"))
    };
    assert!(close(
        float(summary.get((find("Allocated (£k)"), 1))),
        a.total_funded
    ));
    assert!(close(
        float(summary.get((find("Total budget (£k)"), 1))),
        a.scenario.total_budget()
    ));
    assert!(close(float(summary.get((find("Value"), 1))), a.total_value));
    assert!(close(
        float(summary.get((find("MIP gap reached"), 1))),
        a.solver.gap
    ));
    assert_eq!(
        string(summary.get((find("Solver status"), 1))),
        a.solver.status.describe()
    );
    let greedy = a
        .comparisons
        .iter()
        .find(|c| c.method == Method::Greedy)
        .unwrap();
    let row = find(Method::Greedy.name());
    assert!(close(float(summary.get((row, 1))), greedy.value));
    assert!(close(float(summary.get((row, 2))), greedy.spent));
}

#[test]
fn hostile_titles_are_stored_as_text() {
    let a = sample::allocation();
    let bytes = render(&a, &[]).unwrap();
    let mut wb = workbook(&bytes);
    let projects = wb.worksheet_range("Projects").unwrap();
    let titles: Vec<String> = (1..projects.height())
        .map(|r| string(projects.get((r, 5))))
        .collect();
    for hostile in &sample::HOSTILE_TITLES[..3] {
        assert!(
            titles.contains(&format!("'{hostile}")),
            "{hostile} is neutralised"
        );
    }
    for hostile in &sample::HOSTILE_TITLES[3..] {
        assert!(
            titles.contains(&hostile.to_string()),
            "{hostile} is kept as text"
        );
    }
    assert!(titles.contains(&"'-Patient portal".to_string()));
    // No cell anywhere in the workbook is a formula.
    for sheet in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} has a formula"
        );
    }
    let footprints = wb.worksheet_range("Footprints").unwrap();
    assert_eq!(string(footprints.get((4, 1))), "'=1+1 Midlands");
}

#[test]
fn charts_are_on_the_summary_sheet() {
    let a = sample::allocation();
    let charts = charts::render_all(&a).unwrap();
    let bytes = render(&a, &charts).unwrap();
    // Zip entry names are stored as plain text in the package.
    let names = String::from_utf8_lossy(&bytes);
    for i in 1..=charts.len() {
        assert!(
            names.contains(&format!("xl/media/image{i}.png")),
            "chart {i} is in the package"
        );
    }
    assert!(!names.contains(&format!("xl/media/image{}.png", charts.len() + 1)));
    // Only the Summary sheet (sheet1) has a drawing.
    assert!(names.contains("xl/worksheets/_rels/sheet1.xml.rels"));
    assert!(!names.contains("xl/worksheets/_rels/sheet2.xml.rels"));
}

#[test]
fn the_workbook_is_deterministic() {
    let a = sample::allocation();
    let charts = charts::render_all(&a).unwrap();
    assert_eq!(render(&a, &charts).unwrap(), render(&a, &charts).unwrap());
}
