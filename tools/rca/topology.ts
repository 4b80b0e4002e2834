/** A dependency graph of named nodes: an edge `[caller, callee]` means the caller needs the callee. */
export interface Topology {
  nodes: string[]
  edges: Array<[string, string]>
}

/** Adjacency both ways, built once per analysis. */
export interface TopologyIndex {
  nodes: string[]
  callees: Map<string, string[]>
  callers: Map<string, string[]>
}

export function indexTopology({ nodes, edges }: Topology): TopologyIndex {
  const callees = new Map<string, string[]>(nodes.map((node) => [node, []]))
  const callers = new Map<string, string[]>(nodes.map((node) => [node, []]))
  for (const [caller, callee] of edges) {
    if (caller === callee || !callees.has(caller) || !callees.has(callee)) continue
    if (!callees.get(caller)!.includes(callee)) callees.get(caller)!.push(callee)
    if (!callers.get(callee)!.includes(caller)) callers.get(callee)!.push(caller)
  }
  return { nodes, callees, callers }
}

/** Every node reachable from `start` along `next` (not including `start`). */
export function reachable(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>()
  const stack = [...(next.get(start) ?? [])]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node === start || seen.has(node)) continue
    seen.add(node)
    stack.push(...(next.get(node) ?? []))
  }
  return seen
}

/** How people and logs name a node: the name of a catalog reference ("payments-db"), or the node itself. */
export function nameOf(node: string): string {
  return node.slice(node.lastIndexOf('/') + 1)
}
