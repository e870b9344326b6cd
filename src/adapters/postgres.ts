/**
 * A PostgreSQL store for server-side sessions, shared with Flask-Session's SQLAlchemy backend
 * (`SESSION_TYPE = 'sqlalchemy'` with a `postgresql://` URI): the same table, created as
 * SQLAlchemy creates it when missing. Pass your `pg` Pool (or Client); it stays yours to configure
 * and close. See `src/flask-session/sqlalchemy.ts`.
 * @module
 */

import type { Pool, PoolClient, Client } from 'pg';
import {
  SqlAlchemyStore,
  type SqlResult,
  type SqlRow,
  type SqlStoreOptions,
} from '../flask-session/sqlalchemy.ts';

export { SqlAlchemyStore, sqlStatements, quoteIdentifier } from '../flask-session/sqlalchemy.ts';
export type { SqlStoreOptions, SqlTableOptions } from '../flask-session/sqlalchemy.ts';
export type { SessionStore } from '../flask-session/store.ts';

/**
 * A session store on Flask-Session's table in PostgreSQL, through node-postgres.
 * @param pool - a `pg` Pool or Client on the database Flask uses
 * @param options - `table`, `schema`, `sequence` (`SESSION_SQLALCHEMY_*`), `createTable`
 * @returns the store, to pass as `store` to an adapter
 * @throws {@link TypeError} for an invalid table, schema or sequence name
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool = new pg.Pool({ connectionString: 'postgresql://app:secret@127.0.0.1/app' });
 * app.use(flaskSession({ secret, store: postgresStore(pool), cleanupNRequests: 1000 }));
 * ```
 */
export function postgresStore(
  pool: Pool | PoolClient | Client,
  options: SqlStoreOptions = {},
): SqlAlchemyStore {
  const B = (globalThis as { Buffer?: typeof Buffer }).Buffer!;
  const run = async (text: string, params: readonly unknown[]): Promise<SqlResult> => {
    const values = params.map((v) =>
      v instanceof Uint8Array && !B.isBuffer(v) ? B.from(v.buffer, v.byteOffset, v.byteLength) : v,
    );
    const r = await pool.query<SqlRow>({ text, values });
    return { rows: r.rows ?? [], affectedRows: r.rowCount ?? 0 };
  };
  return new SqlAlchemyStore(run, 'postgresql', options);
}
