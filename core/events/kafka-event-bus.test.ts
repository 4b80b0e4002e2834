import { Kafka, logLevel } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortalEvent } from './event-bus.ts'
import { KafkaEventBus } from './kafka-event-bus.ts'

/** The broker infra/kafka/start.sh started (scripts/test.js sets it); without one these tests are skipped. */
const brokers = process.env.TEST_KAFKA_BROKERS
if (!brokers) console.warn('TEST_KAFKA_BROKERS is not set: the Kafka event bus tests are skipped (npm test starts a broker)')

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes; returns whether it held. */
async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return true
}

describe.skipIf(!brokers)('the Kafka event bus between two replicas', () => {
  const run = Math.random().toString(36).slice(2, 8)
  const kafka = new Kafka({ clientId: 'event-bus-test', brokers: (brokers ?? '').split(','), logLevel: logLevel.NOTHING })
  const options = { kafka, topic: `events-test-${run}`, groupPrefix: `events-test-${run}` }
  let first: KafkaEventBus
  let second: KafkaEventBus
  const heard = { first: [] as PortalEvent[], second: [] as PortalEvent[], firstRemote: [] as PortalEvent[], secondRemote: [] as PortalEvent[] }
  const work = { first: [] as string[], second: [] as string[], audit: [] as string[] }

  beforeAll(async () => {
    first = await KafkaEventBus.open({ ...options, replicaName: 'first' })
    second = await KafkaEventBus.open({ ...options, replicaName: 'second' })
    for (const [name, bus] of [['first', first], ['second', second]] as const) {
      bus.subscribe('thing-changed', (event) => void heard[name].push(event))
      bus.subscribe('thing-changed', (event) => void heard[`${name}Remote`].push(event), { remoteOnly: true })
      // The same work on both replicas, in one group: each job once across them.
      bus.subscribe('job-requested', (event) => void work[name].push((event.payload as { id: string }).id), { group: 'workers' })
    }
    // Another group hears every job once as well.
    second.subscribe('job-requested', (event) => void work.audit.push((event.payload as { id: string }).id), { group: 'audit' })
    await Promise.all([first.start(), second.start()])
  }, 120_000)
  afterAll(async () => {
    await first?.close()
    await second?.close()
    const admin = kafka.admin()
    await admin.connect()
    await admin.deleteTopics({ topics: [options.topic] }).catch(() => undefined)
    await admin.deleteGroups([`${options.groupPrefix}.workers`, `${options.groupPrefix}.audit`]).catch(() => undefined)
    await admin.disconnect()
  })

  it('delivers a broadcast to every replica once: the publisher at once, the others through Kafka', async () => {
    await first.publish({ type: 'thing-changed', payload: { n: 1 } })
    // In-process subscribers of the publisher have heard it when publish resolves.
    expect(heard.first).toEqual([{ type: 'thing-changed', payload: { n: 1 } }])
    await second.publish({ type: 'thing-changed', payload: { n: 2 } })
    expect(await eventually(() => heard.first.length === 2 && heard.second.length === 2)).toBe(true)
    // A little longer: nobody hears an event twice, and a replica never hears its own event as a remote one.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const numbers = (events: PortalEvent[]) => events.map((event) => (event.payload as { n: number }).n).sort()
    expect(numbers(heard.first)).toEqual([1, 2])
    expect(numbers(heard.second)).toEqual([1, 2])
    expect(heard.firstRemote.map((event) => event.payload)).toEqual([{ n: 2 }])
    expect(heard.secondRemote.map((event) => event.payload)).toEqual([{ n: 1 }])
  })

  it('hands each work event to one replica of its group, and to every group once', async () => {
    const ids = Array.from({ length: 40 }, (_, position) => `job-${position}`)
    await Promise.all(ids.map((id, position) => (position % 2 ? first : second).publish({ type: 'job-requested', payload: { id } })))
    expect(await eventually(() => work.first.length + work.second.length >= ids.length && work.audit.length >= ids.length, 20_000)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect([...work.first, ...work.second].sort()).toEqual([...ids].sort())
    expect([...work.audit].sort()).toEqual([...ids].sort())
  }, 60_000)

  it('replays to a replica what was published between opening its bus and starting it', async () => {
    const late = await KafkaEventBus.open({ ...options, replicaName: 'late' })
    const lateHeard: unknown[] = []
    late.subscribe('thing-changed', (event) => void lateHeard.push(event.payload))
    try {
      // Published after `late` read its state (open) but before it follows the topic (start).
      await first.publish({ type: 'thing-changed', payload: { n: 3 } })
      await late.start()
      await first.publish({ type: 'thing-changed', payload: { n: 4 } })
      expect(await eventually(() => lateHeard.length === 2)).toBe(true)
      expect(lateHeard).toEqual([{ n: 3 }, { n: 4 }])
    } finally {
      await late.close()
    }
  }, 60_000)
})
