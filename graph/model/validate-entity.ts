import { z } from 'zod'
import { knownKind, type KnownKind } from './entity.ts'
import { emitRelations } from './entity-relations.ts'

export interface EntityProblem {
  severity: 'error' | 'warning'
  field: string
  message: string
}

const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/
const NAMESPACE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/
const TAG = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$/
const KEY_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/
const KEY_PREFIX = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/

const name = z.string().min(1).max(63).regex(NAME, 'must be 1–63 characters of [A-Za-z0-9._-], starting and ending with a letter or digit')
const metadataKey = z.string().refine((key) => {
  const slash = key.lastIndexOf('/')
  const prefix = slash === -1 ? undefined : key.slice(0, slash)
  const local = slash === -1 ? key : key.slice(slash + 1)
  return local.length >= 1 && local.length <= 63 && KEY_NAME.test(local) && (prefix === undefined || (prefix.length <= 253 && KEY_PREFIX.test(prefix)))
}, 'must be [prefix/]name, where prefix is a DNS subdomain and name 1–63 characters of [A-Za-z0-9._-]')

const metadataSchema = z.looseObject({
  name,
  namespace: z.string().min(1).max(63).regex(NAMESPACE, 'must be 1–63 lower-case letters, digits and dashes').optional(),
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  uid: z.string().optional(),
  etag: z.string().optional(),
  labels: z.record(metadataKey, z.string().max(63).regex(LABEL_VALUE, 'must be empty or 1–63 characters of [A-Za-z0-9._-], starting and ending with a letter or digit')).optional(),
  annotations: z.record(metadataKey, z.string()).optional(),
  tags: z.array(z.string().min(1).max(63).regex(TAG, 'must be lower-case letters, digits and :+# separated by single dashes')).optional(),
  links: z.array(z.looseObject({ url: z.string().min(1), title: z.string().optional(), icon: z.string().optional(), type: z.string().optional() })).optional(),
})

/** A remote `$text`/`$json`/`$yaml` placeholder left unresolved (the reader warns about it). */
const unresolvedPlaceholder = z.union([z.strictObject({ $text: z.string() }), z.strictObject({ $json: z.string() }), z.strictObject({ $yaml: z.string() })])
const ref = z.string().min(1)
const refs = z.array(ref)
const text = z.string().min(1)

/** Each known kind's spec, with Backstage's required fields. Unknown spec fields are kept and warned about. */
const specSchemas: Record<KnownKind, z.ZodObject> = {
  Component: z.looseObject({ type: text, lifecycle: text, owner: ref, system: ref.optional(), subcomponentOf: ref.optional(), providesApis: refs.optional(), consumesApis: refs.optional(), dependsOn: refs.optional(), dependencyOf: refs.optional() }),
  API: z.looseObject({ type: text, lifecycle: text, owner: ref, definition: z.union([z.string().min(1), unresolvedPlaceholder], { error: 'must be the API definition text (or a $text placeholder)' }).optional(), remotes: z.array(z.looseObject({ type: z.string(), url: z.string() })).optional(), system: ref.optional() }),
  Resource: z.looseObject({ type: text, owner: ref, dependsOn: refs.optional(), dependencyOf: refs.optional(), system: ref.optional() }),
  System: z.looseObject({ owner: ref, domain: ref.optional(), type: text.optional() }),
  Domain: z.looseObject({ owner: ref, subdomainOf: ref.optional(), type: text.optional() }),
  Group: z.looseObject({ type: text, profile: z.looseObject({ displayName: z.string().optional(), email: z.string().optional(), picture: z.string().optional() }).optional(), parent: ref.optional(), children: refs, members: refs.optional() }),
  User: z.looseObject({ profile: z.looseObject({ displayName: z.string().optional(), email: z.string().optional(), picture: z.string().optional() }).optional(), memberOf: refs.optional() }),
  Location: z.looseObject({ type: z.string().optional(), target: z.string().min(1).optional(), targets: z.array(z.string().min(1)).optional(), presence: z.enum(['required', 'optional']).optional() }),
  Template: z.looseObject({ type: text, owner: ref.optional(), parameters: z.unknown().optional(), steps: z.array(z.looseObject({ id: z.string().optional(), name: z.string().optional(), action: text, input: z.unknown().optional() })), output: z.unknown().optional() }),
}

const API_VERSIONS: Record<KnownKind, string[]> = {
  Component: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
  API: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
  Resource: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
  System: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
  Domain: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
  Group: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
  User: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
  Location: ['backstage.io/v1alpha1', 'backstage.io/v1beta1'],
  Template: ['scaffolder.backstage.io/v1beta3', 'backstage.io/v1beta2'],
}

const ENVELOPE_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'])
const METADATA_FIELDS = new Set(['name', 'namespace', 'title', 'description', 'uid', 'etag', 'labels', 'annotations', 'tags', 'links', 'generation'])

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input
  for (const segment of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[segment] : undefined
  return value
}

function zodProblems(error: z.ZodError, prefix: string, input: unknown): EntityProblem[] {
  return error.issues.map((issue) => {
    let message = issue.message
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) message = 'is required'
    // A record key that fails its check: zod says "Invalid key in record"; the key's own rule says what to write.
    if (issue.code === 'invalid_key' && issue.issues[0]) message = issue.issues[0].message
    return { severity: 'error' as const, field: formatPath(prefix, issue.path), message }
  })
}

function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : `${out ? '.' : ''}${String(segment)}`
  return out
}

/**
 * Validates one entity against Backstage's descriptor format. Errors reject the entity; warnings (unknown
 * kinds and fields) keep it verbatim but tell the author.
 */
export function validateEntity(input: unknown): EntityProblem[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ severity: 'error', field: '(document)', message: 'must be a mapping with apiVersion, kind, metadata and spec' }]
  }
  const entity = input as Record<string, unknown>
  const problems: EntityProblem[] = []
  if (typeof entity.apiVersion !== 'string' || entity.apiVersion === '') problems.push({ severity: 'error', field: 'apiVersion', message: 'is required, e.g. backstage.io/v1alpha1' })
  if (typeof entity.kind !== 'string' || entity.kind === '') problems.push({ severity: 'error', field: 'kind', message: 'is required, e.g. Component' })
  const metadata = metadataSchema.safeParse(entity.metadata)
  if (!metadata.success) problems.push(...zodProblems(metadata.error, 'metadata', entity.metadata))
  for (const key of Object.keys(entity)) {
    if (!ENVELOPE_FIELDS.has(key)) problems.push({ severity: 'warning', field: key, message: `unknown top-level field, kept as is (known: ${[...ENVELOPE_FIELDS].join(', ')})` })
  }
  if (metadata.success) {
    for (const key of Object.keys(metadata.data)) {
      if (!METADATA_FIELDS.has(key)) problems.push({ severity: 'warning', field: `metadata.${key}`, message: 'unknown metadata field, kept as is' })
    }
  }
  if (typeof entity.kind !== 'string' || typeof entity.apiVersion !== 'string') return problems

  const kind = knownKind(entity.kind)
  if (!kind) {
    problems.push({ severity: 'warning', field: 'kind', message: `kind "${entity.kind}" is not one this portal knows (${Object.keys(specSchemas).join(', ')}); kept verbatim without relations` })
    return problems
  }
  if (entity.kind !== kind) problems.push({ severity: 'error', field: 'kind', message: `must be spelled "${kind}"` })
  if (!API_VERSIONS[kind].includes(entity.apiVersion)) {
    problems.push({ severity: 'error', field: 'apiVersion', message: `"${entity.apiVersion}" is not a version of ${kind}; use ${API_VERSIONS[kind].join(' or ')}` })
  }
  if (typeof entity.spec !== 'object' || entity.spec === null || Array.isArray(entity.spec)) {
    problems.push({ severity: 'error', field: 'spec', message: `is required for ${kind}` })
    return problems
  }
  const schema = specSchemas[kind]
  const spec = schema.safeParse(entity.spec)
  if (!spec.success) problems.push(...zodProblems(spec.error, 'spec', entity.spec))
  const knownFields = new Set(Object.keys(schema.shape))
  for (const key of Object.keys(entity.spec)) {
    if (!knownFields.has(key)) problems.push({ severity: 'warning', field: `spec.${key}`, message: `unknown field for ${kind}, kept as is but not used to derive relations` })
  }
  // MCP server APIs describe their endpoints in `remotes` instead of a definition, as Backstage's examples do.
  if (kind === 'API' && spec.success && spec.data.definition === undefined && spec.data.remotes === undefined) {
    problems.push({ severity: 'warning', field: 'spec.definition', message: 'an API without a definition (or remotes) cannot be browsed or searched by its operations' })
  }
  if (kind === 'Location' && spec.success && !spec.data.target && !spec.data.targets) {
    problems.push({ severity: 'error', field: 'spec.target', message: 'a Location needs spec.target or spec.targets' })
  }
  if (spec.success && metadata.success) {
    for (const problem of emitRelations(entity as never).problems) problems.push({ severity: 'error', ...problem })
  }
  return problems
}
