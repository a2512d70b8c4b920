#!/usr/bin/env bash
# The main job: install everything, start the local engines, build the benchmark (small by default), re-verify
# every gold query on the engines, print the data card, then ask the shipped adapter two questions on demo
# databases (MySQL and Cypher), each answer validated and run read-only.
# Usage: bash scripts/run.sh [small|full] [OUT_DIR]
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
# exit status 1 means the model found no query that ran (a model's answer, not a broken set-up): shown, not fatal
for ask in "mysql|How many employees are there?" "cypher|Which departments have more than 5 employees?"; do
  dialect="${ask%%|*}"; question="${ask#*|}"
  $MOMQ ask --db demo:company --dialect "$dialect" --show-attempts "$question" || [ $? -eq 1 ]
done
