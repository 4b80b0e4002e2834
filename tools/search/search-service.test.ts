import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { LocalEmbedder } from '../../core/embeddings/local-embedder.ts'
import { InProcessEventBus } from '../../core/events/in-process-event-bus.ts'
import { openTestStore, testEngines, type TestStore } from '../../core/testing/test-store.ts'
import { Catalog } from '../../graph/catalog/catalog.ts'
import { SqlCatalogRepository } from '../../graph/catalog/sql-catalog-repository.ts'
import { SearchService, wordsRankingAlone } from './search-service.ts'

const component = (name: string, description: string, extra = '') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  description: ${description}\n${extra}spec: { type: service, lifecycle: production, owner: group:${name === 'storefront' ? 'shop' : 'money'}, system: ${name === 'storefront' ? 'shop' : 'finance'} }\n`

const ORG = [
  'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: money, title: Money Team }\nspec: { type: team, children: [] }\n',
  'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: shop }\nspec: { type: team, children: [] }\n',
  'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: { name: finance }\nspec: { owner: money }\n',
  'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: { name: shop }\nspec: { owner: shop }\n',
  'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: ledger-db, description: PostgreSQL database of the ledger }\nspec: { type: database, owner: money, system: finance }\n',
  component('payments-gateway', 'Charges credit cards and wallets at checkout.', '  tags: [java, tier-1]\n'),
  component('storefront', 'The web shop customers browse and buy from.', '  tags: [typescript]\n'),
  component('notifier', 'Sends transactional emails and SMS to customers.'),
].join('---\n')

describe.each(testEngines)('SearchService on %s', (engine) => {
  let testStore: TestStore
  let catalog: Catalog
  let search: SearchService
  let root: string

  beforeAll(async () => {
    testStore = await openTestStore(engine)
    root = await mkdtemp(path.join(os.tmpdir(), 'portal-search-'))
    await mkdir(path.join(root, 'ledger/docs'), { recursive: true })
    await writeFile(path.join(root, 'ledger/catalog-info.yaml'), component('ledger', 'Double-entry bookkeeping of every money movement.', '  annotations:\n    backstage.io/techdocs-ref: dir:.\n'))
    await writeFile(path.join(root, 'ledger/docs/index.md'), '# Ledger\n\nThe books.\n\n## On-call and runbook\n\nIf balances drift, pause the nightly reconciliation job and page the Money team.\n\n## Local development\n\n```sh\n# not a heading\nmake dev\n```\n')
    const bus = new InProcessEventBus()
    catalog = await Catalog.open({ repository: new SqlCatalogRepository(testStore.store), bus })
    const report = await catalog.import([{ name: 'org.yaml', text: ORG }, path.join(root, 'ledger/catalog-info.yaml')])
    expect(report.errors).toEqual([])
    search = new SearchService({ catalog, bus, store: testStore.store, embedder: new LocalEmbedder({ modelDir: inject('embeddingModelDir') }), log: () => {} })
    await search.ready()
  }, 120_000)
  afterAll(async () => {
    await search?.close()
    await testStore?.close()
    await rm(root, { recursive: true, force: true })
  })

  const refs = async (query: string, options: Parameters<SearchService['search']>[0] extends infer R ? Partial<R> : never = {}) => (await search.search({ query, ...options })).results.map((hit) => hit.id)

  it('indexes every entity and each docs section, all embedded', async () => {
    const status = await search.status()
    expect(status).toMatchObject({ entities: 9, embedder: 'local:all-MiniLM-L6-v2:int8' })
    expect(status.documents).toBe(status.embedded)
    const sections = await search.indexedDocs('component:default/ledger')
    expect(sections.map((section) => section.title).sort()).toEqual(['ledger: Ledger', 'ledger: Local development', 'ledger: On-call and runbook'])
  })

  it('finds exact names, partial names and misspelt names, by full text alone too', async () => {
    for (const mode of ['hybrid', 'full-text'] as const) {
      expect((await refs('payments-gateway', { mode }))[0]).toBe('component:default/payments-gateway')
      expect((await refs('paym', { mode }))[0]).toBe('component:default/payments-gateway')
      expect((await refs('storefornt', { mode }))[0]).toBe('component:default/storefront')
    }
    expect((await search.search({ query: 'storefornt' })).corrections).toEqual({ storefornt: 'storefront' })
  })

  it('finds by meaning what shares no word with the query', async () => {
    expect(await refs('message a buyer on their phone', { mode: 'full-text' })).not.toContain('component:default/notifier')
    expect((await refs('message a buyer on their phone'))[0]).toBe('component:default/notifier')
  })

  it('finds a docs section, with its location, a marked snippet and why it matched', async () => {
    const { results } = await search.search({ query: 'ledger runbook reconciliation' })
    const section = results.find((hit) => hit.documentType === 'docs')!
    expect(section).toMatchObject({ ref: 'component:default/ledger', title: 'ledger: On-call and runbook', location: '/docs/default/component/ledger/#on-call-and-runbook', owner: 'group:default/money' })
    expect(section.snippet).toContain('<mark>reconciliation</mark>')
    expect(section.matchedWords).toContain('reconciliation')
    expect(section.why).toMatch(/text contains .*"reconciliation"/)
  })

  it('filters by kind, owner, system, tag and document type, and counts facets', async () => {
    expect(await refs('ledger', { filters: { kind: ['resource'] } })).toEqual(['resource:default/ledger-db'])
    expect(await refs('ledger runbook', { filters: { documentType: ['docs'] } })).toEqual(expect.arrayContaining(['component:default/ledger#docs/index.md#on-call-and-runbook']))
    const shop = await refs('customers', { filters: { system: ['system:default/shop'] } })
    expect(shop).toEqual(['component:default/storefront'])
    expect(await refs('cards', { filters: { tag: ['tier-1'] } })).toEqual(['component:default/payments-gateway'])
    const { facets, total } = await search.search({ query: 'ledger', mode: 'full-text' })
    expect(total).toBeGreaterThan(1)
    expect(facets.kind).toEqual(expect.arrayContaining([{ value: 'resource', count: 1 }]))
    expect(facets.owner[0]).toEqual({ value: 'group:default/money', count: total })
  })

  it('keeps the index current as the catalog changes', async () => {
    const report = await catalog.import([{ name: 'more.yaml', text: component('refund-desk', 'Handles chargebacks and refunds.') }])
    expect(report.errors).toEqual([])
    await search.ready()
    expect((await refs('chargebacks'))[0]).toBe('component:default/refund-desk')
    const emptied = await catalog.import([{ name: 'more.yaml', text: '' }])
    expect(emptied.changes.removed).toBe(1)
    await search.ready()
    expect(await refs('chargebacks', { mode: 'full-text' })).toEqual([])
  })

  it('finds what was just written, with no full-text entries left pending on PGlite, which has no autovacuum to merge them', async () => {
    const report = await catalog.import([{ name: 'more.yaml', text: component('dunning', 'Chases unpaid invoices.') }])
    expect(report.errors).toEqual([])
    await search.ready()
    // PostgreSQL's autovacuum merges the pending list in its own time; on PGlite the index must have done it.
    const pendingPages = async () => (await testStore.store.query<{ pages: number }>(`select gin_clean_pending_list('search_documents_text'::regclass)::int as pages`)).rows[0]!.pages
    if (engine === 'pglite') expect(await pendingPages()).toBe(0)
    expect((await refs('unpaid invoices', { mode: 'full-text' }))[0]).toBe('component:default/dunning')
  })
})

describe('wordsRankingAlone', () => {
  const frequency = (word: string) => ({ events: 3_700, worker: 4_400, payout: 820, zebra: 3 })[word] ?? 0

  it('leaves out words in more documents than are ranked, unless every word is', () => {
    expect(wordsRankingAlone(['payout', 'events', 'zebra'], frequency)).toEqual(['zebra'])
    expect(wordsRankingAlone(['events', 'unknown'], frequency)).toEqual(['unknown'])
    expect(wordsRankingAlone(['worker', 'payout', 'events'], frequency)).toEqual(['payout'])
  })
})
