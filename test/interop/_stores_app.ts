/**
 * The Node side of the server-side session tests (Redis, SQL, Memcached): the routes of
 * examples/flask_session_app.py and flask_session_stores_app.py on the Express, Hono and Web
 * adapters, a GET client that keeps Set-Cookie headers apart, and the typed values Node stores.
 * Test helper.
 */
import assert from 'node:assert/strict';
import express from 'express';
import { tuple, type ServerSideOptions } from '../../src/index.ts';
import { isTuple, type ServerSideSession } from '../../src/index.ts';
import { Hono } from 'hono';
import { flaskSession as expressSession } from '../../src/adapters/express.ts';
import { flaskSession as honoSession } from '../../src/adapters/hono.ts';
import { withSession } from '../../src/adapters/web.ts';
import type { Session } from '../../src/flask/session-interface.ts';
import type { SessionData, SessionValue } from '../../src/flask/tagged-json.ts';
import { fetchServer, startNodeServer, type Running } from './_servers.ts';

/** The typed values Node stores: Flask's TYPED without `whole_float` (JS has no float 3.0). */
export const NODE_TYPED: SessionData = {
  int: 42,
  big: 2n ** 60n,
  neg: -7,
  float: 1.5,
  bytes: new Uint8Array([0, 255, 98, 105, 110]),
  list: [1, 'two', null, true],
  nested: { a: { b: [1, 2, { c: 'd' }] }, e: false },
  when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
  when_ms: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
  tuple: tuple(1, 'x'),
  unicode: 'h\u00e9llo \u2603 \u{1F600}',
};

/** A JSON description of a value that keeps its JS type. */
export function describeValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
  if (v instanceof Date) return { date: v.toISOString() };
  if (typeof v === 'bigint') return { bigint: String(v) };
  if (Array.isArray(v)) return { [isTuple(v) ? 'tuple' : 'list']: v.map(describeValue) };
  if (typeof v === 'object' && v !== null)
    return {
      dict: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, describeValue(x)])),
    };
  return v;
}

async function route(url: URL, s: Session): Promise<unknown> {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
      s.set('uname', 'momo');
      s.set('pwd', 'python');
      return 'logged in as momo\n';
    case 'getSession':
      return { uname: s.get('uname') ?? null, pwd: s.get('pwd') ?? null };
    case 'deleteSession':
      s.clear();
      return 'session cleared\n';
    case 'set':
      s.set(parts[1]!, parts[2]!);
      return { value: parts[2] };
    case 'get':
      return { value: s.get(parts[1]!) ?? null };
    case 'slow-set':
      await sleep(Number(parts[3]));
      s.set(parts[1]!, parts[2]!);
      return { value: parts[2] };
    case 'regenerate': {
      const ss = s as ServerSideSession;
      const old = ss.sid;
      await ss.regenerate();
      return { old, new: ss.sid };
    }
    case 'sid':
      return { sid: (s as ServerSideSession).sid, empty: (s as ServerSideSession).empty };
    case 'types': {
      const skip = url.searchParams.getAll('without');
      for (const [k, v] of Object.entries(NODE_TYPED))
        if (!skip.includes(k)) s.set(k, v as SessionValue);
      return 'typed values stored\n';
    }
    case 'dump':
      return Object.fromEntries(s.entries().map(([k, v]) => [k, describeValue(v)]));
    default:
      return undefined;
  }
}

const asBody = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export type Kind = 'express' | 'hono' | 'web';

/** Serves the routes with this adapter and these options; a store error is a 500 naming it. */
export async function startNode(kind: Kind, options: ServerSideOptions): Promise<Running> {
  if (kind === 'express') {
    const app = express();
    app.use(expressSession(options));
    app.get(/.*/, async (req, res) => {
      const r = await route(new URL(req.originalUrl, 'http://x'), req.session);
      if (r === undefined) res.status(404).end();
      else res.type(typeof r === 'string' ? 'text' : 'json').send(asBody(r));
    });
    app.use(
      (err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(500).type('text').send(`${err.name}: ${err.message}\n`);
      },
    );
    return startNodeServer(app);
  }
  if (kind === 'hono') {
    const app = new Hono();
    app.use(honoSession(options));
    app.get('*', async (c) => {
      const r = await route(new URL(c.req.url), c.get('session'));
      if (r === undefined) return c.notFound();
      return typeof r === 'string' ? c.text(r) : c.json(r);
    });
    app.onError((err, c) => c.text(`${err.name}: ${err.message}\n`, 500));
    return startNodeServer(fetchServer((req) => app.fetch(req)));
  }
  const handler = withSession(
    options,
    async (req, session) => {
      const r = await route(new URL(req.url), session);
      if (r === undefined) return new Response('', { status: 404 });
      return new Response(asBody(r), {
        headers: { 'content-type': typeof r === 'string' ? 'text/plain' : 'application/json' },
      });
    },
    // the error in the body, as the other test servers show it
    {
      onError: (e) =>
        new Response(`${(e as Error).name}: ${(e as Error).message}\n`, { status: 500 }),
    },
  );
  return startNodeServer(fetchServer(handler));
}

export interface Reply {
  status: number;
  text: string;
  setCookie: string[];
  vary: string | null;
  json<T = Record<string, unknown>>(): T;
}

/** GET `base + path` with an optional `Cookie` header. */
export async function get(base: string, path: string, cookie?: string): Promise<Reply> {
  const res = await fetch(base + path, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    setCookie: res.headers.getSetCookie(),
    vary: res.headers.get('vary'),
    json<T>() {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new Error(`${base}${path} -> ${res.status}: not JSON: ${text.slice(0, 500)}`);
      }
    },
  };
}

/** The `name=value` of the one Set-Cookie of a response. */
export function onlyCookie(r: Reply): string {
  assert.equal(
    r.setCookie.length,
    1,
    `one Set-Cookie expected, got ${JSON.stringify(r.setCookie)}: ${r.status} ${r.text}`,
  );
  return r.setCookie[0]!.split(';')[0]!;
}

export const sidOf = (cookie: string): string =>
  cookie.slice(cookie.indexOf('=') + 1).split('.')[0]!;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
