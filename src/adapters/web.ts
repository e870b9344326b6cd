/**
 * Flask sessions for Web-standard servers: Cloudflare Workers, Deno, Bun, Next.js route handlers,
 * anything with `Request` and `Response`.
 * @module
 */

import { SessionInterface, type Session, type SessionOptions } from '../session-interface.ts';
import type { SessionData } from '../tagged-json.ts';
import { varyWithCookie } from './_vary.ts';

export { Session, SessionInterface, flash, getFlashedMessages } from '../session-interface.ts';
export type { SessionOptions } from '../session-interface.ts';

/** Opens sessions from requests and writes their headers into responses. */
export interface WebSessions<T extends SessionData = SessionData> {
  /** The session of a request; its cookie is read when the session is first used. */
  open(request: Request | Headers): Session<T>;
  /**
   * Adds what Flask would send for the session (`Set-Cookie`, `Vary: Cookie`) to the response.
   * @returns the response, or a copy of it when its headers were immutable (a fetched response)
   */
  commit(session: Session<T>, response: Response): Response;
  /** Adds the headers to a `Headers` object you are building. */
  commitHeaders(session: Session<T>, headers: Headers): void;
}

/**
 * Session handling for `Request`/`Response` servers.
 * @example
 * ```ts
 * const sessions = webSessions({ secret: env.SECRET_KEY });
 * export default {
 *   async fetch(request: Request) {
 *     const session = sessions.open(request);
 *     session.set('visits', ((session.get('visits') as number) ?? 0) + 1);
 *     return sessions.commit(session, new Response(`visits: ${session.get('visits')}`));
 *   },
 * };
 * ```
 */
export function webSessions<T extends SessionData = SessionData>(
  options: SessionOptions,
): WebSessions<T> {
  const iface = new SessionInterface<T>(options);
  const commitHeaders = (session: Session<T>, headers: Headers): void => {
    const r = iface.save(session);
    if (r.setCookie !== undefined) headers.append('Set-Cookie', r.setCookie);
    if (r.vary) headers.set('Vary', varyWithCookie(headers.get('Vary')));
  };
  return {
    open(request) {
      const headers = request instanceof Headers ? request : request.headers;
      return iface.openLazily(() => headers.get('Cookie'));
    },
    commitHeaders,
    commit(session, response) {
      try {
        commitHeaders(session, response.headers);
        return response;
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        // immutable headers: copy the response
        const copy = new Response(response.body, response);
        commitHeaders(session, copy.headers);
        return copy;
      }
    },
  };
}

/**
 * Wraps a fetch handler so that it receives the request's session and the response gets its
 * headers.
 * @example
 * ```ts
 * export default { fetch: withSession({ secret }, (request, session) => new Response(String(session.get('uname')))) };
 * ```
 */
export function withSession<T extends SessionData = SessionData, A extends unknown[] = []>(
  options: SessionOptions,
  handler: (request: Request, session: Session<T>, ...rest: A) => Response | Promise<Response>,
): (request: Request, ...rest: A) => Promise<Response> {
  const sessions = webSessions<T>(options);
  return async (request, ...rest) => {
    const session = sessions.open(request);
    const response = await handler(request, session, ...rest);
    return sessions.commit(session, response);
  };
}
