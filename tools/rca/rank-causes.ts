import type { RcaCase } from './scenario.ts'
import { seriesAnomaly, type SeriesAnomaly } from './series-anomaly.ts'
import { indexTopology, reachable, type TopologyIndex } from './topology.ts'

export interface Candidate {
  entity: string
  /** 0 to 1: how well this candidate, as the cause, accounts for what was observed. */
  score: number
  evidence: string[]
}

export interface RcaOutcome {
  candidates: Candidate[]
  /** When the symptoms began (the incident's start, or the target's first anomaly). */
  incidentStart?: number
  /** Every node with an anomaly, with its first onset. */
  anomalous: Array<{ entity: string; onset: number; metrics: string[] }>
}

const CHANGE_TYPES = new Set(['deployment', 'config-change'])
/** How long before its symptoms a change still counts as their likely trigger. */
const CHANGE_LOOKBACK_MS = 45 * 60_000

const WEIGHTS = { coverage: 0.35, precedence: 0.3, strength: 0.1, change: 0.15, logs: 0.1 }

function clock(time: number): string {
  return new Date(time).toISOString().slice(11, 16)
}

function minutes(ms: number): string {
  const value = Math.round(ms / 60_000)
  return `${value} min`
}

/** Log lines compared without their numbers and ids, so "took 4.2 s" and "took 3.9 s" are one pattern. */
function patternOf(summary: string): string {
  return summary.toLowerCase().replace(/[0-9a-f]{8,}/g, '#').replace(/\d+(\.\d+)?/g, '#').trim()
}

function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(1) : value.toFixed(3)
}

function describeAnomaly(anomaly: SeriesAnomaly): string {
  const ratio = anomaly.baseline === 0 ? undefined : anomaly.peak / anomaly.baseline
  const size = ratio !== undefined && ratio >= 1.5 ? `${ratio.toFixed(1)}× its baseline` : ratio !== undefined && ratio <= 0.67 ? `down to ${(ratio * 100).toFixed(0)}% of its baseline` : `${anomaly.direction === 'up' ? 'up' : 'down'} ${(anomaly.relativeChange * 100).toFixed(0)}%`
  return `${anomaly.metric} ${size} (${formatValue(anomaly.baseline)} → ${formatValue(anomaly.peak)}) from ${clock(anomaly.onset)}`
}

/**
 * Ranks the likely causes of what a case shows. For each candidate (the target, what it depends on, and the
 * other callers of those — a noisy neighbour), it weighs: how many of the anomalous nodes it explains (they
 * depend on it, or it drives their load), whether its symptoms began before theirs, a change on it just before
 * its symptoms, error-log patterns on it (or naming it) that are new in the window, and how strong its own
 * anomaly is. Each point becomes a line of evidence.
 */
export function rankCauses(input: RcaCase, { limit = 10 }: { limit?: number } = {}): RcaOutcome {
  const topology = indexTopology(input.topology)
  let first = Infinity
  let last = -Infinity
  for (const byMetric of input.metrics.values()) {
    for (const series of byMetric.values()) {
      if (series.times.length === 0) continue
      first = Math.min(first, series.times[0]!)
      last = Math.max(last, series.times[series.times.length - 1]!)
    }
  }
  if (!Number.isFinite(first)) return { candidates: [], anomalous: [], incidentStart: input.incidentStart }

  // The baseline is the first half of what came before the incident; without a start, the first half of all.
  const detect = (baselineEnd: number) => {
    const found = new Map<string, SeriesAnomaly[]>()
    for (const [node, byMetric] of input.metrics) {
      const list: SeriesAnomaly[] = []
      for (const [metric, series] of byMetric) {
        const anomaly = seriesAnomaly(metric, series, { baselineEnd })
        if (anomaly) list.push(anomaly)
      }
      if (list.length > 0) found.set(node, list.sort((left, right) => left.onset - right.onset))
    }
    return found
  }
  let incidentStart = input.incidentStart
  let anomalies = detect(incidentStart !== undefined ? first + (incidentStart - first) / 2 : first + (last - first) / 2)
  if (incidentStart === undefined) {
    const at = (input.target ? anomalies.get(input.target)?.[0]?.onset : undefined) ?? Math.min(...[...anomalies.values()].map((list) => list[0]!.onset))
    if (Number.isFinite(at)) {
      incidentStart = at
      anomalies = detect(first + (at - first) / 2)
    }
  }
  const baselineEnd = incidentStart !== undefined ? first + (incidentStart - first) / 2 : first + (last - first) / 2
  const onsetOf = (node: string) => anomalies.get(node)?.[0]?.onset
  const step = typicalStep(input)

  const candidates = candidateNodes(topology, input.target, anomalies, input.events, baselineEnd)
  const symptomatic = [...anomalies.keys()]
  const ancestorsCache = new Map<string, Set<string>>()
  const ancestors = (node: string) => {
    let found = ancestorsCache.get(node)
    if (!found) ancestorsCache.set(node, (found = reachable(node, topology.callers)))
    return found
  }
  // Patterns are new when the baseline never had them and they began near the incident, not hours before it.
  const newPatterns = newLogPatterns(input.events, baselineEnd).filter((item) => incidentStart === undefined || item.at >= incidentStart - 60 * 60_000)
  const nodeNames = new Set(topology.nodes)

  const scored: Candidate[] = []
  for (const node of candidates) {
    const evidence: string[] = []
    const own = anomalies.get(node) ?? []
    const onset = onsetOf(node)
    const loadSource = isLoadSource(node, anomalies, topology, step)
    const explains = new Set([node, ...ancestors(node)])
    if (loadSource) for (const callee of reachable(node, topology.callees)) for (const affected of [callee, ...ancestors(callee)]) explains.add(affected)
    const explained = symptomatic.filter((entity) => explains.has(entity))
    const coverage = symptomatic.length === 0 ? 0 : explained.length / symptomatic.length
    const others = explained.filter((entity) => entity !== node)
    const earlier = onset === undefined ? others : others.filter((entity) => onsetOf(entity)! < onset)
    // One step apart is within the jitter of sampling: it counts half.
    const earlierWeight = onset === undefined ? others.length : earlier.reduce((sum, entity) => sum + (onsetOf(entity)! < onset - step ? 1 : 0.5), 0)
    const precedence = onset === undefined ? 0 : others.length === 0 ? 0.6 : 1 - earlierWeight / others.length
    const strength = own.length === 0 ? 0 : Math.min(1, Math.log1p(Math.max(...own.map((anomaly) => anomaly.relativeChange))) / Math.log(6))
    for (const anomaly of own.slice(0, 3)) evidence.push(describeAnomaly(anomaly))
    if (loadSource) evidence.push(`its request rate rose while its callers' did not: load it generates itself crowds out what it shares with others`)

    // A change on the candidate shortly before its own symptoms (or, without symptoms, before the incident).
    const reference = onset ?? incidentStart ?? last
    const change = input.events
      .filter((event) => event.entity === node && CHANGE_TYPES.has(event.type) && event.at <= reference + step && event.at >= reference - CHANGE_LOOKBACK_MS)
      .sort((left, right) => right.at - left.at)[0]
    const changeScore = change ? 1 - Math.max(0, reference - change.at) / (CHANGE_LOOKBACK_MS * 1.5) : 0
    if (change) {
      const gap = reference - change.at
      const what = onset !== undefined ? 'its symptoms began' : 'the incident began'
      evidence.push(`${change.type} ${gap >= 60_000 ? `${minutes(gap)} before ${what}` : `as ${what}`}: "${change.summary}" at ${clock(change.at)}`)
    }

    // A new error that names another node ("timeout calling payments-db") points there, not here.
    const ownNew = newPatterns.filter((item) => item.entity === node && !topology.nodes.some((other) => other !== node && mentions(item.summary, other)))
    const mentioning = newPatterns.filter((item) => item.entity !== node && nodeNames.has(item.entity) && mentions(item.summary, node))
    const logScore = Math.min(1, (ownNew.length > 0 ? 0.6 : 0) + (mentioning.length > 0 ? 0.6 : 0))
    if (ownNew.length > 0) evidence.push(`new error pattern on it: "${ownNew[0]!.summary}" (first at ${clock(ownNew[0]!.at)})`)
    if (mentioning.length > 0) evidence.push(`named in new errors of ${[...new Set(mentioning.map((item) => item.entity))].slice(0, 3).join(', ')}: "${mentioning[0]!.summary}"`)

    if (onset !== undefined && others.length > 0) {
      evidence.push(earlier.length === 0 ? `its symptoms began first (${clock(onset)}), before the ${others.length} affected ${others.length === 1 ? 'node' : 'nodes'} it explains` : `${earlier.length} of the ${others.length} affected nodes it would explain were anomalous before it (${earlier.slice(0, 3).join(', ')})`)
    }
    if (symptomatic.length > 0) evidence.push(`explains ${explained.length} of ${symptomatic.length} anomalous nodes${loadSource ? ' (through the load it sends)' : ' (they depend on it)'}`)

    let score = WEIGHTS.coverage * coverage + WEIGHTS.precedence * precedence + WEIGHTS.strength * strength + WEIGHTS.change * changeScore + WEIGHTS.logs * logScore
    // A cause must account for what was noticed.
    if (input.target !== undefined && !explains.has(input.target)) {
      score *= 0.3
      evidence.push(`does not explain ${input.target}: it does not depend on ${node}`)
    }
    if (own.length === 0) score *= 0.5
    // Only its load changed, after a caller's load changed the same way: it follows, it does not lead.
    if (own.length > 0 && followsCallerLoad(node, own, anomalies, topology)) {
      score *= 0.6
      evidence.push('only its load changed, following the same change at a caller')
    }
    scored.push({ entity: node, score: Math.round(score * 1000) / 1000, evidence })
  }
  scored.sort((left, right) => right.score - left.score || (onsetOf(left.entity) ?? Infinity) - (onsetOf(right.entity) ?? Infinity) || left.entity.localeCompare(right.entity))
  return {
    candidates: scored.slice(0, limit),
    incidentStart,
    anomalous: [...anomalies.entries()].map(([entity, list]) => ({ entity, onset: list[0]!.onset, metrics: list.map((anomaly) => anomaly.metric) })).sort((left, right) => left.onset - right.onset),
  }
}

function typicalStep(input: RcaCase): number {
  for (const byMetric of input.metrics.values()) for (const series of byMetric.values()) if (series.times.length > 1) return series.times[1]! - series.times[0]!
  return 60_000
}

/** Whole-word match of a node name in a log line ("payments-db" in "timeout calling payments-db: …"). */
function mentions(text: string, node: string): boolean {
  // Catalog nodes are references ("component:default/payments-api"); logs name them by name.
  return mentionsName(text, node) || (node.includes('/') && mentionsName(text, node.slice(node.lastIndexOf('/') + 1)))
}

function mentionsName(text: string, node: string): boolean {
  const at = text.toLowerCase().indexOf(node.toLowerCase())
  if (at === -1) return false
  const before = text[at - 1]
  const after = text[at + node.length]
  const boundary = (character: string | undefined) => character === undefined || !/[a-z0-9_-]/i.test(character)
  return boundary(before) && boundary(after)
}

/** The target, what it depends on, and the other callers of those (who may crowd them out); else every node with a signal. */
function candidateNodes(topology: TopologyIndex, target: string | undefined, anomalies: Map<string, SeriesAnomaly[]>, events: RcaCase['events'], baselineEnd: number): string[] {
  const changed = new Set(events.filter((event) => CHANGE_TYPES.has(event.type) && event.at >= baselineEnd).map((event) => event.entity))
  const interesting = (node: string) => anomalies.has(node) || changed.has(node)
  if (target === undefined || !topology.callees.has(target)) return topology.nodes.filter(interesting)
  const scope = new Set([target, ...reachable(target, topology.callees)])
  for (const node of [...scope]) for (const caller of topology.callers.get(node) ?? []) scope.add(caller)
  const inScope = [...scope].filter(interesting)
  return inScope.length > 0 ? inScope : topology.nodes.filter(interesting)
}

/** A node whose request rate rose before (or without) any rise at its callers generates the load itself. */
function isLoadSource(node: string, anomalies: Map<string, SeriesAnomaly[]>, topology: TopologyIndex, step: number): boolean {
  const rise = anomalies.get(node)?.find((anomaly) => /request|rate|throughput|rps/i.test(anomaly.metric) && !/error/i.test(anomaly.metric) && anomaly.direction === 'up' && anomaly.relativeChange >= 1)
  if (!rise) return false
  return !(topology.callers.get(node) ?? []).some((caller) => anomalies.get(caller)?.some((anomaly) => anomaly.metric === rise.metric && anomaly.direction === 'up' && anomaly.onset <= rise.onset + step))
}

const LOAD_METRIC = /request|throughput|rps|cpu|utili[sz]ation/i

function followsCallerLoad(node: string, own: SeriesAnomaly[], anomalies: Map<string, SeriesAnomaly[]>, topology: TopologyIndex): boolean {
  if (!own.every((anomaly) => LOAD_METRIC.test(anomaly.metric))) return false
  const first = own[0]!
  return (topology.callers.get(node) ?? []).some((caller) => anomalies.get(caller)?.some((anomaly) => LOAD_METRIC.test(anomaly.metric) && anomaly.direction === first.direction && anomaly.onset <= first.onset))
}

/** Error-log patterns first seen after the baseline, per entity, earliest first. */
function newLogPatterns(events: RcaCase['events'], baselineEnd: number): Array<{ entity: string; summary: string; at: number }> {
  const seen = new Set<string>()
  for (const event of events) if (event.type === 'log' && event.at < baselineEnd) seen.add(`${event.entity}\u0000${patternOf(event.summary)}`)
  const found = new Map<string, { entity: string; summary: string; at: number }>()
  for (const event of [...events].sort((left, right) => left.at - right.at)) {
    if (event.type !== 'log' || event.at < baselineEnd) continue
    const key = `${event.entity}\u0000${patternOf(event.summary)}`
    if (!seen.has(key) && !found.has(key)) found.set(key, { entity: event.entity, summary: event.summary, at: event.at })
  }
  return [...found.values()]
}
