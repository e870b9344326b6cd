/**
 * A Memcached store for server-side sessions, shared with Flask-Session's
 * `MemcachedSessionInterface` (`SESSION_TYPE = 'memcached'`): the same keys, bytes and expiry.
 * Pass your memjs client; it stays yours to configure (servers, timeouts, retries) and close. See
 * `src/flask-session/memcached.ts`.
 * @module
 */

import type { Client } from 'memjs';
import { MemcachedStore } from '../flask-session/memcached.ts';

export { MemcachedStore, getMemcacheTimeout } from '../flask-session/memcached.ts';
export type { MemcacheLike } from '../flask-session/memcached.ts';
export type { SessionStore } from '../flask-session/store.ts';

/**
 * A session store on Memcached, through memjs.
 * @param client - `memjs.Client.create('127.0.0.1:11211')`
 * @returns the store, to pass as `store` to an adapter
 * @example
 * ```ts
 * import memjs from 'memjs';
 * const client = memjs.Client.create('127.0.0.1:11211', { timeout: 1, retries: 1 });
 * app.use(flaskSession({ secret, store: memcachedStore(client) }));
 * ```
 */
export function memcachedStore(client: Client): MemcachedStore {
  const B = (globalThis as { Buffer?: typeof Buffer }).Buffer!;
  return new MemcachedStore({
    get: async (key) => {
      const { value } = await client.get(key);
      if (value === null || value === undefined) return null;
      return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    },
    set: (key, value, expires) =>
      client.set(key, B.from(value.buffer, value.byteOffset, value.byteLength), { expires }),
    delete: (key) => client.delete(key),
  });
}
