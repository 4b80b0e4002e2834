import { DEMO_AWS_ACCOUNT, demoCloudResourceId, demoRegionOf } from './cloud-resource-id.ts';
import { defaultOrgBlueprint } from './default-org-blueprint.ts';
import type { FocusRow } from './focus-csv.ts';
import { createSeededRandom } from './seeded-random.ts';
import { createHash } from 'node:crypto';

/** Utilisation of one demo resource over the generated window, as a metrics backend would report it. */
export type DemoUtilisation = {
  resourceId: string;
  vcpus: number | null;
  memoryGb: number | null;
  cpuP50: number | null;
  cpuP95: number | null;
  cpuMax: number | null;
  networkGb: number | null;
  attached: boolean | null;
  observedFrom: string;
  observedTo: string;
  source: string;
};

export type PlantedWaste = {
  kind: 'idle-resource' | 'rightsize' | 'unattached-volume' | 'unused-address';
  resourceId: string;
  service: string;
  team: string;
  /** What removing the waste saves in 30 days. */
  monthlySavings: number;
};

export type PlantedSpike = {
  /** The catalog entity the spike's cost is allocated to. */
  entityRef: string;
  start: string;
  /** The last day of the spike (inclusive). */
  end: string;
  resourceId: string;
  skuId: string;
  cause: string;
  extraPerDay: number;
};

/** What the generator planted, for evals to check the analyses against. */
export type DemoCostTruth = {
  start: string;
  /** The day after the last generated day. */
  end: string;
  rows: number;
  /** Exact sum of BilledCost over every row. */
  billedTotal: string;
  waste: PlantedWaste[];
  spikes: PlantedSpike[];
};

export type DemoCost = { rows: FocusRow[]; utilisation: DemoUtilisation[]; truth: DemoCostTruth };

type Instance = { type: string; vcpus: number; hourly: number };
const INSTANCES: Record<string, Instance> = {
  'm6i.large': { type: 'm6i.large', vcpus: 2, hourly: 0.096 },
  'm6i.xlarge': { type: 'm6i.xlarge', vcpus: 4, hourly: 0.192 },
  'c6i.2xlarge': { type: 'c6i.2xlarge', vcpus: 8, hourly: 0.34 },
  'm6i.4xlarge': { type: 'm6i.4xlarge', vcpus: 16, hourly: 0.768 },
  'c6i.24xlarge': { type: 'c6i.24xlarge', vcpus: 96, hourly: 4.08 },
  'p3.2xlarge': { type: 'p3.2xlarge', vcpus: 8, hourly: 3.06 },
};

/** Hourly prices of the managed resources by type (one node or cluster). */
const RESOURCE_PRICING: Record<string, { service: string; category: string; sku: string; unit: string; hourly: number; description: string }> = {
  database: { service: 'Amazon Relational Database Service', category: 'Databases', sku: 'InstanceUsage:db.r6g.xlarge', unit: 'Hours', hourly: 0.48, description: 'db.r6g.xlarge Multi-AZ instance hour' },
  cache: { service: 'Amazon ElastiCache', category: 'Databases', sku: 'NodeUsage:cache.r6g.large', unit: 'Hours', hourly: 0.206, description: 'cache.r6g.large node hour' },
  'search-index': { service: 'Amazon OpenSearch Service', category: 'Analytics', sku: 'ESInstance:r6g.large.search', unit: 'Hours', hourly: 0.167, description: 'r6g.large.search instance hour' },
  'message-broker': { service: 'Amazon Managed Streaming for Apache Kafka', category: 'Integration', sku: 'Kafka.m5.large', unit: 'Hours', hourly: 0.63, description: 'kafka.m5.large broker hours (3 brokers)' },
  'data-warehouse': { service: 'Amazon Redshift', category: 'Databases', sku: 'Node:ra3.xlplus', unit: 'Hours', hourly: 2.172, description: 'ra3.xlplus node hours (2 nodes)' },
};

const DAY_MS = 86_400_000;

/** A cloud-style hex id that depends only on its name. */
function hexId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 16);
}
const EBS_GB_MONTH = 0.08;
const TRANSFER_PER_GB = 0.09;
const IPV4_HOURLY = 0.005;

function dayString(base: string, offset: number): string {
  return new Date(Date.parse(`${base}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);
}

function monthBounds(day: string): { start: string; end: string } {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return { start: `${day.slice(0, 7)}-01T00:00:00Z`, end: new Date(Date.UTC(year, month, 1)).toISOString().replace('.000', '') };
}

/** Money as text with 6 decimals, summed exactly in micro-units. */
function micros(amount: number): bigint {
  return BigInt(Math.round(amount * 1e6));
}

function microsText(value: bigint): string {
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  return `${negative ? '-' : ''}${absolute / 1_000_000n}.${(absolute % 1_000_000n).toString().padStart(6, '0')}`;
}

/**
 * FOCUS cost rows (AWS, daily) for the demo organisation's services and resources over `days` days ending the
 * day before `end`, with utilisation for each instance and volume, and the ground truth of what was planted:
 * idle and over-provisioned instances, unattached volumes, unused addresses, and cost spikes with known causes.
 * Output depends only on the options. Services are tagged `service` and `team`; managed resources are not
 * tagged but carry the id their catalog entity lists; shared costs (NAT, support) are untagged, so unallocated.
 */
export function generateDemoCost(options: { seed?: number; end: string; days?: number }): DemoCost {
  const random = createSeededRandom({ seed: options.seed ?? 42 });
  const days = options.days ?? 60;
  const start = dayString(options.end, -days);
  const teamOf = new Map(defaultOrgBlueprint.systems.map(system => [system.name, system.owner]));
  const services = defaultOrgBlueprint.services.filter(service => service.type !== 'library');
  const rows: FocusRow[] = [];
  const utilisation: DemoUtilisation[] = [];
  const waste: PlantedWaste[] = [];
  const spikes: PlantedSpike[] = [];
  let total = 0n;
  const observedFrom = `${start}T00:00:00Z`;
  const observedTo = `${options.end}T00:00:00Z`;

  const push = (day: string, row: FocusRow & { cost: number }) => {
    const { cost, ...rest } = row;
    const amount = micros(cost);
    total += amount;
    const period = monthBounds(day);
    rows.push({
      BillingAccountId: DEMO_AWS_ACCOUNT, BillingAccountName: 'Acme Retail', BillingCurrency: 'USD', BillingPeriodStart: period.start, BillingPeriodEnd: period.end,
      ChargeCategory: 'Usage', ChargeClass: null, ChargeFrequency: 'Usage-Based', ChargePeriodStart: `${day}T00:00:00Z`, ChargePeriodEnd: `${dayString(day, 1)}T00:00:00Z`,
      CommitmentDiscountStatus: null, InvoiceIssuerName: 'Amazon Web Services, Inc.', ProviderName: 'AWS', PublisherName: 'Amazon Web Services, Inc.', PricingCategory: 'Standard',
      SubAccountId: DEMO_AWS_ACCOUNT, SubAccountName: 'acme-production',
      ...rest,
      BilledCost: microsText(amount), EffectiveCost: microsText(amount), ListCost: microsText(amount), ContractedCost: microsText(amount),
    });
  };
  const instanceRow = (day: string, service: { name: string; team: string; region: string }, resourceId: string, instance: Instance, hours = 24) => push(day, {
    cost: instance.hourly * hours, RegionId: service.region, ResourceId: resourceId, ResourceName: `${service.name}-${resourceId.slice(-4)}`, ResourceType: 'instance',
    ServiceCategory: 'Compute', ServiceName: 'Amazon Elastic Compute Cloud', SkuId: `BoxUsage:${instance.type}`,
    ChargeDescription: `$${instance.hourly} per On Demand Linux ${instance.type} Instance Hour`, ConsumedQuantity: String(hours), ConsumedUnit: 'Hours', PricingQuantity: String(hours), PricingUnit: 'Hours',
    Tags: JSON.stringify({ service: service.name, team: service.team, environment: 'production' }),
  });
  const volumeRow = (day: string, service: { name: string; team: string; region: string }, resourceId: string, gb: number) => push(day, {
    cost: (gb * EBS_GB_MONTH) / 30, RegionId: service.region, ResourceId: resourceId, ResourceType: 'volume', ServiceCategory: 'Storage', ServiceName: 'Amazon Elastic Block Store',
    SkuId: 'EBS:VolumeUsage.gp3', ChargeDescription: `$${EBS_GB_MONTH} per GB-month of General Purpose (gp3) SSD storage`, ConsumedQuantity: (gb / 30).toFixed(6), ConsumedUnit: 'GB-Months', PricingQuantity: (gb / 30).toFixed(6), PricingUnit: 'GB-Months',
    Tags: JSON.stringify({ service: service.name, team: service.team, environment: 'production' }),
  });
  const instanceId = (name: string, index: number) => `i-0${hexId(`${name}:${index}`)}`;

  // Waste goes to chosen services; the first of each kind to team-payments, so its question has an answer.
  const paymentsServices = services.filter(service => teamOf.get(service.system) === 'team-payments');
  const others = random.shuffle(services.filter(service => teamOf.get(service.system) !== 'team-payments'));
  const idle = new Set([paymentsServices[0]!.name, others[0]!.name, others[1]!.name]);
  const oversized = new Set([paymentsServices[1]!.name, others[2]!.name, others[3]!.name]);
  const orphanVolumes = new Set([others[4]!.name, paymentsServices[2]!.name]);
  const idleAddresses = new Set([others[5]!.name, others[6]!.name]);

  for (const blueprint of services) {
    const team = teamOf.get(blueprint.system)!;
    const service = { name: blueprint.name, team, region: demoRegionOf(blueprint.system) };
    const count = blueprint.tier1 ? 3 : 2;
    const instance = INSTANCES[blueprint.name.includes('search') || blueprint.name.includes('analytics') ? 'c6i.2xlarge' : 'm6i.xlarge']!;
    const transferBase = 10 + random.int(0, 60);
    for (let index = 0; index < count; index++) {
      const id = instanceId(blueprint.name, index);
      const p95 = 40 + random.int(0, 35);
      utilisation.push({ resourceId: id, vcpus: instance.vcpus, memoryGb: instance.vcpus * 4, cpuP50: p95 - 15, cpuP95: p95, cpuMax: Math.min(100, p95 + 15), networkGb: 200 + random.int(0, 800), attached: null, observedFrom, observedTo, source: 'demo' });
      const volumeId = `vol-0${hexId(`${blueprint.name}:volume:${index}`)}`;
      utilisation.push({ resourceId: volumeId, vcpus: null, memoryGb: null, cpuP50: null, cpuP95: null, cpuMax: null, networkGb: null, attached: true, observedFrom, observedTo, source: 'demo' });
      for (let offset = 0; offset < days; offset++) {
        const day = dayString(start, offset);
        instanceRow(day, service, id, instance);
        volumeRow(day, service, volumeId, 100);
      }
    }
    const extra: Array<{ kind: PlantedWaste['kind']; id: string; monthly: number }> = [];
    if (idle.has(blueprint.name)) {
      const id = instanceId(blueprint.name, 90);
      const type = INSTANCES['m6i.large']!;
      utilisation.push({ resourceId: id, vcpus: type.vcpus, memoryGb: 8, cpuP50: 0.4, cpuP95: 1.2, cpuMax: 3, networkGb: 0.05, attached: null, observedFrom, observedTo, source: 'demo' });
      for (let offset = 0; offset < days; offset++) instanceRow(dayString(start, offset), service, id, type);
      extra.push({ kind: 'idle-resource', id, monthly: type.hourly * 24 * 30 });
    }
    if (oversized.has(blueprint.name)) {
      // Needs about 2.6 vCPUs at peak: 4 vCPUs keep p95 under 60%, so 12 of 16 are waste.
      const id = instanceId(blueprint.name, 91);
      const type = INSTANCES['m6i.4xlarge']!;
      utilisation.push({ resourceId: id, vcpus: type.vcpus, memoryGb: 64, cpuP50: 6, cpuP95: 10, cpuMax: 14, networkGb: 300, attached: null, observedFrom, observedTo, source: 'demo' });
      for (let offset = 0; offset < days; offset++) instanceRow(dayString(start, offset), service, id, type);
      extra.push({ kind: 'rightsize', id, monthly: type.hourly * 24 * 30 * (1 - 4 / 16) });
    }
    if (orphanVolumes.has(blueprint.name)) {
      const id = `vol-0${hexId(`${blueprint.name}:orphan`)}`;
      utilisation.push({ resourceId: id, vcpus: null, memoryGb: null, cpuP50: null, cpuP95: null, cpuMax: null, networkGb: null, attached: false, observedFrom, observedTo, source: 'demo' });
      for (let offset = 0; offset < days; offset++) volumeRow(dayString(start, offset), service, id, 500);
      extra.push({ kind: 'unattached-volume', id, monthly: 500 * EBS_GB_MONTH });
    }
    if (idleAddresses.has(blueprint.name)) {
      const id = `eipalloc-0${hexId(`${blueprint.name}:eip`)}`;
      for (let offset = 0; offset < days; offset++) {
        push(dayString(start, offset), {
          cost: IPV4_HOURLY * 24, RegionId: service.region, ResourceId: id, ResourceType: 'elastic-ip', ServiceCategory: 'Networking', ServiceName: 'Amazon Virtual Private Cloud', SkuId: 'PublicIPv4:IdleAddress',
          ChargeDescription: `$${IPV4_HOURLY} per Idle public IPv4 address per hour`, ConsumedQuantity: '24', ConsumedUnit: 'Hours', PricingQuantity: '24', PricingUnit: 'Hours',
          Tags: JSON.stringify({ service: service.name, team: service.team, environment: 'production' }),
        });
      }
      extra.push({ kind: 'unused-address', id, monthly: IPV4_HOURLY * 24 * 30 });
    }
    for (const item of extra) waste.push({ kind: item.kind, resourceId: item.id, service: `component:default/${blueprint.name}`, team: `group:default/${team}`, monthlySavings: Math.round(item.monthly * 100) / 100 });

    // Data transfer follows the week (busier on weekdays) with noise.
    for (let offset = 0; offset < days; offset++) {
      const day = dayString(start, offset);
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const gb = transferBase * (weekday === 0 || weekday === 6 ? 0.85 : 1.05) * (0.92 + random.next() * 0.16);
      push(day, {
        cost: gb * TRANSFER_PER_GB, RegionId: service.region, ResourceId: null, ServiceCategory: 'Networking', ServiceName: 'AWS Data Transfer', SkuId: 'DataTransfer-Out-Bytes',
        ChargeDescription: `$${TRANSFER_PER_GB} per GB - data transfer out to the internet`, ConsumedQuantity: gb.toFixed(6), ConsumedUnit: 'GB', PricingQuantity: gb.toFixed(6), PricingUnit: 'GB',
        Tags: JSON.stringify({ service: service.name, team: service.team }),
      });
    }

    for (const resource of blueprint.resources ?? []) {
      const id = demoCloudResourceId(resource, blueprint.system);
      for (let offset = 0; offset < days; offset++) {
        const day = dayString(start, offset);
        if (resource.type === 'bucket' || resource.type === 'queue') {
          const storage = resource.type === 'bucket';
          const quantity = storage ? (2000 + offset * 5) / 30 : 20 + random.next() * 4;
          push(day, {
            cost: storage ? quantity * 0.023 : quantity * 0.4, RegionId: service.region, ResourceId: id, ResourceName: resource.name, ResourceType: resource.type,
            ServiceCategory: storage ? 'Storage' : 'Integration', ServiceName: storage ? 'Amazon Simple Storage Service' : 'Amazon Simple Queue Service', SkuId: storage ? 'TimedStorage-ByteHrs' : 'Requests-Tier1',
            ChargeDescription: storage ? '$0.023 per GB-month of S3 Standard storage' : '$0.40 per million SQS standard requests',
            ConsumedQuantity: quantity.toFixed(6), ConsumedUnit: storage ? 'GB-Months' : 'Requests', PricingQuantity: quantity.toFixed(6), PricingUnit: storage ? 'GB-Months' : 'Requests',
          });
        } else {
          const pricing = RESOURCE_PRICING[resource.type]!;
          push(day, {
            cost: pricing.hourly * 24, RegionId: service.region, ResourceId: id, ResourceName: resource.name, ResourceType: resource.type, ServiceCategory: pricing.category, ServiceName: pricing.service,
            SkuId: pricing.sku, ChargeDescription: pricing.description, ConsumedQuantity: '24', ConsumedUnit: pricing.unit, PricingQuantity: '24', PricingUnit: pricing.unit,
          });
        }
      }
    }
  }

  // Shared costs nobody tagged: they stay unallocated.
  for (let offset = 0; offset < days; offset++) {
    const day = dayString(start, offset);
    push(day, { cost: 0.045 * 24 * 3, RegionId: 'eu-west-1', ResourceId: `arn:aws:ec2:eu-west-1:${DEMO_AWS_ACCOUNT}:natgateway/nat-shared`, ResourceType: 'nat-gateway', ServiceCategory: 'Networking', ServiceName: 'Amazon Virtual Private Cloud', SkuId: 'NatGateway-Hours', ChargeDescription: '$0.045 per NAT Gateway Hour (3 gateways)', ConsumedQuantity: '72', ConsumedUnit: 'Hours', PricingQuantity: '72', PricingUnit: 'Hours' });
    push(day, { cost: 95 + random.next() * 6, RegionId: null, ResourceId: null, ServiceCategory: 'Management and Governance', ServiceName: 'AWS Support (Business)', SkuId: 'Support-Business', ChargeDescription: 'AWS Support (Business), daily share', ConsumedQuantity: null, ConsumedUnit: null, PricingQuantity: null, PricingUnit: null });
  }

  // Spikes with known causes, inside the last 30 days so the default anomaly window sees them.
  const plantSpike = (spike: Omit<PlantedSpike, 'extraPerDay'> & { blueprintName: string; instance?: Instance; row?: (day: string) => FocusRow & { cost: number } }) => {
    const blueprint = services.find(service => service.name === spike.blueprintName)!;
    const service = { name: blueprint.name, team: teamOf.get(blueprint.system)!, region: demoRegionOf(blueprint.system) };
    let extraPerDay = 0;
    for (let day = spike.start; day <= spike.end; day = dayString(day, 1)) {
      if (spike.instance) {
        instanceRow(day, service, spike.resourceId, spike.instance);
        extraPerDay = spike.instance.hourly * 24;
      } else {
        const row = spike.row!(day);
        extraPerDay = row.cost;
        push(day, row);
      }
    }
    const { blueprintName: _name, instance: _instance, row: _row, ...truth } = spike;
    spikes.push({ ...truth, extraPerDay: Math.round(extraPerDay * 100) / 100 });
  };
  plantSpike({ blueprintName: 'search-indexer', entityRef: 'component:default/search-indexer', start: dayString(options.end, -9), end: dayString(options.end, -8), resourceId: instanceId('search-indexer', 99), skuId: 'BoxUsage:c6i.24xlarge', instance: INSTANCES['c6i.24xlarge'], cause: 'A full reindex ran on an oversized c6i.24xlarge instance that was left running for two days.' });
  plantSpike({ blueprintName: 'fraud-detection-service', entityRef: 'component:default/fraud-detection-service', start: dayString(options.end, -20), end: dayString(options.end, -20), resourceId: instanceId('fraud-detection-service', 98), skuId: 'BoxUsage:p3.2xlarge', instance: INSTANCES['p3.2xlarge'], cause: 'A fraud-model retraining job ran on a GPU instance.' });
  const clickstream = defaultOrgBlueprint.services.find(service => service.name === 'clickstream-collector')!;
  const bucket = clickstream.resources!.find(resource => resource.type === 'bucket')!;
  const bucketId = demoCloudResourceId(bucket, clickstream.system);
  plantSpike({
    blueprintName: 'clickstream-collector', entityRef: `resource:default/${bucket.name}`, start: dayString(options.end, -15), end: dayString(options.end, -13), resourceId: bucketId, skuId: 'S3-Replication-DataTransfer',
    cause: 'A misconfigured cross-region replication rule copied the clickstream bucket to eu-west-1 again and again.',
    row: (day) => ({ cost: 5000 * 0.02, RegionId: demoRegionOf(clickstream.system), ResourceId: bucketId, ResourceName: bucket.name, ResourceType: 'bucket', ServiceCategory: 'Networking', ServiceName: 'Amazon Simple Storage Service', SkuId: 'S3-Replication-DataTransfer', ChargeDescription: '$0.02 per GB - inter-region data transfer for replication', ConsumedQuantity: '5000', ConsumedUnit: 'GB', PricingQuantity: '5000', PricingUnit: 'GB', ChargePeriodStart: `${day}T00:00:00Z` }),
  });

  return { rows, utilisation, truth: { start, end: options.end, rows: rows.length, billedTotal: microsText(total), waste, spikes } };
}
