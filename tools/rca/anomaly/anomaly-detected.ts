/**
 * The event a detector publishes when a metric series of an entity turns anomalous (`anomaly-detected`);
 * auto-remediation rules with an `anomaly` trigger act on it. Plain JSON, so it can travel over Kafka.
 */
export const ANOMALY_DETECTED = 'anomaly-detected'

export interface AnomalyDetected {
  entity: string
  metric: string
  /** ISO 8601. */
  at: string
  value: number
  /** The detector's score, 0–1. */
  score: number
}
