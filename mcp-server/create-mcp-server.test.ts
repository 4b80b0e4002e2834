import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv'
import type { Client } from '@modelcontextprotocol/client'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localOperator } from '../core/identity.ts'
import type { Platform } from '../platform/create-platform.ts'
import { defineTool, type ToolContext } from '../tools/define-tool.ts'
import { connectMcpClient, PROTOCOL_REVISIONS } from './testing/connect-mcp-client.ts'
import { SAMPLE_TOOL_INPUTS } from './testing/sample-tool-inputs.ts'
import { openTestPlatform } from './testing/test-platform.ts'

type Json = any
const operator = localOperator('mcp-test')
const validator = new AjvJsonSchemaValidator()
const textOf = (result: Json): string => result.content.map((item: Json) => item.text).join('\n')

/** A folder with two services: `ledger` has TechDocs (index and a runbook), `abacus` points at docs that are not there. */
async function writeDocsCatalog(root: string): Promise<string[]> {
  const component = (name: string) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec: { type: service, lifecycle: production, owner: payments }\n`
  await mkdir(path.join(root, 'ledger/docs/runbooks'), { recursive: true })
  await mkdir(path.join(root, 'abacus'), { recursive: true })
  await writeFile(path.join(root, 'ledger/catalog-info.yaml'), component('ledger'))
  await writeFile(path.join(root, 'ledger/docs/index.md'), '# Ledger\n\nKeeps the books.\n')
  await writeFile(path.join(root, 'ledger/docs/runbooks/restart.md'), '# Restarting the ledger\n')
  await writeFile(path.join(root, 'abacus/catalog-info.yaml'), component('abacus'))
  return [path.join(root, 'ledger/catalog-info.yaml'), path.join(root, 'abacus/catalog-info.yaml')]
}

describe.each(PROTOCOL_REVISIONS)('MCP server, protocol revision %s', (revision) => {
  let platform: Platform
  let client: Client
  let close: () => Promise<void>
  let docsRoot: string

  beforeAll(async () => {
    docsRoot = await mkdtemp(path.join(os.tmpdir(), 'portal-mcp-docs-'))
    platform = await openTestPlatform({ files: await writeDocsCatalog(docsRoot) })
    // Search opens an in-memory store of its own on first use: seconds of PGlite start-up, paid here rather than in a test.
    await platform.search.start()
    ;({ client, close } = await connectMcpClient(platform, operator, { revision, resourcePageSize: 4 }))
  })
  afterAll(async () => {
    await close?.()
    await platform?.close()
    await rm(docsRoot, { recursive: true, force: true })
  })

  it('speaks the revision the client asked for', () => {
    expect(client.getNegotiatedProtocolVersion()).toBe(revision)
  })

  describe('tools', () => {
    it('lists every registry tool with its title, description, schemas and annotations', async () => {
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual(platform.tools.list().map((tool) => tool.name))
      for (const definition of platform.tools.list()) {
        const listed = tools.find((tool) => tool.name === definition.name)!
        const schemas = platform.tools.jsonSchema(definition.name)
        expect(listed.title).toBe(definition.title)
        expect(listed.description).toBe(definition.description)
        expect(listed.inputSchema).toEqual(schemas.input)
        if (!definition.approval) expect(listed.outputSchema).toEqual(schemas.output)
        expect(listed.annotations).toEqual({ title: definition.title, ...definition.annotations })
        // Honest flags: a tool that only reads neither destroys nor reaches outside the portal.
        if (listed.annotations!.readOnlyHint) expect(listed.annotations!.destructiveHint).toBe(false)
      }
    })

    it('has a sample input for every tool, so that every tool is called below', () => {
      expect(platform.tools.list().map((tool) => tool.name).filter((name) => !(name in SAMPLE_TOOL_INPUTS))).toEqual([])
    })

    it.each(Object.entries(SAMPLE_TOOL_INPUTS))('calls %s: structuredContent matches its outputSchema and the text renders it', async (name, input) => {
      const { tools } = await client.listTools()
      const listed = tools.find((tool) => tool.name === name)
      expect(listed, `${name} is in SAMPLE_TOOL_INPUTS but not in the registry`).toBeDefined()
      const result: Json = await client.callTool({ name, arguments: input })
      if (name === 'remediation_undo') {
        expect(result.isError).toBe(true)
        expect(textOf(result)).toMatch(/^NOT_FOUND: No approval request apr_unknown/)
        return
      }
      if (name === 'migration_import_backstage') {
        // It acts on no catalog entity, so only approvers the policy names may approve it; without a policy, none.
        expect(result.isError).toBe(true)
        expect(textOf(result)).toMatch(/nobody may approve migration_import_backstage.*approval policy/)
        return
      }
      expect(result.isError ?? false, textOf(result)).toBe(false)
      const check = validator.getValidator(listed!.outputSchema as Json)(result.structuredContent)
      expect(check.errorMessage).toBeUndefined()
      expect(check.valid).toBe(true)
      if (platform.tools.get(name).approval) {
        // Nothing runs over MCP: the call became a stored approval request.
        expect(result.structuredContent.approvalRequest).toMatchObject({ tool: name, status: 'pending' })
        return
      }
      const direct = await platform.tools.call(name, input, { identity: operator })
      expect(result.structuredContent).toEqual(direct.output)
      expect(result.content[0]).toEqual({ type: 'text', text: direct.text })
      // Clients that show the model only `content` still get every field.
      expect(JSON.parse(result.content.at(-1).text)).toEqual(direct.output)
    })

    it('answers bad input with an isError result naming the field, the limit and what to do', async () => {
      const result: Json = await client.callTool({ name: 'graph_dependencies', arguments: { ref: 'web', depth: 99 } })
      expect(result.isError).toBe(true)
      expect(textOf(result)).toMatch(/^INVALID_INPUT: Invalid input for graph_dependencies: depth: Too big: expected number to be <=20/)
      expect(textOf(result)).toContain('Correct the arguments to match the input schema of graph_dependencies')
      expect(result.structuredContent).toBeUndefined()
    })

    it('answers an unknown entity with an isError result that suggests the likely one', async () => {
      const result: Json = await client.callTool({ name: 'catalog_who_owns', arguments: { ref: 'paymnts-db' } })
      expect(result.isError).toBe(true)
      expect(textOf(result)).toContain('NOT_FOUND: No entity "paymnts-db" in the catalog; did you mean resource:default/payments-db?')
    })
  })

  describe('resources', () => {
    it('offers entity and docs templates', async () => {
      const { resourceTemplates } = await client.listResourceTemplates()
      expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['catalog://{kind}/{namespace}/{name}', 'docs://{kind}/{namespace}/{name}', 'docs://{kind}/{namespace}/{name}/{+page}'])
    })

    it('lists every entity a page at a time, with docs only for entities that have them', async () => {
      const first: Json = await client.request({ method: 'resources/list', params: {} })
      expect(first.resources.filter((resource: Json) => resource.uri.startsWith('catalog://'))).toHaveLength(4)
      const uris: string[] = first.resources.map((resource: Json) => resource.uri)
      let cursor = first.nextCursor
      let pages = 1
      while (cursor) {
        const page = await client.listResources({ cursor })
        uris.push(...page.resources.map((resource) => resource.uri))
        cursor = page.nextCursor
        pages++
      }
      const refs = [...platform.catalog.index.refs()].sort()
      expect(pages).toBe(Math.ceil(refs.length / 4))
      expect(new Set(uris).size).toBe(uris.length)
      expect(uris.filter((uri) => uri.startsWith('catalog://'))).toEqual(refs.map((ref) => `catalog://${ref.replace(':', '/')}`))
      expect(uris.filter((uri) => uri.startsWith('docs://'))).toEqual(['docs://component/default/ledger'])
      // Without a cursor the SDK client walks the same pages itself.
      expect((await client.listResources()).resources.map((resource) => resource.uri)).toEqual(uris)
    })

    it('refuses a cursor it did not issue', async () => {
      await expect(client.listResources({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('Invalid cursor') })
    })

    it('reads an entity as JSON with its relations', async () => {
      const { contents }: Json = await client.readResource({ uri: 'catalog://component/default/checkout' })
      expect(contents).toHaveLength(1)
      expect(contents[0]).toMatchObject({ uri: 'catalog://component/default/checkout', mimeType: 'application/json' })
      const entity = JSON.parse(contents[0].text)
      expect(entity).toEqual(platform.catalog.index.get('component:default/checkout'))
      expect(entity.relations).toContainEqual({ type: 'ownedBy', targetRef: 'group:default/payments' })
    })

    it('answers an unknown entity with an error that suggests the likely one', async () => {
      await expect(client.readResource({ uri: 'catalog://component/default/checkot' })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('did you mean catalog://component/default/checkout') })
    })

    it("reads an entity's docs: index.md first, then its other pages, each readable alone", async () => {
      const { contents }: Json = await client.readResource({ uri: 'docs://component/default/ledger' })
      expect(contents.map((content: Json) => [content.uri, content.mimeType])).toEqual([
        ['docs://component/default/ledger', 'text/markdown'],
        ['docs://component/default/ledger/runbooks/restart.md', 'text/markdown'],
      ])
      expect(contents[0].text).toBe('# Ledger\n\nKeeps the books.\n')
      const page: Json = await client.readResource({ uri: 'docs://component/default/ledger/runbooks/restart.md' })
      expect(page.contents[0].text).toBe('# Restarting the ledger\n')
      await expect(client.readResource({ uri: 'docs://component/default/ledger/../catalog-info.yaml' })).rejects.toMatchObject({ code: -32602 })
      await expect(client.readResource({ uri: 'docs://component/default/abacus' })).rejects.toMatchObject({ message: expect.stringContaining('has no docs here') })
    })
  })

  describe('prompts', () => {
    it('lists the prompts with their arguments', async () => {
      const { prompts } = await client.listPrompts()
      expect(prompts.map((prompt) => [prompt.name, prompt.arguments?.map((argument) => [argument.name, argument.required])])).toEqual([
        ['triage-incident', [['service', true]]],
        ['onboard-to-team', [['team', true]]],
        ['review-team-costs', [['team', true]]],
      ])
    })

    it('triage-incident names the service and the tools in order', async () => {
      const { messages } = await client.getPrompt({ name: 'triage-incident', arguments: { service: 'checkout' } })
      const text = (messages[0]!.content as Json).text as string
      expect(messages[0]!.role).toBe('user')
      expect(text).toContain('Triage an incident affecting component:default/checkout')
      const order = ['catalog_get_entity {"ref":"component:default/checkout"}', 'catalog_who_owns', 'graph_dependencies', 'graph_dependents'].map((step) => text.indexOf(step))
      expect(order.every((position) => position >= 0)).toBe(true)
      expect([...order].sort((a, b) => a - b)).toEqual(order)
    })

    it('onboard-to-team and review-team-costs resolve the team and say what the portal cannot answer', async () => {
      const onboard = ((await client.getPrompt({ name: 'onboard-to-team', arguments: { team: 'payments' } })).messages[0]!.content as Json).text
      expect(onboard).toContain('joined group:default/payments (Payments Team)')
      expect(onboard).toContain('graph_owned_by {"group":"group:default/payments"}')
      const costs = ((await client.getPrompt({ name: 'review-team-costs', arguments: { team: 'group:default/payments' } })).messages[0]!.content as Json).text
      expect(costs).toContain('Review the costs of group:default/payments')
      expect(costs).toContain('no cost tool yet')
    })

    it('refuses an unknown team, suggesting the likely one, and completes team names', async () => {
      await expect(client.getPrompt({ name: 'onboard-to-team', arguments: { team: 'paymnts' } })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('did you mean') })
      const { completion } = await client.complete({ ref: { type: 'ref/prompt', name: 'onboard-to-team' }, argument: { name: 'team', value: 'pay' } })
      expect(completion.values).toEqual(['payments'])
    })
  })

  it('shows a caller only the tools its scopes allow, and no resources without catalog:read', async () => {
    const graphOnly = await connectMcpClient(platform, { subject: 'graph-reader', scopes: new Set(['graph:read']) }, { revision })
    try {
      const { tools } = await graphOnly.client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual(platform.tools.list().filter((tool) => tool.scope === 'graph:read').map((tool) => tool.name))
      expect(graphOnly.client.getServerCapabilities()?.resources).toBeUndefined()
      expect(graphOnly.client.getServerCapabilities()?.prompts).toBeUndefined()
      await expect(graphOnly.client.callTool({ name: 'catalog_get_entity', arguments: { ref: 'checkout' } })).rejects.toThrow(/catalog_get_entity not found/)
    } finally {
      await graphOnly.close()
    }
  })
})

describe.each(PROTOCOL_REVISIONS)('MCP tools that report progress, listen for cancellation, or need approval (%s)', (revision) => {
  let platform: Platform
  const seen: { contexts: ToolContext[]; executed: string[] } = { contexts: [], executed: [] }

  beforeAll(async () => {
    platform = await openTestPlatform()
    // Added to the registry only: the MCP server picks them up with nothing written for MCP.
    platform.tools.register(
      defineTool({
        name: 'test_count_slowly',
        title: 'Count slowly',
        description: 'Counts to `to`, reporting progress; with `wait` it waits for cancellation after the first step.',
        input: z.object({ to: z.number().int().min(1).max(5), wait: z.boolean().default(false) }),
        output: z.object({ counted: z.number().int() }),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        scope: 'graph:read',
        approval: false,
        async execute({ to, wait }, context) {
          seen.contexts.push(context)
          for (let step = 1; step <= to; step++) {
            context.reportProgress?.(step, to, `counted ${step}`)
            if (wait) await new Promise((resolve) => context.signal?.addEventListener('abort', resolve, { once: true }))
          }
          return { counted: to }
        },
      }),
      defineTool({
        name: 'test_restart_service',
        title: 'Restart a service',
        description: 'Restarts a service in production.',
        input: z.object({ ref: z.string().min(1) }),
        output: z.object({ restarted: z.string() }),
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
        scope: 'remediation:request',
        approval: true,
        describeCall: ({ ref }) => ({ summary: `Restart ${ref}`, target: `component:default/${ref}` }),
        async execute({ ref }) {
          seen.executed.push(ref)
          return { restarted: ref }
        },
      }),
    )
  })
  afterAll(async () => {
    await platform?.close()
  })

  it('lists a tool added to the registry, with its honest annotations', async () => {
    const { client, close } = await connectMcpClient(platform, operator, { revision })
    try {
      const { tools } = await client.listTools()
      expect(tools.find((tool) => tool.name === 'test_restart_service')?.annotations).toEqual({ title: 'Restart a service', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true })
    } finally {
      await close()
    }
  })

  it('forwards reportProgress as progress notifications when the caller sends a progress token', async () => {
    const { client, close } = await connectMcpClient(platform, operator, { revision })
    try {
      const progress: Json[] = []
      const result: Json = await client.callTool({ name: 'test_count_slowly', arguments: { to: 3 } }, { onprogress: (update) => progress.push(update) })
      expect(result.structuredContent).toEqual({ counted: 3 })
      expect(progress).toEqual([1, 2, 3].map((step) => ({ progress: step, total: 3, message: `counted ${step}` })))
      await client.callTool({ name: 'test_count_slowly', arguments: { to: 1 } })
      expect(seen.contexts.at(-1)!.reportProgress).toBeUndefined()
    } finally {
      await close()
    }
  })

  it('aborts the tool signal when the caller cancels', async () => {
    const { client, close } = await connectMcpClient(platform, operator, { revision })
    try {
      const controller = new AbortController()
      const call = client.callTool({ name: 'test_count_slowly', arguments: { to: 2, wait: true } }, { signal: controller.signal, onprogress: () => controller.abort('user cancelled') })
      await expect(call).rejects.toThrow()
      await expect.poll(() => seen.contexts.at(-1)?.signal?.aborted).toBe(true)
    } finally {
      await close()
    }
  })

  it('never runs a tool that needs approval: the call stores an approval request and answers with it', async () => {
    const { client, close } = await connectMcpClient(platform, operator, { revision })
    try {
      const { tools } = await client.listTools()
      const listed = tools.find((tool) => tool.name === 'test_restart_service')!
      const result: Json = await client.callTool({ name: 'test_restart_service', arguments: { ref: 'checkout' } })
      expect(result.isError ?? false, textOf(result)).toBe(false)
      // Over MCP such a tool's output is the request; it validates against the schema the server lists.
      expect(validator.getValidator(listed.outputSchema as Json)(result.structuredContent).valid).toBe(true)
      const requested = result.structuredContent.approvalRequest
      expect(requested).toMatchObject({ tool: 'test_restart_service', input: { ref: 'checkout' }, status: 'pending', approvers: ['user:default/ada', 'user:default/grace'] })
      expect(textOf(result)).toMatch(/^Approval requested \(apr_\w+\); nothing has run yet/)
      expect(await platform.approvals.get(requested.id)).toMatchObject({ requester: 'mcp-test', surface: 'mcp', status: 'pending' })
      const invalid: Json = await client.callTool({ name: 'test_restart_service', arguments: {} })
      expect(textOf(invalid)).toMatch(/^INVALID_INPUT: Invalid input for test_restart_service: ref/)
      expect(seen.executed).toEqual([])
    } finally {
      await close()
    }
  })
})
