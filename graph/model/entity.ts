/** Backstage's entity envelope, as its descriptor format defines it. */
export interface EntityLink {
  url: string
  title?: string
  icon?: string
  type?: string
}

export interface EntityMetadata {
  name: string
  namespace?: string
  title?: string
  description?: string
  uid?: string
  etag?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  tags?: string[]
  links?: EntityLink[]
  [key: string]: unknown
}

export interface EntityRelation {
  type: string
  targetRef: string
}

export interface Entity {
  apiVersion: string
  kind: string
  metadata: EntityMetadata
  spec?: Record<string, unknown>
  relations?: EntityRelation[]
  status?: unknown
  [key: string]: unknown
}

export const ANNOTATION_MANAGED_BY_LOCATION = 'backstage.io/managed-by-location'
export const ANNOTATION_MANAGED_BY_ORIGIN_LOCATION = 'backstage.io/managed-by-origin-location'

/** The kinds this portal understands; others are kept verbatim with a warning. */
export const KNOWN_KINDS = ['Component', 'API', 'Resource', 'System', 'Domain', 'Group', 'User', 'Location', 'Template'] as const
export type KnownKind = (typeof KNOWN_KINDS)[number]

export function knownKind(kind: string): KnownKind | undefined {
  return KNOWN_KINDS.find((known) => known.toLowerCase() === kind.toLowerCase())
}
