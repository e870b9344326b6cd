/**
 * One login across a real Flask app with Flask-Login 0.6.3 and an Express app on this library,
 * one cookie jar: logins, logouts, freshness, `_id`, "strong" protection and remember cookies
 * cross from either side to the other.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createIdentifier, readSession, type RequestFacts } from '../../src/index.ts';
import { Jar, loginPythonOrSkip, startSite, type Site } from './_site.ts';

const SECRET = 'login-interop-secret-0123456789';
const found = loginPythonOrSkip();
const skip = 'skip' in found ? found.skip : false;
const T = { timeout: 30_000 };

interface Who {
  user: string | null;
  fresh: boolean;
  keys: string[];
}

const sessionOf = (jar: Jar) => readSession(`session=${jar.cookies.get('session') ?? ''}`, SECRET);

describe('Flask-Login shared between Flask and Express ("basic")', { skip }, () => {
  let site: Site;
  before(async () => {
    site = await startSite((found as { python: string }).python, {
      secret: SECRET,
      protection: 'basic',
    });
  });
  after(async () => {
    await site?.stop();
  });

  for (const [from, to] of [
    ['flask', 'node'],
    ['node', 'flask'],
  ] as const) {
    test(
      `log in on ${from}: ${to} sees the same user and freshness; logout on ${to} logs out both`,
      T,
      async () => {
        const jar = new Jar({ 'user-agent': 'agent-A' });
        assert.equal((await jar.fetch(`${site[from].url}/login/42`)).status, 200);
        const a = (await jar.fetch(`${site[from].url}/whoami`)).json() as Who;
        const b = (await jar.fetch(`${site[to].url}/whoami`)).json() as Who;
        assert.deepEqual(a, { user: '42', fresh: true, keys: ['_fresh', '_id', '_user_id'] });
        assert.deepEqual(b, a);
        await jar.fetch(`${site[to].url}/logout`);
        for (const side of [from, to])
          assert.deepEqual((await jar.fetch(`${site[side].url}/whoami`)).json(), {
            user: null,
            fresh: false,
            keys: [],
          });
      },
    );
  }

  test(
    '`_id` equals Flask-Login for quotes, non-ASCII, no User-Agent and X-Forwarded-For lists',
    T,
    async () => {
      const cases: Record<string, string>[] = [
        { 'user-agent': `say "it's"` },
        { 'user-agent': 'caf\u00c3\u00a9 \u00e9' }, // UTF-8 bytes, and a latin-1 byte
        {},
        { 'user-agent': 'x', 'x-forwarded-for': '203.0.113.9, 10.0.0.1,  10.0.0.2' },
        { 'user-agent': 'y', 'x-forwarded-for': "'a'" },
      ];
      for (const headers of cases) {
        for (const [from, to] of [
          ['flask', 'node'],
          ['node', 'flask'],
        ] as const) {
          const jar = new Jar(headers);
          await jar.fetch(`${site[from].url}/login/7`);
          const facts: RequestFacts = {
            header: (n) => headers[n.toLowerCase()],
            remoteAddr: '127.0.0.1',
          };
          assert.equal(
            sessionOf(jar).data['_id'],
            createIdentifier(facts),
            JSON.stringify(headers),
          );
          // the same identifier on the other side: the login stays fresh
          assert.equal(((await jar.fetch(`${site[to].url}/whoami`)).json() as Who).fresh, true);
        }
      }
    },
  );

  test('another User-Agent makes the login not fresh on both sides alike', T, async () => {
    for (const side of ['flask', 'node'] as const) {
      const jar = new Jar({ 'user-agent': 'agent-A' });
      await jar.fetch(`${site.flask.url}/login/5`);
      jar.headers['user-agent'] = 'agent-B';
      assert.deepEqual((await jar.fetch(`${site[side].url}/whoami`)).json(), {
        user: '5',
        fresh: false,
        keys: ['_fresh', '_id', '_user_id'],
      });
      assert.equal(sessionOf(jar).data['_fresh'], false, side);
    }
  });

  for (const [from, to] of [
    ['node', 'flask'],
    ['flask', 'node'],
  ] as const) {
    test(
      `a remember cookie made by ${from} restores the login on ${to} once the session is gone`,
      T,
      async () => {
        const jar = new Jar({ 'user-agent': 'agent-A' });
        await jar.fetch(`${site[from].url}/login/99?remember=1`);
        assert.ok(jar.cookies.get('remember_token')?.startsWith('99|'), jar.lastSetCookie.join());
        assert.deepEqual(Object.keys(sessionOf(jar).data).sort(), ['_fresh', '_id', '_user_id']);
        jar.cookies.delete('session');
        const who = (await jar.fetch(`${site[to].url}/whoami`)).json() as Who;
        assert.deepEqual(who, { user: '99', fresh: false, keys: ['_fresh', '_user_id'] });
        // the restored login is in the new session cookie: the other side sees it without the cookie
        const saved = new Jar({ 'user-agent': 'agent-A' });
        saved.cookies.set('session', jar.cookies.get('session')!);
        assert.deepEqual((await saved.fetch(`${site[from].url}/whoami`)).json(), who);
        // logout on the other side deletes the remember cookie for both
        await jar.fetch(`${site[to].url}/logout`);
        assert.equal(jar.cookies.has('remember_token'), false, jar.lastSetCookie.join());
        assert.equal(((await jar.fetch(`${site[from].url}/whoami`)).json() as Who).user, null);
      },
    );
  }

  test(
    'a quoted remember cookie (an id with spaces, commas, non-ASCII) crosses both ways',
    T,
    async () => {
      const id = 'm\u00fcller, jo;e';
      for (const [from, to] of [
        ['node', 'flask'],
        ['flask', 'node'],
      ] as const) {
        const jar = new Jar();
        await jar.fetch(`${site[from].url}/login/${encodeURIComponent(id)}?remember=1`);
        assert.ok(jar.cookies.get('remember_token')?.startsWith('"m\\303\\274ller\\054 jo\\073e|'));
        jar.cookies.delete('session');
        assert.equal(((await jar.fetch(`${site[to].url}/whoami`)).json() as Who).user, id, from);
      }
    },
  );

  test('tampered remember cookies are ignored by both', T, async () => {
    const jar = new Jar();
    await jar.fetch(`${site.node.url}/login/99?remember=1`);
    const good = jar.cookies.get('remember_token')!;
    const [id, digest] = good.split('|') as [string, string];
    for (const bad of [
      `98|${digest}`,
      `${id}|${digest.slice(0, -1)}${digest.endsWith('0') ? '1' : '0'}`,
      `${id}|${digest.toUpperCase()}`,
      id,
    ]) {
      for (const side of ['flask', 'node'] as const) {
        const j = new Jar();
        j.cookies.set('remember_token', bad);
        assert.equal(((await j.fetch(`${site[side].url}/whoami`)).json() as Who).user, null, bad);
      }
    }
  });
});

describe('Flask-Login "strong" protection on both sides', { skip }, () => {
  let site: Site;
  before(async () => {
    site = await startSite((found as { python: string }).python, {
      secret: SECRET,
      protection: 'strong',
    });
  });
  after(async () => {
    await site?.stop();
  });

  test('another User-Agent loses the login on both sides alike', T, async () => {
    const results: unknown[] = [];
    for (const side of ['flask', 'node'] as const) {
      const jar = new Jar({ 'user-agent': 'agent-A' });
      await jar.fetch(`${site.node.url}/login/3?remember=1`);
      jar.headers['user-agent'] = 'agent-B';
      const who = (await jar.fetch(`${site[side].url}/whoami`)).json();
      results.push([who, { ...sessionOf(jar).data }, jar.cookies.has('remember_token')]);
    }
    assert.deepEqual(results[0], [{ user: null, fresh: false, keys: ['_remember'] }, {}, false]);
    assert.deepEqual(results[1], results[0]);
  });

  test('the same User-Agent keeps the login on both sides', T, async () => {
    const jar = new Jar({ 'user-agent': 'agent-A' });
    await jar.fetch(`${site.flask.url}/login/3`);
    for (const side of ['flask', 'node'] as const)
      assert.equal(((await jar.fetch(`${site[side].url}/whoami`)).json() as Who).user, '3');
  });
});
