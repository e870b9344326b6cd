/** itsdangerous' URL-safe serializers (url_safe.py): expiry, salts, loadsUnsafe, bad payloads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BadSignature,
  BadPayload,
  base64Encode,
  SignatureExpired,
  TimestampSigner,
  URLSafeTimedSerializer,
} from '../../src/index.ts';

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
