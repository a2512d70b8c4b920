#!/usr/bin/env bash
# The main job: install everything, start the local engines, build the benchmark (small by default), re-verify
# every gold query on the engines, and print the data card. Usage: bash scripts/run.sh [small|full] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${1:-small}"
OUT="${2:-out/bench}"

bash scripts/setup.sh
MOMQ=.venv/bin/momq
$MOMQ engines up
$MOMQ bench build --size "$SIZE" --out "$OUT"
$MOMQ bench verify "$OUT"
$MOMQ bench stats "$OUT"
