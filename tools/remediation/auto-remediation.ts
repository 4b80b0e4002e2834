import type { Approvals } from '../../core/approvals/approvals.ts'
import type { EventBus } from '../../core/events/event-bus.ts'
import type { Identity } from '../../core/identity.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { normalizeEntityRef } from '../../graph/model/entity-ref.ts'
import { analyzeFromSignals, type RcaReport } from '../rca/analyze-from-signals.ts'
import { ANOMALY_DETECTED, type AnomalyDetected } from '../rca/anomaly/anomaly-detected.ts'
import { SIGNALS_INGESTED, type SignalsIngested } from '../rca/ingest/signals-ingested.ts'
import type { SignalsRepository } from '../rca/signals-repository.ts'
import type { RemediationConfig, RuleConfig } from './remediation-config.ts'
import { checkGuards } from './remediation-guards.ts'

/** With several replicas on one bus, one of them acts on each trigger, so a trigger proposes once. */
const ONCE_PER_CLUSTER = { group: 'auto-remediation' }

/** Published when a rule proposes a remediation, so surfaces can post it in the owning team's channel. */
export const REMEDIATION_PROPOSED = 'remediation-proposed'

export interface RemediationProposed {
  requestId: string
  rule: string
  entity: string
  because: string
  /** Whether the rule may run it without a person (it still waits for one when freezes or limits say no). */
  automatic: boolean
  /** The groups owning the entity, and their chat channels where the catalog names them. */
  owners: Array<{ ref: string; slackChannel?: string }>
}

/** What one rule did with one trigger. */
export interface Proposal {
  rule: string
  entity: string
  because: string
  outcome: 'proposed' | 'ran' | 'open-already' | 'refused'
  requestId?: string
  /** For `ran`: the request's final status; for `refused` and a proposal left for a person: why. */
  detail?: string
}

/** A trigger as rules see it: what happened, to which entity, and the facts rules match on. */
type Trigger =
  | { type: 'alert'; entity: string; because: string; alertname?: string; labels: Record<string, string> }
  | { type: 'incident'; entity: string; because: string; severity: string; title: string }
  | { type: 'anomaly'; entity: string; because: string; metric: string; score: number }
  | { type: 'rca-finding'; entity: string; because: string; report: RcaReport }

const CONFIDENCE = { low: 0, medium: 1, high: 2 } as const
const OPEN = new Set(['pending', 'running'])
const SLACK_CHANNEL = 'slack.com/channel-name'

export interface AutoRemediationOptions {
  config: RemediationConfig
  approvals: Approvals
  index: CatalogIndex
  signals: SignalsRepository
  bus: EventBus
  now?: () => Date
  onProposal?: (proposal: Proposal) => void
}

/**
 * Auto-remediation: operators' rules map a trigger (an alert, an incident, an anomaly, or an RCA finding with
 * enough confidence) to a playbook. A rule that fires proposes: it asks the approvals service, as
 * `rule:<name>`, for the playbook on the entity, and the request goes to the owning team's channel. Only a
 * rule marked `runWithoutApproval` approves its own proposal, and only when freezes and limits allow a run now
 * (else a person decides). One proposal per rule and entity is open at a time. Triggers come from the bus
 * (`signals-ingested`, `anomaly-detected`) and are handled one after another, off the publisher's path.
 */
export class AutoRemediation {
  private queue: Promise<void> = Promise.resolve()
  private readonly now: () => Date
  private readonly rules: RuleConfig[]

  constructor(private readonly options: AutoRemediationOptions) {
    this.now = options.now ?? (() => new Date())
    this.rules = options.config.rules
  }

  /** Follows the bus; returns the function that stops. Without rules it listens to nothing. */
  start(): () => void {
    if (this.rules.length === 0) return () => {}
    const stops = [
      this.options.bus.subscribe(SIGNALS_INGESTED, (event) => void this.enqueue(() => this.onSignals(event.payload as SignalsIngested)), ONCE_PER_CLUSTER),
      this.options.bus.subscribe(ANOMALY_DETECTED, (event) => void this.enqueue(() => this.onAnomaly(event.payload as AnomalyDetected)), ONCE_PER_CLUSTER),
    ]
    return () => stops.forEach((stop) => stop())
  }

  /** Resolves when every trigger received so far has been handled. */
  async settled(): Promise<void> {
    let seen: Promise<void>
    do {
      seen = this.queue
      await seen
    } while (seen !== this.queue)
  }

  /** The proposals new signals lead to: firing alerts, newly opened incidents, and the RCA finding of each. */
  async onSignals(payload: SignalsIngested): Promise<Proposal[]> {
    const triggers: Trigger[] = []
    for (const alert of payload.alerts.filter((item) => item.firing)) {
      triggers.push({ type: 'alert', entity: alert.entity, because: `alert on ${alert.entity}: ${alert.summary}`, alertname: alert.labels.alertname, labels: alert.labels })
    }
    for (const incident of payload.incidents.filter((item) => item.opened)) {
      triggers.push({ type: 'incident', entity: incident.entity, because: `incident ${incident.id} on ${incident.entity}: ${incident.title}`, severity: incident.severity, title: incident.title })
      if (!this.rules.some((rule) => rule.trigger.type === 'rca-finding')) continue
      const report = await analyzeFromSignals({ signals: this.options.signals, index: this.options.index, incidentId: incident.id, now: this.now() })
      const cause = report.likelyCause
      if (cause) triggers.push({ type: 'rca-finding', entity: cause.entity, because: `RCA of incident ${incident.id} names ${cause.entity} (${cause.confidence} confidence; ${cause.kinds.join(', ') || 'no specific kind'})`, report })
    }
    return this.fire(triggers)
  }

  async onAnomaly(payload: AnomalyDetected): Promise<Proposal[]> {
    return this.fire([{ type: 'anomaly', entity: payload.entity, because: `anomaly in ${payload.metric} of ${payload.entity} (score ${payload.score.toFixed(2)}) at ${payload.at}`, metric: payload.metric, score: payload.score }])
  }

  private enqueue(work: () => Promise<unknown>): Promise<void> {
    // One trigger after another: two alerts for one entity must not both find no open proposal and both propose.
    this.queue = this.queue.then(work).then(() => undefined, (error: unknown) => console.error('auto-remediation failed:', error))
    return this.queue
  }

  private async fire(triggers: Trigger[]): Promise<Proposal[]> {
    const proposals: Proposal[] = []
    for (const trigger of triggers) {
      // Rules are checked in order; the first that matches a trigger proposes.
      const rule = this.rules.find((candidate) => matches(candidate, trigger))
      if (!rule) continue
      const proposal = await this.propose(rule, trigger)
      proposals.push(proposal)
      this.options.onProposal?.(proposal)
    }
    return proposals
  }

  private async propose(rule: RuleConfig, trigger: Trigger): Promise<Proposal> {
    const { approvals, index, bus, config } = this.options
    const requester = `rule:${rule.name}`
    const base = { rule: rule.name, entity: trigger.entity, because: trigger.because }
    const open = (await approvals.list({ tools: ['remediation_request'], target: trigger.entity, limit: 200 })).find((request) => request.requester === requester && OPEN.has(request.status))
    if (open) return { ...base, outcome: 'open-already', requestId: open.id, detail: `${open.id} is still ${open.status}` }
    const owners = index.has(trigger.entity) ? index.targets(trigger.entity, 'ownedBy') : []
    const identity: Identity = { subject: requester, scopes: new Set(['remediation:request']) }
    const input = { playbook: rule.playbook, entity: trigger.entity, ...(rule.replicas !== undefined ? { replicas: rule.replicas } : {}), ...(rule.params ? { params: rule.params } : {}) }
    let request
    try {
      request = await approvals.request('remediation_request', input, identity, { surface: 'auto-remediation', ...(owners[0] ? { threadId: `team:${owners[0]}` } : {}), reason: `${trigger.because} (rule ${rule.name}).` })
    } catch (error) {
      return { ...base, outcome: 'refused', detail: (error as Error).message }
    }
    let guard = { allowed: false, reason: 'the rule needs a person to approve' }
    if (rule.runWithoutApproval) guard = await checkGuards({ approvals, config, entity: trigger.entity, playbook: rule.playbook, now: this.now(), beforeApproval: true })
    const proposed: RemediationProposed = {
      requestId: request.id,
      rule: rule.name,
      entity: trigger.entity,
      because: trigger.because,
      automatic: guard.allowed,
      owners: owners.map((ref) => {
        const channel = index.get(ref)?.metadata.annotations?.[SLACK_CHANNEL]
        return { ref, ...(channel ? { slackChannel: String(channel) } : {}) }
      }),
    }
    await bus.publish({ type: REMEDIATION_PROPOSED, payload: proposed })
    if (!guard.allowed) return { ...base, outcome: 'proposed', requestId: request.id, detail: rule.runWithoutApproval ? `waits for a person: ${guard.reason}` : guard.reason }
    const ran = await approvals.approveAutomatically({ id: request.id, rule: rule.name, reason: `marked safe for this trigger: ${trigger.because}` })
    return { ...base, outcome: 'ran', requestId: request.id, detail: ran.status }
  }
}

function matches(rule: RuleConfig, trigger: Trigger): boolean {
  if (rule.trigger.type !== trigger.type) return false
  if (rule.entities && !rule.entities.some((ref) => normalizeEntityRef(ref, { defaultKind: 'component' }) === trigger.entity)) return false
  const wanted = rule.trigger
  switch (trigger.type) {
    case 'alert': {
      const want = wanted as Extract<RuleConfig['trigger'], { type: 'alert' }>
      return (!want.alertname || want.alertname === trigger.alertname) && Object.entries(want.labels).every(([key, value]) => trigger.labels[key] === value)
    }
    case 'incident': {
      const want = wanted as Extract<RuleConfig['trigger'], { type: 'incident' }>
      return want.severities.includes(trigger.severity as never) && (!want.titleMatches || new RegExp(want.titleMatches, 'i').test(trigger.title))
    }
    case 'anomaly': {
      const want = wanted as Extract<RuleConfig['trigger'], { type: 'anomaly' }>
      return (!want.metric || want.metric === trigger.metric) && trigger.score >= want.minScore
    }
    case 'rca-finding': {
      const want = wanted as Extract<RuleConfig['trigger'], { type: 'rca-finding' }>
      const cause = trigger.report.likelyCause!
      return CONFIDENCE[cause.confidence] >= CONFIDENCE[want.minConfidence] && cause.kinds.some((kind) => want.findings.includes(kind))
    }
  }
}
