import type { FaultTruth, Incident, MetricRun, SignalEvent } from '../signal-types.ts'
import type { EventQuery, IncidentQuery, MetricQuery, SignalBatch, SignalsRepository } from '../signals-repository.ts'
import type { PrometheusMetricIngester } from './prometheus-ingester.ts'

const HOUR = 3_600_000
/** The most a read pulls on demand: RCA reads four hours, anomaly detection replays two days before its range. */
const MAX_ON_DEMAND_HOURS = 72

/**
 * The signals repository with Prometheus behind its metrics: a read of metric runs first pulls the hours of
 * its window that were not pulled yet (at most the last three days of it), so RCA, timelines and anomaly
 * detection see Prometheus's samples for any window they ask about. If Prometheus cannot be reached the read
 * answers from what is stored, and `onError` hears why.
 */
export class PrometheusBackedSignals implements SignalsRepository {
  constructor(
    private readonly inner: SignalsRepository,
    private readonly ingester: PrometheusMetricIngester,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  async metricRuns(query: MetricQuery): Promise<MetricRun[]> {
    const from = new Date(Math.max(query.from.getTime(), query.to.getTime() - MAX_ON_DEMAND_HOURS * HOUR))
    try {
      await this.ingester.ensureWindow(from, query.to)
    } catch (error) {
      this.onError(error as Error)
    }
    return this.inner.metricRuns(query)
  }

  isEmpty(): Promise<boolean> {
    return this.inner.isEmpty()
  }

  applyOnce(deliveryId: string, batch: SignalBatch): Promise<boolean> {
    return this.inner.applyOnce(deliveryId, batch)
  }

  write(batch: SignalBatch): Promise<void> {
    return this.inner.write(batch)
  }

  addFaultTruth(truth: FaultTruth[]): Promise<void> {
    return this.inner.addFaultTruth(truth)
  }

  listIncidents(query?: IncidentQuery): Promise<Incident[]> {
    return this.inner.listIncidents(query)
  }

  getIncident(id: string): Promise<Incident | undefined> {
    return this.inner.getIncident(id)
  }

  listEvents(query: EventQuery): Promise<SignalEvent[]> {
    return this.inner.listEvents(query)
  }

  latestMetricTime(): Promise<Date | undefined> {
    return this.inner.latestMetricTime()
  }

  faultTruth(): Promise<FaultTruth[]> {
    return this.inner.faultTruth()
  }
}
