import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, testEngines, type TestStore } from '../testing/test-store.ts'
import { CopyTextBuffer, copyLine, copyValue } from './copy-text.ts'

const AWKWARD = ['tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash \\N', 'NULL', '', 'é ü 💸 "quoted"']

describe('COPY text', () => {
  it('escapes what COPY would read as structure and writes null as \\N', () => {
    expect(copyValue('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e')
    expect(copyValue(null)).toBe('\\N')
    expect(copyValue(undefined)).toBe('\\N')
    expect(copyValue(1.5)).toBe('1.5')
    expect(copyLine(['a', null, 2])).toBe('a\t\\N\t2\n')
    expect(() => copyValue({})).toThrow(/cannot be written as COPY text/)
  })

  it('gathers rows as UTF-8 beyond its first buffer and starts afresh after take()', () => {
    const buffer = new CopyTextBuffer()
    const long = 'ü'.repeat(400_000)
    buffer.add([long, 'x'])
    buffer.add(['y', null])
    expect(buffer.rows).toBe(2)
    expect(new TextDecoder().decode(buffer.take())).toBe(`${long}\tx\ny\t\\N\n`)
    expect(buffer.rows).toBe(0)
    buffer.add(['z'])
    expect(new TextDecoder().decode(buffer.take())).toBe('z\n')
  })
})

describe.each(testEngines)('copyFrom on %s', (engine) => {
  let test: TestStore
  beforeAll(async () => {
    test = await openTestStore(engine)
    await test.store.exec('create table copy_items (id integer not null, label text, amount numeric)')
  })
  afterAll(async () => {
    await test?.close()
  })

  it('stores awkward text exactly, inside a transaction that can roll it back', async () => {
    // Engines without COPY leave copyFrom undefined; their callers insert with SQL.
    if (!test.store.copyFrom) return
    const buffer = new CopyTextBuffer()
    AWKWARD.forEach((label, id) => buffer.add([id, label, '12.345678901234']))
    buffer.add([AWKWARD.length, null, null])
    await test.store.transaction(async (transaction) => transaction.copyFrom!('copy_items', ['id', 'label', 'amount'], buffer.take()))
    const { rows } = await test.store.query<{ label: string | null; amount: string | null }>('select label, amount::text as amount from copy_items order by id')
    expect(rows.map((row) => row.label)).toEqual([...AWKWARD, null])
    expect(rows[0]!.amount).toBe('12.345678901234')

    await expect(test.store.transaction(async (transaction) => {
      await transaction.copyFrom!('copy_items', ['id', 'label'], copyLine([99, 'rolled back']))
      throw new Error('abandon')
    })).rejects.toThrow('abandon')
    const { rows: after } = await test.store.query<{ n: number }>('select count(*)::integer as n from copy_items')
    expect(after[0]!.n).toBe(AWKWARD.length + 1)
  })
})
