import type { Identity } from '../core/identity.ts'
import type { CatalogIndex } from '../graph/index/catalog-index.ts'
import { CHAT_SCOPES, chatIdentity } from './chat-service.ts'

/** What someone the catalog does not know may do in chat: ask, never request changes. */
export const READ_ONLY_CHAT_SCOPES = CHAT_SCOPES.filter((scope) => scope !== 'remediation:request')

/**
 * A person on Slack or Teams: with the chat scopes when they are a catalog User, read-only otherwise (a
 * workspace member the catalog does not know must not be able to ask for production changes).
 */
export function surfaceIdentity(surface: string, subject: string, userRef: string | undefined): Identity {
  const identity = chatIdentity(surface, subject, userRef)
  return userRef ? identity : { ...identity, scopes: new Set(READ_ONLY_CHAT_SCOPES) }
}

/** The catalog User carrying `annotation: value` (e.g. `slack.com/user-id: U0123`), compared case-insensitively. */
export function userByAnnotation(index: CatalogIndex, annotation: string, value: string): string | undefined {
  const wanted = value.trim().toLowerCase()
  if (wanted === '') return undefined
  for (const user of index.refsOfKind('user')) {
    if (index.get(user)?.metadata.annotations?.[annotation]?.toLowerCase() === wanted) return user
  }
  return undefined
}
