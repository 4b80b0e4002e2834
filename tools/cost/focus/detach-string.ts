/**
 * A copy of a string that does not keep the text it was cut from alive. V8 represents `slice` results (13+
 * characters) as views into the parent string, so a value cut from a 1 MB CSV chunk and kept in a cache keeps
 * the whole chunk: caches of dates or resource ids then grew by hundreds of MB over a long import.
 */
export function detachString(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string
}
