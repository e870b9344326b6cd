/** itsdangerous' TimestampSigner (timed.py): the frozen second, age both ways. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadTimeSignature, SignatureExpired, Signer, TimestampSigner } from '../../src/index.ts';
import { vectors as fx } from '../_fixtures.ts';

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
