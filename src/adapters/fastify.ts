/**
 * Flask sessions for Fastify: `request.session` behaves like `flask.session`.
 * @module
 */

import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sessionBackend, type AnySessionOptions } from './_backend.ts';
import type { AppSessionData, Session } from '../flask/session-interface.ts';
import { varyWithCookie } from './_vary.ts';

export { Session } from '../flask/session-interface.ts';
export { flash, getFlashedMessages } from '../flask/flashing.ts';
export type { SessionOptions } from '../flask/session-interface.ts';
export { MemoryStore } from '../flask-session/memory.ts';
export { ServerSideSession } from '../flask-session/base.ts';
export { redisStore } from './redis.ts';
export type { ServerSideOptions } from '../flask-session/base.ts';
export type { SessionStore } from '../flask-session/store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's Flask session (flask-session-cookie/fastify). */
    session: Session<AppSessionData>;
    /**
     * The request's session, loaded from the store first if no hook has yet: for hooks that may
     * run before the plugin's own.
     */
    getSession(): Promise<Session<AppSessionData>>;
  }
}

const SESSION = Symbol('flask-session-cookie.session');
/** The sessions this plugin hands out, typed by {@link AppSessionData}. */
type AppSession = Session<AppSessionData>;
type WithSession = FastifyRequest & { [SESSION]?: AppSession };

/**
 * A Fastify plugin that gives every request `request.session` (read from the cookie on first use)
 * and, before the reply is sent, adds what Flask would send (`Set-Cookie`, `Vary: Cookie`).
 * Options with a `store` give server-side sessions shared with Flask-Session.
 * Registered without encapsulation, like fastify-plugin does.
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(flaskSession, { secret: process.env.SECRET_KEY! });
 * app.get('/', async (request) => `hello ${request.session.get('uname')}`);
 * ```
 */
export const flaskSession: FastifyPluginAsync<AnySessionOptions> = async (
  fastify: FastifyInstance,
  options: AnySessionOptions,
) => {
  const backend = sessionBackend<AppSessionData>(options);
  /** The session, opened now if it can be (cookie sessions are read on first use). */
  const sessionOf = (request: WithSession): AppSession | undefined => {
    if (request[SESSION] === undefined && !backend.async)
      request[SESSION] = backend.open(() => request.headers.cookie) as AppSession;
    return request[SESSION];
  };
  fastify.decorateRequest('session', {
    getter(this: WithSession) {
      const s = sessionOf(this);
      if (s === undefined)
        throw new Error(
          'request.session is read before flask-session-cookie loaded it from the store (a hook registered before the plugin?): register the plugin first, or use `await request.getSession()`',
        );
      s.markAccessed(); // Flask 3.1.3: touching the session proxy marks it accessed
      return s;
    },
  });
  // Whatever order hooks run in: the session, loaded from the store if it is not yet.
  fastify.decorateRequest('getSession', async function (this: WithSession): Promise<AppSession> {
    const s = sessionOf(this) ?? (this[SESSION] = await loadOnce(this));
    s.markAccessed();
    return s;
  });
  const loading = new WeakMap<object, Promise<AppSession>>();
  const loadOnce = (request: WithSession): Promise<AppSession> => {
    let p = loading.get(request);
    if (p === undefined)
      loading.set(request, (p = backend.open(() => request.headers.cookie) as Promise<AppSession>));
    return p;
  };
  if (backend.async)
    // server-side sessions are read from the store before the handler runs
    fastify.addHook('onRequest', async (request: FastifyRequest) => {
      const r = request as WithSession;
      r[SESSION] ??= await loadOnce(r);
    });
  // onSend runs for every reply (errors included) before its headers leave; an error thrown here
  // (data Flask cannot store, the store down) becomes Fastify's 500
  fastify.addHook(
    'onSend',
    async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const session = sessionOf(request as WithSession);
      if (session === undefined) return payload;
      const r = await backend.save(session, {
        method: request.method,
        path: request.url.split('?')[0],
      });
      if (r.setCookie !== undefined) reply.header('set-cookie', r.setCookie); // Fastify appends it
      if (r.vary) reply.header('vary', varyWithCookie(reply.getHeader('vary')));
      return payload;
    },
  );
};

// What fastify-plugin stamps: no encapsulation, and a name in errors and printPlugins().
(flaskSession as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(flaskSession as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] =
  'flask-session-cookie';
export * from './fastify-login.ts';
