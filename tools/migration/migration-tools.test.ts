import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../core/config.ts'
import { localOperator } from '../../core/identity.ts'
import { createPlatform, type Platform } from '../../platform/create-platform.ts'
import { createHttpApp } from '../../server/create-http-app.ts'
import { serveHttp, type RunningServer } from '../../server/serve-http.ts'

const fixture = path.resolve(import.meta.dirname, '../../test/fixtures/backstage/all.yaml')
const people = `apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: alice }
spec: { memberOf: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: bob }
spec: { memberOf: [] }
`

let scratch: string
let source: Platform
let server: RunningServer
let target: Platform
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'portal-migration-tools-'))
  source = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), catalogPaths: [fixture] })
  server = await serveHttp(createHttpApp(source), { port: 0 })
  await writeFile(path.join(scratch, 'people.yaml'), people)
  await writeFile(path.join(scratch, 'policy.yaml'), 'tools:\n  migration_import_backstage:\n    approvers: [user:default/bob]\n')
  target = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_APPROVAL_POLICY: path.join(scratch, 'policy.yaml') }), catalogPaths: [path.join(scratch, 'people.yaml')] })
})
afterAll(async () => {
  await target?.close()
  await server?.close()
  await source?.close()
  await rm(scratch, { recursive: true, force: true })
})

const person = (name: string) => ({ subject: name, userRef: `user:default/${name}`, scopes: localOperator().scopes })

describe('migration tools', () => {
  it('migration_import_backstage runs only through an approval, which says what comes from where', async () => {
    await expect(target.tools.call('migration_import_backstage', { url: server.url }, { identity: localOperator() })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' })
    const request = await target.approvals.request('migration_import_backstage', { url: server.url }, person('alice'), { surface: 'web' })
    expect(request).toMatchObject({ status: 'pending', approvers: ['user:default/bob'] })
    expect(request.summary).toContain(`Backstage catalog at ${server.url}`)
    expect(target.catalog.index.has('component:default/petstore')).toBe(false)

    const decided = await target.approvals.decide({ id: request.id, identity: person('bob'), decision: 'approve', surface: 'web' })
    expect(decided.status).toBe('succeeded')
    expect(target.catalog.index.has('component:default/petstore')).toBe(true)
    expect((decided.result as { skipped: unknown[] }).skipped).toContainEqual(expect.objectContaining({ ref: 'location:default/example-catalog' }))
  })

  it('migration_report tells what came from each Backstage and which template steps the portal cannot run', async () => {
    const { output } = (await target.tools.call('migration_report', {}, { identity: localOperator() })) as { output: { sources: Array<{ source: string; total: number; entities: Record<string, number> }>; templates: Array<{ steps: Array<{ runnable: boolean }> }> } }
    const migrated = [...source.catalog.index.refs()].filter((ref) => !ref.startsWith('location:')).length
    expect(output.sources).toEqual([expect.objectContaining({ source: server.url, total: migrated })])
    expect(output.templates).toHaveLength(1)
    expect(output.templates[0]!.steps.some((step) => !step.runnable)).toBe(true)
    const none = (await target.tools.call('migration_report', { source: 'https://elsewhere.example.com' }, { identity: localOperator() })) as { output: { sources: unknown[] } }
    expect(none.output.sources).toEqual([])
  })
})
