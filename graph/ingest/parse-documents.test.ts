import { describe, expect, it } from 'vitest'
import { parseDocuments } from './parse-documents.ts'

describe('parseDocuments', () => {
  it('reads every document of a multi-document file, as the YAML 1.2 core schema types them', () => {
    expect(parseDocuments('a: 1\nwhen: 2024-01-01\nok: yes\n---\nb: [x, y]\n---\n')).toEqual([{ value: { a: 1, when: '2024-01-01', ok: 'yes' } }, { value: { b: ['x', 'y'] } }, { value: null }])
  })

  it('reports a broken document with its problem and keeps the others', () => {
    const documents = parseDocuments('a: 1\n---\nkind: [unclosed\n---\nc: 3\n')
    expect(documents[0]).toEqual({ value: { a: 1 } })
    expect(documents[1]).toEqual({ errors: [expect.stringMatching(/flow sequence|Missing|Unexpected|end/i)] })
    expect(documents.at(-1)).toEqual({ value: { c: 3 } })
  })

  it('limits alias expansion', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghij'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdefghij'[index]}`).join(', ')}]`)].join('\n')
    const [document] = parseDocuments(bomb)
    expect(document).toEqual({ errors: [expect.stringMatching(/alias/i)] })
  })
})
