import { describe, expect, it } from 'vitest'
import { readBackstageCatalog } from './read-backstage-catalog.ts'

const entity = (name: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { type: 'service', lifecycle: 'production', owner: 'guests' } })

/** A Backstage by-query endpoint over a list, as Backstage pages it (opaque cursors). */
function byQuery(items: unknown[], seen: URL[] = []): typeof fetch {
  return async (input) => {
    const url = new URL(String(input))
    seen.push(url)
    const offset = Number(url.searchParams.get('cursor') ?? 0)
    const limit = Number(url.searchParams.get('limit'))
    const next = offset + limit < items.length ? String(offset + limit) : undefined
    return Response.json({ items: items.slice(offset, offset + limit), totalItems: items.length, pageInfo: next ? { nextCursor: next } : {} })
  }
}

describe('readBackstageCatalog', () => {
  it('follows cursors to the end, sends the token, and sets apart what is not an entity', async () => {
    const seen: URL[] = []
    const progress: Array<[number, number | undefined]> = []
    const headers: string[] = []
    const fetcher = byQuery([entity('a'), { kind: 'Component' }, entity('b'), entity('c')], seen)
    const read = await readBackstageCatalog({ url: 'http://backstage.test/base/', token: 't0k', pageSize: 2, onProgress: (read, total) => progress.push([read, total]), fetch: async (input, init) => {
      headers.push(new Headers(init?.headers).get('authorization') ?? '')
      return fetcher(input, init)
    } })
    expect(read.entities.map((item) => item.metadata.name)).toEqual(['a', 'b', 'c'])
    expect(read.malformed).toEqual([{ position: 1, reason: expect.stringContaining('apiVersion') }])
    expect(seen.map((url) => url.pathname)).toEqual(['/base/api/catalog/entities/by-query', '/base/api/catalog/entities/by-query'])
    expect(seen[1]!.searchParams.get('cursor')).toBe('2')
    expect(headers).toEqual(['Bearer t0k', 'Bearer t0k'])
    expect(progress).toEqual([[2, 4], [4, 4]])
  })

  it('stops at once on 401 and says to pass a token', async () => {
    let calls = 0
    const refuse: typeof fetch = async () => {
      calls++
      return new Response('{"error":{"name":"AuthenticationError"}}', { status: 401 })
    }
    await expect(readBackstageCatalog({ url: 'http://backstage.test', fetch: refuse })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/--token/) })
    expect(calls).toBe(1)
  })

  it('gives up after the tries with the last problem, and refuses a URL that is not http', async () => {
    let calls = 0
    const busy: typeof fetch = async () => {
      calls++
      return new Response('busy', { status: 503, statusText: 'Service Unavailable' })
    }
    await expect(readBackstageCatalog({ url: 'http://backstage.test', fetch: busy, attempts: 3, backoffMs: 1 })).rejects.toThrow(/after 3 tries: HTTP 503/)
    expect(calls).toBe(3)
    await expect(readBackstageCatalog({ url: 'ftp://backstage.test' })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
