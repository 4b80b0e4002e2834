import { NotFoundError } from '../../core/errors.ts'
import type { CatalogIndex } from './catalog-index.ts'

/**
 * What "depends on" means across kinds: a component depends on what it `dependsOn`, on the APIs it consumes,
 * and through an API on the component that provides it. Dependents walk the same edges backwards.
 */
const DOWNSTREAM = ['dependsOn', 'consumesApi', 'apiProvidedBy'] as const
const UPSTREAM = ['dependencyOf', 'apiConsumedBy', 'providesApi'] as const

export interface ReachedEntity {
  ref: string
  depth: number
  /** The entity it was reached from, and the relation followed. */
  from: string
  relation: string
  /** Owners of the reached entity (its `ownedBy` targets). */
  owners: string[]
}

function requireEntity(index: CatalogIndex, ref: string): void {
  if (!index.has(ref)) throw new NotFoundError(`No entity ${ref} in the catalog`)
}

function walk(index: CatalogIndex, start: string, relations: readonly string[], maxDepth: number): ReachedEntity[] {
  requireEntity(index, start)
  const seen = new Set([start])
  const out: ReachedEntity[] = []
  let frontier = [start]
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: string[] = []
    for (const ref of frontier) {
      for (const relation of relations) {
        for (const target of index.targets(ref, relation)) {
          if (seen.has(target)) continue
          seen.add(target)
          out.push({ ref: target, depth, from: ref, relation, owners: index.targets(target, 'ownedBy') })
          next.push(target)
        }
      }
    }
    frontier = next
  }
  return out
}

/** Everything `ref` needs, breadth first, up to `depth` hops (an API counts as one hop). */
export function dependenciesOf(index: CatalogIndex, ref: string, depth: number): ReachedEntity[] {
  return walk(index, ref, DOWNSTREAM, depth)
}

/** Everything that needs `ref`: the blast radius if it goes down, each with its owners. */
export function dependentsOf(index: CatalogIndex, ref: string, depth: number): ReachedEntity[] {
  return walk(index, ref, UPSTREAM, depth)
}

export interface PathStep {
  from: string
  relation: string
  to: string
}

/** The shortest chain of relations from one entity to another, over every relation type; undefined if none. */
export function shortestPath(index: CatalogIndex, from: string, to: string, { maxDepth = 12 }: { maxDepth?: number } = {}): PathStep[] | undefined {
  requireEntity(index, from)
  requireEntity(index, to)
  if (from === to) return []
  const previous = new Map<string, PathStep>()
  const seen = new Set([from])
  let frontier = [from]
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: string[] = []
    for (const ref of frontier) {
      for (const relation of index.relationsOf(ref)) {
        if (seen.has(relation.targetRef)) continue
        seen.add(relation.targetRef)
        previous.set(relation.targetRef, { from: ref, relation: relation.type, to: relation.targetRef })
        if (relation.targetRef === to) {
          const steps: PathStep[] = []
          for (let at = to; at !== from; at = previous.get(at)!.from) steps.unshift(previous.get(at)!)
          return steps
        }
        next.push(relation.targetRef)
      }
    }
    frontier = next
  }
  return undefined
}

/** A group and all its subgroups (through `parentOf`), the group first. */
export function groupWithSubgroups(index: CatalogIndex, group: string): string[] {
  requireEntity(index, group)
  const out = [group]
  const seen = new Set(out)
  for (let position = 0; position < out.length; position++) {
    for (const child of index.targets(out[position]!, 'parentOf')) {
      if (!seen.has(child)) {
        seen.add(child)
        out.push(child)
      }
    }
  }
  return out
}

/** Everything owned by a group (and, by default, its subgroups), with the owning group of each. */
export function ownedBy(index: CatalogIndex, group: string, { includeSubgroups = true }: { includeSubgroups?: boolean } = {}): Array<{ ref: string; owner: string }> {
  const groups = includeSubgroups ? groupWithSubgroups(index, group) : (requireEntity(index, group), [group])
  const out: Array<{ ref: string; owner: string }> = []
  for (const owner of groups) for (const ref of index.targets(owner, 'ownerOf')) out.push({ ref, owner })
  return out.sort((a, b) => a.ref.localeCompare(b.ref))
}

/** The parts of a domain or system, recursively: domain → systems → components, APIs, resources. */
export function partsOf(index: CatalogIndex, ref: string): Array<{ ref: string; partOf: string; depth: number }> {
  requireEntity(index, ref)
  const out: Array<{ ref: string; partOf: string; depth: number }> = []
  const seen = new Set([ref])
  let frontier = [ref]
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = []
    for (const parent of frontier) {
      for (const part of index.targets(parent, 'hasPart')) {
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

/** Dependency cycles (strongly connected components of more than one entity, or a self-dependency). */
export function dependencyCycles(index: CatalogIndex): string[][] {
  // Tarjan's algorithm, iterative so that a 100,000-entity catalog cannot overflow the stack.
  let counter = 0
  const order = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const cycles: string[][] = []
  const successors = (ref: string) => DOWNSTREAM.flatMap((relation) => index.targets(ref, relation)).filter((target) => index.has(target))
  for (const root of index.refs()) {
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
  return cycles
}
