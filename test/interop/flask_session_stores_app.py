"""Flask-Session 0.8 on SQLAlchemy (MariaDB, PostgreSQL) or Memcached: the Python side of
test/flask-session/sql.test.ts and memcached.test.ts. Test helper.

The routes of examples/flask_session_app.py (the Redis app). Configuration from the environment:

  SECRET_KEY                    required
  SESSION_TYPE                  'sqlalchemy' or 'memcached'
  SQLALCHEMY_DATABASE_URI       for sqlalchemy, e.g. mysql+pymysql://root@127.0.0.1:3306/db
  SESSION_SQLALCHEMY_TABLE, SESSION_SQLALCHEMY_SCHEMA, SESSION_SQLALCHEMY_SEQUENCE,
  SESSION_CLEANUP_N_REQUESTS    the SQLAlchemy backend's settings, when set
  MEMCACHED_SERVER              for memcached, host:port (a pymemcache client)
  PERMANENT_SESSION_LIFETIME    seconds
  SESSION_SERIALIZATION_FORMAT  'msgpack' (default) or 'json'
  SESSION_KEY_PREFIX            default 'session:'

Modes:
  --port N     serve; prints "LISTENING <port>" once bound
  --ddl        for each table setting in DDL_CASES (a JSON list of {"table", "schema",
               "sequence"}), make an app: Session(app) creates the table (checkfirst); print, as
               JSON, the CREATE statements SQLAlchemy's echo logged per app, and SQLAlchemy's
               reserved words per dialect, then exit
  --cleanup    run Flask-Session's _delete_expired_sessions (what `flask session_cleanup` runs)
"""

import argparse
import json
import logging
import os
import sys
import time
import warnings
from datetime import datetime, timezone

from flask import Flask, jsonify, request, session
from werkzeug.serving import make_server

warnings.filterwarnings("ignore", category=DeprecationWarning)


def reserved_words():
    from sqlalchemy.dialects.mysql import reserved_words as m
    from sqlalchemy.dialects.postgresql import base as pg

    return {
        "mariadb": sorted(m.RESERVED_WORDS_MARIADB),
        "mysql": sorted(m.RESERVED_WORDS_MYSQL),
        "postgresql": sorted(pg.RESERVED_WORDS),
    }


def make_app(echo_ddl=None, table=None):
    from flask_session import Session

    app = Flask(__name__)
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        sys.exit("SECRET_KEY must be set in the environment")
    app.config["SECRET_KEY"] = secret_key
    kind = os.environ.get("SESSION_TYPE", "sqlalchemy")
    app.config["SESSION_TYPE"] = kind
    app.config["SESSION_SERIALIZATION_FORMAT"] = os.environ.get(
        "SESSION_SERIALIZATION_FORMAT", "msgpack"
    )
    app.config["SESSION_KEY_PREFIX"] = os.environ.get("SESSION_KEY_PREFIX", "session:")
    lifetime = os.environ.get("PERMANENT_SESSION_LIFETIME")
    if lifetime:
        app.config["PERMANENT_SESSION_LIFETIME"] = int(lifetime)
    if kind == "sqlalchemy":
        from flask_sqlalchemy import SQLAlchemy

        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["SQLALCHEMY_DATABASE_URI"]
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
        for key in ("TABLE", "SCHEMA", "SEQUENCE"):
            value = (table or {}).get(key.lower()) or os.environ.get(f"SESSION_SQLALCHEMY_{key}")
            if value:
                app.config[f"SESSION_SQLALCHEMY_{key}"] = value
        n = os.environ.get("SESSION_CLEANUP_N_REQUESTS")
        if n:
            app.config["SESSION_CLEANUP_N_REQUESTS"] = int(n)
        if echo_ddl is not None:
            # SQLAlchemy's echo: every statement is logged at INFO on sqlalchemy.engine.Engine
            class Keep(logging.Handler):
                def emit(self, record):
                    text = str(record.msg).strip()
                    if text.startswith("CREATE"):
                        echo_ddl.append(text)

            engine_log = logging.getLogger("sqlalchemy.engine.Engine")
            engine_log.handlers = [Keep()]
            engine_log.setLevel(logging.INFO)
            engine_log.propagate = False
        app.config["SESSION_SQLALCHEMY"] = SQLAlchemy(app)
    else:
        # A pooled client: the threaded server uses it from several threads at once. And
        # default_noreply=False: pymemcache's default (noreply) sends the session's `set` without
        # waiting for memcached, so the response can reach the browser, and its next request
        # reach another server, before the session is stored.
        from pymemcache.client.base import PooledClient

        host, port = os.environ["MEMCACHED_SERVER"].rsplit(":", 1)
        app.config["SESSION_MEMCACHED"] = PooledClient(
            (host, int(port)), connect_timeout=2, timeout=2, default_noreply=False
        )
    Session(app)
    return app


# The typed values /types/ stores, as examples/flask_session_app.py's TYPED.
TYPED = {
    "int": 42,
    "big": 2**60,
    "neg": -7,
    "float": 1.5,
    "whole_float": 3.0,
    "bytes": b"\x00\xffbin",
    "list": [1, "two", None, True],
    "nested": {"a": {"b": [1, 2, {"c": "d"}]}, "e": False},
    "when": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
    "when_ms": datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc),
    "tuple": (1, "x"),
    "unicode": "h\u00e9llo \u2603 \U0001f600",
}


def add_routes(app):
    @app.route("/")
    def index():
        session["uname"] = "momo"
        session["pwd"] = "python"
        return "logged in as momo\n"

    @app.route("/getSession/")
    def get_session():
        return jsonify({"uname": session.get("uname"), "pwd": session.get("pwd")})

    @app.route("/deleteSession/")
    def delete_session():
        session.clear()
        return "session cleared\n"

    @app.route("/set/<key>/<value>")
    def set_key(key, value):
        session[key] = value
        return jsonify({"value": value})

    @app.route("/get/<key>")
    def get_key(key):
        return jsonify({"value": session.get(key)})

    @app.route("/regenerate/")
    def regenerate():
        old = session.sid
        app.session_interface.regenerate(session)
        return jsonify({"old": old, "new": session.sid})

    @app.route("/sid/")
    def sid():
        return jsonify({"sid": session.sid, "empty": not session})

    @app.route("/types/")
    def types():
        skip = set(request.args.getlist("without"))
        for k, v in TYPED.items():
            if k not in skip:
                session[k] = v
        return "typed values stored\n"

    @app.route("/dump/")
    def dump():
        return jsonify(
            {k: {"repr": repr(v), "type": type(v).__name__} for k, v in dict(session).items()}
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000, help="0 picks a free port")
    parser.add_argument("--ddl", action="store_true")
    parser.add_argument("--cleanup", action="store_true")
    args = parser.parse_args()
    if args.ddl:
        out = []
        for table in json.loads(os.environ.get("DDL_CASES", "[{}]")):
            ddl = []
            make_app(ddl, table)
            out.append(ddl)
        print(json.dumps({"ddl": out, "reserved": reserved_words()}))
        return
    app = make_app()
    if args.cleanup:
        with app.app_context():
            app.session_interface._delete_expired_sessions()
        print("cleaned", flush=True)
        return
    add_routes(app)
    server = make_server(args.host, args.port, app, threaded=True)
    print(f"LISTENING {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
