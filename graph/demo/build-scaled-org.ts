import type { CatalogEntity, DemoFile, DemoOrg } from './demo-org.ts';
import type { ApiType } from './default-org-blueprint.ts';
import { apiDefinition } from './api-definition.ts';
import { personNames } from './person-names.ts';
import { scaleVocabulary } from './scale-vocabulary.ts';
import { createSeededRandom } from './seeded-random.ts';
import { serviceDocsPage } from './service-docs-page.ts';
import { stableIdentifier } from './stable-identifier.ts';
import { titleCase } from './title-case.ts';
import { toYamlDocument, toYamlStream } from './to-yaml-document.ts';

const apiVersion = 'backstage.io/v1alpha1';
const emailDomain = 'acme.example.com';
const entitiesPerFile = 1000;
/** Components only consume APIs of, and depend on, components at most this many positions earlier. */
const dependencyWindow = 200;
const documentedServices = 3;

/** How many entities of each kind make up an organisation of about `scale` entities. */
export function scaledOrgCounts(options: { scale: number }): {
  domains: number; systems: number; departments: number; teams: number; users: number; resources: number; apis: number; components: number;
} {
  const scale = options.scale;
  const domains = Math.max(1, Math.round(scale * 0.003));
  const systems = Math.max(1, Math.round(scale * 0.025));
  const groups = Math.max(3, Math.round(scale * 0.02));
  const departments = Math.max(1, Math.round((groups - 1) / 10));
  const teams = Math.max(1, groups - 1 - departments);
  const users = Math.max(departments + 1, Math.round(scale * 0.1));
  const resources = Math.max(1, Math.round(scale * 0.1));
  const apis = Math.max(1, Math.round(scale * 0.25));
  // One entity is the root Location.
  const components = Math.max(1, scale - 1 - domains - systems - 1 - departments - teams - users - resources - apis);
  return { domains, systems, departments, teams, users, resources, apis, components };
}

/** Collects entities into numbered multi-document files of at most `entitiesPerFile`. */
function chunkedFiles(options: { directory: string; prefix: string; files: DemoFile[] }): { add: (entity: CatalogEntity) => void; flush: () => void } {
  // Documents are joined once per file: `join` produces one flat string instead of a deep rope.
  let documents: string[] = [];
  let fileNumber = 0;
  const flush = (): void => {
    if (documents.length === 0) return;
    fileNumber += 1;
    options.files.push({ path: `${options.directory}/${options.prefix}-${String(fileNumber).padStart(4, '0')}.yaml`, content: documents.join('') });
    documents = [];
  };
  const add = (entity: CatalogEntity): void => {
    documents.push(`---\n${toYamlDocument(entity)}`);
    if (documents.length >= entitiesPerFile) flush();
  };
  return { add, flush };
}

/**
 * The `occurrence`-th entity of a stem among `total` entities whose stems cycle
 * through `stems` names; falls back to any entity when there are fewer than `stems`.
 */
function matchingIndex(options: { stem: number; stems: number; occurrence: number; total: number }): number {
  const rounds = Math.floor(options.total / options.stems);
  if (rounds === 0) return (options.occurrence * options.stems + options.stem) % options.total;
  return options.stem + options.stems * (options.occurrence % rounds);
}

function spread(index: number, count: number, total: number): number {
  return Math.min(total - 1, Math.floor((index * total) / count));
}

/** Builds about `scale` entities with the default organisation's shape and proportions. */
export function buildScaledOrg(options: { seed: number; scale: number }): DemoOrg {
  const random = createSeededRandom({ seed: options.seed });
  const counts = scaledOrgCounts({ scale: options.scale });
  const vocabulary = scaleVocabulary;
  const files: DemoFile[] = [];
  let entityCount = 0;

  // --- Structure -------------------------------------------------------------
  // Names are a vocabulary stem plus the entity's 1-based index. Teams, systems and
  // domains share stems (system "checkout-7" is owned by a "team-checkout-*" in a
  // "commerce-*" domain) whenever there are enough of them to go round.
  const systemStems = vocabulary.systems;
  const domainStemIndex = (name: string): number => vocabulary.domains.findIndex(domain => domain.name === name);
  const departmentStemIndex = (name: string): number => (vocabulary.departments as readonly string[]).indexOf(name);
  const departmentNames = Array.from({ length: counts.departments }, (_, index) => `${vocabulary.departments[index % vocabulary.departments.length]}-engineering-${index + 1}`);
  const teamNames = Array.from({ length: counts.teams }, (_, index) => `team-${systemStems[index % systemStems.length].team}-${index + 1}`);
  const domainNames = Array.from({ length: counts.domains }, (_, index) => `${vocabulary.domains[index % vocabulary.domains.length].name}-${index + 1}`);
  const systemNames = Array.from({ length: counts.systems }, (_, index) => `${systemStems[index % systemStems.length].name}-${index + 1}`);
  const systemTitles = systemNames.map(name => titleCase(name));
  const systemNouns = (system: number): readonly string[] => systemStems[system % systemStems.length].nouns;
  const teamOf = (system: number): number =>
    matchingIndex({ stem: system % systemStems.length, stems: systemStems.length, occurrence: Math.floor(system / systemStems.length), total: counts.teams });
  const domainOf = (system: number): number =>
    matchingIndex({
      stem: domainStemIndex(systemStems[system % systemStems.length].domain),
      stems: vocabulary.domains.length,
      occurrence: Math.floor(system / systemStems.length),
      total: counts.domains,
    });
  const departmentOfTeam = (team: number): number =>
    matchingIndex({
      stem: departmentStemIndex(vocabulary.domains[domainStemIndex(systemStems[team % systemStems.length].domain)].department),
      stems: vocabulary.departments.length,
      occurrence: Math.floor(team / systemStems.length),
      total: counts.departments,
    });
  const departmentOfDomain = (domain: number): number =>
    matchingIndex({
      stem: departmentStemIndex(vocabulary.domains[domain % vocabulary.domains.length].department),
      stems: vocabulary.departments.length,
      occurrence: Math.floor(domain / vocabulary.domains.length),
      total: counts.departments,
    });
  const systemOwner = (system: number): string => teamNames[teamOf(system)];
  const teamParents = teamNames.map((_, team) => departmentOfTeam(team));
  const people = Array.from({ length: counts.users }, (_, index) => {
    const first = random.pick(personNames.first);
    const last = random.pick(personNames.last);
    const name = `${first}.${last}-${index + 1}`.toLowerCase();
    const group = index < counts.departments ? departmentNames[index] : teamNames[(index - counts.departments) % counts.teams];
    return { name, displayName: `${first} ${last}`, group };
  });
  const membersByGroup = new Map<string, string[]>();
  for (const person of people) {
    const members = membersByGroup.get(person.group);
    if (members) members.push(person.name);
    else membersByGroup.set(person.group, [person.name]);
  }

  // --- Groups -----------------------------------------------------------------
  const groupFiles = chunkedFiles({ directory: 'org', prefix: 'groups', files });
  const group = (name: string, type: string, parent: string | undefined, children: string[]): CatalogEntity => ({
    apiVersion,
    kind: 'Group',
    metadata: { name, title: titleCase(name), annotations: { 'slack.com/channel-name': `#${name}` } },
    spec: {
      type,
      profile: { displayName: titleCase(name), email: `${name}@${emailDomain}` },
      parent,
      children,
      members: membersByGroup.get(name) ?? [],
    },
  });
  groupFiles.add(group('acme', 'organization', undefined, departmentNames));
  const departmentChildren: string[][] = departmentNames.map(() => []);
  teamNames.forEach((team, teamIndex) => departmentChildren[teamParents[teamIndex]].push(team));
  departmentNames.forEach((department, departmentIndex) => groupFiles.add(group(department, 'department', 'acme', departmentChildren[departmentIndex])));
  teamNames.forEach((team, teamIndex) => groupFiles.add(group(team, 'team', departmentNames[teamParents[teamIndex]], [])));
  groupFiles.flush();
  entityCount += 1 + counts.departments + counts.teams;

  // --- Users ------------------------------------------------------------------
  const userFiles = chunkedFiles({ directory: 'org', prefix: 'users', files });
  people.forEach((person, index) => {
    const email = `${person.name}@${emailDomain}`;
    userFiles.add({
      apiVersion,
      kind: 'User',
      metadata: {
        name: person.name,
        annotations: {
          'slack.com/user-id': stableIdentifier({ prefix: 'U0', index, seed: options.seed, length: 7 }),
          'microsoft.com/email': email,
        },
      },
      spec: { profile: { displayName: person.displayName, email }, memberOf: [person.group] },
    });
  });
  userFiles.flush();
  entityCount += counts.users;

  // --- Domains and systems ----------------------------------------------------
  const domainFiles = chunkedFiles({ directory: 'domains', prefix: 'domains', files });
  domainNames.forEach((name, index) =>
    domainFiles.add({
      apiVersion,
      kind: 'Domain',
      metadata: { name, title: titleCase(name), description: `The ${titleCase(name)} business domain.` },
      spec: { owner: `group:${departmentNames[departmentOfDomain(index)]}` },
    }),
  );
  domainFiles.flush();
  const systemFiles = chunkedFiles({ directory: 'systems', prefix: 'systems', files });
  systemNames.forEach((name, index) =>
    systemFiles.add({
      apiVersion,
      kind: 'System',
      metadata: { name, title: systemTitles[index], description: `The ${systemTitles[index]} system.` },
      spec: { owner: `group:${systemOwner(index)}`, domain: domainNames[domainOf(index)] },
    }),
  );
  systemFiles.flush();
  entityCount += counts.domains + counts.systems;

  // --- Resources ----------------------------------------------------------------
  const resourceFiles = chunkedFiles({ directory: 'resources', prefix: 'resources', files });
  const resourceNames: string[] = new Array(counts.resources);
  const resourceDetails: Array<{ type: string; engine: string }> = new Array(counts.resources);
  for (let index = 0; index < counts.resources; index++) {
    const roll = random.next();
    const kind = vocabulary.resources[roll < 0.4 ? 0 : roll < 0.65 ? 1 : roll < 0.85 ? 2 : 3];
    const engine = random.pick(kind.engines);
    const system = spread(index, counts.resources, counts.systems);
    const noun = random.pick(systemNouns(system));
    const name = `${noun}-${kind.suffix}-${index + 1}`;
    resourceNames[index] = name;
    resourceDetails[index] = { type: kind.type, engine };
    resourceFiles.add({
      apiVersion,
      kind: 'Resource',
      metadata: { name, description: `${titleCase(engine)} ${kind.type} for ${noun} data.`, tags: [engine, kind.type] },
      spec: { type: kind.type, owner: `group:${systemOwner(system)}`, system: systemNames[system] },
    });
  }
  resourceFiles.flush();
  entityCount += counts.resources;

  // --- Components and APIs --------------------------------------------------------
  const componentFiles = chunkedFiles({ directory: 'components', prefix: 'components', files });
  const apiFiles = chunkedFiles({ directory: 'apis', prefix: 'apis', files });
  const componentTypes: string[] = new Array(counts.components);
  for (let index = 0; index < counts.components; index++) {
    const slot = index % 10;
    componentTypes[index] = slot < 7 ? 'service' : slot < 9 ? 'library' : 'website';
  }
  const serviceCount = componentTypes.filter(type => type === 'service').length;
  const componentNames: string[] = new Array(counts.components);
  const apisByComponent: string[][] = new Array(counts.components);
  const apiProvider = new Map<string, number>();
  let serviceIndex = 0;
  let documentedCount = 0;
  let apiCount = 0;
  for (let index = 0; index < counts.components; index++) {
    const type = componentTypes[index];
    const system = spread(index, counts.components, counts.systems);
    const owner = systemOwner(system);
    const noun = random.pick(systemNouns(system));
    const role = random.pick(type === 'service' ? vocabulary.serviceRoles : type === 'library' ? vocabulary.libraryRoles : vocabulary.websiteRoles);
    const name = `${noun}-${role}-${index + 1}`;
    const language = random.pick(vocabulary.languages);
    const lifecycleRoll = random.next();
    const lifecycle = lifecycleRoll < 0.85 ? 'production' : lifecycleRoll < 0.95 ? 'experimental' : 'deprecated';
    const tier1 = type !== 'library' && random.chance(0.1);
    componentNames[index] = name;

    // APIs: spread evenly over services so that there are exactly `counts.apis`.
    const provided: Array<{ name: string; type: ApiType; operations: string[] }> = [];
    if (type === 'service') {
      const apiTotal = Math.floor(((serviceIndex + 1) * counts.apis) / serviceCount) - Math.floor((serviceIndex * counts.apis) / serviceCount);
      serviceIndex += 1;
      for (let apiIndex = 0; apiIndex < apiTotal; apiIndex++) {
        const roll = random.next();
        const apiType: ApiType = roll < 0.6 ? 'openapi' : roll < 0.85 ? 'grpc' : 'asyncapi';
        const suffix = apiType === 'openapi' ? 'rest-api' : apiType === 'grpc' ? 'grpc-api' : 'events';
        const pascalNoun = titleCase(noun).replace(/ /g, '');
        const camelNoun = pascalNoun[0].toLowerCase() + pascalNoun.slice(1);
        const operations =
          apiType === 'openapi'
            ? [`GET /${noun}s/{${camelNoun}Id}`, `POST /${noun}s`]
            : apiType === 'grpc'
              ? [`Get${pascalNoun}`, `List${pascalNoun}s`]
              : [`${noun}.created`, `${noun}.updated`];
        provided.push({ name: `${noun}-${suffix}-${index + 1}${apiIndex > 0 ? `-${apiIndex + 1}` : ''}`, type: apiType, operations });
      }
    }
    apisByComponent[index] = provided.map(api => api.name);
    for (const api of provided) apiProvider.set(api.name, index);
    apiCount += provided.length;

    // Dependencies only point to earlier components within the window, so the graph is acyclic.
    const consumes = new Set<string>();
    if (type !== 'library' && index > 0) {
      const wanted = type === 'website' ? random.int(2, 5) : random.int(0, 4);
      for (let attempt = 0; attempt < wanted * 3 && consumes.size < wanted; attempt++) {
        const provider = index - 1 - random.int(0, Math.min(dependencyWindow, index) - 1);
        const apis = apisByComponent[provider];
        if (apis.length > 0) consumes.add(apis[random.int(0, apis.length - 1)]);
      }
    }
    const dependsOn: string[] = [];
    if (type === 'service') {
      const resource = spread(index, counts.components, counts.resources);
      dependsOn.push(`resource:${resourceNames[resource]}`);
      if (random.chance(0.4)) {
        const other = Math.min(counts.resources - 1, resource + 1);
        if (other !== resource) dependsOn.push(`resource:${resourceNames[other]}`);
      }
    }
    if (index > 0 && (type !== 'library' || random.chance(0.3)) && random.chance(0.5)) {
      // The nearest library at least one position back within the window.
      for (let back = 1 + random.int(0, 20); back <= Math.min(dependencyWindow, index); back++) {
        if (componentTypes[index - back] === 'library') {
          dependsOn.push(`component:${componentNames[index - back]}`);
          break;
        }
      }
    }

    // A few services that provide APIs get their own directory with TechDocs.
    const documented = type === 'service' && provided.length > 0 && documentedCount < documentedServices;
    if (documented) documentedCount += 1;
    const annotations: Record<string, string> = {};
    if (documented) annotations['backstage.io/techdocs-ref'] = 'dir:.';
    if (type !== 'library') {
      annotations['backstage.io/kubernetes-id'] = name;
      annotations['pagerduty.com/service-id'] = stableIdentifier({ prefix: 'P', index, seed: options.seed, length: 6 });
    }
    if (tier1) annotations['next-portal.io/tier'] = '1';
    if (random.chance(0.02)) annotations['next-portal.io/aliases'] = `${noun} ${role}, ${noun}`;
    const runbookUrl = `https://runbooks.example.com/${name}`;
    const dashboardUrl = `https://grafana.example.com/d/${name}`;
    const title = titleCase(`${noun}-${role}`);
    const description = `${title} for the ${systemTitles[system]} system.`;
    const component: CatalogEntity = {
      apiVersion,
      kind: 'Component',
      metadata: {
        name,
        title: `${title} ${index + 1}`,
        description,
        tags: tier1 ? [language, noun, 'tier-1'] : [language, noun],
        links:
          type === 'library'
            ? undefined
            : [
                { url: runbookUrl, title: 'Runbook', icon: 'docs', type: 'runbook' },
                { url: dashboardUrl, title: 'Grafana dashboard', icon: 'dashboard', type: 'dashboard' },
              ],
        annotations,
      },
      spec: {
        type,
        lifecycle,
        owner: `group:${owner}`,
        system: systemNames[system],
        providesApis: provided.length > 0 ? provided.map(api => api.name) : undefined,
        consumesApis: consumes.size > 0 ? [...consumes] : undefined,
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      },
    };
    const apiEntities: CatalogEntity[] = provided.map(api => {
      const apiTitle = titleCase(api.name);
      return {
        apiVersion,
        kind: 'API',
        metadata: { name: api.name, title: apiTitle, description: `${apiTitle} provided by ${name}.` },
        spec: {
          type: api.type,
          lifecycle,
          owner: `group:${owner}`,
          system: systemNames[system],
          definition: apiDefinition({
            type: api.type,
            name: api.name,
            title: apiTitle,
            description: `Provided by ${name}.`,
            operations: api.operations,
            version: `${1 + (index % 3)}.${index % 10}.0`,
            serverBase: `https://api.acme.example.com/${name}`,
          }),
        },
      };
    });

    if (documented) {
      files.push({ path: `services/${name}/catalog-info.yaml`, content: toYamlStream([component, ...apiEntities]) });
      files.push({
        path: `services/${name}/docs/index.md`,
        content: serviceDocsPage({
          random,
          service: {
            name,
            title,
            description,
            type,
            lifecycle,
            language,
            tier1,
            system: { name: systemNames[system], title: systemTitles[system] },
            domain: { name: domainNames[domainOf(system)], title: titleCase(domainNames[domainOf(system)]) },
            owner: {
              name: owner,
              title: titleCase(owner),
              slackChannel: `#${owner}`,
              email: `${owner}@${emailDomain}`,
              lead: (() => {
                const lead = people.find(person => person.group === owner);
                return lead ? `${lead.displayName} (\`user:${lead.name}\`)` : undefined;
              })(),
            },
            pagerDutyServiceId: annotations['pagerduty.com/service-id'],
            runbookUrl,
            dashboardUrl,
            providedApis: provided.map(api => ({ ...api, description: `Provided by ${name}.` })),
            consumedApis: [...consumes].map(apiName => {
              const provider = apiProvider.get(apiName)!;
              return { name: apiName, provider: componentNames[provider], owner: titleCase(systemOwner(spread(provider, counts.components, counts.systems))) };
            }),
            resources: dependsOn
              .filter(reference => reference.startsWith('resource:'))
              .map(reference => {
                const resourceIndex = resourceNames.indexOf(reference.slice('resource:'.length));
                return { name: resourceNames[resourceIndex], ...resourceDetails[resourceIndex], description: 'Owned by the same team.' };
              }),
            components: dependsOn.filter(reference => reference.startsWith('component:')).map(reference => reference.slice('component:'.length)),
            consumers: [],
            aliases: [],
          },
        }),
      });
    } else {
      componentFiles.add(component);
      for (const api of apiEntities) apiFiles.add(api);
    }
  }
  componentFiles.flush();
  apiFiles.flush();
  entityCount += counts.components + apiCount;

  // --- Root location --------------------------------------------------------------
  const targets = files.filter(file => file.path.endsWith('.yaml')).map(file => `./${file.path}`);
  files.unshift({
    path: 'catalog-info.yaml',
    content: toYamlStream([
      {
        apiVersion,
        kind: 'Location',
        metadata: { name: 'acme-catalog', description: `Generated Acme Retail catalog with about ${options.scale} entities.` },
        spec: { targets },
      },
    ]),
  });
  entityCount += 1;
  return { files, entityCount };
}
