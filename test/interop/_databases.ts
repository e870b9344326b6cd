/**
 * Private database servers for the SQL and Memcached session tests: MariaDB (`mariadb-install-db`
 * + `mariadbd --no-defaults`), PostgreSQL (`initdb` + `postgres`, as the `postgres` user when run
 * as root) and `memcached`, each on a free loopback port with its data in a private temp dir,
 * stoppable and restartable (same port, same data), always killed (after() and process exit). Also
 * the Flask-Session app for these stores (flask_session_stores_app.py beside this file). Test helper.
 *
 * Locally a missing server or Python package skips the tests that need it (one line); in CI
 * (`CI=true`) it is a failure.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './_python.ts';
import { freePort } from './_redis.ts';
import {
  spawnUntilReady,
  startPythonApp,
  stopChild,
  STARTUP_TIMEOUT_MS,
  within,
  type Running,
} from './_servers.ts';

/** The first of `names` found in PATH or the usual system dirs. */
function findBin(...names: string[]): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(':').concat('/usr/sbin', '/usr/bin', '/sbin');
  for (const name of names)
    for (const d of dirs) if (d && existsSync(`${d}/${name}`)) return `${d}/${name}`;
  return undefined;
}

/** PostgreSQL's bin dir: `$PG_BINDIR`, else the newest /usr/lib/postgresql/N/bin. */
function postgresBinDir(): string | undefined {
  const env = process.env['PG_BINDIR'];
  if (env) return existsSync(`${env}/initdb`) ? env : undefined;
  if (!existsSync('/usr/lib/postgresql')) return undefined;
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? `/usr/lib/postgresql/${versions[0]}/bin` : undefined;
}

/** A value, or why the tests that need it are skipped; with CI=true the reason is an error. */
function orSkip<T extends object>(value: T | undefined, reason: string): T | { skip: string } {
  if (value) return value;
  if (process.env['CI'] === 'true') throw new Error(`CI=true and ${reason}: the tests cannot run`);
  return { skip: reason };
}

export const mariadbOrSkip = (): { install: string; server: string } | { skip: string } => {
  const install = findBin('mariadb-install-db', 'mysql_install_db');
  const server = findBin('mariadbd', 'mysqld');
  return orSkip(
    install && server ? { install, server } : undefined,
    'mariadb-install-db/mariadbd not found (apt-get install mariadb-server)',
  );
};
export const postgresOrSkip = (): { dir: string } | { skip: string } => {
  const dir = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const ok = dir && (!asRoot || (findBin('runuser') && findBin('setpriv') && uidOf('postgres')));
  return orSkip(
    ok ? { dir: dir! } : undefined,
    'PostgreSQL not found (apt-get install postgresql)',
  );
};
export const memcachedOrSkip = (): { bin: string } | { skip: string } => {
  const bin = findBin('memcached');
  return orSkip(bin ? { bin } : undefined, 'memcached not found (apt-get install memcached)');
};

function uidOf(user: string): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** A private server: its port, whether it runs, stop/start (same port and data). */
export interface DbServer {
  readonly port: number;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data dir. */
  destroy(): Promise<void>;
}

const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** Whether something answers on 127.0.0.1:port (a TCP connect). */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Runs `args` as a server child: started, tracked, its output kept; `ready()` polled until true.
 * `stopSignal`: the signal for a clean fast shutdown.
 */
function serverProcess(
  label: string,
  port: number,
  args: () => { cmd: string; argv: string[]; cwd: string },
  ready: () => Promise<boolean>,
  stopSignal: NodeJS.Signals,
  dir: string,
): DbServer {
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    if (child) throw new Error(`${label} is already running`);
    const { cmd, argv, cwd } = args();
    child = await spawnUntilReady(`${label} on port ${port}`, cmd, argv, {
      cwd,
      timeoutMs: 2 * STARTUP_TIMEOUT_MS,
      pollMs: 50,
      ready: async () => (await connects(port)) && (await ready()),
    });
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c) return;
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill(stopSignal);
      await within(8000, exited, () => undefined);
    }
    await stopChild(c); // SIGKILL if it is still there
  };
  return {
    port,
    get running() {
      return child !== undefined;
    },
    start,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
}

/**
 * A private MariaDB: `mariadb-install-db` into a temp dir, `mariadbd --no-defaults` on a free
 * loopback port, root without a password, and a database `flask` created.
 * @param ping - connects and runs `SELECT 1` (the test's mysql2), to know it is ready
 */
export async function startMariadb(
  bins: { install: string; server: string },
  ping: (port: number) => Promise<boolean>,
): Promise<DbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fsc-mariadb-'));
  tempDirs.add(dir);
  const r = spawnSync(
    bins.install,
    [
      '--no-defaults',
      `--datadir=${dir}/data`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`mariadb-install-db failed\n${r.stdout}\n${r.stderr}`);
  const port = await freePort();
  const server = serverProcess(
    'mariadbd',
    port,
    () => ({
      cmd: bins.server,
      argv: [
        '--no-defaults',
        `--datadir=${dir}/data`,
        `--socket=${dir}/mysqld.sock`,
        `--pid-file=${dir}/mysqld.pid`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=16M',
        '--innodb-flush-log-at-trx-commit=0',
        '--character-set-server=utf8mb4',
        '--max-connections=200',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ],
      cwd: dir,
    }),
    () => ping(port),
    'SIGTERM',
    dir,
  );
  await server.start();
  return server;
}

/**
 * A private PostgreSQL: `initdb` (trust auth, user `postgres`) into a temp dir and `postgres` on a
 * free loopback port, its socket in the temp dir. As root both run as the `postgres` user (initdb
 * refuses root): initdb through `runuser -u postgres --`, the server through `setpriv`, which
 * execs it, so that the process the tests track (and kill) is the postmaster itself.
 */
export async function startPostgres(
  bins: { dir: string },
  ping: (port: number) => Promise<boolean>,
): Promise<DbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fsc-postgres-'));
  tempDirs.add(dir);
  const pgUser = process.getuid?.() === 0 ? uidOf('postgres') : undefined;
  if (pgUser) chownSync(dir, pgUser.uid, pgUser.gid);
  const initdb = [
    `${bins.dir}/initdb`,
    '-D',
    `${dir}/data`,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
  ];
  const r = pgUser
    ? spawnSync('runuser', ['-u', 'postgres', '--', ...initdb], {
        encoding: 'utf8',
        cwd: dir,
        timeout: 60_000,
      })
    : spawnSync(initdb[0]!, initdb.slice(1), { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`initdb failed\n${r.stdout}\n${r.stderr}`);
  const port = await freePort();
  const server = serverProcess(
    'postgres',
    port,
    () => {
      const argv = [
        `${bins.dir}/postgres`,
        '-D',
        `${dir}/data`,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=100',
        '-c',
        'shared_buffers=32MB',
      ];
      return pgUser
        ? {
            cmd: 'setpriv',
            argv: [
              `--reuid=${pgUser.uid}`,
              `--regid=${pgUser.gid}`,
              '--clear-groups',
              '--',
              ...argv,
            ],
            cwd: dir,
          }
        : { cmd: argv[0]!, argv: argv.slice(1), cwd: dir };
    },
    () => ping(port),
    'SIGINT', // fast shutdown: SIGTERM would wait for the clients to disconnect
    dir,
  );
  await server.start();
  return server;
}

/** A private memcached (`-U 0`: no UDP), 64 MB. */
export async function startMemcached(bins: { bin: string }): Promise<DbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fsc-memcached-'));
  tempDirs.add(dir);
  const port = await freePort();
  const version = () =>
    new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' });
      s.once('error', () => resolve(false));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('VERSION'));
      });
      s.write('version\r\n');
    });
  const server = serverProcess(
    'memcached',
    port,
    () => ({
      cmd: bins.bin,
      argv: [
        '-l',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        '0',
        '-m',
        '64',
        ...(process.getuid?.() === 0 ? ['-u', 'root'] : []),
      ],
      cwd: dir,
    }),
    version,
    'SIGTERM',
    dir,
  );
  await server.start();
  return server;
}

export const STORES_APP: string = REPO_ROOT + 'test/interop/flask_session_stores_app.py';

/** The Python with Flask-Session's Memcached deps: `$MEMCACHED_PYTHON`, else `.venv-memcached`. */
export const MEMCACHED_PYTHON: string =
  process.env['MEMCACHED_PYTHON'] || REPO_ROOT + '.venv-memcached/bin/python';

/**
 * Whether `python` imports `modules` with Flask-Session 0.8, or why not (a failure with CI=true).
 */
export function pythonOrSkip(
  python: string,
  modules: string[],
): { python: string } | { skip: string } {
  const r = spawnSync(
    python,
    [
      '-c',
      `import flask_session, ${modules.join(', ')}, importlib.metadata as m; print(m.version('flask-session'))`,
    ],
    { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ok = r.status === 0 && r.stdout.trim().startsWith('0.8');
  return orSkip(
    ok ? { python } : undefined,
    `${python} cannot import Flask-Session 0.8 with ${modules.join(', ')} (run bash scripts/setup-python.sh)`,
  );
}

/** Flask-Session config for flask_session_stores_app.py, as environment variables. */
export type StoresAppEnv = Record<string, string | number | undefined>;

const APP_KEYS = [
  'SESSION_TYPE',
  'SQLALCHEMY_DATABASE_URI',
  'SESSION_SQLALCHEMY_TABLE',
  'SESSION_SQLALCHEMY_SCHEMA',
  'SESSION_SQLALCHEMY_SEQUENCE',
  'SESSION_CLEANUP_N_REQUESTS',
  'MEMCACHED_SERVER',
  'PERMANENT_SESSION_LIFETIME',
  'SESSION_SERIALIZATION_FORMAT',
  'SESSION_KEY_PREFIX',
  'DDL_CASES',
];

function appEnv(config: StoresAppEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  for (const k of APP_KEYS) delete env[k];
  for (const [k, v] of Object.entries(config)) if (v !== undefined) env[k] = String(v);
  return env;
}

/** Starts flask_session_stores_app.py with this config. */
export function startStoresApp(
  python: string,
  config: StoresAppEnv,
): Promise<Running & { stderr: () => string }> {
  return startPythonApp(python, STORES_APP, appEnv(config), 'Flask-Session app');
}

/** Runs flask_session_stores_app.py in a one-shot mode (`--ddl`, `--cleanup`): stdout. */
export function runStoresApp(python: string, mode: string, config: StoresAppEnv): string {
  const r = spawnSync(python, [STORES_APP, mode], {
    env: appEnv(config),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`${STORES_APP} ${mode} failed (${r.status})\n${r.stderr}`);
  return r.stdout;
}
