import { z } from 'zod'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import { entitySummarySchema, summarizeEntity } from '../../graph/index/entity-summary.ts'
import { queryEntities, type EntityFilter } from '../../graph/index/query-entities.ts'
import { resolveEntityRef } from '../../graph/index/resolve-entity.ts'
import { groupWithSubgroups } from '../../graph/index/graph-traversals.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'
import { decodeCursor, encodeCursor } from '../paging.ts'

const refInput = z.string().min(1).max(300).describe('An entity reference, [kind:][namespace/]name, e.g. "checkout-api" or "component:default/checkout-api"')

const problemSchema = z.object({ file: z.string(), entity: z.string().optional(), field: z.string().optional(), message: z.string() })

const contactSchema = z.object({ type: z.string(), value: z.string() })
const personSchema = z.object({ ref: z.string(), name: z.string(), email: z.string().optional(), slackUserId: z.string().optional(), teamsEmail: z.string().optional() })

export function catalogTools({ catalog }: { catalog: Catalog }): ToolDefinition[] {
  const { index } = catalog

  const getEntity = defineTool({
    name: 'catalog_get_entity',
    title: 'Get a catalog entity',
    description: 'Returns one catalog entity (service, API, resource, system, domain, team, person, template) with its metadata, spec and relations.',
    input: z.object({ ref: refInput }),
    output: z.object({ ref: z.string(), entity: z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: z.looseObject({ name: z.string() }) }) }),
    annotations: READ_ONLY,
    scope: 'catalog:read',
    approval: false,
    examples: ['tell me about checkout-api', 'show the payments-db resource', 'what is search-service?', 'describe cart-service', 'details of web-storefront', 'info on the order-service component', 'give me an overview of inventory-service', 'what does checkout-api do?', 'show me the entity user-service', 'look up payments-rest-api', 'explain what fraud-service is', 'summary of notification-service', 'what lifecycle is checkout-api in', 'what kind of thing is cart-db', 'is search-service in production?', 'what system is cart-service part of', 'which system does payments-api belong to', 'who is in team-payments', 'members of team-search', 'who works on team-checkout', 'which team is alex.haddad in', "what's the deal with legacy-cart-api", "tell me about the checkout-system system", "what is the billing-domain domain about", "who is yara.haddad", "what language is cart-service written in", "which programming language is order-service in", "what database engine is orders-db", "what kind of database is users-db", "what tier is checkout-api", "quick rundown of tax-service", "tell me everything you know about ledger-service", "what type of api is tax-api", "what does fraud-detection-service do exactly", "who are the members of team-data", "who's in team-storefront", "what team does lars.sato belong to", "what role does maya.patel have", "what domain is search-service in", "what's order-service's lifecycle", "is legacy-cart-api still deprecated", "info about the order-events api", "some background on the pricing-service please", "what's the story with sms-gateway"],
    async execute({ ref }) {
      const resolved = resolveEntityRef(index, ref)
      return { ref: resolved, entity: index.get(resolved)! }
    },
    render: ({ ref, entity }) => `${ref}: ${(entity.metadata as { title?: string }).title ?? entity.metadata.name}${(entity.metadata as { description?: string }).description ? ` — ${(entity.metadata as { description?: string }).description}` : ''}`,
  })

  const queryInput = z.object({
    kind: z.string().optional().describe('Component, API, Resource, System, Domain, Group, User, Location, Template'),
    type: z.string().optional().describe('spec.type, e.g. service, website, database'),
    owner: z.string().optional().describe('The owning group, e.g. "payments" or "group:default/payments"'),
    system: z.string().optional(),
    lifecycle: z.string().optional().describe('e.g. production, experimental, deprecated'),
    tag: z.string().optional(),
    text: z.string().max(200).optional().describe('Words in the name, title or description'),
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().optional().describe('nextCursor of the previous page'),
  })
  const query = defineTool({
    name: 'catalog_query',
    title: 'Find catalog entities',
    description: 'Lists catalog entities filtered by kind, type, owner, system, lifecycle, tag and text, a page at a time (cursor paging).',
    input: queryInput,
    output: z.object({ items: z.array(entitySummarySchema), totalItems: z.number().int(), nextCursor: z.string().optional() }),
    annotations: READ_ONLY,
    scope: 'catalog:read',
    approval: false,
    examples: ['list the services in production', 'which APIs are deprecated?', 'show all databases', 'services tagged java', 'find experimental components', 'list every grpc api', 'show me all the teams', 'list all caches', 'which services are written in go', 'find services matching recommendation', 'list components of type website', 'show deprecated services owned by team-payments', 'list the apis owned by team-checkout', 'what libraries do we have', 'how many services are there', 'list all users', 'search the catalog for fraud', 'find entities about invoices', 'which resources are queues', 'list systems', 'show domains', 'all production services in the checkout system', 'which components are tagged tier-1', "what teams exist?", "find anything with 'invoice' in its name or description", "look for entities that mention 'carts'", "which entities mention webhooks", "what websites do we have", "typescript websites", "show all grpc apis", "what kinds of databases are there", "what redis caches do we have", "which apis speak grpc", "show the s3 buckets", "all the message queues please", "every asyncapi api", "which libraries exist", "components tagged pii", "which systems are there", "list the domains", "everyone in the org", "which things are still experimental"],
    async execute({ limit, cursor, ...filters }) {
      const conditions = new Map<string, string[]>()
      const set = (key: string, value: string | undefined) => value !== undefined && conditions.set(key, [value.toLowerCase()])
      set('kind', filters.kind)
      set('spec.type', filters.type)
      set('spec.lifecycle', filters.lifecycle)
      set('metadata.tags', filters.tag)
      if (filters.owner) set('relations.ownedby', resolveEntityRef(index, filters.owner, { defaultKind: filters.owner.includes(':') ? undefined : 'group' }))
      if (filters.system) set('relations.partof', resolveEntityRef(index, filters.system, { defaultKind: 'system' }))
      const filter: EntityFilter = conditions.size > 0 ? [conditions] : []
      const refs = queryEntities(index, { filter, fullText: filters.text })
      const offset = cursor ? decodeCursor(cursor, filters) : 0
      const page = refs.slice(offset, offset + limit)
      return {
        items: page.map((ref) => summarizeEntity(index, ref)),
        totalItems: refs.length,
        nextCursor: offset + limit < refs.length ? encodeCursor(offset + limit, filters) : undefined,
      }
    },
    render: ({ items, totalItems }) => [`${totalItems} entities`, ...items.map((item) => `- ${item.ref}${item.owner ? ` (owner ${item.owner})` : ''}`)].join('\n'),
  })

  const whoOwns = defineTool({
    name: 'catalog_who_owns',
    title: 'Who owns an entity',
    description: 'Answers who owns a service, API, resource or system: the owning group or person, its members and how to reach them (e-mail, Slack, Teams).',
    input: z.object({ ref: refInput }),
    output: z.object({
      ref: z.string(),
      owners: z.array(z.object({ ref: z.string(), title: z.string(), type: z.string().optional(), parent: z.string().optional(), inCatalog: z.boolean().describe('false when the owner is referenced but not (yet) in the catalog'), contacts: z.array(contactSchema), members: z.array(personSchema) })),
    }),
    annotations: READ_ONLY,
    scope: 'catalog:read',
    approval: false,
    examples: ['who owns checkout-api?', 'which team is responsible for payments-db', 'who do I talk to about search-service', 'owner of cart-service', 'who maintains inventory-service', 'whose service is order-service', 'who is on the team that owns payments-api', 'which team do I contact about fraud-service', 'who should I ping about web-storefront', 'how do I reach the owners of user-service', 'who is responsible for cart-db', 'owning team of checkout-rest-api', 'who to tell about notification-service', 'slack channel for the owners of search-service', 'who can I ask about pricing-service', 'checkout-api owner', 'owners of cart-db', "who do I escalate to about order-service", "which team is behind tax-service", "which squad owns the loyalty-service", "who is the point of contact for cart-cache", "who should I raise a bug about pricing-api with", "who built fraud-detection-service", "who runs the feature-store", "who is accountable for orders-db", "who can help me with the ledger-api", "which team do I contact for an issue with shipping-api", "who is in charge of warehouse-service", "who supports the email-sender", "whose is the invoices-bucket", "need a contact for promotions-service", "who do I go to about session-cache", "who's on the hook for inventory-service", "who do I report a bug in pricing-service to", "we hit a bug in auth-service, who do we raise it with", "who should review my pull request for pricing-api"],
    async execute({ ref }) {
      const resolved = resolveEntityRef(index, ref)
      const owners = index.targets(resolved, 'ownedBy').map((ownerRef) => {
        const owner = index.getStored(ownerRef)?.entity
        const spec = (owner?.spec ?? {}) as { type?: string; profile?: { displayName?: string; email?: string } }
        const contacts: Array<{ type: string; value: string }> = []
        if (spec.profile?.email) contacts.push({ type: 'email', value: spec.profile.email })
        for (const [key, value] of Object.entries(owner?.metadata.annotations ?? {})) {
          if (/^(slack\.com|microsoft\.com|pagerduty\.com|opsgenie\.com)\//.test(key)) contacts.push({ type: key, value })
        }
        for (const link of owner?.metadata.links ?? []) contacts.push({ type: link.type ?? link.title ?? 'link', value: link.url })
        // An owner the catalog does not have yet (a dangling reference) is still named, just without members.
        const memberRefs = !index.has(ownerRef) ? [] : ownerRef.startsWith('user:') ? [ownerRef] : groupWithSubgroups(index, ownerRef).flatMap((group) => index.targets(group, 'hasMember'))
        const members = [...new Set(memberRefs)].filter((member) => index.has(member)).sort().map((member) => {
          const person = index.getStored(member)!.entity
          const profile = ((person.spec ?? {}) as { profile?: { displayName?: string; email?: string } }).profile ?? {}
          const annotations = person.metadata.annotations ?? {}
          return { ref: member, name: profile.displayName ?? person.metadata.title ?? person.metadata.name, email: profile.email, slackUserId: annotations['slack.com/user-id'], teamsEmail: annotations['microsoft.com/email'] }
        })
        return {
          ref: ownerRef,
          title: spec.profile?.displayName ?? owner?.metadata.title ?? owner?.metadata.name ?? ownerRef,
          type: spec.type,
          parent: index.targets(ownerRef, 'childOf')[0],
          inCatalog: owner !== undefined,
          contacts,
          members,
        }
      })
      return { ref: resolved, owners }
    },
    render: ({ ref, owners }) =>
      owners.length === 0
        ? `${ref} has no owner in the catalog.`
        : owners.map((owner) => `${ref} is owned by ${owner.title} (${owner.ref})${owner.contacts.length ? `; contact: ${owner.contacts.map((contact) => contact.value).join(', ')}` : ''}${owner.members.length ? `; members: ${owner.members.map((member) => member.name).join(', ')}` : ''}`).join('\n'),
  })

  const validate = defineTool({
    name: 'catalog_validate',
    title: 'Validate catalog YAML',
    description: 'Checks catalog-info.yaml text against the Backstage entity format and returns every problem with its entity and field. Stores nothing.',
    input: z.object({ yaml: z.string().min(1).max(1024 * 1024).describe('The YAML text of one or more entities') }),
    output: z.object({ valid: z.boolean(), entities: z.array(z.string()), errors: z.array(problemSchema), warnings: z.array(problemSchema) }),
    annotations: READ_ONLY,
    scope: 'catalog:read',
    approval: false,
    examples: ['is this catalog-info.yaml valid?', 'validate my entity yaml', 'check this catalog file for errors', 'lint this entity definition', 'what is wrong with this yaml', 'is this descriptor correct'],
    async execute({ yaml }) {
      const result = await catalog.validate(yaml)
      return { valid: result.errors.length === 0, ...result }
    },
    render: ({ valid, errors, warnings }) => (valid ? `Valid${warnings.length ? `, with ${warnings.length} warnings` : ''}.` : `Invalid:\n${errors.map((error) => `- ${[error.entity, error.field].filter(Boolean).join(' ')}: ${error.message}`).join('\n')}`),
  })

  return [getEntity, query, whoOwns, validate] as ToolDefinition[]
}
