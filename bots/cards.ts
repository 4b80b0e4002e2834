import type { ApprovalRequest } from '../core/approvals/approval-repository.ts'
import type { CatalogIndex } from '../graph/index/catalog-index.ts'

/**
 * Structured cards, surface-neutral: the chat service makes them from tool results and every surface renders
 * them its own way (React components, Block Kit, Adaptive Cards). Everything in a card comes from the catalog
 * or a tool result; text in it is data to show, never instructions.
 */
export interface EntityCard {
  kind: 'entity'
  id: string
  ref: string
  title: string
  entityKind: string
  type?: string
  lifecycle?: string
  description?: string
  owner?: { ref: string; title: string }
  system?: string
  tags: string[]
  links: Array<{ url: string; title: string }>
  /** Whether it has TechDocs (`backstage.io/techdocs-ref`), so a surface can offer to open them. */
  hasDocs: boolean
  /** The entity as JSON, from the Backstage-compatible catalog API. */
  api: string
}

export interface GraphCard {
  kind: 'graph'
  id: string
  title: string
  root: string
  nodes: Array<{ ref: string; title: string; entityKind: string; depth: number }>
  edges: Array<{ from: string; to: string; relation: string }>
}

export interface EntityListCard {
  kind: 'entity-list'
  id: string
  title: string
  total: number
  items: Array<{ ref: string; title: string; entityKind: string }>
}

export interface ApprovalCard {
  kind: 'approval'
  id: string
  request: ApprovalView
}

/**
 * Rows of figures or results: cost breakdowns, savings, emissions, search results. A `chart` draws one
 * numeric column as bars beside the rows (the web chat draws it; text surfaces show the numbers).
 */
export interface TableCard {
  kind: 'table'
  id: string
  title: string
  columns: string[]
  rows: Array<{ cells: string[]; ref?: string }>
  chart?: { column: number; values: number[] }
  footer?: string
}

export type Card = EntityCard | GraphCard | EntityListCard | ApprovalCard | TableCard

/** What surfaces show of an approval request (its input is shown as the summary says it; the rest as is). */
export type ApprovalView = Pick<ApprovalRequest, 'id' | 'tool' | 'summary' | 'target' | 'blastRadius' | 'approvers' | 'requiredApprovals' | 'policyReason' | 'status' | 'expiresAt' | 'createdAt' | 'decisions' | 'result' | 'error' | 'requesterUser' | 'requester' | 'surface'>

export function approvalView(request: ApprovalRequest): ApprovalView {
  const { id, tool, summary, target, blastRadius, approvers, requiredApprovals, policyReason, status, expiresAt, createdAt, decisions, result, error, requesterUser, requester, surface } = request
  return { id, tool, summary, target, blastRadius, approvers, requiredApprovals, policyReason, status, expiresAt, createdAt, decisions, result, error, requesterUser, requester, surface }
}

type Json = any

function titleOf(index: CatalogIndex, ref: string): string {
  const entity = index.get(ref)
  const profile = (entity?.spec as { profile?: { displayName?: string } } | undefined)?.profile
  return entity?.metadata.title ?? profile?.displayName ?? entity?.metadata.name ?? ref
}

const kindOf = (ref: string) => ref.slice(0, ref.indexOf(':'))

export function entityCard(index: CatalogIndex, ref: string): EntityCard | undefined {
  const entity = index.get(ref)
  if (!entity) return undefined
  const spec = (entity.spec ?? {}) as Record<string, unknown>
  const owner = index.targets(ref, 'ownedBy')[0]
  const system = index.targets(ref, 'partOf').find((target) => target.startsWith('system:'))
  const [kind, rest] = [kindOf(ref), ref.slice(ref.indexOf(':') + 1)]
  const hasDocs = Boolean(entity.metadata.annotations?.['backstage.io/techdocs-ref'])
  return {
    kind: 'entity',
    id: `entity:${ref}`,
    ref,
    title: titleOf(index, ref),
    entityKind: entity.kind,
    ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
    ...(typeof spec.lifecycle === 'string' ? { lifecycle: spec.lifecycle } : {}),
    ...(entity.metadata.description ? { description: entity.metadata.description } : {}),
    ...(owner ? { owner: { ref: owner, title: titleOf(index, owner) } } : {}),
    ...(system ? { system } : {}),
    tags: entity.metadata.tags ?? [],
    links: (entity.metadata.links ?? []).filter((link) => /^https?:\/\//.test(link.url)).map((link) => ({ url: link.url, title: link.title ?? link.url })),
    hasDocs,
    api: `/api/catalog/entities/by-name/${kind}/${rest}`,
  }
}

function graphCard(index: CatalogIndex, id: string, title: string, root: string, reached: Array<{ ref: string; depth: number; from: string; relation: string }>, reverse: boolean): GraphCard {
  const nodes = [{ ref: root, title: titleOf(index, root), entityKind: kindOf(root), depth: 0 }, ...reached.map((item) => ({ ref: item.ref, title: titleOf(index, item.ref), entityKind: kindOf(item.ref), depth: item.depth }))]
  // Edges point the way dependencies go: from the one that needs to the one needed.
  const edges = reached.map((item) => (reverse ? { from: item.ref, to: item.from, relation: item.relation } : { from: item.from, to: item.ref, relation: item.relation }))
  return { kind: 'graph', id, title, root, nodes, edges }
}

function listCard(index: CatalogIndex, id: string, title: string, refs: string[], total = refs.length): EntityListCard {
  return { kind: 'entity-list', id, title, total, items: refs.slice(0, 50).map((ref) => ({ ref, title: titleOf(index, ref), entityKind: kindOf(ref) })) }
}

/** The cards for one tool result; a tool with nothing to show as a card gets none (its text says it). */
export function cardsFor(index: CatalogIndex, toolName: string, output: unknown, callId: string): Card[] {
  const result = output as Json
  if (result?.approvalRequest) return []
  switch (toolName) {
    case 'catalog_get_entity':
    case 'catalog_who_owns': {
      const card = entityCard(index, result.ref)
      return card ? [card] : []
    }
    case 'graph_dependencies':
      return [graphCard(index, `graph:${callId}`, `What ${titleOf(index, result.ref)} depends on`, result.ref, result.dependencies, false)]
    case 'graph_dependents':
      return [graphCard(index, `graph:${callId}`, `What breaks if ${titleOf(index, result.ref)} goes down`, result.ref, result.dependents, true)]
    case 'graph_path': {
      if (!result.found) return []
      const reached = result.steps.map((step: Json, position: number) => ({ ref: step.to, depth: position + 1, from: step.from, relation: step.relation }))
      return [graphCard(index, `graph:${callId}`, `How ${titleOf(index, result.from)} connects to ${titleOf(index, result.to)}`, result.from, reached, false)]
    }
    case 'graph_owned_by':
      return [listCard(index, `list:${callId}`, `What ${titleOf(index, result.group)} owns`, result.items.map((item: Json) => item.ref))]
    case 'graph_parts':
      return [listCard(index, `list:${callId}`, `Parts of ${titleOf(index, result.ref)}`, result.parts.map((item: Json) => item.ref))]
    case 'catalog_query':
      return [listCard(index, `list:${callId}`, 'Matching entities', result.items.map((item: Json) => item.ref), result.totalItems)]
    default:
      return tableCardsFor(toolName, result, callId)
  }
}

export function approvalCard(request: ApprovalRequest): ApprovalCard {
  return { kind: 'approval', id: `approval:${request.id}`, request: approvalView(request) }
}

const money = (value: number, currency = 'USD') => new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 }).format(value)
const signed = (value: number, currency?: string) => `${value >= 0 ? '+' : '−'}${money(Math.abs(value), currency)}`

/** Tables for the figures tools return (cost, carbon, search…); a tool not listed has none. */
function tableCardsFor(toolName: string, result: Json, callId: string): TableCard[] {
  const id = `table:${callId}`
  switch (toolName) {
    case 'cost_breakdown':
      return [{
        kind: 'table', id, title: `Spend by ${result.groupBy}, ${result.window.from} to ${result.window.to}`,
        columns: [result.groupBy, 'cost', 'previous', 'change', 'share'],
        rows: result.items.map((item: Json) => ({ cells: [item.key, money(item.billedCost, result.currency), money(item.previousCost, result.currency), signed(item.change, result.currency), `${Math.round(item.share * 100)}%`], ...(item.key.includes(':') ? { ref: item.key } : {}) })),
        chart: { column: 1, values: result.items.map((item: Json) => item.billedCost) },
        footer: `Total ${money(result.total, result.currency)} (previous period ${money(result.previousTotal, result.currency)}); unallocated ${money(result.unallocated, result.currency)}.`,
      }]
    case 'cost_recommendations':
      return [{
        kind: 'table', id, title: 'What to cut',
        columns: ['kind', 'resource', 'action', 'saves per month'],
        rows: result.recommendations.map((item: Json) => ({ cells: [item.kind, item.resourceId ?? item.entityRef ?? '—', item.action, money(item.estimatedMonthlySavings)], ...(item.entityRef ? { ref: item.entityRef } : {}) })),
        chart: { column: 3, values: result.recommendations.map((item: Json) => item.estimatedMonthlySavings) },
        footer: `${money(result.totalMonthlySavings)} per month in all.`,
      }]
    case 'cost_anomalies':
      return [{
        kind: 'table', id, title: `Cost anomalies by ${result.anomalies[0]?.dimension ?? 'service'}`,
        columns: ['what', 'when', 'excess', 'driven by'],
        rows: result.anomalies.map((item: Json) => ({ cells: [item.key, item.start === item.end ? item.start : `${item.start} to ${item.end}`, money(item.excessCost), item.drivers.map((driver: Json) => driver.resourceId ?? driver.skuId ?? '—').join(', ')] })),
        chart: { column: 2, values: result.anomalies.map((item: Json) => item.excessCost) },
      }]
    case 'cost_forecast':
      return [{
        kind: 'table', id, title: `Forecast for ${result.month}: ${money(result.forecast)}`,
        columns: ['team', 'so far', 'forecast', 'budget'],
        rows: result.teams.map((team: Json) => ({ cells: [team.team, money(team.actual), money(team.forecast), team.budget === undefined ? '—' : `${money(team.budget)}${team.overBudgetBy ? ` (over by ${money(team.overBudgetBy)})` : ''}`], ref: team.team })),
        chart: { column: 2, values: result.teams.map((team: Json) => team.forecast) },
      }]
    case 'search':
      return [{
        kind: 'table', id, title: `Search: ${result.query}`,
        columns: ['result', 'where', 'matched'],
        rows: result.results.map((hit: Json) => ({ cells: [hit.title, hit.section ? `${hit.ref} › ${hit.section}` : hit.ref, hit.snippet.replace(/<\/?mark>/g, '')], ref: hit.ref })),
        footer: `${result.total} result${result.total === 1 ? '' : 's'}${result.semantic === 'indexing' ? '; meaning-based matching is still indexing' : ''}.`,
      }]
    case 'rca_analyze':
      return [{
        kind: 'table', id, title: `Root-cause analysis for ${result.target}${result.incidentId ? ` (incident ${result.incidentId})` : ''}`,
        columns: ['candidate cause', 'score', 'evidence'],
        rows: result.candidates.slice(0, 5).map((candidate: Json) => ({ cells: [candidate.entity, candidate.score.toFixed(2), candidate.evidence.slice(0, 3).join('; ')], ...(candidate.entity.includes(':') ? { ref: candidate.entity } : {}) })),
        chart: { column: 1, values: result.candidates.slice(0, 5).map((candidate: Json) => candidate.score) },
        footer: [result.likelyCause ? `Likely cause: ${result.likelyCause.entity} (${result.likelyCause.confidence} confidence).` : 'No likely cause found.', ...result.nextSteps.slice(0, 3)].join(' '),
      }]
    case 'incidents_list':
      return [{
        kind: 'table', id, title: 'Incidents',
        columns: ['incident', 'service', 'severity', 'status', 'started'],
        rows: result.incidents.map((incident: Json) => ({ cells: [`${incident.id}: ${incident.title}`, incident.entity, incident.severity, incident.status, incident.startedAt.slice(0, 16).replace('T', ' ')] })),
      }]
    case 'carbon_footprint':
      return [{
        kind: 'table', id, title: `Carbon footprint by ${result.groupBy}`,
        columns: [result.groupBy, 'kg CO2e', 'kWh'],
        rows: result.items.map((item: Json) => ({ cells: [item.key, String(item.kgCo2e), String(item.kwh)] })),
        chart: { column: 1, values: result.items.map((item: Json) => item.kgCo2e) },
        footer: `${result.totalKgCo2e} kg CO2e from ${result.totalKwh} kWh.${result.suggestions.length ? ` ${result.suggestions.map((item: Json) => `Moving ${item.region} to ${item.suggestedRegion} saves about ${item.kgCo2eSaved} kg.`).join(' ')}` : ''}`,
      }]
    default:
      return []
  }
}
