/**
 * Server-side sessions in Memcached, shared with Flask-Session 0.8's MemcachedSessionInterface
 * (real Flask-Session with Debian's pymemcache, test/interop/flask_session_stores_app.py), through
 * the Express and Web adapters with `memcachedStore` (memjs): typed values both ways, the stored
 * bytes and flags, the expiry (relative, and absolute above 30 days as `_get_memcache_timeout`),
 * deletion, regenerate, bad ids, memcached down and restarted, 8 concurrent clients x 200 requests.
 *
 * memcached is private (free loopback port) and stopped after. Locally a missing memcached or
 * Python package skips (one line); with CI=true it fails.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import memjs from 'memjs';
import { memcachedStore } from '../../src/adapters/memcached.ts';
import { getMemcacheTimeout, MemcachedStore } from '../../src/flask-session/memcached.ts';
import { SessionStoreError } from '../../src/index.ts';
import type { Running } from '../interop/_servers.ts';
import {
  MEMCACHED_PYTHON,
  memcachedOrSkip,
  pythonOrSkip,
  startMemcached,
  startStoresApp,
  type DbServer,
  type StoresAppEnv,
} from '../interop/_databases.ts';
import { get, onlyCookie, sidOf, sleep, startNode, type Kind } from '../interop/_stores_app.ts';

const SECRET = 'memcached-interop-secret-0123456789';

const bin = memcachedOrSkip();
const py = 'skip' in bin ? bin : pythonOrSkip(MEMCACHED_PYTHON, ['pymemcache', 'msgspec']);
const skip = 'skip' in bin ? bin.skip : 'skip' in py ? py.skip : undefined;

test(
  'getMemcacheTimeout: as Flask-Session 0.8 computes it (relative up to 30 days, then absolute)',
  { skip },
  () => {
    const now = 1_700_000_000;
    const cases = [1, 60, 2_592_000, 2_592_001, 2_678_400];
    const r = spawnSync(
      MEMCACHED_PYTHON,
      [
        '-c',
        `import json, time
time.time = lambda: ${now}.75
from flask_session.memcached.memcached import MemcachedSessionInterface as M
print(json.dumps([M._get_memcache_timeout(None, t) for t in ${JSON.stringify(cases)}]))`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      cases.map((t) => getMemcacheTimeout(t, now + 0.75)),
      JSON.parse(r.stdout),
    );
  },
);

test('MemcachedStore: a refused write and a failing client are SessionStoreErrors', async () => {
  const store = new MemcachedStore({
    get: async () => {
      throw new Error('ECONNREFUSED');
    },
    set: async () => false,
    delete: async () => true,
  });
  await assert.rejects(store.get('session:x'), SessionStoreError);
  await assert.rejects(store.set('session:x', new Uint8Array(1), 60), SessionStoreError);
  // keys pymemcache refuses are no session, without asking the server
  assert.equal(await store.get('session:' + 'x'.repeat(300)), null);
  assert.equal(await store.get('session:a b'), null);
});

/** The meta-get of a key: its bytes, flags and remaining TTL (-1: none), or null. */
async function metaGet(
  port: number,
  key: string,
): Promise<{ data: Buffer; flags: number; ttl: number } | null> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    s.once('error', reject);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const head = buf.toString('latin1', 0, eol).split(' ');
      if (head[0] === 'EN') {
        s.destroy();
        resolve(null);
        return;
      }
      if (head[0] !== 'VA') {
        s.destroy();
        reject(new Error(`unexpected reply ${head.join(' ')}`));
        return;
      }
      const len = Number(head[1]);
      if (buf.length < eol + 2 + len + 2) return;
      s.destroy();
      const flag = (c: string) => Number(head.find((h) => h.startsWith(c))!.slice(1));
      resolve({ data: buf.subarray(eol + 2, eol + 2 + len), flags: flag('f'), ttl: flag('t') });
    });
    s.write(`mg ${key} v f t\r\n`);
  });
}

describe('server-side sessions in Memcached shared with Flask-Session 0.8', { skip }, () => {
  let server: DbServer;
  let client: memjs.Client;
  const servers: Running[] = [];
  const stderrs: (() => string)[] = [];
  let flaskMain: string, flaskShort: string, flaskHour: string;
  let node: Record<Exclude<Kind, 'hono'>, string>;
  let nodeShort: string, nodeHour: string, nodeEmpty: string;
  const python = MEMCACHED_PYTHON;

  before(async () => {
    server = await startMemcached(bin as { bin: string });
    client = memjs.Client.create(`127.0.0.1:${server.port}`, {
      timeout: 0.5,
      conntimeout: 0.5,
      retries: 1,
      keepAlive: true,
      logger: { log: () => {} },
    });
    const store = memcachedStore(client);
    const env = (extra: StoresAppEnv = {}): StoresAppEnv => ({
      SECRET_KEY: SECRET,
      SESSION_TYPE: 'memcached',
      MEMCACHED_SERVER: `127.0.0.1:${server.port}`,
      ...extra,
    });
    const apps = await Promise.all([
      startStoresApp(python, env()),
      startStoresApp(python, env({ PERMANENT_SESSION_LIFETIME: 2 })),
      startStoresApp(python, env({ PERMANENT_SESSION_LIFETIME: 3600 })),
    ]);
    servers.push(...apps);
    stderrs.push(...apps.map((a) => a.stderr));
    [flaskMain, flaskShort, flaskHour] = apps.map((a) => a.url) as [string, string, string];
    const start = async (kind: Kind, o: Parameters<typeof startNode>[1]) => {
      const s = await startNode(kind, o);
      servers.push(s);
      return s.url;
    };
    node = {
      express: await start('express', { store, secret: SECRET }),
      web: await start('web', { store, secret: SECRET }),
    };
    nodeShort = await start('web', { store, permanentLifetime: 2 });
    nodeHour = await start('express', { store, permanentLifetime: 3600 });
    nodeEmpty = await start('express', { store, onStoreError: 'empty' });
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    client?.close();
    await server?.destroy();
  });

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
  const item = (sid: string) => metaGet(server.port, `session:${sid}`);

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
      }
    }));

  test('typed values both ways, and the same bytes and flags as pymemcache stores', () =>
    withLogs(async () => {
      const fcookie = onlyCookie(await get(flaskMain, '/types/?without=whole_float'));
      const fdump = (await get(flaskMain, '/dump/', fcookie)).json();
      const f = (await item(sidOf(fcookie)))!;
      assert.equal(f.flags, 0);
      for (const kind of ['express', 'web'] as const) {
        const d = (await get(node[kind], '/dump/', fcookie)).json();
        assert.deepEqual(d['big'], { bigint: String(2n ** 60n) });
        assert.deepEqual(d['when'], { date: '2024-01-02T03:04:05.000Z' });
        const ncookie = onlyCookie(await get(node[kind], '/types/'));
        const n = (await item(sidOf(ncookie)))!;
        assert.equal(n.data.toString('hex'), f.data.toString('hex'), `${kind}: value bytes`);
        assert.equal(n.flags, f.flags);
        assert.deepEqual((await get(flaskMain, '/dump/', ncookie)).json(), fdump, kind);
      }
    }));

  test('expiry: the same TTL as Flask-Session, relative (1 h) and absolute above 30 days (31 d)', () =>
    withLogs(async () => {
      for (const [flask, nodeUrl, lifetime] of [
        [flaskHour, nodeHour, 3600],
        [flaskMain, node.web, 2678400],
      ] as const) {
        const f = (await item(sidOf(onlyCookie(await get(flask, '/')))))!;
        const n = (await item(sidOf(onlyCookie(await get(nodeUrl, '/')))))!;
        for (const [who, x] of [
          ['flask', f],
          ['node', n],
        ] as const)
          assert.ok(
            x.ttl > lifetime - 3 && x.ttl <= lifetime + 1, // + 1: memcached rounds absolute times
            `${who}: TTL ${x.ttl} for ${lifetime}`,
          );
        assert.ok(Math.abs(f.ttl - n.ttl) <= 1, `${f.ttl} vs ${n.ttl}`);
      }
    }));

  test('expiry: PERMANENT_SESSION_LIFETIME=2, after ~3 s both sides see a new empty session', () =>
    withLogs(async () => {
      const fc = onlyCookie(await get(flaskShort, '/'));
      const nc = onlyCookie(await get(nodeShort, '/'));
      assert.deepEqual((await get(flaskShort, '/getSession/', nc)).json(), {
        uname: 'momo',
        pwd: 'python',
      });
      await sleep(3200);
      for (const c of [fc, nc]) {
        assert.equal(await item(sidOf(c)), null);
        for (const base of [flaskShort, nodeShort])
          assert.deepEqual((await get(base, '/getSession/', c)).json(), { uname: null, pwd: null });
      }
    }));

  test('clear deletes the key on either side; regenerate moves the session on either side', () =>
    withLogs(async () => {
      for (const [a, b] of [
        [flaskMain, node.express],
        [node.web, flaskMain],
      ] as const) {
        const c = onlyCookie(await get(a, '/'));
        const d = await get(b, '/deleteSession/', c);
        assert.match(d.setCookie[0] ?? '', /^session=; Expires=Thu, 01 Jan 1970/);
        assert.equal(await item(sidOf(c)), null);
        assert.deepEqual((await get(a, '/getSession/', c)).json(), { uname: null, pwd: null });

        const c2 = onlyCookie(await get(a, '/'));
        const r = await get(b, '/regenerate/', c2);
        const { old, new: fresh } = r.json<{ old: string; new: string }>();
        assert.equal(old, sidOf(c2));
        assert.equal(sidOf(onlyCookie(r)), fresh);
        assert.equal(await item(old), null);
        assert.ok(await item(fresh));
        assert.deepEqual((await get(a, '/getSession/', onlyCookie(r))).json(), {
          uname: 'momo',
          pwd: 'python',
        });
      }
    }));

  test('bad ids are no session (no error); a value over 1 MB is a SessionStoreError', () =>
    withLogs(async () => {
      for (const cookie of [
        'session=' + 'x'.repeat(400),
        'session="a b"',
        'session=\u00e9t\u00e9',
      ]) {
        const r = await get(node.express, '/getSession/', cookie);
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json(), { uname: null, pwd: null });
      }
      const store = memcachedStore(client);
      await assert.rejects(
        store.set('session:big', new Uint8Array(1_100_000), 60),
        SessionStoreError,
      );
    }));

  test('8 concurrent clients x 200 requests over Flask, Express and Web: nothing lost or mixed up', () =>
    withLogs(async () => {
      const apps = [flaskMain, node.express, node.web];
      const run = async (n: number) => {
        let cookie = onlyCookie(await get(apps[n % 3]!, `/set/owner/c${n}`));
        for (let i = 0; i < 199; i++) {
          const r = await get(apps[(n + i) % 3]!, `/set/k${i}/c${n}`, cookie);
          assert.equal(r.status, 200, r.text);
          if (r.setCookie.length) cookie = onlyCookie(r);
        }
        return cookie;
      };
      const cookies = await Promise.all(Array.from({ length: 8 }, (_, n) => run(n)));
      assert.equal(new Set(cookies.map(sidOf)).size, 8);
      for (const [n, c] of cookies.entries()) {
        const d = (await get(node.web, '/dump/', c)).json();
        assert.equal(Object.keys(d).length, 201, `client ${n}`);
        assert.equal(d['owner'], `c${n}`);
        for (let i = 0; i < 199; i++) assert.equal(d[`k${i}`], `c${n}`);
      }
    }));

  test('memcached down: "throw" gives HTTP 500 (as Flask-Session), "empty" a new empty session; restarted, both start anew', () =>
    withLogs(async () => {
      const c = onlyCookie(await get(node.express, '/'));
      await server.stop();
      try {
        for (const base of [node.express, node.web]) {
          const r = await get(base, '/getSession/', c);
          assert.equal(r.status, 500, `${base}: ${r.text}`);
          assert.match(r.text, /SessionStoreError: Memcached get failed/);
          assert.deepEqual(r.setCookie, []);
        }
        const e = await get(nodeEmpty, '/dump/', c);
        assert.equal(e.status, 200, e.text);
        assert.deepEqual(e.json(), { _permanent: true });
        const w = await get(nodeEmpty, '/set/a/b', c);
        assert.equal(w.status, 500);
        assert.deepEqual(w.setCookie, []);
        assert.equal((await get(flaskMain, '/getSession/', c)).status, 500);
      } finally {
        await server.start();
      }
      // memcached keeps nothing across a restart: a new session on both sides, which works. memjs
      // reconnects on the next request; pymemcache's pool drops one dead connection per failed
      // request (Flask-Session does not retry), so Flask may answer 500 a few more times.
      for (const base of [node.express, node.web, flaskMain]) {
        let r = await get(base, '/getSession/', c);
        const tries = base === flaskMain ? 30 : 1;
        for (let i = 0; i < tries && r.status !== 200; i++) r = await get(base, '/getSession/', c);
        assert.equal(r.status, 200, `${base}: ${r.text}`);
        assert.deepEqual(r.json(), { uname: null, pwd: null });
      }
      const again = onlyCookie(await get(node.express, '/'));
      assert.deepEqual((await get(flaskMain, '/getSession/', again)).json(), {
        uname: 'momo',
        pwd: 'python',
      });
    }));
});
