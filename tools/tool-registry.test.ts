import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { localOperator } from '../core/identity.ts'
import { defineTool, READ_ONLY } from './define-tool.ts'
import { ToolRegistry } from './tool-registry.ts'

const echo = defineTool({
  name: 'test_echo',
  title: 'Echo',
  description: 'Echoes a count',
  input: z.object({ count: z.number().int().min(1).max(10) }),
  output: z.object({ count: z.number() }),
  annotations: READ_ONLY,
  scope: 'catalog:read',
  approval: false,
  async execute({ count }) {
    return { count }
  },
  render: ({ count }) => `count is ${count}`,
})

describe('ToolRegistry', () => {
  const identity = localOperator()

  it('validates input before running and names the bad field', async () => {
    const registry = new ToolRegistry().register(echo)
    await expect(registry.call('test_echo', { count: 11 }, { identity })).rejects.toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'count', message: expect.stringContaining('10') }] })
    await expect(registry.call('test_echo', {}, { identity })).rejects.toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'count' }] })
  })

  it('runs a tool and renders its output', async () => {
    const registry = new ToolRegistry().register(echo)
    expect(await registry.call('test_echo', { count: 3 }, { identity })).toEqual({ output: { count: 3 }, text: 'count is 3' })
  })

  it('refuses a caller without the tool\'s scope', async () => {
    const registry = new ToolRegistry().register(echo)
    await expect(registry.call('test_echo', { count: 1 }, { identity: { subject: 'bot', scopes: new Set(['graph:read']) } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('catalog:read') })
  })

  it('never runs a tool that needs approval when called directly', async () => {
    let ran = false
    const restart = defineTool({ ...echo, name: 'test_restart', approval: true, annotations: { ...READ_ONLY, readOnlyHint: false, destructiveHint: true }, async execute(input) {
      ran = true
      return input
    } })
    const registry = new ToolRegistry().register(restart)
    await expect(registry.call('test_restart', { count: 1 }, { identity })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' })
    expect(ran).toBe(false)
  })

  it('checks the output against its schema', async () => {
    const broken = defineTool({ ...echo, name: 'test_broken', async execute() {
      return { count: 'many' } as never
    } })
    const registry = new ToolRegistry().register(broken)
    await expect(registry.call('test_broken', { count: 1 }, { identity })).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('converts schemas to JSON Schema and rejects duplicate or badly named tools', () => {
    const registry = new ToolRegistry().register(echo)
    expect(registry.jsonSchema('test_echo').input).toMatchObject({ type: 'object', properties: { count: { type: 'integer', minimum: 1, maximum: 10 } }, required: ['count'] })
    expect(() => registry.register(echo)).toThrow(/registered twice/)
    expect(() => new ToolRegistry().register({ ...echo, name: 'Bad-Name' })).toThrow(/lower_snake_case/)
    expect(() => registry.get('nope')).toThrow(/No tool "nope"; known tools: test_echo/)
  })
})
