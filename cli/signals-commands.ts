import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../core/errors.ts'
import { detectAnomalies } from '../tools/rca/anomaly/streaming-detector.ts'
import { parseTimeseriesCsv } from '../tools/rca/anomaly/timeseries-csv.ts'
import { rankCauses } from '../tools/rca/rank-causes.ts'
import { caseFromScenario, parseScenario } from '../tools/rca/scenario.ts'
import { incidentCases, scenarioOf } from '../tools/rca/simulator/incident-cases.ts'
import { UsageError, type CliIo } from './cli-io.ts'

async function readJsonFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${(error as Error).message}`, { issues: [{ path: file, message: (error as Error).message }] })
  }
}

/** `portal rca --scenario <file> [--json]` and `portal rca simulate --out <dir> [--count N] [--seed S]`. */
export async function runRcaCommand(rest: string[], values: { scenario?: string; json?: boolean; out?: string; count?: string; seed?: string }, io: CliIo): Promise<number> {
  if (rest[0] === 'simulate') {
    if (!values.out) throw new UsageError('rca simulate needs --out <dir>')
    const count = values.count === undefined ? 7 : Number(values.count)
    const seed = values.seed === undefined ? 1 : Number(values.seed)
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw new UsageError(`--count must be a whole number from 1 to 1000, got ${values.count}`)
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, got ${values.seed}`)
    const out = path.resolve(io.cwd, values.out)
    await mkdir(out, { recursive: true })
    const truth: Array<{ id: string; file: string; faultType: string; cause: string }> = []
    for (const incident of incidentCases({ count, seed })) {
      const file = `${incident.id}.json`
      await writeFile(path.join(out, file), JSON.stringify(scenarioOf(incident)))
      truth.push({ id: incident.id, file, faultType: incident.faultType, cause: incident.cause })
    }
    // The truth goes beside the scenarios, never inside them: a scenario holds only what an engineer would see.
    await writeFile(path.join(out, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`)
    io.stdout(values.json ? `${JSON.stringify({ out, scenarios: truth.length })}\n` : `Wrote ${truth.length} scenarios and truth.json to ${out}\n`)
    return 0
  }
  if (rest.length > 0) throw new UsageError(`unknown rca command "${rest[0]}"; use portal rca --scenario <file> or portal rca simulate --out <dir>`)
  if (!values.scenario) throw new UsageError('rca needs --scenario <file>')
  const file = path.resolve(io.cwd, values.scenario)
  const scenario = parseScenario(await readJsonFile(file), file)
  const { candidates } = rankCauses(caseFromScenario(scenario))
  if (values.json) io.stdout(`${JSON.stringify({ candidates })}\n`)
  else if (candidates.length === 0) io.stdout('No candidate causes: no node shows an anomaly or a change in this scenario.\n')
  else io.stdout(`${candidates.map((candidate, position) => `${position + 1}. ${candidate.entity} (score ${candidate.score.toFixed(2)})\n${candidate.evidence.map((line) => `   - ${line}\n`).join('')}`).join('')}`)
  return 0
}

/** `portal anomaly detect --csv <file> [--json]`: the streaming detector over a timestamp,value CSV. */
export async function runAnomalyCommand(rest: string[], values: { csv?: string; json?: boolean }, io: CliIo): Promise<number> {
  if (rest[0] !== 'detect') throw new UsageError('the anomaly command is: portal anomaly detect --csv <file> [--json]')
  if (!values.csv) throw new UsageError('anomaly detect needs --csv <file> (columns timestamp,value)')
  const file = path.resolve(io.cwd, values.csv)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`)
  }
  const samples = parseTimeseriesCsv(text, file)
  const results = detectAnomalies(samples.map((sample) => sample.value), {}, samples.map((sample) => sample.time))
  const rows = samples.map((sample, index) => ({ timestamp: sample.timestamp, value: sample.value, score: Math.round(results[index]!.score * 10_000) / 10_000, anomaly: results[index]!.anomaly }))
  if (values.json) io.stdout(`${JSON.stringify({ rows })}\n`)
  else {
    const flagged = rows.filter((row) => row.anomaly)
    io.stdout(`${rows.length} samples, ${flagged.length} anomalies${flagged.length ? ':' : '.'}\n${flagged.map((row) => `  ${row.timestamp}  ${row.value}  (score ${row.score.toFixed(3)})\n`).join('')}`)
  }
  return 0
}
