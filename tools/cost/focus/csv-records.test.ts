import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { CsvError, csvRecords } from './csv-records.ts'

async function all(chunks: string[]): Promise<string[][]> {
  const out: string[][] = []
  for await (const records of csvRecords((async function* () { yield* chunks.map((chunk) => new TextEncoder().encode(chunk)) })())) out.push(...records)
  return out
}

const TRICKY = '\uFEFFa,b,c\n1,"two, with comma","three ""quoted"""\n"multi\nline",,x\n\n"é",ü,"end"\nlast,row,'

describe('csvRecords', () => {
  it('reads RFC 4180 CSV as csv-parse does, however the bytes are split into chunks', async () => {
    const expected = parse(TRICKY, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][]
    expect(await all([TRICKY])).toEqual(expected)
    const bytes = new TextEncoder().encode(TRICKY)
    for (let split = 1; split < bytes.length; split++) {
      // Splitting inside a multi-byte character too: the decoder must carry it over.
      const records: string[][] = []
      for await (const batch of csvRecords((async function* () { yield bytes.slice(0, split); yield bytes.slice(split) })())) records.push(...batch)
      expect(records, `split at byte ${split}`).toEqual(expected)
    }
  })

  it('reads CRLF line ends', async () => {
    expect(await all(['a,b\r\n1,"2"\r\n', '3,4\r', '\n'])).toEqual([['a', 'b'], ['1', '2'], ['3', '4']])
  })

  it('rejects a quoted field that never closes', async () => {
    await expect(all(['a,b\n"open,1\n'])).rejects.toThrow(CsvError)
  })
})
