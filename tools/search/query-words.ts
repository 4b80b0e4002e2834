/**
 * Words that say how a question is asked, not what it is about ("where is the runbook for checkout?" is about
 * "runbook" and "checkout"). Postgres drops English stop words itself; prefixes and the name index need these gone.
 */
const QUESTION_WORDS = new Set([
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'to', 'of', 'for', 'in', 'on', 'at', 'by', 'with', 'and', 'or', 'me', 'i', 'my', 'we', 'our', 'you',
  'it', 'its', 'this', 'that', 'these', 'those', 'there', 'what', 'whats', 'where', 'which', 'who', 'whom', 'how', 'why', 'when', 'do', 'does', 'did',
  'can', 'could', 'would', 'should', 'find', 'search', 'show', 'list', 'get', 'give', 'tell', 'look', 'looking', 'need', 'want', 'please', 'any', 'some',
  'all', 'about', 'anything', 'something', 'thing', 'things', 'stuff', 'related', 'relating', 'regarding', 'concerning', 'info', 'information', 'page',
  'pages', 'located', 'live', 'lives', 'kept', 'have', 'has', 'we', 'us', 'from', 'into', 'if', 'as', 'so', 'than', 'then', 'them', 'they', 'their',
])

/** Full text searches a word nobody wrote whole as a prefix from this many letters ("paym"); shorter ones say too little. */
export const PREFIX_MIN_LENGTH = 3

/** Lower-case words of a query (letters and digits), question words removed, at most `limit` of them. */
export function queryWords(query: string, limit = 12): string[] {
  const words = query.toLowerCase().replace(/['’]s\b/g, '').split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0 && !QUESTION_WORDS.has(word))
  return [...new Set(words)].slice(0, limit)
}

/** Words of a text worth knowing for spelling correction. */
export function vocabularyWords(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 3 && word.length <= 40 && !/^\d+$/.test(word))
}
