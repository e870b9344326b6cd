/**
 * A MySQL/MariaDB store for server-side sessions, shared with Flask-Session's SQLAlchemy backend
 * (`SESSION_TYPE = 'sqlalchemy'` with a `mysql+pymysql://` or `mariadb://` URI): the same table,
 * created as SQLAlchemy creates it when missing. Pass your mysql2 pool (or connection) from
 * `mysql2/promise`; it stays yours to configure and close. See `src/flask-session/sqlalchemy.ts`.
 * @module
 */

import type { Pool, PoolConnection, Connection } from 'mysql2/promise';
import {
  SqlAlchemyStore,
  type SqlDialect,
  type SqlResult,
  type SqlRow,
  type SqlStoreOptions,
} from '../flask-session/sqlalchemy.ts';

export { SqlAlchemyStore, sqlStatements, quoteIdentifier } from '../flask-session/sqlalchemy.ts';
export type { SqlStoreOptions, SqlTableOptions } from '../flask-session/sqlalchemy.ts';
export type { SessionStore } from '../flask-session/store.ts';

/** Options of {@link mysqlStore}. */
export interface MysqlStoreOptions extends SqlStoreOptions {
  /** 'mysql' or 'mariadb' (sequences, reserved words). @default asked from the server (`VERSION()`) */
  dialect?: 'mysql' | 'mariadb' | undefined;
}

/**
 * A session store on Flask-Session's table in MySQL or MariaDB, through mysql2.
 * @param pool - a `mysql2/promise` pool or connection, on the database Flask uses (the `schema`
 *   option names another one)
 * @param options - `table`, `schema`, `sequence` (`SESSION_SQLALCHEMY_*`), `createTable`
 * @returns the store, to pass as `store` to an adapter
 * @throws {@link TypeError} for an invalid table, schema or sequence name
 * @example
 * ```ts
 * import mysql from 'mysql2/promise';
 * const pool = mysql.createPool('mysql://app:secret@127.0.0.1/app');
 * app.use(flaskSession({ secret, store: mysqlStore(pool), cleanupNRequests: 1000 }));
 * ```
 */
export function mysqlStore(
  pool: Pool | PoolConnection | Connection,
  options: MysqlStoreOptions = {},
): SqlAlchemyStore {
  const B = (globalThis as { Buffer?: typeof Buffer }).Buffer!;
  const run = async (sql: string, params: readonly unknown[]): Promise<SqlResult> => {
    // mysql2 sends a Buffer as binary; a plain Uint8Array would not be
    const values = params.map((v) =>
      v instanceof Uint8Array && !B.isBuffer(v) ? B.from(v.buffer, v.byteOffset, v.byteLength) : v,
    );
    // execute: a prepared statement, the values bound by the server
    const [result] = values.length
      ? await pool.execute(sql, values as never)
      : await pool.query(sql);
    if (Array.isArray(result)) return { rows: result as SqlRow[], affectedRows: 0 };
    return { rows: [], affectedRows: (result as { affectedRows?: number }).affectedRows ?? 0 };
  };
  const dialect: SqlDialect | (() => Promise<SqlDialect>) =
    options.dialect ??
    (async () => {
      const { rows } = await run('SELECT VERSION() AS version', []);
      return /mariadb/i.test(String(rows[0]?.['version'])) ? 'mariadb' : 'mysql';
    });
  return new SqlAlchemyStore(run, dialect, options);
}
