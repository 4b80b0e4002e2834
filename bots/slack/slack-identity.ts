import type { webApi } from '@slack/bolt'
import type { Identity } from '../../core/identity.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { resolveChatUser } from '../chat-service.ts'
import { surfaceIdentity, userByAnnotation } from '../surface-identity.ts'

export const SLACK_USER_ID_ANNOTATION = 'slack.com/user-id'

/** Emails looked up with users.info, kept so one person's messages do not each cost an API call. */
const REMEMBERED_EMAILS = 5000

/**
 * Who a Slack user is in the catalog: the User annotated `slack.com/user-id: <id>`, else the User whose
 * profile email is the one Slack has for them (`users.info`, scope `users:read.email`). Unknown people get a
 * read-only identity. The catalog is consulted on every call, so a catalog change applies at once.
 */
export class SlackIdentities {
  private readonly emails = new Map<string, string | null>()

  constructor(private readonly index: CatalogIndex) {}

  async resolve(client: webApi.WebClient, slackUserId: string): Promise<Identity> {
    const byAnnotation = userByAnnotation(this.index, SLACK_USER_ID_ANNOTATION, slackUserId)
    if (byAnnotation) return surfaceIdentity('slack', slackUserId, byAnnotation)
    const email = await this.emailOf(client, slackUserId)
    return surfaceIdentity('slack', slackUserId, email ? resolveChatUser(this.index, { email }) : undefined)
  }

  private async emailOf(client: webApi.WebClient, slackUserId: string): Promise<string | undefined> {
    if (this.emails.has(slackUserId)) return this.emails.get(slackUserId) ?? undefined
    let email: string | null = null
    try {
      const answer = await client.users.info({ user: slackUserId })
      email = answer.user?.profile?.email ?? null
    } catch (error) {
      // Without users:read.email (or for a user from another workspace) the person stays unknown: read-only.
      console.warn(`Slack users.info for ${slackUserId} failed: ${(error as Error).message}`)
      return undefined
    }
    this.emails.set(slackUserId, email)
    if (this.emails.size > REMEMBERED_EMAILS) this.emails.delete(this.emails.keys().next().value!)
    return email ?? undefined
  }
}
