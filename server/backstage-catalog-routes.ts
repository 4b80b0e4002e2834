import { Hono } from 'hono'
import { z } from 'zod'
import { InputError, NotFoundError, issuesFromZod } from '../core/errors.ts'
import type { Catalog } from '../graph/catalog/catalog.ts'
import { stringifyEntityRef, parseEntityRef } from '../graph/model/entity-ref.ts'
import { parseBackstageFilter, queryEntities, type EntityQuery } from '../graph/index/query-entities.ts'
import { errorResponse } from './error-response.ts'
import { selectFields, valuesAt } from './select-fields.ts'

const DEFAULT_PAGE = 20

function jsonResponse(body: string): Response {
  return new Response(body, { headers: { 'content-type': 'application/json' } })
}
const MAX_PAGE = 10000

const limitSchema = z.coerce.number().int().min(0).max(MAX_PAGE)

interface QueryCursor {
  filter: string[]
  orderFields: Array<{ field: string; order: 'asc' | 'desc' }>
  fullText?: string
  offset: number
}

function parseLimit(value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback
  const parsed = limitSchema.safeParse(value)
  if (!parsed.success) throw new InputError(`limit must be a whole number from 0 to ${MAX_PAGE}`, { issues: issuesFromZod(parsed.error, 'limit') })
  return parsed.data
}

function parseOrder(values: string[], separator: ',' | ':'): Array<{ field: string; order: 'asc' | 'desc' }> {
  return values.map((value) => {
    // by-query writes `field,asc`; /entities writes `asc:field`.
    const parts = value.split(separator)
    const [field, order] = separator === ',' ? [parts[0], parts[1] ?? 'asc'] : parts.length === 2 ? [parts[1], parts[0]] : [parts[0], 'asc']
    if (!field || (order !== 'asc' && order !== 'desc')) throw new InputError(`Invalid order "${value}": use ${separator === ',' ? 'orderField=metadata.name,asc' : 'order=asc:metadata.name'}`)
    return { field, order }
  })
}

function parseFields(values: string[]): string[] | undefined {
  const fields = values.flatMap((value) => value.split(',')).map((field) => field.trim()).filter(Boolean)
  return fields.length > 0 ? fields : undefined
}

/** Backstage's catalog read API, answered the way Backstage answers it, so its clients can read this catalog. */
export function backstageCatalogRoutes({ catalog }: { catalog: Catalog }): Hono {
  const { index } = catalog
  const app = new Hono()
  app.onError((error, context) => errorResponse(context, error))

  const run = (query: QueryCursor): string[] => {
    const entityQuery: EntityQuery = { filter: parseBackstageFilter(query.filter), fullText: query.fullText }
    if (query.orderFields[0]) entityQuery.orderBy = query.orderFields[0]
    return queryEntities(index, entityQuery)
  }

  app.get('/entities', (context) => {
    const filter = context.req.queries('filter') ?? []
    const fields = parseFields(context.req.queries('fields') ?? [])
    const orderFields = parseOrder(context.req.queries('order') ?? [], ':')
    const limit = parseLimit(context.req.query('limit'), undefined)
    const offset = parseLimit(context.req.query('offset'), 0) ?? 0
    const refs = run({ filter, orderFields, offset })
    const page = refs.slice(offset, limit === undefined ? undefined : offset + limit)
    if (!fields) return jsonResponse(`[${page.map((ref) => index.json(ref)!).join(',')}]`)
    return context.json(page.map((ref) => selectFields(index.get(ref)!, fields)))
  })

  app.get('/entities/by-query', (context) => {
    const cursorText = context.req.query('cursor')
    const fields = parseFields(context.req.queries('fields') ?? [])
    const limit = parseLimit(context.req.query('limit'), DEFAULT_PAGE)!
    let query: QueryCursor
    if (cursorText) {
      try {
        query = JSON.parse(Buffer.from(cursorText, 'base64url').toString('utf8')) as QueryCursor
        if (!Array.isArray(query.filter) || typeof query.offset !== 'number' || !Array.isArray(query.orderFields)) throw new Error()
      } catch {
        throw new InputError('cursor is malformed; pass pageInfo.nextCursor or prevCursor from a previous response unchanged')
      }
    } else {
      query = {
        filter: context.req.queries('filter') ?? [],
        orderFields: parseOrder(context.req.queries('orderField') ?? [], ','),
        fullText: context.req.query('fullTextFilterTerm') || undefined,
        offset: 0,
      }
    }
    const refs = run(query)
    const pageRefs = refs.slice(query.offset, query.offset + limit)
    const encode = (offset: number) => Buffer.from(JSON.stringify({ ...query, offset })).toString('base64url')
    const pageInfo: { nextCursor?: string; prevCursor?: string } = {}
    if (query.offset + limit < refs.length) pageInfo.nextCursor = encode(query.offset + limit)
    if (query.offset > 0) pageInfo.prevCursor = encode(Math.max(0, query.offset - limit))
    // Whole entities come from the index's JSON cache; only a page with `fields` builds objects.
    const items = fields ? JSON.stringify(pageRefs.map((ref) => selectFields(index.get(ref)!, fields))) : `[${pageRefs.map((ref) => index.json(ref)!).join(',')}]`
    return jsonResponse(`{"items":${items},"totalItems":${refs.length},"pageInfo":${JSON.stringify(pageInfo)}}`)
  })

  app.get('/entities/by-name/:kind/:namespace/:name', (context) => {
    const { kind, namespace, name } = context.req.param()
    const ref = stringifyEntityRef({ kind, namespace, name })
    const entity = index.get(ref)
    if (!entity) throw new NotFoundError(`No entity named '${name}' found, with kind '${kind}' in namespace '${namespace}'`)
    return context.json(entity)
  })

  app.get('/entities/by-uid/:uid', (context) => {
    const uid = context.req.param('uid')
    const ref = [...index.withValue('metadata.uid', uid.toLowerCase())][0]
    if (!ref) throw new NotFoundError(`No entity with uid ${uid}`)
    return context.json(index.get(ref))
  })

  app.post('/entities/by-refs', async (context) => {
    const body = z.object({ entityRefs: z.array(z.string()).max(MAX_PAGE), fields: z.array(z.string()).optional() }).safeParse(await context.req.json().catch(() => undefined))
    if (!body.success) throw new InputError('Body must be {"entityRefs": [string], "fields"?: [string]}', { issues: issuesFromZod(body.error) })
    const fields = parseFields([...(context.req.queries('fields') ?? []), ...(body.data.fields ?? [])])
    const items = body.data.entityRefs.map((ref) => {
      let canonical: string
      try {
        canonical = stringifyEntityRef(parseEntityRef(ref))
      } catch {
        return null
      }
      const entity = index.get(canonical)
      return entity ? selectFields(entity, fields) : null
    })
    return context.json({ items })
  })

  app.get('/entity-facets', (context) => {
    const facets = context.req.queries('facet') ?? []
    if (facets.length === 0) throw new InputError('Give at least one facet, e.g. ?facet=kind&facet=spec.type')
    const refs = run({ filter: context.req.queries('filter') ?? [], orderFields: [], offset: 0 })
    const out: Record<string, Array<{ value: string; count: number }>> = {}
    for (const facet of facets) {
      const counts = new Map<string, number>()
      for (const ref of refs) {
        // Each entity counts once per distinct value, as Backstage counts it.
        for (const value of new Set(valuesAt(index.get(ref)!, facet))) counts.set(value, (counts.get(value) ?? 0) + 1)
      }
      out[facet] = [...counts.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    }
    return context.json({ facets: out })
  })

  return app
}
