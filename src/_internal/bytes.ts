/**
 * Byte helpers shared by the core: UTF-8 as Python encodes and decodes it, concatenation, and
 * `hmac.compare_digest`'s constant-time compare. Internal, as is everything in `src/_internal/`
 * (this file and `hmac-sha1.ts`, the HMAC-SHA1 that signs every cookie): nothing here is exported by
 * the package, and any of it may change in any release.
 * @module
 */

const encoder = /* @__PURE__ */ new TextEncoder();
const strictDecoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = /* @__PURE__ */ new TextDecoder('utf-8', { ignoreBOM: true });

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

let scratch = new Uint8Array(4096);

/**
 * UTF-8 bytes of a string in a shared buffer, valid until the next call (no allocation for the
 * ASCII text of signing and serializing). The caller zeroes them once used (`fill(0)`), so that the
 * buffer keeps no session. @internal
 */
export function asciiBytes(s: string): Uint8Array {
  // past 64 KiB an array of its own, so that one huge value does not keep a huge buffer alive;
  // and while the buffer is leased, every call gets one
  if (leased || s.length * 3 > 65536) return encoder.encode(s);
  if (s.length * 3 > scratch.length)
    scratch = new Uint8Array(Math.max(s.length * 3, scratch.length * 2));
  return scratch.subarray(0, encoder.encodeInto(s, scratch).written);
}

/** Whether {@link leaseAsciiBytes} holds the shared buffer. */
let leased = false;

/**
 * {@link asciiBytes} held until {@link releaseAsciiBytes}, for bytes that must stay intact while
 * code that may call back into the library runs (an option getter, a `Date` subclass): until then
 * every other call gets an array of its own. @internal
 */
export function leaseAsciiBytes(s: string): Uint8Array {
  const bytes = asciiBytes(s);
  if (bytes.buffer === scratch.buffer) leased = true;
  return bytes;
}

/** Zeroes leased bytes and gives the shared buffer back. @internal */
export function releaseAsciiBytes(bytes: Uint8Array): void {
  bytes.fill(0);
  if (bytes.buffer === scratch.buffer) leased = false;
}

/** Strict UTF-8 decode, like Python's `bytes.decode('utf-8')`: throws TypeError on invalid input. */
export function utf8DecodeStrict(b: Uint8Array): string {
  return strictDecoder.decode(b);
}

/** UTF-8 decode with U+FFFD for invalid sequences, like Python's `errors="replace"`. */
export function utf8DecodeReplace(b: Uint8Array): string {
  return lenientDecoder.decode(b);
}

/** Python's `want_bytes`: a string becomes its UTF-8 bytes, bytes stay as they are. */
export function wantBytes(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? encoder.encode(s) : s;
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths, like Python's
 * `hmac.compare_digest`: arrays of different lengths are unequal.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Index of the last occurrence of `needle` in `hay`, or -1 (like `bytes.rfind`). */
export function lastIndexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  const n = needle.length;
  outer: for (let i = hay.length - n; i >= 0; i--) {
    for (let j = 0; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Whether `needle` occurs in `hay` (Python's `needle in hay` for bytes). */
export function includesBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  return lastIndexOfBytes(hay, needle) !== -1;
}

/** Whether a value is a Uint8Array (or a subclass of it, such as Node's buffers). */
export function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array || (ArrayBuffer.isView(v) && v.constructor.name === 'Uint8Array');
}
