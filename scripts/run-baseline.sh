#!/usr/bin/env bash
# Quick start, step 1: install build tools if missing, build, and run the default
# scenario; the report lands in reports/baseline/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cargo run --release --quiet -- run scenarios/baseline.toml "$@"
