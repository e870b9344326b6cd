/**
 * The store interface every server-side backend implements (Redis, memory, and any other): get, set
 * with a TTL, delete, on the encoded session bytes; and the error a failing store raises. Flask-Session
 * 0.8 has one class per backend over the same three operations (`_retrieve_session_data`,
 * `_upsert_session`, `_delete_session` in flask_session/base.py).
 * @module
 */

/**
 * Where server-side sessions live. Small on purpose: a SQL or any other store is these three
 * methods. Values are the encoded session bytes; `ttlSeconds` is the expiry to set on every write.
 */
export interface SessionStore {
  get(key: string): Promise<Uint8Array | null>;
  set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional: deletes the expired sessions of a store without TTLs (SQL), as Flask-Session's
   * `_delete_expired_sessions`. With `cleanupNRequests`, the session interface calls it on about
   * one request in N+1, as `SESSION_CLEANUP_N_REQUESTS` does. Returns how many were deleted.
   */
  deleteExpired?(): Promise<number>;
}

/** A store failed (Redis down, a timeout...): the request cannot know its session. */
export class SessionStoreError extends Error {
  readonly code = 'ERR_SESSION_STORE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionStoreError';
  }
}
