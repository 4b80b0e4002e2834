import { createHash } from 'node:crypto'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { parseEntityRef } from '../../graph/model/entity-ref.ts'
import type { Entity } from '../../graph/model/entity.ts'
import type { MarkdownSection } from './markdown-sections.ts'

/** What is searchable about an entity, the same for the entity's own document and its docs sections. */
export interface SearchFacets {
  kind: string
  type?: string
  owner?: string
  system?: string
  lifecycle?: string
  tags: string[]
}

/**
 * One searchable document: an entity, or one section of its docs. The text is split by weight for full-text
 * ranking — names (A), keywords (B), summary (C), body (D) — and `embeddingText` is what the embedder reads.
 */
export interface SearchDocument extends SearchFacets {
  id: string
  entityRef: string
  documentType: 'entity' | 'docs'
  title: string
  section?: string
  /** Where a person opens it, in Backstage's URL shape (`/catalog/…`, `/docs/…`). */
  location: string
  names: string
  keywords: string
  summary: string
  body: string
  embeddingText: string
  contentHash: string
}

// A huge API definition would drown the rest and slow the index; its start names what it is about.
const MAX_BODY = 6000
const MAX_EMBEDDING_TEXT = 700

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

function short(ref: string | undefined): string | undefined {
  return ref ? parseEntityRef(ref).name : undefined
}

/** The entity's kind, type, owner, system, lifecycle and tags, owner and system as resolved references. */
export function entityFacets(index: CatalogIndex, ref: string, entity: Entity): SearchFacets {
  const spec = entity.spec ?? {}
  return {
    kind: entity.kind.toLowerCase(),
    type: text(spec.type)?.toLowerCase(),
    owner: index.targets(ref, 'ownedBy')[0],
    system: index.targets(ref, 'partOf').find((target) => target.startsWith('system:')),
    lifecycle: text(spec.lifecycle)?.toLowerCase(),
    tags: (entity.metadata.tags ?? []).map((tag) => tag.toLowerCase()),
  }
}

export function entityLocation(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref)
  return `/catalog/${namespace}/${kind}/${name}`
}

export function docsLocation(ref: string, page: string, anchor?: string): string {
  const { kind, namespace, name } = parseEntityRef(ref)
  const pagePath = page === 'index.md' ? '' : `${page.replace(/(?:\/index)?\.md$/, '')}/`
  return `/docs/${namespace}/${kind}/${name}/${pagePath}${anchor ? `#${anchor}` : ''}`
}

function hash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22)
}

function finish(document: Omit<SearchDocument, 'contentHash'>): SearchDocument {
  const { id: _id, ...content } = document
  return { ...document, contentHash: hash([JSON.stringify(content)]) }
}

/** What a result shows of an entity besides its text: facets, title and location. */
export function entityHeader(index: CatalogIndex, ref: string, entity: Entity): SearchFacets & { title: string; location: string } {
  const profile = (entity.spec?.profile ?? {}) as Record<string, unknown>
  return { ...entityFacets(index, ref, entity), title: entity.metadata.title ?? text(profile.displayName) ?? entity.metadata.name, location: entityLocation(ref) }
}

/** The entity as a document: names, title, aliases, description, tags, type, owner, system, annotations, links, API definition. */
export function entityDocument(index: CatalogIndex, ref: string, entity: Entity): SearchDocument {
  const { title, location, ...facets } = entityHeader(index, ref, entity)
  const { metadata } = entity
  const spec = entity.spec ?? {}
  const profile = (spec.profile ?? {}) as Record<string, unknown>
  const aliases = metadata.annotations?.['next-portal.io/aliases']?.split(',').map((alias) => alias.trim()).filter(Boolean) ?? []
  const names = [metadata.name, metadata.name.replace(/[-_.]+/g, ' '), metadata.title, text(profile.displayName), ...aliases].filter(Boolean).join(' ')
  const keywords = [facets.kind, facets.type, facets.lifecycle, ...facets.tags, short(facets.owner), short(facets.system), text(spec.domain)].filter(Boolean).join(' ')
  const summary = metadata.description ?? ''
  const annotations = Object.entries(metadata.annotations ?? {})
    .filter(([key]) => !key.startsWith('backstage.io/managed-by') && key !== 'backstage.io/edit-url' && key !== 'backstage.io/view-url')
    .map(([key, value]) => `${key}: ${value}`)
  const links = (metadata.links ?? []).map((link) => `${link.title ?? link.type ?? ''} ${link.url}`)
  const definition = text(spec.definition)
  const body = [text(profile.email), ...annotations, ...links, definition].filter(Boolean).join('\n').slice(0, MAX_BODY)
  const embeddingText = [`${title} (${[facets.kind, facets.type].filter(Boolean).join(' ')})`, summary, aliases.length > 0 ? `Also known as ${aliases.join(', ')}.` : '', facets.tags.length > 0 ? `Tags: ${facets.tags.join(', ')}.` : '', facets.owner ? `Owned by ${short(facets.owner)}.` : '', facets.system ? `Part of ${short(facets.system)}.` : '']
    .filter(Boolean)
    .join(' ')
    .slice(0, MAX_EMBEDDING_TEXT)
  return finish({ id: ref, entityRef: ref, documentType: 'entity', ...facets, title, location, names, keywords, summary, body, embeddingText })
}

/** One section of an entity's docs page as a document; it carries the entity's facets, so filters apply to it. */
export function docsSectionDocument(index: CatalogIndex, ref: string, entity: Entity, page: string, section: MarkdownSection): SearchDocument {
  const facets = entityFacets(index, ref, entity)
  const entityTitle = entity.metadata.title ?? entity.metadata.name
  const sectionPath = section.path.join(' › ')
  const body = plainMarkdown(section.text).slice(0, MAX_BODY)
  return finish({
    id: `${ref}#docs/${page}#${section.anchor}`,
    entityRef: ref,
    documentType: 'docs',
    ...facets,
    title: `${entityTitle}: ${section.heading}`,
    section: sectionPath,
    location: docsLocation(ref, page, section.anchor),
    names: section.heading,
    keywords: [entity.metadata.name, entityTitle, 'docs'].join(' '),
    summary: sectionPath,
    body,
    embeddingText: `${entityTitle} docs, ${section.heading}: ${body}`.slice(0, MAX_EMBEDDING_TEXT),
  })
}

/** Markdown as text to index and quote: table pipes, emphasis and link syntax removed, code kept. */
export function plainMarkdown(markdown: string): string {
  return markdown
    .replace(/^\s*\|?\s*-{3,}[-|\s:]*$/gm, '')
    .replace(/\|/g, ' ')
    .replace(/!?\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/(\*\*|__|\*|_(?=\S))/g, '')
    .replace(/^>\s?/gm, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
