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

export type Card = EntityCard | GraphCard | EntityListCard | ApprovalCard

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
      return []
  }
}

export function approvalCard(request: ApprovalRequest): ApprovalCard {
  return { kind: 'approval', id: `approval:${request.id}`, request: approvalView(request) }
}
