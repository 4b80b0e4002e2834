import { createHash, randomUUID } from 'node:crypto'
import { ConflictError } from '../../core/errors.ts'
import type { CatalogChange, IncomingEntity, StoredEntity } from './catalog-repository.ts'

export interface ExistingRow {
  ref: string
  uid: string
  etag: string
  origin: string
}

/** A content hash of the authored entity, so re-importing an unchanged file writes nothing. */
export function entityEtag(incoming: IncomingEntity): string {
  const { uid: _uid, etag: _etag, ...metadata } = incoming.entity.metadata
  return createHash('sha1').update(JSON.stringify({ ...incoming.entity, metadata, origin: incoming.origin, source: incoming.source })).digest('hex')
}

/**
 * Decides what replacing `origins` with `incoming` changes, given the rows that exist for those origins and
 * for the incoming references. Shared by every repository so that they agree on uids, etags and conflicts.
 */
export function planCatalogChange(origins: string[], incoming: IncomingEntity[], existing: ExistingRow[], newUid: () => string = randomUUID): CatalogChange {
  const originSet = new Set(origins)
  const existingByRef = new Map(existing.map((row) => [row.ref, row]))
  const conflicts = incoming.filter((entity) => {
    const row = existingByRef.get(entity.ref)
    return row !== undefined && !originSet.has(row.origin) && row.origin !== entity.origin
  })
  if (conflicts.length > 0) {
    throw new ConflictError(
      `${conflicts.length} ${conflicts.length === 1 ? 'entity is' : 'entities are'} already managed by another location; re-import or remove that location first`,
      { issues: conflicts.map((entity) => ({ path: entity.ref, message: `defined in ${entity.source}, already managed by ${existingByRef.get(entity.ref)!.origin}` })) },
    )
  }
  const change: CatalogChange = { added: [], updated: [], removed: [], unchanged: 0 }
  const incomingRefs = new Set<string>()
  for (const entity of incoming) {
    incomingRefs.add(entity.ref)
    const etag = entityEtag(entity)
    const row = existingByRef.get(entity.ref)
    if (row && row.etag === etag) {
      change.unchanged++
      continue
    }
    const uid = row?.uid ?? newUid()
    const stored: StoredEntity = {
      ref: entity.ref,
      uid,
      etag,
      origin: entity.origin,
      source: entity.source,
      entity: { ...entity.entity, metadata: { ...entity.entity.metadata, uid, etag } },
    }
    ;(row ? change.updated : change.added).push(stored)
  }
  for (const row of existing) {
    if (originSet.has(row.origin) && !incomingRefs.has(row.ref)) change.removed.push(row.ref)
  }
  return change
}
