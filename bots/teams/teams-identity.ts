import { TeamsInfo, type TurnContext } from 'botbuilder'
import type { Identity } from '../../core/identity.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { resolveChatUser } from '../chat-service.ts'
import { surfaceIdentity, userByAnnotation } from '../surface-identity.ts'

/** The Entra ID (AAD) object id, as Backstage's Microsoft Graph ingestion annotates Users. */
export const AAD_OBJECT_ID_ANNOTATION = 'graph.microsoft.com/user-id'
export const MICROSOFT_EMAIL_ANNOTATION = 'microsoft.com/email'

/**
 * Who a Teams user is in the catalog: by their Entra object id (`graph.microsoft.com/user-id`), else by the
 * e-mail Teams has for them (the conversation member's `email` or UPN) against `microsoft.com/email` or the
 * profile email. Unknown people get a read-only identity.
 */
export async function teamsIdentity(index: CatalogIndex, context: TurnContext): Promise<Identity> {
  const from = context.activity.from
  const subject = from.aadObjectId ?? from.id
  const byObjectId = from.aadObjectId ? userByAnnotation(index, AAD_OBJECT_ID_ANNOTATION, from.aadObjectId) : undefined
  if (byObjectId) return surfaceIdentity('teams', subject, byObjectId)
  let email: string | undefined
  try {
    const member = await TeamsInfo.getMember(context, from.id)
    email = member.email ?? member.userPrincipalName
  } catch {
    // Outside Teams (the Emulator) or without the roster permission the person stays unknown: read-only.
  }
  const userRef = email ? (userByAnnotation(index, MICROSOFT_EMAIL_ANNOTATION, email) ?? resolveChatUser(index, { email })) : undefined
  return surfaceIdentity('teams', subject, userRef)
}
