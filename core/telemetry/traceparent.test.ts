import { describe, expect, it } from 'vitest'
import { parseTraceparent } from './traceparent.ts'

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
const SPAN = '00f067aa0ba902b7'

describe('parseTraceparent', () => {
  it('reads the caller\'s trace, span and sampled flag', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true })
    expect(parseTraceparent(`00-${TRACE.toUpperCase()}-${SPAN}-00`)).toMatchObject({ traceId: TRACE, traceFlags: 0 })
  })

  it('takes a later version\'s extra fields, as the W3C spec asks', () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)).toMatchObject({ traceId: TRACE, spanId: SPAN })
  })

  it('ignores anything malformed, so the request starts a trace of its own', () => {
    for (const header of [undefined, '', 'garbage', `00-${TRACE}-${SPAN}`, `00-${TRACE}-${SPAN}-01-extra`, `ff-${TRACE}-${SPAN}-01`, `00-${'0'.repeat(32)}-${SPAN}-01`, `00-${TRACE}-${'0'.repeat(16)}-01`, `00-${TRACE.slice(1)}-${SPAN}-01`]) {
      expect(parseTraceparent(header), String(header)).toBeUndefined()
    }
  })
})
