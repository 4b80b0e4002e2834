import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { createHmac } from 'node:crypto'
import { createHttpApp } from './create-http-app.ts'
import { signalRoutes } from './signal-routes.ts'

// Shaped as Alertmanager (webhook_configs, version 4) and PagerDuty (V3 webhook subscriptions) send them.
const alertmanager = (status: 'firing' | 'resolved', endsAt = '0001-01-01T00:00:00Z') => ({
  version: '4',
  groupKey: '{}/{severity="critical"}:{alertname="HighLatency"}',
  truncatedAlerts: 0,
  status,
  receiver: 'next-portal',
  groupLabels: { alertname: 'HighLatency' },
  commonLabels: { alertname: 'HighLatency', service: 'checkout-api', severity: 'critical', namespace: 'shop' },
  commonAnnotations: { summary: 'p95 latency above 800 ms for 5 minutes' },
  externalURL: 'http://alertmanager.example:9093',
  alerts: [{
    status,
    labels: { alertname: 'HighLatency', service: 'checkout-api', severity: 'critical', namespace: 'shop', instance: '10.0.3.7:8080' },
    annotations: { summary: 'p95 latency above 800 ms for 5 minutes', runbook_url: 'https://runbooks.example/high-latency' },
    startsAt: '2026-03-03T10:05:00.000Z',
    endsAt,
    generatorURL: 'http://prometheus.example:9090/graph?g0.expr=histogram_quantile%280.95%2C+rate%28http_request_duration_seconds_bucket%5B5m%5D%29%29+%3E+0.8',
    fingerprint: 'c3f1b0a2d4e5f607',
  }],
})
const pagerDuty = (eventId: string, eventType: string, status: 'triggered' | 'acknowledged' | 'resolved') => ({
  event: {
    id: eventId,
    event_type: eventType,
    resource_type: 'incident',
    occurred_at: '2026-03-03T10:20:00.169Z',
    agent: { html_url: 'https://acme.pagerduty.com/users/PLH1HKV', id: 'PLH1HKV', self: 'https://api.pagerduty.com/users/PLH1HKV', summary: 'Tenex Engineer', type: 'user_reference' },
    client: { name: 'PagerDuty' },
    data: {
      id: 'PGR0VU2',
      type: 'incident',
      self: 'https://api.pagerduty.com/incidents/PGR0VU2',
      html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
      number: 2,
      status,
      incident_key: 'd3640fbd41094207a1c11e58e46b1662',
      created_at: '2026-03-03T10:06:27Z',
      title: 'Payments are failing',
      service: { html_url: 'https://acme.pagerduty.com/services/PF9KMXH', id: 'PF9KMXH', self: 'https://api.pagerduty.com/services/PF9KMXH', summary: 'payments-api', type: 'service_reference' },
      assignees: [{ html_url: 'https://acme.pagerduty.com/users/PTUXL6G', id: 'PTUXL6G', self: 'https://api.pagerduty.com/users/PTUXL6G', summary: 'User 123', type: 'user_reference' }],
      escalation_policy: { html_url: 'https://acme.pagerduty.com/escalation_policies/PUS0KTE', id: 'PUS0KTE', self: 'https://api.pagerduty.com/escalation_policies/PUS0KTE', summary: 'Default', type: 'escalation_policy_reference' },
      teams: [],
      priority: { html_url: 'https://acme.pagerduty.com/account/incident_priorities', id: 'PSO75BM', self: 'https://api.pagerduty.com/priorities/PSO75BM', summary: 'P1', type: 'priority_reference' },
      urgency: 'high',
      conference_bridge: null,
      resolve_reason: null,
    },
  },
})

let directory: string
let platform: Platform
let app: ReturnType<typeof createHttpApp>
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-signal-routes-'))
  await writeDemoOrg(directory)
  platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_WEBHOOK_TOKEN: 'a-long-enough-secret-token' }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
  app = createHttpApp(platform)
}, 120_000)
afterAll(async () => {
  await platform.close()
  await rm(directory, { recursive: true, force: true })
})

const post = (route: string, body: unknown, token = 'a-long-enough-secret-token') => app.request(`/api/signals/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: typeof body === 'string' ? body : JSON.stringify(body) })
const from = new Date('2026-03-03T09:00:00Z')
const to = new Date('2026-03-03T12:00:00Z')

describe('signal webhooks', () => {
  it('turns an Alertmanager notification into an alert and an incident, once, and resolves it', async () => {
    const first = await post('alertmanager', alertmanager('firing'))
    expect(first.status).toBe(202)
    expect(await first.json()).toMatchObject({ applied: true, events: 1, incidents: 1 })
    expect((await (await post('alertmanager', alertmanager('firing'))).json()).applied).toBe(false)
    const [incident] = await platform.signals.listIncidents({ entity: 'component:default/checkout-api' })
    expect(incident).toMatchObject({ status: 'open', severity: 'critical', title: 'HighLatency: p95 latency above 800 ms for 5 minutes', startedAt: new Date('2026-03-03T10:05:00.000Z') })
    await post('alertmanager', alertmanager('resolved', '2026-03-03T10:40:00.000Z'))
    expect(await platform.signals.getIncident(incident!.id)).toMatchObject({ status: 'resolved', resolvedAt: new Date('2026-03-03T10:40:00.000Z') })
    expect((await platform.signals.listEvents({ entity: 'component:default/checkout-api', types: ['alert'], from, to })).map((event) => event.summary)).toEqual(['HighLatency firing: p95 latency above 800 ms for 5 minutes', 'HighLatency resolved: p95 latency above 800 ms for 5 minutes'])
  })

  it('follows a PagerDuty incident from triggered to resolved, idempotent by event id', async () => {
    expect(await (await post('pagerduty', pagerDuty('01DEN4HPBQAGSF4IRX1ZFF6Q2I', 'incident.triggered', 'triggered'))).json()).toMatchObject({ applied: true, incidents: 1 })
    expect(await platform.signals.getIncident('pagerduty-PGR0VU2')).toMatchObject({ entity: 'component:default/payments-api', status: 'open', title: 'Payments are failing' })
    expect((await (await post('pagerduty', pagerDuty('01DEN4HPBQAGSF4IRX1ZFF6Q2I', 'incident.triggered', 'triggered'))).json()).applied).toBe(false)
    await post('pagerduty', pagerDuty('01DEN4HPBQAGSF4IRX1ZFF6Q3J', 'incident.resolved', 'resolved'))
    expect(await platform.signals.getIncident('pagerduty-PGR0VU2')).toMatchObject({ status: 'resolved', resolvedAt: new Date('2026-03-03T10:20:00.169Z') })
  })

  it('records a deployment event', async () => {
    const response = await post('changes', { id: 'gh-run-4242', entity: 'cart-service', at: '2026-03-03T10:01:00Z', summary: 'Deployed cart-service v3.1.0', version: 'v3.1.0' })
    expect(response.status).toBe(202)
    expect(await platform.signals.listEvents({ entity: 'component:default/cart-service', types: ['deployment'], from, to })).toMatchObject([{ id: 'gh-run-4242', summary: 'Deployed cart-service v3.1.0', attributes: { version: 'v3.1.0' } }])
  })

  it('says what is wrong and where, and refuses callers without the token', async () => {
    const bad = await post('alertmanager', { ...alertmanager('firing'), alerts: [{ ...alertmanager('firing').alerts[0], startsAt: 'soon' }] })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('alerts.0.startsAt')
    const unknown = await post('alertmanager', { ...alertmanager('firing'), alerts: [{ ...alertmanager('firing').alerts[0], labels: { alertname: 'X', service: 'warp-drive' } }] })
    expect(unknown.status).toBe(400)
    expect(JSON.stringify(await unknown.json())).toContain('alerts.0.labels.service')
    const notIncident = await post('pagerduty', { event: { ...pagerDuty('e', 'service.updated', 'triggered').event, resource_type: 'service' } })
    expect(notIncident.status).toBe(400)
    expect((await post('changes', '{not json')).status).toBe(400)
    expect((await post('changes', { id: 'x', entity: 'cart-service', at: '2026-03-03T10:01:00Z', summary: 's' }, 'wrong-token-wrong-token')).status).toBe(401)
  })
})

describe('PagerDuty webhook signatures (PAGERDUTY_WEBHOOK_SECRET)', () => {
  const secret = 'pd-subscription-secret-1'
  // PagerDuty signs the raw bytes it sends: v1= and the hex HMAC-SHA256 under the subscription's secret.
  const sign = (raw: string, key = secret) => `v1=${createHmac('sha256', key).update(raw).digest('hex')}`
  const routes = () => signalRoutes({ signals: platform.signals, index: platform.catalog.index, token: 'a-long-enough-secret-token', pagerDutySecret: secret })
  const deliver = (raw: string, signature?: string) => routes().request('/pagerduty', { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-pagerduty-signature': signature } : {}) }, body: raw })
  const payload = (eventId: string) => JSON.stringify(pagerDuty(eventId, 'incident.acknowledged', 'acknowledged'), null, 2)

  it('applies a delivery whose signature matches, without the bearer token', async () => {
    const raw = payload('01SIGNED0000000000000000A1')
    const response = await deliver(raw, sign(raw))
    expect(response.status).toBe(202)
    expect(await response.json()).toMatchObject({ delivery: 'pagerduty-01SIGNED0000000000000000A1', applied: true })
  })

  it('accepts a rotation header carrying the old and the new secret\'s signatures', async () => {
    const raw = payload('01SIGNED0000000000000000B2')
    const response = await deliver(raw, `${sign(raw, 'pd-subscription-secret-0')}, ${sign(raw)}`)
    expect(response.status).toBe(202)
  })

  it('answers 401 with the reason for a tampered body, a wrong secret or no signature, and applies nothing', async () => {
    const raw = payload('01SIGNED0000000000000000C3')
    const tampered = await deliver(raw.replace('Payments are failing', 'All good'), sign(raw))
    expect(tampered.status).toBe(401)
    expect(JSON.stringify(await tampered.json())).toContain('X-PagerDuty-Signature does not match')
    expect((await deliver(raw, sign(raw, 'someone-else'))).status).toBe(401)
    const unsigned = await deliver(raw)
    expect(unsigned.status).toBe(401)
    expect(JSON.stringify(await unsigned.json())).toContain('need an X-PagerDuty-Signature header')
    expect((await platform.signals.listEvents({ entity: 'component:default/payments-api', from, to })).map((event) => event.id)).not.toContain('pagerduty-01SIGNED0000000000000000C3')
  })

  it('still requires the bearer token on the other webhooks', async () => {
    const response = await routes().request('/changes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'x', entity: 'cart-service', at: '2026-03-03T10:01:00Z', summary: 's' }) })
    expect(response.status).toBe(401)
  })
})
