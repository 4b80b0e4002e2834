import { InputError } from '../core/errors.ts'

/** An opaque cursor: the offset into a result list, bound to the query it came from. */
export function encodeCursor(offset: number, query: unknown): string {
  return Buffer.from(JSON.stringify({ offset, query })).toString('base64url')
}

export function decodeCursor(cursor: string, query: unknown): number {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset: unknown; query: unknown }
    if (typeof decoded.offset !== 'number' || decoded.offset < 0 || JSON.stringify(decoded.query) !== JSON.stringify(query)) throw new Error('mismatch')
    return decoded.offset
  } catch {
    throw new InputError('cursor is not valid for this query; pass the nextCursor of the previous page with the same filters')
  }
}
