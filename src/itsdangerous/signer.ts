/**
 * Sign and verify values with HMAC, and rotate keys. Port of itsdangerous/signer.py.
 * @module
 */

import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { BadSignature } from './errors.ts';
import { HmacSha1 } from '../_internal/hmac-sha1.ts';
import { base64Decode, base64Encode } from './encoding.ts';
import {
  asciiBytes,
  concatBytes,
  constantTimeEqual,
  includesBytes,
  isBytes,
  lastIndexOfBytes,
  utf8,
  utf8DecodeReplace,
  wantBytes,
} from '../_internal/bytes.ts';

/** A secret key: a string (used as its UTF-8 bytes, like Python's `want_bytes`) or bytes. */
export type SecretKey = string | Uint8Array;

/**
 * One secret key, or a list of keys ordered oldest to newest: the last one signs, all of them
 * verify, newest first (itsdangerous' key rotation).
 */
export type SecretKeys = SecretKey | readonly SecretKey[];

/** How the signing key is derived from the secret and the salt (itsdangerous `key_derivation`). */
export type KeyDerivation = 'concat' | 'django-concat' | 'hmac' | 'none';

/** A hash for HMAC: a name, or any @noble/hashes hash function (`CHash`). */
export type DigestMethod = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | CHash;

const DIGESTS: Record<string, CHash> = { sha1, sha224, sha256, sha384, sha512 };

/** Resolves a digest name or hash function. @internal */
export function resolveDigest(d: DigestMethod | undefined): CHash {
  if (d === undefined) return sha1;
  if (typeof d === 'string') {
    const h = DIGESTS[d];
    if (!h)
      throw new TypeError(
        `"digestMethod" must be one of ${Object.keys(DIGESTS).join(', ')}, got ${d}`,
      );
    return h;
  }
  if (typeof d !== 'function' || typeof (d as CHash).create !== 'function')
    throw new TypeError('"digestMethod" must be a digest name or a @noble/hashes hash function');
  return d;
}

/** Computes and checks signatures (itsdangerous `SigningAlgorithm`). */
export interface SigningAlgorithm {
  /** The raw signature of `value` under the derived `key`. */
  getSignature(key: Uint8Array, value: Uint8Array): Uint8Array;
  /** Whether `sig` is the signature of `value`; must compare in constant time. */
  verifySignature(key: Uint8Array, value: Uint8Array, sig: Uint8Array): boolean;
}

/** HMAC with a digest, SHA-1 by default (itsdangerous `HMACAlgorithm`). */
export class HMACAlgorithm implements SigningAlgorithm {
  /** The hash function HMAC uses. */
  readonly digestMethod: CHash;
  constructor(digestMethod?: DigestMethod) {
    this.digestMethod = resolveDigest(digestMethod);
  }
  getSignature(key: Uint8Array, value: Uint8Array): Uint8Array {
    return hmac(this.digestMethod, key, value);
  }
  verifySignature(key: Uint8Array, value: Uint8Array, sig: Uint8Array): boolean {
    return constantTimeEqual(sig, this.getSignature(key, value));
  }
}

/** An empty signature (itsdangerous `NoneAlgorithm`): provides no security at all. */
export class NoneAlgorithm implements SigningAlgorithm {
  getSignature(): Uint8Array {
    return new Uint8Array(0);
  }
  verifySignature(_key: Uint8Array, _value: Uint8Array, sig: Uint8Array): boolean {
    return constantTimeEqual(sig, new Uint8Array(0));
  }
}

/** Options of {@link Signer}, named after itsdangerous' arguments. */
export interface SignerOptions {
  /** Namespaces the signature. @default 'itsdangerous.Signer' */
  salt?: string | Uint8Array | null | undefined;
  /** Separator between value and signature; must not occur in `A-Za-z0-9-_=`. @default '.' */
  sep?: string | Uint8Array | undefined;
  /** @default 'django-concat' */
  keyDerivation?: KeyDerivation | undefined;
  /** Hash used for key derivation and HMAC. @default 'sha1' */
  digestMethod?: DigestMethod | undefined;
  /** Replaces HMAC entirely. @default new HMACAlgorithm(digestMethod) */
  algorithm?: SigningAlgorithm | undefined;
}

const BASE64_ALPHABET = /* @__PURE__ */ utf8(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=',
);
const SIGNER = /* @__PURE__ */ utf8('signer');

/** Normalises a key or a list of keys to bytes, oldest first. @internal */
export function makeKeysList(secretKey: SecretKeys, what = 'secretKey'): Uint8Array[] {
  const list: readonly unknown[] =
    typeof secretKey === 'string' || isBytes(secretKey)
      ? [secretKey]
      : (secretKey as readonly unknown[]);
  if (!Array.isArray(list))
    throw new TypeError(`"${what}" must be a string, a Uint8Array or an array of them`);
  return list.map((k, i) => {
    if (typeof k === 'string' || isBytes(k)) return wantBytes(k);
    throw new TypeError(`"${what}[${i}]" must be a string or a Uint8Array, got ${typeof k}`);
  });
}

/**
 * Signs values and verifies signatures, with one secret key or a list for rotation
 * (itsdangerous `Signer`). Derived keys are computed once, when the signer is made.
 * @example
 * ```ts
 * const s = new Signer('secret-key');
 * const token = s.sign('hello');      // 'hello.<27 chars>'
 * s.unsign(token);                    // 'hello'
 * ```
 */
export class Signer {
  /** The keys, oldest first; the last one signs. */
  readonly secretKeys: readonly Uint8Array[];
  readonly salt: Uint8Array;
  readonly sep: Uint8Array;
  readonly keyDerivation: KeyDerivation;
  readonly digestMethod: CHash;
  readonly algorithm: SigningAlgorithm;
  /** Derived keys, newest first, in the order verification tries them. */
  private readonly derived: Uint8Array[];
  /** With the default HMAC: one keyed HMAC state per derived key, cloned for each message. */
  private readonly macs: ReturnType<typeof hmac.create>[] | undefined;
  /** With HMAC-SHA1 (Flask's): keyed states of the built-in SHA-1, used without allocating. */
  private readonly sha1s: HmacSha1[] | undefined;
  private readonly scratch: ReturnType<typeof hmac.create> | undefined;
  private readonly macOut: Uint8Array | undefined;
  private readonly sepText: string;

  /**
   * @param secretKey - a key, or keys oldest to newest
   * @param options - salt, separator, key derivation, digest
   * @throws {@link TypeError} for a missing key or an unknown key derivation
   * @throws {@link RangeError} for a separator that can occur in a signature
   */
  constructor(secretKey: SecretKeys, options: SignerOptions = {}) {
    this.secretKeys = makeKeysList(secretKey);
    if (this.secretKeys.length === 0) throw new TypeError('"secretKey" must hold at least one key');
    this.sep = wantBytes(options.sep ?? '.');
    if (this.sep.length === 0 || includesBytes(BASE64_ALPHABET, this.sep))
      throw new RangeError(
        "The given separator cannot be used because it may be contained in the signature itself. ASCII letters, digits, and '-_=' must not be used.",
      );
    this.sepText = utf8DecodeReplace(this.sep);
    this.salt = wantBytes(options.salt ?? 'itsdangerous.Signer');
    const kd = options.keyDerivation ?? 'django-concat';
    if (!['concat', 'django-concat', 'hmac', 'none'].includes(kd))
      throw new TypeError(`Unknown key derivation method: ${String(kd)}`);
    this.keyDerivation = kd;
    this.digestMethod = resolveDigest(options.digestMethod);
    this.algorithm = options.algorithm ?? new HMACAlgorithm(this.digestMethod);
    this.derived = this.secretKeys.map((k) => this.deriveKey(k)).reverse();
    if (options.algorithm === undefined && this.digestMethod === sha1) {
      this.sha1s = this.derived.map((k) => new HmacSha1(k));
      this.macOut = new Uint8Array(20);
    } else if (options.algorithm === undefined) {
      // Keying HMAC hashes the key pads: do it once per key, then clone the keyed state per message.
      this.macs = this.derived.map((k) => hmac.create(this.digestMethod, k));
      this.scratch = hmac.create(this.digestMethod, this.derived[0]!);
      this.macOut = new Uint8Array(this.digestMethod.outputLen);
    }
  }

  /**
   * The raw signature of `value` under the derived key `keyIndex` (0 = newest). With the default
   * HMAC the result is a shared buffer, valid until the next call. @internal
   */
  macOf(keyIndex: number, value: Uint8Array): Uint8Array {
    if (this.sha1s !== undefined) {
      this.sha1s[keyIndex]!.macInto(value, this.macOut!);
      return this.macOut!;
    }
    const macs = this.macs;
    if (macs === undefined) return this.algorithm.getSignature(this.derived[keyIndex]!, value);
    macs[keyIndex]!._cloneInto(this.scratch);
    this.scratch!.update(value).digestInto(this.macOut!);
    return this.macOut!;
  }

  /** The newest key, the one that signs. */
  get secretKey(): Uint8Array {
    return this.secretKeys[this.secretKeys.length - 1]!;
  }

  /**
   * Derives the signing key from a secret (the newest by default), per `keyDerivation`.
   * @returns the derived key bytes
   */
  deriveKey(secretKey?: SecretKey): Uint8Array {
    const key = secretKey === undefined ? this.secretKey : wantBytes(secretKey);
    const h = this.digestMethod;
    switch (this.keyDerivation) {
      case 'concat':
        return h(concatBytes(this.salt, key));
      case 'django-concat':
        return h(concatBytes(this.salt, SIGNER, key));
      case 'hmac':
        return hmac(h, key, this.salt);
      default:
        return key;
    }
  }

  /** The signature of a text value under the newest key, without allocating for the bytes. @internal */
  signatureOfText(value: string): string {
    const bytes = asciiBytes(value);
    const sig = base64Encode(this.macOf(0, bytes));
    bytes.fill(0);
    return sig;
  }

  /** The base64 signature of `value` under the newest key, as text. */
  getSignature(value: string | Uint8Array): string {
    return base64Encode(this.macOf(0, wantBytes(value)));
  }

  /**
   * Appends the separator and the signature.
   * @returns a string for a string value, bytes for bytes
   */
  sign(value: string): string;
  sign(value: Uint8Array): Uint8Array;
  sign(value: string | Uint8Array): string | Uint8Array {
    if (typeof value === 'string') return value + this.sepText + this.getSignature(value);
    return concatBytes(value, this.sep, utf8(this.getSignature(value)));
  }

  /**
   * Whether `sig` (base64, decoded as leniently as Python does) signs `value` under any key,
   * trying the newest first.
   */
  verifySignature(value: string | Uint8Array, sig: string | Uint8Array): boolean {
    return this.verifyIndex(wantBytes(value), wantBytes(sig)) >= 0;
  }

  /** Which key verifies: 0 for the newest, 1 for the one before, ...; -1 for none. @internal */
  verifyIndex(value: Uint8Array, sig: Uint8Array): number {
    let raw: Uint8Array;
    try {
      raw = base64Decode(sig);
    } catch {
      return -1;
    }
    for (let i = 0; i < this.derived.length; i++) {
      const ok =
        this.macs || this.sha1s
          ? constantTimeEqual(raw, this.macOf(i, value))
          : this.algorithm.verifySignature(this.derived[i]!, value, raw);
      if (ok) return i;
    }
    return -1;
  }

  /**
   * Splits off and checks the signature.
   * @returns the value without its signature (a string for a string input)
   * @throws {@link BadSignature} when there is no separator or no key verifies the signature
   */
  unsign(signedValue: string): string;
  unsign(signedValue: Uint8Array): Uint8Array;
  unsign(signedValue: string | Uint8Array): string | Uint8Array {
    const value = this.unsignBytes(wantBytes(signedValue));
    return typeof signedValue === 'string' ? utf8DecodeReplace(value) : value;
  }

  /** {@link unsign} on bytes. @internal */
  unsignBytes(signed: Uint8Array): Uint8Array {
    return this.unsignIndex(signed).value;
  }

  /** {@link unsign} on bytes, also telling which key verified (0 = newest). @internal */
  unsignIndex(signed: Uint8Array): { value: Uint8Array; keyIndex: number } {
    const at = lastIndexOfBytes(signed, this.sep);
    if (at < 0) throw new BadSignature(`No "${this.sepText}" found in value`);
    const value = signed.subarray(0, at);
    const keyIndex = this.verifyIndex(value, signed.subarray(at + this.sep.length));
    if (keyIndex >= 0) return { value, keyIndex };
    throw new BadSignature('Signature does not match', { payload: value });
  }

  /** Whether the signed value carries a valid signature. */
  validate(signedValue: string | Uint8Array): boolean {
    try {
      this.unsignBytes(wantBytes(signedValue));
      return true;
    } catch (e) {
      if (e instanceof BadSignature) return false;
      throw e;
    }
  }
}
