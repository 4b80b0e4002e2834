import type { webApi } from '@slack/bolt'
import type { Identity } from '../../core/identity.ts'
import type { Card } from '../cards.ts'
import type { ChatService } from '../chat-service.ts'
import { cardBlocks, cardText, type SlackBlocks } from './slack-blocks.ts'

/** Where an answer goes: always a thread, whose root is the message that asked (or the thread it was in). */
export interface SlackThread {
  channel: string
  threadTs: string
  /** Who asked: streaming to a channel needs the recipient. */
  userId: string
  teamId?: string
}

export interface AnswerInSlackOptions {
  chat: ChatService
  client: webApi.WebClient
  thread: SlackThread
  identity: Identity
  text: string
  render: { destructive: (tool: string) => boolean; publicUrl?: string }
  /** Told of every card message posted (approval messages are followed to keep them current). */
  onCardPosted?: (card: Card, message: { channel: string; ts: string }, blocks: SlackBlocks) => void
}

// A markdown block holds up to 12,000 characters.
const MARKDOWN_BLOCK_MAX = 12_000

/**
 * Answers one message in its thread: a status while tools run (`assistant.threads.setStatus`), each card as
 * its own message with Block Kit (so an approval can later be updated in place), and the answer text streamed
 * (`chat.startStream`/`appendStream`/`stopStream`). When streaming is refused (an older workspace, a channel
 * that does not allow it), the whole answer is posted as one message instead.
 */
export async function answerInSlack({ chat, client, thread, identity, text, render, onCardPosted }: AnswerInSlackOptions): Promise<void> {
  const setStatus = async (status: string) => {
    try {
      await client.assistant.threads.setStatus({ channel_id: thread.channel, thread_ts: thread.threadTs, status })
    } catch {
      // Status is a courtesy; where Slack does not offer it, the answer still comes.
    }
  }
  const streamer = client.chatStream({ channel: thread.channel, thread_ts: thread.threadTs, recipient_user_id: thread.userId, ...(thread.teamId ? { recipient_team_id: thread.teamId } : {}) })
  let streaming = true
  let answer = ''

  const appendText = async (delta: string) => {
    answer += delta
    if (!streaming) return
    try {
      await streamer.append({ markdown_text: delta })
    } catch {
      streaming = false
    }
  }
  const postCard = async (card: Card) => {
    const blocks = cardBlocks(card, render)
    const posted = await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text: cardText(card), blocks, unfurl_links: false })
    if (posted.ts) onCardPosted?.(card, { channel: thread.channel, ts: posted.ts }, blocks)
  }

  await setStatus('is looking into it…')
  for await (const part of chat.handle({ surface: 'slack', threadId: `${thread.channel}:${thread.threadTs}`, identity, text })) {
    if (part.type === 'status') await setStatus(part.text)
    else if (part.type === 'text') await appendText(part.delta)
    else if (part.type === 'card') await postCard(part.card)
    else if (part.type === 'error') await appendText(`${answer === '' ? '' : '\n\n'}:warning: ${part.message}`)
  }
  if (answer === '') return setStatus('')
  if (streaming) {
    try {
      await streamer.stop()
      return
    } catch {
      streaming = false
    }
  }
  await client.chat.postMessage({ channel: thread.channel, thread_ts: thread.threadTs, text: answer.slice(0, 3000), blocks: [{ type: 'markdown', text: answer.slice(0, MARKDOWN_BLOCK_MAX) }], unfurl_links: false })
}
