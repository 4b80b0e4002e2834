import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.ts'
import { captureIo } from './testing/capture-io.ts'

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'portal-rca-cli-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

async function run(argv: string[]) {
  const captured = captureIo({}, scratch)
  const code = await runCli(argv, captured.io)
  return { code, stdout: captured.stdout(), stderr: captured.stderr() }
}

describe('portal rca', () => {
  it('writes simulated scenarios with their truth beside them, and ranks the true cause first', async () => {
    const written = await run(['rca', 'simulate', '--out', 'cases', '--count', '2', '--seed', '3'])
    expect(written).toMatchObject({ code: 0, stdout: `Wrote 2 scenarios and truth.json to ${path.join(scratch, 'cases')}\n` })
    const truth = JSON.parse(await readFile(path.join(scratch, 'cases', 'truth.json'), 'utf8')) as Array<{ file: string; cause: string; faultType: string }>
    expect(truth.map((item) => item.faultType)).toEqual(['bad-deployment', 'database-saturation'])
    for (const item of truth) {
      const scenario = JSON.parse(await readFile(path.join(scratch, 'cases', item.file), 'utf8')) as Record<string, unknown>
      expect(Object.keys(scenario).sort()).toEqual(['events', 'id', 'incidentStart', 'metrics', 'target', 'topology'])
      const ranked = await run(['rca', '--scenario', path.join('cases', item.file), '--json'])
      expect(ranked.code).toBe(0)
      const output = JSON.parse(ranked.stdout) as { candidates: Array<{ entity: string; score: number; evidence: string[] }> }
      expect(Object.keys(output)).toEqual(['candidates'])
      expect(Object.keys(output.candidates[0]!)).toEqual(['entity', 'score', 'evidence'])
      expect(output.candidates[0]!.entity).toBe(item.cause)
      const scores = output.candidates.map((candidate) => candidate.score)
      expect(scores).toEqual([...scores].sort((left, right) => right - left))
    }
  })

  it('prints a readable ranking without --json', async () => {
    await writeFile(path.join(scratch, 'tiny.json'), JSON.stringify({ id: 't', topology: { nodes: ['a'], edges: [] }, metrics: {} }))
    expect(await run(['rca', '--scenario', 'tiny.json'])).toMatchObject({ code: 0, stdout: 'No candidate causes: no node shows an anomaly or a change in this scenario.\n' })
  })

  it('says what is wrong with a bad scenario file, and where', async () => {
    await writeFile(path.join(scratch, 'bad.json'), JSON.stringify({ id: 'b', topology: { nodes: ['a'], edges: [['a', 'zz']] }, metrics: {} }))
    const bad = await run(['rca', '--scenario', 'bad.json'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain(`portal: ${path.join(scratch, 'bad.json')} is not a valid RCA scenario`)
    expect(bad.stderr).toContain('topology.edges.0.1: "zz" is not in topology.nodes')
    await writeFile(path.join(scratch, 'broken.json'), '{"id":')
    expect((await run(['rca', '--scenario', 'broken.json'])).stderr).toContain('broken.json is not valid JSON')
    expect((await run(['rca'])).code).toBe(2)
  })
})

describe('portal anomaly detect', () => {
  it('prints every row with its score and flag', async () => {
    const lines = ['timestamp,value', ...Array.from({ length: 400 }, (_, index) => `2026-03-01 ${String(Math.floor(index / 60)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:00,${(index >= 300 ? 50 : 10) + Math.sin(index * 7.1)}`)]
    await writeFile(path.join(scratch, 'series.csv'), `${lines.join('\n')}\n`)
    const result = await run(['anomaly', 'detect', '--csv', 'series.csv', '--json'])
    expect(result.code).toBe(0)
    const { rows } = JSON.parse(result.stdout) as { rows: Array<{ timestamp: string; value: number; score: number; anomaly: boolean }> }
    expect(rows).toHaveLength(400)
    expect(Object.keys(rows[0]!)).toEqual(['timestamp', 'value', 'score', 'anomaly'])
    expect(rows[0]).toMatchObject({ timestamp: '2026-03-01 00:00:00', value: 10, anomaly: false })
    expect(rows.findIndex((row) => row.anomaly)).toBeGreaterThanOrEqual(300)
    expect(rows.findIndex((row) => row.anomaly)).toBeLessThan(305)
  })

  it('names the bad line of a bad CSV', async () => {
    await writeFile(path.join(scratch, 'bad.csv'), 'timestamp,value\n2026-03-01 00:00:00,x\n')
    const result = await run(['anomaly', 'detect', '--csv', 'bad.csv'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${path.join(scratch, 'bad.csv')}:2: "x" is not a number`)
  })
})
