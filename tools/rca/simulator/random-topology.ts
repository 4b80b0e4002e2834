import { createSeededRandom } from '../../../graph/demo/seeded-random.ts'
import type { Topology } from '../topology.ts'

const WORDS = ['aurora', 'basalt', 'cobalt', 'delta', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'jasper', 'kestrel', 'lumen', 'meridian', 'nimbus', 'onyx', 'pylon', 'quartz', 'raven', 'sierra', 'tundra', 'umber', 'vortex', 'willow', 'xenon', 'yarrow', 'zephyr']
const RESOURCE_SUFFIXES = ['db', 'cache', 'queue', 'store']

/**
 * A layered service graph unlike the demo organisation's: entry points on top, services calling one to three
 * nodes in lower layers, and shared resources at the bottom (each used by at least two services).
 */
export function randomTopology({ seed, services, resources }: { seed: number; services: number; resources: number }): { topology: Topology; resources: Set<string> } {
  const random = createSeededRandom({ seed })
  const name = (position: number, suffix: string) => `${WORDS[position % WORDS.length]}${position >= WORDS.length ? `-${Math.floor(position / WORDS.length) + 1}` : ''}-${suffix}`
  const resourceNames = Array.from({ length: resources }, (_, position) => name(position + 7, RESOURCE_SUFFIXES[position % RESOURCE_SUFFIXES.length]!))
  const layers = Math.max(2, Math.min(5, Math.round(Math.log2(services))))
  const serviceNames = Array.from({ length: services }, (_, position) => name(position, 'svc'))
  // Service i sits in layer floor(i * layers / services): 0 is the entry layer.
  const layerOf = (position: number) => Math.floor((position * layers) / services)
  const edges: Array<[string, string]> = []
  serviceNames.forEach((service, position) => {
    const lower = serviceNames.filter((_, other) => layerOf(other) > layerOf(position))
    const targets = new Set<string>()
    const calls = random.int(1, 3)
    for (let call = 0; call < calls; call++) {
      if (lower.length > 0 && random.chance(0.65)) targets.add(random.pick(lower))
      else targets.add(random.pick(resourceNames))
    }
    for (const target of targets) edges.push([service, target])
  })
  // Every resource has at least two users, so that a neighbour can be noisy.
  for (const resource of resourceNames) {
    const users = new Set(edges.filter(([, callee]) => callee === resource).map(([caller]) => caller))
    while (users.size < 2) {
      const caller = random.pick(serviceNames.slice(Math.floor(services / layers)))
      if (!users.has(caller)) {
        users.add(caller)
        edges.push([caller, resource])
      }
    }
  }
  return { topology: { nodes: [...serviceNames, ...resourceNames], edges }, resources: new Set(resourceNames) }
}
