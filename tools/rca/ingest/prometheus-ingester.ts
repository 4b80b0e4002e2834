import type { CatalogIndex } from '../../../graph/index/catalog-index.ts'
import { resolveEntityRef } from '../../../graph/index/resolve-entity.ts'
import type { MetricRun } from '../signal-types.ts'
import type { SignalsRepository } from '../signals-repository.ts'
import type { PrometheusClient, PrometheusSeries } from './prometheus-client.ts'
import type { PrometheusQueries } from './prometheus-queries.ts'

const HOUR = 3_600_000
/** Prometheus answers at most 11,000 points per series; a day at a one-second step would exceed it, so chunks shrink with the step. */
const MAX_POINTS = 10_000
/** An entity annotation naming the label value its series carry when that is not the entity's own name. */
export const PROMETHEUS_SERVICE_ANNOTATION = 'prometheus.io/service-name'

export interface PrometheusPullReport {
  from: string
  to: string
  /** Series Prometheus returned, over all metrics. */
  series: number
  /** Runs written (one per entity, metric and hour; more where a series has gaps). */
  runs: number
  /** Label values that name no catalog entity (their series are skipped). */
  unmapped: string[]
}

export interface PrometheusIngesterOptions {
  client: PrometheusClient
  signals: SignalsRepository
  index: CatalogIndex
  /** The label naming the entity, e.g. `service` or `job`. */
  entityLabel: string
  /** Metric name → PromQL, already expanded for the label. */
  queries: PrometheusQueries
  /** The query_range step; it must divide an hour. */
  stepSeconds?: number
  now?: () => Date
  /** How long after an hour ends its samples are taken as final (scrapes and rule evaluation lag). */
  settleSeconds?: number
}

/**
 * Pulls metric series for catalog entities from Prometheus (`/api/v1/query_range`) into the signals repository.
 * Samples are stored as runs of whole hours, each starting on the hour (or at the first sample after a gap), so
 * pulling the same window twice writes the same runs again (the repository upserts by entity, metric and start):
 * a pull is idempotent, and a later pull of the current hour extends its run. Hours that ended long enough ago are
 * remembered as complete and not asked for again by `ensureWindow`.
 */
export class PrometheusMetricIngester {
  private readonly client: PrometheusClient
  private readonly signals: SignalsRepository
  private readonly index: CatalogIndex
  private readonly entityLabel: string
  private readonly queries: PrometheusQueries
  private readonly stepMs: number
  private readonly now: () => Date
  private readonly settleMs: number
  private readonly completeHours = new Set<number>()
  private readonly pulledAt = new Map<number, number>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor({ client, signals, index, entityLabel, queries, stepSeconds = 60, now = () => new Date(), settleSeconds = 120 }: PrometheusIngesterOptions) {
    if (HOUR % (stepSeconds * 1000) !== 0) throw new RangeError(`The Prometheus step (${stepSeconds} s) must divide an hour`)
    this.client = client
    this.signals = signals
    this.index = index
    this.entityLabel = entityLabel
    this.queries = queries
    this.stepMs = stepSeconds * 1000
    this.now = now
    this.settleMs = settleSeconds * 1000
  }

  /** Pulls every hour that [from, to] touches, whole (the current one up to now), and writes the runs. */
  async pull(from: Date, to: Date): Promise<PrometheusPullReport> {
    const pulledAt = this.now().getTime()
    const firstHour = Math.floor(from.getTime() / HOUR) * HOUR
    // Whole hours: the same hour pulled twice is the same run, whatever window asked for it.
    const last = Math.floor(Math.min(Math.floor(to.getTime() / HOUR) * HOUR + HOUR - this.stepMs, pulledAt) / this.stepMs) * this.stepMs
    const report: PrometheusPullReport = { from: new Date(firstHour).toISOString(), to: new Date(last).toISOString(), series: 0, runs: 0, unmapped: [] }
    if (last < firstHour) return report
    const unmapped = new Set<string>()
    const runs: MetricRun[] = []
    const chunkMs = Math.max(HOUR, Math.floor((MAX_POINTS * this.stepMs) / HOUR) * HOUR)
    for (const [metric, query] of Object.entries(this.queries)) {
      for (let start = firstHour; start <= last; start += chunkMs) {
        const end = Math.min(last, start + chunkMs - this.stepMs)
        const series = await this.client.queryRange({ query, start: new Date(start), end: new Date(end), stepSeconds: this.stepMs / 1000 })
        report.series += series.length
        const seen = new Set<string>()
        for (const item of series) {
          const entity = this.entityOf(item, unmapped)
          // A query that does not aggregate by the label can return several series per entity; the first counts.
          if (!entity || seen.has(entity)) continue
          seen.add(entity)
          runs.push(...this.hourRuns(entity, metric, item.samples))
        }
      }
    }
    await this.signals.write({ metricRuns: runs })
    for (let hour = firstHour; hour <= last; hour += HOUR) {
      this.pulledAt.set(hour, pulledAt)
      if (pulledAt >= hour + HOUR + this.settleMs) this.completeHours.add(hour)
    }
    report.runs = runs.length
    report.unmapped = [...unmapped].sort()
    return report
  }

  /**
   * Makes sure [from, to] is in the repository: pulls the hours in it not yet pulled complete (the current hour
   * at most once a step). Resolves to the pull's report, or undefined when nothing needed pulling.
   */
  async ensureWindow(from: Date, to: Date): Promise<PrometheusPullReport | undefined> {
    const now = this.now().getTime()
    const missing: number[] = []
    for (let hour = Math.floor(from.getTime() / HOUR) * HOUR; hour <= Math.min(to.getTime(), now); hour += HOUR) {
      if (this.completeHours.has(hour)) continue
      if (now - (this.pulledAt.get(hour) ?? -Infinity) < this.stepMs) continue
      missing.push(hour)
    }
    if (missing.length === 0) return undefined
    return this.pull(new Date(missing[0]!), new Date(missing.at(-1)!))
  }

  /** Pulls the last `backfillHours` now, then the latest samples every `intervalSeconds`, until `stop()`. */
  start({ intervalSeconds, backfillHours = 6, onPull, onError }: { intervalSeconds: number; backfillHours?: number; onPull?: (report: PrometheusPullReport) => void; onError?: (error: Error) => void }): void {
    let first = true
    const tick = async () => {
      const now = this.now()
      try {
        const report = await this.ensureWindow(new Date(now.getTime() - (first ? backfillHours : 1) * HOUR), now)
        if (report) onPull?.(report)
      } catch (error) {
        onError?.(error as Error)
      }
      first = false
      // Scheduled after the pull finishes: a slow Prometheus never gets overlapping pulls from us.
      if (this.timer !== undefined) this.timer = setTimeout(tick, intervalSeconds * 1000)
    }
    this.timer = setTimeout(tick, 0)
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /** The entity a series is about: the one annotated with its label value, else the entity of that name. */
  private entityOf(series: PrometheusSeries, unmapped: Set<string>): string | undefined {
    const value = series.labels[this.entityLabel]
    if (!value) {
      unmapped.add(`(no ${this.entityLabel} label)`)
      return undefined
    }
    const annotated = [...this.index.withValue(`metadata.annotations.${PROMETHEUS_SERVICE_ANNOTATION}`, value.toLowerCase())]
    if (annotated.length === 1) return annotated[0]
    try {
      return resolveEntityRef(this.index, value)
    } catch {
      unmapped.add(value)
      return undefined
    }
  }

  /** Samples cut into runs of regular steps within each hour; a missing or non-finite sample starts a new run. */
  private hourRuns(entity: string, metric: string, samples: Array<[number, number]>): MetricRun[] {
    const runs: MetricRun[] = []
    let current: MetricRun | undefined
    for (const [seconds, value] of samples) {
      const time = Math.round(seconds * 1000)
      if (!Number.isFinite(value)) {
        current = undefined
        continue
      }
      const expected = current ? current.start.getTime() + current.values.length * this.stepMs : undefined
      if (!current || time !== expected || time % HOUR === 0) {
        current = { entity, metric, start: new Date(time), stepSeconds: this.stepMs / 1000, values: [] }
        runs.push(current)
      }
      current.values.push(value)
    }
    return runs
  }
}
