#!/usr/bin/env bash
# The robustness run of issue 11: scenarios/uncertain_costs.toml (the baseline, 500
# draws of costs and benefits) on the default dataset, once on 1 rayon thread and once
# on 2, each under /usr/bin/time -v (wall time, peak memory), niced so it yields to
# whoever else uses the machine. Checks the two runs' outputs are byte-identical.
#
#   bash scripts/bench/uncertainty.sh            # THREADS="1 2" by default
#
# Environment (optional): THREADS="1 2", SCENARIO=scenarios/uncertain_costs.toml.
# Everything goes under target/bench/uncertainty/ (git ignores target/). On 2 shared
# cores this takes about 10 to 20 minutes; the speed-up depends on what else is running.
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${THREADS:-"1 2"}
SCENARIO=${SCENARIO:-scenarios/uncertain_costs.toml}
OUT=target/bench/uncertainty
mkdir -p "$OUT"
cargo build --release --quiet
# shellcheck source=lib.sh
source scripts/bench/lib.sh
for t in $THREADS; do
    rm -rf "$OUT/report-$t"
    RAYON_NUM_THREADS=$t nice -n 10 "${TIME[@]}" -o "$OUT/time-$t.txt" \
        ./target/release/techfund run "$SCENARIO" --quiet --out "$OUT/report-$t"
    wall=$(grep 'Elapsed (wall clock)' "$OUT/time-$t.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$OUT/time-$t.txt" | awk '{print $NF}')
    stage=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(next((round(v/1000,1) for k,v in d.get('stage_ms',{}).items() if k=='uncertainty'), '?'))" "$OUT/report-$t/run.json" 2>/dev/null || echo '?')
    echo "threads=$t wall=$wall peak_rss_kb=$rss uncertainty_stage_s=$stage"
done
set -- $THREADS
if [ $# -ge 2 ]; then
    for f in core_index.csv uncertainty.csv summary.md; do
        cmp "$OUT/report-$1/$f" "$OUT/report-$2/$f" && echo "$f identical on $1 and $2 threads"
    done
fi
