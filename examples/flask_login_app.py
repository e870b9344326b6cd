"""A Flask app with Flask-Login 0.6.3 and Flask-WTF 1.3.0's CSRFProtect, for the login/CSRF interop tests.

Config from the environment: SECRET_KEY, SESSION_PROTECTION ("basic", "strong" or "none"),
WTF_CSRF_TIME_LIMIT (seconds). Every id is a user except "ghost".
It prints one line "LISTENING <port>" once the socket is bound, then serves forever.
"""

import argparse
import os

from flask import Flask, jsonify, request, session
from flask_login import LoginManager, UserMixin, current_user, login_fresh, login_user, logout_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.serving import make_server

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
protection = os.environ.get("SESSION_PROTECTION", "basic")
app.config["SESSION_PROTECTION"] = None if protection == "none" else protection
if "WTF_CSRF_TIME_LIMIT" in os.environ:
    app.config["WTF_CSRF_TIME_LIMIT"] = int(os.environ["WTF_CSRF_TIME_LIMIT"])
login_manager = LoginManager(app)
csrf = CSRFProtect(app)


class User(UserMixin):
    def __init__(self, id):
        self.id = id


@login_manager.user_loader
def load_user(user_id):
    return None if user_id == "ghost" else User(user_id)


@app.get("/whoami")
def whoami():
    return jsonify(
        user=current_user.get_id() if current_user.is_authenticated else None,
        fresh=login_fresh(),
        keys=sorted(session.keys()),
    )


@app.get("/login/<user_id>")
def login(user_id):
    login_user(User(user_id), remember=request.args.get("remember") == "1")
    return jsonify(user=user_id)


@app.get("/logout")
def logout():
    logout_user()
    return jsonify(user=None)


@app.get("/form")
def form():
    return jsonify(token=generate_csrf())


@app.post("/submit")
def submit():
    return jsonify(ok=True, field=request.form.get("name"))


@app.post("/exempt")
@csrf.exempt
def exempt():
    return jsonify(ok=True)


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
