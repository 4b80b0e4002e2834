import type { Catalog } from '../../graph/catalog/catalog.ts'
import { readCatalog } from '../../graph/ingest/read-catalog.ts'
import { ANNOTATION_MANAGED_BY_LOCATION, ANNOTATION_MANAGED_BY_ORIGIN_LOCATION, type Entity } from '../../graph/model/entity.ts'
import { emitRelations, entityRefOf } from '../../graph/model/entity-relations.ts'
import { normalizeEntityRef } from '../../graph/model/entity-ref.ts'
import { validateEntity } from '../../graph/model/validate-entity.ts'
import { mapBackstagePlugins, type PluginMapping } from './map-backstage-plugins.ts'
import { readAppConfigLocations } from './read-app-config-locations.ts'
import { readBackstageCatalog, type ReadBackstageOptions } from './read-backstage-catalog.ts'
import { isTemplate, templateSteps } from './template-steps.ts'
import {
  ANNOTATION_SOURCE, ANNOTATION_SOURCE_LOCATION, ANNOTATION_SOURCE_ORIGIN_LOCATION, ANNOTATION_SOURCE_UID,
  type MigrationReport, type MigrationSource, type SkippedItem,
} from './migration-report.ts'

export interface MigrateBackstageOptions {
  catalog: Catalog
  /** A running Backstage to read over HTTP. */
  url?: string
  token?: string
  /** A Backstage app-config.yaml whose catalog.locations are read from files (when there is no url). */
  appConfig?: string
  /** A Backstage app folder: its package.json files give the plugins report. */
  app?: string
  dryRun?: boolean
  fetch?: typeof globalThis.fetch
  pageSize?: number
  backoffMs?: number
  onProgress?: ReadBackstageOptions['onProgress']
  signal?: AbortSignal
}

/**
 * Brings a Backstage catalog over in one import (all or nothing): from a running Backstage's API, or from the
 * file locations of its app-config. Everything is kept as Backstage had it — every kind, annotation, label,
 * tag and link — with the source's uid and locations recorded as annotations. The report names what could not
 * be carried and why, lists each template's steps, and maps the app's plugins.
 */
export async function migrateBackstage(options: MigrateBackstageOptions): Promise<MigrationReport> {
  const { catalog, url, appConfig, app, dryRun = false } = options
  const plugins: PluginMapping[] = app ? await mapBackstagePlugins(app) : []
  if (url) return { ...(await migrateFromApi(options, url, dryRun)), plugins }
  if (appConfig) {
    const locations = await readAppConfigLocations(appConfig)
    const report = await catalog.import(locations.targets, { dryRun })
    // The templates as the files state them (also on a dry run, which stores nothing).
    const read = await readCatalog(locations.targets)
    const source: MigrationSource = { type: 'app-config', file: locations.file, locations: locations.targets }
    return { ...report, source, templates: read.entities.map(({ entity }) => entity).filter(isTemplate).map(templateSteps), plugins, skipped: locations.skipped }
  }
  return { entities: {}, relations: {}, errors: [], warnings: [], changes: { added: 0, updated: 0, removed: 0, unchanged: 0 }, dryRun, source: { type: 'none' }, templates: [], plugins, skipped: [] }
}

async function migrateFromApi({ catalog, token, fetch, pageSize, backoffMs, onProgress, signal }: MigrateBackstageOptions, url: string, dryRun: boolean) {
  const read = await readBackstageCatalog({ url, token, fetch, pageSize, backoffMs, onProgress, signal })
  const skipped: SkippedItem[] = read.malformed.map(({ position, reason }) => ({ ref: `(entity ${position + 1})`, reason: `not an entity: ${reason}` }))
  const documents: Entity[] = []
  const seen = new Set<string>()
  for (const source of read.entities) {
    const ref = entityRefOf(source)
    if (source.kind.toLowerCase() === 'location') {
      skipped.push({ ref, reason: 'a Location names files and URLs on the Backstage host; the entities it yielded are carried over, the Location itself is not' })
      continue
    }
    if (seen.has(ref)) {
      skipped.push({ ref, reason: 'Backstage served this entity twice; the first copy is kept' })
      continue
    }
    const errors = validateEntity(source).filter((problem) => problem.severity === 'error')
    if (errors.length > 0) {
      skipped.push({ ref, reason: `not valid here: ${errors.map((problem) => `${problem.field} ${problem.message}`).join('; ')}` })
      continue
    }
    seen.add(ref)
    documents.push(toPortalEntity(source, url))
  }
  skipped.push(...missingRelations(read.entities, documents))

  // One inline source named after the Backstage: migrating it again replaces what the last migration brought.
  const text = documents.map((entity) => JSON.stringify(entity)).join('\n---\n')
  // Its size is that of the catalog already read and checked, so the per-file limit for files does not apply.
  const report = await catalog.import([{ name: `backstage ${new URL(url).origin}${new URL(url).pathname.replace(/\/$/, '')}`, text }], { dryRun, maxFileBytes: Math.max(Buffer.byteLength(text), 10 * 1024 * 1024) })
  const source: MigrationSource = { type: 'backstage-api', url, api: read.api, entities: read.entities.length, requests: read.requests, retries: read.retries }
  return { ...report, source, templates: documents.filter(isTemplate).map(templateSteps), skipped }
}

/** The entity as the portal stores it: Backstage's bookkeeping (uid, etag, relations, status) moved aside or dropped. */
function toPortalEntity(source: Entity, url: string): Entity {
  const { relations: _relations, status: _status, ...entity } = source
  const { uid, etag: _etag, generation: _generation, ...metadata } = source.metadata
  const annotations = { ...metadata.annotations }
  const location = annotations[ANNOTATION_MANAGED_BY_LOCATION]
  const origin = annotations[ANNOTATION_MANAGED_BY_ORIGIN_LOCATION]
  delete annotations[ANNOTATION_MANAGED_BY_LOCATION]
  delete annotations[ANNOTATION_MANAGED_BY_ORIGIN_LOCATION]
  annotations[ANNOTATION_SOURCE] = url
  if (uid) annotations[ANNOTATION_SOURCE_UID] = uid
  if (location) annotations[ANNOTATION_SOURCE_LOCATION] = location
  if (origin) annotations[ANNOTATION_SOURCE_ORIGIN_LOCATION] = origin
  return { ...entity, metadata: { ...metadata, annotations } }
}

/**
 * Relations Backstage derived that the portal will not: each one is reported. The portal derives relations from
 * the spec as Backstage's built-in processor does, so a difference means a custom processor, an unknown kind or
 * an entity left behind.
 */
function missingRelations(source: Entity[], documents: Entity[]): SkippedItem[] {
  const derived = new Set<string>()
  for (const entity of documents) for (const relation of emitRelations(entity).relations) derived.add(`${relation.source} ${relation.type} ${relation.target}`)
  const skipped: SkippedItem[] = []
  for (const entity of source) {
    const ref = entityRefOf(entity)
    for (const relation of entity.relations ?? []) {
      let target: string
      try {
        target = normalizeEntityRef(relation.targetRef)
      } catch {
        target = String(relation.targetRef).toLowerCase()
      }
      const key = `${ref} ${relation.type} ${target}`
      if (!derived.has(key)) skipped.push({ ref: key, reason: 'a relation Backstage derived (a custom processor or a kind the portal does not know) that the portal does not derive from the entity' })
    }
  }
  return skipped
}
