import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineTool, READ_ONLY, type ToolDefinition } from '../../tools/define-tool.ts'
import { numberArguments } from './option-arguments.ts'

describe('numberArguments', () => {
  const listing = defineTool({
    name: 'listing', title: 'A listing', description: 'Lists things.', input: z.object({ limit: z.number().int().min(1).max(50).default(10), afterSeq: z.number().int().min(0).default(0) }),
    output: z.object({}), annotations: READ_ONLY, scope: 'catalog:read', approval: false, execute: async () => ({}),
  }) as ToolDefinition

  it('reads how many a listing should show, in digits or words, before or after the noun', () => {
    expect(numberArguments(listing, 'top 5 at-risk svcs rn')).toEqual({ limit: 5 })
    expect(numberArguments(listing, 'the three riskiest services')).toEqual({ limit: 3 })
  })

  it('takes "last 7 days" as a time, and a count the schema does not allow as none', () => {
    expect(numberArguments(listing, 'incidents in the last 7 days')).toEqual({})
    expect(numberArguments(listing, 'top 500 services')).toEqual({})
  })

  it('reads where a paged listing continues', () => {
    expect(numberArguments(listing, 'audit log entries after seq 120')).toEqual({ afterSeq: 120 })
  })
})
