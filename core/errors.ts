/**
 * Domain errors. They know nothing of transports: adapters (HTTP, MCP, CLI, chat) map `code` to their own
 * status or error shape. Every message says what was wrong and, where it can, what would be accepted.
 */
export type ErrorCode = 'NOT_FOUND' | 'INVALID_INPUT' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT' | 'APPROVAL_REQUIRED' | 'INTERNAL'

export interface ErrorIssue {
  /** Where the problem is: a dotted path in the input, a file, an entity reference. */
  path: string
  message: string
}

export class PortalError extends Error {
  readonly code: ErrorCode
  readonly issues: ErrorIssue[]

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; issues?: ErrorIssue[] } = {}) {
    super(message, { cause: options.cause })
    this.name = 'PortalError'
    this.code = code
    this.issues = options.issues ?? []
  }
}

export class NotFoundError extends PortalError {
  constructor(message: string, options: { cause?: unknown; issues?: ErrorIssue[] } = {}) {
    super('NOT_FOUND', message, options)
    this.name = 'NotFoundError'
  }
}

export class InputError extends PortalError {
  constructor(message: string, options: { cause?: unknown; issues?: ErrorIssue[] } = {}) {
    super('INVALID_INPUT', message, options)
    this.name = 'InputError'
  }
}

export class ConflictError extends PortalError {
  constructor(message: string, options: { cause?: unknown; issues?: ErrorIssue[] } = {}) {
    super('CONFLICT', message, options)
    this.name = 'ConflictError'
  }
}

export class ForbiddenError extends PortalError {
  constructor(message: string, options: { cause?: unknown; issues?: ErrorIssue[] } = {}) {
    super('FORBIDDEN', message, options)
    this.name = 'ForbiddenError'
  }
}

/** Turns a zod error into issues that name the field, e.g. `depth: Too big: expected number to be <=10`. */
export function issuesFromZod(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }, prefix = ''): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }))
}

export function describeIssues(issues: ErrorIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
}
