import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, testEngines, type TestStore } from '../testing/test-store.ts'
import { createToken, hashToken, listTokens, revokeToken, verifyToken } from './api-tokens.ts'
import { parseScopes } from './parse-scopes.ts'

describe('parseScopes', () => {
  it('accepts comma-separated or listed scopes, deduplicated in SCOPES order', () => {
    expect(parseScopes('graph:read, catalog:read,graph:read')).toEqual(['catalog:read', 'graph:read'])
    expect(parseScopes(['cost:read'])).toEqual(['cost:read'])
  })

  it('names the bad scope and lists the accepted ones', () => {
    expect(() => parseScopes('catalog:read,catalog:admin')).toThrow(/Unknown scope "catalog:admin"; the scopes are catalog:read, catalog:write, graph:read/)
    expect(() => parseScopes(' , ')).toThrow(/At least one scope is needed/)
  })
})

describe.each(testEngines)('API tokens (%s)', (engine) => {
  let test: TestStore
  beforeAll(async () => {
    test = await openTestStore(engine)
  })
  afterAll(async () => {
    await test?.close()
  })

  it('returns the plaintext once and stores only its SHA-256 hash', async () => {
    const { token, info } = await createToken(test.store, { name: 'ci-bot', scopes: 'catalog:read,graph:read' })
    expect(token).toMatch(/^np_[A-Za-z0-9_-]{43}$/)
    expect(info).toMatchObject({ name: 'ci-bot', scopes: ['catalog:read', 'graph:read'], subject: 'token:ci-bot' })
    const rows = await test.store.query<Record<string, unknown>>('select * from api_tokens where name = $1', ['ci-bot'])
    expect(rows.rows[0]!.token_hash).toBe(hashToken(token))
    expect(JSON.stringify(rows.rows)).not.toContain(token.slice(3))
  })

  it('verifies a token to its identity and records when it was last used', async () => {
    const { token } = await createToken(test.store, { name: 'ide', scopes: ['catalog:read'], subject: 'user:default/ada' })
    expect((await listTokens(test.store)).find((item) => item.name === 'ide')?.lastUsedAt).toBeUndefined()
    const used = new Date('2030-01-02T03:04:05Z')
    const identity = await verifyToken(test.store, token, { now: () => used })
    expect(identity?.subject).toBe('user:default/ada')
    expect([...identity!.scopes]).toEqual(['catalog:read'])
    expect((await listTokens(test.store)).find((item) => item.name === 'ide')?.lastUsedAt?.toISOString()).toBe(used.toISOString())
  })

  it('rejects unknown, malformed and revoked tokens', async () => {
    const { token } = await createToken(test.store, { name: 'short-lived', scopes: ['graph:read'] })
    expect(await verifyToken(test.store, 'np_not-a-real-token')).toBeUndefined()
    expect(await verifyToken(test.store, token.slice(3))).toBeUndefined()
    expect(await verifyToken(test.store, token)).toBeDefined()
    const revoked = await revokeToken(test.store, 'short-lived')
    expect(revoked.revokedAt).toBeInstanceOf(Date)
    expect(await verifyToken(test.store, token)).toBeUndefined()
    // Revoking again keeps the first revocation time.
    expect((await revokeToken(test.store, 'short-lived')).revokedAt!.getTime()).toBe(revoked.revokedAt!.getTime())
  })

  it('refuses a taken name, a bad name and a bad scope, and says what to do', async () => {
    await createToken(test.store, { name: 'taken', scopes: ['catalog:read'] })
    await expect(createToken(test.store, { name: 'taken', scopes: ['catalog:read'] })).rejects.toThrow(/A token named "taken" already exists/)
    await expect(createToken(test.store, { name: 'Bad Name', scopes: ['catalog:read'] })).rejects.toThrow(/must be 1-63 lower-case letters/)
    await expect(createToken(test.store, { name: 'other', scopes: ['catalog:reed'] })).rejects.toThrow(/Unknown scope "catalog:reed"/)
    await expect(revokeToken(test.store, 'nope')).rejects.toThrow(/No token named "nope"; active tokens: .*taken/)
  })

  it('lists tokens by name without any secret', async () => {
    const list = await listTokens(test.store)
    expect(list.map((item) => item.name)).toEqual([...list.map((item) => item.name)].sort())
    for (const item of list) expect(Object.keys(item)).not.toContain('tokenHash')
    expect(list.find((item) => item.name === 'short-lived')?.revokedAt).toBeInstanceOf(Date)
  })
})
