import { describe, expect, it } from 'vitest'
import { InputError } from '../../core/errors.ts'
import { DEFAULT_NAMESPACE, normalizeEntityRef, parseEntityRef, stringifyEntityRef } from './entity-ref.ts'

describe('parseEntityRef', () => {
  it('reads a full kind:namespace/name reference, keeping its case', () => {
    expect(parseEntityRef('Component:Payments/Checkout-API')).toEqual({ kind: 'Component', namespace: 'Payments', name: 'Checkout-API' })
  })

  it('reads kind:name with the namespace defaulting to "default"', () => {
    expect(DEFAULT_NAMESPACE).toBe('default')
    expect(parseEntityRef('group:team-a')).toEqual({ kind: 'group', namespace: 'default', name: 'team-a' })
  })

  it('uses the given default namespace (the referring entity\'s) when the reference has none', () => {
    expect(parseEntityRef('group:team-a', { defaultNamespace: 'payments' })).toEqual({ kind: 'group', namespace: 'payments', name: 'team-a' })
    expect(parseEntityRef('team-a', { defaultKind: 'Group', defaultNamespace: 'payments' })).toEqual({ kind: 'Group', namespace: 'payments', name: 'team-a' })
  })

  it('lets an explicit namespace win over the default namespace', () => {
    expect(parseEntityRef('group:ops/team-a', { defaultNamespace: 'payments' })).toEqual({ kind: 'group', namespace: 'ops', name: 'team-a' })
    expect(parseEntityRef('ops/team-a', { defaultKind: 'Group', defaultNamespace: 'payments' })).toEqual({ kind: 'Group', namespace: 'ops', name: 'team-a' })
  })

  it('uses the default kind only when the reference names none', () => {
    expect(parseEntityRef('team-a', { defaultKind: 'Group' })).toEqual({ kind: 'Group', namespace: 'default', name: 'team-a' })
    expect(parseEntityRef('user:jdoe', { defaultKind: 'Group' })).toEqual({ kind: 'user', namespace: 'default', name: 'jdoe' })
  })

  it('treats an explicit undefined default namespace as "default"', () => {
    expect(parseEntityRef('user:jdoe', { defaultNamespace: undefined })).toEqual({ kind: 'user', namespace: 'default', name: 'jdoe' })
  })

  it('reads a colon after the namespace separator as part of the name, as Backstage does', () => {
    expect(parseEntityRef('ops/team:a', { defaultKind: 'Group' })).toEqual({ kind: 'Group', namespace: 'ops', name: 'team:a' })
    expect(parseEntityRef('component:ops/team:a')).toEqual({ kind: 'component', namespace: 'ops', name: 'team:a' })
  })

  it('trims surrounding whitespace', () => {
    expect(parseEntityRef('  component:default/svc \n')).toEqual({ kind: 'component', namespace: 'default', name: 'svc' })
  })

  it('refuses a reference with no kind when no default kind is implied, suggesting how to write it', () => {
    expect(() => parseEntityRef('foo')).toThrow(InputError)
    expect(() => parseEntityRef('foo')).toThrow(/no kind.*component:foo/)
    expect(() => parseEntityRef('ops/foo')).toThrow(/no kind/)
  })

  it.each([
    ['an empty string', ''],
    ['whitespace only', '   '],
  ])('refuses %s', (_label, ref) => {
    expect(() => parseEntityRef(ref, { defaultKind: 'Group' })).toThrow(InputError)
    expect(() => parseEntityRef(ref, { defaultKind: 'Group' })).toThrow(/non-empty string/)
  })

  it('refuses a value that is not a string', () => {
    expect(() => parseEntityRef(42 as unknown as string, { defaultKind: 'Group' })).toThrow(InputError)
    expect(() => parseEntityRef(undefined as unknown as string, { defaultKind: 'Group' })).toThrow(InputError)
  })

  it.each([
    ['an empty kind', ':foo'],
    ['an empty namespace', 'component:/foo'],
    ['an empty name after the namespace', 'component:default/'],
    ['an empty name after the kind', 'component:'],
    ['a name containing a slash', 'component:a/b/c'],
  ])('refuses %s', (_label, ref) => {
    expect(() => parseEntityRef(ref, { defaultKind: 'Group' })).toThrow(InputError)
  })

  it('refuses a bare empty namespace even with defaults', () => {
    expect(() => parseEntityRef('/foo', { defaultKind: 'Group', defaultNamespace: 'ops' })).toThrow(/\[kind:\]\[namespace\/\]name/)
  })
})

describe('stringifyEntityRef', () => {
  it('prints the canonical lower-case kind:namespace/name', () => {
    expect(stringifyEntityRef({ kind: 'Component', namespace: 'Payments', name: 'Checkout-API' })).toBe('component:payments/checkout-api')
  })

  it('round-trips with parseEntityRef', () => {
    const ref = 'api:ops/orders.v2_internal'
    expect(stringifyEntityRef(parseEntityRef(ref))).toBe(ref)
  })
})

describe('normalizeEntityRef', () => {
  it('makes references that differ only in case or implied parts compare equal', () => {
    const forms = ['Group:default/Team-A', 'group:team-a', 'GROUP:DEFAULT/TEAM-A', 'team-a']
    const normalized = forms.map((form) => normalizeEntityRef(form, { defaultKind: 'Group' }))
    expect(new Set(normalized)).toEqual(new Set(['group:default/team-a']))
  })

  it('applies the default kind and namespace of the context', () => {
    expect(normalizeEntityRef('Team-A', { defaultKind: 'Group', defaultNamespace: 'ops' })).toBe('group:ops/team-a')
    expect(normalizeEntityRef('user:JDoe', { defaultKind: 'Group', defaultNamespace: 'ops' })).toBe('user:ops/jdoe')
  })

  it('does not merge references in different namespaces', () => {
    expect(normalizeEntityRef('group:ops/team-a')).not.toBe(normalizeEntityRef('group:default/team-a'))
  })

  it('propagates parse errors', () => {
    expect(() => normalizeEntityRef('no-kind')).toThrow(InputError)
  })
})
