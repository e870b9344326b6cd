/**
 * Server-side sessions in MariaDB and PostgreSQL, shared with Flask-Session 0.8's SQLAlchemy
 * backend (real Flask-SQLAlchemy with PyMySQL / psycopg, test/interop/flask_session_stores_app.py),
 * through the Express and Web adapters with `mysqlStore` (mysql2) and `postgresStore` (pg): the DDL
 * against SQLAlchemy's echo, tables made by either side, typed values both ways, the stored bytes
 * and expiry, expired rows, cleanup, regenerate, the database down and back, bad ids, and 8
 * concurrent clients x 200 requests.
 *
 * Each database is private (temp data dir, free loopback port) and stopped after. Locally a
 * missing server or Python package skips (one line); with CI=true it fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { mysqlStore } from '../../src/adapters/mysql.ts';
import { postgresStore } from '../../src/adapters/postgres.ts';
import {
  quoteIdentifier,
  sqlStatements,
  utcDatetime,
  type SqlAlchemyStore,
  type SqlDialect,
  type SqlTableOptions,
} from '../../src/flask-session/sqlalchemy.ts';
import { msgpackDecode } from '../../src/flask-session/msgpack.ts';
import {
  MemoryStore,
  serverSideOptionsFromFlaskConfig,
  ServerSideSessionInterface,
  SessionStoreError,
  type ServerSideOptions,
} from '../../src/index.ts';
import { REPO_ROOT } from '../interop/_python.ts';
import type { Running } from '../interop/_servers.ts';
import {
  mariadbOrSkip,
  postgresOrSkip,
  pythonOrSkip,
  runStoresApp,
  startMariadb,
  startPostgres,
  startStoresApp,
  type DbServer,
  type StoresAppEnv,
} from '../interop/_databases.ts';
import { get, onlyCookie, sidOf, startNode, type Kind } from '../interop/_stores_app.ts';

const SECRET = 'sql-interop-secret-0123456789';
const python = REPO_ROOT + '.venv/bin/python';

test('utcDatetime: naive UTC with microseconds, as datetime.utcnow() is sent', () => {
  assert.equal(utcDatetime(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02 03:04:05.678000');
  assert.equal(utcDatetime(Date.UTC(1999, 11, 31, 23, 59, 59)), '1999-12-31 23:59:59.000000');
  assert.throws(() => utcDatetime(NaN), RangeError);
});

test('identifiers: a NUL or empty name is refused; the quote character is doubled', () => {
  assert.throws(() => sqlStatements('postgresql', { table: '' }), TypeError);
  assert.throws(() => sqlStatements('mysql', { table: 'a\0b' }), TypeError);
  assert.equal(quoteIdentifier('mysql', 'a`b'), '`a``b`');
  assert.equal(quoteIdentifier('postgresql', 'a"b; DROP TABLE x'), '"a""b; DROP TABLE x"');
  assert.equal(quoteIdentifier('postgresql', '1abc'), '"1abc"');
  assert.equal(quoteIdentifier('mariadb', 'sessions'), 'sessions');
});

test('serverSideOptionsFromFlaskConfig: Flask-Session keys to options, bad values refused', () => {
  assert.deepEqual(
    serverSideOptionsFromFlaskConfig({
      SECRET_KEY: 'k',
      SESSION_TYPE: 'SQLAlchemy',
      SESSION_KEY_PREFIX: 'app:',
      SESSION_USE_SIGNER: true,
      SESSION_PERMANENT: false,
      SESSION_ID_LENGTH: 16,
      SESSION_SERIALIZATION_FORMAT: 'json',
      SESSION_CLEANUP_N_REQUESTS: 100,
      SESSION_SQLALCHEMY_TABLE: 'web_sessions',
      SESSION_SQLALCHEMY_SCHEMA: 'web',
      SESSION_SQLALCHEMY_SEQUENCE: 'web_seq',
      PERMANENT_SESSION_LIFETIME: 3600,
      SESSION_COOKIE_NAME: 'sid',
    }),
    {
      type: 'sqlalchemy',
      path: '/',
      secret: 'k',
      cookieName: 'sid',
      permanentLifetime: 3600,
      keyPrefix: 'app:',
      useSigner: true,
      permanent: false,
      sidLength: 16,
      serializationFormat: 'json',
      cleanupNRequests: 100,
      table: 'web_sessions',
      schema: 'web',
      sequence: 'web_seq',
    },
  );
  // Flask-Session's defaults: nothing set, SESSION_TYPE 'null', no cleanup
  assert.deepEqual(serverSideOptionsFromFlaskConfig({}), { type: 'null', path: '/' });
  assert.throws(() => serverSideOptionsFromFlaskConfig({ SESSION_USE_SIGNER: 'yes' }), TypeError);
  assert.throws(() => serverSideOptionsFromFlaskConfig({ SESSION_ID_LENGTH: 1.5 }), TypeError);
  assert.throws(
    () => serverSideOptionsFromFlaskConfig({ SESSION_SERIALIZATION_FORMAT: 'pickle' }),
    TypeError,
  );
});

test('cleanupNRequests: deleteExpired on about one request in N+1; a failure as onStoreError says', async () => {
  class Counting extends MemoryStore {
    calls = 0;
    fail = false;
    async deleteExpired(): Promise<number> {
      this.calls++;
      if (this.fail) throw new Error('down');
      return 0;
    }
  }
  const store = new Counting();
  const never = new ServerSideSessionInterface({ store });
  for (let i = 0; i < 50; i++) await never.open(undefined);
  assert.equal(store.calls, 0, 'no cleanup without cleanupNRequests');
  const half = new ServerSideSessionInterface({ store, cleanupNRequests: 1 });
  for (let i = 0; i < 400; i++) await half.open(undefined);
  assert.ok(
    store.calls > 140 && store.calls < 260,
    `randint(0, 1) == 0 on ~200 of 400: ${store.calls}`,
  );
  store.fail = true;
  const ten = new ServerSideSessionInterface({ store, cleanupNRequests: 10 });
  let thrown = 0;
  for (let i = 0; i < 200; i++)
    await ten.open(undefined).catch((e) => (thrown += Number(e instanceof SessionStoreError)));
  assert.ok(thrown > 5 && thrown < 40, `about 1 in 11 fail: ${thrown}`);
  const empty = new ServerSideSessionInterface({
    store,
    cleanupNRequests: 1,
    onStoreError: 'empty',
  });
  for (let i = 0; i < 20; i++) assert.equal((await empty.open(undefined)).isNew, true);
});

interface Db {
  dialect: SqlDialect;
  label: string;
  orSkip: () => object;
  pyModule: string;
  start(): Promise<DbServer>;
  uri(port: number): string;
  /** An inspection client: `?` placeholders on both. */
  connect(port: number): Promise<{
    query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
    end(): Promise<void>;
  }>;
  store(
    port: number,
    options: SqlTableOptions & { cleanup?: boolean },
  ): {
    store: SqlAlchemyStore;
    end(): Promise<void>;
  };
  /** A store whose statements give up after about a second (statement/lock timeout). */
  timeoutStore(port: number): { store: SqlAlchemyStore; end(): Promise<void> };
  /** Locks the `sessions` table on a connection of its own until `release()`. */
  lock(port: number): Promise<{ release(): Promise<void> }>;
  /** The table's definition, names masked, to compare tables made by Flask and by Node. */
  catalog: string;
  /** Microseconds since the epoch of `expiry`. */
  expiryUs: string;
}

const mysqlPing = async (port: number) => {
  const c = await mysql.createConnection({
    host: '127.0.0.1',
    port,
    user: 'root',
    connectTimeout: 1000,
  });
  await c.query('SELECT 1');
  await c.end();
  return true;
};
const pgPing = async (port: number) => {
  const c = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 1000,
  });
  await c.connect();
  await c.query('SELECT 1');
  await c.end();
  return true;
};

const DBS: Db[] = [
  {
    dialect: 'mariadb',
    label: 'MariaDB (mysql2, PyMySQL)',
    orSkip: mariadbOrSkip,
    pyModule: 'pymysql',
    start: () =>
      startMariadb(mariadbOrSkip() as { install: string; server: string }, (p) => mysqlPing(p)),
    uri: (port) => `mysql+pymysql://root@127.0.0.1:${port}/flask`,
    async connect(port) {
      const pool = mysql.createPool({
        host: '127.0.0.1',
        port,
        user: 'root',
        database: 'flask',
        connectionLimit: 2,
      });
      return {
        query: async (sql, params = []) =>
          (await pool.query(sql, params))[0] as Record<string, unknown>[],
        end: () => pool.end(),
      };
    },
    store(port, options) {
      const pool = mysql.createPool({
        host: '127.0.0.1',
        port,
        user: 'root',
        database: 'flask',
        connectionLimit: 8,
        connectTimeout: 1000,
      });
      return { store: mysqlStore(pool, options), end: () => pool.end() };
    },
    timeoutStore(port) {
      const pool = mysql.createPool({ host: '127.0.0.1', port, user: 'root', database: 'flask' });
      // runs before any other statement on the connection (mysql2 queues them in order)
      pool.on('connection', (c) => void c.query('SET SESSION lock_wait_timeout = 1'));
      return { store: mysqlStore(pool, { createTable: false }), end: () => pool.end() };
    },
    async lock(port) {
      const c = await mysql.createConnection({
        host: '127.0.0.1',
        port,
        user: 'root',
        database: 'flask',
      });
      await c.query('LOCK TABLES sessions WRITE');
      return {
        release: async () => {
          await c.query('UNLOCK TABLES');
          await c.end();
        },
      };
    },
    catalog:
      'SELECT column_name, column_type, is_nullable, column_default, extra, column_key FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
    expiryUs: "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', expiry)",
  },
  {
    dialect: 'postgresql',
    label: 'PostgreSQL (pg, psycopg)',
    orSkip: postgresOrSkip,
    pyModule: 'psycopg',
    start: () => startPostgres(postgresOrSkip() as { dir: string }, pgPing),
    uri: (port) => `postgresql+psycopg://postgres@127.0.0.1:${port}/postgres`,
    async connect(port) {
      const pool = new pg.Pool({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database: 'postgres',
        max: 2,
      });
      pool.on('error', () => {});
      return {
        query: async (sql, params = []) => {
          let n = 0;
          return (
            await pool.query(
              sql.replace(/\?/g, () => `$${++n}`),
              params,
            )
          ).rows;
        },
        end: () => pool.end(),
      };
    },
    store(port, options) {
      const pool = new pg.Pool({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database: 'postgres',
        max: 8,
        connectionTimeoutMillis: 1000,
      });
      pool.on('error', () => {}); // idle clients lost while the server is stopped
      return { store: postgresStore(pool, options), end: () => pool.end() };
    },
    timeoutStore(port) {
      const pool = new pg.Pool({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database: 'postgres',
        statement_timeout: 1000,
      });
      pool.on('error', () => {});
      return { store: postgresStore(pool, { createTable: false }), end: () => pool.end() };
    },
    async lock(port) {
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await c.connect();
      await c.query('BEGIN');
      await c.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      return {
        release: async () => {
          await c.query('ROLLBACK');
          await c.end();
        },
      };
    },
    catalog:
      "SELECT column_name, data_type, character_maximum_length, is_nullable, regexp_replace(column_default, '\\w+_id_seq', 'SEQ') AS column_default, (SELECT string_agg(regexp_replace(indexdef, '(INDEX|ON) \\S+', '\\1 X', 'g'), '; ' ORDER BY indexdef) FROM pg_indexes WHERE tablename = ?) AS indexes FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position",
    expiryUs: '(EXTRACT(EPOCH FROM expiry) * 1000000)::bigint',
  },
];

for (const db of DBS) {
  const skipReason = (() => {
    const s = db.orSkip() as { skip?: string };
    if (s.skip) return s.skip;
    const p = pythonOrSkip(python, ['flask_sqlalchemy', db.pyModule]) as { skip?: string };
    return p.skip;
  })();

  describe(
    `server-side sessions in ${db.label} shared with Flask-Session 0.8`,
    { skip: skipReason },
    () => {
      let server: DbServer;
      let admin: Awaited<ReturnType<Db['connect']>>;
      const ends: (() => Promise<void>)[] = [];
      const servers: Running[] = [];
      const stderrs: (() => string)[] = [];
      let uri: string;
      let flaskMain: string, flaskCleanup: string, flaskX: string, flaskY: string;
      let node: Record<Exclude<Kind, 'hono'>, string>;
      let nodeEmpty: string, nodeCleanup: string, nodeX: string, nodeY: string;
      let nodeSlow: string, nodeSlowEmpty: string;
      let mainStore: SqlAlchemyStore;
      // X: made by Flask, used by Node; Y: made by Node, used by Flask
      const X: SqlTableOptions = { table: 'My_Sess', schema: 's2', sequence: 'my_seq' };
      const Y: SqlTableOptions = { table: 'select' };
      const DDL_CASES: SqlTableOptions[] = [
        X,
        { table: 'ddl_default' },
        { table: 'Ddl_Upper', schema: 's2', sequence: 'ddl_seq' },
        { table: 'order' },
        { table: 'flask_made' },
      ];
      let flaskDdl: { ddl: string[][]; reserved: Record<SqlDialect, string[]> };
      const q = (name: string) => quoteIdentifier(db.dialect, name);
      const isPg = db.dialect === 'postgresql';

      const flaskEnv = (extra: StoresAppEnv = {}): StoresAppEnv => ({
        SECRET_KEY: SECRET,
        SESSION_TYPE: 'sqlalchemy',
        SQLALCHEMY_DATABASE_URI: uri,
        ...extra,
      });
      const tableEnv = (t: SqlTableOptions): StoresAppEnv => ({
        SESSION_SQLALCHEMY_TABLE: t.table,
        SESSION_SQLALCHEMY_SCHEMA: t.schema ?? undefined,
        SESSION_SQLALCHEMY_SEQUENCE: t.sequence ?? undefined,
      });
      const newStore = (o: SqlTableOptions = {}) => {
        const s = db.store(server.port, o);
        ends.push(s.end);
        return s.store;
      };
      const startApp = async (kind: Kind, o: ServerSideOptions) => {
        const s = await startNode(kind, o);
        servers.push(s);
        return s.url;
      };
      const startFlask = async (env: StoresAppEnv) => {
        const a = await startStoresApp(python, flaskEnv(env));
        servers.push(a);
        stderrs.push(a.stderr);
        return a.url;
      };
      const row = async (sid: string, table = 'sessions') =>
        (
          await admin.query(
            `SELECT data, ${db.expiryUs} AS us FROM ${table} WHERE session_id = ?`,
            [`session:${sid}`],
          )
        )[0] as { data: Buffer; us: number | string } | undefined;
      const withLogs = async (fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (e) {
          for (const s of stderrs) {
            const tail = s().split('\n').slice(-12).join('\n');
            if (/Traceback|Error/.test(tail)) console.error(tail);
          }
          throw e;
        }
      };

      before(async () => {
        server = await db.start();
        if (!isPg) {
          const c = await mysql.createConnection({
            host: '127.0.0.1',
            port: server.port,
            user: 'root',
          });
          await c.query('CREATE DATABASE flask');
          await c.query('CREATE DATABASE s2');
          await c.end();
        }
        admin = await db.connect(server.port);
        if (isPg) await admin.query('CREATE SCHEMA s2');
        uri = db.uri(server.port);
        // the main table is made by Node before Flask starts (Flask's checkfirst then leaves it)
        mainStore = newStore();
        await mainStore.createTable();
        // X and the DDL test's tables are made by Flask, in one Python process
        flaskDdl = JSON.parse(
          runStoresApp(python, '--ddl', flaskEnv({ DDL_CASES: JSON.stringify(DDL_CASES) })),
        ) as typeof flaskDdl;
        const yStore = newStore(Y);
        await yStore.createTable();
        const xStore = newStore(X);
        [flaskMain, flaskCleanup, flaskX, flaskY] = await Promise.all([
          startFlask({}),
          startFlask({ SESSION_CLEANUP_N_REQUESTS: 1 }),
          startFlask(tableEnv(X)),
          startFlask(tableEnv(Y)),
        ]);
        node = {
          express: await startApp('express', { store: mainStore, secret: SECRET }),
          web: await startApp('web', { store: mainStore, secret: SECRET }),
        };
        nodeEmpty = await startApp('express', { store: mainStore, onStoreError: 'empty' });
        nodeCleanup = await startApp('web', { store: mainStore, cleanupNRequests: 1 });
        nodeX = await startApp('express', { store: xStore });
        nodeY = await startApp('web', { store: yStore });
        const slow = db.timeoutStore(server.port);
        ends.push(slow.end);
        nodeSlow = await startApp('express', { store: slow.store });
        nodeSlowEmpty = await startApp('web', { store: slow.store, onStoreError: 'empty' });
      });

      after(async () => {
        await Promise.all(servers.map((s) => s.stop()));
        await Promise.allSettled(ends.map((e) => e()));
        await admin?.end().catch(() => {});
        await server?.destroy();
      });

      test('DDL: Node emits what SQLAlchemy emitted (echo), for default, quoted/schema/sequence and reserved names', () =>
        withLogs(async () => {
          for (const [i, c] of DDL_CASES.entries()) {
            const s = sqlStatements(db.dialect, c);
            const ours = [...(s.createSequence ? [s.createSequence] : []), s.createTable];
            assert.deepEqual(flaskDdl.ddl[i], ours, JSON.stringify(c));
          }
          // SQLAlchemy's reserved words are ours: every one is quoted, and the other dialects'
          // extra words are not
          const words = flaskDdl.reserved;
          const all = new Set(Object.values(words).flat());
          for (const d of ['mariadb', 'mysql', 'postgresql'] as const)
            for (const w of all)
              assert.equal(quoteIdentifier(d, w) !== w, words[d].includes(w), `${d}: ${w}`);
        }));

      test('tables: the one Flask made and the one Node made are the same table', () =>
        withLogs(async () => {
          const nodeMade = newStore({ table: 'node_made' });
          await nodeMade.createTable();
          const params = (t: string) => (isPg ? [t, t] : [t]);
          const a = await admin.query(db.catalog, params('flask_made'));
          const b = await admin.query(db.catalog, params('node_made'));
          assert.equal(a.length, 4);
          assert.deepEqual(b, a);
          // and Node leaves an existing table alone (checkfirst): a second store on it works
          await newStore({ table: 'flask_made' }).set('session:t', new Uint8Array([0x80]), 60);
          assert.deepEqual(
            [...((await newStore({ table: 'flask_made' }).get('session:t')) ?? [])],
            [0x80],
          );
        }));

      test('a Flask session is read and changed by Node, and the other way round (Express, Web)', () =>
        withLogs(async () => {
          for (const kind of ['express', 'web'] as const) {
            const fc = onlyCookie(await get(flaskMain, '/'));
            assert.deepEqual((await get(node[kind], '/getSession/', fc)).json(), {
              uname: 'momo',
              pwd: 'python',
            });
            await get(node[kind], '/set/from/node', fc);
            assert.deepEqual((await get(flaskMain, '/get/from', fc)).json(), { value: 'node' });
            const nc = onlyCookie(await get(node[kind], '/'));
            assert.deepEqual((await get(flaskMain, '/getSession/', nc)).json(), {
              uname: 'momo',
              pwd: 'python',
            });
            await get(flaskMain, '/set/from/flask', nc);
            assert.deepEqual((await get(node[kind], '/get/from', nc)).json(), { value: 'flask' });
            // one row each, under the prefix
            assert.ok(await row(sidOf(fc)));
            assert.ok(await row(sidOf(nc)));
          }
        }));

      test('typed values: Flask-written types read in Node, Node-written as Flask sees them, and the same bytes', () =>
        withLogs(async () => {
          const fcookie = onlyCookie(await get(flaskMain, '/types/?without=whole_float'));
          const fdump = (await get(flaskMain, '/dump/', fcookie)).json();
          const fbytes = (await row(sidOf(fcookie)))!.data;
          for (const kind of ['express', 'web'] as const) {
            const d = (await get(node[kind], '/dump/', fcookie)).json();
            assert.deepEqual(d['big'], { bigint: String(2n ** 60n) });
            assert.deepEqual(d['bytes'], { bytes: '00ff62696e' });
            assert.deepEqual(d['when_ms'], { date: '2024-01-02T03:04:05.678Z' });
            assert.deepEqual(d['tuple'], { list: [1, 'x'] });
            const ncookie = onlyCookie(await get(node[kind], '/types/'));
            const nbytes = (await row(sidOf(ncookie)))!.data;
            assert.equal(
              Buffer.from(nbytes).toString('hex'),
              Buffer.from(fbytes).toString('hex'),
              `${kind}: data bytes`,
            );
            assert.deepEqual((await get(flaskMain, '/dump/', ncookie)).json(), fdump, kind);
          }
          assert.equal(
            (msgpackDecode(fbytes) as Record<string, unknown>)['unicode'],
            'h\u00e9llo \u2603 \u{1F600}',
          );
        }));

      test(`expiry: naive UTC now + lifetime on both sides, to the second (${isPg ? 'microseconds kept' : 'DATETIME: whole seconds'})`, () =>
        withLogs(async () => {
          const lifetime = 2678400 * 1e6;
          const t0 = Date.now() * 1000;
          const fc = onlyCookie(await get(flaskMain, '/'));
          const nc = onlyCookie(await get(node.express, '/'));
          const t1 = Date.now() * 1000;
          const f = Number((await row(sidOf(fc)))!.us);
          const n = Number((await row(sidOf(nc)))!.us);
          for (const [who, us] of [
            ['flask', f],
            ['node', n],
          ] as const) {
            assert.ok(
              us >= t0 + lifetime - 1e6 && us <= t1 + lifetime,
              `${who}: ${us - t0 - lifetime} us`,
            );
            if (!isPg) assert.equal(us % 1e6, 0, `${who}: whole seconds in a DATETIME`);
          }
          assert.ok(Math.abs(f - n) <= 1e6, `Flask and Node within a second: ${f - n} us`);
          if (isPg) assert.notEqual(n % 1000, 1, 'Node writes milliseconds');
        }));

      test('an expired row (or one without expiry) is deleted by whichever side reads it', () =>
        withLogs(async () => {
          const expire = (sid: string, to: string | null) =>
            admin.query(`UPDATE sessions SET expiry = ? WHERE session_id = ?`, [
              to,
              `session:${sid}`,
            ]);
          const pairs: [string, string][] = [
            [flaskMain, node.express],
            [node.web, flaskMain],
            [node.express, node.web],
          ];
          for (const [writer, reader] of pairs)
            for (const to of ['2000-01-01 00:00:00', null]) {
              const c = onlyCookie(await get(writer, '/'));
              await expire(sidOf(c), to);
              const r = await get(reader, '/getSession/', c);
              assert.deepEqual(r.json(), { uname: null, pwd: null }, `${writer} -> ${reader}`);
              assert.equal(await row(sidOf(c)), undefined, 'the row is deleted');
            }
          // a row one second in the future is still a session
          const c = onlyCookie(await get(flaskMain, '/'));
          await expire(sidOf(c), utcDatetime(Date.now() + 5000));
          assert.deepEqual((await get(node.express, '/getSession/', c)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
        }));

      test('cleanup: Node deletes only expired rows (Flask-written too), and Flask only Node-written expired ones', () =>
        withLogs(async () => {
          const expire = (c: string, to: string | null) =>
            admin.query(`UPDATE sessions SET expiry = ? WHERE session_id = ?`, [
              to,
              `session:${sidOf(c)}`,
            ]);
          const count = async () =>
            Number((await admin.query('SELECT COUNT(*) AS n FROM sessions'))[0]!['n']);
          const a = onlyCookie(await get(flaskMain, '/'));
          const b = onlyCookie(await get(node.express, '/'));
          const fresh = onlyCookie(await get(node.web, '/'));
          const noExpiry = onlyCookie(await get(flaskMain, '/'));
          await expire(a, '2001-01-01 00:00:00');
          await expire(b, utcDatetime(Date.now() - 2000));
          await expire(noExpiry, null);
          const before = await count();
          assert.equal(await mainStore.deleteExpired(), 2);
          assert.equal(await count(), before - 2);
          assert.equal(await row(sidOf(a)), undefined);
          assert.equal(await row(sidOf(b)), undefined);
          assert.ok(await row(sidOf(fresh)));
          assert.ok(
            await row(sidOf(noExpiry)),
            'a NULL expiry is not expired for cleanup (only for reads)',
          );
          // Flask's _delete_expired_sessions (flask session_cleanup) on Node-written rows
          const e = onlyCookie(await get(node.web, '/'));
          await expire(e, '2002-01-01 00:00:00');
          assert.equal(runStoresApp(python, '--cleanup', flaskEnv()).trim(), 'cleaned');
          assert.equal(await row(sidOf(e)), undefined);
          assert.ok(await row(sidOf(fresh)));
          // SESSION_CLEANUP_N_REQUESTS=1: on about one request in 2, on either side
          for (const app of [nodeCleanup, flaskCleanup]) {
            const x = onlyCookie(await get(node.express, '/'));
            await expire(x, '2003-01-01 00:00:00');
            for (let i = 0; i < 40 && (await row(sidOf(x))); i++) await get(app, '/getSession/');
            assert.equal(await row(sidOf(x)), undefined, `${app}: cleaned within 40 requests`);
            assert.ok(await row(sidOf(fresh)));
          }
        }));

      test('a table made by Flask (schema, sequence, quoted name) is used by Node, one made by Node by Flask', () =>
        withLogs(async () => {
          for (const [flask, nodeUrl, table] of [
            [flaskX, nodeX, X],
            [flaskY, nodeY, Y],
          ] as const) {
            const fc = onlyCookie(await get(flask, '/'));
            assert.deepEqual((await get(nodeUrl, '/getSession/', fc)).json(), {
              uname: 'momo',
              pwd: 'python',
            });
            const nc = onlyCookie(await get(nodeUrl, '/set/who/node'));
            assert.deepEqual((await get(flask, '/get/who', nc)).json(), { value: 'node' });
            const t = (table.schema ? q(table.schema) + '.' : '') + q(table.table!);
            const rows = await admin.query(`SELECT id, session_id FROM ${t} ORDER BY id`);
            assert.ok(rows.some((r) => r['session_id'] === `session:${sidOf(nc)}`));
            if (table.sequence) {
              // Node drew its id from the same sequence as Flask
              const ids = rows.map((r) => Number(r['id']));
              assert.equal(new Set(ids).size, ids.length);
            }
          }
        }));

      test('regenerate on either side: a new id, the old row deleted, the other side follows', () =>
        withLogs(async () => {
          for (const [a, b] of [
            [flaskMain, node.express],
            [node.web, flaskMain],
          ] as const) {
            const c = onlyCookie(await get(a, '/'));
            const r = await get(b, '/regenerate/', c);
            const { old, new: fresh } = r.json<{ old: string; new: string }>();
            assert.equal(old, sidOf(c));
            assert.notEqual(fresh, old);
            const nc = onlyCookie(r);
            assert.equal(sidOf(nc), fresh);
            assert.equal(await row(old), undefined);
            assert.ok(await row(fresh));
            assert.deepEqual((await get(a, '/getSession/', nc)).json(), {
              uname: 'momo',
              pwd: 'python',
            });
            assert.deepEqual((await get(a, '/getSession/', c)).json(), { uname: null, pwd: null });
          }
        }));

      test('bad ids and oversize data: no session for a forged id, a SessionStoreError for a too-big row', () =>
        withLogs(async () => {
          for (const cookie of [
            'session=' + 'x'.repeat(400),
            'session=a%00b',
            'session=\u00e9t\u00e9',
          ]) {
            const r = await get(node.express, '/getSession/', cookie);
            assert.equal(r.status, 200, r.text);
            assert.deepEqual(r.json(), { uname: null, pwd: null });
          }
          assert.equal(await mainStore.get('session:a\0b'), null);
          const big = new Uint8Array(70_000).fill(0x61);
          if (isPg) {
            await mainStore.set('session:big', big, 60);
            assert.equal((await mainStore.get('session:big'))?.length, 70_000);
          } else {
            await assert.rejects(mainStore.set('session:big', big, 60), SessionStoreError);
            assert.equal(await mainStore.get('session:big'), null);
          }
        }));

      test('a statement timeout (the table locked): "throw" gives HTTP 500, "empty" a new empty session', () =>
        withLogs(async () => {
          const c = onlyCookie(await get(node.express, '/'));
          assert.deepEqual((await get(nodeSlow, '/getSession/', c)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
          const lock = await db.lock(server.port);
          try {
            const t0 = Date.now();
            const r = await get(nodeSlow, '/getSession/', c);
            assert.equal(r.status, 500, r.text);
            assert.match(r.text, /SessionStoreError: SQL store failed reading a session/);
            assert.ok(Date.now() - t0 < 8000, `gave up after ${Date.now() - t0} ms`);
            const e = await get(nodeSlowEmpty, '/dump/', c);
            assert.equal(e.status, 200, e.text);
            assert.deepEqual(e.json(), { _permanent: true });
          } finally {
            await lock.release();
          }
          assert.deepEqual((await get(nodeSlowEmpty, '/getSession/', c)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
        }));

      test('8 concurrent clients x 200 requests over Flask, Express and Web: nothing lost or mixed up', () =>
        withLogs(async () => {
          const apps = [flaskMain, node.express, node.web];
          const client = async (n: number) => {
            let cookie = onlyCookie(await get(apps[n % 3]!, `/set/owner/c${n}`));
            for (let i = 0; i < 199; i++) {
              const r = await get(apps[(n + i) % 3]!, `/set/k${i}/c${n}`, cookie);
              assert.equal(r.status, 200, r.text);
              if (r.setCookie.length) cookie = onlyCookie(r);
            }
            return cookie;
          };
          const cookies = await Promise.all(Array.from({ length: 8 }, (_, n) => client(n)));
          assert.equal(new Set(cookies.map(sidOf)).size, 8);
          for (const [n, c] of cookies.entries()) {
            const d = (await get(node.web, '/dump/', c)).json();
            assert.equal(Object.keys(d).length, 201, `client ${n}: _permanent, owner and 199 keys`);
            assert.deepEqual(d['owner'], `c${n}`);
            for (let i = 0; i < 199; i++) assert.equal(d[`k${i}`], `c${n}`);
          }
        }));

      test('database down: "throw" gives HTTP 500 (as Flask-Session), "empty" a new empty session; back up, sessions return', () =>
        withLogs(async () => {
          const c = onlyCookie(await get(node.express, '/'));
          await server.stop();
          try {
            for (const base of [node.express, node.web]) {
              const r = await get(base, '/getSession/', c);
              assert.equal(r.status, 500, `${base}: ${r.text}`);
              assert.match(r.text, /SessionStoreError: SQL store failed reading a session/);
              assert.deepEqual(r.setCookie, []);
            }
            const e = await get(nodeEmpty, '/dump/', c);
            assert.equal(e.status, 200, e.text);
            assert.deepEqual(e.json(), { _permanent: true }, 'a new empty session, nobody else’s');
            const w = await get(nodeEmpty, '/set/a/b', c);
            assert.equal(w.status, 500, 'a write still needs the database');
            assert.deepEqual(w.setCookie, []);
            const f = await get(flaskMain, '/getSession/', c);
            assert.equal(f.status, 500);
          } finally {
            await server.start();
          }
          // the data survived; the pools reconnect
          for (const base of [node.express, node.web, flaskMain]) {
            let r = await get(base, '/getSession/', c);
            for (let i = 0; i < 3 && r.status !== 200; i++) r = await get(base, '/getSession/', c);
            assert.equal(r.status, 200, `${base}: ${r.text}`);
            assert.deepEqual(r.json(), { uname: 'momo', pwd: 'python' });
          }
        }));
    },
  );
}
