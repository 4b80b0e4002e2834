import { detectAnomalies } from './anomaly/streaming-detector.ts'
import type { SignalsRepository } from './signals-repository.ts'

export interface DetectedAnomaly {
  entity: string
  metric: string
  at: string
  value: number
  score: number
}

const HOUR = 3_600_000

/**
 * Anomalies flagged by the streaming detector in [from, to]: each series is replayed from two days earlier so
 * the detector has learnt its normal before the range starts.
 */
export async function recentAnomalies(signals: SignalsRepository, { entities, from, to, limit = 100 }: { entities?: string[]; from: Date; to: Date; limit?: number }): Promise<DetectedAnomaly[]> {
  const runs = await signals.metricRuns({ entities, from: new Date(from.getTime() - 48 * HOUR), to })
  const bySeries = new Map<string, { entity: string; metric: string; times: number[]; values: number[] }>()
  for (const run of runs) {
    const key = `${run.entity}\u0000${run.metric}`
    const series = bySeries.get(key) ?? { entity: run.entity, metric: run.metric, times: [], values: [] }
    run.values.forEach((value, position) => {
      series.times.push(run.start.getTime() + position * run.stepSeconds * 1000)
      series.values.push(value)
    })
    bySeries.set(key, series)
  }
  const found: DetectedAnomaly[] = []
  for (const series of bySeries.values()) {
    const results = detectAnomalies(series.values, {}, series.times)
    results.forEach((result, position) => {
      const time = series.times[position]!
      if (result.anomaly && time >= from.getTime() && time <= to.getTime()) found.push({ entity: series.entity, metric: series.metric, at: new Date(time).toISOString(), value: Math.round(series.values[position]! * 1000) / 1000, score: Math.round(result.score * 1000) / 1000 })
    })
  }
  return found.sort((left, right) => right.at.localeCompare(left.at) || right.score - left.score).slice(0, limit)
}
