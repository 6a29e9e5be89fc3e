//! explain.csv, explain.md and explain.html: what each project is worth to the
//! portfolio (replacement cost, forced-in loss, the rule it collides with) and where
//! the optimum departs from the greedy ranking.

use super::charts::{Chart, ReplacementChart, ReplacementRow};
use super::doc::{Doc, Section, Table};
use super::words::{per_pound_text, proven_figure, value_text};
use crate::allocation::explain::{Explanation, Loss, ProjectWorth, Selection, Worth};
use crate::allocation::Allocation;
use crate::csvio::{finish, writer};
use crate::format::{fixed, listing, spreadsheet_safe, thousands};
use crate::scenario::ObjectiveKind;
use crate::solve::SolveStatus;

/// How many rows each table of the page shows; explain.csv has every row.
const SHOWN: usize = 25;

fn decimals(a: &Allocation) -> usize {
    match a.scenario.objective {
        ObjectiveKind::Benefit | ObjectiveKind::Npv => 1,
        ObjectiveKind::Maturity => 0,
    }
}

/// The cell for a lock's outcome, with the word for an infeasible lock.
fn cells(w: Option<&Worth>, infeasible: &str, vd: usize) -> [String; 3] {
    match w {
        None => Default::default(),
        Some(Worth::Measured(l)) => [fixed(l.loss, vd), fixed(l.low, vd), fixed(l.high, vd)],
        Some(Worth::Infeasible(_)) => [infeasible.to_string(), String::new(), String::new()],
        Some(Worth::Unmeasured(why)) => [why.clone(), String::new(), String::new()],
    }
}

fn measured(r: &ProjectWorth) -> impl Iterator<Item = &Loss> {
    [&r.replacement, &r.forced_in]
        .into_iter()
        .filter_map(|w| match w {
            Some(Worth::Measured(l)) => Some(l),
            _ => None,
        })
}

/// The weakest status of a row's re-solves and the largest gap they reached.
fn proof(r: &ProjectWorth) -> (String, String) {
    let mut status: Option<SolveStatus> = None;
    let mut gap: Option<f64> = None;
    for l in measured(r) {
        let rank = |s: SolveStatus| match s {
            SolveStatus::Optimal => 0,
            SolveStatus::WithinGap => 1,
            SolveStatus::TimeLimit => 2,
        };
        if status.is_none_or(|s| rank(l.status) > rank(s)) {
            status = Some(l.status);
        }
        gap = Some(gap.map_or(l.gap, |g: f64| g.max(l.gap)));
    }
    (
        status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        gap.map(|g| fixed(g, 6)).unwrap_or_default(),
    )
}

fn ids(a: &Allocation, list: &[usize]) -> Vec<String> {
    // `list` holds dataset indices; the allocation's rows carry them.
    let mut id = vec![""; a.projects.len()];
    for p in &a.projects {
        id[p.project] = &p.project_id;
    }
    list.iter().map(|&p| id[p].to_string()).collect()
}

/// explain.csv: one row per project explained, in the allocation's rank order.
pub fn csv(a: &Allocation, e: &Explanation) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "project_id",
        "footprint_id",
        "title",
        "category",
        "status",
        "funded_fraction",
        "value",
        "value_per_pound",
        "greedy_ranking",
        "replacement_cost",
        "replacement_cost_low",
        "replacement_cost_high",
        "forced_in_loss",
        "forced_in_loss_low",
        "forced_in_loss_high",
        "collides_with",
        "solve_status",
        "gap",
        "enters_if_locked",
        "leaves_if_locked",
    ])
    .expect("in memory");
    let vd = decimals(a);
    let mut rows: Vec<&ProjectWorth> = e.rows.iter().collect();
    rows.sort_by_key(|r| r.row);
    for r in rows {
        let p = &a.projects[r.row];
        let [rc, rc_lo, rc_hi] = cells(r.replacement.as_ref(), "irreplaceable", vd);
        let [fi, fi_lo, fi_hi] = cells(r.forced_in.as_ref(), "cannot be funded", vd);
        let (status, gap) = proof(r);
        let (mut entered, mut left) = (Vec::new(), Vec::new());
        for l in measured(r) {
            entered.extend(ids(a, &l.entered));
            left.extend(ids(a, &l.left));
        }
        w.write_record([
            spreadsheet_safe(&p.project_id),
            spreadsheet_safe(&p.footprint_id),
            spreadsheet_safe(&p.title),
            spreadsheet_safe(&p.category),
            p.status.label().to_string(),
            fixed(p.fraction, 4),
            fixed(p.value, vd),
            if p.value_per_pound.is_finite() {
                fixed(p.value_per_pound, 4)
            } else {
                String::new()
            },
            if r.greedy_funded {
                "funded"
            } else {
                "not funded"
            }
            .to_string(),
            spreadsheet_safe(&rc),
            rc_lo,
            rc_hi,
            spreadsheet_safe(&fi),
            fi_lo,
            fi_hi,
            spreadsheet_safe(&r.collides_with.join("; ")),
            status,
            gap,
            spreadsheet_safe(&entered.join(";")),
            spreadsheet_safe(&left.join(";")),
        ])
        .expect("in memory");
    }
    finish(w)
}

/// explain.md and explain.html say the same; this is what they say.
fn document(a: &Allocation, e: &Explanation) -> Doc {
    let value = |v: f64| value_text(a, v);
    let figure = |l: &Loss| proven_figure(l.loss, l.low, l.high);
    let name = |r: &ProjectWorth| {
        let p = &a.projects[r.row];
        format!("{} {}", p.project_id, p.title)
    };
    let funded_rows = e.rows.iter().filter(|r| r.replacement.is_some()).count();
    let unfunded_rows = e.rows.iter().filter(|r| r.forced_in.is_some()).count();
    let largest_gap = e
        .rows
        .iter()
        .flat_map(measured)
        .map(|l| l.gap)
        .fold(0.0, f64::max);
    let selection = match &e.selection {
        Selection::Named => "the projects named on the command line".to_string(),
        Selection::All => "every bid a rule does not exclude".to_string(),
        Selection::Margin { unfunded, left_out } => format!(
            "every funded bid and the {unfunded} unfunded bids nearest the margin (highest value per £); the other {left_out} unfunded bids were not re-solved, to keep the run short (name them on the command line to explain them)"
        ),
    };
    let mut headline = Section {
        heading: "Headline".into(),
        ..Default::default()
    };
    headline.bullets = vec![
        format!(
            "Optimal allocation: {} ({}; gap reached {}%, asked for {}%).",
            value(e.value),
            e.status.describe(),
            fixed(e.gap * 100.0, 4),
            fixed(e.requested_gap * 100.0, 4)
        ),
        format!(
            "Explained: {} projects, {selection}: {funded_rows} funded (replacement cost), {unfunded_rows} not fully funded (forced-in loss).",
            e.rows.len()
        ),
        format!(
            "Re-solves: {}, each an exact solve of the whole scenario with one bid locked, started from the optimum and solved to a gap of at most {}%; the largest gap reached was {}%.",
            e.solves,
            fixed(e.requested_gap * 100.0, 4),
            fixed(largest_gap * 100.0, 4)
        ),
    ];
    if e.rows
        .iter()
        .flat_map(measured)
        .any(|l| l.status == SolveStatus::TimeLimit)
    {
        headline.bullets.push("Some re-solves stopped at the time limit: their figures are NOT proven (solve_status time_limit in explain.csv).".into());
    }
    let mut read = Section {
        heading: "How to read this".into(),
        ..Default::default()
    };
    read.bullets = vec![
        "Replacement cost: the value the portfolio loses if a funded project is locked out and every other decision is re-optimised. A large figure means the project cannot be replaced by the next best bids; irreplaceable means no allocation keeps every rule without it.".into(),
        "Forced-in loss: the value the portfolio loses if a project not funded is locked in and the rest re-optimised; it collides with the rule named (a year's budget, a cap, a category share, a dependency or an exclusive group).".into(),
        "A figure is shown only as far as the solves' proven bounds allow: a range when the solves stopped at a gap, or 'not measurable at this gap' when the range is wider than the figure (lower [solver] mip_gap, or use --mip-gap, to measure it).".into(),
    ];

    // Replacement cost, largest first; irreplaceable bids head the list.
    let mut by_rc: Vec<&ProjectWorth> = e.rows.iter().filter(|r| r.replacement.is_some()).collect();
    let key = |w: &Option<Worth>| match w {
        Some(Worth::Infeasible(_)) => f64::INFINITY,
        Some(Worth::Measured(l)) => l.loss,
        _ => f64::NEG_INFINITY,
    };
    by_rc.sort_by(|x, y| {
        key(&y.replacement)
            .total_cmp(&key(&x.replacement))
            .then(x.row.cmp(&y.row))
    });
    let mut replacement = Section {
        heading: "Replacement cost of the funded projects".into(),
        ..Default::default()
    };
    replacement.paragraphs.push(format!(
        "The {} funded projects with the largest replacement cost, largest first (all {funded_rows} are in explain.csv). Value in {}.",
        by_rc.len().min(SHOWN),
        a.value_unit
    ));
    replacement.table = Some(Table {
        head: vec![
            ("Rank".into(), true),
            ("Project".into(), false),
            ("Footprint".into(), false),
            ("Category".into(), false),
            ("Its own value".into(), true),
            ("Replacement cost".into(), true),
            ("What comes in instead".into(), false),
        ],
        rows: by_rc
            .iter()
            .take(SHOWN)
            .map(|r| {
                let p = &a.projects[r.row];
                let (rc, instead) = match &r.replacement {
                    Some(Worth::Measured(l)) => (figure(l), {
                        let entered = ids(a, &l.entered);
                        let refs: Vec<&str> = entered.iter().map(String::as_str).collect();
                        if refs.is_empty() {
                            "nothing".to_string()
                        } else {
                            listing(&refs, 5)
                        }
                    }),
                    Some(Worth::Infeasible(rules)) => (
                        "irreplaceable".to_string(),
                        format!("needed by: {}", rules.join("; ")),
                    ),
                    Some(Worth::Unmeasured(why)) => (why.clone(), String::new()),
                    None => Default::default(),
                };
                vec![
                    p.rank.to_string(),
                    name(r),
                    p.footprint_name.clone(),
                    p.category.clone(),
                    thousands(p.value),
                    rc,
                    instead,
                ]
            })
            .collect(),
    });
    let irreplaceable: Vec<String> = by_rc
        .iter()
        .filter_map(|r| match &r.replacement {
            Some(Worth::Infeasible(rules)) => {
                Some(format!("{}: needed by {}", name(r), rules.join("; ")))
            }
            _ => None,
        })
        .collect();
    if irreplaceable.is_empty() {
        replacement
            .after
            .push("No funded project is irreplaceable: every one can be locked out and the rules still kept.".into());
    } else {
        replacement.after.push(format!(
            "{} irreplaceable: without it no allocation keeps every rule.",
            if irreplaceable.len() == 1 {
                "1 project is".to_string()
            } else {
                format!("{} projects are", irreplaceable.len())
            }
        ));
        replacement.after.extend(irreplaceable);
    }

    // Forced-in loss, smallest first: the bids nearest to being funded.
    let mut by_fi: Vec<&ProjectWorth> = e
        .rows
        .iter()
        .filter(|r| matches!(r.forced_in, Some(Worth::Measured(_))))
        .collect();
    by_fi.sort_by(|x, y| {
        key(&x.forced_in)
            .total_cmp(&key(&y.forced_in))
            .then(x.row.cmp(&y.row))
    });
    let mut forced = Section {
        heading: "Projects not funded: what funding them would cost".into(),
        ..Default::default()
    };
    forced.paragraphs.push(format!(
        "The {} projects not funded whose forced-in loss is smallest (the nearest to being funded), with the rule each collides with. Bids excluded by rule or that no allocation could fund are in explain.csv.",
        by_fi.len().min(SHOWN)
    ));
    forced.table = Some(Table {
        head: vec![
            ("Rank".into(), true),
            ("Project".into(), false),
            ("Footprint".into(), false),
            ("Value per £".into(), true),
            ("Forced-in loss".into(), true),
            ("Collides with".into(), false),
        ],
        rows: by_fi
            .iter()
            .take(SHOWN)
            .map(|r| {
                let p = &a.projects[r.row];
                let fi = match &r.forced_in {
                    Some(Worth::Measured(l)) => figure(l),
                    _ => String::new(),
                };
                let collides = if r.collides_with.is_empty() {
                    "no rule: it fits but is worth less than what it displaces".to_string()
                } else {
                    r.collides_with.join("; ")
                };
                vec![
                    p.rank.to_string(),
                    name(r),
                    p.footprint_name.clone(),
                    per_pound_text(p.value_per_pound),
                    fi,
                    collides,
                ]
            })
            .collect(),
    });
    let cannot = e
        .rows
        .iter()
        .filter(|r| matches!(r.forced_in, Some(Worth::Infeasible(_))))
        .count();
    if cannot > 0 {
        forced.after.push(format!(
            "{} cannot be funded by any allocation that keeps every rule (\"cannot be funded\" in explain.csv, with the rules in collides_with).",
            bids(cannot)
        ));
    }

    let d = &e.departure;
    let mut greedy = Section {
        heading: "Where the optimum departs from the greedy ranking by value per £".into(),
        ..Default::default()
    };
    let worth = d.optimum_value - d.greedy_value;
    greedy.paragraphs.push(format!(
        "A panel funding bids in value-per-£ order while each year's money lasts would fund {} the optimum leaves out, and leave out {} the optimum funds. The optimum is worth {} more ({} against {}), because it chooses bids whole, across years and rules, instead of one at a time.",
        bids(d.only_greedy.len()),
        bids(d.only_optimum.len()),
        value(worth),
        value(d.optimum_value),
        value(d.greedy_value),
    ));
    let explained: std::collections::HashMap<usize, &ProjectWorth> =
        e.rows.iter().map(|r| (r.row, r)).collect();
    let worth_of = |row: usize| -> String {
        match explained.get(&row) {
            None => "not explained".into(),
            Some(r) => match (&r.replacement, &r.forced_in) {
                (Some(Worth::Measured(l)), _) => format!("replacement cost {}", figure(l)),
                (Some(Worth::Infeasible(_)), _) => "irreplaceable".into(),
                (_, Some(Worth::Measured(l))) => format!("forced-in loss {}", figure(l)),
                (_, Some(Worth::Infeasible(_))) => "cannot be funded".into(),
                (_, Some(Worth::Unmeasured(w))) | (Some(Worth::Unmeasured(w)), _) => w.clone(),
                (None, None) => String::new(),
            },
        }
    };
    let mut departing: Vec<(usize, &str)> = d
        .only_optimum
        .iter()
        .map(|&r| (r, "funded by the optimum only"))
        .chain(
            d.only_greedy
                .iter()
                .map(|&r| (r, "funded by the ranking only")),
        )
        .collect();
    departing.sort_by_key(|(r, _)| *r);
    greedy.table = Some(Table {
        head: vec![
            ("Rank".into(), true),
            ("Project".into(), false),
            ("Value per £".into(), true),
            ("Departure".into(), false),
            ("What it is worth to the portfolio".into(), false),
        ],
        rows: departing
            .iter()
            .take(2 * SHOWN)
            .map(|&(row, how)| {
                let p = &a.projects[row];
                vec![
                    p.rank.to_string(),
                    format!("{} {}", p.project_id, p.title),
                    per_pound_text(p.value_per_pound),
                    how.to_string(),
                    worth_of(row),
                ]
            })
            .collect(),
    });
    if departing.len() > 2 * SHOWN {
        greedy.after.push(format!(
            "… and {} more (the greedy_ranking column of explain.csv).",
            departing.len() - 2 * SHOWN
        ));
    }
    Doc {
        title: format!("What each project is worth: scenario {}", e.scenario),
        lede: vec![format!(
            "Money is in £ thousands (£k) unless shown as £m or £bn. Value is in {}. The full table, with every project explained, is explain.csv.",
            a.value_unit
        )],
        sections: vec![headline, read, replacement, forced, greedy],
    }
}

fn bids(n: usize) -> String {
    if n == 1 {
        "1 bid".into()
    } else {
        format!("{n} bids")
    }
}

pub fn markdown(a: &Allocation, e: &Explanation) -> String {
    document(a, e).markdown()
}

pub fn html(a: &Allocation, e: &Explanation) -> String {
    document(a, e).html()
}

/// explain.html with its charts inline, before the footer.
pub fn html_with_charts(a: &Allocation, e: &Explanation, charts: &[Chart]) -> String {
    let page = html(a, e);
    let section = super::html::charts_section(charts);
    match page.rfind("<footer>") {
        Some(at) => format!("{}{section}{}", &page[..at], &page[at..]),
        None => page + &section,
    }
}

/// The replacement-cost chart's data: each funded project explained, its loss when
/// locked out (none when irreplaceable); projects not measured are left out.
pub fn replacement_chart(a: &Allocation, e: &Explanation) -> ReplacementChart {
    let rows = e
        .rows
        .iter()
        .filter_map(|r| {
            let p = &a.projects[r.row];
            let label = format!("{} {}", p.project_id, p.title);
            match r.replacement.as_ref()? {
                Worth::Measured(l) => Some(ReplacementRow {
                    label,
                    cost: Some(l.loss),
                    proven: (l.low < l.high).then_some((l.low, l.high)),
                }),
                Worth::Infeasible(_) => Some(ReplacementRow {
                    label,
                    cost: None,
                    proven: None,
                }),
                Worth::Unmeasured(_) => None,
            }
        })
        .collect();
    ReplacementChart {
        value_unit: a.value_unit.to_string(),
        rows,
    }
}
