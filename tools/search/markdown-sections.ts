export interface MarkdownSection {
  /** The heading's text, or the page title for text before the first heading. */
  heading: string
  /** Headings from the page title down to this one, e.g. ["Checkout Service", "On-call and runbook"]. */
  path: string[]
  /** The anchor TechDocs (MkDocs) gives the heading. */
  anchor: string
  /** The section's text, headings below the split level included. */
  text: string
}

/** The anchor MkDocs gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading.toLowerCase().replace(/[`*_[\]()]/g, '').replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s+/g, '-')
}

/**
 * Splits a Markdown page into sections at headings of `depth` or shallower (`#` and `##` by default), so each
 * search result is one topic of a page ("On-call and runbook") rather than the whole page. Headings inside
 * fenced code blocks are code, not headings. Sections without text are dropped.
 */
export function markdownSections(markdown: string, { depth = 2, fallbackTitle = '' }: { depth?: number; fallbackTitle?: string } = {}): MarkdownSection[] {
  const sections: MarkdownSection[] = []
  // A page without a `#` title gets the one it is given, so its sections read "Cart Service › Usage".
  const trail: string[] = fallbackTitle ? [fallbackTitle] : []
  let current: { heading: string; path: string[]; lines: string[] } = { heading: fallbackTitle, path: fallbackTitle ? [fallbackTitle] : [], lines: [] }
  let fence: string | undefined
  const flush = () => {
    const text = current.lines.join('\n').trim()
    if (text !== '' && current.heading !== '') sections.push({ heading: current.heading, path: current.path, anchor: headingAnchor(current.heading), text })
  }
  for (const line of markdown.split(/\r?\n/)) {
    const fenceMark = /^\s*(```|~~~)/.exec(line)?.[1]
    if (fenceMark) fence = fence === fenceMark ? undefined : (fence ?? fenceMark)
    const heading = fence ? undefined : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line)
    if (heading && heading[1]!.length <= depth) {
      flush()
      const level = heading[1]!.length
      trail.length = level - 1
      trail[level - 1] = heading[2]!
      current = { heading: heading[2]!, path: trail.filter(Boolean), lines: [] }
      continue
    }
    current.lines.push(line)
  }
  flush()
  return sections
}
