/**
 * Serialize a value and sign it; load it back only if the signature verifies.
 * Port of itsdangerous/serializer.py (and `TimedSerializer` from timed.py).
 * @module
 */

import { BadPayload, BadSignature, SignatureExpired } from './errors.ts';
import { utf8DecodeStrict, wantBytes } from '../_internal/bytes.ts';
import { pyDumps, pyLoads } from '../python/json.ts';
import { makeKeysList, Signer, type SecretKeys, type SignerOptions } from './signer.ts';
import { TimestampSigner, timestampToDate, type Clock } from './timed.ts';

/** Turns values into text or bytes and back (Python's `json` module is the default). */
export interface PayloadSerializer {
  dumps(obj: unknown): string | Uint8Array;
  loads(payload: string | Uint8Array): unknown;
}

/** A signer class, as itsdangerous' `signer=` argument. */
export type SignerClass = new (secretKey: SecretKeys, options?: SignerOptions) => Signer;

/** A fallback signer: options for the default signer class, a class, or both. */
export type FallbackSigner = SignerOptions | SignerClass | readonly [SignerClass, SignerOptions];

/** Options of {@link Serializer}, named after itsdangerous' arguments. */
export interface SerializerOptions {
  /** Namespaces the signature; `null` leaves the signer's own default. @default 'itsdangerous' */
  salt?: string | Uint8Array | null | undefined;
  /** @default Python's `json` (`json.dumps` with its default separators, `json.loads`) */
  serializer?: PayloadSerializer | undefined;
  /** @default Signer (TimestampSigner for timed serializers) */
  signer?: SignerClass | undefined;
  /** Options for the signer: `keyDerivation`, `digestMethod`, `sep`. */
  signerKwargs?: SignerOptions | undefined;
  /** Other signer setups tried when the main one fails (to migrate digests, say). */
  fallbackSigners?: readonly FallbackSigner[] | undefined;
}

/** Python's `json` module with its defaults: `", "`/`": "` separators, ASCII-only text. */
export const pythonJSON: PayloadSerializer = {
  dumps: (obj) => pyDumps(obj),
  loads: (payload) => pyLoads(typeof payload === 'string' ? payload : utf8DecodeStrict(payload)),
};

/**
 * Serializes, signs, verifies and loads values (itsdangerous `Serializer`). `dumps` returns a
 * string when the payload serializer produces text.
 * @example
 * ```ts
 * const s = new Serializer('secret-key');
 * const token = s.dumps({ id: 5 });
 * s.loads(token); // { id: 5 }
 * ```
 */
export class Serializer {
  /** Keys, oldest first; the last one signs. */
  readonly secretKeys: readonly Uint8Array[];
  readonly salt: Uint8Array | null;
  readonly serializer: PayloadSerializer;
  readonly isTextSerializer: boolean;
  readonly signer: SignerClass;
  readonly signerKwargs: SignerOptions;
  readonly fallbackSigners: readonly FallbackSigner[];
  private readonly signers = new Map<string, Signer>();

  /**
   * @param secretKey - a key, or keys oldest to newest
   * @throws {@link TypeError} for a missing or badly typed key
   */
  constructor(secretKey: SecretKeys, options: SerializerOptions = {}) {
    this.secretKeys = makeKeysList(secretKey);
    if (this.secretKeys.length === 0) throw new TypeError('"secretKey" must hold at least one key');
    this.salt = options.salt === null ? null : wantBytes(options.salt ?? this.defaultSalt());
    this.serializer = options.serializer ?? this.defaultSerializer();
    this.isTextSerializer = typeof this.serializer.dumps({}) === 'string';
    this.signer = options.signer ?? this.defaultSigner();
    this.signerKwargs = options.signerKwargs ?? {};
    this.fallbackSigners = options.fallbackSigners ?? [];
  }

  /** @internal */
  protected defaultSalt(): string {
    return 'itsdangerous';
  }
  /** @internal */
  protected defaultSerializer(): PayloadSerializer {
    return pythonJSON;
  }
  /** @internal */
  protected defaultSigner(): SignerClass {
    return Signer;
  }

  /** The newest key. */
  get secretKey(): Uint8Array {
    return this.secretKeys[this.secretKeys.length - 1]!;
  }

  /** A signer for `salt` (the serializer's by default), made once and reused. */
  makeSigner(salt?: string | Uint8Array | null): Signer {
    const s = salt === undefined ? this.salt : salt === null ? null : wantBytes(salt);
    const id = s === null ? '' : '=' + Array.from(s).join(',');
    let signer = this.signers.get(id);
    if (!signer) {
      signer = new this.signer(this.secretKeys, { ...this.signerKwargs, salt: s });
      this.signers.set(id, signer);
    }
    return signer;
  }

  /** The main signer, then each fallback setup with each key. */
  *iterUnsigners(salt?: string | Uint8Array | null): Generator<Signer> {
    const s = salt === undefined ? this.salt : salt;
    yield this.makeSigner(s);
    for (const fb of this.fallbackSigners) {
      let cls: SignerClass;
      let kwargs: SignerOptions;
      if (typeof fb === 'function') [cls, kwargs] = [fb, this.signerKwargs];
      else if (Array.isArray(fb)) [cls, kwargs] = fb as readonly [SignerClass, SignerOptions];
      else [cls, kwargs] = [this.signer, fb as SignerOptions];
      for (const key of this.secretKeys) yield new cls(key, { ...kwargs, salt: s });
    }
  }

  /** Serializes a value to bytes. */
  dumpPayload(obj: unknown): Uint8Array {
    return wantBytes(this.serializer.dumps(obj));
  }

  /**
   * Deserializes a payload.
   * @throws {@link BadPayload} when the serializer fails (invalid UTF-8, invalid JSON...)
   */
  loadPayload(payload: Uint8Array, serializer?: PayloadSerializer): unknown {
    const use = serializer ?? this.serializer;
    const isText =
      serializer === undefined ? this.isTextSerializer : typeof use.dumps({}) === 'string';
    try {
      return use.loads(isText ? utf8DecodeStrict(payload) : payload);
    } catch (e) {
      throw new BadPayload(
        'Could not load the payload because an exception occurred on unserializing the data.',
        { cause: e },
      );
    }
  }

  /**
   * Serializes and signs a value.
   * @returns text for a text serializer, bytes otherwise
   */
  dumps(obj: unknown, salt?: string | Uint8Array | null): string {
    const signed = this.makeSigner(salt).sign(this.dumpPayload(obj));
    return this.isTextSerializer ? utf8DecodeStrict(signed) : (signed as unknown as string);
  }

  /**
   * Verifies and loads a signed value.
   * @throws {@link BadSignature} when no signer verifies it
   * @throws {@link BadPayload} when it verifies but cannot be loaded
   */
  loads(s: string | Uint8Array, salt?: string | Uint8Array | null): unknown {
    const bytes = wantBytes(s);
    let last: BadSignature | undefined;
    for (const signer of this.iterUnsigners(salt)) {
      let value: Uint8Array;
      try {
        value = signer.unsignBytes(bytes);
      } catch (e) {
        if (!(e instanceof BadSignature)) throw e;
        last = e;
        continue;
      }
      return this.loadPayload(value);
    }
    throw last!;
  }

  /**
   * Loads without failing on a bad signature (itsdangerous `loads_unsafe`), for debugging.
   * @returns `[true, value]` when verified; `[false, value]` with the UNVERIFIED value, or
   *   `[false, undefined]` when it cannot be loaded at all. Never trust the value of `[false, …]`.
   * @throws {@link BadPayload} when the signature verifies but the payload cannot be loaded (as in
   *   itsdangerous, only signature errors are absorbed)
   */
  loadsUnsafe(s: string | Uint8Array, salt?: string | Uint8Array | null): [boolean, unknown] {
    return this.loadsUnsafeImpl(() => this.loads(s, salt));
  }

  /** @internal */
  protected loadsUnsafeImpl(load: () => unknown): [boolean, unknown] {
    try {
      return [true, load()];
    } catch (e) {
      if (!(e instanceof BadSignature)) throw e;
      if (e.payload === undefined) return [false, undefined];
      try {
        return [false, this.loadPayload(e.payload)];
      } catch {
        return [false, undefined];
      }
    }
  }
}

/** Options of {@link TimedSerializer.loads}. */
export interface TimedLoadsOptions {
  /** Maximum age in seconds; older, or signed in the future, raises {@link SignatureExpired}. */
  maxAge?: number | undefined;
  /** The current time. @default now */
  now?: Clock | undefined;
  /** Seconds of clock skew to forgive, both ways (see `TimestampSigner.unsign`). @default 0 */
  clockTolerance?: number | undefined;
  salt?: string | Uint8Array | null | undefined;
}

/** A loaded value with the time it was signed. */
export interface LoadedWithTimestamp {
  value: unknown;
  timestamp: Date;
}

/**
 * A {@link Serializer} whose signatures carry the signing time (itsdangerous `TimedSerializer`).
 */
export class TimedSerializer extends Serializer {
  protected override defaultSigner(): SignerClass {
    return TimestampSigner;
  }

  /** Serializes and signs a value with the current time, or `now`. */
  override dumps(obj: unknown, salt?: string | Uint8Array | null, now?: Clock): string {
    const signer = this.makeSigner(salt);
    const payload = this.dumpPayload(obj);
    const signed =
      signer instanceof TimestampSigner ? signer.sign(payload, now) : signer.sign(payload);
    return this.isTextSerializer ? utf8DecodeStrict(signed) : (signed as unknown as string);
  }

  /**
   * Verifies, checks the age and loads. The first signer whose signature verifies decides: an
   * expired signature is not retried with other keys.
   * @throws {@link BadSignature} / {@link BadTimeSignature} when no signer verifies it
   * @throws {@link SignatureExpired} when `age > maxAge` or `age < 0`
   * @throws {@link BadPayload} when it verifies but cannot be loaded
   * @throws {@link RangeError} for a validly signed timestamp after year 9999 (Python's ValueError)
   */
  override loads(
    s: string | Uint8Array,
    options?: TimedLoadsOptions | string | Uint8Array | null,
  ): unknown {
    return this.loadsWithTimestamp(s, options).value;
  }

  /** {@link loads}, also returning when the value was signed. */
  loadsWithTimestamp(
    s: string | Uint8Array,
    options?: TimedLoadsOptions | string | Uint8Array | null,
  ): LoadedWithTimestamp {
    const o: TimedLoadsOptions =
      options === undefined ||
      options === null ||
      typeof options === 'string' ||
      options instanceof Uint8Array
        ? { salt: options }
        : options;
    const bytes = wantBytes(s);
    let last: BadSignature | undefined;
    for (const signer of this.iterUnsigners(o.salt)) {
      let value: Uint8Array;
      let ts: number | bigint;
      try {
        if (!(signer instanceof TimestampSigner))
          throw new TypeError('TimedSerializer needs a TimestampSigner');
        ({ value, ts } = signer.unsignTimed(bytes, o.maxAge, o.now, o.clockTolerance));
      } catch (e) {
        if (e instanceof SignatureExpired || !(e instanceof BadSignature)) throw e;
        last = e;
        continue;
      }
      const timestamp = timestampToDate(ts); // timed.py always asks for the timestamp
      return { value: this.loadPayload(value), timestamp };
    }
    throw last!;
  }

  /** {@link Serializer.loadsUnsafe} with an age check. */
  override loadsUnsafe(
    s: string | Uint8Array,
    options?: TimedLoadsOptions | string | Uint8Array | null,
  ): [boolean, unknown] {
    return this.loadsUnsafeImpl(() => this.loads(s, options));
  }
}
