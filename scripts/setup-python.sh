#!/usr/bin/env bash
# Creates .venv with Flask 3.1.3 (the primary reference) and Flask-Session 0.8.0 with its Redis and
# msgspec dependencies, from the package index this machine has.
set -euo pipefail
cd "$(dirname "$0")/.."
want=(flask==3.1.3 flask-session==0.8.0 redis==8.1.0 msgspec==0.22.0)
# Flask-Login and Flask-WTF for the shared login and CSRF tests (test/flask-login, test/flask-wtf)
want+=(flask-login==0.6.3 flask-wtf==1.3.0 wtforms==3.2.2)
# Flask-Session's SQLAlchemy backend on MariaDB (PyMySQL) and PostgreSQL (psycopg 3)
want+=(flask-sqlalchemy==3.1.1 sqlalchemy==2.0.54 pymysql==1.2.3 psycopg==3.3.6 psycopg-binary==3.3.6)
has() { # python, wanted packages: whether it has exactly these versions
  [ -x "$1" ] && "$@" <<'PY' 2>/dev/null
import importlib.metadata as m, sys
sys.exit(any(m.version(p.split("==")[0]) != p.split("==")[1] for p in sys.argv[1:]))
PY
}
args=(-q --disable-pip-version-check)
# A local mirror of the package index, where the machine has one, answers without network retries.
if [ -d /opt/pypi/simple ]; then args+=(--index-url file:///opt/pypi/simple); fi
if ! has .venv/bin/python - "${want[@]}"; then
  python3 -m venv .venv
  .venv/bin/pip install "${args[@]}" "${want[@]}"
fi

# Flask-Session's Memcached backend needs a memcache client; the one at hand is Debian's
# python3-pymemcache, so this venv is made from Debian's Python with its site packages, and the
# pinned Flask installed into it shadows Debian's Flask 2.2.
mc=(flask==3.1.3 flask-session==0.8.0 msgspec==0.22.0)
if ! has .venv-memcached/bin/python - "${mc[@]}" pymemcache==3.5.2; then
  /usr/bin/python3 -m venv --system-site-packages .venv-memcached
  .venv-memcached/bin/pip install "${args[@]}" "${mc[@]}"
fi
