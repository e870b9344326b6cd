/**
 * The Next.js adapter in a real Next.js 16 app (test/next-app, built with `next build`, served with
 * `next start`) beside real Flask 3.1.3 (test/next-app/flask_app.py) with the same configuration,
 * both on loopback: the bytes a Route Handler sends, and Debian's Chromium (through playwright-core)
 * logging in on Flask, reading the user in a Server Component, changing the session in a Server
 * Action, the proxy refreshing a permanent session and requiring a login, and logging out.
 *
 * The build is cached in test/next-app/.next: it is skipped when the app, the library's sources and
 * the lock file are what it was built from. Locally a missing Chromium or Flask skips with one
 * line; under CI=true it is a failure.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { type Browser, type BrowserContext } from 'playwright-core';
import { chromiumOrSkip, launchChromium } from '../_browser.ts';
import { dumpSession, parseSetCookie, readSession } from '../../src/index.ts';
import { REPO_ROOT, flaskOrSkip } from '../interop/_python.ts';
import {
  STARTUP_TIMEOUT_MS,
  startPythonApp,
  stopChild,
  trackChild,
  type Running,
} from '../interop/_servers.ts';

const APP = join(REPO_ROOT, 'test/next-app');
const NEXT_BIN = join(REPO_ROOT, 'node_modules/next/dist/bin/next');
const HASH_FILE = join(APP, '.next/flask-session-cookie-sources.sha256');
const SECRET = 'next-test-secret-0123456789abcdef';
const LIFETIME = 3600;
const ENV = {
  FLASK_SECRET_KEY: SECRET,
  FLASK_PERMANENT_SESSION_LIFETIME: String(LIFETIME),
  NEXT_TELEMETRY_DISABLED: '1',
};
const OPTIONS = { secret: SECRET, permanentLifetime: LIFETIME };

const flask = flaskOrSkip('3.1');
const skip = chromiumOrSkip() ?? ('skip' in flask ? flask.skip : false);
if (skip) console.log(`Next.js test skipped: ${skip}`);

/** Every file the build depends on, hashed: the app, the library's sources, the lock file. */
function sourcesHash(): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === '.next' || name === 'node_modules' || name === 'next-env.d.ts') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(APP);
  walk(join(REPO_ROOT, 'src'));
  files.push(join(REPO_ROOT, 'package-lock.json'));
  const h = createHash('sha256');
  for (const f of files.sort())
    h.update(relative(REPO_ROOT, f)).update('\0').update(readFileSync(f));
  return h.digest('hex');
}

/** `next build`, unless the last build was made from these very sources. */
function buildIfChanged(): void {
  const hash = sourcesHash();
  if (
    existsSync(join(APP, '.next/BUILD_ID')) &&
    existsSync(HASH_FILE) &&
    readFileSync(HASH_FILE, 'utf8') === hash
  )
    return;
  const started = Date.now();
  const r = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: APP,
    env: { ...process.env, ...ENV },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`next build failed:\n${r.stdout}\n${r.stderr}`);
  writeFileSync(HASH_FILE, hash);
  console.log(`next build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `next start` on a free loopback port, once it answers. */
async function startNext(): Promise<Running> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: APP,
      env: { ...process.env, ...ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  trackChild(child);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log = (log + d).slice(-6000)));
  child.stderr!.on('data', (d: Buffer) => (log = (log + d).slice(-6000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS * 3;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(url + '/login')).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`next start did not answer:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => stopChild(child) };
}

/** A Set-Cookie header's `name=value` and its attributes, in a canonical order. */
function attributes(header: string): { pair: string; attrs: string[] } {
  const [pair, ...attrs] = header.split('; ');
  return { pair: pair!, attrs: attrs.sort() };
}
const pairOf = (header: string) => header.split(';')[0]!;

let flaskApp: Running | undefined;
let nextApp: Running | undefined;
let browser: Browser | undefined;

describe('Next.js 16 beside Flask 3.1', { skip }, () => {
  before(async () => {
    if ('skip' in flask) return;
    buildIfChanged();
    [flaskApp, nextApp] = await Promise.all([
      startPythonApp(flask.python, join(APP, 'flask_app.py'), { ...process.env, ...ENV }, 'Flask'),
      startNext(),
    ]);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([flaskApp?.stop(), nextApp?.stop()]);
  });

  test('a Route Handler sends Flask’s cookie: the same value bytes and the same attributes', async () => {
    const r = await fetch(nextApp!.url + '/api/session?k=a&v=1');
    const sent = r.headers.getSetCookie();
    assert.equal(sent.length, 1);
    const read = readSession(pairOf(sent[0]!), SECRET);
    assert.equal(read.status, 'valid');
    const flaskHeader = dumpSession({ a: '1' }, { ...OPTIONS, now: read.issuedAt! });
    assert.deepEqual(attributes(sent[0]!), attributes(flaskHeader));

    // a read-only request sends nothing
    const again = await fetch(nextApp!.url + '/api/session?k=a', {
      headers: { cookie: pairOf(sent[0]!) },
    });
    assert.deepEqual(await again.json(), { value: '1', status: 'valid' });
    assert.deepEqual(again.headers.getSetCookie(), []);

    // Flask's permanent login: Next re-issues it with Expires, as Flask would
    const login = await fetch(flaskApp!.url + '/login/momo');
    const flaskCookie = login.headers.getSetCookie()[0]!;
    assert.match(flaskCookie, /; Expires=/);
    const changed = await fetch(nextApp!.url + '/api/session?k=cart&v=tea', {
      headers: { cookie: pairOf(flaskCookie) },
    });
    const nextCookie = changed.headers.getSetCookie()[0]!;
    const now = readSession(pairOf(nextCookie), SECRET).issuedAt!;
    assert.deepEqual(
      attributes(nextCookie),
      attributes(
        dumpSession(
          { _fresh: true, _permanent: true, _user_id: 'momo', cart: 'tea' },
          {
            ...OPTIONS,
            now,
          },
        ),
      ),
    );
    // and Flask reads what Next wrote
    const seen = await fetch(flaskApp!.url + '/whoami', {
      headers: { cookie: pairOf(nextCookie) },
    });
    assert.deepEqual(await seen.json(), { user: 'momo', cart: 'tea' });

    // clearing: the deletion cookie with Flask's attributes
    const cleared = await fetch(nextApp!.url + '/api/session?clear=1', {
      headers: { cookie: pairOf(nextCookie) },
    });
    const deletion = cleared.headers.getSetCookie()[0]!;
    assert.deepEqual(attributes(deletion), attributes(dumpSession({}, OPTIONS)));
    assert.equal(parseSetCookie(deletion).maxAge, 0);
  });

  test('a server-side session (MemoryStore) in a Route Handler', async () => {
    const r = await fetch(nextApp!.url + '/api/server-side?k=a&v=1');
    const cookie = pairOf(r.headers.getSetCookie()[0]!);
    assert.match(cookie, /^session=[A-Za-z0-9_-]{40,}$/);
    const again = await fetch(nextApp!.url + '/api/server-side?k=a', { headers: { cookie } });
    assert.deepEqual(await again.json(), { value: '1', size: 1 });
  });

  describe('in the browser', () => {
    let context: BrowserContext;
    const sessionCookie = async () =>
      (await context.cookies()).find((c) => c.name === 'session' && c.domain === '127.0.0.1');
    before(async () => {
      if (browser) context = await browser.newContext();
    });
    after(async () => {
      await context?.close();
    });

    test('the proxy sends a visitor without a user to the login page', async () => {
      const page = await context.newPage();
      await page.goto(nextApp!.url + '/account');
      assert.equal(
        new URL(page.url()).pathname + new URL(page.url()).search,
        '/login?next=%2Faccount',
      );
      assert.equal(await page.textContent('#login'), 'Please log in (then back to /account)');
      await page.close();
    });

    test('logged in on Flask, a Server Component shows the user', async () => {
      const page = await context.newPage();
      await page.goto(flaskApp!.url + '/login/momo');
      await page.goto(nextApp!.url + '/');
      assert.equal(await page.textContent('#user'), 'Logged in as momo');
      await page.goto(nextApp!.url + '/account');
      assert.equal(await page.textContent('#account'), 'Account of momo');
      await page.close();
    });

    test('the proxy refreshes the permanent session on navigation, and the page reads the new cookie', async () => {
      const page = await context.newPage();
      const before = (await sessionCookie())!;
      const issuedBefore = readSession(`session=${before.value}`, SECRET).issuedAt!.getTime();
      await new Promise((r) => setTimeout(r, 1100)); // Flask's timestamps are whole seconds
      await page.goto(nextApp!.url + '/session');
      const after = (await sessionCookie())!;
      assert.ok(after.expires > before.expires, `Expires ${before.expires} -> ${after.expires}`);
      assert.ok(Math.abs(after.expires - (Date.now() / 1000 + LIFETIME)) < 5);
      const fresh = readSession(`session=${after.value}`, SECRET);
      assert.ok(fresh.issuedAt!.getTime() > issuedBefore);
      const rendered = JSON.parse((await page.textContent('#session'))!);
      assert.equal(rendered.issuedAt, fresh.issuedAt!.getTime(), 'this render read the new cookie');
      assert.equal(rendered.data._user_id, 'momo');
      await page.close();
    });

    test('a Server Action changes the session, and Flask sees the change and the flashed message', async () => {
      const page = await context.newPage();
      await page.goto(nextApp!.url + '/');
      await page.fill('input[name=item]', 'tea');
      await page.click('#add');
      await page.waitForFunction(
        () => document.querySelector('#cart')?.textContent === 'Cart: tea',
      );
      await page.goto(flaskApp!.url + '/whoami');
      assert.deepEqual(JSON.parse((await page.textContent('body'))!), {
        user: 'momo',
        cart: ['tea'],
      });
      await page.goto(flaskApp!.url + '/flashes/');
      assert.deepEqual(JSON.parse((await page.textContent('body'))!), [
        ['info', 'Added to your cart'],
      ]);
      await page.close();
    });

    test('logging out on Next clears Flask’s view too', async () => {
      const page = await context.newPage();
      await page.goto(nextApp!.url + '/');
      await page.click('#logout');
      await page.waitForFunction(
        () => document.querySelector('#user')?.textContent === 'Not logged in',
      );
      assert.equal(await sessionCookie(), undefined, 'the browser deleted the cookie');
      await page.goto(flaskApp!.url + '/whoami');
      assert.deepEqual(JSON.parse((await page.textContent('body'))!), { user: null, cart: null });
      await page.close();
    });
  });
});

test('the README’s Next.js examples are the test app’s files', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```tsx? title="([^"]+)"\n([\s\S]*?)```/g)];
  assert.deepEqual(
    blocks.map((m) => m[1]),
    ['lib/session.ts', 'app/page.tsx', 'app/actions.ts', 'proxy.ts'],
  );
  for (const [, file, code] of blocks)
    assert.equal(code, readFileSync(join(APP, file!), 'utf8'), file);
});

/**
 * Next 16 (the root devDependency) and Next 15 (its own install in test/next-app/next15, whose
 * `next` bin would otherwise shadow Next 16's).
 */
const NEXT15 = join(APP, 'next15/node_modules/next/');
const next15Missing = existsSync(NEXT15 + 'package.json')
  ? false
  : 'Next.js 15 not installed (npm ci --prefix test/next-app/next15)';
if (next15Missing && process.env['CI'] === 'true') throw new Error(`CI=true and ${next15Missing}`);
if (next15Missing) console.log(`Next.js 15 tests skipped: ${next15Missing}`);
type NextServer = typeof import('next/server.js');
type EdgeCookies = typeof import('next/dist/compiled/@edge-runtime/cookies/index.js');
const NEXTS: [string, string, string | false][] = [
  ['Next 16', join(REPO_ROOT, 'node_modules/next/'), false],
  ['Next 15', NEXT15, next15Missing],
];

for (const [version, dir, skipVersion] of NEXTS)
  describe(
    `the adapter with ${version}’s own request, response and cookie classes`,
    { skip: skipVersion },
    async () => {
      if (skipVersion) return;
      // next/server's real NextRequest, NextResponse, RequestCookies and ResponseCookies
      const { NextRequest, NextResponse } = (await import(dir + 'server.js')) as NextServer;
      const { RequestCookies, ResponseCookies } = (await import(
        dir + 'dist/compiled/@edge-runtime/cookies/index.js'
      )) as EdgeCookies;
      test(`${version} is the version under test`, () => {
        const v = JSON.parse(readFileSync(dir + 'package.json', 'utf8')).version as string;
        assert.equal(v.split('.')[0], version.slice('Next '.length));
      });
      const { flaskProxy, getSession } = await import('../../src/adapters/next.ts');
      const request = (path: string, cookie: string) =>
        new NextRequest('http://127.0.0.1:3000' + path, { headers: { cookie } });
      const old = pairOf(
        dumpSession(
          { _user_id: 'momo', _permanent: true },
          { ...OPTIONS, now: Date.now() / 1000 - 100 },
        ),
      );

      test('the proxy refreshes a permanent session and rewrites the Cookie header the render reads', async () => {
        const sessions = flaskProxy(NextResponse, OPTIONS);
        const req = request('/', `theme=dark; ${old}; lang=en`);
        const response = await sessions.next(req, await sessions.open(req));
        const sent = response.headers.getSetCookie();
        assert.equal(sent.length, 1);
        const fresh = readSession(pairOf(sent[0]!), SECRET);
        assert.ok(fresh.issuedAt!.getTime() > Date.now() - 5000);
        assert.deepEqual(
          attributes(sent[0]!),
          attributes(dumpSession({ ...fresh.data }, { ...OPTIONS, now: fresh.issuedAt! })),
        );
        assert.equal(response.headers.get('x-middleware-override-headers'), 'cookie');
        assert.equal(
          response.headers.get('x-middleware-request-cookie'),
          `theme=dark; lang=en; ${pairOf(sent[0]!)}`,
        );
        // a session that is not permanent and not changed: nothing to send, nothing rewritten
        const plain = request('/', pairOf(dumpSession({ a: 1 }, OPTIONS)));
        const untouched = await sessions.next(plain, await sessions.open(plain));
        assert.deepEqual(untouched.headers.getSetCookie(), []);
        assert.equal(untouched.headers.get('x-middleware-request-cookie'), null);
      });

      test('loginRequired: a redirect to the login page with ?next= when there is no _user_id', async () => {
        const sessions = flaskProxy(NextResponse, OPTIONS);
        const anonymous = request('/account?tab=2', 'theme=dark');
        const redirect = await sessions.loginRequired(
          anonymous,
          await sessions.open(anonymous),
          '/login',
        );
        assert.equal(redirect?.status, 302, "Flask-Login's redirect");
        const location = new URL(redirect!.headers.get('location')!);
        // the `next` parameter as Flask-Login's login_url(login_view, next_url=request.url) makes it
        assert.equal(location.pathname + location.search, '/login?next=%2Faccount%3Ftab%3D2');
        const user = request('/account', old);
        assert.equal(
          await sessions.loginRequired(user, await sessions.open(user), '/login'),
          undefined,
        );
      });

      test('getSession: save() writes through the cookie store, and refuses a read-only one', async () => {
        const out = new ResponseCookies(new Headers());
        const s = await getSession(new RequestCookies(new Headers({ cookie: old })), OPTIONS);
        assert.equal(s.get('_user_id'), 'momo');
        const store = { get: (n: string) => out.get(n), set: out.set.bind(out) };
        const w = await getSession(store, OPTIONS);
        w.set('a', 'b');
        await w.save();
        const header = out.toString();
        const read = readSession(pairOf(header), SECRET);
        assert.deepEqual(
          attributes(header),
          attributes(dumpSession({ a: 'b' }, { ...OPTIONS, now: read.issuedAt! })),
        );
        // every cookie attribute Flask can set, through Next's ResponseCookies
        const all = {
          ...OPTIONS,
          domain: 'example.test',
          path: '/app',
          secure: true,
          sameSite: 'Lax',
          partitioned: true,
        };
        const jar = new ResponseCookies(new Headers());
        const p = await getSession({ get: (n: string) => jar.get(n), set: jar.set.bind(jar) }, all);
        p.set('a', 'b');
        p.permanent = true;
        await p.save();
        const full = jar.toString();
        assert.deepEqual(
          attributes(full),
          attributes(
            dumpSession(
              { a: 'b', _permanent: true },
              { ...all, now: readSession(pairOf(full), SECRET).issuedAt! },
            ),
          ),
        );
        assert.match(full, /; Partitioned/);
        // a Server Component's store has no working set: a session that needs saving says so
        const readOnly = { get: () => ({ value: pairOf(header).slice('session='.length) }) };
        const r = await getSession(readOnly, OPTIONS);
        assert.equal(r.get('a'), 'b');
        await r.save(); // unchanged, not permanent: nothing to write
        r.set('a', 'c');
        await assert.rejects(r.save(), TypeError);
      });
    },
  );
