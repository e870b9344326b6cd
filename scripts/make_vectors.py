"""Writes fixtures/vectors.json: itsdangerous tokens and base64, CPython float repr and str order,
Werkzeug cookie parsing/writing and HTTP dates, all made by the real libraries at a frozen clock.
Run: .venv/bin/python scripts/make_vectors.py fixtures/vectors.json
"""
import hashlib
import json
import random
import struct
import sys
import time
import zlib
from importlib.metadata import version
from unittest import mock

import itsdangerous
from itsdangerous import (
    Serializer,
    Signer,
    TimestampSigner,
    TimedSerializer,
    URLSafeSerializer,
    URLSafeTimedSerializer,
)
from itsdangerous.encoding import base64_decode

NOW = 1700000000
out = {
    "versions": {
        "generator": "scripts/make_vectors.py",
        "werkzeug": version("werkzeug"),
        "msgspec": version("msgspec"),
        "itsdangerous": version("itsdangerous"),
        "python": sys.version.split()[0],
        "zlib": zlib.ZLIB_VERSION,
    },
    "signer": [],
    "timestamp_signer": [],
    "serializer": [],
    "base64_decode": [],
    "float_repr": [],
    "key_order": None,
}

DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
for kd in ["concat", "django-concat", "hmac", "none"]:
    for dname, d in DIGESTS.items():
        for salt in [None, "my-salt"]:
            for sep in [".", ":", "|"]:
                kw = dict(key_derivation=kd, digest_method=d, sep=sep)
                if salt is not None:
                    kw["salt"] = salt
                s = Signer("secret-key", **kw)
                for value in ["hello", "", "caf\u00e9 \U0001f600", "a.b.c"]:
                    out["signer"].append(
                        {
                            "keyDerivation": kd,
                            "digest": dname,
                            "salt": salt,
                            "sep": sep,
                            "secret": "secret-key",
                            "value": value,
                            "signed": s.sign(value).decode("utf-8"),
                        }
                    )

# key rotation: a list of keys, newest last
rot = Signer(["old-key", "new-key"])
out["rotation"] = {
    "keys": ["old-key", "new-key"],
    "signed_by_new": rot.sign("v").decode(),
    "signed_by_old": Signer("old-key").sign("v").decode(),
    "signed_by_other": Signer("other").sign("v").decode(),
}

with mock.patch("time.time", lambda: NOW + 0.75):
    ts = TimestampSigner("secret-key")
    for value in ["hello", "", "x" * 50]:
        out["timestamp_signer"].append({"value": value, "now": NOW + 0.75, "signed": ts.sign(value).decode()})
    for name, cls, kw in [
        ("Serializer", Serializer, {}),
        ("TimedSerializer", TimedSerializer, {}),
        ("URLSafeSerializer", URLSafeSerializer, {}),
        ("URLSafeTimedSerializer", URLSafeTimedSerializer, {}),
        ("URLSafeTimedSerializer", URLSafeTimedSerializer, {"salt": "activate"}),
    ]:
        s = cls("secret-key", **kw)
        for obj in [
            {"id": 5, "name": "caf\u00e9"},
            [1, 2.5, None, True, "x"],
            "user@example.com",
            {"b": 1, "a": [{"z": 1e-05, "y": 0.1, "x": 1.5e-300}]},
            {"long": "abc" * 40},
        ]:
            out["serializer"].append(
                {"class": name, "salt": kw.get("salt"), "now": NOW + 0.75, "obj": obj, "token": s.dumps(obj)}
            )

# lenient base64: what itsdangerous' base64_decode does with odd inputs
rng = random.Random(1)
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=!. \u00e9"
inputs = ["", "A", "AA", "AAA", "AAAA", "iJV_DKrbBSEvPi4QRxnczM2xanI", "iJV_DKrbBSEvPi4QRxnczM2xanI=",
          "iJV_DKrbBSEvPi4QRxnczM2xanI!!", "iJV_DKrbBSEvPi4QRxnczM2xanI!", "ZVPxAA", "!", "a=b", "ab==cd"]
for _ in range(3000):
    inputs.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))))
for s in inputs:
    try:
        out["base64_decode"].append({"in": s, "out": base64_decode(s.encode("utf-8")).hex()})
    except Exception as e:  # noqa: BLE001
        out["base64_decode"].append({"in": s, "error": type(e).__name__})

# Python float repr on awkward doubles (random bit patterns and decimal edges)
floats = [1.0, 1e16, 1e15, 1.5e16, 1e-05, 1e-4, 0.1, -0.0, 1e308, 5e-324, 1e21, 1e-07,
          123456789012345680.0, 2.0 ** 53, 100.0, 0.5, 1 / 3, 9999999999999998.0, 1e22, 1.7976931348623157e308]
for _ in range(5000):
    x = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
    if x == x and abs(x) != float("inf"):
        floats.append(x)
for _ in range(2000):
    floats.append(round(rng.uniform(-1e6, 1e6), rng.randint(0, 8)) * 10 ** rng.randint(-20, 20))
out["float_repr"] = [{"bits": struct.pack("<d", x).hex(), "repr": repr(x)} for x in floats]

# str sort order (code points) on keys with astral, BMP-high and lone surrogates
keys = ["10", "9", "B", "_", "a", "\u00e9", "\uffff", "\U00010000", "\U0001f600", "\ue000", "\ud800", "\udfff", ""]
for _ in range(500):
    keys.append("".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0xd7ff), rng.randint(0xe000, 0xffff), rng.randint(0x10000, 0x10ffff)])) for _ in range(rng.randint(0, 4))))
out["key_order"] = {"keys": keys, "sorted": sorted(keys)}

# Werkzeug 3: Cookie header parsing (request.cookies)
from werkzeug.sansio.http import parse_cookie
from werkzeug.http import dump_cookie, http_date, parse_date
import datetime as _dt

headers = ["session=a; session=b", " session = a ; x=1", 'session="a\\"b\\073c"', 'session="abc', 'session=abc"',
           "session=a b", "session=a\tb", "session=a b; session=c", "session=a,b", "session=a=b", "session", "x=1; session",
           "session=; session=b", "=x; session=c", '"session"=a; session=b', "session=\xff", "SESSION=a", "a=1;;b=2",
           ";;;", "a=1; b", 'a="\\303\\251"', 'a="x\\\\y"', 'a="\\400"', "a=\u00e9; b=\u0000", "a=1 ;b=2", "  ", ""]
for _ in range(1500):
    headers.append("".join(rng.choice('ab=; \t"\\,x0\u00e9\n') for _ in range(rng.randint(0, 14))))
for _ in range(3000):
    headers.append("".join(rng.choice(['a', 'b', '=', ';', ' ', '\t', '"', '\\', '\\"', '\\0', '\\1', '7', 'session', '=x', '; ', '"a"'])
                           for _ in range(rng.randint(0, 24))))
out["parse_cookie"] = [{"header": h, "pairs": list(parse_cookie(h).items(multi=True))} for h in headers]

# Werkzeug 3: Set-Cookie writing
dc = []
for name, kw in [
    ("session", {}),
    ("sid", {"domain": "example.com", "path": "/app", "secure": True, "httponly": False, "samesite": "lax", "partitioned": True}),
    ("session", {"domain": ".example.com"}), ("session", {"domain": "example.com:8443"}),
    ("session", {"domain": "b\u00fccher.example"}), ("session", {"domain": "localhost"}),
    ("session", {"path": "/a b;c,d\u00e9/%41"}), ("session", {"path": "/~x_y-z.%20!$&'()*+,:=@[]{}|^`"}),
    ("session", {"samesite": "STRICT"}), ("session", {"samesite": "none"}), ("s\u00e9 ss", {}),
    ("session", {"partitioned": True}), ("session", {"expires": 0, "max_age": 0}),
    ("session", {"expires": 1700000000.75}), ("session", {"max_age": 10, "expires": 5}),
]:
    kw = dict(kw)
    kw.setdefault("httponly", True)
    kw.setdefault("path", "/")
    dc.append({"name": name, "options": kw, "header": dump_cookie(name, "v.a.l", **kw)})
out["dump_cookie"] = dc

# HTTP dates: http_date and Werkzeug's parse_date (the " d" tag)
stamps = [0, 1, 1700000000, 253402300799, -62135596800, 951782400, 4107542400]
out["http_date"] = [{"ts": t, "text": http_date(_dt.datetime.fromtimestamp(t, _dt.timezone.utc))} for t in stamps]
dates = ["Tue, 02 Jan 2024 03:04:05 GMT", "Tue, 02 Jan 2024 03:04:05 +0200", "Tue, 02 Jan 2024 03:04:05 -0000",
         "02 Jan 2024 03:04:05", "Tuesday, 02-Jan-24 03:04:05 GMT", "Tue Jan  2 03:04:05 2024", "Mon, 01 Jan 0001 00:00:00 GMT",
         "Thu, 01 Jan 0050 00:00:00 GMT", "Fri, 01 Jan 0099 00:00:00 GMT", "Fri, 01 Jan 0100 00:00:00 GMT", "2024-01-02T03:04:05Z",
         "not a date", "", "   ", "Tue, 02 Jan 2024 03:04 EST", "2 Jan 2024 3.4.5 PDT", "Tue, 31 Feb 2024 00:00:00 GMT",
         "Tue, 02 Jan 2024 24:00:00 GMT", "Tue, 02 Jan 2024 23:59:60 GMT", "Tue, 02 Jan 2024 03:04:05 +9999",
         "Tue, 02 Jan 2024 03:04:05 +2359", "Jan 02 2024 03:04:05 GMT", "Tue, 02 jAN 2024 03:04:05 ut", "02 January 24 03:04:05 Z",
         "Sat, 29 Feb 2020 12:00:00 GMT", "Sat, 29 Feb 2100 12:00:00 GMT", "Tue, 02 Jan 2024 03:04:05 +02", "1 jan 70 0:0:0",
         "Tue, 02 Jan 1_999 03:04:05 GMT", "Tue, 02 Jan 2024, 03:04:05 GMT"]
for _ in range(800):
    t = rng.randint(-62135596800, 253402300799)
    d = _dt.datetime.fromtimestamp(t, _dt.timezone.utc)
    txt = http_date(d)
    mut = rng.choice(["", "tz", "swap", "2digit", "drop"])
    if mut == "tz":
        txt = txt.replace("GMT", rng.choice(["+0130", "-1200", "EDT", "Z", "-0000", "+2400"]))
    elif mut == "swap":
        p = txt.split(" ")
        p[1], p[2] = p[2], p[1]
        txt = " ".join(p)
    elif mut == "2digit":
        p = txt.split(" ")
        p[3] = p[3][-2:]
        txt = " ".join(p)
    elif mut == "drop":
        p = txt.split(" ")
        del p[rng.randrange(len(p))]
        txt = " ".join(p)
    dates.append(txt)
def _pd(t):
    try:
        d = parse_date(t)
    except Exception as e:  # noqa: BLE001
        return {"text": t, "error": type(e).__name__}
    return {"text": t, "ms": None if d is None else int(d.timestamp() * 1000)}
out["parse_date"] = [_pd(t) for t in dates]

# msgspec MessagePack (Flask-Session's server-side format): encodings of random session values
import datetime as _dt2
import msgspec
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
from make_fixtures import to_typed  # noqa: E402

def _rand_value(depth=0):
    k = rng.randrange(11 if depth < 3 else 7)
    if k == 0:
        return rng.choice([0, 1, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**53 - 1, 2**63 - 1, 2**64 - 1,
                           -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63, rng.randint(-10**6, 10**6)])
    if k == 1:
        return rng.choice([0.5, -1.25, 1e-300, 1.7976931348623157e308, float("inf"), float("-inf"), rng.uniform(-1e9, 1e9)])
    if k == 2:
        return "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x7ff), rng.randint(0x800, 0xd7ff), rng.randint(0x10000, 0x10ffff)]))
                       for _ in range(rng.choice([0, 1, 5, 31, 32, 33, 255, 256, 300])))
    if k == 3:
        return rng.choice([None, True, False])
    if k == 4:
        return bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 255, 256, 300])))
    if k == 5:
        secs = rng.choice([0, 1700000000, 2**32 - 1, 2**32, 2**34 - 1, 2**34, -1, -2208988800, rng.randint(-62135596800, 253402300799)])
        return _dt2.datetime.fromtimestamp(secs, _dt2.timezone.utc) + _dt2.timedelta(microseconds=rng.choice([0, 0, 1000, 999000, 123000]))
    if k == 6:
        return "x" * rng.choice([0, 31, 32, 255, 256])
    if k in (7, 8):
        return [_rand_value(depth + 1) for _ in range(rng.choice([0, 1, 3, 15, 16, 17] if depth < 1 else [0, 1, 2]))]
    return {f"k{i}" + rng.choice(["", "é", "😀"]): _rand_value(depth + 1)
            for i in range(rng.choice([0, 1, 3, 15, 16, 17] if depth < 1 else [0, 1, 2]))}

mp = [{"value": to_typed(v), "hex": msgspec.msgpack.encode(v).hex()}
      for v in ({"s": "x" * 65535}, {"s": "x" * 65536})]
for _ in range(400):
    v = {"root": _rand_value()}
    mp.append({"value": to_typed(v), "hex": msgspec.msgpack.encode(v).hex()})
out["msgpack"] = mp

with open(sys.argv[1], "w") as f:
    json.dump(out, f, ensure_ascii=True, indent=0)
    f.write("\n")
print(f"wrote {sys.argv[1]}: {len(out['signer'])} signer, {len(out['serializer'])} serializer, "
      f"{len(out['base64_decode'])} base64, {len(out['float_repr'])} floats, {len(out['parse_cookie'])} cookie headers, "
      f"{len(out['parse_date'])} dates")
