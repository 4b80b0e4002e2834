import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import type { Topology } from './topology.ts'

/**
 * The running parts of the catalog as a call graph: components (libraries excluded: they do not run on their
 * own) and resources, with an edge for each dependsOn and for each consumed API to the component providing it.
 */
export function topologyFromCatalog(index: CatalogIndex): { topology: Topology; resources: Set<string> } {
  const isLibrary = (ref: string) => (index.get(ref)?.spec as { type?: string } | undefined)?.type === 'library'
  const components = [...index.refsOfKind('component')].filter((ref) => !isLibrary(ref)).sort()
  const resources = [...index.refsOfKind('resource')].sort()
  const nodes = new Set([...components, ...resources])
  const edges: Array<[string, string]> = []
  const add = (caller: string, callee: string) => {
    if (caller !== callee && nodes.has(callee) && !edges.some(([from, to]) => from === caller && to === callee)) edges.push([caller, callee])
  }
  for (const component of components) {
    for (const target of index.targets(component, 'dependsOn')) add(component, target)
    for (const api of index.targets(component, 'consumesApi')) for (const provider of index.targets(api, 'apiProvidedBy')) add(component, provider)
  }
  return { topology: { nodes: [...nodes], edges }, resources: new Set(resources) }
}
