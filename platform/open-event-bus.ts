import { Kafka, logLevel } from 'kafkajs'
import type { PortalConfig } from '../core/config.ts'
import type { EventBus } from '../core/events/event-bus.ts'
import { InProcessEventBus } from '../core/events/in-process-event-bus.ts'
import { KafkaEventBus } from '../core/events/kafka-event-bus.ts'

/** The event bus the configuration asks for: Kafka between replicas with KAFKA_BROKERS, else in-process. */
export async function openEventBus(config: PortalConfig): Promise<EventBus> {
  if (!config.kafkaBrokers) return new InProcessEventBus()
  const kafka = new Kafka({ clientId: `next-portal-${config.cluster.replicaId}`, brokers: config.kafkaBrokers, logLevel: logLevel.ERROR })
  return KafkaEventBus.open({ kafka, topic: config.cluster.eventsTopic, replicaName: config.cluster.replicaId })
}
