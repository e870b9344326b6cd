/**
 * Flask-Login and Flask-WTF's CSRFProtect for Fetch API handlers (Workers, Deno, Bun, Next.js
 * route handlers), beside `webSessions` / `withSession`: a `RequestLogin` per request, the remember
 * cookie added to the response before the session is committed, and a 400 `Response` with
 * Flask-WTF's reason for a bad CSRF token. Re-exported by `flask-session-cookie/web`.
 * @module
 */

import type { Session } from '../flask/session-interface.ts';
import { LoginManager } from '../flask-login/login-manager.ts';
import { CSRFProtect, csrfErrorPage, type CSRFProtectOptions } from '../flask-wtf/csrf.ts';
import { RequestLogin, type FlaskLoginOptions } from './_login.ts';

export type { FlaskLoginOptions, LoginUserCallOptions, RequestLogin } from './_login.ts';

/** Flask-Login for Fetch API handlers (see {@link webLogin}). */
export interface WebLogin<U> {
  /**
   * Flask-Login for one request.
   * @param remoteAddr - the peer address (`request.remote_addr`), which the Fetch API does not
   *   carry: on Deno `info.remoteAddr.hostname`, on Bun `server.requestIP(request)?.address`
   */
  open(request: Request, session: Session, remoteAddr?: string): RequestLogin<U>;
  /**
   * Flask-Login's after-request hook: adds the remember cookie's Set-Cookie, if any. Call it before
   * the session is committed.
   * @returns the response, or a copy of it when its headers were immutable
   */
  commit(login: RequestLogin<U>, response: Response): Response;
}

/**
 * Flask-Login for Fetch API handlers.
 * @example
 * ```ts
 * const sessions = webSessions({ secret });
 * const logins = webLogin({ secret, userLoader: (id) => users.get(id) ?? null });
 * async function handle(request: Request) {
 *   const session = sessions.open(request);
 *   const login = logins.open(request, session, '127.0.0.1');
 *   const user = await login.currentUser();
 *   return sessions.commit(session, logins.commit(login, new Response(user ? 'hi' : 'who?')));
 * }
 * ```
 */
export function webLogin<U>(options: FlaskLoginOptions<U>): WebLogin<U> {
  const manager = new LoginManager(options);
  return {
    open: (request, session, remoteAddr) =>
      new RequestLogin<U>(manager, options, () => session, {
        header: (name) => request.headers.get(name),
        remoteAddr,
      }),
    commit(login, response) {
      const header = login.rememberCookieHeader();
      if (header === undefined) return response;
      try {
        response.headers.append('Set-Cookie', header);
        return response;
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        const copy = new Response(response.body, response);
        copy.headers.append('Set-Cookie', header);
        return copy;
      }
    },
  };
}

/** Flask-WTF's CSRFProtect for Fetch API handlers (see {@link webCsrf}). */
export interface WebCsrf {
  /** `csrf_token()`: the signed token for the session (stored in it when missing). */
  token(session: Session): string;
  /**
   * The before-request check: a 400 `Response` with Flask's page and reason, or undefined when the
   * request may go on. Reads the form from a clone of the request, so the body stays readable.
   */
  protect(request: Request, session: Session): Promise<Response | undefined>;
}

/**
 * Flask-WTF's CSRFProtect for Fetch API handlers.
 * @example
 * ```ts
 * const csrf = webCsrf({ secret });
 * const refused = await csrf.protect(request, session);
 * if (refused) return sessions.commit(session, refused);
 * ```
 */
export function webCsrf(options: CSRFProtectOptions): WebCsrf {
  const csrf = new CSRFProtect(options);
  return {
    token: (session) => csrf.generate(session),
    async protect(request, session) {
      if (!csrf.checksByDefault) return undefined;
      const type = (request.headers.get('Content-Type') ?? '').toLowerCase();
      const methods = options.methods ?? ['POST', 'PUT', 'PATCH', 'DELETE'];
      let form: Iterable<readonly [string, unknown]> | undefined;
      if (
        methods.includes(request.method) &&
        (type.startsWith('application/x-www-form-urlencoded') ||
          type.startsWith('multipart/form-data'))
      )
        form = await request
          .clone()
          .formData()
          .then((f) => [...f.entries()])
          .catch(() => undefined);
      const reason = csrf.protect(session, {
        method: request.method,
        header: (name) => request.headers.get(name),
        form,
        secure: new URL(request.url).protocol === 'https:',
      });
      if (reason === undefined) return undefined;
      return new Response(csrfErrorPage(reason), {
        status: 400,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      });
    },
  };
}
