/**
 * PostgreSQL's COPY text format: one line per row, values separated by tabs, `\N` for null, and backslash,
 * tab, newline and carriage return escaped with a backslash. Values are read by each column type's input
 * function, the same as a `'…'::type` cast.
 */
const NEEDS_ESCAPE = /[\\\t\n\r]/
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/** One value as COPY text: strings escaped, numbers and booleans as written, null and undefined as `\N`. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (character) => ESCAPES[character]!) : value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (value instanceof Date) return value.toISOString()
  throw new TypeError(`a ${typeof value} cannot be written as COPY text; pass text, a number or null`)
}

/** One row as a COPY text line, newline included. */
export function copyLine(values: readonly unknown[]): string {
  let line = copyValue(values[0])
  for (let index = 1; index < values.length; index++) line += `\t${copyValue(values[index])}`
  return `${line}\n`
}

/**
 * COPY text rows gathered as UTF-8 bytes in one growing buffer: a batch of thousands of lines joined as a
 * string would be encoded again, whole, on its way into the engine.
 */
export class CopyTextBuffer {
  private buffer = Buffer.allocUnsafe(1 << 20)
  private length = 0
  rows = 0

  add(values: readonly unknown[]): void {
    const line = copyLine(values)
    // A UTF-16 code unit is at most three UTF-8 bytes.
    if (this.length + line.length * 3 > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + line.length * 3))
      this.buffer.copy(grown, 0, 0, this.length)
      this.buffer = grown
    }
    this.length += this.buffer.write(line, this.length, 'utf8')
    this.rows++
  }

  /** The rows so far, as a copy (the buffer is reused), and a fresh start. */
  take(): Uint8Array {
    const bytes = Uint8Array.prototype.slice.call(this.buffer, 0, this.length)
    this.length = 0
    this.rows = 0
    return bytes
  }
}
