// `npm test`: type-check, then run every test on both store engines. It starts the PostgreSQL (with pgvector)
// test server from infra/postgres unless TEST_DATABASE_URL points at one already, and stops what it started.
// PORTAL_TEST_POSTGRES=skip runs the PGlite half alone (for machines without Python). It also starts a Kafka broker
// (infra/kafka, Java 17 and mvn) unless TEST_KAFKA_BROKERS is set; PORTAL_TEST_KAFKA=skip skips the Kafka tests.
// It also starts Backstage's real catalog backend from infra/backstage (the migration tests read it) unless
// BACKSTAGE_TEST_URL points at one already; PORTAL_TEST_BACKSTAGE=skip leaves those tests out. And a Prometheus
// (infra/prometheus, Debian's package) unless PROMETHEUS_TEST_URL is set; PORTAL_TEST_PROMETHEUS=skip skips those tests.
// And Neo4j (infra/neo4j, Java 17 and mvn) unless NEO4J_TEST_URL is set; PORTAL_TEST_NEO4J=skip skips the Neo4j tests.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const env = { ...process.env }
let startedPostgres = false
let startedKafka = false
let startedBackstage = false
let startedPrometheus = false
let startedNeo4j = false

function step(title, command, args, options = {}) {
  process.stderr.write(`\n▶ ${title}\n`)
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', options.capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' })
  if (result.error) throw result.error
  return result
}

let status = 1
try {
  if (!env.TEST_DATABASE_URL && env.PORTAL_TEST_POSTGRES !== 'skip') {
    const started = step('Starting PostgreSQL with pgvector (infra/postgres/start.sh)', 'bash', ['infra/postgres/start.sh'], { capture: true })
    if (started.status !== 0) throw new Error('PostgreSQL did not start; see above (or set PORTAL_TEST_POSTGRES=skip)')
    env.TEST_DATABASE_URL = started.stdout.trim().split('\n').pop()
    startedPostgres = true
  }
  if (!env.TEST_DATABASE_URL) process.stderr.write('\n! PostgreSQL skipped: the store suites run on PGlite only\n')
  // A real Kafka broker (KRaft, jars from Maven Central) for the signal consumer tests; PORTAL_TEST_KAFKA=skip skips them.
  if (!env.TEST_KAFKA_BROKERS && env.PORTAL_TEST_KAFKA !== 'skip') {
    const started = step('Starting Kafka (infra/kafka/start.sh)', 'bash', ['infra/kafka/start.sh'], { capture: true })
    if (started.status !== 0) throw new Error('Kafka did not start; see above (or set PORTAL_TEST_KAFKA=skip)')
    env.TEST_KAFKA_BROKERS = started.stdout.trim().split('\n').pop()
    startedKafka = true
  }
  if (!env.TEST_KAFKA_BROKERS) process.stderr.write('\n! Kafka skipped: the Kafka consumer tests are skipped\n')
  // A real Prometheus (Debian's package, a backfilled test history) for the metrics ingestion tests.
  if (!env.PROMETHEUS_TEST_URL && env.PORTAL_TEST_PROMETHEUS !== 'skip') {
    const started = step('Starting Prometheus (infra/prometheus/start.sh)', 'bash', ['infra/prometheus/start.sh'], { capture: true })
    if (started.status !== 0) throw new Error('Prometheus did not start; see above (or set PORTAL_TEST_PROMETHEUS=skip)')
    env.PROMETHEUS_TEST_URL = started.stdout.trim().split('\n').pop()
    startedPrometheus = true
  }
  if (!env.PROMETHEUS_TEST_URL) process.stderr.write('\n! Prometheus skipped: the Prometheus ingestion tests are skipped\n')
  if (!env.BACKSTAGE_TEST_URL && env.PORTAL_TEST_BACKSTAGE !== 'skip') {
    const started = step("Starting Backstage's catalog backend (infra/backstage/start.sh)", 'bash', ['infra/backstage/start.sh'], { capture: true })
    if (started.status !== 0) throw new Error('Backstage did not start; see above (or set PORTAL_TEST_BACKSTAGE=skip)')
    env.BACKSTAGE_TEST_URL = started.stdout.trim().split('\n').pop()
    startedBackstage = true
  }
  if (!env.BACKSTAGE_TEST_URL) process.stderr.write('\n! Backstage skipped: the real-Backstage migration test does not run\n')
  if (!env.NEO4J_TEST_URL && env.PORTAL_TEST_NEO4J !== 'skip') {
    const started = step('Starting Neo4j (infra/neo4j/start.sh)', 'bash', ['infra/neo4j/start.sh'], { capture: true })
    if (started.status !== 0) throw new Error('Neo4j did not start; see above (or set PORTAL_TEST_NEO4J=skip)')
    env.NEO4J_TEST_URL = started.stdout.trim().split('\n').pop()
    startedNeo4j = true
  }
  if (!env.NEO4J_TEST_URL) process.stderr.write('\n! Neo4j skipped: the Neo4j backend tests are skipped\n')

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
  if (startedPostgres) step('Stopping PostgreSQL', 'bash', ['infra/postgres/stop.sh'])
  if (startedKafka) step('Stopping Kafka', 'bash', ['infra/kafka/stop.sh'])
  if (startedBackstage) step('Stopping Backstage', 'bash', ['infra/backstage/stop.sh'])
  if (startedPrometheus) step('Stopping Prometheus', 'bash', ['infra/prometheus/stop.sh'])
  if (startedNeo4j) step('Stopping Neo4j', 'bash', ['infra/neo4j/stop.sh'])
}
process.exit(status)
