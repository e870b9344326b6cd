"""Writes fixtures/flask-login-wtf.json: Flask-Login 0.6.3 session identifiers, remember cookies,
session protection outcomes and Flask-WTF 1.3.0 CSRF tokens and validation messages, all made by
the real extensions (inside a Flask 3.1.3 request context) at a frozen clock.
Run: .venv/bin/python scripts/make_login_vectors.py fixtures/flask-login-wtf.json
"""
import datetime as dt
import hashlib
import json
import sys
from importlib.metadata import version
from unittest import mock

import flask_login.login_manager as lm_module
from flask import Flask, session
from flask_login import LoginManager, UserMixin
from flask_login.utils import _create_identifier, decode_cookie, encode_cookie
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms import ValidationError

NOW = 1700000000
out = {
    "versions": {
        "generator": "scripts/make_login_vectors.py",
        "flask": version("flask"),
        "flask-login": version("flask-login"),
        "flask-wtf": version("flask-wtf"),
        "itsdangerous": version("itsdangerous"),
        "werkzeug": version("werkzeug"),
    },
}


class User(UserMixin):
    def __init__(self, id):
        self.id = id


def make_app(secret="login-secret", **config):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = secret
    app.config.update(config)
    manager = LoginManager(app)
    # every id but "ghost" is a user, so that a loader miss can be tested
    manager.user_loader(lambda uid: None if uid == "ghost" else User(uid))
    return app, manager


def create_identifier_main(request):
    """Flask-Login's main branch (commit 019dbe3, not released on PyPI): the same two lines."""
    h = hashlib.sha512()
    h.update(f"{request.remote_addr}|{request.user_agent.string}".encode())
    return h.hexdigest()


# -- _id: header values as the WSGI server hands them over (latin-1 decoded bytes) ---------------
app, manager = make_app()
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
cases = [
    ("127.0.0.1", {"User-Agent": UA}),
    ("127.0.0.1", {}),
    ("127.0.0.1", {"User-Agent": ""}),
    ("::1", {"User-Agent": "curl/8.5.0"}),
    ("10.0.0.2", {"User-Agent": "it's"}),
    ("10.0.0.2", {"User-Agent": "say \"hi\""}),
    ("10.0.0.2", {"User-Agent": "both ' and \""}),
    ("10.0.0.2", {"User-Agent": "back\\slash"}),
    ("10.0.0.2", {"User-Agent": "tab\there"}),
    ("10.0.0.2", {"User-Agent": "caf\u00c3\u00a9 \u00e2\u0082\u00ac"}),  # UTF-8 bytes of "café €"
    ("10.0.0.2", {"User-Agent": "latin \u00e9\u00ff\u0080\u007f"}),
    ("10.0.0.2", {"User-Agent": "ctl \x01\x1f"}),
    ("10.0.0.2", {"User-Agent": UA, "X-Forwarded-For": "203.0.113.7"}),
    ("10.0.0.2", {"User-Agent": UA, "X-Forwarded-For": "203.0.113.7, 198.51.100.1, 10.0.0.1"}),
    ("10.0.0.2", {"User-Agent": UA, "X-Forwarded-For": "  203.0.113.7  ,198.51.100.1"}),
    ("10.0.0.2", {"User-Agent": UA, "X-Forwarded-For": ""}),
    ("10.0.0.2", {"User-Agent": UA, "X-Forwarded-For": ",1.2.3.4"}),
    ("10.0.0.2", {"User-Agent": UA, "X-Forwarded-For": "'quoted'"}),
    ("10.0.0.2", {"X-Forwarded-For": "2001:db8::1"}),
    ("10.0.0.2", {"User-Agent": UA, "X-Forwarded-For": "\u00e9\t\x0b,x"}),
    (None, {"User-Agent": UA}),
    (None, {}),
]
out["identifier"] = []
for addr, headers in cases:
    environ = {} if addr is None else {"REMOTE_ADDR": addr}
    with app.test_request_context("/", headers=headers, environ_base=environ) as ctx:
        if addr is None:
            ctx.request.environ.pop("REMOTE_ADDR", None)
        out["identifier"].append(
            {
                "remote_addr": addr,
                "user_agent": headers.get("User-Agent"),
                "x_forwarded_for": headers.get("X-Forwarded-For"),
                "id": _create_identifier(),
                "id_main": create_identifier_main(ctx.request),
            }
        )

# -- remember cookie values ---------------------------------------------------------------------
out["encode_cookie"] = []
for key in ["login-secret", "cl\u00e9 \u00ff", b"\x00\xffraw-bytes"]:
    for payload in ["1", "42", "user@example.com", "caf\u00e9", "a|b", "", "\u20ac"]:
        enc = encode_cookie(payload, key)
        out["encode_cookie"].append(
            {
                "key": key if isinstance(key, str) else None,
                "key_hex": key.hex() if isinstance(key, bytes) else None,
                "payload": payload,
                "cookie": enc,
            }
        )
good = encode_cookie("7", "login-secret")
out["decode_cookie"] = []
for cookie in [
    good,
    good[:-1] + ("0" if good[-1] != "0" else "1"),
    good.upper(),
    "7",
    "7|",
    "|" + good.split("|")[1],
    "8|" + good.split("|")[1],
    good + "|",
    "x|y|" + encode_cookie("x|y", "login-secret").split("|")[-1],
    encode_cookie("7", "other-secret"),
    "",
]:
    out["decode_cookie"].append({"key": "login-secret", "cookie": cookie, "payload": decode_cookie(cookie, "login-secret")})


class FrozenDatetime(dt.datetime):
    @classmethod
    def utcnow(cls):
        return dt.datetime(2023, 11, 14, 22, 13, 20)  # NOW, naive UTC as Flask-Login uses it


# -- the after-request hook: Set-Cookie for the remember cookie ---------------------------------
out["remember_set_cookie"] = []
configs = [
    {},
    {"REMEMBER_COOKIE_NAME": "rm", "REMEMBER_COOKIE_DOMAIN": "example.com", "REMEMBER_COOKIE_PATH": "/app",
     "REMEMBER_COOKIE_SECURE": True, "REMEMBER_COOKIE_HTTPONLY": False, "REMEMBER_COOKIE_SAMESITE": "Lax",
     "REMEMBER_COOKIE_DURATION": dt.timedelta(days=2)},
    {"REMEMBER_COOKIE_DURATION": 90},
]
for ci, config in enumerate(configs):
    for user_id, seconds in [("1", None), ("a b,c;\u00e9", None), ("9", 3600.5)]:
        app, manager = make_app(**config)
        with mock.patch.object(lm_module, "datetime", FrozenDatetime):
            with app.test_request_context("/"):
                session["_user_id"] = user_id
                session["_remember"] = "set"
                if seconds is not None:
                    session["_remember_seconds"] = seconds
                resp = app.make_response("")
                manager._update_remember_cookie(resp)
                left = dict(session)
        jconfig = {k: (v.total_seconds() if isinstance(v, dt.timedelta) else v) for k, v in config.items()}
        out["remember_set_cookie"].append(
            {"config": jconfig, "user_id": user_id, "remember_seconds": seconds,
             "set_cookie": resp.headers.getlist("Set-Cookie"), "session_after": left}
        )
    app, manager = make_app(**config)
    with app.test_request_context("/"):
        session["_user_id"] = "1"
        session["_remember"] = "clear"
        resp = app.make_response("")
        manager._update_remember_cookie(resp)
    out["remember_set_cookie"].append(
        {"config": jconfig, "user_id": "1", "remember_seconds": None, "clear": True,
         "set_cookie": resp.headers.getlist("Set-Cookie"), "session_after": {"_user_id": "1"}}
    )

# REMEMBER_COOKIE_REFRESH_EACH_REQUEST: a logged-in session without `_remember` gets the cookie again
for refresh in [True, False]:
    app, manager = make_app(REMEMBER_COOKIE_REFRESH_EACH_REQUEST=refresh)
    with mock.patch.object(lm_module, "datetime", FrozenDatetime):
        with app.test_request_context("/"):
            session["_user_id"] = "3"
            resp = app.make_response("")
            manager._update_remember_cookie(resp)
            left = dict(session)
    out["remember_set_cookie"].append(
        {"config": {"REMEMBER_COOKIE_REFRESH_EACH_REQUEST": refresh}, "user_id": "3", "remember_seconds": None,
         "no_remember_key": True, "set_cookie": resp.headers.getlist("Set-Cookie"), "session_after": left}
    )

# -- _load_user: session protection and the remember cookie -------------------------------------
out["load_user"] = []
H_A = {"User-Agent": "agent-A"}
H_B = {"User-Agent": "agent-B"}
with make_app()[0].test_request_context("/", headers=H_A, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
    ID_A = _create_identifier()
remember_7 = encode_cookie("7", "login-secret")
scenarios = []
for mode in ["basic", "strong", None, "bogus"]:
    for permanent in [False, True]:
        for headers in [H_A, H_B]:
            for cookie in [None, remember_7, remember_7 + "0"]:
                for data in [
                    {"_user_id": "7", "_fresh": True, "_id": ID_A},
                    {"_user_id": "7", "_fresh": False, "_id": ID_A, "other": 1},
                    {"_user_id": "ghost", "_fresh": True, "_id": ID_A},
                    {"_remember": "clear"},
                    {"csrf_token": "x"},
                    {},
                ]:
                    scenarios.append((mode, permanent, headers, cookie, data))
for mode, permanent, headers, cookie, data in scenarios:
    app, manager = make_app(SESSION_PROTECTION=mode)
    h = dict(headers)
    if cookie is not None:
        h["Cookie"] = f"remember_token={cookie}"
    with app.test_request_context("/", headers=h, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        session.update(data)
        if permanent and data:
            session.permanent = True
        session.modified = False
        manager._load_user()
        from flask import g
        user = g._login_user
        after = dict(session)
    out["load_user"].append(
        {"mode": mode, "permanent": permanent, "remote_addr": "127.0.0.1", "user_agent": headers["User-Agent"],
         "remember_cookie": cookie, "session": data, "user_id": user.get_id() if user.is_authenticated else None,
         "session_after": after}
    )

# -- Flask-WTF: tokens and validate_csrf's messages ---------------------------------------------
wapp = Flask(__name__)
wapp.config["SECRET_KEY"] = "wtf-secret"
out["csrf_generate"] = []
for secret, raw in [("wtf-secret", "0" * 40), ("wtf-secret", "3f" * 20), ("cl\u00e9", "ab" * 20), ("wtf-secret", "x")]:
    with mock.patch("time.time", lambda: NOW + 0.5):
        with wapp.test_request_context("/"):
            session["csrf_token"] = raw
            token = generate_csrf(secret_key=secret)
    out["csrf_generate"].append({"secret": secret, "raw": raw, "now": NOW, "token": token})

RAW = "5e" * 20
with mock.patch("time.time", lambda: NOW):
    with wapp.test_request_context("/"):
        session["csrf_token"] = RAW
        TOKEN = generate_csrf()
    with wapp.test_request_context("/"):
        session["csrf_token"] = "77" * 20
        OTHER = generate_csrf()
    with wapp.test_request_context("/"):
        session["csrf_token"] = RAW
        OTHER_KEY = generate_csrf(secret_key="not-the-key")
out["csrf_validate"] = []
for session_raw, token, time_limit, now in [
    (RAW, TOKEN, 3600, NOW + 10),
    (RAW, TOKEN, 3600, NOW + 3600),
    (RAW, TOKEN, 3600, NOW + 3601),
    (RAW, TOKEN, None, NOW + 10**7),
    (RAW, TOKEN, 3600, NOW - 5),
    (RAW, "", 3600, NOW),
    (RAW, None, 3600, NOW),
    (None, TOKEN, 3600, NOW),
    ("77" * 20, TOKEN, 3600, NOW),
    (RAW, OTHER, 3600, NOW),
    (RAW, OTHER_KEY, 3600, NOW),
    (RAW, TOKEN[:-1] + ("A" if TOKEN[-1] != "A" else "B"), 3600, NOW),
    (RAW, TOKEN.replace(".", "", 1), 3600, NOW),
    (RAW, "garbage", 3600, NOW),
    (RAW, "a.b.c", 3600, NOW),
]:
    with mock.patch("time.time", lambda: now):
        with wapp.test_request_context("/"):
            if session_raw is not None:
                session["csrf_token"] = session_raw
            try:
                validate_csrf(token, time_limit=time_limit) if time_limit is not None else None
                if time_limit is None:
                    wapp.config["WTF_CSRF_TIME_LIMIT"] = None
                    try:
                        validate_csrf(token)
                    finally:
                        del wapp.config["WTF_CSRF_TIME_LIMIT"]
                message = None
            except ValidationError as e:
                message = e.args[0]
    out["csrf_validate"].append(
        {"session_token": session_raw, "token": token, "time_limit": time_limit, "now": now, "message": message}
    )

with open(sys.argv[1], "w") as f:
    json.dump(out, f, ensure_ascii=True, indent=0)
    f.write("\n")
print(f"wrote {sys.argv[1]}: {len(out['identifier'])} identifiers, {len(out['encode_cookie'])} remember cookies, "
      f"{len(out['load_user'])} load_user cases, {len(out['csrf_validate'])} CSRF validations")
