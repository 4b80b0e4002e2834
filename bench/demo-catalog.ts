import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { progress, roundTo } from './benchmark.ts'

const MARKER = '.portal-bench-complete.json'
const GENERATOR_DIRECTORY = fileURLToPath(new URL('../graph/demo/', import.meta.url))

export interface DemoCatalog {
  directory: string
  /** The root file to import: `<directory>/catalog-info.yaml`. */
  file: string
  scale: number
  entities: number
  files: number
  /** True when an earlier run's generated catalog was reused. */
  cached: boolean
  generateMs: number
}

interface Marker {
  scale: number
  entities: number
  files: number
  generator: string
}

/** A hash of the generator's sources, so a cached catalog is regenerated when the generator changes. */
async function generatorFingerprint(): Promise<string> {
  const hash = createHash('sha1')
  const names = (await readdir(GENERATOR_DIRECTORY)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')).sort()
  for (const name of names) hash.update(name).update(await readFile(path.join(GENERATOR_DIRECTORY, name)))
  return hash.digest('hex')
}

async function readMarker(directory: string): Promise<Marker | undefined> {
  try {
    return JSON.parse(await readFile(path.join(directory, MARKER), 'utf8')) as Marker
  } catch {
    return undefined
  }
}

/**
 * The generated demo organisation of about `scale` entities, under `os.tmpdir()/portal-bench-catalog-<scale>`.
 * It is generated once and reused while its marker file matches the scale and the generator's sources;
 * generation writes to a sibling directory and renames it, so an interrupted run never leaves half a catalog.
 */
export async function ensureDemoCatalog(scale: number): Promise<DemoCatalog> {
  const directory = path.join(os.tmpdir(), `portal-bench-catalog-${scale}`)
  const file = path.join(directory, 'catalog-info.yaml')
  const fingerprint = await generatorFingerprint()
  const marker = await readMarker(directory)
  if (marker && marker.scale === scale && marker.generator === fingerprint && existsSync(file)) {
    progress(`reusing the generated ${scale}-entity catalog in ${directory}`)
    return { directory, file, scale, entities: marker.entities, files: marker.files, cached: true, generateMs: 0 }
  }
  progress(`generating a ${scale}-entity catalog in ${directory}`)
  const started = performance.now()
  const partial = `${directory}.partial-${process.pid}`
  await rm(partial, { recursive: true, force: true })
  const written = await writeDemoOrg(partial, { scale })
  const fresh: Marker = { scale, entities: written.entities, files: written.files, generator: fingerprint }
  await writeFile(path.join(partial, MARKER), `${JSON.stringify(fresh, null, 2)}\n`)
  await rm(directory, { recursive: true, force: true })
  await rename(partial, directory)
  const generateMs = roundTo(performance.now() - started, 1)
  progress(`generated ${written.entities} entities in ${written.files} files (${Math.round(generateMs)} ms)`)
  return { directory, file, scale, entities: written.entities, files: written.files, cached: false, generateMs }
}
