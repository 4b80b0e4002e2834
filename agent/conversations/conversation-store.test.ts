import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, testEngines, type TestStore } from '../../core/testing/test-store.ts'
import { MemoryConversationStore, SqlConversationStore, type ConversationStore } from './conversation-store.ts'

describe.each(['memory', ...testEngines] as const)('conversation store (%s)', (engine) => {
  let test: TestStore | undefined
  let conversations: ConversationStore
  beforeAll(async () => {
    if (engine === 'memory') conversations = new MemoryConversationStore()
    else {
      test = await openTestStore(engine)
      conversations = new SqlConversationStore(test.store)
    }
  })
  afterAll(async () => {
    await test?.close()
  })

  it('keeps turns per thread, in order, with tool calls', async () => {
    await conversations.append('thread-a', [{ role: 'user', text: 'who owns cart-service?' }, { role: 'assistant', text: 'team-checkout', toolCalls: [{ name: 'catalog_who_owns', input: { ref: 'component:default/cart-service' } }] }])
    await conversations.append('thread-b', [{ role: 'user', text: 'other thread' }])
    await conversations.append('thread-a', [{ role: 'user', text: 'and its dependencies?' }])
    expect(await conversations.load('thread-a')).toEqual([
      { role: 'user', text: 'who owns cart-service?', toolCalls: [] },
      { role: 'assistant', text: 'team-checkout', toolCalls: [{ name: 'catalog_who_owns', input: { ref: 'component:default/cart-service' } }] },
      { role: 'user', text: 'and its dependencies?', toolCalls: [] },
    ].map((turn) => (engine === 'memory' && turn.toolCalls.length === 0 ? { role: turn.role, text: turn.text } : turn)))
    expect((await conversations.load('thread-a', { limit: 1 })).map((turn) => turn.text)).toEqual(['and its dependencies?'])
    expect(await conversations.load('nobody')).toEqual([])
  })

  it('appends concurrently without losing or interleaving turns', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, index) => conversations.append('busy', [{ role: 'user', text: `q${index}` }, { role: 'assistant', text: `a${index}` }])))
    const turns = await conversations.load('busy', { limit: 100 })
    expect(turns).toHaveLength(20)
    for (let position = 0; position < 20; position += 2) expect(turns[position + 1]!.text).toBe(turns[position]!.text.replace('q', 'a'))
  })
})
