import { z } from 'zod'
import { InputError } from '../../core/errors.ts'
import type { SimulatedHistory } from './simulator/simulate-signals.ts'
import type { Topology } from './topology.ts'

const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 time, e.g. "2026-03-02T10:00:00Z"')
const name = z.string().min(1).max(300)

/** A self-contained RCA case: the graph, metric series per node, change and log events, and what was noticed. */
export const scenarioSchema = z
  .object({
    id: z.string().min(1),
    topology: z.object({ nodes: z.array(name).min(1), edges: z.array(z.tuple([name, name])) }),
    metrics: z.record(name, z.record(z.string().min(1), z.array(z.tuple([isoTime, z.number().finite()])))),
    events: z.array(z.object({ entity: name, type: z.string().min(1), at: isoTime, summary: z.string() })).optional(),
    incidentStart: isoTime.optional(),
    target: name.optional(),
  })
  .superRefine((scenario, context) => {
    const nodes = new Set(scenario.topology.nodes)
    scenario.topology.edges.forEach(([caller, callee], position) => {
      for (const [offset, node] of [[0, caller], [1, callee]] as const) if (!nodes.has(node)) context.addIssue({ code: 'custom', path: ['topology', 'edges', position, offset], message: `"${node}" is not in topology.nodes` })
    })
    for (const node of Object.keys(scenario.metrics)) if (!nodes.has(node)) context.addIssue({ code: 'custom', path: ['metrics', node], message: `"${node}" is not in topology.nodes` })
    if (scenario.target !== undefined && !nodes.has(scenario.target)) context.addIssue({ code: 'custom', path: ['target'], message: `"${scenario.target}" is not in topology.nodes` })
  })

export type Scenario = z.infer<typeof scenarioSchema>

/** Parses a scenario, naming every problem with its path. */
export function parseScenario(json: unknown, where = 'scenario'): Scenario {
  const parsed = scenarioSchema.safeParse(json)
  if (parsed.success) return parsed.data
  throw new InputError(`${where} is not a valid RCA scenario`, { issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })) })
}

/** The analysis form: times in milliseconds, series as parallel arrays. */
export interface Series {
  times: number[]
  values: number[]
}

/** Stored metric runs as series in the analysis form, by entity and then metric, in the runs' order. */
export function seriesByEntity(runs: Iterable<{ entity: string; metric: string; start: Date; stepSeconds: number; values: number[] }>): Map<string, Map<string, Series>> {
  const byEntity = new Map<string, Map<string, Series>>()
  for (const run of runs) {
    const byMetric = byEntity.get(run.entity) ?? new Map<string, Series>()
    const series = byMetric.get(run.metric) ?? { times: [], values: [] }
    run.values.forEach((value, position) => {
      series.times.push(run.start.getTime() + position * run.stepSeconds * 1000)
      series.values.push(value)
    })
    byMetric.set(run.metric, series)
    byEntity.set(run.entity, byMetric)
  }
  return byEntity
}

export interface RcaCase {
  topology: Topology
  metrics: Map<string, Map<string, Series>>
  events: Array<{ entity: string; type: string; at: number; summary: string }>
  incidentStart?: number
  target?: string
}

export function caseFromScenario(scenario: Scenario): RcaCase {
  const metrics = new Map<string, Map<string, Series>>()
  for (const [node, byMetric] of Object.entries(scenario.metrics)) {
    const map = new Map<string, Series>()
    for (const [metric, points] of Object.entries(byMetric)) {
      const sorted = points.map(([time, value]) => [Date.parse(time), value] as const).sort((left, right) => left[0] - right[0])
      map.set(metric, { times: sorted.map((point) => point[0]), values: sorted.map((point) => point[1]) })
    }
    metrics.set(node, map)
  }
  return {
    topology: scenario.topology,
    metrics,
    events: (scenario.events ?? []).map((event) => ({ ...event, at: Date.parse(event.at) })),
    incidentStart: scenario.incidentStart === undefined ? undefined : Date.parse(scenario.incidentStart),
    target: scenario.target,
  }
}

/** Writes part of a simulated history as a scenario file (the issue's format), from `from` to `to`. */
export function scenarioFromHistory(history: SimulatedHistory, { id, from, to, incidentStart, target }: { id: string; from: Date; to: Date; incidentStart?: Date; target?: string }): Scenario {
  const stepMs = history.stepSeconds * 1000
  const first = Math.max(0, Math.ceil((from.getTime() - history.start.getTime()) / stepMs))
  const last = Math.min(history.length - 1, Math.floor((to.getTime() - history.start.getTime()) / stepMs))
  const metrics: Scenario['metrics'] = {}
  for (const [node, byMetric] of history.metrics) {
    metrics[node] = {}
    for (const [metric, values] of Object.entries(byMetric)) {
      const points: Array<[string, number]> = []
      for (let step = first; step <= last; step++) points.push([new Date(history.start.getTime() + step * stepMs).toISOString(), Math.round(values[step]! * 10_000) / 10_000])
      metrics[node]![metric] = points
    }
  }
  const events = history.events.filter((event) => event.at >= from && event.at <= to).map((event) => ({ entity: event.entity, type: event.type, at: event.at.toISOString(), summary: event.summary }))
  return { id, topology: history.topology, metrics, events, ...(incidentStart ? { incidentStart: incidentStart.toISOString() } : {}), ...(target ? { target } : {}) }
}

/** The same conversion without the JSON round trip, for evals and benchmarks that analyse thousands of cases. */
export function caseFromHistory(history: SimulatedHistory, { from, to, incidentStart, target }: { from: Date; to: Date; incidentStart?: Date; target?: string }): RcaCase {
  const stepMs = history.stepSeconds * 1000
  const first = Math.max(0, Math.ceil((from.getTime() - history.start.getTime()) / stepMs))
  const last = Math.min(history.length - 1, Math.floor((to.getTime() - history.start.getTime()) / stepMs))
  const times: number[] = []
  for (let step = first; step <= last; step++) times.push(history.start.getTime() + step * stepMs)
  const metrics = new Map<string, Map<string, Series>>()
  for (const [node, byMetric] of history.metrics) metrics.set(node, new Map(Object.entries(byMetric).map(([metric, values]) => [metric, { times, values: Array.from(values.subarray(first, last + 1)) }])))
  const events = history.events.filter((event) => event.at >= from && event.at <= to).map((event) => ({ entity: event.entity, type: event.type, at: event.at.getTime(), summary: event.summary }))
  return { topology: history.topology, metrics, events, incidentStart: incidentStart?.getTime(), target }
}
