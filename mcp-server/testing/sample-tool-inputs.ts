/**
 * A valid input for each registry tool against `SMALL_ORG` (docs_get: the documented `ledger` the MCP test adds), so adapter tests can call every tool. A tool
 * added to the registry needs an entry here; the MCP tests fail, naming it, until it has one.
 */
export const SAMPLE_TOOL_INPUTS: Record<string, Record<string, unknown>> = {
  catalog_get_entity: { ref: 'component:checkout' },
  catalog_query: { kind: 'component', owner: 'payments', limit: 2 },
  catalog_who_owns: { ref: 'payments-db' },
  catalog_validate: { yaml: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: x }\nspec: { type: service, lifecycle: production, owner: payments }\n' },
  graph_dependencies: { ref: 'web', depth: 3 },
  graph_dependents: { ref: 'payments-db' },
  graph_path: { from: 'web', to: 'payments-db' },
  graph_owned_by: { group: 'payments' },
  graph_parts: { ref: 'system:checkout' },
  graph_cycles: {},
  remediation_playbooks: {},
  remediation_plan: { playbook: 'restart', entity: 'checkout' },
  remediation_request: { playbook: 'scale', entity: 'checkout', replicas: 4 },
  remediation_status: { entity: 'checkout' },
  // Undo needs a run that succeeded; over MCP the unknown request is the error to check.
  remediation_undo: { requestId: 'apr_unknown' },
  audit_log: { limit: 5 },
  search: { query: 'payments database', limit: 3 },
  docs_get: { ref: 'component:ledger' },
  incidents_list: {},
  incident_get: { id: 'inc-sample-1' },
  signals_timeline: { ref: 'component:checkout', from: '2026-03-03T09:00:00Z', to: '2026-03-03T11:00:00Z' },
  anomalies_list: { since: '24h' },
  rca_analyze: { ref: 'component:checkout', at: '2026-03-03T10:00:00Z' },
  // As of a fixed time: two calls a moment apart must give the same forecast.
  incidents_predict: { limit: 3, at: '2026-03-03T10:00:00Z' },
  // Needs approval: over MCP the call becomes an approval request (or is refused when nobody may approve).
  migration_import_backstage: { url: 'http://127.0.0.1:7007', dryRun: true },
  migration_report: {},
}

/** The incident `incident_get`'s sample input shows; the test platform stores it. */
export const SAMPLE_INCIDENT = { id: 'inc-sample-1', entity: 'component:default/checkout', title: 'checkout: error rate 12%', severity: 'major' as const, status: 'resolved' as const, startedAt: new Date('2026-03-03T10:00:00Z'), resolvedAt: new Date('2026-03-03T10:40:00Z'), source: 'test' }
