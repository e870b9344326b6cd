/**
 * Flask sessions for Express (4 and 5): `req.session` behaves like `flask.session`.
 * @module
 */

import type { NextFunction, Request, Response } from 'express';
import { SessionInterface, type Session, type SessionOptions } from '../session-interface.ts';
import type { SessionData } from '../tagged-json.ts';
import { varyWithCookie } from './_vary.ts';

export { Session, flash, getFlashedMessages } from '../session-interface.ts';
export type { SessionOptions } from '../session-interface.ts';

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
  options: SessionOptions,
): (req: Request, res: Response, next: NextFunction) => void {
  const sessions = new SessionInterface<T>(options);
  return (req, res, next) => {
    let session: Session<T> | undefined;
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get() {
        session ??= sessions.openLazily(() => req.headers.cookie);
        session.markAccessed(); // Flask 3.1.3: touching the session proxy marks it accessed
        return session;
      },
    });
    // Headers are decided when they are written (as the on-headers package does it).
    const writeHead = res.writeHead;
    let saved = false;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (!saved && session !== undefined && !res.headersSent) {
        saved = true;
        const r = sessions.save(session);
        if (r.setCookie !== undefined) res.append('Set-Cookie', r.setCookie);
        if (r.vary)
          res.setHeader('Vary', varyWithCookie(res.getHeader('Vary') as string | undefined));
      }
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}
