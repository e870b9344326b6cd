/**
 * What Flask-Login writes into the session and the remember cookie: `login_user`, `logout_user`,
 * `confirm_login`, `login_fresh`, the session identifier (`_create_identifier`) and the remember
 * cookie's `encode_cookie` / `decode_cookie`. Port of flask_login/utils.py (0.6.3).
 * @module
 */

import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { constantTimeEqual, utf8 } from '../_internal/bytes.ts';
import type { SecretKey } from '../itsdangerous/signer.ts';
import type { Session } from '../flask/session-interface.ts';
import type { IdentifierAlgorithm } from './config.ts';

/**
 * The facts about a request that Flask-Login looks at. Header values are strings as the server
 * decoded them: Node's `http` and the Fetch API give one character per byte (latin-1), as WSGI does.
 */
export interface RequestFacts {
  /** A request header by name (any case), or undefined when it is missing. */
  header(name: string): string | null | undefined;
  /** The peer address (`request.remote_addr`), or undefined when unknown. */
  remoteAddr?: string | null | undefined;
}

/** Python's `repr(bytes)`: `b'...'`, double quotes when only `'` occurs, `\xNN` escapes. */
export function pythonBytesRepr(bytes: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of bytes) {
    if (b === 0x27) hasSingle = true;
    else if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = 'b' + String.fromCharCode(quote);
  for (const b of bytes) {
    if (b === quote || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += String.fromCharCode(b);
  }
  return out + String.fromCharCode(quote);
}

const header = (request: RequestFacts, name: string): string | undefined => {
  const v = request.header(name);
  return v === null || v === undefined ? undefined : v;
};

/** `bytes.strip()`: ASCII whitespace at both ends. */
function stripBytes(b: Uint8Array): Uint8Array {
  const ws = (x: number) => x === 0x20 || (x >= 0x09 && x <= 0x0d);
  let i = 0;
  let j = b.length;
  while (i < j && ws(b[i]!)) i++;
  while (j > i && ws(b[j - 1]!)) j--;
  return b.subarray(i, j);
}

/**
 * Flask-Login 0.6.3's `_get_remote_addr`: the first comma-separated entry of `X-Forwarded-For`
 * when the header is there (whoever sent it), else the peer address, as UTF-8 bytes.
 * @returns the bytes, or undefined when there is neither
 */
export function getRemoteAddr(request: RequestFacts): Uint8Array | undefined {
  const address = header(request, 'X-Forwarded-For') ?? request.remoteAddr ?? undefined;
  if (address === undefined) return undefined;
  const b = utf8(address);
  const comma = b.indexOf(0x2c);
  return stripBytes(comma === -1 ? b : b.subarray(0, comma));
}

/**
 * The session identifier Flask-Login stores as `_id`, a SHA-512 hex digest.
 * - '0.6' (Flask-Login 0.6.3's `_create_identifier`): `sha512(f"{addr}|{ua}")` where `addr` is
 *   {@link getRemoteAddr} and `ua` the User-Agent's UTF-8 bytes, both written as Python bytes reprs
 *   (`b'127.0.0.1'|b'curl/8.5.0'`), `None` for a missing one.
 * - 'main' (Flask-Login's main branch): `sha512(f"{remote_addr}|{user_agent}")`, no
 *   `X-Forwarded-For`, an empty string for a missing User-Agent.
 * @example
 * ```ts
 * createIdentifier({ header: (n) => req.headers[n.toLowerCase()], remoteAddr: '127.0.0.1' });
 * ```
 */
export function createIdentifier(
  request: RequestFacts,
  algorithm: IdentifierAlgorithm = '0.6',
): string {
  const ua = header(request, 'User-Agent');
  if (algorithm === 'main') {
    return bytesToHex(sha512(utf8(`${request.remoteAddr ?? 'None'}|${ua ?? ''}`)));
  }
  if (algorithm !== '0.6')
    throw new TypeError(`"identifier" must be '0.6' or 'main', got ${String(algorithm)}`);
  const addr = getRemoteAddr(request);
  const a = addr === undefined ? 'None' : pythonBytesRepr(addr);
  const u = ua === undefined ? 'None' : pythonBytesRepr(utf8(ua));
  return bytesToHex(sha512(utf8(`${a}|${u}`)));
}

/**
 * `_secret_key`: a string key as its latin-1 bytes.
 * @throws {@link TypeError} for a character above U+00FF (Python's UnicodeEncodeError)
 */
export function rememberKey(key: SecretKey): Uint8Array {
  if (key instanceof Uint8Array) return key;
  if (typeof key !== 'string') throw new TypeError('the secret key must be a string or bytes');
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c > 0xff)
      throw new TypeError(
        'Flask-Login encodes SECRET_KEY as latin-1: a key with characters above U+00FF fails in Flask too',
      );
    out[i] = c;
  }
  return out;
}

function cookieDigest(payload: string, key: SecretKey): string {
  return bytesToHex(hmac(sha512, rememberKey(key), utf8(payload)));
}

/**
 * `encode_cookie`: the remember cookie's value, `f"{payload}|{hmac_sha512(key, payload)}"`.
 * @throws {@link TypeError} for a key that is not latin-1 (see {@link rememberKey})
 * @example
 * ```ts
 * encodeCookie('42', SECRET_KEY); // '42|5d1f…' (128 hex digits)
 * ```
 */
export function encodeCookie(payload: string, key: SecretKey): string {
  return `${payload}|${cookieDigest(payload, key)}`;
}

/**
 * `decode_cookie`: the payload of a remember cookie whose digest verifies, else undefined. Compares
 * in constant time. (Python raises a TypeError for a non-ASCII digest; this returns undefined.)
 */
export function decodeCookie(cookie: string, key: SecretKey): string | undefined {
  if (typeof cookie !== 'string') return undefined;
  const bar = cookie.lastIndexOf('|');
  if (bar === -1) return undefined;
  const payload = cookie.slice(0, bar);
  const digest = cookie.slice(bar + 1);
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(digest)) return undefined;
  return constantTimeEqual(utf8(cookieDigest(payload, key)), utf8(digest)) ? payload : undefined;
}

/** `login_fresh()`: whether the login is fresh (`session["_fresh"]`, false when missing). */
export function loginFresh(session: Session): boolean {
  return session.get('_fresh') === true;
}

/** The logged-in user's id as stored (`session["_user_id"]`), as Flask-Login's loader gets it. */
export function sessionUserId(session: Session): string | undefined {
  const v = session.get('_user_id');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v === 'bigint') return String(v);
  return undefined;
}

/** Options of {@link loginUser}. */
export interface LoginUserOptions {
  /** Set the remember cookie when the response is sent. @default false */
  remember?: boolean | undefined;
  /** How long the remember cookie lasts, seconds (`duration`). @default REMEMBER_COOKIE_DURATION */
  duration?: number | undefined;
  /** Mark the login fresh. @default true */
  fresh?: boolean | undefined;
}

/**
 * `login_user`'s session writes: `_user_id`, `_fresh`, `_id`, and `_remember = "set"` (with
 * `_remember_seconds`) when remembering. (The `is_active` check is the caller's.)
 * @param userId - what the user's `get_id()` returns (`UserMixin`: `str(self.id)`)
 * @param identifier - the request's session identifier ({@link createIdentifier})
 * @throws {@link TypeError} for a non-string id or a negative or non-finite duration
 */
export function loginUser(
  session: Session,
  userId: string,
  identifier: string,
  options: LoginUserOptions = {},
): void {
  if (typeof userId !== 'string') throw new TypeError('"userId" must be a string (get_id())');
  const { remember = false, duration, fresh = true } = options;
  if (duration !== undefined && !(typeof duration === 'number' && Number.isFinite(duration)))
    throw new TypeError('"duration" must be a number of seconds');
  session.set('_user_id', userId);
  session.set('_fresh', Boolean(fresh));
  session.set('_id', identifier);
  if (remember) {
    session.set('_remember', 'set');
    if (duration !== undefined) session.set('_remember_seconds', duration);
  }
}

/**
 * `logout_user`'s session writes: removes `_user_id`, `_fresh`, `_id`; when the request carried a
 * remember cookie, sets `_remember = "clear"` (the cookie is deleted with the response) and removes
 * `_remember_seconds`.
 */
export function logoutUser(session: Session, hasRememberCookie: boolean): void {
  for (const k of ['_user_id', '_fresh', '_id']) if (session.has(k)) session.pop(k);
  if (hasRememberCookie) {
    session.set('_remember', 'clear');
    if (session.has('_remember_seconds')) session.pop('_remember_seconds');
  }
}

/** `confirm_login`: marks the login fresh again and stores the request's identifier. */
export function confirmLogin(session: Session, identifier: string): void {
  session.set('_fresh', true);
  session.set('_id', identifier);
}
