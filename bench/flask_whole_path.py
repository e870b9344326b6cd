"""What the bench's Flask column leaves out: Flask's whole load and dump of one small session.

The bench (bench/bench.ts) times Flask's serializer alone (`get_signing_serializer(app).loads`
and `.dumps`), while loadSession and dumpSession start from the Cookie header and end with the
Set-Cookie header. This prints, for a Flask-Login-sized session, the serializer alone beside what
Flask does per request around it: `parse_cookie` and `SecureCookieSession(...)` on load,
`dump_cookie` with Expires on save. Run: .venv/bin/python bench/flask_whole_path.py
"""

import datetime
import time

from flask import Flask
from flask.sessions import SecureCookieSession
from werkzeug.http import dump_cookie
from werkzeug.sansio.http import parse_cookie

app = Flask(__name__)
app.secret_key = "bench-secret-key-0123456789abcdef"
app.app_context().push()
s = app.session_interface.get_signing_serializer(app)
data = {"_fresh": True, "_id": "92e7dbc7" * 16, "_permanent": True, "_user_id": "5183254", "csrf_token": "a" * 40}
value = s.dumps(data)
header = "theme=dark; session=" + value
max_age = int(app.permanent_session_lifetime.total_seconds())
N = 20000


def best_of_5(f):
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(N):
            f()
        best = min(best, (time.perf_counter() - t) / N * 1e6)
    return best


def whole_dump():
    expires = datetime.datetime.now(datetime.timezone.utc) + app.permanent_session_lifetime
    return dump_cookie("session", s.dumps(dict(data)), expires=expires, httponly=True, path="/")


print("load, serializer alone:             %6.2f us" % best_of_5(lambda: s.loads(value, max_age=max_age)))
print("load, parse_cookie + loads + dict:  %6.2f us" % best_of_5(
    lambda: SecureCookieSession(s.loads(parse_cookie(header)["session"], max_age=max_age))))
print("dump, serializer alone:             %6.2f us" % best_of_5(lambda: s.dumps(dict(data))))
print("dump, dumps + dump_cookie:          %6.2f us" % best_of_5(whole_dump))
