import type { CatalogEntity, DemoFile, DemoOrg } from './demo-org.ts';
import type { ApiBlueprint, GroupBlueprint, ResourceBlueprint, ServiceBlueprint } from './default-org-blueprint.ts';
import { defaultOrgBlueprint } from './default-org-blueprint.ts';
import { apiDefinition } from './api-definition.ts';
import { demoCloudResourceId } from './cloud-resource-id.ts';
import { personNames } from './person-names.ts';
import { createSeededRandom } from './seeded-random.ts';
import type { SeededRandom } from './seeded-random.ts';
import { serviceDocsPage } from './service-docs-page.ts';
import { stableIdentifier } from './stable-identifier.ts';
import { titleCase } from './title-case.ts';
import { toYamlStream } from './to-yaml-document.ts';

const apiVersion = 'backstage.io/v1alpha1';
const {
  organisation: organisationBlueprint,
  departments: departmentBlueprints,
  teams: teamBlueprints,
  domains: domainBlueprints,
  systems: systemBlueprints,
  services: serviceBlueprints,
} = defaultOrgBlueprint;

type Person = { name: string; displayName: string; email: string; jobTitle: string; group: string };

const teamRoles = [
  'Staff Software Engineer',
  'Senior Software Engineer',
  'Senior Software Engineer',
  'Software Engineer',
  'Software Engineer',
  'Site Reliability Engineer',
  'Product Manager',
];

function slackChannel(groupName: string): string {
  return `#${groupName}`;
}

function groupEmail(groupName: string): string {
  return `${groupName}@${organisationBlueprint.emailDomain}`;
}

function generatePeople(random: SeededRandom): Person[] {
  const used = new Set<string>();
  const newPerson = (jobTitle: string, group: string): Person => {
    for (;;) {
      const first = random.pick(personNames.first);
      const last = random.pick(personNames.last);
      const name = `${first}.${last}`.toLowerCase();
      if (used.has(name)) continue;
      used.add(name);
      return { name, displayName: `${first} ${last}`, email: `${name}@${organisationBlueprint.emailDomain}`, jobTitle, group };
    }
  };
  const people: Person[] = [newPerson('Chief Technology Officer', organisationBlueprint.name)];
  for (const department of departmentBlueprints) people.push(newPerson(`Director of Engineering, ${department.title}`, department.name));
  for (const team of teamBlueprints) {
    people.push(newPerson(`Engineering Manager, ${team.title}`, team.name));
    const size = 2 + (random.chance(0.4) ? 1 : 0);
    for (const role of random.sample(teamRoles, size)) people.push(newPerson(role, team.name));
  }
  return people;
}

/** The demo cost data runs team-search at about $3,600 a month (over) and team-payments at about $5,400 (under). */
const DEMO_BUDGETS: Record<string, number> = { 'team-search': 3000, 'team-payments': 8000 };

function groupEntity(options: { group: GroupBlueprint | null; name: string; title: string; description: string; type: string; children: string[]; members: string[] }): CatalogEntity {
  return {
    apiVersion,
    kind: 'Group',
    metadata: {
      name: options.name,
      title: options.title,
      description: options.description,
      annotations: {
        'slack.com/channel-name': slackChannel(options.name),
        // Monthly cloud budgets (USD) for two teams, so that forecasts have budgets to hold against the demo costs.
        ...(DEMO_BUDGETS[options.name] ? { 'next-portal.io/monthly-budget': String(DEMO_BUDGETS[options.name]) } : {}),
      },
    },
    spec: {
      type: options.type,
      profile: { displayName: options.title, email: groupEmail(options.name) },
      parent: options.group?.parent,
      children: options.children,
      members: options.members,
    },
  };
}

function uniqueTags(tags: string[]): string[] {
  return [...new Set(tags.map(tag => tag.toLowerCase().replace(/[^a-z0-9-]+/g, '-')))];
}

function versionFor(random: SeededRandom): string {
  return `${random.int(1, 3)}.${random.int(0, 12)}.${random.int(0, 9)}`;
}

/** Builds the hand-shaped default organisation; people and small details vary with the seed. */
export function buildDefaultOrg(options: { seed: number }): DemoOrg {
  const random = createSeededRandom({ seed: options.seed });
  const files: DemoFile[] = [];
  let entityCount = 0;
  const addYamlFile = (path: string, entities: CatalogEntity[]): void => {
    files.push({ path, content: toYamlStream(entities) });
    entityCount += entities.length;
  };

  // --- People and groups ----------------------------------------------------
  const people = generatePeople(random);
  const membersOf = (group: string): string[] => people.filter(person => person.group === group).map(person => person.name);
  const leadOf = new Map<string, Person>();
  for (const person of people) if (!leadOf.has(person.group)) leadOf.set(person.group, person);

  const groups: CatalogEntity[] = [
    groupEntity({
      group: null,
      name: organisationBlueprint.name,
      title: organisationBlueprint.title,
      description: organisationBlueprint.description,
      type: 'organization',
      children: departmentBlueprints.map(department => department.name),
      members: membersOf(organisationBlueprint.name),
    }),
  ];
  for (const department of departmentBlueprints) {
    groups.push(
      groupEntity({
        group: department,
        name: department.name,
        title: department.title,
        description: department.description,
        type: 'department',
        children: teamBlueprints.filter(team => team.parent === department.name).map(team => team.name),
        members: membersOf(department.name),
      }),
    );
  }
  for (const team of teamBlueprints) {
    groups.push(
      groupEntity({ group: team, name: team.name, title: team.title, description: team.description, type: 'team', children: [], members: membersOf(team.name) }),
    );
  }
  addYamlFile('org/groups.yaml', groups);

  const users: CatalogEntity[] = people.map((person, index) => ({
    apiVersion,
    kind: 'User',
    metadata: {
      name: person.name,
      description: person.jobTitle,
      annotations: {
        'slack.com/user-id': stableIdentifier({ prefix: 'U0', index, seed: options.seed, length: 7 }),
        'microsoft.com/email': person.email,
      },
    },
    spec: { profile: { displayName: person.displayName, email: person.email }, memberOf: [person.group] },
  }));
  addYamlFile('org/users.yaml', users);

  // --- Domains and systems --------------------------------------------------
  for (const domain of domainBlueprints) {
    addYamlFile(`domains/${domain.name}.yaml`, [
      {
        apiVersion,
        kind: 'Domain',
        metadata: { name: domain.name, title: domain.title, description: domain.description },
        spec: { owner: `group:${domain.owner}` },
      },
    ]);
  }
  const systemByName = new Map(systemBlueprints.map(system => [system.name, system]));
  const domainByName = new Map(domainBlueprints.map(domain => [domain.name, domain]));
  const teamByName = new Map(teamBlueprints.map(team => [team.name, team]));
  for (const system of systemBlueprints) {
    addYamlFile(`systems/${system.name}.yaml`, [
      {
        apiVersion,
        kind: 'System',
        metadata: { name: system.name, title: system.title, description: system.description, tags: [system.domain] },
        spec: { owner: `group:${system.owner}`, domain: system.domain },
      },
    ]);
  }

  // --- Services, APIs and resources -----------------------------------------
  const apiProvider = new Map<string, { service: ServiceBlueprint; api: ApiBlueprint }>();
  const resourceOwner = new Map<string, { service: ServiceBlueprint; resource: ResourceBlueprint }>();
  const componentNames = new Set<string>();
  for (const service of serviceBlueprints) {
    for (const apiName of service.consumes ?? []) {
      if (!apiProvider.has(apiName)) throw new Error(`${service.name} consumes ${apiName}, which no earlier service provides`);
    }
    for (const reference of service.dependsOn ?? []) {
      const [kind, name] = reference.split(':');
      const known = kind === 'resource' ? resourceOwner.has(name) : componentNames.has(name);
      if (!known) throw new Error(`${service.name} depends on ${reference}, which is not defined earlier`);
    }
    for (const api of service.apis ?? []) apiProvider.set(api.name, { service, api });
    for (const resource of service.resources ?? []) resourceOwner.set(resource.name, { service, resource });
    componentNames.add(service.name);
  }
  const consumersOf = new Map<string, string[]>();
  for (const service of serviceBlueprints) {
    const providers = new Set([
      ...(service.consumes ?? []).map(apiName => apiProvider.get(apiName)!.service.name),
      ...(service.dependsOn ?? []).filter(reference => reference.startsWith('component:')).map(reference => reference.slice('component:'.length)),
    ]);
    for (const provider of providers) consumersOf.set(provider, [...(consumersOf.get(provider) ?? []), service.name]);
  }

  const resourcesBySystem = new Map<string, CatalogEntity[]>();
  for (const [serviceIndex, service] of serviceBlueprints.entries()) {
    const system = systemByName.get(service.system)!;
    const domain = domainByName.get(system.domain)!;
    const team = teamByName.get(system.owner)!;
    const owner = `group:${team.name}`;
    const type = service.type ?? 'service';
    const lifecycle = service.lifecycle ?? 'production';
    const runbookUrl = `https://runbooks.example.com/${service.name}`;
    const dashboardUrl = `https://grafana.example.com/d/${service.name}`;
    const pagerDutyServiceId = stableIdentifier({ prefix: 'P', index: serviceIndex, seed: options.seed, length: 6 });
    const apis = service.apis ?? [];
    const resources = service.resources ?? [];
    const dependsOn = [...resources.map(resource => `resource:${resource.name}`), ...(service.dependsOn ?? [])];

    const annotations: Record<string, string> = { 'backstage.io/techdocs-ref': 'dir:.' };
    if (type !== 'library') {
      annotations['backstage.io/kubernetes-id'] = service.name;
      annotations['pagerduty.com/service-id'] = pagerDutyServiceId;
    }
    if (service.tier1) annotations['next-portal.io/tier'] = '1';
    if (service.aliases && service.aliases.length > 0) annotations['next-portal.io/aliases'] = service.aliases.join(', ');

    const links = [
      { url: `https://github.example.com/acme/${service.name}`, title: 'Source code', icon: 'github', type: 'source' },
      ...(type === 'library'
        ? []
        : [
            { url: runbookUrl, title: 'Runbook', icon: 'docs', type: 'runbook' },
            { url: dashboardUrl, title: 'Grafana dashboard', icon: 'dashboard', type: 'dashboard' },
          ]),
    ];
    const tags = uniqueTags([
      service.language,
      ...apis.map(api => ({ openapi: 'rest', grpc: 'grpc', asyncapi: 'events' })[api.type]),
      ...resources.map(resource => resource.engine),
      ...(service.dependsOn ?? []).filter(reference => reference === 'resource:event-bus').map(() => 'kafka'),
      ...(service.tags ?? []),
      ...(service.tier1 ? ['tier-1'] : []),
    ]);

    const component: CatalogEntity = {
      apiVersion,
      kind: 'Component',
      metadata: { name: service.name, title: service.title, description: service.description, tags, links, annotations },
      spec: {
        type,
        lifecycle,
        owner,
        system: system.name,
        providesApis: apis.length > 0 ? apis.map(api => api.name) : undefined,
        consumesApis: service.consumes && service.consumes.length > 0 ? service.consumes : undefined,
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      },
    };
    const apiEntities: CatalogEntity[] = apis.map(api => {
      const title = titleCase(api.name);
      return {
        apiVersion,
        kind: 'API',
        metadata: {
          name: api.name,
          title,
          description: api.description,
          tags: uniqueTags([{ openapi: 'rest', grpc: 'grpc', asyncapi: 'events' }[api.type], ...(service.tier1 ? ['tier-1'] : [])]),
        },
        spec: {
          type: api.type,
          lifecycle,
          owner,
          system: system.name,
          definition: apiDefinition({
            type: api.type,
            name: api.name,
            title,
            description: api.description,
            operations: api.operations,
            version: versionFor(random),
            serverBase: `https://api.acme.example.com/${service.name}`,
          }),
        },
      };
    });
    addYamlFile(`services/${service.name}/catalog-info.yaml`, [component, ...apiEntities]);

    for (const resource of resources) {
      const entity: CatalogEntity = {
        apiVersion,
        kind: 'Resource',
        metadata: {
          name: resource.name,
          title: titleCase(resource.name),
          description: resource.description,
          tags: uniqueTags([resource.engine, resource.type]),
          links: [{ url: `https://grafana.example.com/d/${resource.name}`, title: 'Grafana dashboard', icon: 'dashboard', type: 'dashboard' }],
          // How the resource's cloud costs are allocated to it (the demo cost data carries this id).
          annotations: { 'next-portal.io/cloud-resource-ids': demoCloudResourceId(resource, system.name) },
        },
        spec: { type: resource.type, owner, system: system.name },
      };
      resourcesBySystem.set(system.name, [...(resourcesBySystem.get(system.name) ?? []), entity]);
    }

    const lead = leadOf.get(team.name);
    files.push({
      path: `services/${service.name}/docs/index.md`,
      content: serviceDocsPage({
        random,
        service: {
          name: service.name,
          title: service.title,
          description: service.description,
          type,
          lifecycle,
          language: service.language,
          tier1: service.tier1 === true,
          system: { name: system.name, title: system.title },
          domain: { name: domain.name, title: domain.title },
          owner: { name: team.name, title: team.title, slackChannel: slackChannel(team.name), email: groupEmail(team.name), lead: lead ? `${lead.displayName} (\`user:${lead.name}\`)` : undefined },
          pagerDutyServiceId,
          runbookUrl,
          dashboardUrl,
          providedApis: apis,
          consumedApis: (service.consumes ?? []).map(apiName => {
            const provider = apiProvider.get(apiName)!.service;
            const providerTeam = teamByName.get(systemByName.get(provider.system)!.owner)!;
            return { name: apiName, provider: provider.name, owner: providerTeam.title };
          }),
          resources: [
            ...resources,
            ...(service.dependsOn ?? [])
              .filter(reference => reference.startsWith('resource:'))
              .map(reference => resourceOwner.get(reference.slice('resource:'.length))!.resource),
          ],
          components: (service.dependsOn ?? []).filter(reference => reference.startsWith('component:')).map(reference => reference.slice('component:'.length)),
          consumers: consumersOf.get(service.name) ?? [],
          aliases: service.aliases ?? [],
        },
      }),
    });
  }
  for (const system of systemBlueprints) {
    const resources = resourcesBySystem.get(system.name);
    if (resources) addYamlFile(`resources/${system.name}.yaml`, resources);
  }

  // --- Root location --------------------------------------------------------
  const targets = files.filter(file => file.path.endsWith('.yaml')).map(file => `./${file.path}`);
  files.unshift({
    path: 'catalog-info.yaml',
    content: toYamlStream([
      {
        apiVersion,
        kind: 'Location',
        metadata: { name: 'acme-catalog', description: `Software catalog of ${organisationBlueprint.title}.` },
        spec: { targets },
      },
    ]),
  });
  entityCount += 1;
  return { files, entityCount };
}
