/**
 * The deterministic history infra/prometheus/start.sh backfills into the test Prometheus (OpenMetrics, written
 * into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`), and what the tests expect of it: three
 * services over five hours, instrumented the common way (http_requests_total by code, an
 * http_request_duration_seconds histogram, the process collector), scraped every 15 s. From FAULT_AT payments
 * (label value `payments`) turns slow and fails 6% of requests; checkout-api, which calls it, follows two minutes
 * later. `legacy-batch` is in no catalog.
 */
export const HISTORY_START = new Date('2026-03-03T08:00:00Z')
export const HISTORY_END = new Date('2026-03-03T13:00:00Z')
export const FAULT_AT = new Date('2026-03-03T11:00:00Z')
const SCRAPE_SECONDS = 15

export const HISTORY_SERVICES = ['checkout-api', 'payments', 'legacy-batch'] as const
type Service = (typeof HISTORY_SERVICES)[number]

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5] as const
/** Share of requests at or under each bucket bound. */
const HEALTHY = [0.6, 0.9, 0.99, 1, 1, 1]
const SLOW = [0.02, 0.1, 0.3, 0.6, 0.95, 1]
const STRAINED = [0.3, 0.6, 0.9, 0.98, 1, 1]

/** The p95 latency in ms the default query (histogram_quantile over the buckets) gives for a healthy service. */
export const HEALTHY_P95_MS = 1000 * (0.1 + ((0.95 - 0.9) / (0.99 - 0.9)) * (0.25 - 0.1))
export const REQUESTS_PER_SECOND: Record<Service, number> = { 'checkout-api': 50, payments: 40, 'legacy-batch': 5 }
export const HEALTHY_ERROR_RATE = 0.01
export const MEMORY_MB: Record<Service, number> = { 'checkout-api': 300, payments: 500, 'legacy-batch': 120 }

interface State {
  requests: { ok: number; failed: number }
  buckets: number[]
  count: number
  sum: number
  cpu: number
}

/** Deterministic jitter in [-1, 1]: the same inputs always give the same history. */
function jitter(step: number, salt: number): number {
  const value = Math.sin(step * 12.9898 + salt * 78.233) * 43758.5453
  return 2 * (value - Math.floor(value)) - 1
}

function phase(service: Service, time: number): { shares: number[]; errorRate: number } {
  const fault = FAULT_AT.getTime()
  if (service === 'payments' && time >= fault) return { shares: SLOW, errorRate: 0.06 }
  if (service === 'checkout-api' && time >= fault + 2 * 60_000) return { shares: STRAINED, errorRate: 0.03 }
  return { shares: HEALTHY, errorRate: HEALTHY_ERROR_RATE }
}

/** The history as OpenMetrics text (families not interleaved, samples in time order, `# EOF` at the end). */
export function prometheusTestHistory(): string {
  const times: number[] = []
  for (let time = HISTORY_START.getTime(); time <= HISTORY_END.getTime(); time += SCRAPE_SECONDS * 1000) times.push(time)
  const states = new Map<Service, State[]>()
  for (const [salt, service] of HISTORY_SERVICES.entries()) {
    const state: State = { requests: { ok: 0, failed: 0 }, buckets: BUCKETS.map(() => 0), count: 0, sum: 0, cpu: 0 }
    const series: State[] = []
    times.forEach((time, step) => {
      const { shares, errorRate } = phase(service, time)
      const requests = REQUESTS_PER_SECOND[service] * SCRAPE_SECONDS * (1 + 0.03 * jitter(step, salt))
      state.requests.failed += requests * errorRate
      state.requests.ok += requests * (1 - errorRate)
      BUCKETS.forEach((bound, position) => (state.buckets[position]! += requests * shares[position]!))
      state.count += requests
      state.sum += requests * (shares === HEALTHY ? 0.06 : 0.4)
      state.cpu += SCRAPE_SECONDS * 0.3 * (1 + 0.05 * jitter(step, salt + 7))
      series.push({ requests: { ...state.requests }, buckets: [...state.buckets], count: state.count, sum: state.sum, cpu: state.cpu })
    })
    states.set(service, series)
  }
  const lines: string[] = []
  const seconds = (time: number) => String(time / 1000)
  const number = (value: number) => value.toFixed(3)
  const family = (name: string, type: string, help: string, sample: (service: Service, state: State, time: number, step: number) => string[]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    for (const service of HISTORY_SERVICES) times.forEach((time, step) => lines.push(...sample(service, states.get(service)![step]!, time, step)))
  }
  family('http_requests', 'counter', 'HTTP requests served.', (service, state, time) => [
    `http_requests_total{service="${service}",code="200"} ${number(state.requests.ok)} ${seconds(time)}`,
    `http_requests_total{service="${service}",code="500"} ${number(state.requests.failed)} ${seconds(time)}`,
  ])
  family('http_request_duration_seconds', 'histogram', 'HTTP request latency.', (service, state, time) => [
    ...BUCKETS.map((bound, position) => `http_request_duration_seconds_bucket{service="${service}",le="${bound}"} ${number(state.buckets[position]!)} ${seconds(time)}`),
    `http_request_duration_seconds_bucket{service="${service}",le="+Inf"} ${number(state.count)} ${seconds(time)}`,
    `http_request_duration_seconds_count{service="${service}"} ${number(state.count)} ${seconds(time)}`,
    `http_request_duration_seconds_sum{service="${service}"} ${number(state.sum)} ${seconds(time)}`,
  ])
  family('process_cpu_seconds', 'counter', 'CPU time used.', (service, state, time) => [`process_cpu_seconds_total{service="${service}"} ${number(state.cpu)} ${seconds(time)}`])
  family('process_resident_memory_bytes', 'gauge', 'Resident memory.', (service, _state, time, step) => [`process_resident_memory_bytes{service="${service}"} ${Math.round(MEMORY_MB[service] * 1_048_576 * (1 + 0.01 * jitter(step, 3)))} ${seconds(time)}`])
  lines.push('# EOF')
  return `${lines.join('\n')}\n`
}
