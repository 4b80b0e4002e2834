import { randomUUID } from 'node:crypto'
import { CompressionTypes, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs'
import { z } from 'zod'
import type { EventBus, EventHandler, PortalEvent, SubscribeOptions } from './event-bus.ts'

export interface KafkaEventBusOptions {
  kafka: Kafka
  /** The one topic every portal event travels on (keyed by type, so each type keeps its order). */
  topic?: string
  /** Consumer group ids start with it: `<prefix>.replica.<name>.<instance>` and `<prefix>.<group>`. */
  groupPrefix?: string
  /** A readable name for this replica (host name, pod name), in its group id and logs. */
  replicaName?: string
  /** Partitions when this bus creates the topic. */
  partitions?: number
  /** How many times a group subscriber's failing handler is retried before the event is reported and skipped. */
  groupRetries?: number
  onHandlerError?: (error: unknown, event: PortalEvent) => void
}

/** Which process published a message: its own events a replica has already delivered locally. */
const INSTANCE_HEADER = 'x-portal-instance'
/** A catalog change names every ref it touched; a 100,000-entity import is megabytes before compression. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024
const JOIN_WAIT_MS = 30_000
const eventSchema = z.object({ type: z.string().min(1), payload: z.unknown() })

interface Subscription {
  handler: EventHandler
  group?: string
  remoteOnly: boolean
}

/**
 * The event bus across replicas, over one Kafka topic. Broadcast subscribers (the default) hear every event on
 * every replica: each replica consumes the topic in a consumer group of its own, which starts where the topic
 * ended when the bus opened (before the replica read its state from the store, so nothing published in between
 * is missed) and skips the events it published itself, which `publish` already delivered in-process. Group
 * subscribers share one consumer group per `group` across replicas, so each event is handled once per group.
 */
export class KafkaEventBus implements EventBus {
  /** This process's identity on the topic, new at every start. */
  readonly instanceId = randomUUID()
  private readonly kafka: Kafka
  private readonly topic: string
  private readonly groupPrefix: string
  private readonly replicaName: string
  private readonly partitions: number
  private readonly groupRetries: number
  private readonly onHandlerError: (error: unknown, event: PortalEvent) => void
  private readonly producer: Producer
  private readonly subscriptions = new Map<string, Set<Subscription>>()
  private readonly consumers = new Map<string, Promise<Consumer>>()
  private startOffsets: Array<{ partition: number; offset: string }> = []
  private started?: Promise<void>
  private broadcastGroup?: string

  private constructor({ kafka, topic = 'next-portal.events', groupPrefix = 'next-portal', replicaName = 'replica', partitions = 3, groupRetries = 3, onHandlerError = (error: unknown, event: PortalEvent) => console.error(`event handler for ${event.type} failed:`, error) }: KafkaEventBusOptions) {
    this.kafka = kafka
    this.topic = topic
    this.groupPrefix = groupPrefix
    this.replicaName = replicaName.replace(/[^\w.-]/g, '-')
    this.partitions = partitions
    this.groupRetries = groupRetries
    this.onHandlerError = onHandlerError
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  }

  /** Creates the topic if needed, notes where it ends now, and connects the producer. */
  static async open(options: KafkaEventBusOptions): Promise<KafkaEventBus> {
    const bus = new KafkaEventBus(options)
    const admin = bus.kafka.admin()
    await admin.connect()
    try {
      try {
        if (!(await admin.listTopics()).includes(bus.topic)) await admin.createTopics({ topics: [{ topic: bus.topic, numPartitions: bus.partitions, configEntries: [{ name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) }] }], waitForLeaders: true })
      } catch (error) {
        // Another replica created it first.
        if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error
      }
      // Just after the topic was created its partitions may have no leader yet: that passes.
      for (let attempt = 0; ; attempt++) {
        try {
          bus.startOffsets = (await admin.fetchTopicOffsets(bus.topic)).map(({ partition, high }) => ({ partition, offset: high }))
          break
        } catch (error) {
          if (!(error as { retriable?: boolean }).retriable || attempt >= 20) throw error
          await new Promise((resolve) => setTimeout(resolve, 250))
        }
      }
    } finally {
      await admin.disconnect()
    }
    await bus.producer.connect()
    return bus
  }

  async publish(event: PortalEvent): Promise<void> {
    const sent = this.producer.send({
      topic: this.topic,
      compression: CompressionTypes.GZIP,
      messages: [{ key: event.type, value: JSON.stringify({ type: event.type, payload: event.payload }), headers: { [INSTANCE_HEADER]: this.instanceId } }],
    })
    // Delivered here while Kafka takes it: this replica's own state follows its own changes at once.
    try {
      for (const subscription of [...(this.subscriptions.get(event.type) ?? [])]) {
        if (!subscription.group && !subscription.remoteOnly) await this.deliver(subscription.handler, event)
      }
    } finally {
      await sent
    }
  }

  subscribe(type: string, handler: EventHandler, { group, remoteOnly = false }: SubscribeOptions = {}): () => void {
    const subscription: Subscription = { handler, group, remoteOnly }
    const set = this.subscriptions.get(type) ?? new Set()
    set.add(subscription)
    this.subscriptions.set(type, set)
    if (group && this.started) void this.startGroup(group).catch((error: unknown) => this.onHandlerError(error, { type, payload: undefined }))
    return () => set.delete(subscription)
  }

  /** Starts following the topic: this replica's broadcast consumer, and a consumer per subscribed group. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.broadcastGroup = `${this.groupPrefix}.replica.${this.replicaName}.${this.instanceId}`
      // A new group has no offsets: commit where the topic ended at open, so the gap until now is replayed.
      const admin = this.kafka.admin()
      await admin.connect()
      try {
        await admin.setOffsets({ groupId: this.broadcastGroup, topic: this.topic, partitions: this.startOffsets })
      } finally {
        await admin.disconnect()
      }
      await this.runConsumer(this.broadcastGroup, (event, fromSelf) => this.deliverBroadcast(event, fromSelf))
      const groups = new Set([...this.subscriptions.values()].flatMap((set) => [...set].map((subscription) => subscription.group)).filter((group): group is string => group !== undefined))
      await Promise.all([...groups].map((group) => this.startGroup(group)))
    })()
    return this.started
  }

  async close(): Promise<void> {
    const consumers = await Promise.allSettled(this.consumers.values())
    for (const consumer of consumers) if (consumer.status === 'fulfilled') await consumer.value.disconnect()
    this.consumers.clear()
    await this.producer.disconnect()
    if (this.broadcastGroup) {
      // The replica's own group is of no use to anyone once it stops.
      const admin = this.kafka.admin()
      await admin.connect()
      await admin.deleteGroups([this.broadcastGroup]).catch(() => undefined)
      await admin.disconnect()
    }
    this.subscriptions.clear()
  }

  private startGroup(group: string): Promise<Consumer> {
    const groupId = `${this.groupPrefix}.${group}`
    let consumer = this.consumers.get(groupId)
    if (!consumer) {
      consumer = this.runConsumer(groupId, (event) => this.deliverToGroup(group, event))
      this.consumers.set(groupId, consumer)
    }
    return consumer
  }

  /** Connects a consumer of the topic in `groupId` and resolves once it has joined its group. */
  private async runConsumer(groupId: string, onEvent: (event: PortalEvent, fromSelf: boolean) => Promise<void>): Promise<Consumer> {
    const consumer = this.kafka.consumer({ groupId, maxBytesPerPartition: MAX_MESSAGE_BYTES })
    if (!this.consumers.has(groupId)) this.consumers.set(groupId, Promise.resolve(consumer))
    const joined = new Promise<void>((resolve) => {
      const stop = consumer.on(consumer.events.GROUP_JOIN, () => {
        stop()
        resolve()
      })
    })
    await consumer.connect()
    await consumer.subscribe({ topic: this.topic, fromBeginning: false })
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = this.parse(message)
        if (event) await onEvent(event, message.headers?.[INSTANCE_HEADER]?.toString() === this.instanceId)
      },
    })
    // A broker that is slow to form the group must not hold start-up forever; the consumer keeps trying.
    await Promise.race([joined, new Promise((resolve) => setTimeout(resolve, JOIN_WAIT_MS).unref())])
    return consumer
  }

  private async deliverBroadcast(event: PortalEvent, fromSelf: boolean): Promise<void> {
    if (fromSelf) return
    for (const subscription of [...(this.subscriptions.get(event.type) ?? [])]) {
      if (!subscription.group) await this.deliver(subscription.handler, event)
    }
  }

  private async deliverToGroup(group: string, event: PortalEvent): Promise<void> {
    for (const subscription of [...(this.subscriptions.get(event.type) ?? [])]) {
      if (subscription.group !== group) continue
      // Work is retried a few times (a store hiccup), then reported and skipped so one event cannot stall the group.
      for (let attempt = 0; ; attempt++) {
        try {
          await subscription.handler(event)
          break
        } catch (error) {
          if (attempt >= this.groupRetries) {
            this.onHandlerError(error, event)
            break
          }
          await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt))
        }
      }
    }
  }

  private async deliver(handler: EventHandler, event: PortalEvent): Promise<void> {
    // One failing subscriber must not keep the others from hearing the event.
    try {
      await handler(event)
    } catch (error) {
      this.onHandlerError(error, event)
    }
  }

  private parse(message: KafkaMessage): PortalEvent | undefined {
    try {
      return eventSchema.parse(JSON.parse(message.value?.toString('utf8') ?? ''))
    } catch (error) {
      this.onHandlerError(new Error(`an event on ${this.topic} at offset ${message.offset} is not a portal event: ${(error as Error).message}`), { type: '(unparsable)', payload: undefined })
      return undefined
    }
  }
}
