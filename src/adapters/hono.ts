/**
 * Flask sessions for Hono: `c.get('session')` behaves like `flask.session`.
 * @module
 */

import type { MiddlewareHandler } from 'hono';
import { sessionBackend, type AnySessionOptions } from './_backend.ts';
import type { AppSessionData, Session } from '../flask/session-interface.ts';
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

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's Flask session (flask-session-cookie/hono). */
    session: Session<AppSessionData>;
  }
}

/**
 * Middleware that puts the request's Flask session in `c.get('session')` and, after the handler,
 * sends what Flask would send (`Set-Cookie`, `Vary: Cookie`). Options with a `store` give
 * server-side sessions shared with Flask-Session.
 * @example
 * ```ts
 * const app = new Hono();
 * app.use(flaskSession({ secret: process.env.SECRET_KEY! }));
 * app.get('/', (c) => c.text(`hello ${c.get('session').get('uname')}`));
 * ```
 */
export function flaskSession<T extends SessionData = AppSessionData>(
  options: AnySessionOptions,
): MiddlewareHandler<{ Variables: { session: Session<T> } }> {
  const backend = sessionBackend<T>(options);
  return async (c, next) => {
    const session = await backend.open(() => c.req.header('Cookie'));
    c.set('session', session);
    // Hono has turned a thrown error into c.res (its 500) by now: the session is saved on it, as
    // Flask saves on its error response; an error thrown here goes to app.onError
    await next();
    const r = await backend.save(session, { method: c.req.method, path: c.req.path });
    if (r.setCookie === undefined && !r.vary) return;
    const apply = (headers: Headers): void => {
      if (r.setCookie !== undefined) headers.append('Set-Cookie', r.setCookie);
      if (r.vary) headers.set('Vary', varyWithCookie(headers.get('Vary')));
    };
    try {
      apply(c.res.headers);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      c.res = new Response(c.res.body, c.res); // immutable headers (a fetched response)
      apply(c.res.headers);
    }
  };
}
export * from './hono-login.ts';
