import type { Queryable, Store } from '../../core/store/store.ts'
import type { FaultTruth, Incident, MetricRun, SignalEvent } from './signal-types.ts'
import { clipRun, type EventQuery, type IncidentQuery, type MetricQuery, type SignalBatch, type SignalsRepository } from './signals-repository.ts'

const BATCH = 400

function chunks<Item>(items: Item[], size: number): Item[][] {
  const out: Item[][] = []
  for (let position = 0; position < items.length; position += size) out.push(items.slice(position, position + size))
  return out
}

interface IncidentRow {
  id: string
  entity: string
  title: string
  severity: Incident['severity']
  status: Incident['status']
  started_at: Date | string
  resolved_at: Date | string | null
  source: string
  attributes: Record<string, unknown> | string
}

const json = <Value>(value: Value | string): Value => (typeof value === 'string' ? (JSON.parse(value) as Value) : value)

function incidentFromRow(row: IncidentRow): Incident {
  return { id: row.id, entity: row.entity, title: row.title, severity: row.severity, status: row.status, startedAt: new Date(row.started_at), ...(row.resolved_at ? { resolvedAt: new Date(row.resolved_at) } : {}), source: row.source, attributes: json(row.attributes) }
}

/** Signals in the store (PGlite or PostgreSQL), one SQL for both. Batches go through jsonb_to_recordset. */
export class SqlSignalsRepository implements SignalsRepository {
  constructor(private readonly store: Store) {}

  async isEmpty(): Promise<boolean> {
    const { rows } = await this.store.query<{ any: boolean }>('select exists (select 1 from signal_events) or exists (select 1 from incidents) or exists (select 1 from metric_runs) as any')
    return !rows[0]!.any
  }

  async applyOnce(deliveryId: string, batch: SignalBatch): Promise<boolean> {
    return this.store.transaction(async (transaction) => {
      // The delivery id is claimed in the same transaction as the writes: both land, or neither does.
      const claimed = await transaction.query('insert into signal_deliveries (id) values ($1) on conflict (id) do nothing returning id', [deliveryId])
      if (claimed.rows.length === 0) return false
      await writeBatch(transaction, batch)
      return true
    })
  }

  async write(batch: SignalBatch): Promise<void> {
    await this.store.transaction((transaction) => writeBatch(transaction, batch))
  }

  async addFaultTruth(truth: FaultTruth[]): Promise<void> {
    if (truth.length === 0) return
    await this.store.query(
      `insert into signal_fault_truth (id, type, cause, at, ends_at, incident_id)
       select id, type, cause, at, ends_at, incident_id from jsonb_to_recordset($1::jsonb) as t(id text, type text, cause text, at timestamptz, ends_at timestamptz, incident_id text)
       on conflict (id) do update set incident_id = excluded.incident_id`,
      [JSON.stringify(truth.map((item) => ({ id: item.id, type: item.type, cause: item.cause, at: item.at.toISOString(), ends_at: item.endsAt.toISOString(), incident_id: item.incidentId ?? null })))],
    )
  }

  async listIncidents({ entity, status, from, to, limit = 50 }: IncidentQuery = {}): Promise<Incident[]> {
    const { rows } = await this.store.query<IncidentRow>(
      `select * from incidents
       where ($1::text is null or entity = $1) and ($2::text is null or status = $2)
         and ($3::timestamptz is null or coalesce(resolved_at, 'infinity') >= $3) and ($4::timestamptz is null or started_at <= $4)
       order by started_at desc limit $5`,
      [entity ?? null, status ?? null, from?.toISOString() ?? null, to?.toISOString() ?? null, limit],
    )
    return rows.map(incidentFromRow)
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const { rows } = await this.store.query<IncidentRow>('select * from incidents where id = $1', [id])
    return rows[0] ? incidentFromRow(rows[0]) : undefined
  }

  async listEvents({ entity, types, from, to, limit = 500 }: EventQuery): Promise<SignalEvent[]> {
    const { rows } = await this.store.query<{ id: string; entity: string; type: SignalEvent['type']; at: Date | string; summary: string; source: string; attributes: Record<string, unknown> | string }>(
      `select * from signal_events where ($1::text is null or entity = $1) and ($2::text[] is null or type = any($2::text[])) and at between $3 and $4 order by at, id limit $5`,
      [entity ?? null, types ?? null, from.toISOString(), to.toISOString(), limit],
    )
    return rows.map((row) => ({ id: row.id, entity: row.entity, type: row.type, at: new Date(row.at), summary: row.summary, source: row.source, attributes: json(row.attributes) }))
  }

  async metricRuns({ entities, metrics, from, to }: MetricQuery): Promise<MetricRun[]> {
    const { rows } = await this.store.query<{ entity: string; metric: string; start_at: Date | string; step_seconds: number; samples: number[] | string }>(
      `select entity, metric, start_at, step_seconds, samples from metric_runs
       where ($1::text[] is null or entity = any($1::text[])) and ($2::text[] is null or metric = any($2::text[])) and start_at <= $4 and ends_at >= $3
       order by entity, metric, start_at`,
      [entities ?? null, metrics ?? null, from.toISOString(), to.toISOString()],
    )
    const runs: MetricRun[] = []
    for (const row of rows) {
      const values = typeof row.samples === 'string' ? row.samples.replace(/[{}]/g, '').split(',').map(Number) : row.samples.map(Number)
      const clipped = clipRun({ entity: row.entity, metric: row.metric, start: new Date(row.start_at), stepSeconds: row.step_seconds, values }, from, to)
      if (clipped) runs.push(clipped)
    }
    return runs
  }

  async latestMetricTime(): Promise<Date | undefined> {
    const { rows } = await this.store.query<{ latest: Date | string | null }>('select max(ends_at) as latest from metric_runs')
    return rows[0]?.latest ? new Date(rows[0].latest) : undefined
  }

  async faultTruth(): Promise<FaultTruth[]> {
    const { rows } = await this.store.query<{ id: string; type: FaultTruth['type']; cause: string; at: Date | string; ends_at: Date | string; incident_id: string | null }>('select * from signal_fault_truth order by at')
    return rows.map((row) => ({ id: row.id, type: row.type, cause: row.cause, at: new Date(row.at), endsAt: new Date(row.ends_at), ...(row.incident_id ? { incidentId: row.incident_id } : {}) }))
  }
}

async function writeBatch(transaction: Queryable, { events = [], incidents = [], metricRuns = [] }: SignalBatch): Promise<void> {
  for (const part of chunks(events, BATCH)) {
    await transaction.query(
      `insert into signal_events (id, entity, type, at, summary, source, attributes)
       select id, entity, type, at, summary, source, coalesce(attributes, '{}') from jsonb_to_recordset($1::jsonb) as t(id text, entity text, type text, at timestamptz, summary text, source text, attributes jsonb)
       on conflict (id) do nothing`,
      [JSON.stringify(part.map((event) => ({ ...event, at: event.at.toISOString(), attributes: event.attributes ?? {} })))],
    )
  }
  for (const part of chunks(incidents, BATCH)) {
    await transaction.query(
      `insert into incidents (id, entity, title, severity, status, started_at, resolved_at, source, attributes)
       select id, entity, title, severity, status, started_at, resolved_at, source, coalesce(attributes, '{}') from jsonb_to_recordset($1::jsonb)
         as t(id text, entity text, title text, severity text, status text, started_at timestamptz, resolved_at timestamptz, source text, attributes jsonb)
       on conflict (id) do update set title = excluded.title, severity = excluded.severity, status = excluded.status, resolved_at = excluded.resolved_at, attributes = excluded.attributes`,
      [JSON.stringify(part.map((incident) => ({ ...incident, startedAt: undefined, resolvedAt: undefined, started_at: incident.startedAt.toISOString(), resolved_at: incident.resolvedAt?.toISOString() ?? null, attributes: incident.attributes ?? {} })))],
    )
  }
  for (const part of chunks(metricRuns, 100)) {
    await transaction.query(
      `insert into metric_runs (entity, metric, start_at, ends_at, step_seconds, samples)
       select entity, metric, start_at, ends_at, step_seconds, samples::double precision[] from jsonb_to_recordset($1::jsonb)
         as t(entity text, metric text, start_at timestamptz, ends_at timestamptz, step_seconds integer, samples text)
       on conflict (entity, metric, start_at) do update set ends_at = excluded.ends_at, step_seconds = excluded.step_seconds, samples = excluded.samples`,
      [JSON.stringify(part.map((run) => ({ entity: run.entity, metric: run.metric, start_at: run.start.toISOString(), ends_at: new Date(run.start.getTime() + Math.max(0, run.values.length - 1) * run.stepSeconds * 1000).toISOString(), step_seconds: run.stepSeconds, samples: `{${run.values.map((value) => (Number.isFinite(value) ? String(Math.round(value * 10_000) / 10_000) : 'NaN')).join(',')}}` })))],
    )
  }
}
