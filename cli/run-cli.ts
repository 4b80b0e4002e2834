import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig, type PortalConfig } from '../core/config.ts'
import { PortalError } from '../core/errors.ts'
import { localOperator } from '../core/identity.ts'
import type { ImportReport } from '../graph/catalog/catalog.ts'
import type { FocusImportReport } from '../tools/cost/import-focus.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { CatalogLoadError, createPlatform, type Platform } from '../platform/create-platform.ts'
import { loadDemoIfEmpty, loadDemoSignalsIfEmpty } from '../platform/load-demo.ts'
import { loadDemoCostIfEmpty } from '../platform/load-demo-cost.ts'
import { createHttpApp } from '../server/create-http-app.ts'
import { serveHttp } from '../server/serve-http.ts'
import { createSlackApp } from '../bots/slack/index.ts'
import { createTeamsSurface } from '../bots/teams/index.ts'
import { ask } from '../agent/ask.ts'
import { UsageError, type CliIo } from './cli-io.ts'
import { createToken, listTokens, revokeToken } from '../core/auth/index.ts'
import { SCOPES } from '../core/identity.ts'
import { serveMcpStdio } from '../mcp-server/index.ts'
import { runAnomalyCommand, runRcaCommand } from './signals-commands.ts'
import { Kafka, logLevel } from 'kafkajs'
import { startSignalConsumer } from '../tools/rca/ingest/kafka-signal-consumer.ts'
import { checkExportArguments, checkMigrateArguments, runExport, runMigrate } from './run-migration.ts'

const HELP = `Usage: portal [--catalog <path>]... <command>

Commands:
  start                                   serve the portal (HTTP API, Backstage-compatible catalog API)
  import <path-or-url>... [--dry-run] [--json]
                                          import catalog-info files, directories or Location trees
  cost import <focus.csv[.gz]>... [--dry-run] [--json]
                                          import FOCUS 1.0-1.2 cost files (a billing period re-imported replaces it)
  migrate backstage --url <backstage url> [--token <t>] [--app <dir>] [--app-config <file>] [--dry-run] [--json]
                                          bring a Backstage catalog over (its API, or app-config file locations)
  export backstage --out <dir> [--json]   write the catalog as Backstage YAML (register <dir>/all.yaml)
  tool [<name>] [--input '<json>'] [--json]
                                          run a registry tool (without a name: list the tools)
  mcp                                     serve MCP over stdio (for Claude Desktop, Cursor, VS Code)
  token create --name <n> --scopes <a,b> [--subject <s>] [--json]
                                          create an API token for /mcp (shown once)
  token list [--json] | token revoke <name>
  ask "<question>" [--model <id>] [--thread <id>] [--json]
                                          answer a question with the agent (offline planner unless a model is named)
  demo generate [--scale N] [--seed S] --out <dir>
                                          write the demo organisation as Backstage YAML
  rca --scenario <file> [--json]          rank the likely causes in an RCA scenario file, with evidence
  rca simulate --out <dir> [--count N] [--seed S]
                                          write simulated incident scenarios and their truth
  anomaly detect --csv <file> [--json]    flag anomalies in a timestamp,value CSV with the streaming detector

Global options:
  --catalog <path>   run against an in-memory catalog loaded from these files (repeatable) instead of the data directory
  --help             show this help
`

/** Runs one CLI command; returns the exit code (0 ok, 1 failed, 2 usage). `start` resolves only when stopped. */
export async function runCli(argv: string[], io: CliIo, { signal }: { signal?: AbortSignal } = {}): Promise<number> {
  try {
    return await dispatch(argv, io, signal)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`portal: ${error.message}\n\n${HELP}`)
      return 2
    }
    if (error instanceof CatalogLoadError) {
      io.stderr(`portal: ${error.message}\n`)
      return 1
    }
    if (error instanceof PortalError) {
      io.stderr(`portal: ${error.message}\n${error.issues.map((issue) => `  ${issue.path}: ${issue.message}\n`).join('')}`)
      return 1
    }
    throw error
  }
}

async function dispatch(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        catalog: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        input: { type: 'string' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        model: { type: 'string' },
        thread: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        subject: { type: 'string' },
        scenario: { type: 'string' },
        csv: { type: 'string' },
        count: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        app: { type: 'string' },
        'app-config': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const { values, positionals } = parsed
  const [command, ...rest] = positionals
  if (values.help || !command) {
    io.stdout(HELP)
    return command || values.help ? 0 : 2
  }
  const config = loadConfig(io.env)
  const catalogPaths = values.catalog?.map((item) => path.resolve(io.cwd, item))

  switch (command) {
    case 'start':
      return start(config, catalogPaths, io, signal)
    case 'import':
      if (rest.length === 0) throw new UsageError('import needs at least one path or URL')
      return withPlatform(config, catalogPaths, io, async (platform) => {
        const targets = rest.map((target) => (/^https?:\/\//.test(target) ? target : path.resolve(io.cwd, target)))
        const report = await platform.catalog.import(targets, { dryRun: values['dry-run'], cwd: io.cwd })
        io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatImport(report))
        return report.errors.length > 0 ? 1 : 0
      })
    case 'migrate':
      checkMigrateArguments(rest, values)
      return withPlatform(config, catalogPaths, io, (platform) => runMigrate(rest, values, platform, io))
    case 'export':
      checkExportArguments(rest, values)
      return withPlatform(config, catalogPaths, io, (platform) => runExport(rest, values, platform, io))
    case 'cost':
      return runCost(rest, values, config, catalogPaths, io)
    case 'ask': {
      const question = rest.join(' ')
      if (!question.trim()) throw new UsageError('ask needs a question, e.g. portal ask "who owns checkout-api?"')
      return withPlatform(config, catalogPaths, io, async (platform) => {
        const result = await ask(platform, { question, model: values.model, threadId: values.thread })
        if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`)
        else io.stdout(`${result.answer}\n${result.fallbackReason ? `\n(answered offline: ${result.fallbackReason})\n` : ''}`)
        return 0
      })
    }
    case 'mcp':
      return serveMcp(config, catalogPaths, io)
    case 'token':
      return runToken(rest, values, config, catalogPaths, io)
    case 'tool':
      return runTool(rest[0], values.input, values.json ?? false, config, catalogPaths, io)
    case 'demo': {
      if (rest[0] !== 'generate') throw new UsageError('the demo command is: portal demo generate [--scale N] --out <dir>')
      if (!values.out) throw new UsageError('demo generate needs --out <dir>')
      const scale = values.scale === undefined ? undefined : Number(values.scale)
      const seed = values.seed === undefined ? undefined : Number(values.seed)
      if (scale !== undefined && (!Number.isInteger(scale) || scale < 1)) throw new UsageError(`--scale must be a positive whole number, got ${values.scale}`)
      if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, got ${values.seed}`)
      const out = path.resolve(io.cwd, values.out)
      const written = await writeDemoOrg(out, { scale, seed })
      io.stdout(values.json ? `${JSON.stringify({ out, ...written })}\n` : `Wrote ${written.entities} entities in ${written.files} files to ${out}; import ${path.join(out, 'catalog-info.yaml')}\n`)
      return 0
    }
    case 'rca':
      return runRcaCommand(rest, values, io)
    case 'anomaly':
      return runAnomalyCommand(rest, values, io)
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

async function withPlatform(config: PortalConfig, catalogPaths: string[] | undefined, _io: CliIo, work: (platform: Platform) => Promise<number>): Promise<number> {
  const platform = await createPlatform({ config, catalogPaths })
  try {
    return await work(platform)
  } finally {
    await platform.close()
  }
}

async function runCost(rest: string[], values: { 'dry-run'?: boolean; json?: boolean }, config: PortalConfig, catalogPaths: string[] | undefined, io: CliIo): Promise<number> {
  const [action, ...files] = rest
  if (action !== 'import') throw new UsageError('the cost command is: portal cost import <file>... [--dry-run] [--json]')
  if (files.length === 0) throw new UsageError('cost import needs at least one FOCUS CSV file (.csv or .csv.gz)')
  if (catalogPaths) throw new UsageError('costs live in the data directory or DATABASE_URL; run cost import without --catalog')
  return withPlatform(config, undefined, io, async (platform) => {
    const report = await platform.cost!.import(files.map((file) => path.resolve(io.cwd, file)), { dryRun: values['dry-run'] })
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatCostImport(report, values['dry-run'] ?? false))
    return report.errors.length > 0 ? 1 : 0
  })
}

function formatCostImport(report: FocusImportReport, dryRun: boolean): string {
  const providers = Object.entries(report.billedCost.byProvider).map(([provider, amount]) => `${provider} ${amount.toFixed(2)}`).join(', ')
  const lines = [report.errors.length > 0 ? `Import failed; nothing was changed. ${report.errors.length} error(s):` : `${dryRun ? 'Dry run: would import' : 'Imported'} ${report.rows} rows, billed ${report.billedCost.total.toFixed(2)}${providers ? ` (${providers})` : ''}.`]
  for (const error of report.errors) lines.push(`  error: ${[error.file, error.row ? `row ${error.row}` : error.file ? 'header' : '', error.column].filter(Boolean).join(' › ')}: ${error.message}`)
  return `${lines.join('\n')}\n`
}

async function runTool(name: string | undefined, inputText: string | undefined, json: boolean, config: PortalConfig, catalogPaths: string[] | undefined, io: CliIo): Promise<number> {
  let input: unknown = {}
  if (inputText !== undefined) {
    try {
      input = JSON.parse(inputText)
    } catch (error) {
      throw new UsageError(`--input must be JSON: ${(error as Error).message}`)
    }
  }
  return withPlatform(config, catalogPaths, io, async (platform) => {
    if (!name) {
      const list = platform.tools.list().map((tool) => ({ name: tool.name, title: tool.title, scope: tool.scope, description: tool.description }))
      io.stdout(json ? `${JSON.stringify({ tools: list }, null, 2)}\n` : list.map((tool) => `${tool.name.padEnd(22)} ${tool.description}\n`).join(''))
      return 0
    }
    try {
      const result = await platform.tools.call(name, input, { identity: localOperator() })
      io.stdout(json ? `${JSON.stringify(result.output, null, 2)}\n` : `${result.text}\n`)
      return 0
    } catch (error) {
      if (!(error instanceof PortalError) || !json) throw error
      io.stdout(`${JSON.stringify({ error: { code: error.code, message: error.message, issues: error.issues } }, null, 2)}\n`)
      return 1
    }
  })
}

async function serveMcp(config: PortalConfig, catalogPaths: string[] | undefined, io: CliIo): Promise<number> {
  const platform = await createPlatform({ config, catalogPaths })
  // stdout carries only MCP messages; everything else goes to stderr.
  if (!catalogPaths && config.loadDemo) {
    const report = await loadDemoIfEmpty(platform)
    if (report) io.stderr('Loaded the demo organisation\n')
    if (await loadDemoCostIfEmpty(platform)) io.stderr('Loaded the demo cost data\n')
    if (report) await loadDemoSignalsIfEmpty(platform)
  }
  const server = serveMcpStdio(platform, { identity: localOperator() })
  await server.closed
  await platform.close()
  return 0
}

async function runToken(rest: string[], values: { name?: string; scopes?: string; subject?: string; json?: boolean }, config: PortalConfig, catalogPaths: string[] | undefined, io: CliIo): Promise<number> {
  if (catalogPaths) throw new UsageError('tokens live in the data directory or DATABASE_URL; run token commands without --catalog')
  const [action, positional] = rest
  return withPlatform(config, undefined, io, async (platform) => {
    const store = platform.store!
    switch (action) {
      case 'create': {
        if (!values.name) throw new UsageError('token create needs --name <name>')
        if (!values.scopes) throw new UsageError(`token create needs --scopes <a,b>, from: ${SCOPES.join(', ')}`)
        const { token, info } = await createToken(store, { name: values.name, scopes: values.scopes, subject: values.subject })
        io.stdout(values.json ? `${JSON.stringify({ token, ...info }, null, 2)}\n` : `Created token "${info.name}" (${info.scopes.join(', ')}) for ${info.subject}.\nIt is shown only this once; store it now:\n${token}\n`)
        return 0
      }
      case 'list': {
        const tokens = await listTokens(store)
        io.stdout(values.json ? `${JSON.stringify(tokens, null, 2)}\n` : tokens.map((item) => `${item.name.padEnd(24)} ${item.revokedAt ? 'revoked' : 'active '} ${item.scopes.join(',')}  last used ${item.lastUsedAt?.toISOString() ?? 'never'}\n`).join('') || 'No tokens.\n')
        return 0
      }
      case 'revoke': {
        const name = positional ?? values.name
        if (!name) throw new UsageError('token revoke needs a name: portal token revoke <name>')
        const info = await revokeToken(store, name)
        io.stdout(`Revoked "${info.name}"; requests with it now get 401.\n`)
        return 0
      }
      default:
        throw new UsageError('the token commands are: token create | token list | token revoke <name>')
    }
  })
}

async function start(config: PortalConfig, catalogPaths: string[] | undefined, io: CliIo, signal?: AbortSignal): Promise<number> {
  const platform = await createPlatform({ config, catalogPaths })
  // Follow the other replicas (with Kafka) and take part in the cluster's scheduled jobs.
  await platform.start()
  if (!catalogPaths && config.loadDemo) {
    // Replicas starting together on an empty store: one loads the demo, the others see it arrive.
    await platform.jobs.runExclusive('demo-load', async () => {
      const report = await loadDemoIfEmpty(platform)
      if (report) io.stderr(`Loaded the demo organisation: ${Object.entries(report.entities).map(([kind, count]) => `${count} ${kind}`).join(', ')}\n`)
      const cost = await loadDemoCostIfEmpty(platform)
      if (cost) io.stderr(`Loaded the demo cost data: ${cost.rows} FOCUS rows, billed ${cost.billedCost.total.toFixed(2)}\n`)
    })
  }
  // With KAFKA_BROKERS, signals also arrive on the "signals" topic (the same payloads as the webhooks).
  const kafkaConsumer = config.kafkaBrokers ? await startSignalConsumer({ kafka: new Kafka({ clientId: 'next-portal', brokers: config.kafkaBrokers, logLevel: logLevel.ERROR }), signals: platform.signals, index: platform.catalog.index, bus: platform.bus }) : undefined
  // With PROMETHEUS_URL, metrics are pulled on a schedule (and on demand when a tool reads a window).
  platform.prometheus?.start({ intervalSeconds: config.prometheus!.intervalSeconds, onError: (error) => io.stderr(`prometheus: ${error.message}\n`) })
  // Aborting closes open MCP streams, which would otherwise keep the HTTP server from closing.
  const streams = new AbortController()
  const slack = config.slack ? createSlackApp(platform) : undefined
  const teams = config.teams ? createTeamsSurface(platform) : undefined
  const server = await serveHttp(createHttpApp(platform, { signal: streams.signal, slack, teams }), { host: config.host, port: config.port })
  io.stdout(`NEXT Portal is serving ${platform.catalog.index.size} entities at ${server.url}\n`)
  if (slack) {
    await slack.start()
    io.stdout(config.slack?.mode === 'socket' ? 'Slack: connected over Socket Mode\n' : `Slack: events at ${server.url}/slack/events\n`)
  }
  // The search index is checked against the catalog in the background; embeddings follow as they are computed.
  platform.search.start().catch((error: unknown) => io.stderr(`search: the index could not be built: ${(error as Error).message}\n`))
  // Two simulated weeks of signals for the demo, loaded while the portal already serves (it takes seconds).
  const stopLoading = new AbortController()
  const signalsLoading = !catalogPaths && config.loadDemo && !config.prometheus
    ? platform.jobs.runExclusive('demo-signals', () => loadDemoSignalsIfEmpty(platform, { signal: stopLoading.signal })).then(
        (outcome) => outcome.ran && outcome.value && io.stderr(`Loaded two simulated weeks of signals: ${outcome.value.incidents} incidents, ${outcome.value.events} events, ${outcome.value.metricRuns} metric runs\n`),
        (error: unknown) => io.stderr(`Could not load the simulated signals: ${(error as Error).message}\n`),
      )
    : undefined
  await new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve()
    signal?.addEventListener('abort', () => resolve(), { once: true })
    if (!signal) for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => resolve())
  })
  streams.abort()
  stopLoading.abort()
  await signalsLoading
  await kafkaConsumer?.stop()
  await server.close()
  await slack?.stop()
  await teams?.stop()
  await platform.close()
  return 0
}

function formatImport(report: ImportReport): string {
  const lines: string[] = []
  const kinds = Object.entries(report.entities).map(([kind, count]) => `${count} ${kind}`).join(', ') || 'no entities'
  const relations = Object.values(report.relations).reduce((sum, count) => sum + count, 0)
  if (report.errors.length > 0) lines.push(`Import failed; nothing was changed. ${report.errors.length} error(s):`)
  else if (report.dryRun) lines.push(`Dry run: would import ${kinds} with ${relations} relations.`)
  else lines.push(`Imported ${kinds} with ${relations} relations (${report.changes.added} added, ${report.changes.updated} updated, ${report.changes.removed} removed, ${report.changes.unchanged} unchanged).`)
  for (const problem of report.errors) lines.push(`  error: ${[problem.file, problem.entity, problem.field].filter(Boolean).join(' › ')}: ${problem.message}`)
  for (const problem of report.warnings) lines.push(`  warning: ${[problem.file, problem.entity, problem.field].filter(Boolean).join(' › ')}: ${problem.message}`)
  return `${lines.join('\n')}\n`
}
