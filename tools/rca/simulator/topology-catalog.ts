import type { SimulatedHistory } from './simulate-signals.ts'

/**
 * A catalog for a simulated topology, so that signals simulated on it can be analysed and acted on as the
 * portal does for real ones: each service a Component with its deployment (`backstage.io/kubernetes-id`),
 * each resource a Resource, calls as `dependsOn`, all owned by one team with two members who may approve.
 */
export function topologyCatalog({ nodes, edges, resources, team = 'team-ops' }: { nodes: readonly string[]; edges: ReadonlyArray<readonly [string, string]>; resources: ReadonlySet<string>; team?: string }): { yaml: string; refOf: (node: string) => string; approvers: string[] } {
  const refOf = (node: string) => `${resources.has(node) ? 'resource' : 'component'}:default/${node}`
  const documents = [
    { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: team, annotations: { 'slack.com/channel-name': `#${team}` } }, spec: { type: 'team', children: [] } },
    ...['1', '2'].map((number) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: `${team}-oncall-${number}` }, spec: { memberOf: [team] } })),
    ...nodes.map((node) => {
      const dependsOn = edges.filter(([caller]) => caller === node).map(([, callee]) => refOf(callee))
      return resources.has(node)
        ? { apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: { name: node }, spec: { type: 'database', owner: team, dependsOn } }
        : { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: node, annotations: { 'backstage.io/kubernetes-id': node } }, spec: { type: 'service', lifecycle: 'production', owner: team, dependsOn } }
    }),
  ]
  return { yaml: documents.map((document) => JSON.stringify(document)).join('\n---\n'), refOf, approvers: ['1', '2'].map((number) => `user:default/${team}-oncall-${number}`) }
}

/** The history with its nodes named by catalog reference, as signals tied to catalog entities are. */
export function historyWithRefs(history: SimulatedHistory, refOf: (node: string) => string): SimulatedHistory {
  const affected = (attributes?: Record<string, unknown>) => (attributes?.affected ? { ...attributes, affected: (attributes.affected as string[]).map(refOf) } : attributes)
  return {
    ...history,
    topology: { nodes: history.topology.nodes.map(refOf), edges: history.topology.edges.map(([caller, callee]) => [refOf(caller), refOf(callee)] as [string, string]) },
    metrics: new Map([...history.metrics].map(([node, metrics]) => [refOf(node), metrics])),
    events: history.events.map((event) => ({ ...event, entity: refOf(event.entity) })),
    incidents: history.incidents.map((incident) => ({ ...incident, entity: refOf(incident.entity), attributes: affected(incident.attributes) })),
    truth: history.truth.map((truth) => ({ ...truth, cause: refOf(truth.cause) })),
  }
}
