"""Flask-Session 0.8 with Redis: server-side sessions, the counterpart of the Node server-side adapters.

The same demo routes as flask_app.py, plus routes that store and show typed values. Configuration
comes from the environment:

  SECRET_KEY                    required
  REDIS_URL                     e.g. redis://127.0.0.1:6379/0 (else REDIS_HOST / REDIS_PORT)
  SESSION_USE_SIGNER            '1' signs the session id in the cookie
  SESSION_PERMANENT             '0' makes new sessions non-permanent (default '1')
  PERMANENT_SESSION_LIFETIME    seconds (the Redis TTL and the cookie's Expires)
  SESSION_SERIALIZATION_FORMAT  'msgpack' (default) or 'json'
  SESSION_KEY_PREFIX            default 'session:'

Run:  SECRET_KEY=change-me REDIS_URL=redis://127.0.0.1:6379 python examples/flask_session_app.py --port 0
It prints one line "LISTENING <port>" once the socket is bound, then serves forever.
"""

import argparse
import os
import sys
import time
import warnings
from datetime import datetime, timezone

import redis
from flask import Flask, jsonify, request, session
from flask_session import Session
from werkzeug.serving import make_server

# SESSION_USE_SIGNER is deprecated in Flask-Session 0.8 (it still works): keep stderr readable.
warnings.filterwarnings("ignore", category=DeprecationWarning, module="flask_session")

app = Flask(__name__)

secret_key = os.environ.get("SECRET_KEY")
if not secret_key:
    sys.exit("SECRET_KEY must be set in the environment")
app.config["SECRET_KEY"] = secret_key

redis_url = os.environ.get("REDIS_URL")
if redis_url:
    client = redis.Redis.from_url(redis_url)
else:
    client = redis.Redis(
        host=os.environ.get("REDIS_HOST", "127.0.0.1"),
        port=int(os.environ.get("REDIS_PORT", "6379")),
    )

app.config["SESSION_TYPE"] = "redis"
app.config["SESSION_REDIS"] = client
app.config["SESSION_USE_SIGNER"] = os.environ.get("SESSION_USE_SIGNER", "") == "1"
app.config["SESSION_PERMANENT"] = os.environ.get("SESSION_PERMANENT", "1") != "0"
app.config["SESSION_SERIALIZATION_FORMAT"] = os.environ.get(
    "SESSION_SERIALIZATION_FORMAT", "msgpack"
)
app.config["SESSION_KEY_PREFIX"] = os.environ.get("SESSION_KEY_PREFIX", "session:")
lifetime = os.environ.get("PERMANENT_SESSION_LIFETIME")
if lifetime:
    app.config["PERMANENT_SESSION_LIFETIME"] = int(lifetime)

Session(app)


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


@app.route("/slow-set/<key>/<value>/<int:ms>")
def slow_set(key, value, ms):
    """Reads the session (at request start, as every request), waits, then sets one key."""
    time.sleep(ms / 1000)
    session[key] = value
    return jsonify({"value": value})


@app.route("/regenerate/")
def regenerate():
    old = session.sid
    app.session_interface.regenerate(session)
    return jsonify({"old": old, "new": session.sid})


@app.route("/sid/")
def sid():
    return jsonify({"sid": session.sid, "empty": not session})


# The typed values /types/ stores (msgspec writes a tuple as an array: it comes back as a list).
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


@app.route("/types/")
def types():
    """Stores TYPED in order; ?without=<key> (repeatable) leaves keys out."""
    skip = set(request.args.getlist("without"))
    for k, v in TYPED.items():
        if k not in skip:
            session[k] = v
    return "typed values stored\n"


@app.route("/dump/")
def dump():
    """Every session value as Python sees it: repr and type name."""
    return jsonify(
        {k: {"repr": repr(v), "type": type(v).__name__} for k, v in dict(session).items()}
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000, help="0 picks a free port")
    args = parser.parse_args()
    server = make_server(args.host, args.port, app, threaded=True)
    print(f"LISTENING {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
