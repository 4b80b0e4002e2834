import { CORE_SCHEMA, loadAll } from 'js-yaml'
import { parseAllDocuments } from 'yaml'

export type ParsedDocument = { value: unknown } | { errors: string[] }

/** Anchors and aliases: left to the careful parser, whose alias limit stops "billion laughs" expansion. */
const ANCHOR_OR_ALIAS = /(^|[\s[{,:-])[&*][^\s,\]}]/m

/**
 * The documents of a multi-document YAML text. js-yaml (YAML 1.2 core schema) reads plain catalog files
 * about eight times faster than `yaml`, which matters at 100,000 entities; files it cannot read, or that use
 * anchors and aliases, go through `yaml`, which reports each problem per document with its line.
 */
export function parseDocuments(text: string): ParsedDocument[] {
  if (!ANCHOR_OR_ALIAS.test(text)) {
    try {
      const values: unknown[] = []
      loadAll(text, (value) => values.push(value), { schema: CORE_SCHEMA })
      return values.map((value) => ({ value }))
    } catch {
      // Fall through: the careful parser says what is wrong, and where.
    }
  }
  return parseAllDocuments(text, { prettyErrors: true }).map((document) => {
    if (document.errors.length > 0) return { errors: document.errors.map((error) => error.message.split('\n')[0]!) }
    try {
      return { value: document.toJS({ maxAliasCount: 100 }) }
    } catch (error) {
      // Too many aliases ("billion laughs") throws instead of reporting: a problem of this document, not a crash.
      return { errors: [`${(error as Error).message}; use fewer YAML aliases`] }
    }
  })
}
