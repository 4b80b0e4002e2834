import { mkdir } from 'node:fs/promises'
import { migrate } from './migrations.ts'
import { PgliteStore } from './pglite-store.ts'
import { PostgresStore } from './postgres-store.ts'
import type { Store } from './store.ts'

export interface OpenStoreOptions {
  /** PostgreSQL connection string; when set it wins over the data directory. */
  databaseUrl?: string
  /** Where the embedded engine persists; `memory` keeps it in memory. */
  dataDir: string
}

/** Opens the configured engine and brings its schema up to date. */
export async function openStore({ databaseUrl, dataDir }: OpenStoreOptions): Promise<Store> {
  let store: Store
  if (databaseUrl) {
    store = new PostgresStore({ connectionString: databaseUrl })
  } else if (dataDir === 'memory') {
    store = await PgliteStore.open()
  } else {
    await mkdir(dataDir, { recursive: true })
    store = await PgliteStore.open({ dataDir })
  }
  try {
    await migrate(store)
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}
