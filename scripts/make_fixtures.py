#!/usr/bin/env python3
"""Generate Flask session-cookie fixtures by running real Flask.

Usage: <python-with-flask> scripts/make_fixtures.py OUTPUT.json

Every cookie in the output is produced by Flask's own
``SecureCookieSessionInterface.save_session`` and every load outcome by its
``open_session``; nothing here re-implements Flask. The only hand-made inputs
are tampered/crafted cookie strings for the load cases, and those that need a
valid signature are signed with itsdangerous' ``Signer`` (the same primitive
Flask uses).

The clock is frozen: ``time.time`` (itsdangerous timestamps and age checks)
and ``flask.sessions.datetime.now`` (Expires of permanent sessions).

Output schema:
  { "versions": {...},
    "dump": [ {name, config, now, permanent, data, setCookie, json, warning} ],
    "load": [ {name, config, now, cookieHeader, outcome, data, error} ] }
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import math
import platform
import struct
import sys
import time  # noqa: F401  (patched via unittest.mock)
import uuid
import warnings
import zlib
from unittest import mock

import flask
import flask.sessions
from flask import Flask
from itsdangerous import Signer
from markupsafe import Markup

NOW = 1700000000
SECRET = "spec-secret"
UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
DEFAULT_LIFETIME = 31 * 24 * 3600

HAS_FALLBACKS = "SECRET_KEY_FALLBACKS" in Flask.default_config
HAS_PARTITIONED = "SESSION_COOKIE_PARTITIONED" in Flask.default_config
FLASK_VERSION = importlib.metadata.version("flask")

# Loudly surface anything skipped (goes to stderr, not into the JSON).
SKIPPED: list[str] = []


# --------------------------------------------------------------------------
# typed encoding of Python values for JavaScript


def to_typed(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, Markup):
        return {"markup": str.__str__(v)}
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return {"int": str(int(v))}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, tuple):
        return {"tuple": [to_typed(x) for x in v]}
    if isinstance(v, list):
        return {"list": [to_typed(x) for x in v]}
    if isinstance(v, dict):
        out = []
        for k, x in v.items():
            if not isinstance(k, str):
                raise TypeError(f"non-str key {k!r}")
            out.append([k, to_typed(x)])
        return {"dict": out}
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, uuid.UUID):
        return {"uuid": v.hex}
    if isinstance(v, dt.datetime):
        aware = v if v.tzinfo is not None else v.replace(tzinfo=UTC)
        return {"datetime": (aware - EPOCH) // dt.timedelta(milliseconds=1)}
    raise TypeError(f"cannot encode {type(v).__name__}: {v!r}")


# --------------------------------------------------------------------------
# Flask app / clock helpers

CONFIG_KEYS = {
    "cookieName": "SESSION_COOKIE_NAME",
    "domain": "SESSION_COOKIE_DOMAIN",
    "path": "SESSION_COOKIE_PATH",
    "httpOnly": "SESSION_COOKIE_HTTPONLY",
    "secure": "SESSION_COOKIE_SECURE",
    "sameSite": "SESSION_COOKIE_SAMESITE",
    "partitioned": "SESSION_COOKIE_PARTITIONED",
}


def make_app(cfg: dict) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = cfg["secret"]
    if "fallbacks" in cfg:
        # On 2.2 this key does not exist and is simply ignored by Flask.
        app.config["SECRET_KEY_FALLBACKS"] = cfg["fallbacks"]
    for key, name in CONFIG_KEYS.items():
        if key in cfg:
            app.config[name] = cfg[key]
    if "lifetime" in cfg:
        app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(seconds=cfg["lifetime"])
    return app


def cfg_needs_31(cfg: dict) -> bool:
    if "partitioned" in cfg and not HAS_PARTITIONED:
        return True
    return False


@contextlib.contextmanager
def frozen(now):
    class FrozenDateTime(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return dt.datetime.fromtimestamp(now, tz)

    with mock.patch("time.time", new=lambda: now), mock.patch.object(
        flask.sessions, "datetime", FrozenDateTime
    ):
        yield


def cookie_pair(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0]


def cookie_value(set_cookie: str) -> str:
    return cookie_pair(set_cookie).split("=", 1)[1]


# --------------------------------------------------------------------------
# dump (save_session)


class Case:
    def __init__(self, name, data, *, config=None, now=NOW, permanent=None,
                 action=None, incoming=None, only31=False, may_fail_22=False):
        self.name = name
        self.data = data
        self.config = {"secret": SECRET, **(config or {})}
        self.now = now
        self.permanent = permanent
        self.action = action  # None (update with data) | "clear"
        self.incoming = incoming  # name of an earlier dump whose cookie is sent
        self.only31 = only31
        self.may_fail_22 = may_fail_22


def run_dump(case: Case, incoming_header: str | None):
    app = make_app(case.config)
    headers = {"Cookie": incoming_header} if incoming_header else {}
    with frozen(case.now), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with app.test_request_context(headers=headers):
            si = app.session_interface
            session = si.open_session(app, flask.request)
            if case.action == "clear":
                if incoming_header:
                    assert len(session) > 0, case.name
                session.clear()
            else:
                assert case.action is None
                session.update(case.data)
            if case.permanent is not None:
                session.permanent = case.permanent
            json_text = flask.sessions.session_json_serializer.dumps(dict(session))
            response = app.response_class()
            si.save_session(app, session, response)
            set_cookie = response.headers.getlist("Set-Cookie")
    msgs = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert len(msgs) <= 1, (case.name, msgs)
    return set_cookie, json_text, (msgs[0] if msgs else None)


# --------------------------------------------------------------------------
# load (open_session)


def run_load(cfg: dict, now, header: str):
    app = make_app(cfg)
    headers = {"Cookie": header} if header else {}
    # The request context is NOT pushed (pushing would itself call
    # open_session and an exception there would leave contexts pushed);
    # the app context is active as in a real request.
    with frozen(now), app.app_context():
        ctx = app.test_request_context(headers=headers)
        try:
            session = app.session_interface.open_session(app, ctx.request)
        except Exception as e:  # noqa: BLE001 - we record what Flask raises
            return "error", None, type(e).__name__
    if session is None or len(session) == 0:
        return "empty", None, None
    return "data", to_typed(dict(session)), None


# --------------------------------------------------------------------------
# deterministic pseudo-random material


def prng(seed: str, n: int) -> bytes:
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}:{i}".encode()).digest()
        i += 1
    return out[:n]


def prng_text(seed: str, n: int) -> str:
    return base64.urlsafe_b64encode(prng(seed, n)).decode()[:n]


# --------------------------------------------------------------------------
# dump cases


def dump_cases() -> list[Case]:
    C = Case
    cases: list[Case] = []
    add = cases.append
    tz2 = dt.timezone(dt.timedelta(hours=2))
    tzm530 = dt.timezone(-dt.timedelta(hours=5, minutes=30))
    U = uuid.UUID("12345678-1234-5678-1234-567812345678")

    # basics
    add(C("basic", {"a": 1}))
    add(C("basic-permanent-true", {"a": 1}, permanent=True))
    add(C("basic-permanent-false", {"a": 1}, permanent=False))
    add(C("empty-permanent-false", {}, permanent=False))
    add(C("empty-permanent-true", {}, permanent=True))
    add(C("b64-len-a12", {"a": 12}))
    add(C("b64-len-a123", {"a": 123}))
    add(C("b64-len-ab1", {"ab": 1}))
    add(C("string-empty", {"s": ""}))
    add(C("multi-keys-insertion-order", {"b": 1, "a": 2, "c": [3, "x"]}))

    # tags
    add(C("tag-tuple", {"t": (1, "a")}))
    add(C("tag-bytes", {"b": b"\x00\xff hi"}))
    add(C("tag-bytes-all-256", {"b": bytes(range(256))}))
    add(C("tag-bytes-padding", {"b1": b"x", "b2": b"xy", "b3": b"xyz", "b4": b"\xfb\xff\xbf"}))
    add(C("tag-markup", {"m": Markup("<b>x</b>")}))
    add(C("tag-markup-unicode", {"m": Markup("é &amp; 😀 \u2028")}))
    add(C("tag-markup-escaped", {"m": Markup.escape("<script>'\"&")}))
    add(C("tag-uuid", {"u": U}))
    add(C("tag-uuid-nil-max", {"u0": uuid.UUID(int=0), "u1": uuid.UUID(int=2**128 - 1)}))
    add(C("tag-datetime-naive-us", {"d": dt.datetime(2024, 1, 2, 3, 4, 5, 678)}))
    add(C("tag-datetime-naive-ms", {"d": dt.datetime(2024, 1, 2, 3, 4, 5, 999999)}))
    add(C("tag-datetime-aware-utc", {"d": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)}))
    add(C("tag-datetime-aware-plus0200", {"d": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=tz2)}))
    add(C("tag-datetime-aware-minus0530-day-change",
          {"d": dt.datetime(2023, 12, 31, 22, 0, 0, 250000, tzinfo=tzm530)}))
    add(C("tag-datetime-epoch", {"d": dt.datetime(1970, 1, 1)}))
    add(C("tag-datetime-pre-epoch", {"d": dt.datetime(1969, 12, 31, 23, 59, 59, 999999)}))
    add(C("tag-datetime-year-1", {"d": dt.datetime(1, 1, 1)}))
    add(C("tag-datetime-year-50", {"d": dt.datetime(50, 6, 15, 12, 0, 0)}))
    add(C("tag-datetime-year-99", {"d": dt.datetime(99, 12, 31, 23, 59, 59)}))
    add(C("tag-datetime-year-100", {"d": dt.datetime(100, 1, 1)}))
    add(C("tag-datetime-year-9999", {"d": dt.datetime(9999, 12, 31, 23, 59, 59, 999999)}))
    add(C("tag-datetime-leap-day", {"d": dt.datetime(2024, 2, 29, 12, 30, 0)}))
    add(C("tag-datetime-all-months",
          {"l": [dt.datetime(2023, m, m + (m % 3), m, m, m) for m in range(1, 13)]}))
    add(C("tag-nested-tuple-in-list", {"x": ((1,), [(2,)])}))
    add(C("tag-nested-all", {"x": [
        (b"x", Markup("<i>m</i>"), U, dt.datetime(2024, 1, 2, tzinfo=UTC),
         {"k": (1, [2, (3, b"")]), " t": ((),)}),
    ]}))
    add(C("tag-tuple-of-dicts", {"x": ({"a": 1}, {" t": 2}, {" b": b"z"})}))
    add(C("tag-empty-containers", {"t": (), "b": b"", "d": {}, "l": []}))
    add(C("tag-empty-nested", {"x": [[], {}, (), b"", ""]}))

    # look-alike tag keys
    add(C("lookalike-t", {" t": 1}))
    add(C("lookalike-di", {" di": 1}))
    add(C("lookalike-t__", {" t__": 1}))
    add(C("lookalike-t-plus-a", {" t": 1, "a": 2}))
    add(C("lookalike-nested-t-t", {" t": {" t": (1, b"x")}}))
    add(C("lookalike-inner-b", {"a": {" b": "x"}}))
    add(C("lookalike-all-tag-keys", {"x": [{" b": 1}, {" m": 2}, {" u": 3}, {" d": 4}, {" di": 5}]}))
    add(C("lookalike-non-tags", {"x": [{" T": 1}, {"t": 2}, {" x": 3}, {"  t": 4}, {" t ": 5}]}))
    add(C("lookalike-di-wrapping-di", {" di": {" t__": 1}}))

    # unicode
    add(C("unicode-e-acute", {"s": "é"}))
    add(C("unicode-astral", {"s": "😀"}))
    add(C("unicode-uffff", {"s": "\uffff"}))
    add(C("unicode-u2028-u2029-bom", {"s": "\u2028\u2029\ufeff"}))
    add(C("unicode-lone-high-surrogate", {"s": "\ud800"}))
    add(C("unicode-lone-low-surrogate", {"s": "\udfff"}))
    add(C("unicode-reversed-surrogates", {"s": "\udc00\ud800"}))
    add(C("unicode-c0-controls", {"s": "".join(chr(i) for i in range(32))}))
    add(C("unicode-del-c1-nbsp", {"s": "\x7f" + "".join(chr(i) for i in range(0x80, 0xA0)) + "\xa0"}))
    add(C("ascii-printable", {"s": "".join(chr(i) for i in range(32, 127))}))
    add(C("ascii-html-slash-quotes", {"s": "/ </script> & ' \" \\ \\\\"}))
    add(C("unicode-keys", {"é": 1, "😀": 2, "\ud800": 3, "\x00": 4, "\n": 5, "\u2028": 6}))
    add(C("unicode-compressed", {"s": "é😀\u2028" * 60}))

    # key ordering
    add(C("keys-codepoint-order",
          {k: i for i, k in enumerate(["😀", "a", "𐀀", "_", "\uffff", "B", "é", "9", "10"])}))
    add(C("keys-surrogate-vs-private-use", {"😀": 1, "\ue000": 2, "\udfff": 3, "\ud7ff": 4}))
    add(C("keys-prefixes-and-empty", {"ab": 1, "a": 2, "a\x00": 3, "": 4, "a ": 5}))
    add(C("keys-numeric-strings", {"2": 1, "10": 2, "1": 3, "01": 4, "-1": 5, "1.5": 6}))
    add(C("keys-nested-sort", {"z": {"b": 1, "a": 2}, "a": [{"d": 1, "c": {"y": 0, "x": 1}}]}))

    # prototype-ish keys
    add(C("proto-top", {"__proto__": 1, "constructor": 2, "prototype": 3}))
    add(C("proto-nested", {
        "a": {"__proto__": {"__proto__": {"polluted": True}}},
        "b": [{"constructor": {"prototype": {"x": 1}}}],
        "c": ({"__proto__": None},),
    }))
    add(C("proto-object-methods", {"toString": "x", "hasOwnProperty": 1, "valueOf": [], "__defineGetter__": {}}))
    add(C("proto-with-tag-lookalike", {"__proto__": {" t": 1}, "constructor": {" di": (1,)}}))

    # floats
    floats = [1.0, 1e16, 1e15, 1.5e16, 1e-05, 1e-4, 0.1, -0.0, 0.0, 1e308, 5e-324, 1e21,
              1e-07, 123456789012345680.0, 2.0 ** 53, 100.0, math.nan, math.inf, -math.inf,
              0.5, 1 / 3, -1.5, 1.7976931348623157e308, 2.2250738585072014e-308, 9007199254740994.0]
    for f in floats:
        add(C(f"float-{f!r}", {"f": f}))
    add(C("float-list", {"l": [1.0, -0.0, 1e16, 1e-05, math.nan, 0.1 + 0.2, 1, True]}))
    # a permanent session holding Python floats: what Flask re-issues on every request
    add(C("float-list-permanent", {"l": [1.0, -0.0, 1e16, 0.5]}, permanent=True))

    # ints
    ints = [0, -1, 1, 2**31, 2**53 - 1, 2**53, 2**53 + 1, -(2**53), 2**64 + 1, -2**63,
            10**100]
    for n in ints:
        add(C(f"int-{n}", {"i": n}))
    add(C("int-10**4299", {"i": 10**4299}))
    add(C("bool-none", {"t": True, "f": False, "n": None}))
    add(C("bool-int-float-list", {"l": [True, False, None, 1, 0, 1.0, 0.0]}))

    # compression threshold and compressible payloads
    add(C("compress-x10", {"a": "x" * 10}))
    add(C("compress-x11", {"a": "x" * 11}))
    add(C("compress-x12", {"a": "x" * 12}))
    add(C("compress-x13", {"a": "x" * 13}))
    add(C("compress-repetitive-text", {"text": "hello world " * 200}))
    add(C("compress-range", {"l": list(range(300))}))
    add(C("compress-records", {"users": [
        {"id": i, "name": f"user{i}", "roles": ("admin", "user"), "active": i % 2 == 0}
        for i in range(30)]}))

    # cookie attributes
    add(C("attr-name-sid", {"a": 1}, config={"cookieName": "sid"}))
    add(C("attr-name-host-prefix", {"a": 1}, config={"cookieName": "__Host-session", "secure": True}))
    add(C("attr-domain-example.com", {"a": 1}, config={"domain": "example.com"}))
    add(C("attr-domain-dot-example.com", {"a": 1}, config={"domain": ".example.com"}))
    add(C("attr-domain-with-port", {"a": 1}, config={"domain": "example.com:8443"}))
    add(C("attr-domain-localhost", {"a": 1}, config={"domain": "localhost"}, may_fail_22=True))
    add(C("attr-domain-idna", {"a": 1}, config={"domain": "bücher.example"}))
    add(C("attr-path-app", {"a": 1}, config={"path": "/app"}))
    add(C("attr-path-special", {"a": 1}, config={"path": "/a b;c,dé/%41"}))
    add(C("attr-secure", {"a": 1}, config={"secure": True}))
    add(C("attr-httponly-false", {"a": 1}, config={"httpOnly": False}))
    add(C("attr-samesite-lax", {"a": 1}, config={"sameSite": "lax"}))
    add(C("attr-samesite-STRICT", {"a": 1}, config={"sameSite": "STRICT"}))
    add(C("attr-samesite-none", {"a": 1}, config={"sameSite": "none"}))
    add(C("attr-partitioned", {"a": 1}, config={"partitioned": True}, only31=True))
    add(C("lifetime-10.9-permanent", {"a": 1}, config={"lifetime": 10.9}, permanent=True))
    add(C("lifetime-60-permanent", {"a": 1}, config={"lifetime": 60}, permanent=True))
    add(C("lifetime-60-not-permanent", {"a": 1}, config={"lifetime": 60}))
    add(C("lifetime-0-permanent", {"a": 1}, config={"lifetime": 0}, permanent=True))
    add(C("now-fractional-lifetime-10.9-permanent", {"a": 1}, config={"lifetime": 10.9},
          now=NOW + 0.5, permanent=True))
    add(C("now-fractional-default-permanent", {"a": 1}, now=NOW + 0.999, permanent=True))
    add(C("now-fractional-not-permanent", {"a": 1}, now=NOW + 0.5))
    add(C("now-0", {"a": 1}, now=0))
    add(C("now-0-permanent", {"a": 1}, now=0, permanent=True))
    add(C("now-1", {"a": 1}, now=1))
    add(C("now-256", {"a": 1}, now=256))
    add(C("now-2**32-1", {"a": 1}, now=2**32 - 1))
    add(C("now-2**32", {"a": 1}, now=2**32))
    add(C("now-253402300799", {"a": 1}, now=253402300799))
    all_attrs = {"cookieName": "sid", "domain": "example.com", "path": "/app", "secure": True,
                 "httpOnly": False, "sameSite": "lax"}
    add(C("attrs-all", {"a": 1}, config=all_attrs, permanent=True))
    add(C("attrs-all-partitioned", {"a": 1}, config={**all_attrs, "partitioned": True},
          permanent=True, only31=True))

    # secrets
    add(C("secret-old", {"a": 1}, config={"secret": "old"}))
    add(C("secret-unicode", {"a": 1}, config={"secret": "café 😀"}))
    add(C("secret-long", {"a": 1}, config={"secret": "k" * 100}))
    add(C("fallback-signs-with-current", {"a": 1}, config={"secret": "new", "fallbacks": ["old"]},
          only31=True))

    # clearing
    add(C("clear-loaded-session", {}, action="clear", incoming="basic"))
    add(C("clear-empty-session", {}, action="clear"))
    add(C("clear-attrs-all", {}, action="clear", config=all_attrs))
    add(C("clear-attrs-all-partitioned", {}, action="clear",
          config={**all_attrs, "partitioned": True}, only31=True))

    # realistic
    add(C("flask-login", {
        "_user_id": "42",
        "_fresh": True,
        "_id": hashlib.sha512(b"127.0.0.1|Mozilla/5.0").hexdigest(),
        "csrf_token": hashlib.sha1(b"csrf").hexdigest(),
        "_permanent": True,
    }))
    add(C("flashes", {"_flashes": [
        ("message", "Welcome back!"),
        ("error", "Invalid <input> & \"quotes\" é"),
        ("info", Markup("<b>bold</b>")),
    ]}))
    add(C("flask-login-and-flashes", {
        "_fresh": False,
        "_user_id": "user@example.com",
        "csrf_token": prng("csrf", 20).hex(),
        "_flashes": [("warning", "Please re-authenticate.")],
    }, permanent=True))
    return cases


def mixed_session(n_items: int, seed: str) -> dict:
    items = []
    for i in range(n_items):
        r = prng(f"{seed}:{i}", 48)
        items.append({
            "sku": prng_text(f"{seed}:sku:{i}", 12),
            "qty": i % 7,
            "price": round(int.from_bytes(r[:4], "big") / 2**20, 2),
            "added": dt.datetime(2023, 11, 1 + i % 28, i % 24, i % 60, tzinfo=UTC),
            "id": uuid.UUID(bytes=r[4:20]),
            "tags": ("new", "sale") if i % 3 == 0 else (),
            "note": Markup(f"<em>{prng_text(f'{seed}:note:{i}', 10)}</em>"),
        })
    return {
        "_user_id": "1234",
        "_fresh": True,
        "csrf_token": prng(f"{seed}:csrf", 20).hex(),
        "cart": items,
        "blob": prng(f"{seed}:blob", 64),
        "prefs": {"theme": "dark", "lang": "fr-CA", "tz": "America/Montreal", "ratio": 0.75},
        "_flashes": [("message", "Article ajouté au panier — merci !")],
    }


def sized_cases(produced_len) -> list[Case]:
    """Cases whose data is grown until the header reaches a target size."""
    out = []
    n = 1
    while True:
        c = Case("mixed-3.5kb", mixed_session(n, "mixed"))
        if produced_len(c) >= 3500:
            out.append(c)
            break
        n += 1
    n = 1
    while True:
        c = Case("oversize-warning", mixed_session(n, "big"))
        if produced_len(c) > 4093:
            out.append(c)
            break
        n += 1
    # exact boundary: vary the Path length so the header is exactly 4093 / 4094
    base = {"x": prng_text("boundary", 3200)}
    base_len = produced_len(Case("probe", base, config={"path": "/p"}))
    for target, name in ((4093, "size-4093-no-warning"), (4094, "size-4094-warning")):
        k = target - base_len + 1
        assert k >= 1, base_len
        c = Case(name, base, config={"path": "/" + "p" * k})
        if produced_len(c) != target:
            raise RuntimeError(f"could not hit {target}")
        out.append(c)
    return out


# --------------------------------------------------------------------------
# crafting helpers for load cases


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


def ts_b64(n: int) -> str:
    return b64u(struct.pack(">Q", n).lstrip(b"\0"))


def craft(secret: str, payload: str, ts: str | None) -> str:
    """Validly sign payload[.ts] with Flask's key derivation (no Flask involved)."""
    signer = Signer(secret, salt="cookie-session", key_derivation="hmac",
                    digest_method=hashlib.sha1)
    value = payload if ts is None else payload + "." + ts
    return signer.sign(value.encode("latin-1")).decode("latin-1")


def flip(c: str) -> str:
    return "B" if c == "A" else "A"


def flip_at(s: str, i: int) -> str:
    return s[:i] + flip(s[i]) + s[i + 1:]


ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


# --------------------------------------------------------------------------


def main(out_path: str) -> None:
    # Python default; pinned so PYTHONINTMAXSTRDIGITS cannot change the results.
    sys.set_int_max_str_digits(4300)

    dumps: list[dict] = []
    produced: dict[str, dict] = {}

    def do_dump(case: Case, record=True):
        if case.only31 and not HAS_FALLBACKS:
            if record:
                SKIPPED.append(f"dump {case.name}: feature not in Flask {FLASK_VERSION}")
            return None
        if cfg_needs_31(case.config):
            if record:
                SKIPPED.append(f"dump {case.name}: feature not in Flask {FLASK_VERSION}")
            return None
        incoming = None
        if case.incoming:
            incoming = cookie_pair(produced[case.incoming]["setCookie"][0])
        try:
            set_cookie, json_text, warning = run_dump(case, incoming)
        except Exception as e:  # noqa: BLE001
            if case.may_fail_22 and not FLASK_VERSION.startswith("3."):
                if record:
                    SKIPPED.append(f"dump {case.name}: raised {type(e).__name__}: {e}")
                return None
            raise
        for sc in set_cookie:
            value = cookie_value(sc)
            if value:  # not a deletion header: the payload must be the recorded JSON
                payload = value.rsplit(".", 2)[0]
                raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
                if payload.startswith("."):
                    raw = zlib.decompress(raw)
                assert raw == json_text.encode("ascii"), case.name
        entry = {
            "name": case.name,
            "config": case.config,
            "now": case.now,
            "permanent": case.permanent,
            "data": to_typed(case.data),
            "setCookie": set_cookie,
            "json": json_text,
            "warning": warning,
        }
        if record:
            assert case.name not in produced, case.name
            produced[case.name] = entry
            dumps.append(entry)
        return entry

    for case in dump_cases():
        do_dump(case)

    def produced_len(case: Case) -> int:
        e = do_dump(case, record=False)
        assert e is not None and len(e["setCookie"]) == 1
        return len(e["setCookie"][0])

    for case in sized_cases(produced_len):
        do_dump(case)

    # sanity: the worked example of FLASK-COOKIE-FORMAT.md section 1
    assert produced["basic"]["setCookie"] == [
        "session=eyJhIjoxfQ.ZVPxAA.iJV_DKrbBSEvPi4QRxnczM2xanI; HttpOnly; Path=/"
    ], produced["basic"]["setCookie"]
    # sanity: our crafting helper agrees with Flask
    assert "session=" + craft(SECRET, b64u(b'{"a":1}'), ts_b64(NOW)) == cookie_pair(
        produced["basic"]["setCookie"][0])

    # ---------------------------------------------------------------- loads
    loads: list[dict] = []
    seen_names: set[str] = set()

    def do_load(name, cfg, now, header):
        assert name not in seen_names, name
        seen_names.add(name)
        full_cfg = {"secret": SECRET, **cfg} if "secret" not in cfg else dict(cfg)
        outcome, data, error = run_load(full_cfg, now, header)
        loads.append({"name": name, "config": full_cfg, "now": now, "cookieHeader": header,
                      "outcome": outcome, "data": data, "error": error})

    # 1. every dumped cookie loaded back at the same second
    for e in dumps:
        for sc in e["setCookie"]:
            do_load(f"roundtrip/{e['name']}", e["config"], e["now"], cookie_pair(sc))

    basic = cookie_pair(produced["basic"]["setCookie"][0])  # session=...
    basic_val = cookie_value(produced["basic"]["setCookie"][0])

    # 2. expiry (max_age applies to permanent and non-permanent sessions)
    L = DEFAULT_LIFETIME
    do_load("expiry/default/age-eq-max", {}, NOW + L, basic)
    do_load("expiry/default/age-max-plus-1", {}, NOW + L + 1, basic)
    do_load("expiry/default/future-1s", {}, NOW - 1, basic)
    do_load("expiry/default/future-fraction", {}, NOW - 0.5, basic)
    perm = cookie_pair(produced["basic-permanent-true"]["setCookie"][0])
    do_load("expiry/permanent/age-eq-max", {}, NOW + L, perm)
    do_load("expiry/permanent/age-max-plus-1", {}, NOW + L + 1, perm)
    c60 = cookie_pair(produced["lifetime-60-permanent"]["setCookie"][0])
    do_load("expiry/lifetime-60/age-60", {"lifetime": 60}, NOW + 60, c60)
    do_load("expiry/lifetime-60/age-61", {"lifetime": 60}, NOW + 61, c60)
    do_load("expiry/lifetime-60/future-1s", {"lifetime": 60}, NOW - 1, c60)
    c60np = cookie_pair(produced["lifetime-60-not-permanent"]["setCookie"][0])
    do_load("expiry/lifetime-60-not-permanent/age-60", {"lifetime": 60}, NOW + 60, c60np)
    do_load("expiry/lifetime-60-not-permanent/age-61", {"lifetime": 60}, NOW + 61, c60np)
    c109 = cookie_pair(produced["lifetime-10.9-permanent"]["setCookie"][0])
    do_load("expiry/lifetime-10.9/age-10", {"lifetime": 10.9}, NOW + 10, c109)
    do_load("expiry/lifetime-10.9/age-10.9", {"lifetime": 10.9}, NOW + 10.9, c109)
    do_load("expiry/lifetime-10.9/age-11", {"lifetime": 10.9}, NOW + 11, c109)
    c0 = cookie_pair(produced["lifetime-0-permanent"]["setCookie"][0])
    do_load("expiry/lifetime-0/age-0.999", {"lifetime": 0}, NOW + 0.999, c0)
    do_load("expiry/lifetime-0/age-1", {"lifetime": 0}, NOW + 1, c0)
    cfrac = cookie_pair(produced["now-fractional-lifetime-10.9-permanent"]["setCookie"][0])
    do_load("expiry/signed-at-fraction/load-at-whole-second", {"lifetime": 10.9}, NOW, cfrac)
    do_load("expiry/signed-at-fraction/age-10", {"lifetime": 10.9}, NOW + 10.95, cfrac)
    do_load("expiry/signed-at-fraction/age-11", {"lifetime": 10.9}, NOW + 11, cfrac)
    cnow0 = cookie_pair(produced["now-0"]["setCookie"][0])
    do_load("expiry/signed-at-0/load-at-now", {}, NOW, cnow0)

    # 3. keys
    do_load("keys/wrong-secret", {"secret": "wrong-secret"}, NOW, basic)
    do_load("keys/secret-case-differs", {"secret": "Spec-secret"}, NOW, basic)
    old = cookie_pair(produced["secret-old"]["setCookie"][0])
    do_load("keys/fallback-old-accepted", {"secret": "new", "fallbacks": ["old"]}, NOW, old)
    do_load("keys/fallback-old-among-several", {"secret": "new", "fallbacks": ["x", "old", "y"]},
            NOW, old)
    do_load("keys/fallback-as-plain-string", {"secret": "new", "fallbacks": "old"}, NOW, old)
    do_load("keys/old-cookie-new-secret-no-fallbacks", {"secret": "new"}, NOW, old)
    do_load("keys/current-cookie-with-fallbacks", {"secret": "old", "fallbacks": ["new"]}, NOW, old)
    do_load("keys/fallback-expired", {"secret": "new", "fallbacks": ["old"]}, NOW + L + 1, old)
    do_load("keys/empty-secret-key", {"secret": ""}, NOW, basic)
    do_load("keys/empty-secret-key-no-cookie", {"secret": ""}, NOW, "")

    # 4. Cookie header parsing
    H = basic_val
    do_load("header/no-cookie-header", {}, NOW, "")
    do_load("header/duplicate-first-wins", {}, NOW, f"session=a; session={H}")
    do_load("header/duplicate-valid-first", {}, NOW, f"session={H}; session=a")
    do_load("header/spaces-around", {}, NOW, f" session = {H} ; x=1")
    do_load("header/after-other", {}, NOW, f"x=1; session={H}")
    do_load("header/tab-separator", {}, NOW, f"x=1;\tsession={H}")
    do_load("header/trailing-semicolon", {}, NOW, f"session={H};")
    do_load("header/uppercase-name", {}, NOW, f"SESSION={H}")
    do_load("header/quoted", {}, NOW, f'session="{H}"')
    do_load("header/unterminated-quote", {}, NOW, f'session="{H}')
    do_load("header/empty-then-valid", {}, NOW, f"session=; session={H}")
    do_load("header/name-only-then-valid", {}, NOW, f"session; session={H}")
    do_load("header/space-in-first-then-valid", {}, NOW, f"session=a b; session={H}")
    do_load("header/empty-name-then-valid", {}, NOW, f"=x; session={H}")
    do_load("header/quoted-name-then-valid", {}, NOW, f'"session"=a; session={H}')
    do_load("header/prefix-name", {}, NOW, f"xsession={H}; session_x={H}")
    do_load("header/custom-name-sid", {"cookieName": "sid"}, NOW, f"session={H}; sid={H}")

    # 5. tampering
    payload, ts, sig = basic_val.split(".")
    do_load("tamper/flip-payload", {}, NOW, "session=" + ".".join([flip_at(payload, 3), ts, sig]))
    do_load("tamper/flip-timestamp", {}, NOW, "session=" + ".".join([payload, flip_at(ts, 0), sig]))
    do_load("tamper/flip-signature", {}, NOW, "session=" + ".".join([payload, ts, flip_at(sig, 5)]))
    do_load("tamper/truncate-1", {}, NOW, basic[:-1])
    do_load("tamper/truncate-5", {}, NOW, basic[:-5])
    do_load("tamper/remove-signature", {}, NOW, f"session={payload}.{ts}")
    do_load("tamper/empty-signature", {}, NOW, f"session={payload}.{ts}.")
    do_load("tamper/payload-only", {}, NOW, f"session={payload}")
    do_load("tamper/swap-signature-and-timestamp", {}, NOW, f"session={payload}.{sig}.{ts}")
    for suffix in ("=", "==", "=junk", "!!", "!", "A", "AA", "é"):
        do_load(f"lenient/signature-plus-{suffix}", {}, NOW, basic + suffix)
    do_load("lenient/junk-inside-signature", {}, NOW, f"session={payload}.{ts}.{sig[:5]}!{sig[5:]}")
    do_load("lenient/junk-inside-signature-compensated", {}, NOW,
            f"session={payload}.{ts}.{sig[:5]}!{sig[5:]}!")
    # last-char same-value variants
    idx = ALPHA.index(sig[-1])
    for v in range(4):
        alt = (idx & ~3) | v
        if alt == idx:
            continue
        do_load(f"lenient/last-char-variant-{ALPHA[alt]}", {}, NOW,
                f"session={payload}.{ts}.{sig[:-1]}{ALPHA[alt]}")
    # a non-same-value last char
    wrong_last = ALPHA[(idx + 4) % 64]
    do_load("tamper/last-char-other-value", {}, NOW, f"session={payload}.{ts}.{sig[:-1]}{wrong_last}")
    # +/ spelling of the signature: find a cookie whose signature has both - and _
    for n in range(10000):
        cand = craft(SECRET, b64u(json.dumps({"n": n}, separators=(",", ":")).encode()), ts_b64(NOW))
        if "-" in cand.rsplit(".", 1)[1] and "_" in cand.rsplit(".", 1)[1]:
            break
    else:
        raise RuntimeError("no signature with - and _")
    # make sure that cookie is exactly what Flask emits for {"n": n}
    e_n = do_dump(Case(f"sig-has-dash-underscore-n{n}", {"n": n}), record=False)
    assert cookie_value(e_n["setCookie"][0]) == cand
    cp, ct, cs = cand.split(".")
    do_load("lenient/signature-canonical-with-dash-underscore", {}, NOW, f"session={cand}")
    do_load("lenient/signature-plus-slash", {}, NOW,
            f"session={cp}.{ct}.{cs.replace('-', '+').replace('_', '/')}")
    do_load("lenient/signature-plus-slash-padded", {}, NOW,
            f"session={cp}.{ct}.{cs.replace('-', '+').replace('_', '/')}=")
    comp = cookie_value(produced["compress-repetitive-text"]["setCookie"][0])
    assert comp.startswith(".")
    do_load("tamper/compressed-drop-leading-dot", {}, NOW, "session=" + comp[1:])
    do_load("tamper/plain-add-leading-dot", {}, NOW, "session=." + basic_val)

    # 6. crafted but validly signed values
    def signed(name, payload_text_or_bytes, ts=NOW, now=NOW, raw=False, compressed=False,
               cfg=None):
        if raw:
            p = payload_text_or_bytes
        else:
            b = payload_text_or_bytes
            if isinstance(b, str):
                b = b.encode("utf-8", "surrogatepass")
            if compressed:
                p = "." + b64u(zlib.compress(b))
            else:
                p = b64u(b)
        t = ts_b64(ts) if isinstance(ts, int) else ts
        do_load(name, cfg or {}, now, "session=" + craft(SECRET, p, t))

    signed("crafted/sanity-a1", '{"a":1}')
    do_load("crafted/no-timestamp", {}, NOW, "session=" + craft(SECRET, b64u(b'{"a":1}'), None))
    signed("crafted/ts-0-empty-timestamp", '{"a":1}', ts=0)
    signed("crafted/ts-0-at-now-0", '{"a":1}', ts=0, now=0)
    signed("crafted/ts-leading-zero-byte", '{"a":1}', ts=b64u(b"\x00" + struct.pack(">I", NOW)))
    signed("crafted/ts-9-bytes", '{"a":1}', ts=b64u(b"\x00" * 4 + struct.pack(">I", NOW) + b"\x00"))
    signed("crafted/ts-bang", '{"a":1}', ts="!")
    signed("crafted/ts-invalid-base64", '{"a":1}', ts="A")
    signed("crafted/ts-253402300799-future", '{"a":1}', ts=253402300799)
    signed("crafted/ts-253402300799-at-that-time", '{"a":1}', ts=253402300799, now=253402300799)
    signed("crafted/ts-253402300800", '{"a":1}', ts=253402300800)
    signed("crafted/ts-2**64-1", '{"a":1}', ts=b64u(b"\xff" * 8))
    signed("crafted/payload-invalid-base64", "a", raw=True)
    signed("crafted/payload-empty", "", raw=True)
    signed("crafted/payload-invalid-zlib", "." + b64u(b"not zlib data"), raw=True)
    signed("crafted/payload-raw-deflate", "." + b64u(zlib.compress(b'{"a":1}')[2:-4]), raw=True)
    signed("crafted/payload-truncated-zlib", "." + b64u(zlib.compress(b'{"a":1}' * 5)[:-3]),
           raw=True)
    signed("crafted/payload-zlib-trailing-junk", "." + b64u(zlib.compress(b'{"a":1}') + b"junk"),
           raw=True)
    signed("crafted/payload-double-dot-compressed", ".." + b64u(zlib.compress(b'{"a":1}')), raw=True)
    signed("crafted/payload-zlib-level-9", "." + b64u(zlib.compress(b'{"a":"' + b"y" * 50 + b'"}', 9)),
           raw=True)
    signed("crafted/payload-compressed-not-needed", '{"a":1}', compressed=True)
    signed("crafted/payload-invalid-utf8", b'{"a":"\xff"}')
    signed("crafted/payload-raw-utf8", '{"a":"é😀"}')
    signed("crafted/payload-lone-surrogate-escape", '{"a":"\\ud800"}')
    signed("crafted/payload-invalid-json", '{"a":')
    signed("crafted/payload-trailing-garbage", '{"a":1}x')
    signed("crafted/payload-trailing-whitespace", '{"a":1} \n')
    signed("crafted/payload-whitespace", ' { "a" : 1 , "b" : [ 1 , 2 ] } ')
    signed("crafted/payload-bom", b'\xef\xbb\xbf{"a":1}')
    signed("crafted/payload-trailing-comma", '{"a":1,}')
    signed("crafted/payload-raw-control-char", '{"a":"\x01"}')
    signed("crafted/json-array", "[1,2]")
    signed("crafted/json-zero", "0")
    signed("crafted/json-false", "false")
    signed("crafted/json-true", "true")
    signed("crafted/json-null", "null")
    signed("crafted/json-string", '"x"')
    signed("crafted/json-empty-string", '""')
    signed("crafted/json-empty-array", "[]")
    signed("crafted/json-empty-object", "{}")
    signed("crafted/json-pairs-array", '[["a",1]]')
    signed("crafted/tag-t-int-top", '{" t": 5}')
    signed("crafted/tag-t-string", '{"x":{" t":"abc"}}')
    signed("crafted/tag-t-object", '{"x":{" t":{"k":1}}}')
    signed("crafted/tag-d-not-a-date-top", '{" d": "not a date"}')
    signed("crafted/tag-d-not-a-date", '{"x":{" d":"not a date"}}')
    signed("crafted/tag-d-iso8601", '{"x":{" d":"2024-01-02T03:04:05Z"}}')
    signed("crafted/tag-d-offset-top", '{" d": "Tue, 02 Jan 2024 03:04:05 +0200"}')
    signed("crafted/tag-d-offset", '{"x":{" d":"Tue, 02 Jan 2024 03:04:05 +0200"}}')
    signed("crafted/tag-d-no-zone", '{"x":{" d":"Tue, 02 Jan 2024 03:04:05"}}')
    signed("crafted/tag-d-two-digit-year", '{"x":{" d":"Tue, 02 Jan 24 03:04:05 GMT"}}')
    signed("crafted/tag-d-year-0001", '{"x":{" d":"Mon, 01 Jan 0001 00:00:00 GMT"}}')
    signed("crafted/tag-d-int", '{"x":{" d":5}}')
    signed("crafted/tag-b-junk-char-top", '{" b": "aG!k="}')
    signed("crafted/tag-b-junk-char", '{"x":{" b":"aG!k="}}')
    signed("crafted/tag-b-urlsafe-alphabet", '{"x":{" b":"-_8="}}')
    signed("crafted/tag-b-missing-padding", '{"x":{" b":"aGk"}}')
    signed("crafted/tag-di-no-suffix-top", '{" di": {"ab": 1}}')
    signed("crafted/tag-di-two-keys-top", '{" di": {"a__":1,"b__":2}}')
    signed("crafted/tag-di-two-keys", '{"x":{" di":{"a__":1,"b__":2}}}')
    signed("crafted/tag-di-string", '{"x":{" di":"abc"}}')
    signed("crafted/tag-u-braces-top", '{" u": "{12345678-1234-5678-1234-567812345678}"}')
    signed("crafted/tag-u-braces", '{"x":{" u":"{12345678-1234-5678-1234-567812345678}"}}')
    signed("crafted/tag-u-urn", '{"x":{" u":"urn:uuid:12345678-1234-5678-1234-567812345678"}}')
    signed("crafted/tag-u-invalid", '{"x":{" u":"xyz"}}')
    signed("crafted/tag-m-int", '{"x":{" m":5}}')
    signed("crafted/tag-plus-extra-key", '{"x":{" t":[1],"y":2}}')
    signed("crafted/tag-result-not-rescanned", '{"x":{" di":{" t__":{" b":"eA=="}}}}')
    signed("crafted/nan-infinity", '{"a": NaN, "b": Infinity, "c": -Infinity}')
    signed("crafted/duplicate-keys", '{"a": 1, "a": 2}')
    signed("crafted/number-forms", '{"a":1.0,"b":-0,"c":1E2,"d":1e400,"e":-0.0,"f":1e-400}')
    signed("crafted/int-4300-digits", '{"a":' + "9" * 4300 + "}", compressed=True)
    signed("crafted/int-4301-digits", '{"a":' + "9" * 4301 + "}", compressed=True)
    signed("crafted/deep-nesting-100000", '{"a":' + "[" * 100000 + "]" * 100000 + "}",
           compressed=True)
    signed("crafted/unsorted-keys", '{"b":1,"a":2,"__proto__":{"c":3}}')

    # ---------------------------------------------------------------- output
    out = {
        "versions": {
            "generator": "scripts/make_fixtures.py",
            "flask": FLASK_VERSION,
            "werkzeug": importlib.metadata.version("werkzeug"),
            "itsdangerous": importlib.metadata.version("itsdangerous"),
            "markupsafe": importlib.metadata.version("markupsafe"),
            "python": platform.python_version(),
            "zlib": zlib.ZLIB_VERSION,
        },
        "dump": dumps,
        "load": loads,
    }
    with open(out_path, "w", encoding="ascii", newline="\n") as f:
        json.dump(out, f, ensure_ascii=True, indent=1)
        f.write("\n")
    counts = {}
    for e in loads:
        counts[e["outcome"]] = counts.get(e["outcome"], 0) + 1
    print(f"{out_path}: Flask {FLASK_VERSION}: {len(dumps)} dump, {len(loads)} load {counts}",
          file=sys.stderr)
    for s in SKIPPED:
        print(f"  skipped {s}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_fixtures.py OUTPUT.json")
    main(sys.argv[1])
