/**
 * Flask sessions for Fastify: `request.session` behaves like `flask.session`.
 * @module
 */

import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { SessionInterface, type Session, type SessionOptions } from '../session-interface.ts';
import { varyWithCookie } from './_vary.ts';

export { Session, flash, getFlashedMessages } from '../session-interface.ts';
export type { SessionOptions } from '../session-interface.ts';

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
 * Registered without encapsulation, like fastify-plugin does.
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(flaskSession, { secret: process.env.SECRET_KEY! });
 * app.get('/', async (request) => `hello ${request.session.get('uname')}`);
 * ```
 */
export const flaskSession: FastifyPluginAsync<SessionOptions> = async (
  fastify: FastifyInstance,
  options: SessionOptions,
) => {
  const sessions = new SessionInterface(options);
  fastify.decorateRequest('session', {
    getter(this: WithSession) {
      const s = (this[SESSION] ??= sessions.openLazily(() => this.headers.cookie));
      s.markAccessed(); // Flask 3.1.3: touching the session proxy marks it accessed
      return s;
    },
  });
  fastify.addHook(
    'onSend',
    async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const session = (request as WithSession)[SESSION];
      if (session === undefined) return payload;
      const r = sessions.save(session);
      if (r.setCookie !== undefined) {
        const prev = reply.getHeader('set-cookie');
        const list =
          prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
        reply.header('set-cookie', [...list, r.setCookie]);
      }
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
