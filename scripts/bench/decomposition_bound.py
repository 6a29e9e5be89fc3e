#!/usr/bin/env python3
"""The best bound a decomposition by footprint can prove on an exported techfund model,
against the LP relaxation's and an allocation's value.

    decomposition_bound.py MODEL.mps [--value V]

MODEL.mps is what `techfund run SCENARIO --export-model MODEL.mps` wrote (a
maximisation). Under the maturity objective each footprint has a capped-gain row
(`gain_<footprint>`): its gain column, capped by its bound, is at most what the
footprint's funded bids add. techfund's dual bound (src/solve/bound.rs) keeps those
rows and solves each footprint exactly, with the other rows priced by multipliers
that it moves by subgradient steps. This script finds the best multipliers there
are, by column generation (Dantzig-Wolfe): a master LP chooses a mix of plans per
footprint under the rows that join footprints, and each footprint's exact best plan
at the master's prices (a small MIP: its bids, its gain column and every row that
touches only them) joins the master until none improves it. Every round's prices
give a valid bound (the Lagrangian relaxation's); the last equals the master's
value. Columns in no footprint (every bid, under the benefit objective) stay in the
master, relaxed: there the bound is the LP's.

With `--value V` (an allocation's value in model units, as `tune.py` prints it) it
prints how far above V each bound is. When the decomposition's bound is more than
the gap above the best allocation known, no choice of multipliers proves that gap:
the proof needs cuts across footprints, as HiGHS derives at its root node.

Uses only the standard library, numpy and highspy (the harness's virtual environment,
`target/bench-venv/bin/python`). Meant for the 1,200-bid models: it solves each
footprint's MIP through highspy, a few milliseconds each.
"""

import argparse
import sys
import time

import highspy
import numpy as np

INF = highspy.kHighsInf
# A plan must beat the master's price for its footprint by this much to join.
IMPROVES = 1e-9


def quiet():
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


class Model:
    """The exported programme, split into footprints (blocks), the rows that join
    them, and the columns in no footprint."""

    def __init__(self, path):
        h = quiet()
        h.readModel(path)
        if h.getLp().sense_ != highspy.ObjSense.kMaximize:
            sys.exit(f"{path}: expected a maximisation, as techfund exports")
        lp = h.getLp()
        self.cost = np.array(lp.col_cost_)
        self.col_lower = np.array(lp.col_lower_)
        self.col_upper = np.array(lp.col_upper_)
        self.row_lower = np.array(lp.row_lower_)
        self.row_upper = np.array(lp.row_upper_)
        self.whole = np.array([int(k) != 0 for k in lp.integrality_]) \
            if len(lp.integrality_) else np.zeros(lp.num_col_, dtype=bool)
        col_names, row_names = list(lp.col_names_), list(lp.row_names_)
        a = lp.a_matrix_
        start, index, value = np.array(a.start_), np.array(a.index_), np.array(a.value_)
        self.cols = [list(zip(index[start[j]:start[j + 1]].tolist(),
                              value[start[j]:start[j + 1]].tolist()))
                     for j in range(lp.num_col_)]
        rows = [[] for _ in range(lp.num_row_)]
        for j, entries in enumerate(self.cols):
            for r, v in entries:
                rows[r].append((j, v))
        self.rows = rows

        # A footprint: its gain column and every column in its capped-gain row.
        block_of = {}
        self.blocks = []
        for j, name in enumerate(col_names):
            if not name.startswith("gain_"):
                continue
            capped = [r for r, _ in self.cols[j] if row_names[r] == name]
            if not capped:
                continue
            members = [c for c, _ in rows[capped[0]]]
            if any(c in block_of for c in members):
                sys.exit(f"{path}: column in two capped-gain rows; not a techfund model")
            for c in members:
                block_of[c] = len(self.blocks)
            self.blocks.append({"name": name[len("gain_"):], "cols": members, "rows": []})
        # A column in no capped-gain row whose rows touch only one footprint's columns
        # (a part-funded bid's indicator, with its two rows) is that footprint's too.
        for j in range(lp.num_col_):
            if j in block_of:
                continue
            owners = {block_of.get(c) for r, _ in self.cols[j] for c, _ in rows[r] if c != j}
            if len(owners) == 1 and None not in owners:
                b = owners.pop()
                block_of[j] = b
                self.blocks[b]["cols"].append(j)
        # A row stays with a footprint when every column in it is that footprint's.
        self.linking = []
        for r, entries in enumerate(rows):
            owners = {block_of.get(c) for c, _ in entries}
            if len(owners) == 1 and None not in owners:
                self.blocks[owners.pop()]["rows"].append(r)
            else:
                self.linking.append(r)
        self.free = [c for c in range(lp.num_col_) if c not in block_of]
        self.link_pos = {r: i for i, r in enumerate(self.linking)}

    def reduced(self, c, prices):
        return self.cost[c] - sum(v * prices[self.link_pos[r]]
                                  for r, v in self.cols[c] if r in self.link_pos)

    def best_plan(self, block, prices):
        """The footprint's exact best plan at these prices: its value and columns."""
        cols = block["cols"]
        pos = {c: i for i, c in enumerate(cols)}
        h = quiet()
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.0)
        n = len(cols)
        h.addVars(n, self.col_lower[cols], self.col_upper[cols])
        h.changeColsCost(n, np.arange(n, dtype=np.int32),
                         np.array([self.reduced(c, prices) for c in cols]))
        whole = [i for i, c in enumerate(cols) if self.whole[c]]
        if whole:
            h.changeColsIntegrality(len(whole), np.array(whole, dtype=np.int32),
                                    np.ones(len(whole), dtype=np.uint8))
        for r in block["rows"]:
            idx = [pos[c] for c, _ in self.rows[r]]
            h.addRow(self.row_lower[r], self.row_upper[r], len(idx),
                     np.array(idx, dtype=np.int32), np.array([v for _, v in self.rows[r]]))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            sys.exit(f"footprint {block['name']}: its MIP ended "
                     f"{h.modelStatusToString(h.getModelStatus())}")
        x = np.array(h.getSolution().col_value)
        x[whole] = np.round(x[whole])
        return h.getInfo().objective_function_value, x

    def plan_column(self, block, x):
        """A plan's value and its activity in each joining row."""
        activity = np.zeros(len(self.linking))
        for c, xc in zip(block["cols"], x):
            if xc:
                for r, v in self.cols[c]:
                    if r in self.link_pos:
                        activity[self.link_pos[r]] += v * xc
        return float(np.dot(self.cost[block["cols"]], x)), activity

    def row_term(self, prices):
        """Σ over joining rows of the most `price × activity` can be within the row's
        bounds (infinite when a price pushes against an open side)."""
        total = 0.0
        for i, r in enumerate(self.linking):
            y = prices[i]
            if y > 0:
                total += y * self.row_upper[r]
            elif y < 0:
                total += y * self.row_lower[r]
        return total

    def free_term(self, prices):
        total = 0.0
        for c in self.free:
            d = self.reduced(c, prices)
            if d:
                total += max(d * self.col_lower[c], d * self.col_upper[c])
        return total


def lp_bound(path):
    h = quiet()
    h.readModel(path)
    lp = h.getLp()
    h.changeColsIntegrality(lp.num_col_, np.arange(lp.num_col_, dtype=np.int32),
                            np.zeros(lp.num_col_, dtype=np.uint8))
    h.run()
    return h.getInfo().objective_function_value


def master(model, plans):
    """The master LP over the plans so far: its value, the joining rows' prices and
    each footprint's price."""
    h = quiet()
    n_plans, n_free = len(plans), len(model.free)
    n = n_plans + n_free
    h.addVars(n, np.r_[np.zeros(n_plans), model.col_lower[model.free]],
              np.r_[np.full(n_plans, INF), model.col_upper[model.free]])
    h.changeColsCost(n, np.arange(n, dtype=np.int32),
                     np.r_[[p["value"] for p in plans], model.cost[model.free]])
    free_pos = {c: n_plans + i for i, c in enumerate(model.free)}
    for i, r in enumerate(model.linking):
        idx, val = [], []
        for k, p in enumerate(plans):
            if p["activity"][i]:
                idx.append(k)
                val.append(p["activity"][i])
        for c, v in model.rows[r]:
            if c in free_pos:
                idx.append(free_pos[c])
                val.append(v)
        h.addRow(model.row_lower[r], model.row_upper[r], len(idx),
                 np.array(idx, dtype=np.int32), np.array(val))
    for b in range(len(model.blocks)):
        idx = [k for k, p in enumerate(plans) if p["block"] == b]
        h.addRow(1.0, 1.0, len(idx), np.array(idx, dtype=np.int32), np.ones(len(idx)))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        sys.exit(f"the master LP ended {h.modelStatusToString(h.getModelStatus())}")
    duals = np.array(h.getSolution().row_dual)
    k = len(model.linking)
    return h.getInfo().objective_function_value, duals[:k], duals[k:]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mps")
    p.add_argument("--value", type=float, help="an allocation's value, to compare")
    p.add_argument("--rounds", type=int, default=500)
    args = p.parse_args()

    began = time.monotonic()
    model = Model(args.mps)
    print(f"{len(model.blocks)} footprints, {len(model.linking)} rows joining them, "
          f"{len(model.free)} columns in no footprint")
    # Each footprint starts with a plan that is never chosen unless nothing else fits:
    # it only keeps the master feasible while plans are few, and is priced at ten times
    # the most any allocation can be worth, so that the master stays well scaled.
    span = np.maximum(np.abs(model.col_lower), np.abs(model.col_upper))
    span = np.where(np.isfinite(span), span, 0.0)
    never = -10.0 * max(1.0, float(np.sum(np.abs(model.cost) * span)))
    plans = [{"block": b, "value": never, "activity": np.zeros(len(model.linking))}
             for b in range(len(model.blocks))]
    best = INF
    for round_ in range(args.rounds):
        value, prices, footprint_prices = master(model, plans)
        bound = model.row_term(prices) + model.free_term(prices)
        joined = 0
        for b, block in enumerate(model.blocks):
            worth, x = model.best_plan(block, prices)
            bound += worth
            if worth > footprint_prices[b] + IMPROVES * max(1.0, abs(worth)):
                v, activity = model.plan_column(block, x)
                plans.append({"block": b, "value": v, "activity": activity})
                joined += 1
        best = min(best, bound)
        print(f"round {round_}: master {value:.6f}, bound {bound:.6f}, "
              f"{joined} plans joined", flush=True)
        if joined == 0:
            break
    else:
        print(f"stopped after {args.rounds} rounds: the bound is valid, not the best")
    lp = lp_bound(args.mps)
    print(f"{time.monotonic() - began:.1f} s, {len(plans)} plans")
    print(f"LP relaxation's bound:  {lp:.6f}")
    print(f"decomposition's bound:  {best:.6f}")
    if args.value is not None:
        for name, b in (("LP relaxation", lp), ("decomposition", best)):
            above = (b - args.value) / abs(args.value)
            print(f"{name} above {args.value:.6f}: {above:.2e}")


if __name__ == "__main__":
    main()
