/**
 * HMAC-SHA1 with the keyed state computed once: the hot path of every session cookie (Flask signs
 * with HMAC-SHA1). A keyed instance hashes only the message blocks, in place, without allocating.
 * Long messages go to the runtime's own HMAC where one is reachable synchronously without a
 * Node-only import (`process.getBuiltinModule('node:crypto')` on Node >= 20.16, Bun, Deno): HMAC
 * is deterministic, and C is faster once the message outweighs the cost of a native call.
 * `test/_internal/hmac-sha1.test.ts` holds both to @noble/hashes and node:crypto. Internal.
 * @module
 */

/** The part of `node:crypto` used here. */
interface NodeCrypto {
  createHmac(
    algorithm: 'sha1',
    key: Uint8Array,
  ): { update(data: Uint8Array): { digest(): Uint8Array } };
}

/** `undefined` until looked up, then the module or `null` when the runtime has none. */
let cryptoModule: NodeCrypto | null | undefined;

function lookupCrypto(): NodeCrypto | null {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    const m = proc?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
    return typeof m?.createHmac === 'function' ? (m as NodeCrypto) : null;
  } catch {
    return null;
  }
}

/**
 * Messages at least this long take the native HMAC, when there is one: below, the cost of
 * making a native HMAC object (and its garbage) outweighs hashing in JavaScript. Measured on
 * Node 20, JavaScript time over native time: 0.6 at 600 bytes, 0.75 at 1,000, 0.85 at 1,200,
 * even between 1,400 and 1,600, 1.25 at 2,000, 1.4 at 2,500.
 */
export const NATIVE_HMAC_MIN = 1536;

/**
 * The SHA-1 compression function over 64 bytes of `m` from `off`, into `h` (5 words).
 *
 * Written out in full, with the message schedule in sixteen local words (`w[t & 15]` replaced in
 * place from round 16 on) and the five state words renamed instead of moved: round `t` adds into
 * the word the previous round left as `e` and rotates its `b`. Kept in registers this way it runs
 * in about 0.6 of the time of the looped version over an 80-word array (measured on Node 20).
 * The rounds are generated, line for line, by:
 *
 * ```js
 * const v = ['a', 'b', 'c', 'd', 'e'];
 * const K = ['+ 0x5a827999', '+ 0x6ed9eba1', '- 0x70e44324', '- 0x359d3e2a'];
 * for (let t = 0; t < 80; t++) {
 *   const [A, B, C, D, E] = [0, 1, 2, 3, 4].map((k) => v[(k - (t % 5) + 5) % 5]);
 *   const w = `w${t & 15}`;
 *   const f = [`(${D} ^ (${B} & (${C} ^ ${D})))`, `(${B} ^ ${C} ^ ${D})`,
 *              `((${B} & ${C}) | (${D} & (${B} | ${C})))`, `(${B} ^ ${C} ^ ${D})`][(t / 20) | 0];
 *   if (t % 20 === 0) print(`// rounds ${t} to ${t + 19}`);
 *   if (t >= 16)
 *     print(`${w} ^= w${(t - 3) & 15} ^ w${(t - 8) & 15} ^ w${(t - 14) & 15};`,
 *           `${w} = (${w} << 1) | (${w} >>> 31);`);
 *   print(`${E} = (${E} + ((${A} << 5) | (${A} >>> 27)) + ${f} ${K[(t / 20) | 0]} + ${w}) | 0;`,
 *         `${B} = (${B} << 30) | (${B} >>> 2);`);
 * }
 * ```
 *
 * (`ch` as `d ^ (b & (c ^ d))` and `maj` as `(b & c) | (d & (b | c))`; the last two round
 * constants, 0x8f1bbcdc and 0xca62c1d6, are written less 2^32 so every term is an int32.)
 */
function compress(h: Int32Array, m: Uint8Array, off: number): void {
  let w0 = (m[off]! << 24) | (m[off + 1]! << 16) | (m[off + 2]! << 8) | m[off + 3]!;
  let w1 = (m[off + 4]! << 24) | (m[off + 5]! << 16) | (m[off + 6]! << 8) | m[off + 7]!;
  let w2 = (m[off + 8]! << 24) | (m[off + 9]! << 16) | (m[off + 10]! << 8) | m[off + 11]!;
  let w3 = (m[off + 12]! << 24) | (m[off + 13]! << 16) | (m[off + 14]! << 8) | m[off + 15]!;
  let w4 = (m[off + 16]! << 24) | (m[off + 17]! << 16) | (m[off + 18]! << 8) | m[off + 19]!;
  let w5 = (m[off + 20]! << 24) | (m[off + 21]! << 16) | (m[off + 22]! << 8) | m[off + 23]!;
  let w6 = (m[off + 24]! << 24) | (m[off + 25]! << 16) | (m[off + 26]! << 8) | m[off + 27]!;
  let w7 = (m[off + 28]! << 24) | (m[off + 29]! << 16) | (m[off + 30]! << 8) | m[off + 31]!;
  let w8 = (m[off + 32]! << 24) | (m[off + 33]! << 16) | (m[off + 34]! << 8) | m[off + 35]!;
  let w9 = (m[off + 36]! << 24) | (m[off + 37]! << 16) | (m[off + 38]! << 8) | m[off + 39]!;
  let w10 = (m[off + 40]! << 24) | (m[off + 41]! << 16) | (m[off + 42]! << 8) | m[off + 43]!;
  let w11 = (m[off + 44]! << 24) | (m[off + 45]! << 16) | (m[off + 46]! << 8) | m[off + 47]!;
  let w12 = (m[off + 48]! << 24) | (m[off + 49]! << 16) | (m[off + 50]! << 8) | m[off + 51]!;
  let w13 = (m[off + 52]! << 24) | (m[off + 53]! << 16) | (m[off + 54]! << 8) | m[off + 55]!;
  let w14 = (m[off + 56]! << 24) | (m[off + 57]! << 16) | (m[off + 58]! << 8) | m[off + 59]!;
  let w15 = (m[off + 60]! << 24) | (m[off + 61]! << 16) | (m[off + 62]! << 8) | m[off + 63]!;
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  // rounds 0 to 19
  e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + 0x5a827999 + w0) | 0;
  b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + 0x5a827999 + w1) | 0;
  a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + 0x5a827999 + w2) | 0;
  e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + 0x5a827999 + w3) | 0;
  d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + 0x5a827999 + w4) | 0;
  c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + 0x5a827999 + w5) | 0;
  b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + 0x5a827999 + w6) | 0;
  a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + 0x5a827999 + w7) | 0;
  e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + 0x5a827999 + w8) | 0;
  d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + 0x5a827999 + w9) | 0;
  c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + 0x5a827999 + w10) | 0;
  b = (b << 30) | (b >>> 2);
  d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + 0x5a827999 + w11) | 0;
  a = (a << 30) | (a >>> 2);
  c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + 0x5a827999 + w12) | 0;
  e = (e << 30) | (e >>> 2);
  b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + 0x5a827999 + w13) | 0;
  d = (d << 30) | (d >>> 2);
  a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + 0x5a827999 + w14) | 0;
  c = (c << 30) | (c >>> 2);
  e = (e + ((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + 0x5a827999 + w15) | 0;
  b = (b << 30) | (b >>> 2);
  w0 ^= w13 ^ w8 ^ w2;
  w0 = (w0 << 1) | (w0 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (c ^ (a & (b ^ c))) + 0x5a827999 + w0) | 0;
  a = (a << 30) | (a >>> 2);
  w1 ^= w14 ^ w9 ^ w3;
  w1 = (w1 << 1) | (w1 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (b ^ (e & (a ^ b))) + 0x5a827999 + w1) | 0;
  e = (e << 30) | (e >>> 2);
  w2 ^= w15 ^ w10 ^ w4;
  w2 = (w2 << 1) | (w2 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (a ^ (d & (e ^ a))) + 0x5a827999 + w2) | 0;
  d = (d << 30) | (d >>> 2);
  w3 ^= w0 ^ w11 ^ w5;
  w3 = (w3 << 1) | (w3 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (e ^ (c & (d ^ e))) + 0x5a827999 + w3) | 0;
  c = (c << 30) | (c >>> 2);
  // rounds 20 to 39
  w4 ^= w1 ^ w12 ^ w6;
  w4 = (w4 << 1) | (w4 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w4) | 0;
  b = (b << 30) | (b >>> 2);
  w5 ^= w2 ^ w13 ^ w7;
  w5 = (w5 << 1) | (w5 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w5) | 0;
  a = (a << 30) | (a >>> 2);
  w6 ^= w3 ^ w14 ^ w8;
  w6 = (w6 << 1) | (w6 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w6) | 0;
  e = (e << 30) | (e >>> 2);
  w7 ^= w4 ^ w15 ^ w9;
  w7 = (w7 << 1) | (w7 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w7) | 0;
  d = (d << 30) | (d >>> 2);
  w8 ^= w5 ^ w0 ^ w10;
  w8 = (w8 << 1) | (w8 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w8) | 0;
  c = (c << 30) | (c >>> 2);
  w9 ^= w6 ^ w1 ^ w11;
  w9 = (w9 << 1) | (w9 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w9) | 0;
  b = (b << 30) | (b >>> 2);
  w10 ^= w7 ^ w2 ^ w12;
  w10 = (w10 << 1) | (w10 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w10) | 0;
  a = (a << 30) | (a >>> 2);
  w11 ^= w8 ^ w3 ^ w13;
  w11 = (w11 << 1) | (w11 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w11) | 0;
  e = (e << 30) | (e >>> 2);
  w12 ^= w9 ^ w4 ^ w14;
  w12 = (w12 << 1) | (w12 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w12) | 0;
  d = (d << 30) | (d >>> 2);
  w13 ^= w10 ^ w5 ^ w15;
  w13 = (w13 << 1) | (w13 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w13) | 0;
  c = (c << 30) | (c >>> 2);
  w14 ^= w11 ^ w6 ^ w0;
  w14 = (w14 << 1) | (w14 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w14) | 0;
  b = (b << 30) | (b >>> 2);
  w15 ^= w12 ^ w7 ^ w1;
  w15 = (w15 << 1) | (w15 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w15) | 0;
  a = (a << 30) | (a >>> 2);
  w0 ^= w13 ^ w8 ^ w2;
  w0 = (w0 << 1) | (w0 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w0) | 0;
  e = (e << 30) | (e >>> 2);
  w1 ^= w14 ^ w9 ^ w3;
  w1 = (w1 << 1) | (w1 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w1) | 0;
  d = (d << 30) | (d >>> 2);
  w2 ^= w15 ^ w10 ^ w4;
  w2 = (w2 << 1) | (w2 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w2) | 0;
  c = (c << 30) | (c >>> 2);
  w3 ^= w0 ^ w11 ^ w5;
  w3 = (w3 << 1) | (w3 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) + 0x6ed9eba1 + w3) | 0;
  b = (b << 30) | (b >>> 2);
  w4 ^= w1 ^ w12 ^ w6;
  w4 = (w4 << 1) | (w4 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) + 0x6ed9eba1 + w4) | 0;
  a = (a << 30) | (a >>> 2);
  w5 ^= w2 ^ w13 ^ w7;
  w5 = (w5 << 1) | (w5 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) + 0x6ed9eba1 + w5) | 0;
  e = (e << 30) | (e >>> 2);
  w6 ^= w3 ^ w14 ^ w8;
  w6 = (w6 << 1) | (w6 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) + 0x6ed9eba1 + w6) | 0;
  d = (d << 30) | (d >>> 2);
  w7 ^= w4 ^ w15 ^ w9;
  w7 = (w7 << 1) | (w7 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) + 0x6ed9eba1 + w7) | 0;
  c = (c << 30) | (c >>> 2);
  // rounds 40 to 59
  w8 ^= w5 ^ w0 ^ w10;
  w8 = (w8 << 1) | (w8 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) - 0x70e44324 + w8) | 0;
  b = (b << 30) | (b >>> 2);
  w9 ^= w6 ^ w1 ^ w11;
  w9 = (w9 << 1) | (w9 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) - 0x70e44324 + w9) | 0;
  a = (a << 30) | (a >>> 2);
  w10 ^= w7 ^ w2 ^ w12;
  w10 = (w10 << 1) | (w10 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) - 0x70e44324 + w10) | 0;
  e = (e << 30) | (e >>> 2);
  w11 ^= w8 ^ w3 ^ w13;
  w11 = (w11 << 1) | (w11 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) - 0x70e44324 + w11) | 0;
  d = (d << 30) | (d >>> 2);
  w12 ^= w9 ^ w4 ^ w14;
  w12 = (w12 << 1) | (w12 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) - 0x70e44324 + w12) | 0;
  c = (c << 30) | (c >>> 2);
  w13 ^= w10 ^ w5 ^ w15;
  w13 = (w13 << 1) | (w13 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) - 0x70e44324 + w13) | 0;
  b = (b << 30) | (b >>> 2);
  w14 ^= w11 ^ w6 ^ w0;
  w14 = (w14 << 1) | (w14 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) - 0x70e44324 + w14) | 0;
  a = (a << 30) | (a >>> 2);
  w15 ^= w12 ^ w7 ^ w1;
  w15 = (w15 << 1) | (w15 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) - 0x70e44324 + w15) | 0;
  e = (e << 30) | (e >>> 2);
  w0 ^= w13 ^ w8 ^ w2;
  w0 = (w0 << 1) | (w0 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) - 0x70e44324 + w0) | 0;
  d = (d << 30) | (d >>> 2);
  w1 ^= w14 ^ w9 ^ w3;
  w1 = (w1 << 1) | (w1 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) - 0x70e44324 + w1) | 0;
  c = (c << 30) | (c >>> 2);
  w2 ^= w15 ^ w10 ^ w4;
  w2 = (w2 << 1) | (w2 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) - 0x70e44324 + w2) | 0;
  b = (b << 30) | (b >>> 2);
  w3 ^= w0 ^ w11 ^ w5;
  w3 = (w3 << 1) | (w3 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) - 0x70e44324 + w3) | 0;
  a = (a << 30) | (a >>> 2);
  w4 ^= w1 ^ w12 ^ w6;
  w4 = (w4 << 1) | (w4 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) - 0x70e44324 + w4) | 0;
  e = (e << 30) | (e >>> 2);
  w5 ^= w2 ^ w13 ^ w7;
  w5 = (w5 << 1) | (w5 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) - 0x70e44324 + w5) | 0;
  d = (d << 30) | (d >>> 2);
  w6 ^= w3 ^ w14 ^ w8;
  w6 = (w6 << 1) | (w6 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) - 0x70e44324 + w6) | 0;
  c = (c << 30) | (c >>> 2);
  w7 ^= w4 ^ w15 ^ w9;
  w7 = (w7 << 1) | (w7 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) - 0x70e44324 + w7) | 0;
  b = (b << 30) | (b >>> 2);
  w8 ^= w5 ^ w0 ^ w10;
  w8 = (w8 << 1) | (w8 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + ((a & b) | (c & (a | b))) - 0x70e44324 + w8) | 0;
  a = (a << 30) | (a >>> 2);
  w9 ^= w6 ^ w1 ^ w11;
  w9 = (w9 << 1) | (w9 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + ((e & a) | (b & (e | a))) - 0x70e44324 + w9) | 0;
  e = (e << 30) | (e >>> 2);
  w10 ^= w7 ^ w2 ^ w12;
  w10 = (w10 << 1) | (w10 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + ((d & e) | (a & (d | e))) - 0x70e44324 + w10) | 0;
  d = (d << 30) | (d >>> 2);
  w11 ^= w8 ^ w3 ^ w13;
  w11 = (w11 << 1) | (w11 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + ((c & d) | (e & (c | d))) - 0x70e44324 + w11) | 0;
  c = (c << 30) | (c >>> 2);
  // rounds 60 to 79
  w12 ^= w9 ^ w4 ^ w14;
  w12 = (w12 << 1) | (w12 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) - 0x359d3e2a + w12) | 0;
  b = (b << 30) | (b >>> 2);
  w13 ^= w10 ^ w5 ^ w15;
  w13 = (w13 << 1) | (w13 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) - 0x359d3e2a + w13) | 0;
  a = (a << 30) | (a >>> 2);
  w14 ^= w11 ^ w6 ^ w0;
  w14 = (w14 << 1) | (w14 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) - 0x359d3e2a + w14) | 0;
  e = (e << 30) | (e >>> 2);
  w15 ^= w12 ^ w7 ^ w1;
  w15 = (w15 << 1) | (w15 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) - 0x359d3e2a + w15) | 0;
  d = (d << 30) | (d >>> 2);
  w0 ^= w13 ^ w8 ^ w2;
  w0 = (w0 << 1) | (w0 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) - 0x359d3e2a + w0) | 0;
  c = (c << 30) | (c >>> 2);
  w1 ^= w14 ^ w9 ^ w3;
  w1 = (w1 << 1) | (w1 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) - 0x359d3e2a + w1) | 0;
  b = (b << 30) | (b >>> 2);
  w2 ^= w15 ^ w10 ^ w4;
  w2 = (w2 << 1) | (w2 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) - 0x359d3e2a + w2) | 0;
  a = (a << 30) | (a >>> 2);
  w3 ^= w0 ^ w11 ^ w5;
  w3 = (w3 << 1) | (w3 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) - 0x359d3e2a + w3) | 0;
  e = (e << 30) | (e >>> 2);
  w4 ^= w1 ^ w12 ^ w6;
  w4 = (w4 << 1) | (w4 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) - 0x359d3e2a + w4) | 0;
  d = (d << 30) | (d >>> 2);
  w5 ^= w2 ^ w13 ^ w7;
  w5 = (w5 << 1) | (w5 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) - 0x359d3e2a + w5) | 0;
  c = (c << 30) | (c >>> 2);
  w6 ^= w3 ^ w14 ^ w8;
  w6 = (w6 << 1) | (w6 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) - 0x359d3e2a + w6) | 0;
  b = (b << 30) | (b >>> 2);
  w7 ^= w4 ^ w15 ^ w9;
  w7 = (w7 << 1) | (w7 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) - 0x359d3e2a + w7) | 0;
  a = (a << 30) | (a >>> 2);
  w8 ^= w5 ^ w0 ^ w10;
  w8 = (w8 << 1) | (w8 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) - 0x359d3e2a + w8) | 0;
  e = (e << 30) | (e >>> 2);
  w9 ^= w6 ^ w1 ^ w11;
  w9 = (w9 << 1) | (w9 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) - 0x359d3e2a + w9) | 0;
  d = (d << 30) | (d >>> 2);
  w10 ^= w7 ^ w2 ^ w12;
  w10 = (w10 << 1) | (w10 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) - 0x359d3e2a + w10) | 0;
  c = (c << 30) | (c >>> 2);
  w11 ^= w8 ^ w3 ^ w13;
  w11 = (w11 << 1) | (w11 >>> 31);
  e = (e + ((a << 5) | (a >>> 27)) + (b ^ c ^ d) - 0x359d3e2a + w11) | 0;
  b = (b << 30) | (b >>> 2);
  w12 ^= w9 ^ w4 ^ w14;
  w12 = (w12 << 1) | (w12 >>> 31);
  d = (d + ((e << 5) | (e >>> 27)) + (a ^ b ^ c) - 0x359d3e2a + w12) | 0;
  a = (a << 30) | (a >>> 2);
  w13 ^= w10 ^ w5 ^ w15;
  w13 = (w13 << 1) | (w13 >>> 31);
  c = (c + ((d << 5) | (d >>> 27)) + (e ^ a ^ b) - 0x359d3e2a + w13) | 0;
  e = (e << 30) | (e >>> 2);
  w14 ^= w11 ^ w6 ^ w0;
  w14 = (w14 << 1) | (w14 >>> 31);
  b = (b + ((c << 5) | (c >>> 27)) + (d ^ e ^ a) - 0x359d3e2a + w14) | 0;
  d = (d << 30) | (d >>> 2);
  w15 ^= w12 ^ w7 ^ w1;
  w15 = (w15 << 1) | (w15 >>> 31);
  a = (a + ((b << 5) | (b >>> 27)) + (c ^ d ^ e) - 0x359d3e2a + w15) | 0;
  c = (c << 30) | (c >>> 2);
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
}

const IV = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0);

/**
 * The last block or two: the message tail, then 0x80, zeros and the length in bits. Every byte of
 * it is written on each use, so after an HMAC it holds only the outer hash's last block (the inner
 * digest and padding), never message bytes.
 */
const block = new Uint8Array(64);

/** SHA-1 of `msg`, continuing from `state` after `prefixLen` bytes already hashed. */
function finish(h: Int32Array, prefixLen: number, msg: Uint8Array, out: Uint8Array): void {
  const n = msg.length;
  let off = 0;
  for (; off + 64 <= n; off += 64) compress(h, msg, off);
  let i = 0;
  while (off < n) block[i++] = msg[off++]!;
  block[i++] = 0x80;
  if (i > 56) {
    while (i < 64) block[i++] = 0;
    compress(h, block, 0);
    i = 0;
  }
  while (i < 56) block[i++] = 0;
  const bits = (prefixLen + n) * 8;
  const hi = Math.floor(bits / 0x100000000);
  block[56] = hi >>> 24;
  block[57] = hi >>> 16;
  block[58] = hi >>> 8;
  block[59] = hi;
  block[60] = bits >>> 24;
  block[61] = bits >>> 16;
  block[62] = bits >>> 8;
  block[63] = bits;
  compress(h, block, 0);
  for (let j = 0; j < 5; j++) {
    const w = h[j]!;
    out[j * 4] = w >>> 24;
    out[j * 4 + 1] = w >>> 16;
    out[j * 4 + 2] = w >>> 8;
    out[j * 4 + 3] = w;
  }
}

const work = new Int32Array(5);
const inner = new Uint8Array(20);

/** HMAC-SHA1 under one key, with the inner and outer pad states computed once. */
export class HmacSha1 {
  private readonly ipad = new Int32Array(5);
  private readonly opad = new Int32Array(5);
  /** The key, for the native HMAC (a copy: the caller's array may change). */
  private readonly key: Uint8Array;
  /** The shortest message given to the native HMAC (Infinity: never). */
  private readonly nativeMin: number;

  /**
   * @param key - the HMAC key
   * @param nativeMin - messages at least this long use the runtime's HMAC when there is one
   */
  constructor(key: Uint8Array, nativeMin: number = NATIVE_HMAC_MIN) {
    this.key = key.slice();
    this.nativeMin = nativeMin;
    const k = new Uint8Array(64);
    if (key.length > 64) {
      const hk = new Uint8Array(20);
      work.set(IV);
      finish(work, 0, key, hk);
      block.fill(0); // the key's tail
      k.set(hk);
    } else k.set(key);
    const pad = new Uint8Array(64);
    for (let i = 0; i < 64; i++) pad[i] = k[i]! ^ 0x36;
    this.ipad.set(IV);
    compress(this.ipad, pad, 0);
    for (let i = 0; i < 64; i++) pad[i] = k[i]! ^ 0x5c;
    this.opad.set(IV);
    compress(this.opad, pad, 0);
  }

  /** HMAC of `msg` into `out` (20 bytes). */
  macInto(msg: Uint8Array, out: Uint8Array): void {
    if (msg.length >= this.nativeMin && (cryptoModule ??= lookupCrypto()) !== null) {
      out.set(cryptoModule.createHmac('sha1', this.key).update(msg).digest());
      return;
    }
    // five words copied by hand: cheaper than `set` at this size
    for (let i = 0; i < 5; i++) work[i] = this.ipad[i]!;
    finish(work, 64, msg, inner);
    for (let i = 0; i < 5; i++) work[i] = this.opad[i]!;
    finish(work, 64, inner, out);
  }
}
