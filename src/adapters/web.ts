/**
 * Flask sessions for Web-standard servers: Cloudflare Workers, Deno, Bun, Next.js route handlers,
 * anything with `Request` and `Response`.
 * @module
 */

import { isServerSide, sessionBackend, type AnySessionOptions } from './_backend.ts';
import type { ServerSideOptions } from '../flask-session/base.ts';
import {
  SessionInterface,
  type SaveResult,
  type Session,
  type SessionOptions,
  type AppSessionData,
} from '../flask/session-interface.ts';
import type { SessionData } from '../flask/tagged-json.ts';
import { varyWithCookie } from './_vary.ts';

export { Session, SessionInterface } from '../flask/session-interface.ts';
export { flash, getFlashedMessages } from '../flask/flashing.ts';
export type { SessionOptions } from '../flask/session-interface.ts';
export { MemoryStore } from '../flask-session/memory.ts';
export { ServerSideSession } from '../flask-session/base.ts';
export { redisStore } from './redis.ts';
export type { ServerSideOptions } from '../flask-session/base.ts';
export type { SessionStore } from '../flask-session/store.ts';

/** Opens sessions from requests and writes their headers into responses. */
export interface WebSessions<T extends SessionData = AppSessionData> {
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

/** {@link WebSessions} for server-side sessions: reading and writing the store are asynchronous. */
export interface AsyncWebSessions<T extends SessionData = AppSessionData> {
  open(request: Request | Headers): Promise<Session<T>>;
  commit(session: Session<T>, response: Response): Promise<Response>;
  commitHeaders(session: Session<T>, headers: Headers): Promise<void>;
}

function applyHeaders(r: SaveResult, headers: Headers): void {
  if (r.setCookie !== undefined) headers.append('Set-Cookie', r.setCookie);
  if (r.vary) headers.set('Vary', varyWithCookie(headers.get('Vary')));
}

/** The response itself when its headers can change, else a copy that can. */
function mutable(response: Response, apply: (h: Headers) => void): Response {
  try {
    apply(response.headers);
    return response;
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const copy = new Response(response.body, response);
    apply(copy.headers);
    return copy;
  }
}

/**
 * Session handling for `Request`/`Response` servers. With a `store` in the options, sessions are
 * server-side (shared with Flask-Session) and `open`/`commit` return promises: `await` both and the
 * same code works either way.
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
export function webSessions<T extends SessionData = AppSessionData>(
  options: SessionOptions,
): WebSessions<T>;
export function webSessions<T extends SessionData = AppSessionData>(
  options: ServerSideOptions,
): AsyncWebSessions<T>;
export function webSessions<T extends SessionData = AppSessionData>(
  options: AnySessionOptions,
): WebSessions<T> | AsyncWebSessions<T> {
  if (isServerSide(options)) {
    const backend = sessionBackend<T>(options);
    const commitHeaders = async (session: Session<T>, headers: Headers) =>
      applyHeaders(await backend.save(session), headers);
    return {
      open: (request) => {
        const headers = request instanceof Headers ? request : request.headers;
        return backend.open(() => headers.get('Cookie')) as Promise<Session<T>>;
      },
      commitHeaders,
      commit: async (session, response) => {
        const r = await backend.save(session);
        return mutable(response, (h) => applyHeaders(r, h));
      },
    };
  }
  const iface = new SessionInterface<T>(options);
  const commitHeaders = (session: Session<T>, headers: Headers): void =>
    applyHeaders(iface.save(session), headers);
  return {
    open(request) {
      const headers = request instanceof Headers ? request : request.headers;
      return iface.openLazily(() => headers.get('Cookie'));
    },
    commitHeaders,
    commit(session, response) {
      const r = iface.save(session);
      return mutable(response, (h) => applyHeaders(r, h));
    },
  };
}

/** Options of {@link withSession} beyond the session's own. */
export interface WithSessionHooks {
  /**
   * The response for an error: one thrown by the handler (the session is still saved on this
   * response, as Flask saves it on its 500), or one from opening or saving the session (data Flask
   * cannot store, an oversize cookie with `onOversize: 'throw'`, the store down; then without
   * session headers). @default logs the error with `console.error` and answers 500
   */
  onError?: ((error: unknown, request: Request) => Response | Promise<Response>) | undefined;
}

function internalServerError(error: unknown): Response {
  console.error(error);
  return new Response('Internal Server Error', {
    status: 500,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/**
 * Wraps a fetch handler so that it receives the request's session and the response gets its
 * headers. A handler that throws gets a 500 (or `hooks.onError`'s response) with the session saved
 * on it, as Flask does; an error while saving gets `onError`'s response without session headers.
 * @example
 * ```ts
 * export default { fetch: withSession({ secret }, (request, session) => new Response(String(session.get('uname')))) };
 * ```
 */
export function withSession<T extends SessionData = AppSessionData, A extends unknown[] = []>(
  options: AnySessionOptions,
  handler: (request: Request, session: Session<T>, ...rest: A) => Response | Promise<Response>,
  hooks: WithSessionHooks = {},
): (request: Request, ...rest: A) => Promise<Response> {
  const backend = sessionBackend<T>(options);
  const onError = hooks.onError ?? internalServerError;
  return async (request, ...rest) => {
    let session: Session<T>;
    try {
      session = await backend.open(() => request.headers.get('Cookie'));
    } catch (e) {
      return onError(e, request);
    }
    let response: Response;
    try {
      response = await handler(request, session, ...rest);
      if (!(response instanceof Response))
        throw new TypeError(
          `the withSession handler returned ${response === null ? 'null' : typeof response}, not a Response`,
        );
    } catch (e) {
      response = await onError(e, request);
    }
    let r: SaveResult;
    try {
      r = await backend.save(session, {
        method: request.method,
        path: new URL(request.url).pathname,
      });
    } catch (e) {
      return onError(e, request);
    }
    return mutable(response, (h) => applyHeaders(r, h));
  };
}
export * from './web-login.ts';
