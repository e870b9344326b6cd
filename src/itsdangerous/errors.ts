/**
 * The error tree of itsdangerous, with stable codes. Port of itsdangerous/exc.py.
 *
 * ```
 * BadData                      ERR_BAD_DATA
 * ├─ BadSignature              ERR_BAD_SIGNATURE        .payload
 * │  ├─ BadTimeSignature       ERR_BAD_TIME_SIGNATURE   .payload .dateSigned
 * │  │  └─ SignatureExpired    ERR_SIGNATURE_EXPIRED    .payload .dateSigned
 * │  └─ BadHeader              ERR_BAD_HEADER           .payload .header
 * └─ BadPayload                ERR_BAD_PAYLOAD          .cause (the original error)
 * CookieTooLarge (RangeError)  ERR_COOKIE_TOO_LARGE     .size .limit
 * ```
 * @module
 */

/** Every code an error of this library can carry. */
export type ErrorCode =
  | 'ERR_BAD_DATA'
  | 'ERR_BAD_SIGNATURE'
  | 'ERR_BAD_TIME_SIGNATURE'
  | 'ERR_SIGNATURE_EXPIRED'
  | 'ERR_BAD_HEADER'
  | 'ERR_BAD_PAYLOAD'
  | 'ERR_COOKIE_TOO_LARGE';

/**
 * Base class of all errors about signed data (itsdangerous `BadData`).
 * @example
 * ```ts
 * try { serializer.loads(token) } catch (e) {
 *   if (e instanceof BadData) { ... }          // or: (e as BadData).code?.startsWith('ERR_')
 * }
 * ```
 */
export class BadData extends Error {
  /** Stable machine-readable code; test it instead of the message. */
  readonly code: ErrorCode = 'ERR_BAD_DATA';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The signature does not match (itsdangerous `BadSignature`). Flask answers it with an empty
 * session.
 */
export class BadSignature extends BadData {
  override readonly code: ErrorCode = 'ERR_BAD_SIGNATURE';
  /** The part that was signed, as bytes, when it could be split off; it was NOT verified. */
  readonly payload: Uint8Array | undefined;
  constructor(message: string, options?: { payload?: Uint8Array | undefined; cause?: unknown }) {
    super(message, options);
    this.payload = options?.payload;
  }
}

/** The timestamp is missing or malformed, or the signature failed on a timed value. */
export class BadTimeSignature extends BadSignature {
  override readonly code: ErrorCode = 'ERR_BAD_TIME_SIGNATURE';
  /** When the value was signed, if the timestamp could be read (unverified unless expired). */
  readonly dateSigned: Date | undefined;
  constructor(
    message: string,
    options?: { payload?: Uint8Array | undefined; dateSigned?: Date | undefined; cause?: unknown },
  ) {
    super(message, options);
    this.dateSigned = options?.dateSigned;
  }
}

/**
 * The signature is valid but older than `maxAge`, or dated in the future (age < 0), as
 * itsdangerous' `SignatureExpired`. `dateSigned` is set.
 */
export class SignatureExpired extends BadTimeSignature {
  override readonly code: ErrorCode = 'ERR_SIGNATURE_EXPIRED';
}

/** A signed header could not be read (itsdangerous `BadHeader`, kept for API parity). */
export class BadHeader extends BadSignature {
  override readonly code: ErrorCode = 'ERR_BAD_HEADER';
  /** The header, if it could be read. */
  readonly header: unknown;
  constructor(
    message: string,
    options?: { payload?: Uint8Array | undefined; header?: unknown; cause?: unknown },
  ) {
    super(message, options);
    this.header = options?.header;
  }
}

/**
 * The signature was valid but the payload could not be decoded (base64, zlib, UTF-8, JSON or a
 * tag), as itsdangerous' `BadPayload`. Only the holder of the secret can produce it; Flask answers
 * it with HTTP 500, not with an empty session. The original error is in `cause`.
 */
export class BadPayload extends BadData {
  override readonly code: ErrorCode = 'ERR_BAD_PAYLOAD';
}

/**
 * A `Set-Cookie` value is longer than the limit browsers accept (Werkzeug's `MAX_COOKIE_SIZE`,
 * 4093 bytes). Thrown by `dumpSession` only when asked to (`onOversize: 'throw'`).
 */
export class CookieTooLarge extends RangeError {
  readonly code: ErrorCode = 'ERR_COOKIE_TOO_LARGE';
  /** The length of the whole header value. */
  readonly size: number;
  /** The limit it exceeded. */
  readonly limit: number;
  constructor(message: string, size: number, limit: number) {
    super(message);
    this.name = new.target.name;
    this.size = size;
    this.limit = limit;
  }
}
