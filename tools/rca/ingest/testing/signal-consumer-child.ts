/**
 * A signal consumer in its own process, for the test that kills one mid-batch: it applies messages slowly,
 * prints "applied <id>" or "skipped <id>" per message, and commits offsets rarely, so that a SIGKILL lands
 * between applying and committing. Environment: KAFKA_BROKERS, SIGNALS_TOPIC, SIGNALS_GROUP, PORTAL_DATA_DIR,
 * SLOW_MS.
 */
import { Kafka, logLevel } from 'kafkajs'
import { loadConfig } from '../../../../core/config.ts'
import { createPlatform } from '../../../../platform/create-platform.ts'
import { startSignalConsumer } from '../kafka-signal-consumer.ts'

const environment = process.env
const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: environment.PORTAL_DATA_DIR }) })
const kafka = new Kafka({ clientId: 'signal-consumer-child', brokers: environment.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING })
await startSignalConsumer({
  kafka,
  signals: platform.signals,
  index: platform.catalog.index,
  topic: environment.SIGNALS_TOPIC,
  groupId: environment.SIGNALS_GROUP,
  commitInterval: 600_000,
  onMessage: async ({ id, applied, deadLettered }) => {
    process.stdout.write(`${deadLettered ? 'dead-lettered' : applied ? 'applied' : 'skipped'} ${id ?? '-'}\n`)
    await new Promise((resolve) => setTimeout(resolve, Number(environment.SLOW_MS ?? 50)))
  },
})
process.stdout.write('ready\n')
