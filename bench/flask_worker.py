"""Benchmark worker: Flask 3.1's own session serializer, timed inside Python.

Reads JSON lines from the bench (bench/bench.ts):
  {"op": "setup", "secret": str, "sessions": {size: [TYPED, ...]}} -> {"ok": true}
  {"op": "run", "what": "dump"|"load", "size": name, "start": int, "n": int} -> {"seconds": float}
A run dumps (or loads the cookies of) n distinct sessions of one size, from index `start` on,
cycling through the list, as a site with many users sees them. The serializer is
`app.session_interface.get_signing_serializer(app)`, made once, used inside an app context, as
Flask uses it on every request.
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
            data = {k: [from_typed(s) for s in v] for k, v in req["sessions"].items()}
            values = {k: [serializer.dumps(s) for s in v] for k, v in data.items()}
            res = {"ok": True}
        elif req["op"] == "run":
            n = req["n"]
            start = req["start"]
            items = data[req["size"]] if req["what"] == "dump" else values[req["size"]]
            m = len(items)
            # the sessions this run goes through, picked before the clock starts
            batch = [items[(start + i) % m] for i in range(n)]
            if req["what"] == "dump":
                dumps = serializer.dumps
                t = time.perf_counter()
                for d in batch:
                    dumps(dict(d))
                res = {"seconds": time.perf_counter() - t}
            else:
                loads = serializer.loads
                t = time.perf_counter()
                for v in batch:
                    loads(v, max_age=max_age)
                res = {"seconds": time.perf_counter() - t}
        else:
            res = {"error": "unknown op"}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
