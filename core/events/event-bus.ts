/**
 * The event bus port. Events are named noun-first (`catalog-changed`); payloads are plain JSON so the same
 * events can travel over Kafka between replicas.
 */
export interface PortalEvent<Payload = unknown> {
  type: string
  payload: Payload
}

export type EventHandler = (event: PortalEvent) => void | Promise<void>

/**
 * How a subscription hears events when several replicas share a bus. By default every replica's subscriber
 * hears every event (a broadcast: caches and indexes each replica keeps). With `group`, one subscriber of the
 * group across all replicas handles each event (work that must happen once per cluster). With `remoteOnly`,
 * only events another replica published arrive (a replica applies its own changes as it makes them).
 */
export interface SubscribeOptions {
  group?: string
  remoteOnly?: boolean
}

export interface EventBus {
  publish(event: PortalEvent): Promise<void>
  /** Subscribes to one event type; returns the function that unsubscribes. */
  subscribe(type: string, handler: EventHandler, options?: SubscribeOptions): () => void
  /** Starts hearing other replicas' events (a no-op in-process); short-lived commands never call it. */
  start(): Promise<void>
  close(): Promise<void>
}
