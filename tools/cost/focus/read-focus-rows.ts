import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'
import { csvRecords } from './csv-records.ts'
import { PROVIDER_COLUMNS, REQUIRED_COLUMNS, type FocusRecord } from './parse-focus-row.ts'

export interface FocusRow {
  file: string
  /** 1-based data row (the header is not counted). */
  row: number
  record: FocusRecord
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
 * Streams the records of a FOCUS CSV file (plain or gzip, recognised by its bytes), so a file of millions of rows
 * is read in bounded memory. A file that is not CSV, or lacks a required column, yields a problem instead (row 0
 * is the header); a row with the wrong number of cells is a problem of its own.
 */
export async function* readFocusRows(file: string, onProblem: (problem: FocusFileProblem) => void): AsyncGenerator<FocusRow> {
  let input: NodeJS.ReadableStream
  try {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 })
    input = (await isGzip(file)) ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw
    raw.on('error', (error) => (input as unknown as { destroy(error: Error): void }).destroy(error))
  } catch (error) {
    onProblem({ file, row: 0, message: `cannot be read: ${(error as Error).message}` })
    return
  }
  let header: string[] | undefined
  let columns: Map<string, number> | undefined
  let row = 0
  try {
    for await (const records of csvRecords(input as AsyncIterable<Uint8Array>)) {
      for (const cells of records) {
        if (!header) {
          header = cells.map((name) => name.trim())
          columns = new Map(header.map((name, position) => [name, position]))
          const missing: string[] = REQUIRED_COLUMNS.filter((column) => !header!.includes(column))
          if (!PROVIDER_COLUMNS.some((column) => header!.includes(column))) missing.push('ProviderName')
          if (missing.length > 0) {
            for (const column of missing) onProblem({ file, row: 0, column, message: 'is a required FOCUS column and is missing from the header' })
            return
          }
          continue
        }
        row++
        if (cells.length !== header.length) {
          onProblem({ file, row, message: `has ${cells.length} cells; the header has ${header.length} columns` })
          continue
        }
        yield { file, row, record: { cells, columns: columns! } }
      }
    }
  } catch (error) {
    const message = (error as Error).message
    onProblem({ file, row: row + 1, message: /incorrect header check|unexpected end of file/i.test(message) ? `is not a valid gzip file: ${message}` : `is not valid CSV: ${message}` })
  }
}
