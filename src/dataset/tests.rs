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

/// The catalogue of data mistakes: each is reported at its file, line and column.
#[test]
fn bad_data_names_file_line_and_column() {
    let p = |row2: &str| {
        PROJECTS.replacen(
            "P2,B,\"Wi-Fi, phase 1\",Infrastructure and Wi-Fi,30,1,10,0,,P1,g,,",
            row2,
            1,
        )
    };
    let cases: Vec<(String, String, &str, u64, u64, &str)> = vec![
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
    ];
    for (f, p, file, line, column, words) in cases {
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
