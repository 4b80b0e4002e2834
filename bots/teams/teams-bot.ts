import { ActivityTypes, CardFactory, TurnContext, type ConversationReference } from 'botbuilder'
import { z } from 'zod'
import { PortalError } from '../../core/errors.ts'
import type { Platform } from '../../platform/create-platform.ts'
import { approvalCard, type Card } from '../cards.ts'
import type { ApprovalFollowers } from '../approval-followers.ts'
import { ChatService } from '../chat-service.ts'
import { SUGGESTED_QUESTIONS } from '../suggested-questions.ts'
import { ADAPTIVE_CARD_CONTENT_TYPE, adaptiveCardFor, APPROVE_VERB, DENY_VERB, type AdaptiveCard } from './adaptive-cards.ts'
import { teamsIdentity } from './teams-identity.ts'

/** The invoke Teams sends when someone presses an `Action.Execute` button (Universal Actions). */
export const CARD_ACTION_INVOKE = 'adaptiveCard/action'

/** A card message in a conversation, which the bot can update later. */
export interface TeamsCardMessage {
  reference: Partial<ConversationReference>
  activityId: string
}

export interface TeamsBotOptions {
  /** Approval card messages that follow their request (see `createTeamsSurface`). */
  approvalCards: ApprovalFollowers<TeamsCardMessage, AdaptiveCard>
  render: { destructive: (tool: string) => boolean; publicUrl?: string }
}

const cardActionSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.enum([APPROVE_VERB, DENY_VERB]),
    data: z.object({ requestId: z.string().min(1).max(100) }),
  }),
})

const WELCOME = `Hi! Ask me about the platform — owners, dependencies, docs — and I can request restarts for approval. Try: ${SUGGESTED_QUESTIONS.map((question) => `"${question}"`).join(', ')}.`

/**
 * The Teams turn: messages (mentions in channels, 1:1 chats) are answered in their conversation's thread by the
 * chat service, cards as Adaptive Cards; an `adaptiveCard/action` invoke decides an approval through the
 * approvals service and answers with the refreshed card, which also replaces the card for everyone in the chat.
 * Only this folder knows the Bot Framework, so a move to the Teams SDK touches nothing else.
 */
export function teamsBot(platform: Platform, { approvalCards, render }: TeamsBotOptions): (context: TurnContext) => Promise<void> {
  const chat = new ChatService(platform)

  async function postCard(context: TurnContext, card: Card): Promise<void> {
    const content = adaptiveCardFor(card, render)
    const posted = await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(content)] })
    if (card.kind === 'approval' && posted?.id) approvalCards.remember(card.request.id, { reference: TurnContext.getConversationReference(context.activity), activityId: posted.id }, content)
  }

  async function onMessage(context: TurnContext): Promise<void> {
    const text = (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '').trim()
    if (text === '') {
      await context.sendActivity(WELCOME)
      return
    }
    await context.sendActivity({ type: ActivityTypes.Typing })
    const identity = await teamsIdentity(platform.catalog.index, context)
    let answer = ''
    for await (const part of chat.handle({ surface: 'teams', threadId: context.activity.conversation.id, identity, text })) {
      if (part.type === 'status') await context.sendActivity({ type: ActivityTypes.Typing })
      else if (part.type === 'card') await postCard(context, part.card)
      else if (part.type === 'text') answer += part.delta
      else if (part.type === 'error') answer += `${answer === '' ? '' : '\n\n'}⚠️ ${part.message}`
    }
    if (answer !== '') await context.sendActivity({ type: ActivityTypes.Message, text: answer, textFormat: 'markdown' })
  }

  async function onCardAction(context: TurnContext): Promise<void> {
    const respond = (body: unknown) => context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } })
    const parsed = cardActionSchema.safeParse(context.activity.value)
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => `${['value', ...issue.path].join('.')}: ${issue.message}`).join('; ')
      await respond({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: `Not an approval action: ${where}` } })
      return
    }
    const { verb, data } = parsed.data.action
    const identity = await teamsIdentity(platform.catalog.index, context)
    // The card clicked follows its request from now on, also if another replica posted it.
    if (context.activity.replyToId) approvalCards.remember(data.requestId, { reference: TurnContext.getConversationReference(context.activity), activityId: context.activity.replyToId })
    try {
      await platform.approvals.decide({ id: data.requestId, identity, decision: verb === APPROVE_VERB ? 'approve' : 'deny', surface: 'teams' })
    } catch (error) {
      if (!(error instanceof PortalError)) throw error
      // Shown to the one who clicked only; the card stays as it is for everyone.
      await respond({ statusCode: error.code === 'NOT_FOUND' ? 404 : 400, type: 'application/vnd.microsoft.error', value: { code: error.code, message: error.message } })
      return
    }
    // Everyone in the chat gets the refreshed card by the update; the one who clicked by the invoke answer.
    await approvalCards.refresh(data.requestId)
    await respond({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: adaptiveCardFor(approvalCard(await platform.approvals.get(data.requestId)), render) })
  }

  return async (context) => {
    const { activity } = context
    if (activity.type === ActivityTypes.Message) return onMessage(context)
    if (activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION_INVOKE) return onCardAction(context)
    if (activity.type === ActivityTypes.ConversationUpdate && activity.membersAdded?.some((member) => member.id === activity.recipient.id)) await context.sendActivity(WELCOME)
  }
}
