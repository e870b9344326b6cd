/**
 * The login and CSRF glue of the Hono, Fastify and Fetch API adapters against the real Flask app
 * with Flask-Login 0.6.3 and Flask-WTF 1.3.0 (the Express glue has its own suites): one cookie jar,
 * logins, remember cookies and CSRF tokens cross both ways, refusals are the same page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Hono } from 'hono';
import * as fastifyAdapter from '../../src/adapters/fastify.ts';
import * as honoAdapter from '../../src/adapters/hono.ts';
import * as webAdapter from '../../src/adapters/web.ts';
import { readSession } from '../../src/index.ts';
import { Jar, loginPythonOrSkip, startSite, type Site } from './_site.ts';

const SECRET = 'adapters-login-secret-0123456789';
const found = loginPythonOrSkip();
const skip = 'skip' in found ? found.skip : false;
const T = { timeout: 30_000 };
const users = (id: string) => (id === 'ghost' ? null : { id });

/** A Fetch handler on node:http, with the method, the body and the peer address passed on. */
function fetchBridge(handler: (r: Request, remoteAddr: string) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) for (const x of Array.isArray(v) ? v : [v]) headers.append(k, x);
    const hasBody = chunks.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method!,
      headers,
      body: hasBody ? Buffer.concat(chunks) : null,
    });
    const response = await handler(request, req.socket.remoteAddress!);
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

function honoApp() {
  const app = new Hono<{ Bindings: { remoteAddr: string } }>();
  app.use(honoAdapter.flaskSession({ secret: SECRET }));
  app.use(
    honoAdapter.flaskLogin({
      secret: SECRET,
      userLoader: users,
      remoteAddr: (c) => (c.env as { remoteAddr: string }).remoteAddr,
    }),
  );
  app.use(honoAdapter.csrfProtect({ secret: SECRET }));
  app.get('/whoami', async (c) => {
    const login = c.get('login');
    const user = (await login.currentUser()) as { id: string } | null;
    return c.json({
      user: user?.id ?? null,
      fresh: login.fresh,
      keys: c.get('session').keys().sort(),
    });
  });
  app.get('/login/:id', (c) => {
    c.get('login').loginUser(
      { id: c.req.param('id') },
      { remember: c.req.query('remember') === '1' },
    );
    return c.json({ user: c.req.param('id') });
  });
  app.get('/logout', (c) => {
    c.get('login').logoutUser();
    return c.json({ user: null });
  });
  app.get('/form', (c) => c.json({ token: c.get('csrfToken')() }));
  app.post('/submit', (c) => c.json({ ok: true }));
  return fetchBridge((r, remoteAddr) => Promise.resolve(app.fetch(r, { remoteAddr })));
}

function webApp() {
  const sessions = webAdapter.webSessions({ secret: SECRET });
  const logins = webAdapter.webLogin({ secret: SECRET, userLoader: users });
  const csrf = webAdapter.webCsrf({ secret: SECRET });
  return fetchBridge(async (request, remoteAddr) => {
    const session = sessions.open(request);
    const login = logins.open(request, session, remoteAddr);
    const path = new URL(request.url).pathname;
    let response = await csrf.protect(request, session);
    if (!response) {
      let m: RegExpExecArray | null;
      if (path === '/whoami') {
        const user = (await login.currentUser()) as { id: string } | null;
        response = Response.json({
          user: user?.id ?? null,
          fresh: login.fresh,
          keys: session.keys().sort(),
        });
      } else if ((m = /^\/login\/(.+)$/.exec(path))) {
        login.loginUser(
          { id: m[1]! },
          { remember: new URL(request.url).searchParams.get('remember') === '1' },
        );
        response = Response.json({ user: m[1] });
      } else if (path === '/logout') {
        login.logoutUser();
        response = Response.json({ user: null });
      } else if (path === '/form') response = Response.json({ token: csrf.token(session) });
      else if (path === '/submit') response = Response.json({ ok: true });
      else response = new Response('not found', { status: 404 });
    }
    return sessions.commit(session, logins.commit(login, response));
  });
}

async function fastifyApp(): Promise<FastifyInstance> {
  const app = Fastify();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  await app.register(fastifyAdapter.flaskLogin, { secret: SECRET, userLoader: users });
  await app.register(fastifyAdapter.flaskSession, { secret: SECRET });
  await app.register(fastifyAdapter.csrfProtect, { secret: SECRET });
  app.get('/whoami', async (request) => {
    const user = (await request.login.currentUser()) as { id: string } | null;
    return {
      user: user?.id ?? null,
      fresh: request.login.fresh,
      keys: request.session.keys().sort(),
    };
  });
  app.get<{ Params: { id: string }; Querystring: { remember?: string } }>(
    '/login/:id',
    async (request) => {
      request.login.loginUser(
        { id: request.params.id },
        { remember: request.query.remember === '1' },
      );
      return { user: request.params.id };
    },
  );
  app.get('/logout', async (request) => {
    request.login.logoutUser();
    return { user: null };
  });
  app.get('/form', async (request) => ({ token: request.csrfToken() }));
  app.post('/submit', async () => ({ ok: true }));
  return app;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server: Server = createServer(handler).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('Hono, Fastify and Fetch API login and CSRF glue against real Flask', { skip }, () => {
  let site: Site;
  const servers: Record<string, { url: string; stop: () => Promise<unknown> }> = {};
  before(async () => {
    site = await startSite((found as { python: string }).python, {
      secret: SECRET,
      protection: 'basic',
    });
    servers['hono'] = await listen(honoApp());
    servers['web'] = await listen(webApp());
    const f = await fastifyApp();
    const url = await f.listen({ port: 0, host: '127.0.0.1' });
    servers['fastify'] = { url, stop: () => f.close() };
  });
  after(async () => {
    for (const s of Object.values(servers)) await s.stop();
    await site?.stop();
  });

  for (const name of ['hono', 'fastify', 'web']) {
    test(`${name}: logins cross both ways, with the same freshness and keys`, T, async () => {
      const node = servers[name]!.url;
      for (const [from, to] of [
        [site.flask.url, node],
        [node, site.flask.url],
      ]) {
        const jar = new Jar({ 'user-agent': 'agent-A' });
        await jar.fetch(`${from}/login/8`);
        const a = (await jar.fetch(`${from}/whoami`)).json();
        assert.deepEqual(a, { user: '8', fresh: true, keys: ['_fresh', '_id', '_user_id'] });
        assert.deepEqual((await jar.fetch(`${to}/whoami`)).json(), a);
        await jar.fetch(`${to}/logout`);
        assert.equal(((await jar.fetch(`${from}/whoami`)).json() as { user: null }).user, null);
      }
    });

    test(`${name}: remember cookies restore the login on the other side`, T, async () => {
      const node = servers[name]!.url;
      for (const [from, to] of [
        [site.flask.url, node],
        [node, site.flask.url],
      ]) {
        const jar = new Jar({ 'user-agent': 'agent-A' });
        await jar.fetch(`${from}/login/12?remember=1`);
        assert.ok(jar.cookies.has('remember_token'), jar.lastSetCookie.join(' / '));
        // `_remember` was taken out of the session before it was saved, as Flask-Login does
        const saved = readSession(`session=${jar.cookies.get('session')}`, SECRET);
        assert.deepEqual(Object.keys(saved.data).sort(), ['_fresh', '_id', '_user_id']);
        jar.cookies.delete('session');
        assert.deepEqual((await jar.fetch(`${to}/whoami`)).json(), {
          user: '12',
          fresh: false,
          keys: ['_fresh', '_user_id'],
        });
      }
    });

    test(`${name}: CSRF tokens cross both ways; a tampered one gets Flask's page`, T, async () => {
      const node = servers[name]!.url;
      for (const [from, to] of [
        [site.flask.url, node],
        [node, site.flask.url],
      ]) {
        const jar = new Jar();
        const { token } = (await jar.fetch(`${from}/form`)).json() as { token: string };
        const form = (t: string) => ({
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf_token: t }).toString(),
        });
        assert.equal((await jar.fetch(`${to}/submit`, form(token))).status, 200);
        const viaHeader = await jar.fetch(`${to}/submit`, {
          method: 'POST',
          headers: { 'x-csrftoken': token, 'content-type': 'application/json' },
          body: '{}',
        });
        assert.equal(viaHeader.status, 200, viaHeader.text);
        const refused = [];
        for (const url of [from, to]) {
          const r = await jar.fetch(`${url}/submit`, form(token + 'x'));
          refused.push({ status: r.status, text: r.text, type: jar.lastHeaders['content-type'] });
        }
        assert.equal(refused[0]!.status, 400);
        assert.match(refused[0]!.text, /<p>The CSRF token is invalid\.<\/p>/);
        assert.deepEqual(refused[1], refused[0]);
      }
    });
  }
});
