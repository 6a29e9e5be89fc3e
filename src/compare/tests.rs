use super::read::load_report;
use super::*;
use crate::domain::BudgetLine;
use crate::error::{Error, Location};
use crate::report::compare::{csv as render_csv, markdown as render_markdown};
use crate::scenario::{FundingMode, NeedPolicy, ObjectiveKind};
use crate::solve::SolveStatus;
use std::path::{Path, PathBuf};

const ALLOCATION_HEADER: &str = "rank,project_id,footprint_id,footprint_name,title,category,status,funded_fraction,capital_2020_21,capital_2021_22,revenue_2020_21,revenue_2021_22,funded_total,full_cost,value,value_per_pound,reason";
const FOOTPRINT_HEADER: &str = "footprint_id,name,region,population,funded,per_head_gbp,fair_share,share_of_fair_share,projects_funded,readiness,infrastructure,capabilities_before,capabilities_after";

/// The reference: P1, P2 funded, P4 half funded, P3 not funded, P5 excluded.
const BASE_ALLOCATION: &str = "\
1,P1,F1,One,EPR one,EPR,funded,1.0000,100.0,50.0,0.0,10.0,160.0,160.0,300.0,1.8750,
2,P2,F1,One,Wifi,Infrastructure,funded,1.0000,40.0,0.0,0.0,0.0,40.0,40.0,100.0,2.5000,
3,P4,F2,Two,Half,EPR,partly funded,0.5000,30.0,20.0,0.0,0.0,50.0,100.0,100.0,1.0000,footprint cap for F2: £0k left
4,P3,F2,Two,Records,Shared care record,not funded,0.0000,0.0,0.0,0.0,0.0,0.0,80.0,0.0,1.5000,\"capital budget 2020/21: £0k left, needs £80k\"
5,P5,F3,Three,Support,Decision support,excluded by rule,0.0000,0.0,0.0,0.0,0.0,0.0,30.0,0.0,1.0000,marked never_fund in the bids
";
const BASE_FOOTPRINTS: [(&str, &str, f64); 3] = [
    ("F1", "One", 200.0),
    ("F2", "Two", 50.0),
    ("F3", "Three", 0.0),
];

/// The capital cut: P1 drops out, P3 comes in, P4 gets more.
const CUT_ALLOCATION: &str = "\
1,P2,F1,One,Wifi,Infrastructure,funded,1.0000,40.0,0.0,0.0,0.0,40.0,40.0,100.0,2.5000,
2,P3,F2,Two,Records,Shared care record,funded,1.0000,80.0,0.0,0.0,0.0,80.0,80.0,120.0,1.5000,
3,P4,F2,Two,Half,EPR,partly funded,0.8000,48.0,32.0,0.0,0.0,80.0,100.0,160.0,1.0000,footprint cap for F2: £0k left
4,P1,F1,One,EPR one,EPR,not funded,0.0000,0.0,0.0,0.0,0.0,0.0,160.0,0.0,1.8750,\"capital budget 2020/21: £10k left, needs £100k\"
5,P5,F3,Three,Support,Decision support,excluded by rule,0.0000,0.0,0.0,0.0,0.0,0.0,30.0,0.0,1.0000,marked never_fund in the bids
";
const CUT_FOOTPRINTS: [(&str, &str, f64); 3] = [
    ("F1", "One", 40.0),
    ("F2", "Two", 160.0),
    ("F3", "Three", 0.0),
];

const BENEFIT: &str = "£k of benefit (present value)";

struct Fake<'a> {
    scenario: &'a str,
    objective: f64,
    funded: f64,
    unit: &'a str,
    header: &'a str,
    allocation: &'a str,
    footprints: &'a [(&'a str, &'a str, f64)],
    /// run.json `objective_kind` and `need`; `None` writes a run.json from before
    /// techfund recorded them.
    measure: Option<(&'a str, &'a str)>,
    /// What run.json says of the dataset, when the test reads it again.
    dataset: Option<DataRecord>,
    /// run.json `appraisal` as JSON text, for a run that appraised.
    appraisal: Option<&'a str>,
}

/// run.json `data_dir`, `working_dir` and `inputs` (path, SHA-256).
#[derive(Clone)]
struct DataRecord {
    data_dir: String,
    working_dir: Option<String>,
    inputs: Vec<(String, String)>,
}

fn base() -> Fake<'static> {
    Fake {
        scenario: "base",
        objective: 500.0,
        funded: 250.0,
        unit: BENEFIT,
        header: ALLOCATION_HEADER,
        allocation: BASE_ALLOCATION,
        footprints: &BASE_FOOTPRINTS,
        measure: Some(("benefit", "least_mature_first")),
        dataset: None,
        appraisal: None,
    }
}

fn cut() -> Fake<'static> {
    Fake {
        scenario: "cut",
        objective: 420.0,
        funded: 200.0,
        allocation: CUT_ALLOCATION,
        footprints: &CUT_FOOTPRINTS,
        ..base()
    }
}

/// run.json as `techfund run` writes it, less what a comparison ignores. The fields
/// of the first release come first, on fixed lines, so tests can point at them.
fn run_json(f: &Fake) -> String {
    let (scenario, objective, funded, unit) = (f.scenario, f.objective, f.funded, f.unit);
    let mut json = format!(
        "{{\n  \"tool\": \"techfund\",\n  \"scenario\": \"{scenario}\",\n  \"status\": \"optimal\",\n  \"objective\": {objective:.1},\n  \"bound\": {objective:.1},\n  \"mip_gap\": 0.0,\n  \"value_unit\": \"{unit}\",\n  \"total_funded_k\": {funded:.1}"
    );
    if let Some((kind, need)) = f.measure {
        json.push_str(&format!(
            ",\n  \"objective_kind\": \"{kind}\",\n  \"need\": \"{need}\",\n  \"funding\": \"partial\",\n  \"years\": [\n    \"2020/21\",\n    \"2021/22\"\n  ],\n  \"budget_lines\": [\n    \"capital\",\n    \"revenue\"\n  ]"
        ));
    }
    if let Some(d) = &f.dataset {
        let inputs: Vec<serde_json::Value> = d
            .inputs
            .iter()
            .map(|(path, sha)| serde_json::json!({"path": path, "sha256": sha}))
            .collect();
        json.push_str(&format!(
            ",\n  \"inputs\": {},\n  \"data_dir\": {}",
            serde_json::to_string(&inputs).unwrap(),
            serde_json::to_string(&d.data_dir).unwrap()
        ));
        if let Some(w) = &d.working_dir {
            json.push_str(&format!(
                ",\n  \"working_dir\": {}",
                serde_json::to_string(w).unwrap()
            ));
        }
    }
    if let Some(a) = f.appraisal {
        json.push_str(&format!(",\n  \"appraisal\": {a}"));
    }
    json.push_str("\n}\n");
    json
}

/// Writes a report folder as `techfund run` would (same headers, CRLF endings).
fn write(dir: &Path, name: &str, f: &Fake) -> PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    let crlf = |s: &str| s.replace('\n', "\r\n");
    std::fs::write(
        d.join("allocation.csv"),
        crlf(&format!("{}\n{}", f.header, f.allocation)),
    )
    .unwrap();
    let mut fp = format!("{FOOTPRINT_HEADER}\n");
    for (id, name, funded) in f.footprints {
        fp.push_str(&format!(
            "{id},{name},Region,1000,{funded:.1},0.00,0.0,0.000,0,50.0,50.0,50.0,50.0\n"
        ));
    }
    std::fs::write(d.join("footprints.csv"), crlf(&fp)).unwrap();
    std::fs::write(d.join("run.json"), run_json(f)).unwrap();
    d
}

fn base_and_cut() -> (tempfile::TempDir, Vec<ReportView>) {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "base", &base());
    let b = write(tmp.path(), "cut", &cut());
    let views = vec![load_report(&a).unwrap(), load_report(&b).unwrap()];
    (tmp, views)
}

fn keyed(rows: &[Row]) -> Vec<(&str, Vec<f64>, f64)> {
    rows.iter()
        .map(|r| (r.key.as_str(), r.values.clone(), r.difference()))
        .collect()
}

fn cell_of(e: Error) -> (PathBuf, u64, u64, Option<String>, String) {
    match e {
        Error::Input(InputError {
            location:
                Location::Cell {
                    file,
                    line,
                    column,
                    column_name,
                },
            problem,
            ..
        }) => (file, line, column, column_name, problem),
        other => panic!("expected an input error at a cell, got {other:?}"),
    }
}

fn file_of(e: Error) -> (PathBuf, String, String) {
    match e {
        Error::Input(InputError {
            location: Location::File(file),
            problem,
            fix,
        }) => (file, problem, fix),
        other => panic!("expected an input error about a file, got {other:?}"),
    }
}

#[test]
fn reads_a_report_folder_back() {
    let (_tmp, views) = base_and_cut();
    let v = &views[0];
    assert_eq!(v.scenario, "base");
    assert_eq!(v.status, SolveStatus::Optimal);
    assert_eq!(v.objective_kind, Some(ObjectiveKind::Benefit));
    assert_eq!(v.need, Some(NeedPolicy::LeastMatureFirst));
    assert_eq!(v.funding, Some(FundingMode::Partial));
    let years: Vec<&str> = v.years.iter().flatten().map(|y| y.label()).collect();
    assert_eq!(years, ["2020/21", "2021/22"]);
    assert_eq!(
        v.budget_lines,
        Some(vec![BudgetLine::Capital, BudgetLine::Revenue])
    );
    assert_eq!(v.mip_gap, Some(0.0));
    assert_eq!((v.objective, v.total_funded), (500.0, 250.0));
    assert_eq!(v.value_unit.as_str(), BENEFIT);
    assert_eq!(v.projects.len(), 5);
    assert_eq!(
        v.projects[3],
        ProjectRow {
            project_id: "P3".into(),
            footprint_id: "F2".into(),
            title: "Records".into(),
            category: "Shared care record".into(),
            status: "not funded".into(),
            fraction: 0.0,
            funded: 0.0,
            reason: "capital budget 2020/21: £0k left, needs £80k".into(),
            start_shift: 0,
        }
    );
    let spend: Vec<_> = v
        .spend
        .iter()
        .map(|((y, l), x)| (y.as_str(), l.as_str(), *x))
        .collect();
    assert_eq!(
        spend,
        [
            ("2020/21", "capital", 170.0),
            ("2020/21", "revenue", 0.0),
            ("2021/22", "capital", 70.0),
            ("2021/22", "revenue", 10.0),
        ]
    );
}

#[test]
fn known_reports_give_exact_differences() {
    let (_tmp, views) = base_and_cut();
    let c = comparison(&views);
    assert!(c.same_objective());
    assert!(c.notes.is_empty(), "{:?}", c.notes);
    let labels: Vec<&str> = c.reports.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["base", "cut"]);
    assert_eq!(c.reports[1].value, 420.0);
    assert_eq!(c.reports[1].funded, 200.0);
    assert_eq!(
        (c.reports[0].projects_funded, c.reports[1].projects_funded),
        (3, 3)
    );

    assert_eq!(
        keyed(&c.year_lines),
        [
            ("2020/21 capital", vec![170.0, 168.0], -2.0),
            ("2020/21 revenue", vec![0.0, 0.0], 0.0),
            ("2021/22 capital", vec![70.0, 32.0], -38.0),
            ("2021/22 revenue", vec![10.0, 0.0], -10.0),
        ]
    );
    // Largest change first, ties by id.
    assert_eq!(
        keyed(&c.footprints),
        [
            ("F1", vec![200.0, 40.0], -160.0),
            ("F2", vec![50.0, 160.0], 110.0),
            ("F3", vec![0.0, 0.0], 0.0),
        ]
    );
    assert_eq!(c.footprints[1].name, "Two");
    assert_eq!(
        keyed(&c.categories),
        [
            ("EPR", vec![210.0, 80.0], -130.0),
            ("Shared care record", vec![0.0, 80.0], 80.0),
            ("Decision support", vec![0.0, 0.0], 0.0),
            ("Infrastructure", vec![40.0, 40.0], 0.0),
        ]
    );

    let moved: Vec<(&str, Vec<f64>, Vec<Movement>, f64)> = c
        .projects
        .iter()
        .map(|p| {
            (
                p.project_id.as_str(),
                p.funded(),
                p.movements(),
                p.difference(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            ("P1", vec![160.0, 0.0], vec![Movement::Out], -160.0),
            ("P3", vec![0.0, 80.0], vec![Movement::In], 80.0),
            ("P4", vec![50.0, 80.0], vec![Movement::More], 30.0),
        ]
    );
    let p1 = &c.projects[0];
    assert_eq!(p1.sides[0].as_ref().unwrap().status, "funded");
    assert_eq!(p1.sides[0].as_ref().unwrap().reason, "");
    assert_eq!(
        p1.sides[1].as_ref().unwrap().reason,
        "capital budget 2020/21: £10k left, needs £100k"
    );
    let p3 = &c.projects[1];
    assert_eq!(
        p3.sides[0].as_ref().unwrap().reason,
        "capital budget 2020/21: £0k left, needs £80k"
    );
}

#[test]
fn csv_is_one_tidy_long_table() {
    let (_tmp, views) = base_and_cut();
    let csv = String::from_utf8(render_csv(&comparison(&views))).unwrap();
    let expected = "\
section,key,base,cut,difference
total,status,optimal,optimal,
total,value_unit,£k of benefit (present value),£k of benefit (present value),
total,mip_gap_pct,0.0000,0.0000,0.0000
total,value,500.0,420.0,-80.0
total,funded,250.0,200.0,-50.0
total,projects_funded,3,3,0
year_line,2020/21 capital,170.0,168.0,-2.0
year_line,2020/21 revenue,0.0,0.0,0.0
year_line,2021/22 capital,70.0,32.0,-38.0
year_line,2021/22 revenue,10.0,0.0,-10.0
footprint,F1,200.0,40.0,-160.0
footprint,F2,50.0,160.0,110.0
footprint,F3,0.0,0.0,0.0
category,EPR,210.0,80.0,-130.0
category,Shared care record,0.0,80.0,80.0
category,Decision support,0.0,0.0,0.0
category,Infrastructure,40.0,40.0,0.0
project,P1,160.0,0.0,-160.0
project,P3,0.0,80.0,80.0
project,P4,50.0,80.0,30.0
";
    assert_eq!(csv, expected.replace('\n', "\r\n"));
}

#[test]
fn markdown_lists_moves_with_reasons() {
    let (_tmp, views) = base_and_cut();
    let md = render_markdown(&comparison(&views));
    for line in [
        "# Comparison: base vs cut",
        "| Value (£k of benefit (present value)) | 500 | 420 | -80 |",
        "| Total funded (£k) | 250 | 200 | -50 |",
        "| 2021/22 | capital | 70 | 32 | -38 |",
        "2 of 3 footprints get different money; comparison.csv has every footprint.",
        "| F2 | Two | 50 | 160 | +110 |",
        "| Shared care record | 0 | 80 | +80 |",
        "| P1 | EPR one | F1 | funded (160) | **out**: not funded | -160 | cut: capital budget 2020/21: £10k left, needs £100k |",
        "| P3 | Records | F2 | not funded | **in**: funded (80) | +80 | base: capital budget 2020/21: £0k left, needs £80k |",
        "| P4 | Half | F2 | partly funded 50% (50) | **more**: partly funded 80% (80) | +30 | base: footprint cap for F2: £0k left; cut: footprint cap for F2: £0k left |",
    ] {
        assert!(md.contains(line), "missing {line:?} in\n{md}");
    }
    // An unchanged footprint is left out of the Markdown (the CSV has it).
    assert!(!md.contains("| F3 |"), "{md}");
}

#[test]
fn markdown_cells_escape_pipes_and_csv_guards_formulas() {
    let tmp = tempfile::tempdir().unwrap();
    // The report writer guarded the formula-like title with an apostrophe.
    let hostile = BASE_ALLOCATION.replace("EPR one", "'=cmd|' /C calc'!A0");
    let a = write(
        tmp.path(),
        "a",
        &Fake {
            allocation: &hostile,
            ..base()
        },
    );
    let b = write(
        tmp.path(),
        "b",
        &Fake {
            scenario: "+cut",
            ..cut()
        },
    );
    let c = comparison(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
    assert_eq!(c.projects[0].title, "=cmd|' /C calc'!A0");
    let md = render_markdown(&c);
    assert!(md.contains("| P1 | =cmd\\|' /C calc'!A0 | F1 |"), "{md}");
    let csv = String::from_utf8(render_csv(&c)).unwrap();
    assert!(
        csv.starts_with("section,key,base,'+cut,difference\r\n"),
        "{csv}"
    );
}

#[test]
fn missing_years_footprints_and_projects_count_as_zero_and_are_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "a", &base());
    // The other report runs a year longer and has a fourth footprint and project.
    let header = ALLOCATION_HEADER.replace("revenue_2021_22,", "revenue_2021_22,capital_2022_23,");
    let mut rows = String::new();
    for line in CUT_ALLOCATION.lines() {
        let mut fields: Vec<&str> = line.splitn(13, ',').collect();
        let rest = fields.pop().unwrap();
        rows.push_str(&format!("{},0.0,{rest}\n", fields.join(",")));
    }
    rows.push_str(
        "6,P6,F4,Four,New,EPR,funded,1.0000,0.0,0.0,0.0,0.0,25.0,25.0,25.0,40.0,1.6000,\n",
    );
    let footprints = [
        ("F1", "One", 40.0),
        ("F2", "Two", 160.0),
        ("F3", "Three", 0.0),
        ("F4", "Four", 25.0),
    ];
    let b = write(
        tmp.path(),
        "b",
        &Fake {
            header: &header,
            allocation: &rows,
            footprints: &footprints,
            funded: 225.0,
            ..cut()
        },
    );
    let c = comparison(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
    assert_eq!(
        keyed(&c.year_lines),
        [
            ("2020/21 capital", vec![170.0, 168.0], -2.0),
            ("2020/21 revenue", vec![0.0, 0.0], 0.0),
            ("2021/22 capital", vec![70.0, 32.0], -38.0),
            ("2021/22 revenue", vec![10.0, 0.0], -10.0),
            ("2022/23 capital", vec![0.0, 25.0], 25.0),
        ]
    );
    assert_eq!(c.footprints[2].key, "F4");
    assert_eq!(c.footprints[2].values, [0.0, 25.0]);
    let p6 = c.projects.iter().find(|p| p.project_id == "P6").unwrap();
    assert_eq!(p6.sides[0], None);
    assert_eq!(p6.movements(), [Movement::In]);
    assert_eq!(
        c.notes,
        [
            "base has no financial year and budget line 2022/23 capital; it counts as 0 there.",
            "base has no footprint F4; it counts as 0 there.",
            "base has no project P6; it counts as not funded there.",
        ]
    );
    let md = render_markdown(&c);
    assert!(md.contains("- base has no footprint F4; it counts as 0 there."));
    assert!(md.contains("| P6 | New | F4 | not in this report | **in**: funded (25) | +25 | base: not among its projects |"), "{md}");
}

#[test]
fn an_unproven_solve_is_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "a", &base());
    let b = write(tmp.path(), "b", &cut());
    let json = std::fs::read_to_string(b.join("run.json")).unwrap();
    std::fs::write(
        b.join("run.json"),
        json.replace("\"optimal\"", "\"time_limit\"")
            .replace("\"mip_gap\": 0.0", "\"mip_gap\": null"),
    )
    .unwrap();
    let c = comparison(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
    assert_eq!(c.reports[1].mip_gap, None);
    assert_eq!(
        c.notes,
        ["cut was not solved to proven optimality (status time limit), so part of its difference may come from the solver rather than the scenario."]
    );
    let md = render_markdown(&c);
    assert!(
        md.contains("| Solver status | optimal | time limit |  |"),
        "{md}"
    );
    assert!(md.contains("| MIP gap | 0.0000% | no bound |  |"), "{md}");
    let csv = String::from_utf8(render_csv(&c)).unwrap();
    assert!(csv.contains("total,mip_gap_pct,0.0000,,\r\n"), "{csv}");
}

#[test]
fn values_in_different_units_are_not_subtracted() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "a", &base());
    let b = write(
        tmp.path(),
        "b",
        &Fake {
            unit: "need-weighted person-points",
            ..cut()
        },
    );
    let c = comparison(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
    assert!(!c.same_objective());
    assert_eq!(
        c.notes,
        ["cut's value is not comparable with base's: its value is in need-weighted person-points, the reference's in £k of benefit (present value). Its own value is shown and no difference in value is given."]
    );
    let csv = String::from_utf8(render_csv(&c)).unwrap();
    assert!(csv.contains("total,value,500.0,420.0,\r\n"), "{csv}");
    assert!(
        csv.contains("total,value_under_reference,500.0,,\r\n"),
        "{csv}"
    );
    let md = render_markdown(&c);
    for line in [
        "| Value as maximised | 500 £k of benefit (present value) | 420 need-weighted person-points |  |",
        "| Value under base's objective (£k of benefit (present value)) | 500 | not comparable | not comparable |",
    ] {
        assert!(md.contains(line), "missing {line:?} in\n{md}");
    }
}

#[test]
fn with_three_reports_the_difference_is_the_largest_change() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "a", &base());
    let b = write(tmp.path(), "b", &cut());
    let footprints = [
        ("F1", "One", 230.0),
        ("F2", "Two", 50.0),
        ("F3", "Three", 0.0),
    ];
    let d = write(
        tmp.path(),
        "d",
        &Fake {
            scenario: "cut",
            footprints: &footprints,
            ..cut()
        },
    );
    let c = comparison(&[
        load_report(&a).unwrap(),
        load_report(&b).unwrap(),
        load_report(&d).unwrap(),
    ]);
    // Two reports share a scenario name, so their columns carry their positions.
    let labels: Vec<&str> = c.reports.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["base", "cut (2)", "cut (3)"]);
    let f1 = c.footprints.iter().find(|r| r.key == "F1").unwrap();
    assert_eq!(f1.changes(), [-160.0, 30.0]);
    assert_eq!(f1.difference(), -160.0);
    let f2 = c.footprints.iter().find(|r| r.key == "F2").unwrap();
    assert_eq!(f2.changes(), [110.0, 0.0]);
    assert_eq!(f2.difference(), 110.0);
    let md = render_markdown(&c);
    assert!(
        md.contains("| Footprint | Name | base | cut (2) | cut (3) | Δ cut (2) | Δ cut (3) |"),
        "{md}"
    );
    assert!(
        md.contains("| F1 | One | 200 | 40 | 230 | -160 | +30 |"),
        "{md}"
    );
}

#[test]
fn long_project_lists_show_the_50_largest_and_a_count() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut before, mut after) = (String::new(), String::new());
    for i in 1..=60 {
        let cost = i as f64 * 10.0;
        before.push_str(&format!("{i},Q{i:02},F1,One,Bid {i},EPR,funded,1.0000,{cost:.1},0.0,0.0,0.0,{cost:.1},{cost:.1},{cost:.1},1.0000,\n"));
        after.push_str(&format!("{i},Q{i:02},F1,One,Bid {i},EPR,not funded,0.0000,0.0,0.0,0.0,0.0,0.0,{cost:.1},0.0,1.0000,budget\n"));
    }
    let a = write(
        tmp.path(),
        "a",
        &Fake {
            allocation: &before,
            ..base()
        },
    );
    let b = write(
        tmp.path(),
        "b",
        &Fake {
            allocation: &after,
            ..cut()
        },
    );
    let c = comparison(&[load_report(&a).unwrap(), load_report(&b).unwrap()]);
    assert_eq!(c.projects.len(), 60);
    assert_eq!(c.projects[0].project_id, "Q60");
    let md = render_markdown(&c);
    assert!(md.contains("| Q11 | Bid 11 |"));
    assert!(!md.contains("| Q10 | Bid 10 |"));
    assert!(md.contains("…and 10 more in comparison.csv."), "{md}");
    let csv = String::from_utf8(render_csv(&c)).unwrap();
    assert!(csv.contains("project,Q01,10.0,0.0,-10.0\r\n"));
}

#[test]
fn compare_writes_three_files_and_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "a", &base());
    let b = write(tmp.path(), "b", &cut());
    let reports = [a, b];
    for out in ["out1", "out2"] {
        run(&reports, &tmp.path().join(out)).unwrap();
    }
    for name in [
        "comparison.md",
        "comparison.csv",
        "comparison.svg",
        "comparison.png",
    ] {
        let one = std::fs::read(tmp.path().join("out1").join(name)).unwrap();
        let two = std::fs::read(tmp.path().join("out2").join(name)).unwrap();
        assert!(!one.is_empty(), "{name}");
        assert_eq!(one, two, "{name}");
    }
    let svg = std::fs::read_to_string(tmp.path().join("out1/comparison.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    // The report names label the bars and the footprint names the rows.
    for text in [">\nbase\n<", ">\ncut\n<", ">\nOne\n<"] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    // Rerunning into the same folder replaces the comparison.
    run(&reports, &tmp.path().join("out1")).unwrap();
}

#[test]
fn fewer_than_two_reports_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "a", &base());
    let e = run(std::slice::from_ref(&a), &tmp.path().join("out")).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let (file, problem, _) = file_of(e);
    assert_eq!(file, a);
    assert!(
        problem.contains("at least two report folders, got 1"),
        "{problem}"
    );
    assert!(run(&[], &tmp.path().join("out")).is_err());
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn an_output_folder_holding_the_reports_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "a", &base());
    let b = write(tmp.path(), "b", &cut());
    let (file, problem, _) = file_of(run(&[a.clone(), b], tmp.path()).unwrap_err());
    assert_eq!(file, tmp.path());
    assert!(problem.contains("holds the report folder"), "{problem}");
    assert!(a.join("allocation.csv").exists());
}

#[test]
fn a_missing_folder_or_file_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (file, problem, fix) = file_of(load_report(&tmp.path().join("nope")).unwrap_err());
    assert_eq!(file, tmp.path().join("nope"));
    assert!(problem.contains("no report folder"), "{problem}");
    assert!(fix.contains("techfund run"), "{fix}");

    for name in ["run.json", "allocation.csv", "footprints.csv"] {
        let d = write(tmp.path(), name, &base());
        std::fs::remove_file(d.join(name)).unwrap();
        let (file, problem, fix) = file_of(load_report(&d).unwrap_err());
        assert_eq!(file, d.join(name));
        assert!(problem.starts_with("cannot read the file"), "{problem}");
        assert!(fix.contains("re-run `techfund run"), "{fix}");
    }
}

#[test]
fn a_missing_column_is_named_at_the_header() {
    let tmp = tempfile::tempdir().unwrap();
    let header = ALLOCATION_HEADER.replace(",reason", "");
    // Every row of the base fixture has 17 fields; keep the first 16.
    let rows: String = BASE_ALLOCATION
        .lines()
        .map(|l| {
            format!(
                "{}\n",
                l.splitn(17, ',').take(16).collect::<Vec<_>>().join(",")
            )
        })
        .collect();
    let d = write(
        tmp.path(),
        "a",
        &Fake {
            header: &header,
            allocation: &rows,
            ..base()
        },
    );
    let (file, line, column, name, problem) = cell_of(load_report(&d).unwrap_err());
    assert_eq!(file, d.join("allocation.csv"));
    assert_eq!((line, column), (1, 17));
    assert_eq!(name.as_deref(), Some("reason"));
    assert_eq!(problem, "the header has no `reason` column");
}

#[test]
fn a_bad_number_is_named_by_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = BASE_ALLOCATION.replace("0.0,40.0,40.0,100.0", "0.0,forty,40.0,100.0");
    let d = write(
        tmp.path(),
        "a",
        &Fake {
            allocation: &rows,
            ..base()
        },
    );
    let e = load_report(&d).unwrap_err();
    let message = e.to_string();
    let (file, line, column, name, problem) = cell_of(e);
    assert_eq!(file, d.join("allocation.csv"));
    assert_eq!((line, column), (3, 13));
    assert_eq!(name.as_deref(), Some("funded_total"));
    assert_eq!(problem, "`forty` is not a number");
    assert!(
        message.contains("allocation.csv:3:13 (`funded_total`)"),
        "{message}"
    );

    // The same in footprints.csv, and in a money column.
    let d = write(tmp.path(), "b", &base());
    let fp = std::fs::read_to_string(d.join("footprints.csv")).unwrap();
    std::fs::write(
        d.join("footprints.csv"),
        fp.replace("Two,Region,1000,50.0", "Two,Region,1000,n/a"),
    )
    .unwrap();
    let (_, line, column, name, _) = cell_of(load_report(&d).unwrap_err());
    assert_eq!((line, column, name.as_deref()), (3, 5, Some("funded")));

    let rows = BASE_ALLOCATION.replace("1.0000,100.0,50.0", "1.0000,100.0,x");
    let d = write(
        tmp.path(),
        "c",
        &Fake {
            allocation: &rows,
            ..base()
        },
    );
    let (_, line, column, name, _) = cell_of(load_report(&d).unwrap_err());
    assert_eq!(
        (line, column, name.as_deref()),
        (2, 10, Some("capital_2021_22"))
    );
}

/// Regression: the csv crate counts lines one short after CRLF (rust-csv#395).
#[test]
fn line_numbers_are_right_for_lf_and_crlf_files() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = BASE_ALLOCATION.replace(
        "P3,F2,Two,Records,Shared care record,not funded,0.0000",
        "P3,F2,Two,Records,Shared care record,not funded,zero",
    );
    let d = write(
        tmp.path(),
        "a",
        &Fake {
            allocation: &rows,
            ..base()
        },
    );
    let crlf = std::fs::read_to_string(d.join("allocation.csv")).unwrap();
    assert!(crlf.contains("\r\n"));
    for text in [crlf.clone(), crlf.replace("\r\n", "\n")] {
        std::fs::write(d.join("allocation.csv"), text).unwrap();
        let (_, line, column, name, _) = cell_of(load_report(&d).unwrap_err());
        assert_eq!(
            (line, column, name.as_deref()),
            (5, 8, Some("funded_fraction"))
        );
    }
}

#[test]
fn short_rows_and_repeated_projects_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = BASE_ALLOCATION.replace(",marked never_fund in the bids", "");
    let d = write(
        tmp.path(),
        "a",
        &Fake {
            allocation: &rows,
            ..base()
        },
    );
    let (_, line, column, _, problem) = cell_of(load_report(&d).unwrap_err());
    assert_eq!((line, column), (6, 17));
    assert_eq!(problem, "this row has 16 fields but the header has 17");

    let rows = BASE_ALLOCATION.replace("2,P2,", "2,P1,");
    let d = write(
        tmp.path(),
        "b",
        &Fake {
            allocation: &rows,
            ..base()
        },
    );
    let (_, line, column, name, problem) = cell_of(load_report(&d).unwrap_err());
    assert_eq!((line, column, name.as_deref()), (3, 2, Some("project_id")));
    assert_eq!(problem, "`P1` appears twice (lines 2 and 3)");
}

#[test]
fn a_bad_run_json_is_named_by_line_column_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = write(tmp.path(), "a", &base());
    let json = run_json(&base());
    std::fs::write(
        d.join("run.json"),
        json.replace("\"objective\": 500.0", "\"objective\": \"lots\""),
    )
    .unwrap();
    let (file, line, column, name, problem) = cell_of(load_report(&d).unwrap_err());
    assert_eq!(file, d.join("run.json"));
    assert_eq!(line, 5);
    assert!(column > 14, "{column}");
    assert_eq!(name.as_deref(), Some("objective"));
    assert!(problem.contains("invalid type"), "{problem}");
    assert!(!problem.contains("at line"), "{problem}");

    std::fs::write(
        d.join("run.json"),
        json.replace("  \"value_unit\": \"£k of benefit (present value)\",\n", ""),
    )
    .unwrap();
    let (_, _, _, name, problem) = cell_of(load_report(&d).unwrap_err());
    assert_eq!(name.as_deref(), Some("value_unit"));
    assert_eq!(problem, "cannot read run.json: missing field `value_unit`");
}

#[test]
fn a_run_json_from_before_the_objective_was_recorded_still_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let d = write(
        tmp.path(),
        "old",
        &Fake {
            measure: None,
            ..base()
        },
    );
    let v = load_report(&d).unwrap();
    assert_eq!((v.objective, v.status), (500.0, SolveStatus::Optimal));
    assert_eq!((v.objective_kind, v.need, v.funding), (None, None, None));
    assert_eq!((v.years, v.budget_lines), (None, None));
    assert!(v.inputs.is_empty());
    assert_eq!((v.data_dir, v.working_dir), (None, None));
}

#[test]
fn wrong_values_in_run_json_are_named_by_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = write(tmp.path(), "a", &base());
    let json = run_json(&base());
    for (from, to, key, problem) in [
        (
            "\"status\": \"optimal\"",
            "\"status\": \"finished\"",
            "status",
            "unknown variant `finished`, expected one of `optimal`, `within_gap`, `time_limit`",
        ),
        (
            "\"need\": \"least_mature_first\"",
            "\"need\": 3",
            "need",
            "invalid type: integer `3`, expected a string",
        ),
        (
            "\"objective_kind\": \"benefit\"",
            "\"objective_kind\": \"profit\"",
            "objective_kind",
            "unknown variant `profit`",
        ),
        // serde names the end of a list, a line below the key.
        (
            "\"2021/22\"",
            "\"2021/23\"",
            "years",
            "`2021/23` is not a financial year",
        ),
        (
            "\"revenue\"\n",
            "\"resource\"\n",
            "budget_lines",
            "unknown budget line `resource`",
        ),
    ] {
        assert!(json.contains(from), "{from}");
        std::fs::write(d.join("run.json"), json.replace(from, to)).unwrap();
        let e = load_report(&d).unwrap_err();
        let message = e.to_string();
        let (file, line, _, name, got) = cell_of(e);
        assert_eq!(file, d.join("run.json"));
        assert_eq!(
            name.as_deref(),
            Some(key),
            "{got} in {}",
            json.replace(from, to)
        );
        assert!(
            got.contains(problem),
            "{key}: {got} in {}",
            json.replace(from, to)
        );
        let at = json
            .lines()
            .position(|l| l.contains(to.trim()))
            .unwrap_or(0) as u64
            + 1;
        assert!(line >= at, "{key}: line {line} before {at}");
        assert!(message.contains("re-run `techfund run"), "{message}");
    }
}

#[test]
fn a_missing_essential_field_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = write(tmp.path(), "a", &base());
    let json = run_json(&base());
    std::fs::write(
        d.join("run.json"),
        json.replace("  \"status\": \"optimal\",\n", ""),
    )
    .unwrap();
    let e = load_report(&d).unwrap_err();
    let message = e.to_string();
    let (_, _, _, name, problem) = cell_of(e);
    assert_eq!(name.as_deref(), Some("status"));
    assert_eq!(problem, "cannot read run.json: missing field `status`");
    assert!(
        message.contains("a comparison needs `scenario`, `status`"),
        "{message}"
    );
}

#[test]
fn status_names_are_the_ones_run_json_uses() {
    for s in [
        SolveStatus::Optimal,
        SolveStatus::WithinGap,
        SolveStatus::TimeLimit,
    ] {
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
    }
}

// ---------------------------------------------------------------------------------
// Values measured under different objectives

/// A dataset the fixture allocations can be scored on. Point values (need weight ×
/// population): least mature first F1 0.6 × 1,000 = 600, F2 0.3 × 2,000 = 600; by
/// readiness F1 0.8 × 1,000 = 800, F2 0.3 × 2,000 = 600. Headroom F1 60, F2 30.
const DATA_FOOTPRINTS: &str = "\
footprint_id,name,region,population,readiness,capabilities,infrastructure
F1,One,North,1000,80,40,50
F2,Two,South,2000,30,70,50
F3,Three,East,500,50,50,50
";
const DATA_PROJECTS: &str = "\
project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2020_21,capital_2021_22,revenue_2020_21,revenue_2021_22,min_fraction,requires,exclusive_group,must_fund,never_fund
P1,F1,EPR one,EPR,300,10,100,50,0,10,0,,,,
P2,F1,Wifi,Infrastructure,100,5,40,0,0,0,0,,,,
P3,F2,Records,Shared care record,120,8,80,0,0,0,0,,,,
P4,F2,Half,EPR,200,20,60,40,0,0,0,,,,
P5,F3,Support,Decision support,30,5,30,0,0,0,0,,,,yes
";
/// Base funds P1, P2 and half of P4: F1 gains 15, F2 10.
const BASE_LEAST_MATURE: f64 = 15.0 * 600.0 + 10.0 * 600.0;
/// Cut funds P2, P3 and 0.8 of P4: F1 gains 5, F2 8 + 16 = 24.
const CUT_LEAST_MATURE: f64 = 5.0 * 600.0 + 24.0 * 600.0;
const CUT_READINESS: f64 = 5.0 * 800.0 + 24.0 * 600.0;
const POINTS: &str = "need-weighted person-points";

/// Writes the dataset into `<run_dir>/data` and says so as `techfund run` started in
/// `run_dir` would: paths relative to where the run started.
fn write_dataset(run_dir: &Path) -> DataRecord {
    std::fs::create_dir_all(run_dir.join("data")).unwrap();
    let mut inputs = Vec::new();
    for (name, text) in [
        ("footprints.csv", DATA_FOOTPRINTS),
        ("projects.csv", DATA_PROJECTS),
    ] {
        std::fs::write(run_dir.join("data").join(name), text).unwrap();
        inputs.push((
            format!("data/{name}"),
            crate::dataset::sha256_hex(text.as_bytes()),
        ));
    }
    DataRecord {
        data_dir: "data".into(),
        working_dir: Some(run_dir.display().to_string()),
        inputs,
    }
}

/// The reference: base, maximising maturity weighted least mature first.
fn least_mature_base(data: &DataRecord) -> Fake<'static> {
    Fake {
        objective: BASE_LEAST_MATURE,
        unit: POINTS,
        measure: Some(("maturity", "least_mature_first")),
        dataset: Some(data.clone()),
        ..base()
    }
}

/// cut, maximising maturity weighted by readiness.
fn readiness_cut() -> Fake<'static> {
    Fake {
        objective: CUT_READINESS,
        unit: POINTS,
        measure: Some(("maturity", "readiness_led")),
        ..cut()
    }
}

fn compare_two(tmp: &Path, a: &Fake, b: &Fake) -> Comparison {
    let a = write(tmp, "base", a);
    let b = write(tmp, "cut", b);
    comparison(&[load_report(&a).unwrap(), load_report(&b).unwrap()])
}

#[test]
fn the_same_objective_subtracts_values_as_they_stand() {
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    let same = Fake {
        objective: 16000.0,
        measure: Some(("maturity", "least_mature_first")),
        ..readiness_cut()
    };
    let c = compare_two(tmp.path(), &least_mature_base(&data), &same);
    assert!(c.same_objective());
    assert_eq!(c.reports[1].value_under_reference(), Some(16000.0));
    let md = render_markdown(&c);
    assert!(
        md.contains("| Value (need-weighted person-points) | 15,000 | 16,000 | +1,000 |"),
        "{md}"
    );
    let csv = String::from_utf8(render_csv(&c)).unwrap();
    assert!(
        csv.contains("total,value,15000.0,16000.0,1000.0\r\n"),
        "{csv}"
    );
    assert!(!csv.contains("value_under_reference"), "{csv}");

    // Benefit does not depend on the need policy, so two benefit runs subtract even
    // where their (unused) need policies differ.
    let b = Fake {
        measure: Some(("benefit", "readiness_led")),
        ..cut()
    };
    let c = compare_two(tmp.path(), &base(), &b);
    assert!(c.same_objective());
}

#[test]
fn a_different_need_policy_is_scored_by_the_reference_objective() {
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    let c = compare_two(tmp.path(), &least_mature_base(&data), &readiness_cut());
    assert!(!c.same_objective());
    assert_eq!(c.reports[0].basis, ValueBasis::Own);
    assert_eq!(
        c.reports[1].basis,
        ValueBasis::UnderReference(CUT_LEAST_MATURE)
    );

    // The same number as allocation::value::total gives for cut's fractions under the
    // reference's scenario.
    let scenario = crate::scenario::Scenario::parse(
        &tmp.path().join("base.toml"),
        "name = \"base\"\ndata = \"data\"\nyears = [\"2020/21\", \"2021/22\"]\n[budget]\ncapital = [1000, 1000]\n[objective]\nkind = \"maturity\"\nneed = \"least_mature_first\"\n[funding]\nmode = \"all_or_nothing\"\n",
    )
    .unwrap();
    let years = scenario.years.clone();
    let dataset = crate::dataset::load(&tmp.path().join("data"), &years).unwrap();
    let fractions: Vec<f64> = dataset
        .projects
        .iter()
        .map(|p| match p.id.as_str() {
            "P2" | "P3" => 1.0,
            "P4" => 0.8,
            _ => 0.0,
        })
        .collect();
    let total = crate::allocation::value::total(&dataset, &scenario, &fractions, &[]);
    assert_eq!(c.reports[1].value_under_reference(), Some(total));
    assert!((total - CUT_LEAST_MATURE).abs() < 1e-6, "{total}");

    assert_eq!(
        c.notes,
        ["cut maximised maturity weighted by readiness, base maturity weighted least mature first, so their own values measure different things. cut's value under base's objective is its allocation (allocation.csv) scored by base's objective on base's dataset, unchanged since base was run; its difference in value is taken from that."]
    );
    let md = render_markdown(&c);
    for line in [
        "| Objective | maturity weighted least mature first | maturity weighted by readiness |  |",
        "| Value as maximised | 15,000 need-weighted person-points | 18,400 need-weighted person-points |  |",
        "| Value under base's objective (need-weighted person-points) | 15,000 | 17,400 | +2,400 |",
    ] {
        assert!(md.contains(line), "missing {line:?} in\n{md}");
    }
    // Readiness-weighted points are never subtracted from least-mature-first ones.
    assert!(!md.contains("+3,400"), "{md}");
    let csv = String::from_utf8(render_csv(&c)).unwrap();
    for line in [
        "total,value,15000.0,18400.0,\r\n",
        "total,objective,maturity/least_mature_first,maturity/readiness_led,\r\n",
        "total,value_basis,reference,evaluated under the reference's objective,\r\n",
        "total,value_under_reference,15000.0,17400.0,2400.0\r\n",
    ] {
        assert!(csv.contains(line), "missing {line:?} in\n{csv}");
    }

    // A benefit run is scored the same way; the dataset is found through working_dir
    // whatever folder the comparison runs in.
    let benefit = Fake {
        objective: 9999.0,
        unit: BENEFIT,
        measure: Some(("benefit", "least_mature_first")),
        ..cut()
    };
    let c = compare_two(tmp.path(), &least_mature_base(&data), &benefit);
    assert_eq!(
        c.reports[1].basis,
        ValueBasis::UnderReference(CUT_LEAST_MATURE)
    );
}

/// Asserts the second report's value is not comparable, for a reason containing `why`,
/// and that no difference in value is shown anywhere.
fn assert_not_comparable(c: &Comparison, why: &str) {
    match &c.reports[1].basis {
        ValueBasis::NotComparable(reason) => assert!(reason.contains(why), "{reason}"),
        other => panic!("expected not comparable ({why}), got {other:?}"),
    }
    assert!(
        c.notes[0].starts_with("cut's value is not comparable with base's: ")
            && c.notes[0].contains(why)
            && c.notes[0].ends_with("Its own value is shown and no difference in value is given."),
        "{:?}",
        c.notes
    );
    let md = render_markdown(c);
    assert!(
        md.contains("| Value under base's objective (need-weighted person-points) | 15,000 | not comparable | not comparable |"),
        "{md}"
    );
    let csv = String::from_utf8(render_csv(c)).unwrap();
    assert!(csv.contains("total,value,15000.0,18400.0,\r\n"), "{csv}");
    assert!(
        csv.contains("total,value_under_reference,15000.0,,\r\n"),
        "{csv}"
    );
    let basis = csv
        .lines()
        .find(|l| l.starts_with("total,value_basis,reference,"))
        .unwrap_or_else(|| panic!("no value_basis row in\n{csv}"));
    assert!(
        basis.contains("not comparable: ") && basis.contains(why),
        "{basis}"
    );
}

#[test]
fn values_are_not_comparable_when_the_reference_data_is_gone_or_changed() {
    // Changed since the run.
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    std::fs::write(
        tmp.path().join("data/projects.csv"),
        DATA_PROJECTS.replace(
            "P3,F2,Records,Shared care record,120,8",
            "P3,F2,Records,Shared care record,120,9",
        ),
    )
    .unwrap();
    let c = compare_two(tmp.path(), &least_mature_base(&data), &readiness_cut());
    assert_not_comparable(&c, "projects.csv has changed since the reference was run");

    // Moved away.
    std::fs::remove_dir_all(tmp.path().join("data")).unwrap();
    let c = compare_two(tmp.path(), &least_mature_base(&data), &readiness_cut());
    assert_not_comparable(&c, "footprints.csv cannot be read");

    // A run.json that does not list the dataset's files.
    let data = write_dataset(tmp.path());
    let unlisted = DataRecord {
        inputs: Vec::new(),
        ..data.clone()
    };
    let c = compare_two(tmp.path(), &least_mature_base(&unlisted), &readiness_cut());
    assert_not_comparable(&c, "does not list its dataset file data/footprints.csv");

    // An older reference run.json that does not say where its dataset was.
    let older = Fake {
        dataset: None,
        ..least_mature_base(&data)
    };
    let c = compare_two(tmp.path(), &older, &readiness_cut());
    assert_not_comparable(&c, "does not record its dataset folder and years");

    // The reference's recorded value is not what its allocation scores on this data.
    let wrong = Fake {
        objective: 15500.0,
        ..least_mature_base(&data)
    };
    let c = compare_two(tmp.path(), &wrong, &readiness_cut());
    match &c.reports[1].basis {
        ValueBasis::NotComparable(reason) => {
            assert!(
                reason.contains("scores 15000 on its dataset read again, not the 15500"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }

    // The data is fine again: scored.
    let c = compare_two(tmp.path(), &least_mature_base(&data), &readiness_cut());
    assert_eq!(
        c.reports[1].basis,
        ValueBasis::UnderReference(CUT_LEAST_MATURE)
    );
}

#[test]
fn values_are_not_comparable_for_projects_the_reference_data_lacks() {
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    let renamed = CUT_ALLOCATION.replace("2,P3,F2", "2,P9,F2");
    let cut = Fake {
        allocation: &renamed,
        ..readiness_cut()
    };
    let c = compare_two(tmp.path(), &least_mature_base(&data), &cut);
    assert_not_comparable(
        &c,
        "funds project(s) P9 that the reference's dataset does not have",
    );

    let moved = CUT_ALLOCATION.replace("2,P3,F2", "2,P3,F1");
    let cut = Fake {
        allocation: &moved,
        ..readiness_cut()
    };
    let c = compare_two(tmp.path(), &least_mature_base(&data), &cut);
    assert_not_comparable(&c, "funds project(s) P3 in another footprint");
}

#[test]
fn values_are_not_comparable_when_run_json_does_not_say_what_was_maximised() {
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    let older = Fake {
        measure: None,
        ..readiness_cut()
    };
    let c = compare_two(tmp.path(), &least_mature_base(&data), &older);
    assert_not_comparable(
        &c,
        "its run.json does not record which objective and need policy it maximised",
    );
    // Nothing to score, so the reference's dataset is not read.
    assert!(!super::diff::needs_reference_data(&[
        load_report(&tmp.path().join("base")).unwrap(),
        load_report(&tmp.path().join("cut")).unwrap(),
    ]));
}

#[test]
fn no_reports_line_up_as_nothing() {
    let c = comparison(&[]);
    assert!(c.reports.is_empty() && c.notes.is_empty() && c.projects.is_empty());
}

// ---------------------------------------------------------------------------------
// Net present social value

/// Appraisal settings a hand can follow: 25% a year (factors 1, 0.8, 0.64 for years
/// 0–2 from 2020/21), +50% optimism bias on capital, no duration bias.
const FLAT_25: &str = r#"{"period": 3, "base_year": "2020/21", "schedule": {"steps": [[0, 0.25]]}, "optimism_bias": 0.5, "by_category": [], "in_budget": false, "duration_bias": 0.0, "duration_by_category": []}"#;

/// NPSV of each bid under FLAT_25 (DATA_PROJECTS gives only `benefit`, a present value
/// at the start; costs are capital × 1.5 plus revenue, year 1 at 0.8):
/// P1 300 − (150 + (75 + 10) × 0.8 = 218) = 82; P2 100 − 60 = 40; P3 120 − 120 = 0;
/// P4 200 − (90 + 60 × 0.8 = 138) = 62.
/// Base funds P1, P2 and half of P4: 82 + 40 + 31 = 153.
const BASE_NPSV: f64 = 153.0;
/// Cut funds P2, P3 and 0.8 of P4: 40 + 0 + 49.6 = 89.6.
const CUT_NPSV: f64 = 89.6;

fn npv_base(data: &DataRecord) -> Fake<'static> {
    Fake {
        objective: BASE_NPSV,
        unit: "£k of net present social value",
        measure: Some(("npv", "least_mature_first")),
        dataset: Some(data.clone()),
        appraisal: Some(FLAT_25),
        ..base()
    }
}

fn close_to(v: Option<f64>, want: f64) {
    let v = v.expect("a value under the reference");
    assert!((v - want).abs() < 1e-9, "{v} is not {want}");
}

#[test]
fn an_npv_reference_rescores_a_benefit_report_as_its_npsv() {
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    let c = compare_two(tmp.path(), &npv_base(&data), &cut());
    assert_eq!(c.reports[0].basis, ValueBasis::Own);
    close_to(c.reports[1].value_under_reference(), CUT_NPSV);
    assert!(
        c.notes[0].starts_with("cut maximised benefit (£k, present value), base net present social value (£k, Green Book)"),
        "{:?}",
        c.notes
    );
    let md = render_markdown(&c);
    assert!(
        md.contains(
            "| Value under base's objective (£k of net present social value) | 153 | 90 | -63 |"
        ),
        "{md}"
    );

    // A bid that started later is appraised from its start: P4 a year late has costs
    // 90 × 0.8 + 60 × 0.64 = 110.4 and benefit 200 × 0.8 = 160, NPSV 49.6, so cut is
    // worth 40 + 0.8 × 49.6 = 79.68.
    let shifted_rows: String = CUT_ALLOCATION
        .lines()
        .map(|l| format!("{l},{}\n", u8::from(l.starts_with("3,P4"))))
        .collect();
    let header = format!("{ALLOCATION_HEADER},start_shift");
    let shifted = Fake {
        header: &header,
        allocation: &shifted_rows,
        ..cut()
    };
    let c = compare_two(tmp.path(), &npv_base(&data), &shifted);
    close_to(c.reports[1].value_under_reference(), 79.68);

    // Another npv run at other settings measures another NPSV: re-scored too, under
    // the reference's settings (cut's own 25% are not used).
    let other = Fake {
        objective: 1.0,
        unit: "£k of net present social value",
        measure: Some(("npv", "least_mature_first")),
        appraisal: Some(&FLAT_25.replace("0.25", "0.035")),
        ..cut()
    };
    let c = compare_two(tmp.path(), &npv_base(&data), &other);
    close_to(c.reports[1].value_under_reference(), CUT_NPSV);
    // At the same settings the values subtract as they stand.
    let same = Fake {
        appraisal: Some(FLAT_25),
        ..other
    };
    let c = compare_two(tmp.path(), &npv_base(&data), &same);
    assert!(c.same_objective());
    assert_eq!(c.reports[1].value_under_reference(), Some(1.0));
}

#[test]
fn a_benefit_reference_rescores_an_npv_report_as_other_kinds() {
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    let reference = Fake {
        dataset: Some(data.clone()),
        ..base()
    };
    let npv_cut = Fake {
        objective: CUT_NPSV,
        unit: "£k of net present social value",
        measure: Some(("npv", "least_mature_first")),
        appraisal: Some(FLAT_25),
        ..cut()
    };
    let c = compare_two(tmp.path(), &reference, &npv_cut);
    // Cut's benefit: P2 100 + P3 120 + 0.8 × P4 200 = 380.
    close_to(c.reports[1].value_under_reference(), 380.0);
}

#[test]
fn an_npv_run_json_without_its_appraisal_settings_is_not_comparable() {
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    let older = Fake {
        appraisal: None,
        ..npv_base(&data)
    };
    let c = compare_two(tmp.path(), &older, &cut());
    match &c.reports[1].basis {
        ValueBasis::NotComparable(why) => assert!(
            why.starts_with("the reference's run.json does not record the appraisal settings"),
            "{why}"
        ),
        other => panic!("expected not comparable, got {other:?}"),
    }
    // The reference's recorded NPSV must be what its allocation scores.
    let wrong = Fake {
        objective: 150.0,
        ..npv_base(&data)
    };
    let c = compare_two(tmp.path(), &wrong, &cut());
    match &c.reports[1].basis {
        ValueBasis::NotComparable(why) => assert!(
            why.contains("scores an NPSV of 153 on its dataset read again, not the 150"),
            "{why}"
        ),
        other => panic!("expected not comparable, got {other:?}"),
    }
}

#[test]
fn run_json_carries_the_appraisal_settings_compare_reads_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = write_dataset(tmp.path());
    let d = write(tmp.path(), "base", &npv_base(&data));
    let v = load_report(&d).unwrap();
    let s = v.appraisal.unwrap();
    assert_eq!(
        (s.period, s.base_year.label(), s.schedule.steps.clone()),
        (3, "2020/21", vec![(0, 0.25)])
    );
    assert_eq!(
        (s.optimism_bias, s.in_budget, s.duration_bias),
        (0.5, false, 0.0)
    );
    // What the manifest writes is what compare reads: Settings as serde writes it.
    let mut written = crate::appraisal::Settings::default_for(
        &crate::domain::FinancialYear::run_of(&s.base_year, 2),
    );
    written.by_category = vec![("EPR".into(), 0.66)];
    written.duration_by_category = vec![("PACS".into(), 0.54)];
    let json = serde_json::to_string(&written).unwrap();
    let fake = Fake {
        appraisal: Some(&json),
        ..npv_base(&data)
    };
    let d = write(tmp.path(), "again", &fake);
    assert_eq!(load_report(&d).unwrap().appraisal, Some(written));
}
