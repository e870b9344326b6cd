/**
 * The per-request view of Flask-Login that every adapter's `flaskLogin` middleware hands to the
 * app (`current_user`, `login_user`, `logout_user`, `confirm_login`, `login_fresh`), over
 * `LoginManager` and the request's `Session`. Internal to the adapters.
 * @module
 */

import type { Session } from '../flask/session-interface.ts';
import type { LoginOptions } from '../flask-login/config.ts';
import { LoginManager, type UserLoader } from '../flask-login/login-manager.ts';
import { loginFresh, sessionUserId, type RequestFacts } from '../flask-login/utils.ts';

/** Options of the adapters' `flaskLogin` middleware. */
export interface FlaskLoginOptions<U> extends LoginOptions {
  /** The app's user loader: the user for an id, or null (`@login_manager.user_loader`). */
  userLoader: UserLoader<U>;
  /** `get_id()`: the id to store for a user. @default `String(user.id)` (UserMixin) */
  getId?: ((user: U) => string) | undefined;
  /** `is_active`: inactive users are not logged in unless forced. @default always active */
  isActive?: ((user: U) => boolean) | undefined;
}

/** Options of {@link RequestLogin.loginUser}. */
export interface LoginUserCallOptions {
  /** Set the remember cookie. @default false */
  remember?: boolean | undefined;
  /** Seconds the remember cookie lasts. @default REMEMBER_COOKIE_DURATION */
  duration?: number | undefined;
  /** Log in an inactive user too. @default false */
  force?: boolean | undefined;
  /** Mark the login fresh. @default true */
  fresh?: boolean | undefined;
}

/**
 * Flask-Login for one request: `await login.currentUser()` is `current_user` (null when anonymous).
 * @example
 * ```ts
 * const user = await req.login.currentUser();
 * if (!user) req.login.loginUser(await users.check(form), { remember: true });
 * ```
 */
export class RequestLogin<U> {
  #manager: LoginManager;
  #options: FlaskLoginOptions<U>;
  #session: () => Session;
  #request: RequestFacts;
  #user: Promise<U | null> | undefined;

  constructor(
    manager: LoginManager,
    options: FlaskLoginOptions<U>,
    session: () => Session,
    request: RequestFacts,
  ) {
    this.#manager = manager;
    this.#options = options;
    this.#session = session;
    this.#request = request;
  }

  /** `current_user`: loaded once per request (session protection, then the remember cookie). */
  currentUser(): Promise<U | null> {
    this.#user ??= this.#manager
      .loadUser(this.#session(), this.#request, this.#options.userLoader)
      .then((r) => r.user);
    return this.#user;
  }

  /** The id stored in the session (`session["_user_id"]`), without loading the user. */
  get userId(): string | undefined {
    return sessionUserId(this.#session());
  }

  /** `login_fresh()`. */
  get fresh(): boolean {
    return loginFresh(this.#session());
  }

  /** `login_remembered()`. */
  get remembered(): boolean {
    return this.#manager.loginRemembered(this.#session(), this.#request);
  }

  /** `login_user(user, ...)`: false (and nothing written) for an inactive user unless `force`. */
  loginUser(user: U, options: LoginUserCallOptions = {}): boolean {
    if (!options.force && this.#options.isActive && !this.#options.isActive(user)) return false;
    const id = this.#options.getId
      ? this.#options.getId(user)
      : String((user as { id?: unknown }).id);
    this.#manager.loginUser(this.#session(), this.#request, id, options);
    this.#user = Promise.resolve(user);
    return true;
  }

  /** `logout_user()`. */
  logoutUser(): void {
    this.#manager.logoutUser(this.#session(), this.#request);
    this.#user = Promise.resolve(null);
  }

  /** `confirm_login()`. */
  confirmLogin(): void {
    this.#manager.confirmLogin(this.#session(), this.#request);
  }

  /** The after-request hook: the remember cookie's Set-Cookie, if any. @internal */
  rememberCookieHeader(): string | undefined {
    return this.#manager.updateRememberCookie(this.#session());
  }
}
