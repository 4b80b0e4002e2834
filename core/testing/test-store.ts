import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { inject } from 'vitest'
import { migrate } from '../store/migrations.ts'
import { PgliteStore } from '../store/pglite-store.ts'
import { PostgresStore } from '../store/postgres-store.ts'
import type { Store } from '../store/store.ts'

export type Engine = 'pglite' | 'postgres'

/** The PostgreSQL server the tests use (started by `npm test` through infra/postgres), if any. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL

/** The engines to run store-backed suites on: PGlite always, PostgreSQL when a test server is configured. */
export const testEngines: Engine[] = testDatabaseUrl ? ['pglite', 'postgres'] : ['pglite']

export interface TestStore {
  store: Store
  /** The connection string of the store's own database (PostgreSQL only), for a second process to share it. */
  databaseUrl?: string
  close(): Promise<void>
}

/**
 * A migrated, empty store of the given engine, private to the caller: PGlite from the suite's dumped template,
 * PostgreSQL as a new database on the test server, dropped on close.
 */
export async function openTestStore(engine: Engine): Promise<TestStore> {
  if (engine === 'pglite') {
    const template = await readFile(inject('pgliteTemplate'))
    const store = await PgliteStore.open({ loadDataDir: new Blob([template]) })
    return { store, close: () => store.close() }
  }
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set; run the tests with npm test, which starts PostgreSQL')
  const name = `portal_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: testDatabaseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(testDatabaseUrl)
  url.pathname = `/${name}`
  const store = new PostgresStore({ connectionString: url.href })
  await migrate(store)
  return {
    store,
    databaseUrl: url.href,
    async close() {
      await store.close()
      const cleanup = new pg.Client({ connectionString: testDatabaseUrl })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}
