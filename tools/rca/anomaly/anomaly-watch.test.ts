import { describe, expect, it } from 'vitest'
import { InProcessEventBus } from '../../../core/events/in-process-event-bus.ts'
import { MemorySignalsRepository } from '../signals-repository.ts'
import { ANOMALY_DETECTED, type AnomalyDetected } from './anomaly-detected.ts'
import { anomalyWatchJob } from './anomaly-watch.ts'

const MINUTE = 60_000
const start = new Date('2026-11-20T00:00:00Z')

/** Two days of a steady daily rhythm per minute, then a spike at 10:00 on the third day. */
function series(): number[] {
  const values: number[] = []
  for (let minute = 0; minute < 3 * 24 * 60; minute++) values.push(100 + 20 * Math.sin((2 * Math.PI * minute) / (24 * 60)) + ((minute * 7919) % 13) / 13)
  values[2 * 24 * 60 + 10 * 60] = 900
  return values
}

describe('anomaly watch', () => {
  it('publishes each anomaly in the metric series once, when a look covers it', async () => {
    const signals = new MemorySignalsRepository()
    await signals.write({ metricRuns: [{ entity: 'component:default/cart', metric: 'latency_p95_ms', start, stepSeconds: 60, values: series() }] })
    const bus = new InProcessEventBus()
    const heard: AnomalyDetected[] = []
    bus.subscribe(ANOMALY_DETECTED, (event) => void heard.push(event.payload as AnomalyDetected))
    const spike = new Date(start.getTime() + (2 * 24 * 60 + 10 * 60) * MINUTE)
    let now = new Date(spike.getTime() - 30 * MINUTE)
    const job = anomalyWatchJob({ signals, bus, everyMs: 15 * MINUTE, now: () => now })
    const signal = new AbortController().signal

    await job.run(signal) // 09:15–09:30: nothing yet
    expect(heard).toEqual([])
    now = new Date(spike.getTime() + 5 * MINUTE)
    await job.run(signal) // 09:30–10:05: the spike
    expect(heard.map(({ entity, metric, at, value }) => ({ entity, metric, at, value }))).toContainEqual({ entity: 'component:default/cart', metric: 'latency_p95_ms', at: spike.toISOString(), value: 900 })
    const count = heard.length
    now = new Date(spike.getTime() + 6 * MINUTE)
    await job.run(signal) // a later look publishes nothing again
    expect(heard.length).toBe(count)
    await bus.close()
  })
})
