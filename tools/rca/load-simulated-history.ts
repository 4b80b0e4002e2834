import { CERTIFICATE_EXPIRY_METRIC, type MetricRun } from './signal-types.ts'
import type { SignalsRepository } from './signals-repository.ts'
import type { SimulatedHistory } from './simulator/simulate-signals.ts'

const DAY = 86_400_000

/** Metric runs of at most a day each, so a query for an hour reads a few rows, not the fortnight. */
export function metricRunsOf(history: SimulatedHistory): MetricRun[] {
  const runs: MetricRun[] = []
  const stepMs = history.stepSeconds * 1000
  const perRun = Math.max(1, Math.floor(DAY / stepMs))
  for (const [entity, byMetric] of history.metrics) {
    for (const [metric, values] of Object.entries(byMetric)) {
      for (let first = 0; first < history.length; first += perRun) {
        runs.push({ entity, metric, start: new Date(history.start.getTime() + first * stepMs), stepSeconds: history.stepSeconds, values: Array.from(values.subarray(first, Math.min(history.length, first + perRun))) })
      }
    }
    // The certificate's expiry, as a blackbox exporter probing the node would report it all along.
    const expiry = history.certificates.get(entity)
    if (expiry === undefined) continue
    for (let first = 0; first < history.length; first += perRun) {
      runs.push({ entity, metric: CERTIFICATE_EXPIRY_METRIC, start: new Date(history.start.getTime() + first * stepMs), stepSeconds: history.stepSeconds, values: new Array<number>(Math.min(history.length, first + perRun) - first).fill(expiry / 1000) })
    }
  }
  return runs
}

/**
 * Writes a simulated history (signals, incidents and the ground truth beside them) into the signals store:
 * events, incidents and truth first, then the metric runs in chunks, stopping between chunks when `signal`
 * aborts (a portal shut down while it was still loading keeps what it wrote).
 */
export async function loadSimulatedHistory(signals: SignalsRepository, history: SimulatedHistory, { signal }: { signal?: AbortSignal } = {}): Promise<{ events: number; incidents: number; metricRuns: number }> {
  const metricRuns = metricRunsOf(history)
  await signals.write({ events: history.events, incidents: history.incidents })
  await signals.addFaultTruth(history.truth)
  let written = 0
  for (let first = 0; first < metricRuns.length && !signal?.aborted; first += 500) {
    const chunk = metricRuns.slice(first, first + 500)
    await signals.write({ metricRuns: chunk })
    written += chunk.length
  }
  return { events: history.events.length, incidents: history.incidents.length, metricRuns: written }
}
