//! Allocations made by hand for the report tests: a small one with hostile text in
//! every free-text field a report shows, and synthetic ones of any size for layout
//! and timing checks. Every total is derived from the projects, so the figures agree
//! with each other the way a real allocation's do.

use crate::allocation::{
    Allocation, BudgetUse, Comparison, FootprintAllocation, ProjectAllocation, ProjectStatus,
    RuleUse, SolverReport,
};
use crate::domain::{BudgetLine, FinancialYear, Money};
use crate::scenario::{FundingMode, NeedPolicy, ObjectiveKind, Rules, Scenario, SolverSettings};
use crate::solve::SolveStatus;
use std::path::PathBuf;

/// Titles that would run as a formula in a spreadsheet or as markup in a browser.
pub(crate) const HOSTILE_TITLES: [&str; 5] = [
    "=HYPERLINK(\"http://x\",\"y\")",
    "+SUM(A1)",
    "@cmd",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
];

pub(crate) struct FootprintSpec {
    pub id: String,
    pub name: String,
    pub region: String,
    pub population: f64,
    pub capabilities: f64,
}

pub(crate) struct ProjectSpec {
    pub id: String,
    pub footprint: usize,
    pub title: String,
    pub category: String,
    /// Full cost, `[line][year]`, £k.
    pub costs: Vec<Vec<Money>>,
    /// Value if funded in full.
    pub value: f64,
    pub uplift: f64,
    pub fraction: f64,
    pub greedy: f64,
    pub fair_share: f64,
    pub excluded: bool,
}

pub(crate) struct Spec {
    pub name: String,
    pub years: Vec<&'static str>,
    pub budget: Vec<(BudgetLine, Vec<Money>)>,
    pub footprints: Vec<FootprintSpec>,
    pub projects: Vec<ProjectSpec>,
    pub status: SolveStatus,
}

/// Four footprints in three regions, eight projects over two years on both lines.
pub(crate) fn allocation() -> Allocation {
    let fp =
        |id: &str, name: &str, region: &str, population: f64, capabilities: f64| FootprintSpec {
            id: id.into(),
            name: name.into(),
            region: region.into(),
            population,
            capabilities,
        };
    let footprints = vec![
        fp(
            "E54000001",
            "Cumbria and North East",
            "North",
            3_000_000.0,
            55.0,
        ),
        fp(
            "E54000002",
            "<b>Bold & \"quoted\"</b>",
            "London",
            2_000_000.0,
            62.0,
        ),
        fp(
            "E54000003",
            "Cornwall and the Isles of Scilly",
            "South",
            600_000.0,
            48.0,
        ),
        fp("E54000004", "=1+1 Midlands", "Midlands", 1_500_000.0, 70.0),
    ];
    #[allow(clippy::too_many_arguments)]
    let pr = |id: &str,
              footprint: usize,
              title: &str,
              category: &str,
              capital: [f64; 2],
              revenue: [f64; 2],
              value: f64,
              fractions: [f64; 3]| ProjectSpec {
        id: id.into(),
        footprint,
        title: title.into(),
        category: category.into(),
        costs: vec![capital.to_vec(), revenue.to_vec()],
        value,
        uplift: value / 1000.0,
        fraction: fractions[0],
        greedy: fractions[1],
        fair_share: fractions[2],
        excluded: false,
    };
    let mut projects = vec![
        pr(
            "P001",
            0,
            HOSTILE_TITLES[0],
            "EPR",
            [3000.0, 1000.0],
            [200.0, 300.0],
            9000.0,
            [1.0, 1.0, 1.0],
        ),
        pr(
            "P002",
            1,
            HOSTILE_TITLES[1],
            "e-prescribing",
            [1500.0, 0.0],
            [100.0, 100.0],
            5000.0,
            [1.0, 0.0, 1.0],
        ),
        pr(
            "P003",
            2,
            HOSTILE_TITLES[2],
            "infrastructure",
            [800.0, 400.0],
            [0.0, 0.0],
            2500.0,
            [1.0, 1.0, 0.0],
        ),
        pr(
            "P004",
            3,
            HOSTILE_TITLES[3],
            "EPR",
            [2000.0, 2000.0],
            [0.0, 500.0],
            7000.0,
            [0.5, 1.0, 0.0],
        ),
        pr(
            "P005",
            0,
            HOSTILE_TITLES[4],
            "<i>shared care</i>",
            [500.0, 500.0],
            [50.0, 50.0],
            2600.0,
            [1.0, 1.0, 0.0],
        ),
        pr(
            "P006",
            1,
            "Integrated care record for Leeds & York",
            "shared care",
            [0.0, 900.0],
            [0.0, 0.0],
            1000.0,
            [0.0, 0.0, 1.0],
        ),
        pr(
            "P007",
            3,
            "-Patient portal",
            "infrastructure",
            [300.0, 300.0],
            [0.0, 0.0],
            900.0,
            [0.0, 0.0, 0.0],
        ),
        pr(
            "P008",
            2,
            "Telehealth pilot",
            "@telecare",
            [100.0, 200.0],
            [0.0, 0.0],
            300.0,
            [0.0, 0.0, 0.0],
        ),
    ];
    projects[7].excluded = true;
    build(Spec {
        name: "Baseline <em>test</em>".into(),
        years: vec!["2017/18", "2018/19"],
        budget: vec![
            (BudgetLine::Capital, vec![7000.0, 4000.0]),
            (BudgetLine::Revenue, vec![400.0, 800.0]),
        ],
        footprints,
        projects,
        status: SolveStatus::WithinGap,
    })
}

/// A reproducible allocation of any size (a small linear congruential generator keeps
/// it free of seeds and crates).
pub(crate) fn synthetic(footprints: usize, projects: usize, years: usize) -> Allocation {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    const REGIONS: [&str; 7] = [
        "North East and Yorkshire",
        "North West",
        "Midlands",
        "East of England",
        "London",
        "South East",
        "South West",
    ];
    const CATEGORIES: [&str; 8] = [
        "EPR",
        "e-prescribing",
        "infrastructure",
        "shared care record",
        "patient-facing services",
        "decision support",
        "interoperability",
        "cyber security",
    ];
    // Names as long as real footprints' ("Surrey Heartlands Health and Care Partnership").
    const PLACES: [&str; 6] = [
        "Surrey Heartlands Health and Care Partnership",
        "Cheshire and Merseyside",
        "Bedfordshire, Luton and Milton Keynes",
        "North Central London",
        "Lincolnshire",
        "Cumbria and North East",
    ];
    const YEARS: [&str; 10] = [
        "2016/17", "2017/18", "2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24",
        "2024/25", "2025/26",
    ];
    let fps: Vec<FootprintSpec> = (0..footprints)
        .map(|f| FootprintSpec {
            id: format!("E54{f:06}"),
            name: format!("{} {f}", PLACES[f % PLACES.len()]),
            region: REGIONS[f % REGIONS.len()].into(),
            population: 300_000.0 + next() * 2_700_000.0,
            capabilities: 30.0 + next() * 50.0,
        })
        .collect();
    let prs: Vec<ProjectSpec> = (0..projects)
        .map(|p| {
            let size = 200.0 + next() * next() * 8000.0;
            let start = (next() * years as f64) as usize;
            let capital: Vec<f64> = (0..years)
                .map(|y| {
                    if y >= start && y < start + 2 {
                        size / 2.0
                    } else {
                        0.0
                    }
                })
                .collect();
            let revenue: Vec<f64> = (0..years)
                .map(|y| if y > start { size * 0.05 } else { 0.0 })
                .collect();
            let chosen = next();
            ProjectSpec {
                id: format!("P{p:05}"),
                footprint: p % footprints,
                title: format!("Project {p}: digital transformation programme"),
                category: CATEGORIES[p % CATEGORIES.len()].into(),
                costs: vec![capital, revenue],
                value: size * (0.5 + next() * 3.0),
                uplift: next() * 5.0,
                fraction: if chosen < 0.3 {
                    1.0
                } else if chosen < 0.33 {
                    0.5
                } else {
                    0.0
                },
                greedy: if chosen < 0.25 || (0.4..0.43).contains(&chosen) {
                    1.0
                } else {
                    0.0
                },
                fair_share: if next() < 0.3 { 1.0 } else { 0.0 },
                excluded: next() < 0.02,
            }
        })
        .map(|mut p| {
            if p.excluded {
                p.fraction = 0.0;
                p.greedy = 0.0;
                p.fair_share = 0.0;
            }
            p
        })
        .collect();
    // Budgets just above what the chosen projects use, as a tight fund would be.
    let budget = [BudgetLine::Capital, BudgetLine::Revenue]
        .iter()
        .enumerate()
        .map(|(l, &line)| {
            let used: Vec<f64> = (0..years)
                .map(|y| prs.iter().map(|p| p.costs[l][y] * p.fraction).sum::<f64>() * 1.02)
                .collect();
            (line, used)
        })
        .collect();
    build(Spec {
        name: "synthetic".into(),
        years: YEARS[..years].to_vec(),
        budget,
        footprints: fps,
        projects: prs,
        status: SolveStatus::TimeLimit,
    })
}

pub(crate) fn build(spec: Spec) -> Allocation {
    let years: Vec<FinancialYear> = spec
        .years
        .iter()
        .map(|y| FinancialYear::parse(y).unwrap())
        .collect();
    let lines: Vec<BudgetLine> = spec.budget.iter().map(|(l, _)| *l).collect();
    let scenario = Scenario {
        name: spec.name.clone(),
        description: "A hand-made allocation for report tests; <not> an input & \"quoted\".".into(),
        path: PathBuf::from("scenarios/test.toml"),
        data: PathBuf::from("data"),
        years: years.clone(),
        budget: spec.budget.clone(),
        objective: ObjectiveKind::Benefit,
        need: NeedPolicy::Neutral,
        funding: FundingMode::Partial,
        rules: Rules::default(),
        solver: SolverSettings::default(),
        resolved: String::new(),
        target: None,
        files: Vec::new(),
    };
    let total_budget = scenario.total_budget();
    let total_population: f64 = spec.footprints.iter().map(|f| f.population).sum();
    let full_cost = |p: &ProjectSpec| p.costs.iter().flatten().sum::<f64>();

    let mut projects: Vec<ProjectAllocation> = spec
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let fp = &spec.footprints[p.footprint];
            let cost = full_cost(p);
            let status = if p.excluded {
                ProjectStatus::ExcludedByRule
            } else if p.fraction >= 1.0 - 1e-9 {
                ProjectStatus::Funded
            } else if p.fraction > 0.0 {
                ProjectStatus::PartlyFunded
            } else {
                ProjectStatus::NotFunded
            };
            let reason = match status {
                ProjectStatus::Funded => String::new(),
                ProjectStatus::PartlyFunded => "the capital 2018/19 budget is used up".into(),
                ProjectStatus::NotFunded => {
                    "better value is available within the yearly budgets".into()
                }
                ProjectStatus::ExcludedByRule => {
                    "costs fall in years the scenario does not cover".into()
                }
            };
            ProjectAllocation {
                rank: 0,
                project: i,
                project_id: p.id.clone(),
                footprint_id: fp.id.clone(),
                footprint_name: fp.name.clone(),
                region: fp.region.clone(),
                title: p.title.clone(),
                category: p.category.clone(),
                fraction: p.fraction,
                amounts: p
                    .costs
                    .iter()
                    .map(|line| line.iter().map(|c| c * p.fraction).collect())
                    .collect(),
                cost,
                funded: cost * p.fraction,
                value: p.value * p.fraction,
                value_per_pound: if cost > 0.0 { p.value / cost } else { 0.0 },
                status,
                reason,
            }
        })
        .collect();
    // Ranked as the allocation ranks: funded first, each group by value per £.
    projects.sort_by(|a, b| {
        (b.fraction > 0.0)
            .cmp(&(a.fraction > 0.0))
            .then(b.value_per_pound.total_cmp(&a.value_per_pound))
            .then(a.project_id.cmp(&b.project_id))
    });
    for (r, p) in projects.iter_mut().enumerate() {
        p.rank = r + 1;
    }

    let footprints: Vec<FootprintAllocation> = spec
        .footprints
        .iter()
        .enumerate()
        .map(|(f, fp)| {
            let mine = || spec.projects.iter().filter(move |p| p.footprint == f);
            let funded: f64 = mine().map(|p| full_cost(p) * p.fraction).sum();
            let uplift: f64 = mine().map(|p| p.uplift * p.fraction).sum();
            let fair_share = total_budget * fp.population / total_population;
            FootprintAllocation {
                footprint_id: fp.id.clone(),
                name: fp.name.clone(),
                region: fp.region.clone(),
                population: fp.population,
                funded,
                per_head: funded * 1000.0 / fp.population,
                fair_share,
                share_of_fair_share: funded / fair_share,
                readiness: 50.0 + (f % 5) as f64 * 7.0,
                infrastructure: 45.0 + (f % 3) as f64 * 9.0,
                capabilities_before: fp.capabilities,
                capabilities_after: (fp.capabilities + uplift).min(100.0),
                projects_funded: mine().filter(|p| p.fraction > 0.0).count(),
            }
        })
        .collect();

    let mut budget_use = Vec::new();
    let mut rule_use = Vec::new();
    for (y, year) in years.iter().enumerate() {
        for (l, (line, amounts)) in spec.budget.iter().enumerate() {
            let used: f64 = spec
                .projects
                .iter()
                .map(|p| p.costs[l][y] * p.fraction)
                .sum();
            budget_use.push(BudgetUse {
                year: year.clone(),
                line: *line,
                budget: amounts[y],
                used,
            });
            rule_use.push(RuleUse {
                rule: format!("{line} {year} budget"),
                limit: amounts[y],
                used,
                binding: amounts[y] - used < 1e-6 * amounts[y].max(1.0),
            });
        }
    }
    rule_use.push(RuleUse {
        rule: format!("cap for footprint {}", spec.footprints[0].id),
        limit: 8000.0,
        used: footprints[0].funded,
        binding: false,
    });

    let comparison = |method: &str, description: &str, fractions: Vec<f64>| Comparison {
        method: method.into(),
        description: description.into(),
        value: spec
            .projects
            .iter()
            .zip(&fractions)
            .map(|(p, f)| p.value * f)
            .sum(),
        spent: spec
            .projects
            .iter()
            .zip(&fractions)
            .map(|(p, f)| full_cost(p) * f)
            .sum(),
        projects_funded: fractions.iter().filter(|&&f| f > 0.0).count(),
        fractions,
    };
    // Comparison fractions are aligned with the ranked projects, like the allocation's.
    let aligned = |pick: fn(&ProjectSpec) -> f64| {
        projects
            .iter()
            .map(|p| pick(&spec.projects[p.project]))
            .collect()
    };
    let comparisons = vec![
        comparison(
            "fair_share",
            "Each footprint gets its population share of the fund and funds its own bids in value-per-£ order.",
            aligned(|p| p.fair_share),
        ),
        comparison(
            "greedy",
            "Bids funded in value-per-£ order while the yearly budgets last.",
            aligned(|p| p.greedy),
        ),
    ];

    let total_value: f64 = projects.iter().map(|p| p.value).sum();
    let total_funded: f64 = projects.iter().map(|p| p.funded).sum();
    let gap = match spec.status {
        SolveStatus::Optimal => 0.0,
        SolveStatus::WithinGap => 0.0004,
        SolveStatus::TimeLimit => 0.0123,
    };
    Allocation {
        scenario,
        years,
        lines,
        value_unit: "£k of benefit (present value)".into(),
        solver: SolverReport {
            status: spec.status,
            objective: total_value,
            bound: total_value * (1.0 + gap),
            gap,
            requested_gap: 1e-3,
            time_limit_s: 60.0,
            highs_version: "1.16.0".into(),
            variables: spec.projects.len() * 2,
            constraints: spec.projects.len() + 10,
            integer_variables: spec.projects.len(),
        },
        projects,
        footprints,
        budget_use,
        rule_use,
        comparisons,
        total_value,
        total_funded,
    }
}

#[cfg(test)]
mod tests {
    use crate::report::{charts, html, xlsx};
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    fn target_dir() -> PathBuf {
        let exe = std::env::current_exe().unwrap();
        exe.ancestors()
            .nth(3)
            .map(Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir)
    }

    fn write(dir: &Path, a: &crate::allocation::Allocation) {
        let charts = charts::render_all(a).unwrap();
        std::fs::create_dir_all(dir.join("charts")).unwrap();
        for c in &charts {
            std::fs::write(dir.join("charts").join(format!("{}.svg", c.name)), &c.svg).unwrap();
            std::fs::write(dir.join("charts").join(format!("{}.png", c.name)), &c.png).unwrap();
        }
        std::fs::write(dir.join("report.html"), html::render(a, &charts)).unwrap();
        std::fs::write(
            dir.join("allocation.xlsx"),
            xlsx::render(a, &charts).unwrap(),
        )
        .unwrap();
    }

    /// Writes the sample reports under the target folder for people to look at:
    /// `cargo test --release -- --ignored write_sample_reports`.
    #[test]
    #[ignore]
    fn write_sample_reports() {
        let dir = target_dir().join("report-samples");
        write(&dir.join("small"), &super::allocation());
        write(&dir.join("real-size"), &super::synthetic(42, 1200, 5));
        write(&dir.join("hundred"), &super::synthetic(100, 1200, 5));
        eprintln!("written to {}", dir.display());
    }

    /// The reports' cost on an allocation the size of the real one (42 footprints,
    /// 1,200 projects, 5 years): `cargo test --release -- --ignored --nocapture report_timing`.
    #[test]
    #[ignore]
    fn report_timing() {
        let a = super::synthetic(42, 1200, 5);
        let _ = charts::render_all(&a).unwrap(); // fonts registered, caches warm
        for _ in 0..3 {
            let t = Instant::now();
            let charts = charts::render_all(&a).unwrap();
            let t_charts = t.elapsed();
            let t = Instant::now();
            let page = html::render(&a, &charts);
            let t_html = t.elapsed();
            let t = Instant::now();
            let book = xlsx::render(&a, &charts).unwrap();
            let t_xlsx = t.elapsed();
            eprintln!(
                "charts {:.0} ms, html {:.0} ms ({} kB), xlsx {:.0} ms ({} kB), total {:.0} ms",
                t_charts.as_secs_f64() * 1e3,
                t_html.as_secs_f64() * 1e3,
                page.len() / 1024,
                t_xlsx.as_secs_f64() * 1e3,
                book.len() / 1024,
                (t_charts + t_html + t_xlsx).as_secs_f64() * 1e3
            );
        }
    }
}
