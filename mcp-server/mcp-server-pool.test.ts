import { McpServer } from '@modelcontextprotocol/server'
import { describe, expect, it } from 'vitest'
import { McpServerPool } from './mcp-server-pool.ts'

const build = () => new McpServer({ name: 'test', version: '1' })

describe('McpServerPool', () => {
  it('hands out a new instance while the others serve, and reuses one once its exchange has closed', () => {
    const pool = new McpServerPool()
    const first = pool.acquire('modern catalog:read', build)
    const second = pool.acquire('modern catalog:read', build)
    expect(second).not.toBe(first)
    first.server.onclose?.()
    first.server.onclose?.() // both HTTP paths may close an instance twice
    expect(pool.size).toBe(1)
    expect(pool.acquire('modern catalog:read', build)).toBe(first)
    expect(pool.size).toBe(0)
  })

  it('never hands an instance to another key, and keeps at most the configured number idle', () => {
    const pool = new McpServerPool(1)
    const servers = [pool.acquire('legacy catalog:read', build), pool.acquire('legacy catalog:read', build)]
    for (const server of servers) server.server.onclose?.()
    expect(pool.size).toBe(1)
    expect(pool.acquire('modern catalog:read', build)).not.toBe(servers[0])
    expect(servers).toContain(pool.acquire('legacy catalog:read', build))
  })
})
