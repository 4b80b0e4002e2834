import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { PortalError } from '../core/errors.ts'

const STATUS: Record<string, { status: ContentfulStatusCode; name: string }> = {
  NOT_FOUND: { status: 404, name: 'NotFoundError' },
  INVALID_INPUT: { status: 400, name: 'InputError' },
  FORBIDDEN: { status: 403, name: 'NotAllowedError' },
  UNAUTHENTICATED: { status: 401, name: 'AuthenticationError' },
  CONFLICT: { status: 409, name: 'ConflictError' },
  APPROVAL_REQUIRED: { status: 403, name: 'ApprovalRequiredError' },
}

/** Errors in Backstage's response shape (`{error: {name, message}, request, response}`), which its clients parse. */
export function errorResponse(context: Context, error: unknown): Response {
  const mapped = error instanceof PortalError ? STATUS[error.code] : undefined
  const status = mapped?.status ?? 500
  const message = mapped ? (error as Error).message : 'Internal server error'
  if (!mapped) console.error(error)
  const url = new URL(context.req.url)
  return context.json(
    {
      error: { name: mapped?.name ?? 'Error', message, ...(error instanceof PortalError && error.issues.length ? { issues: error.issues } : {}) },
      request: { method: context.req.method, url: url.pathname + url.search },
      response: { statusCode: status },
    },
    status,
  )
}
