/**
 * Flask-Login 0.6.3's own outputs (fixtures/flask-login-wtf.json, made by
 * scripts/make_login_vectors.py with the real extension): `_id`, remember cookies, the
 * after-request hook's Set-Cookie, and `_load_user` with session protection.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  createIdentifier,
  decodeCookie,
  encodeCookie,
  LoginManager,
  loginFresh,
  loginOptionsFromFlaskConfig,
  loginUser,
  logoutUser,
  pythonBytesRepr,
  Session,
  type RequestFacts,
  type SessionData,
} from '../../src/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const v: any = JSON.parse(
  readFileSync(new URL('../../fixtures/flask-login-wtf.json', import.meta.url), 'utf8'),
);

const facts = (
  headers: Record<string, string | null | undefined>,
  remoteAddr?: string | null,
): RequestFacts => ({
  header: (n) => {
    const k = Object.keys(headers).find((h) => h.toLowerCase() === n.toLowerCase());
    return k === undefined ? undefined : headers[k];
  },
  remoteAddr,
});
const sessionOf = (data: SessionData): Session =>
  new Session({ status: Object.keys(data).length ? 'valid' : 'missing', data: { ...data } });
const hexToBytes = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

describe('_create_identifier', () => {
  test('0.6.3 and main-branch identifiers equal Flask-Login for every case', () => {
    assert.ok(v.identifier.length >= 20);
    for (const c of v.identifier) {
      const r = facts(
        { 'User-Agent': c.user_agent, 'X-Forwarded-For': c.x_forwarded_for },
        c.remote_addr,
      );
      assert.equal(createIdentifier(r), c.id, JSON.stringify(c));
      assert.equal(createIdentifier(r, 'main'), c.id_main, JSON.stringify(c));
    }
  });
  test("Python's bytes repr: quotes and escapes", () => {
    const b = (s: string) => new TextEncoder().encode(s);
    assert.equal(pythonBytesRepr(b("it's")), `b"it's"`);
    assert.equal(pythonBytesRepr(b(`'"`)), `b'\\'"'`);
    assert.equal(pythonBytesRepr(b('é\t\\')), `b'\\xc3\\xa9\\t\\\\'`);
    assert.throws(() => createIdentifier(facts({}), 'bogus' as never), TypeError);
  });
});

describe('remember cookie', () => {
  test('encode_cookie equals Flask-Login for string and bytes keys', () => {
    for (const c of v.encode_cookie) {
      const key = c.key ?? hexToBytes(c.key_hex);
      assert.equal(encodeCookie(c.payload, key), c.cookie);
    }
  });
  test('decode_cookie accepts and refuses what Flask-Login does', () => {
    for (const c of v.decode_cookie)
      assert.equal(decodeCookie(c.cookie, c.key), c.payload ?? undefined, c.cookie);
    assert.equal(decodeCookie('1|\u00e9', 'k'), undefined);
    assert.throws(() => encodeCookie('1', 'k\u20ac'), TypeError);
  });
  test("the after-request hook's Set-Cookie equals Flask-Login's, and _remember leaves the session", () => {
    for (const c of v.remember_set_cookie) {
      const config = { SECRET_KEY: 'login-secret', ...c.config };
      const manager = new LoginManager({
        ...loginOptionsFromFlaskConfig(config),
        now: () => 1700000000,
      });
      const data: SessionData = { _user_id: c.user_id };
      if (!c.no_remember_key) data['_remember'] = c.clear ? 'clear' : 'set';
      if (c.remember_seconds !== null) data['_remember_seconds'] = c.remember_seconds;
      const session = sessionOf(data);
      const header = manager.updateRememberCookie(session);
      assert.deepEqual(header === undefined ? [] : [header], c.set_cookie, JSON.stringify(c));
      assert.deepEqual(session.toObject(), c.session_after);
    }
  });
});

describe('_load_user and session protection', () => {
  test('every case leaves the same user and session as Flask-Login', async () => {
    assert.ok(v.load_user.length > 200);
    for (const c of v.load_user) {
      const manager = new LoginManager({ secret: 'login-secret', sessionProtection: c.mode });
      const data: SessionData = { ...c.session };
      if (c.permanent && Object.keys(data).length) data['_permanent'] = true;
      const session = sessionOf(data);
      const headers: Record<string, string> = { 'User-Agent': c.user_agent };
      if (c.remember_cookie !== null) headers['Cookie'] = `remember_token=${c.remember_cookie}`;
      const { userId } = await manager.loadUser(session, facts(headers, c.remote_addr), (id) =>
        id === 'ghost' ? null : { id },
      );
      assert.equal(userId, c.user_id, JSON.stringify(c));
      assert.deepEqual(session.toObject(), c.session_after, JSON.stringify(c));
    }
  });
});

describe('login_user / logout_user', () => {
  test('the session keys Flask-Login writes', () => {
    const s = sessionOf({});
    loginUser(s, '42', 'ident', { remember: true, duration: 60 });
    assert.deepEqual(s.toObject(), {
      _user_id: '42',
      _fresh: true,
      _id: 'ident',
      _remember: 'set',
      _remember_seconds: 60,
    });
    assert.equal(loginFresh(s), true);
    logoutUser(s, true);
    assert.deepEqual(s.toObject(), { _remember: 'clear' });
    const t = sessionOf({ _user_id: '1', _fresh: false });
    logoutUser(t, false);
    assert.deepEqual(t.toObject(), {});
    assert.equal(loginFresh(t), false);
    assert.throws(() => loginUser(s, 42 as never, 'x'), TypeError);
  });
  test('config keys: wrong types are refused', () => {
    assert.throws(() => loginOptionsFromFlaskConfig({}), TypeError);
    assert.throws(
      () => loginOptionsFromFlaskConfig({ SECRET_KEY: 'k', REMEMBER_COOKIE_DURATION: '1d' }),
      TypeError,
    );
    assert.throws(
      () => loginOptionsFromFlaskConfig({ SECRET_KEY: 'k', REMEMBER_COOKIE_SECURE: 'yes' }),
      TypeError,
    );
    assert.deepEqual(loginOptionsFromFlaskConfig({ SECRET_KEY: 'k', SESSION_PROTECTION: null }), {
      secret: 'k',
      sessionProtection: null,
    });
    assert.throws(() => new LoginManager({ secret: 'k\u20ac' }), TypeError);
  });
});

describe('hostile input', () => {
  test('remember cookies, headers and session values never make loadUser throw', async () => {
    const fc = (await import('fast-check')).default;
    const manager = new LoginManager({ secret: 'k', sessionProtection: 'strong' });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary' }),
        fc.string(),
        fc.anything(),
        async (cookie, ua, id) => {
          const session = sessionOf({ _user_id: id as never, _id: ua, _fresh: id as never });
          const r = facts({ Cookie: `remember_token=${cookie}`, 'User-Agent': ua }, ua);
          assert.equal(decodeCookie(cookie, 'k') === undefined || cookie.includes('|'), true);
          await manager.loadUser(session, r, (x) => (typeof x === 'string' ? { x } : null));
          manager.updateRememberCookie(session);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
