import type { ApprovalRequest } from '../core/approvals/approval-repository.ts'
import { APPROVAL_UPDATED, type Approvals } from '../core/approvals/approvals.ts'
import type { EventBus } from '../core/events/event-bus.ts'

/** Approval messages this process posted or saw acted on; older ones stop following their request. */
const REMEMBERED_REQUESTS = 5000

export interface ApprovalFollowersOptions<Message, Rendering> {
  approvals: Approvals
  bus: EventBus
  /** Identifies a message on its surface (channel and timestamp, conversation and activity id). */
  key: (message: Message) => string
  render: (request: ApprovalRequest) => Rendering
  /** Replaces the message's content with the rendering (`chat.update`, `updateActivity`). */
  update: (message: Message, rendering: Rendering, request: ApprovalRequest) => Promise<void>
}

/**
 * Keeps a surface's approval messages showing their request's live state, whichever surface the decision
 * came from: on every `approval-updated` event the request is read from the store and each message following
 * it is updated in place, unless its rendering did not change. Refreshes of one request run one after
 * another, so an older read never overwrites a newer one, and off the event's path, so a slow chat API never
 * slows a decision down.
 */
export class ApprovalFollowers<Message, Rendering> {
  private readonly messages = new Map<string, Message[]>()
  private readonly rendered = new Map<string, string>()
  private readonly queues = new Map<string, Promise<void>>()
  private readonly unsubscribe: () => void

  constructor(private readonly options: ApprovalFollowersOptions<Message, Rendering>) {
    this.unsubscribe = options.bus.subscribe(APPROVAL_UPDATED, (event) => {
      const id = (event.payload as { id?: string }).id
      if (id && this.messages.has(id)) void this.refresh(id)
    })
  }

  /** Follows a message showing request `id`; `rendering` is what it shows now, when known. */
  remember(id: string, message: Message, rendering?: Rendering): void {
    const key = this.options.key(message)
    const known = this.messages.get(id) ?? []
    if (!known.some((existing) => this.options.key(existing) === key)) known.push(message)
    this.messages.set(id, known)
    if (rendering !== undefined) this.rendered.set(key, JSON.stringify(rendering))
    if (this.messages.size > REMEMBERED_REQUESTS) {
      const [oldest, followers] = this.messages.entries().next().value!
      this.messages.delete(oldest)
      for (const follower of followers) this.rendered.delete(this.options.key(follower))
    }
  }

  /** Brings request `id`'s messages up to date; resolves when this and every earlier refresh of it are done. */
  refresh(id: string): Promise<void> {
    const next = (this.queues.get(id) ?? Promise.resolve()).then(() => this.update(id)).catch((error: unknown) => console.error(`Updating the messages of approval request ${id} failed:`, error))
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
    const rendering = this.options.render(request)
    const json = JSON.stringify(rendering)
    for (const message of this.messages.get(id) ?? []) {
      const key = this.options.key(message)
      if (this.rendered.get(key) === json) continue
      await this.options.update(message, rendering, request)
      this.rendered.set(key, json)
    }
  }
}
