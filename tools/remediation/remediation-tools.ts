import { z } from 'zod'
import { InputError } from '../../core/errors.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { dependentsOf } from '../../graph/index/graph-traversals.ts'
import { resolveEntityRef } from '../../graph/index/resolve-entity.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'
import type { SimulatedCluster, SimulatedDeployment } from './simulated-cluster.ts'

const KUBERNETES_ID = 'backstage.io/kubernetes-id'

/**
 * The playbooks this portal can run. Each says what it does, which parameters it takes, the exact steps of its
 * plan, and the check that proves it worked.
 */
const PLAYBOOKS = {
  restart: {
    title: 'Rolling restart',
    description: 'Replaces every pod of the service one by one (a new pod template generation); traffic keeps flowing.',
    verification: 'every pod of the new generation is ready',
  },
  scale: {
    title: 'Scale',
    description: 'Sets the number of replicas of the service.',
    verification: 'the ready pods equal the requested replicas',
  },
} as const

type PlaybookName = keyof typeof PLAYBOOKS
const playbookNames = Object.keys(PLAYBOOKS) as [PlaybookName, ...PlaybookName[]]

const actionInput = z.object({
  playbook: z.enum(playbookNames).describe(`The playbook: ${playbookNames.join(', ')}`),
  entity: z.string().min(1).max(300).describe('The service to act on, e.g. "cart-service" or "component:default/cart-service"'),
  replicas: z.number().int().min(0).max(100).optional().describe('For scale: the number of replicas wanted'),
}).superRefine((value, context) => {
  if (value.playbook === 'scale' && value.replicas === undefined) context.addIssue({ code: 'custom', path: ['replicas'], message: 'scale needs the number of replicas, e.g. 6' })
  if (value.playbook !== 'scale' && value.replicas !== undefined) context.addIssue({ code: 'custom', path: ['replicas'], message: `${value.playbook} takes no replicas` })
})
type ActionInput = z.output<typeof actionInput>

const deploymentSchema = z.object({ name: z.string(), replicas: z.number().int(), generation: z.number().int(), pods: z.array(z.object({ name: z.string(), startedAt: z.string(), ready: z.boolean() })) })

const planSchema = z.object({
  playbook: z.enum(playbookNames),
  entity: z.string(),
  deployment: z.string(),
  executor: z.literal('simulator'),
  steps: z.array(z.string()),
  verification: z.string(),
  blastRadius: z.array(z.object({ ref: z.string(), depth: z.number().int(), owners: z.array(z.string()) })),
})

export function remediationTools({ index, cluster }: { index: CatalogIndex; cluster: SimulatedCluster }): ToolDefinition[] {
  /** The service and the deployment that runs it; only components with a deployment can be acted on. */
  function targetOf(input: ActionInput): { entity: string; deployment: string } {
    const entity = resolveEntityRef(index, input.entity, { defaultKind: 'component' })
    const deployment = index.get(entity)?.metadata.annotations?.[KUBERNETES_ID]
    if (!deployment) throw new InputError(`${entity} has no deployment to act on: it lacks the ${KUBERNETES_ID} annotation`, { issues: [{ path: 'entity', message: `${entity} has no ${KUBERNETES_ID} annotation` }] })
    return { entity, deployment: String(deployment) }
  }

  function plan(input: ActionInput): z.input<typeof planSchema> {
    const { entity, deployment } = targetOf(input)
    const current = cluster.deployment(deployment)
    const steps = input.playbook === 'restart'
      ? [`Patch deployment ${deployment}: set the pod template annotation kubectl.kubernetes.io/restartedAt (generation ${current.generation} → ${current.generation + 1})`, `Replace its ${current.replicas} pods one at a time`]
      : [`Patch deployment ${deployment}: spec.replicas ${current.replicas} → ${input.replicas}`]
    return { playbook: input.playbook, entity, deployment, executor: 'simulator', steps, verification: PLAYBOOKS[input.playbook].verification, blastRadius: dependentsOf(index, entity, 3).map(({ ref, depth, owners }) => ({ ref, depth, owners })) }
  }

  const playbooks = defineTool({
    name: 'remediation_playbooks',
    title: 'Remediation playbooks',
    description: 'Lists the remediation playbooks the portal can run (after approval), with their parameters and how each is verified.',
    input: z.object({}),
    output: z.object({ playbooks: z.array(z.object({ name: z.string(), title: z.string(), description: z.string(), verification: z.string() })) }),
    annotations: READ_ONLY,
    scope: 'remediation:request',
    approval: false,
    examples: ['what remediation playbooks are there?', 'which fixes can you run?', 'what actions can the portal take on a service?'],
    async execute() {
      return { playbooks: playbookNames.map((name) => ({ name, ...PLAYBOOKS[name] })) }
    },
    render: ({ playbooks: list }) => list.map((playbook) => `- ${playbook.name}: ${playbook.description} Verified when ${playbook.verification}.`).join('\n'),
  })

  const dryRun = defineTool({
    name: 'remediation_plan',
    title: 'Plan a remediation (dry run)',
    description: 'Shows exactly what a playbook would do to a service, its blast radius and its verification, without running anything.',
    input: actionInput,
    output: planSchema,
    annotations: READ_ONLY,
    scope: 'remediation:request',
    approval: false,
    examples: ['what would restarting cart-service do?', 'dry run a restart of search-service', 'plan scaling checkout-api to 6 replicas'],
    async execute(input) {
      return plan(input)
    },
    render: (output) => [`Plan: ${output.playbook} ${output.entity} (deployment ${output.deployment}, ${output.executor} executor)`, ...output.steps.map((step) => `- ${step}`), `Verified when ${output.verification}.`, `Blast radius: ${output.blastRadius.length} dependents.`].join('\n'),
  })

  const request = defineTool({
    name: 'remediation_request',
    title: 'Run a remediation playbook (after approval)',
    description: 'Restarts or scales a service. It never runs directly: the call becomes an approval request that the owning team approves in the thread; then it runs once and is verified.',
    input: actionInput,
    output: z.object({ playbook: z.enum(playbookNames), entity: z.string(), deployment: z.string(), executor: z.literal('simulator'), before: deploymentSchema, after: deploymentSchema, verification: z.object({ check: z.string(), passed: z.boolean() }) }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    scope: 'remediation:request',
    approval: true,
    examples: ['restart the cart-service pods', 'restart the cart pods', 'bounce search-service', 'please restart payments-api', 'scale search-service to 6 replicas', 'scale checkout-api up to 8 pods', 'reboot the order-service pods'],
    describeCall(input) {
      const { entity, deployment } = targetOf(input)
      const current = cluster.deployment(deployment)
      const summary = input.playbook === 'restart'
        ? `Rolling restart of ${entity}: replace all ${current.replicas} pods of deployment ${deployment}, one at a time.`
        : `Scale ${entity}: deployment ${deployment} from ${current.replicas} to ${input.replicas} replicas.`
      return { summary, target: entity }
    },
    async execute(input) {
      const { entity, deployment } = targetOf(input)
      const change: { before: SimulatedDeployment; after: SimulatedDeployment } = input.playbook === 'restart' ? cluster.restart(deployment) : cluster.scale(deployment, input.replicas!)
      const ready = change.after.pods.filter((pod) => pod.ready && (input.playbook !== 'restart' || pod.name.includes(`-g${change.after.generation}-`))).length
      const passed = ready === change.after.replicas
      return { playbook: input.playbook, entity, deployment, executor: 'simulator' as const, ...change, verification: { check: PLAYBOOKS[input.playbook].verification, passed } }
    },
    render: (output) => `${output.playbook === 'restart' ? 'Restarted' : 'Scaled'} ${output.entity} (deployment ${output.deployment}): ${output.after.pods.length} pods now, generation ${output.after.generation}. Verification (${output.verification.check}): ${output.verification.passed ? 'passed' : 'FAILED'}.`,
  })

  return [playbooks, dryRun, request]
}
