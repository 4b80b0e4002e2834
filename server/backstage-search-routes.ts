import { Hono } from 'hono'
import { z } from 'zod'
import { InputError, issuesFromZod } from '../core/errors.ts'
import { localOperator } from '../core/identity.ts'
import type { ToolRegistry } from '../tools/tool-registry.ts'
import { errorResponse } from './error-response.ts'

/** Backstage's document types; `software-catalog` holds entities and `techdocs` docs sections. */
const TYPES = { 'software-catalog': 'entity', techdocs: 'docs' } as const
const FILTER_KEYS = ['kind', 'type', 'owner', 'system', 'lifecycle', 'tag'] as const

const querySchema = z.object({
  term: z.string().max(500).default(''),
  types: z.array(z.enum(['software-catalog', 'techdocs'], { message: 'must be software-catalog or techdocs' })).default([]),
  filters: z.partialRecord(z.enum(FILTER_KEYS, { message: `must be one of ${FILTER_KEYS.join(', ')}` }), z.array(z.string().min(1).max(200))).optional(),
  pageCursor: z.string().max(2000).optional(),
  pageLimit: z.coerce.number().int().min(1).max(100).default(25),
})

interface SearchHitOutput {
  ref: string
  documentType: 'entity' | 'docs'
  kind: string
  type?: string
  owner?: string
  lifecycle?: string
  title: string
  section?: string
  location: string
  snippet: string
  score: number
}

/**
 * Backstage's search API (`GET /api/search/query`), as its search client sends it: `term`, `types[0]=…`,
 * `filters[kind]=…`, `pageCursor`, `pageLimit`; answered as `{results: [{type, document: {title, text,
 * location, …}, rank, highlight}], nextPageCursor, numberOfResults}`. The search itself is the registry's
 * `search` tool.
 */
export function backstageSearchRoutes({ tools }: { tools: ToolRegistry }): Hono {
  const app = new Hono()
  app.onError((error, context) => errorResponse(context, error))
  const identity = { ...localOperator('http-anonymous'), scopes: new Set(['search:read']) }

  app.get('/query', async (context) => {
    const url = new URL(context.req.url)
    const parsed = querySchema.safeParse(readQuery(url.searchParams))
    if (!parsed.success) throw new InputError(`Invalid search query: ${issuesFromZod(parsed.error).map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, { issues: issuesFromZod(parsed.error) })
    const { term, types, filters, pageCursor, pageLimit } = parsed.data
    // Backstage's engines list everything for an empty term; a search here needs words.
    if (term.trim() === '') return context.json({ results: [], numberOfResults: 0 })
    const documentTypes = [...new Set(types.map((type) => TYPES[type]))]
    const input = {
      query: term,
      limit: Math.min(pageLimit, 50),
      ...(pageCursor ? { cursor: pageCursor } : {}),
      ...(documentTypes.length === 1 ? { documentType: documentTypes[0] } : {}),
      ...Object.fromEntries(Object.entries(filters ?? {}).map(([key, values]) => [key, values.length === 1 ? values[0] : values])),
    }
    const { output } = await tools.call('search', input, { identity, signal: context.req.raw.signal })
    const { results, total, nextCursor } = output as { results: SearchHitOutput[]; total: number; nextCursor?: string }
    // The cursor was checked by the tool; its offset numbers this page's ranks after the earlier pages'.
    const offset = pageCursor ? (JSON.parse(Buffer.from(pageCursor, 'base64url').toString('utf8')) as { offset: number }).offset : 0
    return context.json({
      results: results.map((hit, position) => ({
        type: hit.documentType === 'entity' ? 'software-catalog' : 'techdocs',
        document: {
          title: hit.title,
          text: hit.snippet.replace(/<\/?mark>/g, ''),
          location: hit.location,
          kind: hit.kind,
          ...(hit.type ? { componentType: hit.type, type: hit.type } : {}),
          ...(hit.owner ? { owner: hit.owner } : {}),
          ...(hit.lifecycle ? { lifecycle: hit.lifecycle } : {}),
          entityRef: hit.ref,
          ...(hit.section ? { section: hit.section } : {}),
        },
        rank: offset + position + 1,
        highlight: { preTag: '<mark>', postTag: '</mark>', fields: { text: hit.snippet } },
      })),
      ...(nextCursor ? { nextPageCursor: nextCursor } : {}),
      numberOfResults: total,
    })
  })
  return app
}

/** `types[0]=a&types[1]=b` or `types=a`, `filters[kind]=x` (repeatable) → plain values for the schema. */
function readQuery(params: URLSearchParams): Record<string, unknown> {
  const query: Record<string, unknown> = {}
  const types: string[] = []
  const filters: Record<string, string[]> = {}
  for (const [key, value] of params) {
    if (key === 'types' || /^types\[\d*\]$/.test(key)) types.push(value)
    else if (/^filters\[[^\]]+\](\[\d*\])?$/.test(key)) {
      const name = key.slice('filters['.length, key.indexOf(']'))
      ;(filters[name] ??= []).push(value)
    } else if (key === 'term' || key === 'pageCursor' || key === 'pageLimit') query[key] = value
    else throw new InputError(`Unknown search parameter "${key}"; use term, types[], filters[<kind|type|owner|system|lifecycle|tag>], pageCursor, pageLimit`, { issues: [{ path: key, message: 'unknown parameter' }] })
  }
  if (types.length > 0) query.types = types
  if (Object.keys(filters).length > 0) query.filters = filters
  return query
}
