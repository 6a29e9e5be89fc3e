//! The calibration figures of the default synthetic dataset, as quoted in
//! data/README.md: `cargo run --release --example calibration`.
//!
//! The committed files themselves are made with `techfund generate --seed 2016 --out
//! data`; a test proves they are byte-identical to the generator's output.

use std::collections::BTreeMap;
use techfund::domain::{BudgetLine, Dataset};
use techfund::generate::{generate, write, GenerateOptions};

fn main() {
    let opts = GenerateOptions::default();
    let dir = std::env::temp_dir().join(format!("techfund-calibration-{}", std::process::id()));
    write(&dir, &generate(&opts)).expect("write the dataset");
    let ds = techfund::dataset::load(&dir, &opts.years).expect("the generated data loads");
    let _ = std::fs::remove_dir_all(&dir);
    print!("{}", summary(&ds));
}

fn total(ds: &Dataset, line: BudgetLine) -> f64 {
    ds.projects.iter().map(|p| p.cost_on(&[line])).sum()
}

fn means(ds: &Dataset) -> [f64; 3] {
    let n = ds.footprints.len() as f64;
    let m =
        |f: fn(&techfund::domain::Footprint) -> f64| ds.footprints.iter().map(f).sum::<f64>() / n;
    [
        m(|f| f.maturity.readiness),
        m(|f| f.maturity.capabilities),
        m(|f| f.maturity.infrastructure),
    ]
}

fn reachable(ds: &Dataset) -> Vec<f64> {
    let mut best_in_group: BTreeMap<(usize, &str), f64> = BTreeMap::new();
    let mut reach: Vec<f64> = ds
        .footprints
        .iter()
        .map(|f| f.maturity.capabilities)
        .collect();
    for p in ds.projects.iter().filter(|p| !p.never_fund) {
        match &p.exclusive_group {
            Some(g) => {
                let e = best_in_group
                    .entry((p.footprint, g.as_str()))
                    .or_insert(0.0);
                *e = e.max(p.maturity_uplift);
            }
            None => reach[p.footprint] += p.maturity_uplift,
        }
    }
    for ((f, _), u) in best_in_group {
        reach[f] += u;
    }
    reach
}

/// The calibration figures, for data/README.md and the hand-over report.
fn summary(ds: &Dataset) -> String {
    let mut s = String::new();
    let m = means(ds);
    s += &format!(
        "footprints {} projects {}\n",
        ds.footprints.len(),
        ds.projects.len()
    );
    s += &format!(
        "means readiness {:.3} capabilities {:.3} infrastructure {:.3}\n",
        m[0], m[1], m[2]
    );
    for (t, f) in [("readiness", 0), ("capabilities", 1), ("infrastructure", 2)] {
        let v: Vec<f64> = ds
            .footprints
            .iter()
            .map(|x| {
                [
                    x.maturity.readiness,
                    x.maturity.capabilities,
                    x.maturity.infrastructure,
                ][f]
            })
            .collect();
        let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        s += &format!("  {t}: min {lo} max {hi}\n");
    }
    s += &format!(
        "capital bid {:.1} revenue bid {:.1}\n",
        total(ds, BudgetLine::Capital),
        total(ds, BudgetLine::Revenue)
    );
    for (y, label) in ds.years.iter().enumerate() {
        let c: f64 = ds.projects.iter().map(|p| p.capital[y]).sum();
        let r: f64 = ds.projects.iter().map(|p| p.revenue[y]).sum();
        s += &format!("  {label}: capital {c:.1} revenue {r:.1}\n");
    }
    let mut cats: BTreeMap<&str, (usize, f64, f64, Vec<f64>)> = BTreeMap::new();
    for p in &ds.projects {
        let e = cats.entry(p.category.as_str()).or_default();
        e.0 += 1;
        e.1 += p.cost_on(&[BudgetLine::Capital]);
        e.2 += p.maturity_uplift;
        e.3.push(p.benefit / p.cost_on(&BudgetLine::ALL));
    }
    for (c, (n, cap, up, mut b)) in cats {
        b.sort_by(f64::total_cmp);
        s += &format!(
            "  {c}: {n} bids, capital {cap:.1}, mean uplift {:.2}, median BCR {:.2}\n",
            up / n as f64,
            b[b.len() / 2]
        );
    }
    let mut bcr: Vec<f64> = ds
        .projects
        .iter()
        .map(|p| p.benefit / p.cost_on(&BudgetLine::ALL))
        .collect();
    bcr.sort_by(f64::total_cmp);
    s += &format!(
        "BCR median {:.2} min {:.2} max {:.2}; below 1.0: {}, below 1.5: {}\n",
        bcr[bcr.len() / 2],
        bcr[0],
        bcr[bcr.len() - 1],
        bcr.iter().filter(|&&r| r < 1.0).count(),
        bcr.iter().filter(|&&r| r < 1.5).count()
    );
    let groups: std::collections::BTreeSet<&str> = ds
        .projects
        .iter()
        .filter_map(|p| p.exclusive_group.as_deref())
        .collect();
    s += &format!(
        "exclusive groups {}, requires edges {}, must_fund {}, never_fund {}\n",
        groups.len(),
        ds.projects.iter().map(|p| p.requires.len()).sum::<usize>(),
        ds.projects.iter().filter(|p| p.must_fund).count(),
        ds.projects.iter().filter(|p| p.never_fund).count()
    );
    let reach = reachable(ds);
    let gaps: Vec<f64> = ds
        .footprints
        .iter()
        .zip(&reach)
        .map(|(f, r)| r - f.maturity.capabilities)
        .collect();
    s += &format!(
        "reach min {:.1} max {:.1}; uplift pool per footprint min {:.1} max {:.1}\n",
        reach.iter().cloned().fold(f64::INFINITY, f64::min),
        reach.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        gaps.iter().cloned().fold(f64::INFINITY, f64::min),
        gaps.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
    );
    s += &ends_early(ds);
    s
}

/// Bids whose cost ends before the fund's last year (the ones phasing can move), by
/// category: how many, and how many of them ask for capital only.
fn ends_early(ds: &Dataset) -> String {
    let last = ds.years.len().saturating_sub(1);
    let mut cats: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for p in &ds.projects {
        let e = cats.entry(p.category.as_str()).or_default();
        e.0 += 1;
        let costed = (0..p.capital.len())
            .rev()
            .find(|&y| p.capital[y] > 0.0 || p.revenue[y] > 0.0);
        if costed.is_some_and(|y| y < last) {
            e.1 += 1;
            if p.cost_on(&[BudgetLine::Revenue]) == 0.0 {
                e.2 += 1;
            }
        }
    }
    let (n, early, capital_only) = cats
        .values()
        .fold((0, 0, 0), |a, e| (a.0 + e.0, a.1 + e.1, a.2 + e.2));
    let mut s = format!(
        "cost ends before the last year: {early} of {n} bids ({capital_only} capital only)\n"
    );
    for (c, (n, early, capital_only)) in cats {
        s += &format!("  {c}: {early} of {n} ({capital_only} capital only)\n");
    }
    s
}
