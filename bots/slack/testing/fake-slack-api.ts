import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

type Json = any

/** One Web API call as the fake received it, with what it answered. */
export interface RecordedCall {
  method: string
  args: Record<string, Json>
  token?: string
  ok: boolean
  error?: string
}

export interface FakeMessage {
  ts: string
  user: string
  text: string
  blocks?: Json[]
  threadTs?: string
  /** A streamed message while `chat.startStream` … `chat.stopStream` is under way. */
  streaming?: boolean
  /** Message metadata (`event_type`, `event_payload`), as posted. */
  metadata?: Json
  updates: number
}

export interface FakeSlackApiOptions {
  botToken: string
  botUserId?: string
  teamId?: string
  /** Workspace members: Slack user id → email (what users.info answers). */
  users?: Record<string, string | undefined>
  /** Channels the bot is in (D… ids are direct messages). */
  channels?: string[]
}

class SlackApiError extends Error {
  constructor(readonly code: string, readonly details: Json = {}) {
    super(code)
  }
}

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks) that Slack enforces with invalid_blocks.
const KNOWN_BLOCKS = new Set(['section', 'header', 'context', 'actions', 'divider', 'markdown', 'image', 'rich_text'])

function checkBlocks(value: Json): void {
  const errors: string[] = []
  const blocks = typeof value === 'string' ? JSON.parse(value) : value
  if (!Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format')
  if (blocks.length > 50) errors.push('no more than 50 items allowed [json-pointer:/blocks]')
  const blockIds = new Set<string>()
  const actionIds = new Set<string>()
  const text = (object: Json, where: string, max: number, types = ['plain_text', 'mrkdwn']) => {
    if (!object || !types.includes(object.type) || typeof object.text !== 'string' || object.text.length === 0) errors.push(`expected a ${types.join(' or ')} text object [json-pointer:${where}]`)
    else if (object.text.length > max) errors.push(`must be less than ${max + 1} characters [json-pointer:${where}/text]`)
  }
  const confirm = (object: Json, where: string) => {
    text(object.title, `${where}/title`, 100, ['plain_text'])
    text(object.text, `${where}/text`, 300)
    text(object.confirm, `${where}/confirm`, 30, ['plain_text'])
    text(object.deny, `${where}/deny`, 30, ['plain_text'])
  }
  blocks.forEach((block: Json, position: number) => {
    const where = `/blocks/${position}`
    if (!KNOWN_BLOCKS.has(block?.type)) return errors.push(`unknown block type ${block?.type} [json-pointer:${where}]`)
    if (block.block_id !== undefined) {
      if (blockIds.has(block.block_id)) errors.push(`duplicate block_id ${block.block_id} [json-pointer:${where}]`)
      blockIds.add(block.block_id)
    }
    switch (block.type) {
      case 'header':
        return text(block.text, `${where}/text`, 150, ['plain_text'])
      case 'markdown':
        if (typeof block.text !== 'string' || block.text.length > 12_000) errors.push(`markdown text must be 1 to 12000 characters [json-pointer:${where}/text]`)
        return
      case 'section':
        if (!block.text && !block.fields) errors.push(`a section needs text or fields [json-pointer:${where}]`)
        if (block.text) text(block.text, `${where}/text`, 3000)
        if (block.fields) {
          if (block.fields.length > 10) errors.push(`no more than 10 fields [json-pointer:${where}/fields]`)
          block.fields.forEach((field: Json, index: number) => text(field, `${where}/fields/${index}`, 2000))
        }
        return
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) errors.push(`1 to 10 elements [json-pointer:${where}/elements]`)
        else block.elements.forEach((element: Json, index: number) => text(element, `${where}/elements/${index}`, 3000))
        return
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) return errors.push(`1 to 25 elements [json-pointer:${where}/elements]`)
        block.elements.forEach((element: Json, index: number) => {
          const at = `${where}/elements/${index}`
          if (element.type !== 'button') return
          text(element.text, `${at}/text`, 75, ['plain_text'])
          if (element.action_id !== undefined) {
            if (actionIds.has(element.action_id)) errors.push(`duplicate action_id ${element.action_id} [json-pointer:${at}]`)
            actionIds.add(element.action_id)
          }
          if (element.value !== undefined && String(element.value).length > 2000) errors.push(`value too long [json-pointer:${at}/value]`)
          if (element.style !== undefined && !['primary', 'danger'].includes(element.style)) errors.push(`style must be primary or danger [json-pointer:${at}/style]`)
          if (element.confirm) confirm(element.confirm, `${at}/confirm`)
        })
        return
    }
  })
  if (errors.length > 0) throw new SlackApiError('invalid_blocks', { errors })
}

/**
 * A Slack Web API on loopback for tests: it checks what Slack checks (the bot token, that channels and
 * threads exist, required arguments, Block Kit limits, that only the bot's own messages are updated, that
 * streams are started before they are appended to) and answers in Slack's shape (`{ok: false, error}`), and
 * it records every call. Messages posted through it are kept per channel, so a test reads the conversation as
 * people in Slack would see it. `response_url`s it hands out are served here too.
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = []
  readonly responses: Array<{ url: string; body: Json }> = []
  private readonly messages = new Map<string, FakeMessage[]>()
  private readonly options: Required<FakeSlackApiOptions>
  private server?: Server
  private clock = 1_700_000_000
  private sequence = 0
  url = ''

  constructor(options: FakeSlackApiOptions) {
    this.options = { botUserId: 'UPORTALBOT', teamId: 'T0PORTAL', users: {}, channels: [], ...options }
    for (const channel of this.options.channels) this.messages.set(channel, [])
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.serve(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(body))
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** The base URL to configure as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`
  }

  /** A message someone wrote, as Slack would store it; its ts is what events carry. */
  userSays(channel: string, user: string, text: string, threadTs?: string): FakeMessage {
    const message: FakeMessage = { ts: this.nextTs(), user, text, ...(threadTs ? { threadTs } : {}), updates: 0 }
    this.channel(channel).push(message)
    return message
  }

  /** A `response_url` for a slash command or an action, answered by this fake. */
  responseUrl(): string {
    return `${this.url}/response/${++this.sequence}`
  }

  /** Every message in a channel, oldest first. */
  channelMessages(channel: string): FakeMessage[] {
    return [...this.channel(channel)]
  }

  /** The messages in a thread, root first, as people see them. */
  thread(channel: string, threadTs: string): FakeMessage[] {
    return this.channel(channel).filter((message) => message.ts === threadTs || message.threadTs === threadTs)
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method)
  }

  private channel(id: string): FakeMessage[] {
    const messages = this.messages.get(id)
    if (!messages) throw new SlackApiError('channel_not_found')
    return messages
  }

  private nextTs(): string {
    return `${++this.clock}.${String(++this.sequence).padStart(6, '0')}`
  }

  private async serve(request: IncomingMessage): Promise<{ status: number; body: Json }> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = new URL(request.url ?? '/', 'http://fake').pathname
    const type = request.headers['content-type'] ?? ''
    let args: Record<string, Json>
    try {
      args = type.includes('application/json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw))
    } catch {
      return { status: 200, body: { ok: false, error: 'invalid_json' } }
    }
    if (path.startsWith('/response/')) {
      this.responses.push({ url: `${this.url}${path}`, body: args })
      return { status: 200, body: { ok: true } }
    }
    const method = path.replace(/^\/api\//, '')
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? args.token
    const { token: _ignored, ...rest } = args
    try {
      if (token !== this.options.botToken) throw new SlackApiError(token ? 'invalid_auth' : 'not_authed')
      const answer = this.call(method, rest)
      this.calls.push({ method, args: rest, token, ok: true })
      return { status: 200, body: { ok: true, ...answer } }
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error
      this.calls.push({ method, args: rest, token, ok: false, error: error.code })
      return { status: 200, body: { ok: false, error: error.code, ...(error.details.errors ? { response_metadata: { messages: error.details.errors } } : {}) } }
    }
  }

  private call(method: string, args: Record<string, Json>): Json {
    const required = (...names: string[]) => {
      for (const name of names) if (args[name] === undefined || args[name] === '') throw new SlackApiError(`invalid_arguments`, { errors: [`missing required field: ${name}`] })
    }
    const thread = (channel: string, threadTs: Json) => {
      if (threadTs === undefined) return undefined
      if (!/^\d+\.\d{6}$/.test(String(threadTs))) throw new SlackApiError('invalid_thread_ts')
      const root = this.channel(channel).find((message) => message.ts === threadTs)
      if (!root) throw new SlackApiError('thread_not_found')
      // Replies to a reply go to its thread, as in Slack.
      return root.threadTs ?? root.ts
    }
    const post = (channel: string, text: string | undefined, blocks: Json, threadTs: Json, extra: Partial<FakeMessage> = {}): FakeMessage => {
      const messages = this.channel(channel)
      const parent = thread(channel, threadTs)
      const message: FakeMessage = { ts: this.nextTs(), user: this.options.botUserId, text: text ?? '', ...(blocks ? { blocks: typeof blocks === 'string' ? JSON.parse(blocks) : blocks } : {}), ...(parent ? { threadTs: parent } : {}), updates: 0, ...extra }
      messages.push(message)
      return message
    }
    const ownMessage = (channel: string, ts: string): FakeMessage => {
      const message = this.channel(channel).find((candidate) => candidate.ts === ts)
      if (!message) throw new SlackApiError('message_not_found')
      if (message.user !== this.options.botUserId) throw new SlackApiError('cant_update_message')
      return message
    }
    switch (method) {
      case 'auth.test':
        return { url: 'https://portal-test.slack.com/', team: 'Portal test', user: 'next-portal', team_id: this.options.teamId, user_id: this.options.botUserId, bot_id: 'B0PORTAL' }
      case 'users.info': {
        required('user')
        if (!(args.user in this.options.users)) throw new SlackApiError('user_not_found')
        const email = this.options.users[args.user]
        return { user: { id: args.user, team_id: this.options.teamId, profile: email ? { email } : {} } }
      }
      case 'chat.postMessage': {
        required('channel')
        if (!args.text && !args.blocks) throw new SlackApiError('no_text')
        if (args.blocks) checkBlocks(args.blocks)
        const message = post(args.channel, args.text, args.blocks, args.thread_ts, args.metadata ? { metadata: typeof args.metadata === 'string' ? JSON.parse(args.metadata) : args.metadata } : {})
        return { channel: args.channel, ts: message.ts, message: { text: message.text, ts: message.ts } }
      }
      case 'chat.update': {
        required('channel', 'ts')
        if (!args.text && !args.blocks) throw new SlackApiError('no_text')
        if (args.blocks) checkBlocks(args.blocks)
        const message = ownMessage(args.channel, args.ts)
        message.text = args.text ?? message.text
        if (args.blocks) message.blocks = typeof args.blocks === 'string' ? JSON.parse(args.blocks) : args.blocks
        message.updates += 1
        return { channel: args.channel, ts: message.ts, text: message.text }
      }
      case 'chat.postEphemeral': {
        required('channel', 'user')
        if (!args.text && !args.blocks) throw new SlackApiError('no_text')
        if (!(args.user in this.options.users)) throw new SlackApiError('user_not_in_channel')
        this.channel(args.channel)
        if (args.thread_ts) thread(args.channel, args.thread_ts)
        return { message_ts: this.nextTs() }
      }
      case 'chat.startStream': {
        required('channel', 'thread_ts')
        // Outside direct messages Slack needs to know whom the stream is for.
        if (!String(args.channel).startsWith('D')) required('recipient_user_id', 'recipient_team_id')
        const message = post(args.channel, streamedText(args), undefined, args.thread_ts, { streaming: true })
        return { channel: args.channel, ts: message.ts }
      }
      case 'chat.appendStream':
      case 'chat.stopStream': {
        required('channel', 'ts')
        if (method === 'chat.appendStream' && !args.markdown_text && !args.chunks) throw new SlackApiError('invalid_arguments', { errors: ['missing required field: markdown_text'] })
        const message = ownMessage(args.channel, args.ts)
        if (!message.streaming) throw new SlackApiError('message_not_in_streaming_state')
        message.text += streamedText(args)
        if (method === 'chat.stopStream') {
          message.streaming = false
          if (args.blocks) {
            checkBlocks(args.blocks)
            message.blocks = typeof args.blocks === 'string' ? JSON.parse(args.blocks) : args.blocks
          }
        }
        return { channel: args.channel, ts: message.ts }
      }
      case 'conversations.replies': {
        required('channel', 'ts')
        const root = this.channel(args.channel).find((message) => message.ts === args.ts)
        if (!root) throw new SlackApiError('thread_not_found')
        const limit = Number(args.limit ?? 1000)
        const messages = this.thread(args.channel, root.threadTs ?? root.ts).slice(0, limit)
        return { messages: messages.map((message) => ({ type: 'message', user: message.user, text: message.text, ts: message.ts, ...(message.threadTs ? { thread_ts: message.threadTs } : {}), ...(message.blocks ? { blocks: message.blocks } : {}), ...(message.metadata && args.include_all_metadata ? { metadata: message.metadata } : {}) })), has_more: false }
      }
      case 'assistant.threads.setStatus':
        required('channel_id', 'thread_ts')
        if (typeof args.status !== 'string') throw new SlackApiError('invalid_arguments', { errors: ['missing required field: status'] })
        thread(args.channel_id, args.thread_ts)
        return {}
      case 'assistant.threads.setSuggestedPrompts': {
        required('channel_id', 'thread_ts', 'prompts')
        const prompts = typeof args.prompts === 'string' ? JSON.parse(args.prompts) : args.prompts
        if (!Array.isArray(prompts) || prompts.length === 0 || prompts.length > 4 || prompts.some((prompt: Json) => !prompt.title || !prompt.message)) throw new SlackApiError('invalid_arguments', { errors: ['prompts: 1 to 4 items with title and message'] })
        thread(args.channel_id, args.thread_ts)
        return {}
      }
      default:
        throw new SlackApiError('unknown_method')
    }
  }
}

/** The text a stream call carries: `markdown_text` and/or `markdown_text` chunks. */
function streamedText(args: Record<string, Json>): string {
  const chunks = typeof args.chunks === 'string' ? JSON.parse(args.chunks) : (args.chunks ?? [])
  return (args.markdown_text ?? '') + chunks.filter((chunk: Json) => chunk.type === 'markdown_text').map((chunk: Json) => chunk.text).join('')
}

/** Signs a body the way Slack does (v0 HMAC-SHA256 of `v0:timestamp:body`). */
export function signSlackRequest(signingSecret: string, body: string, timestamp: number): Record<string, string> {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature }
}
