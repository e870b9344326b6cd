/**
 * Flask sessions for Express (4 and 5): `req.session` behaves like `flask.session`.
 * @module
 */

import type { NextFunction, Request, Response } from 'express';
import { sessionBackend, type AnySessionOptions } from './_backend.ts';
import type { SaveResult, Session } from '../flask/session-interface.ts';
import type { SessionData } from '../flask/tagged-json.ts';
import { varyWithCookie } from './_vary.ts';

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
      session: Session;
    }
  }
}

/**
 * Middleware that gives every request `req.session` (read from the cookie on first use) and, when
 * the response's headers are written, adds what Flask would send (`Set-Cookie`, `Vary: Cookie`).
 * @example
 * ```ts
 * const app = express();
 * app.use(flaskSession({ secret: process.env.SECRET_KEY! }));
 * app.get('/', (req, res) => res.send(`hello ${req.session.get('uname')}`));
 * ```
 */
export function flaskSession<T extends SessionData = SessionData>(
  options: AnySessionOptions,
): (req: Request, res: Response, next: NextFunction) => void {
  const backend = sessionBackend<T>(options);
  const apply = (res: Response, r: SaveResult): void => {
    if (r.setCookie !== undefined) res.append('Set-Cookie', r.setCookie);
    if (r.vary) res.setHeader('Vary', varyWithCookie(res.getHeader('Vary') as string | undefined));
  };
  return (req, res, next) => {
    let session: Session<T> | undefined;
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get() {
        session ??= backend.open(() => req.headers.cookie) as Session<T>;
        session.markAccessed(); // Flask 3.1.3: touching the session proxy marks it accessed
        return session;
      },
    });
    let saved = false;
    if (!backend.async) {
      // Cookie sessions: the headers are decided when they are written (as on-headers does it).
      const writeHead = res.writeHead;
      res.writeHead = function (this: Response, ...args: unknown[]) {
        if (!saved && session !== undefined && !res.headersSent) {
          saved = true;
          apply(res, backend.save(session) as SaveResult);
        }
        return (writeHead as (...a: unknown[]) => Response).apply(this, args);
      } as typeof res.writeHead;
      next();
      return;
    }
    // Server-side sessions: read the store first; write it before the response ends (as
    // express-session does), then send the headers.
    const end = res.end;
    res.end = function (this: Response, ...args: unknown[]) {
      const finish = () => (end as (...a: unknown[]) => Response).apply(this, args);
      if (saved || session === undefined) return finish();
      saved = true;
      (backend.save(session) as Promise<SaveResult>).then(
        (r) => {
          if (!res.headersSent) apply(res, r);
          finish();
        },
        (e: unknown) => {
          if (!res.headersSent) {
            res.statusCode = 500;
            res.removeHeader('Content-Length');
            (end as (...a: unknown[]) => Response).call(
              this,
              `session store error: ${(e as Error).message}\n`,
            );
          } else res.destroy(e as Error);
        },
      );
      return this;
    } as typeof res.end;
    (backend.open(() => req.headers.cookie) as Promise<Session<T>>).then((s) => {
      session = s;
      next();
    }, next);
  };
}
export * from './express-login.ts';
