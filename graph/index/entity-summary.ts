import { z } from 'zod'
import type { CatalogIndex } from './catalog-index.ts'

export const entitySummarySchema = z.object({
  ref: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  type: z.string().optional(),
  lifecycle: z.string().optional(),
  owner: z.string().optional(),
  system: z.string().optional(),
  tags: z.array(z.string()),
})
export type EntitySummary = z.infer<typeof entitySummarySchema>

/** The fields people ask about, with owner and system as resolved references rather than as written. */
export function summarizeEntity(index: CatalogIndex, ref: string): EntitySummary {
  const stored = index.getStored(ref)
  if (!stored) throw new Error(`summarizeEntity: ${ref} is not in the index`)
  const { entity } = stored
  const spec = (entity.spec ?? {}) as Record<string, unknown>
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined)
  return {
    ref,
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    title: entity.metadata.title,
    description: entity.metadata.description,
    type: text(spec.type),
    lifecycle: text(spec.lifecycle),
    owner: index.targets(ref, 'ownedBy')[0],
    system: index.targets(ref, 'partOf').find((target) => target.startsWith('system:')),
    tags: entity.metadata.tags ?? [],
  }
}
