/**
 * The one-shot compressor and the inflater against pako (a port of zlib) and against CPython's
 * zlib itself, on large random corpora. ZLIB_SEED replays a run, ZLIB_SCALE makes it longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { deflate, inflate, type DeflateOptions } from 'pako';
import { deflateOneShot, MAX_ONE_SHOT } from '../../src/zlib/deflate.ts';
import { inflateZlib } from '../../src/zlib/inflate.ts';
import { zlibDecompress } from '../../src/zlib/index.ts';
import { hasNativeInflate, nativeInflate } from '../../src/zlib/native.ts';
import { prng, seedFrom } from '../_random.ts';

const seed = seedFrom('ZLIB');
const scale = Number(process.env['ZLIB_SCALE'] ?? 1);
const { rand, int } = prng(seed);

/** Inputs shaped like sessions and unlike them: JSON-ish text, small alphabets, repeats, noise. */
function input(maxLen = MAX_ONE_SHOT): Uint8Array {
  const len = Math.floor(rand() ** 2 * maxLen);
  const d = new Uint8Array(len);
  const kind = int(6);
  const alpha = [2, 4, 16, 64, 95, 256][kind]!;
  const repeat = [0, 0.1, 0.3, 0.6, 0.9][int(5)]!;
  for (let j = 0; j < len; j++) {
    if (j > 3 && rand() < repeat) {
      const dist = 1 + int(Math.min(j, rand() < 0.9 ? 300 : 20000));
      d[j] = d[j - dist]!;
    } else d[j] = alpha === 256 ? int(256) : 32 + int(alpha);
  }
  if (kind === 4 && len > 20) {
    const text = new TextEncoder().encode(
      JSON.stringify({ _user_id: String(int(1e6)), csrf_token: 'ab'.repeat(20) }),
    );
    d.set(text.subarray(0, Math.min(text.length, len)));
  }
  return d;
}
const same = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test(`deflateOneShot equals pako level 6 byte for byte (seed ${seed})`, () => {
  const n = Math.round(6000 * scale);
  for (let i = 0; i < n; i++) {
    const d = input();
    const ours = deflateOneShot(d);
    const pako = deflate(d, { level: 6, legacyHash: true } as DeflateOptions);
    assert.ok(same(ours, pako), `seed ${seed}, case ${i}: ${hex(d).slice(0, 200)}`);
  }
  assert.equal(deflateOneShot(new Uint8Array(0)).length, 8);
  assert.throws(() => deflateOneShot(new Uint8Array(MAX_ONE_SHOT + 1)), RangeError);
});

/** Streams of every kind zlib writes: levels 0..9, all strategies, raw inputs. */
function stream(): { data: Uint8Array; z: Uint8Array } {
  const data = input(rand() < 0.9 ? 4000 : 40000);
  const level = int(10);
  const strategy = int(5);
  return { data, z: deflate(data, { level, strategy, memLevel: 1 + int(9) } as DeflateOptions) };
}

/** A damaged copy: flipped bits, truncation, junk after the end, rewritten bytes. */
function damage(z: Uint8Array): Uint8Array {
  const d = z.slice();
  switch (int(4)) {
    case 0:
      for (let k = 1 + int(3); k > 0; k--) if (d.length) d[int(d.length)]! ^= 1 << int(8);
      return d;
    case 1:
      return d.subarray(0, int(d.length));
    case 2:
      return Uint8Array.from([...d, ...Array.from({ length: 1 + int(8) }, () => int(256))]);
    default:
      if (d.length > 2) d[2 + int(d.length - 2)] = int(256);
      return d;
  }
}

function outcome(fn: () => Uint8Array): string {
  try {
    return 'ok:' + hex(fn());
  } catch {
    return 'error';
  }
}

test(`inflateZlib decides exactly as pako's inflate on valid and damaged streams (seed ${seed})`, () => {
  const n = Math.round(10_000 * scale);
  let damagedOk = 0;
  for (let i = 0; i < n; i++) {
    const { data, z } = stream();
    assert.ok(same(inflateZlib(z, Infinity), data), `seed ${seed}, valid stream ${i}`);
    const bad = damage(z);
    const ours = outcome(() => inflateZlib(bad, Infinity));
    const ref = outcome(() => {
      const r = inflate(bad);
      if (!(r instanceof Uint8Array)) throw new Error('no output');
      return r;
    });
    assert.equal(ours, ref, `seed ${seed}, damaged stream ${i}: ${hex(bad).slice(0, 300)}`);
    if (ours !== 'error') damagedOk++;
  }
  assert.ok(damagedOk > 0, 'some damage (junk after the end) must still decode');
});

test('inflateZlib caps its output', () => {
  const z = deflate(new Uint8Array(100_000));
  assert.equal(inflateZlib(z, 100_000).length, 100_000);
  assert.throws(() => inflateZlib(z, 99_999), RangeError);
  assert.throws(
    () => inflateZlib(new Uint8Array([0x78, 0xbb, 0, 0, 0, 1]), Infinity),
    /dictionary/,
  );
});

test('the native inflater is used on Node, and answers as the portable one on every stream', () => {
  assert.ok(hasNativeInflate(), 'process.getBuiltinModule("node:zlib") is reachable on Node');
  const n = Math.round(5000 * scale);
  let nativeAnswers = 0;
  let damagedOk = 0;
  for (let i = 0; i < n; i++) {
    const { data, z } = stream();
    const native = nativeInflate(z, Infinity);
    assert.ok(native && same(native, data), `seed ${seed}, valid stream ${i}`);
    nativeAnswers++;
    assert.equal(Object.getPrototypeOf(native), Uint8Array.prototype, 'a plain Uint8Array');
    assert.ok(same(zlibDecompress(z, Infinity), data));
    const bad = damage(z);
    const portable = outcome(() => inflateZlib(bad, Infinity));
    const n1 = nativeInflate(bad, Infinity);
    if (n1 !== undefined) {
      nativeAnswers++;
      assert.equal('ok:' + hex(n1), portable, `seed ${seed}, native accepted stream ${i}`);
    }
    assert.equal(
      outcome(() => zlibDecompress(bad, Infinity)),
      portable,
      `seed ${seed}, ${i}`,
    );
    // and the same error: the portable inflater's (zlib's words)
    if (portable === 'error') {
      let a: unknown;
      let b: unknown;
      try {
        zlibDecompress(bad, Infinity);
      } catch (e) {
        a = e;
      }
      try {
        inflateZlib(bad, Infinity);
      } catch (e) {
        b = e;
      }
      assert.equal(String(a), String(b));
    } else damagedOk++;
  }
  assert.ok(nativeAnswers > n, 'the native inflater answered the valid and junk-tailed streams');
  assert.ok(damagedOk > 0);
});

test('zlibDecompress caps the output as the portable inflater does, at every size', () => {
  for (const size of [1, 100, 4095, 4096, 4097, 20_000, 100_000, 300_000]) {
    const data = input(size).fill(0x61, 0, size >> 1);
    const z = deflate(data.length === size ? data : new Uint8Array(size).fill(7));
    const len = inflateZlib(z, Infinity).length;
    assert.equal(zlibDecompress(z, len).length, len);
    assert.equal(nativeInflate(z, len)?.length, len);
    assert.throws(() => zlibDecompress(z, len - 1), RangeError);
    assert.equal(nativeInflate(z, len - 1), undefined);
    assert.throws(() => zlibDecompress(z, 0), RangeError);
    // a fractional cap is its whole part, as for the portable inflater
    assert.equal(zlibDecompress(z, len + 0.5).length, len);
  }
  // junk after the end is ignored, as CPython's zlib.decompress ignores it
  const z = deflate(new TextEncoder().encode('{"a":1}'));
  const tailed = Uint8Array.from([...z, 1, 2, 3]);
  assert.equal(new TextDecoder().decode(zlibDecompress(tailed)), '{"a":1}');
  assert.ok(nativeInflate(tailed, 100));
  // output that must not be a view on Node's shared Buffer pool: its buffer is its own
  const small = nativeInflate(z, 100)!;
  assert.equal(small.byteOffset, 0);
  assert.ok(small.buffer.byteLength === small.length || small.buffer.byteLength >= 4096);
});

const python =
  spawnSync('python3', ['-c', 'import zlib'], { encoding: 'utf8' }).status === 0
    ? 'python3'
    : undefined;
if (!python && process.env['CI'] === 'true')
  throw new Error('CI=true and python3 is missing: cannot check against CPython zlib');

test(
  "both agree with CPython's zlib itself",
  { skip: python ? false : 'python3 not found' },
  () => {
    const n = Math.round(2000 * scale);
    const inputs = Array.from({ length: n }, () => input(6000));
    const streams = Array.from({ length: n }, () => damage(stream().z));
    const script = `
import sys, zlib, binascii
for line in sys.stdin:
    kind, h = line.split()
    b = binascii.unhexlify(h) if h != '-' else b''
    if kind == 'c':
        print(zlib.compress(b).hex())
    else:
        try: print('ok:' + zlib.decompress(b).hex())
        except zlib.error: print('error')
`;
    const lines = [
      ...inputs.map((d) => `c ${hex(d) || '-'}`),
      ...streams.map((z) => `d ${hex(z) || '-'}`),
    ];
    const r = spawnSync(python!, ['-c', script], {
      input: lines.join('\n') + '\n',
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    assert.equal(r.status, 0, r.stderr);
    const answers = r.stdout.trim().split('\n');
    assert.equal(answers.length, 2 * n);
    inputs.forEach((d, i) =>
      assert.equal(hex(deflateOneShot(d)), answers[i], `seed ${seed}: compress ${i}`),
    );
    streams.forEach((z, i) => {
      assert.equal(
        outcome(() => inflateZlib(z, Infinity)),
        answers[n + i],
        `seed ${seed}: decompress ${i}`,
      );
      assert.equal(
        outcome(() => zlibDecompress(z, Infinity)),
        answers[n + i],
        `seed ${seed}: decompress ${i} (native where it answers)`,
      );
    });
  },
);
