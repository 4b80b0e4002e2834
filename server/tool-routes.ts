import { Hono } from 'hono'
import { InputError } from '../core/errors.ts'
import { localOperator } from '../core/identity.ts'
import type { ToolRegistry } from '../tools/tool-registry.ts'
import { errorResponse } from './error-response.ts'

/**
 * The registry over HTTP: `GET /api/tools` lists the tools, `POST /api/tools/:name` runs one with a JSON body.
 * Until token authentication lands, only read-only tools are served here; anything that writes goes through
 * the CLI or an approval.
 */
export function toolRoutes({ tools }: { tools: ToolRegistry }): Hono {
  const app = new Hono()
  app.onError((error, context) => errorResponse(context, error))
  const readOnly = { ...localOperator('http-anonymous'), scopes: new Set(['catalog:read', 'graph:read', 'search:read', 'rca:read', 'cost:read']) }

  app.get('/', (context) =>
    context.json({
      tools: tools.list().map((tool) => ({ name: tool.name, title: tool.title, description: tool.description, scope: tool.scope, approval: tool.approval, annotations: tool.annotations, inputSchema: tools.jsonSchema(tool.name).input, outputSchema: tools.jsonSchema(tool.name).output })),
    }),
  )

  app.post('/:name', async (context) => {
    const body = await context.req.text()
    let input: unknown = {}
    if (body.trim() !== '') {
      try {
        input = JSON.parse(body)
      } catch (error) {
        throw new InputError(`The request body must be the tool's input as JSON: ${(error as Error).message}`)
      }
    }
    const result = await tools.call(context.req.param('name'), input, { identity: readOnly, signal: context.req.raw.signal })
    return context.json({ output: result.output, text: result.text })
  })
  return app
}
