import { describe, expect, it } from 'vitest'
import { FAULT_TYPES } from '../signal-types.ts'
import { scenarioFromHistory, parseScenario } from '../scenario.ts'
import { randomTopology } from './random-topology.ts'
import { simulateSignals, type SimulationOptions } from './simulate-signals.ts'

// checkout → payments → payments-db, and a second user of the database (reports), and an unrelated service.
const topology = {
  nodes: ['checkout', 'payments', 'payments-db', 'reports', 'search'],
  edges: [['checkout', 'payments'], ['payments', 'payments-db'], ['reports', 'payments-db']] as Array<[string, string]>,
}
const start = new Date('2026-03-03T00:00:00Z')
const faultAt = new Date('2026-03-03T12:00:00Z')
const base: SimulationOptions = { topology, resources: new Set(['payments-db']), seed: 42, start, durationMinutes: 16 * 60, stepMinutes: 1 }

const stepOf = (time: Date) => Math.round((time.getTime() - start.getTime()) / 60_000)
/** First step at or after the fault where the series leaves its pre-fault mean by the factor. */
const firstDeparture = (values: Float64Array, factor: number) => {
  const before = values.slice(stepOf(faultAt) - 60, stepOf(faultAt))
  const mean = before.reduce((sum, value) => sum + value, 0) / before.length
  for (let step = stepOf(faultAt); step < values.length; step++) if (values[step]! > mean * factor) return step
  return -1
}

describe('simulateSignals', () => {
  it('is deterministic: the same options give the same history, another seed another', () => {
    const one = simulateSignals({ ...base, faults: [{ type: 'bad-deployment', entity: 'payments', at: faultAt, durationMinutes: 60 }] })
    const two = simulateSignals({ ...base, faults: [{ type: 'bad-deployment', entity: 'payments', at: faultAt, durationMinutes: 60 }] })
    const other = simulateSignals({ ...base, seed: 43, faults: [{ type: 'bad-deployment', entity: 'payments', at: faultAt, durationMinutes: 60 }] })
    expect(Array.from(one.metrics.get('checkout')!.latency_p95_ms)).toEqual(Array.from(two.metrics.get('checkout')!.latency_p95_ms))
    expect(one.events).toEqual(two.events)
    expect(one.incidents).toEqual(two.incidents)
    expect(Array.from(other.metrics.get('checkout')!.latency_p95_ms)).not.toEqual(Array.from(one.metrics.get('checkout')!.latency_p95_ms))
  })

  it('has daily seasonality in load', () => {
    const { metrics } = simulateSignals(base)
    const requests = metrics.get('checkout')!.requests_per_s
    // Peak near 15:00 UTC, trough near 03:00 UTC.
    expect(requests[15 * 60]!).toBeGreaterThan(requests[3 * 60]! * 1.8)
  })

  it('spreads a database saturation up the graph with delays, and only there', () => {
    const history = simulateSignals({ ...base, faults: [{ type: 'database-saturation', entity: 'payments-db', at: faultAt, durationMinutes: 90, severity: 1.4 }] })
    const db = firstDeparture(history.metrics.get('payments-db')!.latency_p95_ms, 1.5)
    const payments = firstDeparture(history.metrics.get('payments')!.latency_p95_ms, 1.5)
    const checkout = firstDeparture(history.metrics.get('checkout')!.latency_p95_ms, 1.5)
    expect(db).toBeGreaterThanOrEqual(stepOf(faultAt))
    expect(payments).toBeGreaterThan(db)
    expect(checkout).toBeGreaterThan(payments)
    expect(firstDeparture(history.metrics.get('search')!.latency_p95_ms, 1.5)).toBe(-1)
    // The truth is written beside the signals and names the incident it caused, opened on the most upstream node.
    expect(history.truth).toEqual([expect.objectContaining({ type: 'database-saturation', cause: 'payments-db', at: faultAt, incidentId: history.incidents[0]!.id })])
    expect(['checkout', 'reports']).toContain(history.incidents[0]!.entity)
    expect(history.incidents[0]!.startedAt.getTime()).toBeGreaterThan(faultAt.getTime())
  })

  it('records the change behind a bad deployment and the new error pattern it brings', () => {
    const history = simulateSignals({ ...base, faults: [{ type: 'bad-deployment', entity: 'payments', at: faultAt, durationMinutes: 60 }] })
    const deployment = history.events.find((event) => event.type === 'deployment' && event.entity === 'payments' && event.at.getTime() === faultAt.getTime())
    expect(deployment?.summary).toMatch(/^Deployed payments v2\./)
    const logs = history.events.filter((event) => event.type === 'log' && event.entity === 'payments' && /TypeError|NullPointer/.test(event.summary))
    expect(logs.length).toBeGreaterThan(3)
    expect(logs.every((event) => event.at >= faultAt)).toBe(true)
  })

  it('lets a memory leak grow memory before the symptoms', () => {
    const history = simulateSignals({ ...base, faults: [{ type: 'memory-leak', entity: 'payments', at: faultAt, durationMinutes: 180 }] })
    const memory = firstDeparture(history.metrics.get('payments')!.memory_mb, 1.2)
    const latency = firstDeparture(history.metrics.get('checkout')!.latency_p95_ms, 1.5)
    expect(memory).toBeGreaterThan(0)
    expect(latency === -1 || latency > memory).toBe(true)
  })

  it('fails every call to a service whose certificate expired, and its callers say so', () => {
    const history = simulateSignals({ ...base, faults: [{ type: 'expired-certificate', entity: 'payments', at: faultAt, durationMinutes: 60 }] })
    const step = stepOf(faultAt) + 10
    expect(history.metrics.get('checkout')!.error_rate[step]!).toBeGreaterThan(0.4)
    expect(history.metrics.get('payments')!.requests_per_s[step]!).toBeLessThan(history.metrics.get('payments')!.requests_per_s[stepOf(faultAt) - 10]! * 0.2)
    expect(history.events.some((event) => event.entity === 'checkout' && event.summary.includes('certificate has expired') && event.summary.includes('payments'))).toBe(true)
  })

  it('makes a noisy neighbour slow its fellow users of a shared resource', () => {
    const history = simulateSignals({ ...base, faults: [{ type: 'noisy-neighbour', entity: 'reports', at: faultAt, durationMinutes: 90, severity: 1.4 }] })
    expect(firstDeparture(history.metrics.get('reports')!.requests_per_s, 2)).toBeGreaterThan(0)
    expect(firstDeparture(history.metrics.get('payments')!.latency_p95_ms, 1.5)).toBeGreaterThan(firstDeparture(history.metrics.get('reports')!.requests_per_s, 2))
  })

  it('opens an incident for every fault type on a random topology', () => {
    const { topology: random, resources } = randomTopology({ seed: 5, services: 20, resources: 4 })
    const callers = (node: string) => random.edges.filter(([, callee]) => callee === node).length
    for (const [position, type] of FAULT_TYPES.entries()) {
      const entity = type === 'database-saturation' ? [...resources].find((node) => callers(node) > 1)! : type === 'noisy-neighbour' ? random.edges.find(([, callee]) => resources.has(callee) && callers(callee) > 1)![0] : random.nodes.find((node) => !resources.has(node) && callers(node) > 0)!
      const history = simulateSignals({ topology: random, resources, seed: position, start, durationMinutes: 16 * 60, stepMinutes: 1, faults: [{ type, entity, at: faultAt, durationMinutes: type === 'memory-leak' ? 180 : 90, severity: 1.2 }] })
      expect(history.incidents, type).toHaveLength(1)
      expect(history.truth[0]).toMatchObject({ type, cause: entity, incidentId: history.incidents[0]!.id })
    }
  })

  it('writes scenario files in the documented format', () => {
    const history = simulateSignals({ ...base, faults: [{ type: 'slow-dependency', entity: 'payments', at: faultAt, durationMinutes: 60 }] })
    const incident = history.incidents[0]!
    const scenario = scenarioFromHistory(history, { id: 'case-1', from: new Date(faultAt.getTime() - 3_600_000), to: new Date(faultAt.getTime() + 3_600_000), incidentStart: incident.startedAt, target: incident.entity })
    const parsed = parseScenario(JSON.parse(JSON.stringify(scenario)))
    expect(parsed.topology).toEqual(topology)
    expect(parsed.metrics.checkout!.latency_p95_ms).toHaveLength(121)
    expect(parsed.metrics.checkout!.latency_p95_ms![0]![0]).toBe('2026-03-03T11:00:00.000Z')
    expect(parsed.target).toBe(incident.entity)
    expect(parsed.events!.every((event) => Date.parse(event.at) >= faultAt.getTime() - 3_600_000)).toBe(true)
  })
})
