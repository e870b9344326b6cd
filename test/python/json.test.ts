import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vectors as fx } from '../_fixtures.ts';
import { JSONDecodeError, pyDumps, pyFloatRepr, pyLoads } from '../../src/index.ts';
import { compareCodePoints } from '../../src/python/json.ts';

test("pyFloatRepr equals CPython's repr() on 7,000 doubles", () => {
  assert.ok(fx.float_repr.length >= 7000);
  const dv = new DataView(new ArrayBuffer(8));
  let n = 0;
  for (const c of fx.float_repr) {
    const bytes = c.bits.match(/../g).map((h: string) => parseInt(h, 16));
    bytes.forEach((b: number, i: number) => dv.setUint8(i, b));
    const x = dv.getFloat64(0, true);
    assert.equal(pyFloatRepr(x), c.repr, c.bits);
    n++;
  }
  assert.equal(pyFloatRepr(NaN), 'NaN');
  assert.equal(pyFloatRepr(-Infinity), '-Infinity');
  assert.ok(n >= 7000);
});

test('compareCodePoints sorts as Python sorts str (astral after U+FFFF, lone surrogates)', () => {
  const { keys, sorted } = fx.key_order;
  assert.deepEqual([...keys].sort(compareCodePoints), sorted);
  // plain UTF-16 sort would put astral characters before U+E000..U+FFFF
  assert.notDeepEqual([...keys].sort(), sorted);
});

test('pyDumps: Python separators, escaping, ints and floats', () => {
  assert.equal(pyDumps({ b: 1, a: [1.5, true, null] }), '{"b": 1, "a": [1.5, true, null]}');
  assert.equal(
    pyDumps({ b: 1, a: 2, 10: 3, 9: 4 }, { sortKeys: true, separators: [',', ':'] }),
    '{"10":3,"9":4,"a":2,"b":1}',
  );
  assert.equal(
    pyDumps('\x00\x01\b\t\n\x0b\f\r\x1f\x7f\x80\u00e9\u2028\ud83d\ude00\ud800"\\/<'),
    '"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\u007f\\u0080\\u00e9\\u2028\\ud83d\\ude00\\ud800\\"\\\\/<"',
  );
  assert.equal(pyDumps('é\x7f', { ensureAscii: false }), '"é\x7f"');
  assert.equal(pyDumps(2n ** 64n + 1n), '18446744073709551617');
  assert.equal(pyDumps(-0), '0');
  assert.equal(pyDumps(1e21), '1000000000000000000000');
  assert.throws(() => pyDumps(undefined), TypeError);
  assert.throws(() => pyDumps(new Map()), TypeError);
  assert.throws(() => pyDumps(10n ** 4300n), RangeError);
  const cyc: unknown[] = [];
  cyc.push(cyc);
  assert.throws(() => pyDumps(cyc), RangeError);
});

test("pyLoads: Python's json.loads grammar", () => {
  const o = pyLoads(
    '{"a": NaN, "b": [Infinity, -Infinity], "c": 1.0, "d": -0, "e": 12345678901234567890, "f": 1e400}',
  ) as Record<string, unknown>;
  assert.ok(Number.isNaN(o.a));
  assert.deepEqual(o.b, [Infinity, -Infinity]);
  assert.equal(o.c, 1);
  assert.ok(Object.is(o.d, 0));
  assert.equal(o.e, 12345678901234567890n);
  assert.equal(o.f, Infinity);
  assert.equal(Object.getPrototypeOf(o), null);
  assert.equal((pyLoads('{"a": 1, "a": 2}') as Record<string, number>).a, 2);
  assert.equal(pyLoads(' "\\ud83d\\ude00\\u00e9" '), '😀é');
  assert.equal(pyLoads('"é"'), 'é');
  for (const bad of [
    '',
    '\ufeff{}',
    '[1,]',
    '{"a":1,}',
    '"a\nb"',
    '01',
    '1.',
    '.5',
    '+1',
    '"\\x"',
    "{'a':1}",
    '[1] x',
    'nan',
    '-NaN',
    '"\\u12G4"',
    '{"a" 1}',
    '[',
    '"abc',
  ])
    assert.throws(() => pyLoads(bad), JSONDecodeError, JSON.stringify(bad));
  assert.equal(pyLoads('1'.repeat(4300)), BigInt('1'.repeat(4300)));
  assert.throws(() => pyLoads('1'.repeat(4301)), RangeError);
});

test('pyLoads: nesting limit, and __proto__ stays data', () => {
  assert.doesNotThrow(() => pyLoads('['.repeat(500) + ']'.repeat(500)));
  assert.throws(() => pyLoads('['.repeat(501) + ']'.repeat(501)), RangeError);
  assert.throws(() => pyLoads('[[1]]', { maxDepth: 1 }), RangeError);
  const o = pyLoads('{"__proto__": {"polluted": 1}, "constructor": {"prototype": 2}}') as Record<
    string,
    unknown
  >;
  assert.deepEqual(Object.keys(o), ['__proto__', 'constructor']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(o), null);
});

test('pyLoads: the fast path gives way wherever JSON.parse would read differently', () => {
  const firsts: (string | undefined)[] = [];
  pyLoads('{"b": 1, "12": 2}', { objectHook: (o, first) => (firsts.push(first), o) });
  assert.deepEqual(firsts, ['b']); // text order, though JS enumerates "12" first
  assert.ok(Object.is(pyLoads('-0'), 0));
  assert.ok(Object.is(pyLoads('-0.0'), -0));
  assert.equal(
    pyLoads('[9007199254740993]') instanceof Array &&
      (pyLoads('[9007199254740993]') as unknown[])[0],
    9007199254740993n,
  );
  assert.equal(
    pyLoads('{"a": 1' + '0'.repeat(400) + '}') &&
      (pyLoads('{"a": 1' + '0'.repeat(400) + '}') as Record<string, unknown>).a,
    10n ** 400n,
  );
  assert.equal((pyLoads('[1e400]') as number[])[0], Infinity);
  assert.equal(pyLoads('9007199254740991'), 9007199254740991);
});
