import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { SESSION_SETTINGS, type Queryable, type QueryResult, type Store } from './store.ts'

export interface PgliteStoreOptions {
  /** A directory to persist to; omitted means in memory. */
  dataDir?: string
  /** A dumped data directory (from `dumpDataDir`) to start from, which skips initdb. */
  loadDataDir?: Blob | File
}

/**
 * PGlite reads COPY input from the virtual file `/dev/blob`, filled from the query's `blob` option: parsing
 * happens inside PostgreSQL, so it is about twice as fast as an insert of parameter arrays (no array literals
 * to serialise in JavaScript and parse again in SQL).
 */
async function copyFromBlob(database: Pick<PGlite, 'query'>, table: string, columns: readonly string[], data: string | Uint8Array): Promise<void> {
  await database.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob: new Blob([data as BlobPart]) })
}

/** The embedded engine: PostgreSQL compiled to WASM, in this process, with pgvector. */
export class PgliteStore implements Store {
  readonly engine = 'pglite' as const
  readonly database: PGlite

  private constructor(database: PGlite) {
    this.database = database
  }

  static async open({ dataDir, loadDataDir }: PgliteStoreOptions = {}): Promise<PgliteStore> {
    const database = await PGlite.create({ dataDir, loadDataDir, extensions: { vector } })
    await database.exec(SESSION_SETTINGS)
    return new PgliteStore(database)
  }

  async query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<Row>> {
    const result = await this.database.query<Row>(sql, params)
    return { rows: result.rows }
  }

  async exec(sql: string): Promise<void> {
    await this.database.exec(sql)
  }

  async copyFrom(table: string, columns: readonly string[], data: string | Uint8Array): Promise<void> {
    await copyFromBlob(this.database, table, columns, data)
  }

  async transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    return this.database.transaction(async (transaction) =>
      work({
        query: async <Row>(sql: string, params: unknown[] = []) => ({ rows: (await transaction.query<Row>(sql, params)).rows }),
        exec: async (sql: string) => {
          await transaction.exec(sql)
        },
        copyFrom: (table: string, columns: readonly string[], data: string | Uint8Array) => copyFromBlob(transaction, table, columns, data),
      }),
    )
  }

  /** A snapshot of the whole database, loadable with `loadDataDir` (used to share a migrated store in tests). */
  async dump(): Promise<Blob> {
    return this.database.dumpDataDir('none')
  }

  async close(): Promise<void> {
    if (!this.database.closed) await this.database.close()
  }
}
