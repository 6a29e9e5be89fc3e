//! The dual bound is what lets the solver skip allocations, so it is tested against
//! every allocation there is: small random programmes of whole columns, every one of
//! their allocations enumerated.

use super::*;
use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, SolverModel, Variable};
use highs::HighsModelStatus;
use proptest::prelude::*;

/// A small programme: columns within whole bounds, rows of every kind.
#[derive(Clone, Debug)]
struct Small {
    maximise: bool,
    cost: Vec<f64>,
    /// (lower, upper) of each column, whole numbers.
    bounds: Vec<(i32, i32)>,
    /// Each row's coefficients and its bounds (either may be infinite).
    rows: Vec<(Vec<f64>, f64, f64)>,
}

fn coefficient() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => 0.0f64..10.0,
        1 => -10.0f64..0.0,
        1 => Just(0.0),
        1 => (0.0f64..1.0).prop_map(|x| x * 1e-6),
        1 => (0.0f64..1.0).prop_map(|x| x * 1e6),
    ]
}

fn small() -> impl Strategy<Value = Small> {
    (1usize..=7, 1usize..=4).prop_flat_map(|(n, m)| {
        (
            any::<bool>(),
            prop::collection::vec(coefficient(), n),
            prop::collection::vec(prop_oneof![4 => Just((0, 1)), 1 => Just((0, 2)), 1 => Just((1, 1)), 1 => Just((-1, 1))], n),
            prop::collection::vec(
                (
                    prop::collection::vec(coefficient(), n),
                    0usize..4,
                    0.0f64..1.0,
                    0.0f64..1.0,
                ),
                m,
            ),
        )
            .prop_map(move |(maximise, cost, bounds, rows)| {
                let rows = rows
                    .into_iter()
                    .map(|(a, kind, f, g)| {
                        let total: f64 = a.iter().map(|x| x.abs()).sum();
                        let (lo, hi) = (f.min(g) * total, f.max(g) * total);
                        match kind {
                            0 => (a, f64::NEG_INFINITY, hi),
                            1 => (a, lo, f64::INFINITY),
                            2 => (a, lo, hi),
                            _ => (a, hi, hi),
                        }
                    })
                    .collect();
                Small {
                    maximise,
                    cost,
                    bounds,
                    rows,
                }
            })
    })
}

fn session_of(p: &Small) -> Session {
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = p
        .bounds
        .iter()
        .map(|&(l, u)| vars.add(variable().integer().min(l).max(u)))
        .collect();
    let objective: Expression = x.iter().zip(&p.cost).map(|(&v, &c)| c * v).sum();
    let mut problem = if p.maximise {
        vars.maximise(objective)
    } else {
        vars.minimise(objective)
    }
    .using(highs);
    for (a, lo, hi) in &p.rows {
        let e: Expression = x.iter().zip(a).map(|(&v, &c)| c * v).sum();
        if lo == hi {
            problem.add_constraint(e.eq(*hi));
            continue;
        }
        if hi.is_finite() {
            problem.add_constraint(e.clone().leq(*hi));
        }
        if lo.is_finite() {
            problem.add_constraint(e.geq(*lo));
        }
    }
    let mut model = problem.try_into_inner().unwrap();
    model.make_quiet();
    Session::new(model, (0..x.len()).collect(), 60.0).unwrap()
}

/// Every whole allocation within the columns' bounds.
fn allocations(bounds: &[(i32, i32)]) -> Vec<Vec<f64>> {
    let mut all = vec![Vec::new()];
    for &(l, u) in bounds {
        all = all
            .into_iter()
            .flat_map(|x: Vec<f64>| {
                (l..=u).map(move |v| {
                    let mut y = x.clone();
                    y.push(f64::from(v));
                    y
                })
            })
            .collect();
    }
    all
}

fn keeps_rows(p: &Small, x: &[f64]) -> bool {
    p.rows.iter().all(|(a, lo, hi)| {
        let activity: f64 = a.iter().zip(x).map(|(c, v)| c * v).sum();
        let slack = 1e-9 * a.iter().map(|c| c.abs()).sum::<f64>().max(1.0);
        activity >= lo - slack && activity <= hi + slack
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_allocation_beats_the_bound_or_escapes_its_penalties(p in small()) {
        let sense = if p.maximise { 1.0 } else { -1.0 };
        let mut session = session_of(&p);
        let whole = session.integer_cols.clone();
        session.set_integral(&whole, false).unwrap();
        let lp = session.solve_lp(sense).unwrap();
        // An infeasible draw has no bound to test (and is common: equal rows).
        if lp.status != HighsModelStatus::Optimal {
            return Ok(());
        }
        let Some(dual) = DualBound::of(&mut session, &lp.row_duals, &lp.columns, sense).unwrap() else {
            return Ok(());
        };
        // The bound is the LP's, or looser, never tighter (beyond rounding).
        let value = dual.value();
        let scale = 1e-7 * lp.objective.abs().max(1.0);
        prop_assert!(sense * (value - lp.objective) >= -scale, "bound {value}, LP {}", lp.objective);
        for x in allocations(&p.bounds) {
            if !keeps_rows(&p, &x) {
                continue;
            }
            let worth: f64 = x.iter().zip(&p.cost).map(|(v, c)| v * c).sum();
            let slack = 1e-7 * worth.abs().max(1.0);
            prop_assert!(sense * (worth - value) <= slack, "{x:?} is worth {worth}, above the bound {value}");
            for c in 0..x.len() {
                if x[c] != dual.at(c) {
                    let beyond = dual.beyond(&[c]);
                    prop_assert!(
                        sense * (worth - beyond) <= slack,
                        "{x:?} moves column {c} from {} and is worth {worth}, above {beyond}",
                        dual.at(c)
                    );
                }
            }
        }
    }
}

#[test]
fn a_knapsack_prices_each_bid_it_is_sure_of() {
    // max 10a + 6b + 1c with 5a + 4b + 3c <= 10: the LP funds a and b whole and a third
    // of c, so the row's dual is c's value per unit, 1/3, and the bound is 16 1/3. Not
    // funding b loses at least its reduced cost, 6 - 4/3: a and c give 11, below
    // 16 1/3 - 4 2/3 = 11 2/3.
    let p = Small {
        maximise: true,
        cost: vec![10.0, 6.0, 1.0],
        bounds: vec![(0, 1); 3],
        rows: vec![(vec![5.0, 4.0, 3.0], f64::NEG_INFINITY, 10.0)],
    };
    let mut session = session_of(&p);
    session.set_integral(&[0, 1, 2], false).unwrap();
    let lp = session.solve_lp(1.0).unwrap();
    let dual = DualBound::of(&mut session, &lp.row_duals, &lp.columns, 1.0)
        .unwrap()
        .unwrap();
    assert_eq!([dual.at(0), dual.at(1), dual.at(2)], [1.0, 1.0, 0.0]);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(close(dual.value(), 49.0 / 3.0), "{}", dual.value());
    assert!(close(dual.penalty(0), 10.0 - 5.0 / 3.0));
    assert!(close(dual.penalty(1), 6.0 - 4.0 / 3.0));
    assert!(close(dual.penalty(2), 0.0));
    assert!(close(dual.beyond(&[0, 1]), 49.0 / 3.0 - 14.0 / 3.0));
    // The threshold that keeps what fixing hides at or below 12 fixes b, not c.
    let threshold = dual.threshold(12.0);
    assert!(dual.penalty(1) >= threshold && dual.penalty(2) < threshold);
}
