// The official MCP conformance suite (@modelcontextprotocol/conformance) against the portal's Streamable HTTP
// endpoint, for both protocol revisions the portal serves (the suite's requirement sets 2025-11-25 and
// 2026-07-28, each run at its own wire version).
//
//   node scripts/mcp-conformance.js                 start the portal on the test catalog, run, stop it
//   node scripts/mcp-conformance.js --url <url>     test a portal that is already running (anonymous loopback on)
//   options: --revision 2025-11-25|2026-07-28 (repeatable; default both), --expected-failures <file> (default
//            mcp-server/interop/conformance-expected-failures.json), --keep (keep the suite's result folders and
//            print where), --verbose (the suite's own output)
//
// The suite's server mode cannot send an Authorization header, so the portal is started with
// PORTAL_MCP_ANONYMOUS_LOOPBACK=true (read scopes, loopback only). Failures are compared with
// mcp-server/interop/conformance-expected-failures.json: each entry names a scenario, the checks expected to fail
// and what it needs that the portal lacks, which is verified before the run. Exit 0 when every failure is
// expected; 1 on an unexpected failure, an expected failure that now passes, or an entry whose reason no longer
// holds; 2 when the portal or the suite could not run. Extension scenarios (tasks, skills) are reported, never
// gated: the portal implements no protocol extension, and the suite itself never scores them.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import YAML from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixture = path.join(root, 'test/fixtures/backstage/all.yaml')
const suiteDir = path.join(root, 'node_modules/@modelcontextprotocol/conformance')
const expectedFailuresFile = path.join(root, 'mcp-server/interop/conformance-expected-failures.json')
const REVISIONS = ['2025-11-25', '2026-07-28']
const SUITE_TIMEOUT_MS = 300_000
const START_TIMEOUT_MS = 60_000

// Like bin/portal.js: an older node hands over to the Node 22 that npm install put in node_modules.
if (Number(process.versions.node.split('.')[0]) < 22) {
  const bundled = path.join(root, 'node_modules/node/bin/node')
  if (!existsSync(bundled)) {
    console.error(`mcp-conformance needs Node.js 22 or later (this is ${process.version}); run npm install first`)
    process.exit(2)
  }
  process.exit(spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' }).status ?? 2)
}

class HarnessError extends Error {}

const log = (message) => process.stderr.write(`[conformance] ${message}\n`)

/** The portal on the test catalog, on loopback and a port the OS chooses; resolves once /readyz answers. */
async function startPortal() {
  const child = spawn(process.execPath, [path.join(root, 'bin/portal.js'), '--catalog', fixture, 'start'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PORTAL_MCP_ANONYMOUS_LOOPBACK: 'true', PORTAL_DEMO: 'false', PORTAL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  let spawnError
  child.once('error', (error) => (spawnError = error))
  // Whatever ends this script, the portal goes with it.
  process.once('exit', () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'))
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + START_TIMEOUT_MS
  let base
  while (Date.now() < deadline) {
    if (spawnError) throw new HarnessError(`the portal could not start: ${spawnError.message}`)
    if (child.exitCode !== null) throw new HarnessError(`the portal exited with code ${child.exitCode} before it was ready:\n${output}`)
    base ??= /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
    if (base) {
      const ready = await fetch(`${base}/readyz`).then((response) => response.ok, () => false)
      if (ready) return { url: `${base}/mcp`, stop, output: () => output }
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await stop()
  throw new HarnessError(`the portal was not ready within ${START_TIMEOUT_MS / 1000} s:\n${output}`)
}

/** One JSON-RPC request over Streamable HTTP at 2025-11-25 (stateless after initialize); the JSON or SSE answer's message. */
async function rpc(url, method, params, id) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  }).catch((error) => {
    throw new HarnessError(`cannot reach ${url}: ${error.cause?.message ?? error.message}`)
  })
  if (response.status === 401) throw new HarnessError(`${url} wants a token: start the portal with PORTAL_MCP_ANONYMOUS_LOOPBACK=true (the suite cannot send one)`)
  const text = await response.text()
  const body = response.headers.get('content-type')?.includes('text/event-stream')
    ? text.split('\n').filter((line) => line.startsWith('data:')).map((line) => JSON.parse(line.slice(5))).find((message) => message.id === id)
    : JSON.parse(text)
  if (!body) throw new HarnessError(`${method}: HTTP ${response.status} without a JSON-RPC answer: ${text.slice(0, 300)}`)
  return body
}

/** What the portal offers an anonymous loopback caller, to check that each expected failure's reason still holds. */
async function surveyServer(url) {
  const initialize = await rpc(url, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcp-conformance-survey', version: '1' } }, 1)
  if (!initialize.result) throw new HarnessError(`initialize failed: ${JSON.stringify(initialize.error ?? initialize)}`)
  const listAll = async (method, key) => {
    const items = []
    let cursor
    do {
      const page = await rpc(url, method, cursor ? { cursor } : {}, 2)
      if (!page.result) throw new HarnessError(`${method} failed: ${JSON.stringify(page.error)}`)
      items.push(...page.result[key])
      cursor = page.result.nextCursor
    } while (cursor)
    return items
  }
  const tools = await listAll('tools/list', 'tools')
  const prompts = initialize.result.capabilities.prompts ? await listAll('prompts/list', 'prompts') : []
  return {
    capabilities: initialize.result.capabilities,
    tools,
    prompts,
    readable: async (uri) => Boolean((await rpc(url, 'resources/read', { uri }, 3)).result),
  }
}

/** Why an entry's stated need no longer holds (the portal has what it says the portal lacks), or nothing. */
async function unmetNeeds(entry, survey) {
  const problems = []
  const needs = entry.needs ?? {}
  if (Object.keys(needs).length === 0) problems.push('the entry has no `needs`: only scenarios that need fixtures or undeclared optional capabilities may be listed')
  for (const name of needs.tools ?? []) if (survey.tools.some((tool) => tool.name === name)) problems.push(`the portal now lists tool ${name}`)
  for (const name of needs.prompts ?? []) if (survey.prompts.some((prompt) => prompt.name === name)) problems.push(`the portal now lists prompt ${name}`)
  for (const uri of needs.resources ?? []) if (await survey.readable(uri)) problems.push(`the portal now serves resource ${uri}`)
  for (const capability of needs.capabilities ?? []) {
    const value = capability.split('.').reduce((object, key) => object?.[key], survey.capabilities)
    if (value !== undefined && value !== false) problems.push(`the portal now declares capability ${capability}`)
  }
  if (needs.toolInputSchemaKeyword && survey.tools.some((tool) => JSON.stringify(tool.inputSchema).includes(`"${needs.toolInputSchemaKeyword}"`))) {
    problems.push(`a portal tool's input schema now uses ${needs.toolInputSchemaKeyword}`)
  }
  return problems
}

/** The server scenarios a requirement set runs: gated ones (scored, pending, added after release) and extensions. */
async function requirementSet(revision) {
  const set = YAML.parse(await readFile(path.join(suiteDir, 'requirements', `${revision}.yaml`), 'utf8'))
  const notScored = (set.not_scored ?? []).filter((entry) => entry.leg === 'server')
  return {
    gated: [...(set.server ?? []), ...notScored.filter((entry) => entry.reason !== 'extension').map((entry) => entry.scenario)],
    extensions: notScored.filter((entry) => entry.reason === 'extension').map((entry) => entry.scenario),
  }
}

/** Runs the suite's server mode on one requirement set; the checks of each scenario it wrote. */
async function runSuite(url, revision, outputDir, verbose) {
  const suiteBin = path.join(suiteDir, 'dist/index.js')
  await mkdir(outputDir, { recursive: true })
  const child = spawn(process.execPath, [suiteBin, 'server', '--url', url, '--requirements', revision, '-o', outputDir], { cwd: outputDir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), SUITE_TIMEOUT_MS)
  const code = await new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new HarnessError(`the suite could not start: ${error.message}`)))
    child.once('exit', (exitCode) => resolve(exitCode))
  })
  clearTimeout(timer)
  if (verbose) process.stderr.write(output)
  const checks = new Map()
  for (const folder of await readdir(outputDir).catch(() => [])) {
    const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(folder)?.[1]
    const file = path.join(outputDir, folder, 'checks.json')
    if (scenario && existsSync(file)) checks.set(scenario, JSON.parse(await readFile(file, 'utf8')))
  }
  // The suite exits 1 when a scenario fails; no results at all means it did not run.
  if (checks.size === 0) throw new HarnessError(`the suite wrote no results for ${revision} (exit ${code}):\n${output.slice(-3000)}`)
  return checks
}

const FAILED = new Set(['FAILURE', 'ERROR'])

/** Judges one scenario's checks against the expected failures that apply to it. */
function judge(scenario, revision, checks, entries) {
  const applicable = entries.filter((entry) => entry.scenario === scenario && (!entry.revisions || entry.revisions.includes(revision)))
  const excused = new Set(applicable.flatMap((entry) => entry.checks ?? []))
  const wholeScenario = applicable.some((entry) => !entry.checks)
  const failing = checks.filter((check) => FAILED.has(check.status))
  const unexpected = failing.filter((check) => !wholeScenario && !excused.has(check.id))
  const expected = failing.filter((check) => wholeScenario || excused.has(check.id))
  // A listed check that ran and did not fail is stale; one that did not run (a prerequisite failed) is tolerated.
  const nowPassing = [...excused].filter((id) => checks.some((check) => check.id === id) && !failing.some((check) => check.id === id))
  const staleWhole = wholeScenario && failing.length === 0
  return {
    scenario,
    passed: checks.filter((check) => check.status === 'SUCCESS').length,
    failed: failing.length,
    warnings: checks.filter((check) => check.status === 'WARNING'),
    unexpected,
    expected,
    nowPassing: staleWhole ? ['(whole scenario)'] : nowPassing,
    entries: applicable,
  }
}

function formatCheck(check) {
  return `${check.id}: ${(check.errorMessage ?? check.description ?? '').replace(/\s+/g, ' ').slice(0, 240)}`
}

async function main() {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, 'expected-failures': { type: 'string' }, revision: { type: 'string', multiple: true }, keep: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } },
  })
  const revisions = values.revision?.flatMap((value) => value.split(',')) ?? REVISIONS
  const unknown = revisions.filter((revision) => !REVISIONS.includes(revision))
  if (unknown.length > 0) throw new HarnessError(`unknown revision ${unknown.join(', ')}; known: ${REVISIONS.join(', ')}`)
  const suiteVersion = JSON.parse(await readFile(path.join(suiteDir, 'package.json'), 'utf8')).version
  const { expectedFailures: entries } = JSON.parse(await readFile(values['expected-failures'] ? path.resolve(values['expected-failures']) : expectedFailuresFile, 'utf8'))

  const portal = values.url ? undefined : await startPortal()
  const url = values.url ?? portal.url
  const outputRoot = await mkdtemp(path.join(os.tmpdir(), 'portal-conformance-'))
  let problems = 0
  try {
    log(`@modelcontextprotocol/conformance ${suiteVersion} against ${url}${portal ? ' (portal on test/fixtures/backstage/all.yaml, anonymous loopback)' : ''}`)
    const survey = await surveyServer(url)
    log(`the portal offers ${survey.tools.length} tools and ${survey.prompts.length} prompts to an anonymous loopback caller; capabilities ${JSON.stringify(survey.capabilities)}`)
    for (const entry of entries) {
      for (const problem of await unmetNeeds(entry, survey)) {
        problems++
        console.log(`✗ expected failure ${entry.scenario} is no longer justified: ${problem}`)
      }
    }

    const used = new Set()
    const gatedIn = new Map()
    const totals = { pass: 0, expected: 0, unexpected: 0, stale: 0, extensions: 0 }
    for (const revision of revisions) {
      const { gated, extensions } = await requirementSet(revision)
      gatedIn.set(revision, gated)
      log(`running the ${revision} requirement set: ${gated.length} gated and ${extensions.length} extension scenarios`)
      const started = performance.now()
      const results = await runSuite(url, revision, path.join(outputRoot, revision), values.verbose)
      console.log(`\n── ${revision}: ${results.size} scenarios in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      for (const scenario of gated) {
        const checks = results.get(scenario)
        if (!checks) {
          problems++
          totals.unexpected++
          console.log(`  ✗ UNEXPECTED ${scenario}: the suite wrote no result for it`)
          continue
        }
        const verdict = judge(scenario, revision, checks, entries)
        for (const entry of verdict.entries) used.add(entry)
        const counts = `${verdict.passed} passed, ${verdict.failed} failed${verdict.warnings.length ? `, ${verdict.warnings.length} warnings` : ''}`
        if (verdict.unexpected.length > 0) {
          problems++
          totals.unexpected++
          console.log(`  ✗ UNEXPECTED ${scenario} (${counts})`)
          for (const check of verdict.unexpected) console.log(`      ${formatCheck(check)}`)
        } else if (verdict.nowPassing.length > 0) {
          problems++
          totals.stale++
          console.log(`  ✗ NOW PASSES ${scenario} (${counts}): remove ${verdict.nowPassing.join(', ')} from the expected failures`)
        } else if (verdict.expected.length > 0) {
          totals.expected++
          console.log(`  ○ expected   ${scenario} (${counts}): ${verdict.entries.map((entry) => entry.reason).join('; ')}`)
        } else {
          totals.pass++
          console.log(`  ✓ pass       ${scenario} (${counts})`)
        }
        for (const warning of verdict.warnings) console.log(`      warning ${formatCheck(warning)}`)
      }
      for (const scenario of extensions) {
        const checks = results.get(scenario) ?? []
        totals.extensions++
        const failed = checks.filter((check) => FAILED.has(check.status)).length
        console.log(`  · extension  ${scenario} (${checks.filter((check) => check.status === 'SUCCESS').length} passed, ${failed} failed; not gated: the portal implements no extension)`)
      }
    }
    for (const entry of entries) {
      const scheduled = revisions.some((revision) => (!entry.revisions || entry.revisions.includes(revision)) && gatedIn.get(revision).includes(entry.scenario))
      if (!scheduled && entry.revisions?.some((revision) => !REVISIONS.includes(revision))) {
        problems++
        console.log(`✗ expected failure ${entry.scenario} names an unknown revision: ${entry.revisions.join(', ')}`)
      } else if (!scheduled && revisions.length === REVISIONS.length) {
        problems++
        console.log(`✗ expected failure ${entry.scenario} names no scenario of the requirement sets: remove it or fix its name`)
      } else if (scheduled && !used.has(entry)) {
        problems++
        console.log(`✗ expected failure ${entry.scenario} matched no scenario that ran: remove it or fix its name`)
      }
    }
    console.log(`\nConformance: ${totals.pass} passed, ${totals.expected} expected failures, ${totals.unexpected} unexpected failures, ${totals.stale} now passing, ${totals.extensions} extension scenarios reported`)
    if (values.keep) console.log(`Results: ${outputRoot}`)
  } catch (error) {
    // The portal's own output says why it stopped answering.
    if (portal && error instanceof HarnessError) error.message += `\n--- portal output ---\n${portal.output().slice(-4000)}`
    throw error
  } finally {
    if (!values.keep) await rm(outputRoot, { recursive: true, force: true })
    await portal?.stop()
  }
  return problems === 0 ? 0 : 1
}

try {
  process.exitCode = await main()
} catch (error) {
  console.error(`mcp-conformance: ${error instanceof HarnessError ? error.message : (error.stack ?? error)}`)
  process.exitCode = 2
}
