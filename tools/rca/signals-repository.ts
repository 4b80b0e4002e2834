import type { FaultTruth, Incident, MetricRun, SignalEvent } from './signal-types.ts'

export interface IncidentQuery {
  entity?: string
  status?: Incident['status']
  from?: Date
  to?: Date
  limit?: number
}

export interface EventQuery {
  entity?: string
  types?: string[]
  from: Date
  to: Date
  limit?: number
}

export interface MetricQuery {
  entities?: string[]
  metrics?: string[]
  from: Date
  to: Date
}

/** What one ingested message carries; applied together or not at all. */
export interface SignalBatch {
  events?: SignalEvent[]
  incidents?: Incident[]
  metricRuns?: MetricRun[]
}

/**
 * The signals port: changes, alerts and logs (events), incidents, metric runs, and the simulator's ground truth.
 * Writes are idempotent: an event id or incident id seen before is updated or skipped, never duplicated.
 */
export interface SignalsRepository {
  isEmpty(): Promise<boolean>
  /** Applies a batch once per delivery id: a redelivered message (same id) changes nothing. Resolves to whether it applied. */
  applyOnce(deliveryId: string, batch: SignalBatch): Promise<boolean>
  /** Adds events (duplicates by id are skipped), upserts incidents (by id) and metric runs (by entity, metric and start). */
  write(batch: SignalBatch): Promise<void>
  addFaultTruth(truth: FaultTruth[]): Promise<void>
  listIncidents(query?: IncidentQuery): Promise<Incident[]>
  getIncident(id: string): Promise<Incident | undefined>
  listEvents(query: EventQuery): Promise<SignalEvent[]>
  /** Runs that overlap the range, cut to it. */
  metricRuns(query: MetricQuery): Promise<MetricRun[]>
  /** The latest time any metric was observed, if any. */
  latestMetricTime(): Promise<Date | undefined>
  faultTruth(): Promise<FaultTruth[]>
}

/** Cuts a run to the samples inside [from, to]. */
export function clipRun(run: MetricRun, from: Date, to: Date): MetricRun | undefined {
  const stepMs = run.stepSeconds * 1000
  const start = run.start.getTime()
  const first = stepMs === 0 ? 0 : Math.max(0, Math.ceil((from.getTime() - start) / stepMs))
  const last = stepMs === 0 ? run.values.length - 1 : Math.min(run.values.length - 1, Math.floor((to.getTime() - start) / stepMs))
  if (last < first || (stepMs === 0 && (start < from.getTime() || start > to.getTime()))) return undefined
  return { ...run, start: new Date(start + first * stepMs), values: run.values.slice(first, last + 1) }
}

export function runEnd(run: MetricRun): Date {
  return new Date(run.start.getTime() + Math.max(0, run.values.length - 1) * run.stepSeconds * 1000)
}

/** Signals in memory: for a platform running on an in-memory catalog (`--catalog`, evals). */
export class MemorySignalsRepository implements SignalsRepository {
  private readonly events = new Map<string, SignalEvent>()
  private readonly incidents = new Map<string, Incident>()
  /** By entity, metric and start, as the SQL table's key: a run written again replaces the one before. */
  private readonly runs = new Map<string, MetricRun>()
  private readonly truth = new Map<string, FaultTruth>()
  private readonly deliveries = new Set<string>()

  async isEmpty(): Promise<boolean> {
    return this.events.size === 0 && this.incidents.size === 0 && this.runs.size === 0
  }

  async applyOnce(deliveryId: string, batch: SignalBatch): Promise<boolean> {
    if (this.deliveries.has(deliveryId)) return false
    await this.write(batch)
    this.deliveries.add(deliveryId)
    return true
  }

  async write({ events = [], incidents = [], metricRuns = [] }: SignalBatch): Promise<void> {
    // Stored as the SQL repository stores them: attributes always present.
    for (const event of events) if (!this.events.has(event.id)) this.events.set(event.id, { ...event, attributes: event.attributes ?? {} })
    for (const incident of incidents) this.incidents.set(incident.id, { ...incident, attributes: incident.attributes ?? {} })
    for (const run of metricRuns) this.runs.set(`${run.entity}\u0000${run.metric}\u0000${run.start.getTime()}`, run)
  }

  async addFaultTruth(truth: FaultTruth[]): Promise<void> {
    for (const item of truth) this.truth.set(item.id, item)
  }

  async listIncidents({ entity, status, from, to, limit = 50 }: IncidentQuery = {}): Promise<Incident[]> {
    return [...this.incidents.values()]
      .filter((incident) => (!entity || incident.entity === entity) && (!status || incident.status === status) && (!from || (incident.resolvedAt ?? new Date(8.64e15)) >= from) && (!to || incident.startedAt <= to))
      .sort((left, right) => right.startedAt.getTime() - left.startedAt.getTime())
      .slice(0, limit)
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    return this.incidents.get(id)
  }

  async listEvents({ entity, types, from, to, limit = 500 }: EventQuery): Promise<SignalEvent[]> {
    return [...this.events.values()]
      .filter((event) => (!entity || event.entity === entity) && (!types || types.includes(event.type)) && event.at >= from && event.at <= to)
      .sort((left, right) => left.at.getTime() - right.at.getTime() || left.id.localeCompare(right.id))
      .slice(0, limit)
  }

  async metricRuns({ entities, metrics, from, to }: MetricQuery): Promise<MetricRun[]> {
    return [...this.runs.values()]
      .filter((run) => (!entities || entities.includes(run.entity)) && (!metrics || metrics.includes(run.metric)))
      .map((run) => clipRun(run, from, to))
      .filter((run): run is MetricRun => run !== undefined)
      .sort((left, right) => left.entity.localeCompare(right.entity) || left.metric.localeCompare(right.metric) || left.start.getTime() - right.start.getTime())
  }

  async latestMetricTime(): Promise<Date | undefined> {
    let latest: number | undefined
    for (const run of this.runs.values()) latest = Math.max(latest ?? -Infinity, runEnd(run).getTime())
    return latest === undefined ? undefined : new Date(latest)
  }

  async faultTruth(): Promise<FaultTruth[]> {
    return [...this.truth.values()].sort((left, right) => left.at.getTime() - right.at.getTime())
  }
}
