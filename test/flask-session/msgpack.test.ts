/** MessagePack against msgspec, Flask-Session's encoder (vectors from scripts/make_vectors.py). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vectors as fx } from '../_fixtures.ts';
import { msgpackDecode, msgpackEncode, MsgpackError, Markup, tuple } from '../../src/index.ts';
import { fromTyped, sameValue, type Typed } from '../_typed.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

test('msgpackEncode writes what msgspec writes, on 400 random session values', () => {
  assert.ok(fx.msgpack.length >= 400);
  for (const c of fx.msgpack as { value: Typed; hex: string }[]) {
    const v = fromTyped(c.value);
    assert.equal(hex(msgpackEncode(v)), c.hex, JSON.stringify(c.value).slice(0, 200));
  }
});

test('msgpackDecode reads what msgspec writes, back to the same values', () => {
  for (const c of fx.msgpack as { value: Typed; hex: string }[]) {
    const got = msgpackDecode(bytes(c.hex));
    // msgspec writes tuples as arrays: they come back as lists, in Flask too
    const want = JSON.parse(JSON.stringify(c.value).replaceAll('"tuple":', '"list":')) as Typed;
    assert.equal(sameValue(got, fromTyped(want)), undefined, c.hex.slice(0, 100));
  }
});

test('msgpack refuses what msgspec refuses, and bad input cleanly', () => {
  assert.throws(() => msgpackEncode({ m: new Markup('<b>') }), MsgpackError);
  assert.throws(() => msgpackEncode({ n: 2n ** 64n }), MsgpackError);
  assert.throws(() => msgpackEncode({ s: new Set() }), MsgpackError);
  assert.throws(() => msgpackEncode({ u: undefined }), MsgpackError);
  assert.equal(hex(msgpackEncode({ t: tuple(1, 2) })), '81a174920102');
  for (const bad of ['', 'c1', '92', 'a3616263ff', 'd4010000', '81a1', 'c3c3'])
    assert.throws(() => msgpackDecode(bytes(bad)), MsgpackError, bad);
  assert.throws(() => msgpackDecode(bytes('91'.repeat(600) + 'c0')), MsgpackError);
  const o = msgpackDecode(bytes('81a95f5f70726f746f5f5f01')) as Record<string, unknown>; // {"__proto__": 1}
  assert.deepEqual(Object.keys(o), ['__proto__']);
  assert.equal(Object.getPrototypeOf(o), null);
});
