#!/usr/bin/env bash
# The default scenarios at the benchmark's gap. Issue 9 asks for every default scenario
# proven within 1e-4, all reports written, in under 0.5 s; several ship with
# `mip_gap = 1e-3` because 1e-4 is not yet that fast. run.sh times each at the gap it
# asks for; this times each again with `mip_gap = 1e-4` and a 60 s limit (an `extends`
# file under target/bench/scenarios), full reports, into target/bench/defaults_gap1e-4/.
#
#   bash scripts/bench/defaults_gap.sh    # run.sh calls it when BENCH_DEFAULTS=1
#
# Run alone, it re-times just these; report.py then renders them with whatever else
# target/bench holds. Left out: paperless_2020 (it is for `techfund target`) and
# uncertain_costs (500 solves of the baseline: scripts/bench/uncertainty.sh times it).
# Takes 3 to 10 minutes on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# shellcheck source=lib.sh
source scripts/bench/lib.sh
GAP=1e-4
LIMIT=60
WORK=target/bench
OUT=$WORK/defaults_gap$GAP
cargo build --release --quiet || { echo "error: cargo build --release failed" >&2; exit 1; }
TF=$ROOT/target/release/techfund

# An earlier run's results must never be read as this run's.
rm -rf "$OUT"
mkdir -p "$OUT" "$WORK/scenarios"
for s in scenarios/*.toml; do
  name=$(basename "$s" .toml)
  [[ $name == paperless_2020 || $name == uncertain_costs ]] && continue
  scenario=$WORK/scenarios/${name}_gap$GAP.toml
  cat > "$scenario" <<EOF
# Written by scripts/bench/defaults_gap.sh: $name at mip_gap = $GAP.
extends = "$ROOT/$s"
name = "$name"
[solver]
mip_gap = $GAP
time_limit_s = $LIMIT
EOF
  say "default scenario $name at mip_gap $GAP: techfund run"
  mkdir -p "$OUT/$name"
  timed "$OUT/$name" "$TF" run "$scenario" --out "$OUT/$name/report" -q
  echo "exit $(cat "$OUT/$name/exit"); $(grep -E 'Elapsed' "$OUT/$name/time.txt")"
done
