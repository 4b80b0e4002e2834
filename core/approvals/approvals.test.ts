import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import { resolveEntityRef } from '../../graph/index/resolve-entity.ts'
import { defineTool } from '../../tools/define-tool.ts'
import { ToolRegistry } from '../../tools/tool-registry.ts'
import type { Identity } from '../identity.ts'
import { memoryCatalog } from '../testing/memory-catalog.ts'
import { openTestStore, testEngines, type TestStore } from '../testing/test-store.ts'
import { PostgresStore } from '../store/postgres-store.ts'
import { approvalPolicySchema, DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from './approval-policy.ts'
import { MemoryApprovalRepository, SqlApprovalRepository, type ApprovalRepository } from './approval-repository.ts'
import { Approvals } from './approvals.ts'

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-cart }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: sre }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: storefront }
spec: { type: team, children: [] }
${['alice', 'bob', 'carol'].map((name) => `---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: { name: ${name} }\nspec: { memberOf: [team-cart] }\n`).join('')}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: dave }
spec: { memberOf: [sre] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: eve }
spec: { memberOf: [storefront] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: cart-service, annotations: { next-portal.io/tier: '1' } }
spec: { type: service, lifecycle: production, owner: team-cart }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: wishlist }
spec: { type: service, lifecycle: production, owner: team-cart }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: orphan }
spec: { type: service, lifecycle: production, owner: storefront-legacy }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: web }
spec: { type: website, lifecycle: production, owner: storefront, dependsOn: [component:cart-service] }
`

const person = (name: string): Identity => ({ subject: `web:${name}`, userRef: `user:default/${name}`, scopes: new Set(['remediation:request', 'audit:read']) })

let catalog: Catalog
beforeAll(async () => {
  catalog = await memoryCatalog(ORG)
})

/** A registry with one tool that needs approval and counts how often it really ran. */
function restartRegistry(): { tools: ToolRegistry; runs: string[] } {
  const runs: string[] = []
  const tools = new ToolRegistry().register(
    defineTool({
      name: 'test_restart',
      title: 'Restart',
      description: 'Restarts a service.',
      input: z.object({ entity: z.string() }),
      output: z.object({ restarted: z.string() }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      scope: 'remediation:request',
      approval: true,
      describeCall: ({ entity }) => ({ summary: `Restart ${entity}`, target: resolveEntityRef(catalog.index, entity, { defaultKind: 'component' }) }),
      async execute({ entity }) {
        // Long enough for racing decisions to overlap the run.
        await sleep(20)
        runs.push(entity)
        return { restarted: entity }
      },
    }) as never,
  )
  return { tools, runs }
}

type Backend = 'memory' | (typeof testEngines)[number]

describe.each<Backend>(['memory', ...testEngines])('approvals on %s', (backend) => {
  let test: TestStore | undefined
  let repository: ApprovalRepository
  let clock = new Date('2026-11-26T10:00:00Z')

  beforeAll(async () => {
    if (backend === 'memory') repository = new MemoryApprovalRepository()
    else {
      test = await openTestStore(backend)
      repository = new SqlApprovalRepository(test.store)
    }
  })
  afterAll(async () => {
    await test?.close()
  })

  function service(policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY) {
    const { tools, runs } = restartRegistry()
    return { approvals: new Approvals({ repository, index: catalog.index, tools, policy, now: () => clock }), runs }
  }

  it('stores a request with what will run, its blast radius and who may approve; the owner approves and it runs once', async () => {
    const { approvals, runs } = service()
    const request = await approvals.request('test_restart', { entity: 'wishlist' }, person('alice'), { surface: 'web', threadId: 'web:t1' })
    expect(request).toMatchObject({ tool: 'test_restart', input: { entity: 'wishlist' }, requester: 'web:alice', requesterUser: 'user:default/alice', surface: 'web', threadId: 'web:t1', summary: 'Restart wishlist', target: 'component:default/wishlist', status: 'pending', requiredApprovals: 1 })
    // Owners approve, never the requester.
    expect(request.approvers).toEqual(['user:default/bob', 'user:default/carol'])
    expect(runs).toEqual([])
    const decided = await approvals.decide({ id: request.id, identity: person('bob'), decision: 'approve', reason: 'looks right', surface: 'web' })
    expect(decided.status).toBe('succeeded')
    expect(decided.result).toEqual({ restarted: 'wishlist' })
    expect(decided.decisions).toMatchObject([{ approver: 'user:default/bob', decision: 'approve', reason: 'looks right', surface: 'web' }])
    expect(runs).toEqual(['wishlist'])
    expect((await approvals.audit({ requestId: request.id })).map((entry) => entry.action)).toEqual(['requested', 'approved', 'run-started', 'succeeded'])
    expect(await approvals.list({ threadId: 'web:t1' })).toMatchObject([{ id: request.id, status: 'succeeded' }])
  })

  it('names the blast radius from the graph', async () => {
    const { approvals } = service()
    const request = await approvals.request('test_restart', { entity: 'cart-service' }, person('eve'), { surface: 'web' })
    expect(request.blastRadius).toEqual([{ ref: 'component:default/web', depth: 1, owners: ['group:default/storefront'] }])
  })

  it('refuses the requester approving their own request, and an outsider', async () => {
    const { approvals, runs } = service()
    const request = await approvals.request('test_restart', { entity: 'wishlist' }, person('alice'), { surface: 'web' })
    await expect(approvals.decide({ id: request.id, identity: person('alice'), decision: 'approve', surface: 'web' })).rejects.toThrow(/asked for this and cannot approve/)
    await expect(approvals.decide({ id: request.id, identity: person('eve'), decision: 'approve', surface: 'slack' })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/user:default\/eve may not decide/) })
    await expect(approvals.decide({ id: request.id, identity: { subject: 'token:ci', scopes: new Set() }, decision: 'approve', surface: 'mcp' })).rejects.toThrow(/Only a person in the catalog/)
    expect(runs).toEqual([])
    expect((await approvals.get(request.id)).status).toBe('pending')
    const refused = (await approvals.audit({ requestId: request.id })).filter((entry) => entry.action === 'decision-refused')
    expect(refused.map((entry) => entry.actor)).toEqual(['user:default/alice', 'user:default/eve', 'token:ci'])
  })

  it('refuses a decision on an expired request and marks it expired', async () => {
    const { approvals, runs } = service()
    const request = await approvals.request('test_restart', { entity: 'wishlist' }, person('alice'), { surface: 'web' })
    const saved = clock
    clock = new Date(clock.getTime() + 61 * 60_000)
    try {
      expect((await approvals.get(request.id)).status).toBe('expired')
      const decided = await approvals.decide({ id: request.id, identity: person('bob'), decision: 'approve', surface: 'web' })
      expect(decided.status).toBe('expired')
      await expect(approvals.decide({ id: request.id, identity: person('carol'), decision: 'approve', surface: 'web' })).rejects.toThrow(/already expired/)
    } finally {
      clock = saved
    }
    expect(runs).toEqual([])
  })

  it('needs two distinct approvers for a tier-1 production entity', async () => {
    const { approvals, runs } = service()
    const request = await approvals.request('test_restart', { entity: 'cart-service' }, person('alice'), { surface: 'web' })
    expect(request.requiredApprovals).toBe(2)
    expect(request.policyReason).toMatch(/critical/)
    const first = await approvals.decide({ id: request.id, identity: person('bob'), decision: 'approve', surface: 'web' })
    expect(first.status).toBe('pending')
    await expect(approvals.decide({ id: request.id, identity: person('bob'), decision: 'approve', surface: 'slack' })).rejects.toThrow(/already decided/)
    expect(runs).toEqual([])
    const second = await approvals.decide({ id: request.id, identity: person('carol'), decision: 'approve', surface: 'teams' })
    expect(second.status).toBe('succeeded')
    expect(runs).toEqual(['cart-service'])
  })

  it('stops at a denial, with its reason', async () => {
    const { approvals, runs } = service()
    const request = await approvals.request('test_restart', { entity: 'wishlist' }, person('alice'), { surface: 'web' })
    const denied = await approvals.decide({ id: request.id, identity: person('carol'), decision: 'deny', reason: 'during the sale', surface: 'web' })
    expect(denied.status).toBe('denied')
    await expect(approvals.decide({ id: request.id, identity: person('bob'), decision: 'approve', surface: 'web' })).rejects.toThrow(/already denied/)
    expect(runs).toEqual([])
  })

  it('applies an operator policy: extra approvers, and no request when nobody may approve', async () => {
    const { approvals } = service(approvalPolicySchema.parse({ approvers: ['group:default/sre'], tools: { test_restart: { requiredApprovals: 1 } } }))
    const request = await approvals.request('test_restart', { entity: 'cart-service' }, person('alice'), { surface: 'web' })
    expect(request.requiredApprovals).toBe(1)
    expect(request.approvers).toEqual(['user:default/bob', 'user:default/carol', 'user:default/dave'])
    expect((await approvals.decide({ id: request.id, identity: person('dave'), decision: 'approve', surface: 'web' })).status).toBe('succeeded')
    const strict = service()
    await expect(strict.approvals.request('test_restart', { entity: 'orphan' }, person('alice'), { surface: 'web' })).rejects.toThrow(/nobody may approve test_restart on component:default\/orphan/)
    await expect(strict.approvals.request('test_restart', { entity: 'no-such-service' }, person('alice'), { surface: 'web' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('runs an approved call exactly once when 50 approvals of one request race', async () => {
    const { approvals, runs } = service()
    const request = await approvals.request('test_restart', { entity: 'wishlist' }, person('alice'), { surface: 'web' })
    const surfaces = ['web', 'slack', 'teams']
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, attempt) => approvals.decide({ id: request.id, identity: person(attempt % 2 ? 'bob' : 'carol'), decision: 'approve', surface: surfaces[attempt % 3]! })))
    expect(runs).toEqual(['wishlist'])
    const fulfilled = results.filter((result) => result.status === 'fulfilled')
    expect(fulfilled).toHaveLength(1)
    for (const result of results) if (result.status === 'rejected') expect((result.reason as Error).message).toMatch(/already (running|succeeded)|already decided/)
    const audit = await approvals.audit({ requestId: request.id })
    expect(audit.filter((entry) => entry.action === 'run-started')).toHaveLength(1)
    expect(audit.filter((entry) => entry.action === 'succeeded')).toHaveLength(1)
  })

  if (backend !== 'memory') {
    it('keeps the audit log append-only: the store refuses updates and deletes', async () => {
      await expect(test!.store.query("update audit_log set actor = 'someone-else'")).rejects.toThrow(/append-only/)
      await expect(test!.store.query('delete from audit_log')).rejects.toThrow(/append-only/)
      expect((await repository.readAudit({ limit: 1 })).length).toBe(1)
    })
  }

  if (backend === 'postgres') {
    it('runs exactly once when two replicas take the same approval', async () => {
      const replicas = [repository, new SqlApprovalRepository(new PostgresStore({ connectionString: test!.databaseUrl! }))]
      const registry = restartRegistry()
      const services = replicas.map((replica) => new Approvals({ repository: replica, index: catalog.index, tools: registry.tools, policy: DEFAULT_APPROVAL_POLICY, now: () => clock }))
      const request = await services[0]!.request('test_restart', { entity: 'wishlist' }, person('alice'), { surface: 'web' })
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, attempt) => services[attempt % 2]!.decide({ id: request.id, identity: person(attempt % 4 < 2 ? 'bob' : 'carol'), decision: 'approve', surface: 'web' })))
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
      expect(registry.runs).toEqual(['wishlist'])
    })
  }
})
