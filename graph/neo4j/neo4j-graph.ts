import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver'

export interface Neo4jConnectionOptions {
  url: string
  user?: string
  password?: string
  /** The database to use; the server's default (`neo4j`) when absent. */
  database?: string
}

/**
 * One connection pool to Neo4j and the database the portal's graph lives in: the mirror writes through it, the
 * graph backend and `graph_cypher` read through it. Opening checks that the server answers, so a wrong
 * NEO4J_URL fails start-up with the reason instead of failing the first graph question.
 */
export class Neo4jGraph {
  readonly driver: Driver
  readonly database: string | undefined

  private constructor(driver: Driver, database: string | undefined) {
    this.driver = driver
    this.database = database
  }

  static async open({ url, user, password, database }: Neo4jConnectionOptions): Promise<Neo4jGraph> {
    const auth = user ? neo4j.auth.basic(user, password ?? '') : undefined
    const driver = neo4j.driver(url, auth, { userAgent: 'next-portal' })
    try {
      await driver.verifyConnectivity({ database })
    } catch (error) {
      await driver.close()
      throw new Error(`Neo4j at ${url} did not answer: ${(error as Error).message}`, { cause: error })
    }
    return new Neo4jGraph(driver, database)
  }

  /** Runs `work` in a read transaction (retried on transient errors, like a leader change). */
  read<T>(work: (transaction: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ })
    return session.executeRead(work).finally(() => session.close())
  }

  /** Runs `work` in a write transaction (retried on transient errors, like a deadlock between two replicas). */
  write<T>(work: (transaction: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE })
    return session.executeWrite(work).finally(() => session.close())
  }

  /** One read query in its own transaction. */
  query<Shape extends RecordShape = RecordShape>(cypher: string, parameters: Record<string, unknown> = {}): Promise<QueryResult<Shape>> {
    return this.read((transaction) => transaction.run<Shape>(cypher, parameters))
  }

  close(): Promise<void> {
    return this.driver.close()
  }
}

/** A label or relationship type as a Cypher identifier, backtick-quoted so that no name can break out of it. */
export function cypherName(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}
