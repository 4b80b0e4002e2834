import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { InProcessEventBus } from '../../core/events/in-process-event-bus.ts'
import type { PortalEvent } from '../../core/events/event-bus.ts'
import type { Queryable, Store } from '../../core/store/store.ts'
import { openTestStore, testEngines, type TestStore } from '../../core/testing/test-store.ts'
import { CATALOG_CHANGED, Catalog } from './catalog.ts'
import { SqlCatalogRepository } from './sql-catalog-repository.ts'
import { MemoryCatalogRepository } from './memory-catalog-repository.ts'
import type { CatalogRepository } from './catalog-repository.ts'

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/backstage')

const component = (name: string, owner = 'team-a', extra = '') => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
${extra}`

describe.each(testEngines)('catalog on %s', (engine) => {
  let test: TestStore
  let directory: string
  let events: PortalEvent[]
  let catalog: Catalog

  const open = async (store: Store = test.store) => {
    const bus = new InProcessEventBus()
    bus.subscribe(CATALOG_CHANGED, (event) => {
      events.push(event)
    })
    return Catalog.open({ repository: new SqlCatalogRepository(store), bus })
  }

  beforeAll(async () => {
    test = await openTestStore(engine)
  })
  afterAll(async () => {
    await test?.close()
  })
  beforeEach(async () => {
    await test.store.exec('delete from entities; delete from locations')
    directory = await mkdtemp(path.join(os.tmpdir(), 'portal-catalog-'))
    events = []
    catalog = await open()
  })
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('imports Backstage\'s example catalog with every entity and the relations Backstage derives', async () => {
    const report = await catalog.import([path.join(fixtures, 'all.yaml')])
    expect(report.errors).toEqual([])
    expect(report.entities).toEqual({ Location: 1, API: 11, Component: 14, Domain: 3, Resource: 1, System: 4, User: 1, Group: 1, Template: 1 })
    expect(catalog.index.size).toBe(37)

    expect(catalog.index.get('component:default/artist-lookup')!.relations).toEqual([
      { type: 'dependsOn', targetRef: 'resource:default/artists-db' },
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
      { type: 'partOf', targetRef: 'system:default/artist-engagement-portal' },
    ])
    expect(catalog.index.get('resource:default/artists-db')!.relations).toEqual([
      { type: 'dependencyOf', targetRef: 'component:default/artist-lookup' },
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
      { type: 'partOf', targetRef: 'system:default/artist-engagement-portal' },
    ])
    expect(catalog.index.get('api:default/wayback-archive')!.relations).toEqual(
      expect.arrayContaining([
        { type: 'apiConsumedBy', targetRef: 'component:default/wayback-search' },
        { type: 'apiProvidedBy', targetRef: 'component:default/wayback-archive' },
      ]),
    )
    expect(catalog.index.get('system:default/artist-engagement-portal')!.relations).toEqual(
      expect.arrayContaining([
        { type: 'hasPart', targetRef: 'component:default/artist-lookup' },
        { type: 'hasPart', targetRef: 'resource:default/artists-db' },
        { type: 'partOf', targetRef: 'domain:default/artists' },
      ]),
    )
    // A relation to an entity the catalog lacks is kept, as Backstage keeps it; the group itself is absent.
    expect(catalog.index.has('group:default/team-a')).toBe(false)
    expect(catalog.index.get('group:default/guests')!.relations).toEqual(
      expect.arrayContaining([{ type: 'hasMember', targetRef: 'user:default/guest' }, { type: 'ownerOf', targetRef: 'component:default/example-website' }]),
    )
    expect(catalog.index.get('template:default/example-nodejs-template')!.relations).toEqual([{ type: 'ownedBy', targetRef: 'user:default/guest' }])
  })

  it('stores entities with a uid and etag and loads them back into a new index', async () => {
    await catalog.import([path.join(fixtures, 'all.yaml')])
    const reopened = await open()
    expect(reopened.index.size).toBe(catalog.index.size)
    const entity = reopened.index.get('component:default/wayback-search')!
    expect(entity.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(entity.metadata.etag).toBe(catalog.index.get('component:default/wayback-search')!.metadata.etag)
    expect(entity.relations).toEqual(catalog.index.get('component:default/wayback-search')!.relations)
    expect(entity.metadata.annotations!['backstage.io/managed-by-origin-location']).toBe(`file:${path.join(fixtures, 'all.yaml')}`)
  })

  it('re-importing an unchanged location writes nothing and keeps uids', async () => {
    const file = path.join(directory, 'catalog-info.yaml')
    await writeFile(file, `${component('alpha')}---\n${component('beta')}`)
    const first = await catalog.import([file])
    const uid = catalog.index.get('component:default/alpha')!.metadata.uid
    const second = await catalog.import([file])
    expect(first.changes).toEqual({ added: 2, updated: 0, removed: 0, unchanged: 0 })
    expect(second.changes).toEqual({ added: 0, updated: 0, removed: 0, unchanged: 2 })
    expect(catalog.index.get('component:default/alpha')!.metadata.uid).toBe(uid)
    expect(events).toHaveLength(1)
  })

  it('re-importing updates changed entities and removes the ones that disappeared', async () => {
    const file = path.join(directory, 'catalog-info.yaml')
    await writeFile(file, `${component('alpha')}---\n${component('beta')}`)
    await catalog.import([file])
    const uid = catalog.index.get('component:default/alpha')!.metadata.uid
    await writeFile(file, component('alpha', 'team-b'))
    const report = await catalog.import([file])
    expect(report.changes).toEqual({ added: 0, updated: 1, removed: 1, unchanged: 0 })
    expect(catalog.index.has('component:default/beta')).toBe(false)
    expect(catalog.index.get('component:default/alpha')!.metadata.uid).toBe(uid)
    expect(catalog.index.targets('component:default/alpha', 'ownedBy')).toEqual(['group:default/team-b'])
    const { rows } = await test.store.query<{ ref: string }>('select ref from entities order by ref')
    expect(rows.map((row) => row.ref)).toEqual(['component:default/alpha'])
    expect(events.at(-1)!.payload).toEqual({ upserted: ['component:default/alpha'], removed: ['component:default/beta'] })
  })

  it('an import with an error writes nothing at all', async () => {
    await writeFile(path.join(directory, 'good.yaml'), component('good'))
    await writeFile(path.join(directory, 'bad.yaml'), component('bad', 'team-a', '  dependsOn: [no-kind-here]\n'))
    const report = await catalog.import([directory])
    expect(report.errors).toEqual([
      { file: path.join(directory, 'bad.yaml'), entity: 'component:default/bad', field: 'spec.dependsOn[0]', message: expect.stringContaining('has no kind') },
    ])
    expect(catalog.index.size).toBe(0)
    expect((await test.store.query('select ref from entities')).rows).toEqual([])
    expect(events).toEqual([])
  })

  it('a dry run reports without writing', async () => {
    const report = await catalog.import([path.join(fixtures, 'all.yaml')], { dryRun: true })
    expect(report.dryRun).toBe(true)
    expect(report.entities.Component).toBe(14)
    expect(catalog.index.size).toBe(0)
    expect((await test.store.query('select ref from entities')).rows).toEqual([])
  })

  it('refuses an entity that another location already manages, changing nothing', async () => {
    const first = path.join(directory, 'first.yaml')
    const second = path.join(directory, 'second.yaml')
    await writeFile(first, component('shared'))
    await writeFile(second, `${component('shared', 'team-z')}---\n${component('other')}`)
    await catalog.import([first])
    const report = await catalog.import([second])
    expect(report.errors).toEqual([{ file: second, entity: 'component:default/shared', message: expect.stringContaining(`already managed by file:${first}`) }])
    expect(catalog.index.has('component:default/other')).toBe(false)
    expect(catalog.index.targets('component:default/shared', 'ownedBy')).toEqual(['group:default/team-a'])
  })

  it('a crash in the middle of writing leaves the catalog as it was', async () => {
    await cp(path.join(fixtures), path.join(directory, 'backstage'), { recursive: true })
    await catalog.import([path.join(directory, 'backstage', 'all.yaml')])
    const before = (await test.store.query('select ref, etag from entities order by ref')).rows
    await writeFile(path.join(directory, 'backstage', 'components', 'www-artist-component.yaml'), component('www-artist-renamed'))
    await writeFile(path.join(directory, 'backstage', 'resources', 'artists-db-resource.yaml'), component('artists-db-now-a-component'))
    // A store whose transactions die after their first write, as a killed process would.
    const crashing: Store = {
      ...test.store,
      engine: test.store.engine,
      query: test.store.query.bind(test.store),
      exec: test.store.exec.bind(test.store),
      close: async () => {},
      transaction: (work) =>
        test.store.transaction(async (transaction) => {
          let writes = 0
          const wrapped: Queryable = {
            exec: transaction.exec,
            query: (async (sql: string, params?: unknown[]) => {
              const result = await transaction.query(sql, params)
              if (/^\s*(insert|delete)/i.test(sql) && ++writes === 1) throw new Error('process killed')
              return result
            }) as Queryable['query'],
          }
          return work(wrapped)
        }),
    }
    const crashingCatalog = await open(crashing)
    await expect(crashingCatalog.import([path.join(directory, 'backstage', 'all.yaml')])).rejects.toThrow('process killed')
    expect((await test.store.query('select ref, etag from entities order by ref')).rows).toEqual(before)
  })

  it('validates text without storing it', async () => {
    const result = await catalog.validate(component('Bad Name!'))
    expect(result.errors).toEqual([{ file: '<input>', entity: 'component:default/bad name!', field: 'metadata.name', message: expect.stringContaining('1–63 characters') }])
    expect(catalog.index.size).toBe(0)
  })
})

describe('catalog imports in one process', () => {
  it('run one at a time, so the index always ends as the store does', async () => {
    const repository = new MemoryCatalogRepository()
    // The first write is slow to come back, as a transaction's commit can be: the second must not overtake it.
    let calls = 0
    const slow: CatalogRepository = {
      loadAll: () => repository.loadAll(),
      load: (refs) => repository.load(refs),
      isEmpty: () => repository.isEmpty(),
      replaceOrigins: async (origins, incoming) => {
        const change = await repository.replaceOrigins(origins, incoming)
        if (++calls === 1) await new Promise((resolve) => setTimeout(resolve, 50))
        return change
      },
    }
    const catalog = await Catalog.open({ repository: slow, bus: new InProcessEventBus() })
    const text = (owner: string) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: racer\nspec:\n  type: service\n  lifecycle: production\n  owner: ${owner}\n`
    const reports = await Promise.all(['team-a', 'team-b'].map((owner) => catalog.import([{ name: 'same.yaml', text: text(owner) }])))
    expect(reports.map((report) => report.errors)).toEqual([[], []])
    const stored = (await repository.loadAll()).find((entity) => entity.ref === 'component:default/racer')!
    expect(catalog.index.targets('component:default/racer', 'ownedBy')).toEqual([`group:default/${(stored.entity.spec as { owner: string }).owner}`])
  })
})

describe("following another replica's catalog changes", () => {
  it('re-reads what the event names from the shared store, whatever order the events come in', async () => {
    const repository = new MemoryCatalogRepository()
    const bus = new InProcessEventBus()
    const events: PortalEvent[] = []
    bus.subscribe(CATALOG_CHANGED, (event) => void events.push(event))
    const writer = await Catalog.open({ repository, bus })
    // The other replica: same store, its own index, and it hears nothing by itself here.
    const follower = await Catalog.open({ repository, bus: new InProcessEventBus() })
    await writer.import([{ name: 'a.yaml', text: `${component('racer', 'team-a')}---\n${component('walker', 'team-a')}` }])
    await writer.import([{ name: 'a.yaml', text: component('racer', 'team-b') }])
    expect(events).toHaveLength(2)
    // Delivered late and in reverse: the follower still ends as the store is.
    for (const event of [...events].reverse()) await follower.refresh(event.payload as { upserted: string[]; removed: string[] })
    expect(follower.index.targets('component:default/racer', 'ownedBy')).toEqual(['group:default/team-b'])
    expect(follower.index.has('component:default/walker')).toBe(false)
    expect([...follower.index.refs()].sort()).toEqual([...writer.index.refs()].sort())
  })
})
