/** The built-in HMAC-SHA1 against @noble/hashes and node:crypto. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

test('the portable HMAC equals node:crypto at every length to 300 and around each block edge', () => {
  const out = new Uint8Array(20);
  const lengths: number[] = [];
  for (let len = 0; len <= 300; len++) lengths.push(len);
  // ±9 around each multiple of 64 also covers the 55/56 edge where the length spills over
  for (let edge = 320; edge <= 2112; edge += 64)
    for (let len = edge - 9; len <= edge + 9; len++) lengths.push(len);
  let n = 0;
  for (const keyLen of [0, 1, 20, 63, 64, 65, 200]) {
    const key = randomBytes(keyLen);
    const mac = new HmacSha1(key, Infinity);
    for (const len of lengths) {
      // a view at an odd offset into a larger buffer, with different bytes around it
      const buf = new Uint8Array(randomBytes(len + 7));
      const msg = buf.subarray(3, 3 + len);
      const want = createHmac('sha1', key).update(msg).digest();
      mac.macInto(msg, out);
      assert.deepEqual(Buffer.from(out), want, `key ${keyLen}, message ${len}`);
      n++;
    }
  }
  assert.ok(n > 5000);
});

test('the portable HMAC gives the same answer whatever was hashed before', () => {
  const key = randomBytes(65);
  const mac = new HmacSha1(key, Infinity);
  const other = new HmacSha1(randomBytes(7), Infinity);
  const out = new Uint8Array(20);
  const scratch = new Uint8Array(20);
  const msgs = [0, 1, 55, 56, 63, 64, 119, 120, 1000, 3].map((len) => randomBytes(len));
  for (const msg of msgs) {
    // a long message with the other key in between leaves nothing behind
    other.macInto(randomBytes(2000), scratch);
    mac.macInto(msg, out);
    assert.deepEqual(Buffer.from(out), createHmac('sha1', key).update(msg).digest());
    // a plain Uint8Array and a Buffer over the same bytes
    mac.macInto(new Uint8Array(msg), out);
    assert.deepEqual(Buffer.from(out), createHmac('sha1', key).update(msg).digest());
  }
});

test("the written-out SHA-1 rounds are exactly what the generator in compress's doc comment prints", () => {
  const source = readFileSync(new URL('../../src/_internal/hmac-sha1.ts', import.meta.url), 'utf8');
  const generator = /```js\n([\s\S]*?)```/.exec(source)![1]!.replace(/^\s*\* ?/gm, '');
  const printed: string[] = [];
  new Function('print', generator)((...lines: string[]) => printed.push(...lines));
  const body = source.slice(source.indexOf('function compress('));
  const rounds = body
    .slice(body.indexOf('// rounds 0 to 19'), body.indexOf('h[0] ='))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  assert.equal(printed.length, 80 * 2 + 64 * 2 + 4);
  assert.deepEqual(rounds, printed);
});
