import type { EventBus } from '../../core/events/event-bus.ts'
import { PortalError } from '../../core/errors.ts'
import { CatalogIndex } from '../index/catalog-index.ts'
import { readCatalog, type ReadCatalogOptions, type ReadEntity } from '../ingest/read-catalog.ts'
import type { CatalogProblem } from '../model/catalog-problem.ts'
import { emitRelations, type EmittedRelation } from '../model/entity-relations.ts'
import type { CatalogChange, CatalogRepository } from './catalog-repository.ts'

export const CATALOG_CHANGED = 'catalog-changed'

export interface CatalogChangedPayload {
  upserted: string[]
  removed: string[]
}

export interface ReportProblem {
  file: string
  entity?: string
  field?: string
  message: string
}

/** The result of an import, the JSON that `portal import --json` prints. */
export interface ImportReport {
  entities: Record<string, number>
  relations: Record<string, number>
  errors: ReportProblem[]
  warnings: ReportProblem[]
  changes: { added: number; updated: number; removed: number; unchanged: number }
  dryRun: boolean
}

export interface ImportOptions extends ReadCatalogOptions {
  dryRun?: boolean
}

function toReportProblem({ severity: _severity, ...problem }: CatalogProblem): ReportProblem {
  return problem
}

/**
 * The catalog: its store, its in-memory index, and the one way entities change (imports, all or nothing).
 * Every change is applied to the index and announced on the bus as `catalog-changed`.
 */
export class Catalog {
  readonly index: CatalogIndex
  private readonly repository: CatalogRepository
  private readonly bus: EventBus

  private constructor(repository: CatalogRepository, bus: EventBus, index: CatalogIndex) {
    this.repository = repository
    this.bus = bus
    this.index = index
    // Another replica's change: read what it touched from the shared store. Reading, rather than trusting the
    // event's content, makes late, repeated or reordered events harmless: the index ends at the store's state.
    bus.subscribe(CATALOG_CHANGED, (event) => this.refresh(event.payload as CatalogChangedPayload), { remoteOnly: true })
  }

  static async open({ repository, bus }: { repository: CatalogRepository; bus: EventBus }): Promise<Catalog> {
    return new Catalog(repository, bus, new CatalogIndex(await repository.loadAll()))
  }

  /** Whether the store holds no entity (the index may not have heard of another replica's import yet). */
  isEmpty(): Promise<boolean> {
    return this.repository.isEmpty()
  }

  /** Brings the index's copy of `refs` up to the store's; in the import queue, so no older read lands last. */
  refresh({ upserted, removed }: CatalogChangedPayload): Promise<void> {
    const refs = [...new Set([...upserted, ...removed])]
    const result = this.queue.then(async () => {
      const stored = await this.repository.load(refs)
      const present = new Set(stored.map((entity) => entity.ref))
      const changed = stored.filter((entity) => this.index.getStored(entity.ref)?.etag !== entity.etag)
      this.index.apply({ upserted: changed, removed: refs.filter((ref) => !present.has(ref) && this.index.has(ref)) })
    })
    this.queue = result.catch(() => undefined)
    return result
  }

  /** Reads, checks and (unless dry run) stores the given locations. Problems are reported, never thrown. */
  async import(targets: Array<string | { name: string; text: string }>, options: ImportOptions = {}): Promise<ImportReport> {
    // One import at a time per process: each one plans against the index the previous one left.
    const result = this.queue.then(() => this.importNow(targets, options))
    this.queue = result.catch(() => undefined)
    return result
  }

  private queue: Promise<unknown> = Promise.resolve()

  private async importNow(targets: Array<string | { name: string; text: string }>, { dryRun = false, ...readOptions }: ImportOptions): Promise<ImportReport> {
    const { read, report } = await this.check(targets, readOptions, dryRun)
    // All or nothing: an import with errors writes nothing, so a bad file cannot leave half a catalog.
    if (report.errors.length > 0 || dryRun) return report
    let change: CatalogChange
    try {
      change = await this.repository.replaceOrigins(read.origins, read.entities)
    } catch (error) {
      if (!(error instanceof PortalError)) throw error
      report.errors.push(...(error.issues.length > 0 ? error.issues.map((issue) => ({ file: read.entities.find((entity) => entity.ref === issue.path)?.source ?? '', entity: issue.path, message: issue.message })) : [{ file: '', message: error.message }]))
      return report
    }
    report.changes = { added: change.added.length, updated: change.updated.length, removed: change.removed.length, unchanged: change.unchanged }
    await this.applyChange(change)
    return report
  }

  /** Checks YAML text without storing it: the problems an import of it would report. */
  async validate(text: string, name = '<input>'): Promise<{ entities: string[]; errors: ReportProblem[]; warnings: ReportProblem[] }> {
    const { read, report } = await this.check([{ name, text }], {}, true)
    return { entities: read.entities.map((entity) => entity.ref), errors: report.errors, warnings: report.warnings }
  }

  private async check(targets: Array<string | { name: string; text: string }>, readOptions: ReadCatalogOptions, dryRun: boolean) {
    const read = await readCatalog(targets, readOptions)
    // Derived once per entity, for the dangling-reference check and the report's relation counts.
    const emitted = read.entities.map(({ entity }) => emitRelations(entity).relations)
    const problems = [...read.problems, ...this.danglingReferences(read.entities, emitted)]
    const report: ImportReport = {
      entities: {},
      relations: {},
      errors: problems.filter((problem) => problem.severity === 'error').map(toReportProblem),
      warnings: problems.filter((problem) => problem.severity === 'warning').map(toReportProblem),
      changes: { added: 0, updated: 0, removed: 0, unchanged: 0 },
      dryRun,
    }
    const relationKeys = new Set<string>()
    for (const [position, { entity }] of read.entities.entries()) {
      report.entities[entity.kind] = (report.entities[entity.kind] ?? 0) + 1
      for (const relation of emitted[position]!) {
        const key = `${relation.source} ${relation.type} ${relation.target}`
        if (relationKeys.has(key)) continue
        relationKeys.add(key)
        report.relations[relation.type] = (report.relations[relation.type] ?? 0) + 1
      }
    }
    return { read, report }
  }

  private danglingReferences(entities: ReadEntity[], emitted: EmittedRelation[][]): CatalogProblem[] {
    const incoming = new Set(entities.map((entity) => entity.ref))
    const problems: CatalogProblem[] = []
    for (const [position, { ref, source }] of entities.entries()) {
      for (const relation of emitted[position]!) {
        if (relation.source !== ref || !relation.field) continue
        if (!incoming.has(relation.target) && !this.index.has(relation.target)) {
          problems.push({ severity: 'warning', file: source, entity: ref, field: relation.field, message: `refers to ${relation.target}, which is not in the catalog (yet); the relation is kept` })
        }
      }
    }
    return problems
  }

  private async applyChange(change: CatalogChange): Promise<void> {
    const upserted = [...change.added, ...change.updated]
    if (upserted.length === 0 && change.removed.length === 0) return
    this.index.apply({ upserted, removed: change.removed })
    const payload: CatalogChangedPayload = { upserted: upserted.map((entity) => entity.ref), removed: change.removed }
    await this.bus.publish({ type: CATALOG_CHANGED, payload })
  }
}
