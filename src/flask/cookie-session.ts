/**
 * Flask's default session: `loadSession` reads it from a Cookie header and `dumpSession` writes the
 * Set-Cookie header, byte for byte as Flask 3.1's `SecureCookieSessionInterface` does.
 * Port of flask/sessions.py.
 * @module
 */

import {
  BadPayload,
  BadSignature,
  CookieTooLarge,
  SignatureExpired,
} from '../itsdangerous/errors.ts';
import {
  asciiBytes,
  isBytes,
  leaseAsciiBytes,
  releaseAsciiBytes,
  utf8DecodeStrict,
} from '../_internal/bytes.ts';
import { httpDate } from '../werkzeug/http-date.ts';
import {
  cookieSizeWarning,
  dumpCookie,
  getCookie,
  MAX_COOKIE_SIZE,
  type DumpCookieOptions,
} from '../werkzeug/cookie.ts';
import { isPlainObject } from '../python/json.ts';
import { Markup } from '../python/types.ts';
import { checkSecretStrength, MIN_SECRET_BYTES, secretLength } from '../itsdangerous/keys.ts';
import { makeKeysList, type SecretKey } from '../itsdangerous/signer.ts';
import { TaggedJSONSerializer, type SessionData, type SessionValue } from './tagged-json.ts';
import { TimestampSigner, timestampToDate, type Clock } from '../itsdangerous/timed.ts';
import {
  DEFAULT_MAX_DECOMPRESSED_SIZE,
  URLSafeTimedSerializer,
  urlSafeDecodePayload,
  urlSafePayloadText,
} from '../itsdangerous/url-safe.ts';
import { base64Encode, intToBytes } from '../itsdangerous/encoding.ts';

/** Flask's session salt (`SecureCookieSessionInterface.salt`). */
export const DEFAULT_SALT = 'cookie-session';
/** Flask's `PERMANENT_SESSION_LIFETIME` default: 31 days, in seconds. */
export const DEFAULT_PERMANENT_LIFETIME = 2678400;

/** Cookie attributes and signing settings shared by {@link loadSession} and {@link dumpSession}. */
export interface SessionConfig {
  /**
   * `SECRET_KEY_FALLBACKS`: old keys that still verify but never sign, oldest first as in
   * Flask's list (the last is tried first). Must be an array.
   */
  fallbacks?: readonly SecretKey[] | undefined;
  /** @default 'cookie-session' */
  salt?: string | undefined;
  /** `SESSION_COOKIE_NAME`. @default 'session' */
  cookieName?: string | undefined;
  /**
   * `PERMANENT_SESSION_LIFETIME` in seconds: the `Expires` of permanent sessions, and the maximum
   * age of every session on load (truncated to whole seconds, as Flask does).
   * @default 2678400 (31 days)
   */
  permanentLifetime?: number | undefined;
  /** The current time, a Date or Unix seconds. @default the clock */
  now?: Clock | undefined;
  /**
   * The session serializer (`SecureCookieSessionInterface.serializer`); pass your own
   * {@link TaggedJSONSerializer} when the Flask app registers custom tags on it.
   * @default Flask's TaggedJSONSerializer
   */
  serializer?: TaggedJSONSerializer | undefined;
}

/** Default {@link LoadSessionOptions.maxHeaderSize}: 64 KiB, four times Node's limit for all headers. */
export const DEFAULT_MAX_HEADER_SIZE = 65536;
/**
 * Default {@link LoadSessionOptions.maxValueSize}: 8 KiB. Browsers keep cookies up to about 4 KB
 * and common Python servers refuse header lines over 8190 bytes, so Flask never sees a longer one.
 */
export const DEFAULT_MAX_VALUE_SIZE = 8192;

/** Options of {@link loadSession}. */
export interface LoadSessionOptions extends SessionConfig {
  /**
   * Longest `Cookie` header read (all headers joined), in characters; a longer one is not parsed
   * and gives an empty session with status 'too-large'. @default 65536
   */
  maxHeaderSize?: number | undefined;
  /** Longest session cookie value read; longer gives status 'too-large'. @default 8192 */
  maxValueSize?: number | undefined;
  /**
   * Cap on the decompressed payload, in bytes; over it a validly signed cookie is `BadPayload`.
   * @default 1048576 (1 MiB)
   */
  maxDecompressedSize?: number | undefined;
  /** Cap on the nesting of the session data; deeper is `BadPayload`. @default 500 */
  maxDepth?: number | undefined;
  /**
   * Seconds of clock skew between servers to forgive, both ways (a cookie signed up to this many
   * seconds in the future, or expired by up to this many). Flask has none: a cookie Flask would
   * reject is accepted only when you set this. @default 0
   */
  clockTolerance?: number | undefined;
}

/** Options of {@link dumpSession}. */
export interface DumpSessionOptions extends SessionConfig {
  /** `SECRET_KEY`: the key that signs. Required. */
  secret: SecretKey;
  /** `SESSION_COOKIE_DOMAIN`. @default none (host-only cookie) */
  domain?: string | undefined;
  /** `SESSION_COOKIE_PATH`. @default '/' */
  path?: string | undefined;
  /** `SESSION_COOKIE_HTTPONLY`. @default true */
  httpOnly?: boolean | undefined;
  /** `SESSION_COOKIE_SECURE`. @default false */
  secure?: boolean | undefined;
  /** `SESSION_COOKIE_SAMESITE`: 'Strict', 'Lax' or 'None' (any case). @default none */
  sameSite?: string | undefined;
  /** `SESSION_COOKIE_PARTITIONED` (implies Secure). @default false */
  partitioned?: boolean | undefined;
  /**
   * Sets `session.permanent` before writing, as Flask stores it (`_permanent` in the data).
   * Left out, the data's own `_permanent` decides.
   */
  permanent?: boolean | undefined;
  /** Werkzeug's `MAX_COOKIE_SIZE`; 0 disables the check. @default 4093 */
  maxCookieSize?: number | undefined;
  /**
   * What to do when the header exceeds `maxCookieSize` (browsers may drop it: lost data):
   * `'warn'` logs Werkzeug's warning with `console.warn`, `'throw'` throws {@link CookieTooLarge},
   * a function receives the error. @default 'warn'
   */
  onOversize?: 'warn' | 'throw' | 'ignore' | ((error: CookieTooLarge) => void) | undefined;
  /**
   * What to do about a secret shorter than 16 bytes: `'warn'` once per secret with
   * `console.warn`, `'throw'` a RangeError, or `'ignore'`. @default 'warn'
   */
  weakSecret?: 'warn' | 'throw' | 'ignore' | undefined;
}

/**
 * What {@link readSession} found: a `'valid'` cookie, or why the session is empty: no cookie
 * (`'missing'`), no secret (`'no-secret'`, Flask's NullSession), a bad signature or format
 * (`'invalid'`), too old or dated in the future (`'expired'`), over a size limit (`'too-large'`).
 */
export type SessionStatus = 'valid' | 'missing' | 'no-secret' | 'invalid' | 'expired' | 'too-large';

/** What {@link readSession} found. `data` is always a session, empty unless `status` is 'valid'. */
export interface SessionReadResult {
  status: SessionStatus;
  data: SessionData;
  /** When the cookie was signed (valid and expired cookies). */
  issuedAt?: Date | undefined;
  /**
   * Which key verified a valid cookie: 0 for the secret, 1 for the newest fallback, and so on.
   * Anything but 0 means the cookie should be re-signed with the current key.
   */
  keyIndex?: number | undefined;
  /** The error behind 'invalid', 'expired' or 'too-large'. */
  error?: BadSignature | CookieTooLarge | undefined;
  /**
   * The signed payload segment of a valid cookie (`eyJ…` or `.eJ…`), which {@link refreshSession}
   * re-signs without serializing the data again.
   */
  payload?: string | undefined;
}

const serializer = /* @__PURE__ */ new TaggedJSONSerializer();

function checkFallbacks(fallbacks: unknown): readonly SecretKey[] {
  if (fallbacks === undefined || fallbacks === null) return [];
  if (typeof fallbacks === 'string' || isBytes(fallbacks))
    throw new TypeError(
      '"fallbacks" must be an array of keys, e.g. [oldKey]; a single string would be split into one-character keys by Flask',
    );
  if (!Array.isArray(fallbacks)) throw new TypeError('"fallbacks" must be an array of keys');
  return fallbacks as readonly SecretKey[];
}

function hasSecret(secret: unknown): secret is SecretKey {
  return (typeof secret === 'string' || isBytes(secret)) && secret.length > 0;
}

/** What signing needs for one (secret, fallbacks, salt): derived once, then reused. */
interface Signing {
  signer: TimestampSigner;
  /** The secret is shorter than MIN_SECRET_BYTES. */
  weak: boolean;
}

/**
 * Signing state by configuration, bounded. It holds derived keys, never session data. The id
 * spells out every key with its type and length, so two different key lists never share an entry
 * (`"a\0b"` alone is not `"a"` with fallback `"b"`).
 */
const signingStates = new Map<string, Signing>();
const SIGNING_STATES_MAX = 32;

function configId(secret: SecretKey, fallbacks: readonly SecretKey[], salt: string): string {
  let id = `${salt.length}:${salt}`;
  for (const k of [secret, ...fallbacks])
    id +=
      typeof k === 'string'
        ? `s${k.length}:${k}`
        : `b${k.length}:${Array.from(k, (x) => String.fromCharCode(x)).join('')}`;
  return id;
}

/** The configuration asked for most recently (one app, one secret: the usual case). */
let recent:
  { secret: string; fallbacks: readonly SecretKey[]; salt: string; signing: Signing } | undefined;

/**
 * The signer Flask builds for a configuration: keys `[...fallbacks, secret]`, salt, HMAC key
 * derivation, SHA-1; derived once per configuration.
 */
function signingState(secret: SecretKey, fallbacks: readonly SecretKey[], salt: string): Signing {
  const r = recent;
  if (
    r !== undefined &&
    r.secret === secret &&
    r.salt === salt &&
    r.fallbacks.length === fallbacks.length &&
    r.fallbacks.every((k, i) => typeof k === 'string' && k === fallbacks[i])
  )
    return r.signing;
  const id = configId(secret, fallbacks, salt);
  let signing = signingStates.get(id);
  if (signing === undefined) {
    const signer = new TimestampSigner(makeKeysList([...fallbacks, secret]), {
      salt,
      keyDerivation: 'hmac',
      digestMethod: 'sha1',
    });
    signing = { signer, weak: secretLength(secret) < MIN_SECRET_BYTES };
    if (signingStates.size >= SIGNING_STATES_MAX)
      signingStates.delete(signingStates.keys().next().value!);
    signingStates.set(id, signing);
  }
  if (typeof secret === 'string') recent = { secret, fallbacks: fallbacks.slice(), salt, signing };
  return signing;
}

/**
 * Python's truthiness, for `session.permanent` (Flask tests `if session.permanent`).
 */
function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === 0n || v === '') return false;
  if (Array.isArray(v) || isBytes(v)) return v.length > 0;
  if (v instanceof Markup) return v.value.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Whether a session is permanent (Flask's `session.permanent`). */
export function isPermanent(data: SessionData): boolean {
  return pyTruthy(data['_permanent']);
}

/**
 * What `SecureCookieSession(data)` makes of a loaded value: `dict(value)`; None is empty.
 * @throws {@link TypeError} where Flask 3.1 raises
 */
function toSessionDict(v: unknown): SessionData {
  if (isPlainObject(v)) return v as SessionData;
  if (v === null) return Object.create(null) as SessionData;
  const items: unknown[] | undefined =
    typeof v === 'string'
      ? Array.from(v)
      : v instanceof Markup
        ? Array.from(v.value)
        : Array.isArray(v)
          ? v
          : isBytes(v)
            ? Array.from(v)
            : undefined;
  if (!items) throw new TypeError(`cannot convert ${typeof v} to a session dict`);
  const out = Object.create(null) as SessionData;
  items.forEach((item, i) => {
    const pair =
      typeof item === 'string'
        ? Array.from(item)
        : item instanceof Markup
          ? Array.from(item.value)
          : item;
    if (!Array.isArray(pair) || pair.length !== 2)
      throw new TypeError(`dictionary update sequence element #${i} is not a pair`);
    if (typeof pair[0] !== 'string')
      throw new TypeError('only string keys are supported in a session');
    out[pair[0]] = pair[1] as SessionValue;
  });
  return out;
}

/**
 * Reads the session from a `Cookie` request header and says why it is empty when it is.
 * Same rules as {@link loadSession}.
 * @throws {@link BadPayload} for a validly signed cookie whose payload cannot be decoded
 * @throws {@link TypeError} for a `fallbacks` that is not an array
 * @example
 * ```ts
 * const r = readSession(req.headers.cookie, secret);
 * if (r.status === 'expired') console.log('signed at', r.issuedAt);
 * ```
 */
export function readSession(
  cookieHeader: string | readonly string[] | null | undefined,
  secret: SecretKey | null | undefined,
  options: LoadSessionOptions = {},
): SessionReadResult {
  const fallbacks = checkFallbacks(options.fallbacks);
  // get_signing_serializer returns None without a secret: NullSession, nothing is read.
  if (!hasSecret(secret)) return emptyRead('no-secret');
  const found = sessionCookie(cookieHeader, options);
  if (typeof found !== 'string') return found;
  // the cookie's bytes, in the shared buffer (leased: an option getter or a Date subclass that
  // calls back into the library gets its own), zeroed once the payload is decoded
  const bytes = leaseAsciiBytes(found);
  let unsigned: Unsigned;
  let json: Uint8Array;
  try {
    unsigned = unsignCookie(bytes, found, secret, fallbacks, options);
    if ('data' in unsigned) return unsigned;
    json = urlSafeDecodePayload(
      unsigned.payloadBytes,
      options.maxDecompressedSize ?? DEFAULT_MAX_DECOMPRESSED_SIZE,
    );
  } finally {
    releaseAsciiBytes(bytes);
  }
  const { payload, issuedAt, keyIndex } = unsigned;
  return { status: 'valid', data: loadPayload(json, options), issuedAt, keyIndex, payload };
}

function emptyRead(status: SessionStatus, extra?: Partial<SessionReadResult>): SessionReadResult {
  return { status, data: Object.create(null) as SessionData, ...extra };
}

/** `request.cookies.get(name)`, within the size limits: the value, or why there is none. */
function sessionCookie(
  cookieHeader: string | readonly string[] | null | undefined,
  options: LoadSessionOptions,
): string | SessionReadResult {
  const maxHeader = options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE;
  const headerSize =
    typeof cookieHeader === 'string'
      ? cookieHeader.length
      : Array.isArray(cookieHeader)
        ? cookieHeader.reduce((n, h) => n + String(h).length + 1, 0)
        : 0;
  if (headerSize > maxHeader)
    return emptyRead('too-large', {
      error: new CookieTooLarge(
        `The Cookie header is ${headerSize} characters long; the limit (maxHeaderSize) is ${maxHeader}`,
        headerSize,
        maxHeader,
      ),
    });
  const value = getCookie(cookieHeader, options.cookieName ?? 'session');
  if (!value) return emptyRead('missing');
  const maxValue = options.maxValueSize ?? DEFAULT_MAX_VALUE_SIZE;
  if (value.length > maxValue)
    return emptyRead('too-large', {
      error: new CookieTooLarge(
        `The session cookie is ${value.length} characters long; the limit (maxValueSize) is ${maxValue}`,
        value.length,
        maxValue,
      ),
    });
  return value;
}

/** A verified cookie's payload segment, or the read result that says why there is none. */
type Unsigned =
  | { payload: string; payloadBytes: Uint8Array; issuedAt: Date; keyIndex: number }
  | SessionReadResult;

/**
 * `TimestampSigner.unsign(value, max_age)` on the cookie's UTF-8 `bytes`: the signature with each
 * key (newest first, each key once), then the age. A rejected cookie is verified once.
 * @throws {@link BadPayload} for a valid signature on a timestamp after year 9999 (Flask: HTTP 500)
 */
function unsignCookie(
  bytes: Uint8Array,
  value: string,
  secret: SecretKey,
  fallbacks: readonly SecretKey[],
  options: LoadSessionOptions,
): Unsigned {
  const maxAge = Math.trunc(options.permanentLifetime ?? DEFAULT_PERMANENT_LIFETIME);
  const { signer } = signingState(secret, fallbacks, options.salt ?? DEFAULT_SALT);
  let r: { value: Uint8Array; ts: number | bigint; keyIndex: number };
  try {
    r = signer.unsignTimed(bytes, maxAge, options.now, options.clockTolerance ?? 0);
  } catch (e) {
    // the error handed back keeps its payload: a copy, out of the shared buffer
    if (e instanceof BadSignature && e.payload?.buffer === bytes.buffer)
      (e as { payload: Uint8Array }).payload = e.payload.slice();
    if (e instanceof SignatureExpired)
      return emptyRead('expired', { error: e, issuedAt: e.dateSigned });
    if (e instanceof BadSignature) return emptyRead('invalid', { error: e });
    if (e instanceof RangeError) throw yearAfter9999(e);
    throw e;
  }
  let issuedAt: Date;
  try {
    issuedAt = timestampToDate(r.ts);
  } catch (e) {
    throw yearAfter9999(e);
  }
  // an ASCII cookie's bytes are its characters: the payload text is a slice, not a decode
  const payload =
    bytes.length === value.length ? value.slice(0, r.value.length) : utf8DecodeStrict(r.value);
  return { payload, payloadBytes: r.value, issuedAt, keyIndex: r.keyIndex };
}

const yearAfter9999 = (cause: unknown) =>
  new BadPayload('The cookie is signed with a timestamp after year 9999', { cause });

/**
 * The end of `load_payload` (UTF-8, tagged JSON, from the bytes base64 and zlib gave), then
 * `SecureCookieSession(data)`.
 * @throws {@link BadPayload} when any step fails (Flask: HTTP 500)
 */
function loadPayload(json: Uint8Array, options: LoadSessionOptions): SessionData {
  try {
    return toSessionDict(
      (options.serializer ?? serializer).loads(utf8DecodeStrict(json), options.maxDepth),
    );
  } catch (e) {
    throw new BadPayload(
      'Could not load the payload because an exception occurred on unserializing the data.',
      { cause: e },
    );
  }
}

/**
 * Reads the session from a `Cookie` request header as Flask's `open_session` does: the first cookie
 * named `cookieName`, verified with the secret and then the fallbacks (newest first), at most
 * `permanentLifetime` seconds old and not dated in the future.
 * @param cookieHeader - the request's `Cookie` header (or several)
 * @param secret - `SECRET_KEY`; without one the session is always empty (Flask's NullSession)
 * @returns the session data; an empty session for a missing, tampered, wrongly signed, expired or
 *   future-dated cookie. Use {@link readSession} to learn why.
 * @throws {@link BadPayload} for a validly signed cookie whose payload cannot be decoded (Flask
 *   answers HTTP 500); only a holder of the secret can make one
 * @example
 * ```ts
 * const session = loadSession(req.headers.cookie, secret);
 * session.uname; // set by the Flask app
 * ```
 */
export function loadSession(
  cookieHeader: string | readonly string[] | null | undefined,
  secret: SecretKey | null | undefined,
  options: LoadSessionOptions = {},
): SessionData {
  return readSession(cookieHeader, secret, options).data;
}

/**
 * The signed cookie value alone (no attributes) for `data`, as Flask's serializer makes it.
 * @internal
 */
function sessionValue(
  data: SessionData,
  options: DumpSessionOptions,
  fallbacks: readonly SecretKey[],
  ts: number,
): string {
  const { signer } = signingState(options.secret, fallbacks, options.salt ?? DEFAULT_SALT);
  const tagged = options.serializer ?? serializer;
  // JSON bytes in a shared buffer, zeroed once compressed and encoded
  const json = tagged.dumpsBytes(data) ?? asciiBytes(tagged.dumps(data));
  const value = urlSafePayloadText(json) + '.' + timestampText(ts);
  json.fill(0);
  return value + '.' + signer.signatureOfText(value);
}

let lastTs = -1;
let lastTsText = '';
/** base64(int_to_bytes(ts)), for the second most recently asked (it is the same all second). */
function timestampText(ts: number): string {
  if (ts !== lastTs) {
    lastTsText = base64Encode(intToBytes(ts));
    lastTs = ts;
  }
  return lastTsText;
}

/**
 * The `Set-Cookie` header value Flask 3.1 sends for this session data, config and second.
 * Empty data gives the deletion header (Flask's `delete_cookie`), as when a view clears the session.
 * @param data - the session; `_permanent` (or the `permanent` option) makes it permanent
 * @returns the header value, e.g. `session=eyJhIjoxfQ.ZVPxAA.iJV_…; HttpOnly; Path=/`
 * @throws {@link TypeError} without a secret (Flask: "The session is unavailable because no secret
 *   key was set"), for a value Flask cannot store (undefined, a function, a Set…), or bad options
 * @throws {@link RangeError} for a date outside years 1..9999 or an integer past 4300 digits
 * @throws {@link CookieTooLarge} over `maxCookieSize` when `onOversize` is 'throw'
 * @example
 * ```ts
 * res.setHeader('Set-Cookie', dumpSession({ uname: 'momo' }, { secret, permanent: true }));
 * ```
 */
export function dumpSession(data: SessionData, options: DumpSessionOptions): string {
  if (!options || !hasSecret(options.secret))
    throw new TypeError(
      'The session is unavailable because no secret key was set. Set "secret" to the Flask app\'s SECRET_KEY.',
    );
  if (!isPlainObject(data)) throw new TypeError('"data" must be a plain object (the session dict)');
  const fallbacks = checkFallbacks(options.fallbacks);
  if (signingState(options.secret, fallbacks, options.salt ?? DEFAULT_SALT).weak)
    checkSecretStrength(options.secret, options.weakSecret ?? 'warn');
  let session = data;
  if (options.permanent !== undefined) {
    session = Object.assign(Object.create(null), data) as SessionData;
    session['_permanent'] = options.permanent;
  }
  const nowMs = clockMs(options.now);
  if (Object.keys(session).length === 0) return finishCookie('', false, nowMs, options);
  const value = sessionValue(session, options, fallbacks, Math.floor(nowMs / 1000));
  return finishCookie(value, isPermanent(session), nowMs, options);
}

/** The time in milliseconds of a {@link Clock}, or of now. */
function clockMs(now: Clock | undefined): number {
  if (now === undefined) return Date.now();
  const ms = now instanceof Date ? now.getTime() : now * 1000;
  if (!Number.isFinite(ms))
    throw new TypeError(`"now" must be a valid Date or a finite number, got ${String(now)}`);
  return ms;
}

/**
 * The Set-Cookie header for a signed value (or the deletion header for ''), with Flask's attributes,
 * then Werkzeug's size check.
 */
function finishCookie(
  value: string,
  permanent: boolean,
  nowMs: number,
  options: DumpSessionOptions,
): string {
  const name = options.cookieName ?? 'session';
  let header: string;
  if (value === '') {
    header = dumpCookie(name, '', { ...attributes(options), expires: 0, maxAge: 0 });
  } else {
    const parts = headerParts(options);
    header = parts.head + value + parts.domain;
    if (permanent) {
      const lifetime = options.permanentLifetime ?? DEFAULT_PERMANENT_LIFETIME;
      // datetime.now(utc) + timedelta(seconds=lifetime), to the microsecond, then floored
      header +=
        '; Expires=' +
        expiresText(Math.floor((Math.round(nowMs * 1000) + Math.round(lifetime * 1e6)) / 1e6));
    }
    header += parts.tail;
  }
  const limit = options.maxCookieSize ?? MAX_COOKIE_SIZE;
  const warning = cookieSizeWarning(name, value, header, limit);
  if (warning !== undefined) {
    const policy = options.onOversize ?? 'warn';
    const err = new CookieTooLarge(warning, header.length, limit);
    if (policy === 'throw') throw err;
    if (policy === 'warn') console.warn(warning);
    else if (typeof policy === 'function') policy(err);
  }
  return header;
}

/** The cookie attributes of the options, with Flask's defaults. */
function attributes(options: DumpSessionOptions): DumpCookieOptions {
  return {
    domain: options.domain,
    path: options.path ?? '/',
    secure: options.secure ?? false,
    httpOnly: options.httpOnly ?? true,
    sameSite: options.sameSite,
    partitioned: options.partitioned ?? false,
  };
}

/**
 * The fixed text around a cookie value, computed once per attribute set by Werkzeug's dump_cookie
 * itself: `name=`, then `; Domain=…`, then (after Expires) `; Secure; HttpOnly; Path=…; …`.
 */
interface HeaderParts {
  head: string;
  domain: string;
  tail: string;
}
const partsCache = new Map<string, HeaderParts>();
let lastOptions: DumpSessionOptions | undefined;
let lastParts: HeaderParts | undefined;
function headerParts(options: DumpSessionOptions): HeaderParts {
  // the same options object as last time (a server passes one per app): compared field by field
  const o = lastOptions;
  if (
    o !== undefined &&
    o.cookieName === options.cookieName &&
    o.domain === options.domain &&
    o.path === options.path &&
    o.secure === options.secure &&
    o.httpOnly === options.httpOnly &&
    o.sameSite === options.sameSite &&
    o.partitioned === options.partitioned
  )
    return lastParts!;
  lastParts = lookupParts(options);
  lastOptions = {
    secret: '',
    cookieName: options.cookieName,
    domain: options.domain,
    path: options.path,
    secure: options.secure,
    httpOnly: options.httpOnly,
    sameSite: options.sameSite,
    partitioned: options.partitioned,
  };
  return lastParts;
}

function lookupParts(options: DumpSessionOptions): HeaderParts {
  const name = options.cookieName ?? 'session';
  const key = `${name}\0${options.domain ?? ''}\0${options.path ?? '/'}\0${options.secure ?? false}\0${options.httpOnly ?? true}\0${options.sameSite ?? ''}\0${options.partitioned ?? false}`;
  let parts = partsCache.get(key);
  if (parts === undefined) {
    // Werkzeug's order: name=value, Domain, Expires, Max-Age, Secure, HttpOnly, Path, SameSite, ...
    const attrs = attributes(options);
    const withDomain = dumpCookie(name, '\0', { domain: attrs.domain });
    const full = dumpCookie(name, '\0', attrs);
    const cut = withDomain.indexOf('\0');
    parts = {
      head: withDomain.slice(0, cut),
      domain: withDomain.slice(cut + 1),
      tail: full.slice(withDomain.length),
    };
    if (partsCache.size >= 64) partsCache.delete(partsCache.keys().next().value!);
    partsCache.set(key, parts);
  }
  return parts;
}

let lastExpires = NaN;
let lastExpiresText = '';
/** http_date of an Expires second (the same for a whole second of requests). */
function expiresText(seconds: number): string {
  if (seconds !== lastExpires) {
    lastExpiresText = httpDate(seconds);
    lastExpires = seconds;
  }
  return lastExpiresText;
}

/**
 * Re-issues an unmodified session: the payload a valid {@link readSession} result carries is signed
 * again with the current time (and the current secret), and a permanent session gets a new
 * `Expires`. This is what Flask sends for a permanent session on every request
 * (`SESSION_REFRESH_EACH_REQUEST`), without serializing the data again. Only for a session whose
 * data was not changed: after a change, use {@link dumpSession}.
 * @param read - a `'valid'` result of {@link readSession}
 * @param options - as for {@link dumpSession} (`permanent` and the data's `_permanent` decide Expires)
 * @returns the Set-Cookie header value
 * @throws {@link TypeError} for a result that is not a valid session, or no secret
 * @example
 * ```ts
 * const r = readSession(req.headers.cookie, secret);
 * if (r.status === 'valid' && isPermanent(r.data)) res.setHeader('Set-Cookie', refreshSession(r, { secret }));
 * ```
 */
export function refreshSession(read: SessionReadResult, options: DumpSessionOptions): string {
  if (read?.status !== 'valid' || typeof read.payload !== 'string')
    throw new TypeError(
      'refreshSession needs a valid session read by readSession; use dumpSession otherwise',
    );
  if (!options || !hasSecret(options.secret))
    throw new TypeError(
      'The session is unavailable because no secret key was set. Set "secret" to the Flask app\'s SECRET_KEY.',
    );
  const fallbacks = checkFallbacks(options.fallbacks);
  const signing = signingState(options.secret, fallbacks, options.salt ?? DEFAULT_SALT);
  if (signing.weak) checkSecretStrength(options.secret, options.weakSecret ?? 'warn');
  const nowMs = clockMs(options.now);
  const signed = read.payload + '.' + timestampText(Math.floor(nowMs / 1000));
  const value = signed + '.' + signing.signer.signatureOfText(signed);
  const permanent = options.permanent ?? isPermanent(read.data);
  return finishCookie(value, permanent, nowMs, options);
}

/** Options of {@link getSigningSerializer}. */
export interface SigningSerializerOptions {
  secret: SecretKey;
  fallbacks?: readonly SecretKey[] | undefined;
  salt?: string | undefined;
  serializer?: TaggedJSONSerializer | undefined;
}

/**
 * The serializer Flask signs sessions with (`get_signing_serializer`): a
 * {@link URLSafeTimedSerializer} with keys `[...fallbacks, secret]`, salt `cookie-session`, HMAC
 * key derivation, SHA-1 and Flask's tagged JSON. For the cookie value alone, without attributes.
 * @example
 * ```ts
 * const s = getSigningSerializer({ secret });
 * const value = s.dumps({ a: 1 });             // 'eyJhIjoxfQ.ZVPxAA.…'
 * s.loads(value, { maxAge: 2678400 });         // { a: 1 }
 * ```
 */
export function getSigningSerializer(options: SigningSerializerOptions): URLSafeTimedSerializer {
  if (!hasSecret(options.secret)) throw new TypeError('"secret" is required');
  const fallbacks = checkFallbacks(options.fallbacks);
  return new URLSafeTimedSerializer([...fallbacks, options.secret], {
    salt: options.salt ?? DEFAULT_SALT,
    serializer: options.serializer ?? serializer,
    signerKwargs: { keyDerivation: 'hmac', digestMethod: 'sha1' },
  });
}
