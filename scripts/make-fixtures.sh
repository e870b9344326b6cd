#!/usr/bin/env bash
# Regenerate fixtures/*.json by running the real libraries at a frozen clock.
#   fixtures/vectors.json    itsdangerous, CPython json and Werkzeug vectors (Flask 3.1.3 venv)
#   fixtures/flask-3.1.json  Flask 3.1.3 in ./.venv (created if missing)
#   fixtures/flask-2.2.json  the system python3's Flask 2.2.x (Debian python3-flask)
#   fixtures/flask-login-wtf.json  Flask-Login 0.6.3 and Flask-WTF 1.3.0 (the same venv)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-python.sh
mkdir -p fixtures
.venv/bin/python scripts/make_vectors.py fixtures/vectors.json
.venv/bin/python scripts/make_fixtures.py fixtures/flask-3.1.json
.venv/bin/python scripts/make_login_vectors.py fixtures/flask-login-wtf.json

if [ -x /usr/bin/python3 ] \
  && sysver="$(/usr/bin/python3 -c 'import flask, importlib.metadata as m; print(m.version("flask"))' 2>/dev/null)" \
  && [[ "$sysver" == 2.2* ]]; then
  /usr/bin/python3 scripts/make_fixtures.py fixtures/flask-2.2.json
else
  echo "fixtures/flask-2.2.json needs Debian's Flask 2.2 (apt-get install python3-flask); found: ${sysver:-none}" >&2
  exit 1
fi
