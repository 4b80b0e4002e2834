import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryCatalog } from '../../core/testing/memory-catalog.ts'
import { openTestStore, testEngines, type TestStore } from '../../core/testing/test-store.ts'
import { CostAllocator } from './cost-allocator.ts'
import { importFocus } from './import-focus.ts'

const sample = path.resolve(import.meta.dirname, '../../test/fixtures/focus/focus_sample.csv')

const CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-vision }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: brightlensmatrix }
spec: { type: service, lifecycle: production, owner: team-vision }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: queue
  annotations: { next-portal.io/cloud-resource-ids: 'arn:ats:sqs:us-test-2:347410479675:*' }
spec: { type: queue, owner: team-vision }
`

describe.each(testEngines)('importFocus on the %s store', (engine) => {
  let test: TestStore
  let scratch: string
  let allocator: CostAllocator
  beforeAll(async () => {
    test = await openTestStore(engine)
    scratch = await mkdtemp(path.join(os.tmpdir(), 'focus-'))
    allocator = new CostAllocator((await memoryCatalog(CATALOG)).index)
  })
  afterAll(async () => {
    await test.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('imports every row of the FOCUS sample, with billed totals equal to the file to the cent', async () => {
    const report = await importFocus(test.store, [sample], { allocator })
    expect(report.errors).toEqual([])
    expect(report.rows).toBe(1000)
    expect(Object.keys(report.billedCost.byProvider).sort()).toEqual(['AWS', 'Microsoft', 'Oracle'])
    const stored = await test.store.query<{ rows: number; billed: string }>('select count(*)::integer as rows, sum(billed_cost)::text as billed from cost_line_items')
    expect(stored.rows[0]!.rows).toBe(1000)
    const rollup = await test.store.query<{ billed: string; items: number }>('select sum(billed_cost)::text as billed, sum(line_items)::integer as items from cost_daily')
    expect(rollup.rows[0]!.billed).toBe(stored.rows[0]!.billed)
    expect(rollup.rows[0]!.items).toBe(1000)
    expect(Math.abs(Number(stored.rows[0]!.billed) - report.billedCost.total)).toBeLessThan(0.000001)
    // Case variants of enumerations are stored in FOCUS spelling; NULL cells are nulls.
    const frequencies = await test.store.query<{ charge_frequency: string }>('select distinct charge_frequency from cost_line_items order by 1')
    expect(frequencies.rows.map((row) => row.charge_frequency)).toEqual(['One-Time', 'Usage-Based'])
    expect((await test.store.query('select 1 from cost_line_items where region = $1', ['NULL'])).rows).toEqual([])
    // Text with quotes, commas and braces survives the array parameters intact.
    const tagged = await test.store.query<{ tags: string; description: string }>(`select tags, charge_description as description from cost_line_items where tags like '%BrightLensMatrix%' limit 1`)
    expect(JSON.parse(tagged.rows[0]!.tags)).toEqual({ application: 'BrightLensMatrix', environment: 'dev', business_unit: 'ViennaAI' })
    expect(tagged.rows[0]!.description).toMatch(/^\$0\.\d+ per /)
  })

  it('allocates by tags and by resource-id annotations, and keeps the rest unallocated', async () => {
    const byMethod = await test.store.query<{ allocated_by: string; entity_ref: string | null; team_ref: string | null; rows: number }>('select allocated_by, entity_ref, team_ref, count(*)::integer as rows from cost_line_items group by 1, 2, 3 order by 1, 2')
    const tagged = byMethod.rows.find((row) => row.allocated_by === 'tag:application')
    expect(tagged).toMatchObject({ entity_ref: 'component:default/brightlensmatrix', team_ref: 'group:default/team-vision' })
    expect(byMethod.rows.find((row) => row.allocated_by === 'annotation')).toMatchObject({ entity_ref: 'resource:default/queue' })
    expect(byMethod.rows.find((row) => row.allocated_by === 'unallocated')!.rows).toBeGreaterThan(900)
  })

  it('re-importing the same billing period replaces it (gzip too)', async () => {
    const gz = path.join(scratch, 'sample.csv.gz')
    await writeFile(gz, gzipSync(await readFile(sample)))
    const report = await importFocus(test.store, [gz], { allocator })
    expect(report.rows).toBe(1000)
    const stored = await test.store.query<{ rows: number }>('select count(*)::integer as rows from cost_line_items')
    expect(stored.rows[0]!.rows).toBe(1000)
    const periods = await test.store.query<{ rows: number }>('select rows from cost_billing_periods order by rows desc')
    expect(periods.rows.reduce((sum, row) => sum + row.rows, 0)).toBe(1000)
  })

  it('names the file, row and column of every bad value, and stores nothing', async () => {
    const text = await readFile(sample, 'utf8')
    const lines = text.split('\n')
    const header = lines[0]!.split(',').map((name) => name.replaceAll('"', ''))
    const billed = header.indexOf('BilledCost')
    const broken = lines[2]!.split(',')
    broken[billed] = 'abc'
    const lines2 = [lines[0], lines[1], broken.join(','), lines[3]!.replace('"Usage"', '"Spending"')]
    const bad = path.join(scratch, 'bad.csv')
    await writeFile(bad, `${lines2.join('\n')}\n`)
    const before = await test.store.query<{ rows: number }>('select count(*)::integer as rows from cost_line_items')
    const report = await importFocus(test.store, [bad], { allocator })
    expect(report.errors).toEqual([
      { file: bad, row: 2, column: 'BilledCost', message: '"abc" is not a decimal number' },
      { file: bad, row: 3, column: 'ChargeCategory', message: '"Spending" is not one of Usage, Purchase, Tax, Credit, Adjustment' },
    ])
    const after = await test.store.query<{ rows: number }>('select count(*)::integer as rows from cost_line_items')
    expect(after.rows[0]!.rows).toBe(before.rows[0]!.rows)
  })

  it('reports a missing required column against the header', async () => {
    const file = path.join(scratch, 'no-cost.csv')
    await writeFile(file, 'ProviderName,ServiceName\nAWS,EC2\n')
    const report = await importFocus(test.store, [file], { allocator, dryRun: true })
    expect(report.rows).toBe(0)
    expect(report.errors).toContainEqual({ file, row: 0, column: 'BilledCost', message: 'is a required FOCUS column and is missing from the header' })
  })
})
