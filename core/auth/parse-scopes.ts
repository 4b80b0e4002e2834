import { InputError } from '../errors.ts'
import { SCOPES, type Scope } from '../identity.ts'

/** The scopes that only read: what an anonymous loopback caller gets when the operator allows one. */
export const READ_SCOPES: readonly Scope[] = ['catalog:read', 'graph:read', 'search:read', 'rca:read', 'cost:read']

/**
 * Checks scopes written by a person (`catalog:read,graph:read` or a list) against SCOPES. A bad scope is an
 * error that names it and lists the accepted ones; duplicates collapse and the order follows SCOPES.
 */
export function parseScopes(input: string | readonly string[]): Scope[] {
  const items = (typeof input === 'string' ? input.split(',') : [...input]).map((item) => item.trim()).filter((item) => item !== '')
  if (items.length === 0) throw new InputError(`At least one scope is needed; choose from ${SCOPES.join(', ')}`, { issues: [{ path: 'scopes', message: 'empty' }] })
  const unknown = items.filter((item) => !(SCOPES as readonly string[]).includes(item))
  if (unknown.length > 0) {
    throw new InputError(`Unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.map((item) => `"${item}"`).join(', ')}; the scopes are ${SCOPES.join(', ')}`, {
      issues: unknown.map((item) => ({ path: 'scopes', message: `"${item}" is not a scope` })),
    })
  }
  return SCOPES.filter((scope) => items.includes(scope))
}
