import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { toYamlStream, type YamlValue } from '../../graph/demo/to-yaml-document.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { ANNOTATION_MANAGED_BY_LOCATION, ANNOTATION_MANAGED_BY_ORIGIN_LOCATION, type Entity } from '../../graph/model/entity.ts'

export interface ExportReport {
  out: string
  /** The Location to register in Backstage (or to import back into the portal). */
  location: string
  files: string[]
  entities: Record<string, number>
  skipped: Array<{ ref: string; reason: string }>
}

/** The entity as an author would write it: what Backstage computes on ingestion (uid, etag, relations, locations) left out. */
export function toBackstageDocument(entity: Entity): Entity {
  const { relations: _relations, status: _status, ...document } = entity
  const { uid: _uid, etag: _etag, generation: _generation, ...metadata } = entity.metadata
  const annotations = { ...metadata.annotations }
  delete annotations[ANNOTATION_MANAGED_BY_LOCATION]
  delete annotations[ANNOTATION_MANAGED_BY_ORIGIN_LOCATION]
  return { ...document, metadata: { ...metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : { annotations: undefined }) } }
}

/**
 * Writes the catalog as Backstage YAML: one multi-document file per kind and `all.yaml`, a Location listing
 * them, which Backstage registers (catalog.locations, type file) and the portal imports. Location entities are
 * not written: they name paths on this host, and `all.yaml` takes their place.
 */
export async function exportBackstage(index: CatalogIndex, out: string): Promise<ExportReport> {
  const byKind = new Map<string, Entity[]>()
  const skipped: ExportReport['skipped'] = []
  for (const ref of [...index.refs()].sort()) {
    const entity = index.get(ref)!
    if (entity.kind.toLowerCase() === 'location') {
      skipped.push({ ref, reason: 'a Location names paths on this host; all.yaml replaces it' })
      continue
    }
    const kind = entity.kind.toLowerCase()
    if (!byKind.has(kind)) byKind.set(kind, [])
    byKind.get(kind)!.push(toBackstageDocument(entity))
  }
  await mkdir(out, { recursive: true })
  const files: string[] = []
  const entities: Record<string, number> = {}
  for (const [kind, documents] of [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // Kinds are free text in Backstage; keep the file name safe whatever a custom kind is called.
    const file = `${kind.replace(/[^a-z0-9-]+/g, '-')}.yaml`
    await writeFile(path.join(out, file), toYamlStream(documents as unknown as Array<{ [key: string]: YamlValue | undefined }>))
    files.push(file)
    entities[documents[0]!.kind] = documents.length
  }
  const location = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'next-portal-export', description: 'The catalog exported by portal export backstage' },
    spec: { targets: files.map((file) => `./${file}`) },
  }
  await writeFile(path.join(out, 'all.yaml'), toYamlStream([location]))
  return { out, location: path.join(out, 'all.yaml'), files, entities, skipped }
}
