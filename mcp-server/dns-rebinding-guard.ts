export interface DnsRebindingGuardOptions {
  /** `Host` values served: `host:port` must match exactly; a bare hostname matches it on any port. */
  allowedHosts: readonly string[]
  /** Browser origins allowed to call, e.g. `http://localhost:3000`; a request without `Origin` always passes. */
  allowedOrigins: readonly string[]
}

/** Loopback on the port the portal listens on: what a local server should answer to, and nothing else. */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]
}

export function loopbackOrigins(port: number): string[] {
  return loopbackHosts(port).map((host) => `http://${host}`)
}

/**
 * Why a request must be refused to defend against DNS rebinding, or undefined when it may proceed. A web page
 * that rebinds its own name to 127.0.0.1 still sends its own name as `Host` and its own `Origin`, so both are
 * checked against what the operator allowed.
 */
export function dnsRebindingRejection(request: Request, { allowedHosts, allowedOrigins }: DnsRebindingGuardOptions): string | undefined {
  const host = request.headers.get('host')
  if (!host) return 'The request has no Host header'
  const hostUrl = parseUrl(`http://${host}`)
  const hostAllowed = hostUrl !== undefined && allowedHosts.some((entry) => {
    const allowed = parseUrl(`http://${entry}`)
    return allowed !== undefined && allowed.hostname === hostUrl.hostname && (!/:\d+$/.test(entry) || allowed.port === hostUrl.port)
  })
  if (!hostAllowed) return `Host "${host}" is not allowed; the operator can add it to the MCP allowed hosts`
  const origin = request.headers.get('origin')
  if (origin === null || origin === '') return undefined
  const originUrl = parseUrl(origin)
  // `null` (an opaque origin) and anything unparsable are refused: there is nothing to compare.
  const originAllowed = originUrl !== undefined && origin !== 'null' && allowedOrigins.some((entry) => parseUrl(entry)?.origin === originUrl.origin)
  return originAllowed ? undefined : `Origin "${origin}" is not allowed; the operator can add it to the MCP allowed origins`
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}
