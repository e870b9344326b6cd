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
 * making a native HMAC object (and its garbage) outweighs hashing in JavaScript (measured on
 * Node 20: slower at 300 bytes, even at ~700, 1.3x at 1,000, 2x at 1,700, 2.5x at 2,500).
 */
export const NATIVE_HMAC_MIN = 1024;

const W = new Int32Array(80);
const block = new Uint8Array(64);

/** The SHA-1 compression function over 64 bytes of `b` from `off`, into `h` (5 words). */
function compress(h: Int32Array, b: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++, off += 4)
    W[i] = (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
  for (let i = 16; i < 80; i++) {
    const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = h[0]!;
  let bb = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let i = 0;
  for (; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((bb & c) | (~bb & d)) + e + 0x5a827999 + W[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (; i < 60; i++) {
    const t =
      (((a << 5) | (a >>> 27)) + ((bb & c) | (bb & d) | (c & d)) + e + 0x8f1bbcdc + W[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  for (; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (bb ^ c ^ d) + e + 0xca62c1d6 + W[i]!) | 0;
    e = d;
    d = c;
    c = (bb << 30) | (bb >>> 2);
    bb = a;
    a = t;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + bb) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
}

const IV = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0);

/** SHA-1 of `msg`, continuing from `state` after `prefixLen` bytes already hashed. */
function finish(state: Int32Array, prefixLen: number, msg: Uint8Array, out: Uint8Array): void {
  const h = state;
  const n = msg.length;
  let off = 0;
  for (; off + 64 <= n; off += 64) compress(h, msg, off);
  const rest = n - off;
  block.fill(0);
  block.set(msg.subarray(off), 0);
  block[rest] = 0x80;
  if (rest >= 56) {
    compress(h, block, 0);
    block.fill(0);
  }
  const bits = (prefixLen + n) * 8;
  const hi = Math.floor(bits / 0x100000000);
  block[56] = hi >>> 24;
  block[57] = (hi >>> 16) & 0xff;
  block[58] = (hi >>> 8) & 0xff;
  block[59] = hi & 0xff;
  block[60] = bits >>> 24;
  block[61] = (bits >>> 16) & 0xff;
  block[62] = (bits >>> 8) & 0xff;
  block[63] = bits & 0xff;
  compress(h, block, 0);
  for (let i = 0; i < 5; i++) {
    const w = h[i]!;
    out[i * 4] = w >>> 24;
    out[i * 4 + 1] = (w >>> 16) & 0xff;
    out[i * 4 + 2] = (w >>> 8) & 0xff;
    out[i * 4 + 3] = w & 0xff;
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
    work.set(this.ipad);
    finish(work, 64, msg, inner);
    work.set(this.opad);
    finish(work, 64, inner, out);
  }
}
