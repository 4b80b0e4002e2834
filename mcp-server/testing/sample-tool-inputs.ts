/**
 * A valid input for each registry tool against `SMALL_ORG`, so adapter tests can call every tool. A tool
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
  // Needs approval: over MCP the call becomes an approval request (or is refused when nobody may approve).
  migration_import_backstage: { url: 'http://127.0.0.1:7007', dryRun: true },
  migration_report: {},
}
