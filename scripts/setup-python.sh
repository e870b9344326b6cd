#!/usr/bin/env bash
# Creates .venv with Flask 3.1.3 (the primary reference) from the package index this machine has.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ] && .venv/bin/python -c 'import importlib.metadata as m, sys; sys.exit(m.version("flask") != "3.1.3")' 2>/dev/null; then
  exit 0
fi
python3 -m venv .venv
args=(-q --disable-pip-version-check)
# A local mirror of the package index, where the machine has one, answers without network retries.
if [ -d /opt/pypi/simple ]; then args+=(--index-url file:///opt/pypi/simple); fi
.venv/bin/pip install "${args[@]}" flask==3.1.3
