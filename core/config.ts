import { z } from 'zod'
import { InputError, issuesFromZod } from './errors.ts'

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PORTAL_DATA_DIR: z.string().min(1).default('./.portal'),
  DATABASE_URL: z.string().url().optional(),
  PORTAL_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
  PORTAL_DEMO: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /** A JSON or YAML file with the approval policy (who may approve what); the defaults are in approval-policy.ts. */
  PORTAL_APPROVAL_POLICY: z.string().min(1).optional(),
  /** How the web chat knows who is asking: `local` (pick a catalog user; the embedded default) or `proxy`. */
  PORTAL_WEB_AUTH: z.enum(['local', 'proxy']).default('local'),
  /** With `proxy`: the headers an operator's auth proxy sets (a user name or email resolved to a catalog User). */
  PORTAL_AUTH_USER_HEADER: z.string().min(1).default('x-forwarded-user'),
  PORTAL_AUTH_EMAIL_HEADER: z.string().min(1).default('x-forwarded-email'),
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
  loadDemo: boolean
  mcp: { allowedHosts?: string[]; allowedOrigins?: string[]; allowAnonymousLoopback: boolean; publicUrl?: string }
  model: { model?: string; apiKey?: string; baseURL?: string }
  approvalPolicyFile?: string
  webAuth: { mode: 'local' | 'proxy'; userHeader: string; emailHeader: string }
  webhookToken?: string
  kafkaBrokers?: string[]
}

/** Reads configuration from the environment; a bad value fails start-up with the variable's name. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): PortalConfig {
  const cleaned = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = configSchema.safeParse(cleaned)
  if (!parsed.success) throw new InputError('Invalid configuration', { issues: issuesFromZod(parsed.error) })
  const values = parsed.data
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: values.PORTAL_DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    logLevel: values.PORTAL_LOG_LEVEL,
    loadDemo: values.PORTAL_DEMO,
    model: { model: values.PORTAL_MODEL, apiKey: values.OPENAI_API_KEY, baseURL: values.OPENAI_BASE_URL },
    approvalPolicyFile: values.PORTAL_APPROVAL_POLICY,
    webAuth: { mode: values.PORTAL_WEB_AUTH, userHeader: values.PORTAL_AUTH_USER_HEADER.toLowerCase(), emailHeader: values.PORTAL_AUTH_EMAIL_HEADER.toLowerCase() },
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

function list(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((item) => item.trim()).filter(Boolean)
  return items && items.length > 0 ? items : undefined
}
