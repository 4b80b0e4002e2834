import { InputError } from '../../core/errors.ts'
import type { CatalogIndex } from './catalog-index.ts'

/** Backstage's filter: a list of alternatives (OR), each a set of conditions (AND); `true` means "the key exists". */
export type EntityFilter = Array<Map<string, string[] | true>>

export interface EntityQuery {
  filter?: EntityFilter
  /** Case-insensitive substring match on name, title, description and display name. */
  fullText?: string
  orderBy?: { field: string; order: 'asc' | 'desc' }
}

/**
 * Parses Backstage's `filter` query parameters: each parameter is one alternative,
 * `kind=component,spec.type=service` a conjunction; values are compared case-insensitively.
 */
export function parseBackstageFilter(parameters: string[]): EntityFilter {
  return parameters.map((parameter) => {
    const conditions = new Map<string, string[] | true>()
    for (const part of parameter.split(',')) {
      const trimmed = part.trim()
      if (!trimmed) continue
      const equals = trimmed.indexOf('=')
      if (equals === 0) throw new InputError(`Invalid filter "${parameter}": a condition needs a key before "=", e.g. kind=component`)
      const key = (equals === -1 ? trimmed : trimmed.slice(0, equals)).trim().toLowerCase()
      if (equals === -1) {
        conditions.set(key, true)
        continue
      }
      const value = trimmed.slice(equals + 1).trim().toLowerCase()
      const existing = conditions.get(key)
      conditions.set(key, existing === undefined || existing === true ? [value] : [...existing, value])
    }
    return conditions
  })
}

const FULL_TEXT_FIELDS = ['metadata.name', 'metadata.title', 'metadata.description', 'spec.profile.displayname']

function matches(index: CatalogIndex, ref: string, conditions: Map<string, string[] | true>): boolean {
  const flat = index.flattened(ref)
  for (const [key, expected] of conditions) {
    const values = flat.get(key)
    if (!values) return false
    // Several values for one key in one alternative: any of them (Backstage's `kind=a,kind=b`).
    if (expected !== true && !expected.some((value) => values.includes(value))) return false
  }
  return true
}

function candidates(index: CatalogIndex, conditions: Map<string, string[] | true>): Iterable<string> {
  let best: Set<string> | undefined
  for (const [key, expected] of conditions) {
    if (expected === true) continue
    const union = new Set<string>()
    for (const value of expected) for (const ref of index.withValue(key, value)) union.add(ref)
    if (!best || union.size < best.size) best = union
  }
  return best ?? index.refs()
}

/** Every matching reference, ordered (by the order field, then reference). */
export function queryEntities(index: CatalogIndex, { filter = [], fullText, orderBy }: EntityQuery = {}): string[] {
  let refs: Set<string>
  if (filter.length === 0) refs = new Set(index.refs())
  else {
    refs = new Set()
    for (const conditions of filter) for (const ref of candidates(index, conditions)) if (!refs.has(ref) && matches(index, ref, conditions)) refs.add(ref)
  }
  let list = [...refs]
  const term = fullText?.trim().toLowerCase()
  if (term) {
    list = list.filter((ref) => {
      const flat = index.flattened(ref)
      return FULL_TEXT_FIELDS.some((field) => flat.get(field)?.some((value) => value.includes(term)))
    })
  }
  if (orderBy) {
    const field = orderBy.field.toLowerCase()
    const direction = orderBy.order === 'desc' ? -1 : 1
    const keyOf = new Map(list.map((ref) => [ref, index.flattened(ref).get(field)?.[0]]))
    list.sort((a, b) => {
      const left = keyOf.get(a)
      const right = keyOf.get(b)
      // Entities without the field sort last, whatever the direction, as Backstage does.
      if (left === undefined || right === undefined) return left === right ? a.localeCompare(b) : left === undefined ? 1 : -1
      return (left < right ? -1 : left > right ? 1 : 0) * direction || a.localeCompare(b)
    })
  } else list.sort()
  return list
}
