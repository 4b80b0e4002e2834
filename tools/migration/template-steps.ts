import type { Entity } from '../../graph/model/entity.ts'
import { entityRefOf } from '../../graph/model/entity-relations.ts'

export interface TemplateStepReport {
  id?: string
  name?: string
  action: string
  /** Whether the portal can carry out this step itself. */
  runnable: boolean
  /** How the portal does it, or why it cannot. */
  note: string
}

export interface TemplateReport {
  ref: string
  title?: string
  steps: TemplateStepReport[]
}

/**
 * Scaffolder actions the portal performs itself, and how. The portal has no scaffolder runtime: every other
 * action (fetch:*, publish:*, github:*, …) stays with Backstage, and the report says so step by step.
 */
const PORTAL_ACTIONS: Record<string, string> = {
  'catalog:register': 'the portal imports the registered catalog-info (portal import <url>, or the import API)',
  'catalog:fetch': 'the catalog_get_entity tool reads the entity',
  'catalog:write': 'the portal validates catalog-info text (catalog_validate) and imports the written file',
}

/** Each step of a Software Template, with whether the portal can run its action. */
export function templateSteps(entity: Entity): TemplateReport {
  const spec = (entity.spec ?? {}) as { steps?: unknown }
  const steps = Array.isArray(spec.steps) ? spec.steps : []
  return {
    ref: entityRefOf(entity),
    title: typeof entity.metadata.title === 'string' ? entity.metadata.title : undefined,
    steps: steps.map((step) => {
      const { id, name, action } = (step ?? {}) as { id?: unknown; name?: unknown; action?: unknown }
      const actionName = typeof action === 'string' ? action : '(no action)'
      const portal = PORTAL_ACTIONS[actionName]
      return {
        id: typeof id === 'string' ? id : undefined,
        name: typeof name === 'string' ? name : undefined,
        action: actionName,
        runnable: portal !== undefined,
        note: portal ?? `the portal has no scaffolder; ${actionName} runs only in Backstage`,
      }
    }),
  }
}

export function isTemplate(entity: Entity): boolean {
  return entity.kind.toLowerCase() === 'template'
}
