use super::*;
use crate::pipeline::{self, Timings};
use std::path::Path;

fn tiny() -> pipeline::Inputs {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny.toml");
    pipeline::load(&path, &mut Timings::default()).unwrap()
}

fn index(data: &Dataset, id: &str) -> usize {
    data.projects.iter().position(|p| p.id == id).unwrap()
}

#[test]
fn the_checker_catches_every_kind_of_broken_rule() {
    let inputs = tiny();
    let (data, sc) = (&inputs.data, &inputs.scenario);
    let base = |ids: &[&str]| {
        let mut fr = vec![0.0; data.projects.len()];
        for id in ids {
            fr[index(data, id)] = 1.0;
        }
        fr
    };
    assert!(check(data, sc, &base(&["S3", "N1", "N3", "S2"])).is_empty());
    let cases: Vec<(Vec<f64>, &str)> = vec![
        (base(&["N1", "N3", "S1", "S3"]), "capital budget 2016/17"),
        (base(&["S3", "N2"]), "without its prerequisite N1"),
        (base(&["S3", "S1", "S2"]), "exclusive group epr-south"),
        (base(&["S3", "E2"]), "never_fund"),
        (base(&["N1"]), "S3: must be funded in full"),
        (
            {
                let mut f = base(&["S3"]);
                f[index(data, "N3")] = 0.5;
                f
            },
            "all-or-nothing",
        ),
    ];
    for (fr, words) in cases {
        let broken = check(data, sc, &fr);
        assert!(
            broken.iter().any(|b| b.contains(words)),
            "expected {words:?} in {broken:?}"
        );
    }
}

#[test]
fn comparison_methods_keep_the_budgets() {
    let inputs = tiny();
    let (data, sc) = (&inputs.data, &inputs.scenario);
    for fr in [greedy(data, sc), fair_share(data, sc)] {
        let u = Usage::of(data, sc, &fr);
        for (l, row) in u.spend.iter().enumerate() {
            for (y, &s) in row.iter().enumerate() {
                assert!(s <= u.limits.budget[l][y] + 1e-9);
            }
        }
        assert_eq!(fr[index(data, "E2")], 0.0, "never_fund project funded");
    }
}

#[test]
fn fair_share_keeps_each_footprint_within_its_population_share() {
    let inputs = tiny();
    let (data, sc) = (&inputs.data, &inputs.scenario);
    let fr = fair_share(data, sc);
    let total_pop = data.total_population();
    for (f, fp) in data.footprints.iter().enumerate() {
        for (l, &line) in sc.lines().iter().enumerate() {
            for y in 0..sc.years.len() {
                let spent: f64 = data
                    .projects
                    .iter()
                    .zip(&fr)
                    .filter(|(p, _)| p.footprint == f)
                    .map(|(p, x)| p.cost(line, y) * x)
                    .sum();
                let share = sc.budget[l].1[y] * fp.population / total_pop;
                assert!(
                    spent <= share + 1e-9,
                    "{} {line} {y}: {spent} > {share}",
                    fp.id
                );
            }
        }
    }
}

#[test]
fn greedy_takes_bids_in_value_per_pound_order() {
    let inputs = tiny();
    let order = panel_order(&inputs.data, &inputs.scenario);
    // S3 is must-fund so it leads; then N2 has the best benefit per £ (4,000 / 1,300).
    let ids: Vec<&str> = order
        .iter()
        .map(|&p| inputs.data.projects[p].id.as_str())
        .collect();
    assert_eq!(&ids[..2], &["S3", "N2"]);
}

#[test]
fn the_solver_objective_is_checked_like_with_like() {
    // Before optimality the solver may count less than the allocation is worth, but
    // never more; and nothing may beat the proven bound.
    assert_eq!(objective_check(100.0, 99.0, 101.0), None);
    assert_eq!(objective_check(100.0, 100.0, 100.0), None);
    let under = objective_check(99.0, 100.0, 101.0).unwrap();
    assert!(
        under.contains("less than the solver's objective"),
        "{under}"
    );
    let over = objective_check(102.0, 100.0, 101.0).unwrap();
    assert!(
        over.contains("more than the solver's proven bound"),
        "{over}"
    );
}
