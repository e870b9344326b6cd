/**
 * Flask-Session 0.8's Memcached backend, ported (flask_session/memcached/memcached.py): the key is
 * `SESSION_KEY_PREFIX + id`, the value the serializer's bytes, the expiry the lifetime in seconds,
 * switched to an absolute Unix time above 30 days (`_get_memcache_timeout`), as Memcached reads
 * any expiry above 30 days as a Unix time. The client is behind {@link MemcacheLike}, so this file
 * has no Node-only API: `flask-session-cookie/memcached` binds memjs.
 * @module
 */

import { SessionStoreError, type SessionStore } from './store.ts';

/** Memcached's limit: an expiry above 30 days (in seconds) is an absolute Unix time. */
export const MEMCACHE_MAX_RELATIVE_EXPIRY = 2_592_000;

/**
 * Flask-Session's `_get_memcache_timeout`: the lifetime in seconds, or `now + lifetime` (a Unix
 * time) when it is over 30 days.
 * @param timeout - the lifetime in whole seconds
 * @param nowSeconds - the time, `int(time.time())` @default Date.now() / 1000
 * @returns the expiry to send to Memcached
 * @example
 * ```ts
 * getMemcacheTimeout(3600); // 3600
 * getMemcacheTimeout(2678400, 1_700_000_000); // 1702678400 (31 days: absolute)
 * ```
 */
export function getMemcacheTimeout(timeout: number, nowSeconds?: number): number {
  if (timeout > MEMCACHE_MAX_RELATIVE_EXPIRY)
    return timeout + Math.trunc(nowSeconds ?? Date.now() / 1000);
  return timeout;
}

/**
 * The part of a Memcached client the store uses: the bytes at a key (null when missing), set with
 * an expiry (relative seconds, or a Unix time above 30 days), delete. `memcachedStore` in
 * `flask-session-cookie/memcached` makes one from a memjs client.
 */
export interface MemcacheLike {
  get(key: string): Promise<Uint8Array | null>;
  /** Resolves false when Memcached did not store the value (too large...). */
  set(key: string, value: Uint8Array, expires: number): Promise<boolean>;
  delete(key: string): Promise<unknown>;
}

/**
 * Whether pymemcache (Flask-Session's client) accepts a key: at most 250 characters of printable
 * ASCII, no space. Other keys (from a forged cookie) cannot be Flask-Session's: they are no session.
 */
function validKey(key: string): boolean {
  return key.length <= 250 && /^[\x21-\x7e]*$/.test(key);
}

/**
 * A {@link SessionStore} on Memcached, as Flask-Session's `MemcachedSessionInterface`. Client
 * errors and refused writes become {@link SessionStoreError}. An empty stored value is no session
 * (`if serialized_session_data:`), which the session interface already applies.
 */
export class MemcachedStore implements SessionStore {
  readonly #client: MemcacheLike;
  readonly #now: () => number;

  /**
   * @param client - see {@link MemcacheLike}
   * @param options - `now`: the clock in milliseconds, for tests
   */
  constructor(client: MemcacheLike, options: { now?: (() => number) | undefined } = {}) {
    if (!client || typeof client.get !== 'function')
      throw new TypeError('"client" must have get, set and delete');
    this.#client = client;
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<Uint8Array | null> {
    if (!validKey(key)) return null;
    try {
      return await this.#client.get(key);
    } catch (e) {
      throw wrap('get', e);
    }
  }

  async set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    let stored: boolean;
    try {
      stored = await this.#client.set(
        key,
        value,
        getMemcacheTimeout(ttlSeconds, this.#now() / 1000),
      );
    } catch (e) {
      throw wrap('set', e);
    }
    if (!stored)
      throw new SessionStoreError(
        `Memcached did not store the session (${value.byteLength} bytes)`,
      );
  }

  async delete(key: string): Promise<void> {
    if (!validKey(key)) return;
    try {
      await this.#client.delete(key);
    } catch (e) {
      throw wrap('delete', e);
    }
  }
}

function wrap(what: string, e: unknown): SessionStoreError {
  return new SessionStoreError(`Memcached ${what} failed: ${(e as Error)?.message ?? String(e)}`, {
    cause: e,
  });
}
