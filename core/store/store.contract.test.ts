import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openTestStore, testEngines, type TestStore } from '../testing/test-store.ts'
import { migrate, migrations } from './migrations.ts'
import { openStore } from './open-store.ts'
import { PostgresStore } from './postgres-store.ts'

describe.each(testEngines)('store contract on %s', (engine) => {
  let test: TestStore
  beforeAll(async () => {
    test = await openTestStore(engine)
    await test.store.exec('create table contract_items (id integer primary key, data jsonb not null)')
  })
  afterAll(async () => {
    await test?.close()
  })

  it('reports its engine', () => {
    expect(test.store.engine).toBe(engine)
  })

  it('binds positional parameters and round-trips JSON', async () => {
    await test.store.query('insert into contract_items (id, data) values ($1, $2::jsonb)', [1, JSON.stringify({ name: 'checkout', tags: ['a'] })])
    const { rows } = await test.store.query<{ data: { name: string; tags: string[] } }>('select data from contract_items where id = $1', [1])
    expect(rows).toEqual([{ data: { name: 'checkout', tags: ['a'] } }])
  })

  it('binds arrays as text[]', async () => {
    const { rows } = await test.store.query<{ n: number }>('select cardinality($1::text[]) as n', [['a', 'b', 'c']])
    expect(Number(rows[0]!.n)).toBe(3)
  })

  it('commits a transaction', async () => {
    await test.store.transaction(async (transaction) => {
      await transaction.query('insert into contract_items (id, data) values ($1, $2::jsonb)', [2, '{}'])
      await transaction.query('insert into contract_items (id, data) values ($1, $2::jsonb)', [3, '{}'])
    })
    const { rows } = await test.store.query('select id from contract_items where id in (2, 3) order by id')
    expect(rows).toEqual([{ id: 2 }, { id: 3 }])
  })

  it('rolls back everything when the work throws', async () => {
    await expect(
      test.store.transaction(async (transaction) => {
        await transaction.query('insert into contract_items (id, data) values ($1, $2::jsonb)', [4, '{}'])
        throw new Error('crash halfway')
      }),
    ).rejects.toThrow('crash halfway')
    const { rows } = await test.store.query('select id from contract_items where id = 4')
    expect(rows).toEqual([])
  })

  it('rolls back when a statement fails inside the transaction', async () => {
    await expect(
      test.store.transaction(async (transaction) => {
        await transaction.query('insert into contract_items (id, data) values ($1, $2::jsonb)', [5, '{}'])
        await transaction.query('insert into contract_items (id, data) values ($1, $2::jsonb)', [5, '{}'])
      }),
    ).rejects.toThrow()
    const { rows } = await test.store.query('select id from contract_items where id = 5')
    expect(rows).toEqual([])
  })

  it('has applied every migration, and applying them again does nothing', async () => {
    const { rows } = await test.store.query<{ version: number }>('select version from schema_migrations order by version')
    expect(rows.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version))
    expect(await migrate(test.store)).toEqual([])
  })

  it('scans tables from their first row in every session, so that a limited scan reads the same rows each time', async () => {
    // Three transactions at once take three connections of a pool.
    const settings = await Promise.all([1, 2, 3].map(() => test.store.transaction(async (transaction) => (await transaction.query<{ synchronize_seqscans: string }>('show synchronize_seqscans')).rows[0]!.synchronize_seqscans)))
    expect(settings).toEqual(['off', 'off', 'off'])
  })

  it.runIf(engine === 'postgres')('hands out a new connection only once its session settings are applied, never busy', async () => {
    // pg queues a query sent to a client still running one, a use it deprecates (and pg 9 removes); a pool that
    // handed a connection over while its settings ran did that on every new connection.
    const busy: string[] = []
    const query = pg.Client.prototype.query
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client & { _queryQueue: unknown[] }, ...args: Parameters<typeof query>) {
      if (this._queryQueue.length > 0) busy.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text))
      return (query as (...args: unknown[]) => unknown).apply(this, args)
    } as typeof query)
    const store = new PostgresStore({ connectionString: test.databaseUrl! })
    try {
      // New connections for plain queries and for transactions.
      await Promise.all([1, 2, 3].map(() => store.query('select 1')))
      await Promise.all([1, 2, 3, 4].map(() => store.transaction((transaction) => transaction.query('select 1'))))
      expect(await store.query<{ synchronize_seqscans: string }>('show synchronize_seqscans')).toEqual({ rows: [{ synchronize_seqscans: 'off' }] })
    } finally {
      spy.mockRestore()
      await store.close()
    }
    expect(busy).toEqual([])
  })

  it('has pgvector: distances and an HNSW index', async () => {
    await test.store.exec('create table contract_vectors (id integer primary key, embedding vector(3))')
    await test.store.exec('create index on contract_vectors using hnsw (embedding vector_cosine_ops)')
    await test.store.query("insert into contract_vectors values (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.9,0.1,0]')")
    const { rows } = await test.store.query<{ id: number }>("select id from contract_vectors order by embedding <=> $1::vector limit 2", ['[1,0,0]'])
    expect(rows.map((row) => row.id)).toEqual([1, 3])
  })
})

describe('PGlite data directory', () => {
  it('persists across a close and a reopen', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-store-'))
    try {
      const first = await openStore({ dataDir: directory })
      await first.query("insert into locations (origin, entity_count) values ('file:/x', 3)")
      await first.close()
      const second = await openStore({ dataDir: directory })
      const { rows } = await second.query('select origin, entity_count from locations')
      await second.close()
      expect(rows).toEqual([{ origin: 'file:/x', entity_count: 3 }])
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })
})
