#!/usr/bin/env python3
"""Solve one exported techfund model over HiGHS' random seeds with several option
sets, to tune `src/solve/mod.rs` by measurement rather than by one lucky seed.

    tune.py MODEL.mps [--seeds 0 1 2 3 4 5] [--gap 1e-4] [--time-limit 60]
            [--config NAME:OPTION=VALUE,OPTION=VALUE ...] [--start-from-seed S]

MODEL.mps is what `techfund run SCENARIO --export-model MODEL.mps` wrote. Every run
starts from techfund's own HiGHS options (TECHFUND below: its tolerances and its
tuned search, one thread) and a config overrides some of them; the config `techfund`
(no overrides) is always run first. For example

    tune.py m.mps --config fj-off:mip_heuristic_run_feasibility_jump=false \
                  --config two-threads:threads=2,parallel=on

--start-from-seed S first solves the model with techfund's options and seed S, then
solves it again with every config and seed, started from that allocation
(`setSolution`): how fast HiGHS proves a good allocation it is handed, against
finding one itself. A config with `mip_heuristic_effort=0` started from the best
allocation known measures what the proof alone costs: a floor under any primal
heuristic handing HiGHS its start.

Each solve runs in its own process (HiGHS fixes its thread count the first time a
process solves). Prints one line per solve and, per config, the mean, median and
worst time; then checks that the answers agree: every allocation is worth at most
every proven bound, within rounding. Uses only the standard library and highspy.
"""

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile

from compare import TECHFUND_HIGHS_OPTIONS

# src/solve/mod.rs, `open`: the options every techfund solve runs with. compare.py
# holds the tolerances (HiGHS alone gets those too); the rest is techfund's tuning.
TECHFUND = dict(
    TECHFUND_HIGHS_OPTIONS,
    threads=1,
    parallel="off",
    mip_heuristic_effort=0.3,
    mip_allow_cut_separation_at_nodes=False,
    mip_heuristic_run_feasibility_jump=False,
)

ROUNDING = 1e-7


def worker(job):
    import highspy
    import time

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for name, value in job["options"].items():
        h.setOptionValue(name, value)
    h.readModel(job["mps"])
    if job.get("start"):
        with open(job["start"]) as f:
            start = highspy.HighsSolution()
            start.col_value = json.load(f)
            start.value_valid = True
        h.setSolution(start)
    began = time.monotonic()
    h.run()
    seconds = time.monotonic() - began
    info = h.getInfo()
    if job.get("save"):
        with open(job["save"], "w") as f:
            json.dump(list(h.getSolution().col_value), f)
    print(json.dumps({
        "seconds": seconds,
        "status": h.modelStatusToString(h.getModelStatus()),
        "objective": info.objective_function_value,
        "bound": info.mip_dual_bound,
        "nodes": info.mip_node_count,
        "maximise": h.getLp().sense_ == highspy.ObjSense.kMaximize,
    }))


def solve(job):
    out = subprocess.run(
        [sys.executable, __file__, "_worker", json.dumps(job)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def value(text):
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def config(text):
    name, _, pairs = text.partition(":")
    options = {}
    for pair in filter(None, pairs.split(",")):
        key, _, v = pair.partition("=")
        options[key.strip()] = value(v.strip())
    return name, options


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "_worker":
        worker(json.loads(sys.argv[2]))
        return
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mps")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4, 5])
    p.add_argument("--gap", type=float, default=1e-4)
    p.add_argument("--time-limit", type=float, default=60.0)
    p.add_argument("--config", type=config, action="append", default=[])
    p.add_argument("--start-from-seed", type=int)
    args = p.parse_args()

    base = dict(TECHFUND, mip_rel_gap=args.gap, time_limit=args.time_limit)
    runs = [("techfund", {}, None)] + [(n, o, None) for n, o in args.config]
    with tempfile.TemporaryDirectory() as tmp:
        if args.start_from_seed is not None:
            start = f"{tmp}/start.json"
            first = solve({"mps": args.mps, "save": start,
                           "options": dict(base, random_seed=args.start_from_seed)})
            print(f"start: seed {args.start_from_seed}, {first['seconds']:.2f} s, "
                  f"objective {first['objective']:.6f}, bound {first['bound']:.6f}")
            runs += [(f"{name} from seed {args.start_from_seed}", options, start)
                     for name, options, _ in runs]
        answers = []
        for name, options, start in runs:
            times = []
            for seed in args.seeds:
                r = solve({"mps": args.mps, "start": start,
                           "options": dict(base, **options, random_seed=seed)})
                answers.append(r)
                times.append(r["seconds"])
                print(f"{name:>32} seed {seed}: {r['seconds']:7.2f} s  {r['status']:<12} "
                      f"objective {r['objective']:.6f}  bound {r['bound']:.6f}  "
                      f"nodes {r['nodes']}", flush=True)
            print(f"{name:>32}: mean {statistics.mean(times):.2f} s, median "
                  f"{statistics.median(times):.2f} s, worst {max(times):.2f} s", flush=True)
    sense = 1.0 if answers[0]["maximise"] else -1.0
    # A run stopped by its limit before finding an allocation (or a bound) has
    # nothing to compare.
    best = max((sense * a["objective"] for a in answers if math.isfinite(a["objective"])),
               default=-math.inf)
    tightest = min((sense * a["bound"] for a in answers if math.isfinite(a["bound"])),
                   default=math.inf)
    agree = best <= tightest + ROUNDING * max(1.0, abs(tightest))
    print(f"answers agree: {'yes' if agree else 'NO'} (best allocation "
          f"{sense * best:.6f}, tightest bound {sense * tightest:.6f})")
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
