use super::*;
use crate::error::Location;

const FOOTPRINTS: &str = "footprint_id,name,region,population,readiness,capabilities,infrastructure\nA,Alpha,North,1000,70,40,60\nB,Beta,South,2000,80,50,65\n";
const PROJECTS: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,min_fraction,requires,exclusive_group,must_fund,never_fund\n\
P1,A,EPR,EPR,100,5,50,5,1,,,,\n\
P2,B,\"Wi-Fi, phase 1\",Infrastructure and Wi-Fi,30,1,10,0,,P1,g,,\n\
P3,B,Wi-Fi alt,Infrastructure and Wi-Fi,30,1,10,0,,,g,false,TRUE\n";

fn years() -> Vec<FinancialYear> {
    vec![FinancialYear::parse("2016/17").unwrap()]
}

fn load_from(footprints: &str, projects: &str) -> Result<Dataset> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FOOTPRINTS_FILE), footprints).unwrap();
    std::fs::write(dir.path().join(PROJECTS_FILE), projects).unwrap();
    load(dir.path(), &years())
}

/// (file name, line, column, column name, message) of a load error.
fn error(footprints: &str, projects: &str) -> (String, u64, u64, Option<String>, String) {
    match load_from(footprints, projects) {
        Err(Error::Input(InputError {
            location:
                Location::Cell {
                    file,
                    line,
                    column,
                    column_name,
                },
            problem,
            fix,
        })) => (
            file.file_name().unwrap().to_string_lossy().into_owned(),
            line,
            column,
            column_name,
            format!("{problem} / {fix}"),
        ),
        other => panic!("expected an input error with a location, got {other:?}"),
    }
}

#[test]
fn a_good_dataset_loads() {
    let d = load_from(FOOTPRINTS, PROJECTS).unwrap();
    assert_eq!(d.footprints.len(), 2);
    assert_eq!(d.projects.len(), 3);
    let p2 = &d.projects[1];
    assert_eq!(
        (p2.title.as_str(), p2.footprint, p2.requires.clone()),
        ("Wi-Fi, phase 1", 1, vec![0])
    );
    assert_eq!(p2.exclusive_group.as_deref(), Some("g"));
    assert!(d.projects[2].never_fund && !d.projects[2].must_fund);
    assert_eq!(d.projects[0].min_fraction, 1.0);
    assert_eq!(d.files.len(), 2);
    assert_eq!(d.files[0].sha256.len(), 64);
}

#[test]
fn a_byte_order_mark_from_excel_is_ignored() {
    let with_bom = format!("\u{feff}{FOOTPRINTS}");
    assert!(load_from(&with_bom, PROJECTS).is_ok());
}

#[test]
fn extra_year_columns_outside_the_scenario_are_kept_as_out_of_scope_cost() {
    let projects = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,capital_2017_18,revenue_2017_18\nP1,A,EPR,EPR,100,5,50,5,20,0\nP2,A,X,EPR,100,5,50,5,0,0\n";
    let d = load_from(FOOTPRINTS, projects).unwrap();
    assert_eq!(d.projects[0].cost_outside_years, 20.0);
    assert_eq!(d.projects[1].cost_outside_years, 0.0);
}

/// One data mistake: the two files, and where (file, line, column) and what is reported.
type Case = (String, String, &'static str, u64, u64, &'static str);

/// The catalogue of data mistakes: each is reported at its file, line and column.
fn catalogue() -> Vec<Case> {
    let p = |row2: &str| {
        PROJECTS.replacen(
            "P2,B,\"Wi-Fi, phase 1\",Infrastructure and Wi-Fi,30,1,10,0,,P1,g,,",
            row2,
            1,
        )
    };
    vec![
        (
            FOOTPRINTS.replace(
                "A,Alpha,North,1000,70,40,60",
                "A,Alpha,North,1000,170,40,60",
            ),
            PROJECTS.into(),
            "footprints.csv",
            2,
            5,
            "outside 0–100",
        ),
        (
            FOOTPRINTS.replace("B,Beta", "A,Beta"),
            PROJECTS.into(),
            "footprints.csv",
            3,
            1,
            "listed twice",
        ),
        (
            FOOTPRINTS.replace("1000,70", "lots,70"),
            PROJECTS.into(),
            "footprints.csv",
            2,
            4,
            "not a number",
        ),
        (
            FOOTPRINTS.replace("1000,70", "0,70"),
            PROJECTS.into(),
            "footprints.csv",
            2,
            4,
            "population is zero",
        ),
        (
            FOOTPRINTS.replace(",infrastructure", ""),
            PROJECTS.into(),
            "footprints.csv",
            2,
            7,
            "check the header (line 1) for a missing column name",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,-10,0,,P1,g,,"),
            "projects.csv",
            3,
            7,
            "negative",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,NaN,0,,P1,g,,"),
            "projects.csv",
            3,
            7,
            "not a finite number",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,inf,0,,P1,g,,"),
            "projects.csv",
            3,
            7,
            "not a finite number",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,\"583,3\",0,,P1,g,,"),
            "projects.csv",
            3,
            7,
            "decimal commas are not supported",
        ),
        (
            FOOTPRINTS.into(),
            p("P1,B,W,Infrastructure and Wi-Fi,30,1,10,0,,,g,,"),
            "projects.csv",
            3,
            1,
            "listed twice",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,Z,W,Infrastructure and Wi-Fi,30,1,10,0,,P1,g,,"),
            "projects.csv",
            3,
            2,
            "not in footprints.csv",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,10,0,,P9,g,,"),
            "projects.csv",
            3,
            10,
            "`P9` names no project",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,10,0,,P2,g,,"),
            "projects.csv",
            3,
            10,
            "requires itself",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,10,0,1.5,,g,,"),
            "projects.csv",
            3,
            9,
            "not a share",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,10,0,,,g,maybe,"),
            "projects.csv",
            3,
            12,
            "not true or false",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,10,0,,,g,true,true"),
            "projects.csv",
            3,
            13,
            "both must_fund and never_fund",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,101,10,0,,,g,,"),
            "projects.csv",
            3,
            6,
            "above 100",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,,Infrastructure and Wi-Fi,30,1,10,0,,,g,,"),
            "projects.csv",
            3,
            3,
            "`title` is empty",
        ),
        (
            FOOTPRINTS.into(),
            p("P2,B,W,Infrastructure and Wi-Fi,30,1,10"),
            "projects.csv",
            3,
            8,
            "has 7 fields but the header has 13",
        ),
        (
            FOOTPRINTS.into(),
            PROJECTS.replace(",revenue_2016_17", ",revenue_2017_18"),
            "projects.csv",
            1,
            14,
            "no `revenue_2016_17` column",
        ),
        (
            FOOTPRINTS.into(),
            PROJECTS.replace("min_fraction", "benefit"),
            "projects.csv",
            1,
            9,
            "appears twice",
        ),
        // Match funding and phasing: a 14th column, its value on P2 (line 3).
        (
            FOOTPRINTS.into(),
            extra_column("match_share", "1.5"),
            "projects.csv",
            3,
            14,
            "1.5 is not a share",
        ),
        (
            FOOTPRINTS.into(),
            extra_column("match_share", "half"),
            "projects.csv",
            3,
            14,
            "`half` is not a number",
        ),
        (
            FOOTPRINTS.into(),
            extra_column("match_share", "-0.5"),
            "projects.csv",
            3,
            14,
            "-0.5 is not a share",
        ),
        (
            FOOTPRINTS.into(),
            extra_column("latest_start", "2015/16"),
            "projects.csv",
            3,
            14,
            "before the bid's first costed year 2016/17",
        ),
        (
            FOOTPRINTS.into(),
            extra_column("latest_start", "2017-18"),
            "projects.csv",
            3,
            14,
            "is not a financial year",
        ),
        (
            FOOTPRINTS.into(),
            extra_column("may_defer", "1.5"),
            "projects.csv",
            3,
            14,
            "`1.5` is not a whole number of years",
        ),
        (
            FOOTPRINTS.into(),
            extra_column("may_defer", "-1"),
            "projects.csv",
            3,
            14,
            "`-1` is not a whole number of years",
        ),
        (
            FOOTPRINTS.into(),
            with_whole_life("12O0", "", ""),
            "projects.csv",
            2,
            14,
            "`12O0` is not a number",
        ),
        (
            FOOTPRINTS.into(),
            with_whole_life("5", "-0.1", ""),
            "projects.csv",
            2,
            16,
            "optimism bias -0.1 is outside 0–2",
        ),
        (
            FOOTPRINTS.into(),
            with_whole_life("5", "3", ""),
            "projects.csv",
            2,
            16,
            "optimism bias 3 is outside 0–2",
        ),
        (
            FOOTPRINTS.into(),
            with_whole_life("5", "", "2.5"),
            "projects.csv",
            2,
            17,
            "not a whole number of years",
        ),
        (
            FOOTPRINTS.into(),
            extra_column("duration_bias", "2.5"),
            "projects.csv",
            3,
            14,
            "optimism bias 2.5 is outside 0–2 / write the uplift on the delivery's duration",
        ),
    ]
}

/// PROJECTS with one more column, `name`, empty but on P2 (line 3), where it is `value`.
fn extra_column(name: &str, value: &str) -> String {
    PROJECTS
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{l},{name}\n"),
            2 => format!("{l},{value}\n"),
            _ => format!("{l},\n"),
        })
        .collect()
}

#[test]
fn match_share_and_phasing_columns_load() {
    let mut p = extra_column("match_share", "50%");
    p = p.replacen(
        "P1,A,EPR,EPR,100,5,50,5,1,,,,,",
        "P1,A,EPR,EPR,100,5,50,5,1,,,,,0.25",
        1,
    );
    let d = load_from(FOOTPRINTS, &p).unwrap();
    assert_eq!(d.projects[0].match_share, 0.25);
    assert_eq!(d.projects[1].match_share, 0.5);
    assert_eq!(d.projects[2].match_share, 0.0);
    // The fund pays the central share; the whole cost stays as loaded.
    assert_eq!(
        d.projects[1].fund_cost_on(&crate::domain::BudgetLine::ALL),
        5.0
    );
    assert_eq!(d.projects[1].cost_on(&crate::domain::BudgetLine::ALL), 10.0);
    let d = load_from(FOOTPRINTS, &extra_column("may_defer", "2")).unwrap();
    assert_eq!(
        d.projects.iter().map(|p| p.may_defer).collect::<Vec<_>>(),
        vec![None, Some(2), None]
    );
    let d = load_from(FOOTPRINTS, &extra_column("latest_start", "2018/19")).unwrap();
    assert_eq!(d.projects[1].may_defer, Some(2));
    // A one-year scenario leaves no room to move.
    assert_eq!(d.projects[1].max_shift(), 0);
}

/// PROJECTS with whole-life columns (a benefit in 2017/18, a running cost, optimism bias
/// and life), P1 given `cash`, `bias` and `life`.
fn with_whole_life(cash: &str, bias: &str, life: &str) -> String {
    let mut lines: Vec<String> = PROJECTS.lines().map(String::from).collect();
    lines[0].push_str(",benefit_cash_2017_18,running_cost,optimism_bias,life_years");
    lines[1].push_str(&format!(",{cash},10,{bias},{life}"));
    lines[2].push_str(",,,,");
    lines[3].push_str(",7.5,,25%,");
    lines.join("\n") + "\n"
}

#[test]
fn whole_life_columns_load() {
    let d = load_from(FOOTPRINTS, &with_whole_life("5", "0.5", "8")).unwrap();
    let wl = &d.projects[0].whole_life;
    assert_eq!(wl.benefits.len(), 1);
    assert_eq!(
        (
            wl.benefits[0].year.label(),
            wl.benefits[0].cash,
            wl.benefits[0].noncash
        ),
        ("2017/18", 5.0, 0.0)
    );
    assert_eq!(
        (wl.running_cost, wl.optimism_bias, wl.life_years),
        (10.0, Some(0.5), Some(8))
    );
    // Blank cells: no benefit by year, no running cost, the scenario's bias, to the end.
    assert_eq!(
        d.projects[1].whole_life,
        crate::domain::WholeLife::default()
    );
    assert_eq!(d.projects[2].whole_life.optimism_bias, Some(0.25));
    let d = load_from(FOOTPRINTS, &extra_column("duration_bias", "54%")).unwrap();
    assert_eq!(
        d.projects
            .iter()
            .map(|p| p.whole_life.duration_bias)
            .collect::<Vec<_>>(),
        vec![None, Some(0.54), None]
    );
    // A dataset without the columns loads as before.
    let plain = load_from(FOOTPRINTS, PROJECTS).unwrap();
    assert!(plain
        .projects
        .iter()
        .all(|p| p.whole_life == Default::default()));
}

#[test]
fn benefits_outside_the_appraisal_period_are_refused_at_their_cell() {
    let years = years();
    let mut settings = crate::appraisal::Settings::default_for(&years);
    settings.period = 1;
    let projects = with_whole_life("5", "", "");
    let csv = parse_files(
        (Path::new("footprints.csv"), FOOTPRINTS.as_bytes()),
        (Path::new("projects.csv"), projects.as_bytes()),
        &years,
        Some(&settings),
    )
    .map_err(Failure::on_data)
    .expect_err("2017/18 is outside a one-year appraisal");
    let text = csv.to_string();
    assert!(text.contains("projects.csv:2:14"), "{text}");
    assert!(
        text.contains("outside the appraisal period (2016/17 to 2016/17"),
        "{text}"
    );
    let book = crate::report::bids::from_csv(FOOTPRINTS.as_bytes(), projects.as_bytes()).unwrap();
    let sheet = parse_book(Path::new("bids.xlsx"), &book, &years, Some(&settings))
        .map_err(Failure::on_data)
        .expect_err("the same in a workbook");
    assert!(sheet.to_string().contains("Projects!N2"), "{sheet}");
    // With a ten-year period the same bids load.
    settings.period = 10;
    assert!(parse_files(
        (Path::new("footprints.csv"), FOOTPRINTS.as_bytes()),
        (Path::new("projects.csv"), projects.as_bytes()),
        &years,
        Some(&settings),
    )
    .is_ok());
}

#[test]
fn bad_data_names_file_line_and_column() {
    for (f, p, file, line, column, words) in catalogue() {
        let (got_file, l, c, _, msg) = error(&f, &p);
        assert_eq!((got_file.as_str(), l, c), (file, line, column), "{msg}");
        assert!(msg.contains(words), "expected {words:?} in {msg:?}");
    }
}

#[test]
fn projects_that_require_each_other_load_as_a_bundle() {
    let projects = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,requires\nP1,A,x,EPR,1,1,1,0,P3\nP2,A,y,EPR,1,1,1,0,P1\nP3,A,z,EPR,1,1,1,0,P2\n";
    let d = load_from(FOOTPRINTS, projects).unwrap();
    assert_eq!(bundles::bundles(&d.projects), vec![vec![0, 1, 2]]);
}

#[test]
fn a_bundle_that_contradicts_itself_is_refused() {
    let header = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,requires,exclusive_group,must_fund,never_fund\n";
    let same_group = format!("{header}P1,A,x,EPR,1,1,1,0,P2,g,,\nP2,A,y,EPR,1,1,1,0,P1,g,,\n");
    let (_, line, column, name, msg) = error(FOOTPRINTS, &same_group);
    assert_eq!(
        (line, column, name.as_deref()),
        (3, 10, Some("exclusive_group"))
    );
    assert!(msg.contains("P1 and P2 are in one bundle"), "{msg}");
    let must_and_never =
        format!("{header}P1,A,x,EPR,1,1,1,0,P2,,true,\nP2,A,y,EPR,1,1,1,0,P1,,,true\n");
    let (_, line, _, name, msg) = error(FOOTPRINTS, &must_and_never);
    assert_eq!((line, name.as_deref()), (3, Some("never_fund")));
    assert!(msg.contains("P1 must be funded and P2 must not"), "{msg}");
}

#[test]
fn missing_files_and_folders_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let err = load(&dir.path().join("nope"), &years())
        .unwrap_err()
        .to_string();
    assert!(err.contains("dataset folder does not exist"), "{err}");
    std::fs::write(dir.path().join(FOOTPRINTS_FILE), FOOTPRINTS).unwrap();
    let err = load(dir.path(), &years()).unwrap_err().to_string();
    assert!(
        err.contains("projects.csv") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn windows_line_endings_keep_line_numbers_right() {
    // Regression: the csv crate counts CRLF lines wrongly, so errors pointed a line too high.
    let projects = PROJECTS
        .replace(
            "P3,B,Wi-Fi alt,Infrastructure and Wi-Fi,30",
            "P3,B,Wi-Fi alt,Infrastructure and Wi-Fi,lots",
        )
        .replace('\n', "\r\n");
    let (_, line, column, _, msg) = error(&FOOTPRINTS.replace('\n', "\r\n"), &projects);
    assert_eq!((line, column), (4, 5), "{msg}");
}

mod input_rules {
    use super::*;

    #[test]
    fn a_misspelt_header_points_at_the_cell_that_looks_like_it() {
        let (file, line, column, name, msg) = error(
            FOOTPRINTS,
            &PROJECTS.replace("maturity_uplift", "Maturity Uplift"),
        );
        assert_eq!(
            (file.as_str(), line, column, name.as_deref()),
            ("projects.csv", 1, 6, Some("Maturity Uplift")),
            "{msg}"
        );
        assert!(
            msg.contains("`Maturity Uplift` (column 6) looks like `maturity_uplift`; rename it"),
            "{msg}"
        );
        // A cost column of another year is not taken for a misspelling.
        let (_, line, _, _, msg) = error(
            FOOTPRINTS,
            &PROJECTS.replace("capital_2016_17", "capital_2017_18"),
        );
        assert_eq!(line, 1);
        assert!(
            msg.contains("no `capital_2016_17` column") && !msg.contains("looks like"),
            "{msg}"
        );
    }

    #[test]
    fn a_year_with_no_cost_columns_is_named_with_what_the_data_costs() {
        let p = PROJECTS
            .replace("capital_2016_17", "capital_2015_16")
            .replace("revenue_2016_17", "revenue_2015_16");
        let (_, line, _, _, msg) = error(FOOTPRINTS, &p);
        assert_eq!(line, 1, "{msg}");
        assert!(msg.contains("capital_2016_17"), "{msg}");
    }

    #[test]
    fn bidi_overrides_and_line_breaks_in_cells_are_refused() {
        let (_, line, column, _, msg) =
            error(&FOOTPRINTS.replace("Alpha", "Al\u{2066}pha"), PROJECTS);
        assert_eq!((line, column), (2, 2), "{msg}");
        assert!(
            msg.contains("U+2066 (left-to-right isolate) at character 3"),
            "{msg}"
        );
        let (_, line, column, _, msg) = error(
            FOOTPRINTS,
            &PROJECTS.replace("\"Wi-Fi, phase 1\"", "\"Wi-Fi\nphase 1\""),
        );
        assert_eq!((line, column), (3, 3), "{msg}");
        assert!(msg.contains("line break"), "{msg}");
    }

    #[test]
    fn weighted_population_is_checked_when_given() {
        let f = FOOTPRINTS
            .replace(",population,", ",population,weighted_population,")
            .replace("1000,70", "1000,0,70")
            .replace("2000,80", "2000,2100,80");
        let (_, line, column, _, msg) = error(&f, PROJECTS);
        assert_eq!((line, column), (2, 5), "{msg}");
        assert!(msg.contains("population is zero"), "{msg}");
    }

    #[test]
    fn datasets_parse_from_bytes_without_the_disk() {
        let d = parse(
            (Path::new("f.csv"), FOOTPRINTS.as_bytes()),
            (Path::new("p.csv"), PROJECTS.as_bytes()),
            &years(),
        )
        .unwrap();
        assert_eq!((d.footprints.len(), d.projects.len()), (2, 3));
    }
}

/// The same datasets as workbooks, and what only a workbook can get wrong.
mod workbooks {
    use super::*;
    use crate::report::bids;
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

    fn book_error(bytes: &[u8]) -> InputError {
        match parse_workbook(Path::new("bids.xlsx"), bytes, &years()) {
            Err(Error::Input(e)) => e,
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    /// (sheet, row, column, column name, message) of a load error at a sheet's cell.
    fn cell_error(bytes: &[u8]) -> (String, u64, u64, Option<String>, String) {
        let e = book_error(bytes);
        match e.location {
            Location::Sheet(place) => {
                let crate::error::SheetPlace {
                    file,
                    sheet,
                    cell,
                    column_name,
                } = *place;
                assert_eq!(file, Path::new("bids.xlsx"));
                let (row, column) = cell.expect("an error at a cell");
                let msg = format!("{} / {}", e.problem, e.fix);
                (sheet, row, column, column_name, msg)
            }
            other => panic!("expected an error at a cell, got {other}"),
        }
    }

    fn twin(footprints: &str, projects: &str) -> Vec<u8> {
        bids::from_csv(footprints.as_bytes(), projects.as_bytes()).unwrap()
    }

    /// A CSV message as the same check words it for a sheet.
    fn as_for_a_sheet(csv: &str) -> String {
        csv.replace("first on line", "first on row")
            .replace("footprints.csv", "sheet Footprints")
            .replace("from this file", "from this sheet")
    }

    #[test]
    fn every_data_mistake_has_a_workbook_twin_at_the_same_cell() {
        for (f, p, file, line, column, words) in catalogue() {
            let (_, _, _, csv_name, csv_msg) = error(&f, &p);
            let (sheet, row, col, name, msg) = cell_error(&twin(&f, &p));
            let expected_sheet = match file {
                "footprints.csv" => "Footprints",
                _ => "Projects",
            };
            match words {
                // A sheet's row cannot be short: the cells after the last value are
                // empty, and the first empty required one is named.
                "has 7 fields but the header has 13" => {
                    assert_eq!((sheet.as_str(), row, col), ("Projects", 3, 8), "{msg}");
                    assert!(msg.contains("`revenue_2016_17` is empty"), "{msg}");
                }
                // A value beyond the header sits under no column name and is ignored,
                // as an unnamed CSV column is; the header then lacks the column.
                "check the header (line 1) for a missing column name" => {
                    assert_eq!((sheet.as_str(), row), ("Footprints", 1), "{msg}");
                    assert!(msg.contains("no `infrastructure` column"), "{msg}");
                }
                // Columns are named by letter in a sheet (I and M), by number in CSV.
                "appears twice" => {
                    assert_eq!((sheet.as_str(), row, col), (expected_sheet, line, column));
                    assert!(msg.contains("appears twice (columns E and I)"), "{msg}");
                }
                _ => {
                    assert_eq!(
                        (sheet.as_str(), row, col, &name),
                        (expected_sheet, line, column, &csv_name),
                        "{msg}"
                    );
                    assert_eq!(msg, as_for_a_sheet(&csv_msg));
                }
            }
        }
    }

    #[test]
    fn the_default_dataset_loads_the_same_from_its_workbook() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let f = std::fs::read(dir.join(FOOTPRINTS_FILE)).unwrap();
        let p = std::fs::read(dir.join(PROJECTS_FILE)).unwrap();
        let years = crate::generate::default_years();
        let csv = parse(
            (&dir.join(FOOTPRINTS_FILE), &f),
            (&dir.join(PROJECTS_FILE), &p),
            &years,
        )
        .unwrap();
        let bytes = bids::from_csv(&f, &p).unwrap();
        let book = parse_workbook(Path::new("bids.xlsx"), &bytes, &years).unwrap();
        assert_eq!(book.footprints, csv.footprints);
        assert_eq!(book.projects, csv.projects);
        assert_eq!(book.files.len(), 1);
        assert_eq!(book.files[0].sha256, sha256_hex(&bytes));
    }

    /// Writes a CSV text into a sheet: plain numbers as numbers, the rest as text.
    fn fill(ws: &mut Worksheet, csv: &str) {
        for (r, line) in csv.lines().enumerate() {
            for (c, field) in line.split(',').enumerate() {
                if field.is_empty() {
                    continue;
                }
                let (r, c) = (r as u32, c as u16);
                match field.parse::<f64>() {
                    Ok(v) => ws.write_number(r, c, v).unwrap(),
                    Err(_) => ws.write_string(r, c, field).unwrap(),
                };
            }
        }
    }

    /// A workbook of the small dataset, after `edit` changes its Projects sheet.
    fn book_with(edit: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
        let mut wb = Workbook::new();
        fill(
            wb.add_worksheet().set_name("Footprints").unwrap(),
            FOOTPRINTS,
        );
        let projects = PROJECTS.replace("\"Wi-Fi, phase 1\"", "Wi-Fi phase 1");
        let ws = wb.add_worksheet().set_name("Projects").unwrap();
        fill(ws, &projects);
        edit(ws);
        wb.save_to_buffer().unwrap()
    }

    /// The workbook with the saved value of formula `F2*750` taken out, as programs
    /// that write workbooks without calculating them leave it (rust_xlsxwriter always
    /// saves a value, 0 by default).
    fn unsaved(bytes: &[u8]) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut found = false;
        for i in 0..archive.len() {
            let mut part = archive.by_index(i).unwrap();
            let mut text = Vec::new();
            part.read_to_end(&mut text).unwrap();
            let name = part.name().unwrap().into_owned();
            if let Ok(xml) = std::str::from_utf8(&text) {
                if xml.contains("<f>F2*750</f><v>0</v>") {
                    text = xml
                        .replace("<f>F2*750</f><v>0</v>", "<f>F2*750</f>")
                        .into_bytes();
                    found = true;
                }
            }
            out.start_file(name, stored).unwrap();
            out.write_all(&text).unwrap();
        }
        assert!(found, "no formula F2*750 with the value 0");
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn cells_only_a_sheet_can_hold_are_refused_at_their_cell() {
        let cases: Vec<(Vec<u8>, (u64, u64), &str)> = vec![
            (
                book_with(|ws| {
                    ws.write_formula(1, 6, Formula::new("=#REF!*2").set_result("#REF!"))
                        .unwrap();
                }),
                (2, 7),
                "the cell holds the error #REF!, left by a formula that failed",
            ),
            (
                book_with(|ws| {
                    ws.write_formula(2, 4, Formula::new("=1/0").set_result("#DIV/0!"))
                        .unwrap();
                }),
                (3, 5),
                "the error #DIV/0!",
            ),
            (
                unsaved(&book_with(|ws| {
                    ws.write_formula(1, 4, Formula::new("=F2*750")).unwrap();
                })),
                (2, 5),
                "a formula whose value was never saved",
            ),
            (
                book_with(|ws| {
                    ws.merge_range(3, 0, 4, 0, "P3", &Format::new()).unwrap();
                }),
                (4, 1),
                "cells A4:A5 are merged, so only the first of them holds a value",
            ),
            (
                book_with(|ws| {
                    let date = ExcelDateTime::from_ymd(2017, 4, 1).unwrap();
                    let f = Format::new().set_num_format("dd/mm/yyyy");
                    ws.write_datetime_with_format(1, 6, &date, &f).unwrap();
                }),
                (2, 7),
                "formatted as a date",
            ),
        ];
        for (bytes, cell, words) in cases {
            let (sheet, row, col, _, msg) = cell_error(&bytes);
            assert_eq!((sheet.as_str(), (row, col)), ("Projects", cell), "{msg}");
            assert!(msg.contains(words), "expected {words:?} in {msg:?}");
        }
    }

    #[test]
    fn typed_cells_read_as_their_csv_text() {
        // Ids typed as numbers, a cost of 583.3, TRUE from Excel, a share formatted
        // as 50%, and a note beside the table.
        let bytes = book_with(|ws| {
            ws.write_number(1, 0, 1001.0).unwrap();
            ws.write_number(2, 9, 1001.0).unwrap();
            ws.write_number(1, 6, 583.3).unwrap();
            ws.write_boolean(3, 12, true).unwrap();
            ws.write_boolean(3, 11, false).unwrap();
            let pct = Format::new().set_num_format("0%");
            ws.write_number_with_format(2, 8, 0.5, &pct).unwrap();
            ws.write_string(1, 20, "checked by finance").unwrap();
            // A formula counts by the value saved with it.
            ws.write_formula(2, 4, Formula::new("=10*3").set_result("30"))
                .unwrap();
        });
        let d = parse_workbook(Path::new("bids.xlsx"), &bytes, &years()).unwrap();
        assert_eq!(d.projects[0].id, "1001");
        assert_eq!(d.projects[1].requires, vec![0]);
        assert_eq!(d.projects[0].capital[0], 583.3);
        assert_eq!(d.projects[1].min_fraction, 0.5);
        assert_eq!(d.projects[1].benefit, 30.0);
        assert!(d.projects[2].never_fund && !d.projects[2].must_fund);
        // A cell TRUE where a number belongs is refused as the CSV text TRUE is.
        let bytes = book_with(|ws| {
            ws.write_boolean(1, 4, true).unwrap();
        });
        let (_, row, col, _, msg) = cell_error(&bytes);
        assert_eq!((row, col), (2, 5));
        assert!(msg.contains("`TRUE` is not a number"), "{msg}");
    }

    #[test]
    fn workbooks_beyond_the_limits_are_refused() {
        use workbook::{read_within, Limits};
        let bytes = twin(FOOTPRINTS, PROJECTS);
        let path = Path::new("bids.xlsx");
        let roomy = Limits {
            unzipped: 1 << 30,
            cells: 100,
        };
        assert!(read_within(path, &bytes, roomy).is_ok());
        let small_unzip = Limits {
            unzipped: 1000,
            ..roomy
        };
        let e = read_within(path, &bytes, small_unzip).err().unwrap();
        assert_eq!(e.location, Location::File(path.into()));
        assert!(
            e.problem.contains("the workbook unzips to more than"),
            "{e}"
        );
        // The footprints sheet has 21 cells.
        let few_cells = Limits { cells: 20, ..roomy };
        let e = read_within(path, &bytes, few_cells).err().unwrap();
        assert!(
            e.to_string()
                .starts_with("bids.xlsx: sheet Footprints: the sheet has more than 20 cells"),
            "{e}"
        );
    }

    #[test]
    fn a_workbook_without_the_sheets_lists_those_it_has() {
        let mut wb = Workbook::new();
        fill(
            wb.add_worksheet().set_name("Footprints").unwrap(),
            FOOTPRINTS,
        );
        fill(wb.add_worksheet().set_name("projects ").unwrap(), PROJECTS);
        wb.add_worksheet().set_name("Notes").unwrap();
        let e = book_error(&wb.save_to_buffer().unwrap());
        assert_eq!(e.location, Location::File("bids.xlsx".into()));
        assert!(
            e.problem.contains(
                "the workbook has no sheet `Projects`; its sheets are `Footprints`, `projects `"
            ) && e.fix.contains("rename the sheet `projects ` to `Projects`"),
            "{e}"
        );
    }

    #[test]
    fn a_first_row_left_empty_is_refused() {
        let mut wb = Workbook::new();
        fill(
            wb.add_worksheet().set_name("Footprints").unwrap(),
            &format!("\n{FOOTPRINTS}"),
        );
        fill(wb.add_worksheet().set_name("Projects").unwrap(), PROJECTS);
        let (sheet, row, col, _, msg) = cell_error(&wb.save_to_buffer().unwrap());
        assert_eq!((sheet.as_str(), row, col), ("Footprints", 1, 1));
        assert!(msg.contains("the first row is empty"), "{msg}");
    }

    #[test]
    fn files_that_are_not_workbooks_say_what_they_are() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "the file is empty"),
            (
                FOOTPRINTS.as_bytes(),
                "it is text (a CSV file renamed .xlsx?)",
            ),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest",
                "Excel 97–2003 workbook (.xls) or a password-protected workbook",
            ),
            (b"PK\x03\x04 not really a zip", "not a readable zip archive"),
            (b"\x00\x01\x02\xff", "not a zip archive"),
        ];
        for (bytes, words) in cases {
            let e = book_error(bytes);
            assert_eq!(e.location, Location::File("bids.xlsx".into()));
            assert!(e.problem.contains(words), "{words}: {e}");
        }
    }

    #[test]
    fn the_template_reads_back_as_a_header_only_dataset() {
        let years = crate::generate::default_years();
        let bytes = bids::template(&years).unwrap();
        // Header-only CSV files say there are no footprints; so does the empty template.
        let e = parse_workbook(Path::new("bids.xlsx"), &bytes, &years).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("bids.xlsx: sheet Footprints: there are no footprints"),
            "{e}"
        );
        // Its headers are every column the loader reads, in the generator's order.
        let mut book: calamine::Xlsx<_> =
            calamine::Reader::new(std::io::Cursor::new(&bytes)).unwrap();
        let header = |book: &mut calamine::Xlsx<_>, sheet: &str| -> Vec<String> {
            let range = calamine::Reader::worksheet_range(book, sheet).unwrap();
            range
                .rows()
                .next()
                .unwrap()
                .iter()
                .map(|c| c.to_string())
                .collect()
        };
        assert_eq!(header(&mut book, "Footprints"), footprints_header());
        assert_eq!(
            header(&mut book, "Projects"),
            bids::template_projects_header(&years)
        );
        // Filled in under those headers, it loads as its CSV twin does.
        let generated = crate::generate::generate(&crate::generate::GenerateOptions {
            projects: 40,
            ..Default::default()
        });
        let filled = bids::from_csv(
            generated.footprints_csv.as_bytes(),
            generated.projects_csv.as_bytes(),
        )
        .unwrap();
        let mut filled_book: calamine::Xlsx<_> =
            calamine::Reader::new(std::io::Cursor::new(&filled)).unwrap();
        assert_eq!(
            header(&mut filled_book, "Projects"),
            bids::projects_header(&years)
        );
        let from_book = parse_workbook(Path::new("bids.xlsx"), &filled, &years).unwrap();
        let from_csv = parse(
            (Path::new("f.csv"), generated.footprints_csv.as_bytes()),
            (Path::new("p.csv"), generated.projects_csv.as_bytes()),
            &years,
        )
        .unwrap();
        assert_eq!(from_book.projects, from_csv.projects);
    }

    /// Every column the template adds beyond the generator's (match funding, phasing,
    /// duration optimism bias; weighted population is the generator's too), filled in a workbook, reads back as its CSV twin does
    /// and with the values written.
    #[test]
    fn the_templates_optional_columns_read_back() {
        let years = crate::generate::default_years();
        let generated = crate::generate::generate(&crate::generate::GenerateOptions {
            projects: 12,
            ..Default::default()
        });
        // The generator writes weighted_population already; the template has it too.
        let fp = &generated.footprints_csv;
        let wanted: Vec<Option<f64>> = csv::Reader::from_reader(fp.as_bytes())
            .records()
            .map(|r| r.unwrap()[4].parse().ok())
            .collect();
        let fp_head: Vec<String> = csv::Reader::from_reader(fp.as_bytes())
            .headers()
            .unwrap()
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(fp_head, bids::template_footprints_header());
        use crate::schema::projects::{DURATION_BIAS, LATEST_START, MATCH_SHARE, MAY_DEFER};
        let pr = with_columns(
            &generated.projects_csv,
            &[MATCH_SHARE, MAY_DEFER, LATEST_START, DURATION_BIAS],
            |i| {
                let row: [&str; 4] = match i % 4 {
                    0 => ["0.25", "", "", "0.54"],
                    1 => ["", "2", "", ""],
                    2 => ["50%", "", "2020/21", "10%"],
                    _ => ["", "0", "", "0"],
                };
                row.map(String::from).to_vec()
            },
        );
        let book = bids::from_csv(fp.as_bytes(), pr.as_bytes()).unwrap();
        let mut xlsx: calamine::Xlsx<_> =
            calamine::Reader::new(std::io::Cursor::new(&book)).unwrap();
        let range = calamine::Reader::worksheet_range(&mut xlsx, "Projects").unwrap();
        let head: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(head, bids::template_projects_header(&years));
        let from_book = parse_workbook(Path::new("bids.xlsx"), &book, &years).unwrap();
        let from_csv = parse(
            (Path::new("f.csv"), fp.as_bytes()),
            (Path::new("p.csv"), pr.as_bytes()),
            &years,
        )
        .unwrap();
        assert_eq!(from_book.projects, from_csv.projects);
        assert_eq!(from_book.footprints, from_csv.footprints);
        let p = &from_book.projects;
        assert_eq!(
            (p[0].match_share, p[0].may_defer),
            (0.25, None),
            "match share"
        );
        assert_eq!((p[1].match_share, p[1].may_defer), (0.0, Some(2)));
        // latest_start 2020/21, the fund's last year: the years from the first costed one.
        let first = (0..years.len())
            .find(|&y| p[2].capital[y] > 0.0 || p[2].revenue[y] > 0.0)
            .unwrap();
        assert_eq!(
            (p[2].match_share, p[2].may_defer),
            (0.5, Some(years.len() - 1 - first))
        );
        assert_eq!(p[3].may_defer, Some(0));
        let duration: Vec<Option<f64>> =
            p[..4].iter().map(|p| p.whole_life.duration_bias).collect();
        assert_eq!(duration, vec![Some(0.54), None, Some(0.1), Some(0.0)]);
        let read: Vec<Option<f64>> = from_book
            .footprints
            .iter()
            .map(|f| f.weighted_population)
            .collect();
        assert_eq!(read, wanted);
        assert!(wanted.iter().all(Option::is_some));
    }

    /// The template's validation: a list of the fund's years for latest_start, whole
    /// years 0 to 50 for may_defer, a decimal 0 to 1 for match_share.
    #[test]
    fn the_template_validates_the_budget_columns() {
        use std::io::Read;
        let years = crate::generate::default_years();
        let bytes = bids::template(&years).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet2.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let header = bids::template_projects_header(&years);
        let letter = |name: &str| {
            let c = header.iter().position(|h| h == name).unwrap() as u64 + 1;
            crate::error::column_letters(c)
        };
        let rule = |name: &str| -> String {
            let at = xml
                .find(&format!("sqref=\"{0}2:{0}1048576\"", letter(name)))
                .unwrap_or_else(|| panic!("{name} has no validation"));
            let start = xml[..at].rfind("<dataValidation ").unwrap();
            let end = at + xml[at..].find("</dataValidation>").unwrap();
            xml[start..end].to_string()
        };
        let latest = rule("latest_start");
        assert!(
            latest.contains("type=\"list\"")
                && latest.contains("\"2016/17,2017/18,2018/19,2019/20,2020/21\""),
            "{latest}"
        );
        let defer = rule("may_defer");
        assert!(
            defer.contains("type=\"whole\"") && defer.contains("<formula2>50</formula2>"),
            "{defer}"
        );
        let share = rule("match_share");
        assert!(
            share.contains("type=\"decimal\"") && share.contains("<formula2>1</formula2>"),
            "{share}"
        );
        // A fund too long for Excel's list still checks the shape of a year.
        let long = FinancialYear::run_of(&years[0], 40);
        let bytes = bids::template(&long).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet2.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(xml.contains("type=\"textLength\""), "no year check");
    }

    /// `csv` with `names` appended to its header and `cells(i)` to its row i.
    fn with_columns(csv: &str, names: &[&str], cells: impl Fn(usize) -> Vec<String>) -> String {
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut head: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        head.extend(names.iter().map(|n| n.to_string()));
        w.write_record(&head).unwrap();
        for (i, r) in reader.records().enumerate() {
            let mut row: Vec<String> = r.unwrap().iter().map(String::from).collect();
            row.extend(cells(i));
            w.write_record(&row).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    fn footprints_header() -> Vec<String> {
        bids::template_footprints_header()
    }
}
