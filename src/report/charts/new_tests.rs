//! The replacement-cost chart of `explain` and the marginal-value chart of
//! `run --marginal-values`.

use super::*;
use crate::allocation::MarginalValue;
use crate::domain::{BudgetLine, FinancialYear};
use crate::report::sample;
use crate::solve::SolveStatus;

fn row(label: &str, cost: Option<f64>) -> ReplacementRow {
    ReplacementRow {
        label: label.into(),
        cost,
        proven: None,
    }
}

#[test]
fn replacement_costs_are_drawn_largest_first_irreplaceable_at_the_top() {
    let input = ReplacementChart {
        value_unit: "£k of benefit (present value)".into(),
        rows: vec![
            row("P1 Small", Some(10.0)),
            row("P2 Irreplaceable", None),
            row("P3 Large", Some(900.0)),
            ReplacementRow {
                proven: Some((40.0, 60.0)),
                ..row("P4 Middle", Some(50.0))
            },
        ],
    };
    let c = replacement_cost(&input).unwrap();
    assert_eq!(c.name, "replacement_cost");
    assert!(c.svg.contains("Replacement cost of each funded project"));
    let at = |s: &str| c.svg.find(s).unwrap_or_else(|| panic!("{s} not drawn"));
    assert!(at("P2 Irreplaceable") < at("P3 Large"));
    assert!(at("P3 Large") < at("P4 Middle"));
    assert!(at("P4 Middle") < at("P1 Small"));
    assert!(c.svg.contains("\nirreplaceable\n"), "the word, not a bar");
    assert!(c.png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // Same data, same bytes.
    assert_eq!(replacement_cost(&input).unwrap().svg, c.svg);
}

#[test]
fn a_long_list_of_replacement_costs_says_how_many_are_shown() {
    let input = ReplacementChart {
        value_unit: "need-weighted person-points".into(),
        rows: (0..55)
            .map(|i| row(&format!("P{i:02}"), Some(i as f64)))
            .collect(),
    };
    let c = replacement_cost(&input).unwrap();
    assert!(c.svg.contains("the 40 largest of 55"), "{}", c.svg);
    assert!(c.svg.contains("\nP54\n") && !c.svg.contains("\nP14\n"));
}

#[test]
fn no_funded_project_gives_a_chart_that_says_so() {
    let c = replacement_cost(&ReplacementChart::default()).unwrap();
    assert!(c.svg.contains("nothing to plot"));
}

#[test]
fn marginal_values_get_their_own_chart_in_the_report() {
    let mut a = sample::allocation();
    assert_eq!(
        render_all(&a).unwrap().len(),
        5,
        "none without marginal values"
    );
    let year = |y: &str| FinancialYear::parse(y).unwrap();
    a.marginal_values = vec![
        MarginalValue {
            year: year("2016/17"),
            line: BudgetLine::Capital,
            next: Ok((1500.0, 1500.0, 1500.0)),
            last: Ok((2500.0, 2500.0, 2500.0)),
            dual: Err("a MIP has no duals".into()),
            status: SolveStatus::Optimal,
            gap: 0.0,
        },
        MarginalValue {
            year: year("2017/18"),
            line: BudgetLine::Revenue,
            next: Ok((0.0, 0.0, 0.0)),
            last: Err("no allocation".into()),
            dual: Err("a MIP has no duals".into()),
            status: SolveStatus::Optimal,
            gap: 0.0,
        },
    ];
    let charts = render_all(&a).unwrap();
    let c = charts.last().unwrap();
    assert_eq!(c.name, "marginal_values");
    for s in [
        "The value of each year&apos;s money",
        "2016/17 capital",
        "2017/18 revenue",
        "no allocation",
        "value of the next £1m",
    ] {
        assert!(
            c.svg.contains(s) || c.svg.contains(&s.replace("&apos;", "'")),
            "{s}"
        );
    }
}
