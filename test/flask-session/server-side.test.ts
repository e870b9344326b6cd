/**
 * Server-side sessions (Flask-Session 0.8's RedisSessionInterface port).
 *
 * 1. Unit tests on a MemoryStore: ids, the `_permanent` rule, when the store and the cookie are
 *    written, deletion, regenerate, signed ids.
 * 2. Interop against a private redis-server and the real Flask-Session 0.8
 *    (examples/flask_session_app.py), through the Express (node-redis), Hono (ioredis) and Web
 *    (node-redis) adapters with `redisStore(client)`: one session used by both sides, the stored
 *    bytes, TTLs, expiry, deletion, signing, JSON, concurrency, Redis restarts and outages.
 *
 * Locally a missing redis-server, Flask 3.1 or Flask-Session skips part 2 (one line); with CI=true
 * it fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createClient } from 'redis';
import { Redis as IORedis } from 'ioredis';
import {
  httpDate,
  MemoryStore,
  ServerSideSession,
  ServerSideSessionInterface,
  SessionStoreError,
  type ServerSideOptions,
  type SessionStore,
} from '../../src/index.ts';
import { msgpackDecode } from '../../src/flask-session/msgpack.ts';
import { redisStore } from '../../src/adapters/redis.ts';
import type { SessionData } from '../../src/flask/tagged-json.ts';
import { flaskOrSkip } from '../interop/_python.ts';
import { within, type Running } from '../interop/_servers.ts';
import { get, onlyCookie, sidOf, startNode, type Kind } from '../interop/_stores_app.ts';
import {
  flaskSessionOrSkip,
  redisOrSkip,
  startFlaskSessionApp,
  startRedis,
  type RedisServer,
} from '../interop/_redis.ts';

const SECRET = 'server-side-interop-secret-0123456789';
const SID_RE = /^[A-Za-z0-9_-]{43}$/; // secrets.token_urlsafe(32)
const DELETION = 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** itsdangerous `Signer(secret, salt='flask-session', key_derivation='hmac').sign(value)`. */
function itsdangerousSign(secret: string, value: string): string {
  const key = createHmac('sha1', secret).update('flask-session').digest();
  const sig = createHmac('sha1', key).update(value).digest('base64url');
  return `${value}.${sig}`;
}

/** A MemoryStore that records every call (to check the TTLs written). */
class SpyStore implements SessionStore {
  readonly inner: MemoryStore;
  readonly calls: (['get', string] | ['set', string, number] | ['delete', string])[] = [];
  readonly values = new Map<string, Uint8Array>();
  fail = false;
  constructor(now?: () => number) {
    this.inner = new MemoryStore(now ? { now } : {});
  }
  async get(key: string) {
    this.calls.push(['get', key]);
    if (this.fail) throw new Error('connection refused');
    return this.inner.get(key);
  }
  async set(key: string, value: Uint8Array, ttl: number) {
    this.calls.push(['set', key, ttl]);
    if (this.fail) throw new Error('connection refused');
    this.values.set(key, value);
    return this.inner.set(key, value, ttl);
  }
  async delete(key: string) {
    this.calls.push(['delete', key]);
    if (this.fail) throw new Error('connection refused');
    this.values.delete(key);
    return this.inner.delete(key);
  }
}

const cookiePair = (setCookie: string | undefined): string => {
  assert.ok(setCookie, 'a Set-Cookie header was expected');
  return setCookie.split(';')[0]!;
};

// ---------------------------------------------------------------------------------------------
// 1. Unit tests (MemoryStore, no Redis)
// ---------------------------------------------------------------------------------------------

describe('server-side sessions on a MemoryStore', () => {
  const NOW = 1_700_000_000; // seconds
  const clock = () => NOW;
  const make = (o: Partial<ServerSideOptions> = {}) => {
    const store = new SpyStore(() => NOW * 1000);
    const iface = new ServerSideSessionInterface({ store, now: clock, ...o });
    return { store, iface };
  };

  test('a new session: a fresh 43-char id, _permanent true, empty, and nothing is sent', async () => {
    const { store, iface } = make();
    const s = await iface.open(undefined);
    assert.ok(s instanceof ServerSideSession);
    assert.match(s.sid, SID_RE);
    assert.equal(s.isNew, true);
    assert.equal(s.get('_permanent'), true);
    assert.equal(s.permanent, true);
    assert.equal(s.empty, true); // Flask-Session's __bool__: only _permanent counts as empty
    assert.equal(s.modified, false);
    const r = await iface.save(s);
    assert.equal(r.setCookie, undefined);
    assert.equal(store.calls.length, 0, 'no store access for a new untouched session');
    assert.equal(store.inner.size, 0);
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await iface.open(undefined)).sid);
    assert.equal(ids.size, 50);
    // SESSION_PERMANENT=False: no _permanent key at all
    const np = await make({ permanent: false }).iface.open(undefined);
    assert.deepEqual(Object.keys(np.toObject()), []);
    // SESSION_ID_LENGTH
    assert.match((await make({ sidLength: 16 }).iface.open(undefined)).sid, /^[\w-]{22}$/);
  });

  test('set: the cookie carries the id, the store holds msgpack under the prefix with the TTL', async () => {
    const { store, iface } = make();
    const s = await iface.open(undefined);
    s.set('uname', 'momo');
    const r = await iface.save(s);
    assert.equal(
      r.setCookie,
      `session=${s.sid}; Expires=${httpDate(NOW + 2678400)}; HttpOnly; Path=/`,
    );
    assert.equal(r.vary, true);
    assert.deepEqual(store.calls, [['set', `session:${s.sid}`, 2678400]]);
    const bytes = store.values.get(`session:${s.sid}`)!;
    // msgspec: {"_permanent": True, "uname": "momo"}
    assert.deepEqual(
      Buffer.from(bytes),
      Buffer.from('82aa5f7065726d616e656e74c3a5756e616d65a46d6f6d6f', 'hex'),
    );
    // read back
    const again = await iface.open(cookiePair(r.setCookie));
    assert.equal(again.sid, s.sid);
    assert.equal(again.isNew, false);
    assert.equal(again.get('uname'), 'momo');

    // lifetime, prefix, cookie attributes, non-permanent
    const o = make({
      permanentLifetime: 60,
      keyPrefix: 'app1:',
      cookieName: 'sid',
      domain: 'example.com',
      path: '/app',
      secure: true,
      sameSite: 'lax',
    });
    const t = await o.iface.open(undefined);
    t.set('a', 1);
    const rt = await o.iface.save(t);
    assert.equal(
      rt.setCookie,
      `sid=${t.sid}; Domain=example.com; Expires=${httpDate(NOW + 60)}; Secure; HttpOnly; Path=/app; SameSite=Lax`,
    );
    assert.deepEqual(o.store.calls, [['set', `app1:${t.sid}`, 60]]);
    const np = make({ permanent: false });
    const u = await np.iface.open(undefined);
    u.set('a', 1);
    const ru = await np.iface.save(u);
    assert.equal(ru.setCookie, `session=${u.sid}; HttpOnly; Path=/`, 'no Expires');
    assert.deepEqual(np.store.calls, [['set', `session:${u.sid}`, 2678400]], 'TTL anyway');
  });

  test('refresh: an unmodified permanent session is rewritten with its TTL and re-sent', async () => {
    const { store, iface } = make();
    const s = await iface.open(undefined);
    s.set('a', 1);
    const cookie = cookiePair((await iface.save(s)).setCookie);
    store.calls.length = 0;
    const again = await iface.open(cookie);
    const r = await iface.save(again);
    assert.equal(r.setCookie, `${cookie}; Expires=${httpDate(NOW + 2678400)}; HttpOnly; Path=/`);
    assert.deepEqual(store.calls, [
      ['get', `session:${s.sid}`],
      ['set', `session:${s.sid}`, 2678400],
    ]);
    // SESSION_REFRESH_EACH_REQUEST=False: neither the store nor the cookie
    const nr = new ServerSideSessionInterface({
      store,
      now: clock,
      refreshEachRequest: false,
    });
    store.calls.length = 0;
    const third = await nr.open(cookie);
    assert.equal(third.get('a'), 1);
    assert.equal((await nr.save(third)).setCookie, undefined);
    assert.deepEqual(store.calls, [['get', `session:${s.sid}`]]);
  });

  test('clear keeps _permanent, deletes the key and the cookie (only Path/Domain)', async () => {
    const o = { domain: 'example.com', path: '/app', secure: true, sameSite: 'Strict' };
    const { store, iface } = make(o);
    const s = await iface.open(undefined);
    s.set('uname', 'momo');
    const cookie = cookiePair((await iface.save(s)).setCookie);
    const again = await iface.open(cookie);
    again.clear();
    assert.deepEqual({ ...again.toObject() }, { _permanent: true });
    assert.equal(again.empty, true);
    store.calls.length = 0;
    const r = await iface.save(again);
    // werkzeug delete_cookie(key, domain=, path=): no Secure/HttpOnly/SameSite
    assert.equal(
      r.setCookie,
      'session=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/app',
    );
    assert.deepEqual(store.calls, [['delete', `session:${s.sid}`]]);
    assert.equal(await store.inner.get(`session:${s.sid}`), null);
    // and it is a new session afterwards
    const after = await iface.open(cookie);
    assert.equal(after.isNew, true);
    assert.notEqual(after.sid, s.sid);
    // clear on a non-permanent session: _permanent False, still empty
    const np = make({ permanent: false });
    const u = await np.iface.open(undefined);
    u.set('a', 1);
    const uc = cookiePair((await np.iface.save(u)).setCookie);
    const u2 = await np.iface.open(uc);
    u2.clear();
    assert.deepEqual({ ...u2.toObject() }, { _permanent: false });
    assert.equal((await np.iface.save(u2)).setCookie, DELETION);
    // an untouched empty session that is cleared is modified: Flask-Session sends the deletion too
    const fresh = await iface.open(undefined);
    fresh.clear();
    assert.equal(
      (await iface.save(fresh)).setCookie,
      'session=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/app',
    );
  });

  test('regenerate moves the data to a new id and deletes the old key', async () => {
    const { store, iface } = make();
    const s = await iface.open(undefined);
    s.set('uname', 'momo');
    const cookie = cookiePair((await iface.save(s)).setCookie);
    const again = await iface.open(cookie);
    const old = again.sid;
    await iface.regenerate(again);
    assert.notEqual(again.sid, old);
    assert.match(again.sid, SID_RE);
    assert.equal(again.modified, true);
    assert.equal(await store.inner.get(`session:${old}`), null, 'old key deleted at once');
    const r = await iface.save(again);
    assert.equal(cookiePair(r.setCookie), `session=${again.sid}`);
    assert.equal((await iface.open(`session=${again.sid}`)).get('uname'), 'momo');
    assert.equal((await iface.open(cookie)).isNew, true);
    // an empty session is left alone (Flask-Session: `if session:`)
    const empty = await iface.open(undefined);
    const sid = empty.sid;
    store.calls.length = 0;
    await iface.regenerate(empty);
    assert.equal(empty.sid, sid);
    assert.deepEqual(store.calls, []);
  });

  test('signed ids (useSigner): itsdangerous Signer, salt flask-session; tampering gives a new session', async () => {
    assert.throws(
      () => new ServerSideSessionInterface({ store: new MemoryStore(), useSigner: true }),
      TypeError,
    );
    const { store, iface } = make({ useSigner: true, secret: SECRET });
    const s = await iface.open(undefined);
    s.set('uname', 'momo');
    const r = await iface.save(s);
    const value = cookiePair(r.setCookie).slice('session='.length);
    assert.equal(value, itsdangerousSign(SECRET, s.sid));
    assert.ok(store.values.has(`session:${s.sid}`), 'the key is the unsigned id');
    assert.equal((await iface.open(`session=${value}`)).get('uname'), 'momo');

    const [sid, sig] = value.split('.') as [string, string];
    const flip = (x: string) => (x[0] === 'A' ? 'B' : 'A') + x.slice(1);
    for (const bad of [
      `${flip(sid)}.${sig}`,
      `${sid}.${flip(sig)}`,
      sid, // unsigned
      `${sid}.`,
      itsdangerousSign('another-secret', sid),
    ]) {
      const t = await iface.open(`session=${bad}`);
      assert.equal(t.isNew, true, bad);
      assert.notEqual(t.sid, sid);
      assert.equal(t.empty, true);
    }
    // an unsigned interface reads a signed cookie as the id "sid.sig": not found, a new session
    const plain = new ServerSideSessionInterface({ store, now: clock });
    assert.equal((await plain.open(`session=${value}`)).isNew, true);
  });

  test('store failures: "throw" gives SessionStoreError, "empty" a new empty session; writes throw', async () => {
    const { store, iface } = make();
    const s = await iface.open(undefined);
    s.set('uname', 'momo');
    const cookie = cookiePair((await iface.save(s)).setCookie);
    store.fail = true;
    await assert.rejects(iface.open(cookie), (e: unknown) => {
      assert.ok(e instanceof SessionStoreError);
      assert.equal(e.code, 'ERR_SESSION_STORE');
      return true;
    });
    const empty = new ServerSideSessionInterface({ store, now: clock, onStoreError: 'empty' });
    const t = await empty.open(cookie);
    assert.equal(t.isNew, true);
    assert.notEqual(t.sid, s.sid);
    assert.equal(t.get('uname'), undefined);
    assert.equal((await empty.save(t)).setCookie, undefined);
    t.set('x', 1);
    await assert.rejects(empty.save(t));
    // no cookie: the store is not read at all
    assert.equal((await iface.open(undefined)).isNew, true);
  });

  test('an empty stored value is a missing session, as in Flask-Session (`if serialized_session_data:`)', async () => {
    const { store, iface } = make();
    await store.inner.set('session:abc', new Uint8Array(0), 100);
    const s = await iface.open('session=abc');
    assert.equal(s.isNew, true);
    assert.notEqual(s.sid, 'abc');
  });

  test('integer-like keys are written first (JS object order): the same dict, other bytes (README)', async () => {
    const { iface } = make();
    const s = await iface.open(undefined);
    s.set('b', 1);
    s.set('1', 2);
    // msgspec.msgpack.encode({"_permanent": True, "b": 1, "1": 2}) is 83aa5f7065726d616e656e74c3a16201a13102;
    // JavaScript enumerates "1" first, so the bytes differ while the dict is the same
    const bytes = iface.encode(s.toJSON() as SessionData);
    assert.equal(Buffer.from(bytes).toString('hex'), '83a13102aa5f7065726d616e656e74c3a16201');
    assert.deepEqual({ ...iface.decode(bytes) }, { _permanent: true, b: 1, '1': 2 });
  });

  test('MemoryStore expires items after their TTL', async () => {
    let ms = 1_000_000;
    const m = new MemoryStore({ now: () => ms });
    await m.set('k', new Uint8Array([1]), 2);
    ms += 1999;
    assert.deepEqual(await m.get('k'), new Uint8Array([1]));
    ms += 1;
    assert.equal(await m.get('k'), null);
    assert.equal(m.size, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Interop: real Redis + real Flask-Session 0.8
// ---------------------------------------------------------------------------------------------

const flask = flaskOrSkip('3.1');
const redisBin = redisOrSkip();
const flaskSession = 'skip' in flask ? flask : flaskSessionOrSkip(flask);
const interopSkip =
  'skip' in redisBin ? redisBin.skip : 'skip' in flaskSession ? flaskSession.skip : undefined;

/** A Set-Cookie with its id and date masked, to compare shapes. */
const shape = (setCookie: string) =>
  setCookie.replace(/^session=[^;]*/, 'session=<sid>').replace(/Expires=[^;]*/, 'Expires=<date>');

describe(
  'server-side sessions shared with Flask-Session 0.8 over Redis',
  { skip: interopSkip },
  () => {
    let redis: RedisServer;
    let nodeRedis: ReturnType<typeof createClient>;
    let ioredis: IORedis;
    const servers: Running[] = [];
    let stderrs: (() => string)[] = [];
    // Flask-Session apps
    let flaskMain: string, flaskShort: string, flaskSigned: string, flaskJson: string;
    // Node apps: [express (node-redis), hono (ioredis), web (node-redis)]
    let nodeMain: Record<Kind, string>;
    let nodeShort: string, honoShort: string;
    let nodeSigned: string, webSigned: string;
    let nodeJson: string, honoJson: string;
    let expressEmpty: string, honoEmpty: string;

    before(async () => {
      const py = flask as Exclude<typeof flask, { skip: string }>;
      redis = await startRedis((redisBin as { bin: string }).bin);
      nodeRedis = createClient({
        url: redis.url,
        // fail fast while Redis is down (no offline queue), reconnect quickly when it is back
        disableOfflineQueue: true,
        socket: { connectTimeout: 1000, reconnectStrategy: () => 50 },
      });
      nodeRedis.on('error', () => {}); // reconnection errors while Redis is stopped
      await within(5000, nodeRedis.connect(), () => {
        throw new Error('node-redis did not connect within 5 s');
      });
      ioredis = new IORedis(redis.port, '127.0.0.1', {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 1000,
        retryStrategy: () => 50,
        lazyConnect: true,
      });
      ioredis.on('error', () => {});
      await within(5000, ioredis.connect(), () => {
        throw new Error('ioredis did not connect within 5 s');
      });

      const redisUrl = redis.url;
      const flaskApps = await Promise.all([
        startFlaskSessionApp(py, { secret: SECRET, redisUrl }),
        startFlaskSessionApp(py, { secret: SECRET, redisUrl, permanentLifetime: 2 }),
        startFlaskSessionApp(py, { secret: SECRET, redisUrl, useSigner: true }),
        startFlaskSessionApp(py, { secret: SECRET, redisUrl, serializationFormat: 'json' }),
      ]);
      servers.push(...flaskApps);
      stderrs = flaskApps.map((a) => a.stderr);
      [flaskMain, flaskShort, flaskSigned, flaskJson] = flaskApps.map((a) => a.url) as [
        string,
        string,
        string,
        string,
      ];

      const nr = redisStore(nodeRedis);
      const io = redisStore(ioredis);
      const start = async (kind: Kind, o: ServerSideOptions) => {
        const s = await startNode(kind, o);
        servers.push(s);
        return s.url;
      };
      nodeMain = {
        express: await start('express', { store: nr, secret: SECRET }),
        hono: await start('hono', { store: io, secret: SECRET }),
        web: await start('web', { store: nr, secret: SECRET }),
      };
      nodeShort = await start('express', { store: nr, permanentLifetime: 2 });
      honoShort = await start('hono', { store: io, permanentLifetime: 2 });
      nodeSigned = await start('express', { store: nr, secret: SECRET, useSigner: true });
      webSigned = await start('web', { store: nr, secret: SECRET, useSigner: true });
      nodeJson = await start('express', { store: nr, serializationFormat: 'json' });
      honoJson = await start('hono', { store: io, serializationFormat: 'json' });
      expressEmpty = await start('express', { store: nr, onStoreError: 'empty' });
      honoEmpty = await start('hono', { store: io, onStoreError: 'empty' });
    });

    after(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await Promise.allSettled([
        nodeRedis?.isOpen ? nodeRedis.destroy() : undefined,
        ioredis?.disconnect(),
      ]);
      await redis?.stop();
    });

    /** On failure, the Flask logs help: print their tail. */
    const withLogs = async (fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (e) {
        for (const s of stderrs) {
          const tail = s().split('\n').slice(-15).join('\n');
          if (/Traceback|Error/.test(tail)) console.error(tail);
        }
        throw e;
      }
    };

    const exists = async (sid: string) => (await redis.command('EXISTS', `session:${sid}`)) === 1;

    const kinds: Kind[] = ['express', 'hono', 'web'];

    for (const kind of kinds) {
      test(`${kind}: a Flask session is read and changed by Node, and the other way round`, () =>
        withLogs(async () => {
          const node = nodeMain[kind];
          // Flask logs in; Node reads and adds a key; Flask sees it
          const login = await get(flaskMain, '/');
          const cookie = onlyCookie(login);
          assert.match(sidOf(cookie), SID_RE);
          assert.deepEqual((await get(node, '/getSession/', cookie)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
          const set = await get(node, '/set/lang/ts', cookie);
          assert.equal(onlyCookie(set), cookie, 'same id');
          assert.equal(shape(set.setCookie[0]!), shape(login.setCookie[0]!));
          assert.deepEqual((await get(flaskMain, '/get/lang', cookie)).json(), { value: 'ts' });
          assert.deepEqual((await get(flaskMain, '/getSession/', cookie)).json(), {
            uname: 'momo',
            pwd: 'python',
          });

          // Node logs in; Flask reads and changes; Node sees it
          const nlogin = await get(node, '/');
          const ncookie = onlyCookie(nlogin);
          assert.match(sidOf(ncookie), SID_RE);
          assert.equal(shape(nlogin.setCookie[0]!), shape(login.setCookie[0]!));
          assert.equal(nlogin.vary, 'Cookie');
          assert.deepEqual((await get(flaskMain, '/getSession/', ncookie)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
          await get(flaskMain, '/set/pwd/changed', ncookie);
          assert.deepEqual((await get(node, '/getSession/', ncookie)).json(), {
            uname: 'momo',
            pwd: 'changed',
          });

          // an unknown id gives a new empty session on both sides, and no cookie
          const unknown = 'session=' + 'x'.repeat(43);
          for (const base of [node, flaskMain]) {
            const r = await get(base, '/sid/', unknown);
            assert.equal(r.setCookie.length, 0, base);
            const j = r.json<{ sid: string; empty: boolean }>();
            assert.equal(j.empty, true);
            assert.notEqual(j.sid, 'x'.repeat(43));
            assert.match(j.sid, SID_RE);
          }
          // a request without a cookie that does not write: no cookie, no key, on both sides
          const before = (await redis.command('DBSIZE')) as number;
          const varies: (string | null)[] = [];
          for (const base of [node, flaskMain]) {
            const r = await get(base, '/getSession/');
            assert.deepEqual(r.json(), { uname: null, pwd: null });
            assert.deepEqual(r.setCookie, []);
            varies.push(r.vary);
          }
          assert.equal(await redis.command('DBSIZE'), before);
          // read-only on a new session: Vary as Flask-Session sends it (whenever accessed)
          assert.deepEqual(varies, ['Cookie', 'Cookie']);
        }));
    }

    test('typed values: Flask-written bytes, datetime, nested dict, int vs float, read in Node', () =>
      withLogs(async () => {
        const cookie = onlyCookie(await get(flaskMain, '/types/'));
        for (const kind of kinds) {
          const d = (await get(nodeMain[kind], '/dump/', cookie)).json();
          assert.deepEqual(
            d,
            {
              _permanent: true,
              int: 42,
              big: { bigint: '1152921504606846976' },
              neg: -7,
              float: 1.5,
              // Python's 3.0 is a msgpack float64; JS has one number type: it reads as 3
              whole_float: 3,
              bytes: { bytes: '00ff62696e' },
              list: { list: [1, 'two', null, true] },
              nested: {
                dict: { a: { dict: { b: { list: [1, 2, { dict: { c: 'd' } }] } } }, e: false },
              },
              when: { date: '2024-01-02T03:04:05.000Z' },
              when_ms: { date: '2024-01-02T03:04:05.678Z' },
              tuple: { list: [1, 'x'] }, // msgspec writes tuples as arrays
              unicode: 'h\u00e9llo \u2603 \u{1F600}',
            },
            kind,
          );
        }
        // Node changes one key: the whole session is rewritten; Flask still sees its types, except
        // the integral float 3.0, which comes back as the int 3 (the one known lossy case)
        await get(nodeMain.express, '/set/extra/1', cookie);
        const back = (await get(flaskMain, '/dump/', cookie)).json<
          Record<string, { repr: string; type: string }>
        >();
        assert.deepEqual(back['bytes'], { repr: "b'\\x00\\xffbin'", type: 'bytes' });
        assert.deepEqual(back['when_ms'], {
          repr: 'datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)',
          type: 'datetime',
        });
        assert.deepEqual(back['float'], { repr: '1.5', type: 'float' });
        assert.deepEqual(back['big'], { repr: '1152921504606846976', type: 'int' });
        assert.deepEqual(back['whole_float'], { repr: '3', type: 'int' });
        assert.deepEqual(back['extra'], { repr: "'1'", type: 'str' });
      }));

    test('typed values: Node-written types as Flask sees them (repr), and byte-identical msgpack', () =>
      withLogs(async () => {
        const fcookie = onlyCookie(await get(flaskMain, '/types/?without=whole_float'));
        const fdump = (await get(flaskMain, '/dump/', fcookie)).json();
        // Flask's /dump/ refreshed the key: read the bytes after it (Flask rewrote them itself)
        const fbytes = await redis.getBytes(`session:${sidOf(fcookie)}`);
        assert.ok(fbytes);
        for (const kind of kinds) {
          const ncookie = onlyCookie(await get(nodeMain[kind], '/types/'));
          const nbytes = await redis.getBytes(`session:${sidOf(ncookie)}`);
          assert.ok(nbytes);
          assert.equal(nbytes.toString('hex'), fbytes.toString('hex'), `${kind}: msgpack bytes`);
          assert.deepEqual((await get(flaskMain, '/dump/', ncookie)).json(), fdump, kind);
        }
        // a Flask-written session that Node only reads (refresh) is rewritten byte for byte
        const full = onlyCookie(await get(flaskMain, '/types/'));
        const key = `session:${sidOf(full)}`;
        const original = await redis.getBytes(key);
        const r = await get(nodeMain.hono, '/getSession/', full);
        assert.equal(r.status, 200);
        const rewritten = await redis.getBytes(key);
        assert.ok(original && rewritten);
        // ...except the integral float (3.0 -> 3): float64 cb4008000000000000 becomes the int 03
        assert.equal(
          rewritten.toString('hex'),
          original
            .toString('hex')
            .replace('ab77686f6c655f666c6f6174cb4008000000000000', 'ab77686f6c655f666c6f617403'),
        );
        const decoded = msgpackDecode(rewritten) as Record<string, unknown>;
        assert.equal(decoded['whole_float'], 3);
      }));

    test('TTL: Node sets the same Redis TTL as Flask-Session (default and 2 s lifetimes)', () =>
      withLogs(async () => {
        const fc = onlyCookie(await get(flaskMain, '/'));
        const nc = onlyCookie(await get(nodeMain.express, '/'));
        const hc = onlyCookie(await get(nodeMain.hono, '/'));
        const ttl = async (c: string) => redis.command('TTL', `session:${sidOf(c)}`);
        assert.equal(await ttl(fc), 2678400);
        assert.equal(await ttl(nc), 2678400);
        assert.equal(await ttl(hc), 2678400);
        const fs = onlyCookie(await get(flaskShort, '/'));
        const ns = onlyCookie(await get(nodeShort, '/'));
        for (const c of [fs, ns]) {
          const pttl = (await redis.command('PTTL', `session:${sidOf(c)}`)) as number;
          assert.ok(pttl > 1500 && pttl <= 2000, `PTTL ${pttl}`);
        }
      }));

    test('expiry: PERMANENT_SESSION_LIFETIME=2, after ~3 s both sides see a new empty session', () =>
      withLogs(async () => {
        const t0 = Date.now();
        const f = await get(flaskShort, '/');
        const n = await get(nodeShort, '/');
        const h = await get(honoShort, '/');
        const cookies = [onlyCookie(f), onlyCookie(n), onlyCookie(h)];
        // the cookie Expires is now + 2 s on both sides
        for (const r of [f, n, h]) {
          const exp = Date.parse(/Expires=([^;]*)/.exec(r.setCookie[0]!)![1]!);
          assert.ok(Math.abs(exp - (t0 + 2000)) <= 1500, r.setCookie[0]);
        }
        for (const c of cookies) {
          for (const base of [flaskShort, nodeShort, honoShort]) {
            // reading refreshes the TTL, which is fine: the wait below starts after it
            assert.equal((await get(base, '/getSession/', c)).json()['uname'], 'momo');
          }
        }
        await sleep(3000);
        for (const c of cookies) {
          assert.equal(await exists(sidOf(c)), false);
          for (const base of [flaskShort, nodeShort, honoShort]) {
            const r = await get(base, '/sid/', c);
            const j = r.json<{ sid: string; empty: boolean }>();
            assert.equal(j.empty, true, base);
            assert.notEqual(j.sid, sidOf(c));
            assert.deepEqual(r.setCookie, []);
          }
        }
      }));

    test('deletion: clear in either side deletes the key and both see an empty session', () =>
      withLogs(async () => {
        for (const kind of kinds) {
          const node = nodeMain[kind];
          // Flask's session, cleared by Node
          const fc = onlyCookie(await get(flaskMain, '/'));
          assert.equal(await exists(sidOf(fc)), true);
          const nd = await get(node, '/deleteSession/', fc);
          assert.deepEqual(nd.setCookie, [DELETION], kind);
          assert.equal(await exists(sidOf(fc)), false);
          for (const base of [flaskMain, node]) {
            const r = await get(base, '/getSession/', fc);
            assert.deepEqual(r.json(), { uname: null, pwd: null });
            assert.deepEqual(r.setCookie, []);
          }
          // Node's session, cleared by Flask: the same deletion header
          const nc = onlyCookie(await get(node, '/'));
          assert.equal(await exists(sidOf(nc)), true);
          const fd = await get(flaskMain, '/deleteSession/', nc);
          assert.deepEqual(fd.setCookie, [DELETION]);
          assert.equal(await exists(sidOf(nc)), false);
          for (const base of [flaskMain, node]) {
            assert.deepEqual((await get(base, '/getSession/', nc)).json(), {
              uname: null,
              pwd: null,
            });
          }
        }
      }));

    test('signed ids: SESSION_USE_SIGNER on both sides with the same SECRET_KEY', () =>
      withLogs(async () => {
        for (const node of [nodeSigned, webSigned]) {
          const fc = onlyCookie(await get(flaskSigned, '/'));
          const value = fc.slice('session='.length);
          assert.equal(value, itsdangerousSign(SECRET, sidOf(fc)));
          assert.equal(await exists(sidOf(fc)), true, 'the key holds the unsigned id');
          const nr = await get(node, '/getSession/', fc);
          assert.deepEqual(nr.json(), { uname: 'momo', pwd: 'python' });
          assert.equal(onlyCookie(nr), fc, 'Node re-signs the id exactly as Flask-Session');

          const nc = onlyCookie(await get(node, '/'));
          assert.equal(nc.slice('session='.length), itsdangerousSign(SECRET, sidOf(nc)));
          assert.deepEqual((await get(flaskSigned, '/getSession/', nc)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
          // tampered, unsigned, or signed with another key: a new empty session on both sides
          const sid = sidOf(nc);
          for (const bad of [
            `session=${sid}`,
            `session=${sid}.${'A'.repeat(27)}`,
            `session=${itsdangerousSign('another-secret', sid)}`,
          ]) {
            for (const base of [flaskSigned, node]) {
              const j = (await get(base, '/sid/', bad)).json<{ sid: string; empty: boolean }>();
              assert.equal(j.empty, true, `${base} ${bad}`);
              assert.notEqual(j.sid, sid);
            }
          }
          // an unsigning side reads the signed value as an id that does not exist
          assert.equal(
            (await get(nodeMain.express, '/sid/', nc)).json<{ empty: boolean }>().empty,
            true,
          );
          assert.equal((await get(flaskMain, '/sid/', nc)).json<{ empty: boolean }>().empty, true);
        }
      }));

    test('json serialization format: byte-identical, read by both, and read by msgpack sides', () =>
      withLogs(async () => {
        for (const node of [nodeJson, honoJson]) {
          const fc = onlyCookie(await get(flaskJson, '/'));
          const nc = onlyCookie(await get(node, '/'));
          const fb = await redis.getBytes(`session:${sidOf(fc)}`);
          const nb = await redis.getBytes(`session:${sidOf(nc)}`);
          assert.equal(fb?.toString('utf8'), '{"_permanent":true,"uname":"momo","pwd":"python"}');
          assert.equal(nb?.toString('utf8'), fb?.toString('utf8'));
          assert.deepEqual((await get(node, '/getSession/', fc)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
          await get(node, '/set/pwd/n%C3%A9w', fc);
          assert.deepEqual((await get(flaskJson, '/get/pwd', fc)).json(), { value: 'n\u00e9w' });
          assert.deepEqual((await get(flaskJson, '/getSession/', nc)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
          // typed values in JSON: the same bytes (bytes as base64, datetimes as RFC 3339); the
          // datetime with milliseconds is left out here: see the todo test below
          const ft = onlyCookie(
            await get(flaskJson, '/types/?without=whole_float&without=when_ms'),
          );
          const nt = onlyCookie(await get(node, '/types/?without=when_ms'));
          const ftb = await redis.getBytes(`session:${sidOf(ft)}`);
          const ntb = await redis.getBytes(`session:${sidOf(nt)}`);
          assert.equal(ntb?.toString('utf8'), ftb?.toString('utf8'));
          // the other format is read too (Flask-Session's alternate decoder)
          assert.deepEqual((await get(nodeMain.express, '/getSession/', fc)).json(), {
            uname: 'momo',
            pwd: 'n\u00e9w',
          });
          assert.deepEqual((await get(flaskMain, '/getSession/', nc)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
        }
      }));

    test('json serialization format: sub-second datetimes, floats and NaN written as msgspec writes them', () =>
      withLogs(async () => {
        // the datetime with milliseconds: msgspec writes 6 fraction digits
        const ft = onlyCookie(await get(flaskJson, '/types/?without=whole_float'));
        const nt = onlyCookie(await get(nodeJson, '/types/'));
        const ftb = (await redis.getBytes(`session:${sidOf(ft)}`))?.toString('utf8');
        const ntb = (await redis.getBytes(`session:${sidOf(nt)}`))?.toString('utf8');
        assert.match(ftb ?? '', /"when_ms":"2024-01-02T03:04:05\.678000Z"/);
        assert.equal(ntb, ftb);
        // floats and non-finite numbers, written by Node, then read by Flask-Session
        const iface = new ServerSideSessionInterface({
          store: redisStore(nodeRedis),
          serializationFormat: 'json',
        });
        const s = await iface.open(undefined);
        s.update({ a: 1e-7, b: 1e-5, c: Number.NaN, d: Number.POSITIVE_INFINITY });
        await iface.save(s);
        const raw = (await redis.getBytes(`session:${s.sid}`))?.toString('utf8');
        const dump = await get(flaskJson, '/dump/', `session=${s.sid}`);
        assert.equal(dump.status, 200, 'Flask-Session cannot decode the session: ' + raw);
        assert.equal(raw, '{"_permanent":true,"a":1e-7,"b":0.00001,"c":null,"d":null}');
      }));

    test('regenerate: a new id on either side, the old key deleted, the other side follows', () =>
      withLogs(async () => {
        for (const kind of kinds) {
          const node = nodeMain[kind];
          const c = onlyCookie(await get(flaskMain, '/'));
          const r = await get(node, '/regenerate/', c);
          const j = r.json<{ old: string; new: string }>();
          assert.equal(j.old, sidOf(c));
          assert.match(j.new, SID_RE);
          assert.notEqual(j.new, j.old);
          const nc = onlyCookie(r);
          assert.equal(sidOf(nc), j.new);
          assert.equal(await exists(j.old), false, 'old key deleted');
          assert.equal(await exists(j.new), true);
          assert.deepEqual((await get(flaskMain, '/getSession/', nc)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
          assert.deepEqual((await get(flaskMain, '/getSession/', c)).json(), {
            uname: null,
            pwd: null,
          });
          // Flask regenerates, Node follows
          const fr = await get(flaskMain, '/regenerate/', nc);
          const fj = fr.json<{ old: string; new: string }>();
          assert.equal(fj.old, j.new);
          const fc = onlyCookie(fr);
          assert.equal(await exists(fj.old), false);
          assert.deepEqual((await get(node, '/getSession/', fc)).json(), {
            uname: 'momo',
            pwd: 'python',
          });
          assert.deepEqual((await get(node, '/getSession/', nc)).json(), {
            uname: null,
            pwd: null,
          });
        }
      }));

    test('concurrent requests from both sides: the last write wins, as in Flask-Session', () =>
      withLogs(async () => {
        // Flask-Session reads the whole session when a request starts and writes the whole session
        // when it ends (SET, no merge, no lock). Observed, on both sides: a slow request that
        // started before a fast one ends after it and overwrites it, so the fast request's key is
        // lost and the slow one's is kept; the loser's change is silently dropped, never merged.
        for (const [slow, fast] of [
          [flaskMain, nodeMain.express],
          [nodeMain.hono, flaskMain],
          [nodeMain.express, nodeMain.web],
        ] as const) {
          const c = onlyCookie(await get(flaskMain, '/'));
          const slowReq = get(slow, '/slow-set/slow/1/600', c);
          await sleep(200); // the slow request has read the session
          const fastRes = await get(fast, '/set/fast/1', c);
          assert.equal(fastRes.status, 200);
          // in between, the fast write is visible
          assert.deepEqual((await get(fast, '/get/fast', c)).json(), { value: '1' });
          assert.equal((await slowReq).status, 200);
          for (const base of [flaskMain, nodeMain.express]) {
            assert.deepEqual((await get(base, '/get/slow', c)).json(), { value: '1' });
            assert.deepEqual((await get(base, '/get/fast', c)).json(), { value: null }, 'lost');
            assert.deepEqual((await get(base, '/get/uname', c)).json(), { value: 'momo' });
          }
        }
        // many concurrent writers of different keys on one session: every request succeeds, the
        // session stays readable, and the final state is one of the writes (at least one key)
        const c = onlyCookie(await get(flaskMain, '/'));
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            get([flaskMain, nodeMain.express, nodeMain.hono][i % 3]!, `/set/k${i}/${i}`, c),
          ),
        );
        assert.deepEqual(
          results.map((r) => r.status),
          Array(12).fill(200),
        );
        const d = (await get(flaskMain, '/dump/', c)).json();
        assert.deepEqual(d['uname'], { repr: "'momo'", type: 'str' });
        assert.ok(Object.keys(d).some((k) => /^k\d+$/.test(k)));
      }));

    test('Redis restarted: the sessions are gone, nothing crashes, both sides start anew', () =>
      withLogs(async () => {
        const fc = onlyCookie(await get(flaskMain, '/'));
        const nc = onlyCookie(await get(nodeMain.hono, '/'));
        await redis.restart();
        const ready = async () => {
          const deadline = Date.now() + 5000;
          while (!(nodeRedis.isReady && ioredis.status === 'ready')) {
            if (Date.now() > deadline)
              throw new Error('the Redis clients did not reconnect in 5 s');
            await sleep(25);
          }
        };
        await ready();
        for (const c of [fc, nc]) {
          for (const base of [flaskMain, ...kinds.map((k) => nodeMain[k])]) {
            const r = await get(base, '/getSession/', c);
            assert.equal(r.status, 200, `${base}: ${r.text}`);
            assert.deepEqual(r.json(), { uname: null, pwd: null });
            assert.deepEqual(r.setCookie, []);
          }
        }
        // and new sessions work again on both sides
        const again = onlyCookie(await get(nodeMain.express, '/'));
        assert.deepEqual((await get(flaskMain, '/getSession/', again)).json(), {
          uname: 'momo',
          pwd: 'python',
        });
      }));

    test('Redis stopped: "throw" gives HTTP 500, "empty" an empty session (never another one)', () =>
      withLogs(async () => {
        const c = onlyCookie(await get(nodeMain.express, '/'));
        const other = onlyCookie(await get(flaskMain, '/set/user/other'));
        assert.ok(other);
        await redis.stop();
        const deadline = Date.now() + 5000;
        while (nodeRedis.isReady || ioredis.status === 'ready') {
          if (Date.now() > deadline) throw new Error('the Redis clients did not notice in 5 s');
          await sleep(25);
        }
        try {
          for (const base of [nodeMain.express, nodeMain.hono, nodeMain.web]) {
            const r = await get(base, '/getSession/', c);
            assert.equal(r.status, 500, `${base}: ${r.text}`);
            assert.match(r.text, /SessionStoreError: Redis GET failed/);
            assert.deepEqual(r.setCookie, []);
            // without a cookie the store is not needed
            const n = await get(base, '/getSession/');
            assert.equal(n.status, 200);
            assert.deepEqual(n.json(), { uname: null, pwd: null });
          }
          for (const base of [expressEmpty, honoEmpty]) {
            const r = await get(base, '/getSession/', c);
            assert.equal(r.status, 200, `${base}: ${r.text}`);
            assert.deepEqual(r.json(), { uname: null, pwd: null });
            assert.deepEqual(r.setCookie, []);
            const d = await get(base, '/dump/', c);
            assert.deepEqual(d.json(), { _permanent: true }, 'a new empty session, nobody else’s');
            // a write still needs Redis: the save fails with a 500, and no cookie is sent
            const w = await get(base, '/set/a/b', c);
            assert.equal(w.status, 500, `${base}: ${w.text}`);
            assert.match(w.text, /Redis SET failed/);
            assert.deepEqual(w.setCookie, []);
          }
          // Flask-Session fails too (redis.exceptions.ConnectionError -> HTTP 500)
          const f = await get(flaskMain, '/getSession/', c);
          assert.equal(f.status, 500);
        } finally {
          await redis.start();
        }
      }));
  },
);
