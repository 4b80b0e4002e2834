import type { ToolDefinition } from '../../tools/define-tool.ts'
import { words } from './words.ts'

/**
 * Topics people ask a platform about; when no registered tool speaks of one, the planner says so. Strong
 * words settle it; weak ones ("release", "billing") are also names and everyday words, so they count only
 * when nothing else in the question points to a tool.
 */
const TOPICS: Record<string, { strong: string[]; weak: string[]; outsideDocs?: true }> = {
  'costs and spend': { strong: ['cost', 'costs', 'spend', 'spent', 'spending', 'budget', 'budgets', 'finops', 'savings', 'cheaper', 'expensive', 'how much do we', 'how much are we', 'how much does it cost'], weak: ['bill', 'money', 'dollars', 'pay'] },
  'carbon footprint': { strong: ['carbon', 'co2', 'emissions', 'emission', 'footprint'], weak: ['green'] },
  'incidents and alerts': { strong: ['incident', 'incidents', 'alert', 'alerts', 'postmortem', 'sev1', 'sev2'], weak: [] },
  // Reading incidents is covered once the signals tools are registered; paging a person is an action.
  // "got paged: <alert> - what's behind this?" says how the alert came; asking to page someone is the topic.
  'paging the on-call': { strong: ['pagerduty', 'escalate'], weak: ['page', 'paging'] },
  'root-cause analysis': { strong: ['slow', 'slower', 'slowness', 'latency', 'anomaly', 'anomalies', 'rca'], weak: ['degraded', 'spike', 'errors'] },
  'paging people (on-call escalation)': { strong: ['page the on call', 'page on call', 'page the oncall', 'page someone', 'page whoever', 'escalate to'], weak: [] },
  'failovers, traffic shifts and feature flags': { strong: ['failover', 'fail over', 'shift traffic', 'traffic shift', 'feature flag', 'redeploy'], weak: ['flush', 'kill', 'drain'] },
  'deployments': { strong: ['deployed', 'deployments'], weak: ['deploy', 'deployment', 'release', 'released', 'shipped'] },
  'Backstage migration': { strong: ['migrate', 'migration'], weak: ['backstage'] },
  // Moving the portal off Backstage is a tool; planning how to move one service onto another is not.
  'planning a move from one service to another': { strong: ['plan the migration', 'migration plan', 'plan a migration', 'plan my migration'], weak: [] },
  'tickets and issue trackers': { strong: ['jira', 'ticket', 'tickets', 'servicenow'], weak: [] },
  // The portal reads the catalog and runs a few approved playbooks; it does not create, delete or grant things.
  'creating, deleting or granting access to things': { strong: ['create a', 'create the', 'delete the', 'delete a', 'drop the', 'provision a', 'provision the', 'grant access', 'admin rights', 'admin access', 'revoke access', 'give access'], weak: [] },
  'sending messages': { strong: ['send a message', 'send an email', 'post in slack', 'post on slack', 'message the'], weak: [] },
  'writing that is not about the platform': { strong: ['haiku', 'poem', 'joke', 'essay', 'lyrics', 'limerick', 'write me a', 'bash script', 'shell script', 'python script', 'write a script'], weak: [] },
  // Never in a platform's docs, so not searched for even when asked as a how-to ("how do I center a div in css").
  'meetings, calendars and time off': { strong: ['meeting room', 'book a room', 'book a meeting', 'schedule a meeting', 'calendar', 'pto', 'vacation', 'days off', 'annual leave', 'time off', 'payroll'], weak: [], outsideDocs: true },
  'general programming help': { strong: ['css', 'div', 'html', 'linked list', 'regex', 'regular expression', 'algorithm', 'leetcode', 'epoch'], weak: [], outsideDocs: true },
  // The catalog is read from its YAML; changing an entry is a change to that file.
  'editing catalog entries': { strong: ['add a tag', 'add the tag', 'add a tier', 'remove the tag', 'remove a tag', 'change the owner', 'change its owner', 'update the owner', 'update the description', 'edit the catalog', 'rename the'], weak: [] },
  'code review and pull requests': { strong: ['pr', 'prs', 'pull request', 'pull requests', 'merge request', 'merge requests', 'code review', 'diff', 'diffs', 'linting my code'], weak: [] },
  'documentation search': { strong: ['docs', 'documentation', 'runbook', 'readme'], weak: ['howto'] },
}

/** Every topic word, so that spelling correction leaves "spending" alone rather than making it "sending". */
export const TOPIC_WORDS: ReadonlySet<string> = new Set(Object.values(TOPICS).flatMap(({ strong, weak }) => [...strong, ...weak]).filter((term) => !term.includes(' ')))

/** "grep order-service logs for NullPointerException": searching log text, which no tool does (the timeline shows error logs). */
const LOG_SEARCH = /\b(?:grep|search|query|scan|look(?:ing)? through|dig(?:ging)? through|filter|tail)\b[^?.!]*\blogs?\b|\blogs?\b[^?.!]*\b(?:containing|matching|mentioning|for the (?:string|text|message|error)|for ["'“]|with the (?:string|text))|\blog (?:lines|entries|messages)\b/i

/** Whether the text asks to search log text and no registered tool does that. */
export function asksToSearchLogs(text: string, tools: Map<string, ToolDefinition>): boolean {
  return LOG_SEARCH.test(text) && ![...tools.keys()].some((name) => /\blogs?_search|search_logs?\b/.test(name))
}

/** The first topic the question asks about that no registered tool speaks of, if any. */
export function unsupportedTopic(tokens: string[], tools: Map<string, ToolDefinition>, { strongOnly, outsideDocsOnly = false }: { strongOnly: boolean; outsideDocsOnly?: boolean }): string | undefined {
  const asked = new Set(tokens)
  const question = ` ${tokens.join(' ')} `
  const toolWords = [...tools.values()].flatMap((tool) => words(`${tool.name} ${tool.title} ${tool.description} ${(tool.examples ?? []).join(' ')}`))
  const toolText = new Set(toolWords)
  const toolPhrases = ` ${toolWords.join(' ')} `
  // A topic word is one word, or a phrase of several ("fail over").
  const said = (term: string) => (term.includes(' ') ? question.includes(` ${term} `) : asked.has(term))
  const covered = (term: string) => (term.includes(' ') ? toolPhrases.includes(` ${term} `) : toolText.has(term))
  for (const [topic, { strong, weak, outsideDocs }] of Object.entries(TOPICS)) {
    if (outsideDocsOnly && !outsideDocs) continue
    const hits = [...strong, ...(strongOnly ? [] : weak)].filter(said)
    // A topic the tools speak of is covered whichever of its words was said: "5xx spike" asks for a root-cause
    // analysis when the RCA tool speaks of latency and slowness, though no tool says "spike". Two strong words, as
    // one can be another topic's ("error budget" is not spend).
    if (hits.length > 0 && !hits.some(covered) && strong.filter(covered).length < 2) return topic
  }
  return undefined
}
