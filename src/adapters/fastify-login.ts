/**
 * Flask-Login and Flask-WTF's CSRFProtect for Fastify, beside `flaskSession`: `request.login` and
 * `request.csrfToken()`, the remember cookie set before the session is saved, and a 400 with
 * Flask-WTF's reason for a bad CSRF token. Re-exported by `flask-session-cookie/fastify`.
 * @module
 */

import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { LoginManager } from '../flask-login/login-manager.ts';
import { CSRFProtect, csrfErrorPage, type CSRFProtectOptions } from '../flask-wtf/csrf.ts';
import { RequestLogin, type FlaskLoginOptions } from './_login.ts';

export type { FlaskLoginOptions, LoginUserCallOptions, RequestLogin } from './_login.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Flask-Login for this request (flask-session-cookie/fastify `flaskLogin`). */
    login: RequestLogin<unknown>;
    /** Flask-WTF's `csrf_token()` for this request (flask-session-cookie/fastify `csrfProtect`). */
    csrfToken: () => string;
  }
}

const LOGIN = Symbol('flask-session-cookie.login');
const TOKEN = Symbol('flask-session-cookie.csrf-token');
type WithLogin = FastifyRequest & { [LOGIN]?: RequestLogin<unknown>; [TOKEN]?: string };

const skipOverride = (plugin: unknown, name: string): void => {
  (plugin as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
  (plugin as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = name;
};

/**
 * Flask-Login for Fastify. Register it BEFORE `flaskSession`: Fastify runs `onSend` hooks in the
 * order they were added, and the remember cookie (Flask-Login's after-request hook, which takes
 * `_remember` out of the session) must be decided before the session is saved.
 * @example
 * ```ts
 * await app.register(flaskLogin, { secret, userLoader: (id) => users.get(id) ?? null });
 * await app.register(flaskSession, { secret });
 * ```
 */
export const flaskLogin: FastifyPluginAsync<FlaskLoginOptions<unknown>> = async (
  fastify: FastifyInstance,
  options: FlaskLoginOptions<unknown>,
) => {
  const manager = new LoginManager(options);
  fastify.decorateRequest('login', {
    getter(this: WithLogin) {
      return (this[LOGIN] ??= new RequestLogin(manager, options, () => this.session, {
        header: (name) => {
          const v = this.headers[name.toLowerCase()];
          return Array.isArray(v) ? v.join(', ') : v;
        },
        remoteAddr: this.socket.remoteAddress,
      }));
    },
  });
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const header = (request as WithLogin).login.rememberCookieHeader();
    if (header !== undefined) reply.header('set-cookie', header); // Fastify appends it
    return payload;
  });
};
skipOverride(flaskLogin, 'flask-session-cookie-login');

/** Options of the Fastify `csrfProtect` plugin. */
export interface FastifyCsrfOptions extends CSRFProtectOptions {
  /** `@csrf.exempt`: requests not to check. */
  exempt?: ((request: FastifyRequest) => boolean) | undefined;
}

/**
 * Flask-WTF's CSRFProtect for Fastify: `request.csrfToken()` for forms, and a check of every
 * POST/PUT/PATCH/DELETE (the `csrf_token` field of a parsed form body, e.g. with
 * `@fastify/formbody`, or the `X-CSRFToken` / `X-CSRF-Token` header) before the handler, answering
 * 400 with Flask's page and reason.
 */
export const csrfProtect: FastifyPluginAsync<FastifyCsrfOptions> = async (
  fastify: FastifyInstance,
  options: FastifyCsrfOptions,
) => {
  const csrf = new CSRFProtect(options);
  fastify.decorateRequest('csrfToken', function (this: WithLogin) {
    return (this[TOKEN] ??= csrf.generate(this.session));
  });
  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!csrf.checksByDefault || options.exempt?.(request)) return;
    const type = String(request.headers['content-type'] ?? '').toLowerCase();
    const isForm =
      type.startsWith('application/x-www-form-urlencoded') ||
      type.startsWith('multipart/form-data');
    const body = request.body;
    const reason = csrf.protect(request.session, {
      method: request.method,
      header: (name) => {
        const v = request.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : v;
      },
      form:
        isForm && body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined,
      secure: request.protocol === 'https',
    });
    if (reason === undefined) return;
    return reply
      .code(400)
      .header('content-type', 'text/html; charset=utf-8')
      .send(csrfErrorPage(reason));
  });
};
skipOverride(csrfProtect, 'flask-session-cookie-csrf');
