/**
 * npm run bench [-- --short] [-- --rounds N] [-- --markdown]
 *
 * ops/s of loadSession, dumpSession and refreshSession (re-issuing an unmodified permanent session)
 * on three payloads, against Flask 3.1.3's own serializer (a Python worker timing
 * `get_signing_serializer(app).dumps/loads` inside an app context) and against a minimal
 * node:crypto + node:zlib + JSON pipeline (the native floor). Rounds are interleaved and the machine
 * is shared, so ratios are the medians of per-round ratios, not ratios of absolute times.
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
import { payloads } from './payloads.ts';

const args = process.argv.slice(2);
const short = args.includes('--short');
const markdown = args.includes('--markdown');
const rounds = Number(args[args.indexOf('--rounds') + 1]) || (short ? 1 : 7);
const sliceMs = short ? 15 : 150;
const secret = 'bench-secret-key-0123456789abcdef';
const lifetime = 2678400;

type Op = 'load' | 'load (cold)' | 'dump' | 'dump (cold)' | 'refresh';
type Payload = keyof typeof payloads;
const OPS: Op[] = ['load', 'load (cold)', 'dump', 'dump (cold)', 'refresh'];
const PAYLOADS = Object.keys(payloads) as Payload[];
const TARGET: Record<Op, number> = {
  load: 3,
  'load (cold)': 0,
  dump: 2,
  'dump (cold)': 0,
  refresh: 10,
};
/** Rows that show the uncached cost, for information: no target applies to them. */
const COLD = new Set<Op>(['load (cold)', 'dump (cold)']);

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

// --- what is measured --------------------------------------------------------------------------
const headers = {} as Record<Payload, string>;
const reads = {} as Record<Payload, ReturnType<typeof readSession>>;
const key = floorKey(secret);
const floorHeaders = {} as Record<Payload, string>;
const floorPayloads = {} as Record<Payload, string>;
for (const p of PAYLOADS) {
  headers[p] = dumpSession(payloads[p], { secret }).split(';')[0]!;
  reads[p] = readSession(headers[p], secret);
  floorHeaders[p] = floorDump(key, payloads[p]).split(';')[0]!;
  floorPayloads[p] = floorHeaders[p].slice('session='.length).split('.').slice(0, -2).join('.');
  if (reads[p].status !== 'valid') throw new Error(`bench setup: ${p} did not load`);
}

function ours(op: Op, p: Payload): () => unknown {
  const data = payloads[p];
  const header = headers[p];
  const read = reads[p];
  if (op === 'dump') return () => dumpSession(data, { secret });
  if (op === 'dump (cold)') return () => dumpSession(data, { secret });
  if (op === 'load') return () => loadSession(header, secret);
  if (op === 'load (cold)') return () => loadSession(header, secret);
  return () => refreshSession(read, { secret });
}
function floor(op: Op, p: Payload): () => unknown {
  const data = payloads[p];
  if (op === 'dump' || op === 'dump (cold)') return () => floorDump(key, data);
  if (op === 'load' || op === 'load (cold)') return () => floorLoad(key, floorHeaders[p], lifetime);
  return () => floorSign(key, floorPayloads[p]);
}

/** ops/s of fn over about sliceMs. */
function measure(fn: () => unknown): number {
  for (let i = 0; i < 50; i++) fn();
  let n = 0;
  let batch = 16;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < sliceMs) {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    batch = Math.min(batch * 2, 4096);
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/**
 * Bytes allocated per call (heap and ArrayBuffers): the heap growth over 200 calls right after a
 * full GC, with a young generation large enough to hold them; the least of five trials.
 */
function allocated(fn: () => unknown): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 200; i++) fn();
  const n = 200;
  let least = Infinity;
  for (let trial = 0; trial < 5; trial++) {
    gc();
    const m0 = process.memoryUsage();
    for (let i = 0; i < n; i++) fn();
    const m1 = process.memoryUsage();
    least = Math.min(least, (m1.heapUsed - m0.heapUsed + m1.arrayBuffers - m0.arrayBuffers) / n);
  }
  return Math.max(0, least);
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
    payloads: Object.fromEntries(PAYLOADS.map((p) => [p, toTyped(payloads[p] as SessionData)])),
  });
}
const flaskN: Record<string, number> = {};
async function flaskOps(op: Op, p: Payload): Promise<number> {
  // Flask has no cache, and re-serializes to refresh: a refresh is a dump
  const what = op.startsWith('dump') || op === 'refresh' ? 'dump' : 'load';
  const id = `${what}/${p}`;
  let n = flaskN[id] ?? 64;
  for (;;) {
    const r = await worker!.call({ op: 'run', what, payload: p, n });
    const s = r.seconds as number;
    if (s * 1000 >= sliceMs / 2 || n > 1e6) {
      flaskN[id] = Math.max(16, Math.round((n * sliceMs) / 1000 / s));
      return n / s;
    }
    n *= 4;
  }
}

const results: Record<
  string,
  { ours: number[]; floor: number[]; flask: number[]; vsFlask: number[]; vsFloor: number[] }
> = {};
for (let r = 0; r < rounds; r++) {
  for (const p of PAYLOADS) {
    for (const op of OPS) {
      const id = `${p}/${op}`;
      const row = (results[id] ??= { ours: [], floor: [], flask: [], vsFlask: [], vsFloor: [] });
      const o = measure(ours(op, p));
      const f = measure(floor(op, p));
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
  `| payload | operation | ops/s | Flask 3.1.3 ops/s | × Flask (target) | floor ops/s | × floor | bytes/op |`,
  `|---|---|---:|---:|---:|---:|---:|---:|`,
);
let met = 0;
let total = 0;
for (const p of PAYLOADS) {
  for (const op of OPS) {
    const row = results[`${p}/${op}`]!;
    const bytes = allocated(ours(op, p));
    const vsFlask = worker ? median(row.vsFlask) : NaN;
    const vsFloor = median(row.vsFloor);
    const okFlask = !worker || vsFlask >= TARGET[op];
    const okFloor = op === 'refresh' || COLD.has(op) || vsFloor >= 1;
    const okBytes = op === 'refresh' || COLD.has(op) || bytes < 16384;
    if (!COLD.has(op)) {
      total++;
      if (okFlask && okFloor && okBytes) met++;
    }
    lines.push(
      `| ${p} | ${op} | ${fmt(median(row.ours))} | ${worker ? fmt(median(row.flask)) : 'n/a'} | ` +
        `${worker ? vsFlask.toFixed(1) : 'n/a'}${TARGET[op] ? ` (≥${TARGET[op]})` : ''}${okFlask ? '' : ' ✗'} | ${fmt(median(row.floor))} | ` +
        `${vsFloor.toFixed(2)}${okFloor ? '' : ' ✗'} | ${Math.round(bytes).toLocaleString('en')}${okBytes ? '' : ' ✗'} |`,
    );
  }
}
console.log(
  `flask-session-cookie bench: ${rounds} interleaved round(s) of ${sliceMs} ms per cell; Node ${process.version}` +
    (flask ? `, Flask ${flask.version} (${flask.python})` : ', Flask not found: no Flask column') +
    '\n',
);
console.log(lines.join('\n'));
console.log(
  `\n${met}/${total} rows meet every target (× Flask, × floor for load and dump, < 16 KiB per load or dump)`,
);
if (markdown) console.log('\n(markdown table above)');
