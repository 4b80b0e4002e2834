import type { Entity } from '../graph/model/entity.ts'

/** Keeps only the listed dotted paths of an entity (Backstage's `fields=metadata.name,kind`). */
export function selectFields(entity: Entity, fields: string[] | undefined): Record<string, unknown> {
  if (!fields || fields.length === 0) return entity
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    const parts = field.split('.')
    let source: unknown = entity
    for (const part of parts) source = typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[part] : undefined
    if (source === undefined) continue
    let target = out
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>
    target[parts[parts.length - 1]!] = source
  }
  return out
}

/** The values at a dotted path, matched case-insensitively, in their original case (for facets). */
export function valuesAt(entity: Entity, path: string): string[] {
  const parts = path.toLowerCase().split('.')
  if (parts[0] === 'relations' && parts.length === 2) {
    return (entity.relations ?? []).filter((relation) => relation.type.toLowerCase() === parts[1]).map((relation) => relation.targetRef)
  }
  let current: unknown[] = [entity]
  for (const part of parts) {
    const next: unknown[] = []
    for (const value of current) {
      if (typeof value !== 'object' || value === null) continue
      for (const [key, child] of Object.entries(value)) {
        if (key.toLowerCase() !== part) continue
        if (Array.isArray(child)) next.push(...child)
        else next.push(child)
      }
    }
    current = next
  }
  if (path.toLowerCase() === 'metadata.namespace' && current.length === 0) return ['default']
  return current.filter((value) => ['string', 'number', 'boolean'].includes(typeof value)).map(String)
}
