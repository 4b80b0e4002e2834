import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../core/config.ts'
import type { Identity } from '../../core/identity.ts'
import { createPlatform, type Platform } from '../../platform/create-platform.ts'
import { DEFAULT_APPROVAL_POLICY } from '../../core/approvals/approval-policy.ts'
import { MemoryApprovalRepository } from '../../core/approvals/approval-repository.ts'
import { Approvals } from '../../core/approvals/approvals.ts'
import { memoryCatalog, SMALL_ORG } from '../../core/testing/memory-catalog.ts'
import { ToolRegistry } from '../tool-registry.ts'
import { remediationConfigSchema } from './remediation-config.ts'
import { remediationTools } from './remediation-tools.ts'
import { SimulatedCluster } from './simulated-cluster.ts'
import type { Workload } from './workload-executor.ts'

type Json = any

const requester: Identity = { subject: 'web:someone', scopes: new Set(['remediation:request', 'audit:read']) }
const ada: Identity = { subject: 'web:ada', userRef: 'user:default/ada', scopes: new Set(['remediation:request']) }

interface Received {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body?: Json
}

let directory: string
let server: Server
let received: Received[] = []
let baseUrl: string

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-remediation-'))
  // One loopback server plays the operator's ops webhook, its health check and GitHub's REST API.
  server = createServer(async (request, response) => {
    let text = ''
    for await (const chunk of request) text += chunk
    received.push({ method: request.method!, url: request.url!, headers: request.headers, body: text ? JSON.parse(text) : undefined })
    if (request.url === '/health/checkout') return response.writeHead(200).end('ok')
    if (request.url?.startsWith('/repos/')) return response.writeHead(request.headers.authorization === 'Bearer gh-token' ? 204 : 401).end()
    if (request.url === '/cache/flush') return response.writeHead(request.headers.authorization === 'Bearer ops-secret' ? 202 : 403, { 'content-type': 'application/json' }).end('{"flushed":true}')
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await rm(directory, { recursive: true, force: true })
})

async function platformWith(config: Record<string, unknown>, environment: Record<string, string> = {}): Promise<Platform> {
  const file = path.join(directory, `remediation-${Math.random().toString(36).slice(2)}.json`)
  await writeFile(file, JSON.stringify(config))
  const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_REMEDIATION_CONFIG: file, GITHUB_API_URL: baseUrl, ...environment }), catalogPaths: [] })
  const report = await platform.catalog.import([{ name: 'org.yaml', text: SMALL_ORG }])
  if (report.errors.length) throw new Error(JSON.stringify(report.errors))
  return platform
}

/** Requests a remediation as a caller would (the approval path), and has ada (an owner) approve it. */
async function requestAndApprove(platform: Platform, tool: string, input: unknown) {
  const request = await platform.approvals.request(tool, input, requester, { surface: 'web', threadId: 'web:t' })
  return platform.approvals.decide({ id: request.id, identity: ada, decision: 'approve', surface: 'web' })
}

describe('remediation playbooks', () => {
  it('scales after approval, verifies, reports the status and undoes it (itself approved)', async () => {
    const platform = await platformWith({})
    try {
      const plan: Json = (await platform.tools.call('remediation_plan', { playbook: 'scale', entity: 'checkout', replicas: 5 }, { identity: requester })).output
      expect(plan).toMatchObject({ executor: 'simulator', steps: ['Patch deployment default/checkout/scale: replicas 3 → 5'], allowedNow: true, undo: 'scale back to the replicas before' })
      const done = await requestAndApprove(platform, 'remediation_request', { playbook: 'scale', entity: 'checkout', replicas: 5 })
      expect(done.status).toBe('succeeded')
      expect(done.result).toMatchObject({ playbook: 'scale', entity: 'component:default/checkout', before: { replicas: 3 }, after: { replicas: 5, readyReplicas: 5 }, verification: { passed: true }, undo: { playbook: 'scale', replicas: 3 } })
      const status: Json = (await platform.tools.call('remediation_status', { entity: 'checkout' }, { identity: requester })).output
      expect(status.runs[0]).toMatchObject({ requestId: done.id, status: 'succeeded', verified: true, undoable: true, approvals: 1 })
      const undone = await requestAndApprove(platform, 'remediation_undo', { requestId: done.id })
      expect(undone.summary).toBe(`Undo ${done.id}: Scale component:default/checkout to 3 replicas.`)
      expect(undone.result).toMatchObject({ playbook: 'scale', after: { replicas: 3 }, verification: { passed: true } })
      // The audit log has the plan's calls and the outcome of each run.
      const audit = await platform.approvals.audit({ requestId: done.id })
      expect(audit.find((entry) => entry.action === 'succeeded')!.detail).toMatchObject({ result: { calls: [{ method: 'PATCH', path: 'simulator/deployments/checkout/scale' }] } })
    } finally {
      await platform.close()
    }
  })

  it('rolls back to the previous revision, and undo rolls forward again', async () => {
    const platform = await platformWith({})
    try {
      const done = await requestAndApprove(platform, 'remediation_request', { playbook: 'rollback', entity: 'checkout' })
      expect(done.result).toMatchObject({ before: { image: 'checkout:1.1.0' }, after: { image: 'checkout:1.0.0' }, verification: { passed: true } })
      const undone = await requestAndApprove(platform, 'remediation_undo', { requestId: done.id })
      expect(undone.result).toMatchObject({ after: { image: 'checkout:1.1.0' } })
      await expect(platform.approvals.request('remediation_undo', { requestId: (await requestAndApprove(platform, 'remediation_request', { playbook: 'restart', entity: 'checkout' })).id }, requester, { surface: 'web' })).rejects.toThrow(/has no undo/)
    } finally {
      await platform.close()
    }
  })

  it('refuses to act inside a change freeze, even when approved', async () => {
    const platform = await platformWith({ freezes: [{ from: '2000-01-01T00:00:00Z', to: '2999-01-01T00:00:00Z', reason: 'peak season', entities: ['component:default/checkout'] }] })
    try {
      const plan: Json = (await platform.tools.call('remediation_plan', { playbook: 'restart', entity: 'checkout' }, { identity: requester })).output
      expect(plan).toMatchObject({ allowedNow: false, guard: 'change freeze until 2999-01-01T00:00:00Z: peak season' })
      const done = await requestAndApprove(platform, 'remediation_request', { playbook: 'restart', entity: 'checkout' })
      expect(done.status).toBe('failed')
      expect(done.error).toMatch(/Not run: change freeze until 2999-01-01T00:00:00Z: peak season/)
    } finally {
      await platform.close()
    }
  })

  it('stops at the runs-per-hour limit', async () => {
    const platform = await platformWith({ limits: { runsPerHour: 1 } })
    try {
      expect((await requestAndApprove(platform, 'remediation_request', { playbook: 'restart', entity: 'checkout' })).status).toBe('succeeded')
      const second = await requestAndApprove(platform, 'remediation_request', { playbook: 'restart', entity: 'checkout' })
      expect(second.status).toBe('failed')
      expect(second.error).toMatch(/had 1 remediation runs in the last hour; the limit is 1/)
    } finally {
      await platform.close()
    }
  })

  it("runs an operator's webhook playbook with secrets from the environment, verifies it, and keeps secrets out of the record", async () => {
    const platform = await platformWith(
      {
        playbooks: [{
          name: 'flush-cache',
          title: 'Flush a cache',
          description: 'Empties the service cache.',
          params: { prefix: { type: 'string', required: true } },
          action: { type: 'webhook', method: 'POST', url: `${baseUrl}/cache/flush`, headers: { authorization: 'Bearer ${env:OPS_TOKEN}' }, body: { service: '{{entity.name}}', prefix: '{{params.prefix}}' } },
          verification: { type: 'http', url: `${baseUrl}/health/{{entity.name}}`, expectStatus: 200 },
        }],
      },
    )
    process.env.OPS_TOKEN = 'ops-secret'
    try {
      await expect(platform.approvals.request('remediation_request', { playbook: 'flush-cache', entity: 'checkout' }, requester, { surface: 'web' })).rejects.toThrow(/params\.prefix: flush-cache needs prefix/)
      received = []
      const done = await requestAndApprove(platform, 'remediation_request', { playbook: 'flush-cache', entity: 'checkout', params: { prefix: 'cart:' } })
      expect(done.status).toBe('succeeded')
      expect(received.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /cache/flush', 'GET /health/checkout'])
      expect(received[0]!.headers.authorization).toBe('Bearer ops-secret')
      expect(received[0]!.body).toEqual({ service: 'checkout', prefix: 'cart:' })
      expect(done.result).toMatchObject({ executor: 'webhook', verification: { passed: true }, calls: [{ method: 'POST', path: `${baseUrl}/cache/flush`, summary: 'answered 202' }] })
      expect(JSON.stringify(await platform.approvals.audit())).not.toContain('ops-secret')
    } finally {
      delete process.env.OPS_TOKEN
      await platform.close()
    }
  })

  it('dispatches a GitHub Actions workflow as a runbook', async () => {
    const config = { playbooks: [{ name: 'run-runbook', title: 'Run the runbook', description: 'Runs the service runbook workflow.', action: { type: 'github-workflow', repository: 'acme/ops', workflow: 'runbook.yml', ref: 'main', inputs: { service: '{{entity.name}}' } } }] }
    const platform = await platformWith(config, { GITHUB_TOKEN: 'gh-token' })
    try {
      received = []
      const done = await requestAndApprove(platform, 'remediation_request', { playbook: 'run-runbook', entity: 'checkout' })
      expect(done.status).toBe('succeeded')
      expect(received).toHaveLength(1)
      expect(received[0]).toMatchObject({ method: 'POST', url: '/repos/acme/ops/actions/workflows/runbook.yml/dispatches', body: { ref: 'main', inputs: { service: 'checkout' } } })
      expect(received[0]!.headers).toMatchObject({ authorization: 'Bearer gh-token', accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' })
    } finally {
      await platform.close()
    }
    const without = await platformWith(config)
    try {
      const failed = await requestAndApprove(without, 'remediation_request', { playbook: 'run-runbook', entity: 'checkout' })
      expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/GITHUB_TOKEN is not set/) })
    } finally {
      await without.close()
    }
  })

  it('opens the circuit breaker after repeated failed verifications', async () => {
    const catalog = await memoryCatalog(SMALL_ORG)
    const tools = new ToolRegistry()
    const approvals = new Approvals({ repository: new MemoryApprovalRepository(), index: catalog.index, tools, policy: DEFAULT_APPROVAL_POLICY })
    // A cluster whose pods never become ready: every restart fails its verification.
    const stuck = new (class extends SimulatedCluster {
      override async state(workload: Workload) {
        return { ...(await super.state(workload)), readyReplicas: 0 }
      }
    })()
    const config = remediationConfigSchema.parse({ limits: { failuresBeforeBreak: 2, verifyTimeoutSeconds: 1, runsPerHour: 10 } })
    tools.register(...remediationTools({ index: catalog.index, approvals, workloads: stuck, config, external: { env: {} } }))
    const run = async () => {
      const request = await approvals.request('remediation_request', { playbook: 'restart', entity: 'checkout' }, requester, { surface: 'web' })
      return approvals.decide({ id: request.id, identity: ada, decision: 'approve', surface: 'web' })
    }
    for (let attempt = 0; attempt < 2; attempt++) expect((await run()).result).toMatchObject({ verification: { passed: false } })
    const third = await run()
    expect(third.status).toBe('failed')
    expect(third.error).toMatch(/circuit breaker open: the last 2 runs of restart on component:default\/checkout failed their verification/)
  })

  it('rejects a bad configuration at start-up, naming the field', async () => {
    await expect(platformWith({ limits: { runsPerHour: 0 } })).rejects.toMatchObject({ issues: [{ path: 'limits.runsPerHour' }] })
  })
})
