/**
 * zlib decompression for session payloads: what Python's `zlib.decompress(data)` accepts, it
 * accepts; what zlib rejects (bad header, preset dictionary, invalid or incomplete codes, distances
 * too far back, truncation, a wrong Adler-32), it rejects. Bytes after the end of the stream are
 * ignored, as zlib does. Output is capped. Internal.
 *
 * The decoder follows Mark Adler's puff.c (the reference inflater), with a 9-bit lookup table in
 * front of each Huffman code. All tables live in buffers allocated once. `test/zlib/zlib.test.ts`
 * holds it to pako's inflate (a port of zlib's) on valid and corrupted streams.
 * @module
 */

import { adler32, BL_ORDER, DBASE, EXTRA_DBITS, EXTRA_LBITS, LBASE } from './format.ts';

const MAXBITS = 15;
const FAST_BITS = 9;
const FAST_MASK = (1 << FAST_BITS) - 1;

/** A canonical Huffman code: counts per length, symbols by code, and a fast table. */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
  /** Bits the fast table looks at (at most 9). */
  bits: number;
  /** For each `bits`-bit window (LSB-first): (symbol << 4) | length, or 0 for a longer code. */
  fast: Uint32Array;
}
const newHuffman = (n: number, bits: number): Huffman => ({
  count: new Uint16Array(MAXBITS + 1),
  symbol: new Uint16Array(n),
  bits,
  fast: new Uint32Array(1 << bits),
});

const lencode = newHuffman(288, FAST_BITS);
const distcode = newHuffman(30, 7);
const clcode = newHuffman(19, 7);
const offs = new Uint16Array(MAXBITS + 1);
const lengths = new Uint16Array(288 + 30);

/** 9-bit bit reversal: REV9[x] is x's 9 bits in the opposite order. */
const REV9 = /* @__PURE__ */ (() => {
  const t = new Uint16Array(1 << FAST_BITS);
  for (let x = 0; x < t.length; x++) {
    let r = 0;
    for (let i = 0, c = x; i < FAST_BITS; i++, c >>>= 1) r = (r << 1) | (c & 1);
    t[x] = r;
  }
  return t;
})();

/**
 * Builds a code from lengths (puff's construct).
 * @returns 0 for a complete code, > 0 incomplete, < 0 over-subscribed
 */
function construct(h: Huffman, len: Uint16Array, start: number, n: number): number {
  const count = h.count;
  count.fill(0);
  for (let s = 0; s < n; s++) count[len[start + s]!]!++;
  h.fast.fill(0);
  if (count[0] === n) return 0;
  let left = 1;
  for (let l = 1; l <= MAXBITS; l++) {
    left <<= 1;
    left -= count[l]!;
    if (left < 0) return left;
  }
  offs[1] = 0;
  for (let l = 1; l < MAXBITS; l++) offs[l + 1] = offs[l]! + count[l]!;
  for (let s = 0; s < n; s++) if (len[start + s] !== 0) h.symbol[offs[len[start + s]!]!++] = s;
  // the fast table: canonical codes of up to `bits` bits, bit-reversed as they arrive LSB-first
  const table = h.fast;
  const tb = h.bits;
  const size = 1 << tb;
  let code = 0;
  let index = 0;
  for (let l = 1; l <= tb; l++) {
    const c = count[l]!;
    for (let k = 0; k < c; k++) {
      const entry = (h.symbol[index + k]! << 4) | l;
      for (let fill = REV9[(code + k) << (FAST_BITS - l)]!; fill < size; fill += 1 << l)
        table[fill] = entry;
    }
    index += c;
    code = (code + c) << 1;
  }
  return left;
}

// Fixed codes (btype 1), built once.
const fixedLen = newHuffman(288, FAST_BITS);
const fixedDist = newHuffman(30, 7);
{
  const l = new Uint16Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  construct(fixedLen, l, 0, 288);
  construct(fixedDist, new Uint16Array(30).fill(5), 0, 30);
}

/** Why a stream was refused, in zlib's words. */
export class InflateError extends Error {
  override name = 'InflateError';
}

// The state of the one decompression running (the inflater is synchronous).
let src: Uint8Array = new Uint8Array(0);
let srcLen = 0;
let pos = 0;
let bitbuf = 0;
let bitcnt = 0;
let out = new Uint8Array(8192);
let o = 0;
let cap = 0;

function fail(msg: string): never {
  throw new InflateError(msg);
}

/** The next `k` bits (k <= 16), LSB-first. */
function bits(k: number): number {
  while (bitcnt < k) {
    if (pos >= srcLen) fail('incomplete or truncated stream');
    bitbuf |= src[pos++]! << bitcnt;
    bitcnt += 8;
  }
  const v = bitbuf & ((1 << k) - 1);
  bitbuf >>>= k;
  bitcnt -= k;
  return v;
}

/** Room for `extra` more output bytes, up to the cap. */
function grow(extra: number): void {
  if (o + extra <= out.length) return;
  if (o + extra > cap)
    throw new RangeError(`Decompressed payload exceeds the limit of ${cap} bytes`);
  let size = out.length * 2;
  while (size < o + extra) size *= 2;
  const bigger = new Uint8Array(Math.min(size, Math.max(cap, o + extra)));
  bigger.set(out.subarray(0, o));
  out = bigger;
}

/** One symbol: the fast table when it knows the code, else puff's bit-by-bit decode. */
function decode(h: Huffman): number {
  while (bitcnt < h.bits && pos < srcLen) {
    bitbuf |= src[pos++]! << bitcnt;
    bitcnt += 8;
  }
  const e = h.fast[bitbuf & ((1 << h.bits) - 1)]!;
  if (e !== 0 && (e & 15) <= bitcnt) {
    bitbuf >>>= e & 15;
    bitcnt -= e & 15;
    return e >>> 4;
  }
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len <= MAXBITS; len++) {
    code |= bits(1);
    const count = h.count[len]!;
    if (code - count < first) return h.symbol[index + (code - first)]!;
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return fail('invalid code');
}

/** The symbols of one compressed block, up to end-of-block. The hot loop works on locals. */
function codes(lc: Huffman, dc: Huffman): void {
  const d = src;
  const n = srcLen;
  const lfast = lc.fast;
  const dfast = dc.fast;
  const dmask = (1 << dc.bits) - 1;
  let p = pos;
  let bb = bitbuf;
  let bc = bitcnt;
  let oo = o;
  let ob = out;
  for (;;) {
    if (bc < 16) {
      if (p + 1 < n) {
        bb |= (d[p]! << bc) | (d[p + 1]! << (bc + 8));
        p += 2;
        bc += 16;
      } else if (p < n) {
        bb |= d[p++]! << bc;
        bc += 8;
      }
    }
    let sym: number;
    let e = lfast[bb & FAST_MASK]!;
    if (e !== 0 && (e & 15) <= bc) {
      bb >>>= e & 15;
      bc -= e & 15;
      sym = e >>> 4;
    } else {
      pos = p;
      bitbuf = bb;
      bitcnt = bc;
      sym = decode(lc);
      p = pos;
      bb = bitbuf;
      bc = bitcnt;
    }
    if (sym < 256) {
      if (oo >= ob.length) {
        o = oo;
        grow(1);
        ob = out;
      }
      ob[oo++] = sym;
      continue;
    }
    if (sym === 256) break;
    sym -= 257;
    if (sym >= 29) fail('invalid literal/length code');
    pos = p;
    bitbuf = bb;
    bitcnt = bc;
    const len = LBASE[sym]! + bits(EXTRA_LBITS[sym]!);
    let ds: number;
    if (bitcnt >= 7 || pos >= n) {
      e = dfast[bitbuf & dmask]!;
      if (e !== 0 && (e & 15) <= bitcnt) {
        bitbuf >>>= e & 15;
        bitcnt -= e & 15;
        ds = e >>> 4;
      } else ds = decode(dc);
    } else ds = decode(dc);
    if (ds >= 30) fail('invalid distance code');
    const dist = DBASE[ds]! + bits(EXTRA_DBITS[ds]!);
    p = pos;
    bb = bitbuf;
    bc = bitcnt;
    if (dist > oo) fail('invalid distance too far back');
    if (oo + len > ob.length) {
      o = oo;
      grow(len);
      ob = out;
    }
    for (let k = 0; k < len; k++, oo++) ob[oo] = ob[oo - dist]!;
  }
  pos = p;
  bitbuf = bb;
  bitcnt = bc;
  o = oo;
}

/**
 * `zlib.decompress(data)`.
 * @param maxSize - the most bytes of output allowed
 * @returns a new array with the decompressed bytes
 * @throws {@link InflateError} for a stream zlib would refuse
 * @throws {@link RangeError} past `maxSize` bytes of output
 */
export function inflateZlib(data: Uint8Array, maxSize: number): Uint8Array {
  src = data;
  srcLen = data.length;
  pos = 0;
  bitbuf = 0;
  bitcnt = 0;
  o = 0;
  cap = maxSize;
  try {
    return run();
  } finally {
    src = new Uint8Array(0); // let go of the input
    if (out.length > 65536) out = new Uint8Array(8192); // and of a large output buffer
  }
}

function run(): Uint8Array {
  const n = srcLen;
  // zlib header (RFC 1950): deflate, window up to 32 KiB, check bits, no preset dictionary
  if (n < 2) fail('incomplete or truncated stream');
  const cmf = src[0]!;
  const flg = src[1]!;
  if (((cmf << 8) | flg) % 31 !== 0) fail('incorrect header check');
  if ((cmf & 15) !== 8) fail('unknown compression method');
  if (cmf >>> 4 > 7) fail('invalid window size');
  if (flg & 0x20) fail('need dictionary');
  pos = 2;

  let last: number;
  do {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      // stored: give back whole buffered bytes, drop the partial one, then LEN and its complement
      pos -= bitcnt >>> 3;
      bitbuf = 0;
      bitcnt = 0;
      if (pos + 4 > n) fail('incomplete or truncated stream');
      const len = src[pos]! | (src[pos + 1]! << 8);
      const nlen = src[pos + 2]! | (src[pos + 3]! << 8);
      pos += 4;
      if (len !== (~nlen & 0xffff)) fail('invalid stored block lengths');
      if (pos + len > n) fail('incomplete or truncated stream');
      grow(len);
      out.set(src.subarray(pos, pos + len), o);
      o += len;
      pos += len;
    } else if (type === 1) {
      codes(fixedLen, fixedDist);
    } else if (type === 2) {
      const nlen = bits(5) + 257;
      const ndist = bits(5) + 1;
      const ncode = bits(4) + 4;
      if (nlen > 286 || ndist > 30) fail('too many length or distance symbols');
      lengths.fill(0, 0, 19);
      for (let i = 0; i < ncode; i++) lengths[BL_ORDER[i]!] = bits(3);
      if (construct(clcode, lengths, 0, 19) !== 0) fail('invalid code lengths set');
      let index = 0;
      while (index < nlen + ndist) {
        let symbol = decode(clcode);
        if (symbol < 16) lengths[index++] = symbol;
        else {
          let len = 0;
          if (symbol === 16) {
            if (index === 0) fail('invalid bit length repeat');
            len = lengths[index - 1]!;
            symbol = 3 + bits(2);
          } else if (symbol === 17) symbol = 3 + bits(3);
          else symbol = 11 + bits(7);
          if (index + symbol > nlen + ndist) fail('invalid bit length repeat');
          while (symbol--) lengths[index++] = len;
        }
      }
      if (lengths[256] === 0) fail('invalid code -- missing end-of-block');
      let err = construct(lencode, lengths, 0, nlen);
      if (err < 0 || (err > 0 && nlen !== lencode.count[0]! + lencode.count[1]!))
        fail('invalid literal/lengths set');
      err = construct(distcode, lengths, nlen, ndist);
      if (err < 0 || (err > 0 && ndist !== distcode.count[0]! + distcode.count[1]!))
        fail('invalid distances set');
      codes(lencode, distcode);
    } else fail('invalid block type');
  } while (!last);

  // Adler-32 of the output, big-endian, after the last block's byte
  pos -= bitcnt >>> 3;
  if (pos + 4 > n) fail('incomplete or truncated stream');
  const want =
    ((src[pos]! << 24) | (src[pos + 1]! << 16) | (src[pos + 2]! << 8) | src[pos + 3]!) >>> 0;
  if (adler32(out, o) !== want) fail('incorrect data check');
  if (o > cap) throw new RangeError(`Decompressed payload exceeds the limit of ${cap} bytes`);
  return out.slice(0, o);
}
