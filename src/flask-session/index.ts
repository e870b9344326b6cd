/**
 * Flask-Session 0.8, ported: server-side sessions, the data in a store and only a random session id
 * in the cookie, shared with a Flask app that uses Flask-Session. `base.ts` is flask_session/base.py
 * (`ServerSideSession`, `ServerSideSessionInterface`: ids, signing them, when to write, the cookie);
 * `store.ts` the three operations every backend implements; `sqlalchemy.ts` and `memcached.ts`
 * the SQL and Memcached backends' rules and DDL (flask_session/sqlalchemy, memcached), bound to
 * mysql2, pg and memjs by `/mysql`, `/postgres`, `/memcached`; `memory.ts` a store for
 * development and tests; `msgpack.ts` MessagePack as msgspec writes it, Flask-Session's default
 * encoding. The stores that bind a database client (Redis: flask_session/redis/redis.py) live in
 * `src/adapters/` beside the framework adapters, each its own package subpath (`/redis`), so that
 * the clients stay optional peer dependencies and this folder stays free of Node-only APIs.
 * @module
 */

export { ServerSideSessionInterface, ServerSideSession } from './base.ts';
export type { ServerSideOptions } from './base.ts';
export { SessionStoreError } from './store.ts';
export type { SessionStore } from './store.ts';
export { MemoryStore } from './memory.ts';
export { msgpackEncode, msgpackDecode, MsgpackError } from './msgpack.ts';
export { SqlAlchemyStore, sqlStatements } from './sqlalchemy.ts';
export type {
  SqlDialect,
  SqlRunner,
  SqlResult,
  SqlStoreOptions,
  SqlTableOptions,
} from './sqlalchemy.ts';
export { MemcachedStore, getMemcacheTimeout } from './memcached.ts';
export type { MemcacheLike } from './memcached.ts';
export { serverSideOptionsFromFlaskConfig } from '../flask/config.ts';
export type { FlaskServerSideConfig, ServerSideConfigOptions } from '../flask/config.ts';
