import { readFile } from 'node:fs/promises'
import { evalItemSchema, type EvalItem } from './eval-item.ts'

/** A data set that cannot be used: unreadable, or a record that is not valid JSON or not a valid item. */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message)
    this.name = 'DatasetError'
  }
}

export interface ReadDatasetOptions {
  /** A suite's own requirement on an item (e.g. routing needs `expect.tools`); returns what is wrong, if anything. */
  check?: (item: EvalItem) => string | undefined
}

/** Parses a JSONL data set, one item per non-blank line; the first bad record fails with its file and line. */
export async function readDataset(file: string, { check }: ReadDatasetOptions = {}): Promise<EvalItem[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new DatasetError(`Cannot read data set ${file}: ${(error as Error).message}`, file)
  }
  return parseDataset(text, file, { check })
}

/** The parser behind `readDataset`, for text already in memory. */
export function parseDataset(text: string, file: string, { check }: ReadDatasetOptions = {}): EvalItem[] {
  const items: EvalItem[] = []
  const lines = text.split(/\r?\n/)
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue
    const where = `${file}:${index + 1}`
    let json: unknown
    try {
      json = JSON.parse(line)
    } catch (error) {
      throw new DatasetError(`${where}: not valid JSON (${(error as Error).message})`, file, index + 1)
    }
    const parsed = evalItemSchema.safeParse(json)
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(record)'}: ${issue.message}`)
      throw new DatasetError(`${where}: ${problems.join('; ')}`, file, index + 1)
    }
    const problem = check?.(parsed.data)
    if (problem) throw new DatasetError(`${where}: ${problem}`, file, index + 1)
    items.push(parsed.data)
  }
  if (items.length === 0) throw new DatasetError(`Data set ${file} has no items`, file)
  return items
}
