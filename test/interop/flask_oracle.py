"""A Flask oracle for the differential tests: keeps real Flask loaded and answers JSON lines.

Request lines (one JSON object each):
  {"id": 1, "op": "dump", "config": CONFIG, "now": 1700000000, "data": TYPED, "permanent": null|bool}
      -> {"id": 1, "setCookie": [...], "warning": str|null}  or {"id": 1, "error": "TypeError"}
  {"id": 2, "op": "load", "config": CONFIG, "now": 1700000000, "cookieHeader": "session=..."}
      -> {"id": 2, "outcome": "data"|"empty"|"error", "data": TYPED|null, "error": str|null}
  {"id": 3, "op": "refresh", "config": CONFIG, "now": 1700000000, "cookieHeader": "session=..."}
      -> {"id": 3, "setCookie": [...]}   (a request that reads the session and changes nothing)
  {"id": 4, "op": "version"} -> {"id": 4, "flask": "3.1.3", ...}
CONFIG and TYPED are the fixtures' formats (scripts/make_fixtures.py). Every answer comes from
Flask's own SecureCookieSessionInterface (save_session / open_session) at a frozen clock.
"""

import datetime as dt
import importlib.metadata
import json
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))

from markupsafe import Markup  # noqa: E402

import make_fixtures as mf  # noqa: E402

UTC = dt.timezone.utc


def from_typed(t):
    if t is None or isinstance(t, (bool, str)):
        return t
    (kind, v), = t.items()
    if kind == "int":
        return int(v)
    if kind == "float":
        return float(v)
    if kind == "list":
        return [from_typed(x) for x in v]
    if kind == "tuple":
        return tuple(from_typed(x) for x in v)
    if kind == "dict":
        return {k: from_typed(x) for k, x in v}
    if kind == "bytes":
        return bytes.fromhex(v)
    if kind == "markup":
        return Markup(v)
    if kind == "uuid":
        return uuid.UUID(hex=v)
    if kind == "datetime":
        return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(milliseconds=v)
    raise ValueError(f"unknown typed value {kind}")


def dump(req):
    case = mf.Case("oracle", from_typed(req["data"]), config=req["config"], now=req["now"], permanent=req.get("permanent"))
    case.config = req["config"]
    try:
        set_cookie, _json_text, warning = mf.run_dump(case, None)
    except Exception as e:  # noqa: BLE001 - Flask's own failure is the answer
        return {"error": type(e).__name__}
    return {"setCookie": set_cookie, "warning": warning}


def load(req):
    outcome, data, error = mf.run_load(req["config"], req["now"], req["cookieHeader"])
    return {"outcome": outcome, "data": data, "error": error}


def refresh(req):
    app = mf.make_app(req["config"])
    with mf.frozen(req["now"]):
        with app.test_request_context(headers={"Cookie": req["cookieHeader"]}):
            session = app.session_interface.open_session(app, mf.flask.request)
            session.get("_user_id")  # a view that reads the session
            response = app.response_class()
            app.session_interface.save_session(app, session, response)
            return {"setCookie": response.headers.getlist("Set-Cookie")}


def main():
    versions = {p: importlib.metadata.version(p) for p in ("flask", "werkzeug", "itsdangerous")}
    ops = {"dump": dump, "load": load, "refresh": refresh, "version": lambda _req: versions}
    for line in sys.stdin:
        req = json.loads(line)
        try:
            res = ops[req["op"]](req)
        except Exception as e:  # noqa: BLE001 - report, keep serving
            res = {"oracleError": f"{type(e).__name__}: {e}"}
        res["id"] = req.get("id")
        sys.stdout.write(json.dumps(res, ensure_ascii=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
