import type { EventBus, EventHandler, PortalEvent, SubscribeOptions } from './event-bus.ts'

/**
 * The embedded default: delivers each event to this process's subscribers, in order, before `publish` resolves.
 * One process is the whole cluster here, so a group subscriber hears every event and a `remoteOnly` one none.
 */
export class InProcessEventBus implements EventBus {
  private readonly handlers = new Map<string, Set<EventHandler>>()
  private readonly onHandlerError: (error: unknown, event: PortalEvent) => void

  constructor({ onHandlerError = (error: unknown) => console.error('event handler failed:', error) }: { onHandlerError?: (error: unknown, event: PortalEvent) => void } = {}) {
    this.onHandlerError = onHandlerError
  }

  async publish(event: PortalEvent): Promise<void> {
    for (const handler of this.handlers.get(event.type) ?? []) {
      // One failing subscriber must not keep the others from hearing the event.
      try {
        await handler(event)
      } catch (error) {
        this.onHandlerError(error, event)
      }
    }
  }

  subscribe(type: string, handler: EventHandler, { remoteOnly = false }: SubscribeOptions = {}): () => void {
    if (remoteOnly) return () => undefined
    const set = this.handlers.get(type) ?? new Set()
    set.add(handler)
    this.handlers.set(type, set)
    return () => set.delete(handler)
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.handlers.clear()
  }
}
