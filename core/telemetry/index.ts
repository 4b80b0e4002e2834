export { Telemetry, errorType, recordError, type AgentStepMeasurement, type ApprovalMeasurement, type HttpRequestMeasurement, type Measurement, type SpanOptions, type ToolCallMeasurement } from './telemetry.ts'
export { createTelemetry } from './create-telemetry.ts'
export { parseTraceparent } from './traceparent.ts'
