//! The dive, on small random partial-funding programmes drawn from what the model can
//! build: shares with and without a minimum (and its indicator), bids held in,
//! budget rows and a floor, costs and values from zero to huge. Whatever it returns
//! must be an allocation (every indicator whole, every row and bound kept to the LP's
//! tolerance), and the session must be left as it was. Its value is not compared with
//! an optimum here: on the worst-scaled draws HiGHS' own LPs and MIPs, the only
//! reference, differ from each other by more than that comparison could allow. In a
//! solve the dive's allocation is polished, valued again and checked against every
//! rule by techfund's own checker before it is used.

use super::super::bound::tests::keeps_rows;
use super::*;
use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, SolverModel, Variable};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Bid {
    value: f64,
    /// The least share funded, if funded at all (0: any share, and no indicator).
    minimum: f64,
    /// Held in at its minimum share or more.
    held: bool,
    cost: Vec<f64>,
}

#[derive(Clone, Debug)]
struct Partial {
    bids: Vec<Bid>,
    /// Each budget row's share of what every bid in full would cost.
    budgets: Vec<f64>,
    /// A floor on the first row's spend, as a share of the budget, if any.
    floor: Option<f64>,
}

fn amount() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.1f64..10.0,
        1 => Just(0.0),
        1 => Just(1.0),
        1 => (0.0f64..1.0).prop_map(|x| x * 1e-6),
        1 => (0.0f64..1.0).prop_map(|x| x * 1e6),
    ]
}

fn partial() -> impl Strategy<Value = Partial> {
    (1usize..=7, 1usize..=3).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(
                (
                    amount(),
                    prop_oneof![Just(0.0), Just(0.25), Just(0.5), Just(1.0)],
                    prop::bool::weighted(0.1),
                    prop::collection::vec(amount(), m),
                ),
                n,
            ),
            prop::collection::vec(0.0f64..1.2, m),
            prop::option::weighted(0.3, 0.0f64..1.0),
        )
            .prop_map(|(bids, budgets, floor)| Partial {
                bids: bids
                    .into_iter()
                    .map(|(value, minimum, held, cost)| Bid {
                        value,
                        minimum,
                        held,
                        cost,
                    })
                    .collect(),
                budgets,
                floor,
            })
    })
}

/// The programme's rows as (coefficients over every column, lower, upper).
type Rows = Vec<(Vec<f64>, f64, f64)>;

/// The session (shares first, then one indicator per bid with a minimum), its rows,
/// and the indicators' columns.
fn session_of(p: &Partial) -> (Session, Rows, Vec<usize>) {
    let n = p.bids.len();
    let mut vars = ProblemVariables::new();
    let share: Vec<Variable> = p
        .bids
        .iter()
        .map(|b| {
            vars.add(
                variable()
                    .min(if b.held { b.minimum } else { 0.0 })
                    .max(1.0),
            )
        })
        .collect();
    let mut indicator: Vec<(usize, Variable)> = Vec::new();
    for (i, b) in p.bids.iter().enumerate() {
        if b.minimum > 0.0 {
            let lower = if b.held { 1 } else { 0 };
            indicator.push((i, vars.add(variable().integer().min(lower).max(1))));
        }
    }
    let objective: Expression = share.iter().zip(&p.bids).map(|(&x, b)| b.value * x).sum();
    let mut problem = vars.maximise(objective).using(highs);
    let columns = n + indicator.len();
    let mut rows: Rows = Vec::new();
    for (k, &(i, y)) in indicator.iter().enumerate() {
        problem.add_constraint((share[i] - y).leq(0.0));
        problem.add_constraint((share[i] - p.bids[i].minimum * y).geq(0.0));
        let mut upper = vec![0.0; columns];
        upper[i] = 1.0;
        upper[n + k] = -1.0;
        rows.push((upper, f64::NEG_INFINITY, 0.0));
        let mut lower = vec![0.0; columns];
        lower[i] = 1.0;
        lower[n + k] = -p.bids[i].minimum;
        rows.push((lower, 0.0, f64::INFINITY));
    }
    for (r, &part) in p.budgets.iter().enumerate() {
        let cost: Vec<f64> = p.bids.iter().map(|b| b.cost[r]).collect();
        let budget = part * cost.iter().sum::<f64>();
        let spend: Expression = share.iter().zip(&cost).map(|(&x, &c)| c * x).sum();
        let floor = match p.floor {
            Some(f) if r == 0 => f * budget,
            _ => f64::NEG_INFINITY,
        };
        problem.add_constraint(spend.clone().leq(budget));
        if floor.is_finite() {
            problem.add_constraint(spend.geq(floor));
        }
        let mut a = cost;
        a.resize(columns, 0.0);
        rows.push((a, floor, budget));
    }
    let mut model = problem.try_into_inner().unwrap();
    model.make_quiet();
    let whole: Vec<usize> = (n..columns).collect();
    let mut session = Session::new(model, whole.clone(), 60.0).unwrap();
    // techfund's own tolerances (`open`).
    session
        .set_option("primal_feasibility_tolerance", 1e-9)
        .unwrap();
    session
        .set_option("mip_feasibility_tolerance", 1e-9)
        .unwrap();
    (session, rows, whole)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_dive_ends_at_an_allocation_and_leaves_the_model_as_it_was(p in partial()) {
        let (mut session, rows, whole) = session_of(&p);
        session.set_integral(&whole, false).unwrap();
        let lp = session.solve_lp(1.0).unwrap();
        // An infeasible draw (a floor above the budget, say) has nothing to dive from.
        if lp.status != HighsModelStatus::Optimal {
            return Ok(());
        }
        let dived = dive(&mut session, &whole, &lp.columns).unwrap();

        // Left as it was: every column's bounds as built.
        let held = session.lp_data().unwrap();
        prop_assert_eq!(&held.col_lower, &session.lower);
        prop_assert_eq!(&held.col_upper, &session.upper);

        let Some(x) = dived else {
            return Ok(());
        };
        for &c in &whole {
            prop_assert!((x[c] - x[c].round()).abs() <= 1e-6, "indicator {c} at {}", x[c]);
        }
        for (c, (&v, (&lo, &hi))) in x.iter().zip(session.lower.iter().zip(&session.upper)).enumerate() {
            prop_assert!(v >= lo - 1e-7 && v <= hi + 1e-7, "column {c} at {v}, bounds {lo}..{hi}");
        }
        prop_assert!(keeps_rows(&rows, &x, 1e-6, 1.0), "{x:?} breaks a row");
    }
}

/// One indicator left fractional by the LP, with a budget that fits the bid only at its
/// minimum: the dive must end with it funded at the minimum or not at all.
#[test]
fn a_dive_settles_a_share_below_its_minimum() {
    let p = Partial {
        bids: vec![
            Bid {
                value: 10.0,
                minimum: 0.5,
                held: false,
                cost: vec![10.0],
            },
            Bid {
                value: 1.0,
                minimum: 0.0,
                held: false,
                cost: vec![10.0],
            },
        ],
        // 4 of 20: the LP funds 0.4 of the first bid, below its minimum share.
        budgets: vec![0.2],
        floor: None,
    };
    let (mut session, rows, whole) = session_of(&p);
    session.set_integral(&whole, false).unwrap();
    let lp = session.solve_lp(1.0).unwrap();
    assert!((lp.columns[0] - 0.4).abs() < 1e-9, "{:?}", lp.columns);
    let x = dive(&mut session, &whole, &lp.columns)
        .unwrap()
        .expect("an allocation");
    assert!(keeps_rows(&rows, &x, 1e-6, 1.0));
    // The indicator off: the first bid unfunded, the budget on the second.
    assert_eq!(x[2], 0.0);
    assert!(x[0].abs() < 1e-9 && (x[1] - 0.4).abs() < 1e-9, "{x:?}");
}
