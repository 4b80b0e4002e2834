import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { InputError, issuesFromZod } from './errors.ts'

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PORTAL_DATA_DIR: z.string().min(1).default('./.portal'),
  DATABASE_URL: z.string().url().optional(),
  PORTAL_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Load the demo organisation when the store is empty at start (`false` to start empty). */
  /** Signs tool approval requests so a client cannot forge one; every replica must share it. */
  PORTAL_APPROVAL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
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
})

export type PortalConfig = {
  port: number
  host: string
  dataDir: string
  databaseUrl?: string
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  loadDemo: boolean
  approvalSecret: string
  mcp: { allowedHosts?: string[]; allowedOrigins?: string[]; allowAnonymousLoopback: boolean; publicUrl?: string }
  model: { model?: string; apiKey?: string; baseURL?: string }
  embeddings: { model: string; modelDir?: string; apiKey?: string; baseURL?: string }
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
    // Without a configured secret, one per process: approvals then only verify on the replica that issued them.
    approvalSecret: values.PORTAL_APPROVAL_SECRET ?? randomBytes(32).toString('hex'),
    model: { model: values.PORTAL_MODEL, apiKey: values.OPENAI_API_KEY, baseURL: values.OPENAI_BASE_URL },
    embeddings: { model: values.PORTAL_EMBEDDINGS_MODEL, modelDir: values.PORTAL_EMBEDDINGS_MODEL_DIR, apiKey: values.OPENAI_API_KEY, baseURL: values.OPENAI_BASE_URL },
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
