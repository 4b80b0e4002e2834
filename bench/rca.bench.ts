import { readNabCorpus } from '../tools/rca/anomaly/nab-corpus.ts'
import { detectAnomalies } from '../tools/rca/anomaly/streaming-detector.ts'
import { rankCauses } from '../tools/rca/rank-causes.ts'
import { caseOf, incidentCases } from '../tools/rca/simulator/incident-cases.ts'
import { environmentNumber, progress, roundTo, type Benchmark } from './benchmark.ts'
import { summarizeLatencies } from './latency-summary.ts'

/**
 * RCA time per incident on a large topology: one simulated incident of each fault type on random graphs of
 * BENCH_RCA_SERVICES services (default 500, plus a fifth as many resources), four hours of five metrics per
 * node at one-minute steps; only the ranking is timed, not the simulation.
 */
export const rcaBenchmark: Benchmark = async () => {
  const services = environmentNumber('BENCH_RCA_SERVICES', 500)
  const count = environmentNumber('BENCH_RCA_INCIDENTS', 7)
  const timings: number[] = []
  let first = 0
  let nodes = 0
  let points = 0
  for (const incident of incidentCases({ count, seed: 500, services: [services, services] })) {
    const input = caseOf(incident)
    nodes = input.topology.nodes.length
    points = [...input.metrics.values()].reduce((sum, byMetric) => sum + [...byMetric.values()].reduce((inner, series) => inner + series.values.length, 0), 0)
    const started = performance.now()
    const { candidates } = rankCauses(input)
    timings.push(performance.now() - started)
    if (candidates[0]?.entity === incident.cause) first++
    progress(`rca: ${incident.faultType} on ${nodes} nodes in ${Math.round(timings.at(-1)!)} ms`)
  }
  return { nodes, incidents: timings.length, samplesPerIncident: points, msPerIncident: summarizeLatencies(timings), targetMs: 1000, rankedFirst: roundTo(first / timings.length) }
}

/** Anomaly detection throughput: every point of the NAB files through the streaming detector, on one core. */
export const anomalyThroughputBenchmark: Benchmark = async () => {
  const corpus = await readNabCorpus()
  const total = corpus.reduce((sum, file) => sum + file.rows.length, 0)
  const rounds = 3
  const started = performance.now()
  for (let round = 0; round < rounds; round++) for (const file of corpus) detectAnomalies(file.rows.map((row) => row.value), {}, file.rows.map((row) => row.time))
  const seconds = (performance.now() - started) / 1000
  return { points: total * rounds, seconds: roundTo(seconds), pointsPerSecondPerCore: Math.round((total * rounds) / seconds) }
}
