import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import { chatIdentity } from '../bots/chat-service.ts'
import { openTestStore, type TestStore } from '../core/testing/test-store.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform } from './create-platform.ts'
import { spawnReplica, type ReplicaProcess } from './testing/spawn-replica.ts'

/** Both engines, as scripts/test.js starts them; without either, these tests are skipped. */
const databaseUrl = process.env.TEST_DATABASE_URL
const brokers = process.env.TEST_KAFKA_BROKERS
if (!databaseUrl || !brokers) console.warn(`The multi-replica tests are skipped: ${[!databaseUrl && 'TEST_DATABASE_URL', !brokers && 'TEST_KAFKA_BROKERS'].filter(Boolean).join(' and ')} not set (npm test starts PostgreSQL and Kafka)`)

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-shop }
spec: { type: team, children: [], members: [alice, bob, carol] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: alice }
spec: { memberOf: [team-shop] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: bob }
spec: { memberOf: [team-shop] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: carol }
spec: { memberOf: [team-shop] }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: orders-db }
spec: { type: database, owner: team-shop }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart-service
  annotations: { backstage.io/kubernetes-id: cart-service }
spec: { type: service, lifecycle: experimental, owner: team-shop, dependsOn: [resource:orders-db] }
`

const wishlist = (dependsOn: string) => `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: wishlist-service }
spec: { type: service, lifecycle: experimental, owner: team-shop, dependsOn: [${dependsOn}] }
`

/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes; returns whether it held. */
async function within(timeoutMs: number, condition: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition()) return true
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** What depends on `ref` directly, by the replica's graph_dependents tool. */
async function dependentsOf(replica: ReplicaProcess, ref: string): Promise<string[]> {
  const response = await fetch(`${replica.url}/api/tools/graph_dependents`, { method: 'POST', body: JSON.stringify({ ref, depth: 1 }) })
  const body = (await response.json()) as { output?: { dependents: Array<{ ref: string }> } }
  return (body.output?.dependents ?? []).map((dependent) => dependent.ref)
}

async function entityCount(replica: ReplicaProcess): Promise<number> {
  const response = await fetch(`${replica.url}/api/catalog/entities/by-query?limit=1`)
  return ((await response.json()) as { totalItems: number }).totalItems
}

describe.skipIf(!databaseUrl || !brokers)('two portal replicas on one PostgreSQL and one Kafka', () => {
  const run = Math.random().toString(36).slice(2, 8)
  const topic = `replicas-test-${run}`
  let test: TestStore
  let directory: string
  let a: ReplicaProcess
  let b: ReplicaProcess

  const importThrough = async (replica: ReplicaProcess, file: string) => {
    const answer = replica.next<{ imported: { errors: unknown[] } }>((message) => 'imported' in message)
    replica.send({ import: [file] })
    const { imported } = await answer
    expect(imported.errors).toEqual([])
  }

  beforeAll(async () => {
    test = await openTestStore('postgres')
    directory = await mkdtemp(path.join(os.tmpdir(), 'portal-replicas-'))
    await writeFile(path.join(directory, 'org.yaml'), ORG)
    const env = (name: string) => ({
      DATABASE_URL: test.databaseUrl!,
      KAFKA_BROKERS: brokers!,
      PORTAL_EVENTS_TOPIC: topic,
      PORTAL_REPLICA_ID: name,
      PORTAL_DEMO: 'false',
      PORTAL_EMBEDDINGS_MODEL: 'none',
      PORTAL_LEASE_TTL_MS: '1500',
      PORTAL_DATA_DIR: path.join(directory, name),
    })
    ;[a, b] = await Promise.all([spawnReplica(env('replica-a')), spawnReplica(env('replica-b'))])
    await importThrough(a, path.join(directory, 'org.yaml'))
    expect(await within(10_000, async () => (await dependentsOf(b, 'orders-db')).includes('component:default/cart-service'))).toBe(true)
  }, 180_000)

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await test?.close()
    await rm(directory, { recursive: true, force: true })
    const admin = new Kafka({ clientId: 'replicas-test', brokers: (brokers ?? '').split(','), logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined)
    await admin.disconnect()
  }, 60_000)

  it("shows an entity changed through one replica in the other's graph tools within a second", async () => {
    const file = path.join(directory, 'wishlist.yaml')
    await writeFile(file, wishlist('resource:orders-db'))
    await importThrough(a, file)
    expect(await within(1000, async () => (await dependentsOf(b, 'orders-db')).includes('component:default/wishlist-service'))).toBe(true)
    // Changed through the other replica: the dependency moves, and the first replica follows.
    await writeFile(file, wishlist('component:cart-service'))
    await importThrough(b, file)
    expect(await within(1000, async () => (await dependentsOf(a, 'cart-service')).includes('component:default/wishlist-service') && !(await dependentsOf(a, 'orders-db')).includes('component:default/wishlist-service'))).toBe(true)
    // Removed (the location now holds nothing of it): gone from both.
    await writeFile(file, 'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: spare-db }\nspec: { type: database, owner: team-shop }\n')
    await importThrough(a, file)
    expect(await within(1000, async () => !(await dependentsOf(b, 'cart-service')).includes('component:default/wishlist-service'))).toBe(true)
  }, 60_000)

  it('runs an approved action exactly once when 100 approval clicks race over both replicas', async () => {
    // The request is made as the agent would make it (through any platform on the same store).
    const requester = await createPlatform({ config: loadConfig({ DATABASE_URL: test.databaseUrl, PORTAL_DEMO: 'false', PORTAL_EMBEDDINGS_MODEL: 'none' }) })
    let id: string
    try {
      const request = await requester.approvals.request('remediation_request', { playbook: 'restart', entity: 'cart-service' }, chatIdentity('web', 'alice', 'user:default/alice'), { surface: 'web' })
      id = request.id
      expect(request.requiredApprovals).toBe(1)
    } finally {
      await requester.close()
    }
    const clicks = await Promise.all(
      Array.from({ length: 100 }, async (_, position) => {
        const response = await fetch(`${(position % 2 ? a : b).url}/api/approvals/${id}/decision`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-portal-user': position % 4 < 2 ? 'bob' : 'carol' },
          body: JSON.stringify({ decision: 'approve' }),
        })
        return { status: response.status, body: (await response.json()) as { request?: { status: string }; error?: { message: string } } }
      }),
    )
    const accepted = clicks.filter((click) => click.status === 200)
    expect(accepted).toHaveLength(1)
    expect(accepted[0]!.body.request!.status).toBe('succeeded')
    // The others were refused, saying why (decided already, or running or done).
    for (const click of clicks.filter((click) => click.status !== 200)) expect(click.status).toBe(409)
    const { rows } = await test.store.query<{ action: string; count: string }>('select action, count(*) as count from audit_log where request_id = $1 group by action', [id])
    const actions = Object.fromEntries(rows.map((row) => [row.action, Number(row.count)]))
    expect(actions['run-started']).toBe(1)
    expect(actions.succeeded).toBe(1)
  }, 60_000)

  it('loses nothing and leaves no half import when a replica is killed mid-import, and the other takes its jobs over', async () => {
    const big = path.join(directory, 'big')
    await writeDemoOrg(big, { scale: 10_000 })
    const before = await test.store.query<{ ref: string; etag: string }>('select ref, etag from entities order by ref')
    const observer = await test.store.query<{ datname: string }>('select current_database() as datname')
    const database = observer.rows[0]!.datname
    const importing = a.next((message) => 'importing' in message)
    a.send({ import: [path.join(big, 'catalog-info.yaml')] })
    await importing
    // Killed while its import transaction is writing rows (a backend of this database holding a transaction id).
    const writing = await within(120_000, async () => {
      const { rows } = await test.store.query('select 1 from pg_stat_activity where datname = $1 and backend_xid is not null and pid <> pg_backend_pid()', [database])
      return rows.length > 0
    })
    expect(writing).toBe(true)
    await a.kill()
    // Its connection goes; the transaction is rolled back: the store holds exactly what it held before.
    expect(await within(10_000, async () => (await test.store.query('select 1 from pg_stat_activity where datname = $1 and backend_xid is not null and pid <> pg_backend_pid()', [database])).rows.length === 0)).toBe(true)
    const after = await test.store.query<{ ref: string; etag: string }>('select ref, etag from entities order by ref')
    expect(after.rows).toEqual(before.rows)
    expect(await entityCount(b)).toBe(before.rows.length)
    // The surviving replica holds the scheduled jobs once the dead one's leases lapse.
    expect(await within(15_000, async () => {
      const { rows } = await test.store.query<{ holder: string }>("select holder from leases where name = 'job:cost-budget-check'")
      return rows[0]?.holder.startsWith('replica-b/') ?? false
    })).toBe(true)
    // And the same import through it lands whole.
    await importThrough(b, path.join(big, 'catalog-info.yaml'))
    const { rows } = await test.store.query<{ count: string }>('select count(*) as count from entities')
    expect(Number(rows[0]!.count)).toBeGreaterThan(before.rows.length + 9_000)
    expect(await entityCount(b)).toBe(Number(rows[0]!.count))
  }, 300_000)
})
