import { editDistance } from '../../core/text/edit-distance.ts'
import type { Mention } from './entity-linker.ts'
import { COMMON_TYPOS, ENGLISH_WORDS, canonicalWord } from './words.ts'

/** Endings an inflected word may carry on top of a dictionary word ("restarted", "scaled", "pending"). */
const INFLECTIONS = ['ing', 'ed', 'd', 'es', 's']

function isInflectionOf(token: string, dictionary: ReadonlySet<string>): boolean {
  return INFLECTIONS.some((ending) => token.endsWith(ending) && token.length - ending.length >= 3 && (dictionary.has(token.slice(0, -ending.length)) || dictionary.has(`${token.slice(0, -ending.length)}e`)))
}

/**
 * Fixes misspelt words the planner knows ("dependncies", "databses", "ownr"), leaving names alone. A word
 * is changed only to the one meaning its closest dictionary words share, keeping the first letter (people
 * rarely mistype it, and "pending" must not become "sending").
 */
export function correctSpelling(tokens: string[], mentions: Mention[], dictionary: ReadonlySet<string>): string[] {
  const inMention = new Set(mentions.flatMap((mention) => Array.from({ length: mention.end - mention.start }, (_, offset) => mention.start + offset)))
  return tokens.map((token, position) => {
    if (COMMON_TYPOS[token]) return COMMON_TYPOS[token]!
    if (inMention.has(position) || dictionary.has(token) || ENGLISH_WORDS.has(token) || token.length < 4 || /\d/.test(token) || isInflectionOf(token, dictionary)) return token
    // "lsit", "teh": two letters swapped is one slip, not two edits.
    const swaps = new Set<string>()
    for (let at = 0; at + 1 < token.length; at++) {
      const swapped = `${token.slice(0, at)}${token[at + 1]}${token[at]}${token.slice(at + 2)}`
      if (dictionary.has(swapped)) swaps.add(swapped)
    }
    if (swaps.size === 1) return [...swaps][0]!
    const limit = token.length >= 8 ? 2 : 1
    let best: string[] = []
    let bestDistance = limit + 1
    for (const word of dictionary) {
      if (Math.abs(word.length - token.length) > limit || (word[0] !== token[0] && word[0] !== token[1])) continue
      // A short word is corrected only for a dropped letter ("ownr"): "role" is a word, not a typo of "roll".
      if (token.length === 4 && word.length !== 5) continue
      const distance = editDistance(word, token, limit)
      if (distance > limit) continue
      if (distance < bestDistance) {
        best = [word]
        bestDistance = distance
      } else if (distance === bestDistance) best.push(word)
    }
    // "rstart": among equally close words, those that keep the first letter ("restart", not "start").
    const sameStart = best.filter((word) => word[0] === token[0])
    const closest = sameStart.length > 0 ? sameStart : best
    const meanings = new Set(closest.map((word) => canonicalWord(word) ?? word))
    return meanings.size === 1 ? closest[0]! : token
  })
}
