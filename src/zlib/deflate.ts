/**
 * A one-shot zlib compressor for short inputs, byte for byte what CPython's `zlib.compress(data)`
 * writes (canonical zlib 1.2.x, level 6, windowBits 15, memLevel 8, default strategy). Internal.
 *
 * It is zlib's `deflate_slow` and `trees.c`, taken from pako's port and specialised for one input
 * of at most {@link MAX_ONE_SHOT} bytes: the whole input is one window and one block, nothing
 * slides, nothing streams, and all state lives in buffers allocated once. The hash heads are tagged
 * with an epoch instead of being cleared, so a call costs no 64 KiB memset. Longer inputs go to pako.
 * `test/zlib/zlib.test.ts` holds the output to pako's and to Python's over a large random corpus.
 *
 * Derived from pako (MIT, (C) 2014-2017 Vitaly Puzrin and Andrei Tuputcyn), itself a port of zlib
 * (C) 1995-2022 Jean-loup Gailly and Mark Adler, under the zlib license: this is an altered version,
 * plainly marked as such.
 * @module
 */

import { adler32, BL_ORDER, EXTRA_DBITS, EXTRA_LBITS } from './format.ts';

/** The longest input compressed here: below zlib's symbol buffer (16383 symbols), so one block. */
export const MAX_ONE_SHOT = 16000;

const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
const W_SIZE = 32768;
const MAX_DIST = W_SIZE - MIN_LOOKAHEAD;
const HASH_BITS = 15; // memLevel 8 + 7
const HASH_MASK = (1 << HASH_BITS) - 1;
const HASH_SHIFT = 5; // (HASH_BITS + MIN_MATCH - 1) / MIN_MATCH
const TOO_FAR = 4096;
// level 6: good_length 8, max_lazy 16, nice_length 128, max_chain 128
const GOOD_MATCH = 8;
const MAX_LAZY = 16;
const NICE_MATCH = 128;
const MAX_CHAIN = 128;

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
const STATIC_LTREE = new Uint16Array((L_CODES + 2) * 2);
const STATIC_DTREE = new Uint16Array(D_CODES * 2);
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

/** The low `len` bits of `code` (len 1..15) in the opposite order: zlib's bi_reverse. */
function biReverse(code: number, len: number): number {
  return ((REV8[code & 0xff]! << 8) | REV8[(code >>> 8) & 0xff]!) >>> (16 - len);
}

const nextCode = new Uint16Array(MAX_BITS + 1);
function genCodes(tree: Uint16Array, maxCode: number, blCount: Uint16Array): void {
  let code = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    code = (code + blCount[bits - 1]!) << 1;
    nextCode[bits] = code;
  }
  for (let n = 0; n <= maxCode; n++) {
    const len = tree[n * 2 + 1]!;
    if (len === 0) continue;
    tree[n * 2] = biReverse(nextCode[len]!++, len);
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
  const blCount = new Uint16Array(MAX_BITS + 1);
  let n = 0;
  for (; n <= 143; n++, blCount[8]!++) STATIC_LTREE[n * 2 + 1] = 8;
  for (; n <= 255; n++, blCount[9]!++) STATIC_LTREE[n * 2 + 1] = 9;
  for (; n <= 279; n++, blCount[7]!++) STATIC_LTREE[n * 2 + 1] = 7;
  for (; n <= 287; n++, blCount[8]!++) STATIC_LTREE[n * 2 + 1] = 8;
  genCodes(STATIC_LTREE, L_CODES + 1, blCount);
  for (n = 0; n < D_CODES; n++) {
    STATIC_DTREE[n * 2 + 1] = 5;
    STATIC_DTREE[n * 2] = biReverse(n, 5);
  }
}

const dCode = (dist: number): number =>
  dist < 256 ? DIST_CODE[dist]! : DIST_CODE[256 + (dist >>> 7)]!;

/** A tree being built: zlib's tree_desc with its static description. */
interface Desc {
  tree: Uint16Array;
  maxCode: number;
  stree: Uint16Array | null;
  extra: Uint8Array;
  base: number;
  elems: number;
  maxLength: number;
}

// All state, allocated once (the compressor is synchronous, so one set serves every call).
const window = new Uint8Array(MAX_ONE_SHOT + MAX_MATCH + 8); // input, then zeros (zlib's WIN_INIT)
const head = new Int32Array(1 << HASH_BITS); // position + epoch; <= epoch means empty
const prev = new Uint16Array(W_SIZE);
const sym = new Uint8Array(MAX_ONE_SHOT * 3);
const out = new Uint8Array(MAX_ONE_SHOT + 64);
const dynLtree = new Uint16Array(HEAP_SIZE * 2);
const dynDtree = new Uint16Array((2 * D_CODES + 1) * 2);
const blTree = new Uint16Array((2 * BL_CODES + 1) * 2);
const blCount = new Uint16Array(MAX_BITS + 1);
const heap = new Uint16Array(2 * L_CODES + 1);
const depth = new Uint8Array(2 * L_CODES + 1);
const lDesc: Desc = {
  tree: dynLtree,
  maxCode: 0,
  stree: STATIC_LTREE,
  extra: EXTRA_LBITS,
  base: LITERALS + 1,
  elems: L_CODES,
  maxLength: MAX_BITS,
};
const dDesc: Desc = {
  tree: dynDtree,
  maxCode: 0,
  stree: STATIC_DTREE,
  extra: EXTRA_DBITS,
  base: 0,
  elems: D_CODES,
  maxLength: MAX_BITS,
};
const blDesc: Desc = {
  tree: blTree,
  maxCode: 0,
  stree: null,
  extra: EXTRA_BLBITS,
  base: 0,
  elems: BL_CODES,
  maxLength: MAX_BL_BITS,
};

let epoch = 0;
let pending = 0;
let biBuf = 0;
let biValid = 0;
let heapLen = 0;
let heapMax = 0;
let optLen = 0;
let staticLen = 0;
let symNext = 0;
let matchStart = 0;

function putShort(w: number): void {
  out[pending++] = w & 0xff;
  out[pending++] = (w >>> 8) & 0xff;
}

function sendBits(value: number, length: number): void {
  if (biValid > 16 - length) {
    biBuf |= (value << biValid) & 0xffff;
    putShort(biBuf);
    biBuf = value >> (16 - biValid);
    biValid += length - 16;
  } else {
    biBuf |= (value << biValid) & 0xffff;
    biValid += length;
  }
}

function biWindup(): void {
  if (biValid > 8) putShort(biBuf);
  else if (biValid > 0) out[pending++] = biBuf;
  biBuf = 0;
  biValid = 0;
}

/**
 * zlib's `smaller(tree, n, m, depth)` (frequency, then depth) as one integer comparison: the heap
 * orders nodes by `rank[n] = freq << 8 | depth` (depth is a byte as in zlib; a frequency is below
 * 2 ** 15 in a one-shot block), kept beside the tree while it is built.
 */
const rank = new Int32Array(2 * L_CODES + 1);

function pqdownheap(k: number): void {
  const v = heap[k]!;
  const rv = rank[v]!;
  let j = k << 1;
  while (j <= heapLen) {
    let hj = heap[j]!;
    if (j < heapLen) {
      const h1 = heap[j + 1]!;
      if (rank[h1]! <= rank[hj]!) {
        j++;
        hj = h1;
      }
    }
    if (rv <= rank[hj]!) break;
    heap[k] = hj;
    k = j;
    j <<= 1;
  }
  heap[k] = v;
}

function genBitlen(desc: Desc): void {
  const { tree, maxCode, stree, extra, base, maxLength } = desc;
  let overflow = 0;
  blCount.fill(0);
  tree[heap[heapMax]! * 2 + 1] = 0;
  let h: number;
  for (h = heapMax + 1; h < HEAP_SIZE; h++) {
    const n = heap[h]!;
    let bits = tree[tree[n * 2 + 1]! * 2 + 1]! + 1;
    if (bits > maxLength) {
      bits = maxLength;
      overflow++;
    }
    tree[n * 2 + 1] = bits;
    if (n > maxCode) continue;
    blCount[bits]!++;
    const xbits = n >= base ? extra[n - base]! : 0;
    const f = tree[n * 2]!;
    optLen += f * (bits + xbits);
    if (stree) staticLen += f * (stree[n * 2 + 1]! + xbits);
  }
  if (overflow === 0) return;
  do {
    let bits = maxLength - 1;
    while (blCount[bits] === 0) bits--;
    blCount[bits]!--;
    blCount[bits + 1]! += 2;
    blCount[maxLength]!--;
    overflow -= 2;
  } while (overflow > 0);
  for (let bits = maxLength; bits !== 0; bits--) {
    let n = blCount[bits]!;
    while (n !== 0) {
      const m = heap[--h]!;
      if (m > maxCode) continue;
      if (tree[m * 2 + 1] !== bits) {
        optLen += (bits - tree[m * 2 + 1]!) * tree[m * 2]!;
        tree[m * 2 + 1] = bits;
      }
      n--;
    }
  }
}

function buildTree(desc: Desc): void {
  const { tree, stree, elems } = desc;
  let maxCode = -1;
  heapLen = 0;
  heapMax = HEAP_SIZE;
  for (let n = 0; n < elems; n++) {
    const f = tree[n * 2]!;
    if (f !== 0) {
      heap[++heapLen] = maxCode = n;
      depth[n] = 0;
      rank[n] = f << 8;
    } else tree[n * 2 + 1] = 0;
  }
  while (heapLen < 2) {
    const node = (heap[++heapLen] = maxCode < 2 ? ++maxCode : 0);
    tree[node * 2] = 1;
    depth[node] = 0;
    rank[node] = 1 << 8;
    optLen--;
    if (stree) staticLen -= stree[node * 2 + 1]!;
  }
  desc.maxCode = maxCode;
  for (let n = heapLen >> 1; n >= 1; n--) pqdownheap(n);
  let node = elems;
  do {
    const n = heap[1]!;
    heap[1] = heap[heapLen--]!;
    pqdownheap(1);
    const m = heap[1]!;
    heap[--heapMax] = n;
    heap[--heapMax] = m;
    const f = tree[n * 2]! + tree[m * 2]!;
    tree[node * 2] = f;
    const d = (depth[n]! >= depth[m]! ? depth[n]! : depth[m]!) + 1;
    depth[node] = d;
    rank[node] = (f << 8) | (d & 0xff); // depth is a byte, as in zlib
    tree[n * 2 + 1] = tree[m * 2 + 1] = node;
    heap[1] = node++;
    pqdownheap(1);
  } while (heapLen >= 2);
  heap[--heapMax] = heap[1]!;
  genBitlen(desc);
  genCodes(tree, maxCode, blCount);
}

/** zlib's scan_tree (counting, `send` false) and send_tree (`send` true). */
function walkTree(tree: Uint16Array, maxCode: number, send: boolean): void {
  let prevlen = -1;
  let nextlen = tree[1]!;
  let count = 0;
  let maxCount = 7;
  let minCount = 4;
  if (nextlen === 0) {
    maxCount = 138;
    minCount = 3;
  }
  if (!send) tree[(maxCode + 1) * 2 + 1] = 0xffff;
  for (let n = 0; n <= maxCode; n++) {
    const curlen = nextlen;
    nextlen = tree[(n + 1) * 2 + 1]!;
    if (++count < maxCount && curlen === nextlen) continue;
    if (count < minCount) {
      if (send) {
        do sendBits(blTree[curlen * 2]!, blTree[curlen * 2 + 1]!);
        while (--count !== 0);
      } else blTree[curlen * 2]! += count;
    } else if (curlen !== 0) {
      if (send) {
        if (curlen !== prevlen) {
          sendBits(blTree[curlen * 2]!, blTree[curlen * 2 + 1]!);
          count--;
        }
        sendBits(blTree[REP_3_6 * 2]!, blTree[REP_3_6 * 2 + 1]!);
        sendBits(count - 3, 2);
      } else {
        if (curlen !== prevlen) blTree[curlen * 2]!++;
        blTree[REP_3_6 * 2]!++;
      }
    } else if (count <= 10) {
      if (send) {
        sendBits(blTree[REPZ_3_10 * 2]!, blTree[REPZ_3_10 * 2 + 1]!);
        sendBits(count - 3, 3);
      } else blTree[REPZ_3_10 * 2]!++;
    } else if (send) {
      sendBits(blTree[REPZ_11_138 * 2]!, blTree[REPZ_11_138 * 2 + 1]!);
      sendBits(count - 11, 7);
    } else blTree[REPZ_11_138 * 2]!++;
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
}

/** zlib's compress_block, with the bit writer on locals (a 32-bit accumulator, 2 bytes at a time). */
function compressBlock(ltree: Uint16Array, dtree: Uint16Array): void {
  const o = out;
  let acc = biBuf;
  let cnt = biValid;
  let p = pending;
  for (let sx = 0; sx < symNext;) {
    let dist = sym[sx++]! | (sym[sx++]! << 8);
    let lc = sym[sx++]!;
    if (dist === 0) {
      acc |= ltree[lc * 2]! << cnt;
      cnt += ltree[lc * 2 + 1]!;
    } else {
      let code = LENGTH_CODE[lc]!;
      const c = (code + LITERALS + 1) * 2;
      acc |= ltree[c]! << cnt;
      cnt += ltree[c + 1]!;
      if (cnt >= 16) {
        o[p++] = acc & 0xff;
        o[p++] = (acc >>> 8) & 0xff;
        acc >>>= 16;
        cnt -= 16;
      }
      let extra = EXTRA_LBITS[code]!;
      if (extra !== 0) {
        lc -= BASE_LENGTH[code]!;
        acc |= lc << cnt;
        cnt += extra;
        if (cnt >= 16) {
          o[p++] = acc & 0xff;
          o[p++] = (acc >>> 8) & 0xff;
          acc >>>= 16;
          cnt -= 16;
        }
      }
      dist--;
      code = dCode(dist);
      acc |= dtree[code * 2]! << cnt;
      cnt += dtree[code * 2 + 1]!;
      if (cnt >= 16) {
        o[p++] = acc & 0xff;
        o[p++] = (acc >>> 8) & 0xff;
        acc >>>= 16;
        cnt -= 16;
      }
      extra = EXTRA_DBITS[code]!;
      if (extra !== 0) {
        dist -= BASE_DIST[code]!;
        acc |= dist << cnt;
        cnt += extra;
      }
    }
    if (cnt >= 16) {
      o[p++] = acc & 0xff;
      o[p++] = (acc >>> 8) & 0xff;
      acc >>>= 16;
      cnt -= 16;
    }
  }
  pending = p;
  biBuf = acc & 0xffff;
  biValid = cnt;
  sendBits(ltree[END_BLOCK * 2]!, ltree[END_BLOCK * 2 + 1]!);
}

function tally(dist: number, lc: number): void {
  sym[symNext++] = dist;
  sym[symNext++] = dist >> 8;
  sym[symNext++] = lc;
  if (dist === 0) dynLtree[lc * 2]!++;
  else {
    dist--;
    dynLtree[(LENGTH_CODE[lc]! + LITERALS + 1) * 2]!++;
    dynDtree[dCode(dist) * 2]!++;
  }
}

/** zlib's longest_match at `strstart`; sets `matchStart`. */
function longestMatch(
  curMatch: number,
  strstart: number,
  prevLength: number,
  lookahead: number,
): number {
  let chainLength = MAX_CHAIN;
  let scan = strstart;
  let bestLen = prevLength;
  let niceMatch = NICE_MATCH;
  const strend = strstart + MAX_MATCH;
  let scanEnd1 = window[scan + bestLen - 1]!;
  let scanEnd = window[scan + bestLen]!;
  if (prevLength >= GOOD_MATCH) chainLength >>= 2;
  if (niceMatch > lookahead) niceMatch = lookahead;
  do {
    let match = curMatch;
    if (
      window[match + bestLen] !== scanEnd ||
      window[match + bestLen - 1] !== scanEnd1 ||
      window[match] !== window[scan] ||
      window[++match] !== window[scan + 1]
    )
      continue;
    scan += 2;
    match++;
    do;
    while (
      window[++scan] === window[++match] &&
      window[++scan] === window[++match] &&
      window[++scan] === window[++match] &&
      window[++scan] === window[++match] &&
      window[++scan] === window[++match] &&
      window[++scan] === window[++match] &&
      window[++scan] === window[++match] &&
      window[++scan] === window[++match] &&
      scan < strend
    );
    const len = MAX_MATCH - (strend - scan);
    scan = strend - MAX_MATCH;
    if (len > bestLen) {
      matchStart = curMatch;
      bestLen = len;
      if (len >= niceMatch) break;
      scanEnd1 = window[scan + bestLen - 1]!;
      scanEnd = window[scan + bestLen]!;
    }
  } while ((curMatch = prev[curMatch]!) > 0 && --chainLength !== 0);
  return bestLen <= lookahead ? bestLen : lookahead;
}

/**
 * `zlib.compress(data)` (level 6) for `data.length <= MAX_ONE_SHOT`.
 * @returns a new array with the zlib stream
 */
export function deflateOneShot(data: Uint8Array): Uint8Array {
  return deflateOneShotTransient(data).slice();
}

/**
 * {@link deflateOneShot} into the compressor's own output buffer, which the next call overwrites:
 * for a stream that is consumed at once (base64-encoded into a cookie) and never handed on.
 * @returns a view of the shared output buffer, valid until the next call
 */
export function deflateOneShotTransient(data: Uint8Array): Uint8Array {
  const len = data.length;
  if (len > MAX_ONE_SHOT) throw new RangeError('input too long for the one-shot compressor');
  window.set(data, 0);
  window.fill(0, len, len + MAX_MATCH + 8);
  if (epoch > 0x7fffffff - 2 * W_SIZE) {
    head.fill(0);
    epoch = 0;
  }
  // reset (deflateReset, _tr_init, init_block, lm_init)
  pending = 0;
  biBuf = 0;
  biValid = 0;
  dynLtree.fill(0, 0, L_CODES * 2);
  dynDtree.fill(0, 0, D_CODES * 2);
  blTree.fill(0, 0, BL_CODES * 2);
  dynLtree[END_BLOCK * 2] = 1;
  optLen = staticLen = 0;
  symNext = 0;
  // zlib header: CMF 0x78, FLG for level 6 (0x9c)
  out[pending++] = 0x78;
  out[pending++] = 0x9c;

  // fill_window with the classic hash: prime ins_h with the first two bytes
  let h = 0;
  if (len >= MIN_MATCH) h = ((window[0]! << HASH_SHIFT) ^ window[1]!) & HASH_MASK;

  // deflate_slow, on locals; INSERT_STRING inlined
  const ep = epoch;
  let strstart = 0;
  let lookahead = len;
  let matchLength = MIN_MATCH - 1;
  let matchAvailable = false;
  let prevLength = 0;
  let prevMatch = 0;
  matchStart = 0;
  while (lookahead !== 0) {
    let hashHead = 0;
    if (lookahead >= MIN_MATCH) {
      h = ((h << HASH_SHIFT) ^ window[strstart + 2]!) & HASH_MASK;
      const v = head[h]!;
      hashHead = v > ep ? v - ep : 0;
      prev[strstart] = hashHead;
      head[h] = strstart + ep;
    }
    prevLength = matchLength;
    prevMatch = matchStart;
    matchLength = MIN_MATCH - 1;
    if (hashHead !== 0 && prevLength < MAX_LAZY && strstart - hashHead <= MAX_DIST) {
      matchLength = longestMatch(hashHead, strstart, prevLength, lookahead);
      if (matchLength === MIN_MATCH && strstart - matchStart > TOO_FAR) matchLength = MIN_MATCH - 1;
    }
    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      const maxInsert = strstart + lookahead - MIN_MATCH;
      tally(strstart - 1 - prevMatch, prevLength - MIN_MATCH);
      lookahead -= prevLength - 1;
      prevLength -= 2;
      do {
        if (++strstart <= maxInsert) {
          h = ((h << HASH_SHIFT) ^ window[strstart + 2]!) & HASH_MASK;
          const v = head[h]!;
          prev[strstart] = v > ep ? v - ep : 0;
          head[h] = strstart + ep;
        }
      } while (--prevLength !== 0);
      matchAvailable = false;
      matchLength = MIN_MATCH - 1;
      strstart++;
    } else if (matchAvailable) {
      tally(0, window[strstart - 1]!);
      strstart++;
      lookahead--;
    } else {
      matchAvailable = true;
      strstart++;
      lookahead--;
    }
  }
  if (matchAvailable) tally(0, window[strstart - 1]!);

  // _tr_flush_block(s, buf = 0, stored_len = len, last = 1)
  buildTree(lDesc);
  buildTree(dDesc);
  walkTree(dynLtree, lDesc.maxCode, false);
  walkTree(dynDtree, dDesc.maxCode, false);
  buildTree(blDesc);
  let maxBlindex: number;
  for (maxBlindex = BL_CODES - 1; maxBlindex >= 3; maxBlindex--)
    if (blTree[BL_ORDER[maxBlindex]! * 2 + 1] !== 0) break;
  optLen += 3 * (maxBlindex + 1) + 5 + 5 + 4;
  let optLenb = (optLen + 3 + 7) >>> 3;
  const staticLenb = (staticLen + 3 + 7) >>> 3;
  if (staticLenb <= optLenb) optLenb = staticLenb;
  if (len + 4 <= optLenb) {
    // a stored block
    sendBits(1, 3);
    biWindup();
    putShort(len);
    putShort(~len);
    out.set(data, pending);
    pending += len;
  } else if (staticLenb === optLenb) {
    sendBits((1 << 1) + 1, 3);
    compressBlock(STATIC_LTREE, STATIC_DTREE);
  } else {
    sendBits((2 << 1) + 1, 3);
    const lcodes = lDesc.maxCode + 1;
    const dcodes = dDesc.maxCode + 1;
    const blcodes = maxBlindex + 1;
    sendBits(lcodes - 257, 5);
    sendBits(dcodes - 1, 5);
    sendBits(blcodes - 4, 4);
    for (let rank = 0; rank < blcodes; rank++) sendBits(blTree[BL_ORDER[rank]! * 2 + 1]!, 3);
    walkTree(dynLtree, lcodes - 1, true);
    walkTree(dynDtree, dcodes - 1, true);
    compressBlock(dynLtree, dynDtree);
  }
  biWindup();
  // the Adler-32 of the input, big-endian
  const adler = adler32(data, len);
  out[pending++] = adler >>> 24;
  out[pending++] = (adler >>> 16) & 0xff;
  out[pending++] = (adler >>> 8) & 0xff;
  out[pending++] = adler & 0xff;
  epoch += len + 1;
  return out.subarray(0, pending);
}
