import type { Entity } from '../model/entity.ts'

/** An entity as the store keeps it: the authored entity (with uid and etag in its metadata) and where it came from. */
export interface StoredEntity {
  ref: string
  uid: string
  etag: string
  origin: string
  source: string
  entity: Entity
}

export interface IncomingEntity {
  ref: string
  origin: string
  source: string
  entity: Entity
}

export interface CatalogChange {
  added: StoredEntity[]
  updated: StoredEntity[]
  removed: string[]
  unchanged: number
}

/** The catalog's persistence port: SQL (PGlite or PostgreSQL) or memory (for `--catalog` runs). */
export interface CatalogRepository {
  loadAll(): Promise<StoredEntity[]>
  /** The stored entities among `refs` (those not stored are left out). */
  load(refs: string[]): Promise<StoredEntity[]>
  /** Whether no entity is stored. */
  isEmpty(): Promise<boolean>
  /**
   * Makes `incoming` the complete content of `origins`, in one transaction: adds and updates what changed,
   * removes what disappeared from those origins. Throws ConflictError, changing nothing, when an incoming
   * entity is already managed by another origin.
   */
  replaceOrigins(origins: string[], incoming: IncomingEntity[]): Promise<CatalogChange>
}
