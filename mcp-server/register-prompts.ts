import { completable, ProtocolError, ProtocolErrorCode, type GetPromptResult, type McpServer } from '@modelcontextprotocol/server'
import { z } from 'zod'
import { PortalError } from '../core/errors.ts'
import type { Catalog } from '../graph/catalog/catalog.ts'
import { resolveEntityRef } from '../graph/index/resolve-entity.ts'
import type { ToolRegistry } from '../tools/tool-registry.ts'
import { docsFolder } from '../graph/docs/entity-docs.ts'
import { docsUri } from './resource-uris.ts'

export interface PromptsOptions {
  catalog: Catalog
  tools: ToolRegistry
  /** The tools this caller was given; a prompt names only those, so it never sends the model to a tool it cannot call. */
  available: readonly string[]
}

type Step = [tool: string, input: Record<string, unknown>, why: string]

/**
 * Prompts for the jobs people bring to the portal: each resolves the entity it is about, then tells the
 * assistant which tools to call in what order and what to answer with.
 */
export function registerPrompts(server: McpServer, { catalog, tools, available }: PromptsOptions): void {
  const { index } = catalog
  const namesOfKind = (kind: string) => (value: string) =>
    [...index.refsOfKind(kind)].map((ref) => ref.slice(ref.indexOf('/') + 1)).filter((name) => name.startsWith(value.toLowerCase())).sort().slice(0, 50)
  const resolve = (input: string, defaultKind: string): string => {
    try {
      return resolveEntityRef(index, input, { defaultKind })
    } catch (error) {
      if (error instanceof PortalError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message)
      throw error
    }
  }
  const titleOf = (ref: string): string => {
    const entity = index.getStored(ref)!.entity
    const profile = (entity.spec as { profile?: { displayName?: string } } | undefined)?.profile
    return profile?.displayName ?? entity.metadata.title ?? entity.metadata.name
  }
  const plan = (steps: Step[]): string =>
    steps
      .filter(([tool]) => available.includes(tool))
      .map(([tool, input, why], position) => `${position + 1}. ${tool} ${JSON.stringify(input)} — ${why}`)
      .join('\n')
  const toolsWithScope = (scope: string): string[] => tools.list().filter((tool) => tool.scope === scope && available.includes(tool.name)).map((tool) => tool.name)

  server.registerPrompt(
    'triage-incident',
    {
      title: 'Triage an incident',
      description: 'Steps to triage an incident on a service: what it is, who owns it, what it depends on, and what else it takes down.',
      argsSchema: z.object({ service: completable(z.string().min(1).describe('The affected service, e.g. "checkout" or "component:default/checkout"'), namesOfKind('component')) }),
    },
    ({ service }) => {
      const ref = resolve(service, 'component')
      const rca = toolsWithScope('rca:read')
      const folder = docsFolder(index.getStored(ref)!.entity)
      return userMessage(
        `Triage an incident affecting ${ref} (${titleOf(ref)}). Use the NEXT Portal tools in this order:\n` +
          plan([
            ['catalog_get_entity', { ref }, 'confirm what it is: its lifecycle, system, and the APIs it provides and consumes.'],
            ['catalog_who_owns', { ref }, 'the owning team, its people and how to reach them.'],
            ['graph_dependencies', { ref, depth: 2 }, 'what it depends on; a failing dependency (a database, an upstream API) is the most common cause.'],
            ['graph_dependents', { ref, depth: 3 }, 'the blast radius: what else is affected, and the owners to tell.'],
          ]) +
          (rca.length > 0 ? `\nThen rank root causes with ${rca.join(', ')} for ${ref}.` : '') +
          (folder ? `\nRead the runbooks in its docs (${docsUri(ref)}) before suggesting a fix.` : '') +
          `\n\nAnswer with: what is affected; likely causes, ranked, with the evidence for each; who to page (the owners' contacts); who to notify (the owners of its dependents); and the next diagnostic step. Cite the entity references you used. Do not run anything that changes production: such actions need an approval.`,
      )
    },
  )

  server.registerPrompt(
    'onboard-to-team',
    {
      title: 'Onboard to a team',
      description: 'Steps to introduce a new member to a team: its people, what it owns, how that fits together, and where the docs are.',
      argsSchema: z.object({ team: completable(z.string().min(1).describe('The team (a Group), e.g. "payments" or "group:default/payments"'), namesOfKind('group')) }),
    },
    ({ team }) => {
      const ref = resolve(team, 'group')
      return userMessage(
        `Help someone who just joined ${ref} (${titleOf(ref)}) find their way around. Use the NEXT Portal tools in this order:\n` +
          plan([
            ['catalog_get_entity', { ref }, 'the team: its parent, sub-teams, members and contacts.'],
            ['graph_owned_by', { group: ref }, 'everything the team and its sub-teams own, by kind.'],
            ['graph_parts', { ref: '<each system the team owns>' }, 'how its services, APIs and resources group into systems.'],
            ['graph_dependencies', { ref: '<each service the team owns>', depth: 1 }, 'what its services rely on.'],
            ['graph_dependents', { ref: '<each service the team owns>', depth: 1 }, 'who relies on its services, and so who will call.'],
          ]) +
          `\nFor the services with docs, read their docs:// resources (resources/list shows which have docs).` +
          `\n\nAnswer with an onboarding guide: the team and its people with how to reach them; what it owns, grouped by system; the dependencies that matter most; where the docs are; and the first three things to read. Cite the entity references you used.`,
      )
    },
  )

  server.registerPrompt(
    'review-team-costs',
    {
      title: "Review a team's costs",
      description: 'Steps to review what a team runs and what it costs, and to find what could be retired or shrunk.',
      argsSchema: z.object({ team: completable(z.string().min(1).describe('The team (a Group), e.g. "payments" or "group:default/payments"'), namesOfKind('group')) }),
    },
    ({ team }) => {
      const ref = resolve(team, 'group')
      const cost = toolsWithScope('cost:read')
      return userMessage(
        `Review the costs of ${ref} (${titleOf(ref)}). Use the NEXT Portal tools in this order:\n` +
          plan([
            ['graph_owned_by', { group: ref }, 'the inventory: every component, resource and API the team and its sub-teams own.'],
            ['catalog_query', { owner: ref, lifecycle: 'experimental' }, 'experiments still running, which often outlive their purpose.'],
            ['catalog_query', { owner: ref, lifecycle: 'deprecated' }, 'deprecated entities, candidates to retire.'],
            ['graph_dependents', { ref: '<each resource the team owns>', depth: 2 }, 'whether anything still uses a resource before suggesting to remove it.'],
          ]) +
          (cost.length > 0
            ? `\nThen get the spend with ${cost.join(', ')} for ${ref} and its entities.`
            : `\nThis portal has no cost tool yet, so there are no spend figures: say so plainly and do not estimate amounts.`) +
          `\n\nAnswer with: the biggest cost drivers (resources such as databases first); entities that look idle, experimental for long, or deprecated; and concrete suggestions, each with the owner to ask. Cite the entity references you used.`,
      )
    },
  )
}

function userMessage(text: string): GetPromptResult {
  return { messages: [{ role: 'user', content: { type: 'text', text } }] }
}
