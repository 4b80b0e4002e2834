import { z } from 'zod'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import type { GraphBackend } from '../../graph/query/graph-backend.ts'
import { dependenciesOf, dependencyCycles, dependentsOf, groupWithSubgroups, ownedBy, partsOf, runTraversal, shortestPath } from '../../graph/query/graph-traversals.ts'
import { MemoryGraphBackend } from '../../graph/query/memory-graph-backend.ts'
import { resolveEntityRef } from '../../graph/index/resolve-entity.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'

const refInput = z.string().min(1).max(300).describe('An entity reference, [kind:][namespace/]name, e.g. "payments-db" or "resource:default/payments-db"')
const reachedSchema = z.object({ ref: z.string(), kind: z.string(), depth: z.number().int(), from: z.string(), relation: z.string(), owners: z.array(z.string()) })

function kindOf(ref: string): string {
  return ref.slice(0, ref.indexOf(':'))
}

/**
 * The graph tools. References are resolved on the in-memory index (every replica has it); the traversals run on
 * `graph`, the in-memory index by default or Neo4j when it is configured, through the same port.
 */
export function graphTools({ catalog, graph = new MemoryGraphBackend(catalog.index) }: { catalog: Catalog; graph?: GraphBackend }): ToolDefinition[] {
  const { index } = catalog

  const dependencies = defineTool({
    name: 'graph_dependencies',
    title: 'What an entity depends on',
    description: 'Lists what a service or resource depends on, directly and transitively (dependsOn, consumed APIs and the components that provide them), up to a depth.',
    input: z.object({ ref: refInput, depth: z.number().int().min(1).max(20).default(3) }),
    output: z.object({ ref: z.string(), dependencies: z.array(reachedSchema) }),
    annotations: READ_ONLY,
    scope: 'graph:read',
    approval: false,
    examples: ['what does checkout-api depend on?', 'dependencies of cart-service', 'which databases does payments-api use', 'what does order-service call', 'what does web-storefront need to work', 'list the dependencies of search-service', 'show downstream dependencies of checkout-api', 'what services does cart-service rely on', 'which apis does checkout-api consume', 'what are the deps of inventory-service', 'what is under pricing-service', 'transitive dependencies of web-storefront', "what are delivery-service's dependencies?", "which services does mobile-bff talk to", "enumerate the services that billing-service requires", "which resources does warehouse-service use", "what is checkout-api built on", "what does payments-api need", "which databases does order-service read from", "what does analytics-ingest consume?", "what does order-service use", "which apis does cart-service consume", "what would I have to stub to run checkout-api locally", "which services must be mocked to test promotions-service in isolation", "what must be up before gift-card-service can start", "which datastores does auth-service touch", "what does shipping-service talk to", "which backing services does invoice-service require", "which upstream services does order-service require", "what external apis does checkout-api hit", "what stores does warehouse-service write to", "what are the prerequisites for running reporting-service", "dependency tree of returns-service", "what is admin-portal wired up to", "what is invoice-service built on", "what is underneath order-service", "what does mobile-bff call downstream"],
    async execute({ ref, depth }) {
      const resolved = resolveEntityRef(index, ref)
      return { ref: resolved, dependencies: (await runTraversal(graph, dependenciesOf(resolved, depth))).map((item) => ({ ...item, kind: kindOf(item.ref) })) }
    },
    render: ({ ref, dependencies }) => [`${ref} depends on ${dependencies.length} entities:`, ...dependencies.map((item) => `${'  '.repeat(item.depth)}- ${item.ref}`)].join('\n'),
  })

  const dependents = defineTool({
    name: 'graph_dependents',
    title: 'What breaks if an entity goes down',
    description: 'The blast radius: everything that depends on an entity, directly or transitively, up to a depth, with the owners to tell.',
    input: z.object({ ref: refInput, depth: z.number().int().min(1).max(20).default(5) }),
    output: z.object({ ref: z.string(), dependents: z.array(reachedSchema), owners: z.array(z.string()) }),
    annotations: READ_ONLY,
    scope: 'graph:read',
    approval: false,
    examples: ['what breaks if payments-db goes down?', 'who depends on auth-service', 'blast radius of search-indexer', 'impact of an outage of cart-service', 'what is affected if cart-db fails', 'which services use payments-api', 'who calls inventory-service', 'what would be impacted if checkout-api was down', 'upstream consumers of pricing-service', 'what relies on user-service', 'if redis-cache dies what breaks', 'who uses the cart-api', 'which services are affected by an outage in kafka-cluster', 'dependents of order-db', 'who needs search-service', "list everything that depends on the ledger-api", "what depends on payments-db", "who would notice if ledger-db went away", "which components consume the cart-api", "what would break if platform-sdk had a bad release", "what goes down with pricing-db?", "what stops working if cart-db is down", "everything that uses payments-api", "anyone still using pricing-db?", "who consumes the tax-api", "which services are built on orders-db", "what else breaks if users-db fails", "impact analysis of an orders-db outage", "which owners must be notified before we shut down pricing-db", "what gets hit when auth-service is down", "who would be affected by maintenance on event-bus", "which teams should be warned before we retire legacy-cart-rest-api", "reverse dependencies of cart-service", "what consumes the order-events", "who is still calling the legacy-cart-rest-api", "which services are impacted if we take search-indexer offline", "if we move payments-db to a new cluster what is affected", "impact of a payments-db outage on other services", "what relies on identity-sdk", "what would suffer if session-cache disappeared", "who are the callers of inventory-api", "what are the upstream services of cart-service"],
    async execute({ ref, depth }) {
      const resolved = resolveEntityRef(index, ref)
      const reached = (await runTraversal(graph, dependentsOf(resolved, depth))).map((item) => ({ ...item, kind: kindOf(item.ref) }))
      return { ref: resolved, dependents: reached, owners: [...new Set(reached.flatMap((item) => item.owners))].sort() }
    },
    render: ({ ref, dependents, owners }) => [`${dependents.length} entities depend on ${ref}:`, ...dependents.map((item) => `${'  '.repeat(item.depth)}- ${item.ref}`), owners.length ? `Owners to tell: ${owners.join(', ')}` : ''].filter(Boolean).join('\n'),
  })

  const path = defineTool({
    name: 'graph_path',
    title: 'How two entities are connected',
    description: 'The shortest chain of catalog relations (ownership, dependencies, APIs, systems, membership) connecting two entities.',
    input: z.object({ from: refInput, to: refInput }),
    output: z.object({ from: z.string(), to: z.string(), found: z.boolean(), steps: z.array(z.object({ from: z.string(), relation: z.string(), to: z.string() })) }),
    annotations: READ_ONLY,
    scope: 'graph:read',
    approval: false,
    examples: ['how is web-storefront connected to payments-db?', 'path from checkout-api to inventory-service', 'path: web-storefront -> payments-db', 'how are cart-service and pricing-service related', 'what connects order-service to payments-api', 'relationship between search-service and search-indexer', 'is there a path between web-storefront and cart-db', 'how does mobile-bff reach payments-db', 'link between team-payments and checkout-api', "how does api-gateway end up at users-db", "is there any chain linking returns-service with refunds-db", "trace a route from mobile-bff to inventory-db", "how does checkout-api get to ledger-db", "show the hops between checkout-api and tax-rates-cache", "how is team-billing tied to ledger-db"],
    async execute({ from, to }) {
      const source = resolveEntityRef(index, from)
      const target = resolveEntityRef(index, to)
      const steps = await runTraversal(graph, shortestPath(source, target))
      return { from: source, to: target, found: steps !== undefined, steps: steps ?? [] }
    },
    render: ({ from, to, found, steps }) => (found ? [from, ...steps.map((step) => `  —${step.relation}→ ${step.to}`)].join('\n') : `No path between ${from} and ${to}.`),
  })

  const owned = defineTool({
    name: 'graph_owned_by',
    title: 'What a team owns',
    description: 'Everything a group owns, including what its subgroups own, optionally of one kind.',
    input: z.object({ group: refInput.describe('A group, e.g. "payments" or "group:default/payments"'), includeSubgroups: z.boolean().default(true), kind: z.string().optional() }),
    output: z.object({ group: z.string(), groups: z.array(z.string()), items: z.array(z.object({ ref: z.string(), kind: z.string(), owner: z.string() })), byKind: z.record(z.string(), z.number().int()) }),
    annotations: READ_ONLY,
    scope: 'graph:read',
    approval: false,
    examples: ['what does team-payments own?', 'services owned by team-platform', 'list everything team-search owns', 'what is team-checkout responsible for', 'which components belong to team-identity', 'show me what team-data maintains', 'what apis does team-checkout own', 'what databases does team-payments own', 'inventory of team-catalog', 'everything owned by payments-engineering', "show me team-data's stuff", "portfolio of the fulfillment-team", "what systems does team-checkout own", "enumerate all entities that team-identity is accountable for", "what else does team-search own", "what is under team-billing", "what is team-checkout on the hook for", "repos owned by team-data", "what is in team-identity's portfolio", "what do the folks on team-data take care of", "what does payments-engineering own including subteams", "everything under the discovery-engineering umbrella", "what services is team-billing accountable for", "what are team-platform's assets", "I joined team-checkout, what do we maintain?", "what is the fulfillment team responsible for", "which things does team-recommendations run"],
    async execute({ group, includeSubgroups, kind }) {
      const resolved = resolveEntityRef(index, group, { defaultKind: group.includes(':') ? undefined : 'group' })
      const items = (await runTraversal(graph, ownedBy(resolved, { includeSubgroups })))
        .map((item) => ({ ...item, kind: kindOf(item.ref) }))
        .filter((item) => !kind || item.kind === kind.toLowerCase())
      const byKind: Record<string, number> = {}
      for (const item of items) byKind[item.kind] = (byKind[item.kind] ?? 0) + 1
      return { group: resolved, groups: includeSubgroups ? await runTraversal(graph, groupWithSubgroups(resolved)) : [resolved], items, byKind }
    },
    render: ({ group, items }) => [`${group} owns ${items.length} entities:`, ...items.map((item) => `- ${item.ref}`)].join('\n'),
  })

  const parts = defineTool({
    name: 'graph_parts',
    title: 'What a system or domain contains',
    description: 'The members of a domain or system, recursively: its systems, then their components, APIs and resources.',
    input: z.object({ ref: refInput.describe('A system or domain, e.g. "system:checkout" or "domain:commerce"') }),
    output: z.object({ ref: z.string(), parts: z.array(z.object({ ref: z.string(), kind: z.string(), partOf: z.string(), depth: z.number().int() })) }),
    annotations: READ_ONLY,
    scope: 'graph:read',
    approval: false,
    examples: ['what is in the checkout-system?', 'which systems belong to the commerce-domain', 'what does the payments-domain contain', 'components of the search-system', 'list the parts of system checkout-system', 'what is inside the data-platform system', 'which services are part of the storefront-system', "list the contents of the payment-processing system", "what systems are in the payments-domain domain", "what makes up the billing-system system", "what's inside the fulfillment-system system", "what does the customer-identity system contain", "describe the structure of the payments-domain domain", "which systems does the search-discovery domain have", "list what belongs to system:default/api-platform", "what are the pieces of the checkout system", "give me a breakdown of the identity domain", "what lives inside the billing system", "what is grouped under the platform domain", "show me the building blocks of the notifications system", "which systems are grouped in the commerce domain", "what's under the fulfillment system"],
    async execute({ ref }) {
      const resolved = resolveEntityRef(index, ref)
      return { ref: resolved, parts: (await runTraversal(graph, partsOf(resolved))).map((item) => ({ ...item, kind: kindOf(item.ref) })) }
    },
    render: ({ ref, parts: list }) => [`${ref} contains ${list.length} entities:`, ...list.map((item) => `${'  '.repeat(item.depth)}- ${item.ref}`)].join('\n'),
  })

  const cycles = defineTool({
    name: 'graph_cycles',
    title: 'Dependency cycles',
    description: 'Finds groups of entities that depend on each other in a cycle (through dependsOn and APIs).',
    input: z.object({}),
    output: z.object({ cycles: z.array(z.array(z.string())) }),
    annotations: READ_ONLY,
    scope: 'graph:read',
    approval: false,
    examples: ['are there dependency cycles?', 'find circular dependencies', 'do we have any dependency loops', 'check the graph for cycles', 'which services depend on each other in a circle', "does anything depend on itself through a loop", "any dependency circles?", "detect cycles", "is the dependency graph acyclic", "any services that depend on each other in a loop", "cyclic dependencies between components?"],
    async execute() {
      return { cycles: await runTraversal(graph, dependencyCycles()) }
    },
    render: ({ cycles: list }) => (list.length === 0 ? 'No dependency cycles.' : list.map((cycle) => `- ${cycle.join(' ↔ ')}`).join('\n')),
  })

  return [dependencies, dependents, path, owned, parts, cycles] as ToolDefinition[]
}
