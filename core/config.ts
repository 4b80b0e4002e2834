import { z } from 'zod'
import { InputError, issuesFromZod } from './errors.ts'

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PORTAL_DATA_DIR: z.string().min(1).default('./.portal'),
  DATABASE_URL: z.string().url().optional(),
  PORTAL_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Load the demo organisation when the store is empty at start (`false` to start empty). */
  PORTAL_DEMO: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
})

export type PortalConfig = {
  port: number
  host: string
  dataDir: string
  databaseUrl?: string
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  loadDemo: boolean
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
  }
}
