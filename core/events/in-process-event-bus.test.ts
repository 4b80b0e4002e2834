import { describe, expect, it } from 'vitest'
import { InProcessEventBus } from './in-process-event-bus.ts'

describe('the in-process event bus', () => {
  it('is a cluster of one: group subscribers hear each event once, remote-only subscribers never', async () => {
    const bus = new InProcessEventBus({ onHandlerError: () => undefined })
    const heard: string[] = []
    bus.subscribe('thing-changed', () => void heard.push('broadcast'))
    bus.subscribe('thing-changed', () => void heard.push('group'), { group: 'workers' })
    bus.subscribe('thing-changed', () => void heard.push('remote'), { remoteOnly: true })
    bus.subscribe('thing-changed', () => {
      throw new Error('a failing subscriber')
    })
    const unsubscribe = bus.subscribe('thing-changed', () => void heard.push('gone'))
    unsubscribe()
    await bus.start()
    await bus.publish({ type: 'thing-changed', payload: {} })
    expect(heard).toEqual(['broadcast', 'group'])
  })
})
