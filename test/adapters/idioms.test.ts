/**
 * Every ordinary way of answering, in each framework's own idiom, over real HTTP, for cookie and
 * server-side sessions: the view sets `u = 1` and answers; the client must see the session's
 * Set-Cookie and `Vary: Cookie` (or, when saving fails, a 500 without the cookie and a server that
 * keeps serving), and a second request must find `u = 1`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { stream as honoStream } from 'hono/streaming';
import { flaskSession as expressSession } from '../../src/adapters/express.ts';
import { flaskSession as fastifySession } from '../../src/adapters/fastify.ts';
import { flaskSession as honoSession } from '../../src/adapters/hono.ts';
import { flaskSession as koaSession } from '../../src/adapters/koa.ts';
import {
  MemoryStore,
  withSession,
  type ServerSideSession,
  type Session,
} from '../../src/adapters/web.ts';
import type { SessionOptions } from '../../src/index.ts';
import type { ServerSideOptions } from '../../src/adapters/web.ts';
import { fetchServer, startNodeServer, type Running } from '../interop/_servers.ts';

const SECRET = 'idioms-secret-0123456789abcdef';
const FILE = fileURLToPath(new URL('../../LICENSE', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A value Flask cannot store (a TypeError on save, as `set()` is in Flask). */
const UNSTORABLE = new Set([1]) as unknown as number;

type Options = SessionOptions | ServerSideOptions;
const BACKENDS: Record<string, () => Options> = {
  cookie: () => ({ secret: SECRET }),
  'server-side (memory)': () => ({ secret: SECRET, store: new MemoryStore() }),
};

/** What the client must see for an idiom: the status, and whether the session was saved. */
interface Expect {
  status: number;
  saved: boolean;
  /** Other cookies the view sent itself, which must arrive beside the session's. */
  others?: string[];
  vary?: string;
  method?: string;
}
type Idioms = Record<string, Expect>;

const EXPRESS: Idioms = {
  send: { status: 200, saved: true },
  json: { status: 200, saved: true },
  redirect: { status: 302, saved: true, vary: 'Accept, Cookie' },
  'async send': { status: 200, saved: true },
  'write then end': { status: 200, saved: true },
  'write, later end': { status: 200, saved: true },
  pipe: { status: 200, saved: true },
  flushHeaders: { status: 200, saved: true },
  'writeHead with Set-Cookie': { status: 200, saved: true, others: ['theme=dark'] },
  sendFile: { status: 200, saved: true },
  send_head: { status: 200, saved: true, method: 'HEAD' },
  throw: { status: 500, saved: true },
  'async throw': { status: 500, saved: true },
  'Vary array': { status: 200, saved: true, vary: 'Accept, Origin, Cookie' },
  'unstorable, from a timer': { status: 500, saved: false },
};

const FASTIFY: Idioms = {
  send: { status: 200, saved: true },
  redirect: { status: 302, saved: true },
  'async send': { status: 200, saved: true },
  stream: { status: 200, saved: true },
  send_head: { status: 200, saved: true, method: 'HEAD' },
  throw: { status: 500, saved: true },
  'Vary array': { status: 200, saved: true, vary: 'Accept, Origin, Cookie' },
  'unstorable, from a timer': { status: 500, saved: false },
  'hook before the plugin': { status: 200, saved: true },
};

const HONO: Idioms = {
  text: { status: 200, saved: true },
  redirect: { status: 302, saved: true },
  stream: { status: 200, saved: true },
  text_head: { status: 200, saved: true, method: 'HEAD' },
  throw: { status: 500, saved: true },
  'Vary set': { status: 200, saved: true, vary: 'Accept, Cookie' },
  unstorable: { status: 500, saved: false },
};

const KOA: Idioms = {
  body: { status: 200, saved: true },
  redirect: { status: 302, saved: true },
  'async body': { status: 200, saved: true },
  stream: { status: 200, saved: true },
  body_head: { status: 200, saved: true, method: 'HEAD' },
  'Set-Cookie of its own': { status: 200, saved: true, others: ['theme=dark'] },
  throw: { status: 500, saved: true },
  'Vary array': { status: 200, saved: true, vary: 'Accept, Origin, Cookie' },
  unstorable: { status: 500, saved: false },
};

const WEB: Idioms = {
  response: { status: 200, saved: true },
  throw: { status: 500, saved: true },
  unstorable: { status: 500, saved: false },
};

const path = (idiom: string) => '/' + idiom.replace(/_head$/, '').replace(/[^A-Za-z]+/g, '-');

function startExpress(o: Options): Promise<Running> {
  const app = express();
  app.get('/read', expressSession(o), (req, res) => {
    res.json({ u: req.session.get('u') ?? null });
  });
  app.use(expressSession(o));
  app.use((req, _res, next) => {
    req.session.set('u', 1);
    next();
  });
  const routes: Record<string, express.RequestHandler> = {
    send: (_req, res) => void res.send('ok'),
    json: (_req, res) => void res.json({ ok: true }),
    redirect: (_req, res) => res.redirect('/read'),
    'async send': async (_req, res) => {
      await sleep(5);
      res.send('ok');
    },
    'write then end': (_req, res) => {
      res.write('a');
      res.end('b');
    },
    'write, later end': (_req, res) => {
      res.write('a');
      setTimeout(() => res.end('b'), 10);
    },
    pipe: (_req, res) => void Readable.from(['a', 'b', 'c']).pipe(res),
    flushHeaders: (_req, res) => {
      res.flushHeaders();
      setTimeout(() => res.end('late'), 5);
    },
    'writeHead with Set-Cookie': (_req, res) => {
      res.writeHead(200, { 'Set-Cookie': 'theme=dark', 'Content-Type': 'text/plain' });
      res.end('ok');
    },
    sendFile: (_req, res) => res.sendFile(FILE),
    throw: () => {
      throw new Error('view failed');
    },
    'async throw': async () => {
      await sleep(1);
      throw new Error('view failed');
    },
    'Vary array': (_req, res) => {
      res.setHeader('Vary', ['Accept', 'Origin']);
      res.send('ok');
    },
    'unstorable, from a timer': (req, res) => {
      setTimeout(() => {
        req.session.set('bad', UNSTORABLE);
        res.end('never sent');
      }, 5);
    },
  };
  for (const [name, handler] of Object.entries(routes)) app.get(path(name), handler);
  app.use(((err, _req, res, _next) => {
    res.status(500).send(`error: ${(err as Error).message}`);
  }) as express.ErrorRequestHandler);
  return startNodeServer(app);
}

async function startFastify(o: Options): Promise<Running> {
  const app = Fastify();
  // registered before the plugin: the session is reached with getSession()
  app.addHook('onRequest', async (request) => {
    if (request.url === path('hook before the plugin')) (await request.getSession()).set('u', 1);
  });
  await app.register(fastifySession, o);
  app.addHook('preHandler', async (request) => {
    if (request.url !== '/read') request.session.set('u', 1);
  });
  app.get('/read', async (request) => ({ u: request.session.get('u') ?? null }));
  const routes: Record<
    string,
    (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => unknown
  > = {
    send: (_q, reply) => reply.send('ok'),
    redirect: (_q, reply) => reply.redirect('/read'),
    'async send': async () => {
      await sleep(5);
      return 'ok';
    },
    stream: (_q, reply) => reply.type('text/plain').send(Readable.from(['a', 'b'])),
    throw: () => {
      throw new Error('view failed');
    },
    'Vary array': (_q, reply) => reply.header('vary', ['Accept', 'Origin']).send('ok'),
    'unstorable, from a timer': async (request) => {
      await sleep(5);
      request.session.set('bad', UNSTORABLE);
      return 'never sent';
    },
    'hook before the plugin': () => 'ok',
  };
  for (const [name, handler] of Object.entries(routes)) app.get(path(name), handler);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, stop: () => app.close() };
}

function startHono(o: Options): Promise<Running> {
  const app = new Hono();
  app.use(honoSession(o));
  app.get('/read', (c) => c.json({ u: c.get('session').get('u') ?? null }));
  app.use(async (c, next) => {
    c.get('session').set('u', 1);
    await next();
  });
  app.get(path('text'), (c) => c.text('ok'));
  app.get(path('redirect'), (c) => c.redirect('/read'));
  app.get(path('stream'), (c) =>
    honoStream(c, async (s) => {
      await s.write('a');
      await sleep(5);
      await s.write('b');
    }),
  );
  app.get(path('throw'), () => {
    throw new Error('view failed');
  });
  app.get(path('Vary set'), (c) => {
    c.header('Vary', 'Accept');
    return c.text('ok');
  });
  app.get(path('unstorable'), (c) => {
    c.get('session').set('bad', UNSTORABLE);
    return c.text('never sent');
  });
  return startNodeServer(fetchServer((r) => app.fetch(r)));
}

function startKoa(o: Options): Promise<Running> {
  const app = new Koa();
  app.silent = true; // the thrown errors below are expected
  app.use(koaSession(o));
  app.use(async (ctx, next) => {
    if (ctx.path === '/read') {
      ctx.body = { u: ctx.session.get('u') ?? null };
      return;
    }
    ctx.session.set('u', 1);
    await next();
  });
  app.use(async (ctx) => {
    switch (ctx.path) {
      case path('body'):
        ctx.body = 'ok';
        break;
      case path('redirect'):
        ctx.redirect('/read');
        break;
      case path('async body'):
        await sleep(5);
        ctx.body = 'ok';
        break;
      case path('stream'):
        ctx.type = 'text/plain';
        ctx.body = Readable.from(['a', 'b']);
        break;
      case path('Set-Cookie of its own'):
        ctx.append('Set-Cookie', 'theme=dark');
        ctx.body = 'ok';
        break;
      case path('throw'):
        throw new Error('view failed');
      case path('Vary array'):
        ctx.set('Vary', ['Accept', 'Origin']);
        ctx.body = 'ok';
        break;
      case path('unstorable'):
        ctx.session.set('bad', UNSTORABLE);
        ctx.body = 'never sent';
        break;
    }
  });
  return startNodeServer(app.callback());
}

function startWeb(o: Options): Promise<Running> {
  const handler = withSession(
    o,
    async (request: Request, session: Session) => {
      const { pathname } = new URL(request.url);
      if (pathname === '/read') return Response.json({ u: session.get('u') ?? null });
      session.set('u', 1);
      if (pathname === path('throw')) throw new Error('view failed');
      if (pathname === path('unstorable')) session.set('bad', UNSTORABLE);
      return new Response('ok');
    },
    { onError: () => new Response('error', { status: 500 }) },
  );
  return startNodeServer(fetchServer(handler));
}

const FRAMEWORKS: [string, Idioms, (o: Options) => Promise<Running>][] = [
  ['express', EXPRESS, startExpress],
  ['fastify', FASTIFY, startFastify],
  ['hono', HONO, startHono],
  ['koa', KOA, startKoa],
  ['web withSession', WEB, startWeb],
];

for (const [framework, idioms, start] of FRAMEWORKS)
  for (const [backend, options] of Object.entries(BACKENDS))
    describe(`${framework}, ${backend} sessions`, () => {
      let server: Running;
      const errors: unknown[] = [];
      const onError = (e: unknown) => errors.push(e);
      before(async () => {
        process.on('uncaughtException', onError);
        server = await start(options());
      });
      after(async () => {
        await server?.stop();
        process.off('uncaughtException', onError);
        assert.deepEqual(errors, [], 'nothing escaped to the process');
      });

      for (const [idiom, want] of Object.entries(idioms))
        test(idiom, async () => {
          const r = await fetch(server.url + path(idiom), {
            method: want.method ?? 'GET',
            redirect: 'manual',
          });
          const body = await r.text();
          assert.equal(r.status, want.status, body);
          const cookies = r.headers.getSetCookie();
          const session = cookies.filter((c) => c.startsWith('session='));
          if (!want.saved) {
            assert.deepEqual(session, [], 'no session cookie after a failed save');
            const again = await fetch(server.url + '/read');
            assert.equal(again.status, 200, 'the server keeps serving');
            return;
          }
          assert.equal(session.length, 1, `one session cookie: ${cookies.join(' | ')}`);
          for (const other of want.others ?? [])
            assert.ok(
              cookies.includes(other),
              `${other} beside the session: ${cookies.join(' | ')}`,
            );
          assert.equal(r.headers.get('vary'), want.vary ?? 'Cookie');
          const next = await fetch(server.url + '/read', {
            headers: { cookie: session[0]!.split(';')[0]! },
          });
          assert.deepEqual(await next.json(), { u: 1 }, 'the session survived');
        });
    });

test('regenerate() from a server-side session in a handler: a new id, the old one dead, the data kept', async () => {
  const app = express();
  app.use(expressSession({ secret: SECRET, store: new MemoryStore() }));
  app.get('/login', async (req, res) => {
    req.session.set('u', 1);
    await (req.session as ServerSideSession).regenerate();
    res.send('ok');
  });
  app.get('/read', (req, res) => void res.json({ u: req.session.get('u') ?? null }));
  const server = await startNodeServer(app);
  try {
    const first = await fetch(server.url + '/login');
    const old = first.headers.getSetCookie()[0]!.split(';')[0]!;
    const again = await fetch(server.url + '/login', { headers: { cookie: old } });
    const fresh = again.headers.getSetCookie()[0]!.split(';')[0]!;
    assert.notEqual(fresh, old);
    const read = (cookie: string) =>
      fetch(server.url + '/read', { headers: { cookie } }).then((r) => r.json());
    assert.deepEqual(await read(fresh), { u: 1 });
    assert.deepEqual(await read(old), { u: null }, 'the old id is deleted from the store');
  } finally {
    await server.stop();
  }
});
