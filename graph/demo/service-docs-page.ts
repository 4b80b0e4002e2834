import type { SeededRandom } from './seeded-random.ts';

export type ServiceDocsInput = {
  name: string;
  title: string;
  description: string;
  type: string;
  lifecycle: string;
  language: string;
  tier1: boolean;
  system: { name: string; title: string };
  domain: { name: string; title: string };
  owner: { name: string; title: string; slackChannel: string; email: string; lead?: string };
  pagerDutyServiceId: string;
  runbookUrl: string;
  dashboardUrl: string;
  providedApis: Array<{ name: string; type: string; description: string; operations: readonly string[] }>;
  consumedApis: Array<{ name: string; provider: string; owner: string }>;
  resources: Array<{ name: string; type: string; engine: string; description: string }>;
  components: string[];
  consumers: string[];
  aliases: string[];
};

const languageStacks: Record<string, string> = {
  typescript: 'TypeScript on Node.js 22 (Fastify)',
  go: 'Go 1.23',
  java: 'Java 21 with Spring Boot 3',
  kotlin: 'Kotlin with Ktor',
  python: 'Python 3.12 with FastAPI',
  rust: 'Rust with Axum',
};

const languageNames: Record<string, string> = {
  typescript: 'TypeScript', go: 'Go', java: 'Java', kotlin: 'Kotlin', python: 'Python', rust: 'Rust',
};

const apiTypeLabels: Record<string, string> = { openapi: 'REST (OpenAPI)', grpc: 'gRPC', asyncapi: 'events (AsyncAPI)' };

/** A realistic TechDocs `docs/index.md` page for one service. */
export function serviceDocsPage(options: { service: ServiceDocsInput; random: SeededRandom }): string {
  const { service, random } = options;
  const languageName = languageNames[service.language] ?? service.language;
  const stack =
    service.type === 'library'
      ? languageName
      : service.type === 'website' && service.language === 'typescript'
        ? 'Next.js and React (TypeScript)'
        : (languageStacks[service.language] ?? service.language);
  const replicas = service.tier1 ? random.int(4, 12) : random.int(2, 4);
  const availability = service.tier1 ? random.pick(['99.95%', '99.9%']) : random.pick(['99.5%', '99.9%']);
  const latency = random.pick([80, 120, 150, 200, 250, 300]);
  const regions = service.tier1 ? 'eu-west-1 and us-east-1 (active-active)' : random.pick(['eu-west-1', 'eu-west-1 with a warm standby in eu-central-1']);
  const lines: string[] = [];

  lines.push(`# ${service.title}`, '');
  if (service.lifecycle === 'deprecated') {
    lines.push(`> **Deprecated.** ${service.title} is deprecated and only receives security fixes. Talk to ${service.owner.title} in ${service.owner.slackChannel} before adding new usages.`, '');
  } else if (service.lifecycle === 'experimental') {
    lines.push(`> **Experimental.** ${service.title} is not yet covered by a production SLO; expect breaking changes.`, '');
  }
  lines.push('## Overview', '');
  lines.push(`${service.description}`, '');
  lines.push(
    `\`${service.name}\` is part of the **${service.system.title}** system (\`system:${service.system.name}\`) in the **${service.domain.title}** domain, ` +
      `and is owned by the **${service.owner.title}** team (\`group:${service.owner.name}\`).` +
      (service.tier1 ? ' It is a **tier-1** service: an outage directly affects customers and revenue.' : ''),
    '',
  );
  if (service.aliases.length > 0) lines.push(`Also known as: ${service.aliases.map(alias => `*${alias}*`).join(', ')}.`, '');

  lines.push('| | |', '|---|---|');
  lines.push(`| Owner | ${service.owner.title} (\`${service.owner.name}\`) |`);
  if (service.owner.lead) lines.push(`| Engineering manager | ${service.owner.lead} |`);
  lines.push(`| Slack | ${service.owner.slackChannel} |`);
  lines.push(`| Email | ${service.owner.email} |`);
  lines.push(`| Lifecycle | ${service.lifecycle} |`);
  lines.push(`| Tier | ${service.tier1 ? '1' : '2'} |`);
  lines.push(`| Stack | ${stack} |`, '');

  lines.push('## Architecture', '');
  if (service.type === 'library') {
    lines.push(`${service.title} is a ${stack} library published to the internal package registry as \`@acme/${service.name}\`. It has no runtime of its own; it runs inside the services that import it.`, '');
  } else if (service.type === 'website') {
    lines.push(`${service.title} is a web application built with ${stack}, deployed to Kubernetes (\`${service.name}\` deployment, ${replicas} replicas) in ${regions} behind the CDN.`, '');
  } else {
    lines.push(`${service.title} is written in ${stack} and runs on Kubernetes as the \`${service.name}\` deployment (${replicas} replicas, horizontal autoscaling on CPU) in ${regions}.`, '');
  }
  if (service.resources.length > 0) {
    lines.push('Data stores and infrastructure:', '');
    for (const resource of service.resources) lines.push(`- \`${resource.name}\` (${resource.type}, ${resource.engine}): ${resource.description}`);
    lines.push('');
  }

  lines.push('## API', '');
  if (service.providedApis.length === 0) {
    lines.push(`${service.title} does not expose an API of its own.`, '');
  } else {
    for (const api of service.providedApis) {
      lines.push(`### ${api.name}`, '', `${apiTypeLabels[api.type] ?? api.type}. ${api.description} The full definition is in the catalog entry \`api:${api.name}\`.`, '');
      for (const operation of api.operations) lines.push(`- \`${operation}\``);
      lines.push('');
    }
  }

  lines.push('## Dependencies', '');
  if (service.consumedApis.length === 0 && service.components.length === 0) {
    lines.push(`${service.title} has no runtime dependencies on other services.`, '');
  } else {
    if (service.consumedApis.length > 0) {
      lines.push(`${service.title} calls the following APIs:`, '');
      lines.push('| API | Provided by | Owner |', '|---|---|---|');
      for (const api of service.consumedApis) lines.push(`| \`${api.name}\` | \`${api.provider}\` | ${api.owner} |`);
      lines.push('');
    }
    if (service.components.length > 0) {
      lines.push(`It is built on ${service.components.map(name => `\`${name}\``).join(', ')}.`, '');
    }
  }
  if (service.consumers.length > 0) {
    lines.push(`Used by: ${service.consumers.map(name => `\`${name}\``).join(', ')}. Announce breaking changes in ${service.owner.slackChannel} at least two weeks ahead.`, '');
  }

  lines.push('## On-call and runbook', '');
  if (service.type === 'library') {
    lines.push(`There is no on-call rotation for a library. Report bugs in ${service.owner.slackChannel}.`, '');
  } else {
    lines.push(
      `On-call is covered by the ${service.owner.title} rotation in PagerDuty (service \`${service.pagerDutyServiceId}\`). ` +
        `Escalate to ${service.owner.lead ?? 'the engineering manager'} if the primary does not acknowledge within 15 minutes.`,
      '',
    );
    lines.push(`- SLO: ${availability} availability, p99 latency under ${latency} ms`);
    lines.push(`- Dashboard: ${service.dashboardUrl}`);
    lines.push(`- Runbook: ${service.runbookUrl}`, '');
    lines.push('### Common alerts', '');
    lines.push(`- **High error rate**: check recent deploys (\`kubectl rollout history deployment/${service.name}\`) and roll back if the spike started with a release.`);
    if (service.resources.some(resource => resource.type === 'database')) {
      const database = service.resources.find(resource => resource.type === 'database');
      lines.push(`- **Database connections exhausted**: look for long-running queries on \`${database?.name}\` and check the connection pool metrics on the dashboard.`);
    }
    if (service.consumedApis.length > 0) {
      const critical = service.consumedApis[0];
      lines.push(`- **Upstream timeouts**: most often caused by \`${critical.provider}\` (owned by ${critical.owner}); check its dashboard before paging.`);
    }
    lines.push('');
  }

  lines.push('## Local development', '');
  lines.push('```sh', `git clone git@github.example.com:acme/${service.name}.git`, `cd ${service.name}`, 'make dev', '```', '');
  return lines.join('\n');
}
