import { App, Assistant, LogLevel, SocketModeReceiver, type BlockButtonAction, type webApi } from '@slack/bolt'
import { Hono } from 'hono'
import type { SlackConfig } from '../../core/config.ts'
import { PortalError } from '../../core/errors.ts'
import type { Platform } from '../../platform/create-platform.ts'
import { approvalCard, type Card } from '../cards.ts'
import { ChatService } from '../chat-service.ts'
import { SUGGESTED_QUESTIONS } from '../suggested-questions.ts'
import { answerInSlack, type SlackThread } from './answer-in-slack.ts'
import { approvalBlocks, APPROVE_ACTION, cardText, DENY_ACTION, escapeMrkdwn, type SlackBlocks } from './slack-blocks.ts'
import { ApprovalFollowers } from '../approval-followers.ts'
import { REMEDIATION_PROPOSED, type RemediationProposed } from '../../tools/remediation/auto-remediation.ts'
import { SlackHttpReceiver } from './slack-http-receiver.ts'
import { SlackIdentities } from './slack-identity.ts'

export interface SlackSurface {
  app: App
  /** HTTP mode: the route for `/slack/events` (mount under `/slack`). Absent in Socket Mode. */
  routes?: Hono
  /** Checks the bot token; Socket Mode connects here too. */
  start(): Promise<void>
  /** Waits for the work in progress, then disconnects. */
  stop(): Promise<void>
  /** Resolves when every event received so far has been handled (HTTP mode). */
  settled(): Promise<void>
}

export interface CreateSlackAppOptions {
  config?: SlackConfig
  /** The clock for request signatures (tests sign with their own). */
  now?: () => number
}

/** Slack shows at most four suggested prompts. */
const MAX_SUGGESTED_PROMPTS = 4

const USAGE = 'Ask me anything about the platform: `/portal who owns checkout-api?`, `/portal what breaks if payments-db goes down?`, `/portal restart the cart pods`. Mention me in a channel or write to me directly, too.'

const LOG_LEVELS = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR, silent: LogLevel.ERROR } as const

/**
 * The Slack surface (Bolt): mentions, direct messages and the assistant pane are answered in their thread by
 * the chat service; `/portal` asks from any channel; approval buttons decide through the approvals service and
 * update their message in place. Events arrive over HTTP at `/slack/events` (signing secret) or over Socket
 * Mode (app-level token), as configured.
 */
export function createSlackApp(platform: Platform, { config = platform.config.slack, now }: CreateSlackAppOptions = {}): SlackSurface {
  if (!config) throw new Error('Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)')
  const chat = new ChatService(platform)
  const identities = new SlackIdentities(platform.catalog.index)
  const publicUrl = platform.config.mcp.publicUrl?.replace(/\/$/, '')
  const render = { destructive: (tool: string) => platform.tools.get(tool).annotations?.destructiveHint === true, ...(publicUrl ? { publicUrl } : {}) }
  const slackApiUrl = config.apiUrl ? `${config.apiUrl.replace(/\/+$/, '')}/` : undefined

  const httpReceiver = config.mode === 'http' ? new SlackHttpReceiver({ signingSecret: config.signingSecret, ...(now ? { now } : {}) }) : undefined
  const receiver = httpReceiver ?? new SocketModeReceiver({ appToken: (config as Extract<SlackConfig, { mode: 'socket' }>).appToken, logLevel: LOG_LEVELS[platform.config.logLevel] })
  // Bolt's own token check at construction rejects unhandled (and so ends the process) when Slack refuses the
  // token; `start()` checks it instead, and Bolt checks again, handled, at the first event.
  const app = new App({ token: config.botToken, receiver, tokenVerificationEnabled: false, logLevel: LOG_LEVELS[platform.config.logLevel], ...(slackApiUrl ? { clientOptions: { slackApiUrl } } : {}) })

  // Approval messages follow their request, also when it is decided on the web, in Teams or on another replica.
  const approvalMessages = new ApprovalFollowers<{ channel: string; ts: string }, SlackBlocks>({
    approvals: platform.approvals,
    bus: platform.bus,
    key: (message) => `${message.channel}:${message.ts}`,
    render: (request) => approvalBlocks(approvalCard(request).request, { destructive: render.destructive(request.tool), ...(publicUrl ? { publicUrl } : {}) }),
    update: async (message, blocks, request) => {
      await app.client.chat.update({ channel: message.channel, ts: message.ts, text: cardText(approvalCard(request)), blocks })
    },
  })
  const onCardPosted = (card: Card, message: { channel: string; ts: string }, blocks: SlackBlocks) => {
    if (card.kind === 'approval') approvalMessages.remember(card.request.id, message, blocks)
  }

  // A rule's proposal goes to the owning team's channel (the group's `slack.com/channel-name`), as an approval
  // message that follows its request like any other.
  const proposals = new Set<Promise<void>>()
  async function postProposal(proposed: RemediationProposed): Promise<void> {
    const request = await platform.approvals.get(proposed.requestId)
    const card = approvalCard(request)
    const blocks = approvalBlocks(card.request, { destructive: render.destructive(request.tool), ...(publicUrl ? { publicUrl } : {}) })
    for (const owner of proposed.owners) {
      if (!owner.slackChannel) continue
      try {
        const posted = await app.client.chat.postMessage({ channel: owner.slackChannel, text: cardText(card), blocks, unfurl_links: false })
        // Slack answers with the channel's id, which updates need.
        if (posted.ts && posted.channel) approvalMessages.remember(request.id, { channel: posted.channel, ts: posted.ts }, blocks)
      } catch (error) {
        console.warn(`Could not post remediation proposal ${request.id} to ${owner.slackChannel} (${owner.ref}): ${(error as { data?: { error?: string } }).data?.error ?? (error as Error).message}`)
      }
    }
  }
  const stopProposals = platform.bus.subscribe(REMEDIATION_PROPOSED, (event) => {
    const posting = postProposal(event.payload as RemediationProposed).catch((error: unknown) => console.error('Posting a remediation proposal failed:', error))
    proposals.add(posting)
    void posting.finally(() => proposals.delete(posting))
    // One replica posts each proposal; every replica's Slack app would otherwise post it again.
  }, { group: 'slack-remediation-proposals' })

  async function answer(client: webApi.WebClient, thread: SlackThread, text: string): Promise<void> {
    const identity = await identities.resolve(client, thread.userId)
    await answerInSlack({ chat, client, thread, identity, text, render, onCardPosted })
  }

  // The agent pane (App Home's messages tab as an assistant): suggested prompts first, then answers.
  app.assistant(new Assistant({
    threadStarted: async ({ say, setSuggestedPrompts }) => {
      await say('Hi! I know the catalog: owners, dependencies, docs, and I can request restarts for approval. What do you need?')
      await setSuggestedPrompts({ title: 'Try one of these', prompts: SUGGESTED_QUESTIONS.slice(0, MAX_SUGGESTED_PROMPTS).map((question) => ({ title: question, message: question })) })
    },
    userMessage: async ({ message, client, context }) => {
      if (!('text' in message) || !message.text || !('user' in message) || !message.user) return
      await answer(client, { channel: message.channel, threadTs: ('thread_ts' in message && message.thread_ts) || message.ts, userId: message.user, ...(context.teamId ? { teamId: context.teamId } : {}) }, message.text)
    },
  }))

  app.event('app_mention', async ({ event, client, context }) => {
    if (!event.user) return
    const text = event.text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ').trim()
    const thread = { channel: event.channel, threadTs: event.thread_ts ?? event.ts, userId: event.user, ...(context.teamId ? { teamId: context.teamId } : {}) }
    if (text === '') {
      await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text: USAGE })
      return
    }
    await answer(client, thread, text)
  })

  // Direct messages outside the assistant pane; channel messages come as mentions.
  app.message(async ({ message, client, context }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined || !message.text || !message.user) return
    await answer(client, { channel: message.channel, threadTs: message.thread_ts ?? message.ts, userId: message.user, ...(context.teamId ? { teamId: context.teamId } : {}) }, message.text)
  })

  app.command('/portal', async ({ command, ack, client, respond, context }) => {
    const text = command.text.trim()
    if (text === '' || text === 'help') {
      await ack({ response_type: 'ephemeral', text: USAGE })
      return
    }
    await ack()
    let root: webApi.ChatPostMessageResponse
    try {
      root = await client.chat.postMessage({ channel: command.channel_id, text: `<@${command.user_id}> asked: ${escapeMrkdwn(text)}` })
    } catch (error) {
      const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message
      await respond({ response_type: 'ephemeral', text: `I cannot post in this channel (${reason}). Invite me with \`/invite @NEXT Portal\`, or ask me in a direct message.` })
      return
    }
    await answer(client, { channel: command.channel_id, threadTs: root.ts!, userId: command.user_id, ...(context.teamId ? { teamId: context.teamId } : {}) }, text)
  })

  const decide = (decision: 'approve' | 'deny') => async ({ ack, body, action, client }: { ack: () => Promise<void>; body: BlockButtonAction; action: { value?: string }; client: webApi.WebClient }) => {
    await ack()
    const channel = body.channel?.id ?? body.container?.channel_id
    const ts = body.message?.ts ?? body.container?.message_ts
    const id = action.value
    if (!channel || !ts || !id) return
    const identity = await identities.resolve(client, body.user.id)
    approvalMessages.remember(id, { channel, ts })
    try {
      await platform.approvals.decide({ id, identity, decision, surface: 'slack' })
    } catch (error) {
      if (!(error instanceof PortalError)) throw error
      // Only the person who clicked sees why; the message stays as it was.
      await client.chat.postEphemeral({ channel, user: body.user.id, text: `:no_entry: ${escapeMrkdwn(error.message)}`, ...(body.message?.thread_ts ? { thread_ts: body.message.thread_ts as string } : {}) })
      // A click on a request that moved on elsewhere: show where it is now.
      if (error.code === 'CONFLICT') await approvalMessages.refresh(id)
      return
    }
    // The decision's events already started refreshing the message; this waits for the last of them.
    await approvalMessages.refresh(id)
  }
  app.action<BlockButtonAction>(APPROVE_ACTION, decide('approve'))
  app.action<BlockButtonAction>(DENY_ACTION, decide('deny'))

  app.error(async (error) => {
    console.error('Slack listener failed:', error)
  })

  const routes = httpReceiver ? new Hono().post('/events', (context) => httpReceiver.handle(context.req.raw)) : undefined
  return {
    app,
    ...(routes ? { routes } : {}),
    start: async () => {
      // A wrong token otherwise shows only as silence when the first event arrives.
      try {
        await app.client.auth.test()
      } catch (error) {
        console.warn(`Slack refused SLACK_BOT_TOKEN (${(error as { data?: { error?: string } }).data?.error ?? (error as Error).message}); events will not be answered until it is fixed`)
      }
      if (!httpReceiver) await app.start()
    },
    stop: async () => {
      stopProposals()
      await app.stop()
      await Promise.allSettled([...proposals])
      await approvalMessages.settled()
      approvalMessages.close()
    },
    settled: async () => {
      await httpReceiver?.settled()
      await Promise.allSettled([...proposals])
      await approvalMessages.settled()
    },
  }
}
