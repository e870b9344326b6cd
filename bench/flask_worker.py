"""Benchmark worker: Flask 3.1's own session serializer, timed inside Python.

Reads JSON lines from the bench (bench/bench.ts):
  {"op": "setup", "secret": str, "payloads": {name: TYPED}}  -> {"cookies": {name: value}}
  {"op": "run", "what": "dump"|"load", "payload": name, "n": int} -> {"seconds": float}
The serializer is `app.session_interface.get_signing_serializer(app)`, made once, used inside an
app context, as Flask uses it on every request.
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "interop"))

from flask import Flask  # noqa: E402

from flask_oracle import from_typed  # noqa: E402


def main():
    app = Flask(__name__)
    ctx = app.app_context()
    ctx.push()
    serializer = None
    data = {}
    values = {}
    max_age = int(app.permanent_session_lifetime.total_seconds())
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "setup":
            app.secret_key = req["secret"]
            serializer = app.session_interface.get_signing_serializer(app)
            data = {k: from_typed(v) for k, v in req["payloads"].items()}
            values = {k: serializer.dumps(v) for k, v in data.items()}
            res = {"cookies": values}
        elif req["op"] == "run":
            n = req["n"]
            if req["what"] == "dump":
                d = data[req["payload"]]
                dumps = serializer.dumps
                t = time.perf_counter()
                for _ in range(n):
                    dumps(dict(d))
                res = {"seconds": time.perf_counter() - t}
            else:
                v = values[req["payload"]]
                loads = serializer.loads
                t = time.perf_counter()
                for _ in range(n):
                    loads(v, max_age=max_age)
                res = {"seconds": time.perf_counter() - t}
        else:
            res = {"error": "unknown op"}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
