/**
 * npm run bench [-- --short] [-- --rounds N] [-- --sessions N] [-- --ms N] [-- --only small,load]
 *
 * ops/s of loadSession, dumpSession and refreshSession (re-issuing an unmodified permanent session)
 * over thousands of DISTINCT sessions of three sizes (bench/payloads.ts: every cookie differs, as on
 * a site with many users), against Flask 3.1.3's own serializer (a Python worker timing
 * `get_signing_serializer(app).dumps/loads` over the same sessions inside an app context) and against
 * a minimal node:crypto + node:zlib + JSON pipeline (the native floor, bench/floor.ts). The three
 * are interleaved cell by cell in every round and the machine is shared, so ratios are the medians
 * of per-round ratios, not ratios of medians.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SessionData } from '../src/index.ts';
// The built package, as users run it (npm run bench builds it first).
const lib = (await import(
  new URL('../dist/index.js', import.meta.url).href
)) as typeof import('../src/index.ts');
const { dumpSession, loadSession, readSession, refreshSession } = lib;
import { toTyped } from '../test/_typed.ts';
import { findFlask } from '../test/interop/_python.ts';
import { floorDump, floorKey, floorLoad, floorSign } from './floor.ts';
import { sessions, SIZES, type Size } from './payloads.ts';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : NaN;
};
const short = args.includes('--short');
const rounds = arg('--rounds') || (short ? 1 : 7);
const N = arg('--sessions') || (short ? 1024 : 4096);
const sliceMs = arg('--ms') || (short ? 20 : 150);
/** `--only large,dump`: only the sizes and operations named (for profiling one cell). */
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : [];
const secret = 'bench-secret-key-0123456789abcdef';
const lifetime = 2678400;

type Op = 'load' | 'dump' | 'refresh';
const OPS = (['load', 'dump', 'refresh'] as Op[]).filter(
  (op) => !only.some((x) => ['load', 'dump', 'refresh'].includes(x)) || only.includes(op),
);
const SIZES_RUN = SIZES.filter(
  (p) => !only.some((x) => (SIZES as readonly string[]).includes(x)) || only.includes(p),
);
/** The targets: × Flask for every size; × floor per size (refresh: none, its target is Flask's dump). */
const VS_FLASK: Record<Op, number> = { load: 3, dump: 2, refresh: 10 };
const VS_FLOOR: Record<Op, Record<Size, number>> = {
  load: { small: 1, medium: 1, large: 1 },
  dump: { small: 1, medium: 1, large: 0.75 },
  refresh: { small: 0, medium: 0, large: 0 },
};
const MAX_BYTES = 16384;

// --- the Flask worker --------------------------------------------------------------------------
class FlaskWorker {
  private readonly proc;
  private readonly waiting: ((v: Record<string, unknown>) => void)[] = [];
  constructor(python: string) {
    this.proc = spawn(python, [new URL('flask_worker.py', import.meta.url).pathname], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    createInterface({ input: this.proc.stdout }).on('line', (l) =>
      this.waiting.shift()?.(JSON.parse(l)),
    );
  }
  call(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.proc.stdin.write(JSON.stringify(req) + '\n');
    });
  }
  close(): void {
    this.proc.stdin.end();
  }
}

// --- the sessions ------------------------------------------------------------------------------
const data = {} as Record<Size, SessionData[]>;
const headers = {} as Record<Size, string[]>;
const reads = {} as Record<Size, ReturnType<typeof readSession>[]>;
const key = floorKey(secret);
const floorHeaders = {} as Record<Size, string[]>;
const floorPayloads = {} as Record<Size, string[]>;
const jsonBytes = {} as Record<Size, number>;
for (const p of SIZES) {
  data[p] = sessions(p, N);
  headers[p] = data[p].map((d) => dumpSession(d, { secret }).split(';')[0]!);
  if (new Set(headers[p]).size !== N) throw new Error(`bench setup: ${p} sessions repeat`);
  reads[p] = headers[p].map((h) => readSession(h, secret));
  if (reads[p].some((r) => r.status !== 'valid')) throw new Error(`bench setup: ${p} did not load`);
  floorHeaders[p] = data[p].map((d) => floorDump(key, d).split(';')[0]!);
  floorPayloads[p] = floorHeaders[p].map((h) =>
    h.slice('session='.length).split('.').slice(0, -2).join('.'),
  );
  jsonBytes[p] = data[p].reduce((n, d) => n + JSON.stringify(d).length, 0) / N;
}

type Fn = (i: number) => unknown;
function ours(op: Op, p: Size): Fn {
  const d = data[p];
  const h = headers[p];
  const r = reads[p];
  if (op === 'dump') return (i) => dumpSession(d[i]!, { secret });
  if (op === 'load') return (i) => loadSession(h[i]!, secret);
  return (i) => refreshSession(r[i]!, { secret });
}
function floor(op: Op, p: Size): Fn {
  const d = data[p];
  const h = floorHeaders[p];
  const s = floorPayloads[p];
  if (op === 'dump') return (i) => floorDump(key, d[i]!);
  if (op === 'load') return (i) => floorLoad(key, h[i]!, lifetime);
  return (i) => floorSign(key, s[i]!);
}

/** Where each cell is in its list of sessions: every call takes the next one, round after round. */
const cursor = new Map<string, number>();

/** ops/s of fn over about sliceMs, each call on the next session. */
function measure(id: string, fn: Fn): number {
  let i = cursor.get(id) ?? 0;
  for (let k = 0; k < 50; k++, i = (i + 1) % N) fn(i);
  let n = 0;
  let batch = 16;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < sliceMs) {
    for (let k = 0; k < batch; k++, i = (i + 1) % N) fn(i);
    n += batch;
    batch = Math.min(batch * 2, 1024);
    t = performance.now();
  }
  cursor.set(id, i);
  return (n * 1000) / (t - t0);
}

/**
 * Bytes allocated per call (heap and ArrayBuffers): the heap growth over 500 calls on distinct
 * sessions right after a full GC, with a young generation large enough to hold them (npm run bench
 * sets 64 MB semi-spaces); the median of seven trials (a trial during which the GC still frees
 * memory reads low).
 */
function allocated(fn: Fn): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const n = 500;
  for (let i = 0; i < n; i++) fn(i);
  const trials: number[] = [];
  for (let trial = 0; trial < 7; trial++) {
    gc();
    const m0 = process.memoryUsage();
    for (let i = 0; i < n; i++) fn((trial * n + i) % N);
    const m1 = process.memoryUsage();
    trials.push((m1.heapUsed - m0.heapUsed + m1.arrayBuffers - m0.arrayBuffers) / n);
  }
  return Math.max(0, median(trials));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// --- run ---------------------------------------------------------------------------------------
const flask = findFlask('3.1');
const worker = flask ? new FlaskWorker(flask.python) : undefined;
if (worker) {
  await worker.call({
    op: 'setup',
    secret,
    sessions: Object.fromEntries(SIZES.map((p) => [p, data[p].map((d) => toTyped(d))])),
  });
}
const flaskN: Record<string, number> = {};
const flaskStart: Record<string, number> = {};
async function flaskOps(op: Op, p: Size): Promise<number> {
  // Flask re-serializes to refresh: its refresh is a dump
  const what = op === 'load' ? 'load' : 'dump';
  const id = `${what}/${p}`;
  let n = flaskN[id] ?? 64;
  for (;;) {
    const start = flaskStart[id] ?? 0;
    const r = await worker!.call({ op: 'run', what, size: p, start, n });
    flaskStart[id] = (start + n) % N;
    const s = r.seconds as number;
    if (s * 1000 >= sliceMs / 2 || n > 1e6) {
      flaskN[id] = Math.max(16, Math.round((n * sliceMs) / 1000 / s));
      return n / s;
    }
    n *= 4;
  }
}

interface Row {
  ours: number[];
  floor: number[];
  flask: number[];
  vsFlask: number[];
  vsFloor: number[];
}
const results: Record<string, Row> = {};
// a first pass untimed, so the first round is not the one that compiles
for (const p of SIZES_RUN)
  for (const op of OPS) {
    measure(`ours/${p}/${op}`, ours(op, p));
    measure(`floor/${p}/${op}`, floor(op, p));
  }
for (let r = 0; r < rounds; r++) {
  for (const p of SIZES_RUN) {
    for (const op of OPS) {
      const id = `${p}/${op}`;
      const row = (results[id] ??= { ours: [], floor: [], flask: [], vsFlask: [], vsFloor: [] });
      const o = measure(`ours/${id}`, ours(op, p));
      const f = measure(`floor/${id}`, floor(op, p));
      row.ours.push(o);
      row.floor.push(f);
      row.vsFloor.push(o / f);
      if (worker) {
        const py = await flaskOps(op, p);
        row.flask.push(py);
        row.vsFlask.push(o / py);
      }
    }
  }
}
worker?.close();

const fmt = (x: number) =>
  x >= 1e5
    ? `${Math.round(x / 1000)}k`
    : x >= 1e4
      ? `${(x / 1000).toFixed(1)}k`
      : `${Math.round(x)}`;
const lines: string[] = [];
lines.push(
  `| payload | op | ops/s | Flask 3.1.3 ops/s | × Flask (target) | floor ops/s | × floor (target) | bytes/op |`,
  `|---|---|---:|---:|---:|---:|---:|---:|`,
);
const missed: string[] = [];
let met = 0;
let total = 0;
for (const p of SIZES_RUN) {
  for (const op of OPS) {
    const row = results[`${p}/${op}`]!;
    const bytes = allocated(ours(op, p));
    const vsFlask = worker ? median(row.vsFlask) : NaN;
    const vsFloor = median(row.vsFloor);
    const floorTarget = VS_FLOOR[op][p];
    const checks: [string, boolean][] = [
      [`× Flask ≥ ${VS_FLASK[op]}`, !worker || vsFlask >= VS_FLASK[op]],
      [`× floor ≥ ${floorTarget}`, vsFloor >= floorTarget],
      [`≤ ${MAX_BYTES} bytes/op`, bytes <= MAX_BYTES],
    ];
    // what the native pipeline itself reaches against Flask on this cell: a ceiling for × Flask
    const floorVsFlask = worker ? median(row.floor.map((f, i) => f / row.flask[i]!)) : NaN;
    for (const [what, ok] of checks) {
      total++;
      if (ok) met++;
      else
        missed.push(
          `${p} ${op}: ${what}` +
            (what.startsWith('× Flask') ? ` (the floor: ${floorVsFlask.toFixed(2)}× Flask)` : ''),
        );
    }
    const mark = (ok: boolean) => (ok ? '' : ' ✗');
    lines.push(
      `| ${p} | ${op} | ${fmt(median(row.ours))} | ${worker ? fmt(median(row.flask)) : 'n/a'} | ` +
        `${worker ? vsFlask.toFixed(2) : 'n/a'} (≥${VS_FLASK[op]})${mark(checks[0]![1])} | ` +
        `${fmt(median(row.floor))} | ${vsFloor.toFixed(2)}${floorTarget ? ` (≥${floorTarget})` : ''}${mark(checks[1]![1])} | ` +
        `${Math.round(bytes).toLocaleString('en')}${mark(checks[2]![1])} |`,
    );
  }
}
console.log(
  `flask-session-cookie bench: ${N} distinct sessions per size ` +
    `(JSON ~${SIZES.map((p) => Math.round(jsonBytes[p])).join(' / ')} bytes), ` +
    `${rounds} interleaved round(s) of ${sliceMs} ms per cell; Node ${process.version}` +
    (flask ? `, Flask ${flask.version} (${flask.python})` : ', Flask not found: no Flask column') +
    '\n',
);
console.log(lines.join('\n'));
console.log(
  `\n${met}/${total} targets met` + (missed.length ? `; missed: ${missed.join(', ')}` : ''),
);
if (missed.length)
  console.log(
    'Where the time of a missed cell goes (its profile): README.md, section Performance.',
  );
