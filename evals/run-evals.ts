import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { openDemoPlatform, type DemoPlatform } from './demo-platform.ts'
import type { EvalItem } from './eval-item.ts'
import { formatReport, type EvalReport, type SuiteReport } from './format-report.ts'
import { DatasetError, readDataset } from './read-dataset.ts'
import { suites as registeredSuites } from './suites/index.ts'
import type { AskFunction, AskResult, Metrics, Suite } from './suite.ts'

/** A command line or data set the runner cannot use; exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const USAGE = `Usage: node --import tsx evals/run-evals.ts [options]

  --suite <name>        run this suite (repeatable; default: every suite)
  --dataset <file>      another data set in the same JSONL format, for the one selected suite
  --model <id>          an OpenAI-compatible model id for the agent (default: the offline planner)
  --split <split>       dev, heldout or all (default all); figures are always shown per split and overall
  --concurrency <n>     questions in flight at once (default 4)
  --json                print the report as JSON
  --help                print this help

Exit status: 0 when every metric meets its threshold, 1 when one does not, 2 on a usage or data set error.`

export interface CliOptions {
  suites: string[]
  dataset?: string
  model?: string
  split: 'dev' | 'heldout' | 'all'
  concurrency: number
  json: boolean
  help: boolean
}

export function parseArguments(argv: readonly string[]): CliOptions {
  const options: CliOptions = { suites: [], split: 'all', concurrency: 4, json: false, help: false }
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!
    const [flag, inline] = argument.startsWith('--') && argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined]
    const value = () => {
      const next = inline ?? argv[++index]
      if (next === undefined || (inline === undefined && next.startsWith('--'))) throw new UsageError(`${flag} needs a value`)
      return next
    }
    switch (flag) {
      case '--suite':
        options.suites.push(value())
        break
      case '--dataset':
        options.dataset = value()
        break
      case '--model':
        options.model = value()
        break
      case '--split': {
        const split = value()
        if (split !== 'dev' && split !== 'heldout' && split !== 'all') throw new UsageError(`--split must be dev, heldout or all, not "${split}"`)
        options.split = split
        break
      }
      case '--concurrency': {
        const text = value()
        const concurrency = Number(text)
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, not "${text}"`)
        options.concurrency = concurrency
        break
      }
      case '--json':
        options.json = true
        break
      case '--help':
      case '-h':
        options.help = true
        break
      default:
        throw new UsageError(`Unknown option "${argument}"`)
    }
  }
  return options
}

export interface RunEvalsOptions {
  /** The agent; by default `ask` from agent/ask.ts, loaded only when a run starts. */
  ask?: AskFunction
  suites?: readonly Suite[]
  openPlatform?: () => Promise<DemoPlatform>
  stdout?: (text: string) => void
  stderr?: (text: string) => void
}

/** Runs the evals for a command line; resolves to the exit status. */
export async function runEvals(argv: readonly string[], { ask, suites = registeredSuites, openPlatform = openDemoPlatform, stdout = (text) => process.stdout.write(`${text}\n`), stderr = (text) => process.stderr.write(`${text}\n`) }: RunEvalsOptions = {}): Promise<number> {
  let options: CliOptions
  let selected: Array<{ suite: Suite; file: string; items: EvalItem[] }>
  let agent: AskFunction
  try {
    options = parseArguments(argv)
    if (options.help) {
      stdout(USAGE)
      return 0
    }
    selected = await selectSuites(options, suites)
    agent = ask ?? (await loadAgent())
  } catch (error) {
    if (error instanceof UsageError || error instanceof DatasetError) {
      stderr(`evals: ${error.message}`)
      if (error instanceof UsageError && error.message.startsWith('Unknown option')) stderr(USAGE)
      return 2
    }
    throw error
  }

  const demo = await openPlatform()
  try {
    const cachedAsk = memoize(agent)
    const report: EvalReport = { model: options.model ?? 'offline planner', split: options.split, suites: {}, passed: true }
    for (const { suite, file, items } of selected) {
      report.suites[suite.name] = await runSuite(suite, file, items, { ask: cachedAsk, platform: demo.platform, model: options.model, concurrency: options.concurrency })
      if (!report.suites[suite.name]!.passed) report.passed = false
    }
    stdout(options.json ? JSON.stringify(report, null, 2) : formatReport(report))
    return report.passed ? 0 : 1
  } finally {
    await demo.close()
  }
}

async function selectSuites(options: CliOptions, suites: readonly Suite[]): Promise<Array<{ suite: Suite; file: string; items: EvalItem[] }>> {
  const known = suites.map((suite) => suite.name)
  for (const name of options.suites) if (!known.includes(name)) throw new UsageError(`Unknown suite "${name}"; known suites: ${known.join(', ')}`)
  const chosen = options.suites.length === 0 ? [...suites] : suites.filter((suite) => options.suites.includes(suite.name))
  if (options.dataset !== undefined && chosen.length !== 1) throw new UsageError(`--dataset applies to one suite; choose it with --suite (known suites: ${known.join(', ')})`)
  const result: Array<{ suite: Suite; file: string; items: EvalItem[] }> = []
  for (const suite of chosen) {
    if (suite.dataset === undefined) {
      if (options.dataset !== undefined) throw new UsageError(`The ${suite.name} suite generates its own data; it takes no --dataset`)
      result.push({ suite, file: '(generated)', items: [] })
      continue
    }
    const file = options.dataset !== undefined ? resolve(options.dataset) : suite.dataset
    const all = await readDataset(file, { check: suite.check })
    const items = options.split === 'all' ? all : all.filter((item) => item.split === options.split)
    if (items.length === 0) throw new UsageError(`Data set ${file} has no ${options.split} items`)
    result.push({ suite, file, items })
  }
  return result
}

async function runSuite(suite: Suite, file: string, items: EvalItem[], options: Parameters<Suite['run']>[1]): Promise<SuiteReport> {
  const overall = await suite.run(items, options)
  // The agent's answers are cached, so the per-split runs only score again.
  const bySplit = { dev: emptyMetrics(overall.metrics), heldout: emptyMetrics(overall.metrics) }
  // Failures are shown for dev items only: a held-out question someone has read is no longer held out.
  let shown = suite.dataset === undefined ? overall.failures : []
  for (const split of suite.dataset === undefined ? [] : (['dev', 'heldout'] as const)) {
    const subset = items.filter((item) => item.split === split)
    if (subset.length === 0) continue
    const run = await suite.run(subset, options)
    bySplit[split] = run.metrics
    if (split === 'dev') shown = run.failures
  }
  const belowThreshold = Object.entries(suite.thresholds)
    .filter(([metric, threshold]) => {
      const value = overall.metrics[metric]
      return value !== null && value !== undefined && value < threshold
    })
    .map(([metric, threshold]) => `${metric} ${overall.metrics[metric]!.toFixed(3)} < ${threshold}`)
  return {
    description: suite.description,
    dataset: file,
    items: { dev: items.filter((item) => item.split === 'dev').length, heldout: items.filter((item) => item.split === 'heldout').length, all: items.length },
    metrics: overall.metrics,
    bySplit,
    thresholds: suite.thresholds,
    passed: belowThreshold.length === 0,
    belowThreshold,
    failureCount: overall.failures.length,
    heldoutFailureCount: overall.failures.length - shown.length,
    failures: shown.slice(0, 50),
  }
}

function emptyMetrics(metrics: Metrics): Metrics {
  return Object.fromEntries(Object.keys(metrics).map((name) => [name, null]))
}

/** One agent run per distinct (question, thread, model), however many suites and splits score it. */
function memoize(ask: AskFunction): AskFunction {
  const cache = new Map<string, Promise<AskResult>>()
  return (platform, request) => {
    const key = JSON.stringify([request.question, request.thread ?? null, request.model ?? null])
    let answer = cache.get(key)
    if (!answer) {
      answer = ask(platform, request)
      cache.set(key, answer)
    }
    return answer
  }
}

/** The agent is another engineer's module; it is loaded only when a run needs it. */
async function loadAgent(): Promise<AskFunction> {
  const url = new URL('../agent/ask.ts', import.meta.url)
  if (!existsSync(fileURLToPath(url))) throw new UsageError(`The agent is missing: ${fileURLToPath(url)} does not exist (it must export ask(platform, { question, thread, model }))`)
  const module = (await import(url.href)) as { ask?: unknown }
  if (typeof module.ask !== 'function') throw new UsageError(`${fileURLToPath(url)} does not export a function named ask`)
  return module.ask as AskFunction
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runEvals(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`evals: the run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      process.exitCode = 1
    },
  )
}
