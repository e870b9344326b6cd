/**
 * Session options from Flask's config keys, so that a Node service and the Flask app beside it read
 * one configuration (for example the same environment variables) and cannot drift apart.
 * @module
 */

import type { SessionOptions } from './session-interface.ts';
import type { LoginOptions } from '../flask-login/config.ts';
import type { CSRFProtectOptions } from '../flask-wtf/csrf.ts';

/** The Flask config keys that shape sessions. */
export interface FlaskSessionConfig {
  SECRET_KEY?: string | Uint8Array | null | undefined;
  SECRET_KEY_FALLBACKS?: readonly (string | Uint8Array)[] | null | undefined;
  SESSION_COOKIE_NAME?: string | undefined;
  SESSION_COOKIE_DOMAIN?: string | false | null | undefined;
  SESSION_COOKIE_PATH?: string | null | undefined;
  APPLICATION_ROOT?: string | undefined;
  SESSION_COOKIE_HTTPONLY?: boolean | undefined;
  SESSION_COOKIE_SECURE?: boolean | undefined;
  SESSION_COOKIE_SAMESITE?: string | null | undefined;
  SESSION_COOKIE_PARTITIONED?: boolean | undefined;
  /** Seconds (Flask also takes a timedelta, which has no JSON form). */
  PERMANENT_SESSION_LIFETIME?: number | undefined;
  SESSION_REFRESH_EACH_REQUEST?: boolean | undefined;
  MAX_COOKIE_SIZE?: number | undefined;
}

/**
 * Flask's `app.config.from_prefixed_env()`: every variable named `FLASK_<KEY>` becomes config key
 * `<KEY>`, its value parsed as JSON when it is JSON (`FLASK_SECRET_KEY_FALLBACKS='["old"]'`,
 * `FLASK_PERMANENT_SESSION_LIFETIME=3600`, `FLASK_SESSION_COOKIE_SECURE=true`), kept as a string
 * otherwise.
 * @param env - the environment: Node's environment object, `Deno.env.toObject()`, a Worker's `env`
 * @example
 * ```ts
 * const sessions = new SessionInterface(sessionOptionsFromFlaskConfig(flaskConfigFromEnv(env)));
 * ```
 */
export function flaskConfigFromEnv(
  env: Record<string, string | undefined>,
  prefix = 'FLASK',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const p = `${prefix}_`;
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (!name.startsWith(p) || raw === undefined) continue;
    const key = name.slice(p.length);
    if (key.includes('__')) continue; // nested keys are not session settings
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // kept as a string, as Flask does
    }
    out[key] = value;
  }
  return out;
}

const asBool = (key: string, v: unknown): boolean | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean')
    throw new TypeError(`${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
};

/**
 * Session options from Flask config keys, with Flask's defaults for what is missing.
 * @throws {@link TypeError} for a value Flask would misread: SECRET_KEY_FALLBACKS as a string (Flask
 *   splits it into one-character keys), a non-boolean flag, a non-numeric lifetime
 * @example
 * ```ts
 * sessionOptionsFromFlaskConfig({ SECRET_KEY: 'k', SESSION_COOKIE_SAMESITE: 'Lax', PERMANENT_SESSION_LIFETIME: 3600 });
 * ```
 */
export function sessionOptionsFromFlaskConfig(
  config: FlaskSessionConfig | Record<string, unknown>,
): SessionOptions {
  const c = config as Record<string, unknown>;
  const secret = c['SECRET_KEY'];
  if (
    secret !== undefined &&
    secret !== null &&
    typeof secret !== 'string' &&
    !(secret instanceof Uint8Array)
  )
    throw new TypeError('SECRET_KEY must be a string or bytes');
  const fallbacks = c['SECRET_KEY_FALLBACKS'];
  if (typeof fallbacks === 'string')
    throw new TypeError(
      'SECRET_KEY_FALLBACKS must be a list of keys, e.g. ["old-key"]: Flask would split a string into one-character keys',
    );
  if (fallbacks !== undefined && fallbacks !== null && !Array.isArray(fallbacks))
    throw new TypeError('SECRET_KEY_FALLBACKS must be a list of keys');
  const lifetime = c['PERMANENT_SESSION_LIFETIME'];
  if (lifetime !== undefined && (typeof lifetime !== 'number' || !Number.isFinite(lifetime)))
    throw new TypeError('PERMANENT_SESSION_LIFETIME must be a number of seconds');
  const domain = c['SESSION_COOKIE_DOMAIN'];
  const path =
    (c['SESSION_COOKIE_PATH'] as string | null | undefined) ||
    (c['APPLICATION_ROOT'] as string | undefined) ||
    '/';
  const sameSite = c['SESSION_COOKIE_SAMESITE'];
  const maxCookieSize = c['MAX_COOKIE_SIZE'];
  const options: SessionOptions = {
    secret: (secret ?? '') as string,
    path,
  };
  if (fallbacks) options.fallbacks = fallbacks as string[];
  if (typeof c['SESSION_COOKIE_NAME'] === 'string') options.cookieName = c['SESSION_COOKIE_NAME'];
  if (typeof domain === 'string' && domain) options.domain = domain;
  if (typeof sameSite === 'string') options.sameSite = sameSite;
  if (lifetime !== undefined) options.permanentLifetime = lifetime as number;
  if (typeof maxCookieSize === 'number') options.maxCookieSize = maxCookieSize;
  const flags: [keyof SessionOptions, string][] = [
    ['httpOnly', 'SESSION_COOKIE_HTTPONLY'],
    ['secure', 'SESSION_COOKIE_SECURE'],
    ['partitioned', 'SESSION_COOKIE_PARTITIONED'],
    ['refreshEachRequest', 'SESSION_REFRESH_EACH_REQUEST'],
  ];
  for (const [opt, key] of flags) {
    const v = asBool(key, c[key]);
    if (v !== undefined) (options as unknown as Record<string, unknown>)[opt] = v;
  }
  return options;
}

/**
 * Flask-Login options from Flask config keys: `SECRET_KEY`, `SESSION_PROTECTION`,
 * `REMEMBER_COOKIE_NAME`, `_DURATION` (seconds), `_DOMAIN`, `_PATH`, `_SECURE`, `_HTTPONLY`,
 * `_SAMESITE`, `_REFRESH_EACH_REQUEST`; what is missing keeps Flask-Login's default.
 * @throws {@link TypeError} for a value of the wrong type (a non-numeric duration, a non-boolean flag)
 * @example
 * ```ts
 * new LoginManager(loginOptionsFromFlaskConfig({ SECRET_KEY: 'k', SESSION_PROTECTION: 'strong' }));
 * ```
 */
export function loginOptionsFromFlaskConfig(config: Record<string, unknown>): LoginOptions {
  const c = config;
  const secret = c['SECRET_KEY'];
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array))
    throw new TypeError('SECRET_KEY must be a string or bytes');
  const options: LoginOptions = { secret };
  if ('SESSION_PROTECTION' in c) {
    const m = c['SESSION_PROTECTION'];
    if (m !== null && typeof m !== 'string')
      throw new TypeError('SESSION_PROTECTION must be "basic", "strong" or null');
    options.sessionProtection = m as string | null;
  }
  const duration = c['REMEMBER_COOKIE_DURATION'];
  if (duration !== undefined && (typeof duration !== 'number' || !Number.isFinite(duration)))
    throw new TypeError('REMEMBER_COOKIE_DURATION must be a number of seconds');
  if (duration !== undefined) options.rememberCookieDuration = duration as number;
  const strings: [keyof LoginOptions, string][] = [
    ['rememberCookieName', 'REMEMBER_COOKIE_NAME'],
    ['rememberCookieDomain', 'REMEMBER_COOKIE_DOMAIN'],
    ['rememberCookiePath', 'REMEMBER_COOKIE_PATH'],
    ['rememberCookieSameSite', 'REMEMBER_COOKIE_SAMESITE'],
  ];
  for (const [opt, key] of strings) {
    const v = c[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new TypeError(`${key} must be a string`);
    (options as unknown as Record<string, unknown>)[opt] = v;
  }
  const flags: [keyof LoginOptions, string][] = [
    ['rememberCookieSecure', 'REMEMBER_COOKIE_SECURE'],
    ['rememberCookieHttpOnly', 'REMEMBER_COOKIE_HTTPONLY'],
    ['rememberCookieRefreshEachRequest', 'REMEMBER_COOKIE_REFRESH_EACH_REQUEST'],
  ];
  for (const [opt, key] of flags) {
    const v = asBool(key, c[key]);
    if (v !== undefined) (options as unknown as Record<string, unknown>)[opt] = v;
  }
  return options;
}

/**
 * Flask-WTF CSRF options from Flask config keys: `WTF_CSRF_SECRET_KEY` (else `SECRET_KEY`),
 * `WTF_CSRF_ENABLED`, `_CHECK_DEFAULT`, `_METHODS`, `_FIELD_NAME`, `_HEADERS`, `_TIME_LIMIT`
 * (seconds, null for none), `_SSL_STRICT`.
 * @throws {@link TypeError} for a missing secret or a value of the wrong type
 * @example
 * ```ts
 * new CSRFProtect(csrfOptionsFromFlaskConfig({ SECRET_KEY: 'k', WTF_CSRF_TIME_LIMIT: null }));
 * ```
 */
export function csrfOptionsFromFlaskConfig(config: Record<string, unknown>): CSRFProtectOptions {
  const c = config;
  const secret = c['WTF_CSRF_SECRET_KEY'] ?? c['SECRET_KEY'];
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array))
    throw new TypeError('A secret key is required to use CSRF.');
  const options: CSRFProtectOptions = { secret };
  const list = (key: string): string[] | undefined => {
    const v = c[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw new TypeError(`${key} must be a list of strings`);
    return v as string[];
  };
  const methods = list('WTF_CSRF_METHODS');
  if (methods) options.methods = methods;
  const headers = list('WTF_CSRF_HEADERS');
  if (headers) options.headers = headers;
  const field = c['WTF_CSRF_FIELD_NAME'];
  if (field !== undefined && typeof field !== 'string')
    throw new TypeError('WTF_CSRF_FIELD_NAME must be a string');
  if (field !== undefined) options.fieldName = field;
  if ('WTF_CSRF_TIME_LIMIT' in c) {
    const t = c['WTF_CSRF_TIME_LIMIT'];
    if (t !== null && (typeof t !== 'number' || !Number.isFinite(t)))
      throw new TypeError('WTF_CSRF_TIME_LIMIT must be a number of seconds or null');
    options.timeLimit = t as number | null;
  }
  const flags: [keyof CSRFProtectOptions, string][] = [
    ['enabled', 'WTF_CSRF_ENABLED'],
    ['checkDefault', 'WTF_CSRF_CHECK_DEFAULT'],
    ['sslStrict', 'WTF_CSRF_SSL_STRICT'],
  ];
  for (const [opt, key] of flags) {
    const v = asBool(key, c[key]);
    if (v !== undefined) (options as unknown as Record<string, unknown>)[opt] = v;
  }
  return options;
}

/** Flask-Session's config keys (flask_session/defaults.py), for server-side sessions. */
export interface FlaskServerSideConfig extends FlaskSessionConfig {
  /** 'redis', 'memcached', 'sqlalchemy'... Node picks the store; this only names it. */
  SESSION_TYPE?: string | undefined;
  SESSION_KEY_PREFIX?: string | undefined;
  SESSION_USE_SIGNER?: boolean | undefined;
  SESSION_PERMANENT?: boolean | undefined;
  SESSION_ID_LENGTH?: number | undefined;
  SESSION_SERIALIZATION_FORMAT?: 'msgpack' | 'json' | undefined;
  SESSION_CLEANUP_N_REQUESTS?: number | null | undefined;
  SESSION_SQLALCHEMY_TABLE?: string | undefined;
  SESSION_SQLALCHEMY_SCHEMA?: string | null | undefined;
  SESSION_SQLALCHEMY_SEQUENCE?: string | null | undefined;
}

/** What {@link serverSideOptionsFromFlaskConfig} returns: session options and the SQL table's. */
export interface ServerSideConfigOptions {
  /** `SESSION_TYPE`, lower-cased as Flask-Session reads it. @default 'null' */
  type: string;
  secret?: string | Uint8Array | undefined;
  keyPrefix?: string;
  useSigner?: boolean;
  permanent?: boolean;
  sidLength?: number;
  serializationFormat?: 'msgpack' | 'json';
  cleanupNRequests?: number;
  permanentLifetime?: number;
  refreshEachRequest?: boolean;
  cookieName?: string;
  domain?: string;
  path?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  /** `SESSION_SQLALCHEMY_TABLE`, for `mysqlStore` / `postgresStore`. */
  table?: string;
  /** `SESSION_SQLALCHEMY_SCHEMA`. */
  schema?: string;
  /** `SESSION_SQLALCHEMY_SEQUENCE`. */
  sequence?: string;
}

/**
 * Server-side session options from Flask-Session's config keys (and Flask's cookie keys), so that a
 * Node service reads the configuration its Flask-Session app reads. Spread the result into an
 * adapter's options with a `store`, and into `mysqlStore`/`postgresStore` for the table.
 * @throws {@link TypeError} for a value Flask-Session would misread (see
 *   {@link sessionOptionsFromFlaskConfig}), a non-integer `SESSION_ID_LENGTH` or
 *   `SESSION_CLEANUP_N_REQUESTS`, or an unknown serialization format
 * @example
 * ```ts
 * const cfg = serverSideOptionsFromFlaskConfig(flaskConfigFromEnv(env));
 * app.use(flaskSession({ ...cfg, store: postgresStore(pool, cfg) }));
 * ```
 */
export function serverSideOptionsFromFlaskConfig(
  config: FlaskServerSideConfig | Record<string, unknown>,
): ServerSideConfigOptions {
  const c = config as Record<string, unknown>;
  const base = sessionOptionsFromFlaskConfig(c);
  const out: ServerSideConfigOptions = {
    type: typeof c['SESSION_TYPE'] === 'string' ? c['SESSION_TYPE'].toLowerCase() : 'null',
    path: base.path ?? '/',
  };
  if (base.secret !== '') out.secret = base.secret as string | Uint8Array;
  for (const k of [
    'cookieName',
    'domain',
    'sameSite',
    'permanentLifetime',
    'httpOnly',
    'secure',
    'refreshEachRequest',
  ] as const) {
    const v = (base as unknown as Record<string, unknown>)[k];
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  const str = (key: string): string | undefined => {
    const v = c[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new TypeError(`${key} must be a string`);
    return v;
  };
  const int = (key: string): number | undefined => {
    const v = c[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new TypeError(`${key} must be a whole number, got ${JSON.stringify(v)}`);
    return v;
  };
  const prefix = str('SESSION_KEY_PREFIX');
  if (prefix !== undefined) out.keyPrefix = prefix;
  const signer = asBool('SESSION_USE_SIGNER', c['SESSION_USE_SIGNER']);
  if (signer !== undefined) out.useSigner = signer;
  const permanent = asBool('SESSION_PERMANENT', c['SESSION_PERMANENT']);
  if (permanent !== undefined) out.permanent = permanent;
  const sidLength = int('SESSION_ID_LENGTH');
  if (sidLength !== undefined) out.sidLength = sidLength;
  const format = str('SESSION_SERIALIZATION_FORMAT');
  if (format !== undefined) {
    if (format !== 'msgpack' && format !== 'json')
      throw new TypeError(`SESSION_SERIALIZATION_FORMAT must be 'msgpack' or 'json'`);
    out.serializationFormat = format;
  }
  const cleanup = int('SESSION_CLEANUP_N_REQUESTS');
  if (cleanup) out.cleanupNRequests = cleanup;
  const table = str('SESSION_SQLALCHEMY_TABLE');
  if (table !== undefined) out.table = table;
  const schema = str('SESSION_SQLALCHEMY_SCHEMA');
  if (schema) out.schema = schema;
  const sequence = str('SESSION_SQLALCHEMY_SEQUENCE');
  if (sequence) out.sequence = sequence;
  return out;
}
