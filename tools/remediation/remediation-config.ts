import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { InputError, issuesFromZod } from '../../core/errors.ts'

const name = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be lower-case words joined by hyphens, e.g. flush-cache')
const template = z.string().max(2000)
const templated: z.ZodType<unknown> = z.lazy(() => z.union([template, z.number(), z.boolean(), z.null(), z.array(templated), z.record(z.string(), templated)]))

const webhookAction = z.object({
  type: z.literal('webhook'),
  method: z.enum(['POST', 'PUT', 'PATCH', 'GET', 'DELETE']).default('POST'),
  url: template,
  headers: z.record(z.string(), template).default({}),
  body: templated.optional(),
}).strict()

const githubWorkflowAction = z.object({
  type: z.literal('github-workflow'),
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name'),
  workflow: z.string().min(1).max(200),
  ref: z.string().min(1).max(200).default('main'),
  inputs: z.record(z.string(), template).default({}),
}).strict()

export const playbookConfigSchema = z.object({
  name,
  title: z.string().min(1).max(100),
  description: z.string().min(1).max(1000),
  params: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/), z.object({ type: z.enum(['string', 'number', 'boolean']), description: z.string().max(300).optional(), required: z.boolean().default(false) }).strict()).default({}),
  action: z.discriminatedUnion('type', [webhookAction, githubWorkflowAction]),
  verification: z.object({ type: z.literal('http'), url: template, expectStatus: z.number().int().min(100).max(599).default(200) }).strict().optional(),
  undo: z.object({ playbook: name, params: z.record(z.string(), template).default({}) }).strict().optional(),
}).strict()

export type PlaybookConfig = z.output<typeof playbookConfigSchema>

/**
 * What an operator configures about remediation (`PORTAL_REMEDIATION_CONFIG`, JSON or YAML): the executor for
 * workloads, limits, change freezes, and playbooks of their own that call webhooks or GitHub workflows — no
 * code needed. Secrets stay in the environment: `${env:NAME}` in a URL, header or body is read at run time.
 */
export const remediationConfigSchema = z.object({
  executor: z.enum(['simulator', 'kubernetes']).default('simulator'),
  limits: z.object({
    runsPerHour: z.number().int().min(1).max(100).default(3),
    failuresBeforeBreak: z.number().int().min(1).max(20).default(2),
    verifyTimeoutSeconds: z.number().int().min(1).max(1800).default(120),
  }).strict().default({ runsPerHour: 3, failuresBeforeBreak: 2, verifyTimeoutSeconds: 120 }),
  freezes: z.array(z.object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    reason: z.string().min(1).max(300),
    /** Only these entities; all when absent. */
    entities: z.array(z.string()).optional(),
  }).strict()).default([]),
  playbooks: z.array(playbookConfigSchema).default([]),
}).strict()

export type RemediationConfig = z.output<typeof remediationConfigSchema>

export const DEFAULT_REMEDIATION_CONFIG: RemediationConfig = remediationConfigSchema.parse({})

export async function readRemediationConfig(file: string): Promise<RemediationConfig> {
  let document: unknown
  try {
    document = parseYaml(await readFile(file, 'utf8')) ?? {}
  } catch (error) {
    throw new InputError(`PORTAL_REMEDIATION_CONFIG: cannot read ${file}: ${(error as Error).message}`)
  }
  const parsed = remediationConfigSchema.safeParse(document)
  if (!parsed.success) throw new InputError(`PORTAL_REMEDIATION_CONFIG: ${file} is not a valid remediation configuration`, { issues: issuesFromZod(parsed.error) })
  return parsed.data
}
