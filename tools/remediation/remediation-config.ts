import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { InputError, issuesFromZod } from '../../core/errors.ts'
import { FINDING_KINDS } from '../rca/finding-kinds.ts'

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

/** The playbooks built into the portal; operators' own are added by name in `playbooks`. */
export const BUILT_IN_PLAYBOOKS = ['restart', 'scale', 'rollback'] as const

const paramValue = z.union([z.string().max(500), z.number(), z.boolean()])
const confidence = z.enum(['low', 'medium', 'high'])

/** What makes a rule fire; each names what it matches on, every field narrowing. */
const triggerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('alert'),
    /** The alert's name (Alertmanager's `alertname` label). */
    alertname: z.string().min(1).max(200).optional(),
    /** Labels the alert must carry with these values. */
    labels: z.record(z.string(), z.string()).default({}),
  }).strict(),
  z.object({
    type: z.literal('incident'),
    severities: z.array(z.enum(['critical', 'major', 'minor'])).min(1).default(['critical', 'major', 'minor']),
    /** A regular expression the incident's title must match (case-insensitive). */
    titleMatches: z.string().min(1).max(300).refine((text) => { try { new RegExp(text) ; return true } catch { return false } }, 'must be a valid regular expression').optional(),
  }).strict(),
  z.object({
    type: z.literal('anomaly'),
    metric: z.string().min(1).max(100).optional(),
    minScore: z.number().min(0).max(1).default(0.9),
  }).strict(),
  z.object({
    type: z.literal('rca-finding'),
    /** The kinds of evidence on the likely cause, any of which fires the rule. */
    findings: z.array(z.enum(FINDING_KINDS)).min(1),
    minConfidence: confidence.default('high'),
  }).strict(),
])
export type RuleTrigger = z.output<typeof triggerSchema>

export const ruleConfigSchema = z.object({
  name,
  description: z.string().max(1000).optional(),
  trigger: triggerSchema,
  /** A built-in playbook (restart, scale, rollback) or one configured under `playbooks`. */
  playbook: name,
  replicas: z.number().int().min(0).max(100).optional(),
  params: z.record(z.string(), paramValue).optional(),
  /** Only these entities (refs); all when absent. */
  entities: z.array(z.string().min(1)).optional(),
  /**
   * The operator marks this playbook safe for this trigger: it runs without a person, still recorded in the
   * approvals service and audit log as approved by the rule, and only when freezes and limits allow it now.
   */
  runWithoutApproval: z.boolean().default(false),
}).strict()
export type RuleConfig = z.output<typeof ruleConfigSchema>

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
  /** Auto-remediation: triggers mapped to playbooks; checked in order, the first match per trigger and entity proposes. */
  rules: z.array(ruleConfigSchema).default([]),
}).strict().superRefine((config, context) => {
  const playbooks = new Set<string>([...BUILT_IN_PLAYBOOKS, ...config.playbooks.map((playbook) => playbook.name)])
  const seen = new Set<string>()
  config.rules.forEach((rule, position) => {
    if (seen.has(rule.name)) context.addIssue({ code: 'custom', path: ['rules', position, 'name'], message: `another rule is already named ${rule.name}` })
    seen.add(rule.name)
    if (!playbooks.has(rule.playbook)) context.addIssue({ code: 'custom', path: ['rules', position, 'playbook'], message: `no playbook ${rule.playbook}; known: ${[...playbooks].join(', ')}` })
    if (rule.playbook === 'scale' && rule.replicas === undefined) context.addIssue({ code: 'custom', path: ['rules', position, 'replicas'], message: 'scale needs the number of replicas' })
    if (rule.playbook !== 'scale' && rule.replicas !== undefined) context.addIssue({ code: 'custom', path: ['rules', position, 'replicas'], message: `${rule.playbook} takes no replicas` })
  })
})

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
