/**
 * A private Redis for the server-side session tests: `redis-server` on a free loopback port, no
 * persistence, stoppable and restartable on the same port, always killed (after() and process
 * exit). Also a minimal RESP client (one command per connection) to look at the raw stored bytes,
 * and the Flask-Session app (examples/flask_session_app.py) as a child process. Test helper.
 *
 * Locally a missing `redis-server` (or Flask-Session) skips the tests that need it; in CI
 * (`CI=true`) it is a failure.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { REPO_ROOT, type FlaskPython } from './_python.ts';
import {
  spawnUntilReady,
  startPythonApp,
  stopChild,
  STARTUP_TIMEOUT_MS,
  within,
  type Running,
} from './_servers.ts';

/** `redis-server`: `$REDIS_SERVER`, else the first on PATH, else /usr/bin/redis-server. */
function redisServerPath(): string | undefined {
  const env = process.env['REDIS_SERVER'];
  if (env) return existsSync(env) ? env : undefined;
  for (const dir of (process.env['PATH'] ?? '').split(':').concat('/usr/bin', '/usr/local/bin')) {
    if (dir && existsSync(`${dir}/redis-server`)) return `${dir}/redis-server`;
  }
  return undefined;
}

/**
 * The `redis-server` binary, or why the tests that need it are skipped.
 * @throws {@link Error} when it is missing and `CI=true`
 */
export function redisOrSkip(): { bin: string } | { skip: string } {
  const bin = redisServerPath();
  if (bin) return { bin };
  const reason = 'redis-server not found (apt-get install redis-server, or set REDIS_SERVER)';
  if (process.env['CI'] === 'true')
    throw new Error(`CI=true and ${reason}: the server-side session interop tests cannot run`);
  return { skip: reason };
}

/**
 * Whether this Python imports Flask-Session 0.8 (and redis, msgspec), or why not.
 * @throws {@link Error} when it does not and `CI=true`
 */
export function flaskSessionOrSkip(flask: FlaskPython): { version: string } | { skip: string } {
  const r = spawnSync(
    flask.python,
    [
      '-c',
      "import flask_session, redis, msgspec, importlib.metadata as m; print(m.version('flask-session'))",
    ],
    { encoding: 'utf8', timeout: 15000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const version = r.status === 0 ? r.stdout.trim() : '';
  if (version.startsWith('0.8')) return { version };
  const reason = version
    ? `${flask.python} has Flask-Session ${version}, not 0.8`
    : `Flask-Session 0.8 (with redis and msgspec) not importable by ${flask.python} (run bash scripts/setup-python.sh)`;
  if (process.env['CI'] === 'true')
    throw new Error(`CI=true and ${reason}: the server-side session interop tests cannot run`);
  return { skip: reason };
}

/** A free TCP port on 127.0.0.1 (free when asked; Redis binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A RESP reply: simple string, error (as an Error), integer, bulk (bytes), array, or null. */
export type Reply = string | number | Buffer | null | Error | Reply[];

/**
 * Sends one command on a new connection and returns the reply (bulk strings as raw bytes).
 * @throws {@link Error} when the connection fails or no full reply comes within `timeoutMs`
 */
export async function redisCommand(
  port: number,
  args: (string | Buffer)[],
  timeoutMs = 2000,
): Promise<Reply> {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  const socket = createConnection({ port, host: '127.0.0.1' });
  try {
    return await within(
      timeoutMs,
      new Promise<Reply>((resolve, reject) => {
        let buf = Buffer.alloc(0);
        socket.on('error', reject);
        socket.on('close', () => reject(new Error('Redis closed the connection')));
        socket.on('data', (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          const r = parseReply(buf, 0);
          if (r) resolve(r.value);
        });
        socket.write(Buffer.concat(parts));
      }),
      () => {
        throw new Error(`no reply from Redis on port ${port} within ${timeoutMs} ms`);
      },
    );
  } finally {
    socket.destroy();
  }
}

/** One reply from `buf` at `p`, or undefined when incomplete. */
function parseReply(buf: Buffer, p: number): { value: Reply; end: number } | undefined {
  const eol = buf.indexOf('\r\n', p);
  if (eol < 0) return undefined;
  const line = buf.toString('latin1', p + 1, eol);
  switch (buf[p]) {
    case 0x2b: // +
      return { value: line, end: eol + 2 };
    case 0x2d: // -
      return { value: new Error(line), end: eol + 2 };
    case 0x3a: // :
      return { value: Number(line), end: eol + 2 };
    case 0x24: {
      // $
      const len = Number(line);
      if (len < 0) return { value: null, end: eol + 2 };
      if (buf.length < eol + 2 + len + 2) return undefined;
      return { value: buf.subarray(eol + 2, eol + 2 + len), end: eol + 2 + len + 2 };
    }
    case 0x2a: {
      // *
      const n = Number(line);
      if (n < 0) return { value: null, end: eol + 2 };
      const items: Reply[] = [];
      let q = eol + 2;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, q);
        if (!r) return undefined;
        items.push(r.value);
        q = r.end;
      }
      return { value: items, end: q };
    }
    default:
      throw new Error(`unexpected RESP reply: ${JSON.stringify(buf.toString('latin1', p, eol))}`);
  }
}

/** A private redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Whether it is running. */
  readonly running: boolean;
  /** Sends one command (see {@link redisCommand}). */
  command(...args: (string | Buffer)[]): Promise<Reply>;
  /** The raw bytes stored at `key`, or null. */
  getBytes(key: string): Promise<Buffer | null>;
  /** Stops it (SIGTERM, then SIGKILL); the data is gone (no persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
}

/** Starts a private redis-server on a free loopback port and waits for PONG. */
export async function startRedis(
  bin: string,
  options: { args?: string[]; cwd?: string } = {},
): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child) throw new Error('redis-server is already running');
    child = await spawnUntilReady(
      `redis-server on port ${port}`,
      bin,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--protected-mode',
        'yes',
        ...(options.args ?? []),
      ],
      {
        cwd: options.cwd ?? '/tmp',
        timeoutMs: STARTUP_TIMEOUT_MS,
        pollMs: 25,
        ready: async () => (await redisCommand(port, ['PING'], 500)) === 'PONG',
      },
    );
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c) await stopChild(c);
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined;
    },
    command: (...args) => redisCommand(port, args),
    getBytes: async (key) => {
      const r = await redisCommand(port, ['GET', key]);
      if (r === null || Buffer.isBuffer(r)) return r;
      throw new Error(`GET ${key}: unexpected reply ${String(r)}`);
    },
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

/** The Flask-Session config a test app runs with (see examples/flask_session_app.py). */
export interface FlaskSessionConfig {
  secret: string;
  redisUrl: string;
  useSigner?: boolean | undefined;
  permanent?: boolean | undefined;
  /** PERMANENT_SESSION_LIFETIME, seconds. */
  permanentLifetime?: number | undefined;
  serializationFormat?: 'msgpack' | 'json' | undefined;
  keyPrefix?: string | undefined;
}

const FLASK_SESSION_APP = REPO_ROOT + 'examples/flask_session_app.py';

/** Starts examples/flask_session_app.py with this config; `stop` kills it. */
export async function startFlaskSessionApp(
  flask: FlaskPython,
  config: FlaskSessionConfig,
): Promise<Running & { stderr: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of [
    'SESSION_USE_SIGNER',
    'SESSION_PERMANENT',
    'PERMANENT_SESSION_LIFETIME',
    'SESSION_SERIALIZATION_FORMAT',
    'SESSION_KEY_PREFIX',
    'REDIS_HOST',
    'REDIS_PORT',
  ])
    delete env[k];
  env['SECRET_KEY'] = config.secret;
  env['REDIS_URL'] = config.redisUrl;
  if (config.useSigner) env['SESSION_USE_SIGNER'] = '1';
  if (config.permanent === false) env['SESSION_PERMANENT'] = '0';
  if (config.permanentLifetime !== undefined)
    env['PERMANENT_SESSION_LIFETIME'] = String(config.permanentLifetime);
  if (config.serializationFormat) env['SESSION_SERIALIZATION_FORMAT'] = config.serializationFormat;
  if (config.keyPrefix !== undefined) env['SESSION_KEY_PREFIX'] = config.keyPrefix;

  return startPythonApp(flask.python, FLASK_SESSION_APP, env, 'Flask-Session app');
}
