// `npm test`: type-check, then run every test on both store engines, against the real servers the tests need. Each
// server in TEST_SERVERS is started by its infra/<name>/start.sh (which prints its address as the last line) unless
// its variable already points at one, or PORTAL_TEST_<NAME>=skip leaves its tests out (they then skip and say why);
// what this script started, it stops. PostgreSQL (with pgvector, from pgserver on PyPI) carries the second store
// engine; Kafka and Neo4j (Java 17 and mvn, jars from Maven Central), Prometheus (Debian's package) and Backstage's
// catalog backend (from npm) serve the tests of what talks to them.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const env = { ...process.env }
const started = []

const TEST_SERVERS = [
  { name: 'PostgreSQL with pgvector', script: 'infra/postgres/start.sh', variable: 'TEST_DATABASE_URL', skip: 'PORTAL_TEST_POSTGRES', skipped: 'the store suites run on PGlite only' },
  { name: 'Kafka', script: 'infra/kafka/start.sh', variable: 'TEST_KAFKA_BROKERS', skip: 'PORTAL_TEST_KAFKA', skipped: 'the Kafka consumer and event bus tests are skipped' },
  { name: 'Prometheus', script: 'infra/prometheus/start.sh', variable: 'PROMETHEUS_TEST_URL', skip: 'PORTAL_TEST_PROMETHEUS', skipped: 'the Prometheus ingestion tests are skipped' },
  { name: "Backstage's catalog backend", script: 'infra/backstage/start.sh', variable: 'BACKSTAGE_TEST_URL', skip: 'PORTAL_TEST_BACKSTAGE', skipped: 'the real-Backstage migration test does not run' },
  { name: 'Neo4j', script: 'infra/neo4j/start.sh', variable: 'NEO4J_TEST_URL', skip: 'PORTAL_TEST_NEO4J', skipped: 'the Neo4j backend tests are skipped' },
]

function step(title, command, args, options = {}) {
  process.stderr.write(`\n▶ ${title}\n`)
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', options.capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' })
  if (result.error) throw result.error
  return result
}

let status = 1
try {
  for (const server of TEST_SERVERS) {
    if (!env[server.variable] && env[server.skip] !== 'skip') {
      const result = step(`Starting ${server.name} (${server.script})`, 'bash', [server.script], { capture: true })
      if (result.status !== 0) throw new Error(`${server.name} did not start; see above (or set ${server.skip}=skip)`)
      env[server.variable] = result.stdout.trim().split('\n').pop()
      started.push(server)
    }
    if (!env[server.variable]) process.stderr.write(`\n! ${server.name} skipped: ${server.skipped}\n`)
  }

  const typecheck = step('Type-checking (tsc --noEmit)', bin('tsc'), ['--noEmit'])
  mkdirSync(path.join(root, '.cache'), { recursive: true })
  const report = path.join(root, '.cache', 'vitest-report.json')
  const tests = step('Running the tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)])
  try {
    const summary = JSON.parse(readFileSync(report, 'utf8'))
    // The plain closing line that CI and people read.
    console.log(`\nTests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`)
  } catch {
    console.log('\nTests: no report was written')
  }
  status = typecheck.status === 0 && tests.status === 0 ? 0 : 1
} catch (error) {
  console.error(`npm test: ${error.message}`)
  status = 1
} finally {
  for (const server of started.reverse()) step(`Stopping ${server.name}`, 'bash', [server.script.replace(/start\.sh$/, 'stop.sh')])
}
process.exit(status)
