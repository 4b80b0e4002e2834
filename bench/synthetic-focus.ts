import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { createGzip } from 'node:zlib'
import { defaultOrgBlueprint } from '../graph/demo/default-org-blueprint.ts'
import { focusHeader, focusLine } from '../graph/demo/focus-csv.ts'
import { createSeededRandom } from '../graph/demo/seeded-random.ts'

const SKUS = [
  { category: 'Compute', service: 'Amazon Elastic Compute Cloud', sku: 'BoxUsage:m6i.xlarge', unit: 'Hours', price: 0.192, description: '$0.192 per On Demand Linux m6i.xlarge Instance Hour', quantity: 24 },
  { category: 'Storage', service: 'Amazon Elastic Block Store', sku: 'EBS:VolumeUsage.gp3', unit: 'GB-Months', price: 0.08, description: '$0.08 per GB-month of gp3 storage', quantity: 3.33 },
  { category: 'Databases', service: 'Amazon Relational Database Service', sku: 'InstanceUsage:db.r6g.large', unit: 'Hours', price: 0.24, description: 'db.r6g.large instance hour', quantity: 24 },
  { category: 'Networking', service: 'AWS Data Transfer', sku: 'DataTransfer-Out-Bytes', unit: 'GB', price: 0.09, description: '$0.09 per GB out', quantity: 40 },
]

/**
 * Writes a gzipped FOCUS file of `rows` daily charges spread evenly over the `days` days before `end`, for the
 * demo organisation's services (tagged, so they allocate), streamed so that memory stays flat.
 */
export async function writeSyntheticFocus(file: string, { rows, end, days = 365, seed = 1 }: { rows: number; end: string; days?: number; seed?: number }): Promise<void> {
  const random = createSeededRandom({ seed })
  const teams = new Map(defaultOrgBlueprint.systems.map((system) => [system.name, system.owner]))
  const services = defaultOrgBlueprint.services.map((service) => ({ name: service.name, team: teams.get(service.system)! }))
  const perDay = Math.ceil(rows / days)
  const endMs = Date.parse(`${end}T00:00:00Z`)
  const gzip = createGzip({ level: 1 })
  const output = gzip.pipe(createWriteStream(file))
  let buffer = focusHeader()
  let written = 0
  for (let day = days; day >= 1 && written < rows; day--) {
    const start = new Date(endMs - day * 86_400_000)
    const date = start.toISOString().slice(0, 10)
    const month = `${date.slice(0, 7)}-01T00:00:00Z`
    const nextMonth = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)).toISOString().replace('.000', '')
    for (let index = 0; index < perDay && written < rows; index++, written++) {
      const service = services[index % services.length]!
      const sku = SKUS[index % SKUS.length]!
      const cost = (sku.price * sku.quantity * (0.9 + random.next() * 0.2)).toFixed(6)
      buffer += focusLine({
        BilledCost: cost, EffectiveCost: cost, ListCost: cost, ContractedCost: cost, BillingAccountId: '418273645091', BillingAccountName: 'Acme Retail', BillingCurrency: 'USD',
        BillingPeriodStart: month, BillingPeriodEnd: nextMonth, ChargeCategory: 'Usage', ChargeClass: null, ChargeDescription: sku.description, ChargeFrequency: 'Usage-Based',
        ChargePeriodStart: `${date}T00:00:00Z`, ChargePeriodEnd: `${new Date(start.getTime() + 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`, ConsumedQuantity: String(sku.quantity), ConsumedUnit: sku.unit,
        PricingCategory: 'Standard', PricingQuantity: String(sku.quantity), PricingUnit: sku.unit, ProviderName: 'AWS', PublisherName: 'Amazon Web Services, Inc.', InvoiceIssuerName: 'Amazon Web Services, Inc.',
        RegionId: index % 3 === 0 ? 'us-east-1' : 'eu-west-1', ResourceId: `arn:aws:bench:${service.name}:${Math.floor(index / services.length)}:${sku.sku}`, ResourceType: 'instance',
        ServiceCategory: sku.category, ServiceName: sku.service, SkuId: sku.sku, SubAccountId: '418273645091', SubAccountName: 'acme-production',
        Tags: JSON.stringify({ service: service.name, team: service.team }),
      })
      if (buffer.length > 1 << 20) {
        if (!gzip.write(buffer)) await once(gzip, 'drain')
        buffer = ''
      }
    }
  }
  gzip.end(buffer)
  await once(output, 'finish')
}
