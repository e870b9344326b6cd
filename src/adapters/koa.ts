/**
 * Flask sessions for Koa (2 and 3): `ctx.session` behaves like `flask.session`.
 * @module
 */

import type { Middleware } from 'koa';
import { sessionBackend, type AnySessionOptions } from './_backend.ts';
import type { AppSessionData, SaveResult, Session } from '../flask/session-interface.ts';
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

declare module 'koa' {
  interface DefaultContext {
    /** The request's Flask session (flask-session-cookie/koa). */
    session: Session<AppSessionData>;
  }
}

/** The headers of a thrown error, as Koa's `ctx.onerror` sets them on the error response. */
type ErrorHeaders = Record<string, string | string[] | undefined>;

/**
 * Adds the session's headers to the error that Koa is about to turn into a response: Koa's
 * `ctx.onerror` removes every header set so far and then sets `err.headers`, so that is where the
 * session's Set-Cookie and Vary must be for the error response to carry them (Flask saves the
 * session on its 500 too). Errors that are not objects, or cannot be changed, are left alone.
 */
function addToError(err: unknown, r: SaveResult): void {
  if (typeof err !== 'object' || err === null || !Object.isExtensible(err)) return;
  const e = err as { headers?: ErrorHeaders };
  let headers: ErrorHeaders;
  if (typeof e.headers === 'object' && e.headers !== null) headers = e.headers;
  else {
    headers = {};
    try {
      e.headers = headers;
    } catch {
      return; // a read-only `headers` property
    }
  }
  const key = (name: string): string =>
    Object.keys(headers).find((k) => k.toLowerCase() === name) ?? name;
  if (r.setCookie !== undefined) {
    const k = key('set-cookie');
    const have = headers[k];
    headers[k] = have === undefined ? [r.setCookie] : [...[have].flat(), r.setCookie];
  }
  if (r.vary) {
    const k = key('vary');
    const have = headers[k];
    headers[k] = varyWithCookie(Array.isArray(have) ? have.join(', ') : have);
  }
}

/**
 * Middleware that gives every request `ctx.session` (for cookie sessions, read from the cookie on
 * first use) and, before Koa sends the response, adds what Flask would send: `Set-Cookie` appended
 * to any others, `Cookie` merged into `Vary`. When a later middleware throws, the session is still
 * saved (Flask saves it on its 500 as well) and the error goes on to Koa's error handling, carrying
 * the headers; an error while saving (a session store that is down) goes the same way. Options
 * with a `store` give server-side sessions shared with Flask-Session.
 * @param options - the session options ({@link SessionOptions}), or server-side options with a
 *   `store` ({@link ServerSideOptions})
 * @returns Koa middleware; `app.use` it before the routes that use `ctx.session`
 * @throws {@link TypeError} when the options cannot work (no options, a string for `fallbacks`)
 * @example
 * ```ts
 * const app = new Koa();
 * app.use(flaskSession({ secret: process.env.SECRET_KEY! }));
 * app.use((ctx) => {
 *   ctx.body = `hello ${ctx.session.get('uname')}`;
 * });
 * ```
 */
export function flaskSession<T extends SessionData = AppSessionData>(
  options: AnySessionOptions,
): Middleware {
  const backend = sessionBackend<T>(options);
  return async (ctx, next) => {
    let session: Session<T> | undefined = backend.async
      ? await (backend.open(() => ctx.get('Cookie')) as Promise<Session<T>>)
      : undefined;
    Object.defineProperty(ctx, 'session', {
      configurable: true,
      enumerable: true,
      get() {
        session ??= backend.open(() => ctx.get('Cookie')) as Session<T>;
        session.markAccessed(); // Flask 3.1.3: touching the session proxy marks it accessed
        return session;
      },
      // koa-session's way to end a session, `ctx.session = null`, empties it (Flask's clear())
      set(value: unknown) {
        if (value !== null)
          throw new TypeError('ctx.session can only be set to null (to clear the session)');
        session ??= backend.open(() => ctx.get('Cookie')) as Session<T>;
        session.clear();
      },
    });
    let failed = false;
    let thrown: unknown;
    try {
      await next();
    } catch (e) {
      failed = true;
      thrown = e;
    }
    // Flask opens every session: a permanent one is re-issued even when the view did not use it
    session ??= backend.open(() => ctx.get('Cookie')) as Session<T>;
    let r: SaveResult;
    try {
      r = await backend.save(session, { method: ctx.method, path: ctx.path });
    } catch (saveError) {
      throw failed ? thrown : saveError; // the first error is the one to report
    }
    if (!ctx.headerSent) {
      if (r.setCookie !== undefined) ctx.append('Set-Cookie', r.setCookie);
      if (r.vary) ctx.set('Vary', varyWithCookie(ctx.response.get('Vary') || undefined));
    }
    if (failed) {
      addToError(thrown, r);
      throw thrown;
    }
  };
}
