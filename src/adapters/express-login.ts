/**
 * Flask-Login and Flask-WTF's CSRFProtect for Express, beside `flaskSession`: `req.login` and
 * `req.csrfToken()`, the remember cookie written before the session is saved, and a 400 with
 * Flask-WTF's reason for a bad CSRF token. Re-exported by `flask-session-cookie/express`.
 * @module
 */

import type { NextFunction, Request, Response } from 'express';
import { beforeFirstOutput } from './_node-response.ts';
import { LoginManager } from '../flask-login/login-manager.ts';
import type { RequestFacts } from '../flask-login/utils.ts';
import { CSRFProtect, csrfErrorPage, type CSRFProtectOptions } from '../flask-wtf/csrf.ts';
import { RequestLogin, type FlaskLoginOptions } from './_login.ts';

export type { FlaskLoginOptions, LoginUserCallOptions } from './_login.ts';
export type { RequestLogin } from './_login.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Flask-Login for this request (flask-session-cookie/express `flaskLogin`). */
      login: RequestLogin<unknown>;
      /** Flask-WTF's `csrf_token()` for this request (flask-session-cookie/express `csrfProtect`). */
      csrfToken: () => string;
    }
  }
}

const facts = (req: Request): RequestFacts => ({
  header: (name) => req.get(name),
  remoteAddr: req.socket.remoteAddress,
});

/**
 * Flask-Login for Express. Register it after `flaskSession(...)`: its hook runs when the headers
 * are written, before the session is saved, as Flask-Login's after-request hook runs before
 * `save_session` (it takes `_remember` out of the session and sets or deletes the remember cookie).
 * The peer address is the socket's; `X-Forwarded-For` is trusted as Flask-Login 0.6.3 does.
 * @example
 * ```ts
 * app.use(flaskSession({ secret }));
 * app.use(flaskLogin({ secret, userLoader: (id) => users.get(id) ?? null }));
 * app.get('/me', async (req, res) => res.json({ user: await req.login.currentUser() }));
 * ```
 */
export function flaskLogin<U>(
  options: FlaskLoginOptions<U>,
): (req: Request, res: Response, next: NextFunction) => void {
  const manager = new LoginManager(options);
  return (req, res, next) => {
    const login = new RequestLogin<U>(manager, options, () => req.session, facts(req));
    req.login = login as RequestLogin<unknown>;
    // Flask-Login's after-request hook, before the session is saved: this middleware comes after
    // flaskSession, so its hook runs before the session's, on the response's first output.
    beforeFirstOutput(res, () => {
      const header = login.rememberCookieHeader();
      if (header !== undefined) res.append('Set-Cookie', header);
    });
    next();
  };
}

/** Options of the Express `csrfProtect` middleware. */
export interface ExpressCsrfOptions extends CSRFProtectOptions {
  /** `@csrf.exempt`: requests not to check. */
  exempt?: ((req: Request) => boolean) | undefined;
}

/**
 * Flask-WTF's CSRFProtect for Express: `req.csrfToken()` for forms, and a check of every
 * POST/PUT/PATCH/DELETE (the `csrf_token` field of a parsed urlencoded or multipart body, or the
 * `X-CSRFToken` / `X-CSRF-Token` header) that answers 400 with Flask's page and reason. Register it
 * after `flaskSession(...)` and the body parser (`express.urlencoded()`).
 * @example
 * ```ts
 * app.use(express.urlencoded({ extended: false }), csrfProtect({ secret }));
 * app.get('/form', (req, res) => res.send(`<input name="csrf_token" value="${req.csrfToken()}">`));
 * ```
 */
export function csrfProtect(
  options: ExpressCsrfOptions,
): (req: Request, res: Response, next: NextFunction) => void {
  const csrf = new CSRFProtect(options);
  return (req, res, next) => {
    let token: string | undefined;
    req.csrfToken = () => (token ??= csrf.generate(req.session));
    if (!csrf.checksByDefault || options.exempt?.(req)) return next();
    const isForm = req.is('application/x-www-form-urlencoded') || req.is('multipart/form-data');
    const reason = csrf.protect(req.session, {
      method: req.method,
      header: (name) => req.get(name),
      form: isForm && req.body && typeof req.body === 'object' ? req.body : undefined,
      secure: req.secure,
    });
    if (reason === undefined) return next();
    res.status(400).type('text/html; charset=utf-8').send(csrfErrorPage(reason));
  };
}
