import type { Entity } from '../model/entity.ts'

const MAX_VALUE_LENGTH = 200

/**
 * Flattens an entity to Backstage's filter keys: dotted, lower-case paths to lower-case values, arrays as
 * several values under one key, relations as `relations.<type>` → target reference. Long values (API
 * definitions) are left out, as Backstage's search table leaves them out.
 */
export function flattenEntity(entity: Entity): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const add = (key: string, value: string) => {
    if (value.length > MAX_VALUE_LENGTH) return
    const list = out.get(key)
    if (list) list.push(value.toLowerCase())
    else out.set(key, [value.toLowerCase()])
  }
  const visit = (value: unknown, key: string) => {
    if (value === null || value === undefined) return
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key)
    } else if (typeof value === 'object') {
      for (const [child, childValue] of Object.entries(value)) visit(childValue, key ? `${key}.${child.toLowerCase()}` : child.toLowerCase())
    } else {
      add(key, String(value))
    }
  }
  const { relations, ...rest } = entity
  visit(rest, '')
  if (!out.has('metadata.namespace')) add('metadata.namespace', 'default')
  for (const relation of relations ?? []) add(`relations.${relation.type.toLowerCase()}`, relation.targetRef)
  return out
}
