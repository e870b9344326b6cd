/**
 * The Koa adapter (Koa 3 and Koa 2) over real HTTP on loopback: Flask's save rules, headers added
 * beside the app's own, errors, streams, HEAD, server-side sessions, and a round trip with real
 * Flask 3.1.3 (examples/flask_app.py).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import Koa3 from 'koa';
import { dumpSession, readSession, type SessionOptions } from '../../src/index.ts';
import {
  MemoryStore,
  flaskSession,
  flash,
  getFlashedMessages,
  type ServerSideOptions,
  type Session,
  type SessionStore,
} from '../../src/adapters/koa.ts';
import { flaskOrSkip } from '../interop/_python.ts';
import { startFlaskApp, startNodeServer, type Running } from '../interop/_servers.ts';

const SECRET = 'koa-secret-0123456789abcdef';
const OLD = 'koa-old-secret-0123456789abcdef';
const OPTIONS: SessionOptions = { secret: SECRET, fallbacks: [OLD] };

type KoaClass = typeof Koa3;
/** Koa 2.16, installed as `koa2` (npm:koa@2.16.4); typed as Koa 3, whose API it shares here. */
const Koa2 = ((await import('koa2' as string)) as { default: KoaClass }).default;
const KOAS: [string, KoaClass][] = [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2],
];

/** Errors Koa reported through its 'error' event (its error path), per app. */
type Reported = Error[];

/** A Koa app with the session middleware and the routes every test uses. */
function app(Koa: KoaClass, options: SessionOptions | ServerSideOptions, reported: Reported) {
  const a = new Koa();
  a.silent = true;
  a.on('error', (e: Error) => reported.push(e));
  // a middleware before the session's, as apps add their own headers
  a.use(async (ctx, next) => {
    if (ctx.path === '/other-cookie') {
      ctx.append('Set-Cookie', 'theme=dark; Path=/');
      ctx.set('Vary', 'Accept-Encoding');
    }
    await next();
  });
  a.use(flaskSession(options));
  a.use(async (ctx) => {
    const q = ctx.query as Record<string, string>;
    if (ctx.path === '/touch') {
      ctx.body = 'not touched'; // ctx.session not even read: Flask 3.1.3 counts any use as access
      return;
    }
    const s: Session = ctx.session;
    switch (ctx.path) {
      case '/read':
        ctx.body = { value: s.get(q['k']!) ?? null };
        return;
      case '/set':
      case '/other-cookie':
        s.set(q['k'] ?? 'a', q['v'] ?? '1');
        ctx.body = 'set';
        return;
      case '/clear':
        s.clear();
        ctx.body = 'cleared';
        return;
      case '/clear-null':
        (ctx as { session: Session | null }).session = null; // koa-session's idiom
        ctx.body = 'cleared';
        return;
      case '/login':
        s.set('uname', 'momo');
        s.permanent = true;
        ctx.body = 'logged in';
        return;
      case '/throw':
        s.set('before-error', 'yes');
        throw new Error('view failed');
      case '/throw-http':
        s.set('before-error', 'yes');
        ctx.throw(403, 'forbidden', {
          headers: { 'Set-Cookie': 'csrf=1; Path=/', Vary: 'Origin' },
        });
        return;
      case '/stream':
        s.set('streamed', 'yes');
        ctx.type = 'text/plain';
        ctx.body = Readable.from(
          (async function* () {
            for (let i = 0; i < 3; i++) {
              await new Promise((r) => setTimeout(r, 5));
              yield `chunk ${i}\n`;
            }
          })(),
        );
        return;
      case '/flash':
        flash(s, q['m']!, q['c'] ?? 'message');
        ctx.body = 'flashed';
        return;
      case '/flashes':
        ctx.body = getFlashedMessages(s, { withCategories: true });
        return;
      default:
        ctx.status = 404;
    }
  });
  return a;
}

interface Reply {
  status: number;
  setCookie: string[];
  vary: string | null;
  text: string;
}
async function request(base: string, path: string, cookie?: string, method = 'GET') {
  const r = await fetch(base + path, { method, headers: cookie ? { cookie } : {} });
  const reply: Reply = {
    status: r.status,
    setCookie: r.headers.getSetCookie(),
    vary: r.headers.get('vary'),
    text: await r.text(),
  };
  return reply;
}
/** The `name=value` pairs a browser would send back. */
const jar = (setCookie: string[]) => setCookie.map((c) => c.split(';')[0]).join('; ');
const sessionCookie = (r: Reply) => r.setCookie.filter((c) => c.startsWith('session='));

for (const [name, Koa] of KOAS) {
  describe(`${name}: cookie sessions`, () => {
    let server: Running;
    const reported: Reported = [];
    before(async () => {
      server = await startNodeServer(app(Koa, OPTIONS, reported).callback());
    });
    after(async () => {
      await server?.stop();
    });
    const get = (path: string, cookie?: string) => request(server.url, path, cookie);

    test('a new session sets exactly the cookie Flask would set', async () => {
      const r = await get('/set?k=a&v=1');
      assert.equal(r.status, 200);
      assert.equal(r.setCookie.length, 1);
      assert.equal(r.vary, 'Cookie');
      const read = readSession(jar(r.setCookie), SECRET);
      assert.equal(read.status, 'valid');
      assert.equal(
        r.setCookie[0],
        dumpSession({ a: '1' }, { secret: SECRET, now: read.issuedAt! }),
      );
      // a second request with that cookie: the session survived
      const again = await get('/read?k=a', jar(r.setCookie));
      assert.equal(again.text, '{"value":"1"}');
    });

    test('an untouched request sends nothing; a read sends only Vary: Cookie', async () => {
      const c = jar((await get('/set?k=a&v=1')).setCookie);
      const untouched = await get('/touch', c);
      assert.deepEqual([untouched.setCookie, untouched.vary], [[], null]);
      const read = await get('/read?k=a', c);
      assert.equal(read.text, '{"value":"1"}');
      assert.deepEqual([read.setCookie, read.vary], [[], 'Cookie']);
    });

    test('Set-Cookie is appended to the app’s own, and Cookie is merged into Vary', async () => {
      const r = await get('/other-cookie?k=a&v=2');
      assert.equal(r.setCookie.length, 2);
      assert.equal(r.setCookie[0], 'theme=dark; Path=/');
      assert.match(r.setCookie[1]!, /^session=/);
      assert.equal(r.vary, 'Accept-Encoding, Cookie');
    });

    test('a tampered, expired or garbage cookie gives an empty session', async () => {
      const c = jar((await get('/set?k=a&v=1')).setCookie);
      const tampered = c.slice(0, 12) + (c[12] === 'A' ? 'B' : 'A') + c.slice(13);
      const expired = dumpSession(
        { a: '1' },
        { secret: SECRET, now: Date.now() / 1000 - 2678401 },
      ).split(';')[0]!;
      for (const bad of [tampered, expired, 'session=garbage', 'session="']) {
        const r = await get('/read?k=a', bad);
        assert.equal(r.status, 200, bad);
        assert.equal(r.text, '{"value":null}', bad);
        assert.deepEqual(r.setCookie, [], bad);
      }
    });

    test('clearing sends the deletion header', async () => {
      const c = jar((await get('/set?k=a&v=1')).setCookie);
      const r = await get('/clear', c);
      assert.deepEqual(r.setCookie, [dumpSession({}, { secret: SECRET })]);
      assert.match(r.setCookie[0]!, /Max-Age=0/);
      const n = await get('/clear-null', c);
      assert.deepEqual(n.setCookie, [dumpSession({}, { secret: SECRET })]);
    });

    test('a permanent session is re-issued with a new timestamp on each request that uses it', async () => {
      const login = await get('/login');
      assert.match(login.setCookie[0]!, /; Expires=/);
      const old = dumpSession(
        { uname: 'momo', _permanent: true },
        { secret: SECRET, now: Date.now() / 1000 - 100 },
      ).split(';')[0]!;
      const r = await get('/read?k=uname', old);
      assert.equal(r.setCookie.length, 1);
      const fresh = readSession(jar(r.setCookie), SECRET);
      assert.ok(fresh.issuedAt!.getTime() > Date.now() - 5000);
      assert.deepEqual({ ...fresh.data }, { uname: 'momo', _permanent: true });
      // Flask opens every session: an untouched permanent one is re-issued as well
      assert.equal((await get('/touch', old)).setCookie.length, 1);
    });

    test('a cookie signed with a fallback key is re-signed with the current key', async () => {
      const old = dumpSession({ a: 'old' }, { secret: OLD }).split(';')[0]!;
      assert.equal((await get('/read?k=a', old)).text, '{"value":"old"}');
      const r = await get('/set?k=b&v=2', old);
      const again = readSession(jar(r.setCookie), SECRET, { fallbacks: [] });
      assert.equal(again.status, 'valid');
      assert.deepEqual({ ...again.data }, { a: 'old', b: '2' });
    });

    test('an error thrown by a view still saves the session, then goes to Koa’s error path', async () => {
      const before = reported.length;
      const r = await get('/throw');
      assert.equal(r.status, 500);
      assert.equal(r.vary, 'Cookie');
      assert.equal(r.setCookie.length, 1);
      assert.deepEqual(
        { ...readSession(jar(r.setCookie), SECRET).data },
        { 'before-error': 'yes' },
      );
      assert.equal(reported.length, before + 1);
      assert.equal(reported.at(-1)!.message, 'view failed');
      // an HTTP error with its own headers keeps them, with the session's added
      const h = await get('/throw-http');
      assert.equal(h.status, 403);
      assert.equal(h.setCookie.length, 2);
      assert.equal(h.setCookie[0], 'csrf=1; Path=/');
      assert.match(h.setCookie[1]!, /^session=/);
      assert.equal(h.vary, 'Origin, Cookie');
    });

    test('a streamed body gets the cookie, and so does HEAD', async () => {
      const r = await get('/stream');
      assert.equal(r.text, 'chunk 0\nchunk 1\nchunk 2\n');
      assert.deepEqual({ ...readSession(jar(r.setCookie), SECRET).data }, { streamed: 'yes' });
      const head = await request(server.url, '/set?k=h&v=1', undefined, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      assert.deepEqual({ ...readSession(jar(head.setCookie), SECRET).data }, { h: '1' });
    });
  });

  describe(`${name}: server-side sessions`, () => {
    let server: Running;
    let failing: Running;
    const store = new MemoryStore();
    const reported: Reported = [];
    const failingReported: Reported = [];
    const broken: SessionStore = {
      get: async () => null,
      set: async () => {
        throw new Error('store down');
      },
      delete: async () => undefined,
    };
    before(async () => {
      server = await startNodeServer(app(Koa, { store }, reported).callback());
      failing = await startNodeServer(app(Koa, { store: broken }, failingReported).callback());
    });
    after(async () => {
      await server?.stop();
      await failing?.stop();
    });

    test('the data lives in the store and the cookie holds its id', async () => {
      const r = await request(server.url, '/set?k=a&v=1');
      assert.equal(r.status, 200);
      assert.equal(sessionCookie(r).length, 1);
      const id = decodeURIComponent(jar(r.setCookie).slice('session='.length));
      assert.ok(id.length >= 40, id);
      assert.equal(store.size >= 1, true);
      const again = await request(server.url, '/read?k=a', jar(r.setCookie));
      assert.equal(again.text, '{"value":"1"}');
      const flashed = await request(server.url, '/flash?m=hi', jar(r.setCookie));
      const shown = await request(server.url, '/flashes', jar(r.setCookie));
      assert.equal(flashed.status, 200);
      assert.equal(shown.text, '[["message","hi"]]');
      const cleared = await request(server.url, '/clear', jar(r.setCookie));
      assert.match(cleared.setCookie[0]!, /Max-Age=0|Expires=Thu, 01 Jan 1970/);
      assert.equal(
        (await request(server.url, '/read?k=a', jar(r.setCookie))).text,
        '{"value":null}',
      );
    });

    test('a store that fails while saving gives a 500 through Koa’s error path; the server lives on', async () => {
      const r = await request(failing.url, '/set?k=a&v=1');
      assert.equal(r.status, 500);
      assert.deepEqual(r.setCookie, []);
      assert.equal(failingReported.at(-1)!.message.includes('store down'), true);
      const ok = await request(failing.url, '/touch');
      assert.equal(ok.status, 200);
    });
  });
}

const flaskFound = flaskOrSkip('3.1');
describe(
  'Koa and real Flask 3.1 share one session',
  { skip: 'skip' in flaskFound ? flaskFound.skip : false },
  () => {
    let flaskApp: Running;
    let koa: Running;
    before(async () => {
      if ('skip' in flaskFound) return;
      flaskApp = await startFlaskApp(flaskFound, { secret: SECRET });
      koa = await startNodeServer(app(Koa3, { secret: SECRET }, []).callback());
    });
    after(async () => {
      await flaskApp?.stop();
      await koa?.stop();
    });

    test('logged in on Flask, changed on Koa, read and cleared on Flask', async () => {
      const login = await request(flaskApp.url, '/');
      let cookie = jar(login.setCookie);
      const inKoa = await request(koa.url, '/read?k=uname', cookie);
      assert.equal(inKoa.text, '{"value":"momo"}');
      // permanent: Koa re-issues it, and Flask reads what Koa wrote
      assert.equal(inKoa.setCookie.length, 1);
      assert.match(inKoa.setCookie[0]!, /; Expires=/);
      const set = await request(koa.url, '/set?k=cart=&v=3%20items', cookie);
      cookie = jar(set.setCookie);
      const inFlask = await request(flaskApp.url, '/get/cart=', cookie);
      assert.equal(inFlask.text.trim(), '{"value":"3 items"}');
      const both = await request(flaskApp.url, '/getSession/', cookie);
      assert.deepEqual(JSON.parse(both.text), { uname: 'momo', pwd: 'python' });
      // Flask writes, Koa reads; Flask's flash, Koa's getFlashedMessages
      const fromFlask = await request(flaskApp.url, '/flash/info/Saved', cookie);
      const shown = await request(koa.url, '/flashes', jar(fromFlask.setCookie));
      assert.equal(shown.text, '[["info","Saved"]]');
      // Koa clears; Flask sees an empty session
      const cleared = await request(koa.url, '/clear', cookie);
      const after = await request(flaskApp.url, '/getSession/', jar(cleared.setCookie));
      assert.deepEqual(JSON.parse(after.text), { uname: null, pwd: null });
    });
  },
);
