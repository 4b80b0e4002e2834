import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../core/config.ts'
import type { PortalEvent } from '../../core/events/event-bus.ts'
import { SMALL_ORG } from '../../core/testing/memory-catalog.ts'
import { createPlatform, type Platform } from '../../platform/create-platform.ts'
import { createHttpApp } from '../../server/create-http-app.ts'
import { ANOMALY_DETECTED } from '../rca/anomaly/anomaly-detected.ts'
import { SIGNALS_INGESTED } from '../rca/ingest/signals-ingested.ts'
import { REMEDIATION_PROPOSED } from './auto-remediation.ts'
import { readRemediationConfig } from './remediation-config.ts'
import { SimulatedCluster } from './simulated-cluster.ts'

type Json = any

let directory: string
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-auto-remediation-'))
})
afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})

async function configFile(config: unknown): Promise<string> {
  const file = path.join(directory, `remediation-${Math.random().toString(36).slice(2)}.json`)
  await writeFile(file, JSON.stringify(config))
  return file
}

async function platformWith(config: unknown): Promise<{ platform: Platform; cluster: SimulatedCluster; events: PortalEvent[] }> {
  const cluster = new SimulatedCluster()
  const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_REMEDIATION_CONFIG: await configFile(config) }), catalogPaths: [], workloads: cluster })
  const report = await platform.catalog.import([{ name: 'org.yaml', text: SMALL_ORG }])
  if (report.errors.length) throw new Error(JSON.stringify(report.errors))
  const events: PortalEvent[] = []
  platform.bus.subscribe(REMEDIATION_PROPOSED, (event) => void events.push(event))
  return { platform, cluster, events }
}

/** An Alertmanager notification (webhook version 4) about one alert on the checkout service. */
function alertmanager({ alertname, fingerprint, severity = 'warning', status = 'firing' }: { alertname: string; fingerprint: string; severity?: string; status?: 'firing' | 'resolved' }) {
  return {
    version: '4', groupKey: `{}:{alertname="${alertname}"}`, status, receiver: 'portal', groupLabels: { alertname }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://alertmanager:9093',
    alerts: [{ status, labels: { alertname, service: 'component:checkout', severity }, annotations: { summary: `${alertname} on checkout` }, startsAt: '2026-11-20T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus:9090/graph', fingerprint }],
  }
}

async function postAlert(platform: Platform, body: unknown): Promise<Json> {
  const response = await createHttpApp(platform).request('/api/signals/alertmanager', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(response.status).toBe(202)
  await platform.remediation.auto.settled()
  return response.json()
}

const ada = { subject: 'web:ada', userRef: 'user:default/ada', scopes: new Set(['remediation:request']) }

describe('auto-remediation rules', () => {
  it('rejects a configuration that names what is wrong and where', async () => {
    const file = await configFile({ rules: [
      { name: 'restart-on-oom', trigger: { type: 'alert', alertname: 'OOMKilled' }, playbook: 'reboot' },
      { name: 'restart-on-oom', trigger: { type: 'rca-finding', findings: ['sunspots'] }, playbook: 'scale' },
      { name: 'x', trigger: { type: 'weather' }, playbook: 'restart' },
    ] })
    const error: Json = await readRemediationConfig(file).catch((caught) => caught)
    expect(error.message).toMatch(/is not a valid remediation configuration/)
    const paths = error.issues.map((issue: Json) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['rules.1.trigger.findings.0', 'rules.2.name', 'rules.2.trigger.type']))
    // Cross-field checks run once the fields themselves are valid.
    const second: Json = await readRemediationConfig(await configFile({ rules: [
      { name: 'restart-on-oom', trigger: { type: 'alert', alertname: 'OOMKilled' }, playbook: 'reboot' },
      { name: 'restart-on-oom', trigger: { type: 'incident' }, playbook: 'scale' },
    ] })).catch((caught) => caught)
    expect(second.issues).toEqual(expect.arrayContaining([
      { path: 'rules.0.playbook', message: 'no playbook reboot; known: restart, scale, rollback' },
      { path: 'rules.1.name', message: 'another rule is already named restart-on-oom' },
      { path: 'rules.1.replicas', message: 'scale needs the number of replicas' },
    ]))
  })

  it('proposes the playbook for an alert, to the owning team\'s channel, once per rule and entity', async () => {
    const { platform, cluster, events } = await platformWith({ rules: [{ name: 'restart-on-oom', trigger: { type: 'alert', alertname: 'OOMKilled' }, playbook: 'restart' }] })
    try {
      await postAlert(platform, alertmanager({ alertname: 'HighLatency', fingerprint: 'f0' }))
      expect(events).toHaveLength(0)
      await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'f1' }))
      expect(events).toHaveLength(1)
      const proposed = events[0]!.payload as Json
      expect(proposed).toMatchObject({ rule: 'restart-on-oom', entity: 'component:default/checkout', automatic: false, owners: [{ ref: 'group:default/payments', slackChannel: '#team-payments' }] })
      const request = await platform.approvals.get(proposed.requestId)
      expect(request).toMatchObject({ status: 'pending', requester: 'rule:restart-on-oom', surface: 'auto-remediation', threadId: 'team:group:default/payments', input: { playbook: 'restart', entity: 'component:default/checkout' } })
      expect(request.summary).toMatch(/^Rolling restart of component:default\/checkout: .* Proposed because alert on component:default\/checkout: OOMKilled firing: OOMKilled on checkout \(rule restart-on-oom\)\.$/)
      expect(request.approvers).toEqual(['user:default/ada', 'user:default/grace'])
      // A redelivery applies nothing and publishes nothing; a new alert finds the proposal still open.
      expect((await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'f1' }))).applied).toBe(false)
      await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'f2' }))
      expect(events).toHaveLength(1)
      expect(await platform.approvals.list({ tools: ['remediation_request'] })).toHaveLength(1)
      expect(cluster.actions()).toEqual([])
      // Decided, the next alert may propose again.
      const done = await platform.approvals.decide({ id: request.id, identity: ada, decision: 'approve', surface: 'web' })
      expect(done).toMatchObject({ status: 'succeeded', result: { verification: { passed: true } } })
      expect(cluster.actions().map((action) => action.action)).toEqual(['restart'])
      await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'f3' }))
      expect(events).toHaveLength(2)
    } finally {
      await platform.close()
    }
  })

  it('runs a playbook marked safe without a person, recorded as the rule\'s approval, and only within freezes and limits', async () => {
    const { platform, cluster, events } = await platformWith({
      limits: { runsPerHour: 2, failuresBeforeBreak: 2, verifyTimeoutSeconds: 1 },
      rules: [{ name: 'restart-on-oom', trigger: { type: 'alert', alertname: 'OOMKilled' }, playbook: 'restart', runWithoutApproval: true }],
    })
    try {
      await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'a1' }))
      const first = await platform.approvals.get((events[0]!.payload as Json).requestId)
      expect(first).toMatchObject({ status: 'succeeded', decisions: [{ approver: 'rule:restart-on-oom', decision: 'approve', surface: 'auto-remediation' }], result: { verification: { passed: true } } })
      const audit = await platform.approvals.audit({ requestId: first.id })
      expect(audit.map((entry) => [entry.actor, entry.action])).toEqual([['rule:restart-on-oom', 'requested'], ['rule:restart-on-oom', 'approved'], ['approvals', 'run-started'], ['approvals', 'succeeded']])
      expect(audit[1]!.detail).toMatchObject({ automatic: true })
      await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'a2' }))
      expect(cluster.actions()).toHaveLength(2)
      // The limit is two runs an hour: the third proposal waits for a person, and nothing more runs.
      await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'a3' }))
      const third = events[2]!.payload as Json
      expect(third.automatic).toBe(false)
      expect(await platform.approvals.get(third.requestId)).toMatchObject({ status: 'pending', decisions: [] })
      expect(cluster.actions()).toHaveLength(2)
      // A rule can approve only what it proposed itself.
      const asked = await platform.approvals.request('remediation_request', { playbook: 'restart', entity: 'checkout' }, { subject: 'web:someone', scopes: new Set(['remediation:request']) }, { surface: 'web' })
      await expect(platform.approvals.approveAutomatically({ id: asked.id, rule: 'restart-on-oom', reason: 'x' })).rejects.toThrow(/may only approve what it proposed itself/)
    } finally {
      await platform.close()
    }
  })

  it('fires on what is new: not on resolved alerts, nor on an incident already open (acknowledged, re-sent)', async () => {
    const { platform, events } = await platformWith({ rules: [
      { name: 'restart-on-oom', trigger: { type: 'alert', alertname: 'OOMKilled' }, playbook: 'restart' },
      { name: 'roll-back-on-page', trigger: { type: 'incident', severities: ['critical'] }, playbook: 'rollback' },
    ] })
    try {
      await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'r1', status: 'resolved' }))
      expect(events).toHaveLength(0)
      const pagerDuty = (id: string, eventType: string, status: string) => ({ event: { id, event_type: eventType, resource_type: 'incident', occurred_at: '2026-11-20T10:05:00Z', data: { id: 'PD1', type: 'incident', status, created_at: '2026-11-20T10:00:00Z', title: 'checkout is down', service: { id: 'S1', summary: 'component:checkout', type: 'service_reference' }, urgency: 'high' } } })
      const send = async (body: unknown) => {
        expect((await createHttpApp(platform).request('/api/signals/pagerduty', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status).toBe(202)
        await platform.remediation.auto.settled()
      }
      await send(pagerDuty('e1', 'incident.triggered', 'triggered'))
      expect(events.map((event) => (event.payload as Json).rule)).toEqual(['roll-back-on-page'])
      // Denied, so nothing is open for the rule; the acknowledgement of the same incident still proposes nothing.
      await platform.approvals.decide({ id: (events[0]!.payload as Json).requestId, identity: ada, decision: 'deny', surface: 'web' })
      await send(pagerDuty('e2', 'incident.acknowledged', 'acknowledged'))
      await send(pagerDuty('e3', 'incident.resolved', 'resolved'))
      expect(events).toHaveLength(1)
    } finally {
      await platform.close()
    }
  })

  it('leaves an automatic proposal to a person inside a change freeze', async () => {
    const { platform, cluster, events } = await platformWith({
      freezes: [{ from: '2000-01-01T00:00:00Z', to: '2999-01-01T00:00:00Z', reason: 'peak season' }],
      rules: [{ name: 'restart-on-oom', trigger: { type: 'alert', alertname: 'OOMKilled' }, playbook: 'restart', runWithoutApproval: true }],
    })
    try {
      await postAlert(platform, alertmanager({ alertname: 'OOMKilled', fingerprint: 'z1' }))
      expect(events[0]!.payload).toMatchObject({ automatic: false })
      expect(await platform.approvals.get((events[0]!.payload as Json).requestId)).toMatchObject({ status: 'pending' })
      expect(cluster.actions()).toEqual([])
    } finally {
      await platform.close()
    }
  })

  it('matches incidents by severity and title, anomalies by metric and score, and only the entities a rule names', async () => {
    const { platform, events } = await platformWith({ rules: [
      { name: 'scale-on-saturation', trigger: { type: 'anomaly', metric: 'cpu_utilisation', minScore: 0.95 }, playbook: 'scale', replicas: 6 },
      { name: 'roll-back-on-outage', trigger: { type: 'incident', severities: ['critical'], titleMatches: 'outage' }, playbook: 'rollback', entities: ['checkout'] },
    ] })
    try {
      await platform.bus.publish({ type: ANOMALY_DETECTED, payload: { entity: 'component:default/checkout', metric: 'cpu_utilisation', at: '2026-11-20T10:00:00Z', value: 0.97, score: 0.9 } })
      await platform.bus.publish({ type: ANOMALY_DETECTED, payload: { entity: 'component:default/checkout', metric: 'memory_mb', at: '2026-11-20T10:00:00Z', value: 900, score: 0.99 } })
      await platform.remediation.auto.settled()
      expect(events).toHaveLength(0)
      await platform.bus.publish({ type: ANOMALY_DETECTED, payload: { entity: 'component:default/checkout', metric: 'cpu_utilisation', at: '2026-11-20T10:00:00Z', value: 0.99, score: 0.97 } })
      await platform.remediation.auto.settled()
      expect(events.map((event) => (event.payload as Json).rule)).toEqual(['scale-on-saturation'])
      const incident = (entity: string, severity: string, title: string) => ({ delivery: `d-${Math.random()}`, incidents: [{ id: `i-${Math.random()}`, entity, title, severity, status: 'open', startedAt: '2026-11-20T10:00:00Z', opened: true }], alerts: [], changes: [] })
      await platform.bus.publish({ type: SIGNALS_INGESTED, payload: incident('component:default/checkout', 'major', 'checkout outage') })
      await platform.bus.publish({ type: SIGNALS_INGESTED, payload: incident('component:default/payments', 'critical', 'payments outage') })
      await platform.bus.publish({ type: SIGNALS_INGESTED, payload: incident('component:default/checkout', 'critical', 'checkout slow') })
      await platform.remediation.auto.settled()
      expect(events).toHaveLength(1)
      await platform.bus.publish({ type: SIGNALS_INGESTED, payload: incident('component:default/checkout', 'critical', 'Checkout OUTAGE') })
      await platform.remediation.auto.settled()
      expect(events.map((event) => [(event.payload as Json).rule, (event.payload as Json).entity])).toEqual([['scale-on-saturation', 'component:default/checkout'], ['roll-back-on-outage', 'component:default/checkout']])
    } finally {
      await platform.close()
    }
  })

  it('reports a proposal the approvals service refuses (no deployment to act on), and stores nothing', async () => {
    const { platform, events } = await platformWith({ rules: [{ name: 'restart-web', trigger: { type: 'anomaly' }, playbook: 'restart' }] })
    try {
      // web has no deployment (no kubernetes-id): the request is refused, with why.
      const proposals = await platform.remediation.auto.onAnomaly({ entity: 'component:default/web', metric: 'error_rate', at: '2026-11-20T10:00:00Z', value: 0.3, score: 0.99 })
      expect(proposals).toEqual([expect.objectContaining({ rule: 'restart-web', outcome: 'refused', detail: expect.stringMatching(/lacks the backstage.io\/kubernetes-id annotation/) })])
      expect(events).toHaveLength(0)
    } finally {
      await platform.close()
    }
  })
})
