use super::*;
use crate::error::Location;

mod uncertainty;

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
fn budget_mechanics_parse_and_are_off_by_default() {
    assert!(parse(GOOD).unwrap().flex.is_off());
    let text = GOOD.replace(
        "revenue = [10, 20]",
        "revenue = [10, 20]\nrevenue_to_capital_max = 0.1\ncarry_forward_max = 0.05",
    ) + "\n[phasing]\nmay_defer = 2\n\n[match]\nmin_share = { \"EPR\" = 0.5 }\n";
    let f = parse(&text).unwrap().flex;
    assert_eq!(f.revenue_to_capital_max, Some(0.1));
    assert_eq!(f.carry_forward_max, Some(0.05));
    assert_eq!(f.may_defer, Some(2));
    assert_eq!(f.min_match_for("EPR"), Some(0.5));
    assert_eq!(f.min_match_for("PACS"), None);
    assert!(f.moves_money());
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
            time_limit_s: 10.0,
            heuristic: true,
            random_seed: 0,
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
            11,
            "objective.need",
            "only applies to the maturity objective",
        ),
        (
            GOOD.replace("min_benefit_per_pound = 1.5", "min_bcr = -1"),
            17,
            "rules.min_bcr",
            "not a BCR hurdle",
        ),
        (
            format!("{GOOD}[[appraisal.discount]]\nfrom_year = 0\nrate = -0.01\n"),
            34,
            "appraisal.discount.rate",
            "-0.01 is not a discount rate",
        ),
        (
            format!("{GOOD}[[appraisal.discount]]\nfrom_year = 5\nrate = 0.035\n"),
            33,
            "appraisal.discount.from_year",
            "starts at year 5",
        ),
        (
            format!("{GOOD}[appraisal]\nperiod = 1\n"),
            33,
            "appraisal.period",
            "before the fund's last year 2017/18",
        ),
        (
            format!("{GOOD}[appraisal]\nperiod = 2.5\n"),
            33,
            "appraisal.period",
            "not an appraisal period",
        ),
        (
            format!("{GOOD}[appraisal]\noptimism_bias = -0.1\n"),
            33,
            "appraisal.optimism_bias",
            "-0.1 is not an optimism-bias uplift",
        ),
        (
            format!("{GOOD}[appraisal]\nbase_year = \"2017/18\"\n"),
            33,
            "appraisal.base_year",
            "after the fund's first year",
        ),
        (
            format!("{GOOD}[[appraisal.category]]\ncategory = \"EPR\"\noptimism_bias = 3\n"),
            34,
            "appraisal.category.optimism_bias",
            "3 is not an optimism-bias uplift",
        ),
        (
            format!("{GOOD}[appraisal]\nduration_bias = 2.5\n"),
            33,
            "appraisal.duration_bias",
            "2.5 is not a duration optimism-bias uplift",
        ),
        (
            format!("{GOOD}[[appraisal.category]]\ncategory = \"EPR\"\nduration_bias = -1\n"),
            34,
            "appraisal.category.duration_bias",
            "-1 is not a duration optimism-bias uplift",
        ),
        (
            format!("{GOOD}[[appraisal.category]]\ncategory = \"EPR\"\n"),
            32,
            "appraisal.category",
            "the entry for category `EPR` sets no bias",
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
            GOOD.replace("time_limit_s = 10", "time_limit_s = 10\nrandom_seed = -1"),
            32,
            "solver.random_seed",
            "not a seed HiGHS accepts",
        ),
        (
            GOOD.replace("time_limit_s = 10", "time_limit_s = 10\nrandom_seed = 1.5"),
            32,
            "solver.random_seed",
            "not a seed HiGHS accepts",
        ),
        (
            GOOD.replace(
                "time_limit_s = 10",
                "time_limit_s = 10\nrandom_seed = 2147483648",
            ),
            32,
            "solver.random_seed",
            "not a seed HiGHS accepts",
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
        // Budget mechanics: shares outside 0–1, whole years, a switch with one line.
        (
            GOOD.replace(
                "revenue = [10, 20]",
                "revenue = [10, 20]\nrevenue_to_capital_max = 1.5",
            ),
            8,
            "budget.revenue_to_capital_max",
            "1.5 is not a share",
        ),
        (
            GOOD.replace(
                "revenue = [10, 20]",
                "revenue = [10, 20]\ncarry_forward_max = -0.05",
            ),
            8,
            "budget.carry_forward_max",
            "-0.05 is not a share",
        ),
        (
            GOOD.replace("revenue = [10, 20]", "revenue_to_capital_max = 0.1"),
            7,
            "budget.revenue_to_capital_max",
            "needs both a capital and a revenue budget",
        ),
        (
            format!("{GOOD}\n[phasing]\nmay_defer = 0.5\n"),
            34,
            "phasing.may_defer",
            "0.5 is not a whole number of years",
        ),
        (
            format!("{GOOD}\n[match]\nmin_share = {{ \"EPR\" = 2 }}\n"),
            34,
            "match.min_share",
            "2 is not a share",
        ),
        (
            format!("{GOOD}\n[match]\nmin_share = {{ \"EPR\" = \"half\" }}\n"),
            34,
            "match.min_share",
            "must be a number",
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
    assert_eq!(locate::locate(text, "b", "x"), (4, 1));
    assert_eq!(locate::locate(text, "a", "x"), (2, 1));
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

mod input_rules {
    use super::*;

    #[test]
    fn a_value_of_the_wrong_type_names_its_table_and_key() {
        let (line, _, key, msg) = error_at(&GOOD.replace("mip_gap = 0.001", "mip_gap = \"0.001\""));
        assert_eq!(
            (line, key.as_deref()),
            (30, Some("solver.mip_gap")),
            "{msg}"
        );
        assert!(
            msg.contains("`[solver] mip_gap` must be a number, but it is text (\"0.001\")"),
            "{msg}"
        );
        let (line, _, key, msg) = error_at(&GOOD.replace("max_share = 0.5", "max_share = true"));
        assert_eq!(
            (line, key.as_deref()),
            (27, Some("rules.category.max_share")),
            "{msg}"
        );
        let (line, _, key, msg) =
            error_at(&GOOD.replace("years = [\"2016/17\", \"2017/18\"]", "years = 2016"));
        assert_eq!((line, key.as_deref()), (3, Some("years")), "{msg}");
        assert!(msg.contains("must be a list of text"), "{msg}");
    }

    #[test]
    fn an_unknown_key_suggests_the_near_one() {
        let (line, _, key, msg) = error_at(&GOOD.replace("time_limit_s", "time_limit"));
        assert_eq!(
            (line, key.as_deref()),
            (31, Some("solver.time_limit")),
            "{msg}"
        );
        assert!(
            msg.contains("unknown field `time_limit`")
                && msg.contains("did you mean `time_limit_s`"),
            "{msg}"
        );
    }

    #[test]
    fn names_descriptions_and_categories_follow_the_text_rules() {
        let (line, _, key, msg) = error_at(&GOOD.replace(
            "name = \"baseline\"",
            &format!("name = \"{}\"", "a".repeat(101)),
        ));
        assert_eq!((line, key.as_deref()), (1, Some("name")), "{msg}");
        assert!(msg.contains("101 characters long"), "{msg}");
        let (_, _, key, msg) = error_at(&GOOD.replace(
            "name = \"baseline\"",
            "name = \"baseline\"\ndescription = \"a\\u202Eb\"",
        ));
        assert_eq!(key.as_deref(), Some("description"), "{msg}");
        assert!(msg.contains("U+202E"), "{msg}");
        // A multi-line description is fine.
        assert!(parse(&GOOD.replace(
            "name = \"baseline\"",
            "name = \"baseline\"\ndescription = \"\"\"\none\ntwo\"\"\""
        ))
        .is_ok());
        let (_, _, key, msg) =
            error_at(&GOOD.replace("category = \"EPR\"", "category = \"E\\u0000PR\""));
        assert_eq!(key.as_deref(), Some("rules.category.category"), "{msg}");
        let long = "x".repeat(5_000);
        let (_, _, _, msg) =
            error_at(&GOOD.replace("kind = \"maturity\"", &format!("kind = \"{long}\"")));
        assert!(msg.contains('…') && msg.len() < 300, "{msg}");
    }

    #[test]
    fn budgets_beyond_a_trillion_are_refused() {
        let (_, _, key, msg) =
            error_at(&GOOD.replace("capital = [100, 200]", "capital = [100, 2e9]"));
        assert_eq!(key.as_deref(), Some("budget.capital"), "{msg}");
        assert!(msg.contains("£1 trillion"), "{msg}");
    }
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_crash() {
    for text in [
        format!("a = {}{}\n", "[".repeat(200_000), "]".repeat(200_000)),
        format!("a = {}1{}\n", "{b=".repeat(50_000), "}".repeat(50_000)),
        format!("{}b = 1\n", "a.".repeat(100_000)),
    ] {
        let (line, _, _, msg) = error_at(&text);
        assert_eq!(line, 1, "{msg}");
        assert!(msg.contains("recurs"), "{msg}");
    }
}

mod extends_rules {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn category_rules_merge_by_category() {
        // Regression: a child's [[rules.category]] list replaced the parent's whole.
        let dir = tempfile::tempdir().unwrap();
        let parent = GOOD.replace(
            "[solver]",
            "[[rules.category]]\ncategory = \"Wi-Fi\"\nmin_share = 0.1\n\n[solver]",
        );
        write(dir.path(), "base.toml", &parent);
        let child = write(
            dir.path(),
            "c.toml",
            "extends = \"base.toml\"\nname = \"c\"\n[[rules.category]]\ncategory = \"EPR\"\nmin_share = 0.2\n[[rules.category]]\ncategory = \"PACS\"\nmax_share = 0.3\n",
        );
        let s = Scenario::load(&child).unwrap();
        let got: Vec<(&str, Option<f64>, Option<f64>)> = s
            .rules
            .categories
            .iter()
            .map(|c| (c.category.as_str(), c.min_share, c.max_share))
            .collect();
        assert_eq!(
            got,
            vec![
                // The child's EPR rule replaces the parent's whole: no max_share is inherited.
                ("EPR", Some(0.2), None),
                ("Wi-Fi", Some(0.1), None),
                ("PACS", None, Some(0.3)),
            ]
        );
        // A child that names one category twice is still refused.
        let twice = write(
            dir.path(),
            "d.toml",
            "extends = \"base.toml\"\nname = \"d\"\n[[rules.category]]\ncategory = \"EPR\"\n[[rules.category]]\ncategory = \"EPR\"\n",
        );
        assert!(Scenario::load(&twice)
            .unwrap_err()
            .to_string()
            .contains("has two rules"));
    }

    #[test]
    fn a_wrong_type_in_a_parent_is_blamed_on_the_parent() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "base.toml",
            &GOOD.replace("time_limit_s = 10", "time_limit_s = [10]"),
        );
        let child = write(
            dir.path(),
            "c.toml",
            "extends = \"base.toml\"\nname = \"c\"\n",
        );
        let err = Scenario::load(&child).unwrap_err().to_string();
        assert!(
            err.contains("base.toml:31:1 (`solver.time_limit_s`)")
                && err.contains("must be a number, but it is a list"),
            "{err}"
        );
    }

    #[test]
    fn long_chains_and_unreadable_parents_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "s0.toml", GOOD);
        for i in 1..=20 {
            write(
                dir.path(),
                &format!("s{i}.toml"),
                &format!("extends = \"s{}.toml\"\nname = \"s{i}\"\n", i - 1),
            );
        }
        let err = Scenario::load(&dir.path().join("s20.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("longer than 16 files"), "{err}");
        std::fs::create_dir(dir.path().join("folder.toml")).unwrap();
        let c = write(
            dir.path(),
            "c.toml",
            "extends = \"folder.toml\"\nname = \"c\"\n",
        );
        let err = Scenario::load(&c).unwrap_err().to_string();
        assert!(
            err.contains("c.toml:1:1") && err.contains("folder"),
            "{err}"
        );
        let bad = write(dir.path(), "bad.toml", "name = \"b\"\n");
        std::fs::write(&bad, b"name = \"\xA3\"\n").unwrap();
        let err = Scenario::load(&bad).unwrap_err().to_string();
        assert!(
            err.contains("bad.toml:1:9") && err.contains("not UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn a_category_rule_error_points_at_that_category_s_entry() {
        // Errors used to point at the first [[rules.category]] with the key, whichever
        // category was wrong.
        let dir = tempfile::tempdir().unwrap();
        let parent = GOOD.replace(
            "[solver]",
            "[[rules.category]]\ncategory = \"Wi-Fi\"\nmax_share = 0.2\n\n[solver]",
        );
        write(dir.path(), "base.toml", &parent);
        let child = write(
            dir.path(),
            "c.toml",
            "extends = \"base.toml\"\nname = \"c\"\n[[rules.category]]\ncategory = \"PACS\"\nmax_share = 0.1\n[[rules.category]]\ncategory = \"Wi-Fi\"\nmax_share = 1.2\n",
        );
        let err = Scenario::load(&child).unwrap_err().to_string();
        assert!(
            err.contains("c.toml:8:1 (`rules.category.max_share`)")
                && err.contains("1.2 is not a share"),
            "{err}"
        );
        let twice = write(
            dir.path(),
            "d.toml",
            "extends = \"base.toml\"\nname = \"d\"\n[[rules.category]]\ncategory = \"EPR\"\n[[rules.category]]\ncategory = \"EPR\"\n",
        );
        let err = Scenario::load(&twice).unwrap_err().to_string();
        assert!(
            err.contains("d.toml:6:1 (`rules.category.category`)"),
            "{err}"
        );
    }
}

mod controls {
    use super::*;

    fn with(extra_rules: &str, tail: &str) -> String {
        GOOD.replace(
            "[rules]\nmin_benefit_per_pound = 1.5\n",
            &format!("[rules]\nmin_benefit_per_pound = 1.5\n{extra_rules}"),
        )
        .replace("[solver]", &format!("{tail}\n[solver]"))
    }

    #[test]
    fn locks_footprint_and_region_rules_and_the_fair_share_basis_parse() {
        let s = parse(&with(
            "lock_in = [\"P0142\"]\nlock_out = [\"P0007\", \"P0008\"]\nfair_share = \"weighted_population\"\n",
            "[[rules.footprint]]\nid = \"E54000007\"\nfloor = 60000\n[[rules.footprint]]\nname = \"Cumbria\"\ncap = 9000\n[[rules.region]]\nregion = \"London\"\nfloor = 1\ncap = 2\n",
        ))
        .unwrap();
        assert_eq!(s.rules.lock_in, ["P0142"]);
        assert_eq!(s.rules.lock_out, ["P0007", "P0008"]);
        assert_eq!(s.rules.fair_share, FairShareBasis::WeightedPopulation);
        assert_eq!(
            s.rules.footprints,
            vec![
                FootprintRule {
                    footprint: FootprintRef::Id("E54000007".into()),
                    floor: Some(60000.0),
                    cap: None
                },
                FootprintRule {
                    footprint: FootprintRef::Name("Cumbria".into()),
                    floor: None,
                    cap: Some(9000.0)
                },
            ]
        );
        assert_eq!(
            s.rules.regions,
            vec![RegionRule {
                region: "London".into(),
                floor: Some(1.0),
                cap: Some(2.0)
            }]
        );
        // The default basis is the population.
        assert_eq!(
            parse(GOOD).unwrap().rules.fair_share,
            FairShareBasis::Population
        );
    }

    #[test]
    fn ignore_drops_those_rules_from_the_scenario_and_says_so() {
        let s = parse(&with(
            "",
            "[[rules.footprint]]\nid = \"E1\"\nfloor = 5\ncap = 9\n[[rules.region]]\nregion = \"London\"\nfloor = 1\n[ignore]\nfloors = true\ncategories = true\nhurdle = true\nmust_fund = true\n",
        ))
        .unwrap();
        let without = parse(GOOD).unwrap().rules;
        assert_eq!(s.rules.footprint_floor, None);
        assert_eq!(s.rules.footprint_cap, without.footprint_cap, "caps stay");
        assert_eq!(s.rules.footprints[0].floor, None);
        assert_eq!(s.rules.footprints[0].cap, Some(9.0));
        assert_eq!(s.rules.regions[0].floor, None);
        assert!(s.rules.categories.is_empty());
        assert_eq!(s.rules.min_benefit_per_pound, None);
        assert_eq!(
            s.rules.ignore.kinds(),
            [
                "floors",
                "category shares",
                "value-for-money hurdle",
                "the bids' must_fund flags"
            ]
        );
        assert!(!s.rules.has_floors());
    }

    #[test]
    fn either_budget_line_may_be_absent_but_not_both() {
        let revenue_only = GOOD.replace("capital = [100, 200]\n", "");
        let s = parse(&revenue_only).unwrap();
        assert_eq!(s.lines(), [BudgetLine::Revenue]);
        assert_eq!(s.total_budget(), 30.0);
        let neither = revenue_only.replace("revenue = [10, 20]\n", "");
        // An empty list is a line the fund does not pay, so a child can drop a parent's.
        let emptied = GOOD.replace("capital = [100, 200]", "capital = []");
        assert_eq!(parse(&emptied).unwrap().lines(), [BudgetLine::Revenue]);
        let (line, column, key, text) = error_at(&neither);
        assert_eq!((line, column, key.as_deref()), (5, 1, Some("budget")));
        assert!(text.contains("neither `capital` nor `revenue`"), "{text}");
    }

    #[test]
    fn bad_controls_name_the_place_and_the_fix() {
        let cases: &[(&str, &str, u64, &str, &str)] = &[
            (
                "lock_in = [\"P1\", \"P1\"]\n",
                "",
                18,
                "rules.lock_in",
                "listed twice",
            ),
            (
                "lock_in = [\"P1\"]\nlock_out = [\"P1\"]\n",
                "",
                19,
                "rules.lock_out",
                "in both `lock_in` and `lock_out`",
            ),
            (
                "fair_share = \"capitation\"\n",
                "",
                18,
                "rules.fair_share",
                "use `population` (the default) or `weighted_population`",
            ),
            (
                "",
                "[[rules.footprint]]\nid = \"A\"\nname = \"Alpha\"\nfloor = 1\n",
                29,
                "rules.footprint",
                "exactly one of `id` or `name`",
            ),
            (
                "",
                "[[rules.footprint]]\nid = \"A\"\nfloor = 1\n[[rules.footprint]]\nid = \"B\"\nfloor = 5\ncap = 4\n",
                34,
                "rules.footprint.floor",
                "floor 5 is above cap 4",
            ),
            (
                "",
                "[[rules.footprint]]\nid = \"A\"\nfloor = 1\n[[rules.footprint]]\nid = \"A\"\ncap = 4\n",
                33,
                "rules.footprint.id",
                "footprint `A` has two rules",
            ),
            (
                "",
                "[[rules.region]]\nregion = \"London\"\ncap = -1\n",
                31,
                "rules.region.cap",
                "-1 is not an amount",
            ),
            (
                "",
                "[ignore]\nfloors = \"yes\"\n",
                30,
                "ignore.floors",
                "must be true or false",
            ),
        ];
        for (rules, tail, line, key, words) in cases {
            let (l, _, k, text) = error_at(&with(rules, tail));
            assert_eq!(
                (l, k.as_deref()),
                (*line, Some(*key)),
                "{rules}{tail}: {text}"
            );
            assert!(text.contains(words), "{rules}{tail}: {text}");
        }
    }
}

mod extends_controls {
    use super::*;

    #[test]
    fn footprint_and_region_rules_merge_by_what_they_name() {
        let dir = tempfile::tempdir().unwrap();
        let parent = GOOD.replace(
            "[solver]",
            "[[rules.footprint]]\nid = \"A\"\nfloor = 10\ncap = 20\n[[rules.footprint]]\nid = \"B\"\ncap = 30\n[[rules.region]]\nregion = \"North\"\ncap = 50\n\n[solver]",
        );
        std::fs::write(dir.path().join("base.toml"), parent).unwrap();
        let child = dir.path().join("c.toml");
        std::fs::write(
            &child,
            "extends = \"base.toml\"\nname = \"c\"\n[[rules.footprint]]\nid = \"A\"\nfloor = 15\n[[rules.region]]\nregion = \"South\"\nfloor = 5\n",
        )
        .unwrap();
        let s = Scenario::load(&child).unwrap();
        let footprints: Vec<(FootprintRef, Option<f64>, Option<f64>)> = s
            .rules
            .footprints
            .iter()
            .map(|r| (r.footprint.clone(), r.floor, r.cap))
            .collect();
        assert_eq!(
            footprints,
            vec![
                // Replaced whole: the parent's cap for A is not inherited.
                (FootprintRef::Id("A".into()), Some(15.0), None),
                (FootprintRef::Id("B".into()), None, Some(30.0)),
            ]
        );
        let regions: Vec<&str> = s.rules.regions.iter().map(|r| r.region.as_str()).collect();
        assert_eq!(regions, ["North", "South"]);
    }
}

mod alternatives {
    use super::*;

    /// GOOD (31 lines) in all-or-nothing mode, a blank line, `[alternatives]` at line
    /// 33 and `table` from line 34.
    fn with(table: &str) -> String {
        format!(
            "{}\n[alternatives]\n{table}",
            GOOD.replace("mode = \"partial\"", "mode = \"all_or_nothing\"")
        )
    }

    #[test]
    fn the_request_parses() {
        let s = parse(&with("count = 5\nwithin = 0.005\ndiffer_by = 10\n")).unwrap();
        assert_eq!(
            s.alternatives,
            Some(AlternativesRequest {
                count: 5,
                within: 0.005,
                differ_by: 10
            })
        );
        assert!(s.cuts.is_empty());
        assert_eq!(
            parse(&GOOD.replace("partial", "all_or_nothing"))
                .unwrap()
                .alternatives,
            None
        );
    }

    #[test]
    fn bad_requests_name_the_key_and_the_fix() {
        let full = |count: &str, within: &str, differ_by: &str| {
            format!("count = {count}\nwithin = {within}\ndiffer_by = {differ_by}\n")
        };
        let cases: Vec<(String, u64, &str, &str)> = vec![
            (
                full("0", "0.005", "10"),
                34,
                "alternatives.count",
                "not a number of alternatives",
            ),
            (
                full("2.5", "0.005", "10"),
                34,
                "alternatives.count",
                "whole number",
            ),
            (
                full("-3", "0.005", "10"),
                34,
                "alternatives.count",
                "not a number of alternatives",
            ),
            (
                full("1000", "0.005", "10"),
                34,
                "alternatives.count",
                "from 1 to 100",
            ),
            (
                full("5", "0", "10"),
                35,
                "alternatives.within",
                "not a share",
            ),
            (
                full("5", "1", "10"),
                35,
                "alternatives.within",
                "above 0 and below 1",
            ),
            (
                full("5", "-0.1", "10"),
                35,
                "alternatives.within",
                "not a share",
            ),
            (
                full("5", "nan", "10"),
                35,
                "alternatives.within",
                "not a share",
            ),
            (
                full("5", "0.005", "0"),
                36,
                "alternatives.differ_by",
                "not a number of bids",
            ),
            (
                full("5", "0.005", "1.5"),
                36,
                "alternatives.differ_by",
                "whole number",
            ),
            (
                full("5", "0.005", "\"ten\""),
                36,
                "alternatives.differ_by",
                "must be a number",
            ),
            (
                "within = 0.005\ndiffer_by = 10\n".into(),
                33,
                "alternatives.count",
                "has no `count`",
            ),
            (
                "count = 5\ndiffer_by = 10\n".into(),
                33,
                "alternatives.within",
                "has no `within`",
            ),
            (
                "count = 5\nwithin = 0.01\n".into(),
                33,
                "alternatives.differ_by",
                "has no `differ_by`",
            ),
            (
                full("5", "0.005", "10") + "differs = 3\n",
                37,
                "alternatives.differs",
                "unknown field",
            ),
        ];
        for (table, line, key, words) in cases {
            let (l, _, k, msg) = error_at(&with(&table));
            assert_eq!((l, k.as_deref()), (line, Some(key)), "{table}: {msg}");
            assert!(msg.contains(words), "expected {words:?} in {msg:?}");
        }
    }

    #[test]
    fn partial_funding_refuses_alternatives_at_the_table() {
        let text = format!("{GOOD}\n[alternatives]\ncount = 5\nwithin = 0.005\ndiffer_by = 10\n");
        let (l, _, k, msg) = error_at(&text);
        assert_eq!((l, k.as_deref()), (33, Some("alternatives")), "{msg}");
        assert!(msg.contains("all-or-nothing"), "{msg}");
        assert!(msg.contains("mode = \"all_or_nothing\""), "{msg}");
    }
}

#[test]
fn appraisal_settings_parse_with_green_book_defaults() {
    let plain = parse(GOOD).unwrap();
    assert_eq!(plain.appraisal, None);
    assert!(!plain.appraises());
    let text = format!(
        "{}[appraisal]\nperiod = 12\noptimism_bias = 0.3\noptimism_bias_in_budget = true\n[[appraisal.discount]]\nfrom_year = 0\nrate = 0.05\n[[appraisal.category]]\ncategory = \"EPR\"\noptimism_bias = 0.66\n",
        GOOD.replace("min_benefit_per_pound = 1.5", "min_bcr = 1.5")
    );
    let s = parse(&text).unwrap();
    let a = s.appraisal.clone().unwrap();
    assert_eq!(a.period, 12);
    assert_eq!(a.base_year.label(), "2016/17");
    assert_eq!(a.schedule.steps, vec![(0, 0.05)]);
    assert_eq!(a.optimism_bias, 0.3);
    assert_eq!(a.by_category, vec![("EPR".to_string(), 0.66)]);
    assert!(a.in_budget);
    // Duration optimism bias: the default (the IT lower bound) unless set.
    assert_eq!(
        a.duration_bias,
        crate::appraisal::settings::DEFAULT_DURATION_BIAS
    );
    assert!(a.duration_by_category.is_empty());
    let with_duration = parse(&format!(
        "{text}[[appraisal.category]]\ncategory = \"PACS\"\nduration_bias = 0.54\n"
    ))
    .unwrap()
    .appraisal
    .unwrap();
    assert_eq!(with_duration.by_category, vec![("EPR".to_string(), 0.66)]);
    assert_eq!(
        with_duration.duration_by_category,
        vec![("PACS".to_string(), 0.54)]
    );
    let set = parse(&text.replace("period = 12", "period = 12\nduration_bias = 0.54"))
        .unwrap()
        .appraisal
        .unwrap();
    assert_eq!(set.duration_bias, 0.54);
    assert_eq!(s.rules.min_bcr, Some(1.5));
    assert!(s.appraises());
    // [ignore] hurdle drops the BCR hurdle too.
    let ignored = parse(&format!("{text}[ignore]\nhurdle = true\n")).unwrap();
    assert_eq!(ignored.rules.min_bcr, None);
    // Without [appraisal], the defaults: 10 years from the first year, the Green Book.
    let d = plain.appraisal_settings();
    assert_eq!(d.period, 10);
    assert_eq!(d.schedule, crate::appraisal::Schedule::default());
}

#[test]
fn a_random_seed_reaches_the_solver_settings() {
    let text = GOOD.replace("time_limit_s = 10", "time_limit_s = 10\nrandom_seed = 7");
    assert_eq!(parse(&text).unwrap().solver.random_seed, 7);
    assert_eq!(parse(GOOD).unwrap().solver.random_seed, 0);
}
