import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../core/config.ts'
import { writeDemoOrg } from '../graph/demo/write-demo-org.ts'
import { createPlatform, type Platform } from '../platform/create-platform.ts'
import { startFakeOpenAiServer } from '../agent/testing/fake-openai-server.ts'
import { loadDemoIfEmpty } from '../platform/load-demo.ts'
import { loadDemoCostIfEmpty } from '../platform/load-demo-cost.ts'
import { openTestStore } from '../core/testing/test-store.ts'
import type { ApprovalCard, Card, EntityCard, GraphCard, TableCard } from './cards.ts'
import { ChatService, chatIdentity, resolveChatUser, type ChatPart } from './chat-service.ts'

let directory: string
let platform: Platform
let chat: ChatService

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'portal-chat-'))
  await writeDemoOrg(directory)
  platform = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory' }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
  chat = new ChatService(platform)
})
afterAll(async () => {
  await platform?.close()
  await rm(directory, { recursive: true, force: true })
})

const amara = () => chatIdentity('web', 'amara', 'user:default/amara.bauer')

async function collect(parts: AsyncIterable<ChatPart>): Promise<{ text: string; cards: Card[]; statuses: string[]; errors: string[]; done?: ChatPart }> {
  const result = { text: '', cards: [] as Card[], statuses: [] as string[], errors: [] as string[], done: undefined as ChatPart | undefined }
  for await (const part of parts) {
    if (part.type === 'text') result.text += part.delta
    if (part.type === 'card') result.cards.push(part.card)
    if (part.type === 'status') result.statuses.push(part.text)
    if (part.type === 'error') result.errors.push(part.message)
    if (part.type === 'done') result.done = part
  }
  return result
}

describe('the chat service', () => {
  it('resolves people to catalog users by reference, name or email, and nobody else', () => {
    const { index } = platform.catalog
    expect(resolveChatUser(index, { ref: 'user:default/amara.bauer' })).toBe('user:default/amara.bauer')
    expect(resolveChatUser(index, { ref: 'amara.bauer' })).toBe('user:default/amara.bauer')
    expect(resolveChatUser(index, { name: 'Amara.Bauer' })).toBe('user:default/amara.bauer')
    const email = (index.get('user:default/amara.bauer')!.spec as { profile: { email: string } }).profile.email
    expect(resolveChatUser(index, { email: email.toUpperCase() })).toBe('user:default/amara.bauer')
    expect(resolveChatUser(index, { ref: 'group:default/team-checkout' })).toBeUndefined()
    expect(resolveChatUser(index, { name: 'mallory', email: 'mallory@evil.example' })).toBeUndefined()
  })

  it('streams the answer with progress and an entity card', async () => {
    const result = await collect(chat.handle({ surface: 'web', threadId: 't-owner', identity: amara(), text: 'who owns cart-service?' }))
    expect(result.statuses).toEqual(['Who owns an entity…'])
    expect(result.text).toContain('Checkout (group:default/team-checkout)')
    const card = result.cards[0] as EntityCard
    expect(card).toMatchObject({ kind: 'entity', ref: 'component:default/cart-service', title: 'Cart Service', owner: { ref: 'group:default/team-checkout', title: 'Checkout' }, lifecycle: 'production', hasDocs: true, api: '/api/catalog/entities/by-name/component/default/cart-service' })
    expect(result.done).toEqual({ type: 'done', model: 'offline' })
  })

  it('keeps the thread, so a follow-up knows what "it" is, and draws the graph as a card', async () => {
    const result = await collect(chat.handle({ surface: 'web', threadId: 't-owner', identity: amara(), text: 'and what does it depend on?' }))
    const graph = result.cards.find((card): card is GraphCard => card.kind === 'graph')!
    expect(graph.root).toBe('component:default/cart-service')
    expect(graph.nodes[0]).toMatchObject({ ref: 'component:default/cart-service', depth: 0 })
    expect(graph.edges.length).toBe(graph.nodes.length - 1)
    for (const edge of graph.edges) expect(graph.nodes.map((node) => node.ref)).toContain(edge.from)
    // Another surface's thread of the same id is another conversation.
    const elsewhere = await collect(chat.handle({ surface: 'slack', threadId: 't-owner', identity: amara(), text: 'and what does it depend on?' }))
    expect(elsewhere.cards).toEqual([])
  })

  it('knows the asker: "what does my team own?"', async () => {
    const result = await collect(chat.handle({ surface: 'web', threadId: 't-team', identity: amara(), text: 'what does my team own?' }))
    expect(result.text).toMatch(/^Checkout \(group:default\/team-checkout\) owns \d+ entities/)
    expect(result.cards[0]).toMatchObject({ kind: 'entity-list', title: 'What Checkout owns' })
  })

  it('turns an action into an approval card, with nothing run', async () => {
    const result = await collect(chat.handle({ surface: 'web', threadId: 't-restart', identity: amara(), text: 'restart the cart pods' }))
    const card = result.cards[0] as ApprovalCard
    expect(card.kind).toBe('approval')
    expect(card.request).toMatchObject({ tool: 'remediation_request', status: 'pending', target: 'component:default/cart-service', requesterUser: 'user:default/amara.bauer', surface: 'web', requiredApprovals: 2 })
    expect(card.request.approvers).not.toContain('user:default/amara.bauer')
    expect(result.text).toMatch(/^Nothing has run yet/)
    expect((await platform.approvals.list({ threadId: 'web:t-restart' })).map((request) => request.id)).toEqual([card.request.id])
  })

  it('falls back to the offline planner when the configured model fails before answering', async () => {
    const server = await startFakeOpenAiServer(() => ({ status: 500, body: { error: { message: 'model overloaded', type: 'server_error' } } }))
    const configured = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: 'memory', PORTAL_MODEL: 'gpt-test', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url }), catalogPaths: [path.join(directory, 'catalog-info.yaml')] })
    try {
      const result = await collect(new ChatService(configured).handle({ surface: 'web', threadId: 't-fallback', identity: amara(), text: 'who owns cart-service?' }))
      expect(server.requests.length).toBeGreaterThan(0)
      expect(result.statuses[0]).toMatch(/configured model is unavailable/)
      expect(result.text).toContain('group:default/team-checkout')
      expect(result.done).toMatchObject({ type: 'done', model: 'offline', fallbackReason: expect.stringContaining('gpt-test failed') })
    } finally {
      await configured.close()
      await server.close()
    }
  })

  it('shows cost and savings as tables with a chart column', async () => {
    const test = await openTestStore('pglite')
    const withStore = await createPlatform({ config: loadConfig({ PORTAL_DATA_DIR: directory }), store: test.store })
    try {
      await loadDemoIfEmpty(withStore)
      await loadDemoCostIfEmpty(withStore)
      const result = await collect(new ChatService(withStore).handle({ surface: 'web', threadId: 't-cost', identity: amara(), text: 'what did team payments spend on compute last week and what can we cut?' }))
      const [spend, cuts] = result.cards as TableCard[]
      expect(spend).toMatchObject({ kind: 'table', columns: ['service', 'cost', 'previous', 'change', 'share'] })
      expect(spend!.title).toMatch(/^Spend by service, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/)
      expect(spend!.rows.length).toBeGreaterThan(0)
      expect(spend!.chart!.values).toHaveLength(spend!.rows.length)
      expect(cuts).toMatchObject({ kind: 'table', title: 'What to cut', columns: ['kind', 'resource', 'action', 'saves per month'] })
      expect(cuts!.footer).toMatch(/^\$[\d,.]+ per month in all\.$/)
    } finally {
      await withStore.close()
      await test.close()
    }
  })
})
