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
    // A new connection is handed out once its session settings are applied: a query sent while they still ran
    // would be queued on a busy client, which pg deprecates. A connection whose settings fail is not used.
    this.pool = new pg.Pool({ connectionString, max: maxConnections, onConnect: (client) => client.query(SESSION_SETTINGS) })
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => {})
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
