#!/usr/bin/env bash
# Installs everything momq needs on a fresh Debian 12 machine with Python 3.11: the MariaDB server (apt),
# the Python package with its pinned dependencies (pip; torch is pinned to the CPU wheel), and Neo4j's Cypher
# linter (npm). Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need_apt+=(mariadb-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

python3 -m pip install -q --disable-pip-version-check torch==2.13.0
python3 -m pip install -q --disable-pip-version-check -e ".[test]"

if [ -f momq/dialects/cypher_lint/package.json ] && [ ! -d momq/dialects/cypher_lint/node_modules ]; then
  (cd momq/dialects/cypher_lint && npm install --silent --no-audit --no-fund)
fi
echo "momq set-up complete"
