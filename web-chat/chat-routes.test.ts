import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { createHttpApp } from '../server/create-http-app.ts'

type Json = any

let directory: string
const platforms: Platform[] = []

async function appWith(environment: Record<string, string> = {}) {
  const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', ...environment }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
  platforms.push(platform)
  return { platform, app: createHttpApp(platform) }
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-chat-routes-'))
  await writeDemoOrg(directory)
})
afterAll(async () => {
  for (const platform of platforms) await platform.close()
  await rm(directory, { recursive: true, force: true })
})

const question = (text: string, id = 'thread-1') => JSON.stringify({ id, messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text }] }], trigger: 'submit-message' })

/** The UI message stream's events, parsed from its server-sent-events body. */
async function events(response: Response): Promise<Json[]> {
  const text = await response.text()
  return text.split('\n').filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]').map((line) => JSON.parse(line.slice(6)))
}

describe('the web chat routes', () => {
  it('streams an answer in the AI SDK UI message stream: progress, a card, text, finish', async () => {
    const { app } = await appWith()
    const response = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', 'x-portal-user': 'user:default/amara.bauer' }, body: question('who owns cart-service?') })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/)
    const parts = await events(response)
    expect(parts.map((part) => part.type)).toEqual(['start', 'data-status', 'data-card', 'text-start', ...parts.filter((part) => part.type === 'text-delta').map(() => 'text-delta'), 'text-end', 'finish'])
    expect(parts.find((part) => part.type === 'data-card').data).toMatchObject({ kind: 'entity', ref: 'component:default/cart-service' })
    expect(parts.find((part) => part.type === 'data-status')).toMatchObject({ transient: true, data: { text: 'Who owns an entity…' } })
    expect(parts.at(-1)).toMatchObject({ type: 'finish', messageMetadata: { model: 'offline' } })
  })

  it('answers bad requests with what was wrong and where', async () => {
    const { app } = await appWith()
    const bad: Json = await (await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'x', messages: [] }) })).json()
    expect(bad.error).toMatchObject({ name: 'InputError', message: 'Invalid chat request', issues: [{ path: 'messages' }] })
    const notJson = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect(notJson.status).toBe(400)
    const unknownUser: Json = await (await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', 'x-portal-user': 'user:default/mallory' }, body: question('hi') })).json()
    expect(unknownUser.error.message).toMatch(/x-portal-user: "user:default\/mallory" is not a user in the catalog/)
  })

  it('refuses a chat or a decision posted from another site', async () => {
    const { app } = await appWith()
    const response = await app.request('http://127.0.0.1:3000/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', host: '127.0.0.1:3000', origin: 'https://evil.example' }, body: question('restart the cart pods') })
    expect(response.status).toBe(403)
    expect(((await response.json()) as Json).error.message).toMatch(/https:\/\/evil\.example are not allowed/)
    const sameSite = await app.request('http://127.0.0.1:3000/api/chat/session', { headers: { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' } })
    expect(sameSite.status).toBe(200)
  })

  it('lets only those policy allows decide, over HTTP, and reports the run', async () => {
    const { app, platform } = await appWith()
    await events(await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', 'x-portal-user': 'user:default/aisha.schmidt' }, body: question('restart the cart pods', 'thread-restart') }))
    const [request] = await platform.approvals.list({ threadId: 'web:thread-restart' })
    const decide = (user: string, decision = 'approve') => app.request(`/api/approvals/${request!.id}/decision`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-portal-user': user }, body: JSON.stringify({ decision }) })
    const outsider = await decide('user:default/aisha.schmidt')
    expect(outsider.status).toBe(403)
    const asGuest = await app.request(`/api/approvals/${request!.id}`)
    expect(((await asGuest.json()) as Json).canDecide).toBe(false)
    const asOwner: Json = await (await app.request(`/api/approvals/${request!.id}`, { headers: { 'x-portal-user': 'user:default/alex.haddad' } })).json()
    expect(asOwner).toMatchObject({ canDecide: true, request: { status: 'pending', requiredApprovals: 2 } })
    expect(((await (await decide('user:default/alex.haddad')).json()) as Json).request.status).toBe('pending')
    expect((await decide('user:default/alex.haddad')).status).toBe(409)
    const done: Json = await (await decide('user:default/hana.moreau')).json()
    expect(done.request).toMatchObject({ status: 'succeeded', result: { playbook: 'restart', verification: { passed: true } } })
    const invalid: Json = await (await app.request(`/api/approvals/${request!.id}/decision`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'maybe' }) })).json()
    expect(invalid.error.issues[0].path).toBe('decision')
  })

  it('behind an auth proxy, takes the person from its headers and nothing else', async () => {
    const { app } = await appWith({ PORTAL_WEB_AUTH: 'proxy', PORTAL_AUTH_EMAIL_HEADER: 'X-Auth-Email' })
    const anonymous = await app.request('/api/chat/session', { headers: { 'x-portal-user': 'user:default/alex.haddad' } })
    expect(anonymous.status).toBe(401)
    const session: Json = await (await app.request('/api/chat/session', { headers: { 'x-auth-email': 'Alex.Haddad@acme.example.com', 'x-portal-user': 'user:default/amara.bauer' } })).json()
    expect(session).toMatchObject({ auth: 'proxy', user: { ref: 'user:default/alex.haddad' }, users: [] })
    const byName: Json = await (await app.request('/api/chat/session', { headers: { 'x-forwarded-user': 'hana.moreau' } })).json()
    expect(byName.user.ref).toBe('user:default/hana.moreau')
  })
})
