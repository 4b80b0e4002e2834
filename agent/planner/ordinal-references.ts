const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10 }
const REF = /\b(?:component|api|resource|system|domain|group|user|template):[a-z0-9._-]+\/[a-z0-9_-]+(?:\.[a-z0-9_-]+)*/gi
const ORDINAL_PHRASE = /\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d{1,2}(?:st|nd|rd|th))\s+(?:one|entry|item|result|match|api|service|component|resource|system|team)\b/gi

/**
 * The entities an answer listed, in order: the first reference of each list line when the answer is a list,
 * else every reference in order of appearance, without the owners and people named beside them.
 */
export function listedRefs(answer: string): string[] {
  const lines = answer.split('\n').filter((line) => /^\s*(?:[-•*]|\d+[.)])\s+/.test(line))
  const refs = lines.length > 0 ? lines.flatMap((line) => (line.match(REF) ?? []).slice(0, 1)) : (answer.match(REF) ?? [])
  const lowered = [...new Set(refs.map((ref) => ref.toLowerCase()))]
  const things = lowered.filter((ref) => !ref.startsWith('group:') && !ref.startsWith('user:'))
  return things.length > 0 ? things : lowered
}

/** "Which team owns the second one?" after a list: the second entity of that list, by its reference. */
export function resolveOrdinals(question: string, previousAnswer: string | undefined): string {
  if (!previousAnswer) return question
  const listed = listedRefs(previousAnswer)
  if (listed.length === 0) return question
  return question.replace(ORDINAL_PHRASE, (phrase, ordinal: string) => {
    const word = ordinal.toLowerCase()
    const position = word === 'last' ? listed.length : (ORDINALS[word] ?? Number.parseInt(word, 10))
    return listed[position - 1] ?? phrase
  })
}
