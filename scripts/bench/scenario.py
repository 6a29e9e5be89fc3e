#!/usr/bin/env python3
"""Write one benchmark scenario for a generated dataset.

    scenario.py --data DIR --name NAME --objective benefit|maturity
                --funding all_or_nothing|partial [--gap 1e-4] [--time-limit 120]
                [--share 0.5] --out FILE.toml

The budget is `share` (default a half) of what the bids ask, per financial year and
budget line, summed from DIR/projects.csv: the default dataset's budget is about that
(55-70% of the asks in most cells), and a fund that covers half the asks keeps every
year's budget binding, which is what makes the problem a real choice.

Every benchmark scenario is the plain capital-budgeting core: the objective, yearly
capital and revenue budgets, and the bids' own requires, exclusive groups and
must/never fund. No hurdle, floors, caps or category rules: those add rows (and, for
floors, a second solve) that HiGHS alone and CBC would not see the same way, and the
default scenarios already time them end to end.
"""

import argparse
import csv
import os


def asks(projects_csv):
    """(years, {line: [sum per year]}) from the cost columns of projects.csv."""
    with open(projects_csv, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        cols = [(i, h) for i, h in enumerate(header) if h.startswith(("capital_", "revenue_"))]
        sums = {h: 0.0 for _, h in cols}
        for row in reader:
            for i, h in cols:
                if row[i]:
                    sums[h] += float(row[i])
    # "capital_2016_17" -> line "capital", year "2016/17"; years in column order.
    years = []
    per_line = {}
    for _, h in cols:
        line, y1, y2 = h.split("_")
        year = f"{y1}/{y2}"
        if year not in years:
            years.append(year)
        per_line.setdefault(line, []).append(sums[h])
    return years, per_line


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--objective", choices=["benefit", "maturity"], required=True)
    p.add_argument("--funding", choices=["all_or_nothing", "partial"], required=True)
    p.add_argument("--gap", type=float, default=1e-4)
    p.add_argument("--time-limit", type=float, default=120)
    p.add_argument("--share", type=float, default=0.5)
    p.add_argument("--out", required=True)
    args = p.parse_args()

    years, per_line = asks(os.path.join(args.data, "projects.csv"))
    budget = {line: [round(args.share * s) for s in sums] for line, sums in per_line.items()}
    # `data` is relative to the scenario file, as techfund reads it.
    data = os.path.relpath(args.data, os.path.dirname(os.path.abspath(args.out)))
    lines = [
        f"# Written by scripts/bench/scenario.py: {args.share:g} of the bids' asks per year and line.",
        f'name = "{args.name}"',
        f'data = "{data}"',
        "years = [" + ", ".join(f'"{y}"' for y in years) + "]",
        "",
        "[budget]",
    ]
    lines += [f"{line} = [" + ", ".join(str(v) for v in amounts) + "]" for line, amounts in budget.items()]
    lines += ["", "[objective]", f'kind = "{args.objective}"']
    if args.objective == "maturity":
        lines.append('need = "least_mature_first"')
    lines += [
        "",
        "[funding]",
        f'mode = "{args.funding}"',
        "",
        "[solver]",
        f"mip_gap = {args.gap:g}",
        f"time_limit_s = {args.time_limit:g}",
        "",
    ]
    with open(args.out, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
