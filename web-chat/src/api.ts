import type { ApprovalView } from '../../bots/cards.ts'

/** The header the server reads the chosen person from in the embedded default (see chat-routes.ts). */
export const USER_HEADER = 'x-portal-user'

export interface SessionUser {
  ref: string
  name: string
  email?: string
  teams: string[]
}

export interface Session {
  auth: 'local' | 'proxy'
  user: SessionUser | null
  users: SessionUser[]
  suggestions: string[]
}

export interface ApprovalState {
  request: ApprovalView
  canDecide: boolean
}

export function userHeaders(user: string | undefined): Record<string, string> {
  return user ? { [USER_HEADER]: user } : {}
}

/** The server's errors carry what was wrong; show that, not a status code. */
async function json<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => undefined)
  if (!response.ok) throw new Error(body?.error?.message ?? `The portal answered ${response.status}`)
  return body as T
}

export async function fetchSession(user: string | undefined): Promise<Session> {
  return json(await fetch('/api/chat/session', { headers: userHeaders(user) }))
}

export async function fetchApproval(id: string, user: string | undefined): Promise<ApprovalState> {
  return json(await fetch(`/api/approvals/${encodeURIComponent(id)}`, { headers: userHeaders(user) }))
}

export async function decide(id: string, user: string | undefined, decision: 'approve' | 'deny', reason?: string): Promise<ApprovalState> {
  return json(await fetch(`/api/approvals/${encodeURIComponent(id)}/decision`, { method: 'POST', headers: { 'content-type': 'application/json', ...userHeaders(user) }, body: JSON.stringify({ decision, ...(reason ? { reason } : {}) }) }))
}
