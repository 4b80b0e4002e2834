/**
 * The store port: one SQL dialect (PostgreSQL's) on two engines, PGlite embedded and PostgreSQL over the wire.
 * Parameters are positional (`$1`); JSON values are passed as text and cast in SQL (`$1::jsonb`) so both
 * engines treat them the same.
 */
export interface QueryResult<Row> {
  rows: Row[]
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>
  /** Runs one or more statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>
  /**
   * Bulk-loads `data`, rows in PostgreSQL's COPY text format (see `copy-text.ts`), into `table (columns)`: the
   * fastest way in. Optional: an engine without it leaves it undefined and callers insert with SQL instead.
   */
  copyFrom?(table: string, columns: readonly string[], data: string | Uint8Array): Promise<void>
}

export interface Store extends Queryable {
  readonly engine: 'pglite' | 'postgres'
  /** Runs `work` in one transaction: everything it wrote lands, or nothing does. */
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * Settings every session of either engine runs with. Synchronized sequential scans start where the last scan of
 * the table stopped, so a statement that reads "the first N matches" of a large table (search scores at most
 * SCORED_MATCHES documents per word) would read different rows each time: the same search twice gave different
 * results and totals. Without them every scan starts at the first block.
 */
export const SESSION_SETTINGS = 'set synchronize_seqscans = off'
