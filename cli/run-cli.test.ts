import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, testEngines, type TestStore } from '../core/testing/test-store.ts'
import { runCli } from './run-cli.ts'
import { captureIo, waitForServerUrl } from './testing/capture-io.ts'

const root = path.resolve(import.meta.dirname, '..')
const fixture = path.join(root, 'test/fixtures/backstage/all.yaml')


async function run(argv: string[], env: Record<string, string | undefined>, options: { signal?: AbortSignal } = {}) {
  const captured = captureIo(env, root)
  const code = await runCli(argv, captured.io, options)
  return { code, stdout: captured.stdout(), stderr: captured.stderr() }
}

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'portal-cli-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

describe.each(testEngines)('portal CLI on the %s store', (engine) => {
  let test: TestStore | undefined
  let env: Record<string, string | undefined>

  beforeAll(async () => {
    if (engine === 'postgres') {
      test = await openTestStore('postgres')
      env = { DATABASE_URL: test.databaseUrl }
    } else env = { PORTAL_DATA_DIR: path.join(scratch, 'data-pglite') }
  })
  afterAll(async () => {
    await test?.close()
  })

  it('import --json prints the report with entities, relations, errors and warnings', async () => {
    const result = await run(['import', fixture, '--json'], env)
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['entities', 'relations', 'errors', 'warnings']))
    expect(report.entities).toEqual({ Location: 1, API: 11, Component: 14, Domain: 3, Resource: 1, System: 4, User: 1, Group: 1, Template: 1 })
    expect(report.relations).toMatchObject({ ownedBy: 34, ownerOf: 34, dependsOn: 1, dependencyOf: 1, providesApi: 6, apiProvidedBy: 6, consumesApi: 1, apiConsumedBy: 1, memberOf: 1, hasMember: 1 })
    expect(report.errors).toEqual([])
    expect(report.warnings.length).toBeGreaterThan(0)
    expect(report.warnings[0]).toEqual({ file: expect.any(String), entity: expect.any(String), field: expect.any(String), message: expect.any(String) })
  })

  it('tool reads the stored catalog in a later run', async () => {
    const result = await run(['tool', 'graph_dependents', '--input', '{"ref":"artists-db"}', '--json'], env)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).dependents.map((item: { ref: string }) => item.ref)).toEqual(['component:default/artist-lookup'])
  })

  it('an import with errors exits 1 and changes nothing', async () => {
    const bad = path.join(scratch, `bad-${engine}.yaml`)
    await writeFile(bad, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: new-one\nspec:\n  type: service\n---\nkind: [unclosed\n')
    const result = await run(['import', bad, '--json'], env)
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout)
    expect(report.errors).toEqual(expect.arrayContaining([expect.objectContaining({ file: bad, entity: 'component:default/new-one', field: 'spec.lifecycle' }), expect.objectContaining({ file: bad, message: expect.stringContaining('YAML document 2') })]))
    const lookup = await run(['tool', 'catalog_get_entity', '--input', '{"ref":"new-one"}', '--json'], env)
    expect(lookup.code).toBe(1)
    expect(JSON.parse(lookup.stdout).error.code).toBe('NOT_FOUND')
  })

  it('cost import --json prints rows, billed cost by provider and errors, exactly those keys', async () => {
    const focus = path.join(root, 'test/fixtures/focus/focus_sample.csv')
    const result = await run(['cost', 'import', focus, '--json'], env)
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(Object.keys(report)).toEqual(['rows', 'billedCost', 'errors'])
    expect(report.rows).toBe(1000)
    expect(Object.keys(report.billedCost)).toEqual(['total', 'byProvider'])
    expect(Object.keys(report.billedCost.byProvider).sort()).toEqual(['AWS', 'Microsoft', 'Oracle'])
    expect(report.errors).toEqual([])
    const breakdown = await run(['tool', 'cost_breakdown', '--input', '{"groupBy":"provider","from":"2024-09-01","to":"2024-10-02"}', '--json'], env)
    expect(JSON.parse(breakdown.stdout).items.map((item: { key: string }) => item.key)).toEqual(['AWS', 'Microsoft', 'Oracle'])
  })

  it('cost import exits 1 naming the file, row and column of a bad value', async () => {
    const bad = path.join(scratch, `bad-focus-${engine}.csv`)
    await writeFile(bad, 'BilledCost,BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,EffectiveCost,ServiceCategory,ServiceName,ProviderName\n1.5,a,USD,2024-09-01,2024-10-01,Usage,2024-09-03,2024-09-04,1.5,Teleportation,X,AWS\n')
    const result = await run(['cost', 'import', bad], env)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`error: ${bad} › row 1 › ServiceCategory: "Teleportation" is not one of`)
  })

  it('--dry-run reports without storing', async () => {
    const file = path.join(scratch, `dry-${engine}.yaml`)
    await writeFile(file, 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: dry-one\nspec:\n  type: service\n  lifecycle: production\n  owner: guests\n')
    const result = await run(['import', file, '--dry-run'], env)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Dry run: would import 1 Component with 2 relations/)
    expect((await run(['tool', 'catalog_get_entity', '--input', '{"ref":"dry-one"}', '--json'], env)).code).toBe(1)
  })
})

describe('portal CLI without a store', () => {
  it('--catalog runs a tool on an in-memory catalog and prints readable text', async () => {
    const result = await run(['--catalog', fixture, 'tool', 'catalog_who_owns', '--input', '{"ref":"example-website"}'], { PORTAL_DATA_DIR: path.join(scratch, 'never-created') })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('component:default/example-website is owned by guests (group:default/guests); members: guest\n')
  })

  it('tool without a name lists the tools', async () => {
    const result = await run(['--catalog', fixture, 'tool', '--json'], {})
    expect(JSON.parse(result.stdout).tools.map((tool: { name: string }) => tool.name)).toContain('catalog_query')
  })

  it('reports bad tool input, bad JSON and unknown commands with a clear message and exit code', async () => {
    const invalid = await run(['--catalog', fixture, 'tool', 'graph_dependents', '--input', '{"ref":"artists-db","depth":"deep"}', '--json'], {})
    expect(invalid.code).toBe(1)
    expect(JSON.parse(invalid.stdout).error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'depth' }] })
    const badJson = await run(['tool', 'graph_dependents', '--input', '{nope'], {})
    expect(badJson.code).toBe(2)
    expect(badJson.stderr).toMatch(/--input must be JSON/)
    const unknown = await run(['frobnicate'], {})
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/)
    const badFlag = await run(['import', '--nope', 'x'], {})
    expect(badFlag.code).toBe(2)
  })

  it('--catalog with a broken file fails naming the file', async () => {
    const broken = path.join(scratch, 'broken.yaml')
    await writeFile(broken, 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: g\nspec:\n  type: team\n')
    const result = await run(['--catalog', broken, 'tool', 'graph_cycles'], {})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${broken}: group:default/g: spec.children: is required`)
  })

  it('demo generate writes a catalog that imports cleanly, at any scale', async () => {
    const out = path.join(scratch, 'demo-500')
    const generated = await run(['demo', 'generate', '--scale', '500', '--out', out, '--json'], {})
    expect(generated.code).toBe(0)
    expect(JSON.parse(generated.stdout).entities).toBeGreaterThanOrEqual(450)
    const imported = await run(['--catalog', path.join(out, 'catalog-info.yaml'), 'import', path.join(out, 'catalog-info.yaml'), '--dry-run', '--json'], {})
    const report = JSON.parse(imported.stdout)
    expect(report.errors).toEqual([])
    expect(Object.values(report.entities as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(JSON.parse(generated.stdout).entities)
    expect((await run(['demo', 'generate', '--scale', 'lots', '--out', out], {})).code).toBe(2)
  })

  it('start serves the Backstage API until stopped', async () => {
    const controller = new AbortController()
    const captured = captureIo({ PORT: '0' }, root)
    const running = runCli(['--catalog', fixture, 'start'], captured.io, { signal: controller.signal })
    const url = await waitForServerUrl(captured.stdout, 200)
    expect(url).toBeDefined()
    const entity = await (await fetch(`${url}/api/catalog/entities/by-name/api/default/petstore`)).json()
    expect(entity.spec.type).toBe('openapi')
    controller.abort()
    expect(await running).toBe(0)
  })

  it('bin/portal.js runs as a command', () => {
    const result = spawnSync(process.execPath, [path.join(root, 'bin/portal.js'), '--catalog', fixture, 'tool', 'catalog_query', '--input', '{"kind":"domain"}', '--json'], { encoding: 'utf8' })
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout).totalItems).toBe(3)
  })
})

describe('portal start on an empty data directory', () => {
  // A first start creates the database and loads the demo catalog and its cost data: over 30 s on a busy machine.
  it('loads the demo organisation and serves it', async () => {
    const controller = new AbortController()
    const captured = captureIo({ PORT: '0', PORTAL_DATA_DIR: path.join(scratch, 'fresh') }, root)
    const running = runCli(['start'], captured.io, { signal: controller.signal })
    const url = await waitForServerUrl(captured.stdout, 600)
    expect(captured.stderr()).toMatch(/Loaded the demo organisation: .*Component/)
    const owners = await (await fetch(`${url}/api/catalog/entities/by-name/resource/default/payments-db`)).json()
    expect(owners.relations).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'ownedBy' })]))
    const facets = await (await fetch(`${url}/api/catalog/entity-facets?facet=kind`)).json()
    expect(facets.facets.kind.find((facet: { value: string }) => facet.value === 'Component').count).toBeGreaterThanOrEqual(55)
    controller.abort()
    expect(await running).toBe(0)
  }, 120_000)
})
