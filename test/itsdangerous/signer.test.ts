/** itsdangerous' Signer (signer.py) against vectors made by itsdangerous 2.2. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadSignature, Signer, type KeyDerivation } from '../../src/index.ts';
import { vectors as fx } from '../_fixtures.ts';

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
