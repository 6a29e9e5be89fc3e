#!/usr/bin/env bash
# Quick start, step 2: install build tools and Chromium if missing, then run every
# test. Release mode shares one HiGHS build with the run command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --browser
cargo test --release "$@"
