/**
 * Python's `zlib.compress` and `zlib.decompress`, as itsdangerous uses them for compressed payloads.
 * Internal: nothing here is exported by the package. `deflate.ts` is a one-shot compressor that
 * writes canonical zlib's exact bytes (level 6), which a session cookie must match byte for byte;
 * `inflate.ts` decides as zlib does which streams it accepts; `format.ts` holds the tables of the
 * DEFLATE format both share. `test/zlib/zlib.test.ts` holds them to pako and to CPython's zlib.
 * @module
 */

import { deflate } from 'pako';
import { deflateOneShot, MAX_ONE_SHOT } from './deflate.ts';
import { inflateZlib } from './inflate.ts';

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
 * zlib.decompress(data): a complete zlib stream is required, bytes after its end are ignored.
 * @throws {@link RangeError} past `maxSize` bytes of output
 * @throws {@link Error} for an invalid or truncated stream
 */
export function zlibDecompress(
  data: Uint8Array,
  maxSize: number = DEFAULT_MAX_DECOMPRESSED_SIZE,
): Uint8Array {
  return inflateZlib(data, maxSize);
}
