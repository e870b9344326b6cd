/** The built-in HMAC-SHA1 against @noble/hashes and node:crypto. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { HmacSha1 } from '../../src/_internal/hmac-sha1.ts';

test('HmacSha1 equals node:crypto and @noble/hashes for every length around the block edges', () => {
  const out = new Uint8Array(20);
  let n = 0;
  for (const keyLen of [0, 1, 20, 63, 64, 65, 200]) {
    const key = randomBytes(keyLen);
    const mac = new HmacSha1(key);
    for (let len = 0; len <= 300; len++) {
      const msg = randomBytes(len);
      mac.macInto(msg, out);
      const want = createHmac('sha1', key).update(msg).digest();
      assert.deepEqual(Buffer.from(out), want, `key ${keyLen}, message ${len}`);
      n++;
    }
    const big = randomBytes(100_000);
    mac.macInto(big, out);
    assert.deepEqual(out, hmac(sha1, key, big));
  }
  assert.ok(n > 2000);
});
