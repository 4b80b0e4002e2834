import type { ResourceBlueprint } from './default-org-blueprint.ts';

/** The demo organisation's AWS account. */
export const DEMO_AWS_ACCOUNT = '418273645091';

/** Where each system of the demo organisation runs. */
const SYSTEM_REGIONS: Record<string, string> = {
  'customer-identity': 'eu-central-1',
  search: 'us-east-1',
  recommendations: 'us-east-1',
  'data-platform': 'us-east-1',
};

export function demoRegionOf(system: string): string {
  return SYSTEM_REGIONS[system] ?? 'eu-west-1';
}

/**
 * The cloud resource id of a demo Resource entity, as its cost lines carry it. The catalog lists it in the
 * entity's `next-portal.io/cloud-resource-ids` annotation, which is how its cost is allocated.
 */
export function demoCloudResourceId(resource: Pick<ResourceBlueprint, 'name' | 'type' | 'engine'>, system: string): string {
  const region = demoRegionOf(system);
  const prefix = `arn:aws`;
  switch (resource.type) {
    case 'database':
      return `${prefix}:rds:${region}:${DEMO_AWS_ACCOUNT}:db:${resource.name}`;
    case 'cache':
      return `${prefix}:elasticache:${region}:${DEMO_AWS_ACCOUNT}:cluster:${resource.name}`;
    case 'queue':
      return `${prefix}:sqs:${region}:${DEMO_AWS_ACCOUNT}:${resource.name}`;
    case 'bucket':
      return `${prefix}:s3:::acme-${resource.name}`;
    case 'search-index':
      return `${prefix}:es:${region}:${DEMO_AWS_ACCOUNT}:domain/${resource.name}`;
    case 'message-broker':
      return `${prefix}:kafka:${region}:${DEMO_AWS_ACCOUNT}:cluster/${resource.name}`;
    case 'data-warehouse':
      return `${prefix}:redshift:${region}:${DEMO_AWS_ACCOUNT}:cluster:${resource.name}`;
  }
}
