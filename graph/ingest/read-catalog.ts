import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { parseDocuments } from './parse-documents.ts'
import type { CatalogProblem } from '../model/catalog-problem.ts'
import { ANNOTATION_MANAGED_BY_LOCATION, ANNOTATION_MANAGED_BY_ORIGIN_LOCATION, type Entity } from '../model/entity.ts'
import { entityRefOf } from '../model/entity-relations.ts'
import { validateEntity } from '../model/validate-entity.ts'

export interface ReadEntity {
  entity: Entity
  ref: string
  /** The file or URL the entity was read from. */
  source: string
  /** The location the import started from (`file:/abs/path` or the URL); re-importing it replaces its entities. */
  origin: string
}

export interface ReadCatalogResult {
  entities: ReadEntity[]
  problems: CatalogProblem[]
  /** Every origin read, including those that yielded no entity (so their old entities are removed). */
  origins: string[]
}

export interface ReadCatalogOptions {
  /** Resolves relative paths. */
  cwd?: string
  fetch?: typeof globalThis.fetch
  /** Larger files are refused, so one huge file cannot exhaust memory. */
  maxFileBytes?: number
}

const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.portal', '.cache'])

type ResolvedSource = { kind: 'file'; path: string } | { kind: 'url'; url: URL }
type Source = ResolvedSource | { kind: 'inline'; name: string; text: string }

function describe(source: Source): string {
  return source.kind === 'file' ? source.path : source.kind === 'url' ? source.url.href : source.name
}

function locationKey(source: Source): string {
  return source.kind === 'file' ? `file:${source.path}` : source.kind === 'url' ? `url:${source.url.href}` : `inline:${source.name}`
}

function isUrl(target: string): boolean {
  return /^https?:\/\//i.test(target)
}

/** Resolves a target relative to the file that names it (a path, a URL, or a `file:`/`url:` location). */
function resolveSource(target: string, base: Source | undefined, cwd: string): ResolvedSource {
  if (target.startsWith('url:')) target = target.slice(4)
  const directory = base?.kind === 'file' ? path.dirname(base.path) : cwd
  if (target.startsWith('file://')) return { kind: 'file', path: fileURLToPath(target) }
  if (target.startsWith('file:')) return { kind: 'file', path: path.resolve(directory, target.slice(5)) }
  if (isUrl(target)) return { kind: 'url', url: new URL(target) }
  if (base?.kind === 'url') return { kind: 'url', url: new URL(target, base.url) }
  return { kind: 'file', path: path.resolve(directory, target) }
}

/**
 * Reads catalog input the way Backstage does: catalog-info files (multi-document YAML), directories,
 * Location entities (targets followed relative to the Location's file, cycles reported), and
 * `$text`/`$json`/`$yaml` placeholders (local files substituted; remote ones left as they are, with a warning).
 * It never throws for bad input: every problem is reported with its file, entity and field.
 */
export async function readCatalog(targets: Array<string | { name: string; text: string }>, { cwd = process.cwd(), fetch = globalThis.fetch, maxFileBytes = DEFAULT_MAX_FILE_BYTES }: ReadCatalogOptions = {}): Promise<ReadCatalogResult> {
  const entities: ReadEntity[] = []
  const problems: CatalogProblem[] = []
  const origins: string[] = []
  const seenRefs = new Map<string, string>()
  const visited = new Set<string>()

  async function load(source: Source): Promise<string> {
    if (source.kind === 'inline') {
      if (Buffer.byteLength(source.text) > maxFileBytes) throw new Error(`is larger than the ${maxFileBytes} byte limit`)
      return source.text
    }
    if (source.kind === 'url') {
      const response = await fetch(source.url, { headers: { accept: 'application/yaml, text/yaml, text/plain, */*' } })
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`)
      const text = await response.text()
      if (Buffer.byteLength(text) > maxFileBytes) throw new Error(`is larger than the ${maxFileBytes} byte limit`)
      return text
    }
    const info = await stat(source.path)
    if (info.size > maxFileBytes) throw new Error(`is ${info.size} bytes, larger than the ${maxFileBytes} byte limit`)
    return readFile(source.path, 'utf8')
  }

  async function substitutePlaceholders(value: unknown, source: Source, entity: string, field: string): Promise<unknown> {
    if (Array.isArray(value)) {
      return Promise.all(value.map((item, index) => substitutePlaceholders(item, source, entity, `${field}[${index}]`)))
    }
    if (typeof value !== 'object' || value === null) return value
    const keys = Object.keys(value)
    const record = value as Record<string, unknown>
    if (keys.length === 1 && ['$text', '$json', '$yaml'].includes(keys[0]!) && typeof record[keys[0]!] === 'string') {
      const placeholder = keys[0]!
      const target = record[placeholder] as string
      const resolved = resolveSource(target, source, cwd)
      if (resolved.kind === 'url') {
        problems.push({ severity: 'warning', file: describe(source), entity, field, message: `${placeholder} ${target} is remote; kept unresolved` })
        return value
      }
      try {
        const text = await load(resolved)
        if (placeholder === '$text') return text
        if (placeholder === '$json') return JSON.parse(text)
        return parseYaml(text)
      } catch (error) {
        problems.push({ severity: 'error', file: describe(source), entity, field, message: `${placeholder} ${target} could not be read: ${(error as Error).message}` })
        return value
      }
    }
    const out: Record<string, unknown> = {}
    for (const key of keys) out[key] = await substitutePlaceholders(record[key], source, entity, field ? `${field}.${key}` : key)
    return out
  }

  async function readSource(source: Source, origin: string, chain: string[], options: { optional?: boolean; fromDirectory?: boolean } = {}): Promise<void> {
    const key = locationKey(source)
    if (chain.includes(key)) {
      problems.push({ severity: 'warning', file: chain[chain.length - 1]!.replace(/^(file|url):/, ''), message: `Location cycle ${[...chain, key].map((item) => item.replace(/^(file|url):/, '')).join(' → ')}; not followed again` })
      return
    }
    if (visited.has(key)) return
    visited.add(key)
    const file = describe(source)

    if (source.kind === 'file') {
      let info
      try {
        info = await stat(source.path)
      } catch {
        problems.push({ severity: options.optional ? 'warning' : 'error', file, message: options.optional ? 'optional location does not exist; skipped' : 'no such file or directory' })
        return
      }
      if (info.isDirectory()) {
        for (const child of await listCatalogFiles(source.path)) await readSource({ kind: 'file', path: child }, origin, [...chain, key], { fromDirectory: true })
        return
      }
    }

    let text: string
    try {
      text = await load(source)
    } catch (error) {
      problems.push({ severity: options.optional ? 'warning' : 'error', file, message: `could not be read: ${(error as Error).message}` })
      return
    }
    for (const [index, document] of parseDocuments(text).entries()) {
      if ('errors' in document) {
        for (const error of document.errors) problems.push({ severity: 'error', file, message: `YAML document ${index + 1}: ${error}` })
        continue
      }
      const raw = document.value
      if (raw === null || raw === undefined) continue
      const isMapping = typeof raw === 'object' && !Array.isArray(raw)
      if (options.fromDirectory && (!isMapping || (!('kind' in (raw as object)) && !('apiVersion' in (raw as object))))) {
        problems.push({ severity: 'warning', file, message: `YAML document ${index + 1} is not a catalog entity (no apiVersion or kind); skipped` })
        continue
      }
      const label = labelOf(raw, index)
      // Placeholders first, as Backstage does: `definition: {$text: ./api.yaml}` is validated as the text it names.
      const problemsBefore = problems.length
      const entity = (await substitutePlaceholders(raw, source, label, '')) as Entity
      // A placeholder that could not be read is an error of this entity: it must not land half-substituted.
      if (problems.slice(problemsBefore).some((problem) => problem.severity === 'error')) continue
      const entityProblems = validateEntity(entity)
      for (const problem of entityProblems) problems.push({ severity: problem.severity, file, entity: label, field: problem.field, message: problem.message })
      if (entityProblems.some((problem) => problem.severity === 'error')) continue
      const ref = entityRefOf(entity)
      const firstSeen = seenRefs.get(ref)
      if (firstSeen) {
        problems.push({ severity: 'error', file, entity: ref, message: `${ref} is also defined in ${firstSeen}; an entity may be defined only once` })
        continue
      }
      seenRefs.set(ref, file)
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        [ANNOTATION_MANAGED_BY_LOCATION]: key,
        [ANNOTATION_MANAGED_BY_ORIGIN_LOCATION]: origin,
      }
      entities.push({ entity, ref, source: file, origin })

      if (entity.kind === 'Location') {
        const spec = entity.spec as { target?: string; targets?: string[]; presence?: 'required' | 'optional' }
        for (const target of [...(spec.target ? [spec.target] : []), ...(spec.targets ?? [])]) {
          for (const resolved of await expandTarget(target, source)) {
            await readSource(resolved, origin, [...chain, key], { optional: spec.presence === 'optional' })
          }
        }
      }
    }
  }

  async function expandTarget(target: string, base: Source): Promise<Source[]> {
    const resolved = resolveSource(target, base, cwd)
    if (resolved.kind === 'url' || !/[*?]/.test(resolved.path)) return [resolved]
    // A glob such as ./services/*/catalog-info.yaml: walk from the part before the first wildcard.
    const firstWildcard = resolved.path.search(/[*?]/)
    const root = resolved.path.slice(0, resolved.path.lastIndexOf(path.sep, firstWildcard))
    const pattern = globToRegExp(resolved.path)
    const files = await listFiles(root).catch(() => [])
    return files.filter((file) => pattern.test(file)).sort().map((file) => ({ kind: 'file', path: file }))
  }

  for (const target of targets) {
    const source: Source = typeof target === 'string' ? resolveSource(target, undefined, cwd) : { kind: 'inline', ...target }
    const origin = locationKey(source)
    origins.push(origin)
    await readSource(source, origin, [])
  }
  return { entities, problems, origins }
}

/** How problems name an entity: its canonical reference when kind and name can be read, else its position. */
function labelOf(raw: unknown, index: number): string {
  const document = raw as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }
  const kind = document?.kind
  const name = document?.metadata?.name
  const namespace = typeof document?.metadata?.namespace === 'string' ? document.metadata.namespace : 'default'
  return typeof kind === 'string' && typeof name === 'string' ? `${kind}:${namespace}/${name}`.toLowerCase() : `document ${index + 1}`
}

function globToRegExp(pattern: string): RegExp {
  let out = ''
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!
    if (char === '*' && pattern[index + 1] === '*') {
      index++
      // `**/` is any number of whole directories; a bare `**` anything.
      if (pattern[index + 1] === '/') {
        out += '(?:.*/)?'
        index++
      } else out += '.*'
    } else if (char === '*') out += '[^/]*'
    else if (char === '?') out += '[^/]'
    else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${out}$`)
}

async function listFiles(directory: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name)
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) out.push(...(await listFiles(full)))
    } else out.push(full)
  }
  return out
}

async function listCatalogFiles(directory: string): Promise<string[]> {
  return (await listFiles(directory)).filter((file) => /\.ya?ml$/i.test(file)).sort()
}

