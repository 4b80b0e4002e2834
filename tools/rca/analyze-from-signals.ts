import { NotFoundError } from '../../core/errors.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { topologyFromCatalog } from './catalog-topology.ts'
import { findingKinds, type FindingKind } from './finding-kinds.ts'
import { rankCauses, type Candidate } from './rank-causes.ts'
import { seriesByEntity, type RcaCase, type Series } from './scenario.ts'
import type { Incident } from './signal-types.ts'
import type { SignalsRepository } from './signals-repository.ts'

const HOUR = 3_600_000

export interface RcaReport {
  target: string
  incidentId?: string
  incidentStart?: string
  analysedFrom: string
  analysedTo: string
  likelyCause?: { entity: string; score: number; confidence: 'high' | 'medium' | 'low'; kinds: FindingKind[] }
  candidates: Candidate[]
  nextSteps: string[]
  anomalous: Array<{ entity: string; onset: string; metrics: string[] }>
}

/** Whether `incident` is about `ref`: on it, or listing it among the affected. */
function concerns(incident: Incident, ref: string): boolean {
  const affected = (incident.attributes?.affected as string[] | undefined) ?? []
  return incident.entity === ref || affected.includes(ref)
}

/**
 * RCA over the stored signals: for an incident, or an entity at a time (default: its latest incident, or now),
 * the catalog's call graph and four hours of every running entity's metrics and events before the start (and
 * half an hour after) are ranked by `rankCauses`; the report names the likely cause, its confidence, the
 * evidence and next steps.
 */
export async function analyzeFromSignals({ signals, index, ref, incidentId, at, now }: { signals: SignalsRepository; index: CatalogIndex; ref?: string; incidentId?: string; at?: Date; now: Date }): Promise<RcaReport> {
  let incident: Incident | undefined
  if (incidentId) {
    incident = await signals.getIncident(incidentId)
    if (!incident) throw new NotFoundError(`No incident ${incidentId}; incidents_list shows the known ones`)
  }
  const target = ref ?? incident?.entity
  if (!target) throw new NotFoundError('Name an entity or an incident to analyse')
  const latest = (await signals.latestMetricTime()) ?? now
  // Whole minutes: the same question asked twice in a minute is the same analysis.
  const end = new Date(Math.floor(Math.min(now.getTime(), latest.getTime()) / 60_000) * 60_000)
  if (!incident && !at) {
    // The entity's most recent incident within a day, if any: "why is X slow?" means the trouble now.
    incident = (await signals.listIncidents({ from: new Date(end.getTime() - 24 * HOUR), limit: 200 })).find((candidate) => concerns(candidate, target))
  }
  if (!incident && at) {
    // "why did X fail yesterday": the entity's incident that began in the day after that time, if any.
    incident = (await signals.listIncidents({ from: at, to: new Date(at.getTime() + 24 * HOUR), limit: 200 })).filter((candidate) => candidate.startedAt >= new Date(at.getTime() - HOUR)).reverse().find((candidate) => concerns(candidate, target))
  }
  const start = incident?.startedAt ?? at
  const to = new Date(Math.min(end.getTime(), (start ?? end).getTime() + HOUR / 2))
  const from = new Date((start ?? end).getTime() - 4 * HOUR)
  const { topology } = topologyFromCatalog(index)
  if (!topology.nodes.includes(target)) topology.nodes.push(target)
  const metrics = seriesByEntity(await signals.metricRuns({ from, to }))
  // Logs from the day before too: a pattern seen then is not new now.
  const events = (await signals.listEvents({ from: new Date(from.getTime() - 20 * HOUR), to, limit: 50_000 })).filter((event) => event.type === 'log' || event.at >= from).map((event) => ({ entity: event.entity, type: event.type, at: event.at.getTime(), summary: event.summary }))
  const rcaCase: RcaCase = { topology, metrics, events, incidentStart: start?.getTime(), target }
  const outcome = rankCauses(rcaCase, { limit: 5 })
  const [best, second] = outcome.candidates
  const margin = best ? best.score - (second?.score ?? 0) : 0
  const confidence = !best ? undefined : best.score >= 0.75 && margin >= 0.15 ? 'high' : best.score >= 0.55 && margin >= 0.05 ? 'medium' : 'low'
  return {
    target,
    ...(incident ? { incidentId: incident.id } : {}),
    ...(outcome.incidentStart !== undefined ? { incidentStart: new Date(outcome.incidentStart).toISOString() } : {}),
    analysedFrom: from.toISOString(),
    analysedTo: to.toISOString(),
    ...(best && confidence ? { likelyCause: { entity: best.entity, score: best.score, confidence, kinds: findingKinds(best) } } : {}),
    candidates: outcome.candidates,
    nextSteps: best ? nextSteps(best, index) : ['Nothing stands out in the signals: check recent changes and the service\'s own logs.'],
    anomalous: outcome.anomalous.slice(0, 20).map((item) => ({ entity: item.entity, onset: new Date(item.onset).toISOString(), metrics: item.metrics })),
  }
}

/** What to do about the likely cause, from the kind of evidence that points at it. */
function nextSteps(cause: Candidate, index: CatalogIndex): string[] {
  const steps: string[] = []
  const name = cause.entity
  const kinds = findingKinds(cause)
  const change = cause.evidence.find((line) => /^(deployment|config-change) /.test(line))
  if (change) steps.push(`Roll back the change on ${name} (${change.slice(change.indexOf('"'))}) and watch whether the symptoms clear.`)
  if (kinds.includes('expired-certificate')) steps.push(`Check the TLS certificate of ${name}: callers report it expired. Renew it and restart the listeners.`)
  if (kinds.includes('own-load')) steps.push(`Throttle or pause the load ${name} generates (a batch job or a retry storm?) to free what it shares with others.`)
  if (kinds.includes('memory-growth')) steps.push(`Restart ${name} to relieve memory pressure, then look for the leak (memory grew before the symptoms).`)
  if (kinds.includes('resource-saturation')) steps.push(`Look at ${name}'s slow queries and connection count; add capacity or shed load.`)
  if (kinds.includes('latency') && steps.length === 0) steps.push(`Check ${name}'s own latency: its dashboards and traces from when its symptoms began.`)
  const owners = index.has(name) ? index.targets(name, 'ownedBy') : []
  if (owners.length > 0) steps.push(`Tell its owners: ${owners.join(', ')}.`)
  return steps
}
