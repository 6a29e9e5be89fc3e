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

/// Whether `x` keeps every row (coefficients, lower, upper), within `tolerance` times
/// the larger of the row's coefficients' sum and `floor`. Whole allocations are checked
/// to 1e-9 with `floor` 0, so a row of tiny coefficients is not kept by its slack alone
/// (a bound is a bound on allocations that keep the rows). The heuristic's tests check
/// a dive's LP answer with it, more loosely: HiGHS keeps an LP's rows to its tolerance
/// on the model as it scaled it, not as built.
pub(in crate::solve) fn keeps_rows(
    rows: &[(Vec<f64>, f64, f64)],
    x: &[f64],
    tolerance: f64,
    floor: f64,
) -> bool {
    rows.iter().all(|(a, lo, hi)| {
        let activity: f64 = a.iter().zip(x).map(|(c, v)| c * v).sum();
        let slack = tolerance * a.iter().map(|c| c.abs()).sum::<f64>().max(floor);
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
            if !keeps_rows(&p.rows, &x, 1e-9, 0.0) {
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
    assert!(close(dual.value(), 49.0 / 3.0), "{}", dual.value());
    assert!(close(dual.penalty(0), 10.0 - 5.0 / 3.0));
    assert!(close(dual.penalty(1), 6.0 - 4.0 / 3.0));
    assert!(close(dual.penalty(2), 0.0));
    assert!(close(dual.beyond(&[0, 1]), 49.0 / 3.0 - 14.0 / 3.0));
    // The threshold that keeps what fixing hides at or below 12 fixes b, not c.
    let threshold = dual.threshold(12.0);
    assert!(dual.penalty(1) >= threshold && dual.penalty(2) < threshold);
}

/// A bid: its footprint, gain, value of its own, cost in each budget, and where its
/// bounds hold it.
type Bid = (usize, f64, f64, Vec<f64>, Option<bool>);

/// A small maturity-like programme: bids in footprints whose gain is capped, a budget
/// row or two, and a prerequisite. The bids are whole, or (`shares`) part-funded, each
/// with its minimum share, as the model builds them: a continuous share, and where the
/// minimum is above 0, a "funded at all" indicator with `x ≤ z` and `x ≥ m·z`.
#[derive(Clone, Debug)]
struct Footprints {
    /// Minimise the negated objective instead of maximising it.
    minimise: bool,
    /// Each bid: footprint, gain, value of its own, cost in each budget, held.
    bids: Vec<Bid>,
    /// Each footprint's cap and worth per point of gain.
    footprints: Vec<(f64, f64)>,
    budgets: Vec<f64>,
    /// Bid `.0` needs bid `.1`.
    requires: Option<(usize, usize)>,
    /// Each bid's minimum share, when the bids are part-funded.
    shares: Option<Vec<f64>>,
}

fn footprints() -> impl Strategy<Value = Footprints> {
    (1usize..=8, 1usize..=3, 1usize..=2).prop_flat_map(|(n, f, m)| {
        (
            any::<bool>(),
            prop::collection::vec(
                (
                    0..f,
                    prop_oneof![4 => 0.1f64..10.0, 1 => Just(1e-6), 1 => 1e3f64..1e5],
                    prop_oneof![3 => -2.0f64..2.0, 1 => Just(0.0)],
                    prop::collection::vec(prop_oneof![4 => 0.0f64..10.0, 1 => Just(0.0)], m),
                    prop_oneof![6 => Just(None), 1 => Just(Some(true)), 1 => Just(Some(false))],
                ),
                n,
            ),
            prop::collection::vec(
                (
                    prop_oneof![4 => 0.0f64..15.0, 1 => Just(0.0)],
                    prop_oneof![4 => 0.0f64..3.0, 1 => Just(0.0)],
                ),
                f,
            ),
            prop::collection::vec(0.0f64..25.0, m),
            prop::option::of((0..n, 0..n)),
            prop::option::of(prop::collection::vec(
                prop_oneof![Just(0.0), Just(0.25), Just(0.5), 0.05f64..1.0, Just(1.0)],
                n,
            )),
        )
            .prop_map(|(minimise, bids, footprints, budgets, requires, shares)| {
                Footprints {
                    minimise,
                    bids,
                    footprints,
                    budgets,
                    requires: requires.filter(|(a, b)| a != b),
                    shares,
                }
            })
    })
}

impl Footprints {
    fn session(&self) -> Session {
        let mut vars = ProblemVariables::new();
        let whole = self.shares.is_none();
        let x: Vec<Variable> = self
            .bids
            .iter()
            .map(|b| {
                let (lower, upper) = match b.4 {
                    Some(v) => (f64::from(u8::from(v)), f64::from(u8::from(v))),
                    None => (0.0, 1.0),
                };
                let v = variable().min(lower).max(upper);
                vars.add(if whole { v.integer() } else { v })
            })
            .collect();
        let g: Vec<Variable> = self
            .footprints
            .iter()
            .map(|&(cap, _)| vars.add(variable().min(0.0).max(cap)))
            .collect();
        // (bid, indicator) for each part-funded bid with a minimum and not held out.
        let indicators: Vec<(usize, Variable)> = self
            .indicated()
            .into_iter()
            .map(|i| (i, vars.add(variable().binary())))
            .collect();
        let sign = if self.minimise { -1.0 } else { 1.0 };
        let objective: Expression = self
            .bids
            .iter()
            .zip(&x)
            .map(|(b, &v)| sign * b.2 * v)
            .chain(self.footprints.iter().zip(&g).map(|(f, &v)| sign * f.1 * v))
            .sum();
        let mut problem = if self.minimise {
            vars.minimise(objective)
        } else {
            vars.maximise(objective)
        }
        .using(highs);
        for (k, &budget) in self.budgets.iter().enumerate() {
            let spend: Expression = self.bids.iter().zip(&x).map(|(b, &v)| b.3[k] * v).sum();
            problem.add_constraint(spend.leq(budget));
        }
        for (f, &gf) in g.iter().enumerate() {
            let uplift: Expression = self
                .bids
                .iter()
                .zip(&x)
                .filter(|(b, _)| b.0 == f)
                .map(|(b, &v)| b.1 * v)
                .sum();
            problem.add_constraint((gf - uplift).leq(0.0));
        }
        if let Some((a, b)) = self.requires {
            problem.add_constraint((x[a] - x[b]).leq(0.0));
        }
        for &(i, z) in &indicators {
            let minimum = self.shares.as_ref().unwrap()[i];
            problem.add_constraint((x[i] - z).leq(0.0));
            problem.add_constraint((x[i] - minimum * z).geq(0.0));
        }
        let mut model = problem.try_into_inner().unwrap();
        model.make_quiet();
        Session::new(model, self.whole_columns(), 60.0).unwrap()
    }

    /// The part-funded bids with an indicator: a minimum above 0, and not held out.
    fn indicated(&self) -> Vec<usize> {
        let Some(shares) = &self.shares else {
            return Vec::new();
        };
        (0..self.bids.len())
            .filter(|&i| shares[i] > 0.0 && self.bids[i].4 != Some(false))
            .collect()
    }

    /// The rows the dual bound keeps out of its relaxation: each footprint's gain row
    /// (after the budgets) and each indicator's two rows (last).
    fn kept_rows(&self) -> Vec<usize> {
        let footprints = self.budgets.len()..self.budgets.len() + self.footprints.len();
        let links = footprints.end + usize::from(self.requires.is_some());
        let links = links..links + 2 * self.indicated().len();
        footprints.chain(links).collect()
    }

    /// The whole columns: the bids, or the indicators (after the bids and gains).
    fn whole_columns(&self) -> Vec<usize> {
        if self.shares.is_none() {
            return (0..self.bids.len()).collect();
        }
        let first = self.bids.len() + self.footprints.len();
        (first..first + self.indicated().len()).collect()
    }

    /// With part-funded bids: each setting of the indicators that leaves a solution,
    /// with the best worth there (maximising), from HiGHS' LP over the shares.
    fn settings(&self, session: &mut Session, sense: f64) -> Vec<(Vec<(usize, f64)>, f64)> {
        let columns = self.whole_columns();
        session.set_integral(&columns, false).unwrap();
        let mut all = Vec::new();
        for mask in 0u32..1 << columns.len() {
            let at: Vec<f64> = (0..columns.len())
                .map(|k| f64::from(mask >> k & 1))
                .collect();
            session.set_bounds_of(&columns, &at, &at).unwrap();
            let lp = session.solve_lp(sense).unwrap();
            if lp.status == HighsModelStatus::Optimal {
                all.push((
                    columns.iter().copied().zip(at).collect(),
                    sense * lp.objective,
                ));
            }
            session.restore_bounds().unwrap();
        }
        all
    }

    /// Each whole allocation that keeps every rule, as (column, value) of the bids,
    /// with its worth (maximising), the gains at their best.
    fn allocations(&self) -> Vec<(Vec<(usize, f64)>, f64)> {
        let n = self.bids.len();
        (0u32..1 << n)
            .filter_map(|mask| {
                let x: Vec<f64> = (0..n).map(|i| f64::from(mask >> i & 1)).collect();
                let held = self
                    .bids
                    .iter()
                    .zip(&x)
                    .all(|(b, &v)| b.4.is_none_or(|h| f64::from(u8::from(h)) == v));
                let within = self.budgets.iter().enumerate().all(|(k, &budget)| {
                    self.bids
                        .iter()
                        .zip(&x)
                        .map(|(b, v)| b.3[k] * v)
                        .sum::<f64>()
                        <= budget + 1e-9
                });
                let requires = self.requires.is_none_or(|(a, b)| x[a] <= x[b]);
                if !(held && within && requires) {
                    return None;
                }
                let mut worth: f64 = self.bids.iter().zip(&x).map(|(b, v)| b.2 * v).sum();
                for (f, &(cap, w)) in self.footprints.iter().enumerate() {
                    let uplift: f64 = self
                        .bids
                        .iter()
                        .zip(&x)
                        .filter(|(b, _)| b.0 == f)
                        .map(|(b, v)| b.1 * v)
                        .sum();
                    worth += w * cap.min(uplift);
                }
                Some((x.into_iter().enumerate().collect(), worth))
            })
            .collect()
    }
}

/// No allocation beats the bound, and none that moves a whole column (a bid, or an
/// indicator) escapes its penalty. `slack` is relative to the allocation's worth.
fn holds_for_every_allocation(
    dual: &DualBound,
    allocations: &[(Vec<(usize, f64)>, f64)],
    sense: f64,
    slack: f64,
) -> Result<(), TestCaseError> {
    let value = sense * dual.value();
    for (x, worth) in allocations {
        let slack = slack * worth.abs().max(1.0);
        prop_assert!(
            *worth <= value + slack,
            "{x:?} is worth {worth}, above the bound {value}"
        );
        for &(c, xc) in x {
            if xc != dual.at(c) {
                let beyond = sense * dual.beyond(&[c]);
                prop_assert!(
                    *worth <= beyond + slack,
                    "{x:?} moves bid {c} from {} and is worth {worth}, above {beyond}",
                    dual.at(c)
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The capped gains solved exactly, and the multipliers moved by `improve`: the
    /// bound and its penalties still hold for every allocation there is.
    #[test]
    fn capped_gains_keep_the_bound_a_bound(p in footprints()) {
        let sense = if p.minimise { -1.0 } else { 1.0 };
        let mut session = p.session();
        let whole = session.integer_cols.clone();
        session.set_integral(&whole, false).unwrap();
        let lp = session.solve_lp(sense).unwrap();
        if lp.status != HighsModelStatus::Optimal {
            return Ok(());
        }
        let Some(mut dual) = DualBound::of(&mut session, &lp.row_duals, &lp.columns, sense).unwrap() else {
            return Ok(());
        };
        // Every footprint row is kept whole.
        prop_assert!(dual.keeps_capped_rows());
        // Never looser than the LP, beyond the margin for rounding and what the kept
        // rows' LP duals were worth: the bound puts zero there, where HiGHS' dual is
        // zero only to its tolerance (seen: -7e-8 on a row whose activity can move by
        // 7e4, worth 5e-3).
        let data = session.lp_data().unwrap();
        let mut reach = vec![0.0; data.row_lower.len()];
        for c in 0..data.cost.len() {
            let most = session.lower[c].abs().max(session.upper[c].abs());
            for k in data.start[c]..data.start[c + 1] {
                reach[data.index[k]] += data.value[k].abs() * most;
            }
        }
        let kept: f64 = p.kept_rows().iter().map(|&r| lp.row_duals[r].abs() * reach[r]).sum();
        let scale = 1e-7 * lp.objective.abs().max(1.0) + kept;
        prop_assert!(sense * (dual.value() - lp.objective) <= scale, "bound {}, LP {}", dual.value(), lp.objective);
        // Whole bids are valued exactly here; part-funded ones by HiGHS' LP for each
        // setting of the indicators, which keeps rows only to its tolerances.
        let (all, slack) = if p.shares.is_some() {
            (p.settings(&mut session, sense), 1e-6)
        } else {
            (p.allocations(), 1e-7)
        };
        holds_for_every_allocation(&dual, &all, sense, slack)?;
        // Aimed at the best allocation (the hardest target: nothing may pass it).
        let best = all.iter().map(|a| a.1).fold(f64::NEG_INFINITY, f64::max);
        if best.is_finite() {
            dual.improve(sense * best, 50);
            holds_for_every_allocation(&dual, &all, sense, slack)?;
        }
    }
}

/// One footprint with room for 10 points, worth 1 a point, and two bids of 6 points,
/// each costing 3 of the objective: whole, or part-funded with `shares`' minimums.
/// Its LP's value, and the dual bound from the LP's duals.
fn two_bids_in_one_footprint(shares: Option<Vec<f64>>) -> (f64, DualBound) {
    let p = Footprints {
        minimise: false,
        bids: vec![(0, 6.0, -3.0, vec![], None), (0, 6.0, -3.0, vec![], None)],
        footprints: vec![(10.0, 1.0)],
        budgets: vec![],
        requires: None,
        shares,
    };
    let mut session = p.session();
    session.set_integral(&p.whole_columns(), false).unwrap();
    let lp = session.solve_lp(1.0).unwrap();
    let dual = DualBound::of(&mut session, &lp.row_duals, &lp.columns, 1.0)
        .unwrap()
        .unwrap();
    (lp.objective, dual)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_footprint_cap_filled_by_a_fraction_is_not_counted() {
    // The LP funds one whole bid and two thirds of the other, filling the cap exactly:
    // 6 - 3 + 4 - 2 = 5. Whole bids give at most 4 (both: 10 - 6; one: 6 - 3 = 3),
    // and the exact footprint says so. Leaving out either bid gives 3, so each bid's
    // penalty is 1.
    let (lp, dual) = two_bids_in_one_footprint(None);
    assert!(close(lp, 5.0), "{lp}");
    assert!(dual.keeps_capped_rows());
    assert!(close(dual.value(), 4.0), "{}", dual.value());
    assert_eq!([dual.at(0), dual.at(1)], [1.0, 1.0]);
    assert!(close(dual.penalty(0), 1.0) && close(dual.penalty(1), 1.0));
    assert!(close(dual.beyond(&[0]), 3.0));
}

#[test]
fn a_minimum_share_the_lp_ignores_is_counted() {
    // Part-funded, each bid with a minimum share of 0.9: the LP funds one whole and
    // two thirds of the other, below its minimum: 5 again. Both at their minimum
    // overshoot the room (10.8 points) and are worth 10 - 5.4 = 4.6; one alone is
    // worth 3. So the bound is 4.6, both indicators (columns 3 and 4, after the bids
    // and the gain) are on, and turning either off costs 1.6.
    let (lp, dual) = two_bids_in_one_footprint(Some(vec![0.9, 0.9]));
    assert!(close(lp, 5.0), "{lp}");
    assert!(dual.keeps_capped_rows());
    assert!(close(dual.value(), 4.6), "{}", dual.value());
    assert_eq!([dual.at(3), dual.at(4)], [1.0, 1.0]);
    assert!(close(dual.penalty(3), 1.6) && close(dual.penalty(4), 1.6));
    // The shares themselves are continuous: no penalty (less the rounding margin).
    assert!(dual.penalty(0) <= 0.0 && dual.penalty(1) <= 0.0);
}
