/**
 * One conformance suite, run against every adapter (Express, Fastify, Hono, Koa, Web) over real HTTP on
 * loopback: each serves the same routes, and each must answer with Flask's session behaviour.
 * Flashed messages also cross to and from a real Flask app (examples/flask_app.py).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import {
  dumpSession,
  getCookie,
  parseSetCookie,
  readSession,
  type SessionOptions,
} from '../../src/index.ts';
import { flaskSession as expressSession } from '../../src/adapters/express.ts';
import { flaskSession as fastifySession } from '../../src/adapters/fastify.ts';
import { flaskSession as honoSession } from '../../src/adapters/hono.ts';
import { flaskSession as koaSession } from '../../src/adapters/koa.ts';
import { webSessions, type Session } from '../../src/adapters/web.ts';
import { flash, getFlashedMessages } from '../../src/index.ts';
import { flaskOrSkip } from '../interop/_python.ts';
import { fetchServer, startFlaskApp, startNodeServer, type Running } from '../interop/_servers.ts';

const SECRET = 'conformance-secret-0123456789';
const OLD = 'conformance-old-secret-0123456789';
const OPTIONS: SessionOptions = { secret: SECRET, fallbacks: [OLD] };

/** What every app does on each route, given its session. */
function route(path: string, q: URLSearchParams, session: Session | (() => Session)): unknown {
  if (path === '/touch') return 'not touched';
  // req.session / request.session are getters: evaluating one touches the session (Flask 3.1.3)
  const s = typeof session === 'function' ? session() : session;
  switch (path) {
    case '/proxy':
      return s.isNew ? 'touched' : 'touched'; // any use of the session, no key read
    case '/read':
      return { value: s.get(q.get('k')!) ?? null };
    case '/set':
      s.set(q.get('k')!, q.get('v')!);
      return { value: q.get('v') };
    case '/clear':
      s.clear();
      return 'cleared';
    case '/login':
      s.set('uname', 'momo');
      s.permanent = true;
      return 'logged in';
    case '/nested': {
      const list = (s.get('list') as string[] | undefined) ?? [];
      list.push('x');
      if (!s.has('list')) s.set('list', list);
      if (q.get('mark')) s.modified = true;
      return { list };
    }
    case '/flash':
      flash(s, q.get('m')!, q.get('c') ?? 'message');
      return 'flashed';
    case '/flashes':
      return getFlashedMessages(s, { withCategories: true });
    default:
      return undefined;
  }
}

const body = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

const ADAPTERS: Record<string, (o: SessionOptions) => Promise<Running>> = {
  express: async (o) => {
    const app = express();
    app.use(expressSession(o));
    app.get(/.*/, (req, res) => {
      const r = route(
        req.path,
        new URLSearchParams(req.url.split('?')[1] ?? ''),
        () => req.session,
      );
      if (r === undefined) res.status(404).end();
      else res.type(typeof r === 'string' ? 'text' : 'json').send(body(r));
    });
    return startNodeServer(app);
  },
  fastify: async (o) => {
    const app = Fastify();
    await app.register(fastifySession, o);
    app.get('/*', async (request, reply) => {
      const url = new URL(request.url, 'http://x');
      const r = route(url.pathname, url.searchParams, () => request.session);
      if (r === undefined) return reply.code(404).send();
      return reply.type(typeof r === 'string' ? 'text/plain' : 'application/json').send(body(r));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address() as { port: number };
    return { url: `http://127.0.0.1:${addr.port}`, stop: () => app.close() };
  },
  hono: async (o) => {
    const app = new Hono();
    app.use(honoSession(o));
    app.get('*', (c) => {
      const url = new URL(c.req.url);
      const r = route(url.pathname, url.searchParams, c.get('session'));
      if (r === undefined) return c.notFound();
      return typeof r === 'string' ? c.text(r) : c.json(r);
    });
    return startNodeServer(fetchServer((req) => app.fetch(req)));
  },
  koa: async (o) => {
    const app = new Koa();
    app.use(koaSession(o));
    app.use((ctx) => {
      const r = route(ctx.path, new URLSearchParams(ctx.querystring), () => ctx.session);
      if (r === undefined) ctx.status = 404;
      else ctx.body = body(r);
    });
    return startNodeServer(app.callback());
  },
  web: async (o) => {
    const sessions = webSessions(o);
    return startNodeServer(
      fetchServer((req) => {
        const url = new URL(req.url);
        const session = sessions.open(req);
        const r = route(url.pathname, url.searchParams, session);
        if (r === undefined) return new Response('', { status: 404 });
        return sessions.commit(session, new Response(body(r)));
      }),
    );
  },
};

interface Reply {
  status: number;
  setCookie: string[];
  vary: string | null;
  text: string;
}
async function get(base: string, path: string, cookie?: string): Promise<Reply> {
  const r = await fetch(base + path, cookie ? { headers: { cookie } } : {});
  return {
    status: r.status,
    setCookie: r.headers.getSetCookie(),
    vary: r.headers.get('vary'),
    text: await r.text(),
  };
}
/** The `name=value` a browser would send back. */
const jar = (setCookie: string[]) => setCookie.map((c) => c.split(';')[0]).join('; ');

for (const [name, start] of Object.entries(ADAPTERS)) {
  describe(`${name} adapter`, () => {
    let server: Running;
    before(async () => {
      server = await start(OPTIONS);
    });
    after(async () => {
      await server?.stop();
    });

    test('a new session sets a cookie that Flask would set', async () => {
      const r = await get(server.url, '/set?k=a&v=1');
      assert.equal(r.status, 200);
      assert.equal(r.setCookie.length, 1);
      assert.equal(r.vary, 'Cookie');
      const read = readSession(jar(r.setCookie), SECRET);
      assert.equal(read.status, 'valid');
      assert.deepEqual({ ...read.data }, { a: '1' });
      assert.equal(
        r.setCookie[0],
        dumpSession({ a: '1' }, { secret: SECRET, now: read.issuedAt! }),
        'the header Flask sends for these data at that second',
      );
    });

    test('an untouched request sends nothing', async () => {
      const c = jar((await get(server.url, '/set?k=a&v=1')).setCookie);
      const r = await get(server.url, '/touch', c);
      assert.deepEqual([r.setCookie, r.vary], [[], null]);
    });

    test('touching the session without reading a key sends Vary: Cookie (Flask 3.1.3)', async () => {
      const c = jar((await get(server.url, '/set?k=a&v=1')).setCookie);
      for (const cookie of [c, undefined]) {
        const r = await get(server.url, '/proxy', cookie);
        assert.deepEqual([r.text, r.setCookie, r.vary], ['touched', [], 'Cookie']);
      }
    });

    test('read-only access sends only Vary: Cookie', async () => {
      const c = jar((await get(server.url, '/set?k=a&v=1')).setCookie);
      const r = await get(server.url, '/read?k=a', c);
      assert.equal(r.text, '{"value":"1"}');
      assert.deepEqual(r.setCookie, []);
      assert.equal(r.vary, 'Cookie');
    });

    test('a tampered, expired or garbage cookie gives an empty session, not an error', async () => {
      const c = jar((await get(server.url, '/set?k=a&v=1')).setCookie);
      const tampered = c.slice(0, 12) + (c[12] === 'A' ? 'B' : 'A') + c.slice(13);
      const expired = dumpSession(
        { a: '1' },
        { secret: SECRET, now: Date.now() / 1000 - 2678401 },
      ).split(';')[0]!;
      const future = dumpSession({ a: '1' }, { secret: SECRET, now: Date.now() / 1000 + 60 }).split(
        ';',
      )[0]!;
      for (const bad of [tampered, expired, future, 'session=garbage', 'session=..', 'session="']) {
        const r = await get(server.url, '/read?k=a', bad);
        assert.equal(r.status, 200, bad);
        assert.equal(r.text, '{"value":null}', bad);
        assert.deepEqual(r.setCookie, [], bad); // the stale cookie stays, as in Flask
      }
    });

    test('clearing sends the deletion header', async () => {
      const c = jar((await get(server.url, '/set?k=a&v=1')).setCookie);
      const r = await get(server.url, '/clear', c);
      assert.equal(r.setCookie.length, 1);
      assert.equal(r.setCookie[0], dumpSession({}, { secret: SECRET }));
      assert.match(r.setCookie[0]!, /Max-Age=0/);
      // clearing a session that was already empty still sends it, as Flask does
      assert.equal((await get(server.url, '/clear')).setCookie.length, 1);
    });

    test('a permanent session is re-issued on every request that uses it', async () => {
      const login = await get(server.url, '/login');
      assert.match(login.setCookie[0]!, /; Expires=/);
      const old = dumpSession(
        { uname: 'momo', _permanent: true },
        { secret: SECRET, now: Date.now() / 1000 - 100 },
      );
      const r = await get(server.url, '/read?k=uname', old.split(';')[0]);
      assert.equal(r.text, '{"value":"momo"}');
      assert.equal(r.setCookie.length, 1, 'refreshed');
      const fresh = readSession(jar(r.setCookie), SECRET);
      assert.ok(fresh.issuedAt!.getTime() > Date.now() - 5000, 'with a new timestamp');
      assert.deepEqual({ ...fresh.data }, { uname: 'momo', _permanent: true });
      // Flask opens the session of every request: it is re-issued even when the view never uses it
      const untouched = await get(server.url, '/touch', old.split(';')[0]);
      assert.equal(untouched.setCookie.length, 1, 'refreshed without being used');
      assert.equal(untouched.vary, 'Cookie');
    });

    test('a nested change is saved only when marked modified', async () => {
      const c = jar((await get(server.url, '/nested')).setCookie);
      const unmarked = await get(server.url, '/nested', c);
      assert.deepEqual(unmarked.setCookie, []);
      const marked = await get(server.url, '/nested?mark=1', c);
      assert.deepEqual(
        { ...readSession(jar(marked.setCookie), SECRET).data },
        { list: ['x', 'x'] },
      );
    });

    test('a cookie signed with a fallback key is read, and re-signed with the current key on the next write', async () => {
      const old = dumpSession({ a: 'old' }, { secret: OLD }).split(';')[0]!;
      assert.equal((await get(server.url, '/read?k=a', old)).text, '{"value":"old"}');
      const r = await get(server.url, '/set?k=b&v=2', old);
      const again = readSession(jar(r.setCookie), SECRET, { fallbacks: [] });
      assert.equal(again.status, 'valid');
      assert.deepEqual({ ...again.data }, { a: 'old', b: '2' });
    });

    test('flashed messages are taken once, with their categories', async () => {
      let c = jar((await get(server.url, '/flash?m=hello&c=info')).setCookie);
      c = jar((await get(server.url, '/flash?m=bye', c)).setCookie);
      const r = await get(server.url, '/flashes', c);
      assert.equal(r.text, '[["info","hello"],["message","bye"]]');
      assert.equal(
        r.setCookie[0],
        dumpSession({}, { secret: SECRET }),
        'the session is empty again',
      );
    });
  });
}

const flaskFound = flaskOrSkip('3.1');
describe(
  'flashed messages cross between Flask and every adapter',
  { skip: 'skip' in flaskFound ? flaskFound.skip : false },
  () => {
    let flaskApp: Running;
    const servers: Record<string, Running> = {};
    before(async () => {
      if ('skip' in flaskFound) return;
      flaskApp = await startFlaskApp(flaskFound, { secret: SECRET });
      for (const [name, start] of Object.entries(ADAPTERS))
        servers[name] = await start({ secret: SECRET });
    });
    after(async () => {
      await flaskApp?.stop();
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    });
    for (const name of Object.keys(ADAPTERS)) {
      test(`${name}: flashed in Flask, shown in Node; flashed in Node, shown in Flask`, async () => {
        const fromFlask = await get(flaskApp.url, '/flash/warning/Disk%20almost%20full');
        const inNode = await get(servers[name]!.url, '/flashes', jar(fromFlask.setCookie));
        assert.equal(inNode.text, '[["warning","Disk almost full"]]');
        const fromNode = await get(servers[name]!.url, '/flash?m=Caf%C3%A9%20%E2%98%95&c=success');
        const inFlask = await get(flaskApp.url, '/flashes/', jar(fromNode.setCookie));
        assert.deepEqual(JSON.parse(inFlask.text), [['success', 'Café ☕']]);
        assert.equal(getCookie(jar(inFlask.setCookie), 'session'), '', 'Flask emptied the session');
        assert.ok(parseSetCookie(inFlask.setCookie[0]!).maxAge === 0);
      });
    }
  },
);
