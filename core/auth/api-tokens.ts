import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { ConflictError, InputError, NotFoundError } from '../errors.ts'
import type { Identity, Scope } from '../identity.ts'
import type { Queryable } from '../store/store.ts'
import { parseScopes } from './parse-scopes.ts'

/** What the portal knows about a token; never the token itself, which only its creator saw once. */
export interface TokenInfo {
  id: string
  name: string
  scopes: Scope[]
  subject: string
  createdAt: Date
  lastUsedAt?: Date
  revokedAt?: Date
}

export interface CreateTokenOptions {
  name: string
  scopes: string | readonly string[]
  /** Who calls with the token, as audit entries and tools see it; `token:<name>` when omitted. */
  subject?: string
  now?: () => Date
}

const TOKEN_PREFIX = 'np_'
const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/
// A used token's last_used_at is written at most this often, so that every request is not also a write.
const LAST_USED_RESOLUTION_MS = 60_000

interface TokenRow {
  id: string
  name: string
  scopes: string[]
  subject: string
  created_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}

/** Only the SHA-256 of a token is stored: a leaked table holds nothing a caller could present. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/**
 * Creates a bearer token and returns its plaintext, the only time anyone sees it (`np_` + 32 random bytes,
 * base64url). Scopes are checked against SCOPES; names are unique and stay taken after a revocation, so an
 * audit entry's token name always means one token.
 */
export async function createToken(store: Queryable, { name, scopes, subject, now = () => new Date() }: CreateTokenOptions): Promise<{ token: string; info: TokenInfo }> {
  if (!NAME_PATTERN.test(name)) {
    throw new InputError(`Token name "${name}" must be 1-63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`, { issues: [{ path: 'name', message: 'invalid' }] })
  }
  const checked = parseScopes(scopes)
  const existing = await store.query('select 1 from api_tokens where name = $1', [name])
  if (existing.rows.length > 0) throw new ConflictError(`A token named "${name}" already exists; choose another name (revoked names stay taken)`)
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
  try {
    const inserted = await store.query<TokenRow>(
      'insert into api_tokens (id, name, token_hash, scopes, subject, created_at) values ($1, $2, $3, $4, $5, $6) returning *',
      [randomUUID(), name, hashToken(token), checked, subject ?? `token:${name}`, now()],
    )
    return { token, info: toInfo(inserted.rows[0]!) }
  } catch (error) {
    // Two creators racing for one name: the unique index decides, and the loser hears why.
    if ((error as { code?: string }).code === '23505') throw new ConflictError(`A token named "${name}" already exists; choose another name`, { cause: error })
    throw error
  }
}

export async function listTokens(store: Queryable): Promise<TokenInfo[]> {
  const result = await store.query<TokenRow>('select id, name, scopes, subject, created_at, last_used_at, revoked_at from api_tokens order by name')
  return result.rows.map(toInfo)
}

/** Revokes a token by name; the next request that presents it fails. Revoking twice is not an error. */
export async function revokeToken(store: Queryable, name: string, { now = () => new Date() }: { now?: () => Date } = {}): Promise<TokenInfo> {
  const result = await store.query<TokenRow>('update api_tokens set revoked_at = coalesce(revoked_at, $2) where name = $1 returning *', [name, now()])
  const row = result.rows[0]
  if (!row) {
    const names = (await listTokens(store)).filter((token) => !token.revokedAt).map((token) => token.name)
    throw new NotFoundError(`No token named "${name}"${names.length > 0 ? `; active tokens: ${names.join(', ')}` : '; there are no active tokens'}`)
  }
  return toInfo(row)
}

/** The identity a presented token stands for, or undefined when it is unknown or revoked. */
export async function verifyToken(store: Queryable, token: string, { now = () => new Date() }: { now?: () => Date } = {}): Promise<Identity | undefined> {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX)) return undefined
  const result = await store.query<TokenRow>('select * from api_tokens where token_hash = $1 and revoked_at is null', [hashToken(token)])
  const row = result.rows[0]
  if (!row) return undefined
  const time = now()
  if (!row.last_used_at || time.getTime() - new Date(row.last_used_at).getTime() >= LAST_USED_RESOLUTION_MS) {
    await store.query('update api_tokens set last_used_at = $2 where id = $1', [row.id, time])
  }
  return { subject: row.subject, scopes: new Set(row.scopes) }
}

function toInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as Scope[],
    subject: row.subject,
    createdAt: new Date(row.created_at),
    ...(row.last_used_at ? { lastUsedAt: new Date(row.last_used_at) } : {}),
    ...(row.revoked_at ? { revokedAt: new Date(row.revoked_at) } : {}),
  }
}
