// Prints the deterministic test history (OpenMetrics) that start.sh backfills; see prometheus-test-history.ts.
import { prometheusTestHistory } from '../../tools/rca/ingest/testing/prometheus-test-history.ts'

process.stdout.write(prometheusTestHistory())
