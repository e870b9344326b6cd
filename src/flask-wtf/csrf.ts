/**
 * Flask-WTF's CSRF protection, shared with a Flask app: `generate_csrf` (the raw token in
 * `session["csrf_token"]`, the form token signed by `URLSafeTimedSerializer` with the salt
 * "wtf-csrf-token" and itsdangerous' default django-concat key derivation), `validate_csrf` with
 * Flask-WTF's exact messages, and `CSRFProtect`'s rules (methods, form field, headers, SSL strict
 * Referer check), which answer 400 with the same reason. Port of flask_wtf/csrf.py (1.3.0).
 * @module
 */

import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { BadData, SignatureExpired } from '../itsdangerous/errors.ts';
import type { SecretKey } from '../itsdangerous/signer.ts';
import type { Clock } from '../itsdangerous/timed.ts';
import { URLSafeTimedSerializer } from '../itsdangerous/url-safe.ts';
import type { Session } from '../flask/session-interface.ts';

/** The salt Flask-WTF signs form tokens with. */
export const CSRF_SALT = 'wtf-csrf-token';

/** Flask-WTF's reasons, each the text of its 400 answer. */
export const CSRF_MESSAGES = {
  missing: 'The CSRF token is missing.',
  sessionMissing: 'The CSRF session token is missing.',
  expired: 'The CSRF token has expired.',
  invalid: 'The CSRF token is invalid.',
  mismatch: 'The CSRF tokens do not match.',
  referrerMissing: 'The referrer header is missing.',
  referrerMismatch: 'The referrer does not match the host.',
} as const;

/** Which check failed. */
export type CSRFErrorCode =
  | 'ERR_CSRF_MISSING'
  | 'ERR_CSRF_SESSION_MISSING'
  | 'ERR_CSRF_EXPIRED'
  | 'ERR_CSRF_INVALID'
  | 'ERR_CSRF_MISMATCH'
  | 'ERR_CSRF_REFERRER_MISSING'
  | 'ERR_CSRF_REFERRER_MISMATCH';

const CODES: Record<string, CSRFErrorCode> = {
  [CSRF_MESSAGES.missing]: 'ERR_CSRF_MISSING',
  [CSRF_MESSAGES.sessionMissing]: 'ERR_CSRF_SESSION_MISSING',
  [CSRF_MESSAGES.expired]: 'ERR_CSRF_EXPIRED',
  [CSRF_MESSAGES.invalid]: 'ERR_CSRF_INVALID',
  [CSRF_MESSAGES.mismatch]: 'ERR_CSRF_MISMATCH',
  [CSRF_MESSAGES.referrerMissing]: 'ERR_CSRF_REFERRER_MISSING',
  [CSRF_MESSAGES.referrerMismatch]: 'ERR_CSRF_REFERRER_MISMATCH',
};

/**
 * A refused CSRF token (Flask-WTF's `ValidationError` / `CSRFError`): `message` is Flask-WTF's
 * text, `code` says which check failed.
 * @example
 * ```ts
 * try { validateCsrf(session, token, { secret }) } catch (e) {
 *   if (e instanceof CSRFError && e.code === 'ERR_CSRF_EXPIRED') { ... }
 * }
 * ```
 */
export class CSRFError extends Error {
  readonly code: CSRFErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CSRFError';
    this.code = CODES[message] ?? 'ERR_CSRF_INVALID';
  }
}

/** Options shared by {@link generateCsrf} and {@link validateCsrf}. */
export interface CsrfTokenOptions {
  /** `WTF_CSRF_SECRET_KEY`, else `SECRET_KEY` (a string is used as UTF-8). */
  secret: SecretKey;
  /** `WTF_CSRF_FIELD_NAME`: the session key of the raw token. @default 'csrf_token' */
  fieldName?: string | undefined;
  /** The clock, for tests. @default now */
  now?: Clock | undefined;
}

/** Options of {@link validateCsrf}. */
export interface ValidateCsrfOptions extends CsrfTokenOptions {
  /** `WTF_CSRF_TIME_LIMIT`, seconds; null for no limit. @default 3600 */
  timeLimit?: number | null | undefined;
}

const serializer = (secret: SecretKey) => new URLSafeTimedSerializer(secret, { salt: CSRF_SALT });

/** `hashlib.sha1(os.urandom(64)).hexdigest()`, with the runtime's CSPRNG. */
function newRawToken(): string {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (!c?.getRandomValues) throw new Error('crypto.getRandomValues is required for CSRF tokens');
  return bytesToHex(sha1(c.getRandomValues(new Uint8Array(64))));
}

/**
 * `generate_csrf`: the signed token for a form or a `X-CSRFToken` header. Stores a new raw token in
 * the session when there is none (or it cannot be serialized), so the session is then saved.
 * Flask-WTF caches the token for the request; the adapters do the same.
 * @example
 * ```ts
 * const token = generateCsrf(req.session, { secret: SECRET_KEY });
 * res.send(`<input type="hidden" name="csrf_token" value="${token}">`);
 * ```
 */
export function generateCsrf(session: Session, options: CsrfTokenOptions): string {
  const field = options.fieldName ?? 'csrf_token';
  const s = serializer(options.secret);
  if (!session.has(field)) session.set(field, newRawToken());
  try {
    return s.dumps(session.get(field), undefined, options.now);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    session.set(field, newRawToken());
    return s.dumps(session.get(field), undefined, options.now);
  }
}

/**
 * `validate_csrf`: checks a signed token against the session's raw token.
 * @throws {@link CSRFError} with Flask-WTF's message: "The CSRF token is missing.", "The CSRF
 *   session token is missing.", "The CSRF token has expired.", "The CSRF token is invalid.",
 *   "The CSRF tokens do not match."
 */
export function validateCsrf(
  session: Session,
  data: string | null | undefined,
  options: ValidateCsrfOptions,
): void {
  const field = options.fieldName ?? 'csrf_token';
  const timeLimit = options.timeLimit === undefined ? 3600 : options.timeLimit;
  if (!data) throw new CSRFError(CSRF_MESSAGES.missing);
  if (!session.has(field)) throw new CSRFError(CSRF_MESSAGES.sessionMissing);
  let token: unknown;
  try {
    token = serializer(options.secret).loads(data, {
      maxAge: timeLimit ?? undefined,
      now: options.now,
    });
  } catch (e) {
    if (e instanceof SignatureExpired) throw new CSRFError(CSRF_MESSAGES.expired, { cause: e });
    if (e instanceof BadData || e instanceof RangeError || e instanceof TypeError)
      throw new CSRFError(CSRF_MESSAGES.invalid, { cause: e });
    throw e;
  }
  const raw = session.get(field);
  // hmac.compare_digest on two strings; Python raises a TypeError (a 500) for other types
  if (typeof raw !== 'string' || typeof token !== 'string' || !equalStrings(raw, token))
    throw new CSRFError(CSRF_MESSAGES.mismatch);
}

/** Constant-time string comparison (lengths leak, as in `hmac.compare_digest`). */
function equalStrings(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The parts of `urllib.parse.urlparse` that `same_origin` compares. */
function originOf(uri: string): { scheme: string; hostname: string | null; port: number | null } {
  // urlsplit: leading C0 controls and spaces go, tabs and newlines anywhere go
  // eslint-disable-next-line no-control-regex
  let url = uri.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  let netloc = '';
  if (url.startsWith('//')) {
    const rest = url.slice(2);
    const end = rest.search(/[/?#]/);
    netloc = end === -1 ? rest : rest.slice(0, end);
  }
  const hostinfo = netloc.slice(netloc.lastIndexOf('@') + 1);
  let hostname: string;
  let port: string;
  const br = hostinfo.indexOf('[');
  if (br !== -1) {
    const bracketed = hostinfo.slice(br + 1);
    const close = bracketed.indexOf(']');
    hostname = close === -1 ? bracketed : bracketed.slice(0, close);
    const after = close === -1 ? '' : bracketed.slice(close + 1);
    const c = after.indexOf(':');
    port = c === -1 ? '' : after.slice(c + 1);
  } else {
    const c = hostinfo.indexOf(':');
    hostname = c === -1 ? hostinfo : hostinfo.slice(0, c);
    port = c === -1 ? '' : hostinfo.slice(c + 1);
  }
  let portNumber: number | null = null;
  if (port) {
    if (!/^[0-9]+$/.test(port)) throw new RangeError(`Port could not be cast to integer: ${port}`);
    portNumber = Number(port);
    if (portNumber > 65535) throw new RangeError('Port out of range 0-65535');
  }
  return { scheme, hostname: hostname ? hostname.toLowerCase() : null, port: portNumber };
}

/**
 * Flask-WTF's `same_origin`: same scheme, host name and port as `urlparse` reads them. A port
 * Python cannot read (a 500 in Flask) counts as another origin.
 */
export function sameOrigin(currentUri: string, compareUri: string): boolean {
  try {
    const a = originOf(currentUri);
    const b = originOf(compareUri);
    return a.scheme === b.scheme && a.hostname === b.hostname && a.port === b.port;
  } catch {
    return false;
  }
}

/** The facts about a request that `CSRFProtect` looks at. */
export interface CsrfRequest {
  /** The HTTP method, e.g. 'POST'. */
  method: string;
  /** A request header by name (any case), or undefined. */
  header(name: string): string | null | undefined;
  /**
   * The form fields (`request.form`) in order, for a urlencoded or multipart body: a
   * `URLSearchParams`, a `FormData`, `[name, value]` pairs or a parsed body object (the first
   * value of an array counts, as `MultiDict.get` does). Omit it when the body is not a form.
   */
  form?: Iterable<readonly [string, unknown]> | Record<string, unknown> | null | undefined;
  /** Whether the request came over HTTPS (`request.is_secure`). */
  secure?: boolean | undefined;
}

/** Options of {@link CSRFProtect}: Flask-WTF's `WTF_CSRF_*` config keys with their defaults. */
export interface CSRFProtectOptions {
  /** `WTF_CSRF_SECRET_KEY` or `SECRET_KEY`. */
  secret: SecretKey;
  /** `WTF_CSRF_ENABLED`. @default true */
  enabled?: boolean | undefined;
  /** `WTF_CSRF_CHECK_DEFAULT`: check every request before the view. @default true */
  checkDefault?: boolean | undefined;
  /** `WTF_CSRF_METHODS`. @default ['POST', 'PUT', 'PATCH', 'DELETE'] */
  methods?: readonly string[] | undefined;
  /** `WTF_CSRF_FIELD_NAME`. @default 'csrf_token' */
  fieldName?: string | undefined;
  /** `WTF_CSRF_HEADERS`. @default ['X-CSRFToken', 'X-CSRF-Token'] */
  headers?: readonly string[] | undefined;
  /** `WTF_CSRF_TIME_LIMIT`, seconds, null for none. @default 3600 */
  timeLimit?: number | null | undefined;
  /** `WTF_CSRF_SSL_STRICT`: on HTTPS, the Referer must be this host. @default true */
  sslStrict?: boolean | undefined;
  /** The clock, for tests. @default now */
  now?: (() => Clock) | undefined;
}

function formEntries(form: CsrfRequest['form']): [string, string][] {
  if (!form) return [];
  const pairs: Iterable<readonly [string, unknown]> =
    typeof (form as Iterable<unknown>)[Symbol.iterator] === 'function'
      ? (form as Iterable<readonly [string, unknown]>)
      : Object.entries(form as Record<string, unknown>);
  const seen = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (seen.has(k)) continue;
    const first = Array.isArray(v) ? v[0] : v;
    seen.set(k, typeof first === 'string' ? first : '');
  }
  return [...seen];
}

/**
 * Flask-WTF's `CSRFProtect` without Flask: the rules of its before-request check, and the token
 * for forms. Exempt views are the caller's: skip {@link protect} for them.
 * @example
 * ```ts
 * const csrf = new CSRFProtect({ secret: SECRET_KEY });
 * const reason = csrf.protect(session, { method, header: (n) => headers.get(n), form });
 * if (reason) return new Response(csrfErrorPage(reason), { status: 400 });
 * ```
 */
export class CSRFProtect {
  readonly options: CSRFProtectOptions;
  constructor(options: CSRFProtectOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('CSRF options are required');
    if (typeof options.secret !== 'string' && !(options.secret instanceof Uint8Array))
      throw new TypeError('A secret key is required to use CSRF.');
    this.options = options;
  }

  private get fieldName(): string {
    return this.options.fieldName ?? 'csrf_token';
  }

  /** `generate_csrf()`: the signed token for this session (see {@link generateCsrf}). */
  generate(session: Session): string {
    return generateCsrf(session, {
      secret: this.options.secret,
      fieldName: this.fieldName,
      now: this.options.now?.(),
    });
  }

  /** `validate_csrf(data)` with this configuration. @throws {@link CSRFError} */
  validate(session: Session, data: string | null | undefined): void {
    validateCsrf(session, data, {
      secret: this.options.secret,
      fieldName: this.fieldName,
      timeLimit: this.options.timeLimit,
      now: this.options.now?.(),
    });
  }

  /**
   * `_get_csrf_token`: the form field, else a form field whose name ends with it (a prefixed
   * form), else the first non-empty configured header.
   */
  getCsrfToken(request: CsrfRequest): string | undefined {
    const entries = formEntries(request.form);
    const field = this.fieldName;
    const base = entries.find(([k]) => k === field)?.[1];
    if (base) return base;
    for (const [k, v] of entries) if (k.endsWith(field) && v) return v;
    for (const name of this.options.headers ?? ['X-CSRFToken', 'X-CSRF-Token']) {
      const v = request.header(name);
      if (v) return v;
    }
    return undefined;
  }

  /** Whether the before-request check runs at all (`WTF_CSRF_ENABLED`, `WTF_CSRF_CHECK_DEFAULT`). */
  get checksByDefault(): boolean {
    return (this.options.enabled ?? true) && (this.options.checkDefault ?? true);
  }

  /**
   * `protect()`: the reason to answer 400, or undefined when the request may go on. Methods
   * outside `WTF_CSRF_METHODS` pass; then the token is validated; then, on HTTPS with
   * `WTF_CSRF_SSL_STRICT`, the Referer must be `https://<Host>/`'s origin.
   */
  protect(session: Session, request: CsrfRequest): string | undefined {
    const methods = this.options.methods ?? ['POST', 'PUT', 'PATCH', 'DELETE'];
    if (!methods.includes(request.method)) return undefined;
    try {
      this.validate(session, this.getCsrfToken(request));
    } catch (e) {
      if (e instanceof CSRFError) return e.message;
      throw e;
    }
    if (request.secure && (this.options.sslStrict ?? true)) {
      const referrer = request.header('Referer');
      if (!referrer) return CSRF_MESSAGES.referrerMissing;
      let host = request.header('Host') ?? '';
      if (host.endsWith(':443')) host = host.slice(0, -4); // werkzeug's get_host, https
      if (!sameOrigin(referrer, `https://${host}/`)) return CSRF_MESSAGES.referrerMismatch;
    }
    return undefined;
  }
}

const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');

/**
 * The body Flask sends for a `CSRFError` (Werkzeug's 400 page with the reason), served as
 * `text/html; charset=utf-8`.
 */
export function csrfErrorPage(reason: string): string {
  return (
    '<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n' +
    `<h1>Bad Request</h1>\n<p>${escapeHtml(reason)}</p>\n`
  );
}
