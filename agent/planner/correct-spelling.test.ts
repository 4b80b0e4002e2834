import { describe, expect, it } from 'vitest'
import { correctSpelling } from './correct-spelling.ts'

describe('correctSpelling', () => {
  const dictionary = new Set(['dependencies', 'owner', 'owns', 'sending', 'restart', 'roll', 'databases'])

  it('fixes typos of known words, a dropped letter in short ones too', () => {
    expect(correctSpelling(['dependncies', 'of', 'databses'], [], dictionary)).toEqual(['dependencies', 'of', 'databases'])
    expect(correctSpelling(['ownr'], [], dictionary)).toEqual(['owner'])
  })

  it('prefers, among equally close words, the one with the same first letter', () => {
    expect(correctSpelling(['rstart'], [], new Set([...dictionary, 'start']))).toEqual(['restart'])
  })

  it('takes two swapped letters as one slip', () => {
    expect(correctSpelling(['lsit'], [], new Set([...dictionary, 'list']))).toEqual(['list'])
  })

  it('leaves everyday English words alone even when they are one letter from a known word', () => {
    expect(correctSpelling(['even', 'review'], [], new Set([...dictionary, 'event', 'reviews']))).toEqual(['even', 'review'])
  })

  it('leaves real words, inflections and names alone', () => {
    // "pending" is one edit from "sending", but the first letter differs; "role" is a word, not "roll" mistyped.
    expect(correctSpelling(['pending', 'role', 'restarted'], [], dictionary)).toEqual(['pending', 'role', 'restarted'])
    expect(correctSpelling(['databses'], [{ start: 0, end: 1, text: 'databses', candidates: [] }], dictionary)).toEqual(['databses'])
  })
})
