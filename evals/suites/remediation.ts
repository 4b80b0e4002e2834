import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../core/config.ts'
import { createPlatform } from '../../platform/create-platform.ts'
import { ingestDelivery } from '../../tools/rca/ingest/signals-ingested.ts'
import { loadSimulatedHistory } from '../../tools/rca/load-simulated-history.ts'
import { FAULT_TYPES, type FaultType } from '../../tools/rca/signal-types.ts'
import { incidentCases, type IncidentCase } from '../../tools/rca/simulator/incident-cases.ts'
import { historyWithRefs, topologyCatalog } from '../../tools/rca/simulator/topology-catalog.ts'
import { SimulatedCluster } from '../../tools/remediation/simulated-cluster.ts'
import { ratio } from '../scoring.ts'
import { defineSuite, type Failure } from '../suite.ts'

/** 35 incidents, five of each fault type, each on its own random topology. */
export const REMEDIATION_CASES = { count: 35, seed: 909 }

/** Faults a playbook can end (a rollback ends a bad deployment or config change; new pods relieve a leak). */
const FIXABLE: ReadonlySet<FaultType> = new Set(['bad-deployment', 'config-change', 'memory-leak'])

/**
 * The rules an operator would write: roll back the likely cause's change, restart a service whose memory grew
 * (marked safe to run without a person). Verification polls once or twice: the simulator answers at once.
 */
export const EVAL_REMEDIATION_CONFIG = {
  limits: { runsPerHour: 3, failuresBeforeBreak: 2, verifyTimeoutSeconds: 1 },
  rules: [
    { name: 'roll-back-bad-changes', trigger: { type: 'rca-finding', findings: ['deployment', 'config-change'], minConfidence: 'medium' }, playbook: 'rollback' },
    { name: 'restart-leaking-services', trigger: { type: 'rca-finding', findings: ['memory-growth'], minConfidence: 'medium' }, playbook: 'restart', runWithoutApproval: true },
  ],
}

interface CaseOutcome {
  incident: IncidentCase
  /** The requests rules made, as they ended. */
  proposals: Array<{ rule: string; target?: string; summary: string; status: string; verified: boolean | null }>
  resolved: boolean
  runs: number
  approvedRuns: number
}

/**
 * One simulated incident from alert to verification: the portal gets the case's topology as its catalog and
 * its signals, the faulty service is broken in a simulated cluster the way its signals show, and the incident
 * arrives through signal ingestion. The rules propose; an on-call member approves each proposal left for a
 * person; the playbook runs on the simulated cluster and is verified there (ready and recovered).
 */
async function runCase(incident: IncidentCase, configFile: string): Promise<CaseOutcome> {
  const { topology } = incident.history
  const { resources } = incident
  const catalog = topologyCatalog({ nodes: topology.nodes, edges: topology.edges, resources })
  const history = historyWithRefs(incident.history, catalog.refOf)
  const cluster = new SimulatedCluster()
  const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_REMEDIATION_CONFIG: configFile }), catalogPaths: [], workloads: cluster })
  try {
    const report = await platform.catalog.import([{ name: `${incident.id}.yaml`, text: catalog.yaml }])
    if (report.errors.length > 0) throw new Error(`the catalog of ${incident.id} has errors: ${JSON.stringify(report.errors.slice(0, 3))}`)
    if (!resources.has(incident.cause)) cluster.injectFault(incident.cause, incident.faultType)
    const opened = history.incidents[0]!
    await loadSimulatedHistory(platform.signals, { ...history, incidents: [] })
    // The incident arrives as alerting sends it: open, at its start.
    const { resolvedAt: _resolvedAt, ...open } = opened
    await ingestDelivery({ signals: platform.signals, bus: platform.bus }, { id: `eval-${incident.id}`, batch: { incidents: [{ ...open, status: 'open' }] } })
    await platform.remediation.auto.settled()
    // What the rules asked for: requests by `rule:<name>`. A person on call approves those left for one.
    const proposals = (await platform.approvals.list({ tools: ['remediation_request'], limit: 50 })).filter((request) => request.requester.startsWith('rule:'))
    for (const request of proposals.filter((item) => item.status === 'pending')) {
      await platform.approvals.decide({ id: request.id, identity: { subject: `web:${request.approvers[0]}`, userRef: request.approvers[0]!, scopes: new Set(['remediation:request']) }, decision: 'approve', surface: 'web' })
    }
    const requests = await platform.approvals.list({ tools: ['remediation_request'], limit: 50 })
    const proposed = requests.filter((request) => request.requester.startsWith('rule:')).map((request) => ({ rule: request.requester, target: request.target, summary: request.summary, status: request.status, verified: (request.result as { verification?: { passed?: boolean } } | undefined)?.verification?.passed ?? null }))
    const ran = requests.filter((request) => request.status === 'succeeded' || request.status === 'failed')
    const approved = ran.filter((request) => request.decisions.filter((decision) => decision.decision === 'approve').length >= request.requiredApprovals || request.decisions.some((decision) => decision.approver === request.requester))
    const callsOf = (list: typeof ran) => list.reduce((sum, request) => sum + ((request.result as { calls?: unknown[] } | undefined)?.calls?.length ?? 0), 0)
    const cause = catalog.refOf(incident.cause)
    const resolved = ran.some((request) => request.target === cause && request.status === 'succeeded' && (request.result as { verification?: { passed?: boolean } }).verification?.passed === true)
    // Every change the cluster underwent must be a call of an approved run.
    return { incident, proposals: proposed, resolved, runs: cluster.actions().length, approvedRuns: Math.min(cluster.actions().length, callsOf(approved)) }
  } finally {
    await platform.close()
  }
}

/**
 * Auto-remediation end to end on simulated incidents of every fault type: where a playbook can end the fault,
 * the share verified as resolved after the proposed playbook ran; where none can, the share where nothing was
 * proposed; and the share of the cluster's changes that an approval (a person's, or a rule's marked safe)
 * allowed, which must be all of them.
 */
export const remediationSuite = defineSuite({
  name: 'remediation',
  description: 'Auto-remediation on simulated incidents: resolved where a playbook fits, nothing proposed where none does, no run without approval',
  thresholds: { resolved: 0.7, 'nothing proposed when none fits': 0.7, 'runs approved': 1 },
  async run() {
    const directory = await mkdtemp(join(tmpdir(), 'portal-remediation-eval-'))
    const configFile = join(directory, 'remediation.json')
    await writeFile(configFile, JSON.stringify(EVAL_REMEDIATION_CONFIG))
    const failures: Failure[] = []
    const outcomes: CaseOutcome[] = []
    try {
      for (const incident of incidentCases(REMEDIATION_CASES)) {
        const outcome = await runCase(incident, configFile)
        outcomes.push(outcome)
        const fixable = FIXABLE.has(incident.faultType)
        const proposed = outcome.proposals
        const question = `${incident.id}: ${incident.faultType} on ${incident.cause}, noticed on ${incident.target}`
        if (fixable && !outcome.resolved) failures.push({ question, reason: 'not resolved', expected: 'a proposal for the cause that ran and passed its verification', actual: outcome.proposals })
        if (!fixable && proposed.length > 0) failures.push({ question, reason: 'proposed when no playbook fits', expected: [], actual: proposed })
        if (outcome.approvedRuns < outcome.runs) failures.push({ question, reason: 'run without approval', expected: outcome.approvedRuns, actual: outcome.runs })
      }
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
    const fixable = outcomes.filter((outcome) => FIXABLE.has(outcome.incident.faultType))
    const unfixable = outcomes.filter((outcome) => !FIXABLE.has(outcome.incident.faultType))
    const runs = outcomes.reduce((sum, outcome) => sum + outcome.runs, 0)
    const approvedRuns = outcomes.reduce((sum, outcome) => sum + outcome.approvedRuns, 0)
    return {
      metrics: {
        resolved: ratio(fixable.filter((outcome) => outcome.resolved).length, fixable.length),
        'nothing proposed when none fits': ratio(unfixable.filter((outcome) => outcome.proposals.length === 0).length, unfixable.length),
        // 1 when there were no runs at all: nothing ran without approval.
        'runs approved': runs === 0 ? 1 : approvedRuns / runs,
        'unapproved runs (count)': runs - approvedRuns,
        incidents: outcomes.length,
        ...Object.fromEntries(FAULT_TYPES.map((type) => {
          const ofType = outcomes.filter((outcome) => outcome.incident.faultType === type)
          return [FIXABLE.has(type) ? `resolved ${type}` : `nothing proposed ${type}`, ratio(ofType.filter((outcome) => (FIXABLE.has(type) ? outcome.resolved : outcome.proposals.length === 0)).length, ofType.length)]
        })),
      },
      failures,
    }
  },
})
