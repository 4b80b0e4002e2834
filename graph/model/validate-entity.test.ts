import { describe, expect, it } from 'vitest'
import { validateEntity, type EntityProblem } from './validate-entity.ts'

type Json = Record<string, unknown>

/** One valid entity of each known kind, as Backstage's descriptor format documents them. */
const VALID: Record<string, Json> = {
  Component: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'shop', title: 'Checkout', description: 'Takes money', tags: ['java', 'c++', 'team:a', 'c#', 'web-app'], labels: { 'example.com/tier': 'gold' }, annotations: { 'backstage.io/techdocs-ref': 'dir:.', 'github.com/project-slug': 'acme/checkout' }, links: [{ url: 'https://example.com', title: 'Home', icon: 'web', type: 'website' }] },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a', system: 'payments', subcomponentOf: 'shop', providesApis: ['orders'], consumesApis: ['stock'], dependsOn: ['resource:db'], dependencyOf: ['component:storefront'] },
  },
  API: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'orders' },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a', system: 'payments', definition: 'openapi: 3.0.0\ninfo: {}' },
  },
  Resource: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'orders-db' },
    spec: { type: 'database', owner: 'team-a', system: 'payments', dependsOn: ['resource:disk'], dependencyOf: ['component:checkout'] },
  },
  System: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'payments' },
    spec: { owner: 'team-a', domain: 'commerce', type: 'product' },
  },
  Domain: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'commerce' },
    spec: { owner: 'team-a', subdomainOf: 'business', type: 'product-area' },
  },
  Group: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a' },
    spec: { type: 'team', profile: { displayName: 'Team A', email: 'a@example.com', picture: 'https://example.com/a.png' }, parent: 'backend', children: [], members: ['jdoe'] },
  },
  User: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'jdoe' },
    spec: { profile: { displayName: 'Jenny Doe', email: 'jdoe@example.com' }, memberOf: ['team-a'] },
  },
  Location: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'all' },
    spec: { type: 'url', targets: ['./a.yaml', 'https://example.com/b.yaml'], presence: 'optional' },
  },
  Template: {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'node-service', title: 'Node.js service' },
    spec: { type: 'service', owner: 'user:guest', parameters: [{ title: 'Name', properties: { name: { type: 'string' } } }], steps: [{ id: 'fetch', name: 'Fetch', action: 'fetch:template', input: { url: './content' } }], output: { links: [] } },
  },
}

function clone(kind: string): Json {
  return structuredClone(VALID[kind]!) as Json
}

/** A copy of the valid entity of `kind` with `patch` applied to its spec (undefined deletes the field). */
function withSpec(kind: string, patch: Json): Json {
  const entity = clone(kind)
  const spec = entity.spec as Json
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete spec[key]
    else spec[key] = value
  }
  return entity
}

function withMetadata(patch: Json, kind = 'Component'): Json {
  const entity = clone(kind)
  const metadata = entity.metadata as Json
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete metadata[key]
    else metadata[key] = value
  }
  return entity
}

const errors = (problems: EntityProblem[]) => problems.filter((problem) => problem.severity === 'error')
const warnings = (problems: EntityProblem[]) => problems.filter((problem) => problem.severity === 'warning')
/** The distinct fields with errors, in order (one bad value may break two rules of the same field). */
const errorFields = (input: unknown) => [...new Set(errors(validateEntity(input)).map((problem) => problem.field))]

describe('validateEntity: valid entities', () => {
  it.each(Object.keys(VALID))('a complete %s passes with no problems at all', (kind) => {
    expect(validateEntity(VALID[kind])).toEqual([])
  })

  it.each(Object.keys(VALID).filter((kind) => kind !== 'Template'))('%s accepts backstage.io/v1beta1 as well', (kind) => {
    const entity = clone(kind)
    entity.apiVersion = 'backstage.io/v1beta1'
    expect(validateEntity(entity)).toEqual([])
  })

  it('a Template with scaffolder.backstage.io/v1beta3 passes', () => {
    expect(VALID.Template!.apiVersion).toBe('scaffolder.backstage.io/v1beta3')
    expect(errors(validateEntity(VALID.Template))).toEqual([])
  })

  it('a minimal Component needs only name, type, lifecycle and owner', () => {
    expect(validateEntity({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' }, spec: { type: 'library', lifecycle: 'experimental', owner: 'team-a' } })).toEqual([])
  })

  it('a Location with a single spec.target passes', () => {
    expect(validateEntity(withSpec('Location', { targets: undefined, target: './catalog-info.yaml' }))).toEqual([])
  })

  it('an API definition left as an unresolved remote $text placeholder object is accepted', () => {
    const problems = validateEntity(withSpec('API', { definition: { $text: 'https://example.com/openapi.yaml' } }))
    expect(problems).toEqual([])
  })

  it('$json and $yaml placeholder objects are accepted as definitions too', () => {
    expect(validateEntity(withSpec('API', { definition: { $json: 'https://example.com/openapi.json' } }))).toEqual([])
    expect(validateEntity(withSpec('API', { definition: { $yaml: 'https://example.com/openapi.yaml' } }))).toEqual([])
  })

  it('an API definition that is some other object is an error on spec.definition', () => {
    expect(errorFields(withSpec('API', { definition: { openapi: '3.0.0' } }))).toContain('spec.definition')
    expect(errorFields(withSpec('API', { definition: { $text: 'https://x', extra: 1 } }))).toContain('spec.definition')
    expect(errorFields(withSpec('API', { definition: '' }))).toContain('spec.definition')
  })

  it('an MCP server API with remotes and no definition is accepted without problems', () => {
    const problems = validateEntity({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'backstage-mcp-server', tags: ['mcp', 'ai'] },
      spec: { type: 'mcp-server', lifecycle: 'experimental', owner: 'team-a', remotes: [{ type: 'streamable-http', url: 'http://localhost:7007/api/mcp/v1' }] },
    })
    expect(problems).toEqual([])
  })

  it('an API with neither definition nor remotes is reported on spec.definition', () => {
    const problems = validateEntity(withSpec('API', { definition: undefined }))
    expect(problems.map((problem) => problem.field)).toEqual(['spec.definition'])
  })

  it('remotes entries must have type and url', () => {
    expect(errorFields(withSpec('API', { definition: undefined, remotes: [{ type: 'sse' }] }))).toEqual(['spec.remotes[0].url'])
  })

  it('accepts names at the edges of the format', () => {
    for (const name of ['a', '1', 'A.b_c-D', 'x'.repeat(63), 'v1.2.3', 'My_Service']) {
      expect(errorFields(withMetadata({ name })), name).toEqual([])
    }
  })

  it('accepts tags of lower-case letters, digits and :+# separated by single dashes', () => {
    for (const tag of ['java', 'c++', 'c#', 'team:a', 'web-app', 'a-b-c', '3d', 'x'.repeat(63)]) {
      expect(errorFields(withMetadata({ tags: [tag] })), tag).toEqual([])
    }
  })

  it('accepts namespaces that are lower-case DNS labels', () => {
    for (const namespace of ['default', 'a', 'team-a', 'a1-b2', 'x'.repeat(63)]) {
      expect(errorFields(withMetadata({ namespace })), namespace).toEqual([])
    }
  })

  it('accepts annotation and label keys of the form [prefix/]name', () => {
    const keys = ['simple', 'backstage.io/techdocs-ref', 'a.b-c.d/Name_1.x', 'example.com/x', 'UPPER_case.key']
    for (const key of keys) {
      expect(errorFields(withMetadata({ annotations: { [key]: 'v' }, labels: { [key]: 'v' } })), key).toEqual([])
    }
  })
})

describe('validateEntity: the envelope', () => {
  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'kind: Component'],
    ['a number', 7],
  ])('refuses %s as a document', (_label, input) => {
    expect(validateEntity(input)).toEqual([{ severity: 'error', field: '(document)', message: expect.stringMatching(/mapping/) }])
  })

  it('requires apiVersion', () => {
    const entity = clone('Component')
    delete entity.apiVersion
    expect(errorFields(entity)).toEqual(['apiVersion'])
  })

  it('requires kind', () => {
    const entity = clone('Component')
    delete entity.kind
    expect(errorFields(entity)).toEqual(['kind'])
  })

  it('requires metadata and metadata.name', () => {
    const noMetadata = clone('Component')
    delete noMetadata.metadata
    expect(errorFields(noMetadata)).toEqual(['metadata'])
    expect(errorFields(withMetadata({ name: undefined }))).toEqual(['metadata.name'])
  })

  it('refuses a wrong apiVersion for the kind, naming the accepted ones', () => {
    const entity = clone('Component')
    entity.apiVersion = 'backstage.io/v2'
    const problems = errors(validateEntity(entity))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ field: 'apiVersion', message: expect.stringContaining('backstage.io/v1alpha1') })
  })

  it('refuses the scaffolder apiVersion on a Component, and backstage.io/v1alpha1 on a Template', () => {
    const component = clone('Component')
    component.apiVersion = 'scaffolder.backstage.io/v1beta3'
    expect(errorFields(component)).toEqual(['apiVersion'])
    const template = clone('Template')
    template.apiVersion = 'backstage.io/v1alpha1'
    const problems = errors(validateEntity(template))
    expect(problems).toEqual([expect.objectContaining({ field: 'apiVersion', message: expect.stringContaining('scaffolder.backstage.io/v1beta3') })])
  })

  it('requires the known kind to be spelled exactly', () => {
    const entity = clone('Component')
    entity.kind = 'component'
    expect(errors(validateEntity(entity))).toEqual([expect.objectContaining({ field: 'kind', message: expect.stringContaining('"Component"') })])
  })

  it('keeps an unknown kind with a warning on kind, and no errors', () => {
    const problems = validateEntity({ apiVersion: 'example.com/v1', kind: 'Workflow', metadata: { name: 'deploy' }, spec: { anything: ['goes'] } })
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', field: 'kind', message: expect.stringContaining('Workflow') })])
  })

  it('an unknown kind still needs valid metadata', () => {
    expect(errorFields({ apiVersion: 'example.com/v1', kind: 'Workflow', metadata: { name: '-bad-' } })).toEqual(['metadata.name'])
  })

  it('requires spec for every known kind', () => {
    for (const kind of Object.keys(VALID)) {
      const entity = clone(kind)
      delete entity.spec
      expect(errorFields(entity), kind).toEqual(['spec'])
      entity.spec = ['not', 'a', 'mapping']
      expect(errorFields(entity), kind).toEqual(['spec'])
    }
  })

  it('warns about unknown top-level fields, naming each, without rejecting', () => {
    const entity = { ...clone('Component'), extra: 1, owner: 'team-a' }
    const problems = validateEntity(entity)
    expect(errors(problems)).toEqual([])
    expect(warnings(problems).map((problem) => problem.field).sort()).toEqual(['extra', 'owner'])
  })

  it('accepts relations and status as envelope fields', () => {
    expect(validateEntity({ ...clone('Component'), relations: [], status: { items: [] } })).toEqual([])
  })

  it('warns about unknown metadata fields, naming them', () => {
    const problems = validateEntity(withMetadata({ owner: 'team-a' }))
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', field: 'metadata.owner' })])
  })

  it('warns about unknown spec fields, naming them', () => {
    const problems = validateEntity(withSpec('Component', { apiConsumedBy: ['x'], tier: 1 }))
    expect(errors(problems)).toEqual([])
    expect(warnings(problems).map((problem) => problem.field).sort()).toEqual(['spec.apiConsumedBy', 'spec.tier'])
  })
})

describe('validateEntity: required spec fields of each kind', () => {
  it.each([
    ['Component', 'type'],
    ['Component', 'lifecycle'],
    ['Component', 'owner'],
    ['API', 'type'],
    ['API', 'lifecycle'],
    ['API', 'owner'],
    ['Resource', 'type'],
    ['Resource', 'owner'],
    ['System', 'owner'],
    ['Domain', 'owner'],
    ['Group', 'type'],
    ['Group', 'children'],
    ['Template', 'type'],
  ])('%s without spec.%s is an error naming the field', (kind, field) => {
    const problems = errors(validateEntity(withSpec(kind, { [field]: undefined })))
    expect(problems).toEqual([{ severity: 'error', field: `spec.${field}`, message: 'is required' }])
  })

  it.each([
    ['Component', 'type'],
    ['Component', 'lifecycle'],
    ['Component', 'owner'],
    ['Resource', 'type'],
    ['Group', 'type'],
  ])('%s with an empty spec.%s is an error', (kind, field) => {
    expect(errorFields(withSpec(kind, { [field]: '' }))).toEqual([`spec.${field}`])
  })

  // BUG: validate-entity.ts, specSchemas.Template: `steps` is optional, but Backstage's Template v1beta3 schema has
  // `spec.required: ["type", "steps"]`, so a Template without steps should be rejected with an error on spec.steps.
  it('Template without spec.steps is an error naming the field (Backstage requires type and steps)', () => {
    expect(errorFields(withSpec('Template', { steps: undefined }))).toEqual(['spec.steps'])
  })

  it('Template steps need an action', () => {
    expect(errorFields(withSpec('Template', { steps: [{ id: 'x' }] }))).toEqual(['spec.steps[0].action'])
  })

  it('Template owner is optional', () => {
    expect(validateEntity(withSpec('Template', { owner: undefined }))).toEqual([])
  })

  it('System, Domain and User accept a minimal spec', () => {
    expect(validateEntity(withSpec('System', { domain: undefined, type: undefined }))).toEqual([])
    expect(validateEntity(withSpec('Domain', { subdomainOf: undefined, type: undefined }))).toEqual([])
    expect(validateEntity(withSpec('User', { profile: undefined }))).toEqual([])
  })

  it('a Location without target or targets is an error on spec.target', () => {
    const problems = validateEntity(withSpec('Location', { targets: undefined }))
    expect(problems).toEqual([{ severity: 'error', field: 'spec.target', message: expect.stringContaining('spec.targets') }])
  })

  it('a Location with an unknown presence is an error', () => {
    expect(errorFields(withSpec('Location', { presence: 'sometimes' }))).toEqual(['spec.presence'])
  })

  it('a Location with an empty target string is an error on spec.targets[0]', () => {
    expect(errorFields(withSpec('Location', { targets: [''] }))).toEqual(['spec.targets[0]'])
  })

  it('reference lists must be arrays of non-empty strings, naming the element', () => {
    expect(errorFields(withSpec('Component', { providesApis: ['ok', ''] }))).toEqual(['spec.providesApis[1]'])
    expect(errorFields(withSpec('Group', { children: 'team-b' }))).toEqual(['spec.children'])
    expect(errorFields(withSpec('User', { memberOf: [7] }))).toEqual(['spec.memberOf[0]'])
  })

  // BUG: validate-entity.ts, zodProblems (line 76): zod 4 does not put `input` on issues unless asked
  // (`reportInput`), so `issue.input === undefined` is always true and every invalid_type issue is reported as
  // "is required" — even when the field is present with the wrong type (owner: 42). It should say what was wrong
  // (e.g. "expected string, received number").
  it('a present field of the wrong type is not reported as "is required"', () => {
    const problems = errors(validateEntity(withSpec('Component', { owner: 42 })))
    expect(problems).toHaveLength(1)
    expect(problems[0]!.field).toBe('spec.owner')
    expect(problems[0]!.message).not.toBe('is required')
  })

  it('a present field of the wrong type is an error naming the field', () => {
    expect(errorFields(withSpec('Component', { owner: 42 }))).toEqual(['spec.owner'])
    expect(errorFields(withSpec('Component', { lifecycle: ['production'] }))).toEqual(['spec.lifecycle'])
  })
})

describe('validateEntity: references', () => {
  it('dependsOn without a kind is an error naming spec.dependsOn[0]', () => {
    const problems = errors(validateEntity(withSpec('Component', { dependsOn: ['foo'] })))
    expect(problems).toEqual([{ severity: 'error', field: 'spec.dependsOn[0]', message: expect.stringMatching(/no kind/) }])
  })

  it('dependencyOf without a kind is an error naming its element, on Resources too', () => {
    expect(errorFields(withSpec('Resource', { dependencyOf: ['component:ok', 'bare'] }))).toEqual(['spec.dependencyOf[1]'])
  })

  it('dependsOn with a kind passes', () => {
    expect(validateEntity(withSpec('Component', { dependsOn: ['resource:db', 'Component:ops/auth'] }))).toEqual([])
  })

  it('an unparseable owner reference is an error on spec.owner', () => {
    expect(errorFields(withSpec('Component', { owner: 'group:' }))).toEqual(['spec.owner'])
    expect(errorFields(withSpec('System', { owner: 'group:a/b/c' }))).toEqual(['spec.owner'])
  })
})

describe('validateEntity: metadata formats', () => {
  it.each([
    ['empty', ''],
    ['64 characters', 'x'.repeat(64)],
    ['a leading dash', '-svc'],
    ['a trailing dot', 'svc.'],
    ['a trailing underscore', 'svc_'],
    ['a space', 'my svc'],
    ['a slash', 'a/b'],
    ['a colon', 'a:b'],
    ['non-ASCII letters', 'café'],
  ])('refuses a name with %s', (_label, name) => {
    expect(errorFields(withMetadata({ name }))).toEqual(['metadata.name'])
  })

  it('refuses a name that is not a string', () => {
    expect(errorFields(withMetadata({ name: 12 }))).toEqual(['metadata.name'])
  })

  it.each([
    ['upper case', 'Shop'],
    ['a dot', 'shop.eu'],
    ['an underscore', 'shop_eu'],
    ['a leading dash', '-shop'],
    ['a trailing dash', 'shop-'],
    ['64 characters', 'x'.repeat(64)],
    ['empty', ''],
  ])('refuses a namespace with %s', (_label, namespace) => {
    expect(errorFields(withMetadata({ namespace }))).toEqual(['metadata.namespace'])
  })

  it.each([
    ['upper case', 'Java'],
    ['a double dash', 'web--app'],
    ['a leading dash', '-web'],
    ['a trailing dash', 'web-'],
    ['a space', 'web app'],
    ['a dot', 'node.js'],
    ['an underscore', 'web_app'],
    ['64 characters', 'x'.repeat(64)],
    ['empty', ''],
  ])('refuses a tag with %s, naming its index', (_label, tag) => {
    expect(errorFields(withMetadata({ tags: ['ok', tag] }))).toEqual(['metadata.tags[1]'])
  })

  it('tag problems explain the allowed format', () => {
    const [problem] = errors(validateEntity(withMetadata({ tags: ['Bad'] })))
    expect(problem).toMatchObject({ field: 'metadata.tags[0]', message: expect.stringMatching(/lower-case/) })
  })

  it.each([
    ['an upper-case prefix', 'Example.com/x'],
    ['two slashes', 'a/b/c'],
    ['an empty prefix', '/name'],
    ['an empty name', 'example.com/'],
    ['a name starting with a dash', 'example.com/-x'],
    ['a name with a space', 'my key'],
    ['a 64-character name', `example.com/${'x'.repeat(64)}`],
    ['a prefix with an underscore', 'ex_ample.com/x'],
    ['a prefix with an empty label', 'example..com/x'],
    ['a 254-character prefix', `${'a.'.repeat(126)}ab/x`],
  ])('refuses an annotation key with %s, naming the key', (_label, key) => {
    expect(errorFields(withMetadata({ annotations: { [key]: 'v' } }))).toEqual([`metadata.annotations.${key}`])
  })

  it('refuses a bad label key, naming the key', () => {
    expect(errorFields(withMetadata({ labels: { 'Bad/key': 'v' } }))).toEqual(['metadata.labels.Bad/key'])
  })

  // BUG: validate-entity.ts, metadataKey: zod 4 reports a failed record-key refinement as "Invalid key in record",
  // so the intended message ("must be [prefix/]name, where prefix is a DNS subdomain ...") never reaches the author.
  it('explains the key format when an annotation key is invalid', () => {
    const [problem] = errors(validateEntity(withMetadata({ annotations: { 'a/b/c': 'v' } })))
    expect(problem!.message).toMatch(/prefix/)
  })

  it('refuses label values longer than 63 characters, and non-string annotation values', () => {
    expect(errorFields(withMetadata({ labels: { tier: 'x'.repeat(64) } }))).toEqual(['metadata.labels.tier'])
    expect(errorFields(withMetadata({ annotations: { 'example.com/n': 5 } }))).toEqual(['metadata.annotations.example.com/n'])
  })

  // BUG: validate-entity.ts, metadataSchema.labels: label values are only length-checked; Backstage
  // (isValidLabelValue) requires a label value to be empty or of the object-name format
  // ([A-Za-z0-9] at both ends, [-A-Za-z0-9_.] inside), so `tier: "gold plated!"` should be an error.
  it('refuses label values outside Backstage\'s label-value format', () => {
    expect(errorFields(withMetadata({ labels: { tier: 'gold plated!' } }))).toEqual(['metadata.labels.tier'])
  })

  it('links need a url, naming the index', () => {
    expect(errorFields(withMetadata({ links: [{ url: 'https://ok' }, { title: 'no url' }] }))).toEqual(['metadata.links[1].url'])
  })

  it('an empty title is an error', () => {
    expect(errorFields(withMetadata({ title: '' }))).toEqual(['metadata.title'])
  })

  it('reports every problem at once, each with its own field', () => {
    const entity = withMetadata({ name: '-x', namespace: 'Shop', tags: ['ok', 'Bad'] })
    delete (entity.spec as Json).lifecycle
    expect(errorFields(entity).sort()).toEqual(['metadata.name', 'metadata.namespace', 'metadata.tags[1]', 'spec.lifecycle'])
  })
})
