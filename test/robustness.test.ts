import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BadPayload,
  CookieTooLarge,
  dumpSession,
  getSigningSerializer,
  loadSession,
  readSession,
  tuple,
  type SessionData,
} from '../src/index.ts';

const secret = 'robust-secret';
const now = 1700000000;

test('anything that is not a validly signed cookie gives an empty session, never a throw', () => {
  const good = dumpSession({ a: 1, b: tuple('x') }, { secret, now }).split(';')[0]!;
  const value = good.slice('session='.length);
  const inputs: unknown[] = [
    undefined,
    null,
    '',
    ';',
    '=',
    'session',
    'session=',
    'session=.',
    'session=..',
    'session=a.b.c',
    `session=${value}x`,
    `session=${value.slice(0, -1)}`,
    `session=x${value}`,
    'session=\u00ff\u0000\ud800',
    `session="${value}`,
    ['a=1', 'b=2'],
    'session=' + '.'.repeat(5000),
    'session=' + 'A'.repeat(100000),
  ];
  for (let i = 0; i < value.length; i++) {
    for (const ch of ['A', '-', '.', '_', '=', '!', 'é']) {
      if (value[i] === ch) continue;
      inputs.push(`session=${value.slice(0, i)}${ch}${value.slice(i + 1)}`);
    }
  }
  let valid = 0;
  for (const h of inputs) {
    const r = readSession(h as string, secret, { now });
    assert.ok(['missing', 'invalid', 'expired', 'too-large', 'valid'].includes(r.status));
    if (r.status === 'valid') valid++;
    else assert.deepEqual(Object.keys(r.data), []);
  }
  // a last signature character has four same-value spellings, as in Python's decoder
  assert.ok(valid <= 4, `${valid} mutated cookies still verified`);
});

test('wrong secret, no secret, expired and future cookies', () => {
  const h = dumpSession({ a: 1 }, { secret, now }).split(';')[0]!;
  assert.equal(readSession(h, 'other', { now }).status, 'invalid');
  assert.equal(readSession(h, '', { now }).status, 'no-secret');
  assert.equal(readSession(h, undefined, { now }).status, 'no-secret');
  assert.equal(readSession(h, secret, { now: now + 2678400 }).status, 'valid');
  assert.equal(readSession(h, secret, { now: now + 2678401 }).status, 'expired');
  assert.equal(readSession(h, secret, { now: now - 1 }).status, 'expired');
  assert.equal(readSession(h, secret, { now, permanentLifetime: 10.9 }).status, 'valid');
  assert.equal(
    readSession(h, secret, { now: now + 11, permanentLifetime: 10.9 }).status,
    'expired',
  );
  assert.equal(readSession(h, secret, { now: now + 10, permanentLifetime: 10.9 }).status, 'valid');
});

test('fallback keys verify, never sign, and report which key verified', () => {
  const old = dumpSession({ a: 1 }, { secret: 'old', now }).split(';')[0]!;
  const r = readSession(old, 'new', { now, fallbacks: ['older', 'old'] });
  assert.equal(r.status, 'valid');
  assert.equal(r.keyIndex, 1);
  assert.equal(readSession(old, 'new', { now, fallbacks: ['old', 'older'] }).keyIndex, 2);
  assert.equal(readSession(old, 'new', { now }).status, 'invalid');
  assert.equal(
    dumpSession({ a: 1 }, { secret: 'new', fallbacks: ['old'], now }),
    dumpSession({ a: 1 }, { secret: 'new', now }),
  );
  assert.throws(() => loadSession(old, 'new', { fallbacks: 'old' as never }), TypeError);
  assert.throws(
    () => dumpSession({ a: 1 }, { secret: 'new', fallbacks: 'old' as never }),
    TypeError,
  );
});

test('dumpSession: errors that say what to do', () => {
  assert.throws(() => dumpSession({ a: 1 }, { secret: '' }), TypeError);
  assert.throws(() => dumpSession({ a: 1 }, undefined as never), TypeError);
  assert.throws(() => dumpSession({ a: undefined } as never, { secret }), TypeError);
  assert.throws(() => dumpSession({ a: new Set() } as never, { secret }), TypeError);
  assert.throws(() => dumpSession({ a: new Date(Date.UTC(10000, 0)) }, { secret }), RangeError);
  assert.throws(() => dumpSession({ a: 1 }, { secret, sameSite: 'sometimes' }), TypeError);
  assert.throws(() => dumpSession([] as never, { secret }), TypeError);
  const big: SessionData = {
    blob: Array.from({ length: 3000 }, (_, i) => (i * 7919) % 10007).join(','),
  };
  assert.throws(
    () => dumpSession(big, { secret, onOversize: 'throw' }),
    (e: unknown) =>
      e instanceof CookieTooLarge &&
      e.code === 'ERR_COOKIE_TOO_LARGE' &&
      e.size > 4093 &&
      e.limit === 4093,
  );
  assert.doesNotThrow(() => dumpSession(big, { secret, onOversize: 'ignore' }));
  assert.doesNotThrow(() => dumpSession(big, { secret, maxCookieSize: 0, onOversize: 'throw' }));
});

test('a validly signed cookie with an unreadable payload is BadPayload, as in Flask', () => {
  const s = getSigningSerializer({ secret });
  const signer = s.makeSigner();
  const sign = (payload: string, ts = now) =>
    'session=' + (signer as import('../src/index.ts').TimestampSigner).sign(payload, ts);
  for (const p of ['!!!!', '.eJzz', 'eyJhIjo', 'WzEsMl0' /* [1,2] */, 'MA' /* 0 */])
    assert.throws(() => loadSession(sign(p), secret, { now }), BadPayload, p);
  assert.equal(Object.keys(loadSession(sign('bnVsbA' /* null */), secret, { now })).length, 0);
  assert.throws(() => loadSession(sign('e30', 253402300800), secret, { now }), BadPayload);
  assert.equal(readSession(sign('e30', 253402300799), secret, { now }).status, 'expired');
});

test('prototype keys are data at every depth; Object.prototype is untouched', () => {
  const data = JSON.parse(
    '{"__proto__": {"__proto__": {"polluted": 1}}, "constructor": {"prototype": {"x": 1}}, "prototype": [{"__proto__": 1}]}',
  );
  const h = dumpSession(data, { secret, now }).split(';')[0]!;
  const got = loadSession(h, secret, { now });
  assert.deepEqual(Object.keys(got).sort(), ['__proto__', 'constructor', 'prototype']);
  assert.equal(Object.getPrototypeOf(got), null);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(dumpSession(got, { secret, now }).split(';')[0], h);
});
