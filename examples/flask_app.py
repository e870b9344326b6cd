"""Flask's classic session demo, plus two routes to set and read any key.

Works with Flask 3.1 and 2.2. Configuration comes from the environment:

  SECRET_KEY                  required
  SECRET_KEY_FALLBACKS        optional, comma-separated old keys (oldest first; Flask >= 3.1)
  PERMANENT_SESSION_LIFETIME  optional, seconds

Run:  SECRET_KEY=change-me python examples/flask_app.py --port 0 --host 127.0.0.1
It prints one line "LISTENING <port>" once the socket is bound, then serves forever.
"""

import argparse
import os
import sys

from flask import Flask, flash, get_flashed_messages, jsonify, session
from werkzeug.serving import make_server

app = Flask(__name__)

secret_key = os.environ.get("SECRET_KEY")
if not secret_key:
    sys.exit("SECRET_KEY must be set in the environment")
app.config["SECRET_KEY"] = secret_key

fallbacks = [k for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k]
if fallbacks:
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks

lifetime = os.environ.get("PERMANENT_SESSION_LIFETIME")
if lifetime:
    app.config["PERMANENT_SESSION_LIFETIME"] = int(lifetime)


@app.route("/")
def index():
    session["uname"] = "momo"
    session["pwd"] = "python"
    session.permanent = True
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


@app.route("/flash/<category>/<message>")
def flash_message(category, message):
    flash(message, category)
    return jsonify({"flashed": [category, message]})


@app.route("/flashes/")
def flashes():
    return jsonify(get_flashed_messages(with_categories=True))


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
