import type { PlaybookConfig } from './remediation-config.ts'
import type { ExecutorCall } from './workload-executor.ts'

export interface TemplateContext {
  entity: { ref: string; name: string; namespace: string }
  params: Record<string, unknown>
}

export interface ExternalActionOptions {
  env: Record<string, string | undefined>
  fetch?: typeof globalThis.fetch
  /** GitHub's REST API (GitHub Enterprise: https://host/api/v3). */
  githubApiUrl?: string
  githubToken?: string
}

/**
 * Fills `{{entity.name}}`, `{{params.x}}` from the call and `${env:NAME}` from the environment. The recorded
 * form (for plans and the audit log) keeps `${env:…}` unexpanded, so secrets never land in the store.
 */
export function fill(value: unknown, context: TemplateContext, env?: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    const filled = value.replace(/\{\{\s*(entity|params)\.([a-zA-Z0-9_]+)\s*\}\}/g, (_, scope: 'entity' | 'params', key: string) => String((context[scope] as Record<string, unknown>)[key] ?? ''))
    if (!env) return filled
    return filled.replace(/\$\{env:([A-Z0-9_]+)\}/g, (_, variable: string) => {
      const found = env[variable]
      if (found === undefined) throw new Error(`the environment variable ${variable} that the playbook needs is not set`)
      return found
    })
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, context, env))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, context, env)]))
  return value
}

/** What an operator's playbook will call, with secrets left as `${env:…}`: the dry-run plan. */
export function describeExternalAction(playbook: PlaybookConfig, context: TemplateContext, { githubApiUrl = 'https://api.github.com' }: { githubApiUrl?: string } = {}): ExecutorCall {
  const action = playbook.action
  if (action.type === 'webhook') return { method: action.method, path: String(fill(action.url, context)), summary: action.body === undefined ? 'no body' : JSON.stringify(fill(action.body, context)) }
  return { method: 'POST', path: `${githubApiUrl}/repos/${action.repository}/actions/workflows/${action.workflow}/dispatches`, summary: JSON.stringify({ ref: action.ref, inputs: fill(action.inputs, context) }) }
}

async function send(fetcher: typeof globalThis.fetch, method: string, url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  const response = await fetcher(url, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) })
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`)
  return response
}

/** Runs an operator's playbook action: a webhook, or a GitHub Actions `workflow_dispatch`. */
export async function runExternalAction(playbook: PlaybookConfig, context: TemplateContext, { env, fetch: fetcher = globalThis.fetch, githubApiUrl = 'https://api.github.com', githubToken }: ExternalActionOptions): Promise<ExecutorCall[]> {
  const action = playbook.action
  if (action.type === 'webhook') {
    const url = String(fill(action.url, context, env))
    const response = await send(fetcher, action.method, url, fill(action.headers, context, env) as Record<string, string>, action.body === undefined ? undefined : fill(action.body, context, env))
    return [{ method: action.method, path: String(fill(action.url, context)), summary: `answered ${response.status}` }]
  }
  if (!githubToken) throw new Error('GITHUB_TOKEN is not set; a github-workflow playbook needs a token allowed to dispatch workflows')
  const url = `${githubApiUrl}/repos/${action.repository}/actions/workflows/${encodeURIComponent(action.workflow)}/dispatches`
  const response = await send(fetcher, 'POST', url, { authorization: `Bearer ${githubToken}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }, { ref: action.ref, inputs: fill(action.inputs, context, env) })
  return [{ method: 'POST', path: url, summary: `workflow_dispatch ${action.workflow}@${action.ref}: answered ${response.status}` }]
}

/** An operator playbook's check: the URL answers the expected status. */
export async function verifyExternalAction(playbook: PlaybookConfig, context: TemplateContext, { env, fetch: fetcher = globalThis.fetch }: ExternalActionOptions): Promise<boolean | null> {
  if (!playbook.verification) return null
  const response = await fetcher(String(fill(playbook.verification.url, context, env)), { signal: AbortSignal.timeout(30_000) }).catch(() => undefined)
  return response?.status === playbook.verification.expectStatus
}
