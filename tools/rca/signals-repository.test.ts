import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, testEngines, type TestStore } from '../../core/testing/test-store.ts'
import type { Incident, SignalEvent } from './signal-types.ts'
import { MemorySignalsRepository, type SignalsRepository } from './signals-repository.ts'
import { SqlSignalsRepository } from './sql-signals-repository.ts'

const at = (time: string) => new Date(`2026-03-03T${time}:00Z`)
const deployment: SignalEvent = { id: 'd1', entity: 'component:default/payments-api', type: 'deployment', at: at('10:00'), summary: 'Deployed payments-api v2.0.0', source: 'test', attributes: { version: 'v2.0.0' } }
const log: SignalEvent = { id: 'l1', entity: 'component:default/checkout-api', type: 'log', at: at('10:05'), summary: 'upstream payments-api timed out', source: 'test' }
const incident: Incident = { id: 'i1', entity: 'component:default/checkout-api', title: 'checkout-api slow', severity: 'major', status: 'open', startedAt: at('10:06'), source: 'test' }

/** One set of expectations for every implementation of the port. */
function contract(name: string, open: () => Promise<{ signals: SignalsRepository; close(): Promise<void> }>) {
  describe(name, () => {
    let signals: SignalsRepository
    let close: () => Promise<void>
    beforeAll(async () => {
      ;({ signals, close } = await open())
    })
    afterAll(() => close())

    it('starts empty and stores events, incidents and metric runs, readable by entity and time', async () => {
      expect(await signals.isEmpty()).toBe(true)
      await signals.write({ events: [deployment, log], incidents: [incident], metricRuns: [{ entity: 'component:default/checkout-api', metric: 'latency_p95_ms', start: at('10:00'), stepSeconds: 60, values: [10, 11, 12, 40, 45, 50] }] })
      expect(await signals.isEmpty()).toBe(false)
      expect(await signals.listEvents({ from: at('09:00'), to: at('11:00') })).toEqual([{ ...deployment }, { ...log, attributes: {} }])
      expect(await signals.listEvents({ entity: 'component:default/payments-api', types: ['deployment'], from: at('09:00'), to: at('11:00') })).toHaveLength(1)
      expect(await signals.listEvents({ from: at('10:01'), to: at('10:04') })).toEqual([])
      expect(await signals.getIncident('i1')).toEqual({ ...incident, attributes: {} })
      expect(await signals.getIncident('nope')).toBeUndefined()
      const [run] = await signals.metricRuns({ entities: ['component:default/checkout-api'], from: at('10:02'), to: at('10:04') })
      expect(run).toMatchObject({ metric: 'latency_p95_ms', start: at('10:02'), stepSeconds: 60, values: [12, 40, 45] })
      expect(await signals.metricRuns({ from: at('11:00'), to: at('12:00') })).toEqual([])
      expect(await signals.latestMetricTime()).toEqual(at('10:05'))
    })

    it('skips an event id it has and updates an incident by id', async () => {
      await signals.write({ events: [{ ...deployment, summary: 'changed' }], incidents: [{ ...incident, status: 'resolved', resolvedAt: at('11:00') }] })
      expect((await signals.listEvents({ entity: deployment.entity, from: at('09:00'), to: at('11:00') }))[0]!.summary).toBe('Deployed payments-api v2.0.0')
      expect(await signals.getIncident('i1')).toMatchObject({ status: 'resolved', resolvedAt: at('11:00') })
      expect(await signals.listIncidents({ status: 'open' })).toEqual([])
      expect(await signals.listIncidents({ entity: incident.entity })).toHaveLength(1)
    })

    it('replaces a metric run written again with the same entity, metric and start (a re-pull extends it)', async () => {
      const run = { entity: 'component:default/payments-api', metric: 'requests_per_s', start: at('12:00'), stepSeconds: 60, values: [5, 6] }
      await signals.write({ metricRuns: [run] })
      await signals.write({ metricRuns: [{ ...run, values: [5, 6, 7] }] })
      expect(await signals.metricRuns({ entities: [run.entity], metrics: ['requests_per_s'], from: at('11:00'), to: at('13:00') })).toEqual([{ ...run, values: [5, 6, 7] }])
    })

    it('applies a delivery once, however often it is redelivered', async () => {
      const batch = { events: [{ ...log, id: 'l2', at: at('10:30') }] }
      expect(await signals.applyOnce('delivery-1', batch)).toBe(true)
      expect(await signals.applyOnce('delivery-1', { events: [{ ...log, id: 'l3', at: at('10:31') }] })).toBe(false)
      expect((await signals.listEvents({ from: at('10:29'), to: at('10:59') })).map((event) => event.id)).toEqual(['l2'])
    })

    it('keeps the ground truth', async () => {
      await signals.addFaultTruth([{ id: 'f1', type: 'slow-dependency', cause: 'component:default/payments-api', at: at('10:00'), endsAt: at('11:00'), incidentId: 'i1' }])
      expect(await signals.faultTruth()).toEqual([{ id: 'f1', type: 'slow-dependency', cause: 'component:default/payments-api', at: at('10:00'), endsAt: at('11:00'), incidentId: 'i1' }])
    })
  })
}

contract('signals in memory', async () => ({ signals: new MemorySignalsRepository(), close: async () => {} }))
for (const engine of testEngines) {
  contract(`signals on ${engine}`, async () => {
    const test: TestStore = await openTestStore(engine)
    return { signals: new SqlSignalsRepository(test.store), close: () => test.close() }
  })
}

describe.each(testEngines)('a failed batch on %s', (engine) => {
  it('writes nothing and leaves the delivery unclaimed', async () => {
    const test = await openTestStore(engine)
    try {
      const signals = new SqlSignalsRepository(test.store)
      // The severity check rejects the incident: the event of the same batch must not land either.
      await expect(signals.applyOnce('bad', { events: [deployment], incidents: [{ ...incident, severity: 'huge' as never }] })).rejects.toThrow()
      expect(await signals.isEmpty()).toBe(true)
      expect(await signals.applyOnce('bad', { events: [deployment] })).toBe(true)
    } finally {
      await test.close()
    }
  })
})
