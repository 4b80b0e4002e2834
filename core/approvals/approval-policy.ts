import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { InputError, issuesFromZod } from '../errors.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { groupWithSubgroups } from '../../graph/index/graph-traversals.ts'

const entityRef = z.string().regex(/^(user|group):[a-z0-9._-]+\/[a-z0-9._-]+$/i, 'must be a user or group reference like group:default/sre')

const toolRuleSchema = z.object({
  /** Whether members of the owning group may approve this tool's requests (default: the policy's `owners`). */
  owners: z.boolean().optional(),
  /** Users or groups who may also approve this tool's requests. */
  approvers: z.array(entityRef).default([]),
  /** Distinct approvals this tool's requests need, whatever the entity. */
  requiredApprovals: z.number().int().min(1).max(5).optional(),
}).strict()

/**
 * Who may approve what, as an operator writes it (`PORTAL_APPROVAL_POLICY`, JSON or YAML). The defaults are
 * the safe ones: members of the group that owns the affected entity approve, never the requester, and
 * critical production entities need two distinct approvers.
 */
export const approvalPolicySchema = z.object({
  expiresInMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  owners: z.boolean().default(true),
  /** Users or groups who may approve every request (e.g. the SRE on-call group). */
  approvers: z.array(entityRef).default([]),
  critical: z.object({
    annotation: z.string().min(1).default('next-portal.io/tier'),
    values: z.array(z.string()).min(1).default(['1']),
    lifecycles: z.array(z.string()).min(1).default(['production']),
    requiredApprovals: z.number().int().min(1).max(5).default(2),
  }).strict().default({ annotation: 'next-portal.io/tier', values: ['1'], lifecycles: ['production'], requiredApprovals: 2 }),
  tools: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a tool name'), toolRuleSchema).default({}),
}).strict()

export type ApprovalPolicy = z.output<typeof approvalPolicySchema>

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = approvalPolicySchema.parse({})

/** Reads an operator's policy file; a bad file fails start-up naming the file and the field. */
export async function readApprovalPolicy(file: string): Promise<ApprovalPolicy> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new InputError(`PORTAL_APPROVAL_POLICY: cannot read ${file}: ${(error as Error).message}`)
  }
  let document: unknown
  try {
    document = parseYaml(text) ?? {}
  } catch (error) {
    throw new InputError(`PORTAL_APPROVAL_POLICY: ${file} is not valid YAML or JSON: ${(error as Error).message}`)
  }
  const parsed = approvalPolicySchema.safeParse(document)
  if (!parsed.success) throw new InputError(`PORTAL_APPROVAL_POLICY: ${file} is not a valid approval policy`, { issues: issuesFromZod(parsed.error) })
  return parsed.data
}

export interface ApprovalRule {
  /** Users (catalog refs) who may approve, without the requester. */
  approvers: string[]
  requiredApprovals: number
  /** Why these people and this many: shown on the approval card. */
  reason: string
}

/** The users a user or group reference stands for: a group's members, including its subgroups'. */
function usersOf(index: CatalogIndex, ref: string): string[] {
  if (ref.startsWith('user:')) return index.has(ref) ? [ref] : []
  if (!index.has(ref)) return []
  return groupWithSubgroups(index, ref).flatMap((group) => index.targets(group, 'hasMember'))
}

/** Applies the policy to one request: who may approve it and how many distinct approvals it needs. */
export function approvalRule(policy: ApprovalPolicy, index: CatalogIndex, { tool, target, requesterUser }: { tool: string; target?: string; requesterUser?: string }): ApprovalRule {
  const toolRule = policy.tools[tool]
  const owners = target && index.has(target) ? index.targets(target, 'ownedBy') : []
  const ownersApprove = toolRule?.owners ?? policy.owners
  const entity = target ? index.get(target) : undefined
  const critical = entity !== undefined
    && policy.critical.values.includes(String(entity.metadata.annotations?.[policy.critical.annotation] ?? ''))
    && policy.critical.lifecycles.includes(String((entity.spec as Record<string, unknown> | undefined)?.lifecycle ?? ''))
  const requiredApprovals = toolRule?.requiredApprovals ?? (critical ? policy.critical.requiredApprovals : 1)
  const sources = [...(ownersApprove ? owners : []), ...policy.approvers, ...(toolRule?.approvers ?? [])]
  const approvers = [...new Set(sources.flatMap((ref) => usersOf(index, ref.toLowerCase())))].filter((user) => user !== requesterUser).sort()
  const who = [ownersApprove && owners.length > 0 ? `members of ${owners.join(', ')}` : undefined, ...policy.approvers, ...(toolRule?.approvers ?? [])].filter(Boolean).join(', ')
  const reason = `${who || 'nobody'} may approve${requesterUser ? ', never the requester' : ''}; ${requiredApprovals === 1 ? 'one approval' : `${requiredApprovals} distinct approvals`} needed${critical ? ` (${target} is critical: ${policy.critical.annotation}=${String(entity?.metadata.annotations?.[policy.critical.annotation])}, in production)` : ''}`
  return { approvers, requiredApprovals, reason }
}
