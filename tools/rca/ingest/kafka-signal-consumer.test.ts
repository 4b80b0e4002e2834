import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../core/config.ts'
import { writeDemoOrg } from '../../../graph/demo/write-demo-org.ts'
import { createPlatform } from '../../../platform/create-platform.ts'
import { startSignalConsumer } from './kafka-signal-consumer.ts'

/** The broker infra/kafka/start.sh started (scripts/test.js sets it); without one these tests are skipped. */
const brokers = process.env.TEST_KAFKA_BROKERS

describe.skipIf(!brokers)('the Kafka signal consumer against a real broker', () => {
  let directory: string
  const run = Math.random().toString(36).slice(2, 8)
  const topic = `signals-test-${run}`
  const group = `signals-test-${run}`
  const kafka = new Kafka({ clientId: 'signal-consumer-test', brokers: (brokers ?? '').split(','), logLevel: logLevel.NOTHING })

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'portal-kafka-'))
    await writeDemoOrg(path.join(directory, 'demo'))
    const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: path.join(directory, 'data') }) })
    await platform.catalog.import([path.join(directory, 'demo', 'catalog-info.yaml')])
    await platform.close()
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }, { topic: `${topic}.dead-letter`, numPartitions: 1 }], waitForLeaders: true })
    await admin.disconnect()
  }, 120_000)
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('loses nothing and applies nothing twice when a consumer is killed mid-batch, and dead-letters bad messages', async () => {
    const change = (number: number) => ({ key: `c-${number}`, value: JSON.stringify({ id: `c-${number}`, kind: 'change', payload: { id: `deploy-${run}-${number}`, entity: 'cart-service', at: new Date(Date.UTC(2026, 2, 3, 10, number)).toISOString(), summary: `Deployed cart-service v1.${number}.0` } }) })
    const producer = kafka.producer()
    await producer.connect()
    await producer.send({
      topic,
      messages: [
        ...Array.from({ length: 40 }, (_, position) => change(position + 1)),
        // A publisher that retried: the same events again.
        ...[1, 2, 3, 4, 5].map(change),
        { key: 'bad-json', value: '{"id": "broken' },
        { key: 'bad-entity', value: JSON.stringify({ id: 'x-1', kind: 'change', payload: { id: 'x-1', entity: 'warp-drive', at: '2026-03-03T10:00:00Z', summary: 'Deployed warp-drive' } }) },
        { key: 'bad-kind', value: JSON.stringify({ id: 'x-2', kind: 'fax', payload: {} }) },
      ],
    })
    await producer.disconnect()

    // A consumer in its own process, killed with SIGKILL after applying 15 messages: its offsets were never committed.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'testing', 'signal-consumer-child.ts')], { env: { ...process.env, KAFKA_BROKERS: brokers, SIGNALS_TOPIC: topic, SIGNALS_GROUP: group, PORTAL_DATA_DIR: path.join(directory, 'data'), SLOW_MS: '100' }, stdio: ['ignore', 'pipe', 'inherit'] })
    const childApplied: string[] = []
    await new Promise<void>((resolve, reject) => {
      let buffer = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString()
        const lines = buffer.split('\n')
        buffer = lines.pop()!
        for (const line of lines) if (line.startsWith('applied ')) childApplied.push(line.slice('applied '.length))
        if (childApplied.length >= 15 && !child.killed) {
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the child consumer exited early (${code})`))))
    })
    await new Promise((resolve) => child.once('close', resolve))
    expect(childApplied.length).toBeGreaterThanOrEqual(15)

    // A second consumer of the same group takes over from the last committed offset (none): everything again.
    const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: path.join(directory, 'data') }) })
    const outcomes: Array<{ id?: string; applied: boolean; deadLettered: boolean }> = []
    const consumer = await startSignalConsumer({ kafka, signals: platform.signals, index: platform.catalog.index, topic, groupId: group, onMessage: (outcome) => void outcomes.push(outcome) })
    const deadLetters: Array<{ key: string; reason: string }> = []
    const deadLetterConsumer = kafka.consumer({ groupId: `${group}-dead-letter-reader` })
    await deadLetterConsumer.connect()
    await deadLetterConsumer.subscribe({ topic: `${topic}.dead-letter`, fromBeginning: true })
    await deadLetterConsumer.run({ eachMessage: async ({ message }) => void deadLetters.push({ key: message.key!.toString(), reason: message.headers!['x-dead-letter-reason']!.toString() }) })
    try {
      for (let attempt = 0; attempt < 600 && (outcomes.length < 48 || deadLetters.length < 3); attempt++) await new Promise((resolve) => setTimeout(resolve, 100))
      const events = await platform.signals.listEvents({ entity: 'component:default/cart-service', types: ['deployment'], from: new Date('2026-03-03T10:00:00Z'), to: new Date('2026-03-03T11:00:00Z'), limit: 1000 })
      // Nothing lost: every one of the 40 events is there, once.
      expect(events.map((event) => event.id).sort()).toEqual(Array.from({ length: 40 }, (_, position) => `deploy-${run}-${position + 1}`).sort())
      // Nothing applied twice: what the killed consumer applied came back and was skipped, as were the retried duplicates.
      const appliedHere = outcomes.filter((outcome) => outcome.applied).map((outcome) => outcome.id!)
      expect(appliedHere.filter((id) => childApplied.includes(id))).toEqual([])
      expect(new Set([...appliedHere, ...childApplied]).size).toBe(appliedHere.length + childApplied.length)
      expect(appliedHere.length + childApplied.length).toBe(40)
      expect(outcomes.filter((outcome) => !outcome.applied && !outcome.deadLettered).map((outcome) => outcome.id)).toEqual(expect.arrayContaining([...childApplied, 'c-1', 'c-2', 'c-3', 'c-4', 'c-5']))
      expect(deadLetters.map((item) => item.key).sort()).toEqual(['bad-entity', 'bad-json', 'bad-kind'])
      expect(deadLetters.find((item) => item.key === 'bad-entity')!.reason).toContain('entity')
    } finally {
      await deadLetterConsumer.disconnect()
      await consumer.stop()
      await platform.close()
    }
  }, 180_000)
})
