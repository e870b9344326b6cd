/**
 * Flask-Login and Flask-WTF's CSRFProtect for Hono, beside `flaskSession`: `c.get('login')` and
 * `c.get('csrfToken')()`, the remember cookie added before the session is saved, and a 400 with
 * Flask-WTF's reason for a bad CSRF token. Re-exported by `flask-session-cookie/hono`.
 * @module
 */

import type { Context, MiddlewareHandler } from 'hono';
import { LoginManager } from '../flask-login/login-manager.ts';
import type { RequestFacts } from '../flask-login/utils.ts';
import { CSRFProtect, csrfErrorPage, type CSRFProtectOptions } from '../flask-wtf/csrf.ts';
import { RequestLogin, type FlaskLoginOptions } from './_login.ts';

export type { FlaskLoginOptions, LoginUserCallOptions, RequestLogin } from './_login.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** Flask-Login for this request (flask-session-cookie/hono `flaskLogin`). */
    login: RequestLogin<unknown>;
    /** Flask-WTF's `csrf_token()` for this request (flask-session-cookie/hono `csrfProtect`). */
    csrfToken: () => string;
  }
}

/** Options of the Hono `flaskLogin` middleware. */
export interface HonoLoginOptions<U> extends FlaskLoginOptions<U> {
  /**
   * The peer address (`request.remote_addr`), which Hono cannot know on every runtime: on Node,
   * `(c) => getConnInfo(c).remote.address` from `@hono/node-server/conninfo`. Without it the
   * address is Python's `None`, and `_id` differs from Flask's unless `X-Forwarded-For` is sent.
   */
  remoteAddr?: ((c: Context) => string | undefined) | undefined;
}

/**
 * Flask-Login for Hono. Register it after `flaskSession(...)`, so that its after-handler step
 * (Flask-Login's after-request hook: the remember cookie) runs before the session is saved.
 * @example
 * ```ts
 * app.use(flaskSession({ secret }), flaskLogin({ secret, userLoader: (id) => users.get(id) }));
 * app.get('/me', async (c) => c.json({ user: await c.get('login').currentUser() }));
 * ```
 */
export function flaskLogin<U>(options: HonoLoginOptions<U>): MiddlewareHandler {
  const manager = new LoginManager(options);
  return async (c, next) => {
    const facts: RequestFacts = {
      header: (name) => c.req.header(name),
      remoteAddr: options.remoteAddr?.(c),
    };
    const login = new RequestLogin<U>(manager, options, () => c.get('session'), facts);
    c.set('login', login as RequestLogin<unknown>);
    await next();
    const header = login.rememberCookieHeader();
    if (header === undefined) return;
    try {
      c.res.headers.append('Set-Cookie', header);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      c.res = new Response(c.res.body, c.res); // immutable headers (a fetched response)
      c.res.headers.append('Set-Cookie', header);
    }
  };
}

/** Options of the Hono `csrfProtect` middleware. */
export interface HonoCsrfOptions extends CSRFProtectOptions {
  /** `@csrf.exempt`: requests not to check. */
  exempt?: ((c: Context) => boolean) | undefined;
}

/**
 * Flask-WTF's CSRFProtect for Hono: `c.get('csrfToken')()` for forms, and a check of every
 * POST/PUT/PATCH/DELETE (the `csrf_token` field of a urlencoded or multipart body, or the
 * `X-CSRFToken` / `X-CSRF-Token` header) that answers 400 with Flask's page and reason.
 * @example
 * ```ts
 * app.use(flaskSession({ secret }), csrfProtect({ secret }));
 * ```
 */
export function csrfProtect(options: HonoCsrfOptions): MiddlewareHandler {
  const csrf = new CSRFProtect(options);
  return async (c, next) => {
    let token: string | undefined;
    c.set('csrfToken', () => (token ??= csrf.generate(c.get('session'))));
    if (!csrf.checksByDefault || options.exempt?.(c)) return next();
    const type = (c.req.header('Content-Type') ?? '').toLowerCase();
    const isForm =
      type.startsWith('application/x-www-form-urlencoded') ||
      type.startsWith('multipart/form-data');
    let form: Record<string, unknown> | undefined;
    const methods = options.methods ?? ['POST', 'PUT', 'PATCH', 'DELETE'];
    if (isForm && methods.includes(c.req.method))
      form = await c.req.parseBody({ all: true }).catch(() => undefined);
    const reason = csrf.protect(c.get('session'), {
      method: c.req.method,
      header: (name) => c.req.header(name),
      form,
      secure: new URL(c.req.url).protocol === 'https:',
    });
    if (reason === undefined) return next();
    return c.body(csrfErrorPage(reason), 400, { 'Content-Type': 'text/html; charset=utf-8' });
  };
}
