/**
 * One site, two servers: the real Flask app (examples/flask_app.py) and a Node `node:http` server
 * built on this library, both on 127.0.0.1 and sharing one cookie jar, as one browser would.
 * Every scenario moves the session from one server to the other.
 *
 * Runs against Flask 3.1 (everything) and Flask 2.2 (everything but SECRET_KEY_FALLBACKS, which
 * 2.2 does not have). See ./_python.ts for where each Flask is looked for.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  cookieHeader,
  dumpSession,
  isPermanent,
  loadSession,
  parseSetCookie,
  readSession,
  type SessionData,
} from '../../src/index.ts';
import { flaskOrSkip, type FlaskPython, type FlaskVersion } from './_python.ts';
import { startFlaskApp, startNodeServer } from './_servers.ts';

const REQUEST_TIMEOUT_MS = 5_000;
const TEST_TIMEOUT = { timeout: 20_000 };

/** The Flask config both servers of a site share. */
interface SiteConfig {
  secret: string;
  /** SECRET_KEY_FALLBACKS, oldest first (Flask 3.1 only). */
  fallbacks?: string[] | undefined;
  /** PERMANENT_SESSION_LIFETIME, seconds. */
  permanentLifetime?: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// The Node server: the Flask app's routes, with Flask's open_session/save_session rules.

function nodeApp(config: SiteConfig): (req: IncomingMessage, res: ServerResponse) => void {
  const options = {
    secret: config.secret,
    fallbacks: config.fallbacks,
    permanentLifetime: config.permanentLifetime,
  };
  return (req, res) => {
    try {
      const session = loadSession(req.headers.cookie, config.secret, options); // open_session
      let modified = false;
      let body: string;
      let type = 'text/html; charset=utf-8';
      const json = (value: Record<string, unknown>): string => {
        type = 'application/json';
        return JSON.stringify(value) + '\n';
      };
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      let m: RegExpExecArray | null;
      if (path === '/') {
        session['uname'] = 'momo';
        session['pwd'] = 'python';
        session['_permanent'] = true; // session.permanent = True
        modified = true;
        body = 'logged in as momo\n';
      } else if (path === '/getSession/') {
        body = json({ uname: session['uname'] ?? null, pwd: session['pwd'] ?? null });
      } else if (path === '/deleteSession/') {
        for (const key of Object.keys(session)) delete session[key]; // session.clear()
        modified = true;
        body = 'session cleared\n';
      } else if ((m = /^\/set\/([^/]+)\/([^/]+)$/.exec(path))) {
        const value = decodeURIComponent(m[2]!);
        session[decodeURIComponent(m[1]!)] = value;
        modified = true;
        body = json({ value });
      } else if ((m = /^\/get\/([^/]+)$/.exec(path))) {
        body = json({ value: session[decodeURIComponent(m[1]!)] ?? null });
      } else {
        res.writeHead(404).end('not found\n');
        return;
      }
      saveSession(res, session, modified, options);
      res.writeHead(200, { 'Content-Type': type }).end(body);
    } catch (e) {
      res.writeHead(500).end(String(e)); // Flask answers a BadPayload with 500 too
    }
  };
}

/** Flask's save_session (SESSION_REFRESH_EACH_REQUEST=True, the default). */
function saveSession(
  res: ServerResponse,
  session: SessionData,
  modified: boolean,
  options: SiteConfig,
): void {
  res.setHeader('Vary', 'Cookie');
  if (Object.keys(session).length === 0) {
    // An emptied session gets the deletion header; an untouched empty one gets nothing.
    if (modified) res.setHeader('Set-Cookie', dumpSession(session, options));
    return;
  }
  // A permanent session is re-issued (new timestamp, new Expires) on every request.
  if (modified || isPermanent(session)) res.setHeader('Set-Cookie', dumpSession(session, options));
}

// ---------------------------------------------------------------------------------------------
// Processes and servers, always cleaned up.

/** Everything still running; each entry stops one server. */
const running = new Set<() => Promise<void>>();

/** Starts the Flask app; resolves to its base URL and the function that stops it. */
async function startFlask(
  flask: FlaskPython,
  config: SiteConfig,
): Promise<[string, () => Promise<void>]> {
  const app = await startFlaskApp(flask, config);
  const stop = async (): Promise<void> => {
    running.delete(stop);
    await app.stop();
  };
  running.add(stop);
  return [app.url, stop];
}

/** Starts the Node server; resolves to its base URL and the function that stops it. */
async function startNode(config: SiteConfig): Promise<[string, () => Promise<void>]> {
  const server = await startNodeServer(nodeApp(config));
  const stop = async (): Promise<void> => {
    running.delete(stop);
    await server.stop();
  };
  running.add(stop);
  return [server.url, stop];
}

/** Stops every server still running (the after() hooks; also after a failed start). */
async function stopAll(): Promise<void> {
  await Promise.all([...running].map((stop) => stop()));
}

/** The two servers of one site, by base URL. */
interface Site {
  flask: string;
  node: string;
  stop: () => Promise<void>;
}

async function startSite(flask: FlaskPython, config: SiteConfig): Promise<Site> {
  const [[f, stopFlask], [n, stopNode]] = await Promise.all([
    startFlask(flask, config),
    startNode(config),
  ]);
  return {
    flask: f,
    node: n,
    stop: async () => void (await Promise.all([stopFlask(), stopNode()])),
  };
}

// ---------------------------------------------------------------------------------------------
// The browser: one cookie jar for both servers.

interface StoredCookie {
  value: string;
  /** Milliseconds since the epoch; undefined for a session cookie (no Expires, no Max-Age). */
  expiresAt: number | undefined;
}

/**
 * The smallest jar these tests need: both servers are 127.0.0.1 (cookies do not depend on the
 * port) and Flask sets Path=/ without Domain, so cookies are keyed by name alone.
 */
class CookieJar {
  readonly cookies: Map<string, StoredCookie>;

  constructor(cookies: Map<string, StoredCookie> = new Map()) {
    this.cookies = new Map(cookies);
  }

  store(setCookieHeaders: readonly string[], now: number = Date.now()): void {
    for (const header of setCookieHeaders) {
      const c = parseSetCookie(header);
      // Max-Age wins over Expires (RFC 6265 5.3); either one in the past deletes the cookie.
      const expiresAt = c.maxAge !== undefined ? now + c.maxAge * 1000 : c.expires?.getTime();
      if (expiresAt !== undefined && expiresAt <= now) this.cookies.delete(c.name);
      else this.cookies.set(c.name, { value: c.value, expiresAt });
    }
  }

  /** The Cookie request header, without expired cookies (dropped here as a browser would). */
  header(now: number = Date.now()): string | undefined {
    for (const [name, c] of this.cookies)
      if (c.expiresAt !== undefined && c.expiresAt <= now) this.cookies.delete(name);
    if (this.cookies.size === 0) return undefined;
    return cookieHeader(Object.fromEntries([...this.cookies].map(([name, c]) => [name, c.value])));
  }

  get(name: string): StoredCookie | undefined {
    return this.cookies.get(name);
  }

  /** Closing the browser: session cookies (without Expires or Max-Age) are gone. */
  restart(): void {
    for (const [name, c] of this.cookies) if (c.expiresAt === undefined) this.cookies.delete(name);
  }

  clone(): CookieJar {
    return new CookieJar(this.cookies);
  }
}

interface Reply {
  body: string;
  setCookie: string[];
}

/** GET with the jar's cookies, storing what the server sets. Fails on anything but 200. */
async function get(jar: CookieJar, base: string, path: string): Promise<Reply> {
  const headers: Record<string, string> = {};
  const cookie = jar.header();
  if (cookie !== undefined) headers['cookie'] = cookie;
  const res = await fetch(base + path, {
    headers,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  assert.equal(res.status, 200, `GET ${base}${path}: ${res.status} ${body}`);
  const setCookie = res.headers.getSetCookie();
  jar.store(setCookie);
  return { body, setCookie };
}

async function getJSON(jar: CookieJar, base: string, path: string): Promise<unknown> {
  return JSON.parse((await get(jar, base, path)).body) as unknown;
}

const LOGGED_IN = { uname: 'momo', pwd: 'python' };
const LOGGED_OUT = { uname: null, pwd: null };

/** The jar's session cookie as a Cookie header, for readSession. */
function sessionHeader(jar: CookieJar): string {
  const c = jar.get('session');
  assert.ok(c, 'the jar holds a session cookie');
  return `session=${c.value}`;
}

// ---------------------------------------------------------------------------------------------
// The scenarios.

function scenarios(flask: FlaskPython, version: FlaskVersion): void {
  const config: SiteConfig = { secret: 'interop-secret-' + version };
  let site: Site;
  before(async () => {
    site = await startSite(flask, config);
  }, TEST_TIMEOUT);

  test('set in Flask -> read in Node; set in Node -> read in Flask', TEST_TIMEOUT, async () => {
    const jar = new CookieJar();
    await get(jar, site.flask, '/');
    assert.ok(jar.get('session')?.expiresAt, 'Flask set a permanent cookie');
    assert.deepEqual(await getJSON(jar, site.node, '/getSession/'), LOGGED_IN);

    const jar2 = new CookieJar();
    await get(jar2, site.node, '/');
    assert.ok(jar2.get('session')?.expiresAt, 'Node set a permanent cookie');
    assert.deepEqual(await getJSON(jar2, site.flask, '/getSession/'), LOGGED_IN);
  });

  test('a permanent session is re-issued by both on every request', TEST_TIMEOUT, async () => {
    const jar = new CookieJar();
    await get(jar, site.flask, '/');
    for (const base of [site.node, site.flask]) {
      const { setCookie } = await get(jar, base, '/getSession/');
      assert.equal(setCookie.length, 1, `${base} re-issued the session`);
      assert.match(setCookie[0]!, /^session=[^;]+; Expires=[^;]+ GMT; HttpOnly; Path=\/$/);
    }
    assert.deepEqual(await getJSON(jar, site.node, '/getSession/'), LOGGED_IN);
  });

  test('change in Node -> read in Flask, and the other way', TEST_TIMEOUT, async () => {
    const jar = new CookieJar();
    await get(jar, site.flask, '/');
    assert.deepEqual(await getJSON(jar, site.node, '/set/k/v'), { value: 'v' });
    assert.ok(jar.get('session')?.expiresAt, 'still permanent after the Node write');
    assert.deepEqual(await getJSON(jar, site.flask, '/get/k'), { value: 'v' });
    assert.deepEqual(await getJSON(jar, site.flask, '/getSession/'), LOGGED_IN);

    assert.deepEqual(await getJSON(jar, site.flask, '/set/k/w'), { value: 'w' });
    assert.deepEqual(await getJSON(jar, site.flask, '/set/other/x'), { value: 'x' });
    assert.deepEqual(await getJSON(jar, site.node, '/get/k'), { value: 'w' });
    assert.deepEqual(await getJSON(jar, site.node, '/get/other'), { value: 'x' });
    assert.deepEqual(await getJSON(jar, site.node, '/getSession/'), LOGGED_IN);
  });

  test('clear in Flask -> gone in Node; clear in Node -> gone in Flask', TEST_TIMEOUT, async () => {
    const jar = new CookieJar();
    await get(jar, site.node, '/');
    const cleared = await get(jar, site.flask, '/deleteSession/');
    assert.equal(cleared.setCookie.length, 1, 'Flask sends one deletion header');
    assert.equal(jar.get('session'), undefined);
    assert.deepEqual(await getJSON(jar, site.node, '/getSession/'), LOGGED_OUT);

    await get(jar, site.flask, '/');
    const cleared2 = await get(jar, site.node, '/deleteSession/');
    assert.deepEqual(cleared2.setCookie, cleared.setCookie, 'the same deletion header as Flask');
    assert.equal(jar.get('session'), undefined);
    assert.deepEqual(await getJSON(jar, site.flask, '/getSession/'), LOGGED_OUT);
  });

  test(
    'a permanent session outlives a browser restart; a non-permanent one does not',
    TEST_TIMEOUT,
    async () => {
      const permanent = new CookieJar();
      await get(permanent, site.flask, '/');
      permanent.restart();
      assert.deepEqual(await getJSON(permanent, site.node, '/getSession/'), LOGGED_IN);
      permanent.restart();
      assert.deepEqual(await getJSON(permanent, site.flask, '/getSession/'), LOGGED_IN);

      // /set on an empty session makes a non-permanent session, on either server.
      for (const [writer, reader] of [
        [site.node, site.flask],
        [site.flask, site.node],
      ] as const) {
        const jar = new CookieJar();
        await get(jar, writer, '/set/k/v');
        const cookie = jar.get('session');
        assert.ok(
          cookie && cookie.expiresAt === undefined,
          `${writer} set a session cookie without Expires`,
        );
        assert.deepEqual(await getJSON(jar, reader, '/get/k'), { value: 'v' });
        jar.restart();
        assert.equal(jar.get('session'), undefined);
        assert.deepEqual(await getJSON(jar, reader, '/get/k'), { value: null });
        assert.deepEqual(await getJSON(jar, writer, '/get/k'), { value: null });
      }
    },
  );

  test('an expired cookie is rejected by both', TEST_TIMEOUT, async () => {
    const short: SiteConfig = { ...config, permanentLifetime: 1 };
    const s = await startSite(flask, short);
    const jar = new CookieJar();
    await get(jar, s.flask, '/');
    const stale = sessionHeader(jar);
    assert.deepEqual(
      await getJSON(jar.clone(), s.node, '/getSession/'),
      LOGGED_IN,
      'valid while fresh',
    );

    await sleep(2200);
    assert.equal(jar.header(), undefined, 'the browser has dropped it (Expires passed)');
    assert.equal(readSession(stale, short.secret, { permanentLifetime: 1 }).status, 'expired');
    // A client that ignores Expires still gets nothing: both servers check the signed timestamp.
    for (const base of [s.flask, s.node]) {
      const res = await fetch(base + '/getSession/', {
        headers: { cookie: stale },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), LOGGED_OUT, `${base} rejects the expired cookie`);
      assert.deepEqual(res.headers.getSetCookie(), [], `${base} leaves an invalid cookie alone`);
    }
    await s.stop();
  });
}

function keyRotation(flask: FlaskPython): void {
  test(
    'key rotation: SECRET_KEY=B with SECRET_KEY_FALLBACKS=A keeps users logged in',
    TEST_TIMEOUT,
    async () => {
      const siteA = await startSite(flask, { secret: 'A' });
      const jar = new CookieJar();
      await get(jar, siteA.flask, '/');
      const signedWithA = sessionHeader(jar);
      assert.equal(readSession(signedWithA, 'A').status, 'valid');
      assert.equal(readSession(signedWithA, 'B').status, 'invalid');
      await siteA.stop(); // restart both servers with the new key

      const siteB = await startSite(flask, { secret: 'B', fallbacks: ['A'] });
      assert.equal(readSession(signedWithA, 'B', { fallbacks: ['A'] }).keyIndex, 1);
      for (const [name, base, other] of [
        ['Flask', siteB.flask, siteB.node],
        ['Node', siteB.node, siteB.flask],
      ] as const) {
        // Each side first sees the cookie signed with A, as the browser still holds it.
        const browser = jar.clone();
        assert.deepEqual(
          await getJSON(browser, base, '/getSession/'),
          LOGGED_IN,
          `${name} accepts the old key`,
        );
        // The read re-issued the permanent session, signed with B.
        assert.equal(
          readSession(sessionHeader(browser), 'B').status,
          'valid',
          `${name} re-signed on read`,
        );

        const writer = jar.clone();
        assert.deepEqual(await getJSON(writer, base, '/set/k/v'), { value: 'v' });
        const r = readSession(sessionHeader(writer), 'B');
        assert.equal(
          r.status,
          'valid',
          `after a write on ${name} the cookie verifies with B alone`,
        );
        assert.equal(r.data['uname'], 'momo');
        assert.deepEqual(await getJSON(writer, other, '/get/k'), { value: 'v' });
        assert.deepEqual(await getJSON(writer, other, '/getSession/'), LOGGED_IN);
      }
      await siteB.stop();
    },
  );
}

// ---------------------------------------------------------------------------------------------

const VERSIONS: FlaskVersion[] = ['3.1', '2.2'];
const found = VERSIONS.map((v) => ({ v, flask: flaskOrSkip(v) })); // throws when CI=true
// test/interop.test.ts prints the one line saying what is skipped and why

for (const { v, flask } of found) {
  const name = `Flask ${v} and Node share one session`;
  if ('skip' in flask) {
    test(name, { skip: flask.skip }, () => {});
    continue;
  }
  describe(`${name} (Flask ${flask.version}, ${flask.python})`, () => {
    after(stopAll); // also runs when a test or before() failed
    scenarios(flask, v);
    if (v === '3.1') keyRotation(flask); // Flask 2.2 has no SECRET_KEY_FALLBACKS
  });
}
