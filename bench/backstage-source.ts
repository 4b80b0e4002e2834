/**
 * A real Backstage serving the generated catalog, for the migration benchmark: started through
 * infra/backstage/start.sh and waited on until its catalog has ingested every entity.
 */
import { execFile } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { progress } from './benchmark.ts'

const run = promisify(execFile)
const INFRA = fileURLToPath(new URL('../infra/backstage/', import.meta.url))
const DEFAULT_TOKEN = 'next-portal-backstage-test-token'
// Backstage re-processes every entity each interval (2 s in the test config); at 10,000 entities that work never
// ends and starves both the first ingestion and the reads being measured. A day means: processed once.
const PROCESSING_INTERVAL_SECONDS = 86_400

export interface StartedBackstage {
  url: string
  token: string
  /** From the start to the whole catalog served. */
  loadMs: number
  /** What Backstage's by-query counted when it was complete (the generated entities and its own Locations). */
  totalItems: number
  stop(): Promise<void>
}

/** The number of entities Backstage serves now (by-query's totalItems). */
export async function backstageTotal(url: string, token: string): Promise<number> {
  const response = await fetch(new URL('/api/catalog/entities/by-query?limit=1', url), { headers: { authorization: `Bearer ${token}` } })
  if (!response.ok) throw new Error(`Backstage answered HTTP ${response.status} to by-query`)
  return ((await response.json()) as { totalItems?: number }).totalItems ?? 0
}

/**
 * Starts Backstage on `catalogFile` (port BENCH_BACKSTAGE_PORT, 7018) and waits until it serves at least
 * `entities` entities and the count has stopped growing: Backstage ingests a file catalog entity by entity in
 * the background (about 15 minutes for 10,000 on two shared cores), and a read before that would miss some.
 */
export async function startBackstage(catalogFile: string, entities: number, { timeoutMs }: { timeoutMs: number }): Promise<StartedBackstage> {
  const token = process.env.BACKSTAGE_TEST_TOKEN ?? DEFAULT_TOKEN
  const environment = {
    ...process.env,
    BACKSTAGE_TEST_PORT: process.env.BENCH_BACKSTAGE_PORT ?? '7018',
    BACKSTAGE_TEST_TOKEN: token,
    BACKSTAGE_CATALOG_TARGET: catalogFile,
    BACKSTAGE_PROCESSING_INTERVAL: String(PROCESSING_INTERVAL_SECONDS),
  }
  const started = performance.now()
  const { stdout } = await run('bash', [`${INFRA}start.sh`], { env: environment, maxBuffer: 1 << 24 })
  const url = stdout.trim().split('\n').pop()!
  const stop = async () => {
    await run('bash', [`${INFRA}stop.sh`], { env: environment }).catch((error: Error) => progress(`stopping Backstage: ${error.message}`))
  }
  try {
    let previous = -1
    for (;;) {
      const total = await backstageTotal(url, token)
      if (total >= entities && total === previous) return { url, token, loadMs: performance.now() - started, totalItems: total, stop }
      if (performance.now() - started > timeoutMs) throw new Error(`Backstage served ${total} of ${entities} entities after ${Math.round(timeoutMs / 1000)} s (BENCH_BACKSTAGE_LOAD_TIMEOUT_MS)`)
      if (total !== previous) progress(`Backstage has ingested ${total} of ${entities} entities`)
      previous = total
      await sleep(total >= entities ? 5_000 : 15_000)
    }
  } catch (error) {
    await stop()
    throw error
  }
}
