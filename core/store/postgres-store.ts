import pg from 'pg'
import { SESSION_SETTINGS, type Queryable, type QueryResult, type Store } from './store.ts'

export interface PostgresStoreOptions {
  connectionString: string
  /** Pool size per replica. */
  maxConnections?: number
}

/** PostgreSQL (with pgvector) over the wire, for scale: the same SQL as the embedded engine. */
export class PostgresStore implements Store {
  readonly engine = 'postgres' as const
  private readonly pool: pg.Pool

  constructor({ connectionString, maxConnections = 10 }: PostgresStoreOptions) {
    this.pool = new pg.Pool({ connectionString, max: maxConnections })
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => {})
    // Queued on the new connection ahead of the query it was opened for.
    this.pool.on('connect', (client) => void client.query(SESSION_SETTINGS).catch(() => {}))
  }

  async query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<Row>> {
    const result = await this.pool.query(sql, params)
    return { rows: result.rows as Row[] }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql)
  }

  async transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('begin')
      const result = await work({
        query: async <Row>(sql: string, params: unknown[] = []) => ({ rows: (await client.query(sql, params)).rows as Row[] }),
        exec: async (sql: string) => {
          await client.query(sql)
        },
      })
      await client.query('commit')
      return result
    } catch (error) {
      await client.query('rollback').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
