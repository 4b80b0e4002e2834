import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { BenchContext } from './bench-context.ts'
import { environmentNumber, progress, roundTo, type BenchResult } from './benchmark.ts'
import type { ImportChildRequest, ImportChildResult } from './import-catalog-child.ts'
import { againstTarget } from './latency-summary.ts'

const CHILD = fileURLToPath(new URL('./import-catalog-child.ts', import.meta.url))
const REPOSITORY = fileURLToPath(new URL('../', import.meta.url))
const TARGET_MS = { pglite: 30_000, postgres: 10_000 } as const

type EngineResult = BenchResult & { engine: 'pglite' | 'postgres' }

/** Runs one import in a child process, killed if it outlasts `timeoutMs`. */
function runImportChild(request: ImportChildRequest, timeoutMs: number): Promise<ImportChildResult | { timedOut: true } | { failed: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, JSON.stringify(request)], {
      cwd: REPOSITORY,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const timer = setTimeout(() => {
      timedOut = true
      progress(`${request.engine} import exceeded ${timeoutMs} ms; stopping it`)
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      resolve({ failed: error.message })
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (timedOut) return resolve({ timedOut: true })
      const line = output.trim().split('\n').pop() ?? ''
      try {
        resolve(JSON.parse(line) as ImportChildResult)
      } catch {
        resolve({ failed: `the import process ended with ${signal ?? `code ${code}`} and no result (see stderr)` })
      }
    })
  })
}

async function importInto(engine: ImportChildRequest['engine'], file: string, timeoutMs: number, databaseUrl?: string): Promise<EngineResult> {
  progress(`importing ${file} into ${engine}`)
  // Made and removed here, not in the child, so that a killed import leaves no data directory behind.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-bench-pglite-'))
  const request: ImportChildRequest = { file, engine, dataDir, databaseUrl }
  const started = performance.now()
  const outcome = await runImportChild(request, timeoutMs).finally(() => rm(dataDir, { recursive: true, force: true }))
  const processMs = roundTo(performance.now() - started, 1)
  const target = TARGET_MS[request.engine]
  if ('timedOut' in outcome) return { engine: request.engine, timedOut: true, timeoutMs, target: `under ${target / 1000} s`, targetMs: target, meetsTarget: false }
  if ('failed' in outcome) return { engine: request.engine, error: outcome.failed, processMs }
  progress(`${request.engine}: ${outcome.entities} entities in ${Math.round(outcome.importMs)} ms, peak RSS ${outcome.peakRssMiB} MiB`)
  return {
    ...outcome,
    target: `under ${target / 1000} s`,
    ...againstTarget(outcome.importMs, target),
    entitiesPerSecond: Math.round(outcome.entities / (outcome.importMs / 1000)),
    processMs,
  }
}

/** A fresh, uniquely named database on the server `BENCH_DATABASE_URL` points to, dropped by `drop()`. */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `portal_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`create database "${name}"`)
  } catch (error) {
    await admin.end()
    throw error
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    async drop() {
      try {
        await admin.query(`drop database if exists "${name}" with (force)`)
      } finally {
        await admin.end()
      }
    },
  }
}

/**
 * Imports the generated catalog through `createPlatform` + `catalog.import` into a fresh PGlite data directory,
 * and into a fresh PostgreSQL database when `BENCH_DATABASE_URL` is set. Each import runs in its own process.
 */
export async function catalogImportBenchmark(context: BenchContext): Promise<BenchResult> {
  const catalog = await context.demoCatalog()
  const timeoutMs = environmentNumber('BENCH_IMPORT_TIMEOUT_MS', 600_000)
  const pglite = await importInto('pglite', catalog.file, timeoutMs)

  let postgres: BenchResult
  const serverUrl = process.env.BENCH_DATABASE_URL
  if (!serverUrl) postgres = { skipped: 'set BENCH_DATABASE_URL to a PostgreSQL server to import into a fresh database there' }
  else {
    const database = await createScratchDatabase(serverUrl)
    progress(`created database ${database.name}`)
    try {
      postgres = { ...(await importInto('postgres', catalog.file, timeoutMs, database.url)), database: database.name }
    } finally {
      await database.drop()
      progress(`dropped database ${database.name}`)
    }
  }
  return {
    catalog: { file: catalog.file, entities: catalog.entities, files: catalog.files, cached: catalog.cached, generateMs: catalog.generateMs },
    pglite,
    postgres,
  }
}
