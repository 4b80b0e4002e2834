import { createHash } from 'node:crypto'
import { z } from 'zod'
import { InputError } from '../../../core/errors.ts'
import type { CatalogIndex } from '../../../graph/index/catalog-index.ts'
import { resolveEntityRef } from '../../../graph/index/resolve-entity.ts'
import type { Incident, SignalEvent } from '../signal-types.ts'
import type { SignalBatch } from '../signals-repository.ts'

const time = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an RFC 3339 time')

/** Prometheus Alertmanager's webhook body (version 4), as `webhook_configs` sends it. */
export const alertmanagerSchema = z.object({
  version: z.string(),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: z.record(z.string(), z.string()),
  commonLabels: z.record(z.string(), z.string()),
  commonAnnotations: z.record(z.string(), z.string()),
  externalURL: z.string(),
  alerts: z.array(z.object({
    status: z.enum(['firing', 'resolved']),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
    startsAt: time,
    endsAt: z.string(),
    generatorURL: z.string(),
    fingerprint: z.string().min(1),
  })).min(1),
})

/** PagerDuty's V3 webhook body: one event about an incident. */
export const pagerDutySchema = z.object({
  event: z.object({
    id: z.string().min(1),
    event_type: z.string().regex(/^incident\./, 'must be an incident event (incident.triggered, incident.resolved, …)'),
    resource_type: z.literal('incident'),
    occurred_at: time,
    agent: z.unknown().optional(),
    client: z.unknown().optional(),
    data: z.object({
      id: z.string().min(1),
      type: z.literal('incident'),
      self: z.string().optional(),
      html_url: z.string().optional(),
      number: z.number().int().optional(),
      status: z.enum(['triggered', 'acknowledged', 'resolved']),
      incident_key: z.string().nullable().optional(),
      created_at: time,
      title: z.string(),
      service: z.object({ id: z.string(), summary: z.string().min(1), type: z.string(), self: z.string().optional(), html_url: z.string().optional() }),
      urgency: z.enum(['high', 'low']).optional(),
      priority: z.object({ summary: z.string().optional() }).passthrough().nullable().optional(),
    }).passthrough(),
  }),
})

/** A deployment or config change from any pipeline. */
export const changeEventSchema = z.object({
  id: z.string().min(1).max(300),
  entity: z.string().min(1).max(300),
  type: z.enum(['deployment', 'config-change']).default('deployment'),
  at: time,
  summary: z.string().min(1).max(2000),
  version: z.string().max(200).optional(),
})

function parse<Schema extends z.ZodType>(schema: Schema, body: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  throw new InputError(`Not a valid ${what}`, { issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message })) })
}

/** The catalog entity a payload is about; a name the catalog lacks is an error naming the field. */
function entityOf(index: CatalogIndex, name: string | undefined, field: string): string {
  if (!name) throw new InputError(`No entity in ${field}`, { issues: [{ path: field, message: 'must name a catalog entity (e.g. the "service" label)' }] })
  try {
    return resolveEntityRef(index, name)
  } catch (error) {
    throw new InputError(`${field} does not name a catalog entity`, { issues: [{ path: field, message: (error as Error).message }], cause: error })
  }
}

export interface Delivery {
  id: string
  batch: SignalBatch
}

/**
 * Alerts become alert events; a firing critical alert opens an incident and its resolution resolves it. The
 * entity is the `service` label (else `entity`, `app`, `job`). Alertmanager sends no delivery id, so a digest
 * of what the notification says stands in: the same notification re-sent applies once.
 */
export function fromAlertmanager(body: unknown, index: CatalogIndex): Delivery {
  const payload = parse(alertmanagerSchema, body, 'Alertmanager webhook (version 4)')
  const events: SignalEvent[] = []
  const incidents: Incident[] = []
  payload.alerts.forEach((alert, position) => {
    const label = ['service', 'entity', 'app', 'job'].find((key) => alert.labels[key])
    const entity = entityOf(index, label ? alert.labels[label] : undefined, `alerts.${position}.labels.${label ?? 'service'}`)
    const name = alert.labels.alertname ?? 'alert'
    const summary = alert.annotations.summary ?? alert.annotations.description ?? name
    const startedAt = new Date(alert.startsAt)
    events.push({ id: `alertmanager-${alert.fingerprint}-${alert.startsAt}-${alert.status}`, entity, type: 'alert', at: alert.status === 'resolved' && !alert.endsAt.startsWith('0001') ? new Date(alert.endsAt) : startedAt, summary: `${name} ${alert.status}: ${summary}`, source: 'alertmanager', attributes: { labels: alert.labels, generatorURL: alert.generatorURL, status: alert.status } })
    const severity = alert.labels.severity
    if (severity === 'critical' || severity === 'page' || severity === 'major') {
      incidents.push({ id: `alertmanager-${alert.fingerprint}-${alert.startsAt}`, entity, title: `${name}: ${summary}`, severity: severity === 'major' ? 'major' : 'critical', status: alert.status === 'resolved' ? 'resolved' : 'open', startedAt, ...(alert.status === 'resolved' ? { resolvedAt: new Date(alert.endsAt) } : {}), source: 'alertmanager', attributes: { affected: [entity] } })
    }
  })
  const digest = createHash('sha256').update(JSON.stringify([payload.groupKey, payload.alerts.map((alert) => [alert.fingerprint, alert.status, alert.startsAt, alert.endsAt])])).digest('hex').slice(0, 32)
  return { id: `alertmanager-${digest}`, batch: { events, incidents } }
}

/** A PagerDuty incident event upserts the incident (open until resolved) on the service its summary names. */
export function fromPagerDuty(body: unknown, index: CatalogIndex): Delivery {
  const { event } = parse(pagerDutySchema, body, 'PagerDuty V3 webhook')
  const incident = event.data
  const entity = entityOf(index, incident.service.summary, 'event.data.service.summary')
  const resolved = incident.status === 'resolved'
  return {
    id: `pagerduty-${event.id}`,
    batch: {
      incidents: [{ id: `pagerduty-${incident.id}`, entity, title: incident.title, severity: incident.urgency === 'low' ? 'minor' : 'critical', status: resolved ? 'resolved' : 'open', startedAt: new Date(incident.created_at), ...(resolved ? { resolvedAt: new Date(event.occurred_at) } : {}), source: 'pagerduty', attributes: { affected: [entity], url: incident.html_url, number: incident.number, pagerDutyStatus: incident.status } }],
      events: [{ id: `pagerduty-${event.id}`, entity, type: 'alert', at: new Date(event.occurred_at), summary: `${event.event_type}: ${incident.title}`, source: 'pagerduty', attributes: { status: resolved ? 'resolved' : 'firing', eventType: event.event_type } }],
    },
  }
}

export function fromChangeEvent(body: unknown, index: CatalogIndex): Delivery {
  const change = parse(changeEventSchema, body, 'change event')
  const entity = entityOf(index, change.entity, 'entity')
  return { id: `change-${change.id}`, batch: { events: [{ id: change.id, entity, type: change.type, at: new Date(change.at), summary: change.summary, source: 'webhook', attributes: change.version ? { version: change.version } : {} }] } }
}
