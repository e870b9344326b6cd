/**
 * Signatures that carry the time of signing and can expire. Port of itsdangerous/timed.py.
 * @module
 */

import { BadSignature, BadTimeSignature, SignatureExpired } from './errors.ts';
import { base64Decode, base64Encode, bytesToInt, intToBytes } from './encoding.ts';
import {
  concatBytes,
  includesBytes,
  lastIndexOfBytes,
  utf8,
  utf8DecodeReplace,
  wantBytes,
} from '../_internal/bytes.ts';
import { Signer } from './signer.ts';

/** A point in time: a `Date` or Unix seconds (fractions are dropped, as `int(time.time())`). */
export type Clock = Date | number;

/** The last second Python's `datetime` can hold: 9999-12-31T23:59:59Z. */
export const MAX_TIMESTAMP = 253402300799;

/** Unix seconds, floored, of a {@link Clock} or of now. @internal */
export function toUnixSeconds(now?: Clock): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  const ms = now instanceof Date ? now.getTime() : now * 1000;
  if (!Number.isFinite(ms))
    throw new TypeError(`"now" must be a valid Date or a finite number, got ${String(now)}`);
  return Math.floor(ms / 1000);
}

/**
 * itsdangerous' `timestamp_to_datetime`: Python's `datetime` ends in year 9999.
 * @throws {@link RangeError} past {@link MAX_TIMESTAMP}
 */
export function timestampToDate(ts: number | bigint): Date {
  if (typeof ts === 'bigint' || ts > MAX_TIMESTAMP)
    throw new RangeError(`year is out of range for timestamp ${ts}`);
  return new Date(ts * 1000);
}

/** Options of {@link TimestampSigner.unsign}. */
export interface UnsignOptions {
  /** Maximum age in seconds; older, or dated in the future, raises {@link SignatureExpired}. */
  maxAge?: number | undefined;
  /** The current time. @default now */
  now?: Clock | undefined;
  /**
   * Seconds of clock skew to forgive, both ways: ages from `-clockTolerance` to
   * `maxAge + clockTolerance` pass. itsdangerous and Flask have none. @default 0
   */
  clockTolerance?: number | undefined;
}

/** What {@link TimestampSigner.unsign} returns with `returnTimestamp: true`. */
export interface UnsignedWithTimestamp<T> {
  value: T;
  /** When it was signed. */
  timestamp: Date;
}

/**
 * Like {@link Signer}, but also signs the current time, so that signatures can expire
 * (itsdangerous `TimestampSigner`).
 * @example
 * ```ts
 * const s = new TimestampSigner('secret-key');
 * const token = s.sign('user-42');
 * s.unsign(token, { maxAge: 3600 }); // 'user-42', or throws SignatureExpired
 * ```
 */
export class TimestampSigner extends Signer {
  /** The current Unix time in whole seconds; override to change the clock. */
  getTimestamp(): number {
    return Math.floor(Date.now() / 1000);
  }

  /**
   * Signs `value` with the time (`now`, or {@link getTimestamp}).
   * @returns value + sep + timestamp + sep + signature
   */
  override sign(value: string, now?: Clock): string;
  override sign(value: Uint8Array, now?: Clock): Uint8Array;
  override sign(value: string | Uint8Array, now?: Clock): string | Uint8Array {
    const ts = now === undefined ? this.getTimestamp() : toUnixSeconds(now);
    const signed = concatBytes(wantBytes(value), this.sep, utf8(base64Encode(intToBytes(ts))));
    const out = concatBytes(signed, this.sep, utf8(this.getSignature(signed)));
    return typeof value === 'string' ? utf8DecodeReplace(out) : out;
  }

  /**
   * Checks the signature, then the timestamp and its age.
   * @returns the value (a string for a string input), with the timestamp if asked
   * @throws {@link BadSignature} / {@link BadTimeSignature} for a bad signature or timestamp
   * @throws {@link SignatureExpired} when `age > maxAge` or `age < 0`
   * @throws {@link RangeError} for a validly signed timestamp after year 9999 (Python's ValueError)
   */
  override unsign(
    signedValue: string,
    options?: UnsignOptions & { returnTimestamp?: false },
  ): string;
  override unsign(
    signedValue: Uint8Array,
    options?: UnsignOptions & { returnTimestamp?: false },
  ): Uint8Array;
  override unsign(
    signedValue: string,
    options: UnsignOptions & { returnTimestamp: true },
  ): UnsignedWithTimestamp<string>;
  override unsign(
    signedValue: Uint8Array,
    options: UnsignOptions & { returnTimestamp: true },
  ): UnsignedWithTimestamp<Uint8Array>;
  override unsign(
    signedValue: string | Uint8Array,
    options: UnsignOptions & { returnTimestamp?: boolean } = {},
  ): string | Uint8Array | UnsignedWithTimestamp<string | Uint8Array> {
    const r = this.unsignTimed(
      wantBytes(signedValue),
      options.maxAge,
      options.now,
      options.clockTolerance,
    );
    const value = typeof signedValue === 'string' ? utf8DecodeReplace(r.value) : r.value;
    if (options.returnTimestamp) return { value, timestamp: timestampToDate(r.ts) };
    return value;
  }

  /** The byte-level unsign; returns the raw timestamp. @internal */
  unsignTimed(
    signed: Uint8Array,
    maxAge: number | undefined,
    now: Clock | undefined,
    clockTolerance = 0,
  ): { value: Uint8Array; ts: number | bigint; keyIndex: number } {
    let result: Uint8Array;
    let keyIndex = -1;
    let sigError: BadSignature | undefined;
    try {
      ({ value: result, keyIndex } = this.unsignIndex(signed));
    } catch (e) {
      if (!(e instanceof BadSignature)) throw e;
      sigError = e;
      result = e.payload ?? new Uint8Array(0);
    }
    if (!includesBytes(result, this.sep)) {
      if (sigError) throw sigError;
      throw new BadTimeSignature('timestamp missing', { payload: result });
    }
    const at = lastIndexOfBytes(result, this.sep);
    const value = result.subarray(0, at);
    let ts: number | bigint | undefined;
    try {
      ts = bytesToInt(base64Decode(result.subarray(at + this.sep.length)));
    } catch {
      ts = undefined;
    }
    if (sigError) {
      let dateSigned: Date | undefined;
      if (ts !== undefined) {
        try {
          dateSigned = timestampToDate(ts);
        } catch (e) {
          throw new BadTimeSignature('Malformed timestamp', { payload: value, cause: e });
        }
      }
      throw new BadTimeSignature(sigError.message, { payload: value, dateSigned });
    }
    if (ts === undefined) throw new BadTimeSignature('Malformed timestamp', { payload: value });
    if (maxAge !== undefined) {
      const nowS = now === undefined ? this.getTimestamp() : toUnixSeconds(now);
      // timed.py: the age is checked both ways; a future timestamp (age < 0) is expired too.
      const age = typeof ts === 'bigint' ? -Infinity : nowS - ts;
      if (age > maxAge + clockTolerance)
        throw new SignatureExpired(`Signature age ${age} > ${maxAge} seconds`, {
          payload: value,
          dateSigned: timestampToDate(ts),
        });
      if (age < -clockTolerance)
        throw new SignatureExpired(`Signature age ${age} < 0 seconds`, {
          payload: value,
          dateSigned: timestampToDate(ts),
        });
    }
    return { value, ts, keyIndex };
  }

  /** Whether the value carries a valid, unexpired signature. */
  override validate(signedValue: string | Uint8Array, maxAge?: number): boolean {
    try {
      this.unsignTimed(wantBytes(signedValue), maxAge, undefined);
      return true;
    } catch (e) {
      if (e instanceof BadSignature) return false;
      throw e;
    }
  }
}
