import { InputError, NotFoundError } from '../../core/errors.ts'
import { editDistance } from '../../core/text/edit-distance.ts'
import { parseEntityRef, stringifyEntityRef } from '../model/entity-ref.ts'
import type { CatalogIndex } from './catalog-index.ts'

/**
 * Turns what a person or model wrote (`checkout-api`, `component:checkout-api`, `group:default/payments`)
 * into the reference of an entity that exists. Never guesses: an ambiguous name is an error listing the
 * candidates, an unknown one an error listing similar names.
 */
export function resolveEntityRef(index: CatalogIndex, input: string, { defaultKind }: { defaultKind?: string } = {}): string {
  const text = input.trim()
  const hasKind = /^[^/:]+:/.test(text)
  if (hasKind || defaultKind) {
    const ref = stringifyEntityRef(parseEntityRef(text, { defaultKind }))
    if (index.has(ref)) return ref
    if (hasKind) throw notFound(index, text, ref)
  }
  const { namespace, name } = parseEntityRef(text, { defaultKind: 'unknown' })
  const candidates = [...index.withValue('metadata.name', name.toLowerCase())].filter((ref) => ref.includes(`:${namespace.toLowerCase()}/`))
  if (candidates.length === 1) return candidates[0]!
  if (candidates.length > 1) {
    throw new InputError(`"${input}" is ambiguous: ${candidates.sort().join(', ')}; name one of them with its kind`, { issues: candidates.map((ref) => ({ path: 'ref', message: `candidate ${ref}` })) })
  }
  throw notFound(index, text, name)
}

function notFound(index: CatalogIndex, input: string, wanted: string): NotFoundError {
  const similar = similarRefs(index, wanted)
  return new NotFoundError(`No entity "${input}" in the catalog${similar.length > 0 ? `; did you mean ${similar.join(', ')}?` : ''}`)
}

/** Up to five references whose name contains, or is one or two edits from, the wanted name. */
export function similarRefs(index: CatalogIndex, wanted: string, limit = 5): string[] {
  const name = wanted.slice(wanted.lastIndexOf('/') + 1).toLowerCase()
  const scored: Array<[number, string]> = []
  for (const ref of index.refs()) {
    const candidate = ref.slice(ref.lastIndexOf('/') + 1)
    // Typos first (one or two edits), then names that contain or are contained in what was asked.
    const edits = editDistance(candidate, name, 2)
    const distance = edits <= 2 ? edits : candidate.includes(name) || name.includes(candidate) ? 3 : Infinity
    if (distance <= 3) scored.push([distance, ref])
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).slice(0, limit).map(([, ref]) => ref)
}
