#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite. Engines are started by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec python3 -m pytest -q "$@"
