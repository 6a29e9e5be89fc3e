//! Issue 10 end to end: the scenario controls an analyst reaches for (locks, footprint
//! and region rules, fair shares by weighted population, `[ignore]`, one-line funds,
//! the formula with reallocation, category rules along an extends chain), each on a
//! case small enough to work by hand.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use techfund::allocation::{Allocation, Method};
use techfund::error::Error;
use techfund::pipeline::{self, Timings};

/// Two footprints with opposite weights: Alpha has a quarter of the population but
/// three quarters of the weighted population, Beta the reverse.
const FOOTPRINTS: &str = "footprint_id,name,region,population,weighted_population,readiness,capabilities,infrastructure\nA,Alpha,North,1000000,3000000,70,40,60\nB,Beta,South,3000000,1000000,80,50,65\n";
/// On a capital fund of £100k, the best portfolio is A1 alone (500); A2 with B1 is the
/// best without it (350). B1 and B2 are alternatives.
const PROJECTS: &str = "project_id,footprint_id,title,category,benefit,maturity_uplift,capital_2016_17,revenue_2016_17,min_fraction,requires,exclusive_group,must_fund,never_fund\n\
A1,A,EPR for Alpha,EPR,500,1,100,0,,,,,\n\
A2,A,PACS for Alpha,PACS,200,1,60,0,,,,,\n\
B1,B,EPR for Beta,EPR,150,1,40,0,,,g,,\n\
B2,B,EPR lite for Beta,EPR,100,1,30,0,,,g,,\n";

const BASE: &str = "name = \"base\"\ndata = \"data\"\nyears = [\"2016/17\"]\n[budget]\ncapital = [100]\n[objective]\nkind = \"benefit\"\n[funding]\nmode = \"all_or_nothing\"\n[solver]\nmip_gap = 0\n";

/// A work folder holding the dataset and `base.toml`.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/footprints.csv"), FOOTPRINTS).unwrap();
    std::fs::write(dir.path().join("data/projects.csv"), PROJECTS).unwrap();
    std::fs::write(dir.path().join("base.toml"), BASE).unwrap();
    dir
}

/// A scenario `name` extending base.toml with `body`.
fn child(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!("extends = \"base.toml\"\nname = \"{name}\"\n{body}"),
    )
    .unwrap();
    path
}

fn solve(path: &Path) -> Result<Allocation, Error> {
    let mut t = Timings::default();
    let inputs = pipeline::load(path, &mut t)?;
    pipeline::solve(&inputs, &mut t)
}

fn funded(a: &Allocation) -> Vec<&str> {
    let mut ids: Vec<&str> = a
        .projects
        .iter()
        .filter(|p| p.fraction > 0.5)
        .map(|p| p.project_id.as_str())
        .collect();
    ids.sort();
    ids
}

fn comparison(a: &Allocation, method: Method) -> f64 {
    a.comparisons
        .iter()
        .find(|c| c.method == method)
        .unwrap()
        .value
}

#[test]
fn a_lock_changes_the_optimum_by_the_value_worked_by_hand() {
    let dir = folder();
    let base = solve(&dir.path().join("base.toml")).unwrap();
    assert_eq!((base.total_value, funded(&base)), (500.0, vec!["A1"]));
    // Locking A2 in leaves no room for A1: the best is A2 with B1, £150k less.
    let locked = solve(&child(
        dir.path(),
        "locked",
        "[rules]\nlock_in = [\"A2\"]\n",
    ))
    .unwrap();
    assert_eq!(
        (locked.total_value, funded(&locked)),
        (350.0, vec!["A2", "B1"])
    );
    assert_eq!(base.total_value - locked.total_value, 150.0);
    // Locking A1 out gives the same answer, and says why A1 is not funded.
    let out = solve(&child(dir.path(), "out", "[rules]\nlock_out = [\"A1\"]\n")).unwrap();
    assert_eq!((out.total_value, funded(&out)), (350.0, vec!["A2", "B1"]));
    let a1 = out.projects.iter().find(|p| p.project_id == "A1").unwrap();
    assert_eq!(a1.reason, "locked out by the scenario ([rules] lock_out)");
}

#[test]
fn a_lock_that_conflicts_with_another_rule_is_explained_like_any_infeasibility() {
    let dir = folder();
    // B1 and B2 are alternatives: both cannot be locked in, and the group is not a rule
    // an analyst can relax, so the lock is what must give.
    let s = child(dir.path(), "both", "[rules]\nlock_in = [\"B1\", \"B2\"]\n");
    let out = Command::cargo_bin("techfund")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", "both.toml", "--out", "out", "--quiet"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("has no feasible allocation") && stderr.contains("- lock-in B"),
        "{stderr}"
    );
    assert!(
        stderr.contains("take it out of [rules] lock_in"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "no report");
    assert!(matches!(solve(&s), Err(Error::Infeasible { .. })));
    // Locks the budget cannot pay for are named before any solve.
    let err = solve(&child(
        dir.path(),
        "dear",
        "[rules]\nlock_in = [\"A1\", \"B1\"]\n",
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("the must-fund and locked-in bids need £140k of capital in 2016/17, more than its budget of £100k: A1, B1")
            && err.contains("take it out of [rules] lock_in"),
        "{err}"
    );
}

#[test]
fn unknown_locks_footprints_and_regions_are_errors_naming_the_key_and_what_exists() {
    let dir = folder();
    let cases = [
        (
            "[rules]\nlock_in = [\"A1\", \"A9\"]\n",
            "lock.toml:4:1 (`rules.lock_in`)",
            "`lock_in` names project `A9`",
        ),
        (
            "[[rules.footprint]]\nid = \"C\"\nfloor = 5\n",
            "lock.toml:4:1 (`rules.footprint.id`)",
            "no footprint has the id `C`",
        ),
        (
            "[[rules.footprint]]\nname = \"Alph\"\nfloor = 5\n",
            "did you mean `Alpha`?",
            "such as Alpha, Beta",
        ),
        (
            "[[rules.region]]\nregion = \"London\"\ncap = 5\n",
            "lock.toml:4:1 (`rules.region.region`)",
            "a region of footprints.csv's `region` column: North, South",
        ),
    ];
    for (body, place, words) in cases {
        child(dir.path(), "lock", body);
        let out = Command::cargo_bin("techfund")
            .unwrap()
            .current_dir(dir.path())
            .args(["validate", "lock.toml"])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            stderr.contains(place) && stderr.contains(words),
            "{body}: {stderr}"
        );
    }
}

#[test]
fn a_footprint_floor_binds_by_id_or_by_name() {
    let dir = folder();
    for (name, by) in [("by_id", "id = \"B\""), ("by_name", "name = \"Beta\"")] {
        let a = solve(&child(
            dir.path(),
            name,
            &format!("[[rules.footprint]]\n{by}\nfloor = 40\n"),
        ))
        .unwrap();
        // Beta must get £40k: B1, and A1 no longer fits beside it.
        assert_eq!((a.total_value, funded(&a)), (350.0, vec!["A2", "B1"]));
        let floor = a
            .rule_use
            .iter()
            .find(|r| r.name == "floor for footprint B (Beta)")
            .unwrap();
        assert!(floor.binding, "{floor:?}");
        assert_eq!((floor.limit, floor.used), (40.0, 40.0));
    }
    // The footprint's own cap replaces the general one for it alone.
    let a = solve(&child(
        dir.path(),
        "caps",
        "[rules.footprint_cap]\namount = 0\n[[rules.footprint]]\nid = \"A\"\ncap = 60\n",
    ))
    .unwrap();
    assert_eq!((a.total_value, funded(&a)), (200.0, vec!["A2"]));
}

#[test]
fn a_region_cap_counts_every_footprint_of_the_region() {
    let dir = folder();
    let a = solve(&child(
        dir.path(),
        "north",
        "[[rules.region]]\nregion = \"North\"\ncap = 50\n",
    ))
    .unwrap();
    assert_eq!((a.total_value, funded(&a)), (150.0, vec!["B1"]));
    let a1 = a.projects.iter().find(|p| p.project_id == "A1").unwrap();
    assert!(
        a1.reason.contains("region cap reached for North"),
        "{}",
        a1.reason
    );
    assert!(a
        .rule_use
        .iter()
        .any(|r| r.name == "cap for region North" && r.binding));
    // Region floors that cannot be met together are explained like any infeasibility.
    // The smallest change is £40k in all, which the budget or South's floor may take
    // alone, or the two share: all are smallest, and the explanation names one of them
    // (which one is HiGHS' choice among equals).
    let err = solve(&child(
        dir.path(),
        "south",
        "[[rules.region]]\nregion = \"South\"\nfloor = 40\n[[rules.region]]\nregion = \"North\"\nfloor = 100\n",
    ))
    .unwrap_err();
    assert!(matches!(err, Error::Infeasible { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("capital budget 2016/17: £40k short")
            || text.contains("floor for region South: cannot be met by £40k")
            || (text.contains("capital budget 2016/17: £30k short")
                && text.contains("floor for region South: cannot be met by £10k")),
        "{err}"
    );
    // South's bids are alternatives (£40k or £30k), so a £70k floor for the region is
    // what must give: by £30k.
    let err = solve(&child(
        dir.path(),
        "alternatives",
        "[[rules.region]]\nregion = \"South\"\nfloor = 70\n",
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("- floor for region South: cannot be met by £30k"),
        "{err}"
    );
}

#[test]
fn ignoring_floors_gives_the_answer_of_a_scenario_without_floors() {
    let dir = folder();
    let floors = "[rules.footprint_floor]\namount = 30\n[[rules.footprint]]\nid = \"B\"\nfloor = 40\n[[rules.region]]\nregion = \"South\"\nfloor = 40\n";
    let with = solve(&child(dir.path(), "with", floors)).unwrap();
    assert_eq!(with.total_value, 350.0, "the floors bind");
    let ignored = solve(&child(
        dir.path(),
        "ignored",
        &format!("{floors}[ignore]\nfloors = true\n"),
    ))
    .unwrap();
    let without = solve(&dir.path().join("base.toml")).unwrap();
    assert_eq!(ignored.total_value, without.total_value);
    assert_eq!(funded(&ignored), funded(&without));
    assert!(ignored.rule_use.iter().all(|r| !r.name.contains("floor")));

    // The same on the default dataset, whose floors bind.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let what_if = solve(&root.join("scenarios/what_if_no_floors.toml")).unwrap();
    let baseline = std::fs::read_to_string(root.join("scenarios/baseline.toml")).unwrap();
    let start = baseline.find("[rules.footprint_floor]").unwrap();
    let end = start + baseline[start..].find("\n\n").unwrap();
    let no_floors = baseline[..start].to_string() + &baseline[end..];
    assert!(!no_floors.contains("footprint_floor"));
    let path = dir.path().join("no_floors.toml");
    std::fs::write(
        &path,
        no_floors.replace(
            "data = \"../data\"",
            &format!("data = \"{}\"", root.join("data").display()),
        ),
    )
    .unwrap();
    let no_floors = solve(&path).unwrap();
    let shares = |a: &Allocation| {
        let mut v: Vec<(String, f64)> = a
            .projects
            .iter()
            .map(|p| (p.project_id.clone(), p.fraction))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(shares(&what_if), shares(&no_floors));
    assert_eq!(what_if.total_value, no_floors.total_value);
    let summary = techfund::report::markdown::summary(&what_if);
    assert!(
        summary.contains("This run ignores floors (`[ignore]` in the scenario)."),
        "{summary}"
    );
}

#[test]
fn the_other_ignore_switches_drop_their_rules() {
    let dir = folder();
    // Categories: EPR capped at nothing keeps A1 out, unless ignored.
    let cat = "[[rules.category]]\ncategory = \"EPR\"\nmax_share = 0\n";
    let kept = solve(&child(dir.path(), "cat", cat)).unwrap();
    assert_eq!(funded(&kept), vec!["A2"]);
    let ignored = solve(&child(
        dir.path(),
        "cat2",
        &format!("{cat}[ignore]\ncategories = true\n"),
    ))
    .unwrap();
    assert_eq!(funded(&ignored), vec!["A1"]);
    // The hurdle: A1 returns 5 per £, A2 3.3; a hurdle of 6 excludes everything.
    let hurdle = "[rules]\nmin_benefit_per_pound = 6\n";
    assert_eq!(
        solve(&child(dir.path(), "h", hurdle)).unwrap().total_value,
        0.0
    );
    let ignored = solve(&child(
        dir.path(),
        "h2",
        &format!("{hurdle}[ignore]\nhurdle = true\n"),
    ))
    .unwrap();
    assert_eq!(ignored.total_value, 500.0);
    // Caps.
    let cap = "[rules.footprint_cap]\namount = 0\n";
    assert_eq!(
        solve(&child(dir.path(), "c", cap)).unwrap().total_value,
        0.0
    );
    let ignored = solve(&child(
        dir.path(),
        "c2",
        &format!("{cap}[ignore]\ncaps = true\n"),
    ))
    .unwrap();
    assert_eq!(ignored.total_value, 500.0);
}

#[test]
fn ignoring_must_fund_and_dependencies_drops_them_from_the_bids() {
    let dir = folder();
    // A2 must be funded and A1 requires B2 (so A1 needs £130k and cannot be funded).
    let projects = PROJECTS
        .replace(
            "A2,A,PACS for Alpha,PACS,200,1,60,0,,,,,",
            "A2,A,PACS for Alpha,PACS,200,1,60,0,,,,true,",
        )
        .replace(
            "A1,A,EPR for Alpha,EPR,500,1,100,0,,,,,",
            "A1,A,EPR for Alpha,EPR,500,1,100,0,,B2,,,",
        );
    std::fs::write(dir.path().join("data/projects.csv"), projects).unwrap();
    let kept = solve(&dir.path().join("base.toml")).unwrap();
    assert_eq!(funded(&kept), vec!["A2", "B1"]);
    let ignored = solve(&child(
        dir.path(),
        "free",
        "[ignore]\nmust_fund = true\ndependencies = true\n",
    ))
    .unwrap();
    assert_eq!(funded(&ignored), vec!["A1"]);
    let summary = techfund::report::markdown::summary(&ignored);
    assert!(
        summary.contains("This run ignores dependencies, the bids' must_fund flags (`[ignore]` in the scenario)."),
        "{summary}"
    );
}

#[test]
fn fair_shares_by_weighted_population_worked_by_hand() {
    let dir = folder();
    let pop = solve(&child(dir.path(), "pop", "")).unwrap();
    let weighted = solve(&child(
        dir.path(),
        "weighted",
        "[rules]\nfair_share = \"weighted_population\"\n",
    ))
    .unwrap();
    let fair = |a: &Allocation| -> Vec<f64> { a.footprints.iter().map(|f| f.fair_share).collect() };
    // Alpha has 1m of 4m people but 3m of 4m weighted people.
    assert_eq!(fair(&pop), [25.0, 75.0]);
    assert_eq!(fair(&weighted), [75.0, 25.0]);
    // A1 funded: £100k over 1m people is 10p a head, over 3m weighted people 3.3p.
    assert_eq!(pop.footprints[0].per_head, 0.1);
    assert!((weighted.footprints[0].per_head - 0.1 / 3.0).abs() < 1e-12);
    // The formula: by population Alpha's £25k buys nothing and Beta's £75k buys B1
    // (150); by weighted population Alpha's £75k buys A2 (200) and Beta's £25k nothing.
    assert_eq!(comparison(&pop, Method::FairShare), 150.0);
    assert_eq!(comparison(&weighted, Method::FairShare), 200.0);
    // With reallocation the £60k (or £40k) left is passed on: A2 (or B1) as well.
    assert_eq!(comparison(&pop, Method::FairShareReallocated), 350.0);
    assert_eq!(comparison(&weighted, Method::FairShareReallocated), 350.0);
    let spent =
        |a: &Allocation, m: Method| a.comparisons.iter().find(|c| c.method == m).unwrap().spent;
    assert_eq!(spent(&pop, Method::FairShare), 40.0);
    assert_eq!(spent(&pop, Method::FairShareReallocated), 100.0);
    // Caps at the fair share: Alpha's £25k cap keeps it out by population (B1 alone,
    // 150); by weighted population Alpha may take A2 and Beta's £25k cap keeps B out.
    let cap = "[rules.footprint_cap]\nshare_of_fair_share = 1.0\n";
    let pop_capped = solve(&child(dir.path(), "pc", cap)).unwrap();
    let weighted_capped = solve(&child(
        dir.path(),
        "wc",
        &format!("{cap}[rules]\nfair_share = \"weighted_population\"\n"),
    ))
    .unwrap();
    assert_eq!(
        (pop_capped.total_value, funded(&pop_capped)),
        (150.0, vec!["B1"])
    );
    assert_eq!(
        (weighted_capped.total_value, funded(&weighted_capped)),
        (200.0, vec!["A2"])
    );
    // Every report says which basis it used.
    let summary = techfund::report::markdown::summary(&weighted);
    assert!(summary.contains("are by weighted population."), "{summary}");
    // A dataset without weighted populations cannot share by them.
    std::fs::write(
        dir.path().join("data/footprints.csv"),
        FOOTPRINTS.replace(",3000000,70", ",,70"),
    )
    .unwrap();
    let err = solve(&dir.path().join("weighted.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("weighted.toml:4:1") && err.contains("gives none for A"),
        "{err}"
    );
}

#[test]
fn a_revenue_only_fund_says_which_bids_ask_nothing_of_it() {
    let dir = folder();
    // Every bid here is capital, so none costs this fund anything: each is a decision
    // at no cost, funded when it adds value (B1 wins the group).
    // An empty list drops a line a parent sets: revenue only, as rev.toml.
    let dropped = solve(&child(
        dir.path(),
        "revenue_only",
        "[budget]\ncapital = []\nrevenue = [100]\n",
    ))
    .unwrap();
    assert_eq!(dropped.lines, [techfund::domain::BudgetLine::Revenue]);
    std::fs::write(
        dir.path().join("rev.toml"),
        BASE.replace("capital = [100]", "revenue = [100]")
            .replace("\"base\"", "\"rev\""),
    )
    .unwrap();
    let a = solve(&dir.path().join("rev.toml")).unwrap();
    assert_eq!(a.lines.len(), 1);
    assert_eq!(funded(&a), vec!["A1", "A2", "B1"]);
    assert_eq!(a.total_funded, 0.0);
    let a1 = a.projects.iter().find(|p| p.project_id == "A1").unwrap();
    assert_eq!(
        a1.reason,
        "asks nothing of the fund's lines: its £100k is capital, which this fund does not pay"
    );
    let b2 = a.projects.iter().find(|p| p.project_id == "B2").unwrap();
    assert!(
        b2.reason
            .starts_with("asks nothing of the fund's lines: its £30k is capital")
            && b2.reason.contains("exclusive group g"),
        "{}",
        b2.reason
    );
}

#[test]
fn category_rules_merge_by_category_along_an_extends_chain() {
    let dir = folder();
    // The parent: EPR at most 30% and PACS at least 40% of the money allocated: A2
    // alone (200). The child lifts EPR's cap but keeps PACS's minimum: A2 with B1
    // (350; EPR 40%, PACS 60%). Had the child's list replaced the parent's, A1 (500).
    child(
        dir.path(),
        "parent",
        "[[rules.category]]\ncategory = \"EPR\"\nmax_share = 0.3\n[[rules.category]]\ncategory = \"PACS\"\nmin_share = 0.4\n",
    );
    let parent = solve(&dir.path().join("parent.toml")).unwrap();
    assert_eq!((parent.total_value, funded(&parent)), (200.0, vec!["A2"]));
    let path = dir.path().join("kid.toml");
    std::fs::write(
        &path,
        "extends = \"parent.toml\"\nname = \"kid\"\n[[rules.category]]\ncategory = \"EPR\"\nmax_share = 1.0\n",
    )
    .unwrap();
    let kid = solve(&path).unwrap();
    assert_eq!((kid.total_value, funded(&kid)), (350.0, vec!["A2", "B1"]));
}

#[test]
fn every_scenario_in_the_folder_is_valid_and_the_leeds_locks_hold() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for e in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            Command::cargo_bin("techfund")
                .unwrap()
                .arg("validate")
                .arg(&path)
                .assert()
                .success();
        }
    }
    let a = solve(&root.join("scenarios/leeds_locked.toml")).unwrap();
    let status = |id: &str| {
        a.projects
            .iter()
            .find(|p| p.project_id == id)
            .map(|p| (p.fraction, p.status))
            .unwrap()
    };
    assert_eq!(status("P0230").0, 1.0);
    assert_eq!(
        status("P0231").1,
        techfund::allocation::ProjectStatus::ExcludedByRule
    );
    let leeds = a
        .footprints
        .iter()
        .find(|f| f.footprint_id == "E54000054")
        .unwrap();
    assert!(leeds.funded >= 40000.0, "{}", leeds.funded);
    let london: f64 = a
        .footprints
        .iter()
        .filter(|f| f.region == "London")
        .map(|f| f.funded)
        .sum();
    assert!(london <= 300000.0 + 1e-6, "{london}");
}

#[test]
fn every_report_says_the_fair_share_basis_and_what_was_ignored() {
    let dir = folder();
    child(
        dir.path(),
        "said",
        "[rules]\nfair_share = \"weighted_population\"\n[ignore]\nfloors = true\nhurdle = true\n",
    );
    Command::cargo_bin("techfund")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", "said.toml", "--out", "out", "--quiet"])
        .assert()
        .success();
    let read = |f: &str| std::fs::read_to_string(dir.path().join("out").join(f)).unwrap();
    let note = "are by weighted population. This run ignores floors, value-for-money hurdle (`[ignore]` in the scenario).";
    assert!(read("summary.md").contains(note));
    assert!(read("report.html").contains(note));
    let run: serde_json::Value = serde_json::from_str(&read("run.json")).unwrap();
    assert_eq!(run["fair_share"], "weighted_population");
    assert_eq!(
        run["ignored"],
        serde_json::json!(["floors", "value-for-money hurdle"])
    );
}
