import { InProcessEventBus } from '../events/in-process-event-bus.ts'
import { Catalog } from '../../graph/catalog/catalog.ts'
import { MemoryCatalogRepository } from '../../graph/catalog/memory-catalog-repository.ts'

/** A catalog in memory loaded from YAML text; throws if the text has errors, so tests fail loudly. */
export async function memoryCatalog(yaml: string): Promise<Catalog> {
  const catalog = await Catalog.open({ repository: new MemoryCatalogRepository(), bus: new InProcessEventBus() })
  const report = await catalog.import([{ name: 'test.yaml', text: yaml }])
  if (report.errors.length > 0) throw new Error(`test catalog has errors: ${JSON.stringify(report.errors)}`)
  return catalog
}

/** A small organisation with every relation kind, used by index, graph and tool tests. */
export const SMALL_ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: engineering }
spec: { type: department, children: [payments, storefront] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments, annotations: { slack.com/channel-name: '#team-payments' } }
spec: { type: team, parent: engineering, children: [fraud], profile: { displayName: Payments Team, email: payments@example.com } }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: fraud }
spec: { type: team, parent: payments, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: storefront }
spec: { type: team, parent: engineering, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ada, annotations: { slack.com/user-id: U001, microsoft.com/email: ada@example.com } }
spec: { memberOf: [payments], profile: { displayName: Ada Lovelace, email: ada@example.com } }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: grace }
spec: { memberOf: [fraud], profile: { displayName: Grace Hopper } }
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata: { name: commerce }
spec: { owner: engineering }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: checkout }
spec: { owner: payments, domain: commerce }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: web, title: Web Storefront, tags: [frontend] }
spec: { type: website, lifecycle: production, owner: storefront, consumesApis: [checkout-api] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: checkout, description: Takes the money, annotations: { backstage.io/kubernetes-id: checkout } }
spec: { type: service, lifecycle: production, owner: payments, system: checkout, providesApis: [checkout-api], consumesApis: [payments-api] }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: checkout-api }
spec: { type: openapi, lifecycle: production, owner: payments, system: checkout, definition: 'openapi: 3.0.0' }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: payments, tags: [java] }
spec: { type: service, lifecycle: production, owner: payments, system: checkout, providesApis: [payments-api], dependsOn: ['resource:payments-db'] }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: { name: payments-api }
spec: { type: grpc, lifecycle: production, owner: payments, definition: 'service Payments {}' }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: fraud-check }
spec: { type: service, lifecycle: experimental, owner: fraud, dependsOn: ['resource:payments-db'] }
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: payments-db }
spec: { type: database, owner: payments, system: checkout }
`
