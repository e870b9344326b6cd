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
  type ServerSideOptions,
  type ServerSideSession,
} from '../flask-session/base.ts';
import {
  SessionInterface,
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
  /** Whether `open` and `save` return promises (server-side sessions). */
  readonly async: boolean;
  /** Opens a request's session: lazily for cookies, after reading the store for server-side ones. */
  open(
    cookieHeader: () => string | readonly string[] | null | undefined,
  ): Session<T> | Promise<Session<T>>;
  save(session: Session<T>): SaveResult | Promise<SaveResult>;
}

export function sessionBackend<T extends SessionData = SessionData>(
  options: AnySessionOptions,
): SessionBackend<T> {
  if (isServerSide(options)) {
    const iface = new ServerSideSessionInterface<T>(options);
    return {
      async: true,
      open: (header) => iface.open(header()),
      save: (session) => iface.save(session as ServerSideSession<T>),
    };
  }
  const iface = new SessionInterface<T>(options);
  return {
    async: false,
    open: (header) => iface.openLazily(header),
    save: (session) => iface.save(session),
  };
}
