import os from 'node:os'
import { z } from 'zod'
import { InputError, issuesFromZod } from './errors.ts'

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PORTAL_DATA_DIR: z.string().min(1).default('./.portal'),
  DATABASE_URL: z.string().url().optional(),
  PORTAL_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** OpenTelemetry: the OTLP/HTTP collector's base URL (traces go to /v1/traces, metrics to /v1/metrics); unset, nothing is exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Headers for the collector (`key=value,key=value`, values URL-encoded), e.g. an API key. */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().regex(/^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$/, 'must be key=value pairs separated by commas').optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('next-portal'),
  /** Milliseconds between metric exports. */
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(100).default(60_000),
  /** Load the demo organisation when the store is empty at start (`false` to start empty). */
  /** Extra `Host` values /mcp answers (behind a proxy or on another interface), comma-separated. */
  PORTAL_MCP_ALLOWED_HOSTS: z.string().optional(),
  /** Browser origins allowed to call /mcp, comma-separated. */
  PORTAL_MCP_ALLOWED_ORIGINS: z.string().optional(),
  /** Serve /mcp without a token (read scopes only) to callers on loopback. */
  PORTAL_MCP_ANONYMOUS_LOOPBACK: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /** The portal's public base URL behind a proxy, e.g. https://portal.example.com. */
  PORTAL_PUBLIC_URL: z.string().url().optional(),
  /** The agent's model: `offline` (default) or a model id of the OpenAI-compatible endpoint. */
  PORTAL_MODEL: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  /**
   * Search embeddings: `local` (all-MiniLM-L6-v2 in-process), a model id of the OpenAI-compatible endpoint
   * (OPENAI_BASE_URL), or `none` (full-text search alone).
   */
  PORTAL_EMBEDDINGS_MODEL: z.string().min(1).default('local'),
  /** A directory holding the local embedding model's files; without it the model comes from the Hugging Face hub. */
  PORTAL_EMBEDDINGS_MODEL_DIR: z.string().min(1).optional(),
  PORTAL_DEMO: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /** A JSON or YAML file with the approval policy (who may approve what); the defaults are in approval-policy.ts. */
  PORTAL_APPROVAL_POLICY: z.string().min(1).optional(),
  /** A JSON or YAML file configuring remediation: executor, limits, change freezes, operator playbooks. */
  PORTAL_REMEDIATION_CONFIG: z.string().min(1).optional(),
  /** For github-workflow playbooks: a token allowed to dispatch workflows, and the API (GitHub Enterprise). */
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  /** How the web chat knows who is asking: `local` (pick a catalog user; the embedded default) or `proxy`. */
  PORTAL_WEB_AUTH: z.enum(['local', 'proxy']).default('local'),
  /** With `proxy`: the headers an operator's auth proxy sets (a user name or email resolved to a catalog User). */
  PORTAL_AUTH_USER_HEADER: z.string().min(1).default('x-forwarded-user'),
  PORTAL_AUTH_EMAIL_HEADER: z.string().min(1).default('x-forwarded-email'),
  /** Slack: the app's signing secret (HTTP mode, /slack/events) and bot token; an app-level token selects Socket Mode. */
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'a bot token starts with xoxb-').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'an app-level token starts with xapp-').optional(),
  /** `http` (events at /slack/events) or `socket`; the default is `socket` when SLACK_APP_TOKEN is set. */
  SLACK_MODE: z.enum(['http', 'socket']).optional(),
  /** Where the Slack Web API is (a fake on loopback in tests); Slack's own by default. */
  SLACK_API_URL: z.string().url().optional(),
  /** Teams (Bot Framework): the bot's app registration; without an app id, /api/messages runs unauthenticated (local mode, only with TEAMS_ENABLED). */
  MICROSOFT_APP_ID: z.string().min(1).optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
  MICROSOFT_APP_TENANT_ID: z.string().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  /** Serve /api/messages without an app id: local mode for the Bot Framework Emulator and tests. */
  TEAMS_ENABLED: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  /** A bearer token the signal webhooks (/api/signals/…) require; unset, they accept any caller that reaches them. */
  PORTAL_WEBHOOK_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Kafka bootstrap servers, comma-separated: when set, `portal start` consumes the signals topic. */
  KAFKA_BROKERS: z.string().regex(/^[^,\s]+(,[^,\s]+)*$/, 'must be host:port pairs separated by commas').optional(),
  /** With KAFKA_BROKERS: the topic portal events travel on between replicas. */
  PORTAL_EVENTS_TOPIC: z.string().regex(/^[\w.-]{1,249}$/, 'must be a Kafka topic name (letters, digits, ".", "_", "-")').default('next-portal.events'),
  /** This replica's name in consumer groups, leases and logs (a pod name); the host name and process id by default. */
  PORTAL_REPLICA_ID: z.string().regex(/^[\w.-]{1,100}$/, 'must be letters, digits, ".", "_" or "-" (at most 100)').optional(),
  /** How long a replica's lease on a scheduled job lasts without renewal: how soon another replica takes over a dead one's jobs. */
  PORTAL_LEASE_TTL_MS: z.coerce.number().int().min(300).max(600_000).default(15_000),
  /** Minutes between checks of team budgets against the month-end cost forecast (once per cluster); 0 turns the check off. */
  PORTAL_BUDGET_CHECK_MINUTES: z.coerce.number().int().min(0).max(44_640).default(360),
  /** The signing secret of a PagerDuty V3 webhook subscription: /api/signals/pagerduty then requires X-PagerDuty-Signature. */
  PAGERDUTY_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Prometheus's base URL (e.g. http://prometheus:9090): metrics of catalog entities are pulled from its query API. */
  PROMETHEUS_URL: z.string().url().optional(),
  /** The series label naming the entity (`service`, `job`, `app`, …); an entity's `prometheus.io/service-name` annotation maps other values to it. */
  PROMETHEUS_ENTITY_LABEL: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name').default('service'),
  /** A JSON or YAML file mapping metric names to PromQL (`{"latency_p95_ms": "…"}`); the defaults follow common HTTP instrumentation. */
  PROMETHEUS_QUERIES: z.string().min(1).optional(),
  /** How often `portal start` pulls the latest samples, and the resolution (query_range step), in seconds. */
  PROMETHEUS_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  PROMETHEUS_STEP_SECONDS: z.coerce.number().int().min(1).max(3600).refine((step) => 3600 % step === 0, 'must divide an hour (e.g. 15, 30, 60, 300)').default(60),
  /** Neo4j (Bolt): when set, the catalog graph is mirrored there, graph tools run as Cypher, and graph_cypher exists. */
  NEO4J_URL: z.string().regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/\S+$/, 'must be a Bolt URL: neo4j://, bolt:// (or +s / +ssc for TLS), host and port').optional(),
  NEO4J_USER: z.string().min(1).optional(),
  NEO4J_PASSWORD: z.string().min(1).optional(),
  /** The database the graph goes in; the server's default database when unset. */
  NEO4J_DATABASE: z.string().min(1).optional(),
})

export type PortalConfig = {
  port: number
  host: string
  dataDir: string
  databaseUrl?: string
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** Present when OTLP export is configured (OTEL_EXPORTER_OTLP_ENDPOINT). */
  telemetry?: TelemetryConfig
  loadDemo: boolean
  mcp: { allowedHosts?: string[]; allowedOrigins?: string[]; allowAnonymousLoopback: boolean; publicUrl?: string }
  model: { model?: string; apiKey?: string; baseURL?: string }
  approvalPolicyFile?: string
  remediation: { configFile?: string; githubToken?: string; githubApiUrl: string }
  webAuth: { mode: 'local' | 'proxy'; userHeader: string; emailHeader: string }
  embeddings: { model: string; modelDir?: string; apiKey?: string; baseURL?: string }
  webhookToken?: string
  kafkaBrokers?: string[]
  /** How replicas share work: the events topic (with Kafka), this replica's id, leases and scheduled jobs. */
  cluster: { eventsTopic: string; replicaId: string; leaseTtlMs: number; budgetCheckMinutes: number }
  pagerDutyWebhookSecret?: string
  /** Present when PROMETHEUS_URL is set. */
  prometheus?: PrometheusConfig
  /** Present when NEO4J_URL is set. */
  neo4j?: { url: string; user?: string; password?: string; database?: string }
  /** Present when Slack is configured. */
  slack?: SlackConfig
  /** Present when Teams is configured (an app id, or TEAMS_ENABLED=true for local mode). */
  teams?: TeamsConfig
}

export interface PrometheusConfig {
  url: string
  entityLabel: string
  queriesFile?: string
  intervalSeconds: number
  stepSeconds: number
}

export type SlackConfig =
  | { mode: 'http'; signingSecret: string; botToken: string; apiUrl?: string }
  | { mode: 'socket'; appToken: string; botToken: string; signingSecret?: string; apiUrl?: string }

export interface TelemetryConfig {
  endpoint: string
  headers: Record<string, string>
  serviceName: string
  metricIntervalMs: number
}

export interface TeamsConfig {
  /** Absent in local mode: requests are not authenticated. */
  appId?: string
  appPassword?: string
  tenantId?: string
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI'
}

/** Reads configuration from the environment; a bad value fails start-up with the variable's name. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): PortalConfig {
  const cleaned = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = configSchema.safeParse(cleaned)
  if (!parsed.success) throw new InputError('Invalid configuration', { issues: issuesFromZod(parsed.error) })
  const values = parsed.data
  return {
    slack: slackConfig(values),
    teams: teamsConfig(values),
    port: values.PORT,
    host: values.HOST,
    dataDir: values.PORTAL_DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    logLevel: values.PORTAL_LOG_LEVEL,
    ...(values.OTEL_EXPORTER_OTLP_ENDPOINT ? { telemetry: telemetryConfig(values, values.OTEL_EXPORTER_OTLP_ENDPOINT) } : {}),
    loadDemo: values.PORTAL_DEMO,
    model: { model: values.PORTAL_MODEL, apiKey: values.OPENAI_API_KEY, baseURL: values.OPENAI_BASE_URL },
    approvalPolicyFile: values.PORTAL_APPROVAL_POLICY,
    remediation: { configFile: values.PORTAL_REMEDIATION_CONFIG, githubToken: values.GITHUB_TOKEN, githubApiUrl: values.GITHUB_API_URL.replace(/\/$/, '') },
    webAuth: { mode: values.PORTAL_WEB_AUTH, userHeader: values.PORTAL_AUTH_USER_HEADER.toLowerCase(), emailHeader: values.PORTAL_AUTH_EMAIL_HEADER.toLowerCase() },
    embeddings: { model: values.PORTAL_EMBEDDINGS_MODEL, modelDir: values.PORTAL_EMBEDDINGS_MODEL_DIR, apiKey: values.OPENAI_API_KEY, baseURL: values.OPENAI_BASE_URL },
    webhookToken: values.PORTAL_WEBHOOK_TOKEN,
    kafkaBrokers: values.KAFKA_BROKERS?.split(','),
    cluster: { eventsTopic: values.PORTAL_EVENTS_TOPIC, replicaId: values.PORTAL_REPLICA_ID ?? `${os.hostname()}-${process.pid}`.replace(/[^\w.-]/g, '-'), leaseTtlMs: values.PORTAL_LEASE_TTL_MS, budgetCheckMinutes: values.PORTAL_BUDGET_CHECK_MINUTES },
    pagerDutyWebhookSecret: values.PAGERDUTY_WEBHOOK_SECRET,
    ...(values.PROMETHEUS_URL ? { prometheus: { url: values.PROMETHEUS_URL.replace(/\/$/, ''), entityLabel: values.PROMETHEUS_ENTITY_LABEL, queriesFile: values.PROMETHEUS_QUERIES, intervalSeconds: values.PROMETHEUS_INTERVAL_SECONDS, stepSeconds: values.PROMETHEUS_STEP_SECONDS } } : {}),
    neo4j: neo4jConfig(values),
    mcp: {
      allowedHosts: list(values.PORTAL_MCP_ALLOWED_HOSTS),
      allowedOrigins: list(values.PORTAL_MCP_ALLOWED_ORIGINS),
      allowAnonymousLoopback: values.PORTAL_MCP_ANONYMOUS_LOOPBACK,
      publicUrl: values.PORTAL_PUBLIC_URL,
    },
  }
}

type ConfigValues = z.output<typeof configSchema>

function slackConfig(values: ConfigValues): SlackConfig | undefined {
  const { SLACK_SIGNING_SECRET: signingSecret, SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_API_URL: apiUrl } = values
  if (!signingSecret && !botToken && !appToken) return undefined
  const mode = values.SLACK_MODE ?? (appToken ? 'socket' : 'http')
  const missing = (variable: string, why: string) => new InputError('Invalid configuration', { issues: [{ path: variable, message: `is required ${why}` }] })
  if (!botToken) throw missing('SLACK_BOT_TOKEN', 'to connect Slack')
  if (mode === 'socket') {
    if (!appToken) throw missing('SLACK_APP_TOKEN', 'for Slack Socket Mode (an app-level token with connections:write)')
    return { mode, appToken, botToken, ...(signingSecret ? { signingSecret } : {}), ...(apiUrl ? { apiUrl } : {}) }
  }
  if (!signingSecret) throw missing('SLACK_SIGNING_SECRET', 'for Slack in HTTP mode (events at /slack/events)')
  return { mode, signingSecret, botToken, ...(apiUrl ? { apiUrl } : {}) }
}

function neo4jConfig(values: ConfigValues): PortalConfig['neo4j'] {
  const { NEO4J_URL: url, NEO4J_USER: user, NEO4J_PASSWORD: password, NEO4J_DATABASE: database } = values
  if (!url) {
    const stray = user ? 'NEO4J_USER' : password ? 'NEO4J_PASSWORD' : database ? 'NEO4J_DATABASE' : undefined
    if (stray) throw new InputError('Invalid configuration', { issues: [{ path: 'NEO4J_URL', message: `is required with ${stray}` }] })
    return undefined
  }
  if (password && !user) throw new InputError('Invalid configuration', { issues: [{ path: 'NEO4J_USER', message: 'is required with NEO4J_PASSWORD' }] })
  return { url, ...(user ? { user } : {}), ...(password ? { password } : {}), ...(database ? { database } : {}) }
}

function teamsConfig(values: ConfigValues): TeamsConfig | undefined {
  const appId = values.MICROSOFT_APP_ID
  if (!appId && !values.TEAMS_ENABLED) return undefined
  const appType = values.MICROSOFT_APP_TYPE ?? 'MultiTenant'
  if (appId && appType !== 'UserAssignedMSI' && !values.MICROSOFT_APP_PASSWORD) throw new InputError('Invalid configuration', { issues: [{ path: 'MICROSOFT_APP_PASSWORD', message: `is required with MICROSOFT_APP_ID and MICROSOFT_APP_TYPE=${appType} (or use UserAssignedMSI)` }] })
  if (appId && appType !== 'MultiTenant' && !values.MICROSOFT_APP_TENANT_ID) throw new InputError('Invalid configuration', { issues: [{ path: 'MICROSOFT_APP_TENANT_ID', message: `is required with MICROSOFT_APP_TYPE=${appType}` }] })
  return { appType, ...(appId ? { appId } : {}), ...(values.MICROSOFT_APP_PASSWORD ? { appPassword: values.MICROSOFT_APP_PASSWORD } : {}), ...(values.MICROSOFT_APP_TENANT_ID ? { tenantId: values.MICROSOFT_APP_TENANT_ID } : {}) }
}

function telemetryConfig(values: ConfigValues, endpoint: string): TelemetryConfig {
  const headers = Object.fromEntries((values.OTEL_EXPORTER_OTLP_HEADERS ?? '').split(',').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=')
    const key = pair.slice(0, at).trim()
    try {
      return [key, decodeURIComponent(pair.slice(at + 1).trim())]
    } catch {
      throw new InputError('Invalid configuration', { issues: [{ path: 'OTEL_EXPORTER_OTLP_HEADERS', message: `the value of ${key} is not URL-encoded correctly` }] })
    }
  }))
  return { endpoint: endpoint.replace(/\/+$/, ''), headers, serviceName: values.OTEL_SERVICE_NAME, metricIntervalMs: values.OTEL_METRIC_EXPORT_INTERVAL }
}

function list(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((item) => item.trim()).filter(Boolean)
  return items && items.length > 0 ? items : undefined
}
