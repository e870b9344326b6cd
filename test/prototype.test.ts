/** `__proto__`, `constructor` and `prototype` are data at every depth, in tags and in " di" escapes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  base64Encode,
  dumpSession,
  getSigningSerializer,
  loadSession,
  tuple,
  type SessionData,
  type SessionValue,
  type TimestampSigner,
} from '../src/index.ts';
import { sameValue } from './_typed.ts';

const secret = 'prototype-secret-0123456789';
const now = 1700000000;
const TRAPS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  ' di',
  ' t',
  '__proto____',
];

const dictOf = (v: fc.Arbitrary<SessionValue>) =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...TRAPS), fc.string({ maxLength: 3 })), v), {
      maxLength: 4,
    })
    .map((es) => {
      const o = Object.create(null) as SessionData;
      for (const [k, x] of es) o[k] = x;
      return o;
    });
const value: fc.Arbitrary<SessionValue> = fc.letrec<{ v: SessionValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null)),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.array(tie('v'), { maxLength: 3 }).map((a) => tuple(...a)),
    dictOf(tie('v')),
  ),
})).v;

const snapshot = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) =>
    Object.getOwnPropertyNames(p).sort().join(),
  );

test('random data with prototype-named keys round-trips as data; no prototype changes', () => {
  const before = snapshot();
  fc.assert(
    fc.property(dictOf(value), (data) => {
      const h = dumpSession(data, { secret, now, onOversize: 'ignore' }).split(';')[0]!;
      if (Object.keys(data).length === 0) return;
      const back = loadSession(h, secret, { now });
      assert.equal(sameValue(back, data), undefined);
      assert.equal(Object.getPrototypeOf(back), null);
    }),
    { numRuns: 2000 },
  );
  assert.deepEqual(snapshot(), before);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('crafted payloads that aim at prototypes load as plain data', () => {
  const signer = getSigningSerializer({ secret }).makeSigner() as TimestampSigner;
  const load = (json: string) =>
    loadSession('session=' + signer.sign(base64Encode(json), now), secret, { now });
  const before = snapshot();
  const a = load('{"__proto__": {"polluted": 1}, "x": {"__proto__": {"polluted": 2}}}');
  assert.deepEqual(Object.keys(a), ['__proto__', 'x']);
  assert.equal((a['__proto__'] as Record<string, number>)['polluted'], 1);
  const b = load('{"k": {" di": {"__proto____": {"polluted": 3}}}}');
  assert.deepEqual(Object.keys(b['k'] as object), ['__proto__']);
  assert.equal(Object.getPrototypeOf(b['k']), null);
  const c = load(
    '{"constructor": {"prototype": {"polluted": 4}}, "t": {" t": [{"__proto__": 5}]}}',
  );
  assert.equal(
    (c['constructor'] as Record<string, Record<string, number>>)['prototype']!['polluted'],
    4,
  );
  assert.deepEqual(snapshot(), before);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined);
});
