/**
 * Flask's session semantics for any server: open a session from a Cookie header, let the app read
 * and change it, then decide what to send exactly as Flask 3.1's `save_session` does (set, refresh
 * or delete the cookie, or nothing; `Vary: Cookie` when the session was used). The framework
 * adapters (`/express`, `/fastify`, `/hono`, `/web`) are thin layers over this.
 * Port of flask/sessions.py (SecureCookieSession, SessionInterface.save_session).
 * @module
 */

import {
  dumpSession,
  isPermanent,
  readSession,
  refreshSession,
  type DumpSessionOptions,
  type LoadSessionOptions,
  type SessionReadResult,
  type SessionStatus,
} from './cookie-session.ts';
import type { SecretKey } from '../itsdangerous/signer.ts';
import { Markup, UUID } from '../python/types.ts';
import type { SessionData, SessionValue } from './tagged-json.ts';

/** Everything a session interface needs: the options of loadSession and dumpSession together. */
export interface SessionOptions
  extends Omit<DumpSessionOptions, 'permanent' | 'now'>, Omit<LoadSessionOptions, 'now'> {
  /** `SECRET_KEY`. Without one, sessions are Flask's NullSession: empty, and never saved. */
  secret: SecretKey;
  /**
   * `SESSION_REFRESH_EACH_REQUEST`: re-issue a permanent session on every request that used it,
   * so that it expires `permanentLifetime` after the last visit. @default true
   */
  refreshEachRequest?: boolean | undefined;
  /** The clock, for tests. @default Date.now */
  now?: (() => Date | number) | undefined;
}

/**
 * The shape of your session data, declared once for every adapter (`req.session`,
 * `request.session`, `c.get('session')`, ...) by merging into this interface, as express-session's
 * `SessionData` is declared:
 * ```ts
 * declare module 'flask-session-cookie' {
 *   interface FlaskSessionData { cart: string[]; uname: string }
 * }
 * req.session.get('cart')?.push('apple'); // string[] | undefined
 * ```
 * Keys you do not declare stay available as any {@link SessionValue}.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FlaskSessionData {}

/** The data of the adapters' sessions: {@link SessionData} with the keys of {@link FlaskSessionData}. */
export type AppSessionData = SessionData & FlaskSessionData;

/**
 * A request's session, with Flask's behaviour: reading marks it accessed, writing marks it modified.
 * The data is reached through methods only, so no session key can shadow a method.
 * `T` is the shape of the data, for typed access.
 * @example
 * ```ts
 * session.set('cart', [...(session.get('cart') ?? []), item]);
 * session.permanent = true;
 * session.get('cart')!.push(other); session.modified = true; // Flask cannot see nested changes either
 * ```
 */
export class Session<T extends SessionData = SessionData> {
  #load: (() => SessionReadResult) | undefined;
  #read: SessionReadResult | undefined;
  #accessed = false;
  #modified = false;
  /** A mutable value was handed out: it may have been changed in place. */
  #handedOut = false;
  #flashes: (readonly [string, SessionValue])[] | undefined;

  /**
   * @param read - what was read from the request's cookie, or a function that reads it on first use
   *   (the cookie is then only verified if the request uses its session)
   */
  constructor(read: SessionReadResult | (() => SessionReadResult)) {
    if (typeof read === 'function') this.#load = read;
    else this.#read = read;
  }

  /** What was read from the request's cookie. */
  get read(): SessionReadResult {
    if (this.#read === undefined) {
      this.#read = this.#load!();
      this.#load = undefined;
    }
    return this.#read;
  }
  get #data(): SessionData {
    return this.read.data;
  }
  /** Whether the cookie was read yet (a lazily opened session that was never used was not). */
  get opened(): boolean {
    return this.#read !== undefined;
  }

  /** Whether a valid session cookie came with the request. */
  get isNew(): boolean {
    this.#accessed = true;
    return this.read.status !== 'valid';
  }
  /**
   * Which key verified the request's cookie: 0 for `SECRET_KEY`, 1 for the newest fallback, and so
   * on; undefined without a valid cookie. Re-issue a fallback-signed session with the current key
   * at once: `if (session.keyIndex) session.modified = true`.
   */
  get keyIndex(): number | undefined {
    this.#accessed = true;
    return this.read.keyIndex;
  }
  /** Why the session is empty, or 'valid'. */
  get status(): SessionStatus {
    this.#accessed = true;
    return this.read.status;
  }
  /** Whether the session was read or written (Flask then adds `Vary: Cookie`). */
  get accessed(): boolean {
    return this.#accessed;
  }
  /**
   * Whether the session was written. Set it to true after changing a nested value in place, which
   * Flask cannot see either (`session["cart"].append(x)` needs `session.modified = True`).
   */
  get modified(): boolean {
    this.#accessed = true;
    return this.#modified;
  }
  set modified(value: boolean) {
    this.#modified = value;
  }
  /** Flask's `session.permanent`: stored as `_permanent` in the data. */
  get permanent(): boolean {
    this.#accessed = true;
    return isPermanent(this.#data);
  }
  set permanent(value: boolean) {
    this.#write();
    this.#data['_permanent'] = Boolean(value);
  }

  #use(): SessionData {
    this.#accessed = true;
    return this.#data;
  }
  #write(): SessionData {
    this.#accessed = true;
    // Flask's NullSession: without a secret, reading gives an empty session, writing fails
    if (this.read.status === 'no-secret')
      throw new TypeError(
        'The session is unavailable because no secret key was set. Set "secret" to the Flask app\'s SECRET_KEY.',
      );
    this.#modified = true;
    return this.#data;
  }
  /** `value`, noting when it is a container the caller could change in place. */
  #out<V>(value: V): V {
    if (
      typeof value === 'object' &&
      value !== null &&
      !(value instanceof Markup || value instanceof UUID)
    )
      this.#handedOut = true;
    return value;
  }

  /** The value of `key`, or undefined (Flask's `session.get(key)`). */
  get<K extends keyof T & string>(key: K): T[K] | undefined {
    const d = this.#use();
    return Object.hasOwn(d, key) ? this.#out(d[key] as T[K]) : undefined;
  }
  /** Sets `key` (Flask's `session[key] = value`); marks the session modified even if equal. */
  set<K extends keyof T & string>(key: K, value: T[K]): void {
    this.#write()[key] = value as SessionValue;
  }
  /** Whether `key` is in the session (`key in session`). */
  has(key: keyof T & string): boolean {
    return Object.hasOwn(this.#use(), key);
  }
  /**
   * Removes `key` and returns its value (Flask's `session.pop(key, default)`): modified only if the
   * key was there.
   */
  pop<K extends keyof T & string>(key: K, fallback?: T[K]): T[K] | undefined {
    const d = this.#use();
    if (!Object.hasOwn(d, key)) return fallback;
    this.#write();
    const v = d[key] as T[K];
    delete d[key];
    return v;
  }
  /** Removes `key` (`del session[key]`); returns whether it was there. */
  delete(key: keyof T & string): boolean {
    const had = Object.hasOwn(this.#use(), key);
    if (had) delete this.#write()[key];
    return had;
  }
  /** The value of `key`, first storing `value` if it is missing (Flask's `setdefault`). */
  setdefault<K extends keyof T & string>(key: K, value: T[K]): T[K] {
    const d = this.#use();
    if (!Object.hasOwn(d, key)) this.#write()[key] = value as SessionValue;
    return this.#out(d[key] as T[K]);
  }
  /** Sets several keys (`session.update(...)`); modified even for an empty update, as in Flask. */
  update(values: Partial<T>): void {
    const d = this.#write();
    for (const k of Object.keys(values)) d[k] = (values as SessionData)[k]!;
  }
  /** Empties the session (`session.clear()`): the cookie is deleted when the response is sent. */
  clear(): void {
    const d = this.#write();
    for (const k of Object.keys(d)) delete d[k];
  }
  /** The keys. */
  keys(): (keyof T & string)[] {
    return Object.keys(this.#use()) as (keyof T & string)[];
  }
  /** The [key, value] pairs. */
  entries(): [keyof T & string, T[keyof T & string]][] {
    const d = this.#use();
    this.#handedOut = true;
    return Object.keys(d).map((k) => [k, d[k]] as [keyof T & string, T[keyof T & string]]);
  }
  /** The number of keys (`len(session)`). */
  get size(): number {
    return Object.keys(this.#use()).length;
  }
  /**
   * Marks the session accessed without reading a key: what Flask 3.1.3 does whenever a view touches
   * the `session` proxy. The adapters call it on the first `req.session`.
   */
  markAccessed(): void {
    this.#accessed = true;
  }

  /** The data itself, for reading; changing it in place needs `modified = true`. */
  toObject(): Readonly<T> {
    return this.#out(this.#use() as T);
  }
  toJSON(): unknown {
    return this.#out(this.#use());
  }

  /**
   * The data and state as `save_session` sees them, without touching the session (every public
   * member marks it accessed, as any use of Flask's `session` proxy does). For session interfaces.
   * @internal
   */
  peek(): {
    data: SessionData;
    accessed: boolean;
    modified: boolean;
    handedOut: boolean;
    read: SessionReadResult;
  } {
    return {
      data: this.#data,
      accessed: this.#accessed,
      modified: this.#modified,
      handedOut: this.#handedOut,
      read: this.read,
    };
  }

  /** The messages `getFlashedMessages` took out of the session during this request. @internal */
  takeFlashes(): (readonly [string, SessionValue])[] {
    if (this.#flashes === undefined) {
      const raw = this.pop('_flashes' as keyof T & string) as unknown;
      this.#flashes = Array.isArray(raw)
        ? raw.map((f) =>
            Array.isArray(f) ? ([String(f[0]), f[1]] as const) : (['message', f] as const),
          )
        : [];
    }
    return this.#flashes;
  }
}

/** The request a session is saved for, named in warnings. */
export interface RequestInfo {
  method?: string | undefined;
  path?: string | undefined;
}

/** What to send with the response, as Flask's `save_session` decides it. */
export interface SaveResult {
  /** The `Set-Cookie` header value to append, if any. */
  setCookie?: string | undefined;
  /** Whether to add `Cookie` to the `Vary` header. */
  vary: boolean;
}

/**
 * One app's session handling: the same options for every request.
 * @example
 * ```ts
 * const sessions = new SessionInterface({ secret: SECRET_KEY });
 * const session = sessions.open(req.headers.cookie);
 * session.set('visits', (session.get('visits') ?? 0) + 1);
 * const { setCookie, vary } = sessions.save(session);
 * ```
 */
export class SessionInterface<T extends SessionData = SessionData> {
  readonly options: SessionOptions;
  private readonly dumpOptions: DumpSessionOptions;
  private readonly loadOptions: LoadSessionOptions;

  /** @throws {@link TypeError} for options that cannot work (a string for `fallbacks`) */
  constructor(options: SessionOptions) {
    if (!options || typeof options !== 'object')
      throw new TypeError('session options are required');
    if (typeof options.fallbacks === 'string')
      throw new TypeError(
        '"fallbacks" must be an array of keys, e.g. [oldKey]; a single string would be split into one-character keys by Flask',
      );
    this.options = options;
    const { now: _now, refreshEachRequest: _r, ...rest } = options;
    this.dumpOptions = { ...rest };
    this.loadOptions = { ...rest };
  }

  private now(): Date | number {
    return this.options.now ? this.options.now() : Date.now() / 1000;
  }

  /** Opens the session of a request (Flask's `open_session`); never throws for a bad cookie. */
  open(cookieHeader: string | readonly string[] | null | undefined): Session<T> {
    return new Session<T>(this.read(cookieHeader));
  }

  /** A session whose cookie is read on first use, from `cookieHeader()`. */
  openLazily(cookieHeader: () => string | readonly string[] | null | undefined): Session<T> {
    return new Session<T>(() => this.read(cookieHeader()));
  }

  private read(cookieHeader: string | readonly string[] | null | undefined): SessionReadResult {
    return readSession(cookieHeader, this.options.secret, { ...this.loadOptions, now: this.now() });
  }

  /**
   * What to send for this session (Flask 3.1's `save_session`): nothing when unused; `Vary: Cookie`
   * when accessed; the deletion header when it was emptied; a new cookie when modified; the same
   * payload re-signed when it is permanent and `refreshEachRequest`. Without a secret nothing is
   * ever saved (Flask's NullSession).
   */
  save(session: Session<T>, request?: RequestInfo): SaveResult {
    // Flask opens every request's session: a permanent one is re-issued even when the view never
    // used it. Reading it here (if the view did not) does not mark it accessed.
    const { data, accessed: vary, modified, handedOut, read } = session.peek();
    if (read.status === 'no-secret') return { vary: false };
    const now = this.now();
    if (Object.keys(data).length === 0) {
      if (modified) return { setCookie: dumpSession({}, { ...this.dumpOptions, now }), vary: true };
      return { vary };
    }
    const refresh = (this.options.refreshEachRequest ?? true) && isPermanent(data);
    if (!(modified || refresh)) return { vary };
    // Flask re-serializes a permanent session on every request, so a change made in place to a
    // list or dict it handed out is saved too: the payload is re-signed as it was only when no
    // such value left the session
    const reissue = !modified && !handedOut && read.status === 'valid';
    const why = reissue
      ? 're-issuing an unchanged permanent session, as Flask does on every request'
      : modified
        ? 'the session was changed'
        : 're-issuing a permanent session whose lists or dicts were handed out, re-serialized as Flask does';
    const options = { ...this.dumpOptions, now, onOversize: this.oversize(request, why, reissue) };
    if (reissue) return { setCookie: refreshSession(read, options), vary: true };
    return { setCookie: dumpSession(data, options), vary: true };
  }

  /** The oversize policy, with Werkzeug's warning followed by which request sent the cookie. */
  private oversize(
    request: RequestInfo | undefined,
    why: string,
    reissue: boolean,
  ): DumpSessionOptions['onOversize'] {
    const policy = this.options.onOversize ?? 'warn';
    if (policy !== 'warn' || (request === undefined && !reissue)) return policy;
    const where = request ? `${request.method ?? '?'} ${request.path ?? '?'}` : '';
    return (e) => console.warn(`${e.message} (${[where, why].filter(Boolean).join(': ')})`);
  }
}
