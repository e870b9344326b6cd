/**
 * Flask-Login's `LoginManager` without Flask: who is logged in (`_load_user`, with session
 * protection and the remember cookie), and the remember cookie's Set-Cookie header
 * (`_update_remember_cookie`, the after-request hook). The user loader stays the app's: this gives
 * it the id. Port of flask_login/login_manager.py (0.6.3).
 * @module
 */

import { utf8 } from '../_internal/bytes.ts';
import type { Session } from '../flask/session-interface.ts';
import { dumpCookie, getCookie } from '../werkzeug/cookie.ts';
import {
  REMEMBER_COOKIE_DURATION,
  REMEMBER_COOKIE_NAME,
  SESSION_KEYS,
  type LoginOptions,
} from './config.ts';
import {
  confirmLogin,
  createIdentifier,
  decodeCookie,
  encodeCookie,
  loginUser,
  logoutUser,
  rememberKey,
  sessionUserId,
  type LoginUserOptions,
  type RequestFacts,
} from './utils.ts';

/** Finds the user for an id, as `@login_manager.user_loader` does; null when there is none. */
export type UserLoader<U> = (
  userId: string,
) => U | null | undefined | Promise<U | null | undefined>;

/** What {@link LoginManager.loadUser} found. */
export interface LoadedUser<U> {
  /** The user, or null for Flask-Login's anonymous user. */
  user: U | null;
  /** The id the user was loaded with. */
  userId: string | null;
  /** Whether the user came from the remember cookie (the login is then not fresh). */
  fromRememberCookie: boolean;
  /** Whether session protection refused the session ("strong" with another identifier). */
  protectionFailed: boolean;
}

/** werkzeug's `dump_cookie` value quoting: RFC 6265 characters as they are, else `"..."`. */
function quoteCookieValue(value: string): string {
  if (/^[A-Za-z0-9_!#$%&'()*+\-./:<=>?@[\]^`{|}~]*$/.test(value)) return value;
  let out = '';
  for (const b of utf8(value)) {
    if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b <= 0x19 || b === 0x2c || b === 0x3b || b >= 0x7f)
      out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return `"${out}"`;
}

/**
 * One app's Flask-Login setup. Every method takes the request's `Session` and the plain facts of
 * the request, so that any server can use it; the adapters' `flaskLogin` middleware does it for
 * Express, Fastify, Hono and the Fetch API.
 * @example
 * ```ts
 * const logins = new LoginManager({ secret: SECRET_KEY, sessionProtection: 'strong' });
 * const { user } = await logins.loadUser(session, request, (id) => users.get(id));
 * logins.loginUser(session, request, '42', { remember: true });
 * const setCookie = logins.updateRememberCookie(session, request); // before the session is saved
 * ```
 */
export class LoginManager {
  readonly options: LoginOptions;

  /** @throws {@link TypeError} for a missing secret, a non-latin-1 string key or a bad option */
  constructor(options: LoginOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('login options are required');
    rememberKey(options.secret); // fails now rather than on the first remember cookie
    if (options.identifier !== undefined && !['0.6', 'main'].includes(options.identifier))
      throw new TypeError(`"identifier" must be '0.6' or 'main', got ${options.identifier}`);
    const d = options.rememberCookieDuration;
    if (d !== undefined && !(typeof d === 'number' && Number.isFinite(d)))
      throw new TypeError('"rememberCookieDuration" must be a number of seconds');
    this.options = options;
  }

  /** `REMEMBER_COOKIE_NAME`. */
  get cookieName(): string {
    return this.options.rememberCookieName ?? REMEMBER_COOKIE_NAME;
  }

  /** `SESSION_PROTECTION`: 'basic' unless set (null or an unknown mode turns it off). */
  get sessionProtection(): string | null {
    const m = this.options.sessionProtection;
    return m === undefined ? 'basic' : m;
  }

  private nowSeconds(): number {
    const n = this.options.now ? this.options.now() : Date.now() / 1000;
    return n instanceof Date ? n.getTime() / 1000 : n;
  }

  /** `_session_identifier_generator()`: the request's `_id` with the configured algorithm. */
  createIdentifier(request: RequestFacts): string {
    return createIdentifier(request, this.options.identifier ?? '0.6');
  }

  /** The remember cookie the request carries (werkzeug's `request.cookies[name]`), if any. */
  rememberCookie(request: RequestFacts): string | undefined {
    return getCookie(request.header('Cookie') ?? undefined, this.cookieName);
  }

  /**
   * `login_user`: stores the user's id, freshness and the request's identifier; with `remember`,
   * the remember cookie is set by {@link updateRememberCookie}.
   */
  loginUser(
    session: Session,
    request: RequestFacts,
    userId: string,
    options?: LoginUserOptions,
  ): void {
    loginUser(session, userId, this.createIdentifier(request), options);
  }

  /** `logout_user`: removes the login; the remember cookie is deleted if the request had one. */
  logoutUser(session: Session, request: RequestFacts): void {
    logoutUser(session, this.rememberCookie(request) !== undefined);
  }

  /** `confirm_login`: fresh again, with this request's identifier. */
  confirmLogin(session: Session, request: RequestFacts): void {
    confirmLogin(session, this.createIdentifier(request));
  }

  /**
   * `_session_protection_failed`: when the session is not empty and its `_id` differs from the
   * request's, "basic" (or a permanent session) marks the login not fresh, and "strong" removes
   * every Flask-Login key, sets `_remember = "clear"` and returns true.
   */
  sessionProtectionFailed(session: Session, request: RequestFacts): boolean {
    const mode = this.sessionProtection;
    const ident = this.createIdentifier(request);
    if (mode !== 'basic' && mode !== 'strong') return false;
    if (session.size > 0 && ident !== session.get('_id')) {
      if (mode === 'basic' || session.permanent) {
        if (session.get('_fresh') !== false) session.set('_fresh', false);
        return false;
      }
      for (const k of SESSION_KEYS) session.pop(k);
      session.set('_remember', 'clear');
      return true;
    }
    return false;
  }

  /**
   * `_load_user`: session protection, then the user of `_user_id`, else the user of a valid
   * remember cookie (unless the session says `_remember = "clear"`), which logs them in again with
   * `_fresh = False`. Request and header loaders are left to the app.
   * @param loader - the app's user loader
   */
  async loadUser<U>(
    session: Session,
    request: RequestFacts,
    loader: UserLoader<U>,
  ): Promise<LoadedUser<U>> {
    const none = (protectionFailed: boolean): LoadedUser<U> => ({
      user: null,
      userId: null,
      fromRememberCookie: false,
      protectionFailed,
    });
    if (this.sessionProtectionFailed(session, request)) return none(true);
    const userId = sessionUserId(session);
    if (userId !== undefined) {
      const user = await loader(userId);
      if (user !== null && user !== undefined)
        return { user, userId, fromRememberCookie: false, protectionFailed: false };
    }
    const cookie = this.rememberCookie(request);
    if (cookie !== undefined && session.get('_remember') !== 'clear') {
      const id = decodeCookie(cookie, this.options.secret);
      if (id !== undefined) {
        session.set('_user_id', id);
        session.set('_fresh', false);
        const user = await loader(id);
        if (user !== null && user !== undefined)
          return { user, userId: id, fromRememberCookie: true, protectionFailed: false };
      }
    }
    return none(false);
  }

  /**
   * `login_remembered()`: whether the request carries a valid remember cookie that the session
   * has not cleared.
   */
  loginRemembered(session: Session, request: RequestFacts): boolean {
    const cookie = this.rememberCookie(request);
    if (cookie === undefined || session.get('_remember') === 'clear') return false;
    return decodeCookie(cookie, this.options.secret) !== undefined;
  }

  /**
   * `_update_remember_cookie`, Flask-Login's after-request hook: takes `_remember` out of the
   * session and returns the Set-Cookie header it asks for (the remember cookie for `"set"` with a
   * logged-in user, its deletion for `"clear"`). Call it before the session is saved, as Flask
   * runs after-request hooks before `save_session`.
   * @returns the `Set-Cookie` header value, or undefined
   */
  updateRememberCookie(session: Session): string | undefined {
    if (!session.has('_remember') && this.options.rememberCookieRefreshEachRequest)
      session.set('_remember', 'set');
    if (!session.has('_remember')) return undefined;
    const operation = session.pop('_remember');
    if (operation === 'set' && session.has('_user_id')) return this.setCookie(session);
    if (operation === 'clear') return this.clearCookie();
    return undefined;
  }

  /** `_set_cookie`: the remember cookie for the session's user. */
  private setCookie(session: Session): string | undefined {
    const o = this.options;
    const stored = session.get('_remember_seconds');
    const duration =
      typeof stored === 'number' && Number.isFinite(stored)
        ? stored
        : (o.rememberCookieDuration ?? REMEMBER_COOKIE_DURATION);
    const raw = session.get('_user_id');
    const userId =
      sessionUserId(session) ?? (typeof raw === 'boolean' ? (raw ? 'True' : 'False') : undefined);
    if (userId === undefined) return undefined; // a value Python's str() would spell otherwise
    return dumpCookie(this.cookieName, quoteCookieValue(encodeCookie(userId, o.secret)), {
      expires: Math.floor(this.nowSeconds() + duration),
      domain: o.rememberCookieDomain ?? undefined,
      path: o.rememberCookiePath ?? '/',
      secure: o.rememberCookieSecure ?? false,
      httpOnly: o.rememberCookieHttpOnly ?? true,
      sameSite: o.rememberCookieSameSite ?? undefined,
    });
  }

  /** `_clear_cookie`: Werkzeug's `delete_cookie` for the remember cookie. */
  private clearCookie(): string {
    return dumpCookie(this.cookieName, '', {
      expires: 0,
      maxAge: 0,
      domain: this.options.rememberCookieDomain ?? undefined,
      path: this.options.rememberCookiePath ?? '/',
    });
  }
}
