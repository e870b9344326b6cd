/** itsdangerous' encoding.py: the lenient base64 and the integer encoding, against Python. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadData, base64Decode, base64Encode, bytesToInt, intToBytes } from '../../src/index.ts';
import { vectors as fx } from '../_fixtures.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

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
