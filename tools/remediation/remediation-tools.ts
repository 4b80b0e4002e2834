import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import type { Approvals } from '../../core/approvals/approvals.ts'
import { InputError } from '../../core/errors.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { dependentsOf } from '../../graph/index/graph-traversals.ts'
import { resolveEntityRef } from '../../graph/index/resolve-entity.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'
import { describeExternalAction, runExternalAction, verifyExternalAction, type ExternalActionOptions, type TemplateContext } from './external-actions.ts'
import { checkGuards } from './remediation-guards.ts'
import type { PlaybookConfig, RemediationConfig } from './remediation-config.ts'
import type { ExecutorCall, Workload, WorkloadExecutor } from './workload-executor.ts'

const KUBERNETES_ID = 'backstage.io/kubernetes-id'
const KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace'
export const REMEDIATION_TOOLS = ['remediation_request', 'remediation_undo']

/** The playbooks that act on workloads through the executor; operators add webhook and workflow ones. */
const WORKLOAD_PLAYBOOKS = {
  restart: { title: 'Rolling restart', description: 'Replaces every pod of the service one by one (a new pod template generation); traffic keeps flowing.', verification: 'every pod of the new generation is ready', undo: 'none (a restart changes no configuration)' },
  scale: { title: 'Scale', description: 'Sets the number of replicas of the service.', verification: 'the ready pods equal the requested replicas', undo: 'scale back to the replicas before' },
  rollback: { title: 'Roll back', description: "Puts the previous revision's pod template back (the last deployment undone).", verification: 'every pod of the restored revision is ready', undo: 'roll back again, to the revision before the rollback' },
} as const
type WorkloadPlaybook = keyof typeof WORKLOAD_PLAYBOOKS

const paramValue = z.union([z.string().max(500), z.number(), z.boolean()])
const callSchema = z.object({
  ok: z.boolean().optional(),
  method: z.string(),
  path: z.string(),
  summary: z.string(),
})
const undoSchema = z.object({ playbook: z.string(), entity: z.string(), replicas: z.number().int().optional(), params: z.record(z.string(), paramValue).optional() })
const runOutput = z.object({
  playbook: z.string(),
  entity: z.string(),
  executor: z.string(),
  calls: z.array(callSchema),
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional(),
  verification: z.object({ check: z.string(), passed: z.boolean().nullable() }),
  undo: undoSchema.optional(),
})
type RunOutput = z.input<typeof runOutput>

export interface RemediationOptions {
  index: CatalogIndex
  approvals: Approvals
  workloads: WorkloadExecutor
  config: RemediationConfig
  external: ExternalActionOptions
  now?: () => Date
}

/**
 * Remediation playbooks as tools: list them, plan one (a dry run: the exact calls, the blast radius, the
 * verification and the undo), request one (approval first — the call becomes an approval request, and only
 * the approved run acts), follow their status, and undo a run (itself approved). Every run passes the guards
 * (change freezes, runs per hour, a circuit breaker after failed verifications) at the moment it would act.
 */
export function remediationTools({ index, approvals, workloads, config, external, now = () => new Date() }: RemediationOptions): ToolDefinition[] {
  const custom = new Map(config.playbooks.map((playbook) => [playbook.name, playbook]))
  const names = [...Object.keys(WORKLOAD_PLAYBOOKS), ...custom.keys()] as [string, ...string[]]

  const actionInput = z.object({
    playbook: z.enum(names).describe(`The playbook: ${names.join(', ')}`),
    entity: z.string().min(1).max(300).describe('The service to act on, e.g. "cart-service" or "component:default/cart-service"'),
    replicas: z.number().int().min(0).max(100).optional().describe('For scale: the number of replicas wanted'),
    params: z.object({}).catchall(paramValue).optional().describe("The playbook's own parameters, for operator playbooks"),
  }).superRefine((value, context) => {
    if (value.playbook === 'scale' && value.replicas === undefined) context.addIssue({ code: 'custom', path: ['replicas'], message: 'scale needs the number of replicas, e.g. 6' })
    if (value.playbook !== 'scale' && value.replicas !== undefined) context.addIssue({ code: 'custom', path: ['replicas'], message: `${value.playbook} takes no replicas` })
    const playbook = custom.get(value.playbook)
    for (const [key, declared] of Object.entries(playbook?.params ?? {})) {
      const given = value.params?.[key]
      if (given === undefined && declared.required) context.addIssue({ code: 'custom', path: ['params', key], message: `${value.playbook} needs ${key}` })
      if (given !== undefined && typeof given !== declared.type) context.addIssue({ code: 'custom', path: ['params', key], message: `must be a ${declared.type}` })
    }
    for (const key of Object.keys(value.params ?? {})) if (!playbook?.params[key]) context.addIssue({ code: 'custom', path: ['params', key], message: `${value.playbook} takes no parameter ${key}` })
  })
  type ActionInput = z.output<typeof actionInput>

  function entityOf(input: { entity: string }): string {
    return resolveEntityRef(index, input.entity, { defaultKind: 'component' })
  }

  function workloadOf(entity: string): Workload {
    const annotations = index.get(entity)?.metadata.annotations ?? {}
    const deployment = annotations[KUBERNETES_ID]
    if (!deployment) throw new InputError(`${entity} has no deployment to act on: it lacks the ${KUBERNETES_ID} annotation`, { issues: [{ path: 'entity', message: `${entity} has no ${KUBERNETES_ID} annotation` }] })
    return { entity, deployment: String(deployment), namespace: String(annotations[KUBERNETES_NAMESPACE] ?? 'default') }
  }

  function contextOf(entity: string, input: ActionInput): TemplateContext {
    const [, rest] = entity.split(':') as [string, string]
    const [namespace, name] = rest.split('/') as [string, string]
    return { entity: { ref: entity, name, namespace }, params: input.params ?? {} }
  }

  async function plan(input: ActionInput) {
    const entity = entityOf(input)
    const blastRadius = dependentsOf(index, entity, 3).map(({ ref, depth, owners }) => ({ ref, depth, owners }))
    const guard = await checkGuards({ approvals, config, entity, playbook: input.playbook, now: now() })
    const playbook = custom.get(input.playbook)
    if (playbook) {
      return { playbook: input.playbook, entity, executor: playbook.action.type, steps: [describeExternalAction(playbook, contextOf(entity, input), external)].map((call) => `${call.method} ${call.path} ${call.summary}`), verification: playbook.verification ? `${playbook.verification.url} answers ${playbook.verification.expectStatus}` : 'none configured', undo: playbook.undo ? `${playbook.undo.playbook}` : 'none', blastRadius, allowedNow: guard.allowed, guard: guard.reason }
    }
    const workload = workloadOf(entity)
    const state = await workloads.state(workload)
    const kind = input.playbook as WorkloadPlaybook
    const steps = {
      restart: [`Patch deployment ${workload.namespace}/${workload.deployment}: pod template annotation kubectl.kubernetes.io/restartedAt`, `Replace its ${state.replicas} pods one at a time`],
      scale: [`Patch deployment ${workload.namespace}/${workload.deployment}/scale: replicas ${state.replicas} → ${input.replicas}`],
      rollback: [`Read the ReplicaSets of ${workload.namespace}/${workload.deployment} (now revision ${state.revision})`, "Put the previous revision's pod template back"],
    }[kind]
    return { playbook: input.playbook, entity, executor: workloads.name, steps, verification: WORKLOAD_PLAYBOOKS[kind].verification, undo: WORKLOAD_PLAYBOOKS[kind].undo, blastRadius, allowedNow: guard.allowed, guard: guard.reason }
  }

  /** Waits, within the configured time, for the workload to be wholly on its new template and ready. */
  async function verifyWorkload(workload: Workload, replicas: number): Promise<boolean> {
    const deadline = Date.now() + config.limits.verifyTimeoutSeconds * 1000
    for (;;) {
      const state = await workloads.state(workload)
      // Where the executor can tell what is still wrong (the simulator), the service must also have recovered.
      if (state.readyReplicas === replicas && state.updatedReplicas === replicas && (state.symptoms?.length ?? 0) === 0) return true
      if (Date.now() >= deadline) return false
      await sleep(2000)
    }
  }

  async function run(input: ActionInput): Promise<RunOutput> {
    const entity = entityOf(input)
    // Checked when it would act, not when asked: an approval can land inside a freeze.
    const guard = await checkGuards({ approvals, config, entity, playbook: input.playbook, now: now() })
    if (!guard.allowed) throw new InputError(`Not run: ${guard.reason}`)
    const playbook = custom.get(input.playbook)
    if (playbook) return runCustom(playbook, entity, input)
    const workload = workloadOf(entity)
    const before = await workloads.state(workload)
    let calls: ExecutorCall[]
    let undo: RunOutput['undo']
    if (input.playbook === 'restart') calls = await workloads.restart(workload, now())
    else if (input.playbook === 'scale') {
      calls = await workloads.scale(workload, input.replicas!)
      undo = { playbook: 'scale', entity, replicas: before.replicas }
    } else {
      const rolledBack = await workloads.rollback(workload)
      calls = rolledBack.calls
      undo = { playbook: 'rollback', entity }
    }
    const passed = await verifyWorkload(workload, input.playbook === 'scale' ? input.replicas! : before.replicas)
    const after = await workloads.state(workload)
    return { playbook: input.playbook, entity, executor: workloads.name, calls, before: { ...before }, after: { ...after }, verification: { check: `${WORKLOAD_PLAYBOOKS[input.playbook as WorkloadPlaybook].verification}${after.symptoms ? ', and the service recovered' : ''}`, passed }, ...(undo ? { undo } : {}) }
  }

  async function runCustom(playbook: PlaybookConfig, entity: string, input: ActionInput): Promise<RunOutput> {
    const context = contextOf(entity, input)
    const calls = await runExternalAction(playbook, context, external)
    const passed = await verifyExternalAction(playbook, context, external)
    const undo = playbook.undo ? { playbook: playbook.undo.playbook, entity, params: playbook.undo.params } : undefined
    return { playbook: playbook.name, entity, executor: playbook.action.type, calls, verification: { check: playbook.verification ? `${playbook.verification.url} answers ${playbook.verification.expectStatus}` : 'none configured', passed }, ...(undo ? { undo } : {}) }
  }

  function summaryOf(input: ActionInput, entity: string): string {
    if (input.playbook === 'restart') return `Rolling restart of ${entity}: replace all its pods, one at a time.`
    if (input.playbook === 'scale') return `Scale ${entity} to ${input.replicas} replicas.`
    if (input.playbook === 'rollback') return `Roll back ${entity} to its previous revision.`
    const playbook = custom.get(input.playbook)!
    return `${playbook.title} on ${entity}${input.params ? ` with ${JSON.stringify(input.params)}` : ''}: ${playbook.description}`
  }

  const playbooks = defineTool({
    name: 'remediation_playbooks',
    title: 'Remediation playbooks',
    description: 'Lists the remediation playbooks the portal can run (after approval), with their parameters, verification and undo.',
    input: z.object({}),
    output: z.object({ playbooks: z.array(z.object({ name: z.string(), title: z.string(), description: z.string(), executor: z.string(), verification: z.string(), undo: z.string() })) }),
    annotations: READ_ONLY,
    scope: 'remediation:request',
    approval: false,
    examples: ['what remediation playbooks are there?', 'which fixes can you run?', 'what actions can the portal take on a service?', 'list the playbooks you can run', 'what fixes are on offer', 'what can the portal do to repair a service', "what automated fixes are available", "which remediation actions are available", "which ops actions can I trigger from here", "list your runnable playbooks", "which remediations are you able to run"],
    async execute() {
      return {
        playbooks: [
          ...Object.entries(WORKLOAD_PLAYBOOKS).map(([name, playbook]) => ({ name, ...playbook, executor: workloads.name })),
          ...[...custom.values()].map((playbook) => ({ name: playbook.name, title: playbook.title, description: playbook.description, executor: playbook.action.type, verification: playbook.verification ? `${playbook.verification.url} answers ${playbook.verification.expectStatus}` : 'none configured', undo: playbook.undo?.playbook ?? 'none' })),
        ],
      }
    },
    render: ({ playbooks: list }) => list.map((playbook) => `- ${playbook.name} (${playbook.executor}): ${playbook.description} Verified when ${playbook.verification}. Undo: ${playbook.undo}.`).join('\n'),
  })

  const dryRun = defineTool({
    name: 'remediation_plan',
    title: 'Plan a remediation (dry run)',
    description: 'Shows exactly what a playbook would do to a service (the calls), its blast radius, its verification and undo, and whether freezes and limits allow it now, without running anything.',
    input: actionInput,
    output: z.object({ playbook: z.string(), entity: z.string(), executor: z.string(), steps: z.array(z.string()), verification: z.string(), undo: z.string(), blastRadius: z.array(z.object({ ref: z.string(), depth: z.number().int(), owners: z.array(z.string()) })), allowedNow: z.boolean(), guard: z.string() }),
    annotations: READ_ONLY,
    scope: 'remediation:request',
    approval: false,
    examples: ['what would restarting cart-service do?', 'dry run a restart of search-service', 'plan scaling checkout-api to 6 replicas', 'what would a rollback of order-service do?', "preview what a restart of cart-service would change", "show me the plan for scaling order-service to 4, without running it", "what would rolling back pricing-service change", "simulate a rollback of search-service", "is a restart of checkout-api allowed now", "is there a freeze that blocks a restart of inventory-service", "what would scaling checkout-api to 5 do, don't run it"],
    execute: plan,
    render: (output) => [`Plan: ${output.playbook} ${output.entity} (${output.executor})`, ...output.steps.map((step) => `- ${step}`), `Verified when ${output.verification}. Undo: ${output.undo}.`, `Blast radius: ${output.blastRadius.length} dependents.`, output.allowedNow ? 'Allowed now.' : `Not allowed now: ${output.guard}`].join('\n'),
  })

  const request = defineTool({
    name: 'remediation_request',
    title: 'Run a remediation playbook (after approval)',
    description: 'Restarts, scales or rolls back a service, or runs an operator playbook. It never runs directly: the call becomes an approval request that the owning team approves in the thread; then it runs once, within freezes and limits, and is verified.',
    input: actionInput,
    output: runOutput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    scope: 'remediation:request',
    approval: true,
    examples: ['restart the cart-service pods', 'restart the cart pods', 'bounce search-service', 'please restart payments-api', 'scale search-service to 6 replicas', 'scale checkout-api up to 8 pods', 'reboot the order-service pods', 'roll back checkout-api', 'rollback the last deploy of pricing-service', 'roll back the last deployment of order-service', 'roll back inventory-service to the previous version', 'undo the last deploy of cart-service', "do a rolling restart of pricing-service", "cycle the pods of search-service", "scale down order-service to 2 replicas", "we need cart-service restarted", "bump checkout-api to 6 instances", "add more pods to search-service, make it 5", "kick the pods on cart-service", "give pricing-service a restart", "revert order-service to the previous release", "bounce the payments-api", "spin up more replicas of inventory-service, 4 in total", "we need more capacity on pricing-service, scale it to 6"],
    async describeCall(input) {
      const entity = entityOf(input)
      if (!custom.has(input.playbook)) workloadOf(entity)
      return { summary: summaryOf(input, entity), target: entity }
    },
    execute: run,
    render: (output) => `${output.playbook} of ${output.entity} (${output.executor}): ${output.calls.map((call) => `${call.method} ${call.path}`).join('; ')}. Verification (${output.verification.check}): ${output.verification.passed === null ? 'none configured' : output.verification.passed ? 'passed' : 'FAILED'}.${output.undo ? ` Undo: ${output.undo.playbook}.` : ''}`,
  })

  const statusOutput = z.object({ runs: z.array(z.object({ requestId: z.string(), tool: z.string(), status: z.string(), summary: z.string(), target: z.string().optional(), createdAt: z.string(), approvals: z.number().int(), requiredApprovals: z.number().int(), verified: z.boolean().nullable(), error: z.string().optional(), undoable: z.boolean() })) })
  const status = defineTool({
    name: 'remediation_status',
    title: 'Status of remediations',
    description: 'The remediation requests and runs, newest first: waiting for approval, running, verified or failed; one request, or those of a service.',
    input: z.object({ requestId: z.string().min(1).max(100).optional(), entity: z.string().min(1).max(300).optional(), limit: z.number().int().min(1).max(50).default(10) }),
    output: statusOutput,
    annotations: READ_ONLY,
    scope: 'remediation:request',
    approval: false,
    examples: ['is the restart of cart-service done?', 'status of my remediation request', 'did the rollback of checkout-api work?', 'which remediations are waiting for approval?', "has the restart of order-service finished yet?", "is the scaling of checkout-api in progress", "any news on my rollback request", "did my restart request go through", "are any remediations running right now", "show failed remediation runs", "remediation requests for pricing-service", "where is my scale request at", "has the rollback of cart-service been approved yet", "status of request apr_0123456789abcdef0123", "anything waiting on approval", "has the scale-up of checkout-api been verified", "which remediations failed", "did the rollback on order-service go through"],
    async execute({ requestId, entity, limit }) {
      const requests = requestId ? [await approvals.get(requestId)] : await approvals.list({ tools: REMEDIATION_TOOLS, target: entity ? entityOf({ entity }) : undefined, limit })
      return {
        runs: requests.map((item) => {
          const result = item.result as Partial<RunOutput> | undefined
          return { requestId: item.id, tool: item.tool, status: item.status, summary: item.summary, ...(item.target ? { target: item.target } : {}), createdAt: item.createdAt, approvals: item.decisions.filter((decision) => decision.decision === 'approve').length, requiredApprovals: item.requiredApprovals, verified: result?.verification?.passed ?? null, ...(item.error ? { error: item.error } : {}), undoable: item.status === 'succeeded' && Boolean(result?.undo) }
        }),
      }
    },
    render: ({ runs }) => (runs.length === 0 ? 'No remediation requests.' : runs.map((run) => `- ${run.requestId} ${run.status}: ${run.summary} (${run.approvals}/${run.requiredApprovals} approvals${run.verified === null ? '' : `, verification ${run.verified ? 'passed' : 'failed'}`})`).join('\n')),
  })

  async function undoOf(requestId: string): Promise<ActionInput> {
    const original = await approvals.get(requestId)
    if (original.tool !== 'remediation_request') throw new InputError(`${requestId} is not a remediation run`)
    if (original.status !== 'succeeded') throw new InputError(`${requestId} is ${original.status}; only a run that succeeded can be undone`)
    const undo = (original.result as Partial<RunOutput>).undo
    if (!undo) throw new InputError(`${requestId} (${(original.result as Partial<RunOutput>).playbook}) has no undo`)
    return actionInput.parse(undo)
  }

  const undo = defineTool({
    name: 'remediation_undo',
    title: 'Undo a remediation (after approval)',
    description: 'Undoes a remediation run that succeeded (scale back, roll back a rollback, an operator playbook\'s undo). It needs its own approval.',
    input: z.object({ requestId: z.string().min(1).max(100).describe('The approval request of the run to undo') }),
    output: runOutput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    scope: 'remediation:request',
    approval: true,
    examples: ['undo the scaling of search-service', 'revert that remediation', 'undo remediation apr_123', "reverse remediation apr_0123456789abcdef0123", "that run apr_0123456789abcdef0123 made things worse, undo it", "roll back the remediation apr_0123456789abcdef0123", "revert request apr_0123456789abcdef0123"],
    async describeCall({ requestId }) {
      const action = await undoOf(requestId)
      const entity = entityOf(action)
      return { summary: `Undo ${requestId}: ${summaryOf(action, entity)}`, target: entity }
    },
    async execute({ requestId }) {
      return run(await undoOf(requestId))
    },
    render: (output) => `Undone with ${output.playbook} of ${output.entity}. Verification: ${output.verification.passed === null ? 'none configured' : output.verification.passed ? 'passed' : 'FAILED'}.`,
  })

  return [playbooks, dryRun, request, status, undo]
}
