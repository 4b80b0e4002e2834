import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { DemoOrg } from './demo-org.ts';
import { generateDemoOrg } from './generate-demo-org.ts';

type ParsedEntity = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    tags?: string[];
    annotations?: Record<string, string>;
    links?: Array<{ url: string }>;
  };
  spec?: Record<string, unknown>;
};

type ParsedOrg = { org: DemoOrg; entities: ParsedEntity[]; entitiesByFile: Map<string, ParsedEntity[]>; byReference: Map<string, ParsedEntity> };

const namePattern = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const tagPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const knownKinds = new Set(['Location', 'Group', 'User', 'Domain', 'System', 'Component', 'API', 'Resource']);

/** Which spec fields hold entity references, and the kind Backstage assumes when a reference has none. */
const referenceFields: Record<string, Record<string, string | undefined>> = {
  Component: { owner: 'group', system: 'system', providesApis: 'api', consumesApis: 'api', dependsOn: undefined },
  API: { owner: 'group', system: 'system' },
  Resource: { owner: 'group', system: 'system', dependsOn: undefined },
  System: { owner: 'group', domain: 'domain' },
  Domain: { owner: 'group' },
  Group: { parent: 'group', children: 'group', members: 'user' },
  User: { memberOf: 'group' },
};

/** Parses `[kind:][namespace/]name` into a canonical `kind:namespace/name` key. */
function referenceKey(reference: string, defaultKind: string | undefined): string {
  const colon = reference.indexOf(':');
  const kind = colon >= 0 ? reference.slice(0, colon) : defaultKind;
  if (!kind) throw new Error(`Reference "${reference}" needs an explicit kind`);
  const rest = colon >= 0 ? reference.slice(colon + 1) : reference;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : 'default';
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  return `${kind.toLowerCase()}:${namespace.toLowerCase()}/${name.toLowerCase()}`;
}

function entityKey(entity: ParsedEntity): string {
  return `${entity.kind.toLowerCase()}:${(entity.metadata.namespace ?? 'default').toLowerCase()}/${entity.metadata.name.toLowerCase()}`;
}

function referencesOf(entity: ParsedEntity): Array<{ field: string; key: string }> {
  const fields = referenceFields[entity.kind] ?? {};
  const references: Array<{ field: string; key: string }> = [];
  for (const [field, defaultKind] of Object.entries(fields)) {
    const value = entity.spec?.[field];
    if (value === undefined) continue;
    for (const reference of Array.isArray(value) ? value : [value]) {
      references.push({ field, key: referenceKey(String(reference), defaultKind) });
    }
  }
  return references;
}

function parseOrg(org: DemoOrg): ParsedOrg {
  const entities: ParsedEntity[] = [];
  const entitiesByFile = new Map<string, ParsedEntity[]>();
  for (const file of org.files) {
    if (!file.path.endsWith('.yaml')) continue;
    const fileEntities: ParsedEntity[] = [];
    for (const document of parseAllDocuments(file.content)) {
      if (document.errors.length > 0 || document.warnings.length > 0) {
        throw new Error(`${file.path}: ${[...document.errors, ...document.warnings].map(error => error.message).join('; ')}`);
      }
      fileEntities.push(document.toJS() as ParsedEntity);
    }
    entitiesByFile.set(file.path, fileEntities);
    entities.push(...fileEntities);
  }
  const byReference = new Map<string, ParsedEntity>();
  for (const entity of entities) byReference.set(entityKey(entity), entity);
  return { org, entities, entitiesByFile, byReference };
}

/** Component → provider of each consumed API, and dependsOn targets. Returns one cycle if any. */
function findDependencyCycle(parsed: ParsedOrg): string[] | undefined {
  const providerOfApi = new Map<string, string>();
  for (const entity of parsed.entities) {
    for (const api of (entity.spec?.providesApis as string[] | undefined) ?? []) providerOfApi.set(referenceKey(api, 'api'), entityKey(entity));
  }
  const edges = new Map<string, string[]>();
  for (const entity of parsed.entities) {
    const targets: string[] = [];
    for (const api of (entity.spec?.consumesApis as string[] | undefined) ?? []) {
      const provider = providerOfApi.get(referenceKey(api, 'api'));
      if (provider) targets.push(provider);
    }
    for (const reference of (entity.spec?.dependsOn as string[] | undefined) ?? []) targets.push(referenceKey(reference, undefined));
    edges.set(entityKey(entity), targets);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const targets = edges.get(frame.node) ?? [];
      if (frame.next >= targets.length) {
        state.set(frame.node, 'done');
        stack.pop();
        continue;
      }
      const target = targets[frame.next++];
      if (state.get(target) === 'visiting') return [...stack.map(item => item.node), target];
      if (!state.has(target)) {
        state.set(target, 'visiting');
        stack.push({ node: target, next: 0 });
      }
    }
  }
  return undefined;
}

function countByKind(entities: ParsedEntity[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entity of entities) counts[entity.kind] = (counts[entity.kind] ?? 0) + 1;
  return counts;
}

/** Checks every organisation, default or scaled, must pass. */
function expectWellFormed(parsed: ParsedOrg): void {
  const { org, entities, byReference } = parsed;
  expect(entities.length).toBe(org.entityCount);
  expect(byReference.size).toBe(entities.length);

  for (const entity of entities) {
    expect(entity.apiVersion).toBe('backstage.io/v1alpha1');
    expect(knownKinds.has(entity.kind), entity.kind).toBe(true);
    expect(entity.metadata.name, `${entity.kind} name`).toMatch(namePattern);
    for (const tag of entity.metadata.tags ?? []) expect(tag, `${entity.metadata.name} tag`).toMatch(tagPattern);
  }

  const unresolved: string[] = [];
  for (const entity of entities) {
    for (const { field, key } of referencesOf(entity)) {
      if (!byReference.has(key)) unresolved.push(`${entityKey(entity)} ${field} → ${key}`);
    }
  }
  expect(unresolved).toEqual([]);

  for (const entity of entities) {
    const spec = entity.spec ?? {};
    if (entity.kind === 'Component' || entity.kind === 'API') {
      expect(typeof spec.type).toBe('string');
      expect(['production', 'experimental', 'deprecated']).toContain(spec.lifecycle);
      expect(typeof spec.owner).toBe('string');
    }
    if (entity.kind === 'API') {
      expect(['openapi', 'grpc', 'asyncapi']).toContain(spec.type);
      expect(typeof spec.definition).toBe('string');
      const definition = spec.definition as string;
      if (spec.type === 'grpc') {
        expect(definition).toContain('syntax = "proto3";');
      } else {
        const parsedDefinition = parse(definition) as Record<string, unknown>;
        expect(parsedDefinition[spec.type === 'openapi' ? 'paths' : 'channels'], entity.metadata.name).toBeTypeOf('object');
      }
    }
    if (entity.kind === 'Group') {
      const profile = spec.profile as { displayName: string; email: string };
      expect(profile.email).toMatch(/@/);
      expect(Array.isArray(spec.children)).toBe(true);
      expect(entity.metadata.annotations?.['slack.com/channel-name']).toMatch(/^#[a-z0-9-]+$/);
    }
  }

  // Group hierarchy: parent and children agree, and members agree with memberOf.
  const groups = entities.filter(entity => entity.kind === 'Group');
  const roots = groups.filter(group => group.spec?.parent === undefined);
  expect(roots.map(group => group.metadata.name)).toEqual(['acme']);
  for (const group of groups) {
    const parent = group.spec?.parent as string | undefined;
    if (parent !== undefined) {
      const parentGroup = byReference.get(referenceKey(parent, 'group'))!;
      expect(parentGroup.spec?.children as string[]).toContain(group.metadata.name);
    }
    for (const child of group.spec?.children as string[]) {
      expect(byReference.get(referenceKey(child, 'group'))!.spec?.parent).toBe(group.metadata.name);
    }
    for (const member of (group.spec?.members as string[] | undefined) ?? []) {
      expect(byReference.get(referenceKey(member, 'user'))!.spec?.memberOf as string[]).toContain(group.metadata.name);
    }
  }

  // Users: profile, e-mail annotation and unique Slack ids.
  const users = entities.filter(entity => entity.kind === 'User');
  const slackIds = new Set<string>();
  for (const user of users) {
    const profile = user.spec?.profile as { displayName: string; email: string };
    expect(profile.displayName.length).toBeGreaterThan(0);
    expect(user.metadata.annotations?.['microsoft.com/email']).toBe(profile.email);
    const slackId = user.metadata.annotations?.['slack.com/user-id'];
    expect(slackId).toMatch(/^U0[A-Z0-9]{7}$/);
    slackIds.add(slackId!);
    for (const group of user.spec?.memberOf as string[]) {
      const members = byReference.get(referenceKey(group, 'group'))!.spec?.members as string[] | undefined;
      if (members) expect(members).toContain(user.metadata.name);
    }
  }
  expect(slackIds.size).toBe(users.length);

  expect(findDependencyCycle(parsed)).toBeUndefined();

  // The root Location lists every other YAML file, and nothing else.
  const locations = entities.filter(entity => entity.kind === 'Location');
  expect(locations).toHaveLength(1);
  expect(parsed.entitiesByFile.get('catalog-info.yaml')).toEqual(locations);
  const targets = (locations[0].spec?.targets as string[]).slice().sort();
  const yamlFiles = org.files
    .map(file => file.path)
    .filter(path => path.endsWith('.yaml') && path !== 'catalog-info.yaml')
    .map(path => `./${path}`)
    .sort();
  expect(targets).toEqual(yamlFiles);
  expect(new Set(org.files.map(file => file.path)).size).toBe(org.files.length);
  for (const file of org.files) expect(file.path).toMatch(/^[a-z0-9][a-z0-9._/-]*$/);
}

const defaultOrg = parseOrg(generateDemoOrg());

describe('generateDemoOrg (default organisation)', () => {
  it('is deterministic for a seed and varies between seeds', () => {
    expect(generateDemoOrg()).toEqual(defaultOrg.org);
    expect(generateDemoOrg({ seed: 42 })).toEqual(defaultOrg.org);
    expect(generateDemoOrg({ seed: 7 })).toEqual(generateDemoOrg({ seed: 7 }));
    expect(generateDemoOrg({ seed: 7 })).not.toEqual(defaultOrg.org);
  });

  it('produces well-formed, fully resolvable, acyclic entities', () => {
    expectWellFormed(defaultOrg);
  });

  it('has the expected shape', () => {
    const counts = countByKind(defaultOrg.entities);
    expect(counts.Domain).toBe(5);
    expect(counts.System).toBe(12);
    expect(counts.Component).toBeGreaterThanOrEqual(55);
    expect(counts.Component).toBeLessThanOrEqual(65);
    expect(counts.API).toBeGreaterThanOrEqual(counts.Component - 10);
    expect(counts.Resource).toBeGreaterThanOrEqual(30);
    expect(counts.User).toBeGreaterThanOrEqual(35);
    expect(counts.User).toBeLessThanOrEqual(50);
    const teams = defaultOrg.entities.filter(entity => entity.kind === 'Group' && entity.spec?.type === 'team');
    expect(teams.length).toBeGreaterThanOrEqual(8);
    expect(teams.length).toBeLessThanOrEqual(12);

    const components = defaultOrg.entities.filter(entity => entity.kind === 'Component');
    const componentNames = components.map(component => component.metadata.name);
    for (const name of ['checkout-api', 'cart-service', 'payments-api', 'search-service', 'search-indexer', 'inventory-service', 'user-service', 'auth-service', 'notification-service', 'recommendation-service', 'pricing-service', 'order-service', 'shipping-service', 'web-storefront', 'mobile-bff']) {
      expect(componentNames).toContain(name);
    }
    expect(new Set(components.map(component => component.spec?.type))).toEqual(new Set(['service', 'website', 'library']));
    expect(new Set(components.map(component => component.spec?.lifecycle))).toEqual(new Set(['production', 'experimental', 'deprecated']));
    expect(new Set(defaultOrg.entities.filter(entity => entity.kind === 'API').map(api => api.spec?.type))).toEqual(new Set(['openapi', 'grpc', 'asyncapi']));

    const paymentsDatabase = defaultOrg.byReference.get('resource:default/payments-db');
    expect(paymentsDatabase?.spec?.type).toBe('database');
    const resourceTypes = new Set(defaultOrg.entities.filter(entity => entity.kind === 'Resource').map(resource => resource.spec?.type));
    for (const type of ['database', 'queue', 'cache', 'bucket']) expect(resourceTypes).toContain(type);

    const cart = defaultOrg.byReference.get('component:default/cart-service')!;
    expect(cart.metadata.annotations?.['next-portal.io/aliases']?.split(/,\s*/)).toContain('basket');
    expect(cart.metadata.annotations?.['next-portal.io/tier']).toBe('1');
    expect(cart.spec?.owner).toBe('group:team-checkout');
    expect(components.filter(component => component.metadata.annotations?.['next-portal.io/tier'] === '1').length).toBeGreaterThanOrEqual(5);
  });

  it('wires a plausible storefront → checkout → cart → pricing chain', () => {
    const consumes = (name: string): string[] => defaultOrg.byReference.get(`component:default/${name}`)!.spec?.consumesApis as string[];
    expect(consumes('web-storefront')).toContain('checkout-rest-api');
    expect(defaultOrg.byReference.get('component:default/checkout-api')!.spec?.providesApis).toContain('checkout-rest-api');
    expect(consumes('checkout-api')).toEqual(expect.arrayContaining(['cart-api', 'payments-rest-api', 'pricing-api']));
    expect(consumes('cart-service')).toContain('pricing-api');
    expect(defaultOrg.byReference.get('component:default/payments-api')!.spec?.dependsOn).toContain('resource:payments-db');
  });

  it('gives every component a docs page naming its owner, APIs and dependencies', () => {
    const pages = new Map(defaultOrg.org.files.filter(file => file.path.endsWith('.md')).map(file => [file.path, file.content]));
    for (const component of defaultOrg.entities.filter(entity => entity.kind === 'Component')) {
      const name = component.metadata.name;
      expect(component.metadata.annotations?.['backstage.io/techdocs-ref']).toBe('dir:.');
      expect(defaultOrg.entitiesByFile.get(`services/${name}/catalog-info.yaml`)?.[0]).toEqual(component);
      const page = pages.get(`services/${name}/docs/index.md`);
      expect(page, name).toBeDefined();
      expect(page).toContain(`# ${component.metadata.title}`);
      for (const heading of ['## Overview', '## Architecture', '## API', '## Dependencies', '## On-call and runbook']) expect(page).toContain(heading);
      expect(page).toContain(String(component.spec?.owner));
      for (const api of [...((component.spec?.providesApis as string[]) ?? []), ...((component.spec?.consumesApis as string[]) ?? [])]) expect(page).toContain(api);
    }
  });
});

describe('generateDemoOrg (scaled)', () => {
  const scaled = parseOrg(generateDemoOrg({ scale: 5000 }));

  it('is deterministic for a seed and varies between seeds', () => {
    expect(generateDemoOrg({ scale: 5000 })).toEqual(scaled.org);
    expect(generateDemoOrg({ scale: 500, seed: 3 })).toEqual(generateDemoOrg({ scale: 500, seed: 3 }));
    expect(generateDemoOrg({ scale: 500, seed: 3 })).not.toEqual(generateDemoOrg({ scale: 500, seed: 4 }));
  });

  it('produces about the requested number of entities in the default proportions', () => {
    expect(Math.abs(scaled.org.entityCount - 5000)).toBeLessThanOrEqual(500);
    const counts = countByKind(scaled.entities);
    const share = (kind: string): number => (counts[kind] ?? 0) / scaled.entities.length;
    expect(share('Component')).toBeCloseTo(0.5, 1);
    expect(share('API')).toBeCloseTo(0.25, 1);
    expect(share('User')).toBeCloseTo(0.1, 1);
    expect(share('Resource')).toBeCloseTo(0.1, 1);
    expect(share('Group')).toBeCloseTo(0.02, 1);
    expect(counts.System).toBeGreaterThan(0);
    expect(counts.Domain).toBeGreaterThan(0);
  });

  it('produces well-formed, fully resolvable, acyclic entities', () => {
    expectWellFormed(scaled);
  });

  it('keeps files at most 1000 entities and documents only a few services', () => {
    for (const [path, entities] of scaled.entitiesByFile) expect(entities.length, path).toBeLessThanOrEqual(1000);
    const pages = scaled.org.files.filter(file => file.path.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.length).toBeLessThanOrEqual(5);
  });

  it('works for tiny and odd scales', () => {
    for (const scale of [1, 10, 37, 120]) {
      const parsed = parseOrg(generateDemoOrg({ scale, seed: scale }));
      expectWellFormed(parsed);
      expect(Math.abs(parsed.org.entityCount - scale)).toBeLessThanOrEqual(Math.max(10, scale * 0.1));
    }
  });
});
