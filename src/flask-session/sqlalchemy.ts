/**
 * Flask-Session 0.8's SQLAlchemy backend, ported without SQLAlchemy: the `sessions` table as
 * SQLAlchemy creates it for MySQL, MariaDB and PostgreSQL (the same DDL, so a table made by either
 * side serves both), and the store's rules (port of flask_session/sqlalchemy/sqlalchemy.py):
 *
 * - a row per session: `session_id` = key prefix + id, `data` = the serializer's bytes, `expiry` =
 *   naive UTC `utcnow() + lifetime` (the dialect keeps what it can: whole seconds in a MySQL
 *   `DATETIME`, microseconds in a PostgreSQL `TIMESTAMP`);
 * - read: the row by `session_id`; a row whose `expiry` is NULL or past is deleted and is no session;
 * - write: update the row, or insert it when there is none (a concurrent insert of the same id is
 *   caught and turned into an update: the last write wins, as in Flask-Session). Not
 *   `INSERT ... ON DUPLICATE KEY UPDATE` / `ON CONFLICT`: those draw a new `id` on every write, and
 *   the `INTEGER` id of a busy site would run out;
 * - delete by `session_id`; cleanup (`SESSION_CLEANUP_N_REQUESTS`) deletes the rows whose `expiry`
 *   is past.
 *
 * Values are always bound, identifiers always come from the options and are quoted as SQLAlchemy
 * quotes them. The database client is behind {@link SqlRunner}, so this file has no Node-only API:
 * `flask-session-cookie/mysql` (mysql2) and `flask-session-cookie/postgres` (pg) bind it.
 * @module
 */

import { SessionStoreError, type SessionStore } from './store.ts';

/** The SQL dialects SQLAlchemy's table is reproduced for. */
export type SqlDialect = 'mysql' | 'mariadb' | 'postgresql';

/**
 * Runs one statement with bound values (`?` placeholders for MySQL/MariaDB, `$1`... for
 * PostgreSQL) and returns what it did. The adapters make
 * one from a mysql2 pool or a pg pool.
 */
export type SqlRunner = (sql: string, params: readonly unknown[]) => Promise<SqlResult>;

/** What a statement returned: its rows (none without a result set) and the rows it changed. */
export interface SqlResult {
  rows: SqlRow[];
  /** Rows inserted, updated or deleted (mysql2 `affectedRows`, pg `rowCount`). */
  affectedRows: number;
}

/** A result row, by column name. */
export type SqlRow = Record<string, unknown>;

/** Where the sessions table is: Flask-Session's `SESSION_SQLALCHEMY_*` settings. */
export interface SqlTableOptions {
  /** `SESSION_SQLALCHEMY_TABLE`. @default 'sessions' */
  table?: string | undefined;
  /** `SESSION_SQLALCHEMY_SCHEMA` (a database on MySQL/MariaDB, a schema on PostgreSQL). */
  schema?: string | null | undefined;
  /**
   * `SESSION_SQLALCHEMY_SEQUENCE`: the `id` column takes its values from this sequence
   * (PostgreSQL, MariaDB 10.3+; MySQL has no sequences and SQLAlchemy ignores it there).
   */
  sequence?: string | null | undefined;
}

/** Options of {@link SqlAlchemyStore}. */
export interface SqlStoreOptions extends SqlTableOptions {
  /**
   * Create the table (and the sequence) when missing, before the first statement, as
   * Flask-Session does when it starts. @default true
   */
  createTable?: boolean | undefined;
  /** The clock in milliseconds, for tests. @default Date.now */
  now?: (() => number) | undefined;
}

/** The SQL text of the statements {@link SqlAlchemyStore} runs. */
export interface SqlStatements {
  /** `CREATE SEQUENCE ...`, when a sequence is used on this dialect. */
  createSequence?: string | undefined;
  /** `CREATE TABLE ...`, exactly as SQLAlchemy emits it. */
  createTable: string;
  /** Params: schema or null, table name. Returns a row when the table exists. */
  tableExists: string;
  /** Params: sequence name. Returns a row when the sequence exists. */
  sequenceExists?: string | undefined;
  /** Params: utcnow, session_id. Columns: id, data, expired. */
  select: string;
  /** Params: id, utcnow: deletes the row if it is still expired. */
  deleteExpiredById: string;
  /** Params: data, expiry, session_id. */
  update: string;
  /** Params: session_id, data, expiry (and the quoted sequence name on PostgreSQL with a sequence). */
  insert: string;
  /** Params: session_id. Returns a row when the session's row exists. */
  exists: string;
  /** Params: session_id. */
  deleteBySessionId: string;
  /** Params: utcnow. */
  deleteExpired: string;
}

// SQLAlchemy 2.0's reserved words (sqlalchemy/dialects/mysql/reserved_words.py,
// sqlalchemy/dialects/postgresql/base.py), which its identifier preparers quote; checked against
// the installed SQLAlchemy by test/flask-session/sql.test.ts.
const RESERVED_MARIADB =
  'accessible add all alter analyze and as asc asensitive before between bigint binary blob ' +
  'body both by call cascade case change char character check collate column condition ' +
  'constraint continue convert create cross current_date current_role current_time ' +
  'current_timestamp current_user cursor database databases day_hour day_microsecond ' +
  'day_minute day_second dec decimal declare default delayed delete desc describe ' +
  'deterministic distinct distinctrow div do_domain_ids double drop dual each else elseif ' +
  'elsif enclosed escaped except exists exit explain false fetch float float4 float8 for ' +
  'force foreign from fulltext general goto grant group having high_priority history ' +
  'hour_microsecond hour_minute hour_second if ignore ignore_domain_ids ignore_server_ids in ' +
  'index infile inner inout insensitive insert int int1 int2 int3 int4 int8 integer intersect ' +
  'interval into is iterate join key keys kill leading leave left like limit linear lines ' +
  'load localtime localtimestamp lock long longblob longtext loop low_priority ' +
  'master_heartbeat_period master_ssl_verify_server_cert match maxvalue mediumblob mediumint ' +
  'mediumtext middleint minute_microsecond minute_second mod modifies natural ' +
  'no_write_to_binlog not null numeric offset on optimize option optionally or order others ' +
  'out outer outfile over package page_checksum parse_vcol_expr partition period position ' +
  'precision primary procedure purge raise range read read_write reads real recursive ' +
  'ref_system_id references regexp release rename repeat replace require resignal restrict ' +
  'return returning revoke right rlike row_number rows rowtype schema schemas ' +
  'second_microsecond select sensitive separator set show signal slow smallint spatial ' +
  'specific sql sql_big_result sql_calc_found_rows sql_small_result sqlexception sqlstate ' +
  'sqlwarning ssl starting stats_auto_recalc stats_persistent stats_sample_pages ' +
  'straight_join system system_time table terminated then tinyblob tinyint tinytext to ' +
  'trailing trigger true undo union unique unlock unsigned update usage use using utc_date ' +
  'utc_time utc_timestamp values varbinary varchar varcharacter varying versioning when where ' +
  'while window with without write xor year_month zerofill';
const RESERVED_MYSQL =
  'accessible add admin all alter analyze and array as asc asensitive before between bigint ' +
  'binary blob both by call cascade case change char character check collate column condition ' +
  'constraint continue convert create cross cube cume_dist current_date current_time ' +
  'current_timestamp current_user cursor database databases day_hour day_microsecond ' +
  'day_minute day_second dec decimal declare default delayed delete dense_rank desc describe ' +
  'deterministic distinct distinctrow div double drop dual each else elseif empty enclosed ' +
  'escaped except exists exit explain false fetch first_value float float4 float8 for force ' +
  'foreign from fulltext function general generated get get_master_public_key grant group ' +
  'grouping groups having high_priority hour_microsecond hour_minute hour_second if ignore ' +
  'ignore_server_ids in index infile inner inout insensitive insert int int1 int2 int3 int4 ' +
  'int8 integer intersect interval into io_after_gtids io_before_gtids is iterate join ' +
  'json_table key keys kill lag last_value lateral lead leading leave left like limit linear ' +
  'lines load localtime localtimestamp lock long longblob longtext loop low_priority ' +
  'master_bind master_heartbeat_period master_ssl_verify_server_cert match maxvalue ' +
  'mediumblob mediumint mediumtext member middleint minute_microsecond minute_second mod ' +
  'modifies natural no_write_to_binlog not nth_value ntile null numeric of on optimize ' +
  'optimizer_costs option optionally or order out outer outfile over parallel parse_gcol_expr ' +
  'partition percent_rank persist persist_only precision primary procedure purge qualify ' +
  'range rank read read_write reads real recursive references regexp release rename repeat ' +
  'replace require resignal restrict return revoke right rlike role row row_number rows ' +
  'schema schemas second_microsecond select sensitive separator set show signal slow smallint ' +
  'spatial specific sql sql_after_gtids sql_before_gtids sql_big_result sql_calc_found_rows ' +
  'sql_small_result sqlexception sqlstate sqlwarning ssl starting stored straight_join system ' +
  'table terminated then tinyblob tinyint tinytext to trailing trigger true undo union unique ' +
  'unlock unsigned update usage use using utc_date utc_time utc_timestamp values varbinary ' +
  'varchar varcharacter varying virtual when where while window with write xor year_month ' +
  'zerofill';
const RESERVED_POSTGRESQL =
  'all analyse analyze and any array as asc asymmetric authorization between binary both case ' +
  'cast check collate column constraint create cross current_catalog current_date ' +
  'current_role current_schema current_time current_timestamp current_user default deferrable ' +
  'desc distinct do else end except false fetch for foreign freeze from full grant group ' +
  'having ilike in initially inner intersect into is isnull join leading left like limit ' +
  'localtime localtimestamp natural new not notnull null of off offset old on only or order ' +
  'outer over overlaps placing primary references returning right select session_user similar ' +
  'some symmetric table then to trailing true union unique user using variadic verbose when ' +
  'where window with';

const reserved: Record<SqlDialect, ReadonlySet<string>> = {
  mariadb: new Set(RESERVED_MARIADB.split(' ')),
  mysql: new Set(RESERVED_MYSQL.split(' ')),
  postgresql: new Set(RESERVED_POSTGRESQL.split(' ')),
};

/**
 * SQLAlchemy's `IdentifierPreparer.quote`: an identifier as SQLAlchemy writes it, quoted only when
 * it must be (a reserved word, an upper-case letter, a leading digit or `$`, any character but
 * letters, digits, `_` and `$`), the quote character doubled inside.
 * @param dialect - backquotes for MySQL/MariaDB, double quotes for PostgreSQL
 * @param name - a table, schema or sequence name
 * @returns the identifier, safe to put in a statement
 * @throws {@link TypeError} for an empty name or one with a NUL character
 * @example
 * ```ts
 * quoteIdentifier('postgresql', 'sessions'); // 'sessions'
 * quoteIdentifier('postgresql', 'My_Sess'); // '"My_Sess"'
 * quoteIdentifier('mariadb', 'select'); // '`select`'
 * ```
 */
export function quoteIdentifier(dialect: SqlDialect, name: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('\0'))
    throw new TypeError(`invalid SQL identifier: ${JSON.stringify(name)}`);
  const lc = name.toLowerCase();
  const plain =
    !reserved[dialect].has(lc) &&
    !/^[0-9$]/.test(name) &&
    /^[A-Z0-9_$]+$/iu.test(name) &&
    lc === name;
  if (plain) return name;
  const q = dialect === 'postgresql' ? '"' : '`';
  return q + name.split(q).join(q + q) + q;
}

/**
 * The statements for Flask-Session's table on a dialect: `CREATE TABLE` (and `CREATE SEQUENCE`)
 * exactly as SQLAlchemy emits them for `create_session_model(...)`, and the store's queries.
 * @param dialect - the database
 * @param options - the table, schema and sequence (`SESSION_SQLALCHEMY_*`)
 * @returns the SQL text; values are placeholders, bound at run time
 * @throws {@link TypeError} for an empty or invalid table, schema or sequence name
 * @example
 * ```ts
 * sqlStatements('postgresql', { table: 'sessions' }).createTable;
 * // CREATE TABLE sessions (\n\tid SERIAL NOT NULL, \n\tsession_id VARCHAR(255), ...
 * ```
 */
export function sqlStatements(dialect: SqlDialect, options: SqlTableOptions = {}): SqlStatements {
  const pg = dialect === 'postgresql';
  const q = (name: string) => quoteIdentifier(dialect, name);
  const table = options.table ?? 'sessions';
  const t = (options.schema ? q(options.schema) + '.' : '') + q(table);
  // MySQL has no sequences: SQLAlchemy ignores Sequence() there and uses AUTO_INCREMENT
  const sequence = options.sequence && dialect !== 'mysql' ? options.sequence : undefined;
  const idType = sequence
    ? 'INTEGER NOT NULL'
    : pg
      ? 'SERIAL NOT NULL'
      : 'INTEGER NOT NULL AUTO_INCREMENT';
  const createTable =
    `CREATE TABLE ${t} (\n` +
    `\tid ${idType}, \n` +
    `\tsession_id VARCHAR(255), \n` +
    `\tdata ${pg ? 'BYTEA' : 'BLOB'}, \n` +
    `\texpiry ${pg ? 'TIMESTAMP WITHOUT TIME ZONE' : 'DATETIME'}, \n` +
    `\tPRIMARY KEY (id), \n` +
    `\tUNIQUE (session_id)\n` +
    `)`;
  // placeholders: ? or $n, with the casts SQLAlchemy's PostgreSQL dialect writes
  let n = 0;
  const p = (cast = '') => (pg ? `$${++n}${cast}` : '?');
  const ts = pg ? '::TIMESTAMP WITHOUT TIME ZONE' : '';
  const vc = pg ? '::VARCHAR' : '';
  const stmt = (f: () => string) => {
    n = 0;
    return f();
  };
  const out: SqlStatements = {
    createTable,
    tableExists: pg
      ? stmt(
          () =>
            'SELECT 1 AS found FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
            `WHERE c.relname = $2::VARCHAR AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND CASE WHEN $1::VARCHAR IS NULL ` +
            "THEN pg_catalog.pg_table_is_visible(c.oid) AND n.nspname <> 'pg_catalog' ELSE n.nspname = $1::VARCHAR END",
        )
      : 'SELECT 1 AS found FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?',
    select: stmt(
      () =>
        `SELECT id, data, (expiry IS NULL OR expiry <= ${p(ts)}) AS expired FROM ${t} ` +
        `WHERE session_id = ${p(vc)} LIMIT 1`,
    ),
    deleteExpiredById: stmt(
      () => `DELETE FROM ${t} WHERE id = ${p()} AND (expiry IS NULL OR expiry <= ${p(ts)})`,
    ),
    update: stmt(
      () => `UPDATE ${t} SET data = ${p()}, expiry = ${p(ts)} WHERE session_id = ${p(vc)}`,
    ),
    insert: stmt(() => {
      const values = `${p(vc)}, ${p()}, ${p(ts)}`;
      if (!sequence) return `INSERT INTO ${t} (session_id, data, expiry) VALUES (${values})`;
      const next = pg ? `nextval(${p('::VARCHAR')})` : `NEXTVAL(${q(sequence)})`;
      return `INSERT INTO ${t} (id, session_id, data, expiry) VALUES (${next}, ${values})`;
    }),
    exists: stmt(() => `SELECT 1 AS found FROM ${t} WHERE session_id = ${p(vc)} LIMIT 1`),
    deleteBySessionId: stmt(() => `DELETE FROM ${t} WHERE session_id = ${p(vc)}`),
    deleteExpired: stmt(() => `DELETE FROM ${t} WHERE expiry <= ${p(ts)}`),
  };
  if (sequence) {
    // SQLAlchemy creates the sequence without the table's schema
    out.createSequence = `CREATE SEQUENCE ${q(sequence)}`;
    out.sequenceExists = pg
      ? "SELECT 1 AS found FROM pg_catalog.pg_class c WHERE c.relkind = 'S' AND c.relname = $1::VARCHAR AND pg_catalog.pg_table_is_visible(c.oid)"
      : "SELECT 1 AS found FROM information_schema.tables WHERE table_type = 'SEQUENCE' AND table_schema = DATABASE() AND table_name = ?";
  }
  return out;
}

/**
 * A naive UTC datetime as SQL text with microseconds, `YYYY-MM-DD HH:MM:SS.ffffff`: what
 * `datetime.utcnow()` sends. The column keeps what its type holds (MySQL/MariaDB `DATETIME`: whole
 * seconds, MariaDB truncating and MySQL rounding, as they do for Flask-Session's values).
 * @param ms - milliseconds since the Unix epoch
 * @returns the datetime text
 * @throws {@link RangeError} for a time outside years 1..9999
 * @example
 * ```ts
 * utcDatetime(Date.UTC(2024, 0, 2, 3, 4, 5, 678)); // '2024-01-02 03:04:05.678000'
 * ```
 */
export function utcDatetime(ms: number): string {
  const d = new Date(Math.floor(ms));
  const y = d.getUTCFullYear();
  if (!Number.isFinite(ms) || y < 1 || y > 9999)
    throw new RangeError(`datetime out of range: ${ms}`);
  const two = (x: number) => String(x).padStart(2, '0');
  return (
    `${String(y).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.` +
    `${String(d.getUTCMilliseconds()).padStart(3, '0')}000`
  );
}

/** The largest value a MySQL/MariaDB `BLOB` (SQLAlchemy's `LargeBinary`) holds. */
export const MYSQL_BLOB_MAX = 65_535;

/**
 * A {@link SessionStore} on Flask-Session's SQLAlchemy table, over any client that runs bound
 * statements ({@link SqlRunner}). Use `mysqlStore` (`flask-session-cookie/mysql`) or
 * `postgresStore` (`flask-session-cookie/postgres`), which make the runner from your pool.
 * Statements fail as a {@link SessionStoreError}.
 */
export class SqlAlchemyStore implements SessionStore {
  readonly #run: SqlRunner;
  readonly #options: SqlStoreOptions;
  readonly #now: () => number;
  readonly #dialect: SqlDialect | (() => Promise<SqlDialect>);
  #ready: Promise<{ dialect: SqlDialect; sql: SqlStatements }> | undefined;

  /**
   * @param run - runs one statement (see {@link SqlRunner})
   * @param dialect - the database, or how to find it (the MySQL adapter asks the server whether it
   *   is MariaDB)
   * @param options - table, schema, sequence, whether to create the table
   * @throws {@link TypeError} for an invalid table, schema or sequence name
   */
  constructor(
    run: SqlRunner,
    dialect: SqlDialect | (() => Promise<SqlDialect>),
    options: SqlStoreOptions = {},
  ) {
    if (typeof run !== 'function') throw new TypeError('"run" must be a function');
    this.#run = run;
    this.#dialect = dialect;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    sqlStatements('mysql', options); // validates the names now
  }

  /** The dialect and statements, after creating the table when missing (once; retried after a failure). */
  ready(): Promise<{ dialect: SqlDialect; sql: SqlStatements }> {
    this.#ready ??= this.#init().catch((e: unknown) => {
      this.#ready = undefined;
      throw wrap('creating the sessions table', e);
    });
    return this.#ready;
  }

  async #init(): Promise<{ dialect: SqlDialect; sql: SqlStatements }> {
    const dialect = typeof this.#dialect === 'function' ? await this.#dialect() : this.#dialect;
    const sql = sqlStatements(dialect, this.#options);
    if (this.#options.createTable ?? true) {
      // SQLAlchemy's `create(checkfirst=True)`: the sequence, then the table, each when missing. A
      // concurrent creator may win the race: then the object exists and the error is moot.
      const o = this.#options;
      const create = async (exists: string, params: unknown[], ddl: string) => {
        if ((await this.#run(exists, params)).rows.length) return;
        try {
          await this.#run(ddl, []);
        } catch (e) {
          if (!(await this.#run(exists, params)).rows.length) throw e;
        }
      };
      if (sql.createSequence && sql.sequenceExists)
        await create(sql.sequenceExists, [o.sequence], sql.createSequence);
      await create(sql.tableExists, [o.schema ?? null, o.table ?? 'sessions'], sql.createTable);
    }
    return { dialect, sql };
  }

  /** Creates the table (and sequence) now when missing, rather than on the first request. */
  async createTable(): Promise<void> {
    await this.ready();
  }

  /**
   * The row's data, or null for no row; an expired row (or one without `expiry`) is deleted and
   * is no session, as Flask-Session's `_retrieve_session_data` does.
   */
  async get(key: string): Promise<Uint8Array | null> {
    // a cookie can carry anything: an id that no row can have is no session (VARCHAR(255); NUL
    // is not text for PostgreSQL)
    if (key.length > 255 || key.includes('\0')) return null;
    const { sql } = await this.ready();
    const now = utcDatetime(this.#now());
    try {
      const { rows } = await this.#run(sql.select, [now, key]);
      const row = rows[0];
      if (!row) return null;
      const expired = row['expired'];
      if (expired === true || expired === 1 || expired === '1' || expired === 1n) {
        await this.#run(sql.deleteExpiredById, [row['id'], now]);
        return null;
      }
      const data = row['data'];
      if (data === null || data === undefined) return null;
      if (!(data instanceof Uint8Array)) throw new TypeError('the data column is not binary');
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (e) {
      throw wrap('reading a session', e);
    }
  }

  /** Updates the row, or inserts it: `expiry` = now + `ttlSeconds`, naive UTC. */
  async set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    const { dialect, sql } = await this.ready();
    if (dialect !== 'postgresql' && value.byteLength > MYSQL_BLOB_MAX)
      throw new SessionStoreError(
        `the session is ${value.byteLength} bytes: a MySQL BLOB column holds at most ${MYSQL_BLOB_MAX}`,
      );
    const expiry = utcDatetime(this.#now() + ttlSeconds * 1000);
    try {
      if ((await this.#run(sql.update, [value, expiry, key])).affectedRows > 0) return;
      const params: unknown[] = [key, value, expiry];
      if (dialect === 'postgresql' && this.#options.sequence)
        params.push(quoteIdentifier(dialect, this.#options.sequence));
      try {
        await this.#run(sql.insert, params);
      } catch (e) {
        // another request inserted the row since the update: update it now (the last write wins);
        // MySQL counts an update to the same values as 0 rows, hence the check for the row
        if ((await this.#run(sql.update, [value, expiry, key])).affectedRows > 0) return;
        if ((await this.#run(sql.exists, [key])).rows.length) return;
        throw e;
      }
    } catch (e) {
      throw wrap('writing a session', e);
    }
  }

  /** Deletes the row. */
  async delete(key: string): Promise<void> {
    const { sql } = await this.ready();
    try {
      await this.#run(sql.deleteBySessionId, [key]);
    } catch (e) {
      throw wrap('deleting a session', e);
    }
  }

  /**
   * Flask-Session's `_delete_expired_sessions`: deletes every row whose `expiry` is past (rows
   * without `expiry` stay, as there). The `cleanupNRequests` option calls it on about
   * one request in N+1; or call it from a timer, as `flask session_cleanup` from cron.
   * @returns how many rows were deleted
   */
  async deleteExpired(): Promise<number> {
    const { sql } = await this.ready();
    try {
      return (await this.#run(sql.deleteExpired, [utcDatetime(this.#now())])).affectedRows;
    } catch (e) {
      throw wrap('deleting expired sessions', e);
    }
  }
}

function wrap(what: string, e: unknown): SessionStoreError {
  if (e instanceof SessionStoreError) return e;
  return new SessionStoreError(`SQL store failed ${what}: ${(e as Error)?.message ?? String(e)}`, {
    cause: e,
  });
}
