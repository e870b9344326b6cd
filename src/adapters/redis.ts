/**
 * A Redis store for server-side sessions, shared with Flask-Session's `RedisSessionInterface`:
 * `GET`, `SET key value EX ttl` and `DEL` on `SESSION_KEY_PREFIX + id`. Works with node-redis (v4,
 * v5, standalone and cluster clients) and ioredis (standalone and `Cluster`): pass a connected
 * client. The client is yours to create, configure (timeouts, retries) and close.
 * @module
 */

import { isBytes, utf8 } from '../_internal/bytes.ts';
import { SessionStoreError, type SessionStore } from '../flask-session/store.ts';

export type { SessionStore } from '../flask-session/store.ts';

/**
 * The part of a Redis client this store uses. node-redis (v4, v5, its cluster client) and ioredis
 * (including `Cluster`) both fit, through {@link redisStore}.
 */
export interface RedisLike {
  get(key: string): Promise<string | null> | unknown;
  set(...args: unknown[]): Promise<unknown>;
  del(...keys: string[]): Promise<unknown>;
  getBuffer?(key: string): Promise<Uint8Array | null>;
}

/**
 * A {@link SessionStore} over a Redis client: `GET`, `SET key value EX ttl` and `DEL`, as
 * Flask-Session does. Keys are hashed to one slot each, so a Redis Cluster works unchanged.
 * @param client - a connected node-redis client (`createClient()`, `createCluster()`), ideally
 *   with binary replies for GET (`client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })`),
 *   or an ioredis client / Cluster (its `getBuffer` is used)
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * app.use(flaskSession({ secret, store: redisStore(client) }));
 * ```
 */
export function redisStore(client: RedisLike): SessionStore {
  // node-redis v5 decodes replies as UTF-8 unless told otherwise: ask a view with binary replies
  // (RESP_TYPES.BLOB_STRING is '$', 36) when the client can give one.
  const B = (globalThis as { Buffer?: unknown }).Buffer;
  const withTypeMapping = (
    client as { withTypeMapping?: (m: Record<number, unknown>) => RedisLike }
  ).withTypeMapping;
  const reader: RedisLike =
    !client.getBuffer && typeof withTypeMapping === 'function' && B
      ? withTypeMapping.call(client, { 36: B })
      : client;
  const wrap = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      throw new SessionStoreError(`Redis ${what} failed: ${(e as Error).message}`, { cause: e });
    }
  };
  return {
    get: (key) =>
      wrap('GET', async () => {
        const v = client.getBuffer ? await client.getBuffer(key) : await reader.get(key);
        if (v === null || v === undefined) return null;
        if (isBytes(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
        if (typeof v === 'string') return latin1OrUtf8(v);
        throw new TypeError('the Redis client returned neither bytes nor a string');
      }),
    set: (key, value, ttl) =>
      wrap('SET', async () => {
        await (client.getBuffer
          ? client.set(key, toBuffer(value), 'EX', ttl)
          : client.set(key, toBuffer(value), { EX: ttl }));
      }),
    delete: (key) =>
      wrap('DEL', async () => {
        await client.del(key);
      }),
  };
}

/** Node's Buffer where there is one (Redis clients want it for binary values), else the bytes. */
function toBuffer(b: Uint8Array): Uint8Array {
  const B = (
    globalThis as { Buffer?: { from(a: ArrayBufferLike, o: number, l: number): Uint8Array } }
  ).Buffer;
  return B ? B.from(b.buffer, b.byteOffset, b.byteLength) : b;
}

/**
 * A string reply from a client without binary replies: node-redis decodes bulk strings as UTF-8,
 * which mangles MessagePack. Binary replies are required; a reply that is valid UTF-8 text (JSON
 * format) is fine.
 */
function latin1OrUtf8(s: string): Uint8Array {
  if (s.includes('\ufffd'))
    throw new TypeError(
      'the Redis client returned text for binary session data: give it binary replies (node-redis: client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }); ioredis works as is)',
    );
  return utf8(s);
}
