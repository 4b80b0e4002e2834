/**
 * Tool calls in flight on this replica, by caller and JSON-RPC id, so that a 2025-era `notifications/cancelled`
 * can reach the call it names. Over stateless HTTP that notification arrives as its own POST, at a fresh server
 * that never saw the call; the 2026-07-28 revision cancels by closing the call's HTTP request instead, which
 * needs no bookkeeping. Best effort: a call on another replica, or one whose id the same caller reuses
 * concurrently, is not reached.
 */
export class InflightCalls {
  private readonly calls = new Map<string, AbortController>()

  /** Tracks a call; `signal` aborts when the caller cancels it, `release` forgets it once it is answered. */
  track(caller: string, id: unknown): { signal: AbortSignal; release(): void } {
    const key = JSON.stringify([caller, id])
    const controller = new AbortController()
    this.calls.set(key, controller)
    return {
      signal: controller.signal,
      release: () => {
        if (this.calls.get(key) === controller) this.calls.delete(key)
      },
    }
  }

  /** Aborts the caller's call with that id; a caller can only ever cancel its own calls. */
  cancel(caller: string, id: unknown, reason?: unknown): boolean {
    const controller = this.calls.get(JSON.stringify([caller, id]))
    controller?.abort(reason ?? 'cancelled by the client')
    return controller !== undefined
  }

  get size(): number {
    return this.calls.size
  }
}

/** Calls `done` once the response body has been sent or abandoned (a streamed answer outlives the handler). */
export function whenAnswered(response: Response, done: () => void, requestSignal: AbortSignal): Response {
  if (!response.body) {
    done()
    return response
  }
  requestSignal.addEventListener('abort', done, { once: true })
  const body = response.body.pipeThrough(new TransformStream({ flush: done }))
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
}
