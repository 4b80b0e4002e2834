import { describe, expect, it } from 'vitest'
import { InflightCalls, whenAnswered } from './inflight-calls.ts'

describe('InflightCalls', () => {
  it("cancels a caller's own call by id, and nobody else's", () => {
    const calls = new InflightCalls()
    const mine = calls.track('token-a', 7)
    const theirs = calls.track('token-b', 7)
    expect(calls.cancel('token-b', 8)).toBe(false)
    expect(calls.cancel('token-a', 7, 'user pressed stop')).toBe(true)
    expect(mine.signal.aborted).toBe(true)
    expect(mine.signal.reason).toBe('user pressed stop')
    expect(theirs.signal.aborted).toBe(false)
  })

  it('forgets a call once released, and a release never forgets a newer call with the same id', () => {
    const calls = new InflightCalls()
    const first = calls.track('token-a', 1)
    const second = calls.track('token-a', 1)
    first.release()
    expect(calls.size).toBe(1)
    second.release()
    expect(calls.size).toBe(0)
    expect(calls.cancel('token-a', 1)).toBe(false)
  })
})

describe('whenAnswered', () => {
  it('reports a streamed response as answered only after its body has been read', async () => {
    let done = 0
    const response = whenAnswered(new Response('data: one\n\n', { status: 200, headers: { 'content-type': 'text/event-stream' } }), () => done++, new AbortController().signal)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(done).toBe(0)
    expect(await response.text()).toBe('data: one\n\n')
    expect(done).toBe(1)
  })

  it('reports an abandoned response when the request is aborted, and a bodiless one at once', () => {
    let done = 0
    const request = new AbortController()
    whenAnswered(new Response('never read'), () => done++, request.signal)
    request.abort()
    expect(done).toBe(1)
    whenAnswered(new Response(null, { status: 202 }), () => done++, new AbortController().signal)
    expect(done).toBe(2)
  })
})
