/** The built-in HMAC-SHA1 against @noble/hashes and node:crypto. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { HmacSha1, NATIVE_HMAC_MIN } from '../../src/_internal/hmac-sha1.ts';

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

test('the native and the portable HMAC agree on every length on both sides of the switch', () => {
  const out = new Uint8Array(20);
  const portableOut = new Uint8Array(20);
  assert.ok(NATIVE_HMAC_MIN > 0 && NATIVE_HMAC_MIN < 4096);
  for (const keyLen of [0, 20, 64, 65]) {
    const key = randomBytes(keyLen);
    const mac = new HmacSha1(key); // native from NATIVE_HMAC_MIN bytes on
    const native = new HmacSha1(key, 0);
    const portable = new HmacSha1(key, Infinity);
    for (let len = 0; len <= 2 * NATIVE_HMAC_MIN + 70; len += keyLen === 20 ? 1 : 7) {
      const msg = new Uint8Array(randomBytes(len));
      const want = createHmac('sha1', key).update(msg).digest();
      portable.macInto(msg, portableOut);
      assert.deepEqual(Buffer.from(portableOut), want, `portable, key ${keyLen}, message ${len}`);
      native.macInto(msg, out);
      assert.deepEqual(Buffer.from(out), want, `native, key ${keyLen}, message ${len}`);
      mac.macInto(msg, out);
      assert.deepEqual(Buffer.from(out), want, `default, key ${keyLen}, message ${len}`);
    }
  }
  // the key is copied: changing the caller's array later changes nothing
  const key = new Uint8Array(randomBytes(20));
  const mac = new HmacSha1(key, 0);
  const want = createHmac('sha1', Buffer.from(key)).update('x'.repeat(600)).digest();
  key.fill(0);
  mac.macInto(new TextEncoder().encode('x'.repeat(600)), out);
  assert.deepEqual(Buffer.from(out), want);
});
