//! summary.md: the headline, the binding rules and the comparison a Treasury
//! reader asks for, in plain Markdown.

use super::words::heuristic_text;
use crate::allocation::{Allocation, ProjectStatus};
use crate::format::{fixed, money, thousands};
use crate::solve::SolveStatus;
use std::collections::BTreeMap;
use std::fmt::Write;

use crate::format::markdown_cell as cell;

fn value(a: &Allocation, v: f64) -> String {
    match a.scenario.objective {
        crate::scenario::ObjectiveKind::Benefit | crate::scenario::ObjectiveKind::Npv => money(v),
        crate::scenario::ObjectiveKind::Maturity => thousands(v),
    }
}

/// What fair shares are in proportion to, and what this run ignored: both change what
/// the figures mean, so every report says them.
pub fn rules_note(a: &Allocation) -> String {
    let rules = &a.scenario.rules;
    let mut note = format!(
        "Fair shares (floors and caps set as shares of them, the formula comparison and £ per head) are by {}.",
        rules.fair_share.words()
    );
    let ignored = rules.ignore.kinds();
    if !ignored.is_empty() {
        let _ = write!(
            note,
            " This run ignores {} (`[ignore]` in the scenario).",
            crate::format::listing(&ignored, 10)
        );
    }
    note
}

pub fn summary(a: &Allocation) -> String {
    let mut s = String::new();
    let sc = &a.scenario;
    let first = a.years.first().map(|y| y.to_string()).unwrap_or_default();
    let last = a.years.last().map(|y| y.to_string()).unwrap_or_default();
    let _ = writeln!(s, "# Technology fund allocation: scenario `{}`\n", sc.name);
    if !sc.description.is_empty() {
        let _ = writeln!(s, "{}\n", cell(sc.description.trim()));
    }
    let _ = writeln!(
        s,
        "Money is in £ thousands (£k) unless shown as £m or £bn. Value is in {}.\n",
        a.value_unit
    );
    if sc.objective == crate::scenario::ObjectiveKind::Maturity {
        let weight = match sc.need {
            crate::scenario::NeedPolicy::LeastMatureFirst => {
                "(100 − capabilities) ÷ 100, so the least mature count most"
            }
            crate::scenario::NeedPolicy::ReadinessLed => {
                "readiness ÷ 100, so those most ready to deliver count most"
            }
            crate::scenario::NeedPolicy::Neutral => "1 for every footprint",
        };
        let _ = writeln!(
            s,
            "One person-point is one person whose footprint's capabilities score rises by one point, weighted by need ({}): {weight}. A footprint's gain stops at a score of 100.\n",
            sc.need.name()
        );
    }

    let _ = writeln!(s, "{}\n", rules_note(a));
    let _ = writeln!(s, "## Headline\n");
    let budget: f64 = a.budget_use.iter().map(|b| b.budget).sum();
    let lines: Vec<String> = a
        .lines
        .iter()
        .map(|&l| {
            format!(
                "{l} {}",
                money(
                    a.budget_use
                        .iter()
                        .filter(|b| b.line == l)
                        .map(|b| b.budget)
                        .sum()
                )
            )
        })
        .collect();
    let count = |st: ProjectStatus| a.projects.iter().filter(|p| p.status == st).count();
    let funded_footprints = a.footprints.iter().filter(|f| f.funded > 0.0).count();
    let _ = writeln!(
        s,
        "- **Fund:** {} over {first} to {last} ({}).",
        money(budget),
        lines.join(", ")
    );
    let _ = writeln!(
        s,
        "- **Allocated:** {} ({:.1}% of the fund) to {} projects in full and {} in part, in {} of {} footprints.",
        money(a.total_funded),
        100.0 * a.total_funded / budget.max(1e-9),
        count(ProjectStatus::Funded),
        count(ProjectStatus::PartlyFunded),
        funded_footprints,
        a.footprints.len()
    );
    let _ = writeln!(
        s,
        "- **Not funded:** {} projects; {} more excluded by rule, of {} bids.",
        count(ProjectStatus::NotFunded),
        count(ProjectStatus::ExcludedByRule),
        a.projects.len()
    );
    let unit = match a.scenario.objective {
        crate::scenario::ObjectiveKind::Benefit => "of benefit (present value)",
        crate::scenario::ObjectiveKind::Npv => "of net present social value",
        crate::scenario::ObjectiveKind::Maturity => a.value_unit.as_str(),
    };
    let _ = writeln!(s, "- **Value:** {} {unit}.", value(a, a.total_value));
    let sv = &a.solver;
    let _ = writeln!(
        s,
        "- **Solver:** {}. Gap reached {}% (scenario allows {}%); proven bound {}. HiGHS {}, {} variables ({} integer), {} constraints.",
        sv.status.describe(),
        fixed(sv.gap * 100.0, 4),
        fixed(sv.requested_gap * 100.0, 4),
        value(a, sv.bound),
        sv.highs_version,
        sv.variables,
        sv.integer_variables,
        sv.constraints
    );
    if let Some(h) = heuristic_text(a) {
        let _ = writeln!(s, "- **Heuristic:** {h}.");
    }
    if sv.status == SolveStatus::TimeLimit {
        let _ = writeln!(
            s,
            "\n> **Warning:** the solver stopped at its time limit ({} s). This allocation keeps every rule but is NOT proven optimal: it is within {}% of the best possible value.",
            sv.time_limit_s,
            fixed(sv.gap * 100.0, 2)
        );
    }

    let _ = writeln!(s, "\n## Fund used per financial year\n");
    let mut header = String::from("| Year |");
    let mut rule = String::from("|---|");
    for l in &a.lines {
        let _ = write!(header, " {l} budget | {l} used | {l} left |");
        rule.push_str("---:|---:|---:|");
    }
    let _ = writeln!(s, "{header}\n{rule}");
    for y in &a.years {
        let mut row = format!("| {y} |");
        for &l in &a.lines {
            if let Some(b) = a.budget_use.iter().find(|b| &b.year == y && b.line == l) {
                let _ = write!(
                    row,
                    " {} | {} | {} |",
                    thousands(b.budget),
                    thousands(b.used),
                    thousands(b.budget - b.used)
                );
            }
        }
        let _ = writeln!(s, "{row}");
    }

    s.push_str(&super::flex::markdown(a));

    let _ = writeln!(s, "\n## Rules that bind\n");
    let binding: Vec<_> = a.rule_use.iter().filter(|r| r.binding).collect();
    if binding.is_empty() {
        let _ = writeln!(s, "No rule binds: every bid that adds value is funded.");
    } else {
        let _ = writeln!(s, "A rule binds when it stops at least one bid that would add value (or, for a floor, when it forces money to a footprint).\n");
        let _ = writeln!(s, "| Rule | Limit | Used |\n|---|---:|---:|");
        for r in binding {
            let (limit, used) = if r.rule.is_share() {
                (
                    format!("{:.1}%", r.limit * 100.0),
                    format!("{:.1}%", r.used * 100.0),
                )
            } else {
                (thousands(r.limit), thousands(r.used))
            };
            let _ = writeln!(s, "| {} | {limit} | {used} |", cell(&r.name));
        }
    }

    if a.marginal_values.is_empty() {
        let _ = writeln!(
            s,
            "\nWhat another £1m in one year buys: `techfund run {} --marginal-values` values £1m more and less in every year and line; `techfund sweep {} --year <year> --line capital` solves the scenario at many budget levels for that year and line.",
            sc.path.display(),
            sc.path.display()
        );
    } else {
        let _ = writeln!(s, "\n## The value of each year's money\n");
        let _ = writeln!(s, "{}\n", super::marginal::explanation(a));
        let _ = writeln!(
            s,
            "| {} |\n|---|---|---:|---:|---|---|",
            super::marginal::HEAD.join(" | ")
        );
        for row in super::marginal::rows(a) {
            let _ = writeln!(s, "| {} |", row.map(|c| cell(&c)).join(" | "));
        }
    }

    if let Some(alts) = &a.alternatives {
        s.push_str(&super::alternatives::markdown(a, alts));
    }
    super::robustness::markdown(&mut s, a);
    if let Some(ap) = &a.appraisal {
        s.push_str(&appraisal_section(a, ap));
    }
    price_tables(&mut s, a);

    let _ = writeln!(s, "\n## Against simpler ways of sharing the same budget\n");
    let _ = writeln!(s, "| Method | Value | Share of optimal value | Spent | Projects funded |\n|---|---:|---:|---:|---:|");
    let funded = a.projects.iter().filter(|p| p.fraction > 0.0).count();
    let _ = writeln!(
        s,
        "| Optimal allocation (this report) | {} | 100.0% | {} | {funded} |",
        value(a, a.total_value),
        money(a.total_funded)
    );
    for c in &a.comparisons {
        let name = c.method.name();
        let share = if a.total_value > 0.0 {
            100.0 * c.value / a.total_value
        } else {
            0.0
        };
        let _ = writeln!(
            s,
            "| {name} | {} | {share:.1}% | {} | {} |",
            value(a, c.value),
            money(c.spent),
            c.projects_funded
        );
    }
    let _ = writeln!(s);
    for c in &a.comparisons {
        let _ = writeln!(s, "- {}.", c.method.description());
    }
    let _ = writeln!(
        s,
        "- The optimal allocation keeps every rule of the scenario; the simpler methods keep the yearly budgets but not necessarily the floors or category shares."
    );

    if !a.bundles.is_empty() {
        let _ = writeln!(s, "\n## Bundles\n\nThese bids require each other, so they are funded together, to one share, or not at all:\n");
        for b in &a.bundles {
            let ids: Vec<String> = b.projects.iter().map(|id| cell(id)).collect();
            let state = if b.fraction >= 1.0 - 1e-6 {
                "funded".to_string()
            } else if b.fraction > 1e-6 {
                format!("funded to {:.1}%", b.fraction * 100.0)
            } else {
                "not funded".to_string()
            };
            let _ = writeln!(s, "- {}: {state}", ids.join(", "));
        }
    }

    let excluded: BTreeMap<String, usize> = a
        .projects
        .iter()
        .filter(|p| p.status == ProjectStatus::ExcludedByRule)
        .fold(BTreeMap::new(), |mut m, p| {
            let key = p.reason.split(':').next().unwrap_or(&p.reason).to_string();
            *m.entry(key).or_default() += 1;
            m
        });
    if !excluded.is_empty() {
        let _ = writeln!(s, "\n## Bids excluded by rule\n");
        for (why, n) in excluded {
            let _ = writeln!(s, "- {n} × {}", cell(&why));
        }
    }

    let _ = writeln!(s, "\n## Largest allocations\n");
    let _ = writeln!(s, "The 15 bids given the most money; the rank is the bid's place in `allocation.csv` (by value per £).\n");
    let _ = writeln!(s, "| Rank | Project | Footprint | Category | Funded (£k) | Value per £ |\n|---:|---|---|---|---:|---:|");
    let mut largest: Vec<_> = a.projects.iter().filter(|p| p.fraction > 0.0).collect();
    largest.sort_by(|x, y| y.funded.total_cmp(&x.funded).then(x.rank.cmp(&y.rank)));
    for p in largest.into_iter().take(15) {
        let _ = writeln!(
            s,
            "| {} | {} {} | {} | {} | {} | {} |",
            p.rank,
            cell(&p.project_id),
            cell(&p.title),
            cell(&p.footprint_name),
            cell(&p.category),
            thousands(p.funded),
            if p.value_per_pound.is_finite() {
                fixed(p.value_per_pound, 3)
            } else {
                "no cost to the fund".to_string()
            }
        );
    }
    let _ = writeln!(s, "\nThe full ranked table, with the reason for every bid not fully funded, is in `allocation.csv`.");
    let _ = writeln!(
        s,
        "\n## Scenario as run\n\nEvery key, after any `extends` is applied:\n\n{}",
        crate::format::markdown_code("toml", &sc.resolved)
    );
    s
}

/// How many funded bids the summary's appraisal table lists; appraisal.csv has all.
const APPRAISAL_SHOWN: usize = 20;

/// The Green Book appraisal: settings, the portfolio, and the funded bids' measures.
fn appraisal_section(a: &Allocation, ap: &crate::appraisal::Appraisal) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n## Green Book appraisal\n");
    for line in ap.describe() {
        let _ = writeln!(s, "- {}", cell(&line));
    }
    s.push('\n');
    for line in super::appraisal::headline(a, ap) {
        let _ = writeln!(s, "{}\n", cell(&line));
    }
    let funded: Vec<Vec<String>> = super::appraisal::rows(ap)
        .into_iter()
        .zip(ap.rows.iter().map(|r| r.fraction > 0.0).chain([false]))
        .filter(|(_, f)| *f)
        .map(|(r, _)| r)
        .collect();
    let _ = writeln!(
        s,
        "| Project | Share funded | PV costs, fund (£k) | PV costs, whole life (£k) | PV benefits, cash (£k) | PV benefits, non-cash (£k) | NPSV (£k) | BCR | Value for money | Cost overrun to fail hurdle | Benefit shortfall to fail hurdle |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
    );
    let mut rows: Vec<Vec<String>> = funded.iter().take(APPRAISAL_SHOWN).cloned().collect();
    rows.push(super::appraisal::total_row(ap));
    for mut r in rows {
        r.remove(1);
        let _ = writeln!(
            s,
            "| {} |",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    if funded.len() > APPRAISAL_SHOWN {
        let _ = writeln!(
            s,
            "\nThe first {APPRAISAL_SHOWN} of {} funded bids; appraisal.csv has every bid.",
            funded.len()
        );
    }
    s
}

/// The price of each rule and the fairness frontier, when the run computed them.
fn price_tables(s: &mut String, a: &Allocation) {
    use super::prices;
    if !a.rule_prices.is_empty() {
        let _ = writeln!(s, "\n## The price of each rule\n");
        let _ = writeln!(s, "{}\n", prices::rules_explanation(a));
        let _ = writeln!(
            s,
            "| {} |\n|---|---:|---:|---:|---|",
            prices::RULES_HEAD.join(" | ")
        );
        for row in prices::rules_rows(a) {
            let _ = writeln!(s, "| {} |", row.map(|c| cell(&c)).join(" | "));
        }
    }
    if !a.fairness_frontier.is_empty() {
        let _ = writeln!(s, "\n## The price of fairness\n");
        let _ = writeln!(s, "{}\n", prices::frontier_explanation(a));
        let _ = writeln!(
            s,
            "| {} |\n|---:|---:|---:|---:|---|",
            prices::FRONTIER_HEAD.join(" | ")
        );
        for row in prices::frontier_rows(a) {
            let _ = writeln!(s, "| {} |", row.map(|c| cell(&c)).join(" | "));
        }
    }
}
