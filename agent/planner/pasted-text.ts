import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { linkEntities } from './entity-linker.ts'

/** A fenced code block: its language (possibly empty) and its body. */
export const FENCED_BLOCK = /```([\w-]*)[^\S\n]*\n([\s\S]*?)```/g

/** A Kubernetes pod's name: its deployment's name, then the replica set's hash and the pod's own suffix. */
const POD_NAME = /\b([a-z][a-z0-9]*(?:-[a-z0-9]+)*?)-[a-z0-9]{5,10}-[a-z0-9]{5}\b/g

/**
 * Pasted logs, alerts and stack traces are data, not words of the question: a fenced block, or machine text before a
 * question on the last line, becomes a sentence naming the entities it mentions ("This is from pricing-service."),
 * and a pod's name the name of its service. `asks` says whether a line asks something (then it is no paste).
 */
export function readPastes(text: string, index: CatalogIndex, asks: (line: string) => boolean): string {
  const withServices = text.replace(POD_NAME, (pod, name: string) => (index.has(`component:default/${name}`) ? name : pod))
  const unfenced = withServices.replace(FENCED_BLOCK, (_, _language: string, body: string) => `\n${pastedFrom(body, index)}\n`)
  // An alert or log pasted without a fence, then the question on its last line ("[PagerDuty] CRITICAL: … ⏎ why?").
  const lines = unfenced.split('\n').map((line) => line.trim()).filter(Boolean)
  const last = lines.at(-1) ?? ''
  const pasted = lines.slice(0, -1).join('\n')
  // Only machine text is a paste: an alert's or a log's marks, and no line of it that asks ("1. who owns cart-service").
  const asksInside = lines.slice(0, -1).some((line) => asks(line.replace(/^(?:\d+[.)]|[-*•])\s*/, '')))
  if (lines.length < 2 || pasted.includes('?') || asksInside || !MACHINE_TEXT.test(pasted) || !(/\?\s*$/.test(last) || asks(last))) return unfenced
  return `${pastedFrom(pasted, index)}\n${last}`
}

/** Marks of an alert or a log line: brackets, key=value, pipes, levels, clock times. */
const MACHINE_TEXT = /[=|{}[\]<>`]|\b(?:ERROR|WARN(?:ING)?|CRITICAL|FIRING|FATAL|alert|exception|timeout|host:|level)\b|\d{1,2}:\d{2}/

/** What a paste is about, as a sentence: the services, resources and APIs it names in full (else whatever it names in full). */
function pastedFrom(body: string, index: CatalogIndex): string {
  const full = linkEntities(index, body).filter((mention) => (mention.candidates[0]?.score ?? 0) >= 3)
  const parts = full.filter((mention) => /^(?:component|resource|api):/.test(mention.candidates[0]!.ref))
  const named = [...new Set((parts.length > 0 ? parts : full).map((mention) => mention.text))]
  return named.length > 0 ? `This is from ${named.join(' and ')}.` : ''
}
