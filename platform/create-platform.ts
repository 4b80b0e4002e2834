import { randomUUID } from 'node:crypto'
import type { PortalConfig } from '../core/config.ts'
import type { EventBus } from '../core/events/event-bus.ts'
import { InProcessEventBus } from '../core/events/in-process-event-bus.ts'
import { ClusterJobs } from '../core/cluster/cluster-jobs.ts'
import { MemoryLeases, SqlLeases } from '../core/cluster/leases.ts'
import { openEventBus } from './open-event-bus.ts'
import { openStore } from '../core/store/open-store.ts'
import type { Store } from '../core/store/store.ts'
import { Catalog, type ImportReport } from '../graph/catalog/catalog.ts'
import { MemoryCatalogRepository } from '../graph/catalog/memory-catalog-repository.ts'
import { SqlCatalogRepository } from '../graph/catalog/sql-catalog-repository.ts'
import { catalogTools } from '../tools/catalog/catalog-tools.ts'
import { graphTools } from '../tools/graph/graph-tools.ts'
import { cypherTool } from '../tools/graph/cypher-tool.ts'
import type { GraphBackend } from '../graph/query/graph-backend.ts'
import { MemoryGraphBackend } from '../graph/query/memory-graph-backend.ts'
import { openNeo4jBackend, type Neo4jBackend } from '../graph/neo4j/open-neo4j-backend.ts'
import { CostService } from '../tools/cost/cost-service.ts'
import { costTools } from '../tools/cost/cost-tools.ts'
import { ToolRegistry } from '../tools/tool-registry.ts'
import { DEFAULT_APPROVAL_POLICY, readApprovalPolicy } from '../core/approvals/approval-policy.ts'
import { MemoryApprovalRepository, SqlApprovalRepository } from '../core/approvals/approval-repository.ts'
import { Approvals } from '../core/approvals/approvals.ts'
import { approvalTools } from '../tools/approvals/approval-tools.ts'
import { remediationTools } from '../tools/remediation/remediation-tools.ts'
import { migrationTools } from '../tools/migration/migration-tools.ts'
import { SimulatedCluster } from '../tools/remediation/simulated-cluster.ts'
import { KubernetesExecutor } from '../tools/remediation/kubernetes-executor.ts'
import { DEFAULT_REMEDIATION_CONFIG, readRemediationConfig } from '../tools/remediation/remediation-config.ts'
import { AutoRemediation } from '../tools/remediation/auto-remediation.ts'
import type { WorkloadExecutor } from '../tools/remediation/workload-executor.ts'
import { createEmbedder } from '../core/embeddings/create-embedder.ts'
import { SearchService } from '../tools/search/search-service.ts'
import { searchTools } from '../tools/search/search-tools.ts'
import { MemorySignalsRepository, type SignalsRepository } from '../tools/rca/signals-repository.ts'
import { SqlSignalsRepository } from '../tools/rca/sql-signals-repository.ts'
import { rcaTools } from '../tools/rca/rca-tools.ts'
import type { PrometheusMetricIngester } from '../tools/rca/ingest/prometheus-ingester.ts'
import { readPrometheusQueries } from '../tools/rca/ingest/prometheus-queries.ts'
import { prometheusSignals } from '../tools/rca/ingest/prometheus-signals.ts'
import { createTelemetry, type Telemetry } from '../core/telemetry/index.ts'
import { MemoryConversationStore, SqlConversationStore, type ConversationStore } from '../agent/conversations/conversation-store.ts'
import { anomalyWatchJob } from '../tools/rca/anomaly/anomaly-watch.ts'

export interface Platform {
  config: PortalConfig
  /** Absent when the platform runs on an in-memory catalog (`--catalog`). */
  store?: Store
  bus: EventBus
  catalog: Catalog
  /** Where graph tools traverse: the in-memory index, or Neo4j when NEO4J_URL is set. */
  graph: GraphBackend
  /** The Neo4j connection and mirror, when NEO4J_URL is set. */
  neo4j?: Neo4jBackend
  tools: ToolRegistry
  conversations: ConversationStore
  approvals: Approvals
  /** Cost and carbon (FOCUS imports and analyses); absent without a store. */
  cost?: CostService
  /** Search over the catalog and its docs; its index is built on first use (`search.start()` warms it). */
  search: SearchService
  /** Deployments, incidents, alerts, logs and metrics, tied to catalog entities. */
  signals: SignalsRepository
  /** Scheduled jobs that run once per cluster (leases in the store), and one-off cluster-wide work. */
  jobs: ClusterJobs
  /** For serving processes: follow other replicas' events and take part in running scheduled jobs. */
  start(): Promise<void>
  /** With PROMETHEUS_URL: pulls metrics from Prometheus (reads pull their window; `portal start` schedules it). */
  prometheus?: PrometheusMetricIngester
  /** What remediation playbooks act on, and the auto-remediation rules following the bus. */
  remediation: { workloads: WorkloadExecutor; auto: AutoRemediation }
  /** Spans and measurements (exported over OTLP when configured; /metrics follows the measurements). */
  telemetry: Telemetry
  close(): Promise<void>
}

export interface CreatePlatformOptions {
  config: PortalConfig
  /** Run on an in-memory catalog loaded from these files instead of the store. */
  catalogPaths?: string[]
  /** An already open store (tests share one). */
  store?: Store
  /** What playbooks act on, instead of the configured executor (evals and tests watch a simulated cluster). */
  workloads?: WorkloadExecutor
  /** Telemetry made by the caller (tests); otherwise made from `config.telemetry`. */
  telemetry?: Telemetry
}

/** An in-memory catalog load that fails is an error the user must see, not a half-empty catalog. */
export class CatalogLoadError extends Error {
  constructor(readonly report: ImportReport) {
    super(`The catalog could not be loaded: ${report.errors.map((error) => [error.file, error.entity, error.field, error.message].filter(Boolean).join(': ')).join('; ')}`)
    this.name = 'CatalogLoadError'
  }
}

/** Wires the core once; every surface (HTTP, MCP, CLI, chat) takes the platform it returns. */
/** How often metrics are searched for anomalies when an auto-remediation rule acts on them. */
const ANOMALY_WATCH_MS = 5 * 60_000

export async function createPlatform({ config, catalogPaths, store: givenStore, workloads: givenWorkloads, telemetry: givenTelemetry }: CreatePlatformOptions): Promise<Platform> {
  // Read before anything opens, so a bad policy file fails start-up without leaving a store open.
  const policy = config.approvalPolicyFile ? await readApprovalPolicy(config.approvalPolicyFile) : DEFAULT_APPROVAL_POLICY
  const remediation = config.remediation.configFile ? await readRemediationConfig(config.remediation.configFile) : DEFAULT_REMEDIATION_CONFIG
  const prometheusQueries = config.prometheus?.queriesFile ? await readPrometheusQueries(config.prometheus.queriesFile) : undefined
  const store = catalogPaths ? undefined : (givenStore ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })))
  // Opened before the catalog reads the store: a Kafka bus notes where the events topic ends, so no change
  // another replica makes between that read and this replica's start is missed. In-memory catalogs stay local.
  const bus = store ? await openEventBus(config).catch(async (error: unknown) => {
    if (!givenStore) await store.close()
    throw error
  }) : new InProcessEventBus()
  const repository = store ? new SqlCatalogRepository(store) : new MemoryCatalogRepository()
  const catalog = await Catalog.open({ repository, bus })
  if (catalogPaths) {
    const report = await catalog.import(catalogPaths)
    if (report.errors.length > 0) throw new CatalogLoadError(report)
  }
  // Without a store (in-memory catalogs) search opens an in-memory one of its own on first use.
  const jobs = new ClusterJobs({ leases: store ? new SqlLeases(store) : new MemoryLeases(), holder: `${config.cluster.replicaId}/${randomUUID().slice(0, 8)}`, ttlMs: config.cluster.leaseTtlMs })
  const exclusive = (name: string, work: () => Promise<void>) => jobs.runExclusive(name, work).then((outcome) => outcome.ran)
  const embedder = createEmbedder(config.embeddings)
  const search = new SearchService({ catalog, bus, store, embedder, exclusive })
  const neo4j = config.neo4j ? await openNeo4jBackend({ connection: config.neo4j, catalog, bus }).catch(async (error: unknown) => {
    if (store && !givenStore) await store.close()
    throw error
  }) : undefined
  const graph = neo4j?.backend ?? new MemoryGraphBackend(catalog.index)
  const cost = store ? new CostService({ store, catalog, bus }) : undefined
  const telemetry = givenTelemetry ?? createTelemetry(config.telemetry)
  const tools = new ToolRegistry({ telemetry }).register(...catalogTools({ catalog }), ...graphTools({ catalog, graph }), ...(neo4j ? [cypherTool({ graph: neo4j.graph })] : []), ...searchTools({ catalog, search }), ...(cost ? costTools({ cost }) : []), ...migrationTools({ catalog, backstageToken: process.env.BACKSTAGE_TOKEN }))
  const stored = store ? new SqlSignalsRepository(store) : new MemorySignalsRepository()
  const prometheus = config.prometheus ? prometheusSignals({ config: config.prometheus, stored, index: catalog.index, queries: prometheusQueries, onError: (error) => process.stderr.write(`prometheus: ${error.message}\n`) }) : undefined
  const signals = prometheus?.signals ?? stored
  tools.register(...rcaTools({ catalog, signals }))
  const approvals = new Approvals({ repository: store ? new SqlApprovalRepository(store) : new MemoryApprovalRepository(), index: catalog.index, tools, policy, bus, telemetry })
  // The demo's playbooks act on a simulated cluster; `executor: kubernetes` uses the kubeconfig kubectl would.
  const workloads = givenWorkloads ?? (remediation.executor === 'kubernetes' ? KubernetesExecutor.fromDefault() : new SimulatedCluster())
  const external = { env: process.env, githubToken: config.remediation.githubToken, githubApiUrl: config.remediation.githubApiUrl }
  tools.register(...remediationTools({ index: catalog.index, approvals, workloads, config: remediation, external }), ...approvalTools({ approvals }))
  const auto = new AutoRemediation({ config: remediation, approvals, index: catalog.index, signals, bus })
  const stopAuto = auto.start()
  const conversations = store ? new SqlConversationStore(store) : new MemoryConversationStore()
  // Anomaly rules act on `anomaly-detected`, which this job publishes from whatever metrics arrive.
  if (remediation.rules.some((rule) => rule.trigger.type === 'anomaly')) jobs.register(anomalyWatchJob({ signals, bus, everyMs: ANOMALY_WATCH_MS }))
  if (cost && config.cluster.budgetCheckMinutes > 0) jobs.register({ name: 'cost-budget-check', everyMs: config.cluster.budgetCheckMinutes * 60_000, run: () => cost.checkBudgets().then(() => undefined) })
  return {
    config,
    store,
    bus,
    catalog,
    graph,
    neo4j,
    tools,
    conversations,
    approvals,
    cost,
    search,
    signals,
    jobs,
    prometheus: prometheus?.ingester,
    async start() {
      await bus.start()
      jobs.start()
    },
    remediation: { workloads, auto },
    telemetry,
    async close() {
      stopAuto()
      await auto.settled()
      prometheus?.ingester.stop()
      await jobs.stop()
      await search.close()
      await embedder?.close?.()
      await neo4j?.close()
      await bus.close()
      // A store handed in by the caller is the caller's to close.
      if (store && !givenStore) await store.close()
      // Last, so spans of the work above are flushed to the collector.
      if (!givenTelemetry) await telemetry.shutdown()
    },
  }
}
