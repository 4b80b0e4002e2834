import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import { openTestStore, testEngines, type TestStore } from '../core/testing/test-store.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { createHttpApp } from './create-http-app.ts'
import { serveHttp } from './serve-http.ts'

const fixture = path.resolve(import.meta.dirname, '../test/fixtures/backstage/all.yaml')
type Json = any

describe.each(['memory', ...testEngines] as const)('Backstage-compatible catalog API (%s)', (engine) => {
  let platform: Platform
  let test: TestStore | undefined
  let app: ReturnType<typeof createHttpApp>
  const get = async (url: string): Promise<{ status: number; body: Json }> => {
    const response = await app.request(url)
    return { status: response.status, body: await response.json() }
  }

  beforeAll(async () => {
    const config = loadConfig({ PORTAL_DATA_DIR: 'memory' })
    if (engine === 'memory') platform = await createPlatform({ config, catalogPaths: [fixture] })
    else {
      test = await openTestStore(engine)
      platform = await createPlatform({ config, store: test.store })
      const report = await platform.catalog.import([fixture])
      expect(report.errors).toEqual([])
    }
    app = createHttpApp(platform)
  })
  afterAll(async () => {
    await platform?.close()
    await test?.close()
  })

  it('GET /api/catalog/entities lists entities, filtered, with fields', async () => {
    const all = await get('/api/catalog/entities')
    expect(all.status).toBe(200)
    expect(all.body).toHaveLength(37)
    const apis = await get('/api/catalog/entities?filter=kind=api,spec.type=openapi&fields=metadata.name,kind')
    expect(apis.body).toEqual(expect.arrayContaining([{ kind: 'API', metadata: { name: 'petstore' } }]))
    expect(apis.body.every((entity: Json) => Object.keys(entity).sort().join() === 'kind,metadata')).toBe(true)
    const paged = await get('/api/catalog/entities?filter=kind=component&order=asc:metadata.name&limit=2&offset=1')
    expect(paged.body.map((entity: Json) => entity.metadata.name)).toEqual(['example-website', 'petstore'])
  })

  it('GET /entities/by-query pages with cursors and totalItems', async () => {
    const first = await get('/api/catalog/entities/by-query?filter=kind=component&limit=5&orderField=metadata.name,asc')
    expect(first.body.totalItems).toBe(14)
    expect(first.body.items).toHaveLength(5)
    expect(first.body.items[0].metadata.name).toBe('artist-lookup')
    expect(first.body.pageInfo.prevCursor).toBeUndefined()
    const names: string[] = first.body.items.map((entity: Json) => entity.metadata.name)
    let cursor = first.body.pageInfo.nextCursor
    let last: Json
    while (cursor) {
      last = await get(`/api/catalog/entities/by-query?cursor=${cursor}&limit=5`)
      names.push(...last.body.items.map((entity: Json) => entity.metadata.name))
      cursor = last.body.pageInfo.nextCursor
    }
    expect(names).toHaveLength(14)
    expect(new Set(names).size).toBe(14)
    expect([...names].sort()).toEqual(names)
    expect(last.body.pageInfo.prevCursor).toBeDefined()
  })

  it('GET /entities/by-query filters by relation and full text', async () => {
    const owned = await get('/api/catalog/entities/by-query?filter=relations.ownedby=group:default/team-a&filter=kind=domain')
    expect(owned.body.totalItems).toBe(14)
    const text = await get('/api/catalog/entities/by-query?fullTextFilterTerm=wayback')
    expect(text.body.items.map((entity: Json) => entity.metadata.name).sort()).toEqual(['wayback-archive', 'wayback-archive', 'wayback-archive-ingestion', 'wayback-archive-storage', 'wayback-search', 'wayback-search'])
  })

  it('GET /entities/by-name returns the entity with relations, or Backstage\'s 404 shape', async () => {
    const found = await get('/api/catalog/entities/by-name/component/default/artist-lookup')
    expect(found.status).toBe(200)
    expect(found.body.metadata.uid).toBeTruthy()
    expect(found.body.relations).toContainEqual({ type: 'dependsOn', targetRef: 'resource:default/artists-db' })
    const upper = await get('/api/catalog/entities/by-name/Component/default/Artist-Lookup')
    expect(upper.body.metadata.name).toBe('artist-lookup')
    const missing = await get('/api/catalog/entities/by-name/component/default/nope')
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({
      error: { name: 'NotFoundError', message: "No entity named 'nope' found, with kind 'component' in namespace 'default'" },
      request: { method: 'GET', url: '/api/catalog/entities/by-name/component/default/nope' },
      response: { statusCode: 404 },
    })
  })

  it('GET /entities/by-uid and POST /entities/by-refs', async () => {
    const entity = (await get('/api/catalog/entities/by-name/api/default/petstore')).body
    expect((await get(`/api/catalog/entities/by-uid/${entity.metadata.uid}`)).body.metadata.name).toBe('petstore')
    const response = await app.request('/api/catalog/entities/by-refs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entityRefs: ['api:petstore', 'component:default/nope'], fields: ['metadata.name'] }) })
    expect(await response.json()).toEqual({ items: [{ metadata: { name: 'petstore' } }, null] })
    const bad = await app.request('/api/catalog/entities/by-refs', { method: 'POST', body: '{"refs": 1}' })
    expect(bad.status).toBe(400)
  })

  it('GET /entity-facets counts values', async () => {
    const facets = await get('/api/catalog/entity-facets?facet=kind&facet=spec.lifecycle&filter=kind=component')
    expect(facets.body.facets.kind).toEqual([{ value: 'Component', count: 14 }])
    expect(facets.body.facets['spec.lifecycle']).toEqual(expect.arrayContaining([{ value: 'production', count: expect.any(Number) }, { value: 'experimental', count: expect.any(Number) }]))
    expect((await get('/api/catalog/entity-facets')).status).toBe(400)
  })

  it('answers bad parameters with 400 and what was wrong', async () => {
    const limit = await get('/api/catalog/entities/by-query?limit=abc')
    expect(limit.status).toBe(400)
    expect(limit.body.error.message).toMatch(/limit/)
    expect((await get('/api/catalog/entities/by-query?cursor=garbage')).status).toBe(400)
    expect((await get('/api/catalog/entities?order=sideways:metadata.name')).status).toBe(400)
  })
})

describe('HTTP server', () => {
  let platform: Platform
  beforeAll(async () => {
    platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), catalogPaths: [fixture] })
  })
  afterAll(async () => {
    await platform.close()
  })

  it('serves health, metrics and tools over a real socket on loopback', async () => {
    const server = await serveHttp(createHttpApp(platform), { port: 0 })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' })
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', entities: 37 })
      const tools = await (await fetch(`${server.url}/api/tools`)).json()
      expect(tools.tools.map((tool: Json) => tool.name)).toContain('graph_dependents')
      const call = await fetch(`${server.url}/api/tools/catalog_who_owns`, { method: 'POST', body: JSON.stringify({ ref: 'artist-lookup' }) })
      // team-a is referenced by Backstage's examples but not defined there: named, marked, without members.
      expect((await call.json()).output.owners).toEqual([{ ref: 'group:default/team-a', title: 'group:default/team-a', inCatalog: false, contacts: [], members: [] }])
      const bad = await fetch(`${server.url}/api/tools/catalog_who_owns`, { method: 'POST', body: '{not json' })
      expect(bad.status).toBe(400)
      const invalid = await fetch(`${server.url}/api/tools/graph_dependents`, { method: 'POST', body: JSON.stringify({ ref: 'artist-lookup', depth: 99 }) })
      expect(invalid.status).toBe(400)
      expect((await invalid.json()).error.issues[0].path).toBe('depth')
      const metrics = await (await fetch(`${server.url}/metrics`)).text()
      expect(metrics).toMatch(/portal_catalog_entities\{kind="component"\} 14/)
      expect(metrics).toMatch(/portal_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/)
      expect((await fetch(`${server.url}/nowhere`)).status).toBe(404)
    } finally {
      await server.close()
    }
  })
})
