import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'
import { parse } from 'csv-parse'
import { PROVIDER_COLUMNS, REQUIRED_COLUMNS } from './parse-focus-row.ts'

export interface FocusRecord {
  file: string
  /** 1-based data row (the header is not counted). */
  row: number
  record: Record<string, string>
}

export interface FocusFileProblem {
  file: string
  row: number
  column?: string
  message: string
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await handle.close()
  }
}

/**
 * Streams the records of a FOCUS CSV file (plain or gzip, recognised by its bytes), one at a time, so a file of
 * millions of rows is read in bounded memory. A file that is not CSV, or lacks a required column, yields a
 * problem instead (row 0 is the header).
 */
export async function* readFocusRows(file: string, onProblem: (problem: FocusFileProblem) => void): AsyncGenerator<FocusRecord> {
  let input: NodeJS.ReadableStream
  try {
    input = (await isGzip(file)) ? createReadStream(file).pipe(createGunzip()) : createReadStream(file)
  } catch (error) {
    onProblem({ file, row: 0, message: `cannot be read: ${(error as Error).message}` })
    return
  }
  const parser = parse({ columns: (header: string[]) => header.map((name) => name.trim().replace(/^\uFEFF/, '')), bom: true, relax_column_count: false, skip_empty_lines: true })
  input.on('error', (error) => parser.destroy(error))
  input.pipe(parser)
  let row = 0
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      row++
      if (row === 1) {
        const columns = Object.keys(record)
        const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column))
        if (!PROVIDER_COLUMNS.some((column) => columns.includes(column))) missing.push('ProviderName' as never)
        if (missing.length > 0) {
          for (const column of missing) onProblem({ file, row: 0, column, message: 'is a required FOCUS column and is missing from the header' })
          parser.destroy()
          return
        }
      }
      yield { file, row, record }
    }
  } catch (error) {
    const message = (error as Error).message
    onProblem({ file, row: row + 1, message: /incorrect header check|unexpected end of file/i.test(message) ? `is not a valid gzip file: ${message}` : `is not valid CSV: ${message}` })
  }
}
