import { z } from 'zod'
import { NotFoundError } from '../../core/errors.ts'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import { docsFolder, readDocsPages } from '../../graph/docs/entity-docs.ts'
import { resolveEntityRef } from '../../graph/index/resolve-entity.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'
import { decodeCursor, encodeCursor } from '../paging.ts'
import { headingAnchor, markdownSections } from './markdown-sections.ts'
import { docsLocation } from './search-document.ts'
import type { SearchFilters } from './search-index.ts'
import type { SearchService } from './search-service.ts'

const oneOrMany = (description: string) =>
  z
    .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(20)])
    .optional()
    .describe(`${description}; one value or a list (any of them)`)

export const searchInput = z.object({
  query: z.string().trim().min(1).max(500).describe('What to find, in words: a name, part of one, a topic or a question'),
  kind: oneOrMany('Entity kind, e.g. component, api, resource, system, group'),
  type: oneOrMany('spec.type, e.g. service, website, database, openapi'),
  owner: oneOrMany('Owning group, e.g. "team-payments" or "group:default/team-payments"'),
  system: oneOrMany('System, e.g. "checkout"'),
  lifecycle: oneOrMany('e.g. production, experimental, deprecated'),
  tag: oneOrMany('Tag, e.g. java, tier-1'),
  documentType: z.enum(['entity', 'docs']).optional().describe('Only catalog entities, or only docs sections'),
  limit: z.number().int().min(1).max(50).default(10),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
  mode: z.enum(['hybrid', 'full-text', 'semantic']).default('hybrid').describe('hybrid (default) fuses names, full text and meaning'),
})

const facetSchema = z.array(z.object({ value: z.string(), count: z.number().int() }))
const hitSchema = z.object({
  id: z.string(),
  ref: z.string(),
  documentType: z.enum(['entity', 'docs']),
  kind: z.string(),
  type: z.string().optional(),
  owner: z.string().optional(),
  system: z.string().optional(),
  lifecycle: z.string().optional(),
  tags: z.array(z.string()),
  title: z.string(),
  section: z.string().optional(),
  location: z.string(),
  snippet: z.string(),
  score: z.number(),
  matchedBy: z.array(z.enum(['name', 'full-text', 'meaning'])),
  matchedWords: z.array(z.string()),
  why: z.string(),
})
export const searchOutput = z.object({
  query: z.string(),
  mode: z.enum(['hybrid', 'full-text', 'semantic']),
  results: z.array(hitSchema),
  total: z.number().int(),
  facets: z.object({ kind: facetSchema, type: facetSchema, owner: facetSchema, system: facetSchema, lifecycle: facetSchema, tag: facetSchema }),
  corrections: z.record(z.string(), z.string()),
  semantic: z.enum(['ready', 'indexing', 'off']),
  nextCursor: z.string().optional(),
})

const list = (value: string | string[] | undefined) => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map((item) => item.trim().toLowerCase()))

/** Filters as people write them ("team-payments", "Checkout") turned into what the index stores (references, lower case). */
export function searchFilters(catalog: Catalog, input: z.output<typeof searchInput>): SearchFilters {
  const resolve = (values: string[] | undefined, defaultKind: string) => values?.map((value) => resolveEntityRef(catalog.index, value, { defaultKind: value.includes(':') ? undefined : defaultKind }))
  return {
    kind: list(input.kind),
    type: list(input.type),
    owner: resolve(list(input.owner), 'group'),
    system: resolve(list(input.system), 'system'),
    lifecycle: list(input.lifecycle),
    tag: list(input.tag),
    documentType: input.documentType ? [input.documentType] : undefined,
  }
}

export function searchTools({ catalog, search }: { catalog: Catalog; search: SearchService }): ToolDefinition[] {
  const searchTool = defineTool({
    name: 'search',
    title: 'Search the catalog and docs',
    description:
      'Finds services, APIs, resources, systems, teams, people and docs sections from words or a question: exact or partial names, typos, synonyms, runbook and documentation text. Filters: kind, type, owner, system, lifecycle, tag. Each result has a snippet with the matched words, a score and why it matched.',
    input: searchInput,
    output: searchOutput,
    annotations: READ_ONLY,
    scope: 'search:read',
    approval: false,
    examples: [
      'where is the runbook for checkout?',
      'find services about billing',
      'find the docs on how to rotate database credentials',
      'search the docs for kafka consumer lag',
      'which docs explain local development setup?',
      'where can I read about fraud detection?',
      'documentation about shipping labels',
      'is there a runbook for when database connections are exhausted?',
      'search for anything related to invoices and tax',
      'how do I get started developing the storefront locally?',
      'where are the operations docs for payments?',
      'look for documentation on product recommendations',
      'anything about gift cards?',
      'search docs: database connections exhausted',
      'which service handles sending emails?',
      'something that does image resizing',
      'where is the escalation policy for the ledger?',
      "is there anything that generates invoice PDFs?",
      "do we have a service for address validation?",
      "how to request a kafka topic",
      "where do I start if I want to add a payment method",
      "looking for docs on our caching strategy",
      "what takes care of push notifications?",
      "grep the docs for kafka retries",
      "look up idempotency in the docs",
      "any writeups on blue/green deploys",
      "where is the guide for rotating redis passwords",
      "find anything mentioning gdpr",
      "is there a service that sends push notifications",
      "who knows about the pricing engine",
      "docs about setting up a local environment",
      "search for 'circuit breaker'",
    ],
    async execute(input) {
      const { query, limit, cursor, mode } = input
      const filters = searchFilters(catalog, input)
      const paging = { query, filters, mode }
      const offset = cursor ? decodeCursor(cursor, paging) : 0
      const response = await search.search({ query, filters, limit, offset, mode })
      const next = offset + response.results.length
      return { ...response, ...(next < response.total ? { nextCursor: encodeCursor(next, paging) } : {}) }
    },
    render: (output) => {
      if (output.results.length === 0) return `Nothing found for "${output.query}".`
      const corrected = Object.entries(output.corrections).map(([from, to]) => `${from} → ${to}`)
      const lines = output.results.map((hit, position) => `${position + 1}. ${hit.title} (${hit.documentType === 'docs' ? `docs of ${hit.ref}` : hit.ref}) ${hit.location}\n   ${hit.snippet.replace(/<\/?mark>/g, '**').replace(/\s+/g, ' ')}\n   why: ${hit.why}`)
      return [`${output.total} result(s) for "${output.query}"${corrected.length > 0 ? ` (searched as ${corrected.join(', ')})` : ''}:`, ...lines].join('\n')
    },
  })

  const sectionSchema = z.object({ heading: z.string(), path: z.array(z.string()), anchor: z.string(), location: z.string() })
  const docsGet = defineTool({
    name: 'docs_get',
    title: "Read an entity's docs",
    description: "Returns an entity's TechDocs (Markdown from its docs folder): the pages with their sections, and the text of the whole docs or of one section (by heading or anchor, e.g. \"On-call and runbook\").",
    input: z.object({
      ref: z.string().min(1).max(300).describe('An entity reference, e.g. "checkout-api" or "component:default/checkout-api"'),
      section: z.string().min(1).max(200).optional().describe('A heading or its anchor; omitted: the whole docs'),
      page: z.string().min(1).max(300).optional().describe('A page path under docs/, e.g. index.md; omitted: every page'),
    }),
    output: z.object({
      ref: z.string(),
      pages: z.array(z.object({ path: z.string(), location: z.string(), sections: z.array(sectionSchema) })),
      section: sectionSchema.extend({ page: z.string() }).optional(),
      text: z.string(),
      truncated: z.boolean(),
    }),
    annotations: READ_ONLY,
    scope: 'search:read',
    approval: false,
    examples: ["show me checkout-api's docs", 'read the runbook section of the payments-api docs', 'open the docs of search-service', 'show the local development section for cart-service docs', 'what do the docs of ledger-service say about dependencies?', "techdocs of cart-service", "the checkout-api documentation please", "what does the order-service documentation say about deploys", "open the payments-api runbook", "open the tech docs of pricing-service", "fetch the readme of auth-service", "show me the documentation of shipping-service", "inventory-service docs please", "what do the cart-service docs say about on-call", "pull up the docs for order-service", "the on-call section of the payments-api docs"],
    async execute({ ref, section, page }) {
      const resolved = resolveEntityRef(catalog.index, ref)
      const entity = catalog.index.get(resolved)!
      const folder = docsFolder(entity)
      const pages = folder ? await readDocsPages(folder) : undefined
      if (!pages) throw new NotFoundError(`${resolved} has no docs here: it needs a backstage.io/techdocs-ref annotation of the form dir:<path> and a docs/index.md beside its catalog-info.yaml`)
      const chosen = page ? pages.filter((candidate) => candidate.path === page) : pages
      if (chosen.length === 0) throw new NotFoundError(`${resolved} has no docs page "${page}"; its pages: ${pages.map((candidate) => candidate.path).join(', ')}`)
      const title = entity.metadata.title ?? entity.metadata.name
      const outline = chosen.map((candidate) => {
        const sections = markdownSections(candidate.text, { depth: 3, fallbackTitle: title })
        return { page: candidate, sections }
      })
      const MAX_TEXT = 20_000
      const summary = outline.map(({ page: candidate, sections }) => ({
        path: candidate.path,
        location: docsLocation(resolved, candidate.path),
        sections: sections.map((item) => ({ heading: item.heading, path: item.path, anchor: item.anchor, location: docsLocation(resolved, candidate.path, item.anchor) })),
      }))
      if (section) {
        const wanted = headingAnchor(section)
        for (const { page: candidate, sections } of outline) {
          const found = sections.find((item) => item.anchor === wanted) ?? sections.find((item) => item.anchor.includes(wanted))
          if (found) {
            return {
              ref: resolved,
              pages: summary,
              section: { heading: found.heading, path: found.path, anchor: found.anchor, location: docsLocation(resolved, candidate.path, found.anchor), page: candidate.path },
              text: found.text.slice(0, MAX_TEXT),
              truncated: found.text.length > MAX_TEXT,
            }
          }
        }
        throw new NotFoundError(`The docs of ${resolved} have no section "${section}"; sections: ${summary.flatMap((item) => item.sections.map((entry) => entry.heading)).join(', ')}`)
      }
      const text = chosen.map((candidate) => candidate.text).join('\n\n')
      return { ref: resolved, pages: summary, text: text.slice(0, MAX_TEXT), truncated: text.length > MAX_TEXT }
    },
    render: (output) => `${output.section ? `${output.ref} docs — ${output.section.path.join(' › ')} (${output.section.location})` : `${output.ref} docs (${output.pages.length} page(s))`}\n\n${output.text}${output.truncated ? '\n…(truncated)' : ''}`,
  })

  return [searchTool, docsGet]
}
