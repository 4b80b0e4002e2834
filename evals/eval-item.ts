import { z } from 'zod'

/** One earlier turn of the conversation the question continues. */
export const turnSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  text: z.string().min(1),
})

/** A tool the agent should call; `input` holds only the keys that matter (a deep partial). */
export const expectedToolSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a tool name in lower_snake_case'),
  input: z.record(z.string(), z.unknown()).optional(),
})

export const expectationSchema = z
  .strictObject({
    /** The tools to call, as a multiset; `[]` means "call none" (ambiguous, unknown or uncovered questions). */
    tools: z.array(expectedToolSchema).optional(),
    /** Strings the answer must contain, compared case-insensitively. */
    contains: z.array(z.string().min(1)).optional(),
    /** Strings the answer must not contain, compared case-insensitively. */
    excludes: z.array(z.string().min(1)).optional(),
    /** Retrieval suites: the entities a search for the question should return, as `kind:namespace/name`. */
    relevant: z.array(z.string().regex(/^[a-z]+:[a-z0-9._-]+\/[a-z0-9._-]+$/, 'must be an entity reference kind:namespace/name in lower case')).min(1).optional(),
  })
  .refine((expect) => expect.tools !== undefined || expect.contains !== undefined || expect.excludes !== undefined || expect.relevant !== undefined, 'needs at least one of tools, contains, excludes, relevant')

/**
 * One line of a data set. `split` and `tags` are our extension: heldout items are never read by whoever tunes
 * the planner; the first tag names the item's intent (the stratum of the split).
 */
export const evalItemSchema = z.strictObject({
  question: z.string().trim().min(1),
  thread: z.array(turnSchema).optional(),
  expect: expectationSchema,
  split: z.enum(['dev', 'heldout']),
  tags: z.array(z.string().min(1)).optional(),
})

export type Turn = z.infer<typeof turnSchema>
export type ExpectedTool = z.infer<typeof expectedToolSchema>
export type Expectation = z.infer<typeof expectationSchema>
export type EvalItem = z.infer<typeof evalItemSchema>
export type Split = EvalItem['split']
