import { NotFoundError } from '../../core/errors.ts'
import { targetsIn, type GraphBackend, type GraphReads } from './graph-backend.ts'

/**
 * What "depends on" means across kinds: a component depends on what it `dependsOn`, on the APIs it consumes,
 * and through an API on the component that provides it. Dependents walk the same edges backwards.
 */
export const DOWNSTREAM = ['dependsOn', 'consumesApi', 'apiProvidedBy'] as const
export const UPSTREAM = ['dependencyOf', 'apiConsumedBy', 'providesApi'] as const

/*
 * Each traversal is written once, as a generator that yields the batched reads it needs (one per breadth-first
 * level) and is resumed with their answers: `runTraversal` answers them from a `GraphBackend` (memory or Neo4j,
 * asynchronously), `runTraversalSync` from the in-memory index directly. Ties are broken the same way whatever
 * answers (relation types in the order given, targets sorted), so both backends give identical answers.
 */
export type GraphRequest =
  | { read: 'entities'; refs: readonly string[] }
  | { read: 'targets'; refs: readonly string[]; types?: readonly string[] }
  | { read: 'successorsOfAll'; types: readonly string[] }
export type Traversal<T> = Generator<GraphRequest, T, unknown>

function* entities(refs: readonly string[]): Generator<GraphRequest, Set<string>, unknown> {
  return (yield { read: 'entities', refs }) as Set<string>
}

function* targets(refs: readonly string[], types?: readonly string[]): Generator<GraphRequest, Map<string, Map<string, string[]>>, unknown> {
  if (refs.length === 0) return new Map()
  return (yield { read: 'targets', refs, types }) as Map<string, Map<string, string[]>>
}

function* successorsOfAll(types: readonly string[]): Generator<GraphRequest, Map<string, string[]>, unknown> {
  return (yield { read: 'successorsOfAll', types }) as Map<string, string[]>
}

/** Runs a traversal against a backend (the graph tools' way). */
export async function runTraversal<T>(graph: GraphBackend, traversal: Traversal<T>): Promise<T> {
  let step = traversal.next()
  while (!step.done) {
    const request = step.value
    step = traversal.next(request.read === 'entities' ? await graph.entities(request.refs) : request.read === 'targets' ? await graph.targets(request.refs, request.types) : await graph.successorsOfAll(request.types))
  }
  return step.value
}

/** Runs a traversal against synchronous reads (the in-memory index, for core code that cannot wait). */
export function runTraversalSync<T>(reads: GraphReads, traversal: Traversal<T>): T {
  let step = traversal.next()
  while (!step.done) {
    const request = step.value
    step = traversal.next(request.read === 'entities' ? reads.entities(request.refs) : request.read === 'targets' ? reads.targets(request.refs, request.types) : reads.successorsOfAll(request.types))
  }
  return step.value
}

export interface ReachedEntity {
  ref: string
  depth: number
  /** The entity it was reached from, and the relation followed. */
  from: string
  relation: string
  /** Owners of the reached entity (its `ownedBy` targets). */
  owners: string[]
}

function* requireEntities(refs: string[]): Generator<GraphRequest, void, unknown> {
  const found = yield* entities(refs)
  for (const ref of refs) if (!found.has(ref)) throw new NotFoundError(`No entity ${ref} in the catalog`)
}

function* walk(start: string, relations: readonly string[], maxDepth: number): Traversal<ReachedEntity[]> {
  yield* requireEntities([start])
  const seen = new Set([start])
  const out: ReachedEntity[] = []
  // Owners of a level's entities are read with the next level's relations (one read per level, not two).
  const withOwners = [...relations, 'ownedBy']
  let level: ReachedEntity[] = []
  let frontier = [start]
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const answer = yield* targets(frontier, withOwners)
    for (const item of level) item.owners = targetsIn(answer, item.ref, 'ownedBy')
    level = []
    for (const ref of frontier) {
      for (const relation of relations) {
        for (const target of targetsIn(answer, ref, relation)) {
          if (seen.has(target)) continue
          seen.add(target)
          level.push({ ref: target, depth, from: ref, relation, owners: [] })
        }
      }
    }
    out.push(...level)
    frontier = level.map((item) => item.ref)
  }
  // The deepest level stopped at maxDepth: its owners are still to read.
  if (level.length > 0) {
    const owners = yield* targets(frontier, ['ownedBy'])
    for (const item of level) item.owners = targetsIn(owners, item.ref, 'ownedBy')
  }
  return out
}

/** Everything `ref` needs, breadth first, up to `depth` hops (an API counts as one hop). */
export function dependenciesOf(ref: string, depth: number): Traversal<ReachedEntity[]> {
  return walk(ref, DOWNSTREAM, depth)
}

/** Everything that needs `ref`: the blast radius if it goes down, each with its owners. */
export function dependentsOf(ref: string, depth: number): Traversal<ReachedEntity[]> {
  return walk(ref, UPSTREAM, depth)
}

export interface PathStep {
  from: string
  relation: string
  to: string
}

const byTypeThenTarget = (a: PathStep, b: PathStep) => a.relation.localeCompare(b.relation) || a.to.localeCompare(b.to)

/** The shortest chain of relations from one entity to another, over every relation type; undefined if none. */
export function* shortestPath(from: string, to: string, { maxDepth = 12 }: { maxDepth?: number } = {}): Traversal<PathStep[] | undefined> {
  yield* requireEntities([from, to])
  if (from === to) return []
  const previous = new Map<string, PathStep>()
  const seen = new Set([from])
  let frontier = [from]
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const answer = yield* targets(frontier)
    const next: string[] = []
    for (const ref of frontier) {
      const steps = [...(answer.get(ref) ?? [])].flatMap(([relation, targets]) => targets.map((target) => ({ from: ref, relation, to: target }))).sort(byTypeThenTarget)
      for (const step of steps) {
        if (seen.has(step.to)) continue
        seen.add(step.to)
        previous.set(step.to, step)
        if (step.to === to) {
          const path: PathStep[] = []
          for (let at = to; at !== from; at = previous.get(at)!.from) path.unshift(previous.get(at)!)
          return path
        }
        next.push(step.to)
      }
    }
    frontier = next
  }
  return undefined
}

/** A group and all its subgroups (through `parentOf`), the group first. */
export function* groupWithSubgroups(group: string): Traversal<string[]> {
  yield* requireEntities([group])
  const out = [group]
  const seen = new Set(out)
  for (let frontier = [group]; frontier.length > 0; ) {
    const answer = yield* targets(frontier, ['parentOf'])
    const next: string[] = []
    for (const parent of frontier) {
      for (const child of targetsIn(answer, parent, 'parentOf')) {
        if (seen.has(child)) continue
        seen.add(child)
        next.push(child)
      }
    }
    out.push(...next)
    frontier = next
  }
  return out
}

/** Everything owned by a group (and, by default, its subgroups), with the owning group of each. */
export function* ownedBy(group: string, { includeSubgroups = true }: { includeSubgroups?: boolean } = {}): Traversal<Array<{ ref: string; owner: string }>> {
  const groups = includeSubgroups ? yield* groupWithSubgroups(group) : (yield* requireEntities([group]), [group])
  const answer = yield* targets(groups, ['ownerOf'])
  const out: Array<{ ref: string; owner: string }> = []
  for (const owner of groups) for (const ref of targetsIn(answer, owner, 'ownerOf')) out.push({ ref, owner })
  return out.sort((a, b) => a.ref.localeCompare(b.ref))
}

/** The parts of a domain or system, recursively: domain → systems → components, APIs, resources. */
export function* partsOf(ref: string): Traversal<Array<{ ref: string; partOf: string; depth: number }>> {
  yield* requireEntities([ref])
  const out: Array<{ ref: string; partOf: string; depth: number }> = []
  const seen = new Set([ref])
  let frontier = [ref]
  for (let depth = 1; frontier.length > 0; depth++) {
    const answer = yield* targets(frontier, ['hasPart'])
    const next: string[] = []
    for (const parent of frontier) {
      for (const part of targetsIn(answer, parent, 'hasPart')) {
        if (seen.has(part)) continue
        seen.add(part)
        out.push({ ref: part, partOf: parent, depth })
        next.push(part)
      }
    }
    frontier = next
  }
  return out
}

/** Dependency cycles (strongly connected components of more than one entity, or a self-dependency), sorted. */
export function* dependencyCycles(): Traversal<string[][]> {
  const successorsOf = yield* successorsOfAll(DOWNSTREAM)
  const successors = (ref: string) => successorsOf.get(ref) ?? []
  // Tarjan's algorithm, iterative so that a 100,000-entity catalog cannot overflow the stack.
  let counter = 0
  const order = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const cycles: string[][] = []
  for (const root of successorsOf.keys()) {
    if (order.has(root)) continue
    const work: Array<{ ref: string; next: string[]; position: number }> = [{ ref: root, next: successors(root), position: 0 }]
    order.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      if (frame.position < frame.next.length) {
        const target = frame.next[frame.position++]!
        if (!order.has(target)) {
          order.set(target, counter)
          low.set(target, counter++)
          stack.push(target)
          onStack.add(target)
          work.push({ ref: target, next: successors(target), position: 0 })
        } else if (onStack.has(target)) low.set(frame.ref, Math.min(low.get(frame.ref)!, order.get(target)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.ref, Math.min(low.get(parent.ref)!, low.get(frame.ref)!))
      if (low.get(frame.ref) === order.get(frame.ref)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.ref)
        if (component.length > 1 || successors(frame.ref).includes(frame.ref)) cycles.push(component.sort())
      }
    }
  }
  // Sorted, so the answer does not depend on the order entities were loaded (or stored) in.
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!))
}
