/**
 * itsdangerous, ported: sign a value with HMAC and verify it (`Signer`), with the time of signing and
 * an expiry (`TimestampSigner`), serialize and sign whole objects (`Serializer`, `TimedSerializer`),
 * URL-safe and compressed (`URLSafeSerializer`, `URLSafeTimedSerializer`, what Flask's session cookie
 * is), with itsdangerous' lenient base64 and its error tree. One file per Python module: signer.py,
 * timed.py, serializer.py, url_safe.py, encoding.py, exc.py (here `errors.ts`); `keys.ts` makes and
 * checks secret keys.
 * @module
 */

export { Signer, HMACAlgorithm, NoneAlgorithm } from './signer.ts';
export type {
  SecretKey,
  SecretKeys,
  KeyDerivation,
  DigestMethod,
  SigningAlgorithm,
  SignerOptions,
} from './signer.ts';
export { TimestampSigner, MAX_TIMESTAMP } from './timed.ts';
export type { Clock, UnsignOptions, UnsignedWithTimestamp } from './timed.ts';
export { Serializer, TimedSerializer, pythonJSON } from './serializer.ts';
export type {
  PayloadSerializer,
  SerializerOptions,
  SignerClass,
  FallbackSigner,
  TimedLoadsOptions,
  LoadedWithTimestamp,
} from './serializer.ts';
export {
  URLSafeSerializer,
  URLSafeTimedSerializer,
  compactJSON,
  DEFAULT_MAX_DECOMPRESSED_SIZE,
} from './url-safe.ts';
export type { URLSafeSerializerOptions } from './url-safe.ts';
export { base64Encode, base64Decode, intToBytes, bytesToInt } from './encoding.ts';
export {
  BadData,
  BadSignature,
  BadTimeSignature,
  SignatureExpired,
  BadHeader,
  BadPayload,
  CookieTooLarge,
} from './errors.ts';
export type { ErrorCode } from './errors.ts';
export { generateSecretKey, MIN_SECRET_BYTES } from './keys.ts';
