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
  /** Present when Slack is configured. */
  slack?: SlackConfig
  /** Present when Teams is configured (an app id, or TEAMS_ENABLED=true for local mode). */
  teams?: TeamsConfig
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
