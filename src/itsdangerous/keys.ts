/**
 * Secret keys: generate one, and warn about keys too short to be safe.
 * @module
 */

import { isBytes } from '../_internal/bytes.ts';
import type { SecretKey } from './signer.ts';

/**
 * Secrets shorter than this many bytes make `dumpSession` warn: a short secret can be found by
 * brute force from any one cookie (tools such as flask-unsign do exactly that), and whoever finds
 * it can forge any session.
 */
export const MIN_SECRET_BYTES = 16;

/**
 * A random secret key for `SECRET_KEY`: `bytes` random bytes from the platform's CSPRNG, as hex
 * (what Python's `secrets.token_hex(32)` gives).
 * @param bytes - number of random bytes. @default 32
 * @throws {@link RangeError} for fewer than 16 bytes
 * @example
 * ```ts
 * generateSecretKey(); // '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
 * ```
 */
export function generateSecretKey(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > 65536)
    throw new RangeError(
      `"bytes" must be an integer from ${MIN_SECRET_BYTES} to 65536, got ${bytes}`,
    );
  const b = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** The length of a secret in bytes (UTF-8 for strings). @internal */
export function secretLength(secret: SecretKey): number {
  return isBytes(secret) ? secret.length : new TextEncoder().encode(secret).length;
}

const warned = new Set<string>();

/**
 * Reports a secret shorter than {@link MIN_SECRET_BYTES}, once per secret. @internal
 * @throws {@link RangeError} when `policy` is 'throw'
 */
export function checkSecretStrength(secret: SecretKey, policy: 'warn' | 'throw' | 'ignore'): void {
  if (policy === 'ignore') return;
  const n = secretLength(secret);
  if (n >= MIN_SECRET_BYTES) return;
  const msg =
    `The secret key is ${n} bytes long; use at least ${MIN_SECRET_BYTES} random bytes (32 recommended), ` +
    'for example generateSecretKey() or `npx flask-session-cookie genkey`, and set the same SECRET_KEY in Flask.';
  if (policy === 'throw') throw new RangeError(msg);
  const id = typeof secret === 'string' ? secret : Array.from(secret).join(',');
  if (warned.has(id)) return;
  if (warned.size < 64) warned.add(id);
  console.warn(`flask-session-cookie: ${msg}`);
}
