/**
 * The event bus port. Events are named noun-first (`catalog-changed`); payloads are plain JSON so the same
 * events can travel over Kafka between replicas.
 */
export interface PortalEvent<Payload = unknown> {
  type: string
  payload: Payload
}

export type EventHandler = (event: PortalEvent) => void | Promise<void>

export interface EventBus {
  publish(event: PortalEvent): Promise<void>
  /** Subscribes to one event type; returns the function that unsubscribes. */
  subscribe(type: string, handler: EventHandler): () => void
  close(): Promise<void>
}
