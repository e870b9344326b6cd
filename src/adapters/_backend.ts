/**
 * Cookie sessions or server-side sessions behind one small interface, so that every adapter takes
 * either (switching is configuration): options with a `store` are server-side. Internal.
 *
 * `src/adapters/` binds the library to what it does not own, one file and one package subpath each:
 * the frameworks (`/express`, `/fastify`, `/hono`, `/web`: where the framework reads the Cookie
 * header, lets the app use `session`, and writes Set-Cookie and Vary before the response leaves, as
 * Flask's `open_session` and `save_session` run around a view) and the database clients of
 * server-side stores (`/redis`). Files starting with `_` are shared by the adapters and not exported.
 * @module
 */

import {
  ServerSideSessionInterface,
  type SavePlan,
  type ServerSideOptions,
  type ServerSideSession,
} from '../flask-session/base.ts';
import {
  SessionInterface,
  type RequestInfo,
  type SaveResult,
  type Session,
  type SessionOptions,
} from '../flask/session-interface.ts';
import type { SessionData } from '../flask/tagged-json.ts';

/** The options of a cookie session, or of a server-side one (with a `store`). */
export type AnySessionOptions = SessionOptions | ServerSideOptions;

/** Whether the options are for server-side sessions. */
export function isServerSide(options: AnySessionOptions): options is ServerSideOptions {
  return (
    typeof options === 'object' && options !== null && (options as ServerSideOptions).store != null
  );
}

/** How an adapter opens and saves sessions. */
export interface SessionBackend<T extends SessionData = SessionData> {
  /** Whether `open` returns a promise (server-side sessions read the store first). */
  readonly async: boolean;
  /** Opens a request's session: lazily for cookies, after reading the store for server-side ones. */
  open(
    cookieHeader: () => string | readonly string[] | null | undefined,
  ): Session<T> | Promise<Session<T>>;
  /**
   * What to send for the session, decided synchronously, and the store write (server-side) that
   * must finish before the response does. Throws what saving throws (data Flask cannot store, an
   * oversize cookie with `onOversize: 'throw'`).
   */
  plan(session: Session<T>, request?: RequestInfo): SavePlan;
  /** {@link plan}, then the store write: the headers once the session is stored. */
  save(session: Session<T>, request?: RequestInfo): Promise<SaveResult>;
}

/** The backend for these options: server-side when they have a `store`, else cookie sessions. */
export function sessionBackend<T extends SessionData = SessionData>(
  options: AnySessionOptions,
): SessionBackend<T> {
  const server = isServerSide(options) ? new ServerSideSessionInterface<T>(options) : undefined;
  const cookies = server ? undefined : new SessionInterface<T>(options as SessionOptions);
  const plan = (session: Session<T>, request?: RequestInfo): SavePlan =>
    server
      ? server.plan(session as ServerSideSession<T>)
      : { result: cookies!.save(session, request) };
  return {
    async: server !== undefined,
    open: (header) => (server ? server.open(header()) : cookies!.openLazily(header)),
    plan,
    async save(session, request) {
      const p = plan(session, request);
      if (p.write) await p.write();
      return p.result;
    },
  };
}
