/**
 * Flask-WTF 1.3.0's own outputs (fixtures/flask-login-wtf.json, made by
 * scripts/make_login_vectors.py with the real extension): form tokens and `validate_csrf`'s
 * messages; plus CSRFProtect's token lookup and Referer rules.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CSRFError,
  CSRFProtect,
  csrfErrorPage,
  csrfOptionsFromFlaskConfig,
  generateCsrf,
  sameOrigin,
  Session,
  validateCsrf,
  type SessionData,
} from '../../src/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const v: any = JSON.parse(
  readFileSync(new URL('../../fixtures/flask-login-wtf.json', import.meta.url), 'utf8'),
);
const sessionOf = (data: SessionData): Session =>
  new Session({ status: Object.keys(data).length ? 'valid' : 'missing', data: { ...data } });

describe('generate_csrf / validate_csrf', () => {
  test("form tokens equal Flask-WTF's", () => {
    for (const c of v.csrf_generate) {
      const s = sessionOf({ csrf_token: c.raw });
      assert.equal(generateCsrf(s, { secret: c.secret, now: c.now }), c.token);
      assert.equal(s.modified, false);
    }
  });
  test('a session without a raw token gets a new one (40 hex digits) and is saved', () => {
    const s = sessionOf({});
    const token = generateCsrf(s, { secret: 'k' });
    assert.match(s.get('csrf_token') as string, /^[0-9a-f]{40}$/);
    assert.equal(s.modified, true);
    validateCsrf(s, token, { secret: 'k' });
    assert.notEqual(
      generateCsrf(sessionOf({}), { secret: 'k' }),
      token,
      'each session gets its own raw token',
    );
  });
  test("validate_csrf refuses with Flask-WTF's message in every case", () => {
    for (const c of v.csrf_validate) {
      const s = sessionOf(c.session_token === null ? {} : { csrf_token: c.session_token });
      const run = () =>
        validateCsrf(s, c.token, { secret: 'wtf-secret', timeLimit: c.time_limit, now: c.now });
      if (c.message === null) run();
      else
        assert.throws(
          run,
          (e: unknown) => e instanceof CSRFError && e.message === c.message,
          JSON.stringify(c),
        );
    }
  });
  test('a raw token of another type does not match, without crashing', () => {
    const token = generateCsrf(sessionOf({ csrf_token: 'a' }), { secret: 'k' });
    assert.throws(
      () => validateCsrf(sessionOf({ csrf_token: 5 }), token, { secret: 'k' }),
      (e: unknown) => (e as CSRFError).code === 'ERR_CSRF_MISMATCH',
    );
  });
});

describe('CSRFProtect rules', () => {
  const csrf = new CSRFProtect({ secret: 'k' });
  const s = sessionOf({ csrf_token: 'ab'.repeat(20) });
  const token = csrf.generate(s);
  const req = (over: Partial<Parameters<CSRFProtect['protect']>[1]>, headers = {}) => ({
    method: 'POST',
    header: (n: string) => (headers as Record<string, string>)[n.toLowerCase()],
    ...over,
  });
  test('methods, form field, prefixed field, headers', () => {
    assert.equal(csrf.protect(s, req({ method: 'GET' })), undefined);
    assert.equal(csrf.protect(s, req({})), 'The CSRF token is missing.');
    assert.equal(
      csrf.protect(s, req({ form: new URLSearchParams({ csrf_token: token }) })),
      undefined,
    );
    assert.equal(csrf.protect(s, req({ form: { 'p-csrf_token': [token] } })), undefined);
    assert.equal(
      csrf.protect(s, req({ form: [['csrf_token', '']] }, { 'x-csrf-token': token })),
      undefined,
    );
    assert.equal(csrf.protect(s, req({}, { 'x-csrftoken': 'bad' })), 'The CSRF token is invalid.');
  });
  test('SSL strict: the Referer must be this https host', () => {
    const f = { form: { csrf_token: token }, secure: true };
    assert.equal(csrf.protect(s, req(f, { host: 'a.example' })), 'The referrer header is missing.');
    assert.equal(
      csrf.protect(s, req(f, { host: 'a.example', referer: 'https://b.example/x' })),
      'The referrer does not match the host.',
    );
    assert.equal(
      csrf.protect(s, req(f, { host: 'a.example:443', referer: 'https://A.example/x' })),
      undefined,
    );
    assert.equal(new CSRFProtect({ secret: 'k', sslStrict: false }).protect(s, req(f)), undefined);
  });
  test('same_origin as urlparse reads it', () => {
    assert.equal(sameOrigin('https://h:8443/a', 'https://h:8443/'), true);
    assert.equal(sameOrigin('https://h:443/a', 'https://h/'), false);
    assert.equal(sameOrigin('https://u@[::1]:5/a', 'HTTPS://[::1]:5'), true);
    assert.equal(sameOrigin('https://h:x/', 'https://h:x/'), false);
    assert.equal(sameOrigin('http://h/', 'https://h/'), false);
  });
  test("the 400 page is Werkzeug's, and config keys map to options", () => {
    assert.equal(
      csrfErrorPage('The CSRF token is missing.'),
      '<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The CSRF token is missing.</p>\n',
    );
    assert.deepEqual(
      csrfOptionsFromFlaskConfig({
        SECRET_KEY: 'a',
        WTF_CSRF_SECRET_KEY: 'b',
        WTF_CSRF_TIME_LIMIT: null,
      }),
      { secret: 'b', timeLimit: null },
    );
    assert.throws(() => csrfOptionsFromFlaskConfig({}), TypeError);
    assert.throws(
      () => csrfOptionsFromFlaskConfig({ SECRET_KEY: 'a', WTF_CSRF_METHODS: 'POST' }),
      TypeError,
    );
  });
});

describe('hostile input', () => {
  test('validateCsrf only ever throws CSRFError; sameOrigin and protect never throw', async () => {
    const fc = (await import('fast-check')).default;
    const s = sessionOf({ csrf_token: 'ab'.repeat(20) });
    const csrf = new CSRFProtect({ secret: 'k' });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (token, ref) => {
        try {
          validateCsrf(s, token, { secret: 'k' });
        } catch (e) {
          assert.ok(e instanceof CSRFError, String(e));
        }
        sameOrigin(ref, token);
        const r = csrf.protect(s, {
          method: 'POST',
          header: (n) => (n === 'Referer' ? ref : token),
          form: { csrf_token: [token, 1] },
          secure: true,
        });
        assert.equal(typeof r, 'string');
      }),
      { numRuns: 2000 },
    );
  });
});
