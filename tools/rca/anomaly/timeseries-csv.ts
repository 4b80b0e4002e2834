import { InputError, type ErrorIssue } from '../../../core/errors.ts'

export interface TimeseriesRow {
  timestamp: string
  time: number
  value: number
}

/**
 * Parses a `timestamp,value` CSV (a header line, then one sample per line). Timestamps are ISO 8601 or NAB's
 * "YYYY-MM-DD HH:MM:SS", read as UTC when they carry no zone. Every bad line is reported with its number.
 */
export function parseTimeseriesCsv(text: string, where = 'csv'): TimeseriesRow[] {
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').trim().toLowerCase().replace(/"/g, '')
  if (header !== 'timestamp,value') throw new InputError(`${where} must start with the header "timestamp,value"`, { issues: [{ path: `${where}:1`, message: `found "${lines[0] ?? ''}"` }] })
  const rows: TimeseriesRow[] = []
  const issues: ErrorIssue[] = []
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!.trim()
    if (line === '') continue
    const cells = line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''))
    if (cells.length !== 2) {
      issues.push({ path: `${where}:${index + 1}`, message: `expected 2 cells (timestamp,value), found ${cells.length}` })
      continue
    }
    const [timestamp, valueText] = cells as [string, string]
    const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(timestamp) ? timestamp : `${timestamp.replace(' ', 'T')}Z`
    const time = Date.parse(zoned)
    const value = Number(valueText)
    if (Number.isNaN(time)) issues.push({ path: `${where}:${index + 1}`, message: `"${timestamp}" is not a timestamp (ISO 8601 or YYYY-MM-DD HH:MM:SS)` })
    else if (valueText === '' || !Number.isFinite(value)) issues.push({ path: `${where}:${index + 1}`, message: `"${valueText}" is not a number` })
    else rows.push({ timestamp, time, value })
    if (issues.length >= 20) break
  }
  if (issues.length > 0) throw new InputError(`${where} has ${issues.length === 20 ? 'at least 20' : issues.length} bad line(s)`, { issues })
  if (rows.length === 0) throw new InputError(`${where} has no samples`, { issues: [{ path: where, message: 'no lines after the header' }] })
  return rows
}
