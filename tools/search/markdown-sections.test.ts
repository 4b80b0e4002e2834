import { describe, expect, it } from 'vitest'
import { headingAnchor, markdownSections } from './markdown-sections.ts'

describe('markdownSections', () => {
  it('splits at # and ## headings, keeps ### inside, ignores headings in code fences', () => {
    const sections = markdownSections('# Ledger\n\nThe books.\n\n## On-call and runbook\n\nPage us.\n\n### Common alerts\n\n- drift\n\n## Local development\n\n```sh\n# not a heading\nmake dev\n```\n\n## Empty\n')
    expect(sections.map((section) => [section.heading, section.path, section.anchor])).toEqual([
      ['Ledger', ['Ledger'], 'ledger'],
      ['On-call and runbook', ['Ledger', 'On-call and runbook'], 'on-call-and-runbook'],
      ['Local development', ['Ledger', 'Local development'], 'local-development'],
    ])
    expect(sections[1]!.text).toContain('### Common alerts')
    expect(sections[2]!.text).toContain('# not a heading')
  })

  it('names text before the first heading after the page title it is given', () => {
    expect(markdownSections('Intro text.\n\n## Usage\n\nRun it.', { fallbackTitle: 'Cart Service' }).map((section) => section.path)).toEqual([['Cart Service'], ['Cart Service', 'Usage']])
  })

  it('makes MkDocs-style anchors', () => {
    expect(headingAnchor('API & `gRPC` (v2)')).toBe('api-grpc-v2')
  })
})
