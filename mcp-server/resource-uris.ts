import { parseEntityRef, stringifyEntityRef } from '../graph/model/entity-ref.ts'

/** The resource templates the server advertises; `catalogUri` and `docsUri` print them, `parseResourceUri` reads them. */
export const CATALOG_TEMPLATE = 'catalog://{kind}/{namespace}/{name}'
export const DOCS_TEMPLATE = 'docs://{kind}/{namespace}/{name}'
export const DOCS_PAGE_TEMPLATE = 'docs://{kind}/{namespace}/{name}/{+page}'

export interface ParsedResourceUri {
  scheme: 'catalog' | 'docs'
  /** The canonical entity reference, `kind:namespace/name`. */
  ref: string
  /** A docs page other than the index, as a path under the docs folder, e.g. `runbooks/restart.md`. */
  page?: string
}

function segments(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref)
  return [kind, namespace, name].map((part) => encodeURIComponent(part.toLowerCase())).join('/')
}

export function catalogUri(ref: string): string {
  return `catalog://${segments(ref)}`
}

export function docsUri(ref: string, page?: string): string {
  return `docs://${segments(ref)}${page ? `/${page.split('/').map(encodeURIComponent).join('/')}` : ''}`
}

/** Reads a catalog:// or docs:// URI; undefined when it is neither, so the caller answers "not found". */
export function parseResourceUri(uri: string): ParsedResourceUri | undefined {
  const match = /^(catalog|docs):\/\/([^/?#]+)\/([^/?#]+)\/([^/?#]+)(?:\/([^?#]+))?$/.exec(uri)
  if (!match) return undefined
  const [, scheme, kind, namespace, name, page] = match
  if (scheme === 'catalog' && page !== undefined) return undefined
  try {
    const ref = stringifyEntityRef({ kind: decodeURIComponent(kind!), namespace: decodeURIComponent(namespace!), name: decodeURIComponent(name!) })
    return { scheme: scheme as 'catalog' | 'docs', ref, ...(page !== undefined ? { page: page.split('/').map(decodeURIComponent).join('/') } : {}) }
  } catch {
    // A malformed percent-escape is a URI this server never printed.
    return undefined
  }
}
