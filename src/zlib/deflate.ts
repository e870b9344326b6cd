/**
 * A one-shot zlib compressor for short inputs, byte for byte what CPython's `zlib.compress(data)`
 * writes (canonical zlib 1.2.x, level 6, windowBits 15, memLevel 8, default strategy). Internal.
 *
 * It is zlib's `deflate_slow` and `trees.c`, taken from pako's port and specialised for one input
 * of at most {@link MAX_ONE_SHOT} bytes: the whole input is one window and one block, nothing
 * slides, nothing streams, and all state lives in buffers allocated once. The hash heads are tagged
 * with an epoch instead of being cleared, so a call costs no 128 KiB memset. Longer inputs go to pako.
 *
 * Every decision is zlib's, in zlib's order (the lazy matcher, the heap and its tie-breaks, the
 * length limits, the block type); only the bookkeeping differs: `longest_match` and the tally are
 * inlined into the match loop, a symbol is one 32-bit word, a heap entry carries its node's
 * frequency and depth (so `smaller()` is one integer comparison), frequencies, lengths and codes
 * (each with its length) are separate arrays, `scan_tree` records the code-length symbols that
 * `send_tree` then writes without a second walk, and the bits go through a 32-bit accumulator held
 * in locals. The input and its symbols are wiped from the scratch buffers before a call returns.
 * `test/zlib/zlib.test.ts` holds the output to pako's and to Python's over a large random corpus.
 *
 * Derived from pako (MIT, (C) 2014-2017 Vitaly Puzrin and Andrei Tuputcyn), itself a port of zlib
 * (C) 1995-2022 Jean-loup Gailly and Mark Adler, under the zlib license: this is an altered version,
 * plainly marked as such.
 * @module
 */

import { adler32, BL_ORDER, EXTRA_DBITS, EXTRA_LBITS } from './format.ts';

/**
 * The longest input compressed here: below zlib's symbol buffer (16383 symbols), so one block; and
 * a tree's total frequency (at most the input length + 1) stays below 2 ** 14, as a heap key needs.
 */
export const MAX_ONE_SHOT = 16000;

const MIN_MATCH = 3;
const MAX_MATCH = 258;
const W_SIZE = 32768;
const HASH_BITS = 15; // memLevel 8 + 7
const HASH_MASK = (1 << HASH_BITS) - 1;
const HASH_SHIFT = 5; // (HASH_BITS + MIN_MATCH - 1) / MIN_MATCH
const TOO_FAR = 4096;
// level 6: good_length 8, max_lazy 16, nice_length 128, max_chain 128
const GOOD_MATCH = 8;
const MAX_LAZY = 16;
const NICE_MATCH = 128;
const MAX_CHAIN = 128;
// zlib's MAX_DIST (W_SIZE - MIN_LOOKAHEAD) is never reached: every distance is below MAX_ONE_SHOT.

const LENGTH_CODES = 29;
const LITERALS = 256;
const L_CODES = LITERALS + 1 + LENGTH_CODES;
const D_CODES = 30;
const BL_CODES = 19;
const HEAP_SIZE = 2 * L_CODES + 1;
const MAX_BITS = 15;
const MAX_BL_BITS = 7;
const END_BLOCK = 256;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;

const EXTRA_BLBITS = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7);

// Static tables (zlib's tr_static_init).
const STATIC_LCODE = new Int32Array(L_CODES + 2);
const STATIC_LLEN = new Uint8Array(L_CODES + 2);
const STATIC_DCODE = new Int32Array(D_CODES);
const STATIC_DLEN = new Uint8Array(D_CODES).fill(5);
const NO_LEN = new Uint8Array(BL_CODES); // the code-length tree has no static counterpart
const DIST_CODE = new Uint8Array(512);
const LENGTH_CODE = new Uint8Array(256);
const BASE_LENGTH = new Int32Array(LENGTH_CODES);
const BASE_DIST = new Int32Array(D_CODES);

/** REV8[x]: the 8 bits of x in the opposite order. */
const REV8 = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    let r = 0;
    for (let i = 0, c = x; i < 8; i++, c >>>= 1) r = (r << 1) | (c & 1);
    t[x] = r;
  }
  return t;
})();

const blCount = new Uint16Array(MAX_BITS + 1);
const nextCode = new Uint16Array(MAX_BITS + 1);

/**
 * zlib's gen_codes: the canonical codes, bit-reversed (zlib's bi_reverse), of lengths 1..15, each
 * stored as `code | length << 16` (what the bit writer takes in one load).
 */
function genCodes(
  code: Int32Array,
  len: Uint8Array,
  leaves: Uint16Array,
  nleaves: number,
  bc: Uint16Array,
): void {
  const next = nextCode;
  const rev = REV8;
  let c = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    c = (c + bc[bits - 1]!) << 1;
    next[bits] = c;
  }
  for (let k = 0; k < nleaves; k++) {
    const n = leaves[k]!;
    const l = len[n]!;
    const v = next[l]!;
    next[l] = v + 1;
    code[n] = (((rev[v & 0xff]! << 8) | rev[v >>> 8]!) >>> (16 - l)) | (l << 16);
  }
}

{
  let length = 0;
  let code: number;
  for (code = 0; code < LENGTH_CODES - 1; code++) {
    BASE_LENGTH[code] = length;
    for (let n = 0; n < 1 << EXTRA_LBITS[code]!; n++) LENGTH_CODE[length++] = code;
  }
  LENGTH_CODE[length - 1] = code;
  let dist = 0;
  for (code = 0; code < 16; code++) {
    BASE_DIST[code] = dist;
    for (let n = 0; n < 1 << EXTRA_DBITS[code]!; n++) DIST_CODE[dist++] = code;
  }
  dist >>= 7;
  for (; code < D_CODES; code++) {
    BASE_DIST[code] = dist << 7;
    for (let n = 0; n < 1 << (EXTRA_DBITS[code]! - 7); n++) DIST_CODE[256 + dist++] = code;
  }
  const count = new Uint16Array(MAX_BITS + 1);
  const all = Uint16Array.from({ length: L_CODES + 2 }, (_, i) => i);
  let n = 0;
  for (; n <= 143; n++, count[8]!++) STATIC_LLEN[n] = 8;
  for (; n <= 255; n++, count[9]!++) STATIC_LLEN[n] = 9;
  for (; n <= 279; n++, count[7]!++) STATIC_LLEN[n] = 7;
  for (; n <= 287; n++, count[8]!++) STATIC_LLEN[n] = 8;
  genCodes(STATIC_LCODE, STATIC_LLEN, all, L_CODES + 2, count);
  count.fill(0);
  count[5] = D_CODES;
  genCodes(STATIC_DCODE, STATIC_DLEN, all, D_CODES, count);
}

// All state, allocated once (the compressor is synchronous, so one set serves every call).
/** The input, then zeros (zlib's WIN_INIT): all zeros between calls. */
const window = new Uint8Array(MAX_ONE_SHOT + MAX_MATCH + 8);
const head = new Int32Array(1 << HASH_BITS); // position + epoch; <= epoch means empty
const prev = new Uint16Array(W_SIZE);
/** The block's symbols: a literal byte, or `distance << 8 | (length - 3)`; zeros between calls. */
const sym = new Int32Array(MAX_ONE_SHOT + 1);
const out = new Uint8Array(MAX_ONE_SHOT + 64);
// Trees: frequencies of the leaves; lengths of leaves and inner nodes (zlib's Len and Dad are one
// field, kept apart here); codes of the leaves.
const freqL = new Uint16Array(L_CODES);
const lenL = new Uint8Array(HEAP_SIZE);
const codeL = new Int32Array(L_CODES);
const freqD = new Uint16Array(D_CODES);
const lenD = new Uint8Array(2 * D_CODES + 1);
const codeD = new Int32Array(D_CODES);
const freqB = new Uint16Array(BL_CODES);
const lenB = new Uint8Array(2 * BL_CODES + 1);
const codeB = new Int32Array(BL_CODES);
/**
 * zlib's heap: while a tree is built, an entry is `freq << 17 | depth << 10 | node`, so that zlib's
 * `smaller(n, m)` (frequency, then depth) is `n <= (m | 1023)`. A frequency is below 2 ** 14 (see
 * MAX_ONE_SHOT) and a depth below 2 ** 7 (a Huffman tree over a total below 2 ** 14 is far less
 * deep), so a key is a positive int32. The sorted part, from heapMax up, holds plain node numbers.
 */
const heap = new Int32Array(HEAP_SIZE);
/** Past the end of the heap: larger than every key. */
const SENTINEL = 0x7fffffff;
const dad = new Uint16Array(HEAP_SIZE);
/** The leaves of nonzero frequency, in order. */
const leaves = new Uint16Array(L_CODES);
/** What {@link buildTree} adds to zlib's opt_len and static_len. */
const cost = new Int32Array(2);
/** The code-length symbols of both trees, as scan_tree finds them: `symbol | extra << 5`. */
const blOps = new Uint16Array(L_CODES + D_CODES + 2);

let epoch = 0;

/**
 * zlib's pqdownheap on keys (see {@link heap}). `hp[len + 1]` holds {@link SENTINEL}, so the child
 * to follow (the right one when it is `smaller()` than the left) is chosen without a branch.
 */
function pqdownheap(hp: Int32Array, k: number, len: number): void {
  const v = hp[k]!;
  let j = k << 1;
  while (j <= len) {
    j += (((hp[j]! | 1023) - hp[j + 1]!) >>> 31) ^ 1;
    const hj = hp[j]!;
    if (v <= (hj | 1023)) break;
    hp[k] = hj;
    k = j;
    j <<= 1;
  }
  hp[k] = v;
}

/**
 * zlib's build_tree with gen_bitlen and gen_codes, for the tree of `elems` leaves whose frequencies
 * are in `freq`. Writes the lengths into `len`, the codes into `code`, and into {@link cost} what
 * zlib adds to opt_len and static_len (`slen`: the static tree's lengths; extra bits of the codes
 * from `base` on are in `extra`).
 * @returns max_code, the largest code with a nonzero frequency
 */
function buildTree(
  freq: Uint16Array,
  len: Uint8Array,
  code: Int32Array,
  elems: number,
  maxLength: number,
  slen: Uint8Array,
  extra: Uint8Array,
  base: number,
): number {
  const hp = heap;
  const dd = dad;
  let opt = 0;
  let stat = 0;
  const lv = leaves;
  let hl = 0;
  len.fill(0, 0, elems);
  for (let n = 0; n < elems; n++) {
    // without a branch: the entry is kept when the frequency is nonzero
    const f = freq[n]!;
    hp[hl + 1] = (f << 17) | n;
    lv[hl] = n;
    hl += (f + 0xffff) >>> 16;
  }
  let maxCode = hl !== 0 ? lv[hl - 1]! : -1;
  let nleaves = hl;
  // zlib forces at least two codes of nonzero frequency
  if (hl < 2) nleaves = -1;
  while (hl < 2) {
    const node = maxCode < 2 ? ++maxCode : 0;
    hp[++hl] = (1 << 17) | node;
    freq[node] = 1;
    opt--;
    stat -= slen[node]!;
  }
  hp[hl + 1] = SENTINEL;
  for (let k = hl >> 1; k >= 1; k--) pqdownheap(hp, k, hl);
  let node = elems;
  let hm = HEAP_SIZE;
  do {
    const a = hp[1]!;
    hp[1] = hp[hl]!;
    hp[hl--] = SENTINEL;
    pqdownheap(hp, 1, hl);
    const b = hp[1]!;
    const na = a & 1023;
    const nb = b & 1023;
    hp[--hm] = na;
    hp[--hm] = nb;
    const da = a & (127 << 10);
    const db = b & (127 << 10);
    dd[na] = dd[nb] = node;
    hp[1] = (((a >> 17) + (b >> 17)) << 17) | ((da >= db ? da : db) + (1 << 10)) | node++;
    pqdownheap(hp, 1, hl);
  } while (hl >= 2);
  hp[--hm] = hp[1]! & 1023;

  // gen_bitlen
  const bc = blCount;
  bc.fill(0);
  let overflow = 0;
  len[hp[hm]!] = 0;
  for (let h = hm + 1; h < HEAP_SIZE; h++) {
    const n = hp[h]!;
    let bits = len[dd[n]!]! + 1;
    if (bits > maxLength) {
      bits = maxLength;
      overflow++;
    }
    len[n] = bits;
    if (n > maxCode) continue;
    bc[bits]!++;
    const xbits = n >= base ? extra[n - base]! : 0;
    const f = freq[n]!;
    opt += f * (bits + xbits);
    stat += f * (slen[n]! + xbits);
  }
  if (overflow !== 0) {
    do {
      let bits = maxLength - 1;
      while (bc[bits] === 0) bits--;
      bc[bits]!--;
      bc[bits + 1]! += 2;
      bc[maxLength]!--;
      overflow -= 2;
    } while (overflow > 0);
    let h = HEAP_SIZE;
    for (let bits = maxLength; bits !== 0; bits--) {
      let k = bc[bits]!;
      while (k !== 0) {
        const m = hp[--h]!;
        if (m > maxCode) continue;
        if (len[m] !== bits) {
          opt += (bits - len[m]!) * freq[m]!;
          len[m] = bits;
        }
        k--;
      }
    }
  }
  if (nleaves < 0) {
    nleaves = 0;
    for (let n = 0; n <= maxCode; n++) if (freq[n] !== 0) lv[nleaves++] = n;
  }
  genCodes(code, len, lv, nleaves, bc);
  cost[0] = opt;
  cost[1] = stat;
  return maxCode;
}

/**
 * zlib's scan_tree on the lengths `len[0..maxCode]`: counts the code-length symbols into
 * {@link freqB} and records them (with their extra bits) in {@link blOps} from `k` on, for
 * send_tree to write as they are.
 * @returns the new end of blOps
 */
function scanTree(len: Uint8Array, maxCode: number, k: number): number {
  const ops = blOps;
  const bf = freqB;
  let prevlen = -1;
  let nextlen = len[0]!;
  let count = 0;
  let maxCount = 7;
  let minCount = 4;
  if (nextlen === 0) {
    maxCount = 138;
    minCount = 3;
  }
  len[maxCode + 1] = 0xff; // guard (zlib's 0xffff): no length is 255
  for (let n = 0; n <= maxCode; n++) {
    const curlen = nextlen;
    nextlen = len[n + 1]!;
    if (++count < maxCount && curlen === nextlen) continue;
    if (count < minCount) {
      bf[curlen]! += count;
      do ops[k++] = curlen;
      while (--count !== 0);
    } else if (curlen !== 0) {
      if (curlen !== prevlen) {
        bf[curlen]!++;
        ops[k++] = curlen;
        count--;
      }
      bf[REP_3_6]!++;
      ops[k++] = REP_3_6 | ((count - 3) << 5);
    } else if (count <= 10) {
      bf[REPZ_3_10]!++;
      ops[k++] = REPZ_3_10 | ((count - 3) << 5);
    } else {
      bf[REPZ_11_138]!++;
      ops[k++] = REPZ_11_138 | ((count - 11) << 5);
    }
    count = 0;
    prevlen = curlen;
    if (nextlen === 0) {
      maxCount = 138;
      minCount = 3;
    } else if (curlen === nextlen) {
      maxCount = 6;
      minCount = 3;
    } else {
      maxCount = 7;
      minCount = 4;
    }
  }
  return k;
}

/**
 * zlib's _tr_flush_block for the whole input as the last block, then the Adler-32 trailer: writes
 * into {@link out} after the 2-byte header.
 * @returns the length of the zlib stream
 */
function flushBlock(data: Uint8Array, len: number, ns: number): number {
  const maxL = buildTree(freqL, lenL, codeL, L_CODES, MAX_BITS, STATIC_LLEN, EXTRA_LBITS, 257);
  let optLen = cost[0]!;
  let staticLen = cost[1]!;
  const maxD = buildTree(freqD, lenD, codeD, D_CODES, MAX_BITS, STATIC_DLEN, EXTRA_DBITS, 0);
  optLen += cost[0]!;
  staticLen += cost[1]!;
  freqB.fill(0);
  const nl = scanTree(lenL, maxL, 0);
  const nops = scanTree(lenD, maxD, nl);
  buildTree(freqB, lenB, codeB, BL_CODES, MAX_BL_BITS, NO_LEN, EXTRA_BLBITS, 0);
  optLen += cost[0]!;
  let maxBlindex: number;
  for (maxBlindex = BL_CODES - 1; maxBlindex >= 3; maxBlindex--)
    if (lenB[BL_ORDER[maxBlindex]!] !== 0) break;
  optLen += 3 * (maxBlindex + 1) + 5 + 5 + 4;
  let optLenb = (optLen + 3 + 7) >>> 3;
  const staticLenb = (staticLen + 3 + 7) >>> 3;
  if (staticLenb <= optLenb) optLenb = staticLenb;

  const o = out;
  let p = 2;
  let acc = 0; // bits not yet written, at most 15 between writes
  let cnt = 0;
  if (len + 4 <= optLenb) {
    // a stored block: 3 header bits, aligned, then LEN, NLEN and the bytes
    o[p++] = 1;
    o[p++] = len;
    o[p++] = len >>> 8;
    o[p++] = ~len;
    o[p++] = ~len >>> 8;
    o.set(data, p);
    p += len;
  } else {
    let lcode = codeL;
    let dcode = codeD;
    if (staticLenb === optLenb) {
      acc = (1 << 1) + 1;
      cnt = 3;
      lcode = STATIC_LCODE;
      dcode = STATIC_DCODE;
    } else {
      // send_all_trees: 3 + 5 + 5 + 4 bits, then 3 bits per code-length length
      acc = (2 << 1) + 1 + ((maxL - 256) << 3) + (maxD << 8) + ((maxBlindex - 3) << 13);
      o[p++] = acc;
      o[p++] = acc >>> 8;
      acc >>>= 16;
      cnt = 1;
      for (let r = 0; r <= maxBlindex; r++) {
        acc |= lenB[BL_ORDER[r]!]! << cnt;
        cnt += 3;
        if (cnt >= 16) {
          o[p++] = acc;
          o[p++] = acc >>> 8;
          acc >>>= 16;
          cnt -= 16;
        }
      }
      const ops = blOps;
      const bcode = codeB;
      const bx = EXTRA_BLBITS;
      for (let i = 0; i < nops; i++) {
        const op = ops[i]!;
        const s = op & 31;
        const c = bcode[s]!;
        const l = c >>> 16;
        acc |= ((c & 0xffff) | ((op >>> 5) << l)) << cnt;
        cnt += l + bx[s]!;
        if (cnt >= 16) {
          o[p++] = acc;
          o[p++] = acc >>> 8;
          acc >>>= 16;
          cnt -= 16;
        }
      }
    }
    // compress_block
    const sy = sym;
    const lengthCode = LENGTH_CODE;
    const distCode = DIST_CODE;
    const xl = EXTRA_LBITS;
    const xd = EXTRA_DBITS;
    const bl = BASE_LENGTH;
    const bd = BASE_DIST;
    for (let i = 0; i < ns; i++) {
      const s = sy[i]!;
      if (s < 256) {
        const k = lcode[s]!;
        acc |= (k & 0xffff) << cnt;
        cnt += k >>> 16;
      } else {
        const lc = s & 0xff;
        let c = lengthCode[lc]!;
        let k = lcode[c + LITERALS + 1]!;
        acc |= (k & 0xffff) << cnt;
        cnt += k >>> 16;
        if (cnt >= 16) {
          o[p++] = acc;
          o[p++] = acc >>> 8;
          acc >>>= 16;
          cnt -= 16;
        }
        let x = xl[c]!;
        if (x !== 0) {
          acc |= (lc - bl[c]!) << cnt;
          cnt += x;
          if (cnt >= 16) {
            o[p++] = acc;
            o[p++] = acc >>> 8;
            acc >>>= 16;
            cnt -= 16;
          }
        }
        const dist = (s >>> 8) - 1;
        c = dist < 256 ? distCode[dist]! : distCode[256 + (dist >>> 7)]!;
        k = dcode[c]!;
        acc |= (k & 0xffff) << cnt;
        cnt += k >>> 16;
        if (cnt >= 16) {
          o[p++] = acc;
          o[p++] = acc >>> 8;
          acc >>>= 16;
          cnt -= 16;
        }
        x = xd[c]!;
        if (x !== 0) {
          acc |= (dist - bd[c]!) << cnt;
          cnt += x;
        }
      }
      if (cnt >= 16) {
        o[p++] = acc;
        o[p++] = acc >>> 8;
        acc >>>= 16;
        cnt -= 16;
      }
    }
    const k = lcode[END_BLOCK]!;
    acc |= (k & 0xffff) << cnt;
    cnt += k >>> 16;
    // bi_windup
    while (cnt > 0) {
      o[p++] = acc;
      acc >>>= 8;
      cnt -= 8;
    }
  }
  // the Adler-32 of the input, big-endian
  const adler = adler32(data, len);
  o[p++] = adler >>> 24;
  o[p++] = adler >>> 16;
  o[p++] = adler >>> 8;
  o[p++] = adler;
  return p;
}

/**
 * `zlib.compress(data)` (level 6) for `data.length <= MAX_ONE_SHOT`.
 * @returns a new array with the zlib stream
 */
export function deflateOneShot(data: Uint8Array): Uint8Array {
  const z = deflateOneShotTransient(data);
  const copy = z.slice();
  z.fill(0);
  return copy;
}

/**
 * {@link deflateOneShot} into the compressor's own output buffer, which the next call overwrites:
 * for a stream that is consumed at once (base64-encoded into a cookie) and never handed on.
 * @returns a view of the shared output buffer, valid until the next call
 */
export function deflateOneShotTransient(data: Uint8Array): Uint8Array {
  const len = data.length;
  if (len > MAX_ONE_SHOT) throw new RangeError('input too long for the one-shot compressor');
  const win = window;
  const hd = head;
  const prv = prev;
  const sy = sym;
  const fl = freqL;
  const fd = freqD;
  const lengthCode = LENGTH_CODE;
  const distCode = DIST_CODE;
  win.set(data, 0);
  if (epoch > 0x7fffffff - 2 * W_SIZE) {
    hd.fill(0);
    epoch = 0;
  }
  const ep = epoch;
  fl.fill(0);
  fd.fill(0);
  fl[END_BLOCK] = 1;

  // fill_window with the classic hash: prime ins_h with the first two bytes
  let h = 0;
  if (len >= MIN_MATCH) h = ((win[0]! << HASH_SHIFT) ^ win[1]!) & HASH_MASK;

  // deflate_slow; INSERT_STRING, longest_match and _tr_tally inlined
  let ns = 0;
  let strstart = 0;
  let matchLength = MIN_MATCH - 1;
  let matchAvailable = false;
  let prevLength = 0;
  let prevMatch = 0;
  let matchStart = 0;
  // zlib's lookahead is len - strstart; the last full string starts at lastHash
  const lastHash = len - MIN_MATCH;
  while (strstart < len) {
    let hashHead = 0;
    if (strstart <= lastHash) {
      h = ((h << HASH_SHIFT) ^ win[strstart + 2]!) & HASH_MASK;
      const v = hd[h]!;
      hashHead = v > ep ? v - ep : 0;
      prv[strstart] = hashHead;
      hd[h] = strstart + ep;
    }
    prevLength = matchLength;
    prevMatch = matchStart;
    matchLength = MIN_MATCH - 1;
    if (hashHead !== 0 && prevLength < MAX_LAZY) {
      // longest_match: position 0 is NIL, and no distance reaches MAX_DIST
      let chainLength = prevLength >= GOOD_MATCH ? MAX_CHAIN >> 2 : MAX_CHAIN;
      const lookahead = len - strstart;
      const niceMatch = NICE_MATCH > lookahead ? lookahead : NICE_MATCH;
      const strend = strstart + MAX_MATCH;
      const s0 = win[strstart]!;
      const s1 = win[strstart + 1]!;
      let bestLen = prevLength;
      let scanEnd1 = win[strstart + bestLen - 1]!;
      let scanEnd = win[strstart + bestLen]!;
      let cur = hashHead;
      do {
        if (
          win[cur + bestLen] !== scanEnd ||
          win[cur + bestLen - 1] !== scanEnd1 ||
          win[cur] !== s0 ||
          win[cur + 1] !== s1
        )
          continue;
        // scan[2] and match[2] are equal: same hash, same first two bytes
        let scan = strstart + 2;
        let match = cur + 2;
        do;
        while (
          win[++scan] === win[++match] &&
          win[++scan] === win[++match] &&
          win[++scan] === win[++match] &&
          win[++scan] === win[++match] &&
          win[++scan] === win[++match] &&
          win[++scan] === win[++match] &&
          win[++scan] === win[++match] &&
          win[++scan] === win[++match] &&
          scan < strend
        );
        const l = MAX_MATCH - (strend - scan);
        if (l > bestLen) {
          matchStart = cur;
          bestLen = l;
          if (l >= niceMatch) break;
          scanEnd1 = win[strstart + bestLen - 1]!;
          scanEnd = win[strstart + bestLen]!;
        }
      } while ((cur = prv[cur]!) > 0 && --chainLength !== 0);
      matchLength = bestLen <= lookahead ? bestLen : lookahead;
      if (matchLength === MIN_MATCH && strstart - matchStart > TOO_FAR) matchLength = MIN_MATCH - 1;
    }
    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      const lc = prevLength - MIN_MATCH;
      const dist = strstart - 1 - prevMatch;
      sy[ns++] = (dist << 8) | lc;
      fl[lengthCode[lc]! + LITERALS + 1]!++;
      const d = dist - 1;
      fd[d < 256 ? distCode[d]! : distCode[256 + (d >>> 7)]!]!++;
      // insert the strings of the match (but not past the last full one), then skip it
      const end = strstart + prevLength - 2;
      const last = end <= lastHash ? end : lastHash;
      for (let s = strstart + 1; s <= last; s++) {
        h = ((h << HASH_SHIFT) ^ win[s + 2]!) & HASH_MASK;
        const v = hd[h]!;
        prv[s] = v > ep ? v - ep : 0;
        hd[h] = s + ep;
      }
      strstart = end + 1;
      matchAvailable = false;
      matchLength = MIN_MATCH - 1;
    } else {
      if (matchAvailable) {
        const c = win[strstart - 1]!;
        sy[ns++] = c;
        fl[c]!++;
      } else matchAvailable = true;
      strstart++;
    }
  }
  if (matchAvailable) {
    const c = win[strstart - 1]!;
    sy[ns++] = c;
    fl[c]!++;
  }

  out[0] = 0x78; // CMF
  out[1] = 0x9c; // FLG for level 6
  const n = flushBlock(data, len, ns);
  // wipe the input and its symbols (the hash chains hold positions only)
  win.fill(0, 0, len);
  sy.fill(0, 0, ns);
  epoch += len + 1;
  return out.subarray(0, n);
}
