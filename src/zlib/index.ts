/**
 * Python's `zlib.compress` and `zlib.decompress`, as itsdangerous uses them for compressed payloads.
 * Internal: nothing here is exported by the package. `deflate.ts` is a one-shot compressor that
 * writes canonical zlib's exact bytes (level 6), which a session cookie must match byte for byte;
 * `inflate.ts` decides as zlib does which streams it accepts; `format.ts` holds the tables of the
 * DEFLATE format both share. `test/zlib/zlib.test.ts` holds them to pako and to CPython's zlib.
 * @module
 */

import { deflate } from 'pako';
import { deflateOneShot, deflateOneShotTransient, MAX_ONE_SHOT } from './deflate.ts';
import { inflateZlib } from './inflate.ts';
import { nativeInflate } from './native.ts';

/**
 * Default cap on the size of a decompressed payload, in bytes. A 4 KB cookie can inflate to about
 * 4 MB (a zip bomb); real sessions are far below this cap.
 */
export const DEFAULT_MAX_DECOMPRESSED_SIZE: number = 1024 * 1024;

/**
 * zlib.compress(data) with CPython's defaults: level 6, zlib header, canonical zlib output. Inputs
 * up to 16,000 bytes (every session that fits a cookie) take the one-shot compressor, longer ones pako.
 */
export function zlibCompress(data: Uint8Array): Uint8Array {
  if (data.length <= MAX_ONE_SHOT) return deflateOneShot(data);
  return deflate(data, { level: 6, legacyHash: true } as Parameters<typeof deflate>[1]);
}

/**
 * {@link zlibCompress}, in a buffer that the next call may overwrite: for a stream consumed at once
 * and never handed on (the cookie payload is base64-encoded from it).
 */
export function zlibCompressTransient(data: Uint8Array): Uint8Array {
  if (data.length <= MAX_ONE_SHOT) return deflateOneShotTransient(data);
  return zlibCompress(data);
}

/**
 * The longest compressed stream the portable inflater takes even where a native one is there:
 * the measured crossover (Node 20, real session streams: at 150-300 bytes the portable one takes
 * 6-9 µs, the native one 7-14 µs; from about 350 bytes on the native one is as fast or faster).
 */
const PORTABLE_MAX_LENGTH = 300;

/**
 * zlib.decompress(data): a complete zlib stream is required, bytes after its end are ignored.
 *
 * Streams of up to {@link PORTABLE_MAX_LENGTH} bytes (most session cookies) go to the portable
 * inflater: there it is faster than the native one, whose set-up alone costs about 10 µs a call.
 * Longer ones take the runtime's native zlib where there is one (`native.ts`), if they declare the
 * 32 KiB window (header byte 0x78, what every zlib writer sends): then no window size or output
 * chunking can make zlib's own decisions differ between CPython and the runtime. Anything the
 * native inflater refuses, and every other stream, goes to the portable inflater, which gives
 * zlib's answer and its error.
 * @throws {@link RangeError} past `maxSize` bytes of output
 * @throws {@link Error} for an invalid or truncated stream
 */
export function zlibDecompress(
  data: Uint8Array,
  maxSize: number = DEFAULT_MAX_DECOMPRESSED_SIZE,
): Uint8Array {
  if (data.length > PORTABLE_MAX_LENGTH && data[0] === 0x78) {
    const out = nativeInflate(data, maxSize);
    if (out !== undefined) return out;
  }
  return inflateZlib(data, maxSize);
}
