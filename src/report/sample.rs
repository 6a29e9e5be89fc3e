//! Allocations made by hand for the report tests: a small one with hostile text in
//! every free-text field a report shows, and synthetic ones of any size for layout
//! and timing checks. Every total is derived from the projects, so the figures agree
//! with each other the way a real allocation's do.

use crate::allocation::{self, Allocation, ProgrammeSize, Solution};
use crate::domain::{BudgetLine, Dataset, FinancialYear, Footprint, Maturity, Money, Project};
use crate::scenario::{
    FundingMode, Limit, NeedPolicy, ObjectiveKind, Rules, Scenario, SolverSettings,
};
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
    /// Marked never_fund, so excluded by rule.
    pub excluded: bool,
}

pub(crate) struct Spec {
    pub name: String,
    pub years: Vec<&'static str>,
    pub budget: Vec<(BudgetLine, Vec<Money>)>,
    pub footprints: Vec<FootprintSpec>,
    pub projects: Vec<ProjectSpec>,
    /// A cap per footprint, £k.
    pub cap: Option<Money>,
    pub status: SolveStatus,
}

/// Four footprints in three regions, eight projects over two years on both lines.
pub(crate) fn allocation() -> Allocation {
    build(spec())
}

/// The same allocation appraised with the default Green Book settings.
pub(crate) fn allocation_with_appraisal() -> Allocation {
    build_with(spec(), true)
}

fn spec() -> Spec {
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
              fraction: f64| ProjectSpec {
        id: id.into(),
        footprint,
        title: title.into(),
        category: category.into(),
        costs: vec![capital.to_vec(), revenue.to_vec()],
        value,
        uplift: value / 1000.0,
        fraction,
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
            1.0,
        ),
        pr(
            "P002",
            1,
            HOSTILE_TITLES[1],
            "e-prescribing",
            [1500.0, 0.0],
            [100.0, 100.0],
            5000.0,
            1.0,
        ),
        pr(
            "P003",
            2,
            HOSTILE_TITLES[2],
            "infrastructure",
            [800.0, 400.0],
            [0.0, 0.0],
            2500.0,
            1.0,
        ),
        pr(
            "P004",
            3,
            HOSTILE_TITLES[3],
            "EPR",
            [2000.0, 2000.0],
            [0.0, 500.0],
            7000.0,
            0.5,
        ),
        pr(
            "P005",
            0,
            HOSTILE_TITLES[4],
            "<i>shared care</i>",
            [500.0, 500.0],
            [50.0, 50.0],
            2600.0,
            1.0,
        ),
        pr(
            "P006",
            1,
            "Integrated care record for Leeds & York",
            "shared care",
            [0.0, 900.0],
            [0.0, 0.0],
            1000.0,
            0.0,
        ),
        pr(
            "P007",
            3,
            "-Patient portal",
            "infrastructure",
            [300.0, 300.0],
            [0.0, 0.0],
            900.0,
            0.0,
        ),
        pr(
            "P008",
            2,
            "Telehealth pilot",
            "@telecare",
            [100.0, 200.0],
            [0.0, 0.0],
            300.0,
            0.0,
        ),
    ];
    projects[7].excluded = true;
    Spec {
        name: "Baseline <em>test</em>".into(),
        years: vec!["2017/18", "2018/19"],
        budget: vec![
            (BudgetLine::Capital, vec![7000.0, 4000.0]),
            (BudgetLine::Revenue, vec![400.0, 800.0]),
        ],
        footprints,
        projects,
        cap: Some(8000.0),
        status: SolveStatus::WithinGap,
    }
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
                excluded: next() < 0.02,
            }
        })
        .map(|mut p| {
            if p.excluded {
                p.fraction = 0.0;
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
        cap: None,
        status: SolveStatus::TimeLimit,
    })
}

/// Builds the dataset and scenario the spec describes and makes the allocation the way
/// a run does, through [`allocation::assemble`], so the fixtures cannot drift from
/// production. The spec's fractions must keep every rule; that is checked here.
pub(crate) fn build(spec: Spec) -> Allocation {
    build_with(spec, false)
}

fn build_with(spec: Spec, appraised: bool) -> Allocation {
    let years: Vec<FinancialYear> = spec
        .years
        .iter()
        .map(|y| FinancialYear::parse(y).unwrap())
        .collect();
    let footprints: Vec<Footprint> = spec
        .footprints
        .iter()
        .enumerate()
        .map(|(f, fp)| Footprint {
            id: fp.id.clone(),
            name: fp.name.clone(),
            region: fp.region.clone(),
            population: fp.population,
            weighted_population: None,
            maturity: Maturity {
                readiness: 50.0 + (f % 5) as f64 * 7.0,
                capabilities: fp.capabilities,
                infrastructure: 45.0 + (f % 3) as f64 * 9.0,
            },
        })
        .collect();
    let projects: Vec<Project> = spec
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| Project {
            id: p.id.clone(),
            footprint: p.footprint,
            title: p.title.clone(),
            category: p.category.clone(),
            benefit: p.value,
            maturity_uplift: p.uplift,
            capital: p.costs[0].clone(),
            revenue: p.costs[1].clone(),
            min_fraction: 0.0,
            requires: Vec::new(),
            exclusive_group: None,
            must_fund: false,
            never_fund: p.excluded,
            cost_outside_years: 0.0,
            match_share: 0.0,
            own_match_share: 0.0,
            may_defer: None,
            line: i as u64 + 2,
            whole_life: Default::default(),
        })
        .collect();
    let data = Dataset {
        years: years.clone(),
        footprints,
        projects,
        files: Vec::new(),
        projects_source: crate::error::Source::Csv("projects.csv".into()),
    };
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
        rules: Rules {
            footprint_cap: spec.cap.map(Limit::Amount),
            ..Rules::default()
        },
        solver: SolverSettings {
            mip_gap: 1e-3,
            time_limit_s: 60.0,
            heuristic: true,
            random_seed: 0,
        },
        resolved: String::new(),
        target: None,
        flex: Default::default(),
        uncertainty: None,
        appraisal: appraised.then(|| crate::appraisal::Settings::default_for(&years)),
        files: Vec::new(),
        holds: Vec::new(),
        alternatives: None,
        cuts: Vec::new(),
    };
    let fractions: Vec<f64> = spec.projects.iter().map(|p| p.fraction).collect();
    let broken = allocation::check(&data, &scenario, &fractions);
    assert!(broken.is_empty(), "the sample breaks rules: {broken:?}");
    // The sample moves no start.
    let value = allocation::value::total(&data, &scenario, &fractions, &[]);
    let gap = match spec.status {
        SolveStatus::Optimal => 0.0,
        SolveStatus::WithinGap => 0.0004,
        SolveStatus::TimeLimit => 0.0123,
    };
    let n = data.projects.len();
    let solution = Solution {
        columns: fractions.clone(),
        fraction_col: (0..fractions.len()).collect(),
        starts: vec![0; fractions.len()],
        moves: crate::scenario::Moves::none(scenario.years.len()),
        budget_duals: Vec::new(),
        heuristic: None,
        fractions,
        status: spec.status,
        value,
        objective: value,
        bound: value * (1.0 + gap),
        gap,
        size: ProgrammeSize {
            variables: n * 2,
            constraints: n + 10,
            integer_variables: n,
        },
    };
    allocation::assemble(&data, &scenario, &solution, &Default::default())
}
