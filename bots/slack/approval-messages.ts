import type { webApi } from '@slack/bolt'
import { APPROVAL_UPDATED, type Approvals } from '../../core/approvals/approvals.ts'
import type { EventBus } from '../../core/events/event-bus.ts'
import { approvalCard } from '../cards.ts'
import { approvalBlocks, cardText, type ApprovalRenderOptions } from './slack-blocks.ts'

interface MessageRef {
  channel: string
  ts: string
}

/** Approval messages this process posted or saw clicked; older ones stop following their request. */
const REMEMBERED_REQUESTS = 5000

/**
 * Keeps Slack's approval messages showing their request's live state, whichever surface the decision came
 * from: on every `approval-updated` event the request is read from the store and its messages are updated in
 * place (`chat.update`) — skipped when the rendering did not change. Refreshes of one request run one after
 * another, so a slower, older read never overwrites a newer one; they run off the event's path, so a slow
 * Slack never slows a decision down.
 */
export class SlackApprovalMessages {
  private readonly messages = new Map<string, MessageRef[]>()
  private readonly rendered = new Map<string, string>()
  private readonly queues = new Map<string, Promise<void>>()
  private readonly unsubscribe: () => void

  constructor(private readonly options: { approvals: Approvals; bus: EventBus; client: webApi.WebClient; render: (tool: string) => ApprovalRenderOptions }) {
    this.unsubscribe = options.bus.subscribe(APPROVAL_UPDATED, (event) => {
      const id = (event.payload as { id?: string }).id
      if (id && this.messages.has(id)) void this.refresh(id)
    })
  }

  /** Follows a message showing request `id`; `blocks` is what it shows now, when known. */
  remember(id: string, message: MessageRef, blocks?: unknown): void {
    const known = this.messages.get(id) ?? []
    if (!known.some((existing) => existing.channel === message.channel && existing.ts === message.ts)) known.push(message)
    this.messages.set(id, known)
    if (blocks !== undefined) this.rendered.set(`${message.channel}:${message.ts}`, JSON.stringify(blocks))
    if (this.messages.size > REMEMBERED_REQUESTS) {
      const [oldest, refs] = this.messages.entries().next().value!
      this.messages.delete(oldest)
      for (const ref of refs) this.rendered.delete(`${ref.channel}:${ref.ts}`)
    }
  }

  /** Brings request `id`'s messages up to date; resolves when this and every earlier refresh of it are done. */
  refresh(id: string): Promise<void> {
    const next = (this.queues.get(id) ?? Promise.resolve()).then(() => this.update(id)).catch((error: unknown) => console.error(`Updating the Slack messages of ${id} failed:`, error))
    this.queues.set(id, next)
    void next.finally(() => {
      if (this.queues.get(id) === next) this.queues.delete(id)
    })
    return next
  }

  /** Resolves when no refresh is under way. */
  async settled(): Promise<void> {
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()])
  }

  close(): void {
    this.unsubscribe()
  }

  private async update(id: string): Promise<void> {
    const request = await this.options.approvals.get(id)
    const card = approvalCard(request)
    const blocks = approvalBlocks(card.request, this.options.render(request.tool))
    const json = JSON.stringify(blocks)
    for (const message of this.messages.get(id) ?? []) {
      const key = `${message.channel}:${message.ts}`
      if (this.rendered.get(key) === json) continue
      await this.options.client.chat.update({ channel: message.channel, ts: message.ts, text: cardText(card), blocks })
      this.rendered.set(key, json)
    }
  }
}
