import { hostname } from 'node:os'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions'
import packageJson from '../../package.json' with { type: 'json' }
import type { TelemetryConfig } from '../config.ts'
import { Telemetry } from './telemetry.ts'

const INSTRUMENTATION_SCOPE = 'next-portal'
const VERSION = packageJson.version
// A collector that is down must not hold up a request's exporter for long, nor the portal's shutdown.
const EXPORT_TIMEOUT_MS = 5_000

/**
 * Telemetry for a platform: with OTLP configured, a tracer and a meter whose data go to the collector over
 * OTLP/HTTP (JSON); without it, a Telemetry that records no spans and feeds only its subscribers (/metrics).
 * The providers are never registered globally, so nothing outside the platform changes.
 */
export function createTelemetry(config: TelemetryConfig | undefined, { instanceId = `${hostname()}-${process.pid}` }: { instanceId?: string } = {}): Telemetry {
  if (!config) return new Telemetry()
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, [ATTR_SERVICE_VERSION]: VERSION, 'service.instance.id': instanceId })
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.endpoint}/v1/traces`, headers: config.headers, timeoutMillis: EXPORT_TIMEOUT_MS }))],
  })
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${config.endpoint}/v1/metrics`, headers: config.headers, timeoutMillis: EXPORT_TIMEOUT_MS }), exportIntervalMillis: config.metricIntervalMs, exportTimeoutMillis: Math.min(EXPORT_TIMEOUT_MS, config.metricIntervalMs) })],
  })
  return new Telemetry({
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE, VERSION),
    meter: meterProvider.getMeter(INSTRUMENTATION_SCOPE, VERSION),
    // Shutting down flushes: spans still batched and the last metric interval reach the collector.
    shutdown: async () => {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()])
    },
  })
}
