import { roundTo } from './benchmark.ts'

export interface LatencySummary {
  count: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
  meanMs: number
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil(fraction * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

/** p50/p90/p99/max/mean of durations in milliseconds, rounded to microseconds. */
export function summarizeLatencies(durations: number[]): LatencySummary {
  const sorted = [...durations].sort((a, b) => a - b)
  const total = sorted.reduce((sum, value) => sum + value, 0)
  return {
    count: sorted.length,
    p50Ms: roundTo(percentile(sorted, 0.5)),
    p90Ms: roundTo(percentile(sorted, 0.9)),
    p99Ms: roundTo(percentile(sorted, 0.99)),
    maxMs: roundTo(sorted[sorted.length - 1] ?? Number.NaN),
    meanMs: roundTo(sorted.length > 0 ? total / sorted.length : Number.NaN),
  }
}

/** A target beside a figure: what it is, and whether the figure meets it. */
export function againstTarget(valueMs: number, targetMs: number): { targetMs: number; meetsTarget: boolean } {
  return { targetMs, meetsTarget: valueMs < targetMs }
}
