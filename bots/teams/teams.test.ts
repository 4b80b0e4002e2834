import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../core/config.ts'
import { writeDemoOrg } from '../../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../../platform/create-platform.ts'
import { createHttpApp } from '../../server/create-http-app.ts'
import { serveHttp, type RunningServer } from '../../server/serve-http.ts'
import { FakeBotConnector, type PostedActivity } from './testing/fake-bot-connector.ts'

type Json = any

const CHANNEL_THREAD = '19:checkout@thread.tacv2;messageid=1700000000001'
const BOT = { id: '28:portal-bot', name: 'NEXT Portal' }

let directory: string
let connector: FakeBotConnector
const platforms: Platform[] = []
const servers: RunningServer[] = []
const teamsIdOf = (name: string) => `29:${name}`

async function serve(environment: Record<string, string>): Promise<{ platform: Platform; url: string }> {
  const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_LOG_LEVEL: 'error', ...environment }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
  platforms.push(platform)
  const server = await serveHttp(createHttpApp(platform), { port: 0 })
  servers.push(server)
  return { platform, url: server.url }
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-teams-'))
  await writeDemoOrg(directory)
  const probe = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
  const member = (name: string) => ({ id: teamsIdOf(name), name, aadObjectId: `aad-${name}`, email: (probe.catalog.index.get(`user:default/${name}`)!.spec as Json).profile.email })
  connector = await new FakeBotConnector({ members: ['alex.haddad', 'hana.moreau', 'aisha.schmidt'].map(member) }).start()
  await probe.close()
})

afterAll(async () => {
  for (const server of servers) await server.close()
  for (const platform of platforms) await platform.close()
  await connector?.close()
  await rm(directory, { recursive: true, force: true })
})

let activitySequence = 0

function message(from: string, text: string, conversationId = CHANNEL_THREAD): Json {
  return {
    type: 'message', id: `msg-${++activitySequence}`, channelId: 'msteams', serviceUrl: connector.url, timestamp: new Date().toISOString(),
    from: { id: teamsIdOf(from), name: from, aadObjectId: `aad-${from}` }, recipient: BOT,
    conversation: { id: conversationId, conversationType: conversationId.startsWith('19:') ? 'channel' : 'personal' },
    text: `<at>${BOT.name}</at> ${text}`, entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
  }
}

function cardAction(from: string, card: PostedActivity, verb: string, data: Json): Json {
  return {
    type: 'invoke', name: 'adaptiveCard/action', id: `invoke-${++activitySequence}`, channelId: 'msteams', serviceUrl: connector.url, replyToId: card.id,
    from: { id: teamsIdOf(from), name: from, aadObjectId: `aad-${from}` }, recipient: BOT, conversation: { id: card.conversationId, conversationType: 'channel' },
    value: { action: { type: 'Action.Execute', verb, data } },
  }
}

const post = (url: string, activity: Json, headers: Record<string, string> = {}) => fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) })
const adaptive = (posted: PostedActivity): Json => posted.activity.attachments?.find((attachment: Json) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')?.content
const executeActions = (card: Json): Json[] => (card?.actions ?? []).filter((action: Json) => action.type === 'Action.Execute')

describe('Teams at /api/messages', () => {
  it('with an app id configured, refuses a request without a valid Bot Framework token (401) and sends nothing', async () => {
    const { url } = await serve({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'secret' })
    const calls = connector.calls.length
    const response = await post(url, message('alex.haddad', 'who owns cart-service?'))
    expect(response.status).toBe(401)
    const wrongScheme = await post(url, message('alex.haddad', 'who owns cart-service?'), { authorization: 'Basic YWxleDpzZWNyZXQ=' })
    expect(wrongScheme.status).toBe(401)
    expect(connector.calls.length).toBe(calls)
  })

  it('in local mode, answers a channel mention in its thread with an Adaptive Card and the answer', async () => {
    const { url } = await serve({ TEAMS_ENABLED: 'true' })
    const activity = message('alex.haddad', 'who owns cart-service?')
    const response = await post(url, activity)
    expect(response.status).toBe(200)
    const replies = connector.inConversation(CHANNEL_THREAD).filter((posted) => posted.replyToId === activity.id)
    const card = adaptive(replies[0]!)
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' })
    expect(JSON.stringify(card)).toContain('group:default/team-checkout')
    expect(replies.at(-1)!.activity).toMatchObject({ type: 'message', textFormat: 'markdown' })
    expect(replies.at(-1)!.activity.text).toMatch(/team-checkout|Checkout/i)
    // Local mode: no credentials are sent to the connector.
    expect(connector.calls.filter((call) => call.conversationId === CHANNEL_THREAD).every((call) => call.authorization === undefined && call.status === 200)).toBe(true)
  })

  it('approves through Action.Execute: refusals change nothing, two owners approve, it runs once and the card is refreshed for everyone', async () => {
    const { url, platform } = await serve({ TEAMS_ENABLED: 'true' })
    const thread = '19:checkout@thread.tacv2;messageid=1700000000099'
    const ask = message('aisha.schmidt', 'restart the cart pods', thread)
    await post(url, ask)
    const [request] = await platform.approvals.list({ threadId: `teams:${thread}` })
    expect(request).toMatchObject({ status: 'pending', requesterUser: 'user:default/aisha.schmidt', surface: 'teams', requiredApprovals: 2 })
    const cardMessage = connector.inConversation(thread).find((posted) => executeActions(adaptive(posted)).length > 0)!
    expect(executeActions(adaptive(cardMessage)).map((action) => [action.verb, action.data.requestId])).toEqual([['approve', request!.id], ['deny', request!.id]])

    const refused: Json = await (await post(url, cardAction('aisha.schmidt', cardMessage, 'approve', { requestId: request!.id }))).json()
    expect(refused).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'FORBIDDEN', message: expect.stringMatching(/asked for this and cannot approve/) } })
    expect(cardMessage.updates).toBe(0)
    expect((await platform.approvals.get(request!.id)).decisions).toEqual([])

    const first: Json = await (await post(url, cardAction('alex.haddad', cardMessage, 'approve', { requestId: request!.id }))).json()
    expect(first).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' })
    expect(JSON.stringify(first.value)).toContain('1 of 2')
    expect(cardMessage.updates).toBe(1)

    const second: Json = await (await post(url, cardAction('hana.moreau', cardMessage, 'approve', { requestId: request!.id }))).json()
    expect(JSON.stringify(second.value)).toContain('Approved and done')
    expect(executeActions(second.value)).toEqual([])
    expect(adaptive(cardMessage)).toEqual(second.value)
    // Updated again (possibly also showing `running` on the way), ending with the outcome.
    expect(cardMessage.updates).toBeGreaterThanOrEqual(2)

    const late: Json = await (await post(url, cardAction('hana.moreau', cardMessage, 'approve', { requestId: request!.id }))).json()
    expect(late.value).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already succeeded/) })
    expect((await platform.approvals.audit({ requestId: request!.id })).filter((entry) => entry.action === 'run-started')).toHaveLength(1)
    expect((await platform.approvals.get(request!.id)).status).toBe('succeeded')
  })

  it('answers an invoke that is not an approval action with what was wrong', async () => {
    const { url } = await serve({ TEAMS_ENABLED: 'true' })
    const fakeCard = { id: 'activity-none', conversationId: CHANNEL_THREAD, activity: {}, updates: 0 }
    const answer: Json = await (await post(url, cardAction('alex.haddad', fakeCard, 'launch', {}))).json()
    expect(answer).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' })
    expect(answer.value.message).toMatch(/value\.action\.verb/)
    expect(answer.value.message).toMatch(/value\.action\.data\.requestId/)
  })

  it('gives people the roster does not know read-only answers', async () => {
    const { url, platform } = await serve({ TEAMS_ENABLED: 'true' })
    const conversation = 'a:1on1-stranger'
    await post(url, message('stranger', 'restart the cart pods', conversation))
    expect(await platform.approvals.list({ threadId: `teams:${conversation}` })).toEqual([])
    expect(connector.inConversation(conversation).map((posted) => posted.activity.text).join('\n')).toMatch(/needs the scope remediation:request/)
  })

  it('names what is missing in the Teams configuration', () => {
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'app' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'MICROSOFT_APP_PASSWORD' })] }))
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_TYPE: 'UserAssignedMSI' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'MICROSOFT_APP_TENANT_ID' })] }))
    expect(loadConfig({ TEAMS_ENABLED: 'true' }).teams).toEqual({ appType: 'MultiTenant' })
  })

  it('in local mode, answers only callers on loopback', async () => {
    const platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_LOG_LEVEL: 'error', TEAMS_ENABLED: 'true' }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
    platforms.push(platform)
    // A request that did not come over a loopback socket (here: no socket at all).
    const response = await createHttpApp(platform).request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message('alex.haddad', 'hi')) })
    expect(response.status).toBe(403)
    expect(((await response.json()) as Json).error.message).toMatch(/local mode.*only callers on loopback/)
  })

  it('is off unless configured', async () => {
    const { url } = await serve({})
    expect((await post(url, message('alex.haddad', 'hi'))).status).toBe(404)
  })
})
