import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { ANNOTATION_MANAGED_BY_LOCATION, type Entity } from '../model/entity.ts'

export const ANNOTATION_TECHDOCS_REF = 'backstage.io/techdocs-ref'

export interface DocsPage {
  /** The path under the docs folder, with forward slashes, e.g. `index.md` or `runbooks/restart.md`. */
  path: string
  text: string
}

// A docs folder is people's prose, not a data dump: past these limits the rest stays on disk, unlisted.
const MAX_PAGES = 100
const MAX_PAGE_BYTES = 1024 * 1024

/**
 * Where an entity's TechDocs live, following Backstage: `backstage.io/techdocs-ref: dir:<path>` is relative to
 * the folder of the catalog file the entity came from (`backstage.io/managed-by-location: file:<abs path>`),
 * and the Markdown is in `docs/` there. Only local `dir:` references are served; an entity read from a URL,
 * or pointing at `url:` docs, has none here. Answers from memory, without touching the disk.
 */
export function docsFolder(entity: Entity): string | undefined {
  const reference = entity.metadata.annotations?.[ANNOTATION_TECHDOCS_REF]
  const location = entity.metadata.annotations?.[ANNOTATION_MANAGED_BY_LOCATION]
  if (!reference?.startsWith('dir:') || !location?.startsWith('file:')) return undefined
  return path.join(path.resolve(path.dirname(location.slice('file:'.length)), reference.slice('dir:'.length)), 'docs')
}

/** The docs folder's Markdown pages, `index.md` first; undefined when the folder has no `index.md`. */
export async function readDocsPages(folder: string): Promise<DocsPage[] | undefined> {
  const index = await readPage(folder, 'index.md')
  if (index === undefined) return undefined
  const others = (await listMarkdown(folder)).filter((page) => page !== 'index.md').slice(0, MAX_PAGES - 1)
  const pages: DocsPage[] = [{ path: 'index.md', text: index }]
  for (const page of others) {
    const text = await readPage(folder, page)
    if (text !== undefined) pages.push({ path: page, text })
  }
  return pages
}

/** One page by its path under the docs folder, only if it is one of the pages `readDocsPages` lists. */
export async function readDocsPage(folder: string, page: string): Promise<DocsPage | undefined> {
  // Only listed pages are served, so a `../` in a URI can never reach outside the docs folder.
  if (!(await listMarkdown(folder)).slice(0, MAX_PAGES).includes(page)) return undefined
  const text = await readPage(folder, page)
  return text === undefined ? undefined : { path: page, text }
}

export async function hasDocs(folder: string): Promise<boolean> {
  try {
    const index = await stat(path.join(folder, 'index.md'))
    return index.isFile() && index.size <= MAX_PAGE_BYTES
  } catch {
    return false
  }
}

async function listMarkdown(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true })
    return entries
      .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
      .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort((a, b) => (a === 'index.md' ? -1 : b === 'index.md' ? 1 : a.localeCompare(b)))
  } catch {
    return []
  }
}

async function readPage(folder: string, page: string): Promise<string | undefined> {
  try {
    const buffer = await readFile(path.join(folder, page))
    if (buffer.byteLength > MAX_PAGE_BYTES) return undefined
    return buffer.toString('utf8')
  } catch {
    return undefined
  }
}
