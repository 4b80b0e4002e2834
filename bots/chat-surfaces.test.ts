import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { createHttpApp } from '../server/create-http-app.ts'
import { serveHttp, type RunningServer } from '../server/serve-http.ts'
import { createSlackApp, type SlackSurface } from './slack/create-slack-app.ts'
import { FakeSlackApi, signSlackRequest } from './slack/testing/fake-slack-api.ts'
import { createTeamsSurface, type TeamsSurface } from './teams/create-teams-surface.ts'
import { FakeBotConnector } from './teams/testing/fake-bot-connector.ts'

type Json = any

const SECRET = 'cross-surface-secret'
const TOKEN = 'xoxb-cross-surface'
const CHANNEL = 'C0CHECKOUT'

let directory: string
let platform: Platform
let slackApi: FakeSlackApi
let connector: FakeBotConnector
let slack: SlackSurface
let teams: TeamsSurface
let server: RunningServer
let slackIdOf: (name: string) => string

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-surfaces-'))
  await writeDemoOrg(directory)
  const catalogPaths = [path.join(directory, 'catalog-info.yaml')]
  const probe = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), catalogPaths })
  const ids = Object.fromEntries(['aisha.schmidt', 'alex.haddad', 'hana.moreau'].map((name) => [name, probe.catalog.index.get(`user:default/${name}`)!.metadata.annotations!['slack.com/user-id']!]))
  const hanaEmail = (probe.catalog.index.get('user:default/hana.moreau')!.spec as Json).profile.email
  slackIdOf = (name) => ids[name]!
  slackApi = await new FakeSlackApi({ botToken: TOKEN, channels: [CHANNEL], users: Object.fromEntries(Object.values(ids).map((id) => [id, undefined])) }).start()
  const aishaEmail = (probe.catalog.index.get('user:default/aisha.schmidt')!.spec as Json).profile.email
  await probe.close()
  connector = await new FakeBotConnector({ members: [{ id: '29:hana', name: 'Hana', email: hanaEmail }, { id: '29:aisha', name: 'Aisha', email: aishaEmail }] }).start()
  platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_LOG_LEVEL: 'error', SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: slackApi.apiUrl, TEAMS_ENABLED: 'true' }), catalogPaths })
  slack = createSlackApp(platform)
  teams = createTeamsSurface(platform)
  server = await serveHttp(createHttpApp(platform, { slack, teams }), { port: 0 })
})

afterAll(async () => {
  await server?.close()
  await slack?.stop()
  await teams?.stop()
  await platform?.close()
  await slackApi?.close()
  await connector?.close()
  await rm(directory, { recursive: true, force: true })
})

describe('one approval across Slack, the web chat and Teams', () => {
  it('is asked for in Slack, approved once on the web and once in Teams, runs once, and the Slack message follows', async () => {
    const asked = slackApi.userSays(CHANNEL, slackIdOf('aisha.schmidt'), '<@UPORTALBOT> restart the cart pods')
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T0PORTAL', event_id: 'EvCross1', event: { type: 'app_mention', user: asked.user, text: asked.text, ts: asked.ts, channel: CHANNEL, event_ts: asked.ts } })
    await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000)) }, body })
    await slack.settled()
    const [request] = await platform.approvals.list({ threadId: `slack:${CHANNEL}:${asked.ts}` })
    const message = slackApi.thread(CHANNEL, asked.ts).find((posted) => JSON.stringify(posted.blocks ?? []).includes('approval_approve'))!
    expect(request!.status).toBe('pending')

    const onWeb = await fetch(`${server.url}/api/approvals/${request!.id}/decision`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-portal-user': 'user:default/alex.haddad' }, body: JSON.stringify({ decision: 'approve' }) })
    expect(onWeb.status).toBe(200)
    await slack.settled()
    expect(JSON.stringify(message.blocks)).toContain('1 of 2')
    expect(JSON.stringify(message.blocks)).toMatch(/user:default\/alex\.haddad.*on web/)

    const invoke = { type: 'invoke', name: 'adaptiveCard/action', id: 'invoke-cross', channelId: 'msteams', serviceUrl: connector.url, from: { id: '29:hana', name: 'Hana' }, recipient: { id: '28:bot', name: 'NEXT Portal' }, conversation: { id: 'a:hana-1on1' }, value: { action: { type: 'Action.Execute', verb: 'approve', data: { requestId: request!.id } } } }
    const inTeams: Json = await (await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(invoke) })).json()
    expect(JSON.stringify(inTeams.value)).toContain('Approved and done')
    await slack.settled()

    expect(JSON.stringify(message.blocks)).toContain('Approved and done')
    expect(JSON.stringify(message.blocks)).not.toContain('approval_approve')
    expect(JSON.stringify(message.blocks)).toMatch(/user:default\/hana\.moreau.*on teams/)
    const audit = await platform.approvals.audit({ requestId: request!.id })
    expect(audit.filter((entry) => entry.action === 'approved').map((entry) => entry.detail.surface)).toEqual(['web', 'teams'])
    expect(audit.filter((entry) => entry.action === 'run-started')).toHaveLength(1)
  })

  it('is asked for in Teams, approved on the web, and the Teams card follows for everyone', async () => {
    const conversation = '19:checkout@thread.tacv2;messageid=1700000000777'
    const ask = { type: 'message', id: 'msg-cross', channelId: 'msteams', serviceUrl: connector.url, from: { id: '29:aisha', name: 'Aisha' }, recipient: { id: '28:bot', name: 'NEXT Portal' }, conversation: { id: conversation, conversationType: 'channel' }, text: '<at>NEXT Portal</at> restart the cart pods', entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'NEXT Portal' }, text: '<at>NEXT Portal</at>' }] }
    await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ask) })
    const [request] = await platform.approvals.list({ threadId: `teams:${conversation}` })
    const card = connector.inConversation(conversation).find((posted) => JSON.stringify(posted.activity).includes('Action.Execute'))!
    for (const user of ['alex.haddad', 'hana.moreau']) {
      const decided = await fetch(`${server.url}/api/approvals/${request!.id}/decision`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-portal-user': `user:default/${user}` }, body: JSON.stringify({ decision: 'approve' }) })
      expect(decided.status).toBe(200)
    }
    await teams.settled()
    const shown = JSON.stringify(card.activity)
    expect(card.updates).toBeGreaterThanOrEqual(2)
    expect(shown).toContain('Approved and done')
    expect(shown).not.toContain('Action.Execute')
    expect(shown).toMatch(/user:default\/hana\.moreau on web/)
  })
})
