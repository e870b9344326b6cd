/**
 * The cookie session's own rules beyond the fixtures: nothing a caller gets is shared with another
 * request, signing state never mixes two key lists, a rejected cookie costs one HMAC per key, keys
 * are tried newest first, and memory does not grow with the sessions seen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  BadSignature,
  dumpSession,
  getSigningSerializer,
  JSONTag,
  loadSession,
  Markup,
  readSession,
  SessionInterface,
  Signer,
  TaggedJSONSerializer,
  tuple,
  UUID,
  type LoadSessionOptions as LoadOptions,
  type SessionData,
  type SessionStatus,
  type SigningAlgorithm,
} from '../../src/index.ts';
import { HmacSha1 } from '../../src/_internal/hmac-sha1.ts';
import { asciiBytes } from '../../src/_internal/bytes.ts';
import { base64DecodeTransient } from '../../src/itsdangerous/encoding.ts';
import { zlibCompressTransient } from '../../src/zlib/index.ts';

const SECRET = 'cookie-session-test-secret-0123456789';
const NOW = 1700000000;
const cookieOf = (header: string) => header.split(';')[0]!;

test('a loaded Markup, UUID or tuple changed by the caller does not reach the next load', () => {
  const c = cookieOf(
    dumpSession(
      {
        m: new Markup('<b>x</b>'),
        u: new UUID('12345678123456781234567812345678'),
        t: tuple(new Markup('y')),
      },
      { secret: SECRET, now: NOW },
    ),
  );
  const first = loadSession(c, SECRET, { now: NOW });
  for (const v of [first['m'], first['u'], (first['t'] as unknown[])[0]]) {
    try {
      Object.assign(v as object, { value: 'changed', hex: 'changed' });
    } catch {
      // frozen is fine too
    }
  }
  const second = loadSession(c, SECRET, { now: NOW });
  assert.notEqual(second['m'], first['m']);
  assert.equal(String(second['m']), '<b>x</b>');
  assert.equal(String(second['u']), '12345678-1234-5678-1234-567812345678');
  assert.equal(String((second['t'] as unknown[])[0]), 'y');
});

test('a tag registered on the serializer getSigningSerializer exposes is honoured by every later load', () => {
  class TagSet extends JSONTag<Set<unknown>> {
    key = ' s';
    check(v: unknown) {
      return v instanceof Set;
    }
    toJSON(v: Set<unknown>) {
      return [...v];
    }
    toPython(v: unknown) {
      return new Set(v as unknown[]);
    }
  }
  // a cookie whose JSON carries {" s": [1, 2]}, as a Flask app with that tag writes it
  const c = cookieOf(dumpSession({ a: { ' s': [1, 2] } }, { secret: SECRET, now: NOW }));
  assert.deepEqual({ ...(loadSession(c, SECRET, { now: NOW })['a'] as object) }, { ' s': [1, 2] });
  (getSigningSerializer({ secret: SECRET }).serializer as TaggedJSONSerializer).register(TagSet);
  for (let i = 0; i < 3; i++)
    assert.deepEqual(loadSession(c, SECRET, { now: NOW })['a'], new Set([1, 2]), `load ${i}`);
});

test('two key lists that spell alike never share signing state', () => {
  // the secret "X\0sY" alone, and the secret "X" with the fallback "Y"
  const a = dumpSession(
    { k: 1 },
    { secret: 'X', fallbacks: ['Y'], now: NOW, weakSecret: 'ignore' },
  );
  const b = dumpSession({ k: 1 }, { secret: 'X\0sY', now: NOW, weakSecret: 'ignore' });
  assert.equal(readSession(cookieOf(a), 'X', { now: NOW }).status, 'valid');
  assert.equal(readSession(cookieOf(b), 'X\0sY', { now: NOW }).status, 'valid');
  assert.equal(readSession(cookieOf(b), 'X', { now: NOW }).status, 'invalid');
  const bytesKey = new Uint8Array([0x58, 0, 0x73, 0x59]);
  const c = dumpSession({ k: 1 }, { secret: bytesKey, now: NOW, weakSecret: 'ignore' });
  assert.equal(c, b, 'bytes and text with the same UTF-8 sign alike');
});

test('a rejected cookie costs one HMAC per key (forged), or one (expired)', () => {
  const keys = { fallbacks: ['old-key-0123456789abcdef', 'older-key-0123456789abcdef'] };
  const good = cookieOf(dumpSession({ a: 1 }, { secret: SECRET, now: NOW }));
  const forged = good.slice(0, -3) + (good.endsWith('AAA') ? 'BBB' : 'AAA');
  const proto = HmacSha1.prototype as unknown as { macInto: (...a: unknown[]) => void };
  const original = proto.macInto;
  let calls = 0;
  proto.macInto = function (...a: unknown[]) {
    calls++;
    return original.apply(this, a);
  };
  try {
    readSession(good, SECRET, { ...keys, now: NOW }); // signing state derived before counting
    calls = 0;
    assert.equal(readSession(forged, SECRET, { ...keys, now: NOW }).status, 'invalid');
    assert.equal(calls, 3, 'forged: one HMAC per key');
    calls = 0;
    const expired = readSession(good, SECRET, { ...keys, now: NOW + 2678401 });
    assert.equal(expired.status, 'expired');
    assert.equal(calls, 1, 'expired: the signature once');
  } finally {
    proto.macInto = original;
  }
});

test('keys are tried newest first: the current secret, then the fallbacks from the last', () => {
  const c = cookieOf(dumpSession({ a: 1 }, { secret: SECRET, now: NOW }));
  // the current key also listed as a fallback still verifies as the current key
  const r = readSession(c, SECRET, { fallbacks: ['a-0123456789abcdef', SECRET], now: NOW });
  assert.deepEqual([r.status, r.keyIndex], ['valid', 0]);
  const byFallback = readSession(c, 'new-key-0123456789abcdef', {
    fallbacks: [SECRET, 'b-0123456789abcdef'],
    now: NOW,
  });
  assert.deepEqual([byFallback.status, byFallback.keyIndex], ['valid', 2]);
  // the order itself, seen by a signing algorithm that records the keys it is asked to verify with
  const tried: string[] = [];
  const recording: SigningAlgorithm = {
    getSignature: (key) => key.slice(0, 4),
    verifySignature: (key) => {
      tried.push(new TextDecoder().decode(key));
      return false;
    },
  };
  const signer = new Signer(['k1', 'k2', 'k3'], { algorithm: recording, keyDerivation: 'none' });
  assert.equal(signer.validate('value.c2lnbg'), false);
  assert.deepEqual(tried, ['k3', 'k2', 'k1']);
});

test('signature comparison at the call site reads every byte of the MAC whatever differs', () => {
  const signer = new Signer(SECRET, { salt: 'cookie-session', keyDerivation: 'hmac' });
  const value = 'eyJhIjoxfQ.ZVPxAA';
  const sig = signer.getSignature(value);
  const s = signer as unknown as { macOut: Uint8Array };
  const real = s.macOut;
  let reads = 0;
  s.macOut = new Proxy(real, {
    get(t, k) {
      if (typeof k === 'string' && /^\d+$/.test(k)) reads++;
      const v = Reflect.get(t, k, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
    set: (t, k, v) => Reflect.set(t, k, v, t),
  });
  const readsFor = (signature: string) => {
    reads = 0;
    signer.verifySignature(value, signature);
    return reads;
  };
  const flip = (i: number) => sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1);
  const valid = readsFor(sig);
  assert.ok(valid >= 20, `${valid} reads`);
  assert.equal(readsFor(flip(0)), valid, 'first byte differs');
  assert.equal(readsFor(flip(25)), valid, 'last bytes differ');
});

test('memory returns to its baseline after 10,000 loads of distinct large sessions', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // each payload inflates to ~64 KB: what a cache of decoded sessions would keep
  const cookies = Array.from({ length: 10_000 }, (_, i) =>
    cookieOf(dumpSession({ id: i, blob: 'x'.repeat(65536) }, { secret: SECRET, now: NOW })),
  );
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  let n = 0;
  for (const c of cookies)
    n += (loadSession(c, SECRET, { now: NOW }) as SessionData & { id: number }).id;
  assert.equal(n, (10_000 * 9_999) / 2);
  const grown = heap() - before;
  assert.ok(grown < 4 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MiB`);
});

test("without a secret, reading gives an empty session and writing fails, as Flask's NullSession", () => {
  const iface = new SessionInterface({ secret: '' });
  const session = iface.open('session=anything');
  assert.equal(session.get('a'), undefined);
  assert.throws(() => session.set('a', 1), TypeError);
  assert.throws(() => session.clear(), TypeError);
  assert.deepEqual(iface.save(session), { vary: false });
});

test('a permanent session changed in place is saved with the change, as Flask re-serializes it', () => {
  const iface = new SessionInterface({ secret: SECRET, now: () => NOW + 10 });
  const cookie = cookieOf(
    dumpSession({ cart: ['pear'] }, { secret: SECRET, permanent: true, now: NOW }),
  );
  const session = iface.open(cookie);
  (session.get('cart') as string[]).push('apple'); // no `modified = true`
  const { setCookie } = iface.save(session);
  const saved = readSession(cookieOf(setCookie!), SECRET, { now: NOW + 10 });
  assert.deepEqual([...(saved.data['cart'] as string[])], ['pear', 'apple']);
  // a session whose values were not handed out is re-signed as it was
  const untouched = iface.open(cookie);
  assert.equal(untouched.get('x'), undefined);
  const again = readSession(cookieOf(iface.save(untouched).setCookie!), SECRET, { now: NOW + 10 });
  assert.deepEqual([...(again.data['cart'] as string[])], ['pear']);
  assert.equal(again.payload, readSession(cookie, SECRET, { now: NOW }).payload);
});

test('the shared scratch buffers hold no session once a dump or a load returns', () => {
  const secret = 'scratch-test-secret-0123456789';
  // a session that compresses (every buffer on the path is used) and one that does not
  const big = { note: 'MARKER '.repeat(400), n: 7, t: tuple('MARKER', 1) };
  const plain = {
    n: 8,
    r: Array.from({ length: 60 }, (_, i) => ((i * 7919) % 1000).toString(36)).join(''),
  };
  /** Every byte of the view's buffer outside the view itself is zero. */
  const zeroed = (view: Uint8Array, what: string) => {
    const all = new Uint8Array(view.buffer);
    const kept = all.filter(
      (b, i) => b !== 0 && (i < view.byteOffset || i >= view.byteOffset + view.length),
    );
    assert.equal(kept.length, 0, `${what} keeps ${kept.length} bytes of an earlier call`);
  };
  for (const data of [big, plain]) {
    const header = dumpSession(data, { secret }).split(';')[0]!;
    assert.equal(loadSession(header, secret).n, data.n);
    assert.equal(readSession(header.slice(0, -2) + 'AA', secret).status, 'invalid');
    const s = getSigningSerializer({ secret });
    assert.equal((s.loads(s.dumps(data)) as SessionData).n, data.n);
    zeroed(asciiBytes(''), 'asciiBytes');
    zeroed(base64DecodeTransient(new Uint8Array(0)), 'base64DecodeTransient');
    zeroed(zlibCompressTransient(new Uint8Array(0)), 'zlibCompressTransient');
    const w = new TaggedJSONSerializer().dumpsBytes(null)!;
    assert.equal(new TextDecoder().decode(w), 'null');
    zeroed(w, 'the tagged JSON writer');
    w.fill(0);
  }
});

test("a rejected cookie's error keeps its payload bytes after later loads", () => {
  const value = cookieOf(
    dumpSession({ user: 'ana', note: 'x'.repeat(300) }, { secret: SECRET, now: NOW }),
  ).slice('session='.length);
  const signed = value.slice(0, value.lastIndexOf('.'));
  const payloadText = signed.slice(0, signed.lastIndexOf('.'));
  assert.ok(payloadText.startsWith('.'), 'a compressed payload');
  const cases: [string, string, LoadOptions, SessionStatus, string][] = [
    ['tampered', `session=${value.slice(0, -2)}AA`, { now: NOW }, 'invalid', payloadText],
    ['expired', `session=${value}`, { now: NOW + 10 ** 8 }, 'expired', payloadText],
    [
      'no timestamp',
      `session=${'eyJhIjoxfQ'.repeat(20)}.AAAA`,
      { now: NOW },
      'invalid',
      'eyJhIjoxfQ'.repeat(20),
    ],
  ];
  for (const [what, header, opts, status, want] of cases) {
    const r = readSession(header, SECRET, opts);
    assert.equal(r.status, status, what);
    const payload = (r.error as BadSignature).payload!;
    // other loads reuse the buffers the cookie was read into
    loadSession(
      cookieOf(dumpSession({ other: 'y'.repeat(500) }, { secret: SECRET, now: NOW })),
      SECRET,
      { now: NOW },
    );
    readSession(`session=${'z'.repeat(400)}.AAAA.BBBB`, SECRET, { now: NOW });
    assert.equal(new TextDecoder().decode(payload), want, what);
  }
});

test('a load re-entered from an option getter or a Date subclass leaves the outer load intact', () => {
  const cookie = cookieOf(
    dumpSession({ user: 'alice', n: 'x'.repeat(200) }, { secret: SECRET, now: NOW }),
  );
  const other = cookieOf(dumpSession({ user: 'bob' }, { secret: SECRET, now: NOW }));
  const reenter = () => {
    assert.equal(loadSession(other, SECRET, { now: NOW }).user, 'bob');
    dumpSession({ user: 'carol' }, { secret: SECRET, now: NOW });
  };
  class AuditedDate extends Date {
    override getTime(): number {
      reenter();
      return super.getTime();
    }
  }
  assert.equal(loadSession(cookie, SECRET, { now: new AuditedDate(NOW * 1000) }).user, 'alice');
  for (const option of [
    'permanentLifetime',
    'salt',
    'clockTolerance',
    'maxDecompressedSize',
    'now',
  ]) {
    const options = {} as Record<string, unknown>;
    Object.defineProperty(options, option, {
      get() {
        reenter();
        return option === 'now' ? NOW : undefined;
      },
    });
    if (option !== 'now') options.now = NOW;
    const r = readSession(cookie, SECRET, options as LoadOptions);
    assert.equal(r.status, 'valid', option);
    assert.equal(r.data.user, 'alice', option);
  }
});
