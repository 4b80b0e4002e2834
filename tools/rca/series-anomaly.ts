import type { Series } from './scenario.ts'

/** One metric's departure from its baseline: when it began, which way, and how far. */
export interface SeriesAnomaly {
  metric: string
  onset: number
  direction: 'up' | 'down'
  baseline: number
  /** The most extreme value after the onset. */
  peak: number
  /** |peak − baseline| / |baseline|. */
  relativeChange: number
  zScore: number
}

export interface AnomalyThresholds {
  /** Robust z-score (median and MAD of the baseline) a point must pass. */
  z: number
  /** And the relative change it must pass, so that slow drifts of a quiet series are not news. */
  relative: number
}

export const DEFAULT_THRESHOLDS: AnomalyThresholds = { z: 6, relative: 0.25 }

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/**
 * Where a series leaves its recent level after `from` and stays out (the next point or the one after too), or
 * undefined when it does not. The level is the mean of the hour before the point (ending ten minutes before it,
 * so that a ramp does not hide itself), which follows daily seasonality; the noise scale comes from the
 * point-to-point differences before `baselineEnd`, which a slow trend does not inflate.
 */
export function seriesAnomaly(metric: string, { times, values }: Series, { baselineEnd, from = baselineEnd, thresholds = DEFAULT_THRESHOLDS }: { baselineEnd: number; from?: number; thresholds?: AnomalyThresholds }): SeriesAnomaly | undefined {
  if (times.length < 8) return undefined
  const step = Math.max(1, (times[times.length - 1]! - times[0]!) / (times.length - 1))
  const gap = Math.max(1, Math.round(600_000 / step))
  const window = Math.max(3, Math.round(3_000_000 / step))
  const differences: number[] = []
  for (let position = 1; position < times.length && times[position]! < baselineEnd; position++) differences.push(Math.abs(values[position]! - values[position - 1]!))
  if (differences.length < 4) return undefined
  const prefix = new Float64Array(values.length + 1)
  for (let position = 0; position < values.length; position++) prefix[position + 1] = prefix[position]! + values[position]!
  const levelAt = (position: number) => {
    const end = Math.max(1, position - gap)
    const begin = Math.max(0, end - window)
    return (prefix[end]! - prefix[begin]!) / (end - begin)
  }
  const noise = (1.4826 * median(differences)) / Math.SQRT2
  const outAgainst = (value: number, level: number) => {
    const scale = Math.max(noise, Math.abs(level) * 0.01, 1e-6)
    return Math.abs(value - level) / scale > thresholds.z && Math.abs(value - level) > thresholds.relative * Math.max(Math.abs(level), 1e-3)
  }
  for (let position = gap + 3; position < times.length; position++) {
    if (times[position]! < from) continue
    const level = levelAt(position)
    if (!outAgainst(values[position]!, level)) continue
    const next = values.slice(position + 1, position + 3)
    if (next.length > 0 && !next.some((value) => outAgainst(value, level))) continue
    const direction = values[position]! > level ? 'up' : 'down'
    let peak = values[position]!
    for (let later = position; later < values.length; later++) if (direction === 'up' ? values[later]! > peak : values[later]! < peak) peak = values[later]!
    const scale = Math.max(noise, Math.abs(level) * 0.01, 1e-6)
    return { metric, onset: times[position]!, direction, baseline: level, peak, relativeChange: Math.abs(peak - level) / Math.max(Math.abs(level), 1e-3), zScore: Math.abs(peak - level) / scale }
  }
  return undefined
}
