import type { ScheduledJob } from '../../../core/cluster/cluster-jobs.ts'
import type { EventBus } from '../../../core/events/event-bus.ts'
import { recentAnomalies } from '../recent-anomalies.ts'
import type { SignalsRepository } from '../signals-repository.ts'
import { ANOMALY_DETECTED, type AnomalyDetected } from './anomaly-detected.ts'

export interface AnomalyWatchOptions {
  signals: SignalsRepository
  bus: EventBus
  everyMs: number
  now?: () => Date
}

// Anomalies already published, so that a point seen by two overlapping looks is published once.
const REMEMBERED = 5000

/**
 * A scheduled job that publishes `anomaly-detected` for every anomaly the streaming detector finds in the metric
 * series since its last look (the first look covers one period), whatever brought the metrics in: Prometheus
 * pulls, Kafka or webhooks. Auto-remediation rules with an `anomaly` trigger act on these events. As a cluster
 * job it runs on one replica at a time; a replica taking it over looks back one period.
 */
export function anomalyWatchJob({ signals, bus, everyMs, now = () => new Date() }: AnomalyWatchOptions): ScheduledJob {
  let since: Date | undefined
  const published = new Set<string>()
  return {
    name: 'anomaly-watch',
    everyMs,
    async run(signal) {
      const to = now()
      const found = await recentAnomalies(signals, { from: since ?? new Date(to.getTime() - everyMs), to, limit: 1000 })
      for (const anomaly of found.reverse()) {
        if (signal.aborted) return
        const key = `${anomaly.entity}\u0000${anomaly.metric}\u0000${anomaly.at}`
        if (published.has(key)) continue
        published.add(key)
        if (published.size > REMEMBERED) published.delete(published.values().next().value!)
        await bus.publish({ type: ANOMALY_DETECTED, payload: anomaly satisfies AnomalyDetected })
      }
      since = to
    },
  }
}
