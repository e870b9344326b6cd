"""The Flask app beside the Next.js test app: the same FLASK_* configuration, Flask-Login's
session keys (`_user_id`, `_fresh`), a permanent session.

Run:  FLASK_SECRET_KEY=... python test/next-app/flask_app.py --port 0 --host 127.0.0.1
It prints one line "LISTENING <port>" once the socket is bound, then serves forever.
"""

import argparse

from flask import Flask, get_flashed_messages, jsonify, session
from werkzeug.serving import make_server

app = Flask(__name__)
app.config.from_prefixed_env()  # FLASK_SECRET_KEY, FLASK_PERMANENT_SESSION_LIFETIME, ...


@app.route("/login/<user>")
def login(user):
    # what flask_login.login_user(user, remember=False) stores
    session["_user_id"] = user
    session["_fresh"] = True
    session.permanent = True
    return f"logged in as {user}\n"


@app.route("/whoami")
def whoami():
    return jsonify({"user": session.get("_user_id"), "cart": session.get("cart")})


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
