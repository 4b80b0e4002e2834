import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresStore } from '../store/postgres-store.ts'
import type { Store } from '../store/store.ts'
import { openTestStore, testEngines, type TestStore } from '../testing/test-store.ts'
import { ClusterJobs } from './cluster-jobs.ts'
import { SqlLeases } from './leases.ts'

const TTL_MS = 600

async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return true
}

describe.each(testEngines)('leases and cluster jobs (%s)', (engine) => {
  let test: TestStore
  /** Each replica has its own connection to the store (on PGlite: the one in-process database). */
  let stores: Store[]

  beforeAll(async () => {
    test = await openTestStore(engine)
    stores = engine === 'postgres' ? [test.store, new PostgresStore({ connectionString: test.databaseUrl! })] : [test.store, test.store]
  }, 60_000)
  afterAll(async () => {
    if (engine === 'postgres') await stores[1]!.close()
    await test.close()
  })

  it('gives a lease to one holder at a time, and to another once it lapses or is released', async () => {
    const [one, two] = stores.map((store) => new SqlLeases(store))
    const racers = await Promise.all(Array.from({ length: 20 }, (_, position) => (position % 2 ? one! : two!).acquire('race', `holder-${position}`, 60_000)))
    expect(racers.filter(Boolean)).toHaveLength(1)
    expect(await one!.acquire('lease', 'a', TTL_MS)).toBe(true)
    expect(await two!.acquire('lease', 'b', TTL_MS)).toBe(false)
    // Renewing is taking it again as its holder.
    expect(await one!.acquire('lease', 'a', TTL_MS)).toBe(true)
    // a stops renewing (it died): b gets it once the ttl has passed, and a no longer can.
    expect(await eventually(() => two!.acquire('lease', 'b', TTL_MS))).toBe(true)
    expect(await one!.acquire('lease', 'a', TTL_MS)).toBe(false)
    await two!.release('lease', 'b')
    expect(await one!.acquire('lease', 'a', TTL_MS)).toBe(true)
  })

  it('runs a scheduled job once per period across replicas, and another replica takes over when its holder dies', async () => {
    const runs: string[] = []
    const replicas = stores.map((store, position) => {
      const holder = `replica-${position}`
      return new ClusterJobs({ leases: new SqlLeases(store), holder, ttlMs: TTL_MS, log: () => undefined }).register({
        name: 'nightly',
        everyMs: 60 * 60_000,
        run: async () => void runs.push(holder),
      })
    })
    // Both check over and over, as their timers would: one holds the job and runs it, once.
    for (let round = 0; round < 5; round++) await Promise.all(replicas.map((replica) => replica.check()))
    expect(await eventually(() => runs.length === 1)).toBe(true)
    const holder = runs[0]!
    const survivor = replicas[holder === 'replica-0' ? 1 : 0]!
    // The holder dies (it stops renewing). The survivor takes the lease over once it lapses, but the job
    // already ran this period, so it does not run again.
    const { rows: before } = await test.store.query<{ holder: string }>("select holder from leases where name = 'job:nightly'")
    expect(before[0]!.holder).toBe(holder)
    expect(await eventually(async () => {
      await survivor.check()
      const { rows } = await test.store.query<{ holder: string }>("select holder from leases where name = 'job:nightly'")
      return rows[0]?.holder !== holder
    })).toBe(true)
    expect(runs).toEqual([holder])
    // When the next period is due (here: the last run is made an hour old), the survivor runs it.
    await test.store.query("update job_runs set started_at = now() - interval '61 minutes' where name = 'nightly'")
    await survivor.check()
    expect(await eventually(() => runs.length === 2)).toBe(true)
    expect(runs[1]).not.toBe(holder)
    await survivor.stop()
  })

  it('runs exclusive one-off work on one replica while others ask at the same time', async () => {
    const replicas = stores.map((store, position) => new ClusterJobs({ leases: new SqlLeases(store), holder: `seed-${position}`, ttlMs: 5_000, log: () => undefined }))
    let running = 0
    let most = 0
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, position) =>
        replicas[position % 2]!.runExclusive('seed', async () => {
          most = Math.max(most, ++running)
          await new Promise((resolve) => setTimeout(resolve, 100))
          running--
          return position
        }),
      ),
    )
    expect(outcomes.filter((outcome) => outcome.ran)).toHaveLength(1)
    expect(most).toBe(1)
    // Released afterwards: the next one-off run may go ahead.
    expect((await replicas[1]!.runExclusive('seed', async () => 'again')).ran).toBe(true)
  })
})
