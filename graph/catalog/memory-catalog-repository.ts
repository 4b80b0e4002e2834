import type { CatalogChange, CatalogRepository, IncomingEntity, StoredEntity } from './catalog-repository.ts'
import { planCatalogChange } from './plan-catalog-change.ts'

/** Keeps the catalog in this process only: for `--catalog` runs, which must not open the data directory. */
export class MemoryCatalogRepository implements CatalogRepository {
  private readonly rows = new Map<string, StoredEntity>()

  async loadAll(): Promise<StoredEntity[]> {
    return [...this.rows.values()]
  }

  async load(refs: string[]): Promise<StoredEntity[]> {
    return refs.flatMap((ref) => this.rows.get(ref) ?? [])
  }

  async isEmpty(): Promise<boolean> {
    return this.rows.size === 0
  }

  async replaceOrigins(origins: string[], incoming: IncomingEntity[]): Promise<CatalogChange> {
    const change = planCatalogChange(origins, incoming, [...this.rows.values()])
    for (const stored of [...change.added, ...change.updated]) this.rows.set(stored.ref, stored)
    for (const ref of change.removed) this.rows.delete(ref)
    return change
  }
}
