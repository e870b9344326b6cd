/**
 * zlib decompression for session payloads: what Python's `zlib.decompress(data)` accepts, it
 * accepts; what zlib rejects (bad header, preset dictionary, invalid or incomplete codes, distances
 * too far back, truncation, a wrong Adler-32), it rejects, with zlib's message. Bytes after the end
 * of the stream are ignored, as zlib does. Output is capped. Internal.
 *
 * The decoder follows zlib's own (inflate.c, inflate_fast.c, inftrees.c): Huffman codes become
 * zlib's two-level tables (a 9-bit root for literals/lengths, 6 bits for distances, sub-tables for
 * longer codes), whose entries carry the base of a length or distance with its extra bits folded
 * in, so one look-up and one shift decode a symbol with its extra bits. The bit buffer lives in
 * locals and is refilled to 25 bits or more per symbol. A symbol needs exactly its own bits, as in
 * zlib: past the end of the input the buffer reads as zero bits and its count goes negative, and
 * a symbol that went past the end makes the stream "incomplete" before anything it would say (an
 * error, output past the cap, the end of a block) is acted on. All tables live in buffers allocated
 * once; the output is built in a scratch buffer, copied out, and the scratch is zeroed before the
 * call returns. `test/zlib/zlib.test.ts` holds it to pako (a port of zlib) and to the runtime's zlib, with
 * their error messages, on valid, truncated and corrupted streams.
 * @module
 */

import { adler32, BL_ORDER, DBASE, EXTRA_DBITS, EXTRA_LBITS, LBASE } from './format.ts';

/** Why a stream was refused, in zlib's words. */
export class InflateError extends Error {
  override name = 'InflateError';
}

const TRUNCATED = 'incomplete or truncated stream';

function fail(msg: string): never {
  throw new InflateError(msg);
}

/**
 * A table entry is an int32:
 * - bits 0..4: bits to drop (the code's bits at this level, plus the extra bits of a length or
 *   distance; for a link, the root bits)
 * - bits 5..8: the code's own bits at this level (for a link: the sub-table's index bits)
 * - bits 9..12: the kind (0 for a literal or a code length)
 * - bits 16..31: the literal, code length, or length/distance base (for a link, the sub-table's
 *   offset in the table)
 */
const LEN = 0x200; // a length (lit/len table) or a distance (distance table), with its extra bits
const EOB = 0x400;
const LINK = 0x800;
const INVALID = 0x1000;
/** Anything but a literal. */
const KIND = LEN | EOB | LINK | INVALID;

/** The three kinds of code (zlib's codetype). */
const CODES = 0;
const LENS = 1;
const DISTS = 2;

const LENS_ROOT = 9;
const DISTS_ROOT = 6;
const CODES_ROOT = 7;

// Room for any table: the root, plus at most one sub-table (of at most 2 ** (15 - root) entries)
// per code longer than the root.
const lenTable = new Int32Array((1 << LENS_ROOT) + 286 * (1 << (15 - LENS_ROOT)));
const distTable = new Int32Array((1 << DISTS_ROOT) + 30 * (1 << (15 - DISTS_ROOT)));
const codeTable = new Int32Array(1 << CODES_ROOT);
const fixedLenTable = new Int32Array(1 << 9);
const fixedDistTable = new Int32Array(1 << 5);
/** Code lengths as read from a dynamic block header (zeroed after each call). */
const lens = new Uint8Array(320);
/** Per-length counts, per-length offsets, and the symbols sorted by code (scratch of `build`). */
const count = new Uint16Array(16);
const offs = new Uint16Array(16);
const work = new Uint16Array(288);

/**
 * zlib's inflate_table: the table of the code with lengths `lens[start .. start + n)`.
 * @returns the root bits (the look-up mask is `(1 << root) - 1`), or -1 for an over-subscribed
 *   or incomplete code (an incomplete code is allowed, as in zlib, only for a single code of one
 *   bit in a literal/length or distance code)
 */
function build(
  type: number,
  len: Uint8Array,
  start: number,
  n: number,
  table: Int32Array,
  rootBits: number,
): number {
  count.fill(0);
  for (let s = 0; s < n; s++) count[len[start + s]!]!++;
  let max = 15;
  while (max >= 1 && count[max] === 0) max--;
  if (max === 0) {
    // no codes at all: a table that makes any use of the code an error (one bit, zlib's answer);
    // for the code-length code zlib reads that entry as a length of 0
    table[0] = table[1] = INVALID | (1 << 5) | 1;
    return 1;
  }
  let root = rootBits > max ? max : rootBits;
  let min = 1;
  while (count[min] === 0) min++;
  if (root < min) root = min;
  let left = 1;
  for (let l = 1; l <= 15; l++) {
    left = (left << 1) - count[l]!;
    if (left < 0) return -1;
  }
  if (left > 0 && (type === CODES || max !== 1)) return -1;
  offs[1] = 0;
  for (let l = 1; l < 15; l++) offs[l + 1] = offs[l]! + count[l]!;
  for (let s = 0; s < n; s++) {
    const l = len[start + s]!;
    if (l !== 0) work[offs[l]!++] = s;
  }

  // Fill the table, codes in order of length then symbol, with a bit-reversed code counter
  let huff = 0;
  let sym = 0;
  let l = min;
  let next = 0; // where the current (sub-)table starts
  let curr = root; // its index bits
  let drop = 0; // bits dropped before indexing it
  let low = -1;
  const mask = (1 << root) - 1;
  for (;;) {
    const bits = l - drop;
    const s = work[sym]!;
    let entry: number;
    if (type === CODES) entry = (s << 16) | (bits << 5) | bits;
    else if (type === LENS) {
      if (s < 256) entry = (s << 16) | (bits << 5) | bits;
      else if (s === 256) entry = EOB | (bits << 5) | bits;
      else if (s < 286)
        entry = (LBASE[s - 257]! << 16) | LEN | (bits << 5) | (bits + EXTRA_LBITS[s - 257]!);
      else entry = INVALID | (bits << 5) | bits;
    } else if (s < 30) entry = (DBASE[s]! << 16) | LEN | (bits << 5) | (bits + EXTRA_DBITS[s]!);
    else entry = INVALID | (bits << 5) | bits;
    // every index of the (sub-)table that ends in this code's bits
    const incr = 1 << bits;
    const base = next + (huff >>> drop);
    for (let fill = base + (1 << curr) - incr; fill >= base; fill -= incr) table[fill] = entry;
    // the next code, bit-reversed
    let inc = 1 << (l - 1);
    while (huff & inc) inc >>>= 1;
    huff = inc !== 0 ? (huff & (inc - 1)) + inc : 0;
    sym++;
    if (--count[l]! === 0) {
      if (l === max) break;
      l = len[start + work[sym]!]!;
    }
    // a new sub-table when the root bits change
    if (l > root && (huff & mask) !== low) {
      if (drop === 0) drop = root;
      next += 1 << curr;
      curr = l - drop;
      let room = 1 << curr;
      while (curr + drop < max) {
        room -= count[curr + drop]!;
        if (room <= 0) break;
        curr++;
        room <<= 1;
      }
      low = huff & mask;
      table[low] = (next << 16) | LINK | (curr << 5) | root;
    }
  }
  // an incomplete code (a single one-bit code): the other bit pattern is an error
  if (huff !== 0) table[next + huff] = INVALID | ((l - drop) << 5) | (l - drop);
  return root;
}

// The fixed codes (block type 1), built once, as zlib's fixedtables (all 288 and 32 symbols).
{
  const l = new Uint8Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  build(LENS, l, 0, 288, fixedLenTable, 9);
  build(DISTS, l.fill(5, 0, 32), 0, 32, fixedDistTable, 5);
}

/** The output so far: a scratch buffer, zeroed after each call, replaced when it grows. */
let out: Uint8Array = new Uint8Array(8192);
/** The bit reader's state between blocks: input position, bit buffer, bit count, output length. */
const state = new Int32Array(4);

/** Room for `extra` more bytes of output at `o`, unless `o` is already past the cap. */
function room(o: number, extra: number, bitCount: number, cap: number): Uint8Array {
  if (o > cap) {
    if (bitCount < 0) fail(TRUNCATED);
    throw new RangeError(`Decompressed payload exceeds the limit of ${cap} bytes`);
  }
  if (o + extra > out.length) {
    // double, but never far past the cap: o <= cap, and one step writes at most `extra` bytes
    const size = Math.min(Math.max(out.length * 2, o + extra), Math.ceil(cap) + extra);
    const bigger = new Uint8Array(size);
    bigger.set(out.subarray(0, o));
    out.fill(0, 0, o);
    out = bigger;
  }
  return out;
}

/**
 * The symbols of one compressed block, up to end-of-block (zlib's inflate_fast, without its
 * margins: near the end of the input the refill stops and the count of bits may go negative).
 */
function codes(
  d: Uint8Array,
  lt: Int32Array,
  lbits: number,
  dt: Int32Array,
  dbits: number,
  cap: number,
): void {
  const n = d.length;
  const lmask = (1 << lbits) - 1;
  const dmask = (1 << dbits) - 1;
  let p = state[0]!;
  let bb = state[1]!;
  let bc = state[2]!;
  let o = state[3]!;
  let ob = out;
  let limit = Math.min(ob.length - 258, cap);
  for (;;) {
    if (o > limit) {
      ob = room(o, 258, bc, cap);
      limit = Math.min(ob.length - 258, cap);
    }
    if (bc < 24) {
      if (p + 4 <= n) {
        bb |=
          ((d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) << bc) & 0x7fffffff;
        p += (31 - bc) >> 3;
        bc |= 24;
      } else {
        while (bc < 24 && p < n) {
          bb |= d[p++]! << bc;
          bc += 8;
        }
        // the last symbol went past the end of the input: the stream stops there
        if (bc < 0) fail(TRUNCATED);
      }
    }
    let e = lt[bb & lmask]!;
    if (e & LINK) {
      bb >>= lbits;
      bc -= lbits;
      e = lt[(e >>> 16) + (bb & ((1 << ((e >>> 5) & 15)) - 1))]!;
    }
    if ((e & KIND) === 0) {
      bb >>= e & 31;
      bc -= e & 31;
      ob[o++] = e >>> 16;
      continue;
    }
    if (e & LEN) {
      // a length, then a distance
      let t = e & 31;
      const len = (e >>> 16) + ((bb & ((1 << t) - 1)) >>> ((e >>> 5) & 15));
      bb >>= t;
      bc -= t;
      if (bc < 24) {
        if (p + 4 <= n) {
          bb |=
            ((d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) << bc) & 0x7fffffff;
          p += (31 - bc) >> 3;
          bc |= 24;
        } else
          while (bc < 24 && p < n) {
            bb |= d[p++]! << bc;
            bc += 8;
          }
      }
      e = dt[bb & dmask]!;
      if (e & LINK) {
        bb >>= dbits;
        bc -= dbits;
        e = dt[(e >>> 16) + (bb & ((1 << ((e >>> 5) & 15)) - 1))]!;
      }
      t = e & 31;
      if ((e & LEN) === 0) {
        bc -= t;
        fail(bc < 0 ? TRUNCATED : 'invalid distance code');
      }
      let dist: number;
      if (t <= bc) {
        dist = (e >>> 16) + ((bb & ((1 << t) - 1)) >>> ((e >>> 5) & 15));
        bb >>= t;
        bc -= t;
      } else {
        // a long code with many extra bits: the code, a refill, then the extra bits
        const c = (e >>> 5) & 15;
        bb >>= c;
        bc -= c;
        while (bc < 24 && p < n) {
          bb |= d[p++]! << bc;
          bc += 8;
        }
        t -= c;
        dist = (e >>> 16) + (bb & ((1 << t) - 1));
        bb >>= t;
        bc -= t;
      }
      if (dist > o) fail(bc < 0 ? TRUNCATED : 'invalid distance too far back');
      let from = o - dist;
      const end = o + len;
      while (o < end) ob[o++] = ob[from++]!;
      continue;
    }
    bc -= e & 31;
    bb >>= e & 31;
    if (bc < 0) fail(TRUNCATED);
    if (e & EOB) break;
    fail('invalid literal/length code');
  }
  state[0] = p;
  state[1] = bb;
  state[2] = bc;
  state[3] = o;
}

/**
 * `zlib.decompress(data)`.
 * @param maxSize - the most bytes of output allowed
 * @returns a new array with the decompressed bytes
 * @throws {@link InflateError} for a stream zlib would refuse
 * @throws {@link RangeError} past `maxSize` bytes of output
 */
export function inflateZlib(data: Uint8Array, maxSize: number): Uint8Array {
  let used = -1;
  try {
    const r = run(data, maxSize === maxSize ? maxSize : Infinity);
    used = r.length;
    return r;
  } finally {
    // nothing of this stream stays behind: the output scratch and the code lengths are zeroed
    if (out.length > 65536) out = new Uint8Array(8192);
    else out.fill(0, 0, used < 0 ? out.length : used);
    lens.fill(0);
  }
}

function run(d: Uint8Array, cap: number): Uint8Array {
  const n = d.length;
  // zlib header (RFC 1950): deflate, window up to 32 KiB, check bits, no preset dictionary
  if (n < 2) fail(TRUNCATED);
  const cmf = d[0]!;
  const flg = d[1]!;
  if (((cmf << 8) | flg) % 31 !== 0) fail('incorrect header check');
  if ((cmf & 15) !== 8) fail('unknown compression method');
  if (cmf >>> 4 > 7) fail('invalid window size');
  if (flg & 0x20) fail(n < 6 ? TRUNCATED : 'need dictionary'); // after the dictionary's id
  let p = 2;
  let bb = 0;
  let bc = 0;
  let o = 0;

  let last: number;
  do {
    while (bc < 3) {
      if (p >= n) fail(TRUNCATED);
      bb |= d[p++]! << bc;
      bc += 8;
    }
    last = bb & 1;
    const type = (bb >>> 1) & 3;
    bb >>= 3;
    bc -= 3;
    if (type === 0) {
      // stored: drop the partial byte, give back whole buffered bytes, then LEN and its complement
      p -= bc >>> 3;
      bb = 0;
      bc = 0;
      if (p + 4 > n) fail(TRUNCATED);
      const len = d[p]! | (d[p + 1]! << 8);
      const nlen = d[p + 2]! | (d[p + 3]! << 8);
      p += 4;
      if (len !== (~nlen & 0xffff)) fail('invalid stored block lengths');
      // stream order: output past the cap before the end of the input, or the end
      const have = Math.min(len, n - p);
      if (o + have > cap)
        throw new RangeError(`Decompressed payload exceeds the limit of ${cap} bytes`);
      if (have < len) fail(TRUNCATED);
      const ob = room(o, len, 0, cap);
      for (let k = 0; k < len; k++) ob[o++] = d[p++]!;
      continue;
    }
    if (type === 3) fail('invalid block type');
    let lt = fixedLenTable;
    let lbits = 9;
    let dt = fixedDistTable;
    let dbits = 5;
    if (type === 2) {
      // dynamic: the code lengths, through the code-length code
      while (bc < 14) {
        if (p >= n) fail(TRUNCATED);
        bb |= d[p++]! << bc;
        bc += 8;
      }
      const nlen = (bb & 31) + 257;
      const ndist = ((bb >>> 5) & 31) + 1;
      const ncode = ((bb >>> 10) & 15) + 4;
      bb >>= 14;
      bc -= 14;
      if (nlen > 286 || ndist > 30) fail('too many length or distance symbols');
      for (let i = 0; i < 19; i++) {
        let v = 0;
        if (i < ncode) {
          if (bc < 3) {
            if (p >= n) fail(TRUNCATED);
            bb |= d[p++]! << bc;
            bc += 8;
          }
          v = bb & 7;
          bb >>= 3;
          bc -= 3;
        }
        lens[BL_ORDER[i]!] = v;
      }
      const cbits = build(CODES, lens, 0, 19, codeTable, CODES_ROOT);
      if (cbits < 0) fail('invalid code lengths set');
      const cmask = (1 << cbits) - 1;
      const total = nlen + ndist;
      let have = 0;
      while (have < total) {
        if (bc < 24) {
          if (p + 4 <= n) {
            bb |=
              ((d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) << bc) &
              0x7fffffff;
            p += (31 - bc) >> 3;
            bc |= 24;
          } else
            while (bc < 24 && p < n) {
              bb |= d[p++]! << bc;
              bc += 8;
            }
        }
        const e = codeTable[bb & cmask]!;
        const sym = e >>> 16;
        bb >>= e & 31;
        bc -= e & 31;
        if (sym < 16) {
          if (bc < 0) fail(TRUNCATED);
          lens[have++] = sym;
          continue;
        }
        let value = 0;
        let repeat: number;
        if (sym === 16) {
          repeat = 3 + (bb & 3);
          bb >>= 2;
          bc -= 2;
          if (bc < 0) fail(TRUNCATED);
          if (have === 0) fail('invalid bit length repeat');
          value = lens[have - 1]!;
        } else if (sym === 17) {
          repeat = 3 + (bb & 7);
          bb >>= 3;
          bc -= 3;
        } else {
          repeat = 11 + (bb & 127);
          bb >>= 7;
          bc -= 7;
        }
        if (bc < 0) fail(TRUNCATED);
        if (have + repeat > total) fail('invalid bit length repeat');
        while (repeat--) lens[have++] = value;
      }
      if (lens[256] === 0) fail('invalid code -- missing end-of-block');
      lbits = build(LENS, lens, 0, nlen, lenTable, LENS_ROOT);
      if (lbits < 0) fail('invalid literal/lengths set');
      dbits = build(DISTS, lens, nlen, ndist, distTable, DISTS_ROOT);
      if (dbits < 0) fail('invalid distances set');
      lt = lenTable;
      dt = distTable;
    }
    state[0] = p;
    state[1] = bb;
    state[2] = bc;
    state[3] = o;
    codes(d, lt, lbits, dt, dbits, cap);
    p = state[0]!;
    bb = state[1]!;
    bc = state[2]!;
    o = state[3]!;
    if (o > cap) throw new RangeError(`Decompressed payload exceeds the limit of ${cap} bytes`);
  } while (!last);

  // Adler-32 of the output, big-endian, after the last block's byte
  p -= bc >>> 3;
  if (p + 4 > n) fail(TRUNCATED);
  const want = ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
  if (adler32(out, o) !== want) fail('incorrect data check');
  return out.slice(0, o);
}
