import type { Consumer, Kafka, Producer } from 'kafkajs'
import { z } from 'zod'
import { PortalError } from '../../../core/errors.ts'
import type { CatalogIndex } from '../../../graph/index/catalog-index.ts'
import type { EventBus } from '../../../core/events/event-bus.ts'
import type { SignalsRepository } from '../signals-repository.ts'
import { ingestDelivery } from './signals-ingested.ts'
import { fromAlertmanager, fromChangeEvent, fromPagerDuty, type Delivery } from './webhook-payloads.ts'

/** One message on the signals topic: the same payloads the webhooks take, with an event id. */
export const signalMessageSchema = z.object({
  id: z.string().min(1).max(300),
  kind: z.enum(['alertmanager', 'pagerduty', 'change']),
  payload: z.unknown(),
})

const CONVERTERS: Record<z.infer<typeof signalMessageSchema>['kind'], (body: unknown, index: CatalogIndex) => Delivery> = { alertmanager: fromAlertmanager, pagerduty: fromPagerDuty, change: fromChangeEvent }

export interface SignalConsumerOptions {
  kafka: Kafka
  signals: SignalsRepository
  index: CatalogIndex
  /** Told of every message applied (`signals-ingested`). */
  bus?: EventBus
  topic?: string
  deadLetterTopic?: string
  groupId?: string
  /** Called after each message, with whether it was applied (false: seen before, or dead-lettered). */
  onMessage?: (outcome: { id?: string; applied: boolean; deadLettered: boolean }) => void | Promise<void>
  /** Milliseconds between offset commits (kafkajs' autoCommitInterval). */
  commitInterval?: number
}

export interface SignalConsumer {
  consumer: Consumer
  stop(): Promise<void>
}

/**
 * Consumes signal messages in a consumer group. Each message is applied once by its event id (the id is
 * claimed in the transaction that writes it), so a redelivery — after a consumer died between applying and
 * committing its offset — changes nothing. A message that is not JSON, not a signal message, or whose payload
 * fails validation goes to the dead-letter topic with the reason, and the group moves on. A store failure is
 * not the message's fault: it is thrown, and the message is retried.
 */
export async function startSignalConsumer({ kafka, signals, index, bus, topic = 'signals', deadLetterTopic = `${topic}.dead-letter`, groupId = 'next-portal-signals', onMessage, commitInterval = 1000 }: SignalConsumerOptions): Promise<SignalConsumer> {
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  const consumer = kafka.consumer({ groupId })
  await producer.connect()
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    autoCommitInterval: commitInterval,
    eachMessage: async ({ message, partition }) => {
      const text = message.value?.toString('utf8') ?? ''
      let delivery: Delivery
      let id: string | undefined
      try {
        const envelope = signalMessageSchema.parse(JSON.parse(text))
        id = envelope.id
        delivery = CONVERTERS[envelope.kind](envelope.payload, index)
      } catch (error) {
        const reason = error instanceof PortalError ? `${error.message}: ${error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}` : error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ') : `not JSON: ${(error as Error).message}`
        await producer.send({ topic: deadLetterTopic, messages: [{ key: message.key, value: message.value, headers: { 'x-dead-letter-reason': reason, 'x-source-topic': topic, 'x-source-partition': String(partition), 'x-source-offset': message.offset } }] })
        await onMessage?.({ id, applied: false, deadLettered: true })
        return
      }
      const applied = await ingestDelivery({ signals, bus }, delivery, `kafka-${id}`)
      await onMessage?.({ id, applied, deadLettered: false })
    },
  })
  return {
    consumer,
    async stop() {
      await consumer.disconnect()
      await producer.disconnect()
    },
  }
}
