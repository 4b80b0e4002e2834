import { createSeededRandom, type SeededRandom } from '../../../graph/demo/seeded-random.ts'
import { METRICS, type FaultTruth, type FaultType, type Incident, type MetricName, type SignalEvent } from '../signal-types.ts'
import { indexTopology, nameOf, type Topology } from '../topology.ts'
import { faultEffect, faultEvents, type FaultSpec } from './fault-effects.ts'
import { openIncidents } from './open-incidents.ts'
import { routineLogPatterns } from './log-patterns.ts'

export interface SimulationOptions {
  topology: Topology
  /** Nodes that are resources (databases, caches, queues): no deployments, and database saturation applies. */
  resources?: ReadonlySet<string>
  seed: number
  start: Date
  durationMinutes: number
  stepMinutes: number
  faults?: FaultSpec[]
  /** Routine deployments per service per day: changes that did not cause anything, as in real life. */
  deploymentsPerDay?: number
  /** Routine config changes per service per day. */
  configChangesPerDay?: number
  /** Relative metric noise (standard deviation over level). */
  noise?: number
}

export type NodeMetrics = Record<MetricName, Float64Array>

export interface SimulatedHistory {
  start: Date
  stepSeconds: number
  length: number
  topology: Topology
  metrics: Map<string, NodeMetrics>
  /** When each node's TLS certificate expires (ms since the epoch): weeks away, unless a fault lets one expire. */
  certificates: Map<string, number>
  events: SignalEvent[]
  incidents: Incident[]
  truth: FaultTruth[]
}

/** How a node behaves when nothing is wrong; drawn once per node from the seed. */
interface NodeProfile {
  ownRate: number
  baseLatency: number
  baseError: number
  baseMemory: number
  capacity: number
}

interface EdgeProfile {
  caller: string
  callee: string
  /** Steps before the callee's latency and errors show at the caller. */
  delay: number
  /** Share of the callee's latency a caller's request waits for. */
  latencyWeight: number
  /** Share of the callee's errors that fail the caller's request. */
  errorWeight: number
  /** Calls to the callee per caller request. */
  fanOut: number
}

const DAY_MS = 86_400_000

/** Daily (peak mid-afternoon UTC) and weekly (quieter weekends) load. */
export function seasonality(time: number): number {
  const hour = (time % DAY_MS) / 3_600_000
  return (1 + 0.45 * Math.sin((2 * Math.PI * (hour - 9)) / 24)) * (1 - 0.3 * weekendWeight(time))
}

/** 1 on weekends, 0 on weekdays, easing over the six hours around midnight (traffic does not switch at 00:00). */
function weekendWeight(time: number): number {
  const weekend = (at: number) => {
    const day = new Date(at).getUTCDay()
    return day === 0 || day === 6 ? 1 : 0
  }
  const hour = (time % DAY_MS) / 3_600_000
  if (hour < 3) return weekend(time - DAY_MS) + (weekend(time) - weekend(time - DAY_MS)) * ((hour + 3) / 6)
  if (hour > 21) return weekend(time) + (weekend(time + DAY_MS) - weekend(time)) * ((hour - 21) / 6)
  return weekend(time)
}

export function gaussian(random: SeededRandom): number {
  const u = Math.max(random.next(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next())
}

/** Queueing delay grows as utilisation nears 1 (M/M/1), capped so a saturated node stays finite. */
function queueing(utilisation: number): number {
  return 1 / (1 - Math.min(Math.max(utilisation, 0), 0.97))
}

/**
 * Simulates every node's metrics, changes, logs and incidents. Symptoms spread as in a real system: a callee's
 * latency and errors reach its callers after a delay, a caller's load reaches its callees, utilisation drives
 * queueing. The same options always give the same history. Faults are simulated against a fault-free twin
 * (same noise), so an incident opens only where a fault made a real difference.
 */
export function simulateSignals(options: SimulationOptions): SimulatedHistory {
  const { topology, seed, start, durationMinutes, stepMinutes, faults = [], resources = new Set<string>(), deploymentsPerDay = 0.4, configChangesPerDay = 0.08, noise = 0.03 } = options
  const stepSeconds = Math.round(stepMinutes * 60)
  const length = Math.floor(durationMinutes / stepMinutes)
  const random = createSeededRandom({ seed })
  const profiles = new Map<string, NodeProfile>()
  for (const node of topology.nodes) {
    const resource = resources.has(node)
    profiles.set(node, {
      ownRate: resource ? 0 : 2 + random.next() * 60,
      baseLatency: resource ? 1 + random.next() * 8 : 4 + random.next() * 40,
      baseError: 0.0005 + random.next() * 0.003,
      baseMemory: resource ? 1024 + random.next() * 4096 : 256 + random.next() * 1536,
      capacity: 0,
    })
  }
  const index = indexTopology(topology)
  const edges: EdgeProfile[] = []
  for (const [caller, callees] of index.callees) {
    for (const callee of callees) edges.push({ caller, callee, delay: Math.max(1, Math.round((1 + random.next() * 2) / stepMinutes)), latencyWeight: 0.3 + random.next() * 0.5, errorWeight: 0.5 + random.next() * 0.4, fanOut: 0.5 + random.next() * 1.5 })
  }
  const incoming = new Map<string, EdgeProfile[]>(topology.nodes.map((node) => [node, []]))
  const outgoing = new Map<string, EdgeProfile[]>(topology.nodes.map((node) => [node, []]))
  for (const edge of edges) {
    incoming.get(edge.callee)!.push(edge)
    outgoing.get(edge.caller)!.push(edge)
  }
  // Capacity so that the busiest hour runs at about half utilisation: steady-state load by fixed point.
  const load = new Map(topology.nodes.map((node) => [node, profiles.get(node)!.ownRate]))
  for (let round = 0; round < 30; round++) {
    for (const node of topology.nodes) load.set(node, profiles.get(node)!.ownRate + incoming.get(node)!.reduce((sum, edge) => sum + load.get(edge.caller)! * edge.fanOut, 0))
  }
  for (const node of topology.nodes) profiles.get(node)!.capacity = Math.max(1, (load.get(node)! * 1.45) / (0.35 + random.next() * 0.2))

  // One noise draw per node, metric and step, in a fixed order, shared by the faulty run and its fault-free twin.
  const noiseDraws = new Map<string, Float64Array>()
  for (const node of topology.nodes) {
    const draws = new Float64Array(length * METRICS.length)
    for (let position = 0; position < draws.length; position++) draws[position] = gaussian(random)
    noiseDraws.set(node, draws)
  }
  const run = (active: FaultSpec[]) => runMetrics({ topology, profiles, incoming, outgoing, noiseDraws, start: start.getTime(), stepMs: stepSeconds * 1000, length, faults: active, noise, resources })
  const metrics = run(faults)
  const healthy = faults.length > 0 ? run([]) : metrics

  const eventRandom = createSeededRandom({ seed: seed ^ 0x5eed })
  const events: SignalEvent[] = [
    ...routineChanges({ topology, resources, random: eventRandom, start: start.getTime(), durationMinutes, deploymentsPerDay, configChangesPerDay }),
    ...routineLogPatterns({ topology, random: eventRandom, start: start.getTime(), durationMinutes }),
  ]
  const truth: FaultTruth[] = []
  for (const [position, fault] of faults.entries()) {
    const id = `fault-${seed}-${position + 1}`
    events.push(...faultEvents({ fault, id, topology: index, random: eventRandom, stepMinutes, metrics, healthy, start: start.getTime() }))
    truth.push({ id, type: fault.type, cause: fault.entity, at: fault.at, endsAt: new Date(fault.at.getTime() + fault.durationMinutes * 60_000) })
  }
  events.sort((left, right) => left.at.getTime() - right.at.getTime() || left.id.localeCompare(right.id))
  const incidents = openIncidents({ topology: index, metrics, healthy, truth, start: start.getTime(), stepMs: stepSeconds * 1000, length, seed })
  return { start, stepSeconds, length, topology, metrics, certificates: certificateExpiries(topology, faults, start.getTime() + durationMinutes * 60_000), events, incidents, truth }
}

/**
 * Certificates expire 30 to 90 days after the history ends (from the node's name, so no random draw shifts the
 * rest of the simulation); an expired-certificate fault is the day one was not renewed in time.
 */
function certificateExpiries(topology: Topology, faults: readonly FaultSpec[], end: number): Map<string, number> {
  const expiries = new Map<string, number>()
  for (const node of topology.nodes) {
    let hash = 0
    for (const character of node) hash = (hash * 31 + character.charCodeAt(0)) >>> 0
    expiries.set(node, end + (30 + (hash % 60)) * DAY_MS)
  }
  for (const fault of faults) if (fault.type === 'expired-certificate') expiries.set(fault.entity, Math.min(expiries.get(fault.entity) ?? Infinity, fault.at.getTime()))
  return expiries
}

function runMetrics({ topology, profiles, incoming, outgoing, noiseDraws, start, stepMs, length, faults, noise, resources }: {
  topology: Topology
  profiles: Map<string, NodeProfile>
  incoming: Map<string, EdgeProfile[]>
  outgoing: Map<string, EdgeProfile[]>
  noiseDraws: Map<string, Float64Array>
  start: number
  stepMs: number
  length: number
  faults: FaultSpec[]
  noise: number
  resources: ReadonlySet<string>
}): Map<string, NodeMetrics> {
  // Hot loop: nodes by position, series as typed arrays.
  const nodes = topology.nodes
  const position = new Map(nodes.map((node, at) => [node, at]))
  const series = nodes.map(() => Object.fromEntries(METRICS.map((metric) => [metric, new Float64Array(length)])) as NodeMetrics)
  const profileOf = nodes.map((node) => profiles.get(node)!)
  const drawsOf = nodes.map((node) => noiseDraws.get(node)!)
  const incomingOf = nodes.map((node) => incoming.get(node)!.map((edge) => ({ from: position.get(edge.caller)!, fanOut: edge.fanOut })))
  const faultsOf = nodes.map((node) => faults.filter((fault) => fault.entity === node))
  const outgoingOf = nodes.map((node) => outgoing.get(node)!.map((edge) => ({ ...edge, to: position.get(edge.callee)!, calleeFaults: faults.filter((fault) => fault.entity === edge.callee) })))
  const isResource = nodes.map((node) => resources.has(node))
  const memory = profileOf.map((profile) => profile.baseMemory)
  const width = METRICS.length
  const [requestsAt, latencyAt, errorsAt, cpuAt, memoryAt] = [0, 1, 2, 3, 4]
  for (let step = 0; step < length; step++) {
    const time = start + step * stepMs
    const season = seasonality(time)
    for (let node = 0; node < nodes.length; node++) {
      const profile = profileOf[node]!
      const out = series[node]!
      const draws = drawsOf[node]!
      const base = step * width
      const effect = faultEffect(faultsOf[node]!, { time, stepMs, resource: isResource[node]! })
      // Load: own traffic plus what callers send, as of the previous step; nothing gets through an expired certificate.
      let requests = profile.ownRate * season * effect.loadFactor
      if (step > 0) for (const edge of incomingOf[node]!) requests += series[edge.from]!.requests_per_s[step - 1]! * edge.fanOut
      if (effect.refusesConnections) requests = 0.02 * profile.capacity
      requests *= 1 + noise * draws[base + requestsAt]!
      const utilisation = Math.min(1.5, requests / profile.capacity + effect.extraUtilisation)
      // Memory: flat with noise; a leak grows until the process is killed and starts again.
      let used = effect.leakPerStep > 0 ? memory[node]! + effect.leakPerStep * profile.baseMemory : profile.baseMemory
      const limit = profile.baseMemory * 1.8
      const pressure = Math.max(0, (used - limit * 0.8) / (limit * 0.2))
      const killed = used >= limit
      if (killed) used = profile.baseMemory
      memory[node] = used

      let latency = profile.baseLatency * (queueing(utilisation) / queueing(0.45)) * effect.latencyFactor * (1 + 3 * pressure)
      let errors = profile.baseError * (1 + 0.3 * draws[base + errorsAt]!) + effect.extraErrors + Math.max(0, utilisation - 0.9) * 2 + (killed ? 0.25 : 0.05 * pressure)
      for (const edge of outgoingOf[node]!) {
        const at = step - edge.delay
        if (at < 0) {
          latency += edge.latencyWeight * profileOf[edge.to]!.baseLatency
          continue
        }
        const refused = edge.calleeFaults.length > 0 && faultEffect(edge.calleeFaults, { time: start + at * stepMs, stepMs, resource: isResource[edge.to]! }).refusesConnections
        // A refused TLS handshake fails fast: no latency from the callee, every call to it an error.
        if (refused) errors += edge.errorWeight
        else {
          latency += edge.latencyWeight * series[edge.to]!.latency_p95_ms[at]!
          errors += edge.errorWeight * series[edge.to]!.error_rate[at]!
        }
      }
      out.requests_per_s[step] = requests
      out.latency_p95_ms[step] = latency * (1 + noise * draws[base + latencyAt]!)
      out.error_rate[step] = Math.min(1, Math.max(0, errors))
      out.cpu_utilisation[step] = Math.min(1, Math.max(0, utilisation * (1 + noise * draws[base + cpuAt]!)))
      out.memory_mb[step] = used * (1 + (noise / 3) * draws[base + memoryAt]!)
    }
  }
  return new Map(nodes.map((node, at) => [node, series[at]!]))
}

function routineChanges({ topology, resources, random, start, durationMinutes, deploymentsPerDay, configChangesPerDay }: { topology: Topology; resources: ReadonlySet<string>; random: SeededRandom; start: number; durationMinutes: number; deploymentsPerDay: number; configChangesPerDay: number }): SignalEvent[] {
  const events: SignalEvent[] = []
  const days = durationMinutes / 1440
  for (const node of topology.nodes) {
    if (resources.has(node)) continue
    let version = random.int(10, 80)
    for (const [type, perDay] of [['deployment', deploymentsPerDay], ['config-change', configChangesPerDay]] as const) {
      const count = Math.floor(perDay * days + random.next())
      for (let position = 0; position < count; position++) {
        // Over days, changes land in working hours; within a few hours, anywhere.
        const at = new Date(days >= 1 ? start + Math.floor(random.next() * days) * DAY_MS + (8 + random.next() * 9) * 3_600_000 : start + random.next() * durationMinutes * 60_000)
        if (at.getTime() >= start + durationMinutes * 60_000) continue
        version++
        events.push(type === 'deployment'
          ? { id: `deploy-${node}-${at.getTime()}`, entity: node, type, at, summary: `Deployed ${nameOf(node)} v1.${version}.0`, source: 'simulator', attributes: { version: `v1.${version}.0`, routine: true } }
          : { id: `config-${node}-${at.getTime()}`, entity: node, type, at, summary: `Config change on ${nameOf(node)}: ${random.pick(['raised log level to debug', 'rotated feature flag new-search-ranking', 'adjusted request timeout to 2s', 'enabled response compression'])}`, source: 'simulator', attributes: { routine: true } })
      }
    }
  }
  return events
}

export type { FaultSpec, FaultType }
