/**
 * flask-session-cookie: read and write Flask session cookies from any JavaScript runtime, byte
 * for byte as Flask does, with a full port of itsdangerous.
 * @module
 */

// Flask sessions (flask/sessions.py)
export {
  loadSession,
  readSession,
  dumpSession,
  refreshSession,
  getSigningSerializer,
  isPermanent,
  DEFAULT_SALT,
  DEFAULT_PERMANENT_LIFETIME,
  DEFAULT_MAX_HEADER_SIZE,
  DEFAULT_MAX_VALUE_SIZE,
} from './session.ts';
export { generateSecretKey, MIN_SECRET_BYTES } from './keys.ts';
export type {
  SessionConfig,
  LoadSessionOptions,
  DumpSessionOptions,
  SessionStatus,
  SessionReadResult,
  SigningSerializerOptions,
} from './session.ts';

// Flask's session semantics for servers, flashed messages, config from Flask keys
export { Session, SessionInterface, flash, getFlashedMessages } from './session-interface.ts';
export type { SessionOptions, SaveResult, FlashedMessagesOptions } from './session-interface.ts';
export { flaskConfigFromEnv, sessionOptionsFromFlaskConfig } from './flask-config.ts';

// Server-side sessions shared with Flask-Session (flask_session), and MessagePack as msgspec writes it
export {
  ServerSideSessionInterface,
  ServerSideSession,
  MemoryStore,
  SessionStoreError,
} from './server-side.ts';
export type { ServerSideOptions, SessionStore } from './server-side.ts';
export { msgpackEncode, msgpackDecode, MsgpackError } from './msgpack.ts';
export type { FlaskSessionConfig } from './flask-config.ts';

// Flask's tagged JSON (flask/json/tag.py) and the Python types it carries
export { TaggedJSONSerializer, JSONTag } from './tagged-json.ts';
export type { SessionValue, SessionData, JSONTagClass, TaggedJSONOptions } from './tagged-json.ts';
export { tuple, isTuple, Markup, UUID } from './python-types.ts';
export type { Tuple } from './python-types.ts';

// itsdangerous
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

// Werkzeug cookies, dates and Python's JSON
export {
  parseCookieHeader,
  getCookie,
  dumpCookie,
  parseSetCookie,
  cookieHeader,
  MAX_COOKIE_SIZE,
} from './cookie.ts';
export type { DumpCookieOptions, SetCookie } from './cookie.ts';
export { httpDate, parseDate } from './http-date.ts';
export { pyDumps, pyLoads, pyFloatRepr, JSONDecodeError, DEFAULT_MAX_DEPTH } from './json.ts';
export type { JSONValue, JSONObject, DumpsOptions, LoadsOptions } from './json.ts';
