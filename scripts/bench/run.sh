#!/usr/bin/env bash
# techfund's benchmark harness: techfund end to end against HiGHS alone and PuLP + CBC
# on the very model techfund exports, then BENCHMARKS.md.
#
#   bash scripts/bench/run.sh
#
# Environment (all optional; the defaults are the published benchmark):
#   BENCH_SIZES="1200 20000 100000"  bids per generated dataset
#   BENCH_DEFAULTS=1                 time the default scenarios (at their own gap and at
#                                    1e-4: scripts/bench/defaults_gap.sh), the baseline at
#                                    1e-5 and the baseline sweeps (0: skip)
#   BENCH_TIME_LIMIT=120             every solver's time limit, s (lower it only to try
#                                    the script out: cases then stop at the limit)
#   BENCH_SEEDS="1 2 3 4 5"          the seeds run: every tool solves BENCH_SEED_CASES once
#                                    more per seed (the main run is seed 0), so a table shows
#                                    how far each tool's time moves with its random seed
#   BENCH_SEED_CASES="n1200-benefit-all_or_nothing n1200-maturity-all_or_nothing"
#                                    ("" skips the seeds run)
#   BENCH_OUT=BENCHMARKS.md          where the report goes; with any of the above
#                                    changed it defaults to target/bench/BENCHMARKS.md,
#                                    so a partial run never replaces the committed one
#
# How long: the full default run takes roughly 1 to 2 hours on 2 quiet cores, most of
# it HiGHS alone and CBC at 20,000 and 100,000 bids, which can each run to their 120 s
# limit and beyond (HiGHS overshot a 30 s limit to 109 s at 100,000 bids; CBC is killed
# 300 s after its limit), plus techfund's own runs, twice per case: once to export the
# model, once timed. 1,200 bids alone with BENCH_DEFAULTS=0 takes about 5 minutes; the
# default scenarios (about 8 minutes, most of it uncertain_costs' 500 draws; at 1e-4 3 to
# 10 more), the 1e-5 baseline (up to 2 minutes) and the two sweeps (the 1e-4 one up to
# 20 minutes if its points run to their 30 s limit) add 15 to 40 minutes.
# Under load (2 cores shared with three compiles), BENCH_TIME_LIMIT=30 with sizes
# 20000 and 100000 took about 25 minutes before the default scenarios.
# The seeds run adds 10 to 25 minutes: 10 more solves per tool, and HiGHS alone and
# CBC can each run to their limit on these cases (11 minutes at BENCH_TIME_LIMIT=60,
# after 16 minutes for the main run of 1,200 and 20,000 bids).
#
# Everything it makes (datasets, scenarios, reports, models, the Python venv) is under
# target/, which git ignores. One run per case: solve times of knapsack-like MIPs vary
# from run to run, so compare rows, not digits. Commit BENCHMARKS.md from a full default
# run on a machine nothing else is using; a partial run's file may stand in for it only
# with a first paragraph saying what it left out.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

DEFAULT_SIZES="1200 20000 100000"
SIZES=${BENCH_SIZES:-$DEFAULT_SIZES}
DEFAULTS=${BENCH_DEFAULTS:-1}
SEEDS=${BENCH_SEEDS-1 2 3 4 5}
SEED_CASES=${BENCH_SEED_CASES-n1200-benefit-all_or_nothing n1200-maturity-all_or_nothing}
# Every solver's time limit (s): techfund's (in the scenario), HiGHS alone's and CBC's.
TIME_LIMIT=${BENCH_TIME_LIMIT:-120}
if [[ "$SIZES" == "$DEFAULT_SIZES" && "$DEFAULTS" == 1 && "$TIME_LIMIT" == 120 &&
      "$SEEDS" == "1 2 3 4 5" && "$SEED_CASES" == "n1200-benefit-all_or_nothing n1200-maturity-all_or_nothing" ]]; then
  OUT=${BENCH_OUT:-BENCHMARKS.md}
else
  OUT=${BENCH_OUT:-target/bench/BENCHMARKS.md}
fi
GAP=1e-4
SEED=2016
WORK=target/bench
VENV=target/bench-venv
# Pinned: highspy 1.16.0 is the HiGHS that techfund links (highs-sys 1.16); PuLP 3.3.2
# is the last release for Python 3.11 and ships CBC 2.10.3.
PY_PACKAGES="highspy==1.16.0 pulp==3.3.2"

# shellcheck source=lib.sh
source scripts/bench/lib.sh

say "building techfund (release)"
cargo build --release --quiet || { echo "error: cargo build --release failed" >&2; exit 1; }
TF=$ROOT/target/release/techfund

say "Python: $VENV with $PY_PACKAGES"
PY=python3
if [[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"; then
  PY=$VENV/bin/python
  if ! "$PY" -c 'import highspy, pulp' 2>/dev/null ||
     [[ "$("$PY" -m pip freeze 2>/dev/null | tr 'A-Z' 'a-z' | grep -E '^(highspy|pulp)==' | LC_ALL=C sort | tr '\n' ' ')" != "highspy==1.16.0 pulp==3.3.2 " ]]; then
    "$PY" -m pip install --quiet --disable-pip-version-check $PY_PACKAGES ||
      echo "WARNING: could not install $PY_PACKAGES from PyPI; HiGHS alone and/or CBC will show as errors in the table"
  fi
else
  echo "WARNING: could not create a virtual environment (python3-venv?); using the system python3, HiGHS alone and CBC may be missing"
fi
"$PY" -c 'import highspy' 2>/dev/null || echo "WARNING: highspy is not importable: no HiGHS-alone column, and techfund's answer cannot be evaluated on the model"
"$PY" -c 'import pulp, sys; sys.exit(0 if pulp.PULP_CBC_CMD(msg=False).available() else 1)' 2>/dev/null ||
  echo "WARNING: PuLP or its CBC binary is not available: the CBC column will show the error"

# Results of an earlier run's default scenarios and sweeps must not be reported as this
# run's, so they go whether or not this run times them again.
rm -rf "$WORK/defaults" "$WORK/defaults_gap1e-4" "$WORK/sweeps" "$WORK/seeds"
mkdir -p "$WORK"/{data,scenarios,cases}
# The machine may be shared: the report states the load before and after.
cat /proc/loadavg > "$WORK/loadavg-start"

threads_for() {
  # HiGHS alone with 2 threads as well as 1, except at 100,000 bids: there HiGHS alone
  # runs into its time limit (2.5 minutes a solve), and the 2-thread runs would add
  # 10 minutes to learn little on a 2-core machine shared with techfund's own build.
  if (( $1 >= 100000 )); then echo 1; else echo 1 2; fi
}

for n in $SIZES; do
  say "dataset: $n bids (seed $SEED)"
  footprints=$(( n <= 1200 ? 42 : 100 ))
  data=$WORK/data/n$n
  mkdir -p "$data"
  "$TF" generate --seed $SEED --footprints $footprints --projects "$n" --out "$data" || exit 1
  for objective in benefit maturity; do
    for funding in all_or_nothing partial; do
      name=n$n-$objective-$funding
      scenario=$WORK/scenarios/$name.toml
      "$PY" scripts/bench/scenario.py --data "$data" --name "$name" --objective $objective \
        --funding $funding --gap $GAP --time-limit $TIME_LIMIT --out "$scenario" || exit 1
      case=$WORK/cases/$name
      # A stale report or model from an earlier run must never be read as this run's.
      rm -rf "$case"
      mkdir -p "$case"
      printf '%s' "$n" > "$case/bids"
      # Two runs: the first only to export the model (writing it is part of techfund's
      # solve stage, 1-2 s at 100,000 bids, which a user's run does not pay); the
      # second, timed, is a plain `techfund run`. The model is built the same way both
      # times, so the timed run's answer is the one evaluated on it.
      say "$name: techfund run --export-model"
      mkdir -p "$case/export"
      timed "$case/export" "$TF" run "$scenario" --out "$case/export/report" --export-model "$case/model.mps" -q
      echo "exit $(cat "$case/export/exit")"
      say "$name: techfund run (timed)"
      timed "$case" "$TF" run "$scenario" --out "$case/report" -q
      echo "exit $(cat "$case/exit"); $(grep -E 'Elapsed' "$case/time.txt")"
      if [[ -s $case/model.mps ]]; then
        say "$name: HiGHS alone (1 and 2 threads) and PuLP + CBC on $case/model.mps"
        "$PY" scripts/bench/compare.py --mps "$case/model.mps" --report "$case/report" \
          --gap $GAP --time-limit $TIME_LIMIT \
          --threads $(threads_for "$n") --out "$case/compare.json" > /dev/null ||
          echo "WARNING: compare.py failed for $name (see above); the row shows it"
        "$PY" - "$case/compare.json" <<'PY' 2>/dev/null
import json, sys
c = json.load(open(sys.argv[1]))
for key, r in c["solvers"].items():
    # A killed or failed solver has no read and solve times, only how long it ran.
    if r.get("solve_s") is not None:
        t = (r.get("read_s") or 0) + r["solve_s"]
    else:
        t = r.get("process_s") or 0
    print(f"  {key}: {r.get('status')} {t:.2f} s objective {r.get('objective')} {r.get('error', '')}")
print(f"  techfund on the model: {c.get('techfund', {}).get('objective')}")
a = c["agreement"]
print("agreement:", a["verdict"], *a["notes"], sep="\n  ")
PY
      else
        echo "WARNING: techfund wrote no model for $name (exit $(cat "$case/export/exit")): nothing for HiGHS alone or CBC to solve"
      fi
      # The models are large (about 60 MB at 100,000 bids) and can be re-exported.
      rm -f "$case/model.mps"
    done
  done
done

# The seeds run. These knapsack-like MIPs take several times longer with one random
# seed than with another, in every tool, so one run per case can flatter or wrong any of
# them. Each case named in SEED_CASES is solved again with each seed: techfund with
# `[solver] random_seed`, HiGHS alone (1 thread) with `random_seed`, CBC with
# `randomCbcSeed`, on one exported model, answers checked as in the main run. A solver
# still running 60 s past its limit is stopped (HiGHS alone has run minutes past it).
for name in $SEED_CASES; do
  scenario=$WORK/scenarios/$name.toml
  if [[ ! -f $scenario || -z $SEEDS ]]; then
    echo "WARNING: no seeds run for $name: its size is not in BENCH_SIZES, or BENCH_SEEDS is empty"
    continue
  fi
  dir=$WORK/seeds/$name
  mkdir -p "$dir/export"
  say "$name: seeds $SEEDS"
  timed "$dir/export" "$TF" run "$scenario" --out "$dir/export/report" --export-model "$dir/model.mps" -q
  for s in $SEEDS; do
    run=$dir/seed$s
    mkdir -p "$run"
    cat > "$run/scenario.toml" <<EOF
# Written by scripts/bench/run.sh: $name with HiGHS' random seed $s.
extends = "$ROOT/$scenario"
name = "$name-seed$s"
[solver]
random_seed = $s
EOF
    timed "$run" "$TF" run "$run/scenario.toml" --out "$run/report" -q
    echo "seed $s: techfund exit $(cat "$run/exit"); $(grep -E 'Elapsed' "$run/time.txt")"
    if [[ -s $dir/model.mps ]]; then
      "$PY" scripts/bench/compare.py --mps "$dir/model.mps" --report "$run/report" --gap $GAP \
        --time-limit $TIME_LIMIT --threads 1 --seed "$s" --grace 60 --out "$run/compare.json" > /dev/null ||
        echo "WARNING: compare.py failed for $name, seed $s; the row shows it"
    fi
  done
  rm -f "$dir/model.mps"
done

if [[ "$DEFAULTS" == 1 ]]; then
  for s in scenarios/*.toml; do
    name=$(basename "$s" .toml)
    # paperless_2020 is for `techfund target`, not `run`.
    [[ $name == paperless_2020 ]] && continue
    say "default scenario $name: techfund run"
    dir=$WORK/defaults/$name
    mkdir -p "$dir"
    timed "$dir" "$TF" run "$s" --out "$dir/report" -q
    echo "exit $(cat "$dir/exit"); $(grep -E 'Elapsed' "$dir/time.txt")"
  done

  # And each again at the benchmark's gap, 1e-4, which the issue's target asks for.
  bash scripts/bench/defaults_gap.sh

  # The baseline at tighter gaps, everything else inherited: 1e-4 (the benchmark's gap,
  # for the sweep) and 1e-5 (what an exact table of the next £1m needs). The sweep's
  # points stop at SWEEP_POINT_LIMIT s each rather than the baseline's 120 s, so that
  # 82 solves cannot take over an hour; a point stopped there is counted as not proven.
  SWEEP_POINT_LIMIT=30
  for g in 1e-4 1e-5; do
    limit=""
    [[ $g == 1e-4 ]] && limit="time_limit_s = $SWEEP_POINT_LIMIT"
    cat > "$WORK/scenarios/baseline_gap$g.toml" <<EOF
# Written by scripts/bench/run.sh: the baseline at mip_gap = $g.
extends = "$ROOT/scenarios/baseline.toml"
name = "baseline_gap$g"
[solver]
mip_gap = $g
$limit
EOF
  done
  say "baseline at mip_gap 1e-5: techfund run"
  dir=$WORK/defaults/baseline_gap1e-5
  mkdir -p "$dir"
  timed "$dir" "$TF" run "$WORK/scenarios/baseline_gap1e-5.toml" --out "$dir/report" -q
  echo "exit $(cat "$dir/exit"); $(grep -E 'Elapsed' "$dir/time.txt")"

  # The baseline sweep at its own gap (1e-3) and at 1e-4.
  for s in scenarios/baseline.toml "$WORK/scenarios/baseline_gap1e-4.toml"; do
    name=$(basename "$s" .toml)
    say "sweep of $name, 41 levels"
    dir=$WORK/sweeps/$name
    mkdir -p "$dir"
    timed "$dir" "$TF" sweep "$s" --steps 41 -q --out "$dir/report"
    echo "exit $(cat "$dir/exit"); $(grep -E 'Elapsed' "$dir/time.txt")"
  done
fi

say "writing $OUT"
"$PY" scripts/bench/report.py --work "$WORK" --sizes "$SIZES" --gap $GAP --time-limit $TIME_LIMIT \
  --python "$PY" --out "$OUT" || exit 1
echo "wrote $OUT"
