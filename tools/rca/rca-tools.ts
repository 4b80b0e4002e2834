import { FINDING_KINDS } from './finding-kinds.ts'
import { z } from 'zod'
import { InputError, NotFoundError } from '../../core/errors.ts'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import { resolveEntityRef } from '../../graph/index/resolve-entity.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'
import { analyzeFromSignals } from './analyze-from-signals.ts'
import { topologyFromCatalog } from './catalog-topology.ts'
import { predictIncidents } from './predict-incidents.ts'
import { recentAnomalies } from './recent-anomalies.ts'
import type { Incident } from './signal-types.ts'
import type { SignalsRepository } from './signals-repository.ts'

const refInput = z.string().min(1).max(300).describe('An entity reference, [kind:][namespace/]name, e.g. "checkout-api" or "resource:default/payments-db"')
const timeInput = z.string().min(1).max(40).describe('An ISO 8601 time ("2026-03-02T10:00:00Z") or a duration back from now ("90m", "6h", "7d")')

const incidentSchema = z.object({ id: z.string(), entity: z.string(), title: z.string(), severity: z.enum(['critical', 'major', 'minor']), status: z.enum(['open', 'resolved']), startedAt: z.string(), resolvedAt: z.string().optional(), affected: z.array(z.string()) })
const eventSchema = z.object({ id: z.string(), entity: z.string(), type: z.string(), at: z.string(), summary: z.string() })
const candidateSchema = z.object({ entity: z.string(), score: z.number(), evidence: z.array(z.string()) })

/** "6h" back from now, or an ISO time; anything else says what is accepted. */
export function parseTime(text: string, now: Date, field: string): Date {
  const duration = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/.exec(text.trim())
  if (duration) return new Date(now.getTime() - Number(duration[1]) * { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[duration[2] as 'm']!)
  const time = Date.parse(text)
  if (Number.isNaN(time)) throw new InputError(`${field} must be an ISO 8601 time or a duration like "6h"`, { issues: [{ path: field, message: `"${text}" is neither an ISO 8601 time nor a duration like 90m, 6h, 7d` }] })
  return new Date(time)
}

function incidentView(incident: Incident): z.input<typeof incidentSchema> {
  return { id: incident.id, entity: incident.entity, title: incident.title, severity: incident.severity, status: incident.status, startedAt: incident.startedAt.toISOString(), ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt.toISOString() } : {}), affected: (incident.attributes?.affected as string[] | undefined) ?? [incident.entity] }
}

const clock = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`

export interface RcaToolsOptions {
  catalog: Catalog
  signals: SignalsRepository
  /** The clock; tests and the demo's history pass their own. */
  now?: () => Date
}

/** The signals and RCA tools: incidents, one entity's timeline, anomalies, root-cause analysis and risk. All read-only. */
export function rcaTools({ catalog, signals, now = () => new Date() }: RcaToolsOptions): ToolDefinition[] {
  const { index } = catalog
  const resolve = (ref: string) => resolveEntityRef(index, ref)
  // An API's signals are its provider's: "latency of the search-api" is the latency of what serves it.
  const running = (ref: string) => {
    const resolved = resolve(ref)
    return resolved.startsWith('api:') ? (index.targets(resolved, 'apiProvidedBy')[0] ?? resolved) : resolved
  }

  const incidentsList = defineTool({
    name: 'incidents_list',
    title: 'Incidents',
    description: 'Lists incidents (newest first), optionally for one service or resource, open or resolved, since a time.',
    input: z.object({ entity: refInput.optional(), status: z.enum(['open', 'resolved']).optional(), since: timeInput.default('14d'), limit: z.number().int().min(1).max(200).default(20) }),
    output: z.object({ incidents: z.array(incidentSchema) }),
    annotations: READ_ONLY,
    scope: 'rca:read',
    approval: false,
    examples: ['any open incidents?', 'list recent incidents', 'what incidents did checkout-api have this week', 'show incidents for payments-db', 'which incidents are open right now', 'incidents in the last 7 days', 'was there an outage of cart-service recently', 'are we having an incident', 'what is on fire', 'which services had incidents this month', 'what alerts fired for search-service', 'history of incidents on auth-service', 'has pricing-service had incidents recently', 'is checkout-api healthy', "were there incidents last night", "how many incidents this week", "resolved incidents from last month", "incidents that involved cart-db", "which incidents impacted payments-api", "any sev1s for search-service this week", "outages auth-service had in the past month", "did we have any outages last week", "what is currently broken", "any ongoing incidents", "show closed incidents", "has api-gateway had any outages lately", "incident log for payments-db", "past outages affecting cart-service", "did anything go down yesterday", "any outages over the weekend"],
    async execute({ entity, status, since, limit }) {
      const from = parseTime(since, now(), 'since')
      const list = await signals.listIncidents({ entity: entity ? resolve(entity) : undefined, status, from, limit })
      return { incidents: list.map(incidentView) }
    },
    render: ({ incidents }) => (incidents.length === 0 ? 'No incidents.' : incidents.map((incident) => `- ${incident.id} [${incident.status}, ${incident.severity}] ${incident.title} (from ${clock(incident.startedAt)})`).join('\n')),
  })

  const incidentGet = defineTool({
    name: 'incident_get',
    title: 'One incident',
    description: 'One incident by id: what was noticed, when, what it affected, and the changes, alerts and new errors around it.',
    input: z.object({ id: z.string().min(1).max(200).describe('The incident id, e.g. "inc-8-3"') }),
    output: z.object({ incident: incidentSchema, timeline: z.array(eventSchema) }),
    annotations: READ_ONLY,
    scope: 'rca:read',
    approval: false,
    examples: ['show incident inc-8-3', 'details of incident inc-8-1', 'what happened in inc-8-5', 'tell me about incident inc-8-2', 'timeline of inc-8-4', "inc-8-3 details", "what did inc-8-1 affect", "which alerts fired during inc-8-2", "summary of incident inc-8-5", "when was inc-8-4 noticed", "what changed before inc-8-3"],
    async execute({ id }) {
      const incident = await signals.getIncident(id)
      if (!incident) throw new NotFoundError(`No incident ${id}; incidents_list shows the known ones`)
      const view = incidentView(incident)
      const to = incident.resolvedAt ?? now()
      const events = await signals.listEvents({ from: new Date(incident.startedAt.getTime() - 3_600_000), to, limit: 5000 })
      const affected = new Set(view.affected)
      // Changes anywhere (a cause may sit outside the affected set); logs and alerts only where it hurt.
      const timeline = events.filter((event) => event.type === 'deployment' || event.type === 'config-change' || affected.has(event.entity)).slice(0, 100)
      return { incident: view, timeline: timeline.map((event) => ({ id: event.id, entity: event.entity, type: event.type, at: event.at.toISOString(), summary: event.summary })) }
    },
    render: ({ incident, timeline }) => [`${incident.id} [${incident.status}, ${incident.severity}] ${incident.title}`, `Started ${clock(incident.startedAt)}${incident.resolvedAt ? `, resolved ${clock(incident.resolvedAt)}` : ''}; affected: ${incident.affected.join(', ')}`, ...timeline.map((event) => `- ${clock(event.at)} ${event.type} ${event.entity}: ${event.summary}`)].join('\n'),
  })

  const timeline = defineTool({
    name: 'signals_timeline',
    title: 'Timeline of one entity',
    description: 'What happened to one service or resource in a time range: deployments, config changes, alerts and error logs, with each metric summarised (baseline, peak, latest).',
    input: z.object({ ref: refInput, from: timeInput.default('6h'), to: timeInput.optional() }),
    output: z.object({ ref: z.string(), from: z.string(), to: z.string(), events: z.array(eventSchema), metrics: z.array(z.object({ metric: z.string(), first: z.number(), min: z.number(), max: z.number(), last: z.number(), samples: z.number().int() })) }),
    annotations: READ_ONLY,
    scope: 'rca:read',
    approval: false,
    examples: ['what happened to checkout-api in the last 6 hours', 'timeline of payments-db today', 'what was deployed to cart-service', 'recent deployments of order-service', 'show the deploys and config changes on pricing-service', 'last deployment of search-service', 'last deploy of billing-service', 'signals for auth-service since 10:00', 'error logs of shipping-service', 'what changed on inventory-service', 'metrics of payments-api over the last day', 'show me the latency of checkout-api', "when was pricing-service last deployed", "request latency of cart-service this morning", "request rate of checkout-api", "how is the error rate of order-service looking", "how is the p95 latency of cart-service looking", "cpu and memory usage of checkout-api", "what events happened on pricing-service last night", "metrics summary of checkout-api this week", "what happened on order-service yesterday", "any deploys to cart-service today?", "changelog of payments-api in the last 24 hours", "errors logged by tax-service in the past hour", "what changed on auth-db since this morning", "activity on search-indexer over the last 6 hours", "show me the graphs for inventory-service", "recent changes to cart-service", "which deploys went out to pricing-service today"],
    async execute({ ref, from, to }) {
      const resolved = running(ref)
      const end = to ? parseTime(to, now(), 'to') : now()
      const start = parseTime(from, end, 'from')
      if (start >= end) throw new InputError('from must be before to', { issues: [{ path: 'from', message: `${start.toISOString()} is not before ${end.toISOString()}` }] })
      const events = await signals.listEvents({ entity: resolved, from: start, to: end, limit: 500 })
      const runs = await signals.metricRuns({ entities: [resolved], from: start, to: end })
      const byMetric = new Map<string, number[]>()
      for (const run of runs) byMetric.set(run.metric, [...(byMetric.get(run.metric) ?? []), ...run.values])
      const round = (value: number) => Math.round(value * 1000) / 1000
      return {
        ref: resolved,
        from: start.toISOString(),
        to: end.toISOString(),
        events: events.map((event) => ({ id: event.id, entity: event.entity, type: event.type, at: event.at.toISOString(), summary: event.summary })),
        metrics: [...byMetric.entries()].map(([metric, values]) => ({ metric, first: round(values[0]!), min: round(Math.min(...values)), max: round(Math.max(...values)), last: round(values.at(-1)!), samples: values.length })),
      }
    },
    render: ({ ref, from, to, events, metrics }) => [`${ref} from ${clock(from)} to ${clock(to)}:`, ...metrics.map((item) => `- ${item.metric}: ${item.first} → ${item.last} (min ${item.min}, max ${item.max})`), ...events.map((event) => `- ${clock(event.at)} ${event.type}: ${event.summary}`)].join('\n'),
  })

  const anomalies = defineTool({
    name: 'anomalies_list',
    title: 'Anomalies in metrics',
    description: 'Anomalies the streaming detector finds in metric series (latency, errors, traffic, CPU, memory), for one entity or all, since a time.',
    input: z.object({ ref: refInput.optional(), since: timeInput.default('24h'), limit: z.number().int().min(1).max(500).default(50) }),
    output: z.object({ anomalies: z.array(z.object({ entity: z.string(), metric: z.string(), at: z.string(), value: z.number(), score: z.number() })) }),
    annotations: READ_ONLY,
    scope: 'rca:read',
    approval: false,
    examples: ['any anomalies in the last day?', 'anomalies on payments-db', 'is anything behaving unusually', 'which metrics look anomalous', 'unusual latency spikes today', 'show anomalies for checkout-api', 'did cart-service have any metric anomalies', 'detect anomalies in order-service metrics', 'any metric anomalies right now', 'is there anything abnormal about auth-db', "anything out of the ordinary in the metrics?", "what did the anomaly detector flag today", "error rate anomalies on checkout-api", "cpu or memory anomalies for search-indexer", "metrics that look off on cart-db", "has cpu on search-indexer been abnormal lately", "any latency spikes on pricing-service", "is memory creeping up anywhere", "outliers in the metrics for payments-api", "is the error rate on cart-service behaving oddly", "unusual traffic anywhere since monday", "anything weird in the dashboards", "traffic spikes on checkout-api", "anomaly report for orders-db"],
    async execute({ ref, since, limit }) {
      const end = now()
      return { anomalies: await recentAnomalies(signals, { entities: ref ? [resolve(ref)] : undefined, from: parseTime(since, end, 'since'), to: end, limit }) }
    },
    render: ({ anomalies: list }) => (list.length === 0 ? 'No anomalies.' : list.map((item) => `- ${clock(item.at)} ${item.entity} ${item.metric} = ${item.value} (score ${item.score})`).join('\n')),
  })

  const analyze = defineTool({
    name: 'rca_analyze',
    title: 'Root-cause analysis',
    description: 'Why a service is slow or failing: ranks the likely causes (services, resources, changes) of an incident, or of an entity\'s trouble at a time, with the evidence, a confidence and next steps.',
    input: z.object({ ref: refInput.optional(), incidentId: z.string().min(1).max(200).optional(), at: timeInput.optional().describe('When the trouble began (default: the entity\'s latest incident, or now)') }).refine((input) => input.ref !== undefined || input.incidentId !== undefined, { message: 'needs ref (an entity) or incidentId', path: ['ref'] }),
    output: z.object({
      target: z.string(),
      incidentId: z.string().optional(),
      incidentStart: z.string().optional(),
      analysedFrom: z.string(),
      analysedTo: z.string(),
      likelyCause: z.object({ entity: z.string(), score: z.number(), confidence: z.enum(['high', 'medium', 'low']), kinds: z.array(z.enum(FINDING_KINDS)).describe('What kind of trouble the cause shows: what auto-remediation rules match on') }).optional(),
      candidates: z.array(candidateSchema),
      nextSteps: z.array(z.string()),
      anomalous: z.array(z.object({ entity: z.string(), onset: z.string(), metrics: z.array(z.string()) })),
    }),
    annotations: READ_ONLY,
    scope: 'rca:read',
    approval: false,
    examples: ['why is checkout-api slow?', 'why do payments-api requests fail', 'why are calls to billing-service failing', 'why is order-service broken', 'what is wrong with cart-service', 'root cause of the incident inc-8-3', 'why is order-service throwing errors', 'what caused the latency on web-storefront', 'rca for search-service', 'why is checkout-api slow since 10:00', 'why are requests to pricing-service timing out', 'find the root cause of the outage of auth-service', 'what broke shipping-service', 'why is mobile-bff degraded', 'why is inventory-service erroring', 'what is causing the errors in tax-service', 'what is causing the slowness of loyalty-service', "investigate payments-api", "what is behind the latency of cart-service", "why is tax-service flaky", "why did incident inc-8-2 happen", "checkout-api is throwing 500s, what is the root cause", "cart-service keeps timing out, any idea why", "what is the likely culprit for the order-service errors", "troubleshoot the payments-api errors", "debug the latency regression on mobile-bff", "root-cause the api-gateway errors", "order-service is erroring, what is wrong"],
    async execute({ ref, incidentId, at }) {
      const clockNow = now()
      return analyzeFromSignals({ signals, index, ref: ref ? running(ref) : undefined, incidentId, at: at ? parseTime(at, clockNow, 'at') : undefined, now: clockNow })
    },
    render: (report) => [report.likelyCause ? `Likely cause of ${report.target}'s trouble: ${report.likelyCause.entity} (confidence ${report.likelyCause.confidence}).` : `No likely cause found for ${report.target}.`, ...report.candidates.slice(0, 3).map((candidate, position) => `${position + 1}. ${candidate.entity} (${candidate.score}): ${candidate.evidence.slice(0, 3).join('; ')}`), ...report.nextSteps.map((step) => `Next: ${step}`)].join('\n'),
  })

  const predict = defineTool({
    name: 'incidents_predict',
    title: 'Incident risk',
    description: 'Predicts which services are at risk of an incident in the coming hours, from trouble under way (latency, error-budget burn, load against coming peaks, growing memory), expiring TLS certificates, recent changes and the risk of their dependencies, with the reasons.',
    input: z.object({ ref: refInput.optional(), limit: z.number().int().min(1).max(100).default(10), at: z.string().optional().describe('Forecast as of this time (ISO 8601, or a duration back from now like "6h"); default now') }),
    output: z.object({ at: z.string(), forecasts: z.array(z.object({ entity: z.string(), risk: z.number(), reasons: z.array(z.string()) })) }),
    annotations: READ_ONLY,
    scope: 'rca:read',
    approval: false,
    examples: ['which services are at risk of an incident?', 'predict incidents for the next few hours', 'is checkout-api likely to have an incident', 'what is most likely to break next', 'incident risk for payments-api', 'which services might go down soon', 'forecast outages', 'what should on-call watch tonight', "risk ranking of services for the next hours", "which certificates expire soon", "will cart-service have an incident tonight", "what is likely to fail next", "incident forecast for checkout-api", "any certs about to expire", "which tls certificates expire this week", "forecast incident risk for order-service", "what might fail tonight", "could order-service have an outage soon", "which services are likely to have trouble during the evening peak", "chance of cart-service failing later today", "is anything at risk of breaking in the next hours", "give me the incident risk ranking"],
    async execute({ ref, limit, at: asOf }) {
      const at = asOf ? parseTime(asOf, now(), 'at') : now()
      const latest = (await signals.latestMetricTime()) ?? at
      // Whole minutes: the same question asked twice in a minute is the same forecast.
      const when = new Date(Math.floor(Math.min(latest.getTime(), at.getTime()) / 60_000) * 60_000)
      const forecasts = await predictIncidents(signals, { topology: topologyFromCatalog(index).topology, at: when, entities: ref ? [resolve(ref)] : undefined })
      return { at: when.toISOString(), forecasts: forecasts.slice(0, limit) }
    },
    render: ({ forecasts }) => forecasts.map((item) => `- ${item.entity}: risk ${item.risk}${item.reasons.length ? ` (${item.reasons.join('; ')})` : ''}`).join('\n'),
  })

  return [incidentsList, incidentGet, timeline, anomalies, analyze, predict] as ToolDefinition[]
}
