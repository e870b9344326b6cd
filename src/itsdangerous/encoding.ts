/**
 * Base64 and integer encodings exactly as itsdangerous and CPython's `binascii` do them.
 * Port of itsdangerous/encoding.py.
 * @module
 */

import { BadData } from './errors.ts';
import { utf8, wantBytes } from '../_internal/bytes.ts';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Byte value -> 6-bit value, 255 for bytes outside the alphabet. Standard alphabet only. */
const DECODE_STD: Uint8Array = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256).fill(255);
  for (let i = 0; i < 64; i++) t[STD.charCodeAt(i)] = i;
  return t;
})();

const STD_CODES = /* @__PURE__ */ Uint8Array.from(STD, (c) => c.charCodeAt(0));
const URL_CODES = /* @__PURE__ */ Uint8Array.from(URL, (c) => c.charCodeAt(0));
const asciiDecoder = /* @__PURE__ */ new TextDecoder();
let encodeBuf = new Uint8Array(1024);

/** Base64 into a byte buffer of ASCII codes, decoded to a string once (far faster than `+=`). */
function encode(bytes: Uint8Array, codes: Uint8Array, pad: boolean): string {
  const n = bytes.length;
  const size = Math.ceil(n / 3) * 4;
  if (size > encodeBuf.length) encodeBuf = new Uint8Array(size * 2);
  const buf = encodeBuf;
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    buf[o++] = codes[v >>> 18]!;
    buf[o++] = codes[(v >>> 12) & 63]!;
    buf[o++] = codes[(v >>> 6) & 63]!;
    buf[o++] = codes[v & 63]!;
  }
  const rest = n - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    buf[o++] = codes[v >>> 18]!;
    buf[o++] = codes[(v >>> 12) & 63]!;
    if (pad) {
      buf[o++] = 0x3d;
      buf[o++] = 0x3d;
    }
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    buf[o++] = codes[v >>> 18]!;
    buf[o++] = codes[(v >>> 12) & 63]!;
    buf[o++] = codes[(v >>> 6) & 63]!;
    if (pad) buf[o++] = 0x3d;
  }
  const text = asciiDecoder.decode(buf.subarray(0, o));
  buf.fill(0, 0, o); // the buffer keeps no payload
  return text;
}

/**
 * URL-safe base64 without padding, as itsdangerous' `base64_encode`.
 * @param data - bytes, or a string taken as UTF-8
 * @returns the encoded text (alphabet `A-Z a-z 0-9 - _`)
 * @example
 * ```ts
 * base64Encode(new Uint8Array([0x65, 0x53, 0xf1, 0x00])); // 'ZVPxAA'
 * ```
 */
export function base64Encode(data: string | Uint8Array): string {
  return encode(wantBytes(data), URL_CODES, false);
}

/** Standard base64 with `=` padding, as Python's `base64.b64encode` (used by the `" b"` tag). */
export function b64encodeStandard(data: Uint8Array): string {
  return encode(data, STD_CODES, true);
}

/**
 * CPython's non-strict `binascii.a2b_base64` over bytes already translated to the standard
 * alphabet: bytes outside the alphabet are skipped, a pad sequence that completes a quad stops the
 * decoding, and a trailing partial quad is an error.
 * @returns the decoded bytes, or a string describing the error
 */
function a2bBase64(input: Uint8Array, urlSafe: boolean): Uint8Array | string {
  const out = new Uint8Array(Math.floor((input.length * 3) / 4) + 3);
  let o = 0;
  let quad = 0;
  let pads = 0;
  let left = 0;
  for (let i = 0; i < input.length; i++) {
    let ch = input[i]!;
    if (ch === 0x3d /* = */) {
      if (quad >= 2 && quad + ++pads >= 4) return out.subarray(0, o);
      continue;
    }
    // urlsafe_b64decode translates '-' to '+' and '_' to '/' before decoding
    if (urlSafe) {
      if (ch === 0x2d) ch = 0x2b;
      else if (ch === 0x5f) ch = 0x2f;
    }
    const v = DECODE_STD[ch]!;
    if (v === 255) continue;
    pads = 0;
    switch (quad) {
      case 0:
        quad = 1;
        left = v;
        break;
      case 1:
        quad = 2;
        out[o++] = (left << 2) | (v >> 4);
        left = v & 0x0f;
        break;
      case 2:
        quad = 3;
        out[o++] = ((left << 4) | (v >> 2)) & 0xff;
        left = v & 0x03;
        break;
      default:
        quad = 0;
        out[o++] = ((left << 6) | v) & 0xff;
        left = 0;
    }
  }
  if (quad === 1) return 'number of data characters cannot be 1 more than a multiple of 4';
  if (quad !== 0) return 'Incorrect padding';
  return out.subarray(0, o);
}

/** 6-bit value of each byte in the URL-safe alphabet, 255 otherwise. */
const DECODE_URL: Uint8Array = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256).fill(255);
  for (let i = 0; i < 64; i++) t[URL.charCodeAt(i)] = i;
  return t;
})();

/**
 * Decodes canonical unpadded base64url (only `A-Z a-z 0-9 - _`, length not 1 mod 4), where Python's
 * lenient decoder gives the same bytes; undefined for anything else, which takes the exact path.
 */
function decodeCanonical(b: Uint8Array, into?: Uint8Array): Uint8Array | undefined {
  const n = b.length;
  const rest = n & 3;
  if (rest === 1) return undefined;
  const size = (n >> 2) * 3 + (rest ? rest - 1 : 0);
  const out =
    into !== undefined && into.length >= size ? into.subarray(0, size) : new Uint8Array(size);
  const t = DECODE_URL;
  let i = 0;
  let o = 0;
  for (; i + 4 <= n; i += 4) {
    const a = t[b[i]!]!;
    const c = t[b[i + 1]!]!;
    const d = t[b[i + 2]!]!;
    const e = t[b[i + 3]!]!;
    if ((a | c | d | e) > 63) return undefined;
    const v = (a << 18) | (c << 12) | (d << 6) | e;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (rest) {
    const a = t[b[i]!]!;
    const c = t[b[i + 1]!]!;
    const d = rest === 3 ? t[b[i + 2]!]! : 0;
    if ((a | c | d) > 63) return undefined;
    const v = (a << 18) | (c << 12) | (d << 6);
    out[o++] = v >> 16;
    if (rest === 3) out[o++] = (v >> 8) & 0xff;
  }
  return out;
}

/**
 * Decodes URL-safe base64 exactly as itsdangerous' `base64_decode` does: padding is added, `+`/`-`
 * and `/`/`_` are both accepted, other characters are skipped, and a completed pad sequence ends
 * the input. This leniency is Python's; a signature that verifies in Flask verifies here.
 * @param data - text (taken as UTF-8 bytes) or bytes
 * @returns the decoded bytes
 * @throws {@link BadData} when the input is not decodable ("Invalid base64-encoded data")
 */
export function base64Decode(data: string | Uint8Array): Uint8Array {
  if (typeof data !== 'string') {
    const fast = decodeCanonical(data);
    if (fast !== undefined) return fast;
  }
  let bytes = typeof data === 'string' ? utf8(data) : data;
  const missing = (4 - (bytes.length % 4)) % 4;
  if (missing) {
    const padded = new Uint8Array(bytes.length + missing);
    padded.set(bytes);
    padded.fill(0x3d, bytes.length);
    bytes = padded;
  }
  const r = a2bBase64(bytes, true);
  if (typeof r === 'string')
    throw new BadData('Invalid base64-encoded data', { cause: new Error(r) });
  return r;
}

/** Scratch for {@link base64DecodeTransient}: overwritten by each call. */
let scratch = new Uint8Array(4096);

/**
 * {@link base64Decode}, into a buffer that the next call overwrites: for bytes that are consumed at
 * once (a compressed payload on its way to the inflater) and never handed on. The caller zeroes
 * them once used (`fill(0)`), so that the buffer keeps no payload. @internal
 */
export function base64DecodeTransient(data: Uint8Array): Uint8Array {
  if (data.length > scratch.length * 1.3 && data.length <= 65536)
    scratch = new Uint8Array(Math.ceil(data.length * 0.75) + 4);
  return decodeCanonical(data, scratch) ?? base64Decode(data);
}

/**
 * Python's `base64.b64decode(s)` (standard alphabet, not validating, no padding added), as used by
 * Flask's `" b"` tag. Only ASCII text is accepted, as in Python.
 * @throws {@link TypeError} for non-ASCII input or an incomplete final quad
 */
export function b64decodeStandard(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new TypeError('string argument should contain only ASCII characters');
    bytes[i] = c;
  }
  const r = a2bBase64(bytes, false);
  if (typeof r === 'string') throw new TypeError(`Invalid base64-encoded string: ${r}`);
  return r;
}

/**
 * itsdangerous' `int_to_bytes`: big-endian unsigned 64-bit with leading zero bytes stripped
 * (0 gives an empty array).
 * @throws {@link RangeError} for a value outside 0 .. 2**64-1 or not an integer
 */
export function intToBytes(num: number | bigint): Uint8Array {
  if (typeof num === 'number' && num >= 0 && Number.isSafeInteger(num)) {
    const out: number[] = [];
    for (let x = num; x > 0; x = Math.floor(x / 256)) out.unshift(x % 256);
    return Uint8Array.from(out);
  }
  let n: bigint;
  if (typeof num === 'bigint') n = num;
  else if (Number.isSafeInteger(num)) n = BigInt(num);
  else throw new RangeError(`"num" expected a safe integer, got ${num}`);
  if (n < 0n || n > 0xffffffffffffffffn)
    throw new RangeError(`"num" out of range 0..2**64-1: ${n}`);
  const out: number[] = [];
  while (n > 0n) {
    out.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return Uint8Array.from(out);
}

/**
 * itsdangerous' `bytes_to_int`: big-endian unsigned, at most 8 bytes.
 * @returns a number when it is a safe integer, otherwise a bigint
 * @throws {@link RangeError} for more than 8 bytes
 */
export function bytesToInt(bytes: Uint8Array): number | bigint {
  if (bytes.length > 8) throw new RangeError('expected at most 8 bytes');
  if (bytes.length <= 6) {
    let n = 0;
    for (const b of bytes) n = n * 256 + b;
    return n;
  }
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}
