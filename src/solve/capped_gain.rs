//! One footprint's capped gain, solved exactly: the most
//! `w·min(cap, Σ uᵢxᵢ) + Σ dᵢxᵢ` can be, each bid's share `xᵢ` either 0 or within
//! `[loᵢ, hiᵢ]`: a whole bid (1, 1), a part-funded bid with a minimum share `m`
//! (`m`, 1), a share with no minimum (0, 1). This is the part of the maturity
//! objective the LP relaxation gets most wrong: the LP funds a fraction of a bid (or a
//! share below its minimum) that fills a footprint's headroom exactly, where an
//! allocation must stop short or overshoot. Kept out of the dual bound's relaxation
//! and solved here, the bound loses that fraction in every footprint at once.
//!
//! Every `u` is positive. A bid with `d ≥ 0` is always worth funding in full (the gain
//! never falls as bids are added); one with `w·u + d ≤ 0` never is; the rest (the
//! candidates) cost `-d` for `u` of gain, and are searched by branch and bound in order
//! of cost per unit of gain, each node bounded by filling the headroom left with the
//! cheapest candidates, the last one in part. Where every candidate is whole the
//! search runs down that order taking or leaving each (`Whole`); otherwise it branches
//! on the one candidate the fill leaves below its minimum (`Shares`).

/// One bid in the footprint: its gain `u` (> 0) and value `d` per unit of share, the
/// range `[lo, hi]` of its share when funded at all (`0 ≤ lo ≤ hi`), and whether its
/// bounds already decide whether it is funded.
#[derive(Clone, Copy, Debug)]
pub struct Item {
    pub u: f64,
    pub d: f64,
    pub lo: f64,
    pub hi: f64,
    pub held: Option<bool>,
}

impl Item {
    /// A bid funded whole or not at all.
    pub fn whole(u: f64, d: f64, held: Option<bool>) -> Item {
        Item {
            u,
            d,
            lo: 1.0,
            hi: 1.0,
            held,
        }
    }
}

/// The best value, and whether it is exact: a search that ran out of nodes returns
/// the relaxation's value, which is still a bound.
#[derive(Clone, Debug)]
pub struct Best {
    pub value: f64,
    pub exact: bool,
    /// Each item's share in the best allocation the search found (0: not funded): the
    /// one worth `value` when `exact`.
    pub share: Vec<f64>,
}

/// The most `w·min(cap, Σ uᵢxᵢ) + Σ dᵢxᵢ` can be, with `force` (item, funded) held too.
/// `nodes` limits the search.
pub fn best(w: f64, cap: f64, items: &[Item], force: Option<(usize, bool)>, nodes: usize) -> Best {
    let held: Vec<Option<bool>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| match force {
            Some((j, v)) if j == i => Some(v),
            _ => item.held,
        })
        .collect();
    // With no worth in the gain, it is held at zero and each bid stands alone: funded
    // in full if that is worth anything, at its minimum if it must be funded.
    if w <= 0.0 {
        let mut share = vec![0.0; items.len()];
        let mut value = 0.0;
        for (i, item) in items.iter().enumerate() {
            share[i] = match held[i] {
                Some(false) => 0.0,
                Some(true) if item.d < 0.0 => item.lo,
                _ if item.d >= 0.0 || held[i] == Some(true) => item.hi,
                _ => 0.0,
            };
            value += item.d * share[i];
        }
        return Best {
            value,
            exact: true,
            share,
        };
    }
    let all_whole = items
        .iter()
        .zip(&held)
        .all(|(item, h)| item.lo == item.hi || *h == Some(false));
    if all_whole {
        Whole::best(w, cap, items, &held, nodes)
    } else {
        Shares::best(w, cap, items, &held, nodes)
    }
}

/// Cheapest gain first; ties in the items' order, so the search is deterministic.
fn by_cost_per_gain(items: &[Item], order: &mut [usize]) {
    order.sort_by(|&a, &b| {
        let (ra, rb) = (-items[a].d / items[a].u, -items[b].d / items[b].u);
        ra.total_cmp(&rb).then(a.cmp(&b))
    });
}

/// Whole bids: depth first down the candidates in order, taking before leaving, each
/// node bounded by the cheapest whole candidates that fit and a part of the next.
struct Whole {
    w: f64,
    /// Each candidate's gain and value when funded, in order.
    gain_of: Vec<f64>,
    value_of: Vec<f64>,
    /// Prefix sums over the candidates: gain, and worth when taken whole within the
    /// headroom.
    gain: Vec<f64>,
    worth: Vec<f64>,
}

struct WholeState {
    best: f64,
    best_path: Vec<bool>,
    path: Vec<bool>,
    nodes_left: usize,
}

impl Whole {
    fn best(w: f64, cap: f64, items: &[Item], held: &[Option<bool>], nodes: usize) -> Best {
        let mut share = vec![0.0; items.len()];
        let (mut used, mut value) = (0.0, 0.0);
        let mut candidates: Vec<usize> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let (u, d) = (item.u * item.hi, item.d * item.hi);
            let take = match held[i] {
                Some(v) => v,
                None if d >= 0.0 => true,
                None => {
                    if w * u + d > 0.0 {
                        candidates.push(i);
                    }
                    false
                }
            };
            if take {
                share[i] = item.hi;
                used += u;
                value += d;
            }
        }
        let room = cap - used;
        if room <= 0.0 {
            return Best {
                value: value + w * cap,
                exact: true,
                share,
            };
        }
        value += w * used;
        by_cost_per_gain(items, &mut candidates);
        let search = Whole::new(w, items, &candidates);
        let root = search.relaxed(0, room);
        let mut state = WholeState {
            best: 0.0,
            best_path: Vec::new(),
            path: Vec::new(),
            nodes_left: nodes,
        };
        let exact = search.dfs(0, room, 0.0, &mut state);
        for (&i, &t) in candidates.iter().zip(&state.best_path) {
            if t {
                share[i] = items[i].hi;
            }
        }
        Best {
            value: value + if exact { state.best } else { root },
            exact,
            share,
        }
    }

    fn new(w: f64, items: &[Item], order: &[usize]) -> Whole {
        let gain_of: Vec<f64> = order.iter().map(|&i| items[i].u * items[i].hi).collect();
        let value_of: Vec<f64> = order.iter().map(|&i| items[i].d * items[i].hi).collect();
        let mut gain = vec![0.0; order.len() + 1];
        let mut worth = vec![0.0; order.len() + 1];
        for k in 0..order.len() {
            gain[k + 1] = gain[k] + gain_of[k];
            worth[k + 1] = worth[k] + w * gain_of[k] + value_of[k];
        }
        Whole {
            w,
            gain_of,
            value_of,
            gain,
            worth,
        }
    }

    /// The relaxation's best from candidate `k` on with `room` of headroom: the
    /// cheapest whole, then a part of the next.
    fn relaxed(&self, k: usize, room: f64) -> f64 {
        // The last candidate (from k) that fits whole.
        let fits = self.gain[k..].partition_point(|&g| g - self.gain[k] <= room) - 1;
        let end = k + fits;
        let mut value = self.worth[end] - self.worth[k];
        if end < self.gain_of.len() {
            let left = room - (self.gain[end] - self.gain[k]);
            value += left * (self.w + self.value_of[end] / self.gain_of[end]);
        }
        value
    }

    /// Depth first, taking before leaving; false when the nodes ran out.
    fn dfs(&self, k: usize, room: f64, value: f64, state: &mut WholeState) -> bool {
        let n = self.gain_of.len();
        if value > state.best {
            state.best = value;
            state.best_path.clone_from(&state.path);
            state.best_path.resize(n, false);
        }
        if k == n || room <= 0.0 || value + self.relaxed(k, room) <= state.best {
            return true;
        }
        if state.nodes_left == 0 {
            return false;
        }
        state.nodes_left -= 1;
        let (u, d) = (self.gain_of[k], self.value_of[k]);
        state.path.push(true);
        let complete = if u <= room {
            self.dfs(k + 1, room - u, value + self.w * u + d, state)
        } else {
            // It overshoots the headroom: nothing after it adds gain, only cost.
            self.dfs(n, 0.0, value + self.w * room + d, state)
        };
        state.path.pop();
        if !complete {
            return false;
        }
        state.path.push(false);
        let complete = self.dfs(k + 1, room, value, state);
        state.path.pop();
        complete
    }
}

/// Shares: branch and bound on whether each candidate is funded. A node's relaxation
/// lets a candidate not yet decided take any share from 0 up, and is solved by the
/// fill: every funded candidate at its minimum, then the headroom left filled cheapest
/// gain first. At most one candidate ends in part, and where that one is undecided and
/// below its minimum the node branches on it: funded (at least its minimum) or not.
/// (Taking candidates in order, as `Whole` does, is wrong here: a share funded before
/// a later bid's minimum overshoots the headroom can still shrink to make room.)
struct Shares<'a> {
    w: f64,
    cap: f64,
    items: &'a [Item],
    /// The candidates, cheapest gain first.
    order: Vec<usize>,
    /// Gain and value of the bids funded in full before the search.
    used: f64,
    value: f64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Decision {
    Open,
    Funded,
    Unfunded,
}

/// A node's relaxation: its value, and the candidate (by position) it funds below its
/// minimum.
struct Fill {
    value: f64,
    below: Option<usize>,
}

struct SharesState {
    best: f64,
    best_decisions: Option<Vec<Decision>>,
    nodes_left: usize,
}

impl Shares<'_> {
    fn best(w: f64, cap: f64, items: &[Item], held: &[Option<bool>], nodes: usize) -> Best {
        let mut share = vec![0.0; items.len()];
        let (mut used, mut value) = (0.0, 0.0);
        let mut order = Vec::new();
        let mut initial = vec![Decision::Open; items.len()];
        for (i, item) in items.iter().enumerate() {
            match held[i] {
                Some(false) => {}
                // Gain never falls as shares rise, so a bid worth something on its own
                // is funded in full.
                _ if item.d >= 0.0 => {
                    share[i] = item.hi;
                    used += item.u * item.hi;
                    value += item.d * item.hi;
                }
                Some(true) => {
                    order.push(i);
                    initial[i] = Decision::Funded;
                }
                None if w * item.u + item.d > 0.0 => order.push(i),
                None => {}
            }
        }
        by_cost_per_gain(items, &mut order);
        let mut decisions: Vec<Decision> = order.iter().map(|&i| initial[i]).collect();
        let search = Shares {
            w,
            cap,
            items,
            order,
            used,
            value,
        };
        let root = search.fill(&decisions, None);
        // A node here costs a pass over the candidates, where `Whole`'s costs a
        // binary search: beyond 64 candidates the nodes shrink in proportion, so a
        // footprint of thousands of bids cannot take far longer than one of dozens.
        let nodes = nodes.saturating_mul(64) / search.order.len().max(64);
        let mut state = SharesState {
            best: f64::NEG_INFINITY,
            best_decisions: None,
            nodes_left: nodes,
        };
        let exact = search.search(&mut decisions, &mut state);
        let shown = state.best_decisions.as_deref().unwrap_or(&decisions);
        search.fill(shown, Some(&mut share));
        Best {
            value: if exact { state.best } else { root.value },
            exact,
            share,
        }
    }

    /// The relaxation at `decisions`, writing each candidate's share into `share`.
    fn fill(&self, decisions: &[Decision], mut share: Option<&mut [f64]>) -> Fill {
        let (mut used, mut value) = (self.used, self.value);
        for (&i, &decision) in self.order.iter().zip(decisions) {
            let item = &self.items[i];
            let at = if decision == Decision::Funded {
                item.lo
            } else {
                0.0
            };
            used += item.u * at;
            value += item.d * at;
            if let Some(share) = share.as_deref_mut() {
                share[i] = at;
            }
        }
        let mut room = self.cap - used;
        let mut below = None;
        for (k, (&i, &decision)) in self.order.iter().zip(decisions).enumerate() {
            let item = &self.items[i];
            // In order of cost per gain: from here on, a unit of share costs more than
            // its gain is worth.
            if room <= 0.0 || self.w * item.u + item.d <= 0.0 {
                break;
            }
            let size = match decision {
                Decision::Unfunded => continue,
                Decision::Funded => item.hi - item.lo,
                Decision::Open => item.hi,
            };
            let t = size.min(room / item.u);
            if t <= 0.0 {
                continue;
            }
            room -= item.u * t;
            value += item.d * t;
            if let Some(share) = share.as_deref_mut() {
                share[i] += t;
            }
            if decision == Decision::Open && t < item.lo {
                below = Some(k);
            }
        }
        Fill {
            value: value + self.w * (self.cap - room).min(self.cap),
            below,
        }
    }

    /// Funded before unfunded, depth first; false when the nodes ran out.
    fn search(&self, decisions: &mut [Decision], state: &mut SharesState) -> bool {
        let fill = self.fill(decisions, None);
        if fill.value <= state.best {
            return true;
        }
        let Some(k) = fill.below else {
            state.best = fill.value;
            state.best_decisions = Some(decisions.to_vec());
            return true;
        };
        if state.nodes_left == 0 {
            return false;
        }
        state.nodes_left -= 1;
        let mut complete = true;
        for decision in [Decision::Funded, Decision::Unfunded] {
            decisions[k] = decision;
            if !self.search(decisions, state) {
                complete = false;
                break;
            }
        }
        decisions[k] = Decision::Open;
        complete
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The best over every funded set, each set's shares tried at every vertex of its
    /// box and of the box cut by `Σ u·x = cap` (the value is linear on each side of that
    /// plane, so its most is at one of them).
    fn brute(w: f64, cap: f64, items: &[Item], force: Option<(usize, bool)>) -> f64 {
        let n = items.len();
        let value = |x: &[f64]| {
            let u: f64 = items.iter().zip(x).map(|(item, v)| item.u * v).sum();
            let d: f64 = items.iter().zip(x).map(|(item, v)| item.d * v).sum();
            d + w.max(0.0) * cap.min(u)
        };
        let mut best = f64::NEG_INFINITY;
        for mask in 0u32..(1 << n) {
            let funded = |i: usize| mask & (1 << i) != 0;
            let consistent = (0..n).all(|i| {
                let held = match force {
                    Some((j, v)) if j == i => Some(v),
                    _ => items[i].held,
                };
                held.is_none_or(|h| h == funded(i))
            });
            if !consistent {
                continue;
            }
            // The funded shares that may vary.
            let free: Vec<usize> = (0..n)
                .filter(|&i| funded(i) && items[i].lo < items[i].hi)
                .collect();
            for corner in 0u32..(1 << free.len()) {
                let mut x: Vec<f64> = (0..n)
                    .map(|i| if funded(i) { items[i].lo } else { 0.0 })
                    .collect();
                for (k, &i) in free.iter().enumerate() {
                    if corner & (1 << k) != 0 {
                        x[i] = items[i].hi;
                    }
                }
                best = best.max(value(&x));
                for &i in &free {
                    let others: f64 = (0..n).filter(|&j| j != i).map(|j| items[j].u * x[j]).sum();
                    let at = (cap - others) / items[i].u;
                    if at >= items[i].lo && at <= items[i].hi {
                        let mut y = x.clone();
                        y[i] = at;
                        best = best.max(value(&y));
                    }
                }
            }
        }
        best
    }

    /// A share range: whole, a minimum share, no minimum, or held to one share.
    fn range() -> impl Strategy<Value = (f64, f64)> {
        prop_oneof![
            3 => Just((1.0, 1.0)),
            2 => (0.05f64..1.0).prop_map(|m| (m, 1.0)),
            1 => Just((0.0, 1.0)),
            1 => (0.0f64..1.0, 0.0f64..1.0).prop_map(|(a, b)| (a.min(b), a.max(b))),
            1 => (0.1f64..1.0).prop_map(|h| (h, h)),
        ]
    }

    fn item(shares: bool) -> impl Strategy<Value = Item> {
        (
            0.01f64..20.0,
            -30.0f64..5.0,
            prop_oneof![6 => Just(None), 1 => Just(Some(true)), 1 => Just(Some(false))],
            range(),
        )
            .prop_map(move |(u, d, held, (lo, hi))| {
                let (lo, hi) = if shares { (lo, hi) } else { (1.0, 1.0) };
                Item { u, d, lo, hi, held }
            })
    }

    fn check(
        w: f64,
        cap: f64,
        items: &[Item],
        force: Option<(usize, bool)>,
    ) -> Result<(), TestCaseError> {
        let force = force.filter(|f| f.0 < items.len());
        let exact = brute(w, cap, items, force);
        let found = best(w, cap, items, force, usize::MAX);
        let close = |a: f64| (a - exact).abs() <= 1e-9 * (1.0 + exact.abs());
        prop_assert!(found.exact);
        prop_assert!(close(found.value), "{} vs {}", found.value, exact);
        // The allocation it names keeps every share's range and is worth what it says.
        let (mut u, mut d) = (0.0, 0.0);
        for (i, (item, &x)) in items.iter().zip(&found.share).enumerate() {
            let held = match force {
                Some((j, v)) if j == i => Some(v),
                _ => item.held,
            };
            let funded = x > 0.0 || (held == Some(true) && item.lo == 0.0);
            prop_assert!(
                x == 0.0 || (x >= item.lo - 1e-12 && x <= item.hi + 1e-12),
                "share {x} outside {}..{}",
                item.lo,
                item.hi
            );
            prop_assert!(
                held.is_none_or(|h| h == funded || (x == 0.0 && item.lo == 0.0)),
                "item {i} held {held:?} at {x}"
            );
            u += item.u * x;
            d += item.d * x;
        }
        let named = d + w.max(0.0) * cap.min(u);
        prop_assert!(close(named), "named {named} vs {exact}");
        // Out of nodes, the answer is still a bound.
        let cut = best(w, cap, items, force, 1);
        prop_assert!(cut.value >= exact - 1e-9 * (1.0 + exact.abs()));
        Ok(())
    }

    proptest! {
        #[test]
        fn the_search_finds_the_best_whole_allocation(
            w in prop_oneof![1 => Just(0.0), 1 => -1.0f64..0.0, 6 => 0.0f64..5.0],
            cap in 0.0f64..60.0,
            items in prop::collection::vec(item(false), 0..=10),
            force in (0usize..10, any::<bool>()),
        ) {
            check(w, cap, &items, Some(force))?;
        }

        #[test]
        fn the_search_finds_the_best_shares(
            w in prop_oneof![1 => Just(0.0), 1 => -1.0f64..0.0, 6 => 0.0f64..5.0],
            cap in prop_oneof![1 => Just(0.0), 6 => 0.0f64..60.0],
            items in prop::collection::vec(item(true), 0..=6),
            force in (0usize..8, any::<bool>()),
        ) {
            check(w, cap, &items, Some(force))?;
        }
    }

    #[test]
    fn a_minimum_share_that_overshoots_shrinks_the_share_before_it() {
        // Room for 10 points worth 1 each; two bids of 6 points costing 3 each, the
        // second with a minimum share of 0.8. Funding the first in full and the second
        // at its minimum overshoots (10.8 points: 10 - 3 - 2.4 = 4.6); shrinking the
        // first to 10/6 - 0.8 fills the room exactly and is worth 10 - 5 = 5.
        let items = [
            Item {
                u: 6.0,
                d: -3.0,
                lo: 0.0,
                hi: 1.0,
                held: None,
            },
            Item {
                u: 6.0,
                d: -3.0,
                lo: 0.8,
                hi: 1.0,
                held: Some(true),
            },
        ];
        let found = best(1.0, 10.0, &items, None, usize::MAX);
        assert!(found.exact);
        assert!((found.value - 5.0).abs() < 1e-12, "{}", found.value);
        assert!(
            (found.share[0] - (10.0 / 6.0 - 0.8)).abs() < 1e-12,
            "{:?}",
            found.share
        );
        assert_eq!(found.share[1], 0.8);
    }
}
