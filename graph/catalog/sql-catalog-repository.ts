import type { Store } from '../../core/store/store.ts'
import type { CatalogChange, CatalogRepository, IncomingEntity, StoredEntity } from './catalog-repository.ts'
import { planCatalogChange, type ExistingRow } from './plan-catalog-change.ts'

const BATCH = 2000

/** The catalog in the store (PGlite or PostgreSQL, same SQL). Rows are written in batches of JSON records. */
export class SqlCatalogRepository implements CatalogRepository {
  constructor(private readonly store: Store) {}

  async loadAll(): Promise<StoredEntity[]> {
    return this.select('select ref, uid, etag, origin, source, body from entities')
  }

  async load(refs: string[]): Promise<StoredEntity[]> {
    return refs.length === 0 ? [] : this.select('select ref, uid, etag, origin, source, body from entities where ref = any($1::text[])', [refs])
  }

  async isEmpty(): Promise<boolean> {
    return (await this.store.query('select 1 from entities limit 1')).rows.length === 0
  }

  private async select(sql: string, params?: unknown[]): Promise<StoredEntity[]> {
    const result = await this.store.query<{ ref: string; uid: string; etag: string; origin: string; source: string; body: StoredEntity['entity'] | string }>(sql, params)
    return result.rows.map((row) => ({ ref: row.ref, uid: row.uid, etag: row.etag, origin: row.origin, source: row.source, entity: typeof row.body === 'string' ? JSON.parse(row.body) : row.body }))
  }

  async replaceOrigins(origins: string[], incoming: IncomingEntity[]): Promise<CatalogChange> {
    return this.store.transaction(async (transaction) => {
      const existing = await transaction.query<ExistingRow>(
        'select ref, uid, etag, origin from entities where origin = any($1::text[]) or ref = any($2::text[])',
        [origins, incoming.map((entity) => entity.ref)],
      )
      const change = planCatalogChange(origins, incoming, existing.rows)
      const written = [...change.added, ...change.updated]
      for (let start = 0; start < written.length; start += BATCH) {
        const records = written.slice(start, start + BATCH).map((stored) => ({
          ref: stored.ref,
          uid: stored.uid,
          kind: stored.entity.kind,
          namespace: stored.entity.metadata.namespace ?? 'default',
          name: stored.entity.metadata.name,
          origin: stored.origin,
          source: stored.source,
          etag: stored.etag,
          body: stored.entity,
        }))
        await transaction.query(
          `insert into entities (ref, uid, kind, namespace, name, origin, source, etag, body)
           select ref, uid, kind, namespace, name, origin, source, etag, body
           from jsonb_to_recordset($1::jsonb) as record(ref text, uid text, kind text, namespace text, name text, origin text, source text, etag text, body jsonb)
           on conflict (ref) do update set origin = excluded.origin, source = excluded.source, etag = excluded.etag, body = excluded.body, updated_at = now()`,
          [JSON.stringify(records)],
        )
      }
      if (change.removed.length > 0) await transaction.query('delete from entities where ref = any($1::text[])', [change.removed])
      await transaction.query(
        `insert into locations (origin, entity_count)
         select origin, count from jsonb_to_recordset($1::jsonb) as record(origin text, count integer)
         on conflict (origin) do update set entity_count = excluded.entity_count, imported_at = now()`,
        [JSON.stringify(origins.map((origin) => ({ origin, count: incoming.filter((entity) => entity.origin === origin).length })))],
      )
      return change
    })
  }
}
