import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import type { PortalEvent } from '../core/events/event-bus.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { createHttpApp } from '../server/create-http-app.ts'
import { topologyFromCatalog } from '../tools/rca/catalog-topology.ts'
import { loadSimulatedHistory } from '../tools/rca/load-simulated-history.ts'
import { simulateSignals } from '../tools/rca/simulator/simulate-signals.ts'
import type { FaultType } from '../tools/rca/signal-types.ts'
import { REMEDIATION_PROPOSED } from '../tools/remediation/auto-remediation.ts'
import { SimulatedCluster } from '../tools/remediation/simulated-cluster.ts'

type Json = any

const CART = 'component:default/cart-service'
const STEP = 5 * 60_000

let directory: string
const platforms: Platform[] = []

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-remediation-path-'))
  await writeDemoOrg(directory)
})
afterEach(async () => {
  for (const platform of platforms.splice(0)) await platform.close()
})
afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})

/**
 * The demo organisation with a day of simulated signals ending now, in which a fault began 45 minutes ago and
 * is still going on — by default cart-service deployed a bad version — and a simulated cluster suffering the
 * same fault: what a rollback can fix, and what verification can watch recover.
 */
async function troubleNow({ remediation = {}, fault = { type: 'bad-deployment', entity: CART }, minutesAgo = 45 }: { remediation?: unknown; fault?: { type: FaultType; entity: string }; minutesAgo?: number } = {}) {
  const file = path.join(directory, `remediation-${Math.random().toString(36).slice(2)}.json`)
  await writeFile(file, JSON.stringify({ limits: { runsPerHour: 3, failuresBeforeBreak: 2, verifyTimeoutSeconds: 1 }, ...(remediation as object) }))
  const cluster = new SimulatedCluster()
  const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_REMEDIATION_CONFIG: file }), catalogPaths: [path.join(directory, 'catalog-info.yaml')], workloads: cluster })
  platforms.push(platform)
  const { topology, resources } = topologyFromCatalog(platform.catalog.index)
  const end = Math.floor(Date.now() / STEP) * STEP
  const history = simulateSignals({ topology, resources, seed: 5, start: new Date(end - 24 * 3_600_000 + STEP), durationMinutes: 24 * 60, stepMinutes: 5, faults: [{ type: fault.type, entity: fault.entity, at: new Date(end - minutesAgo * 60_000), durationMinutes: 600, severity: 1.5 }] })
  await loadSimulatedHistory(platform.signals, history)
  if (!resources.has(fault.entity)) cluster.injectFault(fault.entity.slice(fault.entity.indexOf('/') + 1), fault.type)
  const app = createHttpApp(platform)
  const proposed: PortalEvent[] = []
  platform.bus.subscribe(REMEDIATION_PROPOSED, (event) => void proposed.push(event))
  return { platform, cluster, app, history, proposed }
}

const json = { 'content-type': 'application/json' }

async function decide(app: ReturnType<typeof createHttpApp>, id: string, user: string, decision: 'approve' | 'deny' = 'approve'): Promise<{ status: number; body: Json }> {
  const response = await app.request(`/api/approvals/${id}/decision`, { method: 'POST', headers: { ...json, 'x-portal-user': user }, body: JSON.stringify({ decision }) })
  return { status: response.status, body: await response.json() }
}

/** Asks in the web chat's thread and reads the UI message stream: the answer's text and its cards. */
async function ask(app: ReturnType<typeof createHttpApp>, thread: string, user: string, text: string): Promise<{ text: string; cards: Json[] }> {
  const response = await app.request('/api/chat', { method: 'POST', headers: { ...json, 'x-portal-user': user }, body: JSON.stringify({ id: thread, messages: [{ id: `m-${Math.random()}`, role: 'user', parts: [{ type: 'text', text }] }], trigger: 'submit-message' }) })
  expect(response.status).toBe(200)
  const parts = (await response.text()).split('\n').filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]').map((line) => JSON.parse(line.slice(6)))
  expect(parts.filter((part) => part.type === 'error')).toEqual([])
  return { text: parts.filter((part) => part.type === 'text-delta').map((part) => part.delta).join(''), cards: parts.filter((part) => part.type === 'data-card').map((part) => part.data) }
}

function someoneElse(platform: Platform, excluded: string[]): string {
  return [...platform.catalog.index.refsOfKind('user')].sort().find((user) => !excluded.includes(user))!
}

describe('remediation, the whole path', () => {
  it('from an alert, through the RCA finding, a rule\'s proposal and approvals in the web chat, to a verified run in the audit log', async () => {
    const { platform, cluster, app, history, proposed } = await troubleNow({ remediation: {
      rules: [{ name: 'roll-back-bad-changes', trigger: { type: 'rca-finding', findings: ['deployment', 'config-change'], minConfidence: 'medium' }, playbook: 'rollback' }],
    } })
    // Alerting pages on the service users notice; it arrives through the Alertmanager webhook.
    const noticed = history.incidents.find((incident) => incident.status === 'open')!
    const alert = { status: 'firing', labels: { alertname: 'HighErrorRate', service: noticed.entity, severity: 'critical' }, annotations: { summary: noticed.title }, startsAt: noticed.startedAt.toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus/graph', fingerprint: 'cart-1' }
    const body = { version: '4', groupKey: '{}:{alertname="HighErrorRate"}', status: 'firing', receiver: 'portal', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://alertmanager', alerts: [alert] }
    const delivered = await app.request('/api/signals/alertmanager', { method: 'POST', headers: json, body: JSON.stringify(body) })
    expect(delivered.status).toBe(202)
    await platform.remediation.auto.settled()

    // The RCA names cart-service's deployment; the rule proposes its rollback to the owning team's channel.
    expect(proposed).toHaveLength(1)
    const proposal = proposed[0]!.payload as Json
    expect(proposal).toMatchObject({ rule: 'roll-back-bad-changes', entity: CART, automatic: false, owners: [{ ref: 'group:default/team-checkout', slackChannel: expect.stringMatching(/^#/) }] })
    expect(proposal.because).toMatch(/^RCA of incident alertmanager-cart-1-.* names component:default\/cart-service \((high|medium) confidence; deployment/)
    const request = await platform.approvals.get(proposal.requestId)
    expect(request).toMatchObject({ status: 'pending', tool: 'remediation_request', input: { playbook: 'rollback', entity: CART }, requester: 'rule:roll-back-bad-changes', requiredApprovals: 2 })
    expect(cluster.actions()).toEqual([])

    // In the web chat: someone outside the team is refused; two of the team approve; the second completes it.
    const outsider = someoneElse(platform, request.approvers)
    expect(await decide(app, request.id, outsider)).toMatchObject({ status: 403 })
    const [first, second] = request.approvers as [string, string]
    const view: Json = await (await app.request(`/api/approvals/${request.id}`, { headers: { 'x-portal-user': first } })).json()
    expect(view).toMatchObject({ canDecide: true, request: { status: 'pending' } })
    expect(await decide(app, request.id, first)).toMatchObject({ status: 200, body: { request: { status: 'pending' } } })
    const done = await decide(app, request.id, second)
    expect(done).toMatchObject({ status: 200, body: { request: { status: 'succeeded', result: { playbook: 'rollback', entity: CART, executor: 'simulator', verification: { passed: true }, before: { symptoms: ['bad-deployment'] }, after: { symptoms: [] } } } } })
    expect(cluster.actions().map((action) => [action.deployment, action.action])).toEqual([['cart-service', 'rollback']])

    const audit = await platform.approvals.audit({ requestId: request.id })
    expect(audit.map((entry) => [entry.actor, entry.action])).toEqual([
      ['rule:roll-back-bad-changes', 'requested'],
      [outsider, 'decision-refused'],
      [first, 'approved'],
      [second, 'approved'],
      ['approvals', 'run-started'],
      ['approvals', 'succeeded'],
    ])
    expect(audit.at(-1)!.detail).toMatchObject({ result: { calls: [{ method: 'PATCH', path: 'simulator/deployments/cart-service' }], verification: { passed: true } } })

    // cart-service is healthy now: the fault lived in the revision the rollback replaced.
    expect((await cluster.state({ entity: CART, namespace: 'default', deployment: 'cart-service' })).symptoms).toEqual([])
  })

  it('takes a person from "why is cart failing?" to an approved, verified fix in one thread', async () => {
    const { platform, cluster, app } = await troubleNow()
    const asker = 'user:default/amara.bauer'
    const why = await ask(app, 'thread-cart', asker, 'why is cart failing?')
    expect(why.text).toMatch(/^The likely cause of Cart Service \(component:default\/cart-service\)'s trouble .* is Cart Service \(component:default\/cart-service\), with (high|medium) confidence/)
    expect(why.text).toMatch(/deployment as its symptoms began: "Deployed cart-service v2\.\d+\.0"/)

    const fix = await ask(app, 'thread-cart', asker, 'fix it')
    expect(fix.text).toMatch(/^The root-cause analysis names component:default\/cart-service \((high|medium) confidence\): a change came just before its symptoms, so the fix is a rollback\.\n\nNothing has run yet: I asked for approval\. Roll back component:default\/cart-service to its previous revision\./)
    const card = fix.cards.find((item) => item.kind === 'approval')
    expect(card.request).toMatchObject({ status: 'pending', tool: 'remediation_request', requesterUser: asker, target: CART, requiredApprovals: 2 })
    expect(cluster.actions()).toEqual([])

    // The asker cannot approve their own request; two of cart's owners do, in the web chat.
    expect(await decide(app, card.request.id, asker)).toMatchObject({ status: 403 })
    const [first, second] = card.request.approvers as [string, string]
    await decide(app, card.request.id, first)
    const done = await decide(app, card.request.id, second)
    expect(done.body.request).toMatchObject({ status: 'succeeded', result: { playbook: 'rollback', verification: { passed: true } } })
    expect(cluster.actions().map((action) => action.action)).toEqual(['rollback'])

    // Back in the thread: the run is done and verified.
    const status = await ask(app, 'thread-cart', asker, 'did the rollback of cart-service work?')
    expect(status.text).toContain(`${card.request.id} succeeded`)
    expect(status.text).toContain('verification passed')
  })

  it('restarts the cart pods when asked after the RCA, and the restart is verified when the pods were the trouble', async () => {
    const { app, cluster } = await troubleNow({ fault: { type: 'memory-leak', entity: CART }, minutesAgo: 120 })
    const asker = 'user:default/amara.bauer'
    const why = await ask(app, 'thread-leak', asker, 'why is cart failing?')
    expect(why.text).toMatch(/is Cart Service \(component:default\/cart-service\)/)
    expect(why.text).toMatch(/Restart component:default\/cart-service to relieve memory pressure/)
    const restart = await ask(app, 'thread-leak', asker, 'restart the cart pods')
    const card = restart.cards.find((item) => item.kind === 'approval')
    expect(card.request).toMatchObject({ tool: 'remediation_request', target: CART, status: 'pending' })
    const [first, second] = card.request.approvers as [string, string]
    await decide(app, card.request.id, first)
    const done = await decide(app, card.request.id, second)
    expect(done.body.request).toMatchObject({ status: 'succeeded', result: { playbook: 'restart', verification: { passed: true }, before: { symptoms: ['memory-leak'] }, after: { symptoms: [] } } })
    expect(cluster.actions().map((action) => action.action)).toEqual(['restart'])
  })

  it('requests nothing when the RCA finding has no playbook, and says why', async () => {
    // payments-db saturating: no playbook ends it, so the RCA's next steps are for a person.
    const { app, platform, cluster } = await troubleNow({ fault: { type: 'database-saturation', entity: 'resource:default/payments-db' } })
    const why = await ask(app, 'thread-db', 'user:default/amara.bauer', 'why is checkout-api slow?')
    expect(why.text).toMatch(/is Payments DB \(resource:default\/payments-db\)|is resource:default\/payments-db/)
    const fix = await ask(app, 'thread-db', 'user:default/amara.bauer', 'fix it')
    expect(fix.cards.some((card) => card.kind === 'approval')).toBe(false)
    expect(fix.text).toMatch(/No remediation playbook fits this finding, so I requested nothing/)
    expect(await platform.approvals.list({ tools: ['remediation_request'] })).toEqual([])
    expect(cluster.actions()).toEqual([])
  })
})
