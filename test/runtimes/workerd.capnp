# workerd config for the runtime matrix (test/runtimes.test.ts). The driver copies it beside the
# esbuild bundle of entry-workerd.ts (worker.js) and the fixtures (flask-3.1.json), and sets the
# listening address with --socket-addr http=127.0.0.1:PORT.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .matrixWorker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const matrixWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  bindings = [(name = "FIXTURES", json = embed "flask-3.1.json")],
  compatibilityDate = "2026-11-01",
);
