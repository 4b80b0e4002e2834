import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { writeCostAnswer } from './cost-answers.ts'

export interface ToolOutcome {
  toolName: string
  input: Record<string, unknown>
  output?: unknown
  /** The tool's error message, when it failed. */
  error?: string
}

export interface WrittenAnswer {
  text: string
  citations: string[]
}

type Json = any

/** A human name for an entity: its title or display name, with the reference beside it. */
function label(index: CatalogIndex, ref: string): string {
  const entity = index.getStored(ref)?.entity
  const title = entity?.metadata.title ?? ((entity?.spec as { profile?: { displayName?: string } } | undefined)?.profile?.displayName)
  return title && title.toLowerCase() !== entity?.metadata.name.toLowerCase() ? `${title} (${ref})` : ref
}

function list(items: string[], max = 12): string {
  if (items.length <= max) return items.join(', ')
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`
}

/**
 * Writes the answer from tool results only: every fact and name in it comes from an output, and every entity
 * it names is cited. Text inside outputs (descriptions, docs) is quoted as data, never followed.
 */
export function writeAnswer(outcomes: ToolOutcome[], index: CatalogIndex, render?: (toolName: string, output: unknown) => string | undefined): WrittenAnswer {
  const citations = new Set<string>()
  const cite = (ref: string) => {
    citations.add(ref)
    return label(index, ref)
  }
  // Who belongs to a group, and which groups a person belongs to.
  const relationLines = (ref: string): string[] => {
    const members = index.targets(ref, 'hasMember')
    const groups = index.targets(ref, 'memberOf')
    const children = index.targets(ref, 'parentOf')
    const parents = index.targets(ref, 'childOf')
    return [
      parents.length > 0 ? `It belongs to ${list(parents.map(cite))}.` : '',
      members.length > 0 ? `Members: ${list(members.map(cite), 20)}.` : '',
      children.length > 0 ? `Subgroups: ${list(children.map(cite))}.` : '',
      groups.length > 0 ? `Member of ${list(groups.map(cite))}.` : '',
    ]
  }
  const paragraphs = outcomes.map((outcome) => {
    if (outcome.error !== undefined) return `I couldn't run ${outcome.toolName}: ${outcome.error}`
    const output = outcome.output as Json
    if (output?.approvalRequest) {
      // A tool that changes things did not run: it became an approval request (see agent-tools.ts).
      const request = output.approvalRequest
      return [
        `Nothing has run yet: I asked for approval. ${request.summary}`,
        `It needs ${request.requiredApprovals === 1 ? 'one approval' : `${request.requiredApprovals} approvals from different people`}, from ${list(request.approvers.map(cite), 10)}; the request (${request.id}) expires at ${request.expiresAt}.`,
        request.blastRadius?.length ? `Blast radius: ${list(request.blastRadius.map((entry: Json) => cite(entry.ref)), 10)}.` : '',
      ].filter(Boolean).join(' ')
    }
    switch (outcome.toolName) {
      case 'catalog_who_owns': {
        const subject = cite(output.ref)
        if (output.owners.length === 0) return `${subject} has no owner in the catalog.`
        return output.owners
          .map((owner: Json) => {
            const name = owner.inCatalog === false ? owner.ref : cite(owner.ref)
            citations.add(owner.ref)
            const contacts = owner.contacts.map((contact: Json) => contact.value)
            const members = owner.members.map((member: Json) => `${member.name}${member.slackUserId ? ` (<@${member.slackUserId}>)` : member.email ? ` (${member.email})` : ''}`)
            return [
              `${subject} is owned by ${name}${owner.inCatalog === false ? ', which is not in the catalog yet' : ''}.`,
              contacts.length > 0 ? `Reach them at ${list(contacts)}.` : '',
              members.length > 0 ? `Members: ${list(members, 8)}.` : '',
            ].filter(Boolean).join(' ')
          })
          .join('\n')
      }
      case 'graph_dependents': {
        const subject = cite(output.ref)
        if (output.dependents.length === 0) return `Nothing in the catalog depends on ${subject}.`
        const direct = output.dependents.filter((item: Json) => item.depth === 1).map((item: Json) => cite(item.ref))
        const indirect = output.dependents.filter((item: Json) => item.depth > 1).map((item: Json) => cite(item.ref))
        for (const owner of output.owners) citations.add(owner)
        return [
          `If ${subject} goes down, ${output.dependents.length} entities are affected.`,
          `Directly (${direct.length}): ${list(direct, 40)}.`,
          indirect.length > 0 ? `Further up (${indirect.length}): ${list(indirect, 40)}.` : '',
          output.owners.length > 0 ? `Teams to tell: ${list(output.owners.map((owner: string) => label(index, owner)))}.` : '',
        ].filter(Boolean).join(' ')
      }
      case 'graph_dependencies': {
        const subject = cite(output.ref)
        if (output.dependencies.length === 0) return `${subject} has no dependencies in the catalog.`
        const direct = output.dependencies.filter((item: Json) => item.depth === 1).map((item: Json) => cite(item.ref))
        const further = output.dependencies.filter((item: Json) => item.depth > 1).map((item: Json) => cite(item.ref))
        return [`${subject} depends directly on ${direct.length} entit${direct.length === 1 ? 'y' : 'ies'}: ${list(direct, 40)}.`, further.length > 0 ? `Through those it also needs ${further.length} more: ${list(further, 40)}.` : ''].filter(Boolean).join(' ')
      }
      case 'graph_path': {
        const from = cite(output.from)
        const to = cite(output.to)
        if (!output.found) return `I found no chain of relations between ${from} and ${to}.`
        const chain = [output.from, ...output.steps.map((step: Json) => `—${step.relation}→ ${step.to}`)]
        for (const step of output.steps) citations.add(step.to)
        return `${from} connects to ${to} in ${output.steps.length} step${output.steps.length === 1 ? '' : 's'}: ${chain.join(' ')}`
      }
      case 'graph_owned_by': {
        const group = cite(output.group)
        if (output.items.length === 0) return `${group} owns nothing in the catalog${output.groups.length > 1 ? ' (including its subgroups)' : ''}.`
        const byKind = Object.entries(output.byKind as Record<string, number>).map(([kind, count]) => `${count} ${kind}${count === 1 ? '' : 's'}`)
        return `${group} owns ${output.items.length} entities (${byKind.join(', ')}): ${list(output.items.map((item: Json) => cite(item.ref)), 20)}.`
      }
      case 'graph_parts': {
        const subject = cite(output.ref)
        if (output.parts.length === 0) return `${subject} has no parts in the catalog.`
        return `${subject} contains ${output.parts.length} entities: ${list(output.parts.map((part: Json) => cite(part.ref)), 20)}.`
      }
      case 'graph_cycles':
        return output.cycles.length === 0 ? 'There are no dependency cycles in the catalog.' : `I found ${output.cycles.length} dependency cycle(s): ${output.cycles.map((cycle: string[]) => cycle.map(cite).join(' ↔ ')).join('; ')}.`
      case 'catalog_get_entity': {
        const entity = output.entity
        const spec = entity.spec ?? {}
        const owner = index.targets(output.ref, 'ownedBy')[0]
        const system = index.targets(output.ref, 'partOf').find((ref) => ref.startsWith('system:'))
        return [
          `${cite(output.ref)} is a ${[spec.lifecycle, spec.type, entity.kind].filter(Boolean).join(' ')}.`,
          entity.metadata.description ? `Its description reads: "${entity.metadata.description}"` : '',
          owner ? `Owner: ${cite(owner)}.` : '',
          system ? `Part of ${cite(system)}.` : '',
          entity.metadata.tags?.length ? `Tags: ${entity.metadata.tags.join(', ')}.` : '',
          ...relationLines(output.ref),
        ].filter(Boolean).join(' ')
      }
      case 'catalog_query': {
        if (output.totalItems === 0) return 'No entities in the catalog match that.'
        const shown = output.items.map((item: Json) => cite(item.ref))
        return `${output.totalItems} match${output.totalItems === 1 ? 'es' : ''}: ${list(shown, 25)}${output.totalItems > output.items.length ? ` (showing ${output.items.length})` : ''}.`
      }
      case 'catalog_validate':
        return output.valid
          ? `The YAML is valid (${list(output.entities)})${output.warnings.length ? `, with warnings: ${output.warnings.map((warning: Json) => `${warning.field ?? ''} ${warning.message}`.trim()).join('; ')}` : ''}.`
          : `The YAML has ${output.errors.length} problem(s): ${output.errors.map((error: Json) => `${[error.entity, error.field].filter(Boolean).join(' ')}: ${error.message}`).join('; ')}.`
      case 'search': {
        if (output.results.length === 0) return `I found nothing for "${output.query}".`
        const corrected = Object.entries(output.corrections as Record<string, string>).map(([from, to]) => `"${from}" as "${to}"`)
        const lines = output.results.slice(0, 5).map((hit: Json, position: number) => {
          const what = hit.documentType === 'docs' ? `the "${hit.section ?? hit.title}" section of the docs of ${cite(hit.ref)}` : cite(hit.ref)
          const snippet = String(hit.snippet).replace(/<\/?mark>/g, '').replace(/\s+/g, ' ').trim().slice(0, 200)
          return `${position + 1}. ${what} (${hit.location})${snippet ? ` — it reads: "${snippet}"` : ''}`
        })
        return [`I found ${output.total} result${output.total === 1 ? '' : 's'} for "${output.query}"${corrected.length > 0 ? ` (reading ${corrected.join(', ')})` : ''}; the best:`, ...lines].join('\n')
      }
      case 'docs_get': {
        const subject = cite(output.ref)
        const where = output.section ? `the "${output.section.heading}" section of the docs of ${subject} (${output.section.location})` : `the docs of ${subject} (${output.pages.map((page: Json) => page.location).join(', ')})`
        const text = String(output.text).trim()
        return `From ${where}, quoted as written:\n> ${text.slice(0, 1500).replace(/\n/g, '\n> ')}${text.length > 1500 || output.truncated ? '\n> …' : ''}`
      }
      case 'rca_analyze': {
        const target = cite(output.target)
        if (!output.likelyCause) return `I found nothing in the signals that explains ${target}'s trouble between ${output.analysedFrom.slice(11, 16)} and ${output.analysedTo.slice(11, 16)} UTC. ${output.nextSteps.join(' ')}`
        const cause = output.likelyCause.entity
        const named = index.has(cause) ? cite(cause) : cause
        const evidence = (output.candidates[0]?.evidence ?? []).slice(0, 5)
        const others = output.candidates.slice(1, 3).map((candidate: Json) => `${index.has(candidate.entity) ? cite(candidate.entity) : candidate.entity} (score ${candidate.score})`)
        return [
          `The likely cause of ${target}'s trouble${output.incidentStart ? ` since ${output.incidentStart.slice(11, 16)} UTC` : ''}${output.incidentId ? ` (incident ${output.incidentId})` : ''} is ${named}, with ${output.likelyCause.confidence} confidence (score ${output.likelyCause.score}).`,
          evidence.length > 0 ? `Evidence: ${evidence.map((line: string) => `"${line}"`).join('; ')}.` : '',
          others.length > 0 ? `Less likely: ${others.join(', ')}.` : '',
          output.nextSteps.length > 0 ? `Next steps: ${output.nextSteps.join(' ')}` : '',
        ].filter(Boolean).join(' ')
      }
      case 'incidents_list': {
        if (output.incidents.length === 0) return 'There are no incidents matching that.'
        const lines = output.incidents.map((incident: Json) => `${incident.id} (${incident.status}, ${incident.severity}) on ${cite(incident.entity)} from ${incident.startedAt.slice(0, 16).replace('T', ' ')} UTC: "${incident.title}"`)
        return `${output.incidents.length} incident${output.incidents.length === 1 ? '' : 's'}: ${lines.join('; ')}.`
      }
      case 'incident_get': {
        const incident = output.incident
        const changes = output.timeline.filter((event: Json) => event.type === 'deployment' || event.type === 'config-change')
        return [
          `Incident ${incident.id} (${incident.status}, ${incident.severity}) on ${cite(incident.entity)}: "${incident.title}", from ${incident.startedAt.slice(0, 16).replace('T', ' ')} UTC${incident.resolvedAt ? ` to ${incident.resolvedAt.slice(11, 16)}` : ''}.`,
          incident.affected.length > 1 ? `Affected: ${list(incident.affected.filter((ref: string) => index.has(ref)).map(cite), 15)}.` : '',
          changes.length > 0 ? `Changes around it: ${changes.slice(0, 6).map((event: Json) => `"${event.summary}" at ${event.at.slice(11, 16)}`).join('; ')}.` : 'No deployments or config changes around it.',
          'Ask "what caused it?" for a root-cause analysis.',
        ].filter(Boolean).join(' ')
      }
      case 'signals_timeline': {
        const subject = cite(output.ref)
        const changes = output.events.filter((event: Json) => event.type === 'deployment' || event.type === 'config-change')
        const errors = output.events.filter((event: Json) => event.type === 'log' || event.type === 'alert')
        const metrics = output.metrics.map((metric: Json) => `${metric.metric} ${metric.first} → ${metric.last} (min ${metric.min}, max ${metric.max})`)
        return [
          `${subject} from ${output.from.slice(0, 16).replace('T', ' ')} to ${output.to.slice(11, 16)} UTC:`,
          changes.length > 0 ? `changes: ${changes.map((event: Json) => `"${event.summary}" at ${event.at.slice(0, 16).replace('T', ' ')}`).join('; ')}.` : 'no deployments or config changes.',
          errors.length > 0 ? `${errors.length} error log or alert event(s), the latest "${errors.at(-1).summary}".` : '',
          metrics.length > 0 ? `Metrics: ${metrics.join('; ')}.` : '',
        ].filter(Boolean).join(' ')
      }
      case 'anomalies_list': {
        if (output.anomalies.length === 0) return 'The detector found no anomalies in that range.'
        return `${output.anomalies.length} anomal${output.anomalies.length === 1 ? 'y' : 'ies'}, newest first: ${list(output.anomalies.map((item: Json) => `${item.metric} of ${index.has(item.entity) ? cite(item.entity) : item.entity} at ${item.at.slice(0, 16).replace('T', ' ')} (${item.value})`), 15)}.`
      }
      case 'incidents_predict': {
        const risky = output.forecasts.filter((item: Json) => item.risk >= 0.3)
        if (risky.length === 0) return `Nothing looks at risk right now: no service has recent changes, error-budget burn or anomalies that point to an incident${output.forecasts[0] ? ` (the highest risk is ${output.forecasts[0].risk})` : ''}.`
        return `Most at risk in the coming hours: ${risky.slice(0, 5).map((item: Json) => `${index.has(item.entity) ? cite(item.entity) : item.entity} (risk ${item.risk}: ${item.reasons.slice(0, 2).join('; ')})`).join('; ')}.`
      }
      default:
        return writeCostAnswer(outcome.toolName, output, cite) ?? render?.(outcome.toolName, output) ?? `${outcome.toolName} returned: ${JSON.stringify(output).slice(0, 2000)}`
    }
  })
  return { text: paragraphs.join('\n\n'), citations: [...citations] }
}
