import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import { SMALL_ORG } from '../core/testing/memory-catalog.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { createHttpApp } from './create-http-app.ts'

type Json = any

describe("Backstage's search API (/api/search/query)", () => {
  let platform: Platform
  let app: ReturnType<typeof createHttpApp>
  const get = async (url: string): Promise<{ status: number; body: Json }> => {
    const response = await app.request(url)
    return { status: response.status, body: await response.json() }
  }

  beforeAll(async () => {
    // Full text alone: the route's translation is under test, not the embedder.
    platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_EMBEDDINGS_MODEL: 'none' }), catalogPaths: [] })
    const report = await platform.catalog.import([{ name: 'org.yaml', text: SMALL_ORG }])
    expect(report.errors).toEqual([])
    // Building the index opens an in-memory store of its own: done here, not inside the first test.
    await platform.search.ready()
    app = createHttpApp(platform)
  })
  afterAll(async () => {
    await platform?.close()
  })

  it('answers in Backstage shape: type, document with title, text and location, rank, highlight', async () => {
    const { status, body } = await get('/api/search/query?term=payments-db&types[0]=software-catalog')
    expect(status).toBe(200)
    expect(body.numberOfResults).toBeGreaterThan(0)
    expect(body.results[0]).toMatchObject({
      type: 'software-catalog',
      document: { title: 'payments-db', location: '/catalog/default/resource/payments-db', kind: 'resource', entityRef: 'resource:default/payments-db' },
      rank: 1,
      highlight: { preTag: '<mark>', postTag: '</mark>' },
    })
    expect(typeof body.results[0].document.text).toBe('string')
  })

  it('filters (filters[kind]=…) and pages with nextPageCursor, ranks continuing', async () => {
    const first = await get('/api/search/query?term=pay&pageLimit=1')
    expect(first.body.results).toHaveLength(1)
    expect(first.body.nextPageCursor).toEqual(expect.any(String))
    const second = await get(`/api/search/query?term=pay&pageLimit=1&pageCursor=${encodeURIComponent(first.body.nextPageCursor)}`)
    expect(second.body.results[0].rank).toBe(2)
    expect(second.body.results[0].document.location).not.toBe(first.body.results[0].document.location)
    const groups = await get('/api/search/query?term=pay&filters[kind]=group')
    expect(groups.body.results.length).toBeGreaterThan(0)
    expect(groups.body.results.every((result: Json) => result.document.kind === 'group')).toBe(true)
  })

  it('answers an empty term with no results, and bad parameters with what was wrong', async () => {
    expect((await get('/api/search/query?term=')).body).toEqual({ results: [], numberOfResults: 0 })
    const badType = await get('/api/search/query?term=x&types[0]=tools')
    expect(badType.status).toBe(400)
    expect(badType.body.error.message).toMatch(/types\.0: must be software-catalog or techdocs/)
    const unknown = await get('/api/search/query?term=x&sort=asc')
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.message).toMatch(/Unknown search parameter "sort"/)
    const limit = await get('/api/search/query?term=x&pageLimit=500')
    expect(limit.body.error.message).toMatch(/pageLimit/)
  })
})
