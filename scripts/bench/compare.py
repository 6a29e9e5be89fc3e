#!/usr/bin/env python3
"""Solve one exported techfund model with HiGHS alone and with PuLP + CBC, and check
that every answer agrees with techfund's.

    compare.py --mps MODEL.mps [--report DIR] [--gap 1e-4] [--time-limit 120]
               [--threads 1 2] [--cbc-time-limit S] [--no-cbc] [--seed N] [--grace S]
               [--out CASE.json]

MODEL.mps is what `techfund run SCENARIO --export-model MODEL.mps` wrote: the model
HiGHS solves inside techfund, with money in techfund's own unit (about a year's budget)
and maturity in millions of person-points. Every objective below is in those model
units, so the three tools are compared like with like.

--seed N (default 0) is HiGHS' `random_seed`, as techfund's `[solver] random_seed`, and
for N above 0 CBC's `randomCbcSeed` (at 0 CBC keeps its own default, as in the main
table): the seeds run of scripts/bench/run.sh solves each case once per seed.

techfund's objective in model units is measured, not converted: the integer columns of
MODEL.mps are fixed to techfund's answer (allocation.csv in --report DIR) and HiGHS
solves the remaining LP. That also proves techfund's answer is feasible on the model
the other solvers see. run.json's `objective` divided by techfund's scale is printed
beside it as a cross-check.

Each solver runs in its own child process (this script with a `_worker` argument):
HiGHS fixes its thread count the first time a process solves, so 1 and 2 threads need
separate processes; a child's peak memory can be read on its own (os.wait4); and a
solver that hangs past its time limit can be killed without losing the other results.

Prints one JSON object (and writes it to --out). Uses only the standard library,
highspy and pulp.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

# techfund's own HiGHS settings (src/solve/mod.rs), so HiGHS alone solves the same
# problem to the same precision: the model counts money in units of about a year's
# budget, where HiGHS' default tolerances (1e-7, 1e-6) are too loose to trust.
TECHFUND_HIGHS_OPTIONS = {
    "primal_feasibility_tolerance": 1e-9,
    "mip_feasibility_tolerance": 1e-9,
    "mip_abs_gap": 1e-10,
    "random_seed": 0,
}

# Relative slack on top of the requested gap before two objectives are said to
# disagree: solvers round at about 1e-9 of the objective.
ROUNDING = 1e-7

# A relative gap this small is rounding, not room for a better answer (techfund's own
# threshold, src/solve/mod.rs).
PROVEN = 1e-9

# Seconds a child may run beyond its solver's time limit (reading the model, PuLP
# writing its own copy for CBC) before it is killed and recorded as "killed".
GRACE_S = 300


# ---------------------------------------------------------------------------
# Workers: each runs in a child process and prints one JSON object on stdout.
# ---------------------------------------------------------------------------


def objective_sense(mps_path):
    """'max' or 'min', from the OBJSENSE section HiGHS writes (PuLP ignores it)."""
    with open(mps_path) as f:
        lines = iter(f)
        for line in lines:
            word = line.split()[0] if line.split() else ""
            if word == "OBJSENSE":
                # HiGHS writes the sense on the next line ("MAX"); some writers put it
                # on the same line.
                rest = line.split()[1:] or next(lines).split()
                return "max" if rest[0].upper().startswith("MAX") else "min"
            if word in ("ROWS", "COLUMNS"):
                break
    return "min"


def worker_highs(args):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    t0 = time.perf_counter()
    if h.readModel(args.mps) != highspy.HighsStatus.kOk:
        return {"status": "error", "error": "HiGHS could not read the model"}
    t1 = time.perf_counter()
    for name, value in TECHFUND_HIGHS_OPTIONS.items():
        h.setOptionValue(name, value)
    h.setOptionValue("random_seed", args.seed)
    h.setOptionValue("mip_rel_gap", args.gap)
    h.setOptionValue("time_limit", float(args.time_limit))
    h.setOptionValue("threads", args.threads)
    h.run()
    t2 = time.perf_counter()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    # One vocabulary for every tool, as techfund's run.json spells it: HiGHS says
    # "Optimal" also when it stopped at the relative gap, so its gap says which.
    if status == "Optimal":
        status = "within_gap" if info.mip_gap > PROVEN else "optimal"
    elif status == "Time limit reached":
        status = "time_limit"
    return {
        "status": status,
        "has_solution": has_solution,
        "objective": info.objective_function_value if has_solution else None,
        "bound": info.mip_dual_bound,
        "gap": info.mip_gap,
        "nodes": info.mip_node_count,
        "read_s": t1 - t0,
        "solve_s": t2 - t1,
        "threads": args.threads,
        "version": highspy_version(),
    }


def highspy_version():
    try:
        from importlib.metadata import version

        return version("highspy")
    except Exception:
        return "unknown"


def parse_cbc_log(text):
    """CBC's closing block: result line, objective, bound, gap, nodes, times."""
    out = {}
    m = re.search(r"^Result - (.+)$", text, re.M)
    if m:
        out["result"] = m.group(1).strip()
    for key, label in [
        ("objective", "Objective value"),
        ("bound", "Lower bound"),
        ("gap", "Gap"),
        ("nodes", "Enumerated nodes"),
        ("wall_s", "Time (Wallclock seconds)"),
    ]:
        m = re.search(r"^" + re.escape(label) + r":\s+(\S+)", text, re.M)
        if m:
            try:
                out[key] = float(m.group(1))
            except ValueError:
                pass
    m = re.search(r"Version:\s+(\S+)", text)
    if m:
        out["version"] = m.group(1)
    return out


def worker_cbc(args):
    import pulp

    sense = pulp.LpMaximize if objective_sense(args.mps) == "max" else pulp.LpMinimize
    t0 = time.perf_counter()
    # fromMPS reads the columns, rows, bounds and integer markers HiGHS writes; it
    # skips the OBJSENSE section, hence the sense passed in.
    _, prob = pulp.LpProblem.fromMPS(args.mps, sense=sense)
    t1 = time.perf_counter()
    # No `threads`: CBC's default is its serial search, one thread. Asking for
    # `-threads 1` switches CBC 2.10 into its threaded code with one worker, which
    # only adds waiting (about 0.4 s more wall time on the default baseline).
    solver = pulp.PULP_CBC_CMD(
        msg=False,
        gapRel=args.gap,
        timeLimit=args.time_limit,
        timeMode="elapsed",
        logPath=args.log,
        options=[f"randomCbcSeed {args.seed}"] if args.seed else [],
    )
    if not solver.available():
        return {"status": "unavailable", "error": "PuLP found no CBC binary"}
    prob.solve(solver)
    t2 = time.perf_counter()
    with open(args.log) as f:
        log = parse_cbc_log(f.read())
    result = log.get("result", "")
    if result.startswith("Optimal solution found"):
        # With a relative gap (`ratio`) CBC prunes every node within that gap of its
        # incumbent and then calls the search complete and the answer "optimal": what
        # it has proven is that the answer is within the gap.
        status = "within_gap" if args.gap > 0 else "optimal"
    elif "time" in result.lower():
        status = "time_limit"
    else:
        status = result or pulp.LpStatus[prob.status]
    objective = pulp.value(prob.objective)
    has_solution = prob.sol_status in (
        pulp.LpSolutionOptimal,
        pulp.LpSolutionIntegerFeasible,
    )
    bound = log.get("bound")
    # With -max, CBC minimises the negated objective and prints that side's numbers:
    # put the bound back in the model's sense by matching the objective's sign.
    if bound is not None and "objective" in log and objective is not None:
        if log["objective"] != 0 and (log["objective"] > 0) != (objective > 0):
            bound = -bound
    return {
        "status": status,
        "has_solution": has_solution,
        "objective": objective if has_solution else None,
        "bound": bound,
        "gap": log.get("gap"),
        "nodes": log.get("nodes"),
        "read_s": t1 - t0,
        "solve_s": t2 - t1,
        "cbc_wall_s": log.get("wall_s"),
        "threads": 1,
        "version": "CBC " + log.get("version", "?") + ", PuLP " + pulp.__version__,
        "how": "pulp.LpProblem.fromMPS on the exported model",
    }


def read_fractions(allocation_csv):
    """project_id -> funded share, from techfund's allocation.csv."""
    with open(allocation_csv, encoding="utf-8-sig", newline="") as f:
        return {r["project_id"]: float(r["funded_fraction"]) for r in csv.DictReader(f)}


def worker_evaluate(args):
    """Value of techfund's answer on the exported model: integer columns fixed to it,
    the rest (partial shares, capability gains) solved as an LP, as techfund does."""
    import highspy

    fractions = read_fractions(args.allocation)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(args.mps)
    for name, value in TECHFUND_HIGHS_OPTIONS.items():
        h.setOptionValue(name, value)
    lp = h.getLp()
    names = list(lp.col_names_)
    integrality = list(lp.integrality_)
    fixed, values, unknown = [], [], []
    for col, (name, kind) in enumerate(zip(names, integrality)):
        if int(kind) == 0:  # continuous
            continue
        # Whole columns are `share_<id>` (all or nothing: funded or not) or
        # `funded_<id>` (partial: funded at all, so at least its minimum share).
        prefix, _, project = name.partition("_")
        if project not in fractions or prefix not in ("share", "funded"):
            unknown.append(name)
            continue
        share = fractions[project]
        fixed.append(col)
        values.append(float(round(share)) if prefix == "share" else float(share > 0))
    if unknown:
        return {"status": "error", "error": f"{len(unknown)} whole columns match no bid, e.g. {unknown[:3]}"}
    # highspy turns plain lists into the arrays HiGHS wants (no numpy needed here).
    h.changeColsBounds(len(fixed), fixed, values, values)
    h.changeColsIntegrality(len(fixed), fixed, [0] * len(fixed))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    return {
        "status": status,
        "objective": info.objective_function_value if status == "Optimal" else None,
        "fixed_columns": len(fixed),
    }


# ---------------------------------------------------------------------------
# The parent: runs the workers, reads techfund's report, checks agreement.
# ---------------------------------------------------------------------------


def run_worker_measured(kind, argv, limit_s):
    """As run_worker, with the child's own peak resident memory (os.wait4)."""
    cmd = [sys.executable, os.path.abspath(__file__), "_worker", kind] + argv
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        deadline = start + limit_s
        rusage = None
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"status": "killed", "error": f"still running after {limit_s:.0f} s",
                        "process_s": time.perf_counter() - start}
            time.sleep(0.02)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errtext = out.read(), err.read()
    try:
        result = json.loads(text.strip().splitlines()[-1])
    except (ValueError, IndexError):
        result = {"status": "error", "error": (errtext or text).strip()[-500:] or f"exit {proc.returncode}"}
    result["process_s"] = wall
    # ru_maxrss is in KiB on Linux.
    result["peak_kb"] = rusage.ru_maxrss
    return result


def money_scale(scenario):
    """techfund's money unit (src/model/mod.rs `money_scale`): the whole fund divided
    by its budget cells, at least 1 £k."""
    cells = [v for _, amounts in scenario["budget"] for v in amounts]
    return max(sum(cells) / max(len(cells), 1), 1.0)


def techfund_side(report_dir, mps, limit_s):
    """techfund's answer in model units: measured on the model, and converted."""
    out = {}
    run_json = os.path.join(report_dir, "run.json")
    if not os.path.exists(run_json):
        return {"status": "no report"}
    with open(run_json) as f:
        run = json.load(f)
    scenario = run["resolved_scenario"]
    # run.json states the exported model's objective scale; older reports did not, and
    # then it is worked out here the way techfund does.
    scale = run.get("model_objective_scale")
    if scale is None:
        scale = money_scale(scenario) if run.get("objective_kind", scenario["objective"]) == "benefit" else 1e6
    out["status"] = run["status"]
    out["objective_reported"] = run["objective"]
    out["bound_reported"] = run["bound"]
    out["gap_reported"] = run["mip_gap"]
    out["scale"] = scale
    out["objective_converted"] = run["objective"] / scale
    out["bound_converted"] = run["bound"] / scale
    # The value techfund's own heuristic found before HiGHS' search, when it ran.
    if run.get("heuristic_objective") is not None:
        out["heuristic_converted"] = run["heuristic_objective"] / scale
    evaluated = run_worker_measured(
        "evaluate", [mps, "--allocation", os.path.join(report_dir, "allocation.csv")], limit_s
    )
    out["evaluation"] = evaluated
    out["objective"] = evaluated.get("objective")
    return out


def rel_diff(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


def agreement(case, gap, sense):
    """Do the answers agree? Each proven answer must be within the requested gap of
    every other, and no answer may beat another tool's proven bound."""
    notes = []
    answers = {}  # tool -> (objective, bound, proven)
    tf = case.get("techfund", {})
    if tf.get("objective") is not None:
        proven = tf.get("status") in ("optimal", "within_gap")
        answers["techfund"] = (tf["objective"], tf.get("bound_converted"), proven)
        # The measured value and run.json's own must be the same number.
        if rel_diff(tf["objective"], tf["objective_converted"]) > ROUNDING:
            notes.append(
                f"techfund's run.json objective ({tf['objective_converted']:.10g} in model units) "
                f"differs from its answer's value on the model ({tf['objective']:.10g})"
            )
    elif tf.get("status") not in (None, "no report"):
        notes.append(f"techfund's answer could not be evaluated on the model: {tf.get('evaluation')}")
    for key, run in case.get("solvers", {}).items():
        if run.get("objective") is not None:
            proven = run.get("status") in ("optimal", "within_gap")
            answers[key] = (run["objective"], run.get("bound"), proven)
    if len(answers) < 2:
        return {"verdict": "n/a", "notes": notes + ["fewer than two answers to compare"], "answers": len(answers)}

    best = max(a[0] for a in answers.values()) if sense == "max" else min(a[0] for a in answers.values())
    worst_diff = 0.0
    for tool, (obj, bound, proven) in answers.items():
        d = rel_diff(obj, best)
        worst_diff = max(worst_diff, d)
        if proven and d > gap + ROUNDING:
            notes.append(f"{tool}'s proven answer {obj:.10g} is {d:.2e} from the best {best:.10g}, beyond the gap {gap:g}")
        # Another tool's answer better than this tool's proven bound: one of them is wrong.
        if bound is not None:
            for other, (o2, _, _) in answers.items():
                beyond = (o2 - bound) if sense == "max" else (bound - o2)
                if beyond > ROUNDING * max(abs(bound), 1.0):
                    notes.append(f"{other}'s answer {o2:.10g} beats {tool}'s proven bound {bound:.10g}")
    # Answers that stopped at a time limit are compared too (they must not beat a
    # proven bound), but they are not required to be within the gap.
    unproven = [t for t, a in answers.items() if not a[2]]
    if any("beyond the gap" in n or "beats" in n or "differs" in n or "could not" in n for n in notes):
        verdict = "DISAGREE"
    else:
        verdict = "agree"
    return {"verdict": verdict, "unproven": unproven, "max_rel_diff": worst_diff, "best": best,
            "notes": notes, "answers": len(answers)}


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "_worker":
        kind = sys.argv[2]
        p = argparse.ArgumentParser()
        p.add_argument("mps")
        p.add_argument("--gap", type=float, default=1e-4)
        p.add_argument("--time-limit", type=float, default=120)
        p.add_argument("--threads", type=int, default=1)
        p.add_argument("--log")
        p.add_argument("--allocation")
        p.add_argument("--seed", type=int, default=0)
        args = p.parse_args(sys.argv[3:])
        work = {"highs": worker_highs, "cbc": worker_cbc, "evaluate": worker_evaluate}[kind]
        try:
            result = work(args)
        except Exception as e:  # reported in the table, never hidden
            result = {"status": "error", "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(result))
        return

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mps", required=True)
    p.add_argument("--report", help="techfund's report folder (run.json, allocation.csv)")
    p.add_argument("--gap", type=float, default=1e-4)
    p.add_argument("--time-limit", type=float, default=120)
    p.add_argument("--cbc-time-limit", type=float, help="defaults to --time-limit")
    p.add_argument("--threads", type=int, nargs="+", default=[1])
    p.add_argument("--no-cbc", action="store_true", help="skip PuLP + CBC (say why in --cbc-note)")
    p.add_argument("--cbc-note", default="")
    p.add_argument("--seed", type=int, default=0, help="HiGHS' random_seed; CBC's randomCbcSeed when above 0")
    p.add_argument("--grace", type=float, default=GRACE_S, help="seconds past its limit before a solver is killed")
    p.add_argument("--out")
    args = p.parse_args()

    sense = objective_sense(args.mps)
    case = {"mps": args.mps, "sense": sense, "gap": args.gap, "time_limit_s": args.time_limit, "seed": args.seed, "solvers": {}}
    limit = args.time_limit + args.grace
    if args.report:
        case["techfund"] = techfund_side(args.report, args.mps, limit)
    for n in args.threads:
        case["solvers"][f"highs_{n}t"] = run_worker_measured(
            "highs",
            [args.mps, "--gap", str(args.gap), "--time-limit", str(args.time_limit), "--threads", str(n),
             "--seed", str(args.seed)],
            limit,
        )
    if args.no_cbc:
        case["solvers"]["cbc"] = {"status": "skipped", "error": args.cbc_note or "skipped"}
    else:
        cbc_limit = args.cbc_time_limit or args.time_limit
        with tempfile.TemporaryDirectory() as tmp:
            case["solvers"]["cbc"] = run_worker_measured(
                "cbc",
                [args.mps, "--gap", str(args.gap), "--time-limit", str(cbc_limit), "--log", os.path.join(tmp, "cbc.log"),
                 "--seed", str(args.seed)],
                cbc_limit + args.grace,
            )
        case["solvers"]["cbc"]["time_limit_s"] = cbc_limit
    case["agreement"] = agreement(case, args.gap, sense)
    text = json.dumps(case, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
