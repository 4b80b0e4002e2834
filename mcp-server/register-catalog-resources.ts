import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError, type McpServer, type ReadResourceResult, type Resource } from '@modelcontextprotocol/server'
import type { Catalog } from '../graph/catalog/catalog.ts'
import { similarRefs } from '../graph/index/resolve-entity.ts'
import { decodeCursor, encodeCursor } from '../tools/paging.ts'
import { docsFolder, hasDocs, readDocsPage, readDocsPages } from '../graph/docs/entity-docs.ts'
import { CATALOG_TEMPLATE, catalogUri, DOCS_PAGE_TEMPLATE, DOCS_TEMPLATE, docsUri, parseResourceUri } from './resource-uris.ts'

export interface CatalogResourcesOptions {
  catalog: Catalog
  /** Entities per `resources/list` page; an entity with docs brings its docs resource onto the same page. */
  pageSize?: number
}

// Binds cursors to this listing, so a cursor from another paged call is refused rather than misread.
const CURSOR_QUERY = 'resources/list'

/**
 * Catalog entities and their docs as MCP resources: `catalog://{kind}/{namespace}/{name}` is the entity as
 * JSON with its relations; `docs://{kind}/{namespace}/{name}` its TechDocs Markdown. `resources/list` walks
 * every entity in reference order, a page at a time, listing docs only for entities that have them.
 *
 * The handlers are set on the protocol server directly because McpServer's own `resources/list` returns
 * everything in one answer and ignores the cursor.
 */
export function registerCatalogResources(server: McpServer, { catalog, pageSize = 100 }: CatalogResourcesOptions): void {
  const { index } = catalog
  const protocol = server.server
  protocol.registerCapabilities({ resources: {} })

  protocol.setRequestHandler('resources/templates/list', () => ({
    resourceTemplates: [
      { uriTemplate: CATALOG_TEMPLATE, name: 'catalog-entity', title: 'Catalog entity', description: 'A catalog entity (service, API, resource, system, domain, team, person) as JSON, with its metadata, spec and relations.', mimeType: 'application/json' },
      { uriTemplate: DOCS_TEMPLATE, name: 'entity-docs', title: 'Entity docs', description: "An entity's TechDocs: docs/index.md first, then its other Markdown pages, each with its own docs:// URI.", mimeType: 'text/markdown' },
      { uriTemplate: DOCS_PAGE_TEMPLATE, name: 'entity-docs-page', title: 'Entity docs page', description: "One Markdown page of an entity's TechDocs, by its path under docs/, e.g. runbooks/restart.md.", mimeType: 'text/markdown' },
    ],
  }))

  protocol.setRequestHandler('resources/list', async (request) => {
    const refs = [...index.refs()].sort()
    const cursor = request.params?.cursor
    const offset = cursor === undefined ? 0 : offsetOf(cursor)
    const page = refs.slice(offset, offset + pageSize)
    const listed = await Promise.all(
      page.map(async (ref): Promise<Resource[]> => {
        const entity = index.getStored(ref)!.entity
        const title = entity.metadata.title ?? entity.metadata.name
        const resources: Resource[] = [{ uri: catalogUri(ref), name: ref, title, mimeType: 'application/json', ...(entity.metadata.description ? { description: entity.metadata.description } : {}) }]
        const folder = docsFolder(entity)
        if (folder && (await hasDocs(folder))) resources.push({ uri: docsUri(ref), name: `${ref} docs`, title: `${title} docs`, mimeType: 'text/markdown' })
        return resources
      }),
    )
    const next = offset + pageSize
    return { resources: listed.flat(), ...(next < refs.length ? { nextCursor: encodeCursor(next, CURSOR_QUERY) } : {}) }
  })

  protocol.setRequestHandler('resources/read', async (request): Promise<ReadResourceResult> => {
    const { uri } = request.params
    const parsed = parseResourceUri(uri)
    if (!parsed) throw new ResourceNotFoundError(uri, `No resource ${uri}; this server serves ${CATALOG_TEMPLATE} and ${DOCS_TEMPLATE}`)
    const stored = index.getStored(parsed.ref)
    if (!stored) {
      const similar = similarRefs(index, parsed.ref)
      throw new ResourceNotFoundError(uri, `No entity ${parsed.ref} in the catalog${similar.length > 0 ? `; did you mean ${similar.map(catalogUri).join(', ')}?` : ''}`)
    }
    if (parsed.scheme === 'catalog') {
      return { contents: [{ uri: catalogUri(parsed.ref), mimeType: 'application/json', text: JSON.stringify(index.get(parsed.ref), null, 2) }] }
    }
    const folder = docsFolder(stored.entity)
    const noDocs = () => new ResourceNotFoundError(uri, `${parsed.ref} has no docs here: it needs a backstage.io/techdocs-ref "dir:" annotation, a local catalog file, and docs/index.md`)
    if (!folder) throw noDocs()
    if (parsed.page !== undefined) {
      const page = await readDocsPage(folder, parsed.page)
      if (!page) throw new ResourceNotFoundError(uri, `${parsed.ref} has no docs page ${parsed.page}; read ${docsUri(parsed.ref)} to see its pages`)
      return { contents: [{ uri: docsUri(parsed.ref, page.path), mimeType: 'text/markdown', text: page.text }] }
    }
    const pages = await readDocsPages(folder)
    if (!pages) throw noDocs()
    return { contents: pages.map((page) => ({ uri: page.path === 'index.md' ? docsUri(parsed.ref) : docsUri(parsed.ref, page.path), mimeType: 'text/markdown', text: page.text })) }
  })
}

function offsetOf(cursor: string): number {
  try {
    return decodeCursor(cursor, CURSOR_QUERY)
  } catch {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid cursor: pass the nextCursor of the previous resources/list page unchanged')
  }
}
