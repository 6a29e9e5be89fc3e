//! target.md, target_footprints.csv and target_projects.csv: how much to bid for and
//! which footprints drive the cost.

use crate::allocation::target::{FootprintTarget, TargetResult};
use crate::allocation::usage::FRACTION_EPS;
use crate::domain::{Dataset, Money};
use crate::format;
use crate::report::charts::{self, Chart, TargetChart, TargetRow};
use crate::scenario::{Scenario, Target};
use crate::solve::SolveStatus;
use std::fmt::Write;

pub fn summary(data: &Dataset, scenario: &Scenario, target: &Target, r: &TargetResult) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# How much to bid for: scenario `{}`\n", scenario.name);
    let who = if target.population_share >= 1.0 {
        "every footprint".to_string()
    } else {
        format!(
            "footprints holding {:.0}% of the population",
            target.population_share * 100.0
        )
    };
    let _ = writeln!(
        s,
        "The least fund for which {who} reaches a capabilities score of **{:.1}** by {}, under the scenario's rules. Money in £k.\n",
        target.capabilities,
        scenario.years.last().map(|y| y.to_string()).unwrap_or_default()
    );
    let _ = writeln!(
        s,
        "- **Minimum fund:** {} (£{}k).",
        format::money(r.total()),
        format::thousands(r.total())
    );
    let proven = match r.status {
        SolveStatus::Optimal => "proven minimum (gap 0): one £1k less cannot reach the target".to_string(),
        SolveStatus::WithinGap => format!("within {}% of the proven minimum; the proven lower bound is £{}k", format::fixed(r.gap * 100.0, 4), format::thousands(r.bound)),
        SolveStatus::TimeLimit => format!("NOT proven minimal: the solver stopped at its time limit; the proven lower bound is £{}k", format::thousands(r.bound)),
    };
    let _ = writeln!(s, "- **Solver:** {proven}.");
    let _ = writeln!(
        s,
        "- **Scenario's own budget:** {} for comparison.\n",
        format::money(scenario.total_budget())
    );
    let _ = writeln!(s, "## Minimum fund per financial year\n");
    let mut header = "| Year |".to_string();
    let mut rule = "|---|".to_string();
    for (l, _) in &r.budget {
        let _ = write!(header, " {l} |");
        rule.push_str("---:|");
    }
    let _ = writeln!(s, "{header} total |\n{rule}---:|");
    for (y, year) in scenario.years.iter().enumerate() {
        let cells: Vec<Money> = r.budget.iter().map(|(_, v)| v[y]).collect();
        let _ = writeln!(
            s,
            "| {year} | {} | {} |",
            cells
                .iter()
                .map(|c| format::thousands(*c))
                .collect::<Vec<_>>()
                .join(" | "),
            format::thousands(cells.iter().sum())
        );
    }
    let _ = writeln!(s, "\n## Footprints that drive the cost\n\nLargest spend first. Cost per point is the money spent per capability point gained.\n");
    let _ = writeln!(s, "| Footprint | Capabilities before | after | Spend (£k) | Cost per point (£k) | Projects |\n|---|---:|---:|---:|---:|---:|");
    let mut order: Vec<&FootprintTarget> = r.footprints.iter().collect();
    order.sort_by(|a, b| {
        b.spend
            .partial_cmp(&a.spend)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.footprint.cmp(&b.footprint))
    });
    for f in order.iter().take(20) {
        let fp = &data.footprints[f.footprint];
        let gained = f.after - f.before;
        let per_point = if gained > 0.0 {
            format::thousands(f.spend / gained)
        } else {
            "—".into()
        };
        let _ = writeln!(
            s,
            "| {} {} | {:.1} | {:.1} | {} | {per_point} | {} |",
            fp.id,
            format::markdown_cell(&fp.name),
            f.before,
            f.after,
            format::thousands(f.spend),
            f.projects
        );
    }
    let _ = writeln!(s, "\nEvery footprint is in `target_footprints.csv`; the projects funded are in `target_projects.csv`.");
    s
}

pub fn footprints_csv(data: &Dataset, target: &Target, r: &TargetResult) -> Vec<u8> {
    let mut w = crate::csvio::writer();
    w.write_record([
        "footprint_id",
        "name",
        "capabilities_before",
        "capabilities_after",
        "target",
        "reached",
        "spend",
        "projects_funded",
    ])
    .expect("in memory");
    for f in &r.footprints {
        let fp = &data.footprints[f.footprint];
        w.write_record([
            format::spreadsheet_safe(&fp.id),
            format::spreadsheet_safe(&fp.name),
            format::fixed(f.before, 1),
            format::fixed(f.after, 1),
            format::fixed(target.capabilities, 1),
            f.reached.to_string(),
            format::fixed(f.spend, 1),
            f.projects.to_string(),
        ])
        .expect("in memory");
    }
    crate::csvio::finish(w)
}

pub fn projects_csv(data: &Dataset, scenario: &Scenario, r: &TargetResult) -> Vec<u8> {
    let lines = scenario.lines();
    let mut w = crate::csvio::writer();
    w.write_record([
        "project_id",
        "footprint_id",
        "title",
        "category",
        "funded_fraction",
        "funded",
        "maturity_uplift",
    ])
    .expect("in memory");
    for (p, &f) in data.projects.iter().zip(&r.fractions) {
        if f > FRACTION_EPS {
            w.write_record([
                format::spreadsheet_safe(&p.id),
                format::spreadsheet_safe(&data.footprints[p.footprint].id),
                format::spreadsheet_safe(&p.title),
                format::spreadsheet_safe(&p.category),
                format::fixed(f, 4),
                format::fixed(p.fund_cost_on(&lines) * f, 1),
                format::fixed(p.maturity_uplift * f, 2),
            ])
            .expect("in memory");
        }
    }
    crate::csvio::finish(w)
}

/// charts/target_capabilities: each footprint's capabilities before and after, against
/// the target score.
pub fn capabilities_chart(
    data: &Dataset,
    target: &Target,
    r: &TargetResult,
) -> Result<Chart, String> {
    charts::target(&TargetChart {
        target: target.capabilities,
        rows: r
            .footprints
            .iter()
            .map(|f| TargetRow {
                footprint: data.footprints[f.footprint].name.clone(),
                before: f.before,
                after: f.after,
            })
            .collect(),
    })
}
