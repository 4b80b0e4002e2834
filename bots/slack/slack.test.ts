import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../../core/config.ts'
import { writeDemoOrg } from '../../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../../platform/create-platform.ts'
import { createHttpApp } from '../../server/create-http-app.ts'
import { serveHttp, type RunningServer } from '../../server/serve-http.ts'
import { createSlackApp, type SlackSurface } from './create-slack-app.ts'
import { REMEDIATION_PROPOSED } from '../../tools/remediation/auto-remediation.ts'
import { FakeSlackApi, signSlackRequest, type FakeMessage } from './testing/fake-slack-api.ts'

type Json = any

const SIGNING_SECRET = 'test-signing-secret'
const BOT_TOKEN = 'xoxb-test-bot-token'
const NOW_MS = Date.UTC(2026, 0, 15, 9, 0, 0)
const NOW = Math.floor(NOW_MS / 1000)
const CHANNEL = 'C0CHECKOUT'
const DM = 'D0AISHA'
const TEAM = 'T0PORTAL'

let directory: string
let platform: Platform
let fake: FakeSlackApi
let slack: SlackSurface
let server: RunningServer
const slackIdOf: Record<string, string> = {}
/** Team Checkout's channel, as its group's `slack.com/channel-name` names it. */
let teamChannel: string

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-slack-'))
  await writeDemoOrg(directory)
  // The fake must exist before the platform: the portal is configured with its URL.
  const probe = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
  for (const name of ['alex.haddad', 'hana.moreau', 'aisha.schmidt', 'amara.bauer']) slackIdOf[name] = probe.catalog.index.get(`user:default/${name}`)!.metadata.annotations!['slack.com/user-id']!
  teamChannel = probe.catalog.index.get('group:default/team-checkout')!.metadata.annotations!['slack.com/channel-name']!
  const emailOf = (name: string) => (probe.catalog.index.get(`user:default/${name}`)!.spec as Json).profile.email as string
  await probe.close()
  fake = await new FakeSlackApi({
    botToken: BOT_TOKEN,
    teamId: TEAM,
    channels: [CHANNEL, DM, teamChannel],
    users: {
      ...Object.fromEntries(Object.values(slackIdOf).map((id) => [id, undefined])),
      // Known to the catalog only by email: no slack.com/user-id annotation carries this id.
      UBYEMAIL1: emailOf('amara.bauer'),
      UOUTSIDE1: 'someone@elsewhere.example',
    },
  }).start()
  platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_LOG_LEVEL: 'error', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
  slack = createSlackApp(platform, { now: () => NOW_MS })
  server = await serveHttp(createHttpApp(platform, { slack }), { port: 0 })
})

afterAll(async () => {
  await server?.close()
  await slack?.stop()
  await platform?.close()
  await fake?.close()
  await rm(directory, { recursive: true, force: true })
})

let eventSequence = 0

/** Posts a body to /slack/events signed as Slack signs it, then waits until the portal has handled it. */
async function deliver(body: string, { contentType = 'application/json', timestamp = NOW, secret = SIGNING_SECRET } = {}): Promise<Response> {
  const response = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': contentType, ...signSlackRequest(secret, body, timestamp) }, body })
  await slack.settled()
  return response
}

function eventBody(event: Json): string {
  return JSON.stringify({ token: 'legacy', team_id: TEAM, api_app_id: 'A0PORTAL', type: 'event_callback', event_id: `Ev${++eventSequence}`, event_time: NOW, authorizations: [{ team_id: TEAM, user_id: 'UPORTALBOT', is_bot: true }], event: { ...event, event_ts: event.ts } })
}

/** Someone mentions the bot in the channel; answers the message as Slack stores it. */
async function mention(user: string, text: string): Promise<{ root: FakeMessage; response: Response }> {
  const root = fake.userSays(CHANNEL, user, `<@UPORTALBOT> ${text}`)
  const response = await deliver(eventBody({ type: 'app_mention', user, text: root.text, ts: root.ts, channel: CHANNEL }))
  return { root, response }
}

function click(user: string, message: FakeMessage, button: Json, channel = CHANNEL): Promise<Response> {
  const payload = { type: 'block_actions', user: { id: user, team_id: TEAM }, api_app_id: 'A0PORTAL', team: { id: TEAM }, container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false }, trigger_id: '1.2.3', channel: { id: channel }, message: { type: 'message', ts: message.ts, thread_ts: message.threadTs, user: message.user, text: message.text, blocks: message.blocks }, response_url: fake.responseUrl(), actions: [{ type: 'button', action_id: button.action_id, block_id: 'approval', value: button.value, action_ts: String(NOW) }] }
  return deliver(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { contentType: 'application/x-www-form-urlencoded' })
}

const buttonsOf = (message: FakeMessage): Json[] => message.blocks?.find((block: Json) => block.type === 'actions')?.elements ?? []
const blockText = (message: FakeMessage) => JSON.stringify(message.blocks ?? [])

describe('Slack over HTTP (/slack/events)', () => {
  it('refuses a bad signature and a stale timestamp with 401, and does nothing for them', async () => {
    const apiCalls = () => fake.calls.filter((call) => call.method !== 'auth.test').length
    const calls = apiCalls()
    const body = eventBody({ type: 'app_mention', user: slackIdOf['alex.haddad'], text: '<@UPORTALBOT> who owns cart-service?', ts: '1700000000.000001', channel: CHANNEL })
    const forged = await deliver(body, { secret: 'not-the-secret' })
    expect(forged.status).toBe(401)
    expect(((await forged.json()) as Json).error.message).toMatch(/x-slack-signature does not match/)
    const stale = await deliver(body, { timestamp: NOW - 6 * 60 })
    expect(stale.status).toBe(401)
    expect(((await stale.json()) as Json).error.message).toMatch(/stale/)
    const unsigned = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(unsigned.status).toBe(401)
    expect(apiCalls()).toBe(calls)
  })

  it('answers the URL verification challenge', async () => {
    const response = await deliver(JSON.stringify({ type: 'url_verification', token: 'legacy', challenge: 'c-123' }))
    expect(await response.json()).toEqual({ challenge: 'c-123' })
  })

  it('answers a mention in its thread: status while tools run, a Block Kit card, the answer streamed', async () => {
    const { root, response } = await mention(slackIdOf['alex.haddad']!, 'who owns cart-service?')
    expect(response.status).toBe(200)
    const [, card, answer] = fake.thread(CHANNEL, root.ts)
    expect(card!.threadTs).toBe(root.ts)
    expect(card!.blocks![0]).toEqual({ type: 'header', text: { type: 'plain_text', text: expect.stringMatching(/cart/i), emoji: false } })
    expect(blockText(card!)).toContain('group:default/team-checkout')
    expect(answer).toMatchObject({ threadTs: root.ts, streaming: false })
    expect(answer!.text).toMatch(/team-checkout|Checkout/i)
    const statuses = fake.callsTo('assistant.threads.setStatus').filter((call) => call.args.thread_ts === root.ts)
    expect(statuses.map((call) => call.args.status)).toContain('Who owns an entity…')
    expect(fake.callsTo('chat.startStream').at(-1)!.args).toMatchObject({ channel: CHANNEL, thread_ts: root.ts, recipient_user_id: slackIdOf['alex.haddad'], recipient_team_id: TEAM })
    expect(fake.calls.every((call) => call.ok && call.token === BOT_TOKEN)).toBe(true)
  })

  it('does not answer the same event twice when Slack retries it', async () => {
    const root = fake.userSays(CHANNEL, slackIdOf['alex.haddad']!, '<@UPORTALBOT> who owns payments-db?')
    const body = eventBody({ type: 'app_mention', user: slackIdOf['alex.haddad'], text: root.text, ts: root.ts, channel: CHANNEL })
    await deliver(body)
    await deliver(body)
    expect(fake.thread(CHANNEL, root.ts).filter((message) => message.user === 'UPORTALBOT').length).toBe(2)
  })

  it('posts an approval with confirmed buttons; an outsider changes nothing, two owners approve, it runs once and the message says so', async () => {
    const { root } = await mention(slackIdOf['aisha.schmidt']!, 'restart the cart pods')
    const [request] = await platform.approvals.list({ threadId: `slack:${CHANNEL}:${root.ts}` })
    expect(request).toMatchObject({ status: 'pending', requesterUser: 'user:default/aisha.schmidt', surface: 'slack', requiredApprovals: 2 })
    const card = fake.thread(CHANNEL, root.ts).find((message) => buttonsOf(message).length > 0)!
    const [approve, deny] = buttonsOf(card)
    expect(approve).toMatchObject({ action_id: 'approval_approve', value: request!.id, style: 'primary', confirm: { title: { text: 'Approve this change?' } } })
    expect(deny).toMatchObject({ action_id: 'approval_deny', value: request!.id, confirm: { confirm: { text: 'Deny' } } })

    // The requester is not allowed to approve her own request: an ephemeral explanation, nothing else.
    const updatesBefore = fake.callsTo('chat.update').length
    await click(slackIdOf['aisha.schmidt']!, card, approve)
    const [ephemeral] = fake.callsTo('chat.postEphemeral').slice(-1)
    expect(ephemeral!.args).toMatchObject({ channel: CHANNEL, user: slackIdOf['aisha.schmidt'], thread_ts: root.ts })
    expect(ephemeral!.args.text).toMatch(/asked for this and cannot approve/)
    expect(fake.callsTo('chat.update').length).toBe(updatesBefore)
    expect((await platform.approvals.get(request!.id)).decisions).toEqual([])

    await click(slackIdOf['alex.haddad']!, card, approve)
    expect(card.updates).toBe(1)
    expect(blockText(card)).toContain('1 of 2')
    expect(buttonsOf(card)).toHaveLength(2)

    await click(slackIdOf['hana.moreau']!, card, approve)
    // Updated again (possibly also showing `running` on the way), ending with the outcome.
    expect(card.updates).toBeGreaterThanOrEqual(2)
    expect(buttonsOf(card)).toEqual([])
    expect(blockText(card)).toContain('Approved and done')
    expect(blockText(card)).toContain('user:default/hana.moreau')
    expect(blockText(card)).toContain(`Audit trail`)
    expect(fake.callsTo('chat.update').at(-1)!.args).toMatchObject({ channel: CHANNEL, ts: card.ts })

    // A late click on the old buttons: told it is over, and the action does not run again.
    await click(slackIdOf['hana.moreau']!, card, approve)
    expect(fake.callsTo('chat.postEphemeral').at(-1)!.args.text).toMatch(/already succeeded/)
    const audit = await platform.approvals.audit({ requestId: request!.id })
    expect(audit.filter((entry) => entry.action === 'run-started')).toHaveLength(1)
    expect((await platform.approvals.get(request!.id)).status).toBe('succeeded')
  })

  it("posts a rule's remediation proposal in the owning team's channel, where the team approves it", async () => {
    const rule = { subject: 'rule:restart-on-oom', scopes: new Set(['remediation:request']) }
    const request = await platform.approvals.request('remediation_request', { playbook: 'restart', entity: 'cart-service' }, rule, { surface: 'auto-remediation', threadId: 'team:group:default/team-checkout', reason: 'alert on component:default/cart-service: OOMKilled firing (rule restart-on-oom).' })
    await platform.bus.publish({ type: REMEDIATION_PROPOSED, payload: { requestId: request.id, rule: 'restart-on-oom', entity: 'component:default/cart-service', because: 'alert', automatic: false, owners: [{ ref: 'group:default/team-checkout', slackChannel: teamChannel }, { ref: 'group:default/no-channel' }] } })
    await slack.settled()
    const card = fake.channelMessages(teamChannel).find((message) => buttonsOf(message)[0]?.value === request.id)!
    expect(card.threadTs).toBeUndefined()
    expect(blockText(card)).toContain('Proposed because alert on component:default/cart-service: OOMKilled firing (rule restart-on-oom).')
    await click(slackIdOf['alex.haddad']!, card, buttonsOf(card)[0], teamChannel)
    await click(slackIdOf['hana.moreau']!, card, buttonsOf(card)[0], teamChannel)
    expect((await platform.approvals.get(request.id)).status).toBe('succeeded')
    expect(buttonsOf(card)).toEqual([])
    expect(blockText(card)).toContain('Approved and done')
  })

  it('answers a direct message in a thread', async () => {
    const message = fake.userSays(DM, slackIdOf['aisha.schmidt']!, 'who owns checkout-api?')
    await deliver(eventBody({ type: 'message', channel_type: 'im', user: message.user, text: message.text, ts: message.ts, channel: DM }))
    const replies = fake.thread(DM, message.ts).filter((reply) => reply.user === 'UPORTALBOT')
    expect(replies.length).toBeGreaterThanOrEqual(2)
    expect(replies.every((reply) => reply.threadTs === message.ts)).toBe(true)
  })

  it('greets a new assistant-pane thread with at most four suggested prompts', async () => {
    const opened = fake.userSays(DM, slackIdOf['aisha.schmidt']!, '')
    await deliver(eventBody({ type: 'assistant_thread_started', assistant_thread: { user_id: slackIdOf['aisha.schmidt'], channel_id: DM, thread_ts: opened.ts, context: {} }, ts: opened.ts }))
    const prompts = fake.callsTo('assistant.threads.setSuggestedPrompts').at(-1)!
    expect(prompts).toMatchObject({ ok: true, args: { channel_id: DM, thread_ts: opened.ts } })
    expect(JSON.parse(prompts.args.prompts)).toContainEqual({ title: 'restart the cart pods', message: 'restart the cart pods' })
    expect(fake.thread(DM, opened.ts).some((message) => message.user === 'UPORTALBOT' && message.text.startsWith('Hi!'))).toBe(true)
  })

  it('answers /portal in a thread under the question, and explains itself when asked nothing', async () => {
    const form = (text: string) => new URLSearchParams({ token: 'legacy', team_id: TEAM, channel_id: CHANNEL, user_id: slackIdOf['alex.haddad']!, command: '/portal', text, api_app_id: 'A0PORTAL', response_url: fake.responseUrl(), trigger_id: '1.2.3' }).toString()
    const help = await deliver(form(''), { contentType: 'application/x-www-form-urlencoded' })
    expect(await help.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/portal who owns checkout-api?') })
    const asked = await deliver(form('what breaks if payments-db goes down?'), { contentType: 'application/x-www-form-urlencoded' })
    expect(asked.status).toBe(200)
    const root = fake.callsTo('chat.postMessage').find((call) => String(call.args.text).includes('asked: what breaks if payments-db goes down?'))!
    expect(root.args.thread_ts).toBeUndefined()
    const threadTs = fake.callsTo('chat.startStream').at(-1)!.args.thread_ts
    const thread = fake.thread(CHANNEL, threadTs)
    expect(thread[0]!.text).toContain('asked: what breaks if payments-db goes down?')
    expect(thread.some((message) => message.blocks?.[0]?.type === 'header')).toBe(true)
  })

  it('maps people by email when they carry no annotation, and gives strangers read-only answers', async () => {
    const { root } = await mention('UBYEMAIL1', 'restart the cart pods')
    const [request] = await platform.approvals.list({ threadId: `slack:${CHANNEL}:${root.ts}` })
    expect(request?.requesterUser).toBe('user:default/amara.bauer')
    expect(fake.callsTo('users.info').some((call) => call.args.user === 'UBYEMAIL1')).toBe(true)

    const stranger = await mention('UOUTSIDE1', 'restart the cart pods')
    expect(await platform.approvals.list({ threadId: `slack:${CHANNEL}:${stranger.root.ts}` })).toEqual([])
    const replies = fake.thread(CHANNEL, stranger.root.ts).filter((message) => message.user === 'UPORTALBOT')
    expect(replies.length).toBeGreaterThan(0)
    expect(replies.some((message) => buttonsOf(message).length > 0)).toBe(false)
    expect(replies.map((message) => message.text).join('\n')).toMatch(/needs the scope remediation:request/)
  })
})

describe('Slack configuration', () => {
  it('selects Socket Mode with an app-level token and then serves no /slack/events route', async () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-test' })
    expect(config.slack).toMatchObject({ mode: 'socket', appToken: 'xapp-1-test' })
    const socketPlatform = await createPlatform({ config: { ...config, dataDir: 'memory', logLevel: 'error' }, catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
    const surface = createSlackApp(socketPlatform)
    expect(surface.routes).toBeUndefined()
    const response = await createHttpApp(socketPlatform, { slack: surface }).request('/slack/events', { method: 'POST', body: '{}' })
    expect(response.status).toBe(404)
    await socketPlatform.close()
  })

  it('says at start when Slack refuses the bot token', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const surface = createSlackApp(platform, { config: { mode: 'http', signingSecret: SIGNING_SECRET, botToken: 'xoxb-revoked', apiUrl: fake.apiUrl } })
      await surface.start()
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/))
      warn.mockClear()
      await slack.start()
      expect(warn).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
    }
  })

  it('names the missing variable', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'SLACK_SIGNING_SECRET' })] }))
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'not-a-token', SLACK_SIGNING_SECRET: 's' })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'SLACK_BOT_TOKEN' })] }))
    expect(loadConfig({}).slack).toBeUndefined()
  })
})
