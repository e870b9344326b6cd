/**
 * The runtime matrix's one portable suite (the idea of jose's tap/): the same checks on Node, Bun,
 * Deno and workerd. It receives the library, its adapters and the fixture data from the runtime's
 * entry (test/runtimes/entry-*.ts), so it has no I/O and no runtime-specific API: no `node:`
 * import, no Buffer, no process; only what every one of those runtimes has (Request, Response,
 * Headers, TextEncoder). Its helpers build values with the library it is given, never with an
 * import of src/, so the same suite can run against another build of the library.
 */
import type * as Lib from '../../src/index.ts';
import type * as WebAdapter from '../../src/adapters/web.ts';
import type * as HonoAdapter from '../../src/adapters/hono.ts';
import type { Hono as HonoApp } from 'hono';
import type { Typed } from '../_typed.ts';

export type Library = typeof Lib;
export type Web = Pick<
  typeof WebAdapter,
  'webSessions' | 'withSession' | 'flash' | 'getFlashedMessages'
>;
export interface HonoKit {
  flaskSession: (typeof HonoAdapter)['flaskSession'];
  Hono: typeof HonoApp;
}

interface Config {
  secret: string;
  fallbacks?: string[] | string;
  cookieName?: string;
  domain?: string;
  path?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  partitioned?: boolean;
  lifetime?: number;
}
/** The parts of fixtures/flask-3.1.json the suite reads. */
export interface Fixtures {
  versions: Record<string, string>;
  dump: {
    name: string;
    config: Config;
    now: number;
    permanent: boolean | null;
    data: Typed;
    setCookie: string[];
  }[];
  load: {
    name: string;
    config: Config;
    now: number;
    cookieHeader: string;
    outcome: 'data' | 'empty' | 'error';
    data: Typed | null;
  }[];
}

export interface Results {
  passed: number;
  failed: string[];
}

/** Fewer checks than this means the fixtures or the suite lost cases: the matrix fails. */
export const MIN_CHECKS = 150;

const PY_FLOATS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };

/** test/_typed.ts's hasIntegralFloat (it needs no library). */
function hasIntegralFloat(t: Typed): boolean {
  if (t === null || typeof t !== 'object') return false;
  if ('float' in t) return Number.isInteger(t.float in PY_FLOATS ? NaN : Number(t.float));
  if ('list' in t) return t.list.some(hasIntegralFloat);
  if ('tuple' in t) return t.tuple.some(hasIntegralFloat);
  if ('dict' in t) return t.dict.some(([, v]) => hasIntegralFloat(v));
  return false;
}

/** test/_typed.ts's fromTyped and sameValue, with the given library's Python types. */
function typedHelpers(lib: Library) {
  const fromTyped = (t: Typed): Lib.SessionValue => {
    if (t === null || typeof t === 'boolean' || typeof t === 'string') return t;
    if ('int' in t) {
      const b = BigInt(t.int);
      return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
    }
    if ('float' in t) return t.float in PY_FLOATS ? PY_FLOATS[t.float]! : Number(t.float);
    if ('list' in t) return t.list.map(fromTyped);
    if ('tuple' in t) return lib.tuple(...t.tuple.map(fromTyped));
    if ('dict' in t) {
      const o = Object.create(null) as Record<string, Lib.SessionValue>;
      for (const [k, v] of t.dict) o[k] = fromTyped(v);
      return o;
    }
    if ('bytes' in t) return Uint8Array.from(t.bytes.match(/../g) ?? [], (h) => parseInt(h, 16));
    if ('markup' in t) return new lib.Markup(t.markup);
    if ('uuid' in t) return new lib.UUID(t.uuid);
    if ('datetime' in t) return new Date(t.datetime);
    throw new Error(`unknown typed value ${JSON.stringify(t)}`);
  };
  const sameValue = (a: unknown, b: unknown, path = '$'): string | undefined => {
    const fail = (why: string) => `${path}: ${why}`;
    if (typeof a === 'number' && typeof b === 'number') {
      if (Number.isNaN(a) && Number.isNaN(b)) return undefined;
      return a === b ? undefined : fail(`${a} !== ${b}`);
    }
    if (typeof a !== typeof b) return fail(`type ${typeof a} !== ${typeof b}`);
    if (a === null || b === null || typeof a !== 'object')
      return a === b ? undefined : fail(`${String(a)} !== ${String(b)}`);
    if (a instanceof Date || b instanceof Date)
      return a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
        ? undefined
        : fail('Date differs');
    if (a instanceof lib.Markup || b instanceof lib.Markup)
      return a instanceof lib.Markup && b instanceof lib.Markup && a.value === b.value
        ? undefined
        : fail('Markup differs');
    if (a instanceof lib.UUID || b instanceof lib.UUID)
      return a instanceof lib.UUID && b instanceof lib.UUID && a.hex === b.hex
        ? undefined
        : fail('UUID differs');
    if (a instanceof Uint8Array || b instanceof Uint8Array)
      return a instanceof Uint8Array &&
        b instanceof Uint8Array &&
        a.length === b.length &&
        a.every((x, i) => x === b[i])
        ? undefined
        : fail('bytes differ');
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!(Array.isArray(a) && Array.isArray(b))) return fail('array vs non-array');
      if (lib.isTuple(a) !== lib.isTuple(b))
        return fail(`tuple ${lib.isTuple(a)} vs ${lib.isTuple(b)}`);
      if (a.length !== b.length) return fail(`length ${a.length} !== ${b.length}`);
      for (let i = 0; i < a.length; i++) {
        const r = sameValue(a[i], b[i], `${path}[${i}]`);
        if (r) return r;
      }
      return undefined;
    }
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b as object).sort();
    if (ka.join('\0') !== kb.join('\0'))
      return fail(`keys ${JSON.stringify(ka)} !== ${JSON.stringify(kb)}`);
    for (const k of ka) {
      const r = sameValue(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (r) return r;
    }
    return undefined;
  };
  return { fromTyped, sameValue };
}

/** test/flask-fixtures.test.ts's options(). */
function dumpOptions(c: Config, now: number): Lib.DumpSessionOptions {
  const o: Lib.DumpSessionOptions = { secret: c.secret, now };
  if (Array.isArray(c.fallbacks)) o.fallbacks = c.fallbacks;
  if (c.cookieName !== undefined) o.cookieName = c.cookieName;
  if (c.domain !== undefined) o.domain = c.domain;
  if (c.path !== undefined) o.path = c.path;
  if (c.httpOnly !== undefined) o.httpOnly = c.httpOnly;
  if (c.secure !== undefined) o.secure = c.secure;
  if (c.sameSite !== undefined) o.sameSite = c.sameSite;
  if (c.partitioned !== undefined) o.partitioned = c.partitioned;
  if (c.lifetime !== undefined) o.permanentLifetime = c.lifetime;
  return o;
}

const show = (x: unknown): string => {
  try {
    return typeof x === 'string' ? JSON.stringify(x) : (JSON.stringify(x) ?? String(x));
  } catch {
    return String(x);
  }
};

/** Runs every check; never throws (a check that throws is a failure with its message). */
export async function run(
  lib: Library,
  web: Web,
  hono: HonoKit,
  fixtures: Fixtures,
): Promise<Results> {
  const results: Results = { passed: 0, failed: [] };
  const check = async (name: string, fn: () => void | Promise<void>): Promise<void> => {
    try {
      await fn();
      results.passed++;
    } catch (e) {
      results.failed.push(`${name}: ${e instanceof Error ? e.message : show(e)}`);
    }
  };
  const equal = (got: unknown, want: unknown, what = 'value'): void => {
    if (!Object.is(got, want)) throw new Error(`${what}: got ${show(got)}, want ${show(want)}`);
  };
  const ok = (cond: unknown, what: string): void => {
    if (!cond) throw new Error(what);
  };
  const { fromTyped, sameValue } = typedHelpers(lib);

  await check('fixtures come from Flask 3.1', () => {
    ok(/^3\.1\./.test(fixtures.versions['flask'] ?? ''), `flask ${fixtures.versions['flask']}`);
    ok(fixtures.dump.length >= 100 && fixtures.load.length >= 60, 'fixture counts');
  });

  // (a) dumpSession: Flask's exact Set-Cookie header (skip rules of test/flask-fixtures.test.ts)
  for (const c of fixtures.dump) {
    if (c.setCookie.length !== 1 || hasIntegralFloat(c.data)) continue;
    await check(`dump ${c.name}`, () => {
      const o = dumpOptions(c.config, c.now);
      if (c.permanent !== null) o.permanent = c.permanent;
      o.onOversize = 'ignore';
      equal(lib.dumpSession(fromTyped(c.data) as Lib.SessionData, o), c.setCookie[0], 'Set-Cookie');
    });
  }

  // (b) loadSession: what Flask's open_session gives, BadPayload where Flask answers 500
  for (const c of fixtures.load) {
    await check(`load ${c.name}`, () => {
      const opts: Lib.LoadSessionOptions = { now: c.now };
      if (Array.isArray(c.config.fallbacks)) opts.fallbacks = c.config.fallbacks;
      if (c.config.cookieName !== undefined) opts.cookieName = c.config.cookieName;
      if (c.config.lifetime !== undefined) opts.permanentLifetime = c.config.lifetime;
      if (c.outcome === 'error') {
        let thrown: unknown;
        try {
          lib.loadSession(c.cookieHeader, c.config.secret, opts);
        } catch (e) {
          thrown = e;
        }
        ok(thrown instanceof lib.BadPayload, `want BadPayload, got ${show(String(thrown))}`);
      } else {
        const got = lib.loadSession(c.cookieHeader, c.config.secret, opts);
        const want = c.outcome === 'data' && c.data !== null ? fromTyped(c.data) : {};
        const why = sameValue(got, want);
        ok(why === undefined, why ?? '');
      }
    });
  }

  // (c) /web with the runtime's own Request and Response
  const secret = 'runtime-matrix-secret';
  const now = 1_700_000_000;
  const origin = 'http://runtime.test';
  const nameValue = (setCookie: string | null): string => (setCookie ?? '').split(';')[0]!;
  const tamper = (cookie: string): string =>
    cookie.slice(0, -1) + (cookie.endsWith('A') ? 'B' : 'A');
  const expected = lib.dumpSession({ user: 'momo', pair: lib.tuple(1, 'x') }, { secret, now });
  const cookieOf = (init?: string): RequestInit =>
    init === undefined ? {} : { headers: { Cookie: init } };

  const sessions = web.webSessions({ secret, now: () => now });
  let webCookie = '';
  await check('web: a new session sets Flask’s cookie', () => {
    const s = sessions.open(new Request(`${origin}/`));
    ok(s.isNew, 'session is new');
    s.set('user', 'momo');
    s.set('pair', lib.tuple(1, 'x'));
    const res = sessions.commit(s, new Response('ok'));
    webCookie = nameValue(res.headers.get('Set-Cookie'));
    equal(res.headers.get('Set-Cookie'), expected, 'Set-Cookie');
    equal(res.headers.get('Vary'), 'Cookie', 'Vary');
  });
  await check('web: the cookie read back gives the data; read-only sends only Vary', () => {
    const s = sessions.open(new Request(`${origin}/`, cookieOf(`other=1; ${webCookie}`)));
    equal(s.get('user'), 'momo', 'user');
    const pair = s.get('pair');
    ok(lib.isTuple(pair) && pair[0] === 1 && pair[1] === 'x', `pair ${show(pair)}`);
    equal(s.status, 'valid', 'status');
    const res = sessions.commit(s, new Response('ok', { headers: { Vary: 'Accept-Encoding' } }));
    equal(res.headers.get('Set-Cookie'), null, 'Set-Cookie');
    equal(res.headers.get('Vary'), 'Accept-Encoding, Cookie', 'Vary');
  });
  await check('web: an untouched session sends nothing', () => {
    const s = sessions.open(new Request(`${origin}/`, cookieOf(webCookie)));
    const res = sessions.commit(s, new Response('ok'));
    equal(res.headers.get('Set-Cookie'), null, 'Set-Cookie');
    equal(res.headers.get('Vary'), null, 'Vary');
    // read when saved, as Flask opens every session (a permanent one would be re-issued)
    ok(s.opened, 'the cookie was read to decide');
  });
  await check('web: clear sends the deletion header', () => {
    const s = sessions.open(new Request(`${origin}/`, cookieOf(webCookie)));
    s.clear();
    const res = sessions.commit(s, new Response(null, { status: 204 }));
    const sc = res.headers.get('Set-Cookie') ?? '';
    ok(sc.startsWith('session=;') && sc.includes('Max-Age=0'), `Set-Cookie ${show(sc)}`);
    equal(sc, lib.dumpSession({}, { secret, now }), 'Set-Cookie');
  });
  await check('web: a tampered cookie gives an empty session', () => {
    const s = sessions.open(new Request(`${origin}/`, cookieOf(tamper(webCookie))));
    equal(s.get('user'), undefined, 'user');
    equal(s.status, 'invalid', 'status');
    equal(s.size, 0, 'size');
  });
  await check('web: Headers work as the request, commitHeaders fills a Headers', () => {
    const s = sessions.open(new Headers({ Cookie: webCookie }));
    s.set('n', 2);
    const h = new Headers();
    sessions.commitHeaders(s, h);
    const back = lib.loadSession(nameValue(h.get('Set-Cookie')), secret, { now });
    equal(back['n'], 2, 'n');
    equal(back['user'], 'momo', 'user');
  });
  await check('web: a response with immutable headers is copied', async () => {
    const s = sessions.open(new Request(`${origin}/`));
    s.set('user', 'momo');
    s.set('pair', lib.tuple(1, 'x'));
    const redirect = Response.redirect(`${origin}/next`, 302);
    const res = sessions.commit(s, redirect);
    equal(res.status, 302, 'status');
    equal(res.headers.get('Location'), `${origin}/next`, 'Location');
    equal(res.headers.get('Set-Cookie'), expected, 'Set-Cookie');
    await res.arrayBuffer();
  });
  await check('web: withSession and flashed messages across two requests', async () => {
    const handler = web.withSession({ secret, now: () => now }, (request, session) => {
      if (new URL(request.url).pathname === '/flash') {
        web.flash(session, 'saved', 'success');
        return new Response('flashed');
      }
      return Response.json(web.getFlashedMessages(session, { withCategories: true }));
    });
    const first = await handler(new Request(`${origin}/flash`));
    equal(await first.text(), 'flashed', 'body');
    const cookie = nameValue(first.headers.get('Set-Cookie'));
    ok(cookie.startsWith('session='), `Set-Cookie ${show(cookie)}`);
    const second = await handler(new Request(`${origin}/`, cookieOf(cookie)));
    equal(await second.text(), '[["success","saved"]]', 'flashes');
    equal(second.headers.get('Set-Cookie'), lib.dumpSession({}, { secret, now }), 'emptied');
  });

  // (d) the same flow through a Hono app
  const app = new hono.Hono();
  app.use(hono.flaskSession({ secret, now: () => now }));
  app.get('/set', (c) => {
    const s = c.get('session');
    s.set('user', 'momo');
    s.set('pair', lib.tuple(1, 'x'));
    return c.text('ok');
  });
  app.get('/get', (c) => c.text(String(c.get('session').get('user') ?? '')));
  app.get('/touch', (c) => c.text('untouched'));
  app.get('/clear', (c) => {
    c.get('session').clear();
    return c.body(null, 204);
  });
  app.get('/redirect', (c) => {
    c.get('session').set('user', 'momo');
    c.get('session').set('pair', lib.tuple(1, 'x'));
    return c.redirect('/next');
  });
  app.get('/fetched', (c) => {
    c.get('session').set('user', 'momo');
    c.get('session').set('pair', lib.tuple(1, 'x'));
    return Response.redirect(`${origin}/next`, 303);
  });
  let honoCookie = '';
  await check('hono: a new session sets Flask’s cookie', async () => {
    const res = await app.request('/set');
    honoCookie = nameValue(res.headers.get('Set-Cookie'));
    equal(await res.text(), 'ok', 'body');
    equal(res.headers.get('Set-Cookie'), expected, 'Set-Cookie');
    equal(res.headers.get('Vary'), 'Cookie', 'Vary');
  });
  await check('hono: the cookie read back gives the data; read-only sends only Vary', async () => {
    const res = await app.request('/get', cookieOf(honoCookie));
    equal(await res.text(), 'momo', 'body');
    equal(res.headers.get('Set-Cookie'), null, 'Set-Cookie');
    equal(res.headers.get('Vary'), 'Cookie', 'Vary');
  });
  await check('hono: an untouched session sends nothing', async () => {
    const res = await app.request('/touch', cookieOf(honoCookie));
    equal(await res.text(), 'untouched', 'body');
    equal(res.headers.get('Set-Cookie'), null, 'Set-Cookie');
    equal(res.headers.get('Vary'), null, 'Vary');
  });
  await check('hono: clear sends the deletion header', async () => {
    const res = await app.request('/clear', cookieOf(honoCookie));
    equal(res.status, 204, 'status');
    const sc = res.headers.get('Set-Cookie') ?? '';
    ok(sc.startsWith('session=;') && sc.includes('Max-Age=0'), `Set-Cookie ${show(sc)}`);
  });
  await check('hono: a tampered cookie gives an empty session', async () => {
    const res = await app.request('/get', cookieOf(tamper(honoCookie)));
    equal(await res.text(), '', 'body');
    equal(res.headers.get('Set-Cookie'), null, 'Set-Cookie');
  });
  await check('hono: c.redirect keeps the cookie', async () => {
    const res = await app.request('/redirect');
    equal(res.status, 302, 'status');
    equal(res.headers.get('Set-Cookie'), expected, 'Set-Cookie');
  });
  await check('hono: a response with immutable headers is copied', async () => {
    const res = await app.request('/fetched');
    equal(res.status, 303, 'status');
    equal(res.headers.get('Location'), `${origin}/next`, 'Location');
    equal(res.headers.get('Set-Cookie'), expected, 'Set-Cookie');
  });

  if (results.passed + results.failed.length < MIN_CHECKS)
    results.failed.push(`only ${results.passed + results.failed.length} checks ran`);
  return results;
}
