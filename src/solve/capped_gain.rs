//! One footprint's capped gain, solved exactly: the most
//! `w·min(cap, Σ uᵢxᵢ) + Σ dᵢxᵢ` can be over whole `xᵢ ∈ {0, 1}`. This is the part of the
//! maturity objective the LP relaxation gets most wrong: the LP funds a fraction of the
//! bid that fills a footprint's headroom exactly, where a whole allocation must stop
//! short or overshoot. Kept out of the dual bound's relaxation and solved here, the
//! bound loses that fraction in every footprint at once.
//!
//! Every `u` is positive. A bid with `d ≥ 0` is always worth taking (the gain never
//! falls as bids are added); one with `w·u + d ≤ 0` never is; the rest (the
//! candidates) cost `-d` for `u` of gain, and are searched by branch and bound in order
//! of cost per unit of gain, each node bounded by filling the headroom left with the
//! cheapest candidates, the last one in part.

/// One bid in the footprint: its gain `u` (> 0), its value `d` on its own, and whether
/// its bounds already decide it.
#[derive(Clone, Copy, Debug)]
pub struct Item {
    pub u: f64,
    pub d: f64,
    pub held: Option<bool>,
}

/// The best value, and whether it is exact: a search that ran out of nodes returns
/// the relaxation's value, which is still a bound.
#[derive(Clone, Debug)]
pub struct Best {
    pub value: f64,
    pub exact: bool,
    /// The best allocation the search found: the one worth `value` when `exact`.
    pub taken: Vec<bool>,
}

/// The most `w·min(cap, Σ uᵢxᵢ) + Σ dᵢxᵢ` can be, with `force` (item, value) held too.
/// `nodes` limits the search.
pub fn best(w: f64, cap: f64, items: &[Item], force: Option<(usize, bool)>, nodes: usize) -> Best {
    let mut taken = vec![false; items.len()];
    let (mut used, mut value) = (0.0, 0.0);
    let mut candidates: Vec<usize> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let held = match force {
            Some((j, v)) if j == i => Some(v),
            _ => item.held,
        };
        let take = match held {
            Some(v) => v,
            None if item.d >= 0.0 => true,
            None => {
                if w > 0.0 && w * item.u + item.d > 0.0 {
                    candidates.push(i);
                }
                false
            }
        };
        if take {
            taken[i] = true;
            used += item.u;
            value += item.d;
        }
    }
    // With no worth in the gain, it is held at zero.
    if w <= 0.0 {
        return Best {
            value,
            exact: true,
            taken,
        };
    }
    let room = cap - used;
    if room <= 0.0 {
        return Best {
            value: value + w * cap,
            exact: true,
            taken,
        };
    }
    value += w * used;
    // Cheapest gain first; ties in the items' order, so the search is deterministic.
    candidates.sort_by(|&a, &b| {
        let (ra, rb) = (-items[a].d / items[a].u, -items[b].d / items[b].u);
        ra.total_cmp(&rb).then(a.cmp(&b))
    });
    let search = Search::new(w, items, &candidates);
    let root = search.relaxed(0, room);
    let mut state = State {
        best: 0.0,
        best_path: Vec::new(),
        path: Vec::new(),
        nodes_left: nodes,
    };
    let exact = search.dfs(0, room, 0.0, &mut state);
    for (&i, &t) in candidates.iter().zip(&state.best_path) {
        taken[i] = t;
    }
    Best {
        value: value + if exact { state.best } else { root },
        exact,
        taken,
    }
}

struct Search<'a> {
    w: f64,
    items: &'a [Item],
    order: &'a [usize],
    /// Prefix sums over `order`: gain, and worth when taken whole within the headroom.
    gain: Vec<f64>,
    worth: Vec<f64>,
}

struct State {
    best: f64,
    best_path: Vec<bool>,
    path: Vec<bool>,
    nodes_left: usize,
}

impl<'a> Search<'a> {
    fn new(w: f64, items: &'a [Item], order: &'a [usize]) -> Search<'a> {
        let mut gain = vec![0.0; order.len() + 1];
        let mut worth = vec![0.0; order.len() + 1];
        for (k, &i) in order.iter().enumerate() {
            gain[k + 1] = gain[k] + items[i].u;
            worth[k + 1] = worth[k] + w * items[i].u + items[i].d;
        }
        Search {
            w,
            items,
            order,
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
        if end < self.order.len() {
            let item = &self.items[self.order[end]];
            let left = room - (self.gain[end] - self.gain[k]);
            value += left * (self.w + item.d / item.u);
        }
        value
    }

    /// Depth first, taking before leaving; false when the nodes ran out.
    fn dfs(&self, k: usize, room: f64, value: f64, state: &mut State) -> bool {
        if value > state.best {
            state.best = value;
            state.best_path.clone_from(&state.path);
            state.best_path.resize(self.order.len(), false);
        }
        if k == self.order.len() || room <= 0.0 || value + self.relaxed(k, room) <= state.best {
            return true;
        }
        if state.nodes_left == 0 {
            return false;
        }
        state.nodes_left -= 1;
        let item = &self.items[self.order[k]];
        state.path.push(true);
        let complete = if item.u <= room {
            self.dfs(
                k + 1,
                room - item.u,
                value + self.w * item.u + item.d,
                state,
            )
        } else {
            // It overshoots the headroom: nothing after it adds gain, only cost.
            self.dfs(self.order.len(), 0.0, value + self.w * room + item.d, state)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every allocation tried.
    fn brute(w: f64, cap: f64, items: &[Item], force: Option<(usize, bool)>) -> f64 {
        let n = items.len();
        let mut best = f64::NEG_INFINITY;
        'sets: for mask in 0u32..(1 << n) {
            let (mut u, mut d) = (0.0, 0.0);
            for (i, item) in items.iter().enumerate() {
                let x = mask & (1 << i) != 0;
                let held = match force {
                    Some((j, v)) if j == i => Some(v),
                    _ => item.held,
                };
                if held.is_some_and(|h| h != x) {
                    continue 'sets;
                }
                if x {
                    u += item.u;
                    d += item.d;
                }
            }
            best = best.max(d + w.max(0.0) * cap.min(u));
        }
        best
    }

    fn item() -> impl Strategy<Value = Item> {
        (
            0.01f64..20.0,
            -30.0f64..5.0,
            prop_oneof![6 => Just(None), 1 => Just(Some(true)), 1 => Just(Some(false))],
        )
            .prop_map(|(u, d, held)| Item { u, d, held })
    }

    proptest! {
        #[test]
        fn the_search_finds_the_best_allocation(
            w in prop_oneof![1 => Just(0.0), 1 => -1.0f64..0.0, 6 => 0.0f64..5.0],
            cap in 0.0f64..60.0,
            items in prop::collection::vec(item(), 0..=10),
            force in (0usize..10, any::<bool>()),
        ) {
            let force = (force.0 < items.len()).then_some(force);
            let exact = brute(w, cap, &items, force);
            let found = best(w, cap, &items, force, usize::MAX);
            prop_assert!(found.exact);
            prop_assert!((found.value - exact).abs() <= 1e-9 * (1.0 + exact.abs()), "{} vs {}", found.value, exact);
            // The allocation it names is worth what it says.
            let (mut u, mut d) = (0.0, 0.0);
            for (item, &t) in items.iter().zip(&found.taken) {
                if t { u += item.u; d += item.d; }
            }
            let named = d + w.max(0.0) * cap.min(u);
            prop_assert!((named - exact).abs() <= 1e-9 * (1.0 + exact.abs()));
            // Out of nodes, the answer is still a bound.
            let cut = best(w, cap, &items, force, 1);
            prop_assert!(cut.value >= exact - 1e-9 * (1.0 + exact.abs()));
        }
    }
}
