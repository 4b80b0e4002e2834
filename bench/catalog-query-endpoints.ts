export interface RequestSpec {
  path: string
  method: 'GET' | 'POST'
  body?: string
}

export interface OwningGroup {
  ref: string
  name: string
}

export type EndpointName = 'byQuery' | 'toolQuery'

export interface Endpoint {
  describe: string
  requestFor(group: OwningGroup): RequestSpec
  /** How many entities a response carried, and how many matched in all. */
  count(body: string): { items: number; totalItems: number }
}

/** The two ways to ask "what does this team own": Backstage's by-query filter, and the `catalog_query` tool. */
export const ENDPOINTS: Record<EndpointName, Endpoint> = {
  byQuery: {
    describe: 'GET /api/catalog/entities/by-query?filter=relations.ownedby=<group ref>&limit=50',
    requestFor: ({ ref }) => ({ method: 'GET', path: `/api/catalog/entities/by-query?${new URLSearchParams({ filter: `relations.ownedby=${ref}`, limit: '50' })}` }),
    count: (body) => {
      const parsed = JSON.parse(body) as { items: unknown[]; totalItems: number }
      return { items: parsed.items.length, totalItems: parsed.totalItems }
    },
  },
  toolQuery: {
    describe: 'POST /api/tools/catalog_query {"owner": "<group name>"}',
    requestFor: ({ name }) => ({ method: 'POST', path: '/api/tools/catalog_query', body: JSON.stringify({ owner: name }) }),
    count: (body) => {
      const parsed = JSON.parse(body) as { output: { items: unknown[]; totalItems: number } }
      return { items: parsed.output.items.length, totalItems: parsed.output.totalItems }
    },
  },
}
