/** The scopes a caller may hold; each tool requires one. */
export const SCOPES = [
  'catalog:read', 'catalog:write', 'graph:read', 'graph:cypher', 'search:read', 'rca:read', 'cost:read',
  'remediation:request', 'migration:write', 'audit:read',
] as const
export type Scope = (typeof SCOPES)[number]

/** Who is calling: a person (mapped to a catalog User when known), a token, or the local operator. */
export interface Identity {
  subject: string
  /** The catalog User this caller is, e.g. `user:default/jane`, when known. */
  userRef?: string
  scopes: ReadonlySet<string>
}

/** The operator at a local terminal: the CLI and stdio run with every scope. */
export function localOperator(subject = 'local-operator'): Identity {
  return { subject, scopes: new Set(SCOPES) }
}

export function hasScope(identity: Identity, scope: string): boolean {
  return identity.scopes.has(scope)
}
