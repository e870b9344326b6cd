import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  BadData,
  BadSignature,
  BadTimeSignature,
  BadPayload,
  base64Decode,
  base64Encode,
  bytesToInt,
  intToBytes,
  Serializer,
  SignatureExpired,
  Signer,
  TimedSerializer,
  TimestampSigner,
  URLSafeSerializer,
  URLSafeTimedSerializer,
  type KeyDerivation,
} from '../src/index.ts';

const fx = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8'));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

test('Signer: every key derivation, digest, salt and separator signs as itsdangerous does', () => {
  assert.ok(fx.signer.length >= 200);
  for (const c of fx.signer) {
    const s = new Signer(c.secret, {
      keyDerivation: c.keyDerivation as KeyDerivation,
      digestMethod: c.digest,
      salt: c.salt ?? undefined,
      sep: c.sep,
    });
    assert.equal(s.sign(c.value), c.signed, JSON.stringify(c));
    assert.equal(s.unsign(c.signed), c.value);
    assert.equal(s.validate(c.signed), true);
  }
});

test('Signer: a list of keys signs with the newest and verifies every key', () => {
  const r = fx.rotation;
  const s = new Signer(r.keys);
  assert.equal(s.sign('v'), r.signed_by_new);
  assert.equal(s.unsign(r.signed_by_new), 'v');
  assert.equal(s.unsign(r.signed_by_old), 'v');
  assert.throws(
    () => s.unsign(r.signed_by_other),
    (e: unknown) => e instanceof BadSignature && e.code === 'ERR_BAD_SIGNATURE',
  );
  assert.throws(() => s.unsign('no-separator'), BadSignature);
  const err = (() => {
    try {
      s.unsign(r.signed_by_other);
    } catch (e) {
      return e as BadSignature;
    }
    return undefined;
  })();
  assert.equal(new TextDecoder().decode(err!.payload), 'v');
});

test('Signer: misuse is a TypeError or RangeError', () => {
  assert.throws(() => new Signer([]), TypeError);
  assert.throws(() => new Signer(5 as never), TypeError);
  assert.throws(() => new Signer('k', { sep: 'a' }), RangeError);
  assert.throws(() => new Signer('k', { sep: '-' }), RangeError);
  assert.throws(() => new Signer('k', { keyDerivation: 'bogus' as never }), TypeError);
  assert.throws(() => new Signer('k', { digestMethod: 'md5' as never }), TypeError);
});

test('TimestampSigner: signs the frozen second exactly, checks age both ways', () => {
  for (const c of fx.timestamp_signer) {
    const s = new TimestampSigner('secret-key');
    assert.equal(s.sign(c.value, c.now), c.signed);
    assert.equal(s.unsign(c.signed, { maxAge: 10, now: c.now + 10 }), c.value);
    const r = s.unsign(c.signed, { returnTimestamp: true, now: c.now });
    assert.equal(r.timestamp.getTime(), Math.floor(c.now) * 1000);
    assert.throws(
      () => s.unsign(c.signed, { maxAge: 10, now: c.now + 11 }),
      (e: unknown) =>
        e instanceof SignatureExpired && e.dateSigned?.getTime() === Math.floor(c.now) * 1000,
    );
    assert.throws(() => s.unsign(c.signed, { maxAge: 10, now: c.now - 1 }), SignatureExpired);
  }
  const s = new TimestampSigner('secret-key');
  assert.throws(
    () => s.unsign(new Signer('secret-key', {}).sign('no-timestamp')),
    (e: unknown) => e instanceof BadTimeSignature,
  );
  assert.equal(s.validate(s.sign('x'), 5), true);
  assert.equal(s.validate('x.y.z'), false);
});

test('Serializers: dumps at a frozen second equals itsdangerous, loads gives the object back', () => {
  const classes = {
    Serializer,
    TimedSerializer,
    URLSafeSerializer,
    URLSafeTimedSerializer,
  } as const;
  for (const c of fx.serializer) {
    const Cls = classes[c.class as keyof typeof classes];
    const s = new Cls('secret-key', c.salt ? { salt: c.salt } : {});
    const token = s instanceof TimedSerializer ? s.dumps(c.obj, undefined, c.now) : s.dumps(c.obj);
    assert.equal(token, c.token, `${c.class} ${JSON.stringify(c.obj)}`);
    const loaded =
      s instanceof TimedSerializer ? s.loads(c.token, { now: c.now, maxAge: 5 }) : s.loads(c.token);
    // Python json: -0.0 and 1e16 are floats; compare through Python's own text
    assert.equal(JSON.stringify(loaded), JSON.stringify(c.obj));
  }
});

test('URLSafeTimedSerializer: expiry, wrong salt, loadsUnsafe, BadPayload', () => {
  const s = new URLSafeTimedSerializer('k', { salt: 'a' });
  const t = s.dumps({ x: 1 }, undefined, 1000);
  assert.deepEqual({ ...(s.loads(t, { now: 1000, maxAge: 0 }) as object) }, { x: 1 });
  assert.throws(() => s.loads(t, { now: 1001, maxAge: 0 }), SignatureExpired);
  assert.throws(() => new URLSafeTimedSerializer('k', { salt: 'b' }).loads(t), BadSignature);
  const [ok, v] = new URLSafeTimedSerializer('other', { salt: 'a' }).loadsUnsafe(t);
  assert.equal(ok, false);
  assert.deepEqual({ ...(v as object) }, { x: 1 });
  assert.deepEqual(s.loadsUnsafe('garbage'), [false, undefined]);
  const w = s.loadsWithTimestamp(t, { now: 1000 });
  assert.equal(w.timestamp.getTime(), 1000_000);
  // a validly signed payload that is not JSON
  const signer = s.makeSigner() as TimestampSigner;
  const bad = signer.sign(base64Encode('{not json'), 1000);
  assert.throws(
    () => s.loads(bad),
    (e: unknown) =>
      e instanceof BadPayload && e.code === 'ERR_BAD_PAYLOAD' && e.cause instanceof Error,
  );
  const badZlib = signer.sign('.' + base64Encode('not zlib'), 1000);
  assert.throws(() => s.loads(badZlib), BadPayload);
  assert.throws(() => s.loadsUnsafe(bad), BadPayload);
});

test('base64Decode reproduces itsdangerous on 3,000 odd inputs, errors included', () => {
  assert.ok(fx.base64_decode.length >= 3000);
  for (const c of fx.base64_decode) {
    if (c.error) assert.throws(() => base64Decode(c.in), BadData, JSON.stringify(c));
    else assert.equal(hex(base64Decode(c.in)), c.out, JSON.stringify(c));
  }
});

test('int_to_bytes / bytes_to_int', () => {
  assert.equal(base64Encode(intToBytes(1700000000)), 'ZVPxAA');
  assert.equal(intToBytes(0).length, 0);
  assert.equal(base64Encode(intToBytes(2 ** 32)), 'AQAAAAA');
  assert.equal(bytesToInt(base64Decode('AGVT8QA')), 1700000000);
  assert.equal(bytesToInt(intToBytes(2n ** 64n - 1n)), 2n ** 64n - 1n);
  assert.throws(() => intToBytes(-1), RangeError);
  assert.throws(() => intToBytes(2n ** 64n), RangeError);
  assert.throws(() => bytesToInt(new Uint8Array(9)), RangeError);
});
