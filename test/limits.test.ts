/** Every limit at its boundary, and the key rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BadPayload,
  base64Encode,
  CookieTooLarge,
  dumpSession,
  generateSecretKey,
  getSigningSerializer,
  loadSession,
  MIN_SECRET_BYTES,
  readSession,
  Signer,
  TimestampSigner,
  type SessionData,
} from '../src/index.ts';
import { constantTimeEqual } from '../src/_internal/bytes.ts';

const secret = 'limits-secret-0123456789';
const now = 1700000000;
const cookieOf = (data: SessionData) => dumpSession(data, { secret, now }).split(';')[0]!;
/** A cookie signed with the secret around any payload text (what only a key holder can make). */
function signed(json: string, ts = now, compress = false): string {
  const signer = getSigningSerializer({ secret }).makeSigner() as TimestampSigner;
  const body = compress ? '.' + base64Encode(deflate(json)) : base64Encode(json);
  return 'session=' + signer.sign(body, ts);
}
import { deflate } from 'pako';

test('maxHeaderSize: a header at the limit is read, one character more is not', () => {
  const c = cookieOf({ a: 1 });
  const header = c + '; x=' + 'y'.repeat(100);
  assert.equal(readSession(header, secret, { now, maxHeaderSize: header.length }).status, 'valid');
  const r = readSession(header, secret, { now, maxHeaderSize: header.length - 1 });
  assert.equal(r.status, 'too-large');
  assert.ok(
    r.error instanceof CookieTooLarge &&
      r.error.limit === header.length - 1 &&
      r.error.size === header.length,
  );
  // the default: 64 KiB, several headers counted together
  const big = 'x=' + 'y'.repeat(65536);
  assert.equal(readSession([c, big], secret, { now }).status, 'too-large');
  assert.equal(readSession([c, 'x=' + 'y'.repeat(65000)], secret, { now }).status, 'valid');
});

test('maxValueSize: a cookie value at the limit is read, one character more is not', () => {
  const c = cookieOf({ a: 'x'.repeat(300) });
  const len = c.length - 'session='.length;
  assert.equal(readSession(c, secret, { now, maxValueSize: len }).status, 'valid');
  assert.equal(readSession(c, secret, { now, maxValueSize: len - 1 }).status, 'too-large');
  const huge = 'session=' + 'A'.repeat(8193);
  assert.equal(readSession(huge, secret, { now }).status, 'too-large');
});

test('maxDecompressedSize: a payload inflating to exactly the cap loads, one byte more is BadPayload', () => {
  const data = { blob: 'ab'.repeat(2000) };
  const c = cookieOf(data);
  assert.match(c, /^session=\./); // compressed
  const jsonLength = JSON.stringify(data).length;
  assert.equal(readSession(c, secret, { now, maxDecompressedSize: jsonLength }).status, 'valid');
  assert.throws(
    () => readSession(c, secret, { now, maxDecompressedSize: jsonLength - 1 }),
    (e: unknown) => e instanceof BadPayload && e.cause instanceof Error,
  );
  // a zip bomb from a key holder: 8 MB of JSON in a cookie of about 11 KB
  const bomb = signed('[' + '0,'.repeat(4_000_000) + '0]', now, true);
  assert.ok(bomb.length < 20_000, `bomb is ${bomb.length} characters`);
  assert.throws(
    () => loadSession(bomb, secret, { now, maxValueSize: Infinity, maxHeaderSize: Infinity }),
    BadPayload,
  );
});

test('maxDepth: 500 levels load and dump, 501 do not', () => {
  const nest = (n: number): SessionData => {
    let v: unknown = 1;
    for (let i = 1; i < n; i++) v = [v];
    return { a: v } as SessionData;
  };
  const c = cookieOf(nest(500)); // the session dict is level 1
  assert.equal(readSession(c, secret, { now }).status, 'valid');
  assert.throws(() => dumpSession(nest(501), { secret, now }), RangeError);
  assert.throws(
    () => loadSession(signed('{"a":' + '['.repeat(500) + ']'.repeat(500) + '}'), secret, { now }),
    BadPayload,
  );
  assert.equal(
    readSession(signed('{"a":' + '['.repeat(499) + ']'.repeat(499) + '}'), secret, { now }).status,
    'valid',
  );
  assert.equal(readSession(signed('{"a":[[1]]}'), secret, { now, maxDepth: 3 }).status, 'valid');
  assert.throws(() => loadSession(signed('{"a":[[1]]}'), secret, { now, maxDepth: 2 }), BadPayload);
  // far past any limit: an error, never a stack overflow
  assert.throws(
    () =>
      loadSession(signed('['.repeat(100_000)), secret, {
        now,
        maxValueSize: Infinity,
        maxHeaderSize: Infinity,
      }),
    BadPayload,
  );
});

test("integers: Python's 4300-digit limit on both sides", () => {
  const ok = 10n ** 4299n; // 4300 digits
  assert.equal(readSession(cookieOf({ n: ok }), secret, { now }).data.n, ok);
  assert.throws(() => dumpSession({ n: 10n ** 4300n }, { secret, now }), RangeError);
  assert.throws(
    () => loadSession(signed('{"n":1' + '0'.repeat(4300) + '}'), secret, { now }),
    BadPayload,
  );
});

test('timestamps Flask cannot represent are BadPayload; the last representable second is not', () => {
  assert.equal(readSession(signed('{}', 253402300799), secret, { now }).status, 'expired');
  assert.throws(() => loadSession(signed('{}', 253402300800), secret, { now }), BadPayload);
  // eight 0xff bytes: 2**64-1, Python's OverflowError; signed without TimestampSigner's own clock
  const plain = new Signer(secret, { salt: 'cookie-session', keyDerivation: 'hmac' });
  const value = base64Encode('{}') + '.' + base64Encode(new Uint8Array(8).fill(255));
  assert.throws(() => loadSession('session=' + plain.sign(value), secret, { now }), BadPayload);
});

test('clockTolerance: off by default, both ways when asked', () => {
  const future = cookieOf({ a: 1 });
  assert.equal(readSession(future, secret, { now: now - 1 }).status, 'expired');
  assert.equal(readSession(future, secret, { now: now - 5, clockTolerance: 5 }).status, 'valid');
  assert.equal(readSession(future, secret, { now: now - 6, clockTolerance: 5 }).status, 'expired');
  const life = 60;
  assert.equal(
    readSession(future, secret, { now: now + 61, permanentLifetime: life }).status,
    'expired',
  );
  assert.equal(
    readSession(future, secret, { now: now + 65, permanentLifetime: life, clockTolerance: 5 })
      .status,
    'valid',
  );
  assert.equal(
    readSession(future, secret, { now: now + 66, permanentLifetime: life, clockTolerance: 5 })
      .status,
    'expired',
  );
});

test('short secrets: a warning once per secret, or an error when asked', (t) => {
  const warnings: string[] = [];
  t.mock.method(console, 'warn', (m: string) => warnings.push(m));
  const short = 'x'.repeat(MIN_SECRET_BYTES - 1);
  dumpSession({ a: 1 }, { secret: short });
  dumpSession({ a: 1 }, { secret: short });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /15 bytes long/);
  dumpSession({ a: 1 }, { secret: 'y'.repeat(MIN_SECRET_BYTES) });
  dumpSession({ a: 1 }, { secret: 'é'.repeat(8) }); // 16 UTF-8 bytes
  assert.equal(warnings.length, 1);
  assert.throws(() => dumpSession({ a: 1 }, { secret: 'short', weakSecret: 'throw' }), RangeError);
  dumpSession({ a: 1 }, { secret: 'short2', weakSecret: 'ignore' });
  assert.equal(warnings.length, 1);
  const key = generateSecretKey();
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.notEqual(generateSecretKey(), key);
  assert.throws(() => generateSecretKey(8), RangeError);
});

test('empty or missing secret: an error on dump, an empty session on load', () => {
  const c = cookieOf({ a: 1 });
  for (const s of ['', undefined, null, new Uint8Array(0)]) {
    assert.equal(readSession(c, s as never, { now }).status, 'no-secret');
    assert.throws(() => dumpSession({ a: 1 }, { secret: s as never }), TypeError);
  }
});

/** A Uint8Array whose element reads are counted. */
function counted(bytes: number[]): { arr: Uint8Array; reads: () => number } {
  let n = 0;
  const target = Uint8Array.from(bytes);
  const arr = new Proxy(target, {
    get(t, p) {
      if (typeof p === 'string' && /^\d+$/.test(p)) n++;
      const v = Reflect.get(t, p, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  return { arr: arr as Uint8Array, reads: () => n };
}

test('signature comparison reads every byte whatever differs, and stops on a length mismatch', () => {
  const base = Array.from({ length: 20 }, (_, i) => i);
  const readsFor = (other: number[]) => {
    const a = counted(base);
    const b = counted(other);
    const eq = constantTimeEqual(a.arr, b.arr);
    return { eq, reads: a.reads() + b.reads() };
  };
  const same = readsFor(base);
  const first = readsFor([99, ...base.slice(1)]);
  const last = readsFor([...base.slice(0, 19), 99]);
  assert.deepEqual([same.eq, first.eq, last.eq], [true, false, false]);
  assert.equal(first.reads, same.reads);
  assert.equal(last.reads, same.reads);
  assert.equal(same.reads, 40);
  const shorter = readsFor(base.slice(0, 19));
  const longer = readsFor([...base, 0]);
  assert.deepEqual([shorter.eq, shorter.reads, longer.eq, longer.reads], [false, 0, false, 0]);
});
