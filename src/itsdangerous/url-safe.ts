/**
 * URL-safe serializers: compact JSON, zlib-compressed when that saves at least 2 bytes (marked by a
 * leading `.`), URL-safe base64. Port of itsdangerous/url_safe.py.
 * @module
 */

import {
  DEFAULT_MAX_DECOMPRESSED_SIZE,
  zlibCompressTransient,
  zlibDecompress,
} from '../zlib/index.ts';
import { BadPayload } from './errors.ts';
import { base64Decode, base64DecodeTransient, base64Encode } from './encoding.ts';
import { asciiBytes, utf8DecodeStrict } from '../_internal/bytes.ts';
import { pyDumps, pyLoads } from '../python/json.ts';
import {
  Serializer,
  TimedSerializer,
  type PayloadSerializer,
  type SerializerOptions,
} from './serializer.ts';

export { DEFAULT_MAX_DECOMPRESSED_SIZE };

/** itsdangerous' `_CompactJSON`: `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))`. */
export const compactJSON: PayloadSerializer = {
  dumps: (obj) => pyDumps(obj, { ensureAscii: false, separators: [',', ':'] }),
  loads: (payload) => pyLoads(typeof payload === 'string' ? payload : utf8DecodeStrict(payload)),
};

/** `dump_payload` of the URL-safe mixin. @internal */
export function urlSafeDumpPayload(json: Uint8Array): Uint8Array {
  const shared = asciiBytes(urlSafePayloadText(json));
  const own = shared.slice();
  shared.fill(0);
  return own;
}

/** The payload segment for JSON bytes: compressed when that saves 2 bytes, then base64url. @internal */
export function urlSafePayloadText(json: Uint8Array): string {
  // only base64-encoded here: the compressor's own buffer, not a copy
  const compressed = zlibCompressTransient(json);
  const text =
    compressed.length < json.length - 1 ? '.' + base64Encode(compressed) : base64Encode(json);
  compressed.fill(0); // the compressor's buffer keeps no session
  return text;
}

/** `load_payload` of the URL-safe mixin, up to the JSON bytes. @internal */
export function urlSafeDecodePayload(payload: Uint8Array, maxDecompressedSize: number): Uint8Array {
  let decompress = false;
  if (payload[0] === 0x2e) {
    payload = payload.subarray(1);
    decompress = true;
  }
  let json: Uint8Array;
  try {
    // compressed bytes only feed the inflater, which copies nothing out of them: a scratch buffer
    json = decompress ? base64DecodeTransient(payload) : base64Decode(payload);
  } catch (e) {
    throw new BadPayload('Could not base64 decode the payload because of an exception', {
      cause: e,
    });
  }
  if (decompress) {
    const compressed = json;
    try {
      json = zlibDecompress(compressed, maxDecompressedSize);
    } catch (e) {
      throw new BadPayload('Could not zlib decompress the payload before decoding the payload', {
        cause: e,
      });
    } finally {
      compressed.fill(0); // the decoder's buffer keeps no payload
    }
  }
  return json;
}

/** Options of the URL-safe serializers. */
export interface URLSafeSerializerOptions extends SerializerOptions {
  /** Cap on the decompressed payload size in bytes. @default DEFAULT_MAX_DECOMPRESSED_SIZE (1 MiB) */
  maxDecompressedSize?: number | undefined;
}

/**
 * A {@link Serializer} whose output is URL-safe: compact JSON, compressed when it pays, base64url
 * (itsdangerous `URLSafeSerializer`).
 * @example
 * ```ts
 * const s = new URLSafeSerializer('secret-key', { salt: 'activate' });
 * const token = s.dumps([1, 2, 3]);
 * s.loads(token); // [1, 2, 3]
 * ```
 */
export class URLSafeSerializer extends Serializer {
  readonly maxDecompressedSize: number;
  constructor(
    secretKey: ConstructorParameters<typeof Serializer>[0],
    options: URLSafeSerializerOptions = {},
  ) {
    super(secretKey, options);
    this.maxDecompressedSize = options.maxDecompressedSize ?? DEFAULT_MAX_DECOMPRESSED_SIZE;
  }
  protected override defaultSerializer(): PayloadSerializer {
    return compactJSON;
  }
  override dumpPayload(obj: unknown): Uint8Array {
    return urlSafeDumpPayload(super.dumpPayload(obj));
  }
  override loadPayload(payload: Uint8Array, serializer?: PayloadSerializer): unknown {
    return super.loadPayload(urlSafeDecodePayload(payload, this.maxDecompressedSize), serializer);
  }
}

/**
 * A {@link TimedSerializer} with URL-safe output (itsdangerous `URLSafeTimedSerializer`): what
 * Flask signs its session cookie with, and what password-reset links usually use.
 * @example
 * ```ts
 * const s = new URLSafeTimedSerializer('secret-key', { salt: 'reset-password' });
 * const token = s.dumps('user@example.com');
 * s.loads(token, { maxAge: 3600 }); // 'user@example.com', or throws SignatureExpired
 * ```
 */
export class URLSafeTimedSerializer extends TimedSerializer {
  readonly maxDecompressedSize: number;
  constructor(
    secretKey: ConstructorParameters<typeof Serializer>[0],
    options: URLSafeSerializerOptions = {},
  ) {
    super(secretKey, options);
    this.maxDecompressedSize = options.maxDecompressedSize ?? DEFAULT_MAX_DECOMPRESSED_SIZE;
  }
  protected override defaultSerializer(): PayloadSerializer {
    return compactJSON;
  }
  override dumpPayload(obj: unknown): Uint8Array {
    return urlSafeDumpPayload(super.dumpPayload(obj));
  }
  override loadPayload(payload: Uint8Array, serializer?: PayloadSerializer): unknown {
    return super.loadPayload(urlSafeDecodePayload(payload, this.maxDecompressedSize), serializer);
  }
}
