/**
 * Flask sessions for Express (4 and 5): `req.session` behaves like `flask.session`.
 * @module
 */

import type { NextFunction, Request, Response } from 'express';
import { sessionBackend, type AnySessionOptions } from './_backend.ts';
import type { AppSessionData, Session } from '../flask/session-interface.ts';
import type { SessionData } from '../flask/tagged-json.ts';
import { saveBeforeHeaders } from './_node-response.ts';

export { Session } from '../flask/session-interface.ts';
export { flash, getFlashedMessages } from '../flask/flashing.ts';
export type { SessionOptions } from '../flask/session-interface.ts';
export { MemoryStore } from '../flask-session/memory.ts';
export { ServerSideSession } from '../flask-session/base.ts';
export { redisStore } from './redis.ts';
export type { ServerSideOptions } from '../flask-session/base.ts';
export type { SessionStore } from '../flask-session/store.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request's Flask session (flask-session-cookie/express). */
      session: Session<AppSessionData>;
    }
  }
}

/**
 * Middleware that gives every request `req.session` (read from the cookie on first use) and, when
 * the response's headers are written, adds what Flask would send (`Set-Cookie`, `Vary: Cookie`),
 * however the app answers (`send`, `json`, `redirect`, `write` then `end`, piped streams,
 * `writeHead` with its own Set-Cookie, errors turned into 500 by Express). Server-side sessions
 * are stored before any output leaves. A save error (data Flask cannot store, an oversize cookie
 * with `onOversize: 'throw'`, the store down) goes to Express's error handlers.
 * @example
 * ```ts
 * const app = express();
 * app.use(flaskSession({ secret: process.env.SECRET_KEY! }));
 * app.get('/', (req, res) => res.send(`hello ${req.session.get('uname')}`));
 * ```
 */
export function flaskSession<T extends SessionData = AppSessionData>(
  options: AnySessionOptions,
): (req: Request, res: Response, next: NextFunction) => void {
  const backend = sessionBackend<T>(options);
  return (req, res, next) => {
    let session: Session<T> | undefined;
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get() {
        if (session === undefined) {
          if (backend.async)
            throw new Error(
              'req.session is read before flaskSession() has loaded it from the store: use the middleware before this code',
            );
          session = backend.open(() => req.headers.cookie) as Session<T>;
        }
        session.markAccessed(); // Flask 3.1.3: touching the session proxy marks it accessed
        return session;
      },
    });
    // a save error is Express's error path (a 500 from the error handlers), never a crash
    saveBeforeHeaders(
      res,
      () => {
        // Flask opens every session: a permanent one is refreshed even when the view did not use it
        if (session === undefined && !backend.async)
          session = backend.open(() => req.headers.cookie) as Session<T>;
        return session === undefined
          ? undefined
          : backend.plan(session, { method: req.method, path: req.originalUrl.split('?')[0] });
      },
      (e) => next(e),
    );
    if (!backend.async) {
      next();
      return;
    }
    (backend.open(() => req.headers.cookie) as Promise<Session<T>>).then((s) => {
      session = s;
      next();
    }, next);
  };
}
export * from './express-login.ts';
