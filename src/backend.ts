/**
 * Cookie sessions or server-side sessions behind one small interface, so that every adapter takes
 * either (switching is configuration): options with a `store` are server-side. Internal.
 * @module
 */

import {
  ServerSideSessionInterface,
  type ServerSideOptions,
  type ServerSideSession,
} from './server-side.ts';
import {
  SessionInterface,
  type SaveResult,
  type Session,
  type SessionOptions,
} from './session-interface.ts';
import type { SessionData } from './tagged-json.ts';

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
