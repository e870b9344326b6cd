/**
 * Real servers for the interop and adapter tests: the Flask app (examples/flask_app.py) as a child
 * process, and any Node request handler on loopback; both always stopped. Test helper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REPO_ROOT, type FlaskPython } from './_python.ts';

const FLASK_APP = REPO_ROOT + 'examples/flask_app.py';
export const STARTUP_TIMEOUT_MS = 10_000;

/** The Flask config a test app runs with. */
export interface FlaskAppConfig {
  secret: string;
  /** SECRET_KEY_FALLBACKS, oldest first (Flask 3.1 only). */
  fallbacks?: string[] | undefined;
  /** PERMANENT_SESSION_LIFETIME, seconds. */
  permanentLifetime?: number | undefined;
}

/** Every child process the helpers started and have not stopped yet. */
const children = new Set<ChildProcess>();
const killAll = () => {
  for (const c of children) c.kill('SIGKILL');
};
// Last resort if the runner exits before the after() hooks could run: on exit, and on the signals
// that would otherwise end the process without 'exit' (Ctrl-C, the runner stopping this file).
process.on('exit', killAll);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(code);
  });
}

/** Registers a child so that it is killed if the test process ends before stopping it. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
}

/** Forgets a child that has already exited on its own. */
export function forgetChild(child: ChildProcess): void {
  children.delete(child);
}

/** `promise`, or `onTimeout()` after `ms`; the timer never outlives the race. */
export async function within<T>(ms: number, promise: Promise<T>, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (e) {
        reject(e);
      }
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops a child (SIGTERM, then SIGKILL after 3 s) and forgets it. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit').then(() => true);
    child.kill('SIGTERM');
    if (!(await within(3000, exited, () => false))) {
      child.kill('SIGKILL');
      await within(2000, exited, () => false);
    }
  }
  forgetChild(child);
}

/**
 * Starts `cmd` as a tracked child that keeps the tail of its output, and polls `ready()` until it
 * says yes. The child is forgotten if it exits first, and stopped if it is not ready in time; both
 * are errors that carry its output.
 */
export async function spawnUntilReady(
  label: string,
  cmd: string,
  argv: string[],
  options: { cwd: string; ready: () => Promise<boolean>; timeoutMs: number; pollMs: number },
): Promise<ChildProcess> {
  const c = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
  trackChild(c);
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  };
  c.stdout!.on('data', keep);
  c.stderr!.on('data', keep);
  let exited = false;
  c.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (exited) {
      forgetChild(c);
      throw new Error(`${label} exited before it was ready\n${log}`);
    }
    if (await options.ready().catch(() => false)) return c;
    if (Date.now() > deadline) {
      await stopChild(c);
      throw new Error(`${label} was not ready within ${options.timeoutMs} ms\n${log}`);
    }
    await new Promise((r) => setTimeout(r, options.pollMs));
  }
}

/** A running server: its base URL and how to stop it. */
export interface Running {
  url: string;
  stop: () => Promise<void>;
}

/** Starts the Flask app with this config. */
export async function startFlaskApp(flask: FlaskPython, config: FlaskAppConfig): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, SECRET_KEY: config.secret };
  delete env['SECRET_KEY_FALLBACKS'];
  delete env['PERMANENT_SESSION_LIFETIME'];
  if (config.fallbacks?.length) env['SECRET_KEY_FALLBACKS'] = config.fallbacks.join(',');
  if (config.permanentLifetime !== undefined)
    env['PERMANENT_SESSION_LIFETIME'] = String(config.permanentLifetime);
  return startPythonApp(flask.python, FLASK_APP, env, 'Flask');
}

/**
 * Starts a Python web app of examples/ that prints `LISTENING <port>` once bound (port 0, loopback).
 * @returns its URL, how to stop it, and the tail of its stderr (Werkzeug's log, tracebacks)
 */
export async function startPythonApp(
  python: string,
  script: string,
  env: NodeJS.ProcessEnv,
  label: string,
): Promise<Running & { stderr: () => string }> {
  const child = spawn(python, [script, '--port', '0', '--host', '127.0.0.1'], {
    env: { ...env, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  const stop = (): Promise<void> => stopChild(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-6000);
  });
  let stdout = '';
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `${label} did not print "LISTENING <port>" within ${STARTUP_TIMEOUT_MS} ms\n${stderr}`,
          ),
        );
      }, STARTUP_TIMEOUT_MS);
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /^LISTENING (\d+)$/m.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${label} exited (${code ?? signal}) before listening\n${stderr}`));
      });
    });
    return { url: `http://127.0.0.1:${port}`, stop, stderr: () => stderr };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * A Node request handler for a fetch handler (Hono, the Web adapter): GET requests, every
 * Set-Cookie kept apart; an exception becomes a 500 that names it.
 */
export function fetchServer(handler: (r: Request) => Response | Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) for (const x of Array.isArray(v) ? v : [v]) headers.append(k, x);
    let response: Response;
    try {
      response = await handler(new Request(`http://127.0.0.1${req.url}`, { headers }));
    } catch (e) {
      response = new Response(`${(e as Error).name}: ${(e as Error).message}\n`, { status: 500 });
    }
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((v, k) => {
      if (k !== 'set-cookie') out[k] = v;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) out['set-cookie'] = cookies;
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

/** Serves a Node request handler on 127.0.0.1 (a free port). */
export async function startNodeServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Running> {
  const server = createServer(handler);
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await within(
      3000,
      new Promise<void>((resolve) => server.close(() => resolve())),
      () => undefined,
    );
  };
  server.listen(0, '127.0.0.1');
  await within(STARTUP_TIMEOUT_MS, once(server, 'listening'), () => {
    throw new Error(`Node server did not listen within ${STARTUP_TIMEOUT_MS} ms`);
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop };
}
