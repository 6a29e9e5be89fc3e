use super::*;
use crate::error::Location;

const GOOD: &str = r#"name = "baseline"
data = "../data"
years = ["2016/17", "2017/18"]

[budget]
capital = [100, 200]
revenue = [10, 20]

[objective]
kind = "maturity"
need = "least_mature_first"

[funding]
mode = "partial"

[rules]
min_benefit_per_pound = 1.5

[rules.footprint_floor]
share_of_fair_share = 0.5

[rules.footprint_cap]
amount = 80000

[[rules.category]]
category = "EPR"
max_share = 0.5

[solver]
mip_gap = 0.001
time_limit_s = 10
"#;

fn parse(text: &str) -> Result<Scenario, InputError> {
    Scenario::parse(Path::new("scenarios/x.toml"), text)
}

/// The error's (line, column, key) for a scenario text.
fn error_at(text: &str) -> (u64, u64, Option<String>, String) {
    match parse(text).expect_err("should be rejected") {
        InputError {
            location:
                Location::Cell {
                    line,
                    column,
                    column_name,
                    ..
                },
            problem,
            fix,
        } => (line, column, column_name, format!("{problem} / {fix}")),
        other => panic!("no line and column: {other}"),
    }
}

#[test]
fn a_full_scenario_parses() {
    let s = parse(GOOD).unwrap();
    assert_eq!(s.name, "baseline");
    assert_eq!(s.data, Path::new("scenarios/../data"));
    assert_eq!(s.years.len(), 2);
    assert_eq!(s.budget_for(BudgetLine::Revenue), Some(&[10.0, 20.0][..]));
    assert_eq!(s.total_budget(), 330.0);
    assert_eq!(s.objective, ObjectiveKind::Maturity);
    assert_eq!(s.need, NeedPolicy::LeastMatureFirst);
    assert_eq!(s.funding, FundingMode::Partial);
    assert_eq!(s.rules.footprint_floor, Some(Limit::ShareOfFairShare(0.5)));
    assert_eq!(s.rules.footprint_cap, Some(Limit::Amount(80000.0)));
    assert_eq!(s.rules.categories[0].max_share, Some(0.5));
    assert_eq!(
        s.solver,
        SolverSettings {
            mip_gap: 0.001,
            time_limit_s: 10.0
        }
    );
}

#[test]
fn defaults_apply_when_optional_keys_are_missing() {
    let text = "name = \"a\"\ndata = \"d\"\nyears = [\"2016/17\"]\n[budget]\ncapital = [1]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"all_or_nothing\"\n";
    let s = parse(text).unwrap();
    assert_eq!(s.lines(), vec![BudgetLine::Capital]);
    assert_eq!(s.solver, SolverSettings::default());
    assert_eq!(s.need, NeedPolicy::Neutral);
    assert_eq!(s.rules, Rules::default());
}

/// The catalogue of scenario mistakes: each names the line, column and key to fix.
#[test]
fn bad_scenarios_name_the_place_and_the_fix() {
    let cases: Vec<(String, u64, &str, &str)> = vec![
        (
            GOOD.replace("capital = [100, 200]", "capital = [100, 200, 300]"),
            6,
            "budget.capital",
            "3 capital amount(s) for 2 financial year(s)",
        ),
        (
            GOOD.replace("revenue = [10, 20]", "revenue = [10, -20]"),
            7,
            "budget.revenue",
            "-20 is not a budget",
        ),
        (
            GOOD.replace("kind = \"maturity\"", "kind = \"npv\""),
            10,
            "objective.kind",
            "reserved",
        ),
        (
            GOOD.replace("kind = \"maturity\"", "kind = \"wellbeing\""),
            10,
            "objective.kind",
            "unknown objective",
        ),
        (
            GOOD.replace("least_mature_first", "most_mature_first"),
            11,
            "objective.need",
            "unknown need policy",
        ),
        (
            GOOD.replace("mode = \"partial\"", "mode = \"some\""),
            14,
            "funding.mode",
            "unknown funding mode",
        ),
        (
            GOOD.replace("\"2017/18\"", "\"2018/19\""),
            3,
            "years",
            "does not follow",
        ),
        (
            GOOD.replace("\"2017/18\"", "\"2017-18\""),
            3,
            "years",
            "not a financial year",
        ),
        (
            GOOD.replace("max_share = 0.5", "max_share = 1.5"),
            27,
            "rules.category.max_share",
            "not a share",
        ),
        (
            GOOD.replace("mip_gap = 0.001", "mip_gap = -1"),
            30,
            "solver.mip_gap",
            "not a relative gap",
        ),
        (
            GOOD.replace("time_limit_s = 10", "time_limit_s = 0"),
            31,
            "solver.time_limit_s",
            "not a time limit",
        ),
        (
            GOOD.replace("name = \"baseline\"", "name = \"base line/2\""),
            1,
            "name",
            "cannot name a report folder",
        ),
        (
            GOOD.replace(
                "share_of_fair_share = 0.5",
                "share_of_fair_share = 0.5\namount = 3",
            ),
            19,
            "rules.footprint_floor",
            "exactly one of",
        ),
    ];
    for (text, line, key, words) in cases {
        let (l, _c, k, msg) = error_at(&text);
        assert_eq!((l, k.as_deref()), (line, Some(key)), "{msg}");
        assert!(msg.contains(words), "expected {words:?} in {msg:?}");
    }
}

#[test]
fn toml_syntax_errors_and_unknown_keys_point_at_the_text() {
    let (line, column, _, msg) = error_at(&GOOD.replace("mode = \"partial\"", "mode = partial"));
    assert_eq!((line, column), (14, 8), "{msg}");
    let (line, _, _, msg) =
        error_at(&GOOD.replace("min_benefit_per_pound", "min_benefit_per_pund"));
    assert_eq!(line, 17, "{msg}");
    assert!(msg.contains("unknown field"), "{msg}");
    let (_, _, _, msg) = error_at("name = \"a\"\n");
    assert!(msg.contains("missing field"), "{msg}");
}

#[test]
fn keys_are_located_in_their_own_table() {
    let text = "[a]\nx = 1\n[b]\nx = 2\n";
    assert_eq!(raw::locate_for_test(text, "b", "x"), (4, 1));
    assert_eq!(raw::locate_for_test(text, "a", "x"), (2, 1));
}

mod extends {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn a_child_overrides_only_what_differs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write(dir.path(), "base.toml", GOOD);
        let child = write(
            &dir.path().join("sub"),
            "tight.toml",
            "extends = \"../base.toml\"\nname = \"tight\"\n[budget]\ncapital = [50, 60]\n[rules.footprint_cap]\nshare_of_fair_share = 2.0\n",
        );
        let s = Scenario::load(&child).unwrap();
        assert_eq!(s.name, "tight");
        assert_eq!(s.budget_for(BudgetLine::Capital), Some(&[50.0, 60.0][..]));
        // Tables merge key by key: revenue is inherited beside the new capital.
        assert_eq!(s.budget_for(BudgetLine::Revenue), Some(&[10.0, 20.0][..]));
        assert_eq!(s.rules.footprint_cap, Some(Limit::ShareOfFairShare(2.0)));
        assert_eq!(s.objective, ObjectiveKind::Maturity);
        // `data` stays relative to the file that set it.
        assert_eq!(s.data, dir.path().join("sub/../../data"));
        assert!(s.resolved.contains("capital = [50, 60]"), "{}", s.resolved);
        assert!(!s.resolved.contains("extends"));
    }

    #[test]
    fn errors_point_at_the_file_that_sets_the_key() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "base.toml",
            &GOOD.replace("time_limit_s = 10", "time_limit_s = -3"),
        );
        let child = write(
            dir.path(),
            "c.toml",
            "extends = \"base.toml\"\nname = \"c\"\n",
        );
        let err = Scenario::load(&child).unwrap_err().to_string();
        assert!(
            err.contains("base.toml:31:1") && err.contains("not a time limit"),
            "{err}"
        );

        write(dir.path(), "base.toml", GOOD);
        let child = write(
            dir.path(),
            "c.toml",
            "extends = \"base.toml\"\nname = \"c\"\n[rules]\nhurdle = 3\n",
        );
        let err = Scenario::load(&child).unwrap_err().to_string();
        assert!(
            err.contains("c.toml:4:1") && err.contains("unknown field `hurdle`"),
            "{err}"
        );
    }

    #[test]
    fn circles_missing_parents_and_missing_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "a.toml", "extends = \"b.toml\"\nname = \"a\"\n");
        write(dir.path(), "b.toml", "extends = \"a.toml\"\nname = \"b\"\n");
        assert!(Scenario::load(&a)
            .unwrap_err()
            .to_string()
            .contains("circle"));
        let c = write(
            dir.path(),
            "c.toml",
            "extends = \"nope.toml\"\nname = \"c\"\n",
        );
        assert!(Scenario::load(&c)
            .unwrap_err()
            .to_string()
            .contains("c.toml:1:1"));
        write(dir.path(), "base.toml", GOOD);
        let d = write(dir.path(), "d.toml", "extends = \"base.toml\"\n");
        assert!(Scenario::load(&d)
            .unwrap_err()
            .to_string()
            .contains("needs its own `name`"));
    }
}
