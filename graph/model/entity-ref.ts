import { InputError } from '../../core/errors.ts'

export const DEFAULT_NAMESPACE = 'default'

export interface EntityName {
  kind: string
  namespace: string
  name: string
}

export interface ParseRefContext {
  /** The kind used when the reference has none (Backstage's per-field default, e.g. Group for `owner`). */
  defaultKind?: string
  /** The namespace used when the reference has none: the referring entity's, not always `default`. */
  defaultNamespace?: string
}

/**
 * Parses `[kind:][namespace/]name`. The one parser of references in the project; its twin
 * `stringifyEntityRef` prints the canonical, lower-case form used as a key everywhere.
 */
export function parseEntityRef(ref: string, { defaultKind, defaultNamespace = DEFAULT_NAMESPACE }: ParseRefContext = {}): EntityName {
  if (typeof ref !== 'string' || ref.trim() === '') {
    throw new InputError(`Entity reference must be a non-empty string, got ${JSON.stringify(ref)}`)
  }
  const trimmed = ref.trim()
  const colon = trimmed.indexOf(':')
  const slash = trimmed.indexOf('/')
  let kind: string | undefined
  let rest = trimmed
  // A colon after the slash belongs to the name; Backstage reads `kind:` only before the namespace separator.
  if (colon !== -1 && (slash === -1 || colon < slash)) {
    kind = trimmed.slice(0, colon)
    rest = trimmed.slice(colon + 1)
  }
  let namespace: string | undefined
  let name = rest
  const namespaceSeparator = rest.indexOf('/')
  if (namespaceSeparator !== -1) {
    namespace = rest.slice(0, namespaceSeparator)
    name = rest.slice(namespaceSeparator + 1)
  }
  kind = kind ?? defaultKind
  namespace = namespace ?? defaultNamespace
  if (!kind) {
    throw new InputError(`Entity reference "${ref}" has no kind and none is implied here; write it as kind:name, e.g. "component:${name}" or "resource:${name}"`)
  }
  if (!namespace || !name || name.includes('/')) {
    throw new InputError(`Entity reference "${ref}" is not of the form [kind:][namespace/]name`)
  }
  return { kind, namespace, name }
}

/** The canonical form: `kind:namespace/name`, lower-case, since references compare case-insensitively. */
export function stringifyEntityRef({ kind, namespace, name }: EntityName): string {
  return `${kind}:${namespace}/${name}`.toLowerCase()
}

/** Parses and re-prints a reference in canonical form. */
export function normalizeEntityRef(ref: string, context: ParseRefContext = {}): string {
  return stringifyEntityRef(parseEntityRef(ref, context))
}
