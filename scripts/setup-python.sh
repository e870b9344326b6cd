#!/usr/bin/env bash
# Creates .venv with Flask 3.1.3 (the primary reference) and Flask-Session 0.8.0 with its Redis and
# msgspec dependencies, from the package index this machine has.
set -euo pipefail
cd "$(dirname "$0")/.."
want=(flask==3.1.3 flask-session==0.8.0 redis==8.1.0 msgspec==0.22.0)
# Flask-Login and Flask-WTF for the shared login and CSRF tests (test/flask-login, test/flask-wtf)
want+=(flask-login==0.6.3 flask-wtf==1.3.0 wtforms==3.2.2)
if [ -x .venv/bin/python ] && .venv/bin/python - "${want[@]}" <<'PY' 2>/dev/null; then exit 0; fi
import importlib.metadata as m, sys
sys.exit(any(m.version(p.split("==")[0]) != p.split("==")[1] for p in sys.argv[1:]))
PY
python3 -m venv .venv
args=(-q --disable-pip-version-check)
# A local mirror of the package index, where the machine has one, answers without network retries.
if [ -d /opt/pypi/simple ]; then args+=(--index-url file:///opt/pypi/simple); fi
.venv/bin/pip install "${args[@]}" "${want[@]}"
