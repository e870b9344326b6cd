/**
 * Flask sessions for Fastify: `request.session` behaves like `flask.session`.
 * @module
 */

import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sessionBackend, type AnySessionOptions } from './_backend.ts';
import type { Session } from '../flask/session-interface.ts';
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
    session: Session;
  }
}

const SESSION = Symbol('flask-session-cookie.session');
type WithSession = FastifyRequest & { [SESSION]?: Session };

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
  const backend = sessionBackend(options);
  fastify.decorateRequest('session', {
    getter(this: WithSession) {
      const s = (this[SESSION] ??= backend.open(() => this.headers.cookie) as Session);
      s.markAccessed(); // Flask 3.1.3: touching the session proxy marks it accessed
      return s;
    },
  });
  if (backend.async)
    // server-side sessions are read from the store before the handler runs
    fastify.addHook('onRequest', async (request: FastifyRequest) => {
      (request as WithSession)[SESSION] = await backend.open(() => request.headers.cookie);
    });
  fastify.addHook(
    'onSend',
    async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const session = (request as WithSession)[SESSION];
      if (session === undefined) return payload;
      const r = await backend.save(session);
      if (r.setCookie !== undefined) reply.header('set-cookie', r.setCookie); // Fastify appends it
      if (r.vary)
        reply.header('vary', varyWithCookie(reply.getHeader('vary') as string | undefined));
      return payload;
    },
  );
};

// What fastify-plugin stamps: no encapsulation, and a name in errors and printPlugins().
(flaskSession as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(flaskSession as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] =
  'flask-session-cookie';
export * from './fastify-login.ts';
