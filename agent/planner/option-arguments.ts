import type { ToolDefinition } from '../../tools/define-tool.ts'
import { numberWord, words } from './words.ts'

/** Other words people use for a tool's option values ("bounce the pods" is a restart). */
const OPTION_SYNONYMS: Record<string, string[]> = {
  restart: ['restart', 'restarts', 'restarted', 'restarting', 'reboot', 'reboots', 'rebooted', 'rebooting', 'bounce', 'bounced', 'bouncing', 'recycle', 'cycle', 'kick the pods', 'kick it', 'kick them'],
  scale: ['scale', 'scaled', 'scaling', 'resize', 'replicas', 'instances'],
  rollback: ['rollback', 'roll back', 'rolling back', 'rolled back', 'roll it back', 'roll that back', 'roll this back', 'roll them back', 'rolling it back', 'rolling that back', 'revert', 'reverting', 'undo the deploy', 'undo the last deploy', 'previous version', 'previous release'],
}

type SchemaNode = { def?: { type?: string; innerType?: SchemaNode; defaultValue?: unknown }; options?: readonly string[] }

function unwrap(schema: SchemaNode): { schema: SchemaNode; optional: boolean } {
  let node = schema
  let optional = false
  while (node.def?.type === 'optional' || node.def?.type === 'default') {
    optional = true
    node = node.def.innerType!
  }
  return { schema: node, optional }
}

/** "to 6", "to six replicas": the count a question asks for ("restart the 3 pods" names no new count). */
function countFrom(tokens: string[]): number | undefined {
  for (let position = 1; position < tokens.length; position++) {
    const value = numberWord(tokens[position]!)
    if (value !== undefined && tokens[position - 1] === 'to') return value
  }
  return undefined
}

const NUMBER = '(\\d+|one|two|three|four|five|six|seven|eight|nine|ten)'
const TIME_UNIT = '(?:s|m|h|d|w|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?)\\b'
/** "top 5 at-risk svcs", "the 3 riskiest", "first ten", "at most 20": how many a listing shows ("last 7 days" is a time). */
const LIMIT = [
  new RegExp(`\\b(?:top|first|last|latest|newest|recent|max|at most|limit(?: it)?(?: to)?|only)\\s+${NUMBER}\\b(?!\\s*${TIME_UNIT})`, 'i'),
  new RegExp(`\\b${NUMBER}\\s+(?:most|riskiest|latest|newest|recent|last|biggest|worst|top)\\b`, 'i'),
]
/** "entries after seq 120", "from sequence number 40 on": where a paged listing continues. */
const AFTER_SEQUENCE = /\b(?:after|since|from|past|beyond)\s+(?:seq(?:uence)?\.?(?:\s+(?:no\.?|number|#))?|entry|#)\s*#?(\d+)\b/i

/** Whether a value is one the tool's own schema takes ("top 500" is more than a listing may show). */
function fits(schema: SchemaNode | undefined, value: number): boolean {
  return (schema as { safeParse?: (value: unknown) => { success: boolean } } | undefined)?.safeParse?.(value).success ?? false
}

/** Counts a question gives for a tool's numeric inputs: `limit` and `afterSeq`, wherever a tool has them. */
export function numberArguments(tool: ToolDefinition, text: string): Record<string, number> {
  const shape = (tool.input as unknown as { shape?: Record<string, SchemaNode> }).shape ?? {}
  const values: Record<string, number> = {}
  if ('limit' in shape) {
    const match = LIMIT.map((pattern) => pattern.exec(text)).find(Boolean)
    const count = match ? numberWord(match[1]!.toLowerCase()) : undefined
    if (count !== undefined && fits(shape.limit, count)) values.limit = count
  }
  if ('afterSeq' in shape) {
    const match = AFTER_SEQUENCE.exec(text)
    if (match && fits(shape.afterSeq, Number(match[1]))) values.afterSeq = Number(match[1])
  }
  return values
}

/** The web addresses a text gives, without the punctuation that ends its sentence. */
export function addresses(text: string): string[] {
  return (text.match(/\bhttps?:\/\/[^\s"'<>`]+/gi) ?? []).map((address) => address.replace(/[.,;:!?)]+$/, ''))
}

/** "ok import it then", "do that one": the question points back at what the previous turn named. */
const REFERS_BACK = /\b(?:it|that|this|there|then|same|them)\b/i

/**
 * Fills a tool's choice inputs from the words of a question: a required enum (which playbook) from its
 * values and their synonyms, and a `replicas` count from "to 6". A required choice the question
 * does not make is a question back, listing the choices, never a guess.
 */
export function optionArguments(tool: ToolDefinition, tokens: string[], { text, refs, message = text, earlierRequestId, earlierUrl }: { text: string; refs: string[]; message?: string; earlierRequestId?: string; earlierUrl?: string }): { values: Record<string, unknown> } | { missing: string } {
  const shape = (tool.input as unknown as { shape?: Record<string, SchemaNode> }).shape ?? {}
  const values: Record<string, unknown> = {}
  const phrase = ` ${tokens.join(' ')} `
  for (const [field, raw] of Object.entries(shape)) {
    const { schema, optional } = unwrap(raw)
    // "undo apr_…": a stored request's id, as the portal writes them.
    if (field === 'requestId') {
      // "status of apr_… + its audit trail": the id may be said once for several asks.
      // "undo that one" after an answer about one request: that request (the caller passes it when nothing else is named).
      const id = (/\bapr_[a-z0-9]{6,}\b/i.exec(text) ?? /\bapr_[a-z0-9]{6,}\b/i.exec(message))?.[0] ?? earlierRequestId
      if (id) values[field] = id.toLowerCase()
    }
    // "migrate from https://backstage.acme.io": an address the question gives; a required one it lacks is asked for.
    if (field === 'url') {
      // "can you bring its catalog over? url is https://…": the address may come in another clause of the message.
      const url = addresses(text)[0] ?? addresses(message)[0] ?? (REFERS_BACK.test(message) ? earlierUrl : undefined)
      if (url) values[field] = url
      else if (!optional) return { missing: `${tool.title} needs an address, e.g. https://backstage.example.com. Where is it?` }
    }
    // "show the import report for https://…": a migration source is its address.
    if (field === 'source' && !values.source) {
      const source = addresses(text)[0] ?? earlierUrl
      if (source) values[field] = source
    }
    // "as a dry run only": check everything, change nothing.
    if (field === 'dryRun' && /\bdry[- ]?run\b|\bwithout (?:storing|saving|writing|changing|committing|persisting)\b/i.test(text)) values[field] = true
    // "what does team-x own directly", "don't count subgroups": only what the group itself owns.
    if (field === 'includeSubgroups' && /\b(?:directly|itself|(?:don'?t|do not|without|not|excluding|exclude)\s+(?:count(?:ing)?\s+|includ(?:e|ing)\s+)?(?:the\s+|its\s+)?sub-?(?:groups?|teams?))\b/i.test(text)) values[field] = false
    // An optional entity narrows a listing ("is the restart of cart-service done?").
    if (field === 'entity' && optional && refs[0]) values[field] = refs[0]
    if (schema.def?.type === 'enum' && !optional && schema.options) {
      // "roll the storefront CMS back": a rollback whatever is named between the two words.
      const choose = (text: string) => schema.options!.find((option) => (OPTION_SYNONYMS[option] ?? [option]).some((word) => text.includes(` ${word} `)) || (option === 'rollback' && /\broll\b(?:\s+\S+){1,5}\s+back\b/.test(text)))
      // "thinking of restarting cart-service. show me the dry-run plan": the choice may be said in the context before the ask.
      const chosen = choose(phrase) ?? choose(` ${words(message).join(' ')} `)
      if (!chosen) return { missing: `${tool.title} needs a ${field}: one of ${schema.options.join(', ')}. Which one do you want?` }
      values[field] = chosen
    }
    if (schema.def?.type === 'number' && field === 'replicas') {
      const count = countFrom(tokens) ?? countFrom(words(message))
      if (count !== undefined) values[field] = count
    }
  }
  return { values: { ...values, ...numberArguments(tool, text) } }
}
