import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseTimeseriesCsv, type TimeseriesRow } from './timeseries-csv.ts'

/** The NAB files copied into the repository (see its NOTICE). */
export const NAB_FIXTURES = fileURLToPath(new URL('../../../test/fixtures/nab/', import.meta.url))

export interface NabFile {
  name: string
  rows: TimeseriesRow[]
  windows: Array<[number, number]>
}

const utc = (text: string) => Date.parse(`${text.replace(' ', 'T').replace(/\.\d+$/, '')}Z`)

/** Every labelled file of the corpus with its windows, in name order. */
export async function readNabCorpus(directory = NAB_FIXTURES): Promise<NabFile[]> {
  const labels = JSON.parse(await readFile(path.join(directory, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, Array<[string, string]>>
  const files: NabFile[] = []
  for (const name of Object.keys(labels).sort()) {
    const rows = parseTimeseriesCsv(await readFile(path.join(directory, 'data', name), 'utf8'), name)
    files.push({ name, rows, windows: labels[name]!.map(([start, end]) => [utc(start), utc(end)]) })
  }
  return files
}
