/**
 * One CSRF protection across a real Flask app with Flask-WTF 1.3.0's CSRFProtect and an Express
 * app on this library, one cookie jar: tokens made on either side pass the other; expired,
 * other-session and tampered tokens are refused by both with the same 400 page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Jar, loginPythonOrSkip, startSite, type Site } from '../flask-login/_site.ts';

const SECRET = 'csrf-interop-secret-0123456789';
const found = loginPythonOrSkip();
const skip = 'skip' in found ? found.skip : false;
const T = { timeout: 30_000 };
const SIDES = ['flask', 'node'] as const;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const post = (jar: Jar, url: string, token: string | undefined, headers = {}) =>
  jar.fetch(url, {
    method: 'POST',
    headers: { ...FORM, ...headers },
    body: new URLSearchParams(
      token === undefined ? { name: 'x' } : { csrf_token: token, name: 'x' },
    ).toString(),
  });
const tokenFrom = async (jar: Jar, url: string) =>
  ((await jar.fetch(`${url}/form`)).json() as { token: string }).token;

describe('Flask-WTF CSRF shared between Flask and Express', { skip }, () => {
  let site: Site;
  before(async () => {
    site = await startSite((found as { python: string }).python, {
      secret: SECRET,
      protection: 'basic',
      timeLimit: 2,
    });
  });
  after(async () => {
    await site?.stop();
  });

  for (const [from, to] of [
    ['node', 'flask'],
    ['flask', 'node'],
  ] as const) {
    test(`a form token rendered by ${from} passes ${to}'s CSRF check`, T, async () => {
      const jar = new Jar();
      const token = await tokenFrom(jar, site[from].url);
      assert.ok(jar.cookies.has('session'), 'the raw token is saved in the session');
      const r = await post(jar, `${site[to].url}/submit`, token);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json(), { ok: true, field: 'x' });
      // the same raw token: the other side renders a token for it too, and it passes here
      const again = await tokenFrom(jar, site[to].url);
      assert.equal((await post(jar, `${site[from].url}/submit`, again)).status, 200);
    });

    test(`a token from ${from} in an X-CSRFToken header of a fetch() passes ${to}`, T, async () => {
      const jar = new Jar();
      const token = await tokenFrom(jar, site[from].url);
      for (const header of ['X-CSRFToken', 'X-CSRF-Token']) {
        const r = await jar.fetch(`${site[to].url}/submit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [header]: token },
          body: '{}',
        });
        assert.equal(r.status, 200, r.text);
      }
    });
  }

  /** Both servers answer the same status and the same body. */
  async function sameRefusal(
    make: (side: (typeof SIDES)[number]) => Promise<{ status: number; text: string }>,
    reason: string,
  ) {
    const answers = [];
    for (const side of SIDES) {
      const r = await make(side);
      answers.push({ status: r.status, text: r.text });
    }
    assert.equal(answers[0]!.status, 400);
    assert.match(answers[0]!.text, new RegExp(`<p>${reason.replace(/\./g, '\\.')}</p>`));
    assert.deepEqual(answers[1], answers[0]);
  }

  test('a missing token, and a token without a session, are refused alike', T, async () => {
    await sameRefusal(
      (side) => post(new Jar(), `${site[side].url}/submit`, undefined),
      'The CSRF token is missing.',
    );
    const token = await tokenFrom(new Jar(), site.node.url);
    await sameRefusal(
      (side) => post(new Jar(), `${site[side].url}/submit`, token),
      'The CSRF session token is missing.',
    );
  });

  test("another session's token and tampered tokens are refused alike", T, async () => {
    const mine = new Jar();
    await tokenFrom(mine, site.flask.url);
    const other = await tokenFrom(new Jar(), site.flask.url);
    await sameRefusal(
      (side) => post(mine, `${site[side].url}/submit`, other),
      'The CSRF tokens do not match.',
    );
    const good = await tokenFrom(mine, site.node.url);
    const flipped = good.slice(0, -2) + (good.endsWith('A') ? 'B' : 'A') + good.slice(-1);
    for (const bad of [flipped, good.replace('.', ''), 'garbage'])
      await sameRefusal(
        (side) => post(mine, `${site[side].url}/submit`, bad),
        'The CSRF token is invalid.',
      );
  });

  test('an expired token (WTF_CSRF_TIME_LIMIT = 2 s) is refused alike', T, async () => {
    const jar = new Jar();
    const tokens = {
      flask: await tokenFrom(jar, site.flask.url),
      node: await tokenFrom(jar, site.node.url),
    };
    await sleep(3100);
    for (const from of SIDES)
      await sameRefusal(
        (side) => post(jar, `${site[side].url}/submit`, tokens[from]),
        'The CSRF token has expired.',
      );
  });

  test('GET and exempt views are not checked on either side', T, async () => {
    for (const side of SIDES) {
      assert.equal((await new Jar().fetch(`${site[side].url}/form`)).status, 200);
      assert.equal((await post(new Jar(), `${site[side].url}/exempt`, undefined)).status, 200);
    }
  });
});
