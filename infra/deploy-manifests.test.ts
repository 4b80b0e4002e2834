import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { loadConfig } from '../core/config.ts'
import { createPlatform } from '../platform/create-platform.ts'
import { createHttpApp } from '../server/create-http-app.ts'

// The Compose file and the Helm chart, checked with the tools operators use: `helm lint`/`helm template` (helm
// built from source through the Go module proxy) and compose-go, the loader behind `docker compose config`.
// Both are built once into .cache/tools by their scripts; building needs Go. PORTAL_TEST_DEPLOY=skip skips.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const chart = path.join(root, 'infra/helm/next-portal')
const productionValues = path.join(chart, 'ci/production-values.yaml')
const goAvailable = spawnSync('bash', ['-c', 'command -v go || test -x /usr/local/go/bin/go'], { encoding: 'utf8' }).status === 0
const skipReason = process.env.PORTAL_TEST_DEPLOY === 'skip' ? 'PORTAL_TEST_DEPLOY=skip' : goAvailable ? undefined : 'Go is not installed, so helm and the Compose validator cannot be built (install Go 1.24+)'
if (skipReason) console.warn(`infra/deploy-manifests.test.ts skipped: ${skipReason}`)

// Building helm from source takes minutes the first time (about 4 CPU-minutes plus the module downloads).
const BUILD_TIMEOUT_MS = 45 * 60_000

interface Run {
  status: number
  stdout: string
  stderr: string
}

function run(command: string, args: string[]): Run {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (result.error) throw result.error
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr }
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string> }

describe.skipIf(skipReason !== undefined)('the Helm chart', () => {
  let helm: string
  const helmRun = (...args: string[]) => run(helm, args)
  const render = (...args: string[]): Manifest[] => {
    const rendered = helmRun('template', 'portal', chart, ...args)
    expect(rendered.status, rendered.stderr).toBe(0)
    return parseAllDocuments(rendered.stdout).map((document) => document.toJS()).filter(Boolean)
  }
  const find = (manifests: Manifest[], kind: string, name?: string) => manifests.filter((manifest) => manifest.kind === kind && (name === undefined || manifest.metadata.name === name))

  beforeAll(() => {
    const installed = run('bash', ['infra/helm/install-helm.sh'])
    if (installed.status !== 0) throw new Error(`infra/helm/install-helm.sh failed:\n${installed.stderr}`)
    helm = installed.stdout.trim().split('\n').pop()!
  }, BUILD_TIMEOUT_MS)

  it('passes helm lint --strict with production values, and with the defaults on one replica', () => {
    const production = helmRun('lint', '--strict', chart, '-f', productionValues)
    expect(production.status, production.stdout + production.stderr).toBe(0)
    expect(production.stdout).toContain('0 chart(s) failed')
    const single = helmRun('lint', '--strict', chart, '--set', 'replicaCount=1')
    expect(single.status, single.stdout + single.stderr).toBe(0)
  })

  it('runs replicas with liveness on /healthz, readiness on /readyz and a startup probe', () => {
    const [deployment] = find(render('-f', productionValues), 'Deployment')
    expect(deployment!.spec.replicas).toBe(3)
    const container = deployment!.spec.template.spec.containers[0]
    expect(container.image).toBe('registry.example.com/next-portal:0.1.0')
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }])
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' })
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true)
    expect(container.volumeMounts.map((mount: { mountPath: string }) => mount.mountPath).sort()).toEqual(['/data', '/tmp'])
    expect(deployment!.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics', 'prometheus.io/port': '3000' })
  })

  it('puts Slack, Teams, LLM and database credentials in Secrets the pods read, or uses existing ones', () => {
    const manifests = render('-f', productionValues)
    const secrets = Object.fromEntries(find(manifests, 'Secret').map((secret) => [secret.metadata.name, secret.stringData]))
    expect(secrets).toEqual({
      'portal-next-portal-database': { DATABASE_URL: 'postgres://portal:ci-password@postgres.db.svc:5432/portal' },
      'portal-next-portal-slack': { SLACK_BOT_TOKEN: 'xoxb-ci-token', SLACK_SIGNING_SECRET: 'ci-signing-secret' },
      'portal-next-portal-teams': { MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'ci-app-password', MICROSOFT_APP_TYPE: 'MultiTenant' },
      'portal-next-portal-llm': { OPENAI_API_KEY: 'sk-ci-key', OPENAI_BASE_URL: 'https://llm.example.com/v1' },
    })
    const container = find(manifests, 'Deployment')[0]!.spec.template.spec.containers[0]
    const secretRefs = container.envFrom.filter((source: { secretRef?: unknown }) => source.secretRef).map((source: { secretRef: { name: string } }) => source.secretRef.name)
    // Each created Secret, plus the operator's own for Neo4j; no secret value sits in the ConfigMap or the pod spec.
    expect(secretRefs.sort()).toEqual([...Object.keys(secrets), 'neo4j-credentials'].sort())
    expect(JSON.stringify(find(manifests, 'ConfigMap'))).not.toMatch(/ci-password|xoxb-ci-token|sk-ci-key|ci-app-password/)
    expect(JSON.stringify(find(manifests, 'Deployment'))).not.toMatch(/ci-password|xoxb-ci-token|sk-ci-key|ci-app-password/)
    // A change of secret rolls the pods.
    const annotations = find(manifests, 'Deployment')[0]!.spec.template.metadata.annotations
    const changed = find(render('-f', productionValues, '--set', 'secrets.llm.apiKey=sk-rotated'), 'Deployment')[0]!.spec.template.metadata.annotations
    expect(changed['checksum/secrets']).not.toBe(annotations['checksum/secrets'])
  })

  it('routes /slack/events, /api/messages, /mcp and the web chat through the Ingress, and nothing internal', () => {
    const [ingress] = find(render('-f', productionValues), 'Ingress')
    expect(ingress!.spec.ingressClassName).toBe('nginx')
    expect(ingress!.spec.tls).toEqual([{ hosts: ['portal.example.com'], secretName: 'portal-next-portal-tls' }])
    const [rule] = ingress!.spec.rules
    expect(rule.host).toBe('portal.example.com')
    const paths = Object.fromEntries(rule.http.paths.map((entry: { path: string; pathType: string }) => [entry.path, entry.pathType]))
    expect(paths).toEqual({ '/slack/events': 'Exact', '/api/messages': 'Exact', '/mcp': 'Exact', '/.well-known/oauth-protected-resource': 'Prefix', '/': 'Exact', '/assets': 'Prefix', '/api/chat': 'Prefix', '/api/approvals': 'Prefix' })
    expect(new Set(rule.http.paths.map((entry: { backend: unknown }) => JSON.stringify(entry.backend)))).toEqual(new Set([JSON.stringify({ service: { name: 'portal-next-portal', port: { name: 'http' } } })]))
    // Surfaces can be left out, and more paths added.
    const [narrow] = find(render('-f', productionValues, '--set', 'ingress.routes.slack=false', '--set', 'ingress.routes.teams=false', '--set', 'ingress.extraPaths[0].path=/api/signals'), 'Ingress')
    expect(narrow!.spec.rules[0].http.paths.map((entry: { path: string }) => entry.path)).toEqual(['/mcp', '/.well-known/oauth-protected-resource', '/', '/assets', '/api/chat', '/api/approvals', '/api/signals'])
  })

  it('configures an environment the portal accepts: store, Kafka, Neo4j, telemetry, surfaces and its public host', () => {
    const manifests = render('-f', productionValues)
    const environment: Record<string, string> = { ...find(manifests, 'ConfigMap')[0]!.data }
    for (const secret of find(manifests, 'Secret')) Object.assign(environment, secret.stringData)
    expect(environment).toMatchObject({ HOST: '0.0.0.0', PORT: '3000', KAFKA_BROKERS: 'kafka-0.kafka:9092,kafka-1.kafka:9092', NEO4J_URL: 'neo4j://neo4j.graph.svc:7687', NEO4J_USER: 'neo4j', PORTAL_WEB_AUTH: 'proxy' })
    // The portal's own configuration loader takes it (it stops start-up on any bad value).
    const config = loadConfig(environment)
    expect(config.databaseUrl).toBe('postgres://portal:ci-password@postgres.db.svc:5432/portal')
    expect(config.kafkaBrokers).toEqual(['kafka-0.kafka:9092', 'kafka-1.kafka:9092'])
    expect(config.slack).toMatchObject({ mode: 'http', botToken: 'xoxb-ci-token' })
    expect(config.teams).toMatchObject({ appId: '00000000-0000-0000-0000-000000000001', appType: 'MultiTenant' })
    expect(config.model).toMatchObject({ apiKey: 'sk-ci-key', baseURL: 'https://llm.example.com/v1' })
    expect(config.telemetry).toMatchObject({ endpoint: 'http://otel-collector.observability.svc:4318', serviceName: 'next-portal' })
    expect(config.mcp).toMatchObject({ publicUrl: 'https://portal.example.com', allowedHosts: ['portal.example.com'] })
    expect(config.webAuth.mode).toBe('proxy')
  })

  it('adds a PodDisruptionBudget and a ServiceMonitor, and an autoscaler in place of a fixed count', () => {
    const manifests = render('-f', productionValues)
    expect(find(manifests, 'PodDisruptionBudget')[0]!.spec.minAvailable).toBe(1)
    expect(find(manifests, 'ServiceMonitor')[0]!.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }])
    const scaled = render('-f', productionValues, '--set', 'autoscaling.enabled=true')
    expect(find(scaled, 'HorizontalPodAutoscaler')[0]!.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 })
    expect(find(scaled, 'Deployment')[0]!.spec.replicas).toBeUndefined()
  })

  it('refuses what cannot work, saying what to change', () => {
    const noDatabase = helmRun('template', 'portal', chart)
    expect(noDatabase.status).not.toBe(0)
    expect(noDatabase.stderr).toContain('more than one replica needs PostgreSQL: set secrets.database.url or secrets.database.existingSecret')
    const neo4jWithoutPassword = helmRun('template', 'portal', chart, '--set', 'replicaCount=1', '--set', 'neo4j.url=bolt://neo4j:7687')
    expect(neo4jWithoutPassword.stderr).toContain('neo4j.url is set but Neo4j has no password')
    // values.schema.json
    const badReplicas = helmRun('template', 'portal', chart, '-f', productionValues, '--set', 'replicaCount=0')
    expect(badReplicas.status).not.toBe(0)
    expect(badReplicas.stderr).toMatch(/replicaCount.*minimum|minimum.*replicaCount|replicaCount: Must be greater than or equal to 1/s)
    const unknown = helmRun('template', 'portal', chart, '-f', productionValues, '--set', 'replicas=3')
    expect(unknown.status).not.toBe(0)
    expect(unknown.stderr).toMatch(/replicas/)
    const badAuth = helmRun('template', 'portal', chart, '-f', productionValues, '--set', 'config.PORTAL_WEB_AUTH=nobody')
    expect(badAuth.stderr).toMatch(/PORTAL_WEB_AUTH/)
  })

  it('probes paths the portal answers', async () => {
    const container = find(render('-f', productionValues), 'Deployment')[0]!.spec.template.spec.containers[0]
    const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_EMBEDDINGS_MODEL: 'none' }) })
    try {
      const app = createHttpApp(platform)
      for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
        expect((await app.request(probe.httpGet.path)).status, probe.httpGet.path).toBe(200)
      }
    } finally {
      await platform.close()
    }
  })
})

describe.skipIf(skipReason !== undefined)('the Compose file', () => {
  let resolved: any
  let directory: string
  const validate = (...args: string[]) => run('bash', ['infra/compose/validate.sh', ...args])

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'portal-compose-'))
    const result = validate()
    if (result.status !== 0) throw new Error(`infra/compose/validate.sh failed:\n${result.stderr}`)
    resolved = JSON.parse(result.stdout)
  }, BUILD_TIMEOUT_MS)
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true })
  })

  it('runs the portal with PostgreSQL (pgvector), Kafka in KRaft mode, Neo4j and Prometheus, each with a healthcheck', () => {
    const services = resolved.services
    expect(Object.keys(services).sort()).toEqual(['kafka', 'neo4j', 'portal', 'postgres', 'prometheus'])
    expect(services.postgres.image).toMatch(/^pgvector\/pgvector:/)
    expect(services.kafka.image).toMatch(/^apache\/kafka:/)
    expect(services.neo4j.image).toMatch(/^neo4j:5/)
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:/)
    // KRaft: the node is its own controller; there is no ZooKeeper.
    expect(services.kafka.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller', KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka:9093' })
    expect(JSON.stringify(services)).not.toMatch(/zookeeper/i)
    for (const [name, service] of Object.entries<any>(services)) expect(service.healthcheck?.test, `${name} has a healthcheck`).toBeDefined()
    expect(services.portal.build).toMatchObject({ context: root, dockerfile: 'Dockerfile' })
    expect(services.portal.deploy.replicas).toBe(2)
    expect(services.portal.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, kafka: { condition: 'service_healthy' }, neo4j: { condition: 'service_healthy' } })
    expect(services.portal.healthcheck.test.join(' ')).toContain('/readyz')
  })

  it('gives the portal an environment it accepts, pointing at the other services', () => {
    const environment = Object.fromEntries(Object.entries<string | null>(resolved.services.portal.environment).filter(([, value]) => value !== null && value !== '')) as Record<string, string>
    expect(environment).toMatchObject({ DATABASE_URL: 'postgres://portal:change-me@postgres:5432/portal', KAFKA_BROKERS: 'kafka:9092', NEO4J_URL: 'bolt://neo4j:7687', NEO4J_USER: 'neo4j', NEO4J_PASSWORD: 'change-me-too', HOST: '0.0.0.0' })
    const config = loadConfig(environment)
    expect(config).toMatchObject({ databaseUrl: 'postgres://portal:change-me@postgres:5432/portal', kafkaBrokers: ['kafka:9092'], host: '0.0.0.0', port: 3000 })
    // The same password reaches PostgreSQL and the portal.
    expect(resolved.services.postgres.environment.POSTGRES_PASSWORD).toBe('change-me')
    expect(resolved.services.neo4j.environment.NEO4J_AUTH).toBe('neo4j/change-me-too')
  })

  it('has Prometheus scrape every portal replica\'s /metrics', () => {
    const volume = resolved.services.prometheus.volumes.find((entry: { target: string }) => entry.target === '/etc/prometheus/prometheus.yml')
    expect(volume.source).toBe(path.join(root, 'infra/compose/prometheus.yml'))
    const prometheus = parse(readFileSync(volume.source, 'utf8'))
    const job = prometheus.scrape_configs.find((entry: { job_name: string }) => entry.job_name === 'next-portal')
    expect(job.metrics_path).toBe('/metrics')
    // DNS service discovery: one target per replica behind the service name.
    expect(job.dns_sd_configs).toEqual([expect.objectContaining({ names: ['portal'], type: 'A', port: 3000 })])
  })

  it('is refused, with the reason, when it breaks the Compose specification or lacks a required password', async () => {
    const broken = path.join(directory, 'compose.yaml')
    await writeFile(broken, readFileSync(path.join(root, 'infra/compose/compose.yaml'), 'utf8').replace('  postgres:\n    image:', '  postgres:\n    restart_policy: always\n    image:'))
    const invalid = validate(broken)
    expect(invalid.status).toBe(1)
    expect(invalid.stderr).toMatch(/services\.postgres.*restart_policy/)
    const emptyEnv = path.join(directory, 'empty.env')
    await writeFile(emptyEnv, '')
    const missing = validate(path.join(root, 'infra/compose/compose.yaml'), emptyEnv)
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('required variable POSTGRES_PASSWORD is missing a value')
  })

  it('builds the portal image on Node.js 22 with npm ci and the web chat built', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8')
    expect(dockerfile.match(/^FROM node:22[-\w.]*/gm)).toHaveLength(2)
    expect(dockerfile).toMatch(/^RUN npm ci /m)
    expect(dockerfile).toMatch(/npm run build/)
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/portal.js", "start"\]/m)
    expect(existsSync(path.join(root, '.dockerignore'))).toBe(true)
  })
})
